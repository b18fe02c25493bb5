"""Sentence alignment of an English entry and its published translation.

Dynamic programming over the two sentence sequences (Gale & Church 1993), with links of
five shapes: 1-1, 2-1 and 1-2 (a translator joined two sentences into one, or split one),
1-0 and 0-1 (a sentence left out, or one added). The cost of a link adds

* the length prior of Gale & Church: the link shape's prior probability (1-1 .89, 2-1/1-2
  .089, 1-0/0-1 .0099) and how far the target's length strays from the source's times the
  mean ratio, in units of its standard deviation, read on the normal distribution;
* a translation similarity in Bleualign's manner (Sennrich & Volk 2010): the English is
  machine-translated first, and each candidate target is scored against that translation
  (joined translations for a 2-1, joined targets for a 1-2). The score is rapidfuzz's Indel
  similarity over word stems (the first five letters of each lower-cased word), which
  ignores word order less than BLEU does but needs no n-gram counts.

Joining is only allowed inside one field (two sentences of one paragraph): the title is
never merged into the body, nor a paragraph into the next one.

Each link gets a **confidence**, 0-1: the share of its score among every other way the
same sentences could have been linked nearby (the neighbouring targets, the 2-1 and 1-2
shapes that contain them, and leaving them out), a softmax over scores. A link that fits
well but has an almost-as-good rival gets a low confidence, and a link in a field whose
sentences all look alike gets one too, which is what the "never a wrong confident
translation" rule needs.

Text is compared without inline tags (``<em>Danio rerio</em>`` → "Danio rerio").
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz.distance import Indel

# Gale & Church's priors of the link shapes.
PRIORS = {(1, 1): 0.89, (2, 1): 0.089, (1, 2): 0.089, (1, 0): 0.0099, (0, 1): 0.0099}
MEAN_RATIO = 1.1  # characters of Catalan per character of English (measured on the samples)
VARIANCE = 6.8  # Gale & Church's variance per character
SIM_WEIGHT = 12.0  # how much a point of similarity weighs against the length prior
SKIP_SIMILARITY = 0.22  # a 1-0 / 0-1 link is scored as if its sentences matched this well
RIVAL_WINDOW = 3  # targets this far from a link's compete with it for the confidence
# Below FLOOR similarity a link is no evidence at all, from SURE on the similarity alone does not
# hold it back: the confidence is the rivals' share times this ramp. Unrelated sentences of one
# entry score 0.05-0.2 against each other's machine translation, translations 0.35-0.9.
FLOOR, SURE = 0.15, 0.40
STEM = 5

_TAGS = re.compile(r"</?(?:em|i|b|strong|sub|sup|a|span|u|small|mark|abbr|cite|q|code)\b[^<>]*>", re.IGNORECASE)
_WORD = re.compile(r"\w+")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})


def plain_text(text: str) -> str:
    """``text`` without inline tags, in NFC."""
    return unicodedata.normalize("NFC", _TAGS.sub("", text))


def stems(text: str) -> list[str]:
    """Lower-cased word stems: what the similarity compares."""
    folded = plain_text(text).translate(_APOSTROPHES).casefold()
    return [word[:STEM] for word in _WORD.findall(folded)]


@dataclass(frozen=True)
class Sentence:
    """One sentence of one side: its field id ("body.2") and text; ``key`` names it (a unit id)."""

    field: str
    text: str
    key: str = ""


@dataclass(frozen=True)
class Link:
    """Source sentence indices ↔ target sentence indices, with its scores."""

    source: tuple[int, ...]
    target: tuple[int, ...]
    similarity: float  # 0-1; 0 for 1-0 and 0-1 links
    confidence: float  # 0-1

    @property
    def kind(self) -> str:
        return f"{len(self.source)}-{len(self.target)}"


class _Side:
    """One side's sentences: lengths, stems and fields, with joined views cached."""

    def __init__(self, texts: Sequence[str], fields: Sequence[str]):
        self.fields = list(fields)
        self.lengths = [len(plain_text(t).strip()) for t in texts]
        self.stems = [stems(t) for t in texts]

    def __len__(self) -> int:
        return len(self.stems)

    def joinable(self, i: int) -> bool:
        """Whether sentences i-1 and i may be joined (same field)."""
        return i >= 1 and self.fields[i - 1] == self.fields[i]


class Aligner:
    """Scores links between English sentences (by their machine translations) and targets."""

    def __init__(self, english: Sequence[Sentence], translations: Sequence[str], target: Sequence[Sentence]):
        if len(english) != len(translations):
            raise ValueError("one machine translation per English sentence is needed")
        self.source_lengths = [len(plain_text(s.text).strip()) for s in english]
        self.src = _Side(translations, [s.field for s in english])
        self.tgt = _Side([s.text for s in target], [s.field for s in target])
        self._sim: dict[tuple[int, int, int, int], float] = {}

    # ------------------------------------------------------------ scores

    def similarity(self, i: int, di: int, j: int, dj: int) -> float:
        """Similarity of source sentences [i, i+di) with target sentences [j, j+dj)."""
        key = (i, di, j, dj)
        found = self._sim.get(key)
        if found is None:
            a = self.src.stems[i] if di == 1 else [w for k in range(i, i + di) for w in self.src.stems[k]]
            b = self.tgt.stems[j] if dj == 1 else [w for k in range(j, j + dj) for w in self.tgt.stems[k]]
            found = self._sim[key] = Indel.normalized_similarity(a, b) if a and b else 0.0
        return found

    def _length_cost(self, i: int, di: int, j: int, dj: int) -> float:
        l1 = sum(self.source_lengths[i : i + di])
        l2 = sum(self.tgt.lengths[j : j + dj])
        if di == 0 or dj == 0:
            return 0.0
        mean = (l1 + l2 / MEAN_RATIO) / 2
        delta = (l2 - l1 * MEAN_RATIO) / math.sqrt(max(mean, 1.0) * VARIANCE)
        p = max(math.erfc(abs(delta) / math.sqrt(2)), 1e-12)  # 2 (1 - Φ(|δ|))
        return -math.log(p)

    def score(self, i: int, di: int, j: int, dj: int) -> float:
        """Higher is better: −cost of the link."""
        prior = -math.log(PRIORS[(di, dj)])
        if di == 0 or dj == 0:
            return -(prior + SIM_WEIGHT * (1 - SKIP_SIMILARITY))
        sim = self.similarity(i, di, j, dj)
        return -(prior + self._length_cost(i, di, j, dj) + SIM_WEIGHT * (1 - sim))

    def allowed(self, i: int, di: int, j: int, dj: int) -> bool:
        if i + di > len(self.src) or j + dj > len(self.tgt):
            return False
        if di == 2 and not self.src.joinable(i + 1):
            return False
        return not (dj == 2 and not self.tgt.joinable(j + 1))

    # ------------------------------------------------------------ alignment

    def align(self) -> list[Link]:
        n, m = len(self.src), len(self.tgt)
        best = [[-math.inf] * (m + 1) for _ in range(n + 1)]
        back: list[list[tuple[int, int] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
        best[0][0] = 0.0
        for i in range(n + 1):
            for j in range(m + 1):
                here = best[i][j]
                if here == -math.inf:
                    continue
                for di, dj in PRIORS:
                    if not self.allowed(i, di, j, dj):
                        continue
                    value = here + self.score(i, di, j, dj)
                    if value > best[i + di][j + dj]:
                        best[i + di][j + dj] = value
                        back[i + di][j + dj] = (di, dj)
        shapes: list[tuple[int, int, int, int]] = []
        i, j = n, m
        while i or j:
            step = back[i][j]
            assert step is not None
            di, dj = step
            i, j = i - di, j - dj
            shapes.append((i, di, j, dj))
        shapes.reverse()
        return [self._link(*shape) for shape in self._unjoin(shapes)]

    def _unjoin(self, shapes: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
        """A 2-1 or 1-2 link whose joined sentence adds nothing (the one sentence matches its
        partner at least as well alone) is a 1-1 plus a sentence left out or added: the skip
        costs of the length prior are high enough that the search prefers a join there."""
        out: list[tuple[int, int, int, int]] = []
        for i, di, j, dj in shapes:
            joined = self.similarity(i, di, j, dj) if di and dj else 0.0
            if (di, dj) == (1, 2):
                first, second = self.similarity(i, 1, j, 1), self.similarity(i, 1, j + 1, 1)
                if max(first, second) >= joined:
                    out += [(i, 1, j, 1), (i + 1, 0, j + 1, 1)] if first >= second else [(i, 0, j, 1), (i, 1, j + 1, 1)]
                    continue
            elif (di, dj) == (2, 1):
                first, second = self.similarity(i, 1, j, 1), self.similarity(i + 1, 1, j, 1)
                if max(first, second) >= joined:
                    out += [(i, 1, j, 1), (i + 1, 1, j + 1, 0)] if first >= second else [(i, 1, j, 0), (i + 1, 1, j, 1)]
                    continue
            out.append((i, di, j, dj))
        return out

    def _link(self, i: int, di: int, j: int, dj: int) -> Link:
        source = tuple(range(i, i + di))
        target = tuple(range(j, j + dj))
        if not di or not dj:
            return Link(source, target, 0.0, 0.0)
        return Link(source, target, self.similarity(i, di, j, dj), self.confidence(i, di, j, dj))

    def confidence(self, i: int, di: int, j: int, dj: int) -> float:
        """Softmax share of this link's score among its rivals (see the module docstring)."""
        own = self.score(i, di, j, dj)
        rivals: set[tuple[int, int, int, int]] = set()
        # Other targets for these sources, other sources for these targets, in every shape.
        for shape_di, shape_dj in ((1, 1), (2, 1), (1, 2)):
            for start_i in range(i - RIVAL_WINDOW, i + di + RIVAL_WINDOW):
                for start_j in range(j - RIVAL_WINDOW, j + dj + RIVAL_WINDOW):
                    if start_i < 0 or start_j < 0 or not self.allowed(start_i, shape_di, start_j, shape_dj):
                        continue
                    shares_source = start_i < i + di and i < start_i + shape_di
                    shares_target = start_j < j + dj and j < start_j + shape_dj
                    if shares_source or shares_target:
                        rivals.add((start_i, shape_di, start_j, shape_dj))
        rivals.discard((i, di, j, dj))
        skip = self.score(i, 1, j, 0)  # leaving the sentences out
        scores = [self.score(*rival) for rival in rivals] + [skip]
        top = max([own, *scores])
        total = math.exp(own - top) + sum(math.exp(s - top) for s in scores)
        share = math.exp(own - top) / total
        ramp = min(1.0, max(0.0, (self.similarity(i, di, j, dj) - FLOOR) / (SURE - FLOOR)))
        return share * ramp


def align(english: Sequence[Sentence], translations: Sequence[str], target: Sequence[Sentence]) -> list[Link]:
    """Links covering every English and every target sentence once, in order."""
    if not english and not target:
        return []
    return Aligner(english, translations, target).align()

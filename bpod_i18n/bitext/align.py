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

A **fragment** left unlinked (a 1-0 or 0-1 sentence of at most three words, such as "Ací."
where a translator split "Here, gut bacteria …" after its first word) carries no evidence of
where it belongs: the machine's "Aquí" does not match "Ací", so the search hands it a link of
its own and the sentence beside it looks like a complete translation. The links right before
and after it in its field are marked (``Link.loose_source`` / ``loose_target``): their text may
lack a part, or hold a word the English lacks, so the caller never takes them as certain.
Likewise two neighbouring links whose sentences match better joined than apart
(``Link.boundary``): the mirror's sentence boundary is not the English one (a translator
joined two sentences and the segmenter cut the result elsewhere), so each text may hold
part of the other's sentence.

Text is compared without inline tags (``<em>Danio rerio</em>`` → "Danio rerio"). Every link
the search may take is scored once into a table per shape, with stems coded one character
each so that rapidfuzz compares strings; the search and the confidences read the tables.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace

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
# A sentence of at most this many words, left unlinked, may be a piece of its neighbour.
FRAGMENT_WORDS = 3
# Neighbouring links whose sentences, joined, match this many stems more than apart: the
# mirror's sentence boundary between them is not the English one.
BOUNDARY_STEMS = 2

_TAGS = re.compile(r"</?(?:em|i|b|strong|sub|sup|a|span|u|small|mark|abbr|cite|q|code)\b[^<>]*>", re.IGNORECASE)
_WORD = re.compile(r"\w+")
_APOSTROPHES = ("’", "‘", "ʼ")


def plain_text(text: str) -> str:
    """``text`` without inline tags, in NFC."""
    return unicodedata.normalize("NFC", _TAGS.sub("", text) if "<" in text else text)


def _stems_of_plain(plain: str) -> list[str]:
    for apostrophe in _APOSTROPHES:  # str.replace: many times faster than str.translate here
        if apostrophe in plain:
            plain = plain.replace(apostrophe, "'")
    return [word[:STEM] for word in _WORD.findall(plain.casefold())]


def stems(text: str) -> list[str]:
    """Lower-cased word stems: what the similarity compares."""
    return _stems_of_plain(plain_text(text))


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
    # Fragments left unlinked right beside it in its field (source or target indices), that
    # may belong to it: a link with any is never a certain translation.
    loose_source: tuple[int, ...] = ()
    loose_target: tuple[int, ...] = ()
    # Source sentences of a neighbouring link whose boundary with this one the mirror placed
    # elsewhere: this text may hold part of theirs, or leave part of its own to them.
    boundary: tuple[int, ...] = ()

    @property
    def kind(self) -> str:
        return f"{len(self.source)}-{len(self.target)}"


_SHAPES = tuple(PRIORS)  # the DP tries them in this order (ties keep the first)
_PRIOR_COST = {shape: -math.log(p) for shape, p in PRIORS.items()}
_SKIP_SCORE = -(_PRIOR_COST[(1, 0)] + SIM_WEIGHT * (1 - SKIP_SIMILARITY))
_SQRT2 = math.sqrt(2)


def _symbol(k: int) -> str:
    """The k-th distinct stem as one character (past the surrogates when there are many)."""
    return chr(0x100 + k) if k < 0xD800 - 0x100 else chr(0x10000 + k)


class _Side:
    """One side's sentences: lengths, fields, and stems coded one character per distinct stem
    (a string compares in C; a joined view is a concatenation)."""

    def __init__(self, plain: Sequence[str], fields: Sequence[str], vocabulary: dict[str, str]):
        """``plain``: the texts compared, as ``plain_text`` gives them."""
        self.fields = list(fields)
        self.lengths = [len(t.strip()) for t in plain]
        self.codes = []
        for text in plain:
            self.codes.append(
                "".join(
                    [
                        vocabulary.get(w) or vocabulary.setdefault(w, _symbol(len(vocabulary)))
                        for w in _stems_of_plain(text)
                    ]
                )
            )

    def __len__(self) -> int:
        return len(self.codes)

    def joinable(self, i: int) -> bool:
        """Whether sentences i-1 and i may be joined (same field)."""
        return i >= 1 and self.fields[i - 1] == self.fields[i]


class Aligner:
    """Scores links between English sentences (by their machine translations) and targets.

    Every link the search may take is scored once, up front, into one table per shape
    (``None`` where the shape is not allowed): the search and the confidences read them.
    """

    def __init__(self, english: Sequence[Sentence], translations: Sequence[str], target: Sequence[Sentence]):
        if len(english) != len(translations):
            raise ValueError("one machine translation per English sentence is needed")
        vocabulary: dict[str, str] = {}
        source_plain = [plain_text(s.text) for s in english]
        target_plain = [plain_text(s.text) for s in target]
        self.source_lengths = [len(t.strip()) for t in source_plain]
        self.source_words = [len(_WORD.findall(t)) for t in source_plain]
        self.target_words = [len(_WORD.findall(t)) for t in target_plain]
        self.source_continues = [_continues(t) for t in source_plain]
        self.target_continues = [_continues(t) for t in target_plain]
        self.src = _Side([plain_text(t) for t in translations], [s.field for s in english], vocabulary)
        self.tgt = _Side(target_plain, [s.field for s in target], vocabulary)
        self._sim: dict[tuple[int, int, int, int], float] = {}  # links of other shapes, if asked
        self._sims: dict[tuple[int, int], list[list[float]]] = {}
        self._tables = {shape: self._table(*shape) for shape in _SHAPES if all(shape)}

    # ------------------------------------------------------------ scores

    def similarity(self, i: int, di: int, j: int, dj: int) -> float:
        """Similarity of source sentences [i, i+di) with target sentences [j, j+dj)."""
        sims = self._sims.get((di, dj))
        if sims is not None and 0 <= i < len(sims) and 0 <= j < len(sims[i]) and sims[i][j] >= 0:
            return sims[i][j]
        key = (i, di, j, dj)
        found = self._sim.get(key)
        if found is None:
            a = self.src.codes[i] if di == 1 else "".join(self.src.codes[i : i + di])
            b = self.tgt.codes[j] if dj == 1 else "".join(self.tgt.codes[j : j + dj])
            found = self._sim[key] = Indel.normalized_similarity(a, b) if a and b else 0.0
        return found

    def _table(self, di: int, dj: int) -> list[list[float | None]]:
        """Scores of every (di, dj) link: ``table[i][j]``, None where it is not allowed; the
        similarities go into ``self._sims`` on the way. (The length cost, Gale and Church's,
        and ``similarity`` are inlined: this is the aligner's inner loop.)"""
        n, m = len(self.src), len(self.tgt)
        prior = _PRIOR_COST[(di, dj)]
        table: list[list[float | None]] = [[None] * m for _ in range(n)]
        sims = self._sims[(di, dj)] = [[-1.0] * m for _ in range(n)]  # -1: not computed
        similarity = Indel.normalized_similarity
        erfc, log, sqrt = math.erfc, math.log, math.sqrt
        sources = [
            (i, sum(self.source_lengths[i : i + di]), "".join(self.src.codes[i : i + di]))
            for i in range(n - di + 1)
            if di == 1 or self.src.joinable(i + 1)
        ]
        targets = [
            (j, length, length / MEAN_RATIO, "".join(self.tgt.codes[j : j + dj]))
            for j in range(m - dj + 1)
            if dj == 1 or self.tgt.joinable(j + 1)
            for length in [sum(self.tgt.lengths[j : j + dj])]
        ]
        for i, l1, a in sources:
            row, sim_row = table[i], sims[i]
            expected = l1 * MEAN_RATIO
            for j, l2, l2_ratio, b in targets:
                sim = similarity(a, b) if a and b else 0.0
                sim_row[j] = sim
                mean = (l1 + l2_ratio) / 2
                delta = (l2 - expected) / sqrt((mean if mean > 1.0 else 1.0) * VARIANCE)
                p = erfc((delta if delta >= 0 else -delta) / _SQRT2)  # 2 (1 - Φ(|δ|))
                row[j] = -(prior + -log(p if p > 1e-12 else 1e-12) + SIM_WEIGHT * (1 - sim))
        return table

    def score(self, i: int, di: int, j: int, dj: int) -> float:
        """Higher is better: −cost of the link (an allowed one)."""
        if di == 0 or dj == 0:
            return _SKIP_SCORE
        found = self._tables[(di, dj)][i][j]
        if found is None:
            raise ValueError(f"link {(i, di, j, dj)} is not allowed")
        return found

    # ------------------------------------------------------------ alignment

    def align(self) -> list[Link]:
        n, m = len(self.src), len(self.tgt)
        neg = -math.inf
        best = [[neg] * (m + 1) for _ in range(n + 1)]
        back: list[list[tuple[int, int] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
        best[0][0] = 0.0
        t11, t21, t12 = self._tables[(1, 1)], self._tables[(2, 1)], self._tables[(1, 2)]
        skip = _SKIP_SCORE
        for i in range(n + 1):
            row, below = best[i], best[i + 1] if i < n else None
            below2 = best[i + 2] if i + 1 < n else None
            r11, r21, r12 = (t11[i], t21[i], t12[i]) if i < n else (None, None, None)
            for j in range(m + 1):
                here = row[j]
                if here == neg:
                    continue
                # The shapes in PRIORS' order: 1-1, 2-1, 1-2, 1-0, 0-1.
                if below is not None and j < m:
                    score = r11[j]  # type: ignore[index]
                    if score is not None and here + score > below[j + 1]:
                        below[j + 1] = here + score
                        back[i + 1][j + 1] = (1, 1)
                if below2 is not None and j < m:
                    score = r21[j]  # type: ignore[index]
                    if score is not None and here + score > below2[j + 1]:
                        below2[j + 1] = here + score
                        back[i + 2][j + 1] = (2, 1)
                if below is not None and j + 1 < m:
                    score = r12[j]  # type: ignore[index]
                    if score is not None and here + score > below[j + 2]:
                        below[j + 2] = here + score
                        back[i + 1][j + 2] = (1, 2)
                if below is not None and here + skip > below[j]:
                    below[j] = here + skip
                    back[i + 1][j] = (1, 0)
                if j < m and here + skip > row[j + 1]:
                    row[j + 1] = here + skip
                    back[i][j + 1] = (0, 1)
        shapes: list[tuple[int, int, int, int]] = []
        i, j = n, m
        while i or j:
            step = back[i][j]
            assert step is not None
            di, dj = step
            i, j = i - di, j - dj
            shapes.append((i, di, j, dj))
        shapes.reverse()
        return self._mark_boundaries(self._mark_fragments([self._link(*shape) for shape in self._unjoin(shapes)]))

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
        scores = [_SKIP_SCORE]  # leaving the sentences out
        # Other targets for these sources, other sources for these targets, in every shape.
        n, m = len(self.src), len(self.tgt)
        first_j, end_j = max(0, j - RIVAL_WINDOW), min(m, j + dj + RIVAL_WINDOW)
        for shape_di, shape_dj in ((1, 1), (2, 1), (1, 2)):
            table = self._tables[(shape_di, shape_dj)]
            same_shape = (shape_di, shape_dj) == (di, dj)
            # Rows that share no source sentence compete through the columns that share a target.
            shared_columns = range(max(first_j, j - shape_dj + 1), min(end_j, j + dj))
            for start_i in range(max(0, i - RIVAL_WINDOW), min(n, i + di + RIVAL_WINDOW)):
                row = table[start_i]
                shares_source = start_i < i + di and i < start_i + shape_di
                for start_j in range(first_j, end_j) if shares_source else shared_columns:
                    rival = row[start_j]
                    if rival is not None and not (same_shape and start_i == i and start_j == j):
                        scores.append(rival)
        top = max(own, *scores)
        total = math.exp(own - top) + sum(math.exp(s - top) for s in scores)
        share = math.exp(own - top) / total
        ramp = min(1.0, max(0.0, (self.similarity(i, di, j, dj) - FLOOR) / (SURE - FLOOR)))
        return share * ramp

    def _mark_fragments(self, links: list[Link]) -> list[Link]:
        """A fragment left unlinked (a sentence of at most FRAGMENT_WORDS words, 1-0 or 0-1)
        may be a piece of the sentence next to it in its field: a translator split "Here, gut
        bacteria …" into "Ací. Bacteris de budell …", and the machine's "Aquí" does not match
        "Ací". The links right before and after it in the same field get it as ``loose_*``:
        their text may lack a part or hold an extra one, so they are never certain.

        Where the text says which side it belongs to, only that one: a fragment that starts
        in lower case or with a digit continues the sentence before it ("… vegeu la fig." |
        "3."), and one followed by such a sentence starts the sentence after it ("Com Fig." |
        "35 de l'estudi mostra …": the segmenter cut after an abbreviation it did not know)."""
        out = list(links)
        for k, link in enumerate(links):
            if link.source and link.target:
                continue
            if link.source:
                index, side = link.source[0], "source"
                fields, words, continues = self.src.fields, self.source_words, self.source_continues
            else:
                index, side = link.target[0], "target"
                fields, words, continues = self.tgt.fields, self.target_words, self.target_continues
            if words[index] > FRAGMENT_WORDS:
                continue
            following = index + 1 < len(fields) and fields[index + 1] == fields[index] and continues[index + 1]
            steps: tuple[int, ...] = (-1, 1)
            if continues[index] != following:  # one side only: the one the text runs on to
                steps = (-1,) if continues[index] else (1,)
            for step in steps:
                near = k + step
                while 0 <= near < len(links) and not (links[near].source and links[near].target):
                    near += step
                if not 0 <= near < len(links):
                    continue
                other = getattr(links[near], side)
                if fields[other[0]] != fields[index]:
                    continue
                current = out[near]
                if side == "source":
                    out[near] = replace(current, loose_source=tuple(sorted({*current.loose_source, index})))
                else:
                    out[near] = replace(current, loose_target=tuple(sorted({*current.loose_target, index})))
        return out

    def _mark_boundaries(self, links: list[Link]) -> list[Link]:
        """Two neighbouring links whose sentences match better joined than apart: the mirror's
        sentence boundary is not where the English one is. A translator joined "… conditions."
        and "As Fig. 35 shows, …" into "… condicions, i com Fig. 35 mostra, …", and the
        segmenter cut the Catalan after "Fig.": each link is a good match, but the first
        text holds the start of the second sentence, the second lacks it. Measured in stems
        matched: the joined pair matches at least BOUNDARY_STEMS more than its two links do
        apart (on the bench's right links it matches exactly as many)."""
        out = list(links)
        src, tgt = self.src, self.tgt
        for k in range(len(links) - 1):
            first, second = links[k], links[k + 1]
            if not (first.source and first.target and second.source and second.target):
                continue
            if src.fields[first.source[-1]] != src.fields[second.source[0]]:
                continue
            if tgt.fields[first.target[-1]] != tgt.fields[second.target[0]]:
                continue
            a1 = "".join(src.codes[i] for i in first.source)
            b1 = "".join(tgt.codes[j] for j in first.target)
            a2 = "".join(src.codes[i] for i in second.source)
            b2 = "".join(tgt.codes[j] for j in second.target)
            gained = _matched(a1 + a2, b1 + b2) - _matched(a1, b1) - _matched(a2, b2)
            if gained >= BOUNDARY_STEMS:
                out[k] = replace(out[k], boundary=tuple(sorted({*out[k].boundary, *second.source})))
                out[k + 1] = replace(out[k + 1], boundary=tuple(sorted({*out[k + 1].boundary, *first.source})))
        return out


def _continues(text: str) -> bool:
    """Whether ``text`` reads as the rest of a sentence: it starts in lower case or with a digit."""
    first = next((c for c in text if c.isalnum()), "")
    return first.islower() or first.isdigit()


def _matched(a: str, b: str) -> int:
    """Stems of ``a`` and ``b`` matched in order (their longest common subsequence)."""
    return (len(a) + len(b) - Indel.distance(a, b)) // 2


def align(english: Sequence[Sentence], translations: Sequence[str], target: Sequence[Sentence]) -> list[Link]:
    """Links covering every English and every target sentence once, in order."""
    if not english and not target:
        return []
    return Aligner(english, translations, target).align()

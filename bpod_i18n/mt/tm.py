"""Translation memory: earlier human translations offered for new sentences, exact and fuzzy.

Sources are compared without their inline tags (bpod_i18n.markup): "Zebrafish (<em>Danio
rerio</em>)" and "Zebrafish (Danio rerio)" are the same sentence, and the match is re-tagged
from the new source by the caller (``markup.carry_tags``).

Exactness rule: two sources are the *same* when they are equal after Unicode NFC, typographic
quotes and apostrophes made straight, and every run of whitespace made one space with none at
the ends. Case counts: "Stem cells" and "stem cells" differ, and score 99 (the best a non-exact
match can score).

Fuzzy score: ``rapidfuzz.fuzz.ratio`` (normalised Indel similarity, 0-100) of the case-folded
normalised sources. Candidates come from an inverted index of word tokens with prefix
filtering: a sentence sharing at least half of the query's words must hold one of its rarer
half, so only the postings of those rare tokens are read. The 1 000 candidates sharing the
most rare tokens (and any tied with the last, up to 3 000) go to ``rapidfuzz.process.extract``,
whose score cutoff discards most of them on length alone. Checked against a full rapidfuzz
scan of templated 48 000-unit memories (720 queries): the same top three every time.
"""

from __future__ import annotations

import math
import re
import time
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bpod_i18n.markup import plain

# States a TM takes its translations from, best first (machine output is never reused).
TM_STATES = ("reviewed", "translated")
# Below the project's own translations: texts brought in from the published mirror (its
# aligned links, and its translations not yet reviewed here), then pairs from TMX files.
MIRROR_TIER, IMPORTED_TIER = "mirror", "imported"
_STATE_RANK = {state: rank for rank, state in enumerate((*TM_STATES, MIRROR_TIER, IMPORTED_TIER))}
_QUOTES = {"‘": "'", "’": "'", "‚": "'", "′": "'", "“": '"', "”": '"', "„": '"', "″": '"'}
_SPACE = re.compile(r"\s+")
_TOKEN = re.compile(r"\w+")
_MAX_CANDIDATES = 1000  # scored per query: those sharing the most rare tokens...
_MAX_TIED = 3000  # ...plus those tied with the last of them, up to this many


def normalize(text: str) -> str:
    """The form sources are compared in for exactness (see the module docstring)."""
    text = unicodedata.normalize("NFC", plain(text))
    for curly, straight in _QUOTES.items():  # str.replace: many times faster than str.translate
        if curly in text:
            text = text.replace(curly, straight)
    return _SPACE.sub(" ", text).strip()


@dataclass(frozen=True)
class TMRecord:
    """One stored translation: source sentence, its translation, state and where it is from."""

    source: str
    target: str
    state: str
    slug: str
    uid: str


@dataclass(frozen=True)
class TMMatch:
    score: float  # 100 for exact, otherwise rapidfuzz ratio (at most 99)
    source: str
    target: str
    slug: str
    uid: str
    exact: bool
    state: str


class TranslationMemory:
    """An in-memory, indexed TM over many records; ``build_seconds`` says what indexing cost."""

    def __init__(self, records: Iterable[TMRecord] = ()):
        started = time.perf_counter()
        self._records: list[TMRecord] = []
        self._exact_key: list[str] = []  # per distinct source
        self._folded: list[str] = []
        self._records_of: list[list[int]] = []  # per distinct source, record indices
        self._source_id: dict[str, int] = {}
        self._postings: dict[str, list[int]] = {}
        self.skipped = 0  # records not used: unusable state or empty text
        for record in records:
            self.add(record)
        self.build_seconds = time.perf_counter() - started

    def __len__(self) -> int:
        return len(self._records)

    @property
    def distinct_sources(self) -> int:
        return len(self._exact_key)

    def add(self, record: TMRecord) -> bool:
        """Index one record; False (and counted in ``skipped``) if it cannot serve as a match."""
        if record.state not in _STATE_RANK or not record.source.strip() or not record.target.strip():
            self.skipped += 1
            return False
        key = normalize(record.source)
        record_index = len(self._records)
        self._records.append(record)
        source_id = self._source_id.get(key)
        if source_id is None:
            source_id = self._source_id[key] = len(self._exact_key)
            self._exact_key.append(key)
            folded = key.casefold()
            self._folded.append(folded)
            self._records_of.append([])
            for token in set(_TOKEN.findall(folded)):
                self._postings.setdefault(token, []).append(source_id)
        self._records_of[source_id].append(record_index)
        return True

    def lookup(self, text: str, *, min_score: float = 75, limit: int = 3) -> list[TMMatch]:
        """Best matches for ``text``: exact ones first (reviewed, then translated), then fuzzy
        ones by score, at most ``limit``, none below ``min_score``. One match per distinct
        (source, target) pair, from its best-state record."""
        key = normalize(text)
        if not key or limit < 1:
            return []
        matches: list[TMMatch] = []
        exact_id = self._source_id.get(key)
        if exact_id is not None:
            matches += self._matches_for(exact_id, 100.0, exact=True)
        if len(matches) < limit:
            fuzzy: list[TMMatch] = []
            for source_id, score in self._fuzzy(key.casefold(), min_score, limit, skip=exact_id):
                fuzzy += self._matches_for(source_id, score, exact=False)
            fuzzy.sort(key=lambda m: (-m.score, _STATE_RANK[m.state], m.source, m.target))
            matches += fuzzy
        return matches[:limit]

    def _matches_for(self, source_id: int, score: float, *, exact: bool) -> list[TMMatch]:
        best: dict[str, TMRecord] = {}
        for index in self._records_of[source_id]:
            record = self._records[index]
            known = best.get(record.target)
            if known is None or _STATE_RANK[record.state] < _STATE_RANK[known.state]:
                best[record.target] = record
        ordered = sorted(best.values(), key=lambda r: _STATE_RANK[r.state])
        return [TMMatch(score, r.source, r.target, r.slug, r.uid, exact, r.state) for r in ordered]

    def _fuzzy(self, folded: str, min_score: float, limit: int, *, skip: int | None) -> list[tuple[int, float]]:
        tokens = set(_TOKEN.findall(folded))
        known = sorted((len(self._postings[t]), t) for t in tokens if t in self._postings)
        # Prefix filter: to share ceil(n/2) of the query's n tokens, a candidate must hold one
        # of its n - ceil(n/2) + 1 rarest; tokens the memory has never seen are the rarest.
        prefix_size = len(tokens) - math.ceil(len(tokens) * 0.5) + 1 - (len(tokens) - len(known))
        if prefix_size < 1:
            return []
        prefix = known[:prefix_size]
        overlap: Counter[int] = Counter()
        for _, token in prefix:
            overlap.update(self._postings[token])
        if skip is not None:
            overlap.pop(skip, None)
        # The candidates sharing the most rare tokens: find the lowest shared count that still
        # gives _MAX_CANDIDATES of them (counts are small numbers), take all down to it, and
        # cap ties; rapidfuzz's score_cutoff then rules out most of them on length alone, in C.
        floor, taken = 1, 0
        for shared, how_many in sorted(Counter(overlap.values()).items(), reverse=True):
            floor, taken = shared, taken + how_many
            if taken >= _MAX_CANDIDATES:
                break
        candidates = [source_id for source_id, shared in overlap.items() if shared >= floor]
        if len(candidates) > _MAX_TIED:  # too many tied at the floor: keep the first of them
            above = [source_id for source_id in candidates if overlap[source_id] > floor]
            tied = [source_id for source_id in candidates if overlap[source_id] == floor]
            candidates = above + tied[: max(0, _MAX_TIED - len(above))]
        choices = [self._folded[source_id] for source_id in candidates]
        scored = process.extract(folded, choices, scorer=fuzz.ratio, score_cutoff=min_score, limit=limit)
        # Same words, different case: as good as it gets without being the same sentence.
        return [(candidates[index], min(float(score), 99.0)) for _, score, index in scored]

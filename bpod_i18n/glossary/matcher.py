"""Find glossary terms in English text: one Aho-Corasick automaton over every spelling variant.

What a terminologist expects: multi-word terms; plural and hyphen variants ("T cell",
"T cells", "T-cell", "T-cell receptors"); case-insensitive, except symbols (ALS, DNA, Sox2)
whose words must keep their case; never inside another word ("cell" is not in "subcellular");
longest match first when matches overlap; exact character spans into the original text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import ahocorasick_rs

from bpod_i18n.glossary.autodnt import recognise
from bpod_i18n.glossary.terms import STATUS_RANK, Case, Status, Term, Termbase
from bpod_i18n.glossary.variants import fold, fold_term, is_symbol_word, is_word_char, term_variants, words_of

# Parts of speech whose last word takes a plural; "" (not stated) counts as a noun.
INFLECTING_POS = frozenset({"", "noun"})


@dataclass(frozen=True)
class Hit:
    """One glossary term found in a text: ``text[start:end] == matched_text``."""

    term: Term  # the entry to follow: do-not-translate, else preferred, admitted, forbidden
    start: int
    end: int
    matched_text: str
    entries: tuple[Term, ...] = ()  # every rendering of this source term, best first

    @property
    def source(self) -> str:
        return self.term.source

    @property
    def target(self) -> str:
        return self.term.target

    @property
    def dnt(self) -> bool:
        return self.term.dnt

    @property
    def allowed(self) -> tuple[Term, ...]:
        """Renderings a translation may use (preferred first)."""
        return tuple(t for t in self.entries if t.status is not Status.FORBIDDEN)

    @property
    def forbidden(self) -> tuple[Term, ...]:
        return tuple(t for t in self.entries if t.status is Status.FORBIDDEN)


@dataclass(frozen=True)
class _Group:
    """All renderings of one source term."""

    source: str
    entries: tuple[Term, ...]

    @property
    def primary(self) -> Term:
        return self.entries[0]


@dataclass(frozen=True)
class _Key:
    group: int  # index into Matcher._groups
    exact: bool  # the term's own spelling, not a variant: wins a tie on the same key
    required: tuple[str | None, ...] | None  # per word: exact spelling a symbol must keep


class Matcher:
    """Built once per termbase, then ``find`` per sentence (or ``find_all`` for many)."""

    def __init__(self, termbase: Termbase | Iterable[Term], *, recognise_dnt: bool = True):
        # Also report gene/protein symbols and abbreviated binomials that are not in the
        # termbase as do-not-translate (see autodnt); termbase entries win over them.
        self.recognise_dnt = recognise_dnt
        terms = termbase.terms if isinstance(termbase, Termbase) else list(termbase)
        by_source: dict[str, list[Term]] = {}
        for term in terms:
            by_source.setdefault(term.source, []).append(term)
        self._groups: list[_Group] = [
            _Group(source, tuple(sorted(rows, key=lambda t: (not t.dnt, STATUS_RANK[t.status]))))
            for source, rows in by_source.items()
        ]
        patterns: dict[str, list[_Key]] = {}
        for index, group in enumerate(self._groups):
            primary = group.primary
            inflect = not primary.dnt and all(t.pos in INFLECTING_POS for t in group.entries)
            sensitive = primary.case_sensitive
            own = fold_term(group.source)
            for spelling in term_variants(group.source, inflect=inflect):
                key = fold_term(spelling)
                if not key:
                    continue
                required = None
                if sensitive:
                    words = words_of(spelling)
                    everything = primary.case is Case.SENSITIVE
                    required = tuple(w if everything or is_symbol_word(w) else None for w in words)
                patterns.setdefault(key, []).append(_Key(index, key == own, required))
        self._keys: list[str] = list(patterns)
        self._candidates: list[tuple[_Key, ...]] = [
            tuple(sorted(patterns[k], key=lambda c: (not c.exact, c.group))) for k in self._keys
        ]
        self._automaton = ahocorasick_rs.AhoCorasick(self._keys) if self._keys else None

    def __len__(self) -> int:
        """Number of source terms."""
        return len(self._groups)

    def find(self, text: str) -> list[Hit]:
        """Glossary terms in ``text``, non-overlapping (longest first), in order of position."""
        if not text:
            return []
        hits = self._find_terms(text) if self._automaton is not None else []
        if self.recognise_dnt:
            taken = [(h.start, h.end) for h in hits]
            extra = [
                Hit(term, start, end, text[start:end], (term,))
                for start, end, term in recognise(text)
                if all(end <= s or start >= e for s, e in taken)
            ]
            if extra:
                hits = sorted(hits + extra, key=lambda h: h.start)
        return hits

    def _find_terms(self, text: str) -> list[Hit]:
        assert self._automaton is not None
        folded = fold(text)
        matches = self._automaton.find_matches_as_indexes(folded.text, overlapping=True)
        if not matches:
            return []
        mapped = folded.starts is not None
        found: list[tuple[int, int, int, _Key]] = []  # (-length, start, end, key)
        for pattern, start, end in matches:
            if mapped:
                start, end = folded.span(start, end)
            if not _at_word_edges(text, start, end):
                continue
            for cand in self._candidates[pattern]:  # exact spelling first, then termbase order
                if cand.required is None or _symbols_kept(text[start:end], cand.required):
                    found.append((start - end, start, end, cand))
                    break
        if len(found) > 1:
            found.sort(key=lambda f: (f[0], f[1]))  # longest first; leftmost among equals
            chosen: list[tuple[int, int, int, _Key]] = []
            for item in found:
                start, end = item[1], item[2]
                if all(end <= c[1] or start >= c[2] for c in chosen):
                    chosen.append(item)
            chosen.sort(key=lambda c: c[1])
            found = chosen
        groups = self._groups
        return [
            Hit(groups[cand.group].entries[0], start, end, text[start:end], groups[cand.group].entries)
            for _, start, end, cand in found
        ]


def _at_word_edges(text: str, start: int, end: int) -> bool:
    """Never inside a word: "cell" not in "subcellular", "ALS" not in "ALS2". A digit just
    before a term that starts with a letter is fine ("5µm"), a digit after is not."""
    if start > 0:
        before, first = text[start - 1], text[start]
        if is_word_char(before) and is_word_char(first) and not (before.isdigit() and not first.isdigit()):
            return False
    if end < len(text):
        last, after = text[end - 1], text[end]
        if is_word_char(last) and is_word_char(after):
            return False
    return True


def _symbols_kept(span: str, required: tuple[str | None, ...]) -> bool:
    words = words_of(span)
    if len(words) != len(required):
        return False
    return all(want is None or want == got for want, got in zip(required, words, strict=True))

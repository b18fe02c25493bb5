"""The termbase model: one language pair, a list of entries (source term → target term).

Pure data, no I/O (readers and writers live in ``csv_io``, ``tbx_io`` and ``files``), in the
spirit of Babel's ``catalog.py``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from enum import StrEnum

from bpod_i18n.errors import NotFoundError, UsageError


class Status(StrEnum):
    """Normative status of a target rendering (TBX administrativeStatus, simplified)."""

    PREFERRED = "preferred"
    ADMITTED = "admitted"
    FORBIDDEN = "forbidden"


STATUS_RANK = {Status.PREFERRED: 0, Status.ADMITTED: 1, Status.FORBIDDEN: 2}


class Case(StrEnum):
    """How a source term is matched: ``auto`` decides from its spelling (see ``is_symbol``)."""

    AUTO = "auto"
    SENSITIVE = "sensitive"
    INSENSITIVE = "insensitive"


# TBX-Basic partOfSpeech picklist; "" means not stated.
PARTS_OF_SPEECH = ("", "noun", "properNoun", "adjective", "verb", "adverb", "other")

_SPACES = re.compile(r"\s+")


def clean_term(text: str) -> str:
    """NFC, single spaces, no edge spaces: the form every term is stored in."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def is_symbol(term: str) -> bool:
    """True for spellings that must match case-sensitively: ALS, DNA, mRNA, Sox2, p53, IL-2.

    Rule: an uppercase letter after the first character, or letters mixed with digits
    (gene and protein symbols). "T cell" and "Mus musculus" are ordinary terms.
    """
    if any(c.isupper() for c in term[1:]):
        return True
    has_letter = any(c.isalpha() for c in term)
    has_digit = any(c.isdigit() for c in term)
    return has_letter and has_digit


@dataclass(frozen=True)
class Term:
    """One row of a termbase: one source term and one rendering of it."""

    source: str
    target: str
    pos: str = ""
    status: Status = Status.PREFERRED
    dnt: bool = False  # do not translate: the source must appear verbatim in the translation
    case: Case = Case.AUTO
    note: str = ""  # where the rendering comes from, or why it is forbidden

    @property
    def key(self) -> tuple[str, str]:
        """Identity within a termbase: a source may have several renderings."""
        return (self.source, self.target)

    @property
    def case_sensitive(self) -> bool:
        if self.case is Case.AUTO:
            return is_symbol(self.source)
        return self.case is Case.SENSITIVE

    def sort_key(self) -> tuple[str, str, int, str, str]:
        return (self.source.casefold(), self.source, STATUS_RANK[self.status], self.target.casefold(), self.target)


def make_term(
    source: str,
    target: str = "",
    *,
    pos: str = "",
    status: Status | str = Status.PREFERRED,
    dnt: bool = False,
    case: Case | str = Case.AUTO,
    note: str = "",
) -> Term:
    """Build a checked Term; raises ValueError with a one-line reason (callers add file:line).

    A do-not-translate term with no target gets its source as target.
    """
    source, target, note = clean_term(source), clean_term(target), clean_term(note)
    if not source:
        raise ValueError("source term is empty")
    try:
        status = Status(status)
    except ValueError:
        raise ValueError(f"status must be preferred, admitted or forbidden, not {status!r}") from None
    try:
        case = Case(case or "auto")
    except ValueError:
        raise ValueError(f"case must be auto, sensitive or insensitive, not {case!r}") from None
    if pos not in PARTS_OF_SPEECH:
        allowed = ", ".join(p for p in PARTS_OF_SPEECH if p)
        raise ValueError(f"part of speech must be one of {allowed} (or empty), not {pos!r}")
    if dnt and status is Status.FORBIDDEN:
        raise ValueError("a forbidden rendering cannot also be do-not-translate")
    if dnt and not target:
        target = source
    if dnt and target != source:
        raise ValueError(f"do-not-translate term {source!r} must have its own spelling as target, not {target!r}")
    if not target:
        raise ValueError(f"target term of {source!r} is empty")
    return Term(source=source, target=target, pos=pos, status=status, dnt=dnt, case=case, note=note)


class AddOutcome(StrEnum):
    ADDED = "added"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass
class MergeReport:
    """What an import did; the CLI prints it, tests assert it."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0  # TBX entries without both languages of the pair
    source_path: str | None = None


@dataclass
class Termbase:
    """All entries of one language pair, e.g. en → ca. Kept sorted, so files diff cleanly."""

    source_lang: str
    target_lang: str
    terms: list[Term] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.terms.sort(key=Term.sort_key)

    @property
    def pair(self) -> str:
        return f"{self.source_lang}-{self.target_lang}"

    def __len__(self) -> int:
        return len(self.terms)

    def get(self, source: str, target: str) -> Term | None:
        key = (clean_term(source), clean_term(target))
        return next((t for t in self.terms if t.key == key), None)

    def entries_for(self, source: str) -> list[Term]:
        source = clean_term(source)
        return [t for t in self.terms if t.source == source]

    def add(self, term: Term, *, replace_existing: bool = False) -> AddOutcome:
        """Add a term; an existing (source, target) with other details needs ``replace_existing``."""
        for i, old in enumerate(self.terms):
            if old.key != term.key:
                continue
            if old == term:
                return AddOutcome.UNCHANGED
            if not replace_existing:
                raise UsageError(
                    f"{term.source!r} → {term.target!r} is already in the {self.pair} glossary"
                    " with other details; replace it explicitly"
                )
            self.terms[i] = term
            self.terms.sort(key=Term.sort_key)
            return AddOutcome.UPDATED
        self.terms.append(term)
        self.terms.sort(key=Term.sort_key)
        return AddOutcome.ADDED

    def remove(self, source: str, target: str | None = None) -> list[Term]:
        """Remove every rendering of ``source`` (or just the one to ``target``); returns them."""
        source = clean_term(source)
        wanted = clean_term(target) if target is not None else None
        gone = [t for t in self.terms if t.source == source and (wanted is None or t.target == wanted)]
        if not gone:
            what = f"{source!r}" if wanted is None else f"{source!r} → {wanted!r}"
            raise NotFoundError(f"{what} is not in the {self.pair} glossary")
        self.terms = [t for t in self.terms if t not in gone]
        return gone

    def merge(self, incoming: Termbase | list[Term], *, source_path: str | None = None) -> MergeReport:
        """Add or overwrite terms from another termbase: an incoming row wins on the same
        (source, target), except that its empty part of speech or note keeps ours."""
        rows = incoming.terms if isinstance(incoming, Termbase) else incoming
        report = MergeReport(source_path=source_path)
        # One dict and one sort: importing a 5 000-term TBX must not re-sort per row.
        by_key = {t.key: t for t in self.terms}
        for term in rows:
            old = by_key.get(term.key)
            if old is not None:
                # an incoming row that leaves part of speech or note empty keeps ours
                term = replace(term, pos=term.pos or old.pos, note=term.note or old.note)
            if old is None:
                report.added += 1
            elif old == term:
                report.unchanged += 1
            else:
                report.updated += 1
            by_key[term.key] = term
        self.terms = sorted(by_key.values(), key=Term.sort_key)
        return report

    def copy(self) -> Termbase:
        return Termbase(self.source_lang, self.target_lang, [replace(t) for t in self.terms])

"""Glossary operations over the project: edit the termbase of a locale, hint, suggest, check.

The termbase of a locale is ``<glossary_dir>/<source_language>-<locale>.csv`` (e.g.
``glossary/en-ca.csv``). A missing file is an empty termbase: hints and checks then still
know the gene/protein symbols and binomials the matcher recognises by their spelling.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from bpod_i18n.atomic import write_atomic
from bpod_i18n.errors import UsageError
from bpod_i18n.glossary import (
    AddOutcome,
    Candidate,
    Matcher,
    MergeReport,
    Term,
    Termbase,
    check_with,
    hint_lines,
    import_into,
    make_term,
    save_pair,
    suggest,
    termbase_path,
)
from bpod_i18n.glossary.csv_io import format_csv
from bpod_i18n.glossary.tbx_io import format_tbx
from bpod_i18n.model import State, field_sort_key
from bpod_i18n.store.models import Entry, Translation, Unit
from bpod_i18n.workflow.entries import unknown_entries
from bpod_i18n.workflow.export import Annotation
from bpod_i18n.workflow.glossary_check import termbase_of
from bpod_i18n.workflow.project import Project

EXPORT_FORMATS = ("csv", "tbx")
# Part of the annotation key: bump when the matcher or the hint wording changes, so that export
# re-renders the hints of every file.
GLOSSARY_HINTS_VERSION = 1
# States whose text a translator or a machine wrote for the current English (stale text was
# written for other English, untranslated has none).
CHECKED_STATES = (State.TRANSLATED, State.REVIEWED, State.NEEDS_WORK, State.MACHINE)
# Image credits name people, institutes and journals: recurring, but not terms to translate.
CREDIT_FIELDS = "credit%"


# ------------------------------------------------------------------ the termbase of a locale


def glossary_file(project: Project, locale: str) -> Path:
    """``glossary/en-ca.csv`` for locale ``ca`` (the file need not exist)."""
    locale = project.config.require_locale(locale)
    return termbase_path(project.config.glossary_path, project.config.source_language, locale)


def load_termbase_of(project: Project, locale: str) -> Termbase:
    """The locale's termbase; empty when there is no file. A malformed file raises InputError."""
    return termbase_of(project.config, locale)


def matcher_for(project: Project, locale: str) -> Matcher:
    """The locale's matcher, built once per command (QA check, review, hints)."""
    return Matcher(load_termbase_of(project, locale))


def annotator(project: Project, locale: str) -> Annotation:
    """Source → ``glossary: ...`` hint lines for the PO extracted comments of one locale.

    Never empty-handed: without a termbase file, recognised symbols still get do-not-translate
    hints. Results are kept per source string: an export asks for the same sentences many times.
    The key is the termbase file's content, so that export re-renders every file when it changes.
    """
    matcher = matcher_for(project, locale)
    cache: dict[str, list[str]] = {}

    def annotate(source: str) -> list[str]:
        lines = cache.get(source)
        if lines is None:
            lines = cache[source] = hint_lines(matcher.find(source))
        return list(lines)  # a copy: callers may extend what they get

    path = glossary_file(project, locale)
    try:
        key = hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        key = "no termbase"
    return Annotation(annotate, f"glossary {GLOSSARY_HINTS_VERSION} {key}")


# ------------------------------------------------------------------ editing


@dataclass
class TermChange:
    outcome: AddOutcome
    term: Term
    path: Path


@dataclass
class TermList:
    pair: str
    path: Path
    exists: bool  # False: no file yet (an empty termbase)
    terms: list[Term]


@dataclass
class TermRemoval:
    removed: list[Term]
    path: Path


@dataclass
class TermImport:
    report: MergeReport
    path: Path  # the project's termbase file
    total: int  # terms in it after the import
    written: bool  # False when the import changed nothing (the file is left as it was)


@dataclass
class TermExport:
    path: Path
    fmt: str
    terms: int


def add_term(
    project: Project,
    locale: str,
    source: str,
    target: str = "",
    *,
    pos: str = "",
    status: str = "preferred",
    dnt: bool = False,
    case: str = "auto",
    note: str = "",
    replace: bool = False,
) -> TermChange:
    """Add one rendering (a do-not-translate term needs no target); ``replace`` overwrites the
    details of an existing source → target. The file is rewritten only when something changed."""
    termbase = load_termbase_of(project, locale)
    try:
        term = make_term(source, target, pos=pos, status=status, dnt=dnt, case=case, note=note)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    outcome = termbase.add(term, replace_existing=replace)
    path = glossary_file(project, locale)
    if outcome is not AddOutcome.UNCHANGED:
        save_pair(termbase, project.config.glossary_path)
    return TermChange(outcome, term, path)


def list_terms(project: Project, locale: str, *, search: str | None = None) -> TermList:
    """Every term of the locale (sorted as in the file); ``search``: only terms whose source,
    target or note contains it (case-insensitive)."""
    termbase = load_termbase_of(project, locale)
    path = glossary_file(project, locale)
    terms = termbase.terms
    if search:
        wanted = search.casefold()
        terms = [
            t
            for t in terms
            if wanted in t.source.casefold() or wanted in t.target.casefold() or wanted in t.note.casefold()
        ]
    return TermList(termbase.pair, path, path.exists(), list(terms))


def remove_term(project: Project, locale: str, source: str, target: str | None = None) -> TermRemoval:
    """Remove every rendering of ``source``, or only the one to ``target``."""
    termbase = load_termbase_of(project, locale)
    removed = termbase.remove(source, target)
    return TermRemoval(removed, save_pair(termbase, project.config.glossary_path))


def import_terms(project: Project, locale: str, path: str | Path) -> TermImport:
    """Merge a CSV or TBX file into the locale's termbase. The file is checked whole first:
    a malformed one raises InputError (file:line) and the termbase file is not touched."""
    termbase = load_termbase_of(project, locale)
    report = import_into(termbase, path)
    target = glossary_file(project, locale)
    written = bool(report.added or report.updated)
    if written:
        save_pair(termbase, project.config.glossary_path)
    return TermImport(report, target, len(termbase), written)


def export_terms(project: Project, locale: str, path: str | Path, fmt: str | None = None) -> TermExport:
    """Write the locale's termbase to ``path`` as TBX (for partners' tools) or CSV; the format
    is ``fmt`` or, without it, the file's suffix."""
    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt not in EXPORT_FORMATS:
        raise UsageError(f"{path}: say the format (--format tbx or csv) or name the file .tbx or .csv")
    termbase = load_termbase_of(project, locale)
    write_atomic(path, format_tbx(termbase) if fmt == "tbx" else format_csv(termbase).encode("utf-8"), durable=True)
    return TermExport(path, fmt, len(termbase))


# ------------------------------------------------------------------ suggestions


@dataclass
class Suggestions:
    locale: str
    sentences: int  # English units read
    candidates: list[Candidate] = field(default_factory=list)


def suggest_terms(project: Project, locale: str, min_count: int = 3, *, limit: int | None = None) -> Suggestions:
    """Recurring multi-word phrases of the ingested English that the locale's glossary lacks,
    most frequent first, each with its count and the first sentence it was seen in."""
    if min_count < 2:
        raise UsageError(f"--min-count must be at least 2, not {min_count}")
    termbase = load_termbase_of(project, locale)
    with project.store.transaction(write=False) as session:
        rows = session.execute(
            select(Entry.slug, Unit.source)
            .join(Entry, Unit.entry_id == Entry.id)
            .where(Unit.active.is_(True), Entry.kind == "entry", Entry.in_use())
            .where(Unit.field.not_like(CREDIT_FIELDS))
            .order_by(Entry.slug, Unit.id)
        ).all()
    sentences = [(slug, source) for slug, source in rows]
    candidates = suggest(sentences, termbase, min_count=min_count)
    return Suggestions(termbase.target_lang, len(sentences), candidates[:limit] if limit else candidates)


# ------------------------------------------------------------------ checking translations


@dataclass(frozen=True)
class GlossaryProblem:
    """A stored translation that does not follow the glossary."""

    slug: str
    uid: str
    field: str
    state: str
    kind: str  # missing-term, forbidden-term, dnt-changed
    term: str  # the English term
    expected: str  # the rendering to use
    message: str
    source: str
    text: str
    found: str = ""  # the forbidden rendering seen, if any


def glossary_problems(project: Project, locale: str, slugs: Sequence[str] | None = None) -> list[GlossaryProblem]:
    """Check every translated unit of the database for ``locale`` (or of ``slugs``) against
    the glossary; in entry, then reading order."""
    locale = project.config.require_locale(locale)
    matcher = matcher_for(project, locale)
    query = (
        select(Entry.slug, Unit.uid, Unit.field, Unit.position, Unit.source, Translation.text, Translation.state)
        .join(Unit, Translation.unit_id == Unit.id)
        .join(Entry, Unit.entry_id == Entry.id)
        .where(Translation.locale == locale, Unit.active.is_(True), Entry.in_use())
        .where(Translation.state.in_([s.value for s in CHECKED_STATES]), Translation.text != "")
    )
    with project.store.transaction(write=False) as session:
        if slugs:
            known = set(session.scalars(select(Entry.slug).where(Entry.slug.in_(slugs), Entry.in_use())))
            missing = sorted(set(slugs) - known)
            if missing:
                raise unknown_entries(session, missing)
            query = query.where(Entry.slug.in_(slugs))
        rows = list(session.execute(query).all())
    rows.sort(key=lambda r: (r.slug, field_sort_key(r.field), r.position))
    return [
        GlossaryProblem(
            slug=row.slug,
            uid=row.uid,
            field=row.field,
            state=row.state,
            kind=violation.kind.value,
            term=violation.term,
            expected=violation.expected,
            message=violation.message,
            source=row.source,
            text=row.text,
            found=violation.found,
        )
        for row in rows
        for violation in check_with(matcher, row.source, row.text)
    ]

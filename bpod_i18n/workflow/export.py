"""Export: one PO per entry per locale, plus the site catalog; only what changed is rendered,
and no translator's work is ever written over.

Each file's inputs are summed up in a fingerprint read from a few aggregate columns (the
entry's content hash and last change, the last history event of its translations, the
glossary, the Plural-Forms, the tool version). The export manifest in ``.bpod-i18n/`` keeps,
per file, the fingerprint it was written from, the file's size and mtime right after writing
(git's index trick) and the hash of its bytes: a file whose fingerprint and stat are unchanged
is not read, queried or rendered again; a file whose bytes are no longer what export wrote (or
import read) holds a translator's work and is left alone, listed in ``ExportReport.blocked``,
unless ``force``, which first copies it to a backup folder. After 4 % of an archive's
paragraphs change, a re-export renders 4 % of the files.

What each written file holds is recorded as its base (``workflow/bases.py``), against which
import merges three ways. Reviewers' reasons, translators' comments and open suggestions go
into the file as translator comments (``workflow/notes.py``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from babel.dates import format_date
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bpod_i18n import __version__
from bpod_i18n.atomic import write_atomic
from bpod_i18n.gc_pause import gc_paused
from bpod_i18n.markup import plain as plain_text
from bpod_i18n.merge import Version
from bpod_i18n.model import SITE_SLUG, State, field_sort_key, utcnow
from bpod_i18n.people import read_addresses
from bpod_i18n.po import PoMessage, build_unit_catalog, plural_forms, po_path, render_po, unit_message
from bpod_i18n.store.batching import chunks
from bpod_i18n.store.models import Entry, Event, Person, Translation, Unit
from bpod_i18n.workers import map_in_workers
from bpod_i18n.workflow import bases
from bpod_i18n.workflow.entries import unknown_entries
from bpod_i18n.workflow.export_manifest import Manifest, back_up, backup_folder, manifest_path, sha256
from bpod_i18n.workflow.notes import notes_for
from bpod_i18n.workflow.project import NoProgress, ProgressHook, Project

# Below this many files, worker processes cost more than they save.
PARALLEL_FROM = 400
# Part of every fingerprint: a change of the PO layout or of its writer re-renders every file.
EXPORT_FORMAT = f"4/{__version__}"
# Hex digits of the entry's content hash written into each file (X-Bpod-English): enough to
# tell one version of an entry's English from another.
ENGLISH_HASH_LENGTH = 16


@dataclass(frozen=True)
class Annotation:
    """Glossary hints for a unit's English, and ``key``: what they were computed from (a changed
    termbase must re-export every file)."""

    hints: Callable[[str], list[str]]
    key: str


@dataclass
class ExportReport:
    locale: str
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    rendered: int = 0  # files rendered (written or found identical); the rest were known unchanged
    # Changed since export wrote them and not imported: left as they are (a translator's work).
    blocked: list[Path] = field(default_factory=list)
    # With force: (file, its copy) saved before the file was written over.
    backups: list[tuple[Path, Path]] = field(default_factory=list)
    backup_folder: Path | None = None

    @property
    def files(self) -> list[Path]:
        return sorted(self.written + self.unchanged)


class _Row(NamedTuple):
    """One active unit and its translation in the locale (None: untranslated), as columns:
    loading 60 000 ORM objects costs more than writing the files, and a tuple is what travels
    to a worker process fastest."""

    unit_id: int
    uid: str
    field: str
    position: int
    source: str
    state: State
    text: str
    origin: str | None
    note: str | None
    author: str | None  # how a PO header names the author: "Name <e-mail>" for a person
    updated_at: dt.datetime | None
    previous_source: str | None
    notes: tuple[str, ...] = ()
    markup: dict | None = None  # the unit's links and note (Unit.markup)


@dataclass(frozen=True)
class _EntryFacts:
    """What an entry's file is made of, from aggregate columns only."""

    id: int
    slug: str
    date: dt.date | None
    title: str
    updated_at: dt.datetime
    source_hash: str
    revision: int  # last history event of the entry's translations in the locale (0: none)
    revised_at: dt.datetime | None


def export(
    project: Project,
    locale: str,
    *,
    slugs: Sequence[str] | None = None,
    annotation: Annotation | None = None,
    force: bool = False,
    progress: ProgressHook | None = None,
) -> ExportReport:
    """Write the locale's PO files. A file changed on disk since export wrote it, and not
    imported since, is left alone and listed in ``blocked``; ``force`` copies it to a backup
    folder (``report.backups``) and writes over it."""
    locale = project.config.require_locale(locale)
    progress = progress or NoProgress()
    report = ExportReport(locale)
    forms = plural_forms(locale, project.config.plural_forms)
    settings_key = "\0".join((EXPORT_FORMAT, locale, forms, annotation.key if annotation else "-"))
    manifest = Manifest.load(manifest_path(project.root, locale))
    locales_dir = project.config.locales_path
    folder = backup_folder(project.root, utcnow()) if force else None
    rendering = _Rendering(locale, forms, annotation, folder, project.root)
    written: bases.Snapshot = {}
    try:
        with project.store.transaction(write=False) as session:
            todo: dict[int, tuple[_EntryFacts, Path, str]] = {}
            for entry in _entry_facts(session, locale, slugs):
                path = po_path(locales_dir, locale, entry.slug, entry.date)
                fingerprint = _fingerprint(settings_key, entry)
                if manifest.unchanged(path, fingerprint):
                    report.unchanged.append(path)
                else:
                    todo[entry.id] = (entry, path, fingerprint)
            by_path = {path: (entry, fingerprint) for entry, path, fingerprint in todo.values()}
            progress.start(len(todo), f"Exporting {locale}")
            # The units are read as the first files are already being rendered (the query streams).
            jobs = _jobs(session, locale, todo, manifest)
            for result in _write_files(rendering, jobs, len(todo), progress):
                entry, fingerprint = by_path[result.path]
                report.rendered += 1
                if result.status == "blocked":
                    report.blocked.append(result.path)
                    continue
                (report.written if result.status == "written" else report.unchanged).append(result.path)
                if result.backup is not None:
                    report.backups.append((result.path, result.backup))
                    report.backup_folder = folder
                manifest.record(result.path, fingerprint, result.digest)
                written[entry.id] = {unit_id: Version.exported(text, fuzzy) for unit_id, text, fuzzy in result.units}
    finally:
        manifest.save()  # files written before an error or Ctrl-C are known next time
        if written:
            # What the files hold now: the bases import merges against.
            with project.store.transaction() as session:
                bases.record(
                    session,
                    checkout=bases.checkout_id(project.root),
                    locale=locale,
                    kind="export",
                    actor=project.config.user,
                    files=written,
                )
    return report


def _fingerprint(settings_key: str, entry: _EntryFacts) -> str:
    parts = (
        settings_key,
        entry.slug,
        entry.source_hash,
        entry.updated_at.isoformat(),
        str(entry.revision),
        entry.revised_at.isoformat() if entry.revised_at else "",
    )
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


def _entry_facts(session: Session, locale: str, slugs: Sequence[str] | None) -> list[_EntryFacts]:
    query = (
        select(Entry.id, Entry.slug, Entry.date, Entry.title, Entry.updated_at, Entry.source_hash)
        .where(Entry.in_use())  # a retired entry has no PO files
        .order_by(Entry.slug)
    )
    if slugs:
        query = query.where(Entry.slug.in_(slugs))
    entries = session.execute(query).all()
    if slugs:
        missing = sorted(set(slugs) - {row.slug for row in entries})
        if missing:
            raise unknown_entries(session, missing)
    revisions = _revisions(session, locale)
    return [
        _EntryFacts(
            row.id, row.slug, row.date, row.title, row.updated_at, row.source_hash, *revisions.get(row.id, (0, None))
        )
        for row in entries
    ]


def _jobs(
    session: Session, locale: str, todo: dict[int, tuple[_EntryFacts, Path, str]], manifest: Manifest
) -> Iterator[_Job]:
    """A job per file to render, as soon as its entry's units are read."""
    done: set[int] = set()
    for entry_id, rows in _rows(session, locale, list(todo)):
        entry, path, _ = todo[entry_id]
        done.add(entry_id)
        yield _Job(path, entry, rows, manifest.files.get(str(path)))
    for entry_id, (entry, path, _) in todo.items():
        if entry_id not in done:  # no active unit: a header-only file
            yield _Job(path, entry, [], manifest.files.get(str(path)))


def _rows(session: Session, locale: str, entry_ids: list[int]) -> Iterator[tuple[int, list[_Row]]]:
    """Each entry's rows, entry after entry (in the order of their ids) as the query streams."""
    query = (
        select(
            Unit.entry_id,
            Unit.id,
            Unit.uid,
            Unit.field,
            Unit.position,
            Unit.source,
            Translation.state,
            Translation.text,
            Translation.origin,
            Translation.note,
            Translation.author,
            Person.name,
            Person.email,
            Translation.updated_at,
            Translation.previous_source,
            Unit.markup,
        )
        .outerjoin(Translation, (Translation.unit_id == Unit.id) & (Translation.locale == locale))
        .outerjoin(Person, Person.id == Translation.author_id)
        .where(Unit.active.is_(True))
        .order_by(Unit.entry_id)
        .execution_options(yield_per=2000)
    )
    # A few files: ask for their units; most of the archive: one scan beats thousands of ids.
    few = len(entry_ids) < 2000
    selected = [query.where(Unit.entry_id.in_(chunk)) for chunk in chunks(sorted(entry_ids))] if few else [query]
    wanted = set(entry_ids)
    notes = notes_for(session, locale, _unit_ids(session, entry_ids) if few else None)
    current = -1  # the entry whose rows are being gathered
    rows: list[_Row] = []
    for statement in selected:
        for (
            entry_id,
            unit_id,
            uid,
            field_id,
            position,
            source,
            state,
            text,
            origin,
            note,
            author,
            name,
            email,
            updated_at,
            previous,
            markup,
        ) in session.execute(statement):
            if entry_id != current:
                if rows:
                    yield current, rows
                current, rows = entry_id, []
            if entry_id in wanted:
                rows.append(
                    _Row(
                        unit_id,
                        uid,
                        field_id,
                        position,
                        source,
                        State(state or State.UNTRANSLATED),
                        text or "",
                        origin,
                        note,
                        f"{name} <{email}>" if name and email else name or author,
                        updated_at,
                        previous,
                        tuple(str(n) for n in notes.get(unit_id, ())),
                        markup,
                    )
                )
    if rows:
        yield current, rows


def _unit_ids(session: Session, entry_ids: list[int]) -> list[int]:
    ids: list[int] = []
    for chunk in chunks(entry_ids):
        ids += session.scalars(select(Unit.id).where(Unit.entry_id.in_(chunk), Unit.active.is_(True)))
    return ids


def _revisions(session: Session, locale: str) -> dict[int, tuple[int, dt.datetime | None]]:
    """Per entry: the last history event of this locale (its id and time)."""
    query = (
        select(Unit.entry_id, func.max(Event.id), func.max(Event.at))
        .join(Translation, Translation.unit_id == Unit.id)
        .join(Event, Event.translation_id == Translation.id)
        .where(Translation.locale == locale)
        .group_by(Unit.entry_id)
    )
    return {entry_id: (revision, at) for entry_id, revision, at in session.execute(query)}


# ---------------------------------------------------------------- rendering


@dataclass(frozen=True)
class _Rendering:
    """What rendering every file of a run needs (the same for all: a worker receives it once)."""

    locale: str
    plural_forms: str
    annotation: Annotation | None
    backup_folder: Path | None  # set with force: where a changed file is saved first
    root: Path


@dataclass(frozen=True)
class _Job:
    """One file to render, and what is needed to judge the file on disk (plain data: a
    worker process receives it)."""

    path: Path
    entry: _EntryFacts
    rows: list[_Row]
    record: list[Any] | None  # the manifest's record of the file


@dataclass(frozen=True)
class _Result:
    path: Path
    status: str  # "written", "same" (already these bytes) or "blocked" (a translator's work)
    digest: str = ""
    backup: Path | None = None
    units: list[tuple[int, str, bool]] = field(default_factory=list)  # each unit's text and fuzzy flag


@gc_paused()  # a catalog holds no reference cycles: reference counting frees it all
def _write_one(rendering: _Rendering, job: _Job) -> _Result:
    rows = sorted(job.rows, key=lambda row: (field_sort_key(row.field), row.position))
    catalog = build_unit_catalog(
        **_catalog_args(job.entry, rows, rendering.locale, rendering.plural_forms, rendering.annotation)
    )
    data = render_po(catalog).encode("utf-8")
    digest = sha256(data)
    units = [(row.unit_id, row.text, row.state.is_fuzzy) for row in rows]
    try:
        current = job.path.read_bytes()
    except FileNotFoundError:
        current = None
    if current == data:
        return _Result(job.path, "same", digest, units=units)
    backup = None
    known = Manifest(job.path, {str(job.path): job.record} if job.record is not None else {})
    if current is not None and not known.safe_to_replace(job.path, current):
        if rendering.backup_folder is None:
            return _Result(job.path, "blocked")
        backup = back_up(rendering.root, rendering.backup_folder, job.path)
    write_atomic(job.path, data)
    return _Result(job.path, "written", digest, backup, units)


def _write_files(rendering: _Rendering, jobs: Iterable[_Job], count: int, progress: ProgressHook) -> Iterator[_Result]:
    """Building and rendering the catalogs (glossary hints, wrapping every line) is the slow
    part: spread it over the cores when there is enough of it to pay for the worker processes."""
    yield from map_in_workers(
        _write_one, rendering, jobs, progress=progress, count=count, chunksize=64, parallel_from=PARALLEL_FROM
    )


def _catalog_args(
    entry: _EntryFacts, rows: list[_Row], locale: str, forms: str, annotation: Annotation | None
) -> dict[str, Any]:
    """Everything build_unit_catalog needs for one entry's file."""
    messages: list[PoMessage] = []
    translators: dict[str, dt.datetime] = {}
    heading = _heading(entry)
    for row in rows:
        comments = [_where(heading, row)]
        if row.markup:
            # Read-only context: where each link goes (the address is not the translator's to
            # change: it stays in the project), and why a unit holds two sentences.
            comments += [f"<a{n}> links to {href}" for n, href in enumerate(row.markup.get("links") or [], 1)]
            if row.markup.get("note"):
                comments.append(str(row.markup["note"]))
        if row.note:
            comments.append(row.note)
        if row.origin and row.origin.startswith("machine") and not row.note:
            comments.append(f"{row.origin} (unreviewed machine translation)")
        if row.state is State.NEEDS_WORK and not any(n.startswith("reviewer ") for n in row.notes):
            comments.append(f"needs work: see `bpod-i18n history {row.uid}`")
        if annotation is not None:
            comments.extend(annotation.hints(plain_text(row.source)))  # terms across tags match too
        if row.author and row.state in (State.TRANSLATED, State.REVIEWED):
            at = row.updated_at or dt.datetime.min
            translators[row.author] = max(at, translators.get(row.author, at))
        messages.append(
            unit_message(
                uid=row.uid,
                source=row.source,
                target=row.text,
                fuzzy=row.state.is_fuzzy,
                previous_source=row.previous_source if row.state is State.STALE else None,
                reference=f"{entry.slug}/{row.field}:{row.position}",
                comments=comments,
                notes=row.notes,
            )
        )
    if entry.slug == SITE_SLUG:
        description = f"BPoD site strings, {locale}."
    else:
        description = f"BPoD entry “{entry.title}” ({entry.date.isoformat() if entry.date else ''}), {locale}."
    return {
        "locale": locale,
        "slug": entry.slug,
        "description": description,
        "plural_forms": forms,
        "created": entry.updated_at,
        "revised": entry.revised_at,
        "revision": entry.revision,
        "last_translator": _last_translator(translators),
        "messages": messages,
        "english": entry.source_hash[:ENGLISH_HASH_LENGTH] or None,
    }


def _last_translator(translators: dict[str, dt.datetime]) -> str | None:
    """One person, as a PO header names one: whoever wrote the newest of the file's finished
    texts (import reads the header back as the file's translator, one person per header).
    Names from history that combine several people are left out."""
    single = {name: at for name, at in translators.items() if len(read_addresses(name).emails) <= 1}
    if not single:
        return None
    return max(single, key=lambda name: (single[name], name))


def _heading(entry: _EntryFacts) -> str | None:
    """ "Title · 22 July 2016", the start of every unit's location comment; None for the site."""
    if entry.slug == SITE_SLUG:
        return None
    date = format_date(entry.date, "d MMMM y", locale="en") if entry.date else ""
    return f"{entry.title} · {date}"


def _where(heading: str | None, row: _Row) -> str:
    kind, _, number = row.field.partition(".")
    if heading is None:
        return f"site string: {row.field}" + (f", sentence {row.position}" if row.position > 1 else "")
    place = {"body": "paragraph", "notice": "notice", "credit": "image credit"}.get(kind, kind)
    where = f"{place} {number}" if number else place
    if kind in ("body", "notice", "standfirst"):
        where += f", sentence {row.position}"
    return f"{heading} · {where}"

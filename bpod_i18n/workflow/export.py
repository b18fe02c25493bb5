"""Export: one PO per entry per locale, plus the site catalog; only what changed is rendered.

Each file's inputs are summed up in a fingerprint read from a few aggregate columns (the
entry's content hash and last change, the last history event of its translations, the
glossary, the Plural-Forms, the tool version). The export manifest in ``.bpod-i18n/`` keeps,
per file, the fingerprint it was written from and the file's size and mtime right after
writing (git's index trick): a file whose fingerprint and stat are unchanged is not read,
queried or rendered again. After 4 % of an archive's paragraphs change, a re-export renders
4 % of the files.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import multiprocessing
import os
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel.dates import format_date
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bpod_i18n import __version__
from bpod_i18n.atomic import write_atomic, write_if_changed
from bpod_i18n.config import STATE_DIR
from bpod_i18n.markup import plain as plain_text
from bpod_i18n.model import SITE_SLUG, State, field_sort_key
from bpod_i18n.po import PoMessage, build_unit_catalog, plural_forms, po_path, render_po, unit_message
from bpod_i18n.store.batching import chunks
from bpod_i18n.store.models import Entry, Event, Translation, Unit
from bpod_i18n.workflow.entries import unknown_entries
from bpod_i18n.workflow.project import NoProgress, ProgressHook, Project

# Below this many files, worker processes cost more than they save.
PARALLEL_FROM = 400
# Part of every fingerprint: a change of the PO layout or of its writer re-renders every file.
EXPORT_FORMAT = f"3/{__version__}"
MANIFEST_DIR = "export"
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

    @property
    def files(self) -> list[Path]:
        return sorted(self.written + self.unchanged)


@dataclass(frozen=True)
class _Row:
    """One active unit and its translation in the locale (None: untranslated), as columns:
    loading 60 000 ORM objects costs more than writing the files."""

    uid: str
    field: str
    position: int
    source: str
    state: State
    text: str
    origin: str | None
    note: str | None
    author: str | None
    previous_source: str | None
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
    progress: ProgressHook | None = None,
) -> ExportReport:
    locale = project.config.require_locale(locale)
    progress = progress or NoProgress()
    report = ExportReport(locale)
    forms = plural_forms(locale, project.config.plural_forms)
    settings_key = "\0".join((EXPORT_FORMAT, locale, forms, annotation.key if annotation else "-"))
    manifest = _Manifest.load(_manifest_path(project, locale))
    locales_dir = project.config.locales_path
    with project.store.transaction(write=False) as session:
        facts = _entry_facts(session, locale, slugs)
        todo: list[tuple[_EntryFacts, Path, str]] = []
        for entry in facts:
            path = po_path(locales_dir, locale, entry.slug, entry.date)
            fingerprint = _fingerprint(settings_key, entry)
            if manifest.unchanged(path, fingerprint):
                report.unchanged.append(path)
            else:
                todo.append((entry, path, fingerprint))
        rows = _rows(session, locale, [entry.id for entry, _, _ in todo]) if todo else {}
    jobs = [(path, _catalog_args(entry, rows.get(entry.id, []), locale, forms, annotation)) for entry, path, _ in todo]
    fingerprints = {path: fingerprint for _, path, fingerprint in todo}
    progress.start(len(jobs), f"Exporting {locale}")
    try:
        for path, written in _write_files(jobs, progress):
            (report.written if written else report.unchanged).append(path)
            manifest.record(path, fingerprints[path])
            report.rendered += 1
    finally:
        manifest.save()  # files written before an error or Ctrl-C are known next time
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


def _rows(session: Session, locale: str, entry_ids: list[int]) -> dict[int, list[_Row]]:
    query = (
        select(
            Unit.entry_id,
            Unit.uid,
            Unit.field,
            Unit.position,
            Unit.source,
            Translation.state,
            Translation.text,
            Translation.origin,
            Translation.note,
            Translation.author,
            Translation.previous_source,
            Unit.markup,
        )
        .outerjoin(Translation, (Translation.unit_id == Unit.id) & (Translation.locale == locale))
        .where(Unit.active.is_(True))
    )
    # A few files: ask for their units; most of the archive: one scan beats thousands of ids.
    selected = (
        [query.where(Unit.entry_id.in_(chunk)) for chunk in chunks(entry_ids)] if len(entry_ids) < 2000 else [query]
    )
    wanted = set(entry_ids)
    rows: dict[int, list[_Row]] = defaultdict(list)
    for statement in selected:
        for (
            entry_id,
            uid,
            field_id,
            position,
            source,
            state,
            text,
            origin,
            note,
            author,
            previous,
            markup,
        ) in session.execute(statement):
            if entry_id in wanted:
                rows[entry_id].append(
                    _Row(
                        uid,
                        field_id,
                        position,
                        source,
                        State(state or State.UNTRANSLATED),
                        text or "",
                        origin,
                        note,
                        author,
                        previous,
                        markup,
                    )
                )
    for entry_rows in rows.values():
        entry_rows.sort(key=lambda row: (field_sort_key(row.field), row.position))
    return rows


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


def _write_one(job: tuple[Path, dict[str, Any]]) -> tuple[Path, bool]:
    path, catalog_args = job
    return path, write_if_changed(path, render_po(build_unit_catalog(**catalog_args)).encode("utf-8"))


def _write_files(jobs: list[tuple[Path, dict[str, Any]]], progress: ProgressHook) -> Iterator[tuple[Path, bool]]:
    """Rendering PO text (wrapping every line) is the slow part: spread it over the cores
    when there is enough of it to pay for the worker processes."""
    if len(jobs) < PARALLEL_FROM or (os.cpu_count() or 1) < 2:
        for job in jobs:
            yield _write_one(job)
            progress.advance()
        return
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    with ProcessPoolExecutor(max_workers=min(4, os.cpu_count() or 2), mp_context=context) as pool:
        for result in pool.map(_write_one, jobs, chunksize=64):
            yield result
            progress.advance()


def _catalog_args(
    entry: _EntryFacts, rows: list[_Row], locale: str, forms: str, annotation: Annotation | None
) -> dict[str, Any]:
    """Everything build_unit_catalog needs, as plain data a worker process can receive."""
    messages: list[PoMessage] = []
    translators = set()
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
        if row.state is State.NEEDS_WORK:
            comments.append(f"needs work: see `bpod-i18n history {row.uid}`")
        if annotation is not None:
            comments.extend(annotation.hints(plain_text(row.source)))  # terms across tags match too
        if row.author and row.state in (State.TRANSLATED, State.REVIEWED):
            translators.add(row.author)
        messages.append(
            unit_message(
                uid=row.uid,
                source=row.source,
                target=row.text,
                fuzzy=row.state.is_fuzzy,
                previous_source=row.previous_source if row.state is State.STALE else None,
                reference=f"{entry.slug}/{row.field}:{row.position}",
                comments=comments,
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
        "last_translator": ", ".join(sorted(translators)) or None,
        "messages": messages,
        "english": entry.source_hash[:ENGLISH_HASH_LENGTH] or None,
    }


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


# ---------------------------------------------------------------- the export manifest


def _manifest_path(project: Project, locale: str) -> Path:
    return project.root / STATE_DIR / MANIFEST_DIR / f"{locale}.json"


@dataclass
class _Manifest:
    """Per exported file (absolute path): [fingerprint, size, mtime_ns] right after writing."""

    path: Path
    files: dict[str, list[Any]]
    changed: bool = False

    @classmethod
    def load(cls, path: Path) -> _Manifest:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            files = data["files"] if data.get("format") == EXPORT_FORMAT else {}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            files = {}  # no manifest, or a damaged one: every file is rendered and compared
        return cls(path, files if isinstance(files, dict) else {})

    def unchanged(self, path: Path, fingerprint: str) -> bool:
        record = self.files.get(str(path))
        if not isinstance(record, list) or len(record) != 3 or record[0] != fingerprint:
            return False
        try:
            stat = path.stat()
        except OSError:
            return False
        return [stat.st_size, stat.st_mtime_ns] == record[1:]

    def record(self, path: Path, fingerprint: str) -> None:
        stat = path.stat()
        entry = [fingerprint, stat.st_size, stat.st_mtime_ns]
        if self.files.get(str(path)) != entry:
            self.files[str(path)] = entry
            self.changed = True

    def save(self) -> None:
        if self.changed:
            data = json.dumps({"format": EXPORT_FORMAT, "files": self.files}, sort_keys=True)
            write_atomic(self.path, data.encode("utf-8"))
            self.changed = False

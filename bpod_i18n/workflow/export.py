"""Export: one PO per entry per locale, plus the site catalog, written only when changed."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from babel.dates import format_date
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bpod_i18n.atomic import write_if_changed
from bpod_i18n.catalog import ExportUnit, build_po, render_po
from bpod_i18n.errors import NotFoundError
from bpod_i18n.model import SITE_SLUG, State, field_sort_key
from bpod_i18n.store.models import Entry, Event, Translation, Unit
from bpod_i18n.workflow.project import NoProgress, ProgressHook, Project

# Given a unit's English, the extracted-comment lines of its glossary hits.
Annotator = Callable[[str], list[str]]
# Below this many files, worker processes cost more than they save.
PARALLEL_FROM = 400


@dataclass
class ExportReport:
    locale: str
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)

    @property
    def files(self) -> list[Path]:
        return sorted(self.written + self.unchanged)


def po_path(locales_dir: Path, locale: str, slug: str, date: dt.date | None) -> Path:
    if slug == SITE_SLUG or date is None:
        return locales_dir / locale / "site.po"
    return locales_dir / locale / f"{date.year:04d}" / f"{slug}.po"


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


def export(
    project: Project,
    locale: str,
    *,
    slugs: Sequence[str] | None = None,
    annotate: Annotator | None = None,
    progress: ProgressHook | None = None,
) -> ExportReport:
    locale = project.config.require_locale(locale)
    progress = progress or NoProgress()
    report = ExportReport(locale)
    with project.store.transaction(write=False) as session:
        entries = _entries(session, slugs)
        rows = _rows(session, locale, [entry.id for entry in entries])
        revisions = _revisions(session, locale)
        jobs = [
            (
                po_path(project.config.locales_path, locale, entry.slug, entry.date),
                _build_args(entry, rows.get(entry.id, []), locale, revisions.get(entry.id, (0, None)), annotate),
            )
            for entry in entries
        ]
    progress.start(len(jobs), f"Exporting {locale}")
    for path, written in _write_files(jobs, progress):
        (report.written if written else report.unchanged).append(path)
    return report


def _entries(session: Session, slugs: Sequence[str] | None) -> list[Entry]:
    query = select(Entry).order_by(Entry.slug)
    if slugs:
        query = query.where(Entry.slug.in_(slugs))
    entries = list(session.scalars(query))
    if slugs:
        missing = sorted(set(slugs) - {entry.slug for entry in entries})
        if missing:
            raise NotFoundError(f"no such entry: {', '.join(missing)} (see `bpod-i18n entries`)")
    return entries


def _rows(session: Session, locale: str, entry_ids: list[int]) -> dict[int, list[_Row]]:
    query = (
        select(
            Unit.entry_id, Unit.uid, Unit.field, Unit.position, Unit.source, Translation.state, Translation.text,
            Translation.origin, Translation.note, Translation.author, Translation.previous_source,
        )
        .outerjoin(Translation, (Translation.unit_id == Unit.id) & (Translation.locale == locale))
        .where(Unit.active.is_(True))
    )
    if len(entry_ids) < 500:
        query = query.where(Unit.entry_id.in_(entry_ids))
    rows: dict[int, list[_Row]] = defaultdict(list)
    for entry_id, uid, field_id, position, source, state, text, origin, note, author, previous in session.execute(query):
        rows[entry_id].append(
            _Row(uid, field_id, position, source, State(state or State.UNTRANSLATED), text or "", origin, note,
                 author, previous)
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


def _write_one(job: tuple[Path, dict]) -> tuple[Path, bool]:
    path, build_args = job
    return path, write_if_changed(path, render_po(build_po(**build_args)).encode("utf-8"))


def _write_files(jobs: list[tuple[Path, dict]], progress: ProgressHook) -> Iterator[tuple[Path, bool]]:
    """Serialising PO text (polib wraps every line) is the slow part: spread it over the
    cores when there is enough of it to pay for the worker processes."""
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


def _build_args(
    entry: Entry,
    rows: list[_Row],
    locale: str,
    revision: tuple[int, dt.datetime | None],
    annotate: Annotator | None,
) -> dict:
    """Everything build_po needs, as plain data a worker process can receive."""
    units = []
    translators = set()
    heading = _heading(entry)
    for row in rows:
        comments = [_where(heading, row)]
        if row.note:
            comments.append(row.note)
        if row.origin and row.origin.startswith("machine") and not row.note:
            comments.append(f"{row.origin} (unreviewed machine translation)")
        if row.state is State.NEEDS_WORK:
            comments.append(f"needs work: see `bpod-i18n history {row.uid}`")
        if annotate is not None:
            comments.extend(annotate(row.source))
        if row.author and row.state in (State.TRANSLATED, State.REVIEWED):
            translators.add(row.author)
        units.append(
            ExportUnit(
                uid=row.uid,
                source=row.source,
                target=row.text,
                fuzzy=row.state.is_fuzzy,
                previous_source=row.previous_source if row.state is State.STALE else None,
                occurrence=(f"{entry.slug}/{row.field}", str(row.position)),
                comments=comments,
            )
        )
    if entry.slug == SITE_SLUG:
        description = f"BPoD site strings, {locale}."
    else:
        description = f"BPoD entry “{entry.title}” ({entry.date.isoformat() if entry.date else ''}), {locale}."
    return dict(
        locale=locale,
        slug=entry.slug,
        description=description,
        units=units,
        created=entry.updated_at,
        revised=revision[1],
        revision=revision[0],
        last_translator=", ".join(sorted(translators)) or None,
    )


def _heading(entry: Entry) -> str | None:
    """"Title · 22 July 2016", the start of every unit's location comment; None for the site."""
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

"""Export: one PO per entry per locale, plus the site catalog, written only when changed."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from babel.dates import format_date
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bpod_i18n.catalog import ExportUnit, build_po, render_po, write_atomic
from bpod_i18n.errors import NotFoundError
from bpod_i18n.model import State, field_sort_key
from bpod_i18n.store.models import Entry, Event, Translation, Unit
from bpod_i18n.workflow.ingest import SITE_SLUG
from bpod_i18n.workflow.project import NoProgress, ProgressHook, Project

# Given a unit's English, the extracted-comment lines of its glossary hits.
Annotator = Callable[[str], list[str]]


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


@dataclass
class _Row:
    unit: Unit
    translation: Translation | None


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
        progress.start(len(entries), f"Exporting {locale}")
        for entry in entries:
            path = po_path(project.config.locales_path, locale, entry.slug, entry.date)
            po = _build(entry, rows.get(entry.id, []), locale, revisions.get(entry.id, (0, None)), annotate)
            (report.written if write_atomic(path, render_po(po)) else report.unchanged).append(path)
            progress.advance()
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
        select(Unit, Translation)
        .outerjoin(Translation, (Translation.unit_id == Unit.id) & (Translation.locale == locale))
        .where(Unit.active.is_(True))
    )
    if len(entry_ids) < 500:
        query = query.where(Unit.entry_id.in_(entry_ids))
    rows: dict[int, list[_Row]] = defaultdict(list)
    for unit, translation in session.execute(query):
        rows[unit.entry_id].append(_Row(unit, translation))
    for entry_rows in rows.values():
        entry_rows.sort(key=lambda row: (field_sort_key(row.unit.field), row.unit.position))
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


def _build(
    entry: Entry,
    rows: list[_Row],
    locale: str,
    revision: tuple[int, dt.datetime | None],
    annotate: Annotator | None,
) -> object:
    units = []
    translators = set()
    for row in rows:
        unit, translation = row.unit, row.translation
        state = State(translation.state) if translation else State.UNTRANSLATED
        comments = [_where(entry, unit)]
        if translation is not None and translation.note:
            comments.append(translation.note)
        if translation is not None and translation.origin and translation.origin.startswith("machine"):
            comments.append(f"{translation.origin} (unreviewed machine translation)")
        if state is State.NEEDS_WORK:
            comments.append("needs work: see `bpod-i18n history " + unit.uid + "`")
        if annotate is not None:
            comments.extend(annotate(unit.source))
        if translation is not None and translation.author and state in (State.TRANSLATED, State.REVIEWED):
            translators.add(translation.author)
        units.append(
            ExportUnit(
                uid=unit.uid,
                source=unit.source,
                target=translation.text if translation else "",
                fuzzy=state.is_fuzzy,
                previous_source=translation.previous_source if translation and state is State.STALE else None,
                occurrence=(f"{entry.slug}/{unit.field}", str(unit.position)),
                comments=comments,
            )
        )
    if entry.slug == SITE_SLUG:
        description = f"BPoD site strings, {locale}."
    else:
        description = f"BPoD entry “{entry.title}” ({entry.date.isoformat() if entry.date else ''}), {locale}."
    return build_po(
        locale=locale,
        slug=entry.slug,
        description=description,
        units=units,
        created=entry.updated_at,
        revised=revision[1],
        revision=revision[0],
        last_translator=", ".join(sorted(translators)) or None,
    )


def _where(entry: Entry, unit: Unit) -> str:
    kind, _, number = unit.field.partition(".")
    if entry.slug == SITE_SLUG:
        return f"site string: {unit.field}" + (f", sentence {unit.position}" if unit.position > 1 else "")
    place = {"body": "paragraph", "notice": "notice", "credit": "image credit"}.get(kind, kind)
    where = f"{place} {number}" if number else place
    if kind in ("body", "notice", "standfirst"):
        where += f", sentence {unit.position}"
    date = format_date(entry.date, "d MMMM y", locale="en") if entry.date else ""
    return f"{entry.title} · {date} · {where}"

"""Ingest English entries: read, segment, and reconcile with what the database holds.

Re-ingesting an edited entry must keep every translation it can. Old and new units are
aligned in three passes: identical sentences (wherever they moved), then edited sentences
(the most similar leftover in the same field, like msgmerge's fuzzy match, but within one
entry so it is cheap and safe), then the rest: new sentences get new units, sentences that
disappeared are retired (inactive, kept with their history).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz
from sqlalchemy import insert, select
from sqlalchemy.orm import Session, selectinload

from bpod_i18n import states
from bpod_i18n.errors import ConflictError, InputError
from bpod_i18n.model import SITE_SLUG, SourceEntry, SourceUnit, State, field_kind
from bpod_i18n.segment import segment_fields
from bpod_i18n.sources import SITE_STRINGS, discover, read_entry
from bpod_i18n.states import Action
from bpod_i18n.store.batching import chunks
from bpod_i18n.store.changes import PlannedChange, apply_changes
from bpod_i18n.store.models import Entry, Translation, Unit, utcnow
from bpod_i18n.workflow.project import NoProgress, ProgressHook, Project

# Below this similarity an "edited" sentence is really a different one: retire + new.
EDIT_SIMILARITY = 55.0


@dataclass
class EntryChange:
    slug: str
    status: str  # new, updated, unchanged
    path: str | None
    units_added: int = 0
    units_edited: int = 0
    units_retired: int = 0
    units_kept: int = 0
    stale_translations: int = 0


@dataclass
class IngestReport:
    entries: list[EntryChange] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for change in self.entries if change.status == status)


def ingest(
    project: Project,
    paths: Sequence[Path],
    *,
    date: dt.date | None = None,
    title: str | None = None,
    actor: str | None = None,
    progress: ProgressHook | None = None,
) -> IngestReport:
    """Read every entry file under ``paths`` and store it; one transaction for all of them."""
    progress = progress or NoProgress()
    actor = actor or project.config.user
    files = discover(paths)
    # Parse everything first: a broken file stops the command before anything is written.
    progress.start(len(files), "Reading")
    parsed: list[SourceEntry] = []
    for path in files:
        parsed.append(read_entry(path, date=date, title=title))
        progress.advance()
    _refuse_duplicate_slugs(parsed)
    report = IngestReport()
    with project.store.transaction() as session:
        sync_site_catalog(session, actor=actor)
        known = dict(session.execute(select(Entry.slug, Entry.source_hash)).all())
        progress.start(len(parsed), "Storing")
        fresh: list[tuple[SourceEntry, str]] = []
        for source in parsed:
            digest = source.content_hash()
            if source.slug not in known:
                fresh.append((source, digest))
                continue
            if known[source.slug] == digest:
                report.entries.append(EntryChange(source.slug, "unchanged", source.source_path))
            else:
                report.entries.append(_store_entry(session, source, digest, actor))
            progress.advance()
        report.entries.extend(_insert_new(session, fresh, progress))
    return report


def _refuse_duplicate_slugs(parsed: Sequence[SourceEntry]) -> None:
    seen: dict[str, SourceEntry] = {}
    for source in parsed:
        first = seen.setdefault(source.slug, source)
        if first is not source:
            raise InputError(
                f"gives the same entry ({source.slug}) as {first.source_path}: ingest one of them",
                path=source.source_path,
            )


def _insert_new(
    session: Session, fresh: Sequence[tuple[SourceEntry, str]], progress: ProgressHook
) -> list[EntryChange]:
    """New entries in bulk (executemany): the ORM's per-object unit of work costs ~15 ms an
    entry, which is a minute for the archive."""
    if not fresh:
        return []
    now = utcnow()
    session.execute(
        insert(Entry),
        [
            {
                "slug": source.slug,
                "kind": "entry",
                **_entry_columns(source),
                "created_at": now,
                "updated_at": now,
                "source_hash": digest,
                "fields": source.to_dict(),
            }
            for source, digest in fresh
        ],
    )
    slugs = [source.slug for source, _ in fresh]
    ids: dict[str, int] = {}
    for chunk in chunks(slugs):
        ids.update(
            (slug, id_) for slug, id_ in session.execute(select(Entry.slug, Entry.id).where(Entry.slug.in_(chunk)))
        )
    unit_rows = []
    changes = []
    for source, _digest in fresh:
        taken: set[str] = set()
        units = segment_fields(source.fields())
        for unit in units:
            unit_rows.append(
                {
                    "uid": _new_uid(source.slug, unit.text, taken),
                    "entry_id": ids[source.slug],
                    "field": unit.field,
                    "position": unit.index,
                    "source": unit.text,
                    "trailing_text": unit.trailing,
                    "active": True,
                    "created_at": now,
                    "updated_at": now,
                }
            )
        changes.append(EntryChange(source.slug, "new", source.source_path, units_added=len(units)))
        progress.advance()
    if unit_rows:
        session.execute(insert(Unit), unit_rows)
    return changes


def sync_site_catalog(session: Session, *, actor: str) -> EntryChange:
    """The shared catalog of site strings is a pseudo-entry: same units, same workflow."""
    fields = [(string.key, string.text) for string in SITE_STRINGS]
    digest = hashlib.sha256(repr(fields).encode()).hexdigest()
    existing = session.scalar(select(Entry.source_hash).where(Entry.slug == SITE_SLUG))
    if existing == digest:
        return EntryChange(SITE_SLUG, "unchanged", None)
    units = segment_fields(fields)
    entry_fields = {"slug": SITE_SLUG, "strings": dict(fields)}
    return _reconcile(session, SITE_SLUG, units, digest, actor, kind="site", fields=entry_fields)


def _store_entry(session: Session, source: SourceEntry, digest: str, actor: str) -> EntryChange:
    units = segment_fields(source.fields())
    change = _reconcile(session, source.slug, units, digest, actor, kind="entry", fields=source.to_dict())
    change.path = source.source_path
    entry = session.scalar(select(Entry).where(Entry.slug == source.slug))
    assert entry is not None
    for column, value in _entry_columns(source).items():
        setattr(entry, column, value)
    return change


def _entry_columns(source: SourceEntry) -> dict:
    """The entry's own columns, the same for a new entry (bulk insert) and an edited one."""
    return {
        "date": source.date,
        "title": source.title,
        "label": source.label,
        "standfirst": source.standfirst,
        "author": source.author,
        "source_path": source.source_path,
        "source_format": source.source_format,
    }


def _reconcile(
    session: Session,
    slug: str,
    new_units: list[SourceUnit],
    digest: str,
    actor: str,
    *,
    kind: str,
    fields: dict,
) -> EntryChange:
    entry = session.scalar(
        select(Entry).where(Entry.slug == slug).options(selectinload(Entry.units).selectinload(Unit.translations))
    )
    now = utcnow()
    if entry is None:
        entry = Entry(slug=slug, kind=kind, title="", source_format="text", created_at=now)
        session.add(entry)
        status = "new"
        old_units: list[Unit] = []
    else:
        status = "updated"
        old_units = list(entry.units)
    entry.source_hash = digest
    entry.fields = fields
    entry.updated_at = now
    if kind == "site":
        entry.title = "Site strings"
    change = EntryChange(slug, status, None)
    pairs, added, retired = align(old_units, new_units)
    taken = {unit.uid for unit in old_units}
    planned: list[PlannedChange] = []
    touched: list[Translation] = []

    def plan(translation: Translation, action: Action, **extra: Any) -> None:
        touched.append(translation)
        planned.append(
            PlannedChange(
                translation.unit_id,
                translation.locale,
                states.plan(
                    State(translation.state),
                    action,
                    old_text=translation.text,
                    old_previous_source=translation.previous_source,
                    actor=actor,
                    at=now,
                    **extra,
                ),
                translation.id,
                translation.version,
            )
        )

    for old, new in pairs:
        _move(old, new, now)
        if old.source == new.text:
            change.units_kept += 1
            continue
        change.units_edited += 1
        for translation in old.translations:
            if translation.text:
                plan(
                    translation,
                    Action.SOURCE_CHANGED,
                    previous_source=old.source,
                    comment=f"English changed from: {old.source}",
                )
                change.stale_translations += 1
        old.source = new.text
    for new in added:
        unit = Unit(uid=_new_uid(slug, new.text, taken), source=new.text, created_at=now, entry=entry)
        _move(unit, new, now)
        session.add(unit)
        change.units_added += 1
    for old in retired:
        if not old.active:
            continue
        old.active = False
        old.updated_at = now
        change.units_retired += 1
        for translation in old.translations:
            plan(translation, Action.RETIRE, comment="English sentence removed")
    if apply_changes(session, planned).conflicts:
        raise ConflictError(
            f"translations of {slug} were changed by someone else during this ingest; nothing was stored: run it again"
        )
    for translation in touched:
        session.expire(translation)  # written without the ORM: its loaded columns are out of date
    return change


def _move(unit: Unit, new: SourceUnit, now: dt.datetime) -> None:
    if (unit.field, unit.position, unit.trailing_text, unit.active) != (new.field, new.index, new.trailing, True):
        unit.field, unit.position, unit.trailing_text, unit.active = new.field, new.index, new.trailing, True
        unit.updated_at = now


def align(
    old_units: Iterable[Unit], new_units: Sequence[SourceUnit]
) -> tuple[list[tuple[Unit, SourceUnit]], list[SourceUnit], list[Unit]]:
    """Pair old units with new ones: (kept or edited pairs, added, retired)."""
    active = [unit for unit in old_units if unit.active]
    inactive = [unit for unit in old_units if not unit.active]
    pairs: list[tuple[Unit, SourceUnit]] = []
    unmatched_new: list[SourceUnit] = []
    by_text: dict[str, list[Unit]] = defaultdict(list)
    for unit in active + inactive:  # a sentence that comes back revives its old unit
        by_text[unit.source].append(unit)
    used: set[int] = set()
    for new in new_units:
        candidates = [u for u in by_text.get(new.text, ()) if id(u) not in used]
        if not candidates:
            unmatched_new.append(new)
            continue
        best = min(candidates, key=lambda u: (not u.active, u.field != new.field, abs(u.position - new.index)))
        used.add(id(best))
        pairs.append((best, new))
    leftovers = [unit for unit in active if id(unit) not in used]
    scored = sorted(
        (
            (fuzz.ratio(old.source, new.text), -abs(old.position - new.index), i, j)
            for i, new in enumerate(unmatched_new)
            for j, old in enumerate(leftovers)
            if field_kind(old.field) == field_kind(new.field)
        ),
        reverse=True,
    )
    paired_new: set[int] = set()
    paired_old: set[int] = set()
    for score, _distance, i, j in scored:
        if score < EDIT_SIMILARITY:
            break
        if i in paired_new or j in paired_old:
            continue
        paired_new.add(i)
        paired_old.add(j)
        pairs.append((leftovers[j], unmatched_new[i]))
    added = [new for i, new in enumerate(unmatched_new) if i not in paired_new]
    retired = [old for j, old in enumerate(leftovers) if j not in paired_old]
    return pairs, added, retired


def _new_uid(slug: str, text: str, taken: set[str]) -> str:
    """Deterministic (same archive, same ids) yet unique within the entry."""
    n = 0
    while True:
        uid = hashlib.sha256(f"{slug}\x00{text}\x00{n}".encode()).hexdigest()[:12]
        if uid not in taken:
            taken.add(uid)
            return uid
        n += 1

"""Import translators' PO files back into the database.

All files are read and checked before anything is written; then one transaction applies
them. A unit whose English changed since the PO was exported, or whose translation someone
else changed since (history newer than the PO's ``X-Bpod-Revision``), is a conflict: it is
reported, nothing is stored for it, and the rest of the file is stored.

Writes are batched per locale (a few grouped reads, then executemany), because importing a
locale's 4 000 files one ORM flush at a time takes minutes. Every change still goes
through the state machine (:func:`states.plan`), and every update carries the version it
read: if another writer got there first, the whole import is refused.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bpod_i18n import states
from bpod_i18n.errors import ConflictError, InputError
from bpod_i18n.model import State
from bpod_i18n.po import PoMessage, UnitFile, read_unit_file
from bpod_i18n.store.batching import chunks
from bpod_i18n.store.changes import PlannedChange, apply_changes
from bpod_i18n.store.models import Entry, Event, Translation, Unit, utcnow
from bpod_i18n.workflow.project import NoProgress, ProgressHook, Project


@dataclass
class Conflict:
    path: str
    line: int
    slug: str
    uid: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: conflict on unit {self.uid} of {self.slug}: {self.reason}"


@dataclass
class ImportReport:
    files: int = 0
    translated: int = 0
    needs_work: int = 0
    unchanged: int = 0
    conflicts: list[Conflict] = field(default_factory=list)


@dataclass
class _UnitRow:
    id: int
    source: str
    active: bool


@dataclass
class _TranslationRow:
    id: int
    state: State
    text: str
    previous_source: str | None
    version: int
    updated_by: str | None
    updated_at: object


def import_files(
    project: Project,
    paths: Sequence[Path],
    *,
    actor: str | None = None,
    progress: ProgressHook | None = None,
) -> ImportReport:
    progress = progress or NoProgress()
    paths = list(dict.fromkeys(Path(p).resolve() for p in paths))  # a file named twice is read once
    progress.start(len(paths), "Reading")
    by_locale: dict[str, list[UnitFile]] = defaultdict(list)
    config = project.config
    limits = config.limits
    for path in paths:
        po = read_unit_file(
            path, locales_dir=config.locales_path, project_locales=config.locales, max_bytes=limits.po_file_size
        )
        for message in po.units:  # before anything is stored, like every other refusal of a file
            too_long = limits.check_translation(message.msgstr)
            if too_long is not None:
                raise InputError(too_long, path=path, line=message.line)
        by_locale[po.locale].append(po)
        progress.advance()
    report = ImportReport(files=len(paths))
    try:
        with project.store.transaction() as session:
            progress.start(len(paths), "Importing")
            for locale, catalogs in by_locale.items():
                _import_locale(session, catalogs, locale, actor, report)
                progress.advance(len(catalogs))
    except IntegrityError:
        raise ConflictError(
            "another import created the same translations at the same moment; nothing was stored: retry"
        ) from None
    return report


def _import_locale(
    session: Session, catalogs: list[UnitFile], locale: str, actor: str | None, report: ImportReport
) -> None:
    slugs = sorted({po.slug for po in catalogs})
    entry_ids: dict[str, int] = {}
    english: dict[str, str] = {}  # slug → the entry's content hash now
    for chunk in chunks(slugs):
        for slug, id_, source_hash, retired_at in session.execute(
            select(Entry.slug, Entry.id, Entry.source_hash, Entry.retired_at).where(Entry.slug.in_(chunk))
        ):
            if retired_at is not None:
                path = next(po.path for po in catalogs if po.slug == slug)
                raise InputError(
                    f"entry {slug} is retired (`bpod-i18n entries restore {slug}` brings it back); nothing was stored",
                    path=path,
                )
            entry_ids[slug] = id_
            english[slug] = source_hash or ""
    units: dict[tuple[int, str], _UnitRow] = {}
    translations: dict[int, _TranslationRow] = {}
    last_events: dict[int, int] = {}
    for id_chunk in chunks(list(entry_ids.values())):
        for unit_entry, uid, unit_id, source, active in session.execute(
            select(Unit.entry_id, Unit.uid, Unit.id, Unit.source, Unit.active).where(Unit.entry_id.in_(id_chunk))
        ):
            units[(unit_entry, uid)] = _UnitRow(unit_id, source, active)
        for row in session.execute(
            select(
                Translation.unit_id,
                Translation.id,
                Translation.state,
                Translation.text,
                Translation.previous_source,
                Translation.version,
                Translation.updated_by,
                Translation.updated_at,
            )
            .join(Unit, Unit.id == Translation.unit_id)
            .where(Unit.entry_id.in_(id_chunk), Translation.locale == locale)
        ):
            translations[row[0]] = _TranslationRow(row[1], State(row[2]), row[3], row[4], row[5], row[6], row[7])
        last_events.update(
            (unit_id, event_id)
            for unit_id, event_id in session.execute(
                select(Translation.unit_id, func.max(Event.id))
                .join(Event, Event.translation_id == Translation.id)
                .join(Unit, Unit.id == Translation.unit_id)
                .where(Unit.entry_id.in_(id_chunk), Translation.locale == locale)
                .group_by(Translation.unit_id)
            )
        )
    now = utcnow()
    planned: list[PlannedChange] = []
    for po in catalogs:
        slug = po.slug
        entry_id = entry_ids.get(slug)
        if entry_id is None:
            raise InputError(
                f"unknown entry {slug!r} (ingest it first, or is this PO from another project?)", path=po.path
            )
        who = actor or po.last_translator or "unknown"
        for po_unit in po.units:
            uid = po_unit.msgctxt or ""  # read_unit_file refuses a message without one
            unit = units.get((entry_id, uid))
            if unit is None:
                raise InputError(f"unknown unit {uid!r} for entry {slug}", path=po.path, line=po_unit.line)
            if not po_unit.msgstr.strip():
                report.unchanged += 1
                continue
            current = translations.get(unit.id)
            conflict = _conflict_reason(unit, current, po_unit, po, last_events.get(unit.id), english[slug])
            if conflict:
                report.conflicts.append(Conflict(str(po.path), po_unit.line, slug, uid, conflict))
                continue
            if _unchanged(current, po_unit):
                report.unchanged += 1
                continue
            action = states.Action.MARK_FUZZY if po_unit.fuzzy else states.Action.TRANSLATE
            change = states.plan(
                current.state if current else State.UNTRANSLATED,
                action,
                old_text=current.text if current else "",
                old_previous_source=current.previous_source if current else None,
                actor=who,
                text=po_unit.msgstr,
                origin="human",
                comment=f"imported from {po.path.name}",
                at=now,
            )
            if current is not None and current.id == -1:
                raise InputError(f"unit {uid} appears twice in this import", path=po.path, line=po_unit.line)
            planned.append(
                PlannedChange(
                    unit.id, locale, change, current.id if current else None, current.version if current else None
                )
            )
            # What a second copy of this unit in the import is compared with (id -1: planned here).
            translations[unit.id] = _TranslationRow(
                -1, State(change.values["state"]), po_unit.msgstr, None, 1, who, now
            )
            if action is states.Action.TRANSLATE:
                report.translated += 1
            else:
                report.needs_work += 1
    _write(session, planned)


def _write(session: Session, planned: list[PlannedChange]) -> None:
    """Store the locale's changes; a row another writer changed since it was read refuses the
    whole import (the transaction rolls back), so that no translation is overwritten unseen."""
    conflicts = apply_changes(session, planned).conflicts
    if any(c.translation_id is None for c in conflicts):
        raise ConflictError(
            "another import created the same translations at the same moment; nothing was stored: retry"
        )
    if conflicts:
        raise ConflictError(
            f"another import or review changed {len(conflicts)} of the same translations "
            "at the same moment; nothing was stored: export again and retry"
        )


def _conflict_reason(
    unit: _UnitRow,
    current: _TranslationRow | None,
    po_unit: PoMessage,
    po: UnitFile,
    last_event: int | None,
    english: str,
) -> str | None:
    if not unit.active:
        return "the English sentence was removed since this PO was exported"
    if po_unit.msgid != unit.source:
        return _msgid_differs(po, english)
    base = po.revision or 0
    if current is not None and last_event is not None and last_event > base and current.text != po_unit.msgstr:
        return (
            f"the translation was changed by {current.updated_by} on "
            f"{current.updated_at:%Y-%m-%d %H:%M} UTC, after this PO was exported"
        )
    return None


def _msgid_differs(po: UnitFile, english: str) -> str:
    """Why a msgid is not the unit's English: the English changed after the export, or someone
    edited the msgid. The file says which English it was made from (X-Bpod-English, the start of
    the entry's content hash): if that is still the entry's, the msgid was edited."""
    if po.english is None:  # exported before the header existed
        return (
            "the msgid is not the unit's English: the English changed since this PO was exported, "
            "or the msgid was edited (export again to get the current text)"
        )
    if english.startswith(po.english):
        return (
            "the msgid was edited in this file (it is not the English it was exported with); "
            "leave msgid as it is and write the translation in msgstr"
        )
    return "the English changed since this PO was exported (export again to get the new text)"


def _unchanged(current: _TranslationRow | None, po_unit: PoMessage) -> bool:
    if current is None or current.text != po_unit.msgstr:
        return False
    if po_unit.fuzzy:
        # Still fuzzy: a machine suggestion left alone or a unit still needing work.
        return current.state.is_fuzzy
    return current.state in (State.TRANSLATED, State.REVIEWED)

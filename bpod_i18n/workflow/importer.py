"""Import translators' PO files back into the database.

All files are read and checked before anything is written; then one transaction applies
them. A unit whose English changed since the PO was exported, or whose translation someone
else changed since (history newer than the PO's ``X-Bpod-Revision``), is a conflict: it is
reported, nothing is stored for it, and the rest of the file is stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from bpod_i18n.catalog import PoFile, PoUnit, read_po
from bpod_i18n.config import validate_locale
from bpod_i18n.errors import ConflictError, InputError
from bpod_i18n.model import State
from bpod_i18n.store.models import Entry, Event, Translation, Unit
from bpod_i18n.workflow import states
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
class _Change:
    po: PoFile
    unit: PoUnit
    action: states.Action


def import_files(
    project: Project,
    paths: Sequence[Path],
    *,
    actor: str | None = None,
    progress: ProgressHook | None = None,
) -> ImportReport:
    progress = progress or NoProgress()
    progress.start(len(paths), "Reading")
    catalogs: list[tuple[PoFile, str]] = []
    for path in paths:
        po = read_po(path)
        catalogs.append((po, _locale_of(po, project)))
        progress.advance()
    report = ImportReport(files=len(catalogs))
    try:
        with project.store.transaction() as session:
            progress.start(len(catalogs), "Importing")
            for po, locale in catalogs:
                _import_one(session, po, locale, actor, report)
                progress.advance()
            session.flush()
    except StaleDataError as exc:
        raise ConflictError(
            f"another import or review changed the same translations at the same moment ({exc}); "
            "nothing was stored: export again and retry"
        ) from None
    except IntegrityError:
        raise ConflictError(
            "another import created the same translations at the same moment; nothing was stored: retry"
        ) from None
    return report


def _locale_of(po: PoFile, project: Project) -> str:
    locales_dir = project.config.locales_path.resolve()
    from_path = None
    try:
        from_path = po.path.resolve().relative_to(locales_dir).parts[0]
    except ValueError:
        pass
    code = po.language or from_path
    if not code:
        raise InputError("no Language header and not under locales/<locale>/: which locale is this?", path=po.path)
    code = validate_locale(code, path=str(po.path))
    if from_path and from_path != code and from_path in project.config.locales:
        raise InputError(f"Language header says {code!r} but the file is under locales/{from_path}/", path=po.path)
    return project.config.require_locale(code, path=po.path)


def _import_one(session: Session, po: PoFile, locale: str, actor: str | None, report: ImportReport) -> None:
    slug = po.slug or po.path.stem
    entry = session.scalar(select(Entry).where(Entry.slug == slug))
    if entry is None:
        raise InputError(f"unknown entry {slug!r} (ingest it first, or is this PO from another project?)", path=po.path)
    units = {
        unit.uid: unit
        for unit in session.scalars(
            select(Unit).where(Unit.entry_id == entry.id).options(selectinload(Unit.translations))
        )
    }
    last_events = dict(
        session.execute(
            select(Translation.unit_id, func.max(Event.id))
            .join(Event, Event.translation_id == Translation.id)
            .join(Unit, Unit.id == Translation.unit_id)
            .where(Unit.entry_id == entry.id, Translation.locale == locale)
            .group_by(Translation.unit_id)
        ).all()
    )
    who = actor or po.last_translator or "unknown"
    for po_unit in po.units:
        if not po_unit.uid:
            raise InputError("entry without msgctxt: not a bpod-i18n unit", path=po.path, line=po_unit.line)
        unit = units.get(po_unit.uid)
        if unit is None:
            raise InputError(f"unknown unit {po_unit.uid!r} for entry {slug}", path=po.path, line=po_unit.line)
        if not po_unit.target.strip():
            report.unchanged += 1
            continue
        translation = states.get_or_create(session, unit, locale)
        conflict = _conflict_reason(unit, translation, po_unit, po, last_events.get(unit.id))
        if conflict:
            report.conflicts.append(Conflict(str(po.path), po_unit.line, slug, unit.uid, conflict))
            continue
        action = states.Action.MARK_FUZZY if po_unit.fuzzy else states.Action.TRANSLATE
        if _unchanged(translation, po_unit):
            report.unchanged += 1
            continue
        states.apply(session, translation, action, actor=who, text=po_unit.target, origin="human",
                     comment=f"imported from {po.path.name}")
        if action is states.Action.TRANSLATE:
            report.translated += 1
        else:
            report.needs_work += 1


def _conflict_reason(unit: Unit, translation: Translation, po_unit: PoUnit, po: PoFile, last_event: int | None) -> str | None:
    if not unit.active:
        return "the English sentence was removed since this PO was exported"
    if po_unit.source != unit.source:
        return "the English changed since this PO was exported (export again to get the new text)"
    base = po.revision or 0
    if last_event is not None and last_event > base and translation.text != po_unit.target:
        return (
            f"the translation was changed by {translation.updated_by} on "
            f"{translation.updated_at:%Y-%m-%d %H:%M} UTC, after this PO was exported"
        )
    return None


def _unchanged(translation: Translation, po_unit: PoUnit) -> bool:
    if translation.text != po_unit.target:
        return False
    state = State(translation.state)
    if po_unit.fuzzy:
        # Still fuzzy: a machine suggestion left alone or a unit still needing work.
        return state.is_fuzzy
    return state in (State.TRANSLATED, State.REVIEWED)

"""Import translators' PO files back into the database: a three-way merge, nothing lost.

All files are read and checked before anything is written; then one transaction applies
them. Each unit is merged against its base, the text the project wrote into that file (kept
in the database by export, ``workflow/bases.py``; never read from the file, so a forged
``X-Bpod-Revision`` changes nothing), with the rules of ``bpod_i18n/merge.py``:

* the translator left the unit as it was → nothing, whatever happened in the project since;
* the translator changed it and the project did not → stored;
* both changed it, or the English changed since the file was made → a conflict, reported
  with the three texts; the translator's text is kept as a suggestion beside the unit (shown
  in `review`, exported as a comment) and history records it.

An import is itself recorded as the file's new base, so importing a file, editing it again
and importing it again is never a conflict with oneself. A translator's own ``#`` comment is
recorded in history. Who translated a file is ``--by`` when given, else its ``Last-Translator``
(one person, by e-mail), else whoever imports it; in a closed project importing another
person's file takes an editor.

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

from sqlalchemy import Executable, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bpod_i18n import states
from bpod_i18n.errors import ConflictError, InputError
from bpod_i18n.merge import Outcome, Version, choose_base, merge
from bpod_i18n.model import State
from bpod_i18n.people import Actor, Team
from bpod_i18n.po import PoMessage, UnitFile, po_path, read_unit_file
from bpod_i18n.store.batching import chunks
from bpod_i18n.store.changes import PlannedChange, apply_changes
from bpod_i18n.store.models import Entry, Suggestion, Translation, Unit, utcnow
from bpod_i18n.workflow import bases
from bpod_i18n.workflow.export_manifest import Manifest, manifest_path
from bpod_i18n.workflow.notes import known_comments, new_comment
from bpod_i18n.workflow.people import load_team
from bpod_i18n.workflow.project import NoProgress, ProgressHook, Project


@dataclass
class Conflict:
    """A unit both the translator and the project changed: the three texts, and where the
    translator's text went (a suggestion beside the unit)."""

    path: str
    line: int
    slug: str
    uid: str
    reason: str
    base: str | None = None  # what the file held before the translator's edit (None: unknown)
    project: str = ""  # the project's text now
    translator: str = ""  # the translator's text, kept as a suggestion
    kept: str = "suggestion"

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: conflict on unit {self.uid} of {self.slug}: {self.reason}"


@dataclass
class ImportReport:
    files: int = 0
    translated: int = 0
    needs_work: int = 0
    unchanged: int = 0
    conflicts: list[Conflict] = field(default_factory=list)
    suggestions: int = 0  # translators' texts kept beside their units (one per conflict, new ones)
    comments: int = 0  # translators' comments recorded in history
    translators: dict[str, str] = field(default_factory=dict)  # file → who translated it


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
    author: str | None = None
    author_id: int | None = None

    @property
    def version_seen(self) -> Version:
        return Version.exported(self.text, self.state.is_fuzzy)


@dataclass
class _File:
    unit_file: UnitFile
    data: bytes  # the bytes read: what the manifest records as imported
    translator: Actor | None = None


def import_files(
    project: Project,
    paths: Sequence[Path],
    *,
    actor: str | None = None,
    progress: ProgressHook | None = None,
) -> ImportReport:
    """Import PO files. ``actor`` (``--by``) is who translated them, and imports them; without
    it, each file's ``Last-Translator`` is its translator, imported by ``BPOD_I18N_USER`` (or
    the login name), who needs the editor role for another person's file."""
    progress = progress or NoProgress()
    paths = list(dict.fromkeys(Path(p).resolve() for p in paths))  # a file named twice is read once
    progress.start(len(paths), "Reading")
    by_locale: dict[str, list[_File]] = defaultdict(list)
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
        try:
            data = path.read_bytes()  # what export may later write over (the manifest's record)
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror or exc}", path=path) from None
        by_locale[po.locale].append(_File(po, data))
        progress.advance()
    report = ImportReport(files=len(paths))
    checkout = bases.checkout_id(project.root)
    try:
        with project.store.transaction() as session:
            team = load_team(session, config)
            acting = team.actor(actor or config.user, option="--by" if actor else "BPOD_I18N_USER")
            for files in by_locale.values():
                for file in files:
                    po = file.unit_file
                    file.translator = (
                        acting
                        if actor
                        else team.translator(po.last_translator, path=str(po.path), line=po.header_line) or acting
                    )
            progress.start(len(paths), "Importing")
            for locale, files in by_locale.items():
                _Locale(session, locale, team, acting, checkout, report).run(files)
                progress.advance(len(files))
    except IntegrityError:
        raise ConflictError(
            "another import created the same translations at the same moment; nothing was stored: retry"
        ) from None
    _mark_imported(project, by_locale)
    return report


def _mark_imported(project: Project, by_locale: dict[str, list[_File]]) -> None:
    """Files imported at their place in ``locales/`` hold nothing the project lacks now:
    export may write over them (the manifest records the bytes imported)."""
    for locale, files in by_locale.items():
        manifest = Manifest.load(manifest_path(project.root, locale))
        for file in files:
            po = file.unit_file
            if po_path(project.config.locales_path, locale, po.slug, po.entry_date).resolve() == po.path.resolve():
                manifest.record_imported(po.path, file.data)
        manifest.save()


def _wrote(who: Actor | None, row: _TranslationRow) -> bool:
    """The project's text is ``who``'s own (strictly: the same person, or the same name)."""
    if who is None:
        return False
    if who.person_id is not None and row.author_id is not None:
        return who.person_id == row.author_id
    return row.author is not None and row.author == who.name


def _same(a: Actor, b: Actor) -> bool:
    return a.person_id == b.person_id if a.person or b.person else a.name == b.name


class _Locale:
    """One locale's files, merged and written together."""

    def __init__(self, session: Session, locale: str, team: Team, acting: Actor, checkout: str, report: ImportReport):
        self.session, self.locale, self.team, self.acting = session, locale, team, acting
        self.checkout, self.report = checkout, report
        self.now = utcnow()
        self.planned: list[PlannedChange] = []
        self.planned_units: set[int] = set()
        self.suggestions: list[dict[str, object]] = []
        self.comments: list[tuple[int, Actor, str, str]] = []  # unit id, who, comment, file name
        self.stored: dict[int, str] = {}  # unit id → text stored (its open suggestions of that text close)
        self.vouched: set[str] = set()  # files whose translator may act (checked once)

    def run(self, files: list[_File]) -> None:
        session, locale = self.session, self.locale
        slugs = sorted({f.unit_file.slug for f in files})
        entry_ids: dict[str, int] = {}
        self.english: dict[str, str] = {}  # slug → the entry's content hash now
        for chunk in chunks(slugs):
            for slug, id_, source_hash, retired_at in session.execute(
                select(Entry.slug, Entry.id, Entry.source_hash, Entry.retired_at).where(Entry.slug.in_(chunk))
            ):
                if retired_at is not None:
                    path = next(f.unit_file.path for f in files if f.unit_file.slug == slug)
                    raise InputError(
                        f"entry {slug} is retired (`bpod-i18n entries restore {slug}` brings it back); "
                        "nothing was stored",
                        path=path,
                    )
                entry_ids[slug] = id_
                self.english[slug] = source_hash or ""
        for file in files:
            if file.unit_file.slug not in entry_ids:
                raise InputError(
                    f"unknown entry {file.unit_file.slug!r} (ingest it first, or is this PO from another project?)",
                    path=file.unit_file.path,
                )
        self.units: dict[tuple[int, str], _UnitRow] = {}
        self.translations: dict[int, _TranslationRow] = {}
        for id_chunk in chunks(list(entry_ids.values())):
            for unit_entry, uid, unit_id, source, active in session.execute(
                select(Unit.entry_id, Unit.uid, Unit.id, Unit.source, Unit.active).where(Unit.entry_id.in_(id_chunk))
            ):
                self.units[(unit_entry, uid)] = _UnitRow(unit_id, source, active)
            self.translations.update(
                _translation_rows(
                    session,
                    select(*_TRANSLATION_COLUMNS)
                    .join(Unit, Unit.id == Translation.unit_id)
                    .where(Unit.entry_id.in_(id_chunk), Translation.locale == locale),
                )
            )
        wanted = {f.unit_file.slug for f in files}
        timelines = bases.timelines(session, locale, [entry_ids[slug] for slug in wanted])
        commented = [
            unit.id
            for f in files
            for m in f.unit_file.units
            if m.translator_comments and (unit := self.units.get((entry_ids[f.unit_file.slug], m.msgctxt or "")))
        ]
        self.known = known_comments(session, locale, commented) if commented else {}
        self.open_suggestions = self._open_suggestions([u.id for u in self.units.values()])
        snapshots: bases.Snapshot = {}
        for file in files:
            entry_id = entry_ids[file.unit_file.slug]
            snapshots[entry_id] = self._file(file, entry_id, timelines.get(entry_id, {}))
        self._write()
        bases.record(
            session, checkout=self.checkout, locale=locale, kind="import", actor=self.acting.name, files=snapshots
        )

    def _open_suggestions(self, unit_ids: list[int]) -> dict[int, set[str]]:
        found: dict[int, set[str]] = defaultdict(set)
        for chunk in chunks(unit_ids):
            for unit_id, text in self.session.execute(
                select(Suggestion.unit_id, Suggestion.text).where(
                    Suggestion.locale == self.locale, Suggestion.unit_id.in_(chunk), Suggestion.status == "open"
                )
            ):
                found[unit_id].add(text)
        return found

    def _vouch(self, file: _File) -> Actor:
        """The file's translator, allowed to write in this locale (checked when the file
        changes something: a file imported unchanged attributes nothing to anyone)."""
        who = file.translator
        assert who is not None
        key = str(file.unit_file.path)
        if key not in self.vouched:
            name = file.unit_file.path.name
            self.team.require(who, self.locale, ("translator",), f"translate (the translator of {name})")
            if not _same(who, self.acting):
                self.team.require(
                    self.acting,
                    self.locale,
                    ("editor",),
                    f"import {who.name}'s work ({name} says Last-Translator {who.name}; you are {self.acting.name})",
                )
            self.vouched.add(key)
            self.report.translators[key] = who.name
        return who

    def _file(self, file: _File, entry_id: int, timelines: dict[str, bases.Timeline[int]]) -> dict[int, Version]:
        po = file.unit_file
        found: list[tuple[PoMessage, _UnitRow]] = []
        for message in po.units:
            uid = message.msgctxt or ""  # read_unit_file refuses a message without one
            unit = self.units.get((entry_id, uid))
            if unit is None:
                raise InputError(f"unknown unit {uid!r} for entry {po.slug}", path=po.path, line=message.line)
            found.append((message, unit))
        held = {unit.id: Version.exported(message.msgstr, message.fuzzy) for message, unit in found}
        base = choose_base(held, timelines, here=self.checkout)
        for message, unit in found:
            row = self.translations.get(unit.id)
            theirs = row is not None and _wrote(file.translator, row)
            unit_base = None if base is None else base.base_of(unit.id, newest_is_theirs=theirs)
            self._unit(file, message, unit, held[unit.id], unit_base)
            comment = new_comment(message.translator_comments, self.known.get(unit.id, []))
            if comment:
                self.comments.append((unit.id, self._vouch(file), comment, po.path.name))
        return held

    def _unit(self, file: _File, message: PoMessage, unit: _UnitRow, theirs: Version, base: Version | None) -> None:
        po = file.unit_file
        current = self.translations.get(unit.id)
        project = current.version_seen if current else Version("")
        if not unit.active or message.msgid != unit.source:
            if not theirs.text or theirs == base or theirs.text == project.text:
                self.report.unchanged += 1
                return
            reason = (
                "the English sentence was removed since this PO was exported"
                if not unit.active
                else _msgid_differs(po, self.english[po.slug])
            )
            self._conflict(file, message, unit, theirs, base, project, reason)
            return
        outcome = merge(base, project, theirs)
        if outcome is Outcome.UNTOUCHED or (outcome is Outcome.STORE and _unchanged(current, message)):
            self.report.unchanged += 1
            return
        if outcome is Outcome.CONFLICT:
            if base is None:
                reason = (
                    "this file was not exported by this project as far as it knows (or before it kept what it "
                    "exported), and the project has another text"
                )
            else:
                assert current is not None  # the project's text differs from the base: it has a row
                reason = (
                    f"both changed it: the project's text was changed by {current.updated_by} on "
                    f"{current.updated_at:%Y-%m-%d %H:%M} UTC, after this PO was exported (or last imported)"
                )
            self._conflict(file, message, unit, theirs, base, project, reason)
            return
        who = self._vouch(file)
        action = states.Action.MARK_FUZZY if message.fuzzy else states.Action.TRANSLATE
        change = states.plan(
            current.state if current else State.UNTRANSLATED,
            action,
            old_text=current.text if current else "",
            old_previous_source=current.previous_source if current else None,
            actor=who.name,
            actor_id=who.person_id,
            text=message.msgstr,
            origin="human",
            comment=f"imported from {po.path.name}",
            at=self.now,
        )
        self._plan(po, message, unit, current, change)
        self.stored[unit.id] = message.msgstr
        if action is states.Action.TRANSLATE:
            self.report.translated += 1
        else:
            self.report.needs_work += 1

    def _conflict(
        self,
        file: _File,
        message: PoMessage,
        unit: _UnitRow,
        theirs: Version,
        base: Version | None,
        project: Version,
        reason: str,
    ) -> None:
        po = file.unit_file
        who = self._vouch(file)
        self.report.conflicts.append(
            Conflict(
                str(po.path),
                message.line,
                po.slug,
                message.msgctxt or "",
                reason,
                base=None if base is None else base.text,
                project=project.text,
                translator=theirs.text,
            )
        )
        if theirs.text in self.open_suggestions.get(unit.id, set()):
            return  # kept already, from an earlier import
        self.open_suggestions.setdefault(unit.id, set()).add(theirs.text)
        current = self.translations.get(unit.id)
        change = states.plan(
            current.state if current else State.UNTRANSLATED,
            states.Action.SUGGEST,
            old_text=current.text if current else "",
            old_previous_source=current.previous_source if current else None,
            actor=who.name,
            actor_id=who.person_id,
            comment=f"kept as a suggestion (from {po.path.name}; {reason}): {theirs.text}",
            at=self.now,
        )
        self._plan(po, message, unit, current, change)
        self.suggestions.append(
            {
                "unit_id": unit.id,
                "locale": self.locale,
                "text": theirs.text,
                "fuzzy": theirs.fuzzy,
                "source": message.msgid,
                "base_text": None if base is None else base.text,
                "project_text": project.text,
                "author": who.name,
                "person_id": who.person_id,
                "reason": reason,
                "path": str(po.path),
                "status": "open",
                "created_at": self.now,
            }
        )
        self.report.suggestions += 1

    def _plan(
        self, po: UnitFile, message: PoMessage, unit: _UnitRow, current: _TranslationRow | None, change: states.Change
    ) -> None:
        if unit.id in self.planned_units:
            raise InputError(
                f"unit {message.msgctxt} appears twice in this import, changed in both", path=po.path, line=message.line
            )
        self.planned.append(
            PlannedChange(
                unit.id, self.locale, change, current.id if current else None, current.version if current else None
            )
        )
        self.planned_units.add(unit.id)

    def _write(self) -> None:
        """Store the locale's changes; a row another writer changed since it was read refuses
        the whole import (the transaction rolls back), so that no translation is overwritten
        unseen. Translators' comments go on top, as their own history events."""
        _apply(self.session, self.planned)
        if self.suggestions:
            self.session.execute(insert(Suggestion), self.suggestions)
        self._close_suggestions()
        if not self.comments:
            return
        rows = _rows(self.session, self.locale, sorted({unit_id for unit_id, *_ in self.comments}))
        planned: dict[int, PlannedChange] = {}
        for unit_id, who, comment, _file_name in self.comments:
            row = rows.get(unit_id)
            if unit_id in planned:  # two comments on one unit: one event
                previous = planned[unit_id]
                previous.change.event["comment"] += f" / {comment}"
                continue
            change = states.plan(
                row.state if row else State.UNTRANSLATED,
                states.Action.COMMENT,
                old_text=row.text if row else "",
                old_previous_source=row.previous_source if row else None,
                actor=who.name,
                actor_id=who.person_id,
                comment=comment,
                at=self.now,
            )
            planned[unit_id] = PlannedChange(
                unit_id, self.locale, change, row.id if row else None, row.version if row else None
            )
            self.report.comments += 1
        _apply(self.session, list(planned.values()))

    def _close_suggestions(self) -> None:
        """A suggestion whose text has now been stored is settled."""
        for unit_id, text in self.stored.items():
            if text in self.open_suggestions.get(unit_id, set()):
                self.session.execute(
                    update(Suggestion)
                    .where(
                        Suggestion.unit_id == unit_id,
                        Suggestion.locale == self.locale,
                        Suggestion.status == "open",
                        Suggestion.text == text,
                    )
                    .values(status="stored", resolved_at=self.now, resolved_by=self.acting.name)
                )


# Translation columns as _TranslationRow holds them, after the unit id that keys them.
_TRANSLATION_COLUMNS = (
    Translation.unit_id,
    Translation.id,
    Translation.state,
    Translation.text,
    Translation.previous_source,
    Translation.version,
    Translation.updated_by,
    Translation.updated_at,
    Translation.author,
    Translation.author_id,
)


def _translation_rows(session: Session, statement: Executable) -> dict[int, _TranslationRow]:
    """Unit id → its translation, from a select of ``_TRANSLATION_COLUMNS``."""
    return {
        unit_id: _TranslationRow(id_, State(state), *rest) for unit_id, id_, state, *rest in session.execute(statement)
    }


def _rows(session: Session, locale: str, unit_ids: list[int]) -> dict[int, _TranslationRow]:
    rows: dict[int, _TranslationRow] = {}
    for chunk in chunks(unit_ids):
        statement = select(*_TRANSLATION_COLUMNS).where(Translation.locale == locale, Translation.unit_id.in_(chunk))
        rows.update(_translation_rows(session, statement))
    return rows


def _apply(session: Session, planned: list[PlannedChange]) -> None:
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


def _unchanged(current: _TranslationRow | None, po_unit: PoMessage) -> bool:
    if current is None or current.text != po_unit.msgstr:
        return False
    if po_unit.fuzzy:
        # Still fuzzy: a machine suggestion left alone or a unit still needing work.
        return current.state.is_fuzzy
    return current.state in (State.TRANSLATED, State.REVIEWED)


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

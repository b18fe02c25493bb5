"""Review per locale: approve, reject with a comment, edit; and the history of a unit.

Each decision is its own transaction carrying the version the reviewer saw, so a reviewer
who quits keeps what they decided, and two people deciding on the same unit at once cannot
overwrite each other: the second gets a ConflictError naming the unit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from bpod_i18n import states
from bpod_i18n.errors import ConflictError, NotFoundError, TransitionError, UsageError
from bpod_i18n.model import State, field_sort_key
from bpod_i18n.po.layout import slug_date
from bpod_i18n.states import Action, Change
from bpod_i18n.store.changes import PlannedChange, apply_changes
from bpod_i18n.store.models import Entry, Event, Translation, Unit
from bpod_i18n.workflow.entries import unknown_entries
from bpod_i18n.workflow.project import Project

if TYPE_CHECKING:
    from bpod_i18n.checks import UnitWarning


class Decision(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"
    EDIT = "edit"


@dataclass
class ReviewItem:
    """One unit as a reviewer sees it."""

    uid: str
    slug: str
    field: str
    position: int
    source: str
    text: str
    state: State
    origin: str | None
    author: str | None
    note: str | None
    version: int | None  # None: no translation row yet


@dataclass
class ReviewReport:
    decided: list[tuple[str, State]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (uid, why)


@dataclass
class HistoryEvent:
    uid: str
    slug: str
    locale: str
    at: dt.datetime
    actor: str
    action: str
    from_state: str
    to_state: str
    old_text: str | None
    new_text: str | None
    comment: str | None

    def to_dict(self) -> dict:
        data = vars(self).copy()
        data["at"] = self.at.isoformat(timespec="seconds") + "Z"
        return data


def queue(
    project: Project, locale: str, slug: str, *, states_wanted: Sequence[State] | None = None
) -> list[ReviewItem]:
    """Units of an entry in reading order that have a text to review."""
    locale = project.config.require_locale(locale)
    wanted = set(states_wanted or (State.TRANSLATED, State.MACHINE, State.NEEDS_WORK, State.STALE))
    with project.store.transaction(write=False) as session:
        entry = session.scalar(select(Entry).where(Entry.slug == slug, Entry.in_use()))
        if entry is None:
            raise unknown_entries(session, [slug])
        rows = session.execute(
            select(Unit, Translation)
            .outerjoin(Translation, (Translation.unit_id == Unit.id) & (Translation.locale == locale))
            .where(Unit.entry_id == entry.id, Unit.active.is_(True))
        ).all()
    items = [_item(slug, unit, translation) for unit, translation in rows]
    items.sort(key=lambda item: (field_sort_key(item.field), item.position))
    return [item for item in items if item.state in wanted]


def _item(slug: str, unit: Unit, translation: Translation | None) -> ReviewItem:
    return ReviewItem(
        uid=unit.uid,
        slug=slug,
        field=unit.field,
        position=unit.position,
        source=unit.source,
        text=translation.text if translation else "",
        state=State(translation.state) if translation else State.UNTRANSLATED,
        origin=translation.origin if translation else None,
        author=translation.author if translation else None,
        note=translation.note if translation else None,
        version=translation.version if translation else None,
    )


@dataclass
class _Current:
    """A unit and its translation in the locale as read for a decision (no row: ``translation_id`` None)."""

    unit_id: int
    uid: str
    field: str
    position: int
    translation_id: int | None
    version: int | None
    state: State
    text: str
    previous_source: str | None
    author: str | None
    updated_by: str | None


def _read(session: Session, locale: str, *where: ColumnElement[bool]) -> list[_Current]:
    rows = session.execute(
        select(
            Unit.id,
            Unit.uid,
            Unit.field,
            Unit.position,
            Translation.id,
            Translation.version,
            Translation.state,
            Translation.text,
            Translation.previous_source,
            Translation.author,
            Translation.updated_by,
        )
        .outerjoin(Translation, (Translation.unit_id == Unit.id) & (Translation.locale == locale))
        .where(*where)
    ).all()
    return [
        _Current(
            unit_id,
            uid,
            field_id,
            position,
            translation_id,
            version,
            State(state) if state else State.UNTRANSLATED,
            text or "",
            previous,
            author,
            updated_by,
        )
        for unit_id, uid, field_id, position, translation_id, version, state, text, previous, author, updated_by in rows
    ]


def _read_unit(session: Session, uid: str, locale: str) -> _Current:
    found = _read(session, locale, Unit.uid == uid, Unit.entry_id.in_(select(Entry.id).where(Entry.in_use())))
    if not found:
        retired = session.scalar(select(Entry.slug).join(Unit, Unit.entry_id == Entry.id).where(Unit.uid == uid))
        if retired is not None:  # the unit exists: its entry is retired
            raise unknown_entries(session, [retired])
        raise NotFoundError(_unknown_target(uid))
    return found[0]


def _unknown_target(target: str) -> str:
    """What to say of a name that is neither an entry nor a unit: a dated name was meant as an
    entry slug (2016-07-22-massing-to-defend); anything else could have been either."""
    if slug_date(target) is not None:
        return f"no entry {target!r} (see `bpod-i18n entries`)"
    return f"no entry or unit {target!r} (entries: `bpod-i18n entries`; unit ids: `bpod-i18n show SLUG`)"


def decide(
    project: Project,
    locale: str,
    uid: str,
    decision: Decision,
    *,
    by: str,
    comment: str | None = None,
    text: str | None = None,
    seen_version: int | None = None,
) -> State:
    """Apply one reviewer decision in its own transaction; returns the new state.

    ``seen_version``: the version the reviewer looked at (``ReviewItem.version``); the
    decision is stored only on top of it.
    """
    locale = project.config.require_locale(locale)
    too_long = project.config.limits.check_translation(text) if text is not None else None
    if too_long is not None:
        raise UsageError(f"unit {uid}: {too_long}; nothing was stored")
    with project.store.transaction() as session:
        current = _read_unit(session, uid, locale)
        if seen_version is not None and current.version != seen_version:
            # Refused before the decision is judged: it was made on a screen that is out of date.
            raise ConflictError(
                f"unit {uid} ({locale}) was changed by {current.updated_by} while you were reviewing it; "
                "nothing was stored: look again"
            )
        change = _plan(
            current, decision, by=by, comment=comment, text=text, allow_self_review=project.config.allow_self_review
        )
        if apply_changes(session, [_planned(current, locale, change)]).conflicts:
            done = "created" if current.translation_id is None else "changed"
            raise ConflictError(
                f"unit {uid} ({locale}) was {done} by someone else at the same moment; nothing was stored"
            )
        return State(change.values["state"])


def _planned(current: _Current, locale: str, change: Change) -> PlannedChange:
    return PlannedChange(current.unit_id, locale, change, current.translation_id, current.version)


def _plan(
    current: _Current,
    decision: Decision,
    *,
    by: str,
    comment: str | None,
    text: str | None,
    allow_self_review: bool,
) -> Change:
    """The change a decision makes, through the state machine; refuses what the rules forbid."""
    uid = current.uid

    def plan(action: Action, text: str | None = None, origin: str | None = None) -> Change:
        return states.plan(
            current.state,
            action,
            old_text=current.text,
            old_previous_source=current.previous_source,
            actor=by,
            comment=comment,
            text=text,
            origin=origin,
        )

    if decision is Decision.APPROVE:
        if current.author == by and not allow_self_review:
            raise TransitionError(
                f"{by} wrote the current text of unit {uid}: someone else must approve it "
                "(four-eyes rule; set [review] allow_self_review = true to lift it)"
            )
        return plan(Action.APPROVE)
    if decision is Decision.REJECT:
        if not comment:
            raise UsageError(f"rejecting unit {uid} needs a comment saying what is wrong")
        return plan(Action.REJECT)
    if not text or not text.strip():
        raise UsageError(f"editing unit {uid} needs the new text")
    return plan(Action.TRANSLATE, text=text, origin="human")


class _Batch:
    """The decisions of one ``decide_many`` transaction, written together by ``apply_changes``.

    A unit decided twice (named alone and as part of its entry) has the first decision
    written and the unit read again before the second is planned on top of it.
    """

    def __init__(self, session: Session, locale: str):
        self.session, self.locale = session, locale
        self.pending: dict[int, PlannedChange] = {}

    def current(self, current: _Current) -> _Current:
        if current.unit_id not in self.pending:
            return current
        self.write()
        return _read(self.session, self.locale, Unit.id == current.unit_id)[0]

    def add(self, current: _Current, change: Change) -> None:
        self.pending[current.unit_id] = _planned(current, self.locale, change)

    def write(self) -> None:
        planned, self.pending = list(self.pending.values()), {}
        if apply_changes(self.session, planned).conflicts:
            raise ConflictError("someone else changed the same units at the same moment; nothing was stored")


def decide_many(
    project: Project,
    locale: str,
    targets: Sequence[str],
    decision: Decision,
    *,
    by: str,
    comment: str | None = None,
) -> ReviewReport:
    """Approve or reject whole entries (slugs) or single units (uids), one transaction.

    For an entry, only units in a state the decision applies to are touched; a unit named
    explicitly must accept the decision, or nothing is stored.
    """
    locale = project.config.require_locale(locale)
    allow_self_review = project.config.allow_self_review
    report = ReviewReport()
    with project.store.transaction() as session:
        batch = _Batch(session, locale)
        for target in targets:
            entry_id, retired = session.execute(
                select(Entry.id, Entry.retired_at).where(Entry.slug == target)
            ).first() or (None, None)
            if retired is not None:
                raise unknown_entries(session, [target])
            if entry_id is not None:
                _decide_entry(batch, entry_id, decision, by, comment, report, allow_self_review)
                continue
            current = batch.current(_read_unit(session, target, locale))
            change = _plan(current, decision, by=by, comment=comment, text=None, allow_self_review=allow_self_review)
            batch.add(current, change)
            report.decided.append((target, State(change.values["state"])))
        batch.write()
    return report


def _decide_entry(
    batch: _Batch,
    entry_id: int,
    decision: Decision,
    by: str,
    comment: str | None,
    report: ReviewReport,
    allow_self_review: bool,
) -> None:
    reviewable = (
        {State.TRANSLATED}
        if decision is Decision.APPROVE
        else {State.TRANSLATED, State.MACHINE, State.REVIEWED, State.STALE}
    )
    units = _read(batch.session, batch.locale, Unit.entry_id == entry_id, Unit.active.is_(True))
    for current in sorted(units, key=lambda u: (field_sort_key(u.field), u.position)):
        current = batch.current(current)
        if current.translation_id is None or current.state not in reviewable:
            report.skipped.append((current.uid, f"is {current.state}"))
            continue
        if decision is Decision.APPROVE and current.author == by and not allow_self_review:
            report.skipped.append((current.uid, "you wrote it (four-eyes rule)"))
            continue
        change = _plan(current, decision, by=by, comment=comment, text=None, allow_self_review=allow_self_review)
        batch.add(current, change)
        report.decided.append((current.uid, State(change.values["state"])))


def history(project: Project, target: str, *, locale: str | None = None) -> list[HistoryEvent]:
    """Events of an entry (slug) or a unit (uid), oldest first."""
    if locale:
        locale = project.config.require_locale(locale)
    with project.store.transaction(write=False) as session:
        query = (
            select(Event, Translation.locale, Unit.uid, Entry.slug)
            .join(Translation, Translation.id == Event.translation_id)
            .join(Unit, Unit.id == Translation.unit_id)
            .join(Entry, Entry.id == Unit.entry_id)
            .where(or_(Entry.slug == target, Unit.uid == target))
            .order_by(Event.id)
        )
        if locale:
            query = query.where(Translation.locale == locale)
        rows = session.execute(query).all()
        if (
            not rows
            and session.scalar(
                select(Entry.id).where(Entry.slug == target).union(select(Unit.id).where(Unit.uid == target))
            )
            is None
        ):
            raise NotFoundError(f"no entry or unit {target!r}")
    return [
        HistoryEvent(
            uid,
            slug,
            lc,
            event.at,
            event.actor,
            event.action,
            event.from_state,
            event.to_state,
            event.old_text,
            event.new_text,
            event.comment,
        )
        for event, lc, uid, slug in rows
    ]


def qa_checker(project: Project, locale: str) -> Callable[[str, str], list[UnitWarning]]:
    """source, text → QA warnings of that translation (the CI gate's checks, glossary included)."""
    from bpod_i18n.checks import check_text, default_registry
    from bpod_i18n.workflow.glossary_check import glossary_check

    registry = default_registry()
    registry.register(glossary_check(project.config))
    return lambda source, text: check_text(registry, source, text, locale)

"""Review per locale: approve, reject with a comment, edit; and the history of a unit.

Each decision is its own transaction carrying the version the reviewer saw, so a reviewer
who quits keeps what they decided, and two people deciding on the same unit at once cannot
overwrite each other: the second gets a ConflictError naming the unit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from bpod_i18n.errors import ConflictError, NotFoundError, TransitionError, UsageError
from bpod_i18n.model import State, field_sort_key
from bpod_i18n.store.models import Entry, Event, Translation, Unit
from bpod_i18n.workflow import states
from bpod_i18n.workflow.project import Project


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


def queue(project: Project, locale: str, slug: str, *, states_wanted: Sequence[State] | None = None) -> list[ReviewItem]:
    """Units of an entry in reading order that have a text to review."""
    locale = project.config.require_locale(locale)
    wanted = set(states_wanted or (State.TRANSLATED, State.MACHINE, State.NEEDS_WORK, State.STALE))
    with project.store.transaction(write=False) as session:
        entry = session.scalar(select(Entry).where(Entry.slug == slug))
        if entry is None:
            raise NotFoundError(f"no entry {slug!r} (see `bpod-i18n entries`)")
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
    """Apply one reviewer decision in its own transaction; returns the new state."""
    locale = project.config.require_locale(locale)
    try:
        with project.store.transaction() as session:
            translation = _translation(session, uid, locale)
            if seen_version is not None and translation.version != seen_version:
                raise ConflictError(
                    f"unit {uid} ({locale}) was changed by {translation.updated_by} while you were reviewing it; "
                    "nothing was stored: look again"
                )
            _decide(session, translation, decision, by=by, comment=comment, text=text,
                    allow_self_review=project.config.allow_self_review)
            session.flush()
            return State(translation.state)
    except StaleDataError:
        raise ConflictError(f"unit {uid} ({locale}) was changed by someone else at the same moment; nothing was stored") from None
    except IntegrityError:
        raise ConflictError(f"unit {uid} ({locale}) was created by someone else at the same moment; nothing was stored") from None


def _translation(session: Session, uid: str, locale: str) -> Translation:
    unit = session.scalar(select(Unit).where(Unit.uid == uid).options(selectinload(Unit.translations)))
    if unit is None:
        raise NotFoundError(f"no unit {uid!r}")
    return states.get_or_create(session, unit, locale)


def _decide(
    session: Session,
    translation: Translation,
    decision: Decision,
    *,
    by: str,
    comment: str | None,
    text: str | None,
    allow_self_review: bool,
) -> None:
    uid = translation.unit.uid
    if decision is Decision.APPROVE:
        if translation.author == by and not allow_self_review:
            raise TransitionError(
                f"{by} wrote the current text of unit {uid}: someone else must approve it "
                "(four-eyes rule; set [review] allow_self_review = true to lift it)"
            )
        states.apply(session, translation, states.Action.APPROVE, actor=by, comment=comment)
    elif decision is Decision.REJECT:
        if not comment:
            raise UsageError(f"rejecting unit {uid} needs a comment saying what is wrong")
        states.apply(session, translation, states.Action.REJECT, actor=by, comment=comment)
    else:
        if not text or not text.strip():
            raise UsageError(f"editing unit {uid} needs the new text")
        states.apply(session, translation, states.Action.TRANSLATE, actor=by, text=text, origin="human", comment=comment)


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
    report = ReviewReport()
    try:
        with project.store.transaction() as session:
            for target in targets:
                entry = session.scalar(select(Entry).where(Entry.slug == target))
                if entry is not None:
                    _decide_entry(session, entry, locale, decision, by, comment, report, project.config.allow_self_review)
                    continue
                translation = _translation(session, target, locale)
                _decide(session, translation, decision, by=by, comment=comment, text=None,
                        allow_self_review=project.config.allow_self_review)
                report.decided.append((target, State(translation.state)))
            session.flush()
    except StaleDataError:
        raise ConflictError("someone else changed the same units at the same moment; nothing was stored") from None
    return report


def _decide_entry(session: Session, entry: Entry, locale: str, decision: Decision, by: str,
                  comment: str | None, report: ReviewReport, allow_self_review: bool) -> None:
    reviewable = {State.TRANSLATED} if decision is Decision.APPROVE else {
        State.TRANSLATED, State.MACHINE, State.REVIEWED, State.STALE}
    units = session.scalars(
        select(Unit).where(Unit.entry_id == entry.id, Unit.active.is_(True)).options(selectinload(Unit.translations))
    )
    for unit in sorted(units, key=lambda u: (field_sort_key(u.field), u.position)):
        translation = next((t for t in unit.translations if t.locale == locale), None)
        state = State(translation.state) if translation else State.UNTRANSLATED
        if translation is None or state not in reviewable:
            report.skipped.append((unit.uid, f"is {state}"))
            continue
        if decision is Decision.APPROVE and translation.author == by and not allow_self_review:
            report.skipped.append((unit.uid, "you wrote it (four-eyes rule)"))
            continue
        _decide(session, translation, decision, by=by, comment=comment, text=None, allow_self_review=allow_self_review)
        report.decided.append((unit.uid, State(translation.state)))


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
        if not rows and session.scalar(
            select(Entry.id).where(Entry.slug == target).union(select(Unit.id).where(Unit.uid == target))
        ) is None:
            raise NotFoundError(f"no entry or unit {target!r}")
    return [
        HistoryEvent(uid, slug, lc, event.at, event.actor, event.action, event.from_state, event.to_state,
                     event.old_text, event.new_text, event.comment)
        for event, lc, uid, slug in rows
    ]


def qa_checker(project: Project, locale: str):  # type: ignore[no-untyped-def]
    """source, text → QA warnings of that translation (the CI gate's checks, glossary included)."""
    from bpod_i18n.checks import check_text, default_registry
    from bpod_i18n.workflow.glossary_check import glossary_check

    registry = default_registry()
    registry.register(glossary_check(project.config))
    return lambda source, text: check_text(registry, source, text, locale)

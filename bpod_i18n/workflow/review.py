"""Review per locale: approve, reject with a comment, edit, take a suggestion; and the history
of a unit.

Reviewers approve what they saw. Every unit a reviewer is shown carries a version token of
its text (``a1b2c3d4e5f6@3fa19b0c``: unit id @ token, see :func:`text_token`); interactive
review and ``--approve UNIT@TOKEN`` carry it, and a unit changed since is not decided: it is
reported ("changed since you saw it"). Approving refuses units with QA errors unless the
reviewer gives a reason (``force_qa``), recorded in history. People, not strings: the four-eyes
rule compares people (``bpod_i18n.people.wrote_it``), and in a closed project only reviewers
of the locale approve or reject.

Each decision is its own transaction carrying the version the reviewer saw, so a reviewer
who quits keeps what they decided, and two people deciding on the same unit at once cannot
overwrite each other: the second gets a ConflictError naming the unit.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, or_, select, update
from sqlalchemy.orm import Session

from bpod_i18n import states
from bpod_i18n.errors import ConflictError, NotFoundError, TransitionError, UsageError
from bpod_i18n.model import State, field_sort_key, utcnow
from bpod_i18n.people import WRITE_ROLES, Actor, Team, wrote_it
from bpod_i18n.po.layout import slug_date
from bpod_i18n.states import Action, Change
from bpod_i18n.store.batching import chunks
from bpod_i18n.store.changes import PlannedChange, apply_changes
from bpod_i18n.store.models import Entry, Event, Suggestion, Translation, Unit
from bpod_i18n.workflow.entries import unknown_entries
from bpod_i18n.workflow.notes import Note, notes_for
from bpod_i18n.workflow.people import load_team
from bpod_i18n.workflow.project import Project

if TYPE_CHECKING:
    from bpod_i18n.checks import UnitWarning

QA = Callable[[str, str], "list[UnitWarning]"]


class Decision(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"
    EDIT = "edit"
    TAKE = "take"  # make a translator's suggestion the text (its author stays the author)


def text_token(state: State | str, text: str) -> str:
    """The version of a unit's text as a reviewer sees it: 8 hex digits of its hash, with
    its state (an approval or a rejection since is a change too; a comment is not)."""
    return hashlib.sha256(f"{State(state).value}\0{text}".encode()).hexdigest()[:8]


class ChangedSinceSeen(ConflictError):
    """The unit is no longer what the reviewer saw: nothing was decided."""


@dataclass
class SuggestionView:
    id: int
    text: str
    author: str
    at: dt.datetime
    reason: str


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
    # (``field`` above names the entry's field: dataclasses.field is spelled out here)
    notes: list[Note] = dataclasses.field(default_factory=list)  # reviewers' reasons, translators' comments
    suggestions: list[SuggestionView] = dataclasses.field(default_factory=list)

    @property
    def token(self) -> str:
        return text_token(self.state, self.text)

    @property
    def target(self) -> str:
        """``UNIT@TOKEN``: what ``review --approve`` takes to approve exactly this text."""
        return f"{self.uid}@{self.token}"

    def to_dict(self) -> dict:
        return {
            "unit": self.uid,
            "entry": self.slug,
            "field": self.field,
            "position": self.position,
            "token": self.token,
            "target": self.target,
            "state": self.state.value,
            "source": self.source,
            "text": self.text,
            "origin": self.origin,
            "author": self.author,
            "notes": [str(n) for n in self.notes],
            "suggestions": [
                {"id": s.id, "text": s.text, "author": s.author, "reason": s.reason} for s in self.suggestions
            ],
        }


@dataclass
class ReviewReport:
    decided: list[tuple[str, State]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (uid, why)
    # Of the skipped, units already in the state asked for (approving a reviewed unit): a
    # re-run of the same approval is not a failure, so these are told apart.
    already: list[str] = field(default_factory=list)
    forced_qa: list[str] = field(default_factory=list)  # units approved despite QA errors


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


def split_target(target: str) -> tuple[str, str | None]:
    """``UNIT@TOKEN`` → (unit, token); anything else → (target, None)."""
    name, at, token = target.partition("@")
    return (name, token.strip().lower() or None) if at else (target, None)


def queue(
    project: Project, locale: str, slug: str, *, states_wanted: Sequence[State] | None = None
) -> list[ReviewItem]:
    """Units of an entry in reading order that have a text to review (``states_wanted``:
    those states; an empty list: every unit)."""
    locale = project.config.require_locale(locale)
    wanted = set(
        (State.TRANSLATED, State.MACHINE, State.NEEDS_WORK, State.STALE) if states_wanted is None else states_wanted
    )
    with project.store.transaction(write=False) as session:
        entry = session.scalar(select(Entry).where(Entry.slug == slug, Entry.in_use()))
        if entry is None:
            raise unknown_entries(session, [slug])
        rows = session.execute(
            select(Unit, Translation)
            .outerjoin(Translation, (Translation.unit_id == Unit.id) & (Translation.locale == locale))
            .where(Unit.entry_id == entry.id, Unit.active.is_(True))
        ).all()
        items = {unit.id: _item(slug, unit, translation) for unit, translation in rows}
        for unit_id, notes in notes_for(session, locale, list(items)).items():
            items[unit_id].notes = [n for n in notes if n.kind != "suggestion"]
        for suggestion in session.scalars(
            select(Suggestion)
            .where(Suggestion.locale == locale, Suggestion.unit_id.in_(list(items)), Suggestion.status == "open")
            .order_by(Suggestion.id)
        ):
            items[suggestion.unit_id].suggestions.append(
                SuggestionView(
                    suggestion.id, suggestion.text, suggestion.author, suggestion.created_at, suggestion.reason
                )
            )
    ordered = sorted(items.values(), key=lambda item: (field_sort_key(item.field), item.position))
    return [item for item in ordered if not wanted or item.state in wanted or item.suggestions]


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


def listing(project: Project, locale: str, targets: Sequence[str]) -> list[ReviewItem]:
    """What ``review --list`` shows: the units of the entries (or the units) named, each with
    its ``UNIT@TOKEN``, to approve exactly what was seen."""
    locale = project.config.require_locale(locale)
    items: list[ReviewItem] = []
    for target in targets:
        name, _ = split_target(target)
        with project.store.transaction(write=False) as session:
            slug = session.scalar(
                select(Entry.slug).join(Unit, Unit.entry_id == Entry.id).where(Unit.uid == name)
            ) or session.scalar(select(Entry.slug).where(Entry.slug == name))
        if slug is None:
            raise NotFoundError(_unknown_target(name))
        found = queue(project, locale, slug, states_wanted=[])
        items += found if slug == name else [item for item in found if item.uid == name]
    return items


@dataclass
class _Current:
    """A unit and its translation in the locale as read for a decision (no row: ``translation_id`` None)."""

    unit_id: int
    uid: str
    field: str
    position: int
    source: str
    translation_id: int | None
    version: int | None
    state: State
    text: str
    previous_source: str | None
    author: str | None
    author_id: int | None
    updated_by: str | None

    @property
    def token(self) -> str:
        return text_token(self.state, self.text)


def _read(session: Session, locale: str, *where: ColumnElement[bool]) -> list[_Current]:
    rows = session.execute(
        select(
            Unit.id,
            Unit.uid,
            Unit.field,
            Unit.position,
            Unit.source,
            Translation.id,
            Translation.version,
            Translation.state,
            Translation.text,
            Translation.previous_source,
            Translation.author,
            Translation.author_id,
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
            source,
            translation_id,
            version,
            State(state) if state else State.UNTRANSLATED,
            text or "",
            previous,
            author,
            author_id,
            updated_by,
        )
        for (
            unit_id,
            uid,
            field_id,
            position,
            source,
            translation_id,
            version,
            state,
            text,
            previous,
            author,
            author_id,
            updated_by,
        ) in rows
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


def _changed(current: _Current, locale: str) -> str:
    return (
        f"unit {current.uid} ({locale}) was changed by {current.updated_by} while you were reviewing it "
        f"(now {current.state}: {current.text!r}); nothing was stored: look again"
    )


@dataclass
class _Rules:
    """What a decision is judged by: the people, the settings, the QA checks."""

    team: Team
    actor: Actor
    locale: str
    allow_self_review: bool
    qa: QA


def _rules(session: Session, project: Project, locale: str, by: str, qa: QA | None) -> _Rules:
    team = load_team(session, project.config)
    return _Rules(team, team.actor(by), locale, project.config.allow_self_review, qa or qa_checker(project, locale))


def decide(
    project: Project,
    locale: str,
    uid: str,
    decision: Decision,
    *,
    by: str,
    comment: str | None = None,
    text: str | None = None,
    seen: str | None = None,
    force_qa: str | None = None,
    suggestion: int | None = None,
    qa: QA | None = None,
) -> State:
    """Apply one reviewer decision in its own transaction; returns the new state.

    ``seen``: the text token the reviewer looked at (``ReviewItem.token``); the decision is
    stored only if the unit is still that (else :class:`ChangedSinceSeen`). ``force_qa``: the
    reason to approve a text with QA errors. ``suggestion``: the suggestion to take.
    """
    locale = project.config.require_locale(locale)
    too_long = project.config.limits.check_translation(text) if text is not None else None
    if too_long is not None:
        raise UsageError(f"unit {uid}: {too_long}; nothing was stored")
    with project.store.transaction() as session:
        rules = _rules(session, project, locale, by, qa)
        current = _read_unit(session, uid, locale)
        if seen is not None and current.token != seen:
            # Refused before the decision is judged: it was made on a screen that is out of date.
            raise ChangedSinceSeen(_changed(current, locale))
        taken = _suggestion(session, current, locale, suggestion) if decision is Decision.TAKE else None
        change = _plan(current, decision, rules, comment=comment, text=text, force_qa=force_qa, taken=taken)
        if apply_changes(session, [_planned(current, locale, change)]).conflicts:
            done = "created" if current.translation_id is None else "changed"
            raise ConflictError(
                f"unit {uid} ({locale}) was {done} by someone else at the same moment; nothing was stored"
            )
        _settle_suggestions(session, current, locale, decision, change, rules.actor, taken)
        return State(change.values["state"])


def _planned(current: _Current, locale: str, change: Change) -> PlannedChange:
    return PlannedChange(current.unit_id, locale, change, current.translation_id, current.version)


def _suggestion(session: Session, current: _Current, locale: str, suggestion: int | None) -> Suggestion:
    query = select(Suggestion).where(
        Suggestion.unit_id == current.unit_id, Suggestion.locale == locale, Suggestion.status == "open"
    )
    if suggestion is not None:
        query = query.where(Suggestion.id == suggestion)
    found = session.scalars(query.order_by(Suggestion.id.desc())).first()
    if found is None:
        raise NotFoundError(
            f"unit {current.uid} has no open suggestion{'' if suggestion is None else f' {suggestion}'}"
        )
    return found


def qa_errors(qa: QA, current: _Current) -> list[UnitWarning]:
    return [w for w in qa(current.source, current.text) if w.severity == "error"]


def _plan(
    current: _Current,
    decision: Decision,
    rules: _Rules,
    *,
    comment: str | None,
    text: str | None,
    force_qa: str | None,
    taken: Suggestion | None = None,
) -> Change:
    """The change a decision makes, through the state machine; refuses what the rules forbid."""
    uid, actor, locale = current.uid, rules.actor, rules.locale

    def plan(
        action: Action, text: str | None = None, origin: str | None = None, comment: str | None = comment
    ) -> Change:
        return states.plan(
            current.state,
            action,
            old_text=current.text,
            old_previous_source=current.previous_source,
            actor=actor.name,
            actor_id=actor.person_id,
            author=taken.author if taken else None,
            author_id=taken.person_id if taken else None,
            comment=comment,
            text=text,
            origin=origin,
        )

    if decision is Decision.APPROVE:
        rules.team.require(actor, locale, ("reviewer",), f"approve unit {uid}")
        if wrote_it(actor, current.author_id, current.author) and not rules.allow_self_review:
            raise TransitionError(
                f"{actor.name} wrote the current text of unit {uid}: someone else must approve it "
                "(four-eyes rule; set [review] allow_self_review = true to lift it)"
            )
        target_state = states.target_state(current.state, Action.APPROVE)  # refuses before QA is run
        errors = qa_errors(rules.qa, current) if target_state is State.REVIEWED else []
        if errors:
            found = ", ".join(sorted({w.check_id for w in errors}))
            if not force_qa:
                raise QAError(
                    f"unit {uid} has QA errors ({'; '.join(f'{w.check_id}: {w.message}' for w in errors)}): "
                    'not approved (fix it, or approve with --force-qa "reason")',
                    checks=found,
                )
            reason = f"approved despite QA errors ({found}): {force_qa}"
            return plan(Action.APPROVE, comment=f"{reason}; {comment}" if comment else reason)
        return plan(Action.APPROVE)
    if decision is Decision.REJECT:
        rules.team.require(actor, locale, ("reviewer",), f"reject unit {uid}")
        if not comment:
            raise UsageError(f"rejecting unit {uid} needs a comment saying what is wrong")
        return plan(Action.REJECT)
    rules.team.require(actor, locale, WRITE_ROLES, f"edit unit {uid}")
    if taken is not None:
        return plan(
            Action.TRANSLATE,
            text=taken.text,
            origin="human",
            comment=f"took the suggestion of {taken.author}" + (f": {comment}" if comment else ""),
        )
    if not text or not text.strip():
        raise UsageError(f"editing unit {uid} needs the new text")
    return plan(Action.TRANSLATE, text=text, origin="human")


class QAError(UsageError):
    """An approval refused for the QA errors of the text."""

    def __init__(self, message: str, *, checks: str):
        super().__init__(message)
        self.checks = checks


def _settle_suggestions(
    session: Session,
    current: _Current,
    locale: str,
    decision: Decision,
    change: Change,
    actor: Actor,
    taken: Suggestion | None,
) -> None:
    """A suggestion is settled when it is taken, when its text becomes the translation, or
    when a reviewer, having been shown it, approves the text it met."""
    now = utcnow()
    where = (Suggestion.unit_id == current.unit_id, Suggestion.locale == locale, Suggestion.status == "open")
    if taken is not None:
        session.execute(
            update(Suggestion)
            .where(Suggestion.id == taken.id)
            .values(status="taken", resolved_at=now, resolved_by=actor.name)
        )
    if decision is Decision.APPROVE:
        session.execute(
            update(Suggestion).where(*where).values(status="dismissed", resolved_at=now, resolved_by=actor.name)
        )
    elif "text" in change.values:
        session.execute(
            update(Suggestion)
            .where(*where, Suggestion.text == change.values["text"])
            .values(status="stored", resolved_at=now, resolved_by=actor.name)
        )


def _with_open_suggestions(session: Session, locale: str, unit_ids: list[int]) -> set[int]:
    found: set[int] = set()
    for chunk in chunks(unit_ids):
        found.update(
            session.scalars(
                select(Suggestion.unit_id).where(
                    Suggestion.unit_id.in_(chunk), Suggestion.locale == locale, Suggestion.status == "open"
                )
            )
        )
    return found


class _Batch:
    """The decisions of one ``decide_many`` transaction, written together by ``apply_changes``.

    A unit decided twice (named alone and as part of its entry) has the first decision
    written and the unit read again before the second is planned on top of it.
    """

    def __init__(self, session: Session, locale: str, actor: Actor):
        self.session, self.locale, self.actor = session, locale, actor
        self.pending: dict[int, tuple[_Current, PlannedChange]] = {}

    def current(self, current: _Current) -> _Current:
        if current.unit_id not in self.pending:
            return current
        self.write()
        return _read(self.session, self.locale, Unit.id == current.unit_id)[0]

    def add(self, current: _Current, change: Change) -> None:
        self.pending[current.unit_id] = (current, _planned(current, self.locale, change))

    def write(self, decision: Decision | None = None) -> None:
        pending, self.pending = list(self.pending.values()), {}
        if apply_changes(self.session, [planned for _, planned in pending]).conflicts:
            raise ConflictError("someone else changed the same units at the same moment; nothing was stored")
        open_ones = _with_open_suggestions(self.session, self.locale, [current.unit_id for current, _ in pending])
        for current, planned in pending:
            if current.unit_id not in open_ones:
                continue  # nothing to settle: no query for each of 80 000 approved units
            action = planned.change.event["action"]
            _settle_suggestions(
                self.session,
                current,
                self.locale,
                Decision.APPROVE if action == Action.APPROVE.value else Decision.REJECT,
                planned.change,
                self.actor,
                None,
            )


def decide_many(
    project: Project,
    locale: str,
    targets: Sequence[str],
    decision: Decision,
    *,
    by: str,
    comment: str | None = None,
    force_qa: str | None = None,
) -> ReviewReport:
    """Approve or reject whole entries (slugs) or single units (uids, or ``UNIT@TOKEN`` to
    decide only if the unit is still what was seen), one transaction.

    For an entry, only units in a state the decision applies to are touched, and a unit that
    cannot be approved (the reviewer wrote it, QA errors) is skipped and reported. A unit
    named explicitly must accept the decision (or nothing is stored), except that a unit
    changed since it was seen, or with QA errors, is skipped and reported.
    """
    locale = project.config.require_locale(locale)
    report = ReviewReport()
    qa = qa_checker(project, locale) if decision is Decision.APPROVE else (lambda _s, _t: [])
    with project.store.transaction() as session:
        rules = _rules(session, project, locale, by, qa)
        batch = _Batch(session, locale, rules.actor)
        for target in targets:
            name, token = split_target(target)
            entry_id, retired = session.execute(
                select(Entry.id, Entry.retired_at).where(Entry.slug == name)
            ).first() or (None, None)
            if retired is not None:
                raise unknown_entries(session, [name])
            if entry_id is not None:
                if token is not None:
                    raise UsageError(
                        f"{target}: a version belongs to a unit, not to an entry (see `bpod-i18n review --list {name}`)"
                    )
                _decide_entry(batch, entry_id, decision, rules, comment, force_qa, report)
                continue
            current = batch.current(_read_unit(session, name, locale))
            if token is not None and current.token != token:
                report.skipped.append((name, f"changed since you saw it (now {current.state}: {current.text!r})"))
                continue
            try:
                change = _plan(current, decision, rules, comment=comment, text=None, force_qa=force_qa)
            except QAError as exc:
                report.skipped.append((name, exc.message))
                continue
            batch.add(current, change)
            _decided(report, current, change)
        batch.write()
    return report


def _decided(report: ReviewReport, current: _Current, change: Change) -> None:
    report.decided.append((current.uid, State(change.values["state"])))
    if (change.event.get("comment") or "").startswith("approved despite QA errors"):
        report.forced_qa.append(current.uid)


def _decide_entry(
    batch: _Batch,
    entry_id: int,
    decision: Decision,
    rules: _Rules,
    comment: str | None,
    force_qa: str | None,
    report: ReviewReport,
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
            if decision is Decision.APPROVE and current.state is State.REVIEWED:
                report.already.append(current.uid)
            continue
        if (
            decision is Decision.APPROVE
            and wrote_it(rules.actor, current.author_id, current.author)
            and not rules.allow_self_review
        ):
            report.skipped.append((current.uid, "you wrote it (four-eyes rule)"))
            continue
        try:
            change = _plan(current, decision, rules, comment=comment, text=None, force_qa=force_qa)
        except QAError as exc:
            report.skipped.append((current.uid, exc.message))
            continue
        batch.add(current, change)
        _decided(report, current, change)


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


def qa_checker(project: Project, locale: str) -> QA:
    """source, text → QA warnings of that translation (the CI gate's checks, glossary included),
    each with the severity the project's ``[check]`` settings give it for the locale."""
    from bpod_i18n.checks import check_text, default_registry
    from bpod_i18n.workflow.glossary_check import glossary_check

    registry = default_registry()
    registry.register(glossary_check(project.config))
    severities = project.config.check.for_locale(locale).severities

    def check(source: str, text: str) -> list[UnitWarning]:
        found = check_text(registry, source, text, locale)
        return [
            type(w)(w.check_id, severities.get(w.check_id, w.severity), w.message)
            for w in found
            if severities.get(w.check_id) != "off"
        ]

    return check

"""The review state machine: the only code that changes a translation's text or state.

Every change goes through :func:`apply`, which checks the transition against one table and
appends an Event, so history cannot be skipped by accident.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy.orm import Session

from bpod_i18n.errors import TransitionError
from bpod_i18n.model import State
from bpod_i18n.store.models import Event, Translation, Unit, utcnow


class Action(StrEnum):
    PRETRANSLATE = "pretranslate"  # TM or machine suggestion
    TRANSLATE = "translate"  # a human's text, final from their side
    MARK_FUZZY = "mark-fuzzy"  # a human's text they flagged as unsure (fuzzy in PO)
    APPROVE = "approve"
    REJECT = "reject"
    SOURCE_CHANGED = "source-changed"
    RETIRE = "retire"  # the English sentence was removed; history keeps it


U, M, T, N, R, S = (
    State.UNTRANSLATED,
    State.MACHINE,
    State.TRANSLATED,
    State.NEEDS_WORK,
    State.REVIEWED,
    State.STALE,
)

# (from, action) -> to. Anything absent is refused.
TRANSITIONS: dict[tuple[State, Action], State] = {
    (U, Action.PRETRANSLATE): M,
    (U, Action.TRANSLATE): T,
    (U, Action.MARK_FUZZY): N,
    (M, Action.TRANSLATE): T,
    (M, Action.MARK_FUZZY): N,
    (M, Action.REJECT): N,
    (T, Action.TRANSLATE): T,
    (T, Action.MARK_FUZZY): N,
    (T, Action.APPROVE): R,
    (T, Action.REJECT): N,
    (N, Action.TRANSLATE): T,
    (N, Action.MARK_FUZZY): N,
    (R, Action.TRANSLATE): T,
    (R, Action.MARK_FUZZY): N,
    (R, Action.REJECT): N,
    (S, Action.TRANSLATE): T,
    (S, Action.MARK_FUZZY): N,
    (S, Action.REJECT): N,
    **{(state, Action.SOURCE_CHANGED): S for state in (M, T, N, R, S)},
    **{(state, Action.RETIRE): state for state in State},
}

# Actions that write a new text (and so make its writer the author).
WRITES_TEXT = frozenset({Action.PRETRANSLATE, Action.TRANSLATE, Action.MARK_FUZZY})


def target_state(current: State, action: Action) -> State:
    try:
        return TRANSITIONS[(current, action)]
    except KeyError:
        raise TransitionError(f"cannot {action} a unit that is {current}") from None


def get_or_create(session: Session, unit: Unit, locale: str) -> Translation:
    for translation in unit.translations:
        if translation.locale == locale:
            return translation
    translation = Translation(unit=unit, locale=locale, text="", state=State.UNTRANSLATED.value, version=1)
    session.add(translation)
    return translation


def apply(
    session: Session,
    translation: Translation,
    action: Action,
    *,
    actor: str,
    text: str | None = None,
    origin: str | None = None,
    note: str | None = None,
    comment: str | None = None,
    previous_source: str | None = None,
    at: dt.datetime | None = None,
) -> Event:
    """Move ``translation`` through ``action``; returns the history event it appended."""
    current = State(translation.state)
    new_state = target_state(current, action)
    at = at or utcnow()
    old_text = translation.text
    if action in WRITES_TEXT:
        if text is None or not text.strip():
            raise TransitionError(f"{action} needs a non-empty text")
        if text != old_text or action is not Action.PRETRANSLATE:
            translation.author = actor
        translation.text = text
        translation.origin = origin or "human"
        translation.note = note
        if new_state is not S:
            translation.previous_source = None
    if action is Action.SOURCE_CHANGED and translation.previous_source is None:
        # Keep the English the text was written for, the first time only: after two edits
        # the translation still matches the oldest one.
        translation.previous_source = previous_source
    translation.state = new_state.value
    translation.updated_by = actor
    translation.updated_at = at
    event = Event(
        translation=translation,
        actor=actor,
        at=at,
        action=action.value,
        from_state=current.value,
        to_state=new_state.value,
        old_text=old_text or None,
        new_text=translation.text or None,
        comment=comment,
    )
    session.add(event)
    return event

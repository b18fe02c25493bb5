"""The review state machine: one table of allowed transitions and the plan of one change.

Plain data, no database (like ``model.py``): :func:`plan` turns (current state, action) into
the new column values and the history event, or refuses with a TransitionError. Every writer
(import, pretranslate, review, ingest) plans through it and hands the plans to the one store
operation that writes them, ``bpod_i18n.store.changes.apply_changes``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from bpod_i18n.errors import TransitionError
from bpod_i18n.model import State, utcnow


class Action(StrEnum):
    PRETRANSLATE = "pretranslate"  # TM or machine suggestion
    TRANSLATE = "translate"  # a human's text, final from their side
    MARK_FUZZY = "mark-fuzzy"  # a human's text they flagged as unsure (fuzzy in PO)
    APPROVE = "approve"
    REJECT = "reject"
    SOURCE_CHANGED = "source-changed"
    RETIRE = "retire"  # the English sentence was removed; history keeps it
    # A published translation brought in from the mirror ([mirror] state says which of the
    # three): a confident sentence link as translated (or reviewed), anything less sure as a
    # suggestion (fuzzy). The workflow only applies them to rows the mirror may still write:
    # untranslated, a suggestion, or the mirror's own text nobody has touched since.
    MIRROR = "mirror"
    MIRROR_REVIEWED = "mirror-reviewed"
    MIRROR_SUGGEST = "mirror-suggest"
    SUGGEST = "suggest"  # a translator's text kept beside the unit (it met a newer one)
    COMMENT = "comment"  # a translator's note from their PO file


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
    **{(state, Action.MIRROR): T for state in (U, M, T, R)},
    **{(state, Action.MIRROR_REVIEWED): R for state in (U, M, T, R)},
    **{(state, Action.MIRROR_SUGGEST): M for state in (U, M, T, R)},
    **{(state, Action.RETIRE): state for state in State},
    # Notes beside the unit: the text and its state stay as they are.
    **{(state, Action.SUGGEST): state for state in State},
    **{(state, Action.COMMENT): state for state in State},
}

# Actions that write a new text (and so make its writer the author).
WRITES_TEXT = frozenset(
    {
        Action.PRETRANSLATE,
        Action.TRANSLATE,
        Action.MARK_FUZZY,
        Action.MIRROR,
        Action.MIRROR_REVIEWED,
        Action.MIRROR_SUGGEST,
    }
)
# Actions whose text was written outside the project (the published mirror).
FROM_MIRROR = frozenset({Action.MIRROR, Action.MIRROR_REVIEWED, Action.MIRROR_SUGGEST})


def target_state(current: State, action: Action) -> State:
    try:
        return TRANSITIONS[(current, action)]
    except KeyError:
        raise TransitionError(f"cannot {action} a unit that is {current}") from None


@dataclass(frozen=True)
class Change:
    """What one action does to one translation: new column values and the history event."""

    values: dict[str, Any]
    event: dict[str, Any]


def plan(
    current: State,
    action: Action,
    *,
    old_text: str,
    old_previous_source: str | None,
    actor: str,
    actor_id: int | None = None,
    author: str | None = None,
    author_id: int | None = None,
    text: str | None = None,
    origin: str | None = None,
    note: str | None = None,
    comment: str | None = None,
    previous_source: str | None = None,
    at: dt.datetime | None = None,
) -> Change:
    """The transition as plain data; ``apply_changes`` writes it with a version check.

    ``actor`` (and ``actor_id``, the person when known) does it; a new text's author is the
    actor unless ``author`` says otherwise (a reviewer taking a translator's suggestion, the
    mirror's translator for a text brought in from the published site).
    """
    new_state = target_state(current, action)
    at = at or utcnow()
    values: dict[str, Any] = {"state": new_state.value, "updated_by": actor, "updated_at": at}
    new_text = old_text
    if action in WRITES_TEXT:
        if text is None or not text.strip():
            raise TransitionError(f"{action} needs a non-empty text")
        if text != old_text or action is not Action.PRETRANSLATE:
            values["author"] = author or actor
            values["author_id"] = author_id if author else actor_id
        new_text = text
        values.update(text=text, origin=origin or "human", note=note)
        if new_state is not S:
            values["previous_source"] = None
    if action is Action.SOURCE_CHANGED and old_previous_source is None:
        # Keep the English the text was written for, the first time only: after two edits
        # the translation still matches the oldest one.
        values["previous_source"] = previous_source
    event = {
        "actor": actor,
        "person_id": actor_id,
        "at": at,
        "action": action.value,
        "from_state": current.value,
        "to_state": new_state.value,
        "old_text": old_text or None,
        "new_text": new_text or None,
        "comment": comment,
    }
    return Change(values, event)

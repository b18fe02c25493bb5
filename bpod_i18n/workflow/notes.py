"""Notes beside a unit, between reviewers and translators: one list, shown in `review` and
written into exported PO files as translator comments (``# reviewer marta 2026-12-01: …``,
which Poedit and Lokalize show beside the message).

* the reviewer's reason, while the unit is rejected (needs-work);
* the translator's own comments from their PO file, since the text last changed;
* open suggestions: translators' texts that met a newer one (see ``importer``).

On import, a translator comment that is one of these notes (or the comment a note came from)
is ours coming back; anything else the translator wrote is recorded in history as a comment.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bpod_i18n.model import State
from bpod_i18n.states import WRITES_TEXT, Action
from bpod_i18n.store.batching import chunks
from bpod_i18n.store.models import Event, Suggestion, Translation

_TEXT_ACTIONS = frozenset(action.value for action in WRITES_TEXT)
_NOTE_ACTIONS = (Action.REJECT.value, Action.COMMENT.value)


@dataclass(frozen=True)
class Note:
    kind: str  # "reviewer", "translator" or "suggestion"
    who: str
    at: dt.datetime
    text: str

    def __str__(self) -> str:
        return format_note(self.kind, self.who, self.at, self.text)


def format_note(kind: str, who: str, at: dt.datetime, text: str) -> str:
    return f"{kind} {who} {at:%Y-%m-%d}: {' '.join(text.split())}"


def notes_for(session: Session, locale: str, unit_ids: Sequence[int] | None) -> dict[int, list[Note]]:
    """The notes of each unit (only units that have any); ``unit_ids`` None: every unit."""
    out: dict[int, list[Note]] = defaultdict(list)
    events = _events(session, locale, unit_ids, actions=_NOTE_ACTIONS)
    last_text = _last_text_event(session, locale, list(events)) if events else {}
    for unit_id, (unit_events, state) in events.items():
        if state is State.NEEDS_WORK:
            reject = next((e for e in reversed(unit_events) if e.action == Action.REJECT.value and e.comment), None)
            if reject is not None:
                out[unit_id].append(Note("reviewer", reject.actor, reject.at, reject.comment or ""))
        out[unit_id].extend(
            Note("translator", e.actor, e.at, e.comment or "")
            for e in unit_events
            if e.action == Action.COMMENT.value and e.comment and e.id > last_text.get(unit_id, 0)
        )
    for unit_id, suggestion in _open_suggestions(session, locale, unit_ids):
        out[unit_id].append(Note("suggestion", suggestion.author, suggestion.created_at, suggestion.text))
    return {unit_id: notes for unit_id, notes in out.items() if notes}


def known_comments(session: Session, locale: str, unit_ids: Sequence[int]) -> dict[int, list[str]]:
    """Per unit, every note export may have written for it and every comment already in its
    history (normalised), to tell a translator's new comment from ours coming back."""
    out: dict[int, list[str]] = defaultdict(list)
    for unit_id, (events, _state) in _events(session, locale, unit_ids, actions=_NOTE_ACTIONS).items():
        for e in events:
            if e.action in _NOTE_ACTIONS and e.comment:
                kind = "reviewer" if e.action == Action.REJECT.value else "translator"
                out[unit_id] += [_normal(format_note(kind, e.actor, e.at, e.comment)), _normal(e.comment)]
    for chunk in chunks(list(unit_ids)):
        for unit_id, author, created, text in session.execute(
            select(Suggestion.unit_id, Suggestion.author, Suggestion.created_at, Suggestion.text).where(
                Suggestion.locale == locale, Suggestion.unit_id.in_(chunk)
            )
        ):
            out[unit_id].append(_normal(format_note("suggestion", author, created, text)))
    return dict(out)


def new_comment(lines: Iterable[str], known: Sequence[str]) -> str | None:
    """What a translator wrote in a message's ``#`` comments that is not ours: the lines
    joined (the writer wraps long notes over several), every known note taken out."""
    text = _normal(" ".join(lines))
    for note in sorted(known, key=len, reverse=True):  # a whole note before the comment inside it
        if note:
            text = text.replace(note, " ")
    text = " ".join(text.split())
    return text or None


def _normal(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True)
class _Event:
    id: int
    action: str
    actor: str
    at: dt.datetime
    comment: str | None


# Above this many units, one scan of the locale's notes beats lists of ids.
_SCAN_FROM = 2000


def _selected(query: Any, column: Any, ids: Sequence[int] | None) -> list[Any]:
    if ids is None or len(ids) >= _SCAN_FROM:
        return [query]
    return [query.where(column.in_(chunk)) for chunk in chunks(list(ids))]


def _events(
    session: Session, locale: str, unit_ids: Sequence[int] | None, *, actions: Sequence[str]
) -> dict[int, tuple[list[_Event], State]]:
    """Per unit: its events of these kinds, oldest first, and its state."""
    wanted = None if unit_ids is None else set(unit_ids)
    found: dict[int, tuple[list[_Event], State]] = {}
    query = (
        select(
            Translation.unit_id,
            Translation.state,
            Event.id,
            Event.action,
            Event.actor,
            Event.at,
            Event.comment,
        )
        .join(Event, Event.translation_id == Translation.id)
        .where(Translation.locale == locale, Event.action.in_(actions))
        .order_by(Event.id)
    )
    for statement in _selected(query, Translation.unit_id, unit_ids):
        for unit_id, state, event_id, action, actor, at, comment in session.execute(statement):
            if wanted is None or unit_id in wanted:
                found.setdefault(unit_id, ([], State(state)))[0].append(_Event(event_id, action, actor, at, comment))
    return found


def _last_text_event(session: Session, locale: str, unit_ids: list[int]) -> dict[int, int]:
    out: dict[int, int] = {}
    for chunk in chunks(unit_ids):
        out.update(
            (unit_id, event_id)
            for unit_id, event_id in session.execute(
                select(Translation.unit_id, func.max(Event.id))
                .join(Event, Event.translation_id == Translation.id)
                .where(Translation.locale == locale, Translation.unit_id.in_(chunk), Event.action.in_(_TEXT_ACTIONS))
                .group_by(Translation.unit_id)
            )
        )
    return out


def _open_suggestions(session: Session, locale: str, unit_ids: Sequence[int] | None) -> list[tuple[int, Suggestion]]:
    wanted = None if unit_ids is None else set(unit_ids)
    query = select(Suggestion).where(Suggestion.locale == locale, Suggestion.status == "open").order_by(Suggestion.id)
    out: list[tuple[int, Suggestion]] = []
    for statement in _selected(query, Suggestion.unit_id, unit_ids):
        out += [(s.unit_id, s) for s in session.scalars(statement) if wanted is None or s.unit_id in wanted]
    return out

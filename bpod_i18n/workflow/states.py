"""ORM helpers over the state machine (``bpod_i18n.states``): apply one action to a loaded
Translation, appending its history event."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from bpod_i18n.model import State
from bpod_i18n.states import Action, Change, plan
from bpod_i18n.store.models import Event, Translation, Unit

__all__ = ["Action", "Change", "apply", "get_or_create", "plan"]


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
    change = plan(
        State(translation.state), action, old_text=translation.text, old_previous_source=translation.previous_source,
        actor=actor, text=text, origin=origin, note=note, comment=comment, previous_source=previous_source, at=at,
    )
    for column, value in change.values.items():
        setattr(translation, column, value)
    event = Event(translation=translation, **change.event)
    session.add(event)
    return event

"""Counts of units by review state, per locale and per entry, in two grouped queries."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from bpod_i18n.model import State
from bpod_i18n.store.models import Entry, Event, Translation, Unit
from bpod_i18n.workflow.people import load_team
from bpod_i18n.workflow.project import Project


@dataclass
class Progress:
    total: int
    counts: dict[str, int]

    @property
    def reviewed_percent(self) -> float:
        return 100.0 * self.counts.get(State.REVIEWED, 0) / self.total if self.total else 100.0

    @property
    def translated_percent(self) -> float:
        done = self.counts.get(State.TRANSLATED, 0) + self.counts.get(State.REVIEWED, 0)
        return 100.0 * done / self.total if self.total else 100.0

    def to_dict(self) -> dict:
        return {
            "total": self.total,
            **{state.value: self.counts.get(state.value, 0) for state in State},
            "translated_percent": round(self.translated_percent, 1),
            "reviewed_percent": round(self.reviewed_percent, 1),
        }


@dataclass
class EntryStatus:
    slug: str
    date: str | None
    locales: dict[str, Progress] = field(default_factory=dict)


@dataclass
class StatusReport:
    locales: dict[str, Progress]
    entries: list[EntryStatus]

    def to_dict(self) -> dict:
        return {
            "locales": {lc: p.to_dict() for lc, p in self.locales.items()},
            "entries": [
                {"slug": e.slug, "date": e.date, "locales": {lc: p.to_dict() for lc, p in e.locales.items()}}
                for e in self.entries
            ],
        }


def status(
    project: Project,
    *,
    locale: str | None = None,
    state: State | None = None,
    since: dt.date | None = None,
    by: str | None = None,
) -> StatusReport:
    """Counts per locale and per entry; ``state``, ``since`` and ``by`` keep only the entries
    with a unit in that state, with history since that day, or with history by that person.
    Locale totals always cover the whole archive."""
    locales = [project.config.require_locale(locale)] if locale else list(project.config.locales)
    with project.store.transaction(write=False) as session:
        person = load_team(session, project.config).find(by) if by else None
        wanted = _filtered_entries(session, locales, since, by, person.id if person else None)
        totals = dict(
            session.execute(
                select(Unit.entry_id, func.count()).where(Unit.active.is_(True)).group_by(Unit.entry_id)
            ).all()
        )
        by_state = session.execute(
            select(Unit.entry_id, Translation.locale, Translation.state, func.count())
            .join(Translation, Translation.unit_id == Unit.id)
            .where(Unit.active.is_(True), Translation.locale.in_(locales))
            .group_by(Unit.entry_id, Translation.locale, Translation.state)
        ).all()
        # Retired entries are out of the work: neither listed nor counted.
        entries = session.execute(
            select(Entry.id, Entry.slug, Entry.date).where(Entry.in_use()).order_by(Entry.slug)
        ).all()
    counted: dict[tuple[int, str], Counter[str]] = {}
    for entry_id, lc, unit_state, count in by_state:
        if unit_state != State.UNTRANSLATED:
            counted.setdefault((entry_id, lc), Counter())[unit_state] += count
    per_locale: dict[str, Counter[str]] = {lc: Counter() for lc in locales}
    report_entries: list[EntryStatus] = []
    for entry_id, slug, date in entries:
        total = totals.get(entry_id, 0)
        entry_status = EntryStatus(slug, date.isoformat() if date else None)
        for lc in locales:
            counts = Counter(counted.get((entry_id, lc), {}))
            # Units with no translation row are untranslated too.
            counts[State.UNTRANSLATED.value] = total - sum(counts.values())
            entry_status.locales[lc] = Progress(total, dict(counts))
            per_locale[lc].update(counts)
        if wanted is not None and entry_id not in wanted:
            continue
        if state is not None and not any(p.counts.get(state.value) for p in entry_status.locales.values()):
            continue
        report_entries.append(entry_status)
    grand_total = sum(totals.get(entry_id, 0) for entry_id, _, _ in entries)
    return StatusReport(
        locales={lc: Progress(grand_total, dict(per_locale[lc])) for lc in locales},
        entries=report_entries,
    )


def _filtered_entries(
    session: Session, locales: list[str], since: dt.date | None, by: str | None, person_id: int | None
) -> set[int] | None:
    if since is None and by is None:
        return None
    query = (
        select(Unit.entry_id)
        .join(Translation, Translation.unit_id == Unit.id)
        .join(Event, Event.translation_id == Translation.id)
        .where(Translation.locale.in_(locales))
        .distinct()
    )
    if since is not None:
        query = query.where(Event.at >= dt.datetime.combine(since, dt.time()))
    if person_id is not None:  # a person, by handle or e-mail: their events, linked or by handle
        query = query.where(or_(Event.person_id == person_id, Event.actor == by))
    elif by is not None:
        query = query.where(Event.actor == by)
    return set(session.scalars(query))

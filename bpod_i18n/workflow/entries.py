"""Read-only views of ingested entries for `entries` and `show`."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from bpod_i18n.errors import NotFoundError
from bpod_i18n.model import field_sort_key
from bpod_i18n.store.models import Entry, Unit
from bpod_i18n.workflow.project import Project


@dataclass
class UnitInfo:
    uid: str
    field: str
    position: int
    source: str
    translations: dict[str, dict[str, str]]
    links: list[str] | None = None  # addresses of the unit's <a1>, <a2>... (bpod_i18n.markup)


@dataclass
class EntryInfo:
    slug: str
    kind: str
    date: str | None
    title: str
    label: str | None
    standfirst: str | None
    paragraphs: list[str]
    notices: list[str]
    author: str | None
    credits: list[str]
    source_path: str | None
    units: int
    units_detail: list[UnitInfo] | None = None
    image: dict | None = None  # url, alt, width, height, caption as ingested

    def to_dict(self) -> dict:
        data = asdict(self)
        if self.units_detail is None:
            data.pop("units_detail")
        return data


def _info(entry: Entry, active_units: list[Unit], with_units: bool) -> EntryInfo:
    fields = entry.fields or {}
    info = EntryInfo(
        slug=entry.slug,
        kind=entry.kind,
        date=entry.date.isoformat() if entry.date else None,
        title=entry.title,
        label=entry.label,
        standfirst=entry.standfirst,
        paragraphs=list(fields.get("paragraphs", [])),
        notices=list(fields.get("notices", [])),
        author=entry.author,
        credits=list(fields.get("credits", [])),
        source_path=entry.source_path,
        units=len(active_units),
        image=fields.get("image"),
    )
    if with_units:
        info.units_detail = [
            UnitInfo(
                uid=u.uid,
                field=u.field,
                position=u.position,
                source=u.source,
                translations={t.locale: {"state": t.state, "text": t.text} for t in u.translations},
                links=list((u.markup or {}).get("links") or []) or None,
            )
            for u in sorted(active_units, key=lambda u: (field_sort_key(u.field), u.position))
        ]
    return info


def list_entries(project: Project, *, include_site: bool = False) -> list[EntryInfo]:
    with project.store.transaction(write=False) as session:
        query = select(Entry).options(selectinload(Entry.units)).order_by(Entry.date, Entry.slug)
        if not include_site:
            query = query.where(Entry.kind == "entry")
        return [_info(e, [u for u in e.units if u.active], False) for e in session.scalars(query)]


def show_entry(project: Project, slug: str) -> EntryInfo:
    with project.store.transaction(write=False) as session:
        entry = session.scalar(
            select(Entry).where(Entry.slug == slug).options(selectinload(Entry.units).selectinload(Unit.translations))
        )
        if entry is None:
            raise NotFoundError(f"no entry {slug!r} (see `bpod-i18n entries`)")
        return _info(entry, [u for u in entry.units if u.active], True)

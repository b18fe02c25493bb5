"""Read-only views of ingested entries for `entries` and `show`, and how an entry is found by
its slug (or by a slug it had before a rename)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import asdict, dataclass, field

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session, selectinload

from bpod_i18n.errors import NotFoundError
from bpod_i18n.model import field_sort_key
from bpod_i18n.store.models import Entry, EntryEvent, Unit
from bpod_i18n.workflow.project import Project

RENAME = "rename"
RETIRE = "retire"
RESTORE = "restore"


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
    retired: str | None = None  # when it was retired (ISO, UTC); None: in use
    events: list[dict[str, str | None]] = field(default_factory=list)  # renamed, retired, restored
    image: dict | None = None  # url, alt, width, height, caption as ingested

    def to_dict(self) -> dict:
        data = asdict(self)
        if self.units_detail is None:
            data.pop("units_detail")
            data.pop("events")
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
        retired=entry.retired_at.isoformat(timespec="seconds") + "Z" if entry.retired_at else None,
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


def list_entries(project: Project, *, include_site: bool = False, include_retired: bool = False) -> list[EntryInfo]:
    with project.store.transaction(write=False) as session:
        query = select(Entry).options(selectinload(Entry.units)).order_by(Entry.date, Entry.slug)
        if not include_site:
            query = query.where(Entry.kind == "entry")
        if not include_retired:
            query = query.where(Entry.in_use())
        return [_info(e, [u for u in e.units if u.active], False) for e in session.scalars(query)]


def show_entry(project: Project, slug: str) -> EntryInfo:
    with project.store.transaction(write=False) as session:
        entry = lookup_entry(session, slug)
        units = session.scalars(
            select(Unit)
            .where(Unit.entry_id == entry.id, Unit.active.is_(True))
            .options(selectinload(Unit.translations))
        ).all()
        info = _info(entry, list(units), True)
        info.events = [
            {
                "at": event.at.isoformat(timespec="seconds") + "Z",
                "actor": event.actor,
                "action": event.action,
                "old_slug": event.old_slug,
                "new_slug": event.new_slug,
                "comment": event.comment,
            }
            for event in session.scalars(
                select(EntryEvent).where(EntryEvent.entry_id == entry.id).order_by(EntryEvent.id)
            )
        ]
        return info


def lookup_entry(session: Session, slug: str) -> Entry:
    """The entry named ``slug`` (site catalog included); a slug it had before a rename is
    answered with its new name rather than "no entry"."""
    entry = session.scalar(select(Entry).where(Entry.slug == slug))
    if entry is not None:
        return entry
    renamed = session.execute(
        select(Entry.slug, EntryEvent.at)
        .join(EntryEvent, EntryEvent.entry_id == Entry.id)
        .where(EntryEvent.action == RENAME, EntryEvent.old_slug == slug)
        .order_by(EntryEvent.id.desc())
    ).first()
    if renamed is not None:
        raise NotFoundError(f"no entry {slug!r}: it was renamed to {renamed.slug} on {renamed.at:%Y-%m-%d}")
    raise NotFoundError(f"no entry {slug!r} (see `bpod-i18n entries`)")


def renamed_slugs(session: Session) -> dict[str, str]:
    """Every slug an entry had before a rename → the entry's slug now (slugs in use excluded).

    Ingest reads a file that still gives an old slug (a file named by it) as the renamed entry.
    """
    renames = session.execute(
        select(EntryEvent.old_slug, Entry.slug)
        .join(Entry, Entry.id == EntryEvent.entry_id)
        .where(EntryEvent.action == RENAME)
        .order_by(EntryEvent.id)
    ).all()
    if not renames:
        return {}
    found: dict[str, str] = {}
    for old_slug, slug in renames:
        if old_slug:
            found.setdefault(old_slug, slug)
    in_use = set(session.scalars(select(Entry.slug).where(Entry.slug.in_(list(found)))))
    return {old: new for old, new in found.items() if old not in in_use}


def unknown_entries(session: Session | Connection, slugs: Collection[str]) -> NotFoundError:
    """The error for entries named on a command line that are not in the work: never ingested,
    retired (out of the work until restored), or renamed (known by another slug now)."""
    wanted = sorted(set(slugs))
    retired = set(
        session.execute(select(Entry.slug).where(Entry.slug.in_(wanted), Entry.retired_at.is_not(None))).scalars()
    )
    renamed: dict[str, str] = {}
    for old_slug, slug in session.execute(
        select(EntryEvent.old_slug, Entry.slug)
        .join(Entry, Entry.id == EntryEvent.entry_id)
        .where(EntryEvent.action == RENAME, EntryEvent.old_slug.in_(wanted))
    ):
        if old_slug:
            renamed[old_slug] = slug
    parts = []
    for slug in wanted:
        if slug in retired:
            parts.append(f"{slug} (retired; `bpod-i18n entries restore {slug}` brings it back)")
        elif slug in renamed:
            parts.append(f"{slug} (renamed to {renamed[slug]})")
        else:
            parts.append(slug)
    hint = " (see `bpod-i18n entries`)" if set(wanted) - retired - set(renamed) else ""
    return NotFoundError(f"no such entry: {', '.join(parts)}{hint}")

"""`bpod-i18n people`: the project's people and their roles per locale; who is acting.

A person is added once (handle, name, e-mail, roles per locale) and never deleted: removing
takes their roles away and marks them removed, and history keeps naming them. History written
before people existed keeps its strings; adding a person links the events and texts whose
recorded name is theirs (their handle, e-mail, ``Name <e-mail>``, or their full name when no
one else has it), so the four-eyes rule knows them in old projects too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import CursorResult, Table, select, update
from sqlalchemy.orm import Session, selectinload

from bpod_i18n.config import Config
from bpod_i18n.errors import NotFoundError, UsageError
from bpod_i18n.people import HANDLE, ROLES, Actor, Person, Team, read_addresses
from bpod_i18n.store.models import Event, PersonRole, Translation, utcnow
from bpod_i18n.store.models import Person as PersonRow
from bpod_i18n.workflow.project import Project


@dataclass
class PersonReport:
    person: Person
    created: bool
    roles_added: list[tuple[str, str]] = field(default_factory=list)
    roles_removed: list[tuple[str, str]] = field(default_factory=list)
    linked_events: int = 0
    linked_texts: int = 0


def _person(row: PersonRow) -> Person:
    return Person(
        id=row.id,
        handle=row.handle,
        name=row.name,
        email=row.email,
        roles=frozenset((r.locale, r.role) for r in row.roles),
        removed=row.removed_at is not None,
    )


def load_team(session: Session, config: Config) -> Team:
    rows = session.scalars(select(PersonRow).options(selectinload(PersonRow.roles)).order_by(PersonRow.handle))
    return Team.of((_person(row) for row in rows), config.open_mode)


def team(project: Project) -> Team:
    with project.store.transaction(write=False) as session:
        return load_team(session, project.config)


def acting(project: Project, given: str | None) -> Actor:
    """Who runs the command: ``--by``, else ``BPOD_I18N_USER``, else the login name."""
    return team(project).actor(given or project.config.user)


def list_people(project: Project) -> list[Person]:
    return team(project).people


def _roles(config: Config, locales: Sequence[str], roles: Sequence[str]) -> list[tuple[str, str]]:
    for role in roles:
        if role not in ROLES:
            raise UsageError(f"unknown role {role!r} (roles: {', '.join(ROLES)})")
    if roles and not locales:
        raise UsageError("a role is held in a locale: give --locale with --role")
    if locales and not roles:
        raise UsageError("--locale needs --role (translator, reviewer or editor)")
    return [(config.require_locale(lc), role) for lc in locales for role in roles]


def add_person(
    project: Project,
    handle: str,
    *,
    name: str | None = None,
    email: str | None = None,
    locales: Sequence[str] = (),
    roles: Sequence[str] = (),
) -> PersonReport:
    """Add a person, or add roles to one (and change their name or e-mail when given)."""
    handle = handle.strip()
    if not HANDLE.fullmatch(handle):
        raise UsageError(
            f"handle {handle!r} must be lower-case letters, digits, '.', '_' or '-' (up to 64), e.g. marta"
        )
    if email is not None:
        found = read_addresses(email)
        if len(found.emails) != 1 or not found.readable or found.names:
            raise UsageError(f"--email {email!r} is not one e-mail address such as marta@uv.es")
        email = found.emails[0]
    wanted = _roles(project.config, locales, roles)
    with project.store.transaction() as session:
        row = session.scalar(select(PersonRow).options(selectinload(PersonRow.roles)).where(PersonRow.handle == handle))
        created = row is None
        if email is not None:
            other = session.scalar(select(PersonRow.handle).where(PersonRow.email == email, PersonRow.handle != handle))
            if other is not None:
                raise UsageError(f"{email} is already the e-mail of {other}")
        if row is None:
            if not name or not name.strip():
                raise UsageError('a new person needs --name, e.g. --name "Marta Puig"')
            row = PersonRow(handle=handle, name=name.strip(), email=email, created_at=utcnow())
            session.add(row)
        else:
            if name and name.strip():
                row.name = name.strip()
            if email is not None:
                row.email = email
            row.removed_at = None
        held = {(r.locale, r.role) for r in row.roles}
        added = [pair for pair in wanted if pair not in held]
        for locale, role in added:
            row.roles.append(PersonRole(locale=locale, role=role))
        session.flush()
        person = _person(row)
        others = [_person(r) for r in session.scalars(select(PersonRow).where(PersonRow.id != row.id))]
        events, texts = _link_history(session, person, others)
    return PersonReport(person, created, added, linked_events=events, linked_texts=texts)


def remove_person(
    project: Project, handle: str, *, locales: Sequence[str] = (), roles: Sequence[str] = ()
) -> PersonReport:
    """Take roles away (those given, or all); with no --locale/--role the person is removed:
    they can no longer act, and history keeps naming them."""
    for role in roles:
        if role not in ROLES:
            raise UsageError(f"unknown role {role!r} (roles: {', '.join(ROLES)})")
    codes = [project.config.require_locale(lc) for lc in locales]
    with project.store.transaction() as session:
        row = session.scalar(
            select(PersonRow).options(selectinload(PersonRow.roles)).where(PersonRow.handle == handle.strip().lower())
        )
        if row is None:
            raise NotFoundError(f"no person {handle!r} (see `bpod-i18n people list`)")
        removed = [r for r in row.roles if (not codes or r.locale in codes) and (not roles or r.role in roles)]
        for r in removed:
            row.roles.remove(r)
        if not codes and not roles:
            row.removed_at = utcnow()
        session.flush()
        return PersonReport(_person(row), False, roles_removed=[(r.locale, r.role) for r in removed])


def _names_person(text: str, person: Person, others: Sequence[Person]) -> bool:
    """Whether a name recorded in old history is ``person``'s: their handle, their e-mail
    (alone or as ``Name <e-mail>``), or their full name when nobody else has it. A text naming
    several people names none of them."""
    stripped = text.strip()
    if stripped.lower() == person.handle:
        return True
    found = read_addresses(stripped)
    if len(found.emails) > 1 or not found.readable:
        return False
    if found.emails:
        return person.email is not None and found.emails[0] == person.email
    folded = stripped.casefold()
    return folded == person.name.strip().casefold() and not any(o.name.strip().casefold() == folded for o in others)


def _link_history(session: Session, person: Person, others: Sequence[Person]) -> tuple[int, int]:
    """Link unlinked events and texts whose recorded name is ``person``'s; (events, texts)."""
    actors = session.scalars(select(Event.actor).where(Event.person_id.is_(None)).distinct()).all()
    mine = [a for a in actors if _names_person(a, person, others)]
    events = texts = 0
    if mine:
        # History is append-only: what happened, who (as recorded), when, never change; the
        # link to the person behind the recorded name is filled in once, here.
        table = cast(Table, Event.__table__)
        events = cast(
            "CursorResult[Any]",
            session.execute(
                update(table).where(table.c.person_id.is_(None), table.c.actor.in_(mine)).values(person_id=person.id)
            ),
        ).rowcount
    authors = session.scalars(
        select(Translation.author).where(Translation.author_id.is_(None), Translation.author.is_not(None)).distinct()
    ).all()
    theirs = [a for a in authors if a is not None and _names_person(a, person, others)]
    if theirs:
        # A link, not a write of the translation: its version (what writers compare) is
        # left alone, so that no one's review or import in flight is refused for it.
        texts_table = cast(Table, Translation.__table__)
        texts = cast(
            "CursorResult[Any]",
            session.execute(
                update(texts_table)
                .where(texts_table.c.author_id.is_(None), texts_table.c.author.in_(theirs))
                .values(author_id=person.id)
            ),
        ).rowcount
    return events, texts

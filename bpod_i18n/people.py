"""People as plain data, and the rules that compare them: who is acting, who wrote a text, who
may approve it.

History and the four-eyes rule refer to people, not to strings: ``--by marta``, ``--by
marta@uv.es`` and a PO's ``Last-Translator: Marta Puig <marta@uv.es>`` are one person. A
person is named by handle or e-mail; a PO header by its e-mail (one person per header).

No database here (like ``model.py``): the workflow loads a :class:`Team` from the store and
asks it. Text that names a person is read with the standard library's RFC 5322 address
parser (``email.headerregistry``), which reports what it cannot read as defects.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from email.errors import HeaderParseError
from email.headerregistry import Address, AddressHeader, HeaderRegistry
from typing import cast

from bpod_i18n.errors import InputError, UsageError

ROLES = ("translator", "reviewer", "editor")
# What each role lets a person do in its locale (README "People").
WRITE_ROLES = ("translator", "reviewer", "editor")  # edit a text in review
HANDLE = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
# What PO tools write until the translator fills in their name (xgettext's template).
_TEMPLATE_TRANSLATOR = "FULL NAME"
_HEADERS = HeaderRegistry()


class UnknownPersonError(UsageError):
    """A name that is not a person of the project, where only people may act."""


class RoleError(UsageError):
    """A person acting outside their roles (closed mode)."""


@dataclass(frozen=True)
class Person:
    id: int
    handle: str
    name: str
    email: str | None
    roles: frozenset[tuple[str, str]] = frozenset()  # (locale, role)
    removed: bool = False

    def has_role(self, locale: str, *roles: str) -> bool:
        return any((locale, role) in self.roles for role in roles)

    @property
    def display(self) -> str:
        """``Marta Puig <marta@uv.es>``: how a PO header names the person."""
        return f"{self.name} <{self.email}>" if self.email else self.name

    def roles_in(self, locale: str) -> list[str]:
        return [role for role in ROLES if (locale, role) in self.roles]


@dataclass(frozen=True)
class Actor:
    """Who does something: a person, or, where anyone may act (open mode) and in history
    written before people existed, only a name."""

    name: str  # what history records: the handle of a person, else the name as given
    person: Person | None = None

    @property
    def person_id(self) -> int | None:
        return self.person.id if self.person else None

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class Addresses:
    """What a header or a name on the command line says, read as RFC 5322 addresses."""

    emails: tuple[str, ...]  # lower-case addr-specs, in order
    names: tuple[str, ...]  # display names (and bare words, which carry no e-mail)
    readable: bool  # False: the parser found text it could not read as addresses


@functools.lru_cache(maxsize=4096)
def read_addresses(value: str) -> Addresses:
    """Kept per value: the e-mail package's parser costs ~0.3 ms, and the four-eyes rule asks
    about the same few authors for every unit of a bulk approval."""
    try:
        header = cast(AddressHeader, _HEADERS("To", value))
    except (HeaderParseError, IndexError, ValueError):
        return Addresses((), (value.strip(),), False)
    emails: list[str] = []
    names: list[str] = []
    address: Address
    for address in header.addresses:
        if address.domain:
            emails.append(address.addr_spec.lower())
            if address.display_name:
                names.append(address.display_name)
        else:
            names.append(" ".join(part for part in (address.display_name, address.username) if part))
    # A bare name ("Marta Puig") has the defects of an address without a domain; anything
    # else the parser could not place (a second "Name <e-mail>" without a comma) is unreadable.
    defects = getattr(header, "defects", ())  # on every parsed header; typeshed leaves it out
    unreadable = any("invalid address in address-list" in str(defect) for defect in defects)
    return Addresses(tuple(emails), tuple(n for n in names if n), not unreadable)


def identity_keys(text: str | None) -> frozenset[str]:
    """Every way ``text`` may name someone, normalised: the text, each e-mail, its local part,
    each name. Compares names recorded before people existed ("marta", "Marta Puig <marta@uv.es>")."""
    if not text or not text.strip():
        return frozenset()
    found = read_addresses(text)
    keys = {text.strip().casefold()}
    keys.update(email.casefold() for email in found.emails)
    keys.update(email.split("@", 1)[0].casefold() for email in found.emails)
    keys.update(name.strip().casefold() for name in found.names if name.strip())
    return frozenset(keys)


def person_keys(person: Person) -> frozenset[str]:
    keys = {person.handle.casefold(), person.name.strip().casefold()}
    if person.email:
        keys |= {person.email.casefold(), person.email.split("@", 1)[0].casefold()}
    return frozenset(keys)


def actor_keys(actor: Actor) -> frozenset[str]:
    return person_keys(actor.person) | identity_keys(actor.name) if actor.person else identity_keys(actor.name)


def wrote_it(actor: Actor, author_id: int | None, author: str | None) -> bool:
    """The four-eyes question, in one place: did ``actor`` write the text whose author is
    ``author_id`` / ``author``?

    People are compared by identity. A text whose author is only a name (written before
    people existed, or in an open project) is compared by every way the name and the actor
    may be spelled, so "marta", "Marta Puig" and "Marta Puig <marta@uv.es>" are one author;
    a combined name ("Marta <…>, Pere <…>") counts as each of them. When in doubt the rule
    errs towards "yes": the approval is left to someone else.
    """
    if author_id is not None and actor.person is not None:
        return author_id == actor.person.id
    if author_id is not None:
        return False if author is None else bool(identity_keys(author) & actor_keys(actor))
    return bool(identity_keys(author) & actor_keys(actor))


@dataclass
class Team:
    """The project's people as loaded for one command, and whether anyone may act (open)."""

    people: list[Person] = field(default_factory=list)
    open: bool = True

    @classmethod
    def of(cls, people: Iterable[Person], open_setting: bool | None) -> Team:
        people = list(people)
        active = [p for p in people if not p.removed]
        return cls(people, open_setting if open_setting is not None else len(active) < 2)

    def by_handle(self, handle: str) -> Person | None:
        wanted = handle.strip().lower()
        return next((p for p in self.people if p.handle == wanted), None)

    def by_email(self, email: str) -> Person | None:
        wanted = email.strip().lower()
        return next((p for p in self.people if p.email == wanted), None)

    def find(self, given: str) -> Person | None:
        """The person ``given`` names by handle, e-mail, or ``Name <e-mail>``; None if nobody."""
        person = self.by_handle(given)
        if person is not None:
            return person
        found = read_addresses(given)
        if len(found.emails) == 1 and found.readable:
            return self.by_email(found.emails[0])
        return None

    def _by_name(self, given: str) -> list[Person]:
        wanted = given.strip().casefold()
        return [p for p in self.people if p.name.strip().casefold() == wanted]

    def actor(self, given: str, *, option: str = "--by") -> Actor:
        """Who ``given`` (``--by``, ``BPOD_I18N_USER`` or the login name) is.

        Closed project: a person of it, by handle or e-mail, or an error saying who it could
        be. Open project: the person if ``given`` names one (by name too, so that the four-eyes
        rule knows them), else the name as given.
        """
        given = given.strip()
        person = self.find(given)
        if person is None and self.open:
            named = self._by_name(given)
            person = named[0] if len(named) == 1 else None
        if person is not None:
            if person.removed and not self.open:
                raise UnknownPersonError(f"{person.handle} was removed from the project and cannot act ({option})")
            return Actor(person.handle, person)
        if self.open:
            return Actor(given or "unknown")
        hint = ""
        named = self._by_name(given)
        if named:
            hint = f"; {given!r} is the name of {', '.join(p.handle for p in named)}: give the handle or e-mail"
        raise UnknownPersonError(
            f"{given!r} ({option}) is not a person of this project{hint} (`bpod-i18n people list`; "
            "`bpod-i18n people add` adds one)"
        )

    def translator(self, header: str | None, *, path: str, line: int | None) -> Actor | None:
        """The translator a PO's ``Last-Translator`` header names, by e-mail; None when it names
        nobody (empty, or the template a tool leaves). One person per header: a combined one
        ("Marta <…>, Pere <…>") is refused with the file's name, in every project; in a closed
        one, so is a header without an e-mail or with an e-mail of nobody in the project."""
        value = (header or "").strip()
        if not value or value.upper().startswith(_TEMPLATE_TRANSLATOR):
            return None
        found = read_addresses(value)
        if len(found.emails) > 1 or not found.readable:
            raise InputError(
                f"Last-Translator {value!r} names more than one person: one translator per file "
                "(set it to whoever translated this file, or import with --by HANDLE)",
                path=path,
                line=line,
            )
        if found.emails:
            person = self.by_email(found.emails[0])
            if person is not None:
                return Actor(person.handle, person)
            if self.open:
                return Actor(value)
            raise InputError(
                f"Last-Translator {value!r}: {found.emails[0]} is not the e-mail of a person of this project "
                "(`bpod-i18n people list`; add them with `bpod-i18n people add HANDLE --email …`, "
                "or import with --by HANDLE)",
                path=path,
                line=line,
            )
        if self.open:
            return self.actor(value)
        raise InputError(
            f"Last-Translator {value!r} gives no e-mail: translators are known by e-mail "
            "(Name <e-mail>), or import with --by HANDLE",
            path=path,
            line=line,
        )

    def require(self, actor: Actor, locale: str, roles: Sequence[str], doing: str) -> None:
        """Closed project: refuse ``actor`` doing ``doing`` in ``locale`` without one of ``roles``."""
        if self.open:
            return
        person = actor.person
        if person is None or not person.has_role(locale, *roles):
            needed = " or ".join(roles)
            held = ", ".join(person.roles_in(locale)) if person else ""
            raise RoleError(
                f"{actor.name} may not {doing} in {locale}: that needs the role {needed} "
                f"({'holds: ' + held if held else 'no role in ' + locale}; "
                f"`bpod-i18n people add {actor.name} --locale {locale} --role {roles[0]}`)"
            )

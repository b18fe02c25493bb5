"""Plain data shared by every part: English entries, their units, review states.

This module imports nothing else of the package but the import-free ``markup`` (like Babel's
``catalog.py``): readers,
writers and the database all speak these types.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import re
from dataclasses import asdict, dataclass
from dataclasses import fields as dataclass_fields
from enum import StrEnum

from bpod_i18n.markup import escape as escape_tagged


class State(StrEnum):
    """Review state of one unit in one locale (DESIGN.md, "States")."""

    UNTRANSLATED = "untranslated"
    MACHINE = "machine"
    TRANSLATED = "translated"
    NEEDS_WORK = "needs-work"
    REVIEWED = "reviewed"
    STALE = "stale"

    @property
    def is_fuzzy(self) -> bool:
        """States that travel as ``#, fuzzy`` in a PO file."""
        return self in FUZZY_STATES


FUZZY_STATES = frozenset({State.MACHINE, State.NEEDS_WORK, State.STALE})
# Order used for "at least this state" questions (emit --min-state, status bars).
STATE_RANK = {
    State.UNTRANSLATED: 0,
    State.STALE: 1,
    State.MACHINE: 1,
    State.NEEDS_WORK: 2,
    State.TRANSLATED: 3,
    State.REVIEWED: 4,
}


# The one catalog of site strings ("Written by", "Search The Archive"...) is stored as an entry
# with this slug and exported as locales/<lc>/site.po; no archive entry may take this slug.
SITE_SLUG = "site"
# Unit ids: the first 12 hex digits of a SHA-256 (the PO msgctxt).
UNIT_ID = re.compile(r"[0-9a-f]{12}")


def reserved_slug(slug: str) -> str | None:
    """Why ``slug`` cannot name an archive entry, or None. The project uses some names
    itself: an entry taking one would take over what it names."""
    if slug == SITE_SLUG:
        return "it names the catalog of site strings (locales/<lc>/site.po), which every page uses"
    if UNIT_ID.fullmatch(slug):
        return "it looks like a unit id (12 hex digits), which review and history would take it for"
    return None


# Field kinds of an entry, in reading order. A field id is the kind plus, for repeated
# kinds, a 1-based number: "title", "body.2", "notice.1". "alt" is the image's alt text,
# "caption" its caption (credits are separate).
FIELD_ORDER = ("label", "title", "standfirst", "alt", "caption", "body", "notice", "credit")
# Fields that are short labels, never split into sentences.
UNSPLIT_FIELDS = frozenset({"label", "title", "credit", "alt"})


def utcnow() -> dt.datetime:
    """Now in UTC without tzinfo: how the database keeps every timestamp."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class Image:
    """The entry's picture: its address, alt text (plain text), size in pixels where given,
    and caption (tagged text, see bpod_i18n.markup)."""

    url: str
    alt: str | None = None
    width: int | None = None
    height: int | None = None
    caption: str | None = None

    def to_dict(self) -> dict:
        return {key: value for key, value in asdict(self).items() if value is not None}


@dataclass(frozen=True)
class SourceEntry:
    """One English entry as read from a page, HTML, Markdown or JSON file.

    Text fields are tagged text (bpod_i18n.markup): plain prose as written, with inline markup
    as ``<em>…</em>``, ``<sub>…</sub>``, ``<a href="…">…</a>``… where the source had it.
    """

    slug: str
    date: dt.date
    title: str
    paragraphs: tuple[str, ...]
    label: str | None = None
    standfirst: str | None = None
    notices: tuple[str, ...] = ()
    author: str | None = None
    credits: tuple[str, ...] = ()
    source_path: str | None = None
    source_format: str = "text"
    image: Image | None = None

    def fields(self) -> list[tuple[str, str]]:
        """Translatable fields in reading order as (field id, text)."""
        out: list[tuple[str, str]] = []
        if self.label:
            out.append(("label", self.label))
        out.append(("title", self.title))
        if self.standfirst:
            out.append(("standfirst", self.standfirst))
        if self.image is not None and self.image.alt:
            # Alt text is plain: escaped so that it is never read as markup.
            out.append(("alt", escape_tagged(self.image.alt)))
        if self.image is not None and self.image.caption:
            out.append(("caption", self.image.caption))
        out += [(f"body.{i}", p) for i, p in enumerate(self.paragraphs, 1)]
        out += [(f"notice.{i}", n) for i, n in enumerate(self.notices, 1)]
        out += [(f"credit.{i}", c) for i, c in enumerate(self.credits, 1)]
        return out

    def content_hash(self) -> str:
        """Hash of everything that matters for translation; unchanged hash = nothing to do."""
        return self._content_hash

    @functools.cached_property
    def _content_hash(self) -> str:
        # Computed once: ingest asks in its reading workers and again when storing (the value
        # travels back with the pickled entry). The entry is frozen, so it cannot go stale.
        payload = {k: v for k, v in asdict(self).items() if k not in ("source_path", "source_format")}
        payload["date"] = self.date.isoformat()
        if self.image is None:
            # Entries read before images were kept hash as they did: no re-ingest churn.
            del payload["image"]
        blob = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
        return hashlib.sha256(blob).hexdigest()

    def to_dict(self) -> dict:
        data = asdict(self)
        data["date"] = self.date.isoformat()
        for key in ("paragraphs", "notices", "credits"):
            data[key] = list(data[key])
        if self.image is None:
            del data["image"]
        else:
            data["image"] = self.image.to_dict()
        return data

    @classmethod
    def from_dict(cls, data: dict) -> SourceEntry:
        """The inverse of :meth:`to_dict` (an entry as the database keeps it in ``fields``)."""
        values = {f.name: data[f.name] for f in dataclass_fields(cls) if f.name in data}
        values["date"] = dt.date.fromisoformat(str(data["date"]))
        for key in ("paragraphs", "notices", "credits"):
            values[key] = tuple(values.get(key) or ())
        return cls(**values)


@dataclass(frozen=True)
class SourceUnit:
    """One sentence (or one short field) of an entry, before it gets a database identity."""

    field: str  # field id, e.g. "body.2"
    index: int  # 1-based sentence number within the field
    text: str
    # Text that follows the sentence inside its field (a space, usually), so that joining
    # units gives back the field exactly: the golden round trip depends on it.
    trailing: str = ""
    # Addresses of the unit's links, <a1> first (bpod_i18n.markup): kept out of the text.
    links: tuple[str, ...] = ()
    # Said to translators: e.g. two sentences kept as one unit because a tag pair spans them.
    note: str | None = None


def field_kind(field_id: str) -> str:
    return field_id.split(".", 1)[0]


def field_sort_key(field_id: str) -> tuple[int, int, str]:
    """Reading order of entry fields; other ids (site-string keys) after them, by name."""
    kind, _, number = field_id.partition(".")
    if kind in FIELD_ORDER and (number.isdigit() or not number):
        return (FIELD_ORDER.index(kind), int(number or 0), "")
    return (len(FIELD_ORDER), 0, field_id)

"""SQLAlchemy models: what the database keeps.

Translations carry a ``version`` for optimistic concurrency: every change of a translation
is written by ``store.changes.apply_changes``, which updates a row only if its version is the
one its writer read, moves it on by one, and appends the history event. (``version_id_col``
holds ORM writes, which only tests make, to the same rule.) Events are append-only history.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    ColumnElement,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from bpod_i18n.model import utcnow

__all__ = [
    "Base",
    "Entry",
    "EntryEvent",
    "Event",
    "ExportBase",
    "ExportRound",
    "MTCacheEntry",
    "MirrorPair",
    "Person",
    "PersonRole",
    "PublishedOverwrite",
    "Suggestion",
    "TMEntry",
    "Translation",
    "Unit",
    "utcnow",
]


class Base(DeclarativeBase):
    pass


class Entry(Base):
    __tablename__ = "entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    # "entry" for an archive entry, "site" for the one shared catalog of site strings.
    kind: Mapped[str] = mapped_column(String(10), default="entry")
    date: Mapped[dt.date | None] = mapped_column(Date)
    title: Mapped[str] = mapped_column(Text, default="")
    label: Mapped[str | None] = mapped_column(Text)
    standfirst: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(Text)
    source_path: Mapped[str | None] = mapped_column(Text)
    source_format: Mapped[str] = mapped_column(String(20), default="text")
    source_hash: Mapped[str] = mapped_column(String(64), default="")
    # Every English field as read (SourceEntry.to_dict()), so `show` and emit need no file.
    fields: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    # Set by `entries retire`: the entry keeps its units, translations and history, but export,
    # check, emit, status, review and pretranslate leave it out (`entries restore` clears it).
    retired_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    units: Mapped[list[Unit]] = relationship(back_populates="entry", order_by="Unit.id")

    @classmethod
    def in_use(cls) -> ColumnElement[bool]:
        """The condition of an entry that is not retired (for every query of work to do)."""
        return cls.retired_at.is_(None)


class Unit(Base):
    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stable identity (msgctxt in PO): given once when the sentence first appears and kept
    # through edits of that sentence and of anything around it.
    uid: Mapped[str] = mapped_column(String(16), unique=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id"), index=True)
    field: Mapped[str] = mapped_column(String(40))
    position: Mapped[int] = mapped_column(Integer)  # sentence number within the field, 1-based
    source: Mapped[str] = mapped_column(Text)
    trailing_text: Mapped[str] = mapped_column(String(20), default="")
    # {"links": [address of <a1>, ...], "note": "..."}: what the tagged text in ``source`` keeps
    # out of the translator's reach (bpod_i18n.markup); None when the unit has neither.
    markup: Mapped[dict | None] = mapped_column(JSON(none_as_null=True), nullable=True)
    # Removed from the English: kept for history, never exported or counted.
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    entry: Mapped[Entry] = relationship(back_populates="units")
    translations: Mapped[list[Translation]] = relationship(back_populates="unit")


class Translation(Base):
    __tablename__ = "translations"
    __table_args__ = (UniqueConstraint("unit_id", "locale", name="uq_translation_unit_locale"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    locale: Mapped[str] = mapped_column(String(20), index=True)
    text: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(20), default="untranslated")
    # "human", "tm", "machine:<provider>", "mirror" (brought in from the published mirror)
    origin: Mapped[str | None] = mapped_column(String(60))
    # Who wrote the current text (the four-eyes rule compares reviewers with this): the
    # person when known (``author_id``), and as text (their handle, or the name a one-person
    # project or an old history gave).
    author: Mapped[str | None] = mapped_column(String(200))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    updated_by: Mapped[str | None] = mapped_column(String(200))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    # English the text was written for, when the English changed since (msgmerge's #| msgid).
    previous_source: Mapped[str | None] = mapped_column(Text)
    # How a suggestion was made ("tm: 87% from <slug>"), shown to translators as #. comment.
    note: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    unit: Mapped[Unit] = relationship(back_populates="translations")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy reads it from the class


class Event(Base):
    """Append-only history of a translation; never updated or deleted."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    translation_id: Mapped[int] = mapped_column(ForeignKey("translations.id"), index=True)
    actor: Mapped[str] = mapped_column(String(200))
    # The person behind ``actor`` when known (history written before people existed is linked
    # when a matching person is added).
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    action: Mapped[str] = mapped_column(String(20))  # states.Action values
    from_state: Mapped[str] = mapped_column(String(20))
    to_state: Mapped[str] = mapped_column(String(20))
    old_text: Mapped[str | None] = mapped_column(Text)
    new_text: Mapped[str | None] = mapped_column(Text)
    comment: Mapped[str | None] = mapped_column(Text)

    translation: Mapped[Translation] = relationship()


class EntryEvent(Base):
    """Append-only history of an entry itself: renamed, retired, restored.

    ``old_slug`` of a rename is how ingest still finds the entry from a file that gives the
    old slug (a file named by it), and how `show` and `history` answer for the old name.
    """

    __tablename__ = "entry_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id"), index=True)
    actor: Mapped[str] = mapped_column(String(200))
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    action: Mapped[str] = mapped_column(String(20))  # rename, retire, restore
    old_slug: Mapped[str | None] = mapped_column(String(200), index=True)
    new_slug: Mapped[str | None] = mapped_column(String(200))
    comment: Mapped[str | None] = mapped_column(Text)


class MTCacheEntry(Base):
    """Every machine result ever obtained: a second run sends nothing to the provider."""

    __tablename__ = "mt_cache"
    __table_args__ = (
        UniqueConstraint("provider", "source_lang", "target_lang", "source_hash", name="uq_mt_cache_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    provider: Mapped[str] = mapped_column(String(60))
    source_lang: Mapped[str] = mapped_column(String(20))
    target_lang: Mapped[str] = mapped_column(String(20))
    source_hash: Mapped[str] = mapped_column(String(64))
    source_text: Mapped[str] = mapped_column(Text)
    result: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class TMEntry(Base):
    """A sentence pair of the translation memory that is not (or not only) a unit's translation:
    links aligned from the published mirror (two English sentences the mirror joined into one
    Catalan sentence are one pair here), and pairs read from TMX files.

    One row per (languages, source, target, origin): a re-run updates its confidence and
    source instead of adding a row. ``confidence`` is the alignment's (0-1; None for TMX pairs
    that carried none); ``source`` names where the pair came from (a post URL, a file).
    """

    __tablename__ = "tm_entries"
    __table_args__ = (
        UniqueConstraint(
            "source_lang", "target_lang", "source_hash", "target_hash", "origin", name="uq_tm_entries_pair"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source_lang: Mapped[str] = mapped_column(String(20))
    target_lang: Mapped[str] = mapped_column(String(20), index=True)
    source_text: Mapped[str] = mapped_column(Text)
    target_text: Mapped[str] = mapped_column(Text)
    # sha256 of the text as the memory compares it (mt.tm.normalize): the identity of a pair.
    source_hash: Mapped[str] = mapped_column(String(64))
    target_hash: Mapped[str] = mapped_column(String(64))
    origin: Mapped[str] = mapped_column(String(60))  # "mirror", "tmx", or what a TMX file's prop said
    confidence: Mapped[float | None] = mapped_column(Float)
    source: Mapped[str | None] = mapped_column(Text)
    entry_slug: Mapped[str | None] = mapped_column(String(200))
    link: Mapped[str | None] = mapped_column(String(10))  # "1-1", "2-1", "1-2" for aligned pairs
    creation_id: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    change_id: Mapped[str | None] = mapped_column(String(200))
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class MirrorPair(Base):
    """One published localised entry paired with its English entry, and how well it aligned:
    the review queue reads the lowest confidences from here; ``links`` keeps every link."""

    __tablename__ = "mirror_pairs"
    __table_args__ = (UniqueConstraint("locale", "source", name="uq_mirror_pairs_source"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    locale: Mapped[str] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(Text)  # the post URL, or the file it was read from
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id"), index=True)
    title: Mapped[str] = mapped_column(Text, default="")
    date: Mapped[dt.date | None] = mapped_column(Date)
    pair_score: Mapped[float] = mapped_column(Float, default=0.0)
    mean_confidence: Mapped[float] = mapped_column(Float, default=0.0)
    min_confidence: Mapped[float] = mapped_column(Float, default=0.0)
    units_filled: Mapped[int] = mapped_column(Integer, default=0)
    units_suggested: Mapped[int] = mapped_column(Integer, default=0)
    links: Mapped[list] = mapped_column(JSON, default=list)
    imported_by: Mapped[str | None] = mapped_column(String(200))
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class PublishedOverwrite(Base):
    """A post on a published site that ``publish --force`` overwrote, as the site held it just
    before: an editor's work is never lost, even when a user chose to replace it. Append-only."""

    __tablename__ = "published_overwrites"

    id: Mapped[int] = mapped_column(primary_key=True)
    site: Mapped[str] = mapped_column(String(500))  # the REST API root written to
    locale: Mapped[str] = mapped_column(String(20))
    slug: Mapped[str] = mapped_column(String(200), index=True)  # the entry's slug
    post_id: Mapped[int] = mapped_column(Integer)
    actor: Mapped[str] = mapped_column(String(200))
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    reason: Mapped[str] = mapped_column(Text)  # the conflict that --force overrode
    # The post as the site held it: id, slug, status, modified_gmt, link, title, content,
    # excerpt, featured_media, meta.
    old: Mapped[dict] = mapped_column(JSON)
    new_hash: Mapped[str] = mapped_column(String(64))  # the content hash sent over it


class Person(Base):
    """Someone who works on the translations; never deleted (history keeps referring to them),
    only marked removed."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    handle: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(String(320), unique=True)  # stored lower-case
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    removed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    roles: Mapped[list[PersonRole]] = relationship(back_populates="person", cascade="all, delete-orphan")


class PersonRole(Base):
    """One role of a person in one locale: translator, reviewer or editor."""

    __tablename__ = "person_roles"
    __table_args__ = (UniqueConstraint("person_id", "locale", "role", name="uq_person_role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    locale: Mapped[str] = mapped_column(String(20))
    role: Mapped[str] = mapped_column(String(20))

    person: Mapped[Person] = relationship(back_populates="roles")


class ExportRound(Base):
    """One export (or import) of a locale's files in one checkout: the moment its bases belong to."""

    __tablename__ = "export_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The working copy the files were written to or read from (a random id kept in its
    # .bpod-i18n/ folder): a team's checkouts share one PostgreSQL database.
    checkout: Mapped[str] = mapped_column(String(64))
    locale: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(10))  # "export" or "import"
    actor: Mapped[str] = mapped_column(String(200))
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class ExportBase(Base):
    """What one unit's message held in a checkout's file from a round on: the text the project
    wrote into it (export) or found in it (import). Only changes are stored: a unit's base at a
    round is its newest row up to that round. Import merges three ways against these, never
    against what a file says about itself."""

    __tablename__ = "export_bases"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("export_rounds.id"))
    checkout: Mapped[str] = mapped_column(String(64))
    locale: Mapped[str] = mapped_column(String(20))
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    text: Mapped[str] = mapped_column(Text)
    fuzzy: Mapped[bool] = mapped_column(Boolean)


class Suggestion(Base):
    """A translator's text that met a newer one in the project: kept beside the unit, shown in
    review and in the exported PO, never lost."""

    __tablename__ = "suggestions"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    locale: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    fuzzy: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(Text)  # the English the translator saw
    base_text: Mapped[str | None] = mapped_column(Text)  # what the file held before (None: unknown)
    project_text: Mapped[str] = mapped_column(Text)  # the project's text it met
    author: Mapped[str] = mapped_column(String(200))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    reason: Mapped[str] = mapped_column(Text)
    path: Mapped[str | None] = mapped_column(Text)
    # open, then: stored (the same text became the translation), taken (a reviewer used it),
    # dismissed (a reviewer approved another text having seen it)
    status: Mapped[str] = mapped_column(String(12), default="open")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    resolved_by: Mapped[str | None] = mapped_column(String(200))


Index("ix_units_entry_active", Unit.entry_id, Unit.active)
Index("ix_export_bases_entry", ExportBase.locale, ExportBase.entry_id, ExportBase.checkout)
Index("ix_suggestions_unit", Suggestion.unit_id, Suggestion.locale)

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
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from bpod_i18n.model import utcnow

__all__ = ["Base", "Entry", "Event", "MTCacheEntry", "PublishedOverwrite", "Translation", "Unit", "utcnow"]


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

    units: Mapped[list[Unit]] = relationship(back_populates="entry", order_by="Unit.id")


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
    # "human", "tm", "machine:<provider>"
    origin: Mapped[str | None] = mapped_column(String(60))
    # Who wrote the current text (the four-eyes rule compares reviewers with this).
    author: Mapped[str | None] = mapped_column(String(200))
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
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    action: Mapped[str] = mapped_column(String(20))  # import, review, reject, edit, mt, ingest
    from_state: Mapped[str] = mapped_column(String(20))
    to_state: Mapped[str] = mapped_column(String(20))
    old_text: Mapped[str | None] = mapped_column(Text)
    new_text: Mapped[str | None] = mapped_column(Text)
    comment: Mapped[str | None] = mapped_column(Text)

    translation: Mapped[Translation] = relationship()


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


Index("ix_units_entry_active", Unit.entry_id, Unit.active)

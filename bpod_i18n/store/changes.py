"""The one write of translation changes: new state, history event, version check.

Every writer (import, pretranslate, review, ingest) plans its changes with the state machine
(``bpod_i18n.states.plan``) against the rows it read, and hands them here with the version it
read, or "no row" for a unit that had no translation in the locale. :func:`apply_changes`
writes them in bulk in the caller's session and transaction:

* new translation rows are INSERTed (version 1);
* existing rows are UPDATEd only where their version is still the one the caller read, and
  the version moves on by one;
* one history event per written change is appended.

A change whose row moved on meanwhile (another writer updated it, or created the row the
caller saw missing) is not written and is returned in ``Applied.conflicts``: each caller
decides what that means (import refuses everything, pretranslate counts it as skipped, review
names the unit).

Bulk and optimistic, because import and pretranslate write tens of thousands of rows: each
kind of write first runs as one executemany inside a SAVEPOINT; only if it hits a moved row
(update count short, or a duplicate key on insert) is the savepoint rolled back and the
batch redone the slow way, which finds out exactly which rows moved.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Connection, Table, bindparam, insert, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bpod_i18n.errors import ConflictError
from bpod_i18n.states import Change
from bpod_i18n.store.batching import chunks
from bpod_i18n.store.models import Event, Translation

# Core tables, not the ORM classes: executemany of UPDATE … WHERE version = ? needs the table.
_TRANSLATIONS = cast(Table, Translation.__table__)
_EVENTS = cast(Table, Event.__table__)
# Every column a new row gets when the plan leaves it out (a plan names only what it changes).
_NEW_ROW_DEFAULTS: dict[str, Any] = {
    "text": "",
    "origin": None,
    "author": None,
    "author_id": None,
    "previous_source": None,
    "note": None,
}


@dataclass(frozen=True, slots=True, eq=False)  # identity: results are matched back by object
class PlannedChange:
    """One planned change of one translation and what the caller based it on.

    ``translation_id`` None: the unit had no translation in ``locale`` when the caller read
    it, and the change creates the row. Otherwise ``version`` is the version the caller read.
    """

    unit_id: int
    locale: str
    change: Change
    translation_id: int | None = None
    version: int | None = None

    def __post_init__(self) -> None:
        if self.translation_id is not None and self.version is None:
            raise ValueError("an update of an existing translation needs the version that was read")


@dataclass
class Applied:
    """What :func:`apply_changes` did: changes written, and the ones refused because their row
    moved on (in the order given)."""

    written: list[PlannedChange] = field(default_factory=list)
    conflicts: list[PlannedChange] = field(default_factory=list)


def apply_changes(session: Session, changes: Sequence[PlannedChange]) -> Applied:
    """Write ``changes`` with their history events, each guarded by the version it was planned
    on; returns what was written and what conflicted. Nothing is committed here.

    A translation may appear once per call: plan a second change on top of the first after
    applying it (its version is then one more than the one read).
    """
    _refuse_duplicates(changes)
    applied = Applied()
    if not changes:
        return applied
    session.flush()  # the caller's pending ORM writes (ingest's units) go first
    connection = session.connection()
    events: list[dict[str, Any]] = []
    updates = [c for c in changes if c.translation_id is not None]
    inserts = [c for c in changes if c.translation_id is None]
    moved: set[int] = set()
    if updates:
        written, refused = _update(session, connection, updates)
        events += [{"translation_id": c.translation_id, **c.change.event} for c in written]
        moved.update(id(c) for c in refused)
    if inserts:
        created, taken = _insert(session, connection, inserts)
        events += [{"translation_id": created[id(c)], **c.change.event} for c in inserts if id(c) in created]
        moved.update(id(c) for c in taken)
    if events:
        connection.execute(insert(_EVENTS), events)
    for change in changes:
        (applied.conflicts if id(change) in moved else applied.written).append(change)
    return applied


def _refuse_duplicates(changes: Sequence[PlannedChange]) -> None:
    seen: set[tuple[int, str]] = set()
    for change in changes:
        key = (change.unit_id, change.locale)
        if key in seen:
            raise ValueError(f"two changes of the translation of unit {change.unit_id} in {change.locale} in one call")
        seen.add(key)


# ---------------------------------------------------------------- updates


def _update(
    session: Session, connection: Connection, changes: list[PlannedChange]
) -> tuple[list[PlannedChange], list[PlannedChange]]:
    """(written, moved). Fast path: every guarded UPDATE matches its row."""
    savepoint = session.begin_nested()
    session.connection()  # emits the SAVEPOINT (begin_nested alone waits for the next use)
    if _guarded_updates(connection, changes) == len(changes):
        savepoint.commit()
        return changes, []
    savepoint.rollback()
    # Some row moved on: read the versions under a row lock (FOR UPDATE on PostgreSQL; an
    # SQLite write transaction already holds the database), so none can move between this
    # read and the UPDATE below.
    current: dict[int, int] = {}
    ids = sorted({c.translation_id for c in changes if c.translation_id is not None})
    for chunk in chunks(ids):
        current.update(
            (translation_id, version)
            for translation_id, version in connection.execute(
                select(_TRANSLATIONS.c.id, _TRANSLATIONS.c.version)
                .where(_TRANSLATIONS.c.id.in_(chunk))
                .order_by(_TRANSLATIONS.c.id)
                .with_for_update()
            )
        )
    written = [c for c in changes if c.translation_id is not None and current.get(c.translation_id) == c.version]
    refused = [c for c in changes if c.translation_id is None or current.get(c.translation_id) != c.version]
    if written and _guarded_updates(connection, written) != len(written):
        # Cannot happen with the rows locked; if a backend ever lets it, refuse rather than guess.
        raise ConflictError("translations changed while they were being written; nothing was stored: retry")
    return written, refused


def _guarded_updates(connection: Connection, changes: list[PlannedChange]) -> int:
    """Run each change as ``UPDATE … WHERE id = ? AND version = <read>``; rows matched in all."""
    by_shape: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for c in changes:
        assert c.version is not None
        row = {**c.change.values, "version": c.version + 1, "b_id": c.translation_id, "b_version": c.version}
        # Plans name different columns (an approval leaves the text alone); one executemany per shape.
        by_shape.setdefault(tuple(sorted(c.change.values)), []).append(row)
    matched = 0
    for shape, rows in by_shape.items():
        statement = (
            update(_TRANSLATIONS)
            .where(_TRANSLATIONS.c.id == bindparam("b_id"), _TRANSLATIONS.c.version == bindparam("b_version"))
            .values({name: bindparam(name) for name in (*shape, "version")})
        )
        matched += connection.execute(statement, rows).rowcount
    return matched


# ---------------------------------------------------------------- inserts


def _insert(
    session: Session, connection: Connection, changes: list[PlannedChange]
) -> tuple[dict[int, int], list[PlannedChange]]:
    """({id(change): new translation id}, changes whose row someone else created meanwhile)."""
    rows = [_new_row(c) for c in changes]
    savepoint = session.begin_nested()
    session.connection()  # emits the SAVEPOINT
    try:
        connection.execute(insert(_TRANSLATIONS), rows)
    except IntegrityError:
        # Another writer created some of these rows after the caller read: find out which.
        savepoint.rollback()
        return _insert_each_or_report(connection, changes, rows)
    savepoint.commit()
    return _created_ids(connection, changes), []


def _new_row(change: PlannedChange) -> dict[str, Any]:
    return {
        **_NEW_ROW_DEFAULTS,
        **change.change.values,
        "unit_id": change.unit_id,
        "locale": change.locale,
        "version": 1,
    }


def _created_ids(connection: Connection, changes: list[PlannedChange]) -> dict[int, int]:
    """The ids of rows just inserted, read back by their (unit, locale) key."""
    by_key = {(c.unit_id, c.locale): id(c) for c in changes}
    created: dict[int, int] = {}
    for locale in sorted({c.locale for c in changes}):
        unit_ids = [c.unit_id for c in changes if c.locale == locale]
        for chunk in chunks(unit_ids):
            for translation_id, unit_id in connection.execute(
                select(_TRANSLATIONS.c.id, _TRANSLATIONS.c.unit_id).where(
                    _TRANSLATIONS.c.locale == locale, _TRANSLATIONS.c.unit_id.in_(chunk)
                )
            ):
                created[by_key[(unit_id, locale)]] = translation_id
    return created


def _insert_each_or_report(
    connection: Connection, changes: list[PlannedChange], rows: list[dict[str, Any]]
) -> tuple[dict[int, int], list[PlannedChange]]:
    """INSERT … ON CONFLICT DO NOTHING RETURNING: the rows that went in say so, the rest were
    taken. Slower than a plain executemany (each batch is one long statement), so only after
    a conflict."""
    dialect_insert = postgresql_insert if connection.dialect.name == "postgresql" else sqlite_insert
    statement = (
        dialect_insert(_TRANSLATIONS)
        .on_conflict_do_nothing(index_elements=["unit_id", "locale"])
        .returning(_TRANSLATIONS.c.id, _TRANSLATIONS.c.unit_id, _TRANSLATIONS.c.locale)
    )
    by_key = {(c.unit_id, c.locale): id(c) for c in changes}
    created = {
        by_key[(unit_id, locale)]: translation_id
        for translation_id, unit_id, locale in connection.execute(statement, rows)
    }
    return created, [c for c in changes if id(c) not in created]

"""The translation memory as a file: TMX 1.4b export and import, and the one upsert of
memory pairs (``tm_entries``) that `mirror import` and `tm import` share.

Export holds every pair the project can vouch for: each translated or reviewed unit (its
author as ``creationid``, its first history event as ``creationdate``, its last writer and
change as ``changeid``/``changedate``, its origin, entry and unit as props), then the memory's
own pairs (the mirror's aligned links with their confidence and source, imported TMX). Pairs
are unique by their normalised texts: a unit's translation wins over the same pair in the memory.

Import reads a TMX file whole before storing anything (a file that is not TMX changes
nothing), keeps the variants of the project's locales, and upserts them: a pair already
in the memory with the same origin gets its confidence and source updated, nothing else.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from bpod_i18n import __version__
from bpod_i18n.bitext.tmx import TMXPair, read_tmx, write_tmx
from bpod_i18n.errors import InputError, OutputError
from bpod_i18n.mt.tm import TM_STATES, normalize
from bpod_i18n.store.batching import chunks
from bpod_i18n.store.models import Entry, Event, TMEntry, Translation, Unit, utcnow
from bpod_i18n.workflow.project import Project

TMX_ORIGIN = "tmx"
_UPDATABLE = ("confidence", "source", "entry_slug", "link", "change_id", "changed_at")


def text_key(text: str) -> str:
    """sha256 of the text as the memory compares it (``mt.tm.normalize``)."""
    return hashlib.sha256(normalize(text).encode("utf-8")).hexdigest()


def upsert_pairs(session: Session, rows: Sequence[dict[str, Any]]) -> tuple[int, int]:
    """Insert memory pairs, or update the confidence/source of known ones where they changed;
    returns (added, updated). Each row names source_lang, target_lang, source_text,
    target_text, origin, and optionally confidence, source, entry_slug, link, creation_id,
    created_at, change_id, changed_at. Rows repeating a pair: the most confident wins."""
    now = utcnow()
    unique: dict[tuple[str, str, str, str, str], dict[str, Any]] = {}
    for row in rows:
        key = (
            row["source_lang"],
            row["target_lang"],
            text_key(row["source_text"]),
            text_key(row["target_text"]),
            row["origin"],
        )
        known = unique.get(key)
        if known is None or (row.get("confidence") or 0) > (known.get("confidence") or 0):
            unique[key] = row
    existing: dict[tuple[str, str, str, str, str], tuple[Any, ...]] = {}
    for group in {(k[0], k[1], k[4]) for k in unique}:
        hashes = sorted({k[2] for k in unique if (k[0], k[1], k[4]) == group})
        for chunk in chunks(hashes):
            for found in session.execute(
                select(
                    TMEntry.source_hash, TMEntry.target_hash, TMEntry.id, *(getattr(TMEntry, n) for n in _UPDATABLE[:4])
                ).where(
                    TMEntry.source_lang == group[0],
                    TMEntry.target_lang == group[1],
                    TMEntry.origin == group[2],
                    TMEntry.source_hash.in_(chunk),
                )
            ):
                existing[(group[0], group[1], found[0], found[1], group[2])] = tuple(found[2:])
    inserts, updates = [], []
    for key, row in unique.items():
        values = {name: row.get(name) for name in _UPDATABLE[:4]}
        stored = existing.get(key)
        if stored is None:
            inserts.append(
                {
                    "source_lang": key[0],
                    "target_lang": key[1],
                    "source_text": row["source_text"],
                    "target_text": row["target_text"],
                    "source_hash": key[2],
                    "target_hash": key[3],
                    "origin": key[4],
                    **values,
                    "creation_id": row.get("creation_id"),
                    "created_at": row.get("created_at") or now,
                    "change_id": row.get("change_id") or row.get("creation_id"),
                    "changed_at": row.get("changed_at") or row.get("created_at") or now,
                }
            )
        elif tuple(stored[1:]) != tuple(values.values()):
            updates.append(
                {
                    "b_id": stored[0],
                    **values,
                    "change_id": row.get("change_id"),
                    "changed_at": row.get("changed_at") or now,
                }
            )
    table = cast(Table, TMEntry.__table__)
    if inserts:
        session.execute(insert(table), inserts)
    if updates:
        session.execute(
            update(table).where(table.c.id == bindparam("b_id")).values({n: bindparam(n) for n in _UPDATABLE}),
            updates,
        )
    return len(inserts), len(updates)


# ---------------------------------------------------------------- export


@dataclass
class TMXExportReport:
    path: str
    locales: list[str]
    units: int = 0  # pairs from the units' translations
    memory: int = 0  # pairs from the memory (mirror links, imported TMX)

    def to_dict(self) -> dict:
        return asdict(self)


def export_tmx(project: Project, path: Path, *, locales: Sequence[str] | None = None) -> TMXExportReport:
    config = project.config
    wanted = [config.require_locale(lc) for lc in locales] if locales else list(config.locales)
    report = TMXExportReport(str(path), wanted)
    pairs: list[TMXPair] = []
    seen: set[tuple[str, str, str]] = set()
    source_lang = config.source_language
    with project.store.transaction(write=False) as session:
        first_event = (
            select(Event.translation_id, func.min(Event.at).label("first_at")).group_by(Event.translation_id).subquery()
        )
        query = (
            select(
                Unit.source,
                Translation.text,
                Translation.locale,
                Translation.origin,
                Translation.author,
                Translation.updated_by,
                Translation.updated_at,
                first_event.c.first_at,
                Entry.slug,
                Unit.uid,
            )
            .join(Unit, Translation.unit_id == Unit.id)
            .join(Entry, Unit.entry_id == Entry.id)
            .outerjoin(first_event, first_event.c.translation_id == Translation.id)
            .where(
                Translation.locale.in_(wanted),
                Translation.state.in_(TM_STATES),
                Translation.text != "",
                Unit.active.is_(True),
            )
            .order_by(Translation.locale, Entry.slug, Unit.id)
        )
        for source, text, locale, origin, author, updated_by, updated_at, first_at, slug, uid in session.execute(query):
            key = (locale, normalize(source), normalize(text))
            if key in seen:
                continue
            seen.add(key)
            pairs.append(
                TMXPair(
                    source=source,
                    target=text,
                    source_lang=source_lang,
                    target_lang=locale,
                    origin=origin or "human",
                    entry=slug,
                    unit=uid,
                    creation_id=author or updated_by,
                    creation_date=first_at or updated_at,
                    change_id=updated_by,
                    change_date=updated_at,
                )
            )
            report.units += 1
        for row in session.scalars(
            select(TMEntry).where(TMEntry.target_lang.in_(wanted)).order_by(TMEntry.target_lang, TMEntry.id)
        ):
            key = (row.target_lang, normalize(row.source_text), normalize(row.target_text))
            if key in seen:
                continue
            seen.add(key)
            pairs.append(
                TMXPair(
                    source=row.source_text,
                    target=row.target_text,
                    source_lang=row.source_lang,
                    target_lang=row.target_lang,
                    origin=row.origin,
                    confidence=row.confidence,
                    source_ref=row.source,
                    entry=row.entry_slug,
                    creation_id=row.creation_id,
                    creation_date=row.created_at,
                    change_id=row.change_id,
                    change_date=row.changed_at,
                )
            )
            report.memory += 1
    try:
        write_tmx(path, pairs, source_lang=source_lang, tool_version=__version__)
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror or exc}", path=path) from None
    return report


# ---------------------------------------------------------------- import


@dataclass
class TMXImportReport:
    path: str
    read: int = 0  # pairs in the file
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    other_languages: dict[str, int] = field(default_factory=dict)  # pairs of languages not in the project

    def to_dict(self) -> dict:
        return asdict(self)


def _project_locale(code: str, locales: Sequence[str]) -> str | None:
    normal = code.replace("-", "_")
    for locale in locales:
        if normal.lower() == locale.lower():
            return locale
    language = normal.split("_")[0].lower()
    return next((lc for lc in locales if lc.lower() == language), None)


def import_tmx(
    project: Project, path: Path, *, locales: Sequence[str] | None = None, actor: str | None = None
) -> TMXImportReport:
    config = project.config
    wanted = [config.require_locale(lc) for lc in locales] if locales else list(config.locales)
    report = TMXImportReport(str(path))
    pairs = list(read_tmx(path, source_lang=config.source_language))  # all read before anything is stored
    rows: list[dict[str, Any]] = []
    now = utcnow()
    for pair in pairs:
        report.read += 1
        locale = _project_locale(pair.target_lang, wanted)
        if locale is None:
            report.other_languages[pair.target_lang] = report.other_languages.get(pair.target_lang, 0) + 1
            continue
        rows.append(
            {
                "source_lang": config.source_language,
                "target_lang": locale,
                "source_text": pair.source,
                "target_text": pair.target,
                "origin": (pair.origin or TMX_ORIGIN)[:60],
                "confidence": pair.confidence,
                "source": pair.source_ref or str(path),
                "entry_slug": pair.entry,
                "link": None,
                "creation_id": pair.creation_id or actor or config.user,
                "created_at": pair.creation_date or now,
                "change_id": pair.change_id or pair.creation_id or actor or config.user,
                "changed_at": pair.change_date or pair.creation_date or now,
            }
        )
    if not pairs:
        raise InputError("no translation units with an English variant in this TMX file", path=path)
    with project.store.transaction() as session:
        report.added, report.updated = upsert_pairs(session, rows)
    report.unchanged = len(rows) - report.added - report.updated
    return report

"""Ingest English entries: read, segment, and reconcile with what the database holds.

A file that cannot be read (not an entry, a layout not recognised, a broken file) is reported
with its file and line and nothing of it is stored; the other files of the run are stored
(``IngestReport.failed``).

Units keep their inline markup as tagged text and the addresses of their links in
``Unit.markup`` (bpod_i18n.markup); a link whose address changed in English changes the unit's
links only, never its translations.

Re-ingesting an edited entry must keep every translation it can. Old and new units are
aligned in three passes: identical sentences (wherever they moved), then edited sentences
(the most similar leftover in the same field, like msgmerge's fuzzy match, but within one
entry so it is cheap and safe), then the rest: new sentences get new units, sentences that
disappeared are retired (inactive, kept with their history).
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz
from sqlalchemy import insert, select
from sqlalchemy.orm import Session, selectinload

from bpod_i18n import states
from bpod_i18n.errors import ConflictError, InputError
from bpod_i18n.model import SITE_SLUG, Image, SourceEntry, SourceUnit, State, field_kind, reserved_slug
from bpod_i18n.segment import segment_fields
from bpod_i18n.sources import SITE_STRINGS, SiteChrome, discover, read_entry
from bpod_i18n.states import Action
from bpod_i18n.store.batching import chunks
from bpod_i18n.store.changes import PlannedChange, apply_changes
from bpod_i18n.store.models import Entry, Translation, Unit, utcnow
from bpod_i18n.workers import map_in_workers
from bpod_i18n.workflow.entries import renamed_slugs
from bpod_i18n.workflow.project import NoProgress, ProgressHook, Project

# Below this similarity an "edited" sentence is really a different one: retire + new.
EDIT_SIMILARITY = 55.0


@dataclass
class EntryChange:
    slug: str
    status: str  # new, updated, unchanged
    path: str | None
    units_added: int = 0
    units_edited: int = 0
    units_retired: int = 0
    units_kept: int = 0
    stale_translations: int = 0


@dataclass(frozen=True)
class FailedFile:
    """A file of the run that was not stored, and why (its InputError)."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}" if self.line else f"{self.path}: {self.message}"


@dataclass
class IngestReport:
    entries: list[EntryChange] = field(default_factory=list)
    failed: list[FailedFile] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for change in self.entries if change.status == status)


def ingest(
    project: Project,
    paths: Sequence[Path],
    *,
    date: dt.date | None = None,
    title: str | None = None,
    image: Image | None = None,
    actor: str | None = None,
    progress: ProgressHook | None = None,
) -> IngestReport:
    """Read every entry file under ``paths`` and store the good ones; one transaction for all.

    With one file named, a bad file raises its InputError (nothing stored). With several (or a
    folder), each bad file is reported in ``IngestReport.failed`` with its line, nothing of it
    is stored, and the rest are stored. ``image`` (``--image``) is for one file only.
    """
    progress = progress or NoProgress()
    actor = actor or project.config.user
    files = discover(paths)
    single = len(files) == 1 and len(paths) == 1 and not Path(paths[0]).is_dir()
    if image is not None and len(files) != 1:
        raise InputError(f"--image names the picture of one entry, but {len(files)} files were given")
    chrome = SiteChrome(project.config.ingest.extra_chrome)
    with project.store.transaction(write=False) as session:
        # Entries whose English is unchanged need no segmenting (checked again when storing).
        stored = dict(session.execute(select(Entry.slug, Entry.source_hash)).all())
    reading = _Reading(date, title, image, chrome, project.config.limits.entry_file_size, stored)
    # Parse everything first: a broken file is known before anything is written.
    progress.start(len(files), "Reading")
    parsed: list[SourceEntry] = []
    report = IngestReport()
    segmented: dict[int, list[SourceUnit]] = {}  # id of each entry read (alive in ``parsed``) → units
    for _path, entry, units, failure in _read_all(files, reading, progress):
        if entry is not None:
            parsed.append(entry)
            if units is not None:
                segmented[id(entry)] = units
        elif failure is not None:
            if single:
                raise InputError(failure[2], path=failure[0], line=failure[1])
            report.failed.append(FailedFile(*failure))
    parsed = _drop_duplicate_slugs(parsed, report, single)
    with project.store.transaction() as session:
        # A file under an entry's old slug is that entry now: it may meet the file of its new one.
        parsed = _drop_duplicate_slugs(_follow_renames(session, parsed), report, single)
        sync_site_catalog(session, actor=actor)
        known = dict(session.execute(select(Entry.slug, Entry.source_hash)).all())
        progress.start(len(parsed), "Storing")
        fresh: list[tuple[SourceEntry, str]] = []
        for source in parsed:
            digest = source.content_hash()
            if source.slug not in known:
                fresh.append((source, digest))
                continue
            if known[source.slug] == digest:
                report.entries.append(EntryChange(source.slug, "unchanged", source.source_path))
            else:
                report.entries.append(_store_entry(session, source, digest, actor, segmented))
            progress.advance()
        report.entries.extend(_insert_new(session, fresh, progress, segmented))
    return report


def _follow_renames(session: Session, parsed: list[SourceEntry]) -> list[SourceEntry]:
    """A file that gives the slug an entry had before `entries rename` (a file named by it) is
    that entry, under its new slug: re-ingesting the archive must not bring the old one back."""
    renamed = renamed_slugs(session)
    if not renamed:
        return parsed
    return [dataclasses.replace(s, slug=renamed[s.slug]) if s.slug in renamed else s for s in parsed]


def store_source(session: Session, source: SourceEntry, actor: str) -> EntryChange:
    """Store ``source`` over the existing entry of its slug, as a re-ingest of an edited entry
    does (translations of unchanged sentences kept, edited ones stale, removed ones retired)."""
    return _store_entry(session, source, source.content_hash(), actor)


# Below this many files, worker processes cost more than they save (as in export).
PARALLEL_FROM = 400
_Failure = tuple[str, int | None, str]


@dataclass(frozen=True)
class _Reading:
    """What reading every file of a run needs (the same for all: a worker receives it once)."""

    date: dt.date | None
    title: str | None
    image: Image | None
    chrome: SiteChrome
    max_bytes: int | None
    stored: dict[str, str]  # slug → content hash of the entries stored (unchanged: no segmenting)


def _read_one(
    reading: _Reading, path: Path
) -> tuple[Path, SourceEntry | None, list[SourceUnit] | None, _Failure | None]:
    """Read and segment one file (in a worker process for a large run)."""
    try:
        entry = read_entry(
            path,
            date=reading.date,
            title=reading.title,
            image=reading.image,
            chrome=reading.chrome,
            max_bytes=reading.max_bytes,
        )
    except InputError as error:
        return path, None, None, (str(error.path or path), error.line, error.message)
    if reading.stored.get(entry.slug) == entry.content_hash():
        return path, entry, None, None  # unchanged: its units are in the database already
    return path, entry, segment_fields(entry.fields()), None


def _read_all(
    files: list[Path], reading: _Reading, progress: ProgressHook
) -> Iterator[tuple[Path, SourceEntry | None, list[SourceUnit] | None, _Failure | None]]:
    """Reading HTML and segmenting is the slow part of a large ingest: spread it over the
    cores when there is enough of it to pay for the worker processes."""
    yield from map_in_workers(_read_one, reading, files, progress=progress, chunksize=32, parallel_from=PARALLEL_FROM)


def _units_of(source: SourceEntry, segmented: dict[int, list[SourceUnit]] | None) -> list[SourceUnit]:
    units = segmented.get(id(source)) if segmented else None
    return units if units is not None else segment_fields(source.fields())


def _drop_duplicate_slugs(parsed: Sequence[SourceEntry], report: IngestReport, single: bool) -> list[SourceEntry]:
    """Two files giving one entry: the first is stored, the second reported."""
    seen: dict[str, SourceEntry] = {}
    kept: list[SourceEntry] = []
    for source in parsed:
        why = reserved_slug(source.slug)
        if why is not None:
            raise InputError(
                f"the slug {source.slug!r} is reserved: {why}; give the entry another slug", path=source.source_path
            )
        first = seen.setdefault(source.slug, source)
        if first is source:
            kept.append(source)
            continue
        message = f"gives the same entry ({source.slug}) as {first.source_path}: ingest one of them"
        if single:
            raise InputError(message, path=source.source_path)
        report.failed.append(FailedFile(str(source.source_path), None, message))
    return kept


def _insert_new(
    session: Session,
    fresh: Sequence[tuple[SourceEntry, str]],
    progress: ProgressHook,
    segmented: dict[int, list[SourceUnit]],
) -> list[EntryChange]:
    """New entries in bulk (executemany): the ORM's per-object unit of work costs ~15 ms an
    entry, which is a minute for the archive."""
    if not fresh:
        return []
    now = utcnow()
    session.execute(
        insert(Entry),
        [
            {
                "slug": source.slug,
                "kind": "entry",
                **_entry_columns(source),
                "created_at": now,
                "updated_at": now,
                "source_hash": digest,
                "fields": source.to_dict(),
            }
            for source, digest in fresh
        ],
    )
    slugs = [source.slug for source, _ in fresh]
    ids: dict[str, int] = {}
    for chunk in chunks(slugs):
        ids.update(
            (slug, id_) for slug, id_ in session.execute(select(Entry.slug, Entry.id).where(Entry.slug.in_(chunk)))
        )
    unit_rows = []
    changes = []
    for source, _digest in fresh:
        uids = _UnitIds(source.slug, set())
        units = _units_of(source, segmented)
        for unit in units:
            unit_rows.append(
                {
                    "uid": uids.new(unit.text),
                    "entry_id": ids[source.slug],
                    "field": unit.field,
                    "position": unit.index,
                    "source": unit.text,
                    "trailing_text": unit.trailing,
                    "markup": unit_markup(unit),
                    "active": True,
                    "created_at": now,
                    "updated_at": now,
                }
            )
        changes.append(EntryChange(source.slug, "new", source.source_path, units_added=len(units)))
        progress.advance()
    if unit_rows:
        # Core executemany: the ORM bulk insert splits into one statement per row when a JSON
        # column (markup) is None in some rows and set in others.
        session.execute(insert(Unit.metadata.tables["units"]), unit_rows)
    return changes


def sync_site_catalog(session: Session, *, actor: str) -> EntryChange:
    """The shared catalog of site strings is a pseudo-entry: same units, same workflow."""
    fields = [(string.key, string.text) for string in SITE_STRINGS]
    digest = hashlib.sha256(repr(fields).encode()).hexdigest()
    existing = session.scalar(select(Entry.source_hash).where(Entry.slug == SITE_SLUG))
    if existing == digest:
        return EntryChange(SITE_SLUG, "unchanged", None)
    units = segment_fields(fields)
    entry_fields = {"slug": SITE_SLUG, "strings": dict(fields)}
    return _reconcile(session, SITE_SLUG, units, digest, actor, kind="site", fields=entry_fields)


def _store_entry(
    session: Session,
    source: SourceEntry,
    digest: str,
    actor: str,
    segmented: dict[int, list[SourceUnit]] | None = None,
) -> EntryChange:
    units = _units_of(source, segmented)
    change = _reconcile(session, source.slug, units, digest, actor, kind="entry", fields=source.to_dict())
    change.path = source.source_path
    entry = session.scalar(select(Entry).where(Entry.slug == source.slug))
    assert entry is not None
    for column, value in _entry_columns(source).items():
        setattr(entry, column, value)
    return change


def _entry_columns(source: SourceEntry) -> dict:
    """The entry's own columns, the same for a new entry (bulk insert) and an edited one."""
    return {
        "date": source.date,
        "title": source.title,
        "label": source.label,
        "standfirst": source.standfirst,
        "author": source.author,
        "source_path": source.source_path,
        "source_format": source.source_format,
    }


def _reconcile(
    session: Session,
    slug: str,
    new_units: list[SourceUnit],
    digest: str,
    actor: str,
    *,
    kind: str,
    fields: dict,
) -> EntryChange:
    entry = session.scalar(
        select(Entry).where(Entry.slug == slug).options(selectinload(Entry.units).selectinload(Unit.translations))
    )
    now = utcnow()
    if entry is None:
        entry = Entry(slug=slug, kind=kind, title="", source_format="text", created_at=now)
        session.add(entry)
        status = "new"
        old_units: list[Unit] = []
    else:
        status = "updated"
        old_units = list(entry.units)
    entry.source_hash = digest
    entry.fields = fields
    entry.updated_at = now
    if kind == "site":
        entry.title = "Site strings"
    change = EntryChange(slug, status, None)
    pairs, added, retired = align(old_units, new_units)
    uids = _UnitIds(slug, {unit.uid for unit in old_units})
    planned: list[PlannedChange] = []
    touched: list[Translation] = []

    def plan(translation: Translation, action: Action, **extra: Any) -> None:
        touched.append(translation)
        planned.append(
            PlannedChange(
                translation.unit_id,
                translation.locale,
                states.plan(
                    State(translation.state),
                    action,
                    old_text=translation.text,
                    old_previous_source=translation.previous_source,
                    actor=actor,
                    at=now,
                    **extra,
                ),
                translation.id,
                translation.version,
            )
        )

    for old, new in pairs:
        _move(old, new, now)
        if old.source == new.text:
            change.units_kept += 1
            continue
        change.units_edited += 1
        for translation in old.translations:
            if translation.text:
                plan(
                    translation,
                    Action.SOURCE_CHANGED,
                    previous_source=old.source,
                    comment=f"English changed from: {old.source}",
                )
                change.stale_translations += 1
        old.source = new.text
    for new in added:
        unit = Unit(uid=uids.new(new.text), source=new.text, created_at=now, entry=entry)
        _move(unit, new, now)
        session.add(unit)
        change.units_added += 1
    for old in retired:
        if not old.active:
            continue
        old.active = False
        old.updated_at = now
        change.units_retired += 1
        for translation in old.translations:
            plan(translation, Action.RETIRE, comment="English sentence removed")
    if apply_changes(session, planned).conflicts:
        raise ConflictError(
            f"translations of {slug} were changed by someone else during this ingest; nothing was stored: run it again"
        )
    for translation in touched:
        session.expire(translation)  # written without the ORM: its loaded columns are out of date
    return change


def unit_markup(unit: SourceUnit) -> dict | None:
    """What ``Unit.markup`` keeps of a unit: its links' addresses and its note."""
    data: dict = {}
    if unit.links:
        data["links"] = list(unit.links)
    if unit.note:
        data["note"] = unit.note
    return data or None


def _move(unit: Unit, new: SourceUnit, now: dt.datetime) -> None:
    if (unit.field, unit.position, unit.trailing_text, unit.active) != (new.field, new.index, new.trailing, True):
        unit.field, unit.position, unit.trailing_text, unit.active = new.field, new.index, new.trailing, True
        unit.updated_at = now
    if unit.markup != (data := unit_markup(new)):
        unit.markup = data  # a link's new address: the text, and so its translations, are the same
        unit.updated_at = now


class _Nearest:
    """Old units of one sentence in one field, by position: hands out the free one nearest a
    position (the earlier one on a tie). Two "next free" chains with path compression make
    each take near constant time, however many copies of the sentence the field holds."""

    def __init__(self, units: list[Unit]):
        self.units = sorted(units, key=lambda unit: unit.position)
        self.positions = [unit.position for unit in self.units]
        count = len(self.units)
        self._right = list(range(count + 1))  # i → first free index >= i (count: none)
        self._left = list(range(count + 1))  # i → (last free index <= i - 1) + 1 (0: none)

    @staticmethod
    def _find(chain: list[int], i: int) -> int:
        root = i
        while chain[root] != root:
            root = chain[root]
        while chain[i] != root:
            chain[i], i = root, chain[i]
        return root

    def remove(self, i: int) -> None:
        self._right[i] = i + 1
        self._left[i + 1] = i

    def take(self, position: int) -> Unit | None:
        i = bisect.bisect_left(self.positions, position)
        right = self._find(self._right, i)
        left = self._find(self._left, i) - 1
        options = [k for k in (left, right) if 0 <= k < len(self.units)]
        if not options:
            return None
        best = min(options, key=lambda k: (abs(self.positions[k] - position), k))
        self.remove(best)
        return self.units[best]


class _Identical:
    """Old units by text, for pairing identical sentences in linear time. A new sentence takes,
    in this order: a free active unit of its own field (the nearest by position), any free
    active unit (the first: it moved to another field), a free retired unit of its field
    (nearest), any free retired one."""

    def __init__(self, units: list[Unit]):
        self.used: set[int] = set()
        groups: dict[tuple[str, bool, str], list[Unit]] = defaultdict(list)
        self._queues: dict[tuple[str, bool], list[Unit]] = defaultdict(list)
        for unit in units:
            groups[(unit.source, unit.active, unit.field)].append(unit)
            self._queues[(unit.source, unit.active)].append(unit)
        self._fields = {key: _Nearest(group) for key, group in groups.items()}
        self._slot = {id(unit): (key, i) for key, near in self._fields.items() for i, unit in enumerate(near.units)}
        self._heads: dict[tuple[str, bool], int] = defaultdict(int)

    def take(self, text: str, field: str, position: int) -> Unit | None:
        for active in (True, False):
            near = self._fields.get((text, active, field))
            unit = near.take(position) if near is not None else None
            if unit is None:
                unit = self._first_free((text, active))
                if unit is not None:
                    key, i = self._slot[id(unit)]
                    self._fields[key].remove(i)
            if unit is not None:
                self.used.add(id(unit))
                return unit
        return None

    def _first_free(self, key: tuple[str, bool]) -> Unit | None:
        queue = self._queues.get(key)
        if not queue:
            return None
        head = self._heads[key]
        while head < len(queue) and id(queue[head]) in self.used:
            head += 1
        self._heads[key] = head
        return queue[head] if head < len(queue) else None


def align(
    old_units: Iterable[Unit], new_units: Sequence[SourceUnit]
) -> tuple[list[tuple[Unit, SourceUnit]], list[SourceUnit], list[Unit]]:
    """Pair old units with new ones: (kept or edited pairs, added, retired)."""
    active = [unit for unit in old_units if unit.active]
    inactive = [unit for unit in old_units if not unit.active]
    pairs: list[tuple[Unit, SourceUnit]] = []
    unmatched_new: list[SourceUnit] = []
    candidates = _Identical(active + inactive)  # a sentence that comes back revives its old unit
    for new in new_units:
        best = candidates.take(new.text, new.field, new.index)
        if best is None:
            unmatched_new.append(new)
        else:
            pairs.append((best, new))
    used = candidates.used
    leftovers = [unit for unit in active if id(unit) not in used]
    scored = sorted(
        (
            (fuzz.ratio(old.source, new.text), -abs(old.position - new.index), i, j)
            for i, new in enumerate(unmatched_new)
            for j, old in enumerate(leftovers)
            if field_kind(old.field) == field_kind(new.field)
        ),
        reverse=True,
    )
    paired_new: set[int] = set()
    paired_old: set[int] = set()
    for score, _distance, i, j in scored:
        if score < EDIT_SIMILARITY:
            break
        if i in paired_new or j in paired_old:
            continue
        paired_new.add(i)
        paired_old.add(j)
        pairs.append((leftovers[j], unmatched_new[i]))
    added = [new for i, new in enumerate(unmatched_new) if i not in paired_new]
    retired = [old for j, old in enumerate(leftovers) if j not in paired_old]
    return pairs, added, retired


class _UnitIds:
    """Deterministic unit ids (same archive, same ids), unique within the entry: the n-th
    copy of a sentence gets ``sha256(slug, text, n)``, skipping ids already taken.

    The next n to try is remembered per text, so the k-th repeat of a sentence costs one hash,
    not k (an entry of 20 000 identical sentences took minutes). The ids are the ones trying
    n = 0, 1, 2 ... every time would give: all ids below the remembered n are taken already.
    """

    def __init__(self, slug: str, taken: set[str]):
        self.slug = slug
        self.taken = taken
        self._next: dict[str, int] = {}

    def new(self, text: str) -> str:
        n = self._next.get(text, 0)
        while True:
            uid = hashlib.sha256(f"{self.slug}\x00{text}\x00{n}".encode()).hexdigest()[:12]
            n += 1
            if uid not in self.taken:
                self.taken.add(uid)
                self._next[text] = n
                return uid

"""`mirror import`: the published mirror's translations brought in, and its review queue.

1. Read every source first (WXR files, saved pages, a site's REST API): a bad file or a
   site that fails stops the command before anything is stored.
2. Pair each localised entry with its English entry (``bitext.pairing``): by date, confirmed
   by content against the English machine-translated by the offline engine (results cached
   in ``mt_cache`` like pretranslate's, so a re-run translates nothing).
3. Align the sentences of each pair (``bitext.align``) and plan what each link means:
   a confident 1-1 link is the unit's translation (origin ``mirror``, in ``[mirror] state``);
   a 1-1 link below ``[mirror] min_confidence``, one beside a fragment left unlinked or
   across a sentence boundary the mirror placed elsewhere (``Link.loose_*``, ``Link.boundary``),
   and every 2-1 and 1-2 link, is a suggestion (fuzzy, with a ``mirror: …`` note); 1-0 and 0-1
   links are counted. Every 1-1, 2-1 and 1-2 link also goes into the translation memory
   (``tm_entries``, origin ``mirror``, with its confidence and source). Segmenting and
   aligning, pure, run in worker processes for a large import (``ALIGN_PARALLEL_FROM``).
4. Write it all in one transaction through ``states.plan`` + ``store.changes.apply_changes``.
   The mirror writes only where it may: a unit with no translation, a suggestion (machine
   state), or its own earlier text nobody has touched since (the translation's last history
   event is a mirror action). A text made in the project since is never overwritten: the
   unit is reported as kept. A re-run with the same input changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from bpod_i18n import states
from bpod_i18n.bitext import LocalizedEntry
from bpod_i18n.bitext.align import Link, Sentence, align, plain_text
from bpod_i18n.bitext.pages import read_page
from bpod_i18n.bitext.pairing import EnglishSide, Pairing, candidates, pair
from bpod_i18n.bitext.rest import read_site
from bpod_i18n.bitext.wxr import Skipped, read_wxr
from bpod_i18n.config import MirrorSettings
from bpod_i18n.errors import InputError
from bpod_i18n.markup import carry_tags
from bpod_i18n.model import State, field_sort_key
from bpod_i18n.mt import Provider, make_provider, settings_from_table
from bpod_i18n.segment import segment_field
from bpod_i18n.store.batching import chunks
from bpod_i18n.store.changes import PlannedChange, apply_changes
from bpod_i18n.store.models import Entry, Event, MirrorPair, Translation, Unit, utcnow
from bpod_i18n.workers import map_in_workers
from bpod_i18n.workflow.pretranslate import cached_results, insert_cache_rows, text_hash
from bpod_i18n.workflow.project import NoProgress, ProgressHook, Project
from bpod_i18n.workflow.tm_ops import text_key, upsert_pairs

ORIGIN = "mirror"
PAGE_SUFFIXES = (".html", ".htm", ".txt")
SOURCE_SUFFIXES = (".xml", *PAGE_SUFFIXES)
_ACTION_FOR_STATE = {
    "translated": states.Action.MIRROR,
    "reviewed": states.Action.MIRROR_REVIEWED,
    "machine": states.Action.MIRROR_SUGGEST,
}


# ---------------------------------------------------------------- report


@dataclass
class EntryReport:
    """One localised entry: paired or not, its links by kind, what was stored."""

    source: str
    title: str
    date: str
    slug: str | None = None  # the English entry it was paired with
    pair_score: float = 0.0
    reason: str = ""  # why unpaired
    links: dict[str, int] = field(default_factory=dict)  # "1-1": 9, "2-1": 1…
    mean_confidence: float = 0.0
    filled: int = 0  # units given the mirror's text as their translation
    suggested: int = 0  # units given it as a suggestion (fuzzy)
    unchanged: int = 0  # units already holding what the mirror says
    kept: list[str] = field(default_factory=list)  # unit ids translated in the project since
    left_out: int = 0  # English sentences the mirror left out (1-0)
    added: int = 0  # sentences the mirror added (0-1)
    link_details: list[dict] = field(default_factory=list)

    @property
    def paired(self) -> bool:
        return self.slug is not None

    def where_text(self) -> str:
        return self.source

    def to_dict(self, *, details: bool = True) -> dict:
        data = asdict(self)
        data["paired"] = self.paired
        if not details:
            data.pop("link_details")
        return data


@dataclass
class MirrorReport:
    locale: str
    dry_run: bool = False
    entries: list[EntryReport] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)  # WXR items that are no posts
    tm_added: int = 0
    tm_updated: int = 0
    sentences: int = 0  # English sentences aligned
    conflicts: int = 0  # units someone changed while this run was working: left alone

    def totals(self) -> dict:
        paired = [e for e in self.entries if e.paired]
        links: Counter[str] = Counter()
        for entry in paired:
            links.update(entry.links)
        confidences = [e.mean_confidence for e in paired if e.links]
        return {
            "entries": len(self.entries),
            "paired": len(paired),
            "unpaired": len(self.entries) - len(paired),
            "links": dict(sorted(links.items())),
            "mean_confidence": round(sum(confidences) / len(confidences), 3) if confidences else 0.0,
            "filled": sum(e.filled for e in paired),
            "suggested": sum(e.suggested for e in paired),
            "unchanged": sum(e.unchanged for e in paired),
            "kept": sum(len(e.kept) for e in paired),
            "left_out": sum(e.left_out for e in paired),
            "added": sum(e.added for e in paired),
            "tm_added": self.tm_added,
            "tm_updated": self.tm_updated,
            "sentences": self.sentences,
        }

    def to_dict(self, *, details: bool = True) -> dict:
        return {
            "locale": self.locale,
            "dry_run": self.dry_run,
            "totals": self.totals(),
            "entries": [e.to_dict(details=details) for e in self.entries],
            "skipped": self.skipped,
        }


# ---------------------------------------------------------------- reading


def read_sources(
    paths: Sequence[Path], locale: str, *, site: str | None = None, on_page: Callable[[int, int], None] | None = None
) -> tuple[list[LocalizedEntry], list[Skipped]]:
    """Every localised entry of ``paths`` (files and folders) and of ``site``; all read before
    anything is stored."""
    entries: list[LocalizedEntry] = []
    skipped: list[Skipped] = []
    for path in _discover(paths):
        if path.suffix.lower() == ".xml":
            entries += read_wxr(path, locale, skipped)
        else:
            entries.append(read_page(path, locale))
    if site:
        entries += read_site(site, locale, on_page=on_page)
    return entries, skipped


def _discover(paths: Sequence[Path]) -> list[Path]:
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found += sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in SOURCE_SUFFIXES and not p.name.startswith(".")
            )
        elif path.is_file():
            if path.suffix.lower() not in SOURCE_SUFFIXES:
                raise InputError(
                    f"unsupported file type {path.suffix or '(none)'!r}; expected .xml (a WordPress export), "
                    ".html or .txt (a saved page)",
                    path=path,
                )
            found.append(path)
        else:
            raise InputError("no such file or folder", path=path)
    return found


# ---------------------------------------------------------------- the English side


@dataclass(frozen=True)
class _Unit:
    id: int
    uid: str
    field: str
    position: int
    source: str


@dataclass
class _English:
    id: int
    slug: str
    date: dt.date | None
    author: str | None
    units: list[_Unit]


def _english_entries(session: Session) -> dict[str, _English]:
    entries = {
        slug: _English(entry_id, slug, date, author, [])
        for entry_id, slug, date, author in session.execute(
            select(Entry.id, Entry.slug, Entry.date, Entry.author).where(Entry.kind == "entry")
        )
    }
    by_id = {e.id: e for e in entries.values()}
    for entry_id, unit_id, uid, field_id, position, source in session.execute(
        select(Unit.entry_id, Unit.id, Unit.uid, Unit.field, Unit.position, Unit.source).where(Unit.active.is_(True))
    ):
        if entry_id in by_id:
            by_id[entry_id].units.append(_Unit(unit_id, uid, field_id, position, source))
    for entry in entries.values():
        entry.units.sort(key=lambda u: (field_sort_key(u.field), u.position))
    return entries


class _MachineText:
    """The English machine-translated for comparison, through the MT cache."""

    def __init__(self, project: Project, provider: Provider, locale: str):
        self.project, self.provider, self.locale = project, provider, locale
        self.source_lang = project.config.source_language
        self.engine = provider.engine_id(self.source_lang, locale)
        self.known: dict[str, str] = {}

    def fill(self, texts: Iterable[str], progress: ProgressHook) -> None:
        wanted = {plain_text(t) for t in texts if t.strip()} - set(self.known)
        if not wanted:
            return
        with self.project.store.transaction(write=False) as session:
            self.known.update(cached_results(session, self.engine, self.source_lang, self.locale, wanted))
        misses = sorted(wanted - set(self.known))
        if not misses:
            return
        progress.start(len(misses), f"Machine-translating the English ({self.engine})")
        rows: list[dict] = []

        def arrived(index: int, output: str) -> None:
            progress.advance(1)
            if output.strip():
                rows.append(
                    {
                        "provider": self.engine,
                        "source_lang": self.source_lang,
                        "target_lang": self.locale,
                        "source_hash": text_hash(misses[index]),
                        "source_text": misses[index],
                        "result": output,
                    }
                )

        try:
            results = self.provider.translate_batch(misses, self.source_lang, self.locale, on_result=arrived)
        finally:
            if rows:  # what arrived is cached even if the engine failed half-way
                with self.project.store.transaction() as session:
                    for chunk in chunks(rows, 2000):
                        insert_cache_rows(session, list(chunk))
        self.known.update(zip(misses, results, strict=True))

    def __call__(self, text: str) -> str:
        return self.known.get(plain_text(text), "")


def alignment_provider(project: Project, locale: str) -> Provider:
    """Apertium with the project's settings, in ``[mirror] modes``' mode when one is set."""
    configured = project.config.mt.providers.get("apertium")
    table = configured.table() if configured is not None else {}
    modes = dict(table.get("modes") or {})
    if locale in project.config.mirror.modes:
        modes[locale] = project.config.mirror.modes[locale]
    if modes:
        table["modes"] = modes
    return make_provider("apertium", settings_from_table(table, where="[mt.providers.apertium]"))


# ---------------------------------------------------------------- import


@dataclass(frozen=True)
class _Write:
    """What the mirror says one unit should hold."""

    unit: _Unit
    action: states.Action
    text: str
    note: str


def import_mirror(
    project: Project,
    locale: str,
    paths: Sequence[Path] = (),
    *,
    site: str | None = None,
    provider: Provider | None = None,
    actor: str | None = None,
    dry_run: bool = False,
    progress: ProgressHook | None = None,
) -> MirrorReport:
    config = project.config
    locale = config.require_locale(locale)
    progress = progress or NoProgress()
    if not paths and not site:
        raise InputError("nothing to import: name WXR files, saved pages or folders, or --from-site URL")
    localized, skipped = read_sources(paths, locale, site=site)
    report = MirrorReport(locale, dry_run, skipped=[{"where": s.where, "reason": s.reason} for s in skipped])
    if not localized:
        return report
    provider = provider or alignment_provider(project, locale)
    machine = _MachineText(project, provider, locale)
    with project.store.transaction(write=False) as session:
        english = _english_entries(session)
    by_date: dict[dt.date, list[str]] = defaultdict(list)
    for entry in english.values():
        if entry.date is not None:
            by_date[entry.date].append(entry.slug)

    def sides(slugs: Iterable[str]) -> dict[str, EnglishSide]:
        slugs = sorted(set(slugs))
        machine.fill((u.source for slug in slugs for u in english[slug].units), progress)
        out = {}
        for slug in slugs:
            units = english[slug].units
            title = " ".join(machine(u.source) for u in units if u.field == "title")
            out[slug] = EnglishSide(
                slug, english[slug].date, " ".join(machine(u.source) for u in units), title, english[slug].author
            )
        return out

    # Same-day candidates first; the days around only for entries that need them.
    same_day = {slug for entry in localized for slug in candidates(entry, by_date, wide=False)}
    known_sides = sides(same_day)
    pairings = pair(localized, known_sides, by_date)
    if any(p.slug is None for p in pairings):
        wide = {slug for p in pairings if p.slug is None for slug in candidates(p.entry, by_date, wide=True)}
        known_sides.update(sides(wide - set(known_sides)))
        pairings = pair(localized, known_sides, by_date)
    paired_slugs = [p.slug for p in pairings if p.slug is not None]
    machine.fill((u.source for slug in paired_slugs for u in english[slug].units), progress)

    progress.start(len(pairings), f"Aligning {locale}")
    jobs = [
        _AlignJob(
            [Sentence(u.field, u.source, u.uid) for u in english[p.slug].units],
            [machine(u.source) for u in english[p.slug].units],
            p.entry.fields(),
        )
        for p in pairings
        if p.slug is not None
    ]
    aligned = _align_all(jobs, progress)
    plans: list[tuple[EntryReport, _English | None, list[_Write], list[dict]]] = []
    for pairing in pairings:
        targets, links = next(aligned) if pairing.slug is not None else ([], [])
        entry_report, writes, tm_rows = _plan_pair(pairing, english, targets, links, config.mirror, report)
        plans.append((entry_report, english[pairing.slug] if pairing.slug else None, writes, tm_rows))
        report.entries.append(entry_report)
        if pairing.slug is None:
            progress.advance(1)
    _store(project, locale, plans, actor or config.user, dry_run, report)
    return report


@dataclass(frozen=True)
class _AlignJob:
    """One pair to align, as plain data (it may go to a worker process)."""

    english: list[Sentence]
    machine: list[str]  # the English machine-translated, one per sentence
    fields: list[tuple[str, str]]  # the localised entry's fields, not yet segmented


def _align_one(_context: None, job: _AlignJob) -> tuple[list[Sentence], list[Link]]:
    """Segment the localised entry's fields and align them (in a worker process for a large run)."""
    targets = [Sentence(f, s.text) for f, text in job.fields for s in segment_field(f, text)]
    return targets, align(job.english, job.machine, targets)


ALIGN_PARALLEL_FROM = 400  # pairs; fewer are aligned in this process (workers cost ~0.1 s to start)


def _align_all(jobs: list[_AlignJob], progress: ProgressHook) -> Iterator[tuple[list[Sentence], list[Link]]]:
    """Each job's sentences and links, in order. Segmenting and aligning are pure and the
    slow part of a warm run: spread over the cores (as ingest does) when there is enough."""
    yield from map_in_workers(
        _align_one, None, jobs, progress=progress, chunksize=32, parallel_from=ALIGN_PARALLEL_FROM
    )


def _plan_pair(
    pairing: Pairing,
    english: dict[str, _English],
    target_sentences: list[Sentence],
    links: list[Link],
    settings: MirrorSettings,
    report: MirrorReport,
) -> tuple[EntryReport, list[_Write], list[dict]]:
    entry = pairing.entry
    entry_report = EntryReport(
        entry.where, entry.title, entry.date.isoformat(), pairing.slug, round(pairing.score, 3), pairing.reason
    )
    if pairing.slug is None:
        return entry_report, [], []
    units = english[pairing.slug].units
    report.sentences += len(units)
    writes: list[_Write] = []
    tm_rows: list[dict] = []
    confident_action = _ACTION_FOR_STATE[settings.state]
    confidences: list[float] = []
    for link in links:
        entry_report.links[link.kind] = entry_report.links.get(link.kind, 0) + 1
        english_text = " ".join(units[i].source for i in link.source)
        target_text = " ".join(target_sentences[j].text for j in link.target)
        detail = {
            "kind": link.kind,
            "units": [units[i].uid for i in link.source],
            "english": english_text,
            "translation": target_text,
            "similarity": round(link.similarity, 3),
            "confidence": round(link.confidence, 3),
        }
        beside = [f"the mirror's “{target_sentences[j].text}”" for j in link.loose_target]
        beside += [f"the English “{units[i].source}”" for i in link.loose_source]
        if beside:
            detail["beside"] = beside  # fragments left unlinked next to it that may belong to it
        boundary = [units[i].uid for i in link.boundary]
        if boundary:
            detail["boundary"] = boundary  # its boundary with these units' link is not the English one
        entry_report.link_details.append(detail)
        if not link.source:
            entry_report.added += 1
            continue
        if not link.target:
            entry_report.left_out += 1
            continue
        confidences.append(link.confidence)
        tm_rows.append(
            {
                "source_text": english_text,
                "target_text": target_text,
                "confidence": round(link.confidence, 3),
                "link": link.kind,
            }
        )
        writes += _writes_for(
            link,
            units,
            target_text,
            entry.where,
            confident_action,
            settings.min_confidence,
            beside=beside,
            boundary=boundary,
        )
    entry_report.mean_confidence = round(sum(confidences) / len(confidences), 3) if confidences else 0.0
    return entry_report, writes, tm_rows


def _writes_for(
    link: Link,
    units: list[_Unit],
    text: str,
    where: str,
    confident: states.Action,
    threshold: float,
    *,
    beside: Sequence[str] = (),
    boundary: Sequence[str] = (),
) -> list[_Write]:
    """What ``link`` writes. ``beside`` names the fragments left unlinked next to it (see
    ``Link.loose_target``), ``boundary`` the units of a neighbouring link whose boundary with
    this one the mirror placed elsewhere (``Link.boundary``): either makes a 1-1 link a
    suggestion whatever its confidence."""
    confidence = f"confidence {link.confidence:.2f}"
    if link.kind == "1-1":
        unit = units[link.source[0]]
        # The mirror's text is read without its inline markup: the unit's tags (italics of a
        # binomial, CO<sub>2</sub>, a link) are put back around the same words. A tag that
        # cannot be placed makes the text a suggestion: a confident translation that lost the
        # entry's markup would fail the markup check and publish without it.
        tagged, missing = carry_tags(unit.source, text)
        if missing:
            note = f"mirror: {where} (1-1, {confidence}); place the tags the English has: " + ", ".join(missing)
            return [_Write(unit, states.Action.MIRROR_SUGGEST, tagged, note)]
        text = tagged
        doubt = _doubt(beside, boundary)
        if doubt is not None:
            return [_Write(unit, states.Action.MIRROR_SUGGEST, text, f"mirror: {where} (1-1, {confidence}); {doubt}")]
        if link.confidence >= threshold:
            return [_Write(unit, confident, text, f"mirror: {where} (1-1, {confidence})")]
        note = f"mirror: {where} (1-1, {confidence}: below {threshold:g}, check it against the English)"
        return [_Write(unit, states.Action.MIRROR_SUGGEST, text, note)]
    if link.kind == "1-2":
        unit = units[link.source[0]]
        note = f"mirror: {where} split this sentence in {len(link.target)} (1-2, {confidence})"
        return [_Write(unit, states.Action.MIRROR_SUGGEST, text, note)]
    uids = [units[i].uid for i in link.source]
    writes = []
    for i in link.source:
        others = ", ".join(uid for uid in uids if uid != units[i].uid)
        note = (
            f"mirror: {where} translated this sentence together with {others} in one sentence "
            f"({link.kind}, {confidence}); keep the part that translates this one"
        )
        writes.append(_Write(units[i], states.Action.MIRROR_SUGGEST, text, note))
    return writes


def _doubt(beside: Sequence[str], boundary: Sequence[str]) -> str | None:
    """Why a 1-1 link is not certainly its sentence's translation, whatever its confidence."""
    if beside:
        # "Ací." left alone before "Bacteris de budell …": the translator may have split
        # the English sentence there, or added a word the English lacks.
        return "left unlinked next to it: " + ", ".join(beside) + "; check whether it belongs to this sentence"
    if boundary:
        # "… condicions, i com Fig." + "35 de l'estudi …": the text may hold the start of
        # the next sentence, or lack its own.
        return (
            "the mirror's sentence boundary with "
            + ", ".join(boundary)
            + " is not the English one: this text may hold part of that sentence or lack part of its own"
        )
    return None


# ---------------------------------------------------------------- writing


@dataclass(frozen=True)
class _Current:
    translation_id: int
    version: int
    state: State
    text: str
    note: str | None
    origin: str | None
    previous_source: str | None
    last_action: str | None


def _current(session: Session, locale: str, unit_ids: list[int]) -> dict[int, _Current]:
    # The action of each translation's last event, looked up per translation through the
    # index on events.translation_id (a GROUP BY over the whole events table, once per chunk,
    # grew with every run).
    last_action = (
        select(Event.action)
        .where(Event.translation_id == Translation.id)
        .order_by(Event.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    out: dict[int, _Current] = {}
    for chunk in chunks(sorted(set(unit_ids))):
        rows = session.execute(
            select(
                Translation.unit_id,
                Translation.id,
                Translation.version,
                Translation.state,
                Translation.text,
                Translation.note,
                Translation.origin,
                Translation.previous_source,
                last_action,
            ).where(Translation.locale == locale, Translation.unit_id.in_(chunk))
        )
        for unit_id, tid, version, state, text, note, origin, previous, action in rows:
            out[unit_id] = _Current(tid, version, State(state), text, note, origin, previous, action)
    return out


_MIRROR_ACTIONS = frozenset(a.value for a in states.FROM_MIRROR)


def _may_write(current: _Current | None) -> bool:
    """Untranslated, a suggestion, or the mirror's own text untouched since."""
    if current is None or current.state in (State.UNTRANSLATED, State.MACHINE):
        return True
    return current.last_action in _MIRROR_ACTIONS and current.state in (State.TRANSLATED, State.REVIEWED)


def _store(
    project: Project,
    locale: str,
    plans: list[tuple[EntryReport, _English | None, list[_Write], list[dict]]],
    actor: str,
    dry_run: bool,
    report: MirrorReport,
) -> None:
    now = utcnow()
    with project.store.transaction(write=not dry_run) as session:
        unit_ids = [w.unit.id for _, _, writes, _ in plans for w in writes]
        current = _current(session, locale, unit_ids)
        planned: list[PlannedChange] = []
        seen: set[int] = set()
        for entry_report, _english, writes, _ in plans:
            for write in writes:
                if write.unit.id in seen:  # a unit in two localised entries: the first wins
                    continue
                seen.add(write.unit.id)
                change = _plan(write, current.get(write.unit.id), locale, actor, now, entry_report)
                if change is not None:
                    planned.append(change)
        # One row per pair of texts, the most confident (upsert_pairs then merges the pairs
        # the memory compares as one: hashing every text twice was a tenth of a warm run).
        pairs: dict[tuple[str, str], dict] = {}
        for entry_report, english, _, tm_rows in plans:
            if english is None:
                continue
            for row in tm_rows:
                key = (row["source_text"], row["target_text"])
                known = pairs.get(key)
                if known is None or row["confidence"] > known["confidence"]:
                    pairs[key] = {**row, "entry_slug": english.slug, "source": entry_report.source}
        if dry_run:
            report.tm_added = len({(text_key(source), text_key(target)) for source, target in pairs})
            return
        applied = apply_changes(session, planned)
        report.conflicts = len(applied.conflicts)
        _store_tm(session, locale, project.config.source_language, pairs, actor, now, report)
        _store_pairs(
            session,
            locale,
            [(english.id, entry_report) for entry_report, english, _, _ in plans if english],
            actor,
            now,
        )


def _plan(
    write: _Write,
    current: _Current | None,
    locale: str,
    actor: str,
    now: dt.datetime,
    entry_report: EntryReport,
) -> PlannedChange | None:
    """The change ``write`` makes, or None: unchanged, or the project's own text kept."""
    if current is not None and not _may_write(current):
        if current.text == write.text:
            entry_report.unchanged += 1  # the project holds the mirror's text already
        else:
            entry_report.kept.append(write.unit.uid)
        return None
    start = current.state if current else State.UNTRANSLATED
    target = states.target_state(start, write.action)
    if current is not None and (current.text, current.state, current.note) == (write.text, target, write.note):
        entry_report.unchanged += 1
        return None
    change = states.plan(
        start,
        write.action,
        old_text=current.text if current else "",
        old_previous_source=current.previous_source if current else None,
        actor=actor,
        text=write.text,
        origin=ORIGIN,
        note=write.note,
        comment=write.note,
        at=now,
        author=ORIGIN,
    )
    if write.action is states.Action.MIRROR_SUGGEST:
        entry_report.suggested += 1
    else:
        entry_report.filled += 1
    return PlannedChange(
        write.unit.id,
        locale,
        change,
        current.translation_id if current else None,
        current.version if current else None,
    )


def _store_tm(
    session: Session,
    locale: str,
    source_lang: str,
    pairs: dict[tuple[str, str], dict],
    actor: str,
    now: dt.datetime,
    report: MirrorReport,
) -> None:
    rows = [
        {
            "source_lang": source_lang,
            "target_lang": locale,
            "origin": ORIGIN,
            "creation_id": actor,
            "created_at": now,
            "change_id": actor,
            "changed_at": now,
            **row,
        }
        for row in pairs.values()
    ]
    report.tm_added, report.tm_updated = upsert_pairs(session, rows)


def _pair_values(entry_id: int, entry_report: EntryReport) -> dict:
    return {
        "entry_id": entry_id,
        "title": entry_report.title,
        "date": dt.date.fromisoformat(entry_report.date),
        "pair_score": entry_report.pair_score,
        "mean_confidence": entry_report.mean_confidence,
        "min_confidence": min(
            (d["confidence"] for d in entry_report.link_details if d["units"] and d["translation"]), default=0.0
        ),
        "units_filled": entry_report.filled,
        "units_suggested": entry_report.suggested,
        "links": entry_report.link_details,
    }


def _store_pairs(
    session: Session, locale: str, paired: list[tuple[int, EntryReport]], actor: str, now: dt.datetime
) -> None:
    """One ``mirror_pairs`` row per paired entry: the known ones read in chunks, the new ones
    inserted together."""
    sources = sorted({entry_report.source for _, entry_report in paired})
    known: dict[str, MirrorPair] = {}
    for chunk in chunks(sources):
        for stored in session.scalars(
            select(MirrorPair).where(MirrorPair.locale == locale, MirrorPair.source.in_(chunk))
        ):
            known[stored.source] = stored
    for entry_id, entry_report in paired:
        values = _pair_values(entry_id, entry_report)
        row = known.get(entry_report.source)
        if row is None:
            known[entry_report.source] = row = MirrorPair(
                locale=locale, source=entry_report.source, imported_by=actor, imported_at=now, **values
            )
            session.add(row)
            continue
        # Counts of this run say what it changed; the stored ones what the mirror filled in all.
        values["units_filled"] = max(row.units_filled or 0, entry_report.filled)
        values["units_suggested"] = max(row.units_suggested or 0, entry_report.suggested)
        if any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            row.imported_by, row.imported_at = actor, now


# ---------------------------------------------------------------- review queue


@dataclass(frozen=True)
class QueueItem:
    slug: str
    source: str
    title: str
    mean_confidence: float
    min_confidence: float
    units_filled: int
    units_suggested: int
    links: dict[str, int]

    def to_dict(self) -> dict:
        return asdict(self)


def review_queue(project: Project, locale: str, *, below: float = 0.6, limit: int | None = None) -> list[QueueItem]:
    """Entries brought in from the mirror whose mean link confidence is below ``below``,
    lowest first: the ones a reviewer should read first."""
    locale = project.config.require_locale(locale)
    query = (
        select(MirrorPair, Entry.slug)
        .join(Entry, Entry.id == MirrorPair.entry_id)
        .where(MirrorPair.locale == locale, MirrorPair.mean_confidence < below)
        .order_by(MirrorPair.mean_confidence, Entry.slug)
    )
    if limit:
        query = query.limit(limit)
    with project.store.transaction(write=False) as session:
        return [
            QueueItem(
                slug,
                row.source,
                row.title,
                row.mean_confidence,
                row.min_confidence,
                row.units_filled,
                row.units_suggested,
                dict(Counter(link["kind"] for link in row.links)),
            )
            for row, slug in session.execute(query)
        ]

"""Emit: translations that reached the publish state → localised entries in a mirror folder.

Reading is grouped, never one query per entry, and in two steps inside one read transaction:
first every entry's units with the state and version of their translation (enough to decide
readiness and to fingerprint each page: its English, the id and version of every translation,
the site strings, the options), then the texts of only the entries that must be rendered.
The fingerprint goes into the output folder's manifest, so a re-run with nothing changed
renders nothing and trusts every file from one stat; a changed entry is rendered again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, func, select

from bpod_i18n import __version__
from bpod_i18n.checks.pofiles import read_po
from bpod_i18n.checks.unicode import extra_bidi_controls
from bpod_i18n.config import Config
from bpod_i18n.errors import BpodError, ConflictError, OutputError, UsageError
from bpod_i18n.model import SITE_SLUG, State, field_sort_key
from bpod_i18n.po.layout import po_path
from bpod_i18n.render import (
    FORMATS,
    Format,
    LocalisedEntry,
    Manifest,
    SiteStrings,
    SyncPlan,
    SyncReport,
    SyncStatus,
    apply_sync,
    lock_output,
    plan_sync,
    read_folder_manifest,
    record_is_current,
    relpath_for,
    render_file,
)
from bpod_i18n.render.assemble import MirrorSettings, Sentence, localise, mirror_settings
from bpod_i18n.render.engine import BUILTIN_TEMPLATE_DIR
from bpod_i18n.render.sync import WithdrawnPolicy
from bpod_i18n.store.models import Entry, Person, Translation, Unit
from bpod_i18n.workflow.entries import unknown_entries
from bpod_i18n.workflow.project import NoProgress, ProgressHook, Project

# States an entry may be published at (config [review] publish_state, --min-state).
PUBLISH_STATES = (State.REVIEWED, State.TRANSLATED)
MISSING_SHOWN = 5  # unit ids named per not-ready entry
FINGERPRINT_FORMAT = "emit2"
IN_LIST_LIMIT = 500  # entries to render named in an IN (...) list; more: read all, filter here


@dataclass(frozen=True)
class EmitOptions:
    locale: str
    out_dir: Path
    fmt: Format = "html"
    min_state: State | None = None  # None: the config's publish_state
    min_complete: float | None = None  # percent; partial entries at or above it count
    fallback_english: bool = False  # partial entries show untranslated sentences in English
    slugs: tuple[str, ...] = ()  # only these entries (the rest of the folder is left alone)
    template_dir: Path | None = None
    keep_withdrawn: bool = False
    dry_run: bool = False


@dataclass
class NotReady:
    slug: str
    reason: str
    complete_percent: float
    counts: dict[str, int]  # state → active units in that state
    missing: list[str]  # the first unit ids below the required state, in reading order


@dataclass
class EmittedEntry:
    slug: str
    path: str
    reason: str
    english_fallback: list[str] = field(default_factory=list)


@dataclass
class EmitReport:
    locale: str
    fmt: str
    out_dir: Path
    min_state: State
    dry_run: bool
    new: list[EmittedEntry] = field(default_factory=list)
    updated: list[EmittedEntry] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    withdrawn: list[EmittedEntry] = field(default_factory=list)  # reason: removed / kept
    not_ready: list[NotReady] = field(default_factory=list)
    requested: tuple[str, ...] = ()
    # Ready entries not published because a translation holds bidi controls (exit 1); a page
    # published before stays as it was.
    refused: list[NotReady] = field(default_factory=list)
    # Files the manifest said to remove that were not bpod-i18n's to delete (reason: why).
    left_in_place: list[EmittedEntry] = field(default_factory=list)
    # Temporary files of an interrupted earlier run, removed.
    cleaned: list[str] = field(default_factory=list)

    @property
    def requested_not_ready(self) -> list[str]:
        """Entries named with --entry that were not emitted (the command then exits 1)."""
        return [item.slug for item in self.not_ready if item.slug in self.requested]

    def to_dict(self) -> dict[str, Any]:
        return {
            "locale": self.locale,
            "format": self.fmt,
            "out": str(self.out_dir),
            "min_state": self.min_state.value,
            "dry_run": self.dry_run,
            "new": [vars(item) for item in self.new],
            "updated": [vars(item) for item in self.updated],
            "unchanged": self.unchanged,
            "withdrawn": [vars(item) for item in self.withdrawn],
            "not_ready": [vars(item) for item in self.not_ready],
            "refused": [vars(item) for item in self.refused],
            "left_in_place": [vars(item) for item in self.left_in_place],
            "cleaned": self.cleaned,
        }


@dataclass
class _Entry:
    id: int
    slug: str
    date: dt.date | None
    source_hash: str
    sentences: list[Sentence] = field(default_factory=list)
    source: dict[str, Any] = field(default_factory=dict)  # SourceEntry.to_dict(), loaded to render


@dataclass
class _Selection:
    """What one run renders, keeps and reports, decided from states and versions alone."""

    render: dict[str, tuple[_Entry, str, set[str]]]  # slug → entry, fingerprint, uids in English
    kept: list[str]
    not_ready: list[NotReady]


def emit(project: Project, options: EmitOptions, *, progress: ProgressHook | None = None) -> EmitReport:
    """Render every ready entry of ``options.locale`` into ``options.out_dir`` (or plan it)."""
    config = project.config
    locale, min_state = _checked(config, options)
    if options.out_dir.exists() and not options.out_dir.is_dir():
        raise OutputError("the output folder is a file", path=options.out_dir)
    progress = progress or NoProgress()
    if options.dry_run:  # reads only: no lock, nothing created
        return _emit(project, options, locale, min_state, progress)
    # Two emits into one folder take turns: each plans against the manifest the other left.
    with lock_output(options.out_dir, timeout=config.lock_timeout):
        return _emit(project, options, locale, min_state, progress)


def _emit(project: Project, options: EmitOptions, locale: str, min_state: State, progress: ProgressHook) -> EmitReport:
    config = project.config
    folder_manifest = read_folder_manifest(options.out_dir)
    previous = folder_manifest.of(options.fmt)
    # One read transaction: states first (enough to decide, cheap), texts only of what is rendered.
    with project.store.transaction(write=False) as session:
        conn = session.connection()
        entries, site, settings, base = _states_and_site(conn, config, locale, min_state, options)
        chosen = _select(entries, previous, base, min_state, options)
        _load_texts(conn, locale, [entry for entry, _, _ in chosen.render.values()])
    refused = _refuse_bidi_controls(config, locale, site, chosen.render)
    chosen.kept += [item.slug for item in refused if item.slug in previous.entries]  # published before: kept
    report = EmitReport(
        locale,
        options.fmt,
        options.out_dir,
        min_state,
        options.dry_run,
        not_ready=chosen.not_ready,
        requested=options.slugs,
        refused=refused,
    )
    progress.start(len(chosen.render), f"Emitting {locale}")
    rendered = {}
    fallbacks: dict[str, list[str]] = {}
    for slug, (entry, versions, english) in chosen.render.items():
        localised = localise(slug, entry.source, entry.sentences, english, settings)
        fallbacks[slug] = sorted(localised.english_fallback | localised.partly_english, key=field_sort_key)
        rendered[slug] = render_file(localised, options.fmt, versions=versions, template_dir=options.template_dir)
        progress.advance()
    policy: WithdrawnPolicy = "keep" if options.keep_withdrawn else "remove"
    plan = plan_sync(
        options.out_dir,
        rendered,
        fmt=options.fmt,
        withdrawn_policy=policy,
        kept=chosen.kept,
        previous=folder_manifest,
    )
    synced = None if options.dry_run else apply_sync(plan)
    _fill_report(report, plan, fallbacks, set(entries), synced)
    return report


def _checked(config: Config, options: EmitOptions) -> tuple[str, State]:
    """The locale and the lowest state of ``options``, or a usage error."""
    locale = config.require_locale(options.locale)
    min_state = options.min_state or State(config.publish_state)  # checked when the config was read
    if min_state not in PUBLISH_STATES:
        raise UsageError(f"--min-state must be reviewed or translated, not {min_state.value}")
    if options.min_complete is not None and not 0 <= options.min_complete <= 100:
        raise UsageError(f"--min-complete must be a percentage from 0 to 100, not {options.min_complete:g}")
    if options.fmt not in FORMATS:
        raise UsageError(f"unknown output format {options.fmt!r}: choose html, markdown or json")
    if options.template_dir is not None and not options.template_dir.is_dir():
        raise UsageError("template folder does not exist", path=options.template_dir)
    if SITE_SLUG in options.slugs:
        raise UsageError(f"{SITE_SLUG!r} is the catalog of site strings, not an entry: every entry uses it")
    return locale, min_state


def _ready(
    entries: dict[str, _Entry], base: str, min_state: State, options: EmitOptions
) -> tuple[dict[str, tuple[_Entry, str, set[str]]], list[NotReady]]:
    """The readiness rule over ``entries``: slug → (entry, fingerprint, uids shown in English)
    of those that go out, in slug order, and why each other one does not."""
    ready: dict[str, tuple[_Entry, str, set[str]]] = {}
    not_ready: list[NotReady] = []
    for slug in sorted(entries):
        entry = entries[slug]
        missing = [s for s in entry.sentences if not s.at_least(min_state)]
        verdict = _readiness(entry, missing, min_state, options)
        if verdict is not None:
            not_ready.append(verdict)
            continue
        if entry.date is None:
            raise UsageError(f"entry {slug} has no date: ingest it again")
        ready[slug] = (entry, _fingerprint(base, entry), {s.uid for s in missing})
    return ready, not_ready


@dataclass
class ReadyEntry:
    """One entry that goes out, for a caller other than the mirror folder (publish)."""

    slug: str
    date: dt.date
    fingerprint: str  # emit's: the English, every translation's id and version, the options
    localised: LocalisedEntry | None  # None: the caller did not want its texts
    source: dict[str, Any]  # the stored English entry (SourceEntry.to_dict()); {} without texts


@dataclass
class ReadySet:
    locale: str
    min_state: State
    entries: list[ReadyEntry]
    not_ready: list[NotReady]


def load_ready(project: Project, options: EmitOptions, *, wanted: Callable[[str, str], bool] | None = None) -> ReadySet:
    """The entries ``emit`` would write with ``options`` (same readiness rule, fingerprint and
    texts), localised, without writing anything. ``wanted(slug, fingerprint)`` False leaves an
    entry's texts unread (``localised`` None): a caller that keeps its own record of the
    fingerprint needs nothing more of an unchanged entry. ``options.out_dir`` is not used."""
    config = project.config
    locale, min_state = _checked(config, options)
    with project.store.transaction(write=False) as session:
        conn = session.connection()
        entries, site, settings, base = _states_and_site(conn, config, locale, min_state, options)
        ready, not_ready = _ready(entries, base, min_state, options)
        chosen = {slug for slug, (_, versions, _) in ready.items() if wanted is None or wanted(slug, versions)}
        _load_texts(conn, locale, [ready[slug][0] for slug in sorted(chosen)])
    # What emit refuses to publish (bidi controls) goes to no other mirror either.
    to_read = {slug: ready[slug] for slug in chosen}
    for item in _refuse_bidi_controls(config, locale, site, to_read):
        del ready[item.slug]
        not_ready.append(item)
    out: list[ReadyEntry] = []
    for slug, (entry, versions, english) in ready.items():
        assert entry.date is not None  # _ready refused an entry without one
        if slug not in chosen:
            out.append(ReadyEntry(slug, entry.date, versions, None, {}))
            continue
        localised = localise(slug, entry.source, entry.sentences, english, settings)
        out.append(ReadyEntry(slug, entry.date, versions, localised, entry.source))
    return ReadySet(locale, min_state, out, not_ready)


def _select(
    entries: dict[str, _Entry], previous: Manifest, base: str, min_state: State, options: EmitOptions
) -> _Selection:
    selection = _Selection({}, [], [])
    ready, selection.not_ready = _ready(entries, base, min_state, options)
    for slug, (entry, versions, english) in ready.items():
        assert entry.date is not None  # _ready refused an entry without one
        record = previous.entries.get(slug)
        # Same fingerprint and the file as written: nothing to render (the no-change re-run).
        if (
            record is not None
            and record.versions == versions
            and record.path == str(relpath_for(slug, entry.date, options.fmt))
            and record_is_current(options.out_dir, record)
        ):
            selection.kept.append(slug)
        else:
            selection.render[slug] = (entry, versions, english)
    if options.slugs:  # a partial run leaves every other entry of the folder as it is
        selection.kept += [slug for slug in previous.entries if slug not in entries]
    return selection


def _states_and_site(
    conn: Connection, config: Config, locale: str, min_state: State, options: EmitOptions
) -> tuple[dict[str, _Entry], _Entry | None, MirrorSettings, str]:
    """Every entry's unit states, the site strings with their texts, the mirror's settings and
    the options' part of every fingerprint: what deciding which entries go out needs."""
    entries = _load_states(conn, locale, options.slugs)
    site = entries.pop(SITE_SLUG, None)
    if site is not None:
        _load_texts(conn, locale, [site])
    settings = mirror_settings(locale, site.sentences if site else [], min_state, config.emit)
    return entries, site, settings, _options_fingerprint(options, min_state, settings, config.emit.table())


def _refuse_bidi_controls(
    config: Config, locale: str, site: _Entry | None, render: dict[str, tuple[_Entry, str, set[str]]]
) -> list[NotReady]:
    """Take out of ``render`` the entries whose published text would hold bidi controls the
    English does not (the ``bidi-controls`` check's rule), unless the unit is explicitly
    ignored: ``#, ignore-bidi-controls`` in its PO file, as ``check`` honours it, or the check
    set to warning/notice/off for the locale in ``[check]``. A site string with them stops the
    emit: every page carries the site strings."""
    if config.check.for_locale(locale).severities.get("bidi-controls", "error") != "error":
        return []
    if site is not None:
        for sentence in site.sentences:
            found = extra_bidi_controls(sentence.source, sentence.text)
            if found and not _ignored(config, locale, site, sentence.uid):
                raise UsageError(
                    _bidi_reason(config, locale, site, sentence.uid, found) + "; nothing was emitted",
                    path=po_path(config.locales_dir, locale, SITE_SLUG, None),
                )
    refused: list[NotReady] = []
    for slug in list(render):
        entry, _versions, english = render[slug]
        for sentence in entry.sentences:
            if sentence.uid in english:
                continue  # shown in English: the translation is not published
            found = extra_bidi_controls(sentence.source, sentence.text)
            if found and not _ignored(config, locale, entry, sentence.uid):
                del render[slug]
                reason = _bidi_reason(config, locale, entry, sentence.uid, found)
                counts = {sentence.state.value: len(entry.sentences)}
                refused.append(NotReady(slug, reason, 100.0, counts, [sentence.uid]))
                break
    return refused


def _bidi_reason(config: Config, locale: str, entry: _Entry, uid: str, found: list[str]) -> str:
    names = ", ".join(f"U+{ord(ch):04X}" for ch in found)
    where = po_path(config.locales_dir, locale, entry.slug, entry.date)
    return (
        f"unit {uid}: the translation holds bidirectional controls ({names}) that show it in another order "
        f"than it is stored: remove them, or mark the unit `#, ignore-bidi-controls` in {where}"
    )


def _ignored(config: Config, locale: str, entry: _Entry, uid: str) -> bool:
    """Whether the unit's PO file silences the check for it (``check``'s own reading)."""
    path = po_path(config.locales_path, locale, entry.slug, entry.date if entry.slug != SITE_SLUG else None)
    try:
        units = read_po(path, locales_dir=config.locales_path, project_locales=config.locales).units
    except BpodError:  # no file, or a broken one: nothing is explicitly ignored
        return False
    return any(unit.unit_id == uid and "bidi-controls" in unit.silenced for unit in units)


def _load_states(conn: Connection, locale: str, slugs: Sequence[str]) -> dict[str, _Entry]:
    """Entries (and the site catalog) with the state and version of every active unit."""
    # A retired entry is not in the mirror: a page the manifest has of it is withdrawn.
    entry_query = select(Entry.id, Entry.slug, Entry.date, Entry.source_hash).where(Entry.in_use())
    unit_query = (
        select(
            Unit.entry_id, Unit.uid, Unit.field, Unit.position, Translation.id, Translation.state, Translation.version
        )
        .outerjoin(Translation, (Translation.unit_id == Unit.id) & (Translation.locale == locale))
        .where(Unit.active.is_(True))
    )
    if slugs:
        entry_query = entry_query.where(Entry.slug.in_([*slugs, SITE_SLUG]))
    by_id = {row[0]: _Entry(row[0], row[1], row[2], row[3] or "") for row in conn.execute(entry_query).all()}
    unknown = sorted(set(slugs) - {entry.slug for entry in by_id.values()})
    if unknown:
        raise unknown_entries(conn, unknown)
    if slugs:
        unit_query = unit_query.where(Unit.entry_id.in_(list(by_id)))
    states, untranslated = {state.value: state for state in State}, State.UNTRANSLATED
    for entry_id, uid, fid, position, tid, state, version in conn.execute(unit_query).all():
        entry = by_id.get(entry_id)
        if entry is not None:
            entry.sentences.append(
                Sentence(uid, fid, position, "", "", tid, "", states.get(state, untranslated), version or 0, None)
            )
    sort_keys: dict[str, tuple[int, int, str]] = {}
    for entry in by_id.values():
        for s in entry.sentences:
            if s.field not in sort_keys:
                sort_keys[s.field] = field_sort_key(s.field)
        entry.sentences.sort(key=lambda s: (sort_keys[s.field], s.position))
    return {entry.slug: entry for entry in by_id.values()}


def _load_texts(conn: Connection, locale: str, entries: list[_Entry]) -> None:
    """English and translated texts of ``entries``. A version that moved since the states were
    read means someone changed a text meanwhile: stop rather than publish an unchecked one."""
    if not entries:
        return
    ids = [entry.id for entry in entries]
    source_query = select(Entry.id, Entry.source_hash, Entry.fields)
    # The credit names a person by their name, never by handle or e-mail.
    credited = func.coalesce(Person.name, Translation.author)
    text_query = (
        select(
            Unit.uid,
            Unit.source,
            Unit.trailing_text,
            Translation.text,
            Translation.version,
            credited,
            Unit.markup,
        )
        .outerjoin(Translation, (Translation.unit_id == Unit.id) & (Translation.locale == locale))
        .outerjoin(Person, Person.id == Translation.author_id)
        .where(Unit.active.is_(True))
    )
    if len(ids) <= IN_LIST_LIMIT:  # beyond that, reading everything is cheaper than a huge IN
        source_query = source_query.where(Entry.id.in_(ids))
        text_query = text_query.where(Unit.entry_id.in_(ids))
    by_id = {entry.id: entry for entry in entries}
    for entry_id, source_hash, data in conn.execute(source_query).all():
        entry = by_id.get(entry_id)
        if entry is not None:
            if (source_hash or "") != entry.source_hash:
                raise ConflictError(f"entry {entry.slug} was ingested again while emitting; nothing written: run again")
            entry.source = dict(data or {})
    by_uid = {s.uid: s for entry in entries for s in entry.sentences}
    filled = 0
    for uid, source, trailing, text, version, author, unit_markup in conn.execute(text_query).all():
        sentence = by_uid.get(uid)
        if sentence is None:
            continue
        if (version or 0) != sentence.version:
            raise ConflictError(f"unit {uid} changed while emitting; nothing written: run again")
        sentence.source, sentence.trailing, sentence.text, sentence.author = source, trailing or "", text or "", author
        sentence.links = tuple((unit_markup or {}).get("links") or ())
        filled += 1
    if filled != len(by_uid):
        raise ConflictError("units changed while emitting; nothing written: run again")


def _readiness(entry: _Entry, missing: list[Sentence], min_state: State, options: EmitOptions) -> NotReady | None:
    """None when ``entry`` is emitted; otherwise why not."""
    total = len(entry.sentences)
    if not missing:
        return None
    done = 100.0 * (total - len(missing)) / total if total else 100.0
    counts: dict[str, int] = defaultdict(int)
    for sentence in entry.sentences:
        counts[sentence.state.value] += 1
    gaps = f"{len(missing)} of {total} sentences below {min_state.value}"
    if options.min_complete is None:
        reason = gaps
    elif done < options.min_complete:
        reason = f"{gaps}: {done:.0f}% complete, under --min-complete {options.min_complete:g}%"
    elif options.fallback_english:
        return None
    else:
        reason = f"{gaps}: {done:.0f}% complete, but the gaps need --fallback-english to be shown in English"
    ordered = {state.value: counts[state.value] for state in State if counts.get(state.value)}
    return NotReady(entry.slug, reason, round(done, 1), ordered, [s.uid for s in missing[:MISSING_SHOWN]])


def _options_fingerprint(
    options: EmitOptions, min_state: State, settings: MirrorSettings, emit_config: dict[str, Any]
) -> str:
    """Everything outside an entry that changes its page: options, strings, config, templates."""
    templates = []
    for folder in filter(None, (BUILTIN_TEMPLATE_DIR, options.template_dir)):
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file():
                st = path.stat()
                templates.append((str(path), st.st_size, st.st_mtime_ns))
    parts = [
        FINGERPRINT_FORMAT,
        __version__,
        settings.locale,
        options.fmt,
        min_state.value,
        repr([getattr(settings.strings, f.name) for f in fields(SiteStrings)]),
        repr(sorted(emit_config.items(), key=lambda item: item[0])),
        repr(templates),
    ]
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()


def _fingerprint(base: str, entry: _Entry) -> str:
    """What this entry's page is made of: the options, its English, its translations' versions."""
    parts = [base, entry.source_hash]
    parts += [f"{s.uid}:{s.translation_id}:{s.version}:{s.state.value}" for s in entry.sentences]
    return f"{FINGERPRINT_FORMAT}:{hashlib.sha256(chr(0).join(parts).encode()).hexdigest()[:24]}"


def _fill_report(
    report: EmitReport, plan: SyncPlan, fallbacks: dict[str, list[str]], loaded: set[str], synced: SyncReport | None
) -> None:
    left = {item.relpath: item.reason for item in synced.left} if synced is not None else {}
    if synced is not None:
        report.cleaned = synced.cleaned
        for action in plan.actions:  # a moved page's old place that was not ours to delete
            if action.status is not SyncStatus.WITHDRAWN and action.record is not None:
                if action.record.path in left:
                    report.left_in_place.append(EmittedEntry(action.slug, action.record.path, left[action.record.path]))
    for action in plan.actions:
        if report.requested and action.slug not in loaded:
            continue  # not asked for in this partial run: left untouched, not reported
        if action.status is SyncStatus.UNCHANGED:
            report.unchanged.append(action.slug)
        elif action.status is SyncStatus.WITHDRAWN:
            why = "no longer ready" if action.slug in loaded else "no longer an entry (retired or renamed)"
            if plan.withdrawn_policy == "keep":
                done = "file kept (--keep-withdrawn)"
            else:
                done = "file would be removed" if report.dry_run else "file removed"
            if action.relpath in left:
                report.left_in_place.append(EmittedEntry(action.slug, action.relpath, left[action.relpath]))
                done = "file left in place"
            report.withdrawn.append(EmittedEntry(action.slug, action.relpath, f"{why}; {done}"))
        else:
            item = EmittedEntry(action.slug, action.relpath, action.reason, fallbacks.get(action.slug, []))
            (report.new if action.status is SyncStatus.NEW else report.updated).append(item)

"""Pre-translation: translation memory first, machine translation for the rest, all cached.

Only units with no translation in the locale (untranslated) are filled, always as ``machine``
(fuzzy in PO) with an origin and a note: a suggestion never counts as done.

Machine results are cached in ``mt_cache`` under (engine id, languages, sha256 of the text
*sent*, i.e. with do-not-translate terms as placeholders): the cache holds what the engine said
for what it got, the glossary is applied afresh on every run, and a cached text is never sent
again. Results are written as they arrive, in short transactions (``FLUSH_EVERY`` results or
``FLUSH_SECONDS`` apart at most); what arrived before a provider failure or Ctrl-C is written
before the error is reported. Writes are batched like the importer's (chunked IN reads,
executemany), so a fully cached archive takes seconds.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from bpod_i18n import states
from bpod_i18n.glossary import Matcher
from bpod_i18n.markup import carry_tags, plain
from bpod_i18n.model import State
from bpod_i18n.mt import (
    GlossaryGuard,
    GuardedTranslation,
    Provider,
    ProviderFailure,
    ResultCallback,
    TMRecord,
    TranslationMemory,
    provider_from_config,
    translate_with_glossary,
)
from bpod_i18n.mt.pool import Fanout
from bpod_i18n.mt.tm import IMPORTED_TIER, MIRROR_TIER, TM_STATES
from bpod_i18n.store import Store
from bpod_i18n.store.batching import chunks
from bpod_i18n.store.changes import PlannedChange, apply_changes
from bpod_i18n.store.models import Entry, MTCacheEntry, TMEntry, Translation, Unit, utcnow
from bpod_i18n.workflow.entries import unknown_entries
from bpod_i18n.workflow.glossary_ops import load_termbase_of
from bpod_i18n.workflow.project import NoProgress, ProgressHook, Project

FLUSH_EVERY = 2000  # results written per transaction at most
FLUSH_SECONDS = 0.25  # a result arriving this long after the last write is written at once


@dataclass
class PretranslateReport:
    """What a run did (or, with ``dry_run``, would do); unit counts unless said otherwise."""

    locale: str
    provider: str | None  # engine id (apertium/eng-cat, libre...), None without MT
    dry_run: bool = False
    untranslated: int = 0  # units with no translation when the run started
    tm_exact: int = 0
    tm_fuzzy: int = 0
    cache: int = 0  # machine translations taken from the cache
    machine: int = 0  # machine translations obtained in this run (would be, in a dry run)
    flagged: int = 0  # machine translations a translator must check against the glossary
    texts_sent: int = 0  # distinct texts sent, glossary terms included
    characters_sent: int = 0  # what providers bill
    skipped: int = 0  # translated by someone else while this run was working: left alone
    left: int = 0  # still untranslated after the run (--no-mt, no TM match, empty engine output, a failure)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class _Target:
    """One untranslated unit: its id and, if a row exists in state untranslated, that row."""

    unit_id: int
    translation_id: int | None
    version: int
    previous_source: str | None


@dataclass(frozen=True)
class _Fill:
    target: _Target
    text: str
    origin: str
    note: str


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def pretranslate(
    project: Project,
    locale: str,
    *,
    slugs: Sequence[str] | None = None,
    provider_name: str | None = None,
    provider: Provider | None = None,
    use_mt: bool = True,
    dry_run: bool = False,
    actor: str | None = None,
    progress: ProgressHook | None = None,
) -> PretranslateReport:
    """Fill the untranslated units of ``locale`` (of ``slugs``, or all) from TM, then MT.

    ``provider`` replaces the configured one (benchmarks, tests); ``provider_name`` picks
    another configured provider. Raises a ProviderFailure subclass (exit code 1) when the
    provider fails, after storing every result obtained before.
    """
    config = project.config
    locale = config.require_locale(locale)
    threshold = config.mt.fuzzy_threshold
    provider = (provider or provider_from_config(config.mt.table(), provider_name)) if use_mt else None
    report = PretranslateReport(
        locale, provider.engine_id(config.source_language, locale) if provider else None, dry_run
    )
    with project.store.transaction(write=False) as session:
        targets = _untranslated(session, locale, _entry_ids(session, slugs))
        report.untranslated = sum(len(units) for units in targets.values())
        memory = TranslationMemory(_tm_records(session, locale) if targets else ())
    progress = progress or NoProgress()
    progress.start(report.untranslated, f"Pre-translating {locale}")
    writer = _Writer(project.store, locale, actor or config.user, dry_run, progress)
    try:
        _from_memory(memory, threshold, targets, writer, report)
        writer.flush()
        if provider is not None and targets:
            _from_machine(project, provider, targets, writer, report)
    finally:
        writer.flush()  # also on a provider failure or Ctrl-C: what arrived is kept
        report.skipped = writer.skipped
        report.left = sum(len(units) for units in targets.values())
    return report


def _from_memory(
    memory: TranslationMemory,
    threshold: float,
    targets: dict[str, list[_Target]],
    writer: _Writer,
    report: PretranslateReport,
) -> None:
    """Exact, then fuzzy matches (best first), once per distinct English sentence."""
    for source in list(targets):
        matches = memory.lookup(source, min_score=threshold, limit=1)
        if matches:
            match, units = matches[0], targets.pop(source)
            # The memory compares without tags; the suggestion takes this sentence's tags.
            text, unplaced = carry_tags(source, match.target)
            note = f"tm: {round(match.score)}% from {match.slug}"
            if unplaced:
                note += f"; place the tags {', '.join(unplaced)}"
            writer.add(units, text, "tm", note)
            report.tm_exact += len(units) if match.exact else 0
            report.tm_fuzzy += 0 if match.exact else len(units)


def _from_machine(
    project: Project, provider: Provider, targets: dict[str, list[_Target]], writer: _Writer, report: PretranslateReport
) -> None:
    """The glossary around the provider, the cache in front of it; results stored as they come."""
    source_lang, locale, engine = project.config.source_language, report.locale, report.provider
    assert engine is not None
    texts = list(targets)
    termbase = load_termbase_of(project, locale)
    matcher = Matcher(termbase)  # termbase DNT terms, plus gene symbols and binomials by spelling
    guard = GlossaryGuard(
        termbase.terms, extra_dnt={h.matched_text for t in texts for h in matcher.find(plain(t)) if h.dnt}
    )
    protected = [guard.protect(text, shield_tags=not provider.keeps_markup).text for text in texts]
    to_send = set(protected) | set(guard.probe_texts(texts))  # probes: the engine's wording of glossary terms
    with project.store.transaction(write=False) as session:
        known = cached_results(session, engine, source_lang, locale, to_send)
    misses = [text for text in to_send if text not in known and text.strip()]
    report.texts_sent, report.characters_sent = len(misses), sum(len(text) for text in misses)
    if report.dry_run:
        for text, sent in zip(texts, protected, strict=True):
            units = targets.pop(text)
            report.cache += len(units) if sent in known else 0
            report.machine += 0 if sent in known else len(units)
        return
    caching = CachingProvider(provider, engine, known, writer, max_length=project.config.limits.translation_length)

    limits = project.config.limits

    def store(i: int, guarded: GuardedTranslation) -> None:
        # An empty suggestion helps nobody, and one over [limits] translation_length (a runaway
        # or hostile server) is not stored: the unit stays untranslated.
        if guarded.text.strip() and limits.check_translation(guarded.text) is None:
            units = targets.pop(texts[i])
            writer.add(units, guarded.text, f"machine:{engine}", machine_note(engine, guarded))
            report.cache += len(units) if caching.wascached_results(i) else 0
            report.machine += 0 if caching.wascached_results(i) else len(units)
            report.flagged += len(units) if guarded.flagged else 0
        writer.flush_if_due()  # the cache row and the translations of a text go in together

    try:
        renderings = guard.learn_renderings(caching, source_lang, locale, texts=texts)
        translate_with_glossary(caching, texts, source_lang, locale, guard, renderings=renderings, on_result=store)
    except ProviderFailure as failure:
        stored = report.cache + report.machine
        failure.message += f" ({stored} machine translations stored before the failure; run again to continue)"
        raise


def machine_note(engine: str, guarded: GuardedTranslation) -> str:
    """``machine: apertium/eng-cat``, plus what the glossary changed or wants checked."""
    note = f"machine: {engine}"
    done = [n.message for n in guarded.notes if not n.needs_review]
    check = [n.message for n in guarded.notes if n.needs_review]
    if done:
        note += "; glossary: " + "; ".join(done)
    if check:
        note += "; check glossary: " + "; ".join(check)
    return note


class CachingProvider(Provider):
    """Answers from the cache, sends only the rest to ``inner``, caches each result on arrival."""

    def __init__(
        self, inner: Provider, engine: str, known: dict[str, str], writer: _Writer, *, max_length: int | None = None
    ):
        self.name = inner.name
        self.keeps_markup = inner.keeps_markup
        self.inner, self.engine, self.known, self.writer = inner, engine, known, writer
        self.max_length = max_length  # longer answers are not cached (nor stored: see store())
        self._cached_indices: set[int] = set()

    def engine_id(self, source: str, target: str) -> str:
        return self.inner.engine_id(source, target)

    def wascached_results(self, index: int) -> bool:
        """Whether text ``index`` of the last batch came from the cache."""
        return index in self._cached_indices

    def translate_batch(
        self, texts: Sequence[str], source: str, target: str, *, on_result: ResultCallback | None = None
    ) -> list[str]:
        self._cached_indices = {i for i, text in enumerate(texts) if text in self.known}
        fanout = Fanout(texts, on_result, answer_now=self.known.get)  # cached texts are answered at once
        self.writer.flush()  # cached results are safe before anything goes over the wire
        unique = fanout.pending

        def arrived(j: int, output: str) -> None:
            self.known[unique[j]] = output
            too_long = self.max_length is not None and len(output) > self.max_length
            if output.strip() and not too_long:  # an empty answer is not kept: the next run asks again
                self.writer.add_cache(self.engine, source, target, unique[j], output)
            fanout.settle(unique[j], output)

        if unique:
            with fanout.keeping_completed():
                self.inner.translate_batch(unique, source, target, on_result=arrived)
        return fanout.results()


class _Writer:
    """Buffers fills and cache rows; writes them in short transactions, batched."""

    def __init__(self, store: Store, locale: str, actor: str, dry_run: bool, progress: ProgressHook):
        self.store, self.locale, self.actor, self.dry_run, self.progress = store, locale, actor, dry_run, progress
        self.fills: list[_Fill] = []
        self.cache_rows: list[dict] = []
        self.skipped = 0
        self._last_flush = 0.0

    def add(self, units: list[_Target], text: str, origin: str, note: str) -> None:
        self.fills += [_Fill(unit, text, origin, note) for unit in units]
        self.progress.advance(len(units))
        if len(self.fills) >= FLUSH_EVERY:
            self.flush()

    def add_cache(self, engine: str, source: str, target: str, text: str, result: str) -> None:
        self.cache_rows.append(
            {
                "provider": engine,
                "source_lang": source,
                "target_lang": target,
                "source_hash": text_hash(text),
                "source_text": text,
                "result": result,
            }
        )

    def flush_if_due(self) -> None:
        pending = len(self.fills) + len(self.cache_rows)
        if pending >= FLUSH_EVERY or (pending and time.monotonic() - self._last_flush >= FLUSH_SECONDS):
            self.flush()

    def flush(self) -> None:
        fills, cache_rows, self.fills, self.cache_rows = self.fills, self.cache_rows, [], []
        if self.dry_run or not (fills or cache_rows):
            return
        with self.store.transaction() as session:
            if cache_rows:
                insert_cache_rows(session, cache_rows)
            if fills:
                self.skipped += _write_fills(session, self.locale, self.actor, fills)
        self._last_flush = time.monotonic()


# ---------------------------------------------------------------- reads


def _entry_ids(session: Session, slugs: Sequence[str] | None) -> list[int] | None:
    if not slugs:
        return None
    found = dict(session.execute(select(Entry.slug, Entry.id).where(Entry.slug.in_(list(slugs)), Entry.in_use())).all())
    missing = sorted(set(slugs) - set(found))
    if missing:
        raise unknown_entries(session, missing)
    return list(found.values())


def _untranslated(session: Session, locale: str, entry_ids: list[int] | None) -> dict[str, list[_Target]]:
    """English sentence → its active units with no translation in ``locale``, in entry order."""
    query = (
        select(Unit.id, Unit.source, Translation.id, Translation.version, Translation.previous_source)
        .join(Entry, Entry.id == Unit.entry_id)
        .outerjoin(Translation, (Translation.unit_id == Unit.id) & (Translation.locale == locale))
        .where(Unit.active.is_(True), Entry.in_use())
        .where(Translation.id.is_(None) | (Translation.state == State.UNTRANSLATED.value))
        .order_by(Unit.entry_id, Unit.id)
    )
    id_chunks = [None] if entry_ids is None else list(chunks(entry_ids))
    rows = [
        row
        for chunk in id_chunks
        for row in session.execute(query if chunk is None else query.where(Unit.entry_id.in_(chunk)))
    ]
    targets: dict[str, list[_Target]] = {}
    for unit_id, source, translation_id, version, previous in rows:
        if source.strip():
            targets.setdefault(source, []).append(_Target(unit_id, translation_id, version or 1, previous))
    return targets


def _tm_records(session: Session, locale: str) -> list[TMRecord]:
    """Every human translation of the locale that may serve as a match (reviewed, translated),
    then the memory's own pairs (the mirror's aligned links, imported TMX). A text brought in
    from the mirror and not reviewed in the project ranks below the project's own."""
    query = (
        select(Unit.source, Translation.text, Translation.state, Translation.origin, Entry.slug, Unit.uid)
        .join(Unit, Translation.unit_id == Unit.id)
        .join(Entry, Unit.entry_id == Entry.id)
        .where(Translation.locale == locale, Translation.state.in_(TM_STATES), Translation.text != "")
        .order_by(Entry.slug, Unit.id)
    )
    records = [
        TMRecord(source, text, MIRROR_TIER if origin == "mirror" and state != "reviewed" else state, slug, uid)
        for source, text, state, origin, slug, uid in session.execute(query)
    ]
    pairs = (
        select(TMEntry.source_text, TMEntry.target_text, TMEntry.origin, TMEntry.entry_slug, TMEntry.source)
        .where(TMEntry.target_lang == locale)
        .order_by(TMEntry.id)
    )
    records += [
        TMRecord(source, target, MIRROR_TIER if origin == "mirror" else IMPORTED_TIER, slug or where or origin, "")
        for source, target, origin, slug, where in session.execute(pairs)
    ]
    return records


def cached_results(session: Session, engine: str, source: str, target: str, texts: Iterable[str]) -> dict[str, str]:
    """Sent text → cached result, for the texts the cache holds."""
    by_hash = {text_hash(text): text for text in texts}
    found: dict[str, str] = {}
    for chunk in chunks(list(by_hash)):
        for digest, source_text, result in session.execute(
            select(MTCacheEntry.source_hash, MTCacheEntry.source_text, MTCacheEntry.result).where(
                MTCacheEntry.provider == engine,
                MTCacheEntry.source_lang == source,
                MTCacheEntry.target_lang == target,
                MTCacheEntry.source_hash.in_(chunk),
            )
        ):
            if by_hash.get(digest) == source_text:  # a hash collision is not a hit
                found[source_text] = result
    return found


# ---------------------------------------------------------------- writes


def insert_cache_rows(session: Session, rows: list[dict]) -> None:
    """Insert, ignoring keys another run cached meanwhile (both backends know ON CONFLICT)."""
    dialect_insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(dialect_insert(MTCacheEntry).on_conflict_do_nothing(), rows)


def _write_fills(session: Session, locale: str, actor: str, fills: list[_Fill]) -> int:
    """Store fills through the state machine; returns how many were skipped because someone
    translated the unit since it was read (its version moved on, or its row was created
    meanwhile): a translation is never overwritten."""
    now = utcnow()
    planned = [
        PlannedChange(
            fill.target.unit_id,
            locale,
            _plan(fill, fill.target.previous_source, actor, now),
            fill.target.translation_id,
            fill.target.version if fill.target.translation_id is not None else None,
        )
        for fill in fills
    ]
    return len(apply_changes(session, planned).conflicts)


def _plan(fill: _Fill, old_previous: str | None, actor: str, now: dt.datetime) -> states.Change:
    return states.plan(
        State.UNTRANSLATED,
        states.Action.PRETRANSLATE,
        old_text="",
        old_previous_source=old_previous,
        actor=actor,
        text=fill.text,
        origin=fill.origin,
        note=fill.note,
        comment=fill.note,
        at=now,
    )

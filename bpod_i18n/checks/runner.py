"""``run_checks``: find the PO files, check them (in a process pool when there are many), judge."""

from __future__ import annotations

import datetime as dt
import os
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from bpod_i18n.checks.gate import NO_STATES_GIVEN, NoReviewStates, UnitStates, judge_locale
from bpod_i18n.checks.registry import Registry, default_registry
from bpod_i18n.checks.result import GATE_CHECK_NAMES, CheckResult, Problem
from bpod_i18n.checks.scan import FileContext, FileScan, Finding, scan_file
from bpod_i18n.errors import BpodError, ConfigError, UsageError
from bpod_i18n.gate_settings import OFF, GateSettings
from bpod_i18n.gc_pause import gc_paused
from bpod_i18n.po import discover
from bpod_i18n.tomlkeys import show, table_name
from bpod_i18n.workers import map_in_workers

# Below this many files a pool costs more than it saves.
PARALLEL_MIN_FILES = 200
_CHUNK = 64


@gc_paused()
def run_checks(
    paths: Sequence[Path],
    *,
    locale: str | None,
    settings: GateSettings,
    registry: Registry | None = None,
    unit_states: UnitStates | None = None,
    no_review_states: NoReviewStates = NO_STATES_GIVEN,
    today: dt.date | None = None,
    expected_entries: Collection[str] | None = None,
    context: FileContext | None = None,
    jobs: int | None = None,
) -> CheckResult:
    """Check the PO files in ``paths`` (files or directories) and judge each locale's gate.

    ``unit_states``: review states from the database, keyed by (locale, unit id); enables
    ``min_reviewed_percent``. Without them that setting fails the gate, unless
    ``no_review_states`` says the user chose so (``explicit``): then each report says review
    progress was not checked, and why. ``expected_entries``: slugs that should have a PO file (from the
    database); with directories among ``paths``, a required entry without a file fails the
    gate (the site catalog always is required). ``context``: the project's layout and locales
    and (from the database) each entry's units, against which every file is read. ``jobs``:
    worker processes (default: CPUs).
    Raises InputError for an unreadable or malformed file, UsageError when nothing matches.
    """
    registry = registry if registry is not None else default_registry()
    today = today or dt.date.today()
    validate_settings(settings, registry)
    files, any_directory = discover(paths)
    if not files:
        raise UsageError("no PO files found in " + ", ".join(str(p) for p in paths))
    scans = _scan_all(files, registry, settings, locale, context or FileContext(), jobs)
    if not scans:
        raise UsageError(f"no PO files for locale {locale!r} in " + ", ".join(str(p) for p in paths))

    by_locale: dict[str, list[FileScan]] = defaultdict(list)
    for scan in scans:
        by_locale[scan.locale].append(scan)
    summaries, problems = [], []
    for code in sorted(by_locale):
        local = settings.for_locale(code)
        summary, found = judge_locale(
            code,
            by_locale[code],
            _catalog_findings(by_locale[code], registry),
            settings=local,
            registry=registry,
            today=today,
            unit_states=unit_states,
            no_review_states=no_review_states,
            expected_entries=expected_entries,
            look_for_missing=any_directory,
        )
        summaries.append(summary)
        problems.extend(found)
    order = {check_id: i for i, check_id in enumerate(registry.ids())}
    problems.sort(key=lambda p: (p.locale, p.file, p.line, order.get(p.check, len(order)), p.unit))
    names = {check.check_id: check.name for check in registry}
    names.update(GATE_CHECK_NAMES)
    files_by_locale = {code: [scan.path for scan in found] for code, found in sorted(by_locale.items())}
    return CheckResult(summaries, problems, today, check_names=names, files_by_locale=files_by_locale)


def validate_settings(settings: GateSettings, registry: Registry) -> None:
    """Every check id named in the settings exists; counted checks can only be turned off.

    The error carries the config key that named the id (``origins``), so that the caller who
    has the file can name its line; an id from the command line has none.
    """
    for local in [settings, *settings.locales.values()]:
        for check_id, severity in local.severities.items():
            key = local.origins.get(check_id)
            where = f"{table_name(key[:-1])} {key[-1]}: " if key else ""
            if check_id not in registry:
                raise ConfigError(
                    f"{where}unknown check id {show(check_id)}; known: {', '.join(registry.ids())}", key=key
                )
            if registry.get(check_id).counted and severity != OFF:
                raise ConfigError(
                    f'{where}{check_id} is gated by max_untranslated / max_fuzzy; its severity can only be "off"',
                    key=key,
                )


def _scan_all(
    files: list[Path],
    registry: Registry,
    settings: GateSettings,
    locale: str | None,
    context: FileContext,
    jobs: int | None,
) -> list[FileScan]:
    # The registry may hold closures (a do-not-translate predicate): forked workers inherit it.
    scanning = _Scanning(registry, settings, locale, context)
    results = map_in_workers(
        _scan_one, scanning, files, chunksize=_CHUNK, parallel_from=PARALLEL_MIN_FILES, processes=jobs or os.cpu_count()
    )
    scans: list[FileScan] = []
    for result in results:
        if isinstance(result, _WorkerError):
            raise result.error_type(result.message, path=result.path, line=result.line)
        if result is not None:
            scans.append(result)
    return scans


@dataclass(frozen=True)
class _Scanning:
    """What scanning every file needs (the same for all: a worker receives it once)."""

    registry: Registry
    settings: GateSettings
    locale: str | None
    context: FileContext


@dataclass(frozen=True)
class _WorkerError:
    """A BpodError sent back from a worker (its path and line do not survive pickling)."""

    error_type: type[BpodError]
    message: str
    path: str | None
    line: int | None


def _scan_one(scanning: _Scanning, path: Path) -> FileScan | _WorkerError | None:
    try:
        return scan_file(path, scanning.registry, scanning.settings, scanning.locale, scanning.context)
    except BpodError as error:
        return _WorkerError(type(error), error.message, error.path, error.line)


def _catalog_findings(scans: list[FileScan], registry: Registry) -> list[tuple[FileScan, Finding]]:
    by_path = {scan.path: scan for scan in scans}
    found: list[tuple[FileScan, Finding]] = []
    for check in registry.catalog_checks:
        units = [unit for scan in scans for unit in scan.catalog_units.get(check.check_id, ())]
        if not units:
            continue
        for unit, message in check.check_catalog(units):
            finding = Finding(check.check_id, unit.line, unit.unit_id, message, unit.source, unit.target, False)
            found.append((by_path[unit.file], finding))
    return found


__all__ = ["Problem", "run_checks", "validate_settings"]

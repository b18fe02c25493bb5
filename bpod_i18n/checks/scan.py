"""Run the registry's checks over one PO file: pure, per file, so files can go to a pool."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from bpod_i18n.checks.base import Check, UnitText, locale_rules, without_markup
from bpod_i18n.checks.consistency import TranslatedUnit
from bpod_i18n.checks.pofiles import PoFile, read_po, sniff_locale
from bpod_i18n.checks.registry import Registry
from bpod_i18n.checks.result import MISSING_UNITS, OUTDATED_UNIT
from bpod_i18n.checks.settings import OFF, GateSettings
from bpod_i18n.errors import InputError


class Finding(NamedTuple):
    """A check that fired on a unit, before the gate gives it a severity (a tuple: it is pickled)."""

    check_id: str
    line: int
    unit_id: str
    message: str
    source: str
    target: str
    fuzzy: bool


@dataclass
class FileScan:
    path: str
    locale: str
    entry: str
    entry_date: dt.date | None
    units: int = 0
    untranslated: int = 0
    fuzzy: int = 0
    unit_ids: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    # Per catalog check id: the translated, non-fuzzy units that do not silence it.
    catalog_units: dict[str, list[TranslatedUnit]] = field(default_factory=dict)
    # The file against the project's database (missing-units, outdated-unit): always errors.
    project_findings: list[Finding] = field(default_factory=list)


def locale_matches(locale: str, wanted: str | None) -> bool:
    """``--locale ca`` selects "ca" and "ca_ES"; "ca_ES" selects only itself."""
    if wanted is None:
        return True
    have, want = locale.replace("-", "_").lower(), wanted.replace("-", "_").lower()
    return have == want or have.startswith(want + "_")


@dataclass(frozen=True)
class FileContext:
    """What every file of a run is read against: the project's layout and, with a database,
    the units each entry has today (slug → unit id → English)."""

    locales_dir: Path | None = None
    project_locales: frozenset[str] | None = None
    expected_units: Mapping[str, Mapping[str, str]] | None = None
    max_bytes: int | None = None  # [limits] po_file_size


def scan_file(
    path: Path,
    registry: Registry,
    settings: GateSettings,
    wanted_locale: str | None,
    context: FileContext | None = None,
) -> FileScan | None:
    """Check every unit of one PO file; None if the file is of another locale than wanted."""
    context = context or FileContext()
    if wanted_locale is not None:
        guess = sniff_locale(path, context.locales_dir)
        if guess is not None and not locale_matches(guess, wanted_locale):
            return None
    po = read_po(
        path, locales_dir=context.locales_dir, project_locales=context.project_locales, max_bytes=context.max_bytes
    )
    if not locale_matches(po.locale, wanted_locale):
        return None
    try:
        rules = locale_rules(po.locale)
    except ValueError:
        raise InputError(
            f"unknown locale {po.locale!r} (Language header or locales/<lc>/ directory)", path=path
        ) from None
    local = settings.for_locale(po.locale)
    enabled = [check for check in registry.unit_checks if local.severities.get(check.check_id) != OFF]
    counted = [check for check in enabled if check.counted]
    qa = [check for check in enabled if not check.counted]
    catalog_ids = [check.check_id for check in registry.catalog_checks if local.severities.get(check.check_id) != OFF]
    scan = FileScan(path=po.path, locale=po.locale, entry=po.entry, entry_date=po.entry_date)
    scan.catalog_units = {check_id: [] for check_id in catalog_ids}
    for unit in po.units:
        scan.units += 1
        scan.unit_ids.append(unit.unit_id)
        untranslated, fuzzy = unit.untranslated, unit.fuzzy
        if untranslated:
            scan.untranslated += 1
        elif fuzzy:
            scan.fuzzy += 1
        text = UnitText(
            unit.source, unit.target, rules, unit.flags, unit.unit_id, po.entry, unit.comments, local.length_ratio
        )
        for check in counted:
            message = None if check.check_id in unit.silenced else check.check(text)
            if message:
                scan.findings.append(
                    Finding(check.check_id, unit.line, unit.unit_id, message, unit.source, unit.target, fuzzy)
                )
        if untranslated or (fuzzy and not local.check_fuzzy):
            continue
        _run_qa(qa, text, unit.silenced, unit.line, fuzzy, scan)
        if not fuzzy:
            for check_id in catalog_ids:
                if check_id not in unit.silenced:
                    scan.catalog_units[check_id].append(
                        TranslatedUnit(unit.source, unit.target, po.path, unit.line, po.entry, unit.unit_id)
                    )
    if context.expected_units is not None:
        scan.project_findings = _against_project(po, context.expected_units.get(po.entry))
    return scan


def _against_project(po: PoFile, expected: Mapping[str, str] | None) -> list[Finding]:
    """Units the file lacks, has in excess, or has with other English than the project today:
    the file is out of date (or was edited by hand), and `import` would not take it whole."""
    if expected is None:
        return []  # an entry the project does not know: `missing-entry` and import say so
    found: list[Finding] = []
    present = set()
    for unit in po.units:
        present.add(unit.unit_id)
        source = expected.get(unit.unit_id)
        if source is None:
            found.append(
                Finding(
                    OUTDATED_UNIT,
                    unit.line,
                    unit.unit_id,
                    f"unit {unit.unit_id} is not a unit of {po.entry} (any more): export again",
                    unit.source,
                    unit.target,
                    unit.fuzzy,
                )
            )
        elif source != unit.source:
            found.append(
                Finding(
                    OUTDATED_UNIT,
                    unit.line,
                    unit.unit_id,
                    "the English of this unit is not the project's: the English changed since the "
                    "file was exported, or the msgid was edited; export again",
                    unit.source,
                    unit.target,
                    unit.fuzzy,
                )
            )
    missing = [uid for uid in expected if uid not in present]
    if missing:
        shown = ", ".join(missing[:3]) + (f" and {len(missing) - 3} more" if len(missing) > 3 else "")
        found.append(
            Finding(
                MISSING_UNITS,
                1,
                "",
                f"{len(missing)} of the entry's {len(expected)} units are missing "
                f"from this file ({shown}): export again",
                "",
                "",
                False,
            )
        )
    return found


def _run_qa(
    checks: list[Check], text: UnitText, silenced: frozenset[str], line: int, fuzzy: bool, scan: FileScan
) -> None:
    plain = without_markup(text)
    for check in checks:
        if check.check_id in silenced:
            continue
        message = check.check(text if check.reads_markup else plain)
        if message is None:
            continue
        scan.findings.append(Finding(check.check_id, line, text.unit_id, message, text.source, text.target, fuzzy))
        if check.stops:
            return


@dataclass(frozen=True)
class UnitWarning:
    check_id: str
    severity: str
    message: str


def check_text(registry: Registry, source: str, target: str, locale: str) -> list[UnitWarning]:
    """The QA checks on one translation outside any PO file (the reviewer's view); the
    counted checks (untranslated, fuzzy) are the gate's business and are left out."""
    if not target.strip():
        return []
    unit = UnitText(source, target, locale_rules(locale))
    plain = without_markup(unit)
    warnings = []
    for check in registry.unit_checks:
        if check.counted:
            continue
        message = check.check(unit if check.reads_markup else plain)
        if message is not None:
            warnings.append(UnitWarning(check.check_id, check.severity.value, message))
            if check.stops:
                break
    return warnings

"""Run the registry's checks over one PO file: pure, per file, so files can go to a pool."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from bpod_i18n.checks.base import Check, UnitText, locale_rules
from bpod_i18n.checks.consistency import TranslatedUnit
from bpod_i18n.checks.pofiles import read_po, sniff_locale
from bpod_i18n.checks.registry import Registry
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


def locale_matches(locale: str, wanted: str | None) -> bool:
    """``--locale ca`` selects "ca" and "ca_ES"; "ca_ES" selects only itself."""
    if wanted is None:
        return True
    have, want = locale.replace("-", "_").lower(), wanted.replace("-", "_").lower()
    return have == want or have.startswith(want + "_")


def scan_file(path: Path, registry: Registry, settings: GateSettings, wanted_locale: str | None) -> FileScan | None:
    """Check every unit of one PO file; None if the file is of another locale than wanted."""
    if wanted_locale is not None:
        guess = sniff_locale(path)
        if guess is not None and not locale_matches(guess, wanted_locale):
            return None
    po = read_po(path)
    if not locale_matches(po.locale, wanted_locale):
        return None
    try:
        rules = locale_rules(po.locale)
    except ValueError:
        raise InputError(f"unknown locale {po.locale!r} (Language header or locales/<lc>/ directory)", path=path) from None
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
        texts = [
            UnitText(source, target, rules, unit.flags, unit.unit_id, po.entry, unit.comments, local.length_ratio)
            for source, target in unit.pairs
        ]
        first = texts[0]
        if counted:
            # State checks see the unit as a whole: a plural with one empty form is untranslated.
            state = first if not untranslated or first.target == "" else dataclasses.replace(first, target="")
            for check in counted:
                message = None if check.check_id in unit.silenced else check.check(state)
                if message:
                    scan.findings.append(Finding(check.check_id, unit.line, unit.unit_id, message, first.source, first.target, fuzzy))
        if untranslated or (fuzzy and not local.check_fuzzy):
            continue
        for text in texts:
            _run_qa(qa, text, unit.silenced, unit.line, fuzzy, scan)
        if not fuzzy:
            for check_id in catalog_ids:
                if check_id not in unit.silenced:
                    scan.catalog_units[check_id].append(
                        TranslatedUnit(first.source, first.target, po.path, unit.line, po.entry, unit.unit_id)
                    )
    return scan


def _run_qa(checks: list[Check], text: UnitText, silenced: frozenset[str], line: int, fuzzy: bool, scan: FileScan) -> None:
    for check in checks:
        if check.check_id in silenced:
            continue
        message = check.check(text)
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
    warnings = []
    for check in registry.unit_checks:
        if check.counted:
            continue
        message = check.check(unit)
        if message is not None:
            warnings.append(UnitWarning(check.check_id, check.severity.value, message))
            if check.stops:
                break
    return warnings

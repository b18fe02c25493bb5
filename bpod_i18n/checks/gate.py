"""The gate: severities for each finding, per-locale counts, and the verdict with its reasons."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

from bpod_i18n.checks.base import Severity
from bpod_i18n.checks.registry import Registry
from bpod_i18n.checks.result import MISSING_ENTRY, MISSING_UNITS, OUTDATED_UNIT, LocaleSummary, Problem
from bpod_i18n.checks.scan import FileScan, Finding
from bpod_i18n.gate_settings import REQUIRED_ALL, REQUIRED_DATED, GateSettings
from bpod_i18n.model import SITE_SLUG, State
from bpod_i18n.po import locale_directory, po_path, slug_date

UnitStates = Mapping[tuple[str, str], State | str]  # (locale, unit id) -> review state
_PROJECT_CHECKS = (MISSING_UNITS, OUTDATED_UNIT)


@dataclass(frozen=True)
class NoReviewStates:
    """Why the gate has no review states, for ``min_reviewed_percent``.

    ``explicit``: the user chose to judge the PO files alone (``check --no-db``); the setting
    is then reported as not checked and the gate may pass. Otherwise (a CI checkout without
    the database, a caller that gave none) the gate fails, saying why: review progress that
    cannot be seen is not taken as done.
    """

    reason: str
    explicit: bool = False


NO_STATES_GIVEN = NoReviewStates("no review states were given (they are kept in the project's database)")


def is_required(entry: str, entry_date: dt.date | None, settings: GateSettings, today: dt.date) -> bool:
    """Whether the gate applies to an entry: the site catalog always; entries per ``required``."""
    if entry == SITE_SLUG or settings.required == REQUIRED_ALL:
        return True
    if settings.required == REQUIRED_DATED:
        return entry_date is not None and entry_date <= today
    return entry in settings.required


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def judge_locale(
    locale: str,
    scans: list[FileScan],
    catalog_findings: list[tuple[FileScan, Finding]],
    *,
    settings: GateSettings,
    registry: Registry,
    today: dt.date,
    unit_states: UnitStates | None,
    expected_entries: Collection[str] | None,
    look_for_missing: bool,
    no_review_states: NoReviewStates = NO_STATES_GIVEN,
) -> tuple[LocaleSummary, list[Problem]]:
    summary = LocaleSummary(locale=locale, files=len(scans))
    required = {scan.path: is_required(scan.entry, scan.entry_date, settings, today) for scan in scans}
    summary.required_files = sum(required.values())
    gated = {"untranslated": 0, "fuzzy": 0}
    for scan in scans:
        summary.units += scan.units
        summary.untranslated += scan.untranslated
        summary.fuzzy += scan.fuzzy
        if required[scan.path]:
            for finding in scan.findings:
                if finding.check_id in gated:
                    gated[finding.check_id] += 1
    limits = {"untranslated": settings.max_untranslated, "fuzzy": settings.max_fuzzy}
    over = {check_id: (limit := limits[check_id]) is not None and gated[check_id] > limit for check_id in gated}

    problems: list[Problem] = []
    for scan in scans:
        for finding in scan.project_findings:
            problems.append(
                Problem(
                    locale,
                    scan.path,
                    finding.line,
                    scan.entry,
                    finding.unit_id,
                    finding.check_id,
                    Severity.ERROR,
                    finding.message,
                    finding.source,
                    finding.target,
                )
            )
    findings = [(scan, finding) for scan in scans for finding in scan.findings] + catalog_findings
    for scan, finding in findings:
        check = registry.get(finding.check_id)
        if check.counted:
            if not required[scan.path]:
                severity = Severity.NOTICE
            else:
                severity = Severity.ERROR if over.get(finding.check_id, False) else Severity.WARNING
        else:
            severity = Severity(settings.severities.get(finding.check_id, check.severity))
            if finding.fuzzy and severity is Severity.ERROR:
                # A fuzzy unit is not published; its defects are for the translator, not the gate.
                severity = Severity.WARNING
        problems.append(
            Problem(
                locale,
                scan.path,
                finding.line,
                scan.entry,
                finding.unit_id,
                finding.check_id,
                severity,
                finding.message,
                finding.source,
                finding.target,
            )
        )

    if look_for_missing:
        problems.extend(_missing_entries(locale, scans, settings, today, expected_entries))

    reasons = summary.reasons
    for check_id, label in (("untranslated", "untranslated"), ("fuzzy", "fuzzy")):
        if over[check_id]:
            reasons.append(f"{_plural(gated[check_id], label + ' unit')} in required entries (max {limits[check_id]})")
    required_ids = [uid for scan in scans if required[scan.path] for uid in scan.unit_ids]
    minimum = settings.min_reviewed_percent
    if unit_states is not None:
        states = {uid: State(state) for (lc, uid), state in unit_states.items() if lc == locale}
        summary.reviewed = sum(1 for scan in scans for uid in scan.unit_ids if states.get(uid) is State.REVIEWED)
        if minimum is not None and required_ids:
            reviewed = sum(1 for uid in required_ids if states.get(uid) is State.REVIEWED)
            percent = 100.0 * reviewed / len(required_ids)
            if percent < minimum:
                reasons.append(f"{percent:.1f}% of units in required entries reviewed (min {minimum:g}%)")
    elif minimum is not None and required_ids:
        what = f"review progress (min_reviewed_percent = {minimum:g})"
        if no_review_states.explicit:
            summary.unchecked.append(f"{what}: {no_review_states.reason}")
        else:
            reasons.append(f"{what} not checked: {no_review_states.reason}")
    summary.errors = sum(1 for p in problems if p.severity is Severity.ERROR)
    summary.warnings = sum(1 for p in problems if p.severity is Severity.WARNING)
    summary.notices = sum(1 for p in problems if p.severity is Severity.NOTICE)
    missing = sorted(p.entry for p in problems if p.check == MISSING_ENTRY)
    if missing:
        named = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
        reasons.append(f"{_plural(len(missing), 'required entry', 'required entries')} without a PO file: {named}")
    out_of_date = sorted({p.file for p in problems if p.check in _PROJECT_CHECKS})
    if out_of_date:
        reasons.append(
            f"{_plural(len(out_of_date), 'file')} out of date with the project (units missing, unknown or "
            "with other English): export again"
        )
    qa_errors = (
        summary.errors
        - len(missing)
        - sum(1 for p in problems if p.severity is Severity.ERROR and (p.check in gated or p.check in _PROJECT_CHECKS))
    )
    if qa_errors:
        reasons.append(f"{_plural(qa_errors, 'check error')}")
    summary.passed = not reasons
    return summary, problems


def _missing_entries(
    locale: str,
    scans: list[FileScan],
    settings: GateSettings,
    today: dt.date,
    expected_entries: Collection[str] | None,
) -> list[Problem]:
    present = {scan.entry for scan in scans}
    wanted = {SITE_SLUG}
    if isinstance(settings.required, tuple):
        wanted.update(settings.required)
    for slug in expected_entries or ():
        if is_required(slug, slug_date(slug), settings, today):
            wanted.add(slug)
    directories = (locale_directory(Path(scan.path)) for scan in scans)
    base = next((d for d in directories if d is not None), Path("locales") / locale)
    problems = []
    for slug in sorted(wanted - present):
        path = po_path(base.parent, base.name, slug, slug_date(slug))
        problems.append(
            Problem(
                locale,
                str(path),
                0,
                slug,
                "",
                MISSING_ENTRY,
                Severity.ERROR,
                f"required entry {slug} has no PO file for {locale}",
            )
        )
    return problems

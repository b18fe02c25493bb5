"""What a check run returns: problems, per-locale summaries and the gate's verdict."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from bpod_i18n.checks.base import Severity

# Problems the gate itself reports (not from a registered check), with their names.
MISSING_ENTRY = "missing-entry"
MISSING_UNITS = "missing-units"
OUTDATED_UNIT = "outdated-unit"
GATE_CHECK_NAMES = {MISSING_ENTRY: "Missing entry", MISSING_UNITS: "Missing units", OUTDATED_UNIT: "Outdated unit"}


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with one unit (or one missing file), where to find it and how bad it is."""

    locale: str
    file: str  # path of the PO file as given or found
    line: int  # line of the msgid in the PO file; 0 when there is no file
    entry: str  # entry slug from the file name; "site" for the site catalog
    unit: str  # unit id (msgctxt); "" for file-level problems
    check: str  # check id
    severity: Severity
    message: str
    source: str = ""
    target: str = ""

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


@dataclass
class LocaleSummary:
    """Counts and verdict for one locale. Counts cover every file read; the gate, required ones."""

    locale: str
    files: int = 0
    units: int = 0
    untranslated: int = 0
    fuzzy: int = 0
    reviewed: int | None = None  # None when no review states were given (no database)
    errors: int = 0
    warnings: int = 0
    notices: int = 0
    required_files: int = 0
    passed: bool = True
    reasons: list[str] = field(default_factory=list)  # why the gate failed, one line each
    # Parts of the gate that were not judged, said so in every report (e.g. review progress
    # with --no-db): a pass is never silently partial.
    unchecked: list[str] = field(default_factory=list)

    @property
    def translated(self) -> int:
        return self.units - self.untranslated - self.fuzzy

    @property
    def reviewed_percent(self) -> float | None:
        if self.reviewed is None:
            return None
        return 100.0 if self.units == 0 else round(100.0 * self.reviewed / self.units, 1)


@dataclass
class CheckResult:
    locales: list[LocaleSummary]
    problems: list[Problem]
    today: dt.date
    check_names: dict[str, str] = field(default_factory=dict)  # check id -> name, for reports
    files_by_locale: dict[str, list[str]] = field(default_factory=dict)  # every file read, per locale

    @property
    def passed(self) -> bool:
        return all(summary.passed for summary in self.locales)

    @property
    def files(self) -> int:
        return sum(summary.files for summary in self.locales)

    @property
    def units(self) -> int:
        return sum(summary.units for summary in self.locales)

    def problems_for(self, locale: str) -> list[Problem]:
        return [problem for problem in self.problems if problem.locale == locale]

"""JSON report (``--format json``), versioned so scripts can rely on its shape.

``unchecked`` lists the parts of a locale's gate that were not judged (review progress under
``--no-db``), one sentence each; a script that wants every condition judged fails on it.

Shape (version 1)::

    {"version": 1, "tool": "bpod-i18n check", "date": "2024-05-01", "passed": false,
     "totals": {"files": 3, "units": 120, "errors": 1, "warnings": 3, "notices": 0},
     "locales": [{"locale": "ca", "passed": false, "files": 3, "required_files": 3,
                  "units": 120, "translated": 113, "untranslated": 2, "fuzzy": 5,
                  "reviewed": null, "reviewed_percent": null,
                  "errors": 1, "warnings": 3, "notices": 0, "reasons": ["1 check error"],
                  "unchecked": [], "summary": "ca: 3 files, ... — FAIL"}],
     "problems": [{"locale": "ca", "file": "locales/ca/2016/2016-07-22-x.po", "line": 12,
                   "entry": "2016-07-22-x", "unit": "a1b2c3d4e5", "check": "numbers",
                   "name": "Numbers", "severity": "error", "message": "missing '1,000'",
                   "source": "...", "target": "..."}]}
"""

from __future__ import annotations

import json

from bpod_i18n.checks.report_text import summary_line
from bpod_i18n.checks.result import CheckResult

JSON_VERSION = 1


def report_dict(result: CheckResult) -> dict:
    return {
        "version": JSON_VERSION,
        "tool": "bpod-i18n check",
        "date": result.today.isoformat(),
        "passed": result.passed,
        "totals": {
            "files": result.files,
            "units": result.units,
            "errors": sum(s.errors for s in result.locales),
            "warnings": sum(s.warnings for s in result.locales),
            "notices": sum(s.notices for s in result.locales),
        },
        "locales": [
            {
                "locale": s.locale,
                "passed": s.passed,
                "files": s.files,
                "required_files": s.required_files,
                "units": s.units,
                "translated": s.translated,
                "untranslated": s.untranslated,
                "fuzzy": s.fuzzy,
                "reviewed": s.reviewed,
                "reviewed_percent": s.reviewed_percent,
                "errors": s.errors,
                "warnings": s.warnings,
                "notices": s.notices,
                "reasons": list(s.reasons),
                "unchecked": list(s.unchecked),
                "summary": summary_line(s),
            }
            for s in result.locales
        ],
        "problems": [
            {
                "locale": p.locale,
                "file": p.file,
                "line": p.line,
                "entry": p.entry,
                "unit": p.unit,
                "check": p.check,
                "name": result.check_names.get(p.check, p.check),
                "severity": p.severity.value,
                "message": p.message,
                "source": p.source,
                "target": p.target,
            }
            for p in result.problems
        ],
    }


def render_json(result: CheckResult, *, indent: int | None = None) -> str:
    """Compact by default: a whole archive's report lists every untranslated unit (50 MB
    pretty-printed); pipe it through `jq` to read it, or ask for ``indent``."""
    separators = (",", ":") if indent is None else (",", ": ")
    return json.dumps(report_dict(result), ensure_ascii=False, indent=indent, separators=separators) + "\n"

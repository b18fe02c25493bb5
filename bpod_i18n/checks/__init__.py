"""`bpod-i18n check`: QA checks over PO files, the per-locale gate, and CI reports.

Core API (no printing, no exit codes; the CLI maps ``CheckResult.passed`` to 0/1 and the
typed errors to 2)::

    result = run_checks([Path("locales")], locale="ca", settings=GateSettings.from_mapping(cfg))
    print(render_text(result)); sys.exit(0 if result.passed else 1)
"""

from bpod_i18n.checks.base import Check, LocaleRules, Severity, UnitText, locale_rules
from bpod_i18n.checks.consistency import CatalogCheck, TranslatedUnit
from bpod_i18n.checks.gate import NoReviewStates
from bpod_i18n.checks.registry import Registry, default_checks, default_registry
from bpod_i18n.checks.report_github import render_github
from bpod_i18n.checks.report_json import JSON_VERSION, render_json, report_dict
from bpod_i18n.checks.report_junit import render_junit
from bpod_i18n.checks.report_text import render_text, summary_line, text_renderables
from bpod_i18n.checks.result import CheckResult, LocaleSummary, Problem
from bpod_i18n.checks.runner import run_checks, validate_settings
from bpod_i18n.checks.scan import UnitWarning, check_text
from bpod_i18n.gate_settings import GateSettings, parse_required, parse_severity

__all__ = [
    "JSON_VERSION",
    "CatalogCheck",
    "Check",
    "CheckResult",
    "GateSettings",
    "LocaleRules",
    "LocaleSummary",
    "NoReviewStates",
    "Problem",
    "Registry",
    "Severity",
    "TranslatedUnit",
    "UnitText",
    "UnitWarning",
    "check_text",
    "default_checks",
    "default_registry",
    "locale_rules",
    "parse_required",
    "parse_severity",
    "render_github",
    "render_json",
    "render_junit",
    "render_text",
    "report_dict",
    "run_checks",
    "summary_line",
    "text_renderables",
    "validate_settings",
]

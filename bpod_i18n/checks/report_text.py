"""Human report: compiler-style problem lines and one summary line per locale.

``text_renderables`` gives rich ``Text`` objects for the CLI's Console (which owns colour,
NO_COLOR and the terminal); ``render_text`` gives the same as plain text.
"""

from __future__ import annotations

from rich.text import Text

from bpod_i18n.checks.base import Severity
from bpod_i18n.checks.result import CheckResult, LocaleSummary, Problem

_STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.NOTICE: "dim"}
UNCHECKED_PREFIX = "not checked: "


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def summary_line(summary: LocaleSummary) -> str:
    """'ca: 3 files, 120 units, 2 untranslated, 5 fuzzy, 1 error, 3 warnings — FAIL'."""
    parts = [
        _count(summary.files, "file"),
        _count(summary.units, "unit"),
        f"{summary.untranslated} untranslated",
        f"{summary.fuzzy} fuzzy",
    ]
    if summary.reviewed_percent is not None:
        parts.append(f"{summary.reviewed_percent:g}% reviewed")
    parts += [_count(summary.errors, "error"), _count(summary.warnings, "warning")]
    return f"{summary.locale}: {', '.join(parts)} — {'PASS' if summary.passed else 'FAIL'}"


def _problem_parts(problem: Problem) -> list[tuple[str, str]]:
    """A problem line as (text, style) pieces: one layout for the plain and the coloured report."""
    parts = [
        (problem.location, "bold"),
        (": ", ""),
        (problem.severity.value, _STYLES[problem.severity]),
        (": ", ""),
        (problem.check, "cyan"),
    ]
    if problem.unit:
        parts.append((f" [{problem.unit}]", "dim"))
    parts.append((f" {problem.message}", ""))
    return parts


def problem_line(problem: Problem) -> str:
    """E.g. ``locales/ca/2016/x.po:12: error: numbers [a1b2c3] missing '1,000'``."""
    return "".join(text for text, _ in _problem_parts(problem))


def _shown(result: CheckResult, show_notices: bool) -> list[Problem]:
    return [p for p in result.problems if show_notices or p.severity is not Severity.NOTICE]


def _verdict_lines(summary: LocaleSummary) -> list[tuple[str, str, str]]:
    """(plain head, verdict, style of the verdict) for the summary, then each reason in red
    and what was not checked in yellow."""
    head, _, verdict = summary_line(summary).rpartition(" — ")
    lines = [(head + " — ", verdict, "bold green" if summary.passed else "bold red")]
    lines += [(f"  {reason}", "", "red") for reason in summary.reasons]
    lines += [(f"  {UNCHECKED_PREFIX}{what}", "", "yellow") for what in summary.unchecked]
    return lines


def text_renderables(result: CheckResult, *, show_notices: bool = False) -> list[Text]:
    """Problems (errors and warnings; notices on request), then the summaries and reasons."""
    lines = [Text.assemble(*_problem_parts(problem)) for problem in _shown(result, show_notices)]
    if lines:
        lines.append(Text(""))
    for summary in result.locales:
        for head, verdict, style in _verdict_lines(summary):
            lines.append(Text.assemble(head, (verdict, style)) if verdict else Text(head, style=style))
    return lines


def render_text(result: CheckResult, *, show_notices: bool = False) -> str:
    """The same report as plain text, built without rich: a failing archive lists every
    untranslated unit, and 100 000 rich Text objects cost seconds."""
    lines = [problem_line(problem) for problem in _shown(result, show_notices)]
    if lines:
        lines.append("")
    for summary in result.locales:
        lines += [head + verdict for head, verdict, _ in _verdict_lines(summary)]
    return "".join(line + "\n" for line in lines)

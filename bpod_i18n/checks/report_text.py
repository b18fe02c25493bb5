"""Human report: compiler-style problem lines and one summary line per locale.

``text_renderables`` gives rich ``Text`` objects for the CLI's Console (which owns colour,
NO_COLOR and the terminal); ``render_text`` gives the same as plain text.
"""

from __future__ import annotations

from rich.text import Text

from bpod_i18n.checks.base import Severity
from bpod_i18n.checks.result import CheckResult, LocaleSummary, Problem

_STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.NOTICE: "dim"}


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


def problem_line(problem: Problem) -> str:
    unit = f" [{problem.unit}]" if problem.unit else ""
    return f"{problem.location}: {problem.severity.value}: {problem.check}{unit} {problem.message}"


def text_renderables(result: CheckResult, *, show_notices: bool = False) -> list[Text]:
    """Problems (errors and warnings; notices on request), then the summaries and reasons."""
    lines: list[Text] = []
    for problem in result.problems:
        if problem.severity is Severity.NOTICE and not show_notices:
            continue
        line = Text()
        line.append(problem.location, style="bold")
        line.append(": ")
        line.append(problem.severity.value, style=_STYLES[problem.severity])
        line.append(": ")
        line.append(problem.check, style="cyan")
        if problem.unit:
            line.append(f" [{problem.unit}]", style="dim")
        line.append(f" {problem.message}")
        lines.append(line)
    if lines:
        lines.append(Text(""))
    for summary in result.locales:
        text = summary_line(summary)
        head, _, verdict = text.rpartition(" — ")
        line = Text(head + " — ")
        line.append(verdict, style="bold green" if summary.passed else "bold red")
        lines.append(line)
        for reason in summary.reasons:
            lines.append(Text(f"  {reason}", style="red"))
    return lines


def render_text(result: CheckResult, *, show_notices: bool = False) -> str:
    return "".join(line.plain + "\n" for line in text_renderables(result, show_notices=show_notices))

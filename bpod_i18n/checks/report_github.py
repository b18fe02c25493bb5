"""GitHub Actions workflow commands: ``::error file=…,line=…,title=…::message``.

Escaping follows the Actions toolkit (``@actions/core`` command.ts): in the message, % CR LF
become %25 %0D %0A; in properties also : and , become %3A and %2C. Errors and warnings become
annotations; notices (work not due yet) are left out, they would drown the real ones. A failed
gate adds one error per reason, without a file; a condition not checked (review progress under
``--no-db``) one warning.
"""

from __future__ import annotations

from pathlib import Path

from bpod_i18n.checks.base import Severity
from bpod_i18n.checks.result import CheckResult


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _command(kind: str, message: str, **properties: str | int | None) -> str:
    props = ",".join(
        f"{key}={escape_property(str(value))}" for key, value in properties.items() if value not in (None, "")
    )
    return f"::{kind}{' ' + props if props else ''}::{escape_data(message)}"


def _relative(path: str, base: Path | None) -> str:
    if base is None:
        return path
    try:
        return Path(path).resolve().relative_to(base).as_posix()
    except ValueError:
        return path


def render_github(result: CheckResult, *, root: Path | None = None) -> str:
    """One workflow command per error or warning; ``root`` makes file paths repository-relative."""
    lines = []
    relative: dict[str, str] = {}  # resolving is a system call per path: once per file, not per problem
    base = root.resolve() if root is not None else None
    for problem in result.problems:
        if problem.severity is Severity.NOTICE:
            continue
        path = relative.get(problem.file)
        if path is None:
            path = relative[problem.file] = _relative(problem.file, base)
        name = result.check_names.get(problem.check, problem.check)
        unit = f" [{problem.unit}]" if problem.unit else ""
        lines.append(
            _command(
                problem.severity.value,
                f"{problem.check}{unit}: {problem.message}",
                file=path,
                line=problem.line or None,
                title=f"{name} ({problem.locale})",
            )
        )
    for summary in result.locales:
        for reason in summary.reasons:
            lines.append(_command("error", f"{summary.locale}: {reason}", title=f"bpod-i18n check {summary.locale}"))
        for what in summary.unchecked:
            lines.append(
                _command("warning", f"{summary.locale}: not checked: {what}", title=f"bpod-i18n check {summary.locale}")
            )
    return "".join(line + "\n" for line in lines)

"""check: the CI gate."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path

import typer

from bpod_i18n.cli import common
from bpod_i18n.cli.common import handle_errors
from bpod_i18n.config import find_root, parse_config
from bpod_i18n.errors import EXIT_GATE_FAILED, OutputError, UsageError
from bpod_i18n.gate_settings import parse_limit


class ReportFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    JUNIT = "junit"
    GITHUB = "github"


@handle_errors
def check(
    paths: list[Path] | None = typer.Argument(None, help="PO files or folders (default: the project's locales/)."),
    locale: str | None = typer.Option(None, "--locale", "-l", help="Only this locale."),
    report: ReportFormat = typer.Option(
        ReportFormat.TEXT,
        "--format",
        "-f",
        help="Report format: text, json, junit (JUnit XML), github (workflow annotations).",
    ),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Write the report to this file instead of stdout (e.g. junit.xml)."
    ),
    max_untranslated: str | None = typer.Option(
        None,
        metavar="<int|unlimited>",
        help="Most untranslated units a locale may have, or unlimited (overrides \\[check]).",
    ),
    max_fuzzy: str | None = typer.Option(
        None,
        metavar="<int|unlimited>",
        help="Most fuzzy units (machine, needs-work, stale) a locale may have, or unlimited.",
    ),
    min_reviewed: float | None = typer.Option(
        None,
        "--min-reviewed",
        help="Least reviewed percent. Needs the database: without one the gate fails, unless --no-db.",
    ),
    required: str | None = typer.Option(
        None, help='Entries that must be done: "all", "dated" (dated up to today) or comma-separated slugs.'
    ),
    error: list[str] = typer.Option([], "--error", help="Treat this check id as an error (repeat)."),
    warning: list[str] = typer.Option([], "--warning", help="Treat this check id as a warning (repeat)."),
    off: list[str] = typer.Option([], "--off", help="Turn this check id off (repeat)."),
    show_notices: bool = typer.Option(False, "--show-notices", help="Also list notices (work in entries not yet due)."),
    no_db: bool = typer.Option(
        False,
        "--no-db",
        help="Judge the PO files only, even where a database exists; the report says review progress was not checked.",
    ),
    today: str | None = typer.Option(
        None, "--today", help="Judge as if today were this day (YYYY-MM-DD), for required = dated."
    ),
) -> None:
    """The CI gate: untranslated, fuzzy and failing strings, with an exit code.

    Works on the PO files alone (a CI checkout has no database); where a database exists it
    also checks review progress. Exit 0 the gate holds, 1 it fails, 2 usage error, a bad
    setting or an unreadable PO file, 3 the database failed. Silence one check for one unit
    with the PO flag `#, ignore-<id>` or a translator comment `# bpod-ignore: <id>`.
    """
    # Imported here: the checks and the glossary cost other commands' start-up otherwise.
    from bpod_i18n.checks import (
        parse_required,
        render_github,
        render_json,
        render_junit,
        render_text,
        text_renderables,
    )
    from bpod_i18n.workflow.check_ops import run_gate

    start = common.settings.project_dir or Path.cwd()
    root = find_root(start.resolve())
    config = parse_config(root / "bpod-i18n.toml") if root else None
    if config is not None and common.settings.database:
        config.database = common.settings.database
    if not paths:
        if config is None:
            raise UsageError("no bpod-i18n.toml here or above: name the PO files or folders to check")
        paths = [config.locales_path]
    overrides: dict = {}
    for option, name, limit in (
        ("--max-untranslated", "max_untranslated", max_untranslated),
        ("--max-fuzzy", "max_fuzzy", max_fuzzy),
    ):
        if limit is not None:
            try:  # the settings file's rule, so that both accept the same values
                overrides[name] = parse_limit(limit, from_text=True)
            except ValueError as exc:
                raise UsageError(f"{option} must be {exc}, not {limit!r}") from None
    if min_reviewed is not None:
        overrides["min_reviewed_percent"] = min_reviewed
    if required is not None:
        value = required if required in ("all", "dated") else [s.strip() for s in required.split(",") if s.strip()]
        overrides["required"] = parse_required(value, where="--required")
    severities = {**dict.fromkeys(error, "error"), **dict.fromkeys(warning, "warning"), **dict.fromkeys(off, "off")}
    if severities:
        overrides["severities"] = severities
    when = None
    if today:
        try:
            when = dt.date.fromisoformat(today)
        except ValueError:
            raise UsageError(f"--today {today!r} is not a date like 2026-11-21") from None
    outcome = run_gate(config, paths, locale=locale, overrides=overrides, use_database=not no_db, today=when)
    result = outcome.result
    rendered = {
        ReportFormat.TEXT: lambda: render_text(result, show_notices=show_notices),
        ReportFormat.JSON: lambda: render_json(result),
        ReportFormat.JUNIT: lambda: render_junit(result),
        ReportFormat.GITHUB: lambda: render_github(result, root=Path.cwd()),
    }
    console = common.out()
    if report is ReportFormat.TEXT and output is None and console.is_terminal:
        for line in text_renderables(result, show_notices=show_notices):  # with colour
            console.print(line)
    elif output is not None:
        try:
            output.write_text(rendered[report](), encoding="utf-8")
        except OSError as exc:  # a missing folder, a full disk: the user's to fix, not a bug
            raise OutputError(f"cannot write the report: {exc.strerror}", path=output) from None
    else:
        # One write, not one rich render per line: a failing archive in a CI log lists
        # every untranslated unit, 100 000 lines and more.
        text = rendered[report]()
        if report is ReportFormat.TEXT:  # a CI log viewer renders escape sequences too
            text = common.visible(text, keep_newlines=True)
        typer.echo(text, nl=False)
    if not result.passed:
        raise typer.Exit(EXIT_GATE_FAILED)


def register(app: typer.Typer) -> None:
    app.command()(check)

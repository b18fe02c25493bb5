"""emit: localised entries for a mirror, written incrementally."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from bpod_i18n.cli import common
from bpod_i18n.cli.common import JSON_OPTION, handle_errors
from bpod_i18n.errors import EXIT_GATE_FAILED
from bpod_i18n.model import State

if TYPE_CHECKING:
    from bpod_i18n.workflow import emit as emit_ops

# The emit workflow (Jinja2, the render package) is imported inside the commands, so that every other
# `bpod-i18n` command starts without loading it.

NOT_READY_SHOWN = 20  # a whole-archive run lists this many not-ready entries in text


class OutputFormat(StrEnum):
    HTML = "html"
    MARKDOWN = "markdown"
    JSON = "json"


class MinState(StrEnum):
    REVIEWED = "reviewed"
    TRANSLATED = "translated"


@handle_errors
def emit(
    locale: str = typer.Option(..., "--locale", "-l", help="Locale to emit, e.g. ca."),
    out: Path = typer.Option(..., "--out", "-o", help="Output folder: `OUT/<year>/<slug>.<ext>` and a manifest."),
    fmt: OutputFormat = typer.Option(OutputFormat.HTML, "--format", "-f", help="Page format."),
    min_state: MinState | None = typer.Option(
        None,
        "--min-state",
        help="Lowest state a sentence needs (default: review.publish_state in bpod-i18n.toml, reviewed).",
    ),
    min_complete: float | None = typer.Option(
        None,
        "--min-complete",
        min=0,
        max=100,
        help="Also accept entries with at least this % of sentences at --min-state (needs --fallback-english).",
    ),
    fallback_english: bool = typer.Option(
        False, "--fallback-english", help="Show the missing sentences of partial entries in English (marked lang=en)."
    ),
    entries: list[str] | None = typer.Option(
        None, "--entry", "-e", help="Only this entry (repeat); other files in --out are left alone."
    ),
    templates: Path | None = typer.Option(
        None, "--templates", help="Folder with entry.html.j2 / entry.md.j2 overriding the built-in templates."
    ),
    keep_withdrawn: bool = typer.Option(
        False, "--keep-withdrawn", help="Leave the files of entries that are no longer ready in place."
    ),
    strict: bool = typer.Option(False, "--strict", help="Exit 1 when any entry is not ready."),
    dry_run: bool = typer.Option(
        False, "--dry-run", "-n", help="Show what would be written or removed; write nothing."
    ),
    json_output: bool = JSON_OPTION,
) -> None:
    """Write one localised page per ready entry into a mirror folder (the Catalan site first).

    An entry is ready when every sentence reached --min-state. A re-run writes only the pages
    whose translations, English, site strings or options changed and removes the pages of
    entries that are no longer ready. A translation holding bidirectional controls is not
    published (the page stays as it was) unless its unit is marked `#, ignore-bidi-controls`.
    Exit 0 when everything ready was emitted, even if other entries are not ready (they are
    listed on stderr); 1 when an entry named with --entry is not ready, when a page was refused
    for bidi controls, or with --strict when any entry is not ready; 2 on a usage error.
    """
    from bpod_i18n.workflow import emit as emit_ops

    project = common.project()
    options = emit_ops.EmitOptions(
        locale=locale,
        out_dir=out,
        fmt=fmt.value,
        min_state=State(min_state.value) if min_state else None,
        min_complete=min_complete,
        fallback_english=fallback_english,
        slugs=tuple(entries or ()),
        template_dir=templates,
        keep_withdrawn=keep_withdrawn,
        dry_run=dry_run,
    )
    with common.progress(json_output) as bar:
        report = emit_ops.emit(project, options, progress=bar)
    if json_output:
        common.print_json(report.to_dict())
    else:
        _print(report, show_all_not_ready=bool(entries))
    if report.requested_not_ready or report.refused or (strict and report.not_ready):
        raise typer.Exit(EXIT_GATE_FAILED)


def _print(report: emit_ops.EmitReport, *, show_all_not_ready: bool) -> None:
    console, errors = common.out(), common.err()
    for label, items in (("new", report.new), ("updated", report.updated)):
        for item in items:
            english = f"  (English: {', '.join(item.english_fallback)})" if item.english_fallback else ""
            console.print(f"{label:>9}  {item.path}{english}", highlight=False, markup=False)
    for item in report.withdrawn:
        console.print(f"withdrawn  {item.path}  ({item.reason})", highlight=False, markup=False)
    for refused in report.refused:
        errors.print(f"refused  {refused.slug}: {refused.reason}", highlight=False, markup=False)
    for item in report.left_in_place:
        errors.print(f"left in place: {report.out_dir / item.path}: {item.reason}", highlight=False, markup=False)
    for path in report.cleaned:
        errors.print(f"removed {report.out_dir / path}: left behind by an interrupted run", highlight=False)
    shown = report.not_ready if show_all_not_ready else report.not_ready[:NOT_READY_SHOWN]
    for entry in shown:
        counts = ", ".join(f"{n} {state}" for state, n in entry.counts.items())
        errors.print(
            f"not ready  {entry.slug}: {entry.reason} ({counts}; first: {', '.join(entry.missing)})",
            highlight=False,
            markup=False,
        )
    if len(shown) < len(report.not_ready):
        errors.print(f"  … and {len(report.not_ready) - len(shown)} more not ready (--json lists them all)")
    console.print(
        f"{'dry run, nothing written: ' if report.dry_run else ''}{report.locale} → {report.out_dir} "
        f"({report.fmt}): {len(report.new)} new, {len(report.updated)} updated, {len(report.unchanged)} unchanged, "
        f"{len(report.withdrawn)} withdrawn; {len(report.not_ready)} not ready at {report.min_state.value}",
        highlight=False,
        markup=False,
    )


def register(app: typer.Typer) -> None:
    app.command()(emit)

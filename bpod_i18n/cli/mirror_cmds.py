"""mirror import, mirror queue; tm export, tm import."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.table import Table

from bpod_i18n.cli import common
from bpod_i18n.cli.common import JSON_OPTION, handle_errors

if TYPE_CHECKING:
    from bpod_i18n.workflow.mirror import EntryReport, MirrorReport

mirror_app = typer.Typer(
    help="Bring the published mirror's translations in: pair, align, fill units and the memory.",
    no_args_is_help=True,
)
tm_app = typer.Typer(help="The translation memory as TMX 1.4b, for CAT tools.", no_args_is_help=True)


@mirror_app.command("import")
@handle_errors
def mirror_import(
    sources: list[Path] | None = typer.Argument(
        None, help="WordPress exports (.xml), saved pages (.html, or .txt page text) or folders of them."
    ),
    locale: str = typer.Option(..., "--locale", "-l", help="The mirror's locale, e.g. ca."),
    from_site: str | None = typer.Option(
        None, "--from-site", help="Read the published posts of this WordPress site's REST API (read-only)."
    ),
    by: str | None = typer.Option(None, "--by", help="Name for history (default: BPOD_I18N_USER or your login)."),
    dry_run: bool = typer.Option(False, "--dry-run", "-n", help="Pair and align, report, store nothing."),
    json_output: bool = JSON_OPTION,
) -> None:
    """Pair the mirror's published entries with their English entries and align their sentences.

    Each localised entry is paired with the English entry of its date, confirmed by content
    (the English machine-translated with Apertium and compared with the published text), then
    aligned sentence by sentence (1-1, 2-1, 1-2, 1-0, 0-1 links, each with a confidence). A
    confident 1-1 link becomes the unit's translation (origin mirror, in \\[mirror] state,
    default translated); a less confident one, and every joined or split sentence, a fuzzy
    suggestion with a `mirror:` note. Every link goes into the translation memory. Units
    translated in the project are never overwritten (listed as kept); re-runs change nothing.
    """
    from bpod_i18n.workflow import mirror

    project = common.project()
    with common.progress(json_output) as bar:
        report = mirror.import_mirror(
            project, locale, sources or [], site=from_site, actor=by, dry_run=dry_run, progress=bar
        )
    if json_output:
        common.print_json(report.to_dict())
        return
    _print_report(report)


def _entry_line(entry: EntryReport) -> str:
    if not entry.paired:
        return f"unpaired  {entry.where_text()}  ({entry.date}, {entry.title!r}): {entry.reason}"
    links = ", ".join(f"{count} × {kind}" for kind, count in sorted(entry.links.items()))
    line = (
        f"paired    {entry.where_text()} → {entry.slug}: {links}; mean confidence {entry.mean_confidence:.2f}; "
        f"{entry.filled} filled, {entry.suggested} suggested, {entry.unchanged} unchanged"
    )
    if entry.kept:
        line += f"; {len(entry.kept)} kept (translated in the project since: {', '.join(entry.kept)})"
    return line


def _print_report(report: MirrorReport) -> None:
    console = common.out()
    for entry in report.entries:
        console.print(_entry_line(entry), highlight=False)
    for skipped in report.skipped:
        common.err().print(f"skipped: {skipped['where']}: {skipped['reason']}", highlight=False)
    totals = report.totals()
    links = ", ".join(f"{count} × {kind}" for kind, count in totals["links"].items()) or "no links"
    prefix = "Dry run, nothing stored. " if report.dry_run else ""
    console.print(
        f"{prefix}{report.locale}: {totals['entries']} entries, {totals['paired']} paired, "
        f"{totals['unpaired']} unpaired; {links}; mean confidence {totals['mean_confidence']:.2f}\n"
        f"  units: {totals['filled']} filled, {totals['suggested']} suggested (fuzzy), {totals['unchanged']} "
        f"unchanged, {totals['kept']} kept as translated in the project; {totals['left_out']} sentences left "
        f"out by the mirror, {totals['added']} added\n"
        f"  translation memory: {totals['tm_added']} pairs added, {totals['tm_updated']} updated",
        highlight=False,
    )


@mirror_app.command("queue")
@handle_errors
def mirror_queue(
    locale: str = typer.Option(..., "--locale", "-l", help="The mirror's locale, e.g. ca."),
    below: float = typer.Option(0.6, "--below", help="Entries whose mean link confidence is below this (0-1)."),
    limit: int | None = typer.Option(None, "--limit", help="At most this many entries."),
    json_output: bool = JSON_OPTION,
) -> None:
    """The review queue: entries brought in from the mirror with the lowest alignment confidence first."""
    from bpod_i18n.workflow import mirror

    items = mirror.review_queue(common.project(), locale, below=below, limit=limit)
    if json_output:
        common.print_json([item.to_dict() for item in items])
        return
    if not items:
        common.out().print(f"{locale}: no mirror entry below confidence {below:g}.")
        return
    table = Table("confidence", "min", "filled", "suggested", "links", title=f"Mirror entries below {below:g}")
    table.add_column("entry", no_wrap=True)
    for item in items:
        links = ", ".join(f"{n}×{kind}" for kind, n in sorted(item.links.items()))
        table.add_row(
            f"{item.mean_confidence:.2f}",
            f"{item.min_confidence:.2f}",
            str(item.units_filled),
            str(item.units_suggested),
            links,
            item.slug,
        )
    common.out().print(table)


@tm_app.command("export")
@handle_errors
def tm_export(
    output: Path = typer.Argument(..., help="The TMX file to write."),
    locale: list[str] | None = typer.Option(None, "--locale", "-l", help="Only this locale (repeat); default all."),
    format_: str = typer.Option("tmx", "--format", help="File format: tmx (TMX 1.4b)."),
    json_output: bool = JSON_OPTION,
) -> None:
    """Write the translation memory as TMX 1.4b: translated and reviewed units, then the memory's own pairs.

    Each pair carries creationid/changeid, its dates, and its origin, confidence and source
    as <prop> elements; CAT tools (OmegaT's tm/auto, Trados, memoQ…) read it as is.
    """
    from bpod_i18n.errors import UsageError
    from bpod_i18n.workflow import tm_ops

    if format_ != "tmx":
        raise UsageError(f"--format {format_!r}: only tmx is supported")
    report = tm_ops.export_tmx(common.project(), output, locales=locale)
    if json_output:
        common.print_json(report.to_dict())
        return
    common.out().print(
        f"{output}: {report.units + report.memory} translation units ({report.units} from units, "
        f"{report.memory} from the memory) for {', '.join(report.locales)}",
        highlight=False,
    )


@tm_app.command("import")
@handle_errors
def tm_import(
    file: Path = typer.Argument(..., help="A TMX file (1.4b, as CAT tools write it)."),
    locale: list[str] | None = typer.Option(None, "--locale", "-l", help="Only this locale (repeat); default all."),
    by: str | None = typer.Option(None, "--by", help="Name for pairs without a creationid."),
    json_output: bool = JSON_OPTION,
) -> None:
    """Add a TMX file's pairs to the translation memory (used by pretranslate after the project's own translations)."""
    from bpod_i18n.workflow import tm_ops

    report = tm_ops.import_tmx(common.project(), file, locales=locale, actor=by)
    if json_output:
        common.print_json(report.to_dict())
        return
    others = ", ".join(f"{n} {lang}" for lang, n in sorted(report.other_languages.items()))
    common.out().print(
        f"{file}: {report.read} pairs read; {report.added} added, {report.updated} updated, "
        f"{report.unchanged} unchanged" + (f"; other languages skipped: {others}" if others else ""),
        highlight=False,
    )


def register(app: typer.Typer) -> None:
    app.add_typer(mirror_app, name="mirror")
    app.add_typer(tm_app, name="tm")

"""init, ingest, entries, show, export, import, status."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.table import Table
from rich.text import Text

from bpod_i18n.cli import common
from bpod_i18n.cli.common import JSON_OPTION, handle_errors
from bpod_i18n.errors import EXIT_GATE_FAILED, UsageError
from bpod_i18n.model import State

if TYPE_CHECKING:
    from bpod_i18n.workflow.status import Progress

# Workflow modules (the database, readers, segmenter, PO library) are imported inside their
# commands, so that each command starts with only what it uses (`check` in CI: no SQLAlchemy).


@handle_errors
def init(
    locales: list[str] | None = typer.Option(None, "--locale", "-l", help="Target locale (repeat); default ca and es."),
    json_output: bool = JSON_OPTION,
) -> None:
    """Create a project here: bpod-i18n.toml, locales/, glossary/ and the embedded database."""
    from bpod_i18n.workflow.init import init_project

    root = common.settings.project_dir or Path.cwd()
    result = init_project(root, locales=locales, database=common.settings.database)
    if json_output:
        common.print_json({"root": str(result.root), "created": result.created, "schema": result.schema_to})
        return
    if result.created:
        common.out().print(f"Created {', '.join(result.created)} in {result.root}")
    else:
        common.out().print(f"Project in {result.root} is already set up; nothing changed.")


def _parse_date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--date {value!r} is not a date like 2016-07-22") from None


@handle_errors
def ingest(
    paths: list[Path] = typer.Argument(..., help="Entry files or folders (.txt page text, .html, .md, .json)."),
    date: str | None = typer.Option(None, help="Date for a body-only copy that has none (YYYY-MM-DD)."),
    title: str | None = typer.Option(None, help="Title for a body-only copy that has none."),
    json_output: bool = JSON_OPTION,
) -> None:
    """Read English entries, split them into sentence units and store them.

    Re-ingesting an edited entry keeps the translations of unchanged sentences, marks changed
    ones stale (old text kept) and retires removed ones.
    """
    from bpod_i18n.workflow import ingest as ingest_ops

    project = common.project()
    with common.progress(json_output) as bar:
        report = ingest_ops.ingest(project, paths, date=_parse_date(date), title=title, progress=bar)
    if json_output:
        common.print_json([vars(change) for change in report.entries])
        return
    console = common.out()
    for change in report.entries:
        if change.status == "unchanged":
            continue
        detail = f"{change.units_added} new"
        if change.status == "updated":
            detail += (
                f", {change.units_edited} edited ({change.stale_translations} translations now stale), "
                f"{change.units_retired} retired"
            )
        console.print(f"{change.status:>9}  {change.slug}  ({detail})")
    console.print(
        f"{len(report.entries)} entries: {report.count('new')} new, {report.count('updated')} updated, "
        f"{report.count('unchanged')} unchanged"
    )


@handle_errors
def entries(json_output: bool = JSON_OPTION) -> None:
    """List ingested entries."""
    from bpod_i18n.workflow import entries as entries_ops

    items = entries_ops.list_entries(common.project())
    if json_output:
        common.print_json([item.to_dict() for item in items])
        return
    table = Table("date", "title", "label", "author", "units")
    table.add_column("slug", no_wrap=True)
    for item in items:
        table.add_row(item.date or "", item.title, item.label or "", item.author or "", str(item.units), item.slug)
    common.out().print(table)


@handle_errors
def show(
    slug: str = typer.Argument(..., help="Entry slug, e.g. 2016-07-22-massing-to-defend."),
    json_output: bool = JSON_OPTION,
) -> None:
    """Show one entry: its fields and its units with their translations."""
    from bpod_i18n.workflow import entries as entries_ops

    info = entries_ops.show_entry(common.project(), slug)
    if json_output:
        common.print_json(info.to_dict())
        return
    console = common.out()
    console.print(Text.assemble((info.title, "bold"), f"  ({info.date})  {info.slug}"), highlight=False)
    for name in ("label", "standfirst", "author", "source_path"):
        if getattr(info, name):
            console.print(f"{name}: {getattr(info, name)}", highlight=False)
    for i, paragraph in enumerate(info.paragraphs, 1):
        console.print(f"paragraph {i}: {paragraph}", highlight=False)
    for notice in info.notices:
        console.print(f"notice: {notice}", highlight=False)
    for credit in info.credits:
        console.print(f"credit: {credit}", highlight=False)
    table = Table("unit", "field", "#", "English", "translations")
    for unit in info.units_detail or []:
        states = ", ".join(f"{lc}: {t['state']}" for lc, t in sorted(unit.translations.items()))
        table.add_row(unit.uid, unit.field, str(unit.position), unit.source, states)
    console.print(table)


@handle_errors
def export(
    locale: str = typer.Option(..., "--locale", "-l", help="Target locale, e.g. ca."),
    entry: list[str] | None = typer.Option(None, "--entry", "-e", help="Only this entry (repeat)."),
    no_glossary: bool = typer.Option(False, "--no-glossary", help="Leave glossary hints out of the PO."),
    force: bool = typer.Option(
        False,
        "--force",
        help="Also write over PO files changed since the last export and not imported, "
        "after saving each to a backup folder (.bpod-i18n/backup/<time>/).",
    ),
    json_output: bool = JSON_OPTION,
) -> None:
    """Write one PO file per entry (`locales/<lc>/<year>/<slug>.po`) and `locales/<lc>/site.po`.

    Machine, needs-work and stale units are marked fuzzy; a stale unit carries the English it
    was translated from as its previous msgid; a reviewer's reason for rejecting a unit, a
    translator's comment and a suggestion kept beside it are translator comments (#).
    Unchanged files are not rewritten. A file changed since the last export and not imported
    (a translator's work in progress) is left alone and listed, exit 1: import it first, or
    use --force, which saves it to a backup folder before writing over it.
    """
    from bpod_i18n.workflow import export as export_ops
    from bpod_i18n.workflow.glossary_ops import annotator

    project = common.project()
    annotation = None if no_glossary else annotator(project, locale)
    with common.progress(json_output) as bar:
        report = export_ops.export(project, locale, slugs=entry, annotation=annotation, force=force, progress=bar)
    if json_output:
        common.print_json(
            {
                "locale": report.locale,
                "written": [str(p) for p in report.written],
                "unchanged": [str(p) for p in report.unchanged],
                "rendered": report.rendered,
                "blocked": [str(p) for p in report.blocked],
                "backups": [{"file": str(p), "backup": str(b)} for p, b in report.backups],
            }
        )
    else:
        common.out().print(
            f"{report.locale}: {len(report.written)} PO files written, {len(report.unchanged)} unchanged "
            f"({report.rendered} rendered, the rest known unchanged) under "
            f"{project.config.locales_path / report.locale}",
            highlight=False,
        )
        if report.backups:
            common.err().print(
                f"saved {len(report.backups)} changed files to {report.backup_folder} before writing over them:",
                highlight=False,
            )
            for path, backup in report.backups:
                common.err().print(f"  {path} → {backup}", highlight=False)
        if report.blocked:
            common.err().print(
                f"left alone {len(report.blocked)} files changed since the last export and not imported "
                "(import them first, or export --force to save a backup and write over them):",
                highlight=False,
            )
            for path in report.blocked:
                common.err().print(f"  {path}", highlight=False)
    if report.blocked:
        raise typer.Exit(EXIT_GATE_FAILED)


@handle_errors
def import_(
    files: list[Path] = typer.Argument(..., help="Translated PO files."),
    by: str | None = typer.Option(
        None,
        "--by",
        help="The translator, who imports their files: a handle or e-mail (default: each file's "
        "Last-Translator, imported by BPOD_I18N_USER or your login).",
    ),
    json_output: bool = JSON_OPTION,
) -> None:
    """Read translated PO files back, merging three ways against what export wrote into them.

    A unit the translator did not touch is left as the project has it; a unit only the
    translator changed is stored (translated; fuzzy: needs-work); a unit the project changed
    too (or whose English changed) is a conflict: the three texts are shown, the translator's
    is kept as a suggestion beside the unit (see `review`), and the command exits 1.

    Each file's translator is --by, else its Last-Translator header (one person, by e-mail),
    else whoever imports (BPOD_I18N_USER or the login). Importing another person's file takes
    the editor role when the project has people.
    """
    from bpod_i18n.workflow import importer

    project = common.project()
    paths = [p for f in files for p in (sorted(f.rglob("*.po")) if f.is_dir() else [f])]
    with common.progress(json_output) as bar:
        report = importer.import_files(project, paths, actor=by, progress=bar)
    if json_output:
        common.print_json(
            {
                "files": report.files,
                "translated": report.translated,
                "needs_work": report.needs_work,
                "unchanged": report.unchanged,
                "suggestions": report.suggestions,
                "comments": report.comments,
                "conflicts": [vars(c) for c in report.conflicts],
                "translators": report.translators,
            }
        )
    else:
        err = common.err()
        for conflict in report.conflicts:
            err.print(f"conflict: {conflict}", highlight=False)
            base = "(unknown)" if conflict.base is None else repr(conflict.base)
            err.print(f"  exported:   {base}", highlight=False)
            err.print(f"  project:    {conflict.project!r}", highlight=False)
            err.print(f"  translator: {conflict.translator!r} (kept as a suggestion)", highlight=False)
        common.out().print(
            f"{report.files} files: {report.translated} translated, {report.needs_work} needs-work, "
            f"{report.unchanged} unchanged, {len(report.conflicts)} conflicts "
            f"({report.suggestions} new suggestions), {report.comments} comments recorded"
        )
    if report.conflicts:
        raise typer.Exit(EXIT_GATE_FAILED)


@handle_errors
def status(
    locale: str | None = typer.Option(None, "--locale", "-l", help="Only this locale."),
    state: State | None = typer.Option(None, "--state", help="Only entries with units in this state."),
    since: str | None = typer.Option(None, "--since", help="Only entries with history since this day (YYYY-MM-DD)."),
    by: str | None = typer.Option(None, "--by", help="Only entries with history by this person."),
    json_output: bool = JSON_OPTION,
) -> None:
    """Counts of units by review state, per locale and per entry (with a progress bar each)."""
    from bpod_i18n.workflow import status as status_ops

    report = status_ops.status(common.project(), locale=locale, state=state, since=_parse_date(since), by=by)
    if json_output:
        common.print_json(report.to_dict())
        return
    console = common.out()
    columns = [s.value for s in State]
    table = Table("locale", "units", *columns, "reviewed %", title="By locale")
    for lc, progress in report.locales.items():
        data = progress.to_dict()
        table.add_row(lc, str(progress.total), *(str(data[c]) for c in columns), f"{progress.reviewed_percent:.1f}")
    console.print(table)
    per_entry = Table(title="By entry: reviewed (green) and translated (yellow) of all units")
    per_entry.add_column("entry", no_wrap=True)
    for lc in report.locales:
        per_entry.add_column(lc, no_wrap=True)
    for item in report.entries:
        per_entry.add_row(item.slug, *(_bar(item.locales[lc]) for lc in report.locales))
    console.print(per_entry)


def _bar(progress: Progress, width: int = 20) -> Text:
    """A two-tone bar: reviewed, then translated-but-unreviewed, then the rest."""
    total = progress.total or 1
    reviewed = round(width * progress.counts.get("reviewed", 0) / total)
    translated = round(width * progress.counts.get("translated", 0) / total)
    rest = max(0, width - reviewed - translated)
    done = progress.counts.get("reviewed", 0) + progress.counts.get("translated", 0)
    return Text.assemble(
        ("█" * reviewed, "green"), ("█" * translated, "yellow"), ("░" * rest, "dim"), f" {done}/{progress.total}"
    )


def register(app: typer.Typer) -> None:
    app.command()(init)
    app.command()(ingest)
    app.command()(entries)
    app.command()(show)
    app.command()(export)
    app.command("import")(import_)
    app.command()(status)

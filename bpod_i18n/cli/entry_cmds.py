"""init, ingest, entries, show, export, import, status."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich import box
from rich.table import Table
from rich.text import Text

from bpod_i18n.cli import common
from bpod_i18n.cli.common import JSON_OPTION, handle_errors
from bpod_i18n.errors import EXIT_GATE_FAILED, UsageError
from bpod_i18n.model import State

if TYPE_CHECKING:
    from bpod_i18n.workflow.entries import EntryInfo
    from bpod_i18n.workflow.entry_changes import EntryChangeReport
    from bpod_i18n.workflow.status import Progress

# From this many columns, `entries` has room for the label and author columns too.
WIDE = 120
# Columns the title needs beside date, slug and units; with less, `entries` goes on two lines.
MIN_TITLE = 16

# Workflow modules (the database, readers, segmenter, PO library) are imported inside their
# commands, so that each command starts with only what it uses (`check` in CI: no SQLAlchemy).


@handle_errors
def init(
    locales: list[str] | None = typer.Option(None, "--locale", "-l", help="Target locale (repeat); default ca and es."),
    starter_glossary: bool | None = typer.Option(
        None,
        "--starter-glossary/--no-starter-glossary",
        help=(
            "Copy the shipped starter glossary (en→ca, en→es: 80 terms each) of every locale that has no "
            "glossary file yet. Default: yes for a new project; on an existing one only when asked."
        ),
        show_default=False,
    ),
    json_output: bool = JSON_OPTION,
) -> None:
    """Create a project here: bpod-i18n.toml, locales/, glossary/ (with the starter glossaries) and the
    database, or its schema in an empty PostgreSQL database.

    Running it again changes nothing, except that it creates the schema of a database that has none
    (a team's new PostgreSQL database; `bpod-i18n db upgrade` does the same).
    """
    from bpod_i18n.workflow.init import init_project

    root = common.settings.project_dir or Path.cwd()
    result = init_project(root, locales=locales, database=common.settings.database, starter_glossary=starter_glossary)
    if json_output:
        common.print_json(
            {
                "root": str(result.root),
                "created": result.created,
                "schema_from": result.schema_from,
                "schema": result.schema_to,
                "glossaries": [{"locale": g.locale, "path": str(g.path), "terms": g.terms} for g in result.glossaries],
                "no_starter_glossary": result.no_starter,
            }
        )
        return
    console = common.out()
    if result.created:
        console.print(f"Created {', '.join(result.created)} in {result.root}", highlight=False)
    if result.schema_from is None:
        console.print(f"Database {result.database}: schema created (revision {result.schema_to})", highlight=False)
    elif result.schema_from != result.schema_to:
        console.print(
            f"Database {result.database}: schema upgraded from revision {result.schema_from} to {result.schema_to}",
            highlight=False,
        )
    for glossary in result.glossaries:
        console.print(
            f"Starter glossary for {glossary.locale}: {glossary.path} ({glossary.terms} terms; review them with "
            f"`bpod-i18n glossary list -l {glossary.locale}`; --no-starter-glossary leaves it out)",
            highlight=False,
        )
    for locale in result.no_starter:
        console.print(
            f"No starter glossary ships for {locale}: start one with "
            f"`bpod-i18n glossary add TERM RENDERING -l {locale}` or `bpod-i18n glossary import FILE -l {locale}`",
            highlight=False,
        )
    if not result.changed:
        console.print(f"Project in {result.root} is already set up; nothing changed.", highlight=False)


def _parse_date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{option} {value!r} is not a date (YYYY-MM-DD, e.g. 2016-07-22)") from None


@handle_errors
def ingest(
    paths: list[Path] = typer.Argument(..., help="Entry files or folders (.txt page text, .html, .md, .json)."),
    date: str | None = typer.Option(None, help="Date for a body-only copy that has none (YYYY-MM-DD)."),
    title: str | None = typer.Option(None, help="Title for a body-only copy that has none."),
    image: str | None = typer.Option(
        None, "--image", help="The entry's picture (URL) for one page-text file; HTML, Markdown, JSON name their own."
    ),
    image_alt: str | None = typer.Option(None, "--image-alt", help="Alt text of --image (translatable)."),
    json_output: bool = JSON_OPTION,
) -> None:
    """Read English entries, split them into sentence units and store them.

    Inline markup (italics, bold, sub/superscripts, links, line breaks) and the picture (URL,
    alt text, size, caption) are kept. Re-ingesting an edited entry keeps the translations of
    unchanged sentences, marks changed ones stale (old text kept) and retires removed ones.
    In a folder (or several files), every good file is stored and each bad one is reported as
    file:line with nothing of it stored; the exit code is then 1.
    """
    from bpod_i18n.model import Image
    from bpod_i18n.workflow import ingest as ingest_ops

    if image_alt is not None and image is None:
        raise UsageError("--image-alt needs --image")
    picture = Image(image.strip(), " ".join(image_alt.split()) or None if image_alt else None) if image else None
    if picture is not None and not picture.url.lower().startswith(("http://", "https://")):
        raise UsageError(f"--image must be an http(s) address, not {image!r}")
    project = common.project()
    with common.progress(json_output) as bar:
        report = ingest_ops.ingest(
            project, paths, date=_parse_date(date, "--date"), title=title, image=picture, progress=bar
        )
    for failed in report.failed:
        common.err().print(f"error: {failed} (not stored)", highlight=False)
    if json_output:
        common.print_json([vars(change) for change in report.entries])
        if report.failed:
            raise typer.Exit(EXIT_GATE_FAILED)
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
        + (f"; {len(report.failed)} files not stored (see above)" if report.failed else "")
    )
    if report.failed:
        raise typer.Exit(EXIT_GATE_FAILED)


entries_app = typer.Typer(
    help=(
        "List the ingested entries (newest last), or rename or retire one.\n\n"
        "`bpod-i18n entries` lists them: date, slug, units, title. `entries rename OLD NEW` and "
        "`entries retire SLUG` change an entry with history: nothing is deleted from the database."
    ),
    invoke_without_command=True,
    rich_markup_mode="rich",
)


@entries_app.callback(invoke_without_command=True)
@handle_errors
def entries(
    ctx: typer.Context,
    retired: bool = typer.Option(False, "--retired", help="Also list retired entries (marked retired)."),
    json_output: bool = JSON_OPTION,
) -> None:
    """List ingested entries: date, slug, units, title (label and author on a wide terminal)."""
    if ctx.invoked_subcommand is not None:
        return
    from bpod_i18n.workflow import entries as entries_ops

    items = entries_ops.list_entries(common.project(), include_retired=retired)
    if json_output:
        common.print_json([item.to_dict() for item in items])
        return
    console = common.out()
    slug_width = max((len(item.slug) for item in items), default=0)
    if len("2016-07-22") + slug_width + len("units") + 3 * 3 + MIN_TITLE > console.width:
        _entries_stacked(items)  # slugs too long to share a line with the titles
        return
    wide = console.width >= WIDE
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    # Dates and slugs are what people copy into the next command: never cut or wrapped.
    table.add_column("date", no_wrap=True)
    table.add_column("slug", no_wrap=True)
    table.add_column("units", justify="right", no_wrap=True)
    table.add_column("title", ratio=1)
    if wide:
        table.add_column("label", ratio=1)
        table.add_column("author", ratio=1)
    for item in items:
        title = Text(item.title)
        if item.retired:
            title.append("  (retired)", style="dim")
        if not wide and item.label:
            title = Text.assemble((f"{item.label}: ", "dim"), title)
        row: list[str | Text] = [item.date or "", item.slug, str(item.units), title]
        if wide:
            row += [item.label or "", item.author or ""]
        table.add_row(*row)
    console.print(table)


def _entries_stacked(items: list[EntryInfo]) -> None:
    """Each entry on two lines: date, units and title (wrapped under itself); then the slug, whole."""
    console = common.out()
    for item in items:
        title = Text()
        if item.label:
            title.append(f"{item.label}: ", style="dim")
        title.append(item.title)
        if item.retired:
            title.append("  (retired)", style="dim")
        row = Table.grid(padding=(0, 2))
        row.add_column(no_wrap=True)
        row.add_column(no_wrap=True, justify="right")
        row.add_column(ratio=1)
        row.add_row(item.date or "", f"{item.units} units", title)
        console.print(row)
        console.print(f"  {item.slug}", highlight=False)


@entries_app.command("rename")
@handle_errors
def entries_rename(
    old: str = typer.Argument(..., help="The entry's slug now."),
    new: str = typer.Argument(..., help="Its new slug (starting with its date), or a duplicate entry to fold in."),
    comment: str | None = typer.Option(None, "--comment", "-m", help="Why, for the history."),
    by: str | None = typer.Option(None, "--by", help="Who (default: BPOD_I18N_USER or your login)."),
    json_output: bool = JSON_OPTION,
) -> None:
    """Rename an entry; its units, translations and history stay with it, and the rename is recorded.

    The old slug stays known: ingest reads a file that still gives it as this entry. The entry's PO
    files are written under the new name (the old ones removed); a PO file holding translations not
    imported yet stops the command first. If NEW is an entry already, a duplicate nobody translated
    (ingest made it from a page whose title was edited), it is folded in: OLD takes NEW's slug and
    its English, like a re-ingest of an edited entry.

    ```
    bpod-i18n entries rename 2016-07-22-massing-to-defnd 2016-07-22-massing-to-defend
    ```
    """
    from bpod_i18n.workflow.entry_changes import rename_entry

    report = rename_entry(common.project(), old, new, actor=by, comment=comment)
    _print_entry_change(report, json_output)


@entries_app.command("retire")
@handle_errors
def entries_retire(
    slug: str = typer.Argument(..., help="The entry to retire."),
    comment: str | None = typer.Option(None, "--comment", "-m", help="Why, for the history."),
    by: str | None = typer.Option(None, "--by", help="Who (default: BPOD_I18N_USER or your login)."),
    json_output: bool = JSON_OPTION,
) -> None:
    """Take an entry out of the work: export, check, emit, status, review, pretranslate and import leave it alone.

    Everything of it stays in the database (`entries restore` brings it back). Its PO files are removed (a
    file holding translations not imported yet stops the command first); the next `emit` withdraws its
    page from the mirror.

    ```
    bpod-i18n entries retire 2016-07-22-massing-to-defend -m "duplicate of 2016-07-22-massing-defences"
    ```
    """
    from bpod_i18n.workflow.entry_changes import retire_entry

    report = retire_entry(common.project(), slug, actor=by, comment=comment)
    _print_entry_change(report, json_output)


@entries_app.command("restore")
@handle_errors
def entries_restore(
    slug: str = typer.Argument(..., help="The retired entry."),
    comment: str | None = typer.Option(None, "--comment", "-m", help="Why, for the history."),
    by: str | None = typer.Option(None, "--by", help="Who (default: BPOD_I18N_USER or your login)."),
    json_output: bool = JSON_OPTION,
) -> None:
    """Bring a retired entry back into the work; `export` then writes its PO files again."""
    from bpod_i18n.workflow.entry_changes import restore_entry

    report = restore_entry(common.project(), slug, actor=by, comment=comment)
    _print_entry_change(report, json_output)


def _print_entry_change(report: EntryChangeReport, json_output: bool) -> None:
    if json_output:
        common.print_json(report.to_dict())
        return
    console = common.out()
    if report.action == "rename":
        console.print(f"Renamed {report.old_slug} to {report.slug}", highlight=False)
        if report.merged:
            m = report.merged
            console.print(
                f"  folded in the duplicate {report.slug}: {m.units_kept} sentences kept, {m.units_edited} edited "
                f"({m.stale_translations} translations now stale), {m.units_added} new, {m.units_retired} retired",
                highlight=False,
            )
    elif report.action == "retire":
        console.print(
            f"Retired {report.slug}: kept in the database, left out of export, check and emit "
            f"(`bpod-i18n entries restore {report.slug}` brings it back; the next emit withdraws its page)",
            highlight=False,
        )
    else:
        console.print(
            f"Restored {report.slug}: `bpod-i18n export --locale LC` writes its PO files again", highlight=False
        )
    for path in report.removed:
        console.print(f"  removed {path}", highlight=False)
    for path in report.written:
        console.print(f"  wrote {path}", highlight=False)


@handle_errors
def show(
    slug: str = typer.Argument(..., help="Entry slug, e.g. 2016-07-22-massing-to-defend."),
    json_output: bool = JSON_OPTION,
) -> None:
    """Show one entry: its fields, then each unit with its English and its translation in every locale."""
    from bpod_i18n.workflow import entries as entries_ops

    project = common.project()
    info = entries_ops.show_entry(project, slug)
    locales = project.config.locales
    if json_output:
        common.print_json(info.to_dict())
        return
    console = common.out()
    console.print(Text.assemble((info.title, "bold"), f"  ({info.date})  {info.slug}"), highlight=False)
    if info.retired:
        console.print(f"retired: {info.retired} (out of export, check and emit)", highlight=False)
    # The English text itself is in the units below, sentence by sentence (--json has the fields whole).
    for name in ("label", "author", "source_path"):
        if getattr(info, name):
            console.print(f"{name}: {getattr(info, name)}", highlight=False)
    for event in info.events:
        action = event["action"] or ""
        what = f"renamed {event['old_slug']} → {event['new_slug']}" if action == "rename" else action
        comment = f": {event['comment']}" if event["comment"] else ""
        console.print(f"{event['at']}  {what} by {event['actor']}{comment}", highlight=False)
    if info.image:
        size = f" ({info.image['width']}×{info.image['height']})" if info.image.get("width") else ""
        console.print(f"image: {info.image['url']}{size}", highlight=False)
    for unit in info.units_detail or []:
        console.print()
        console.print(Text.assemble((f"{unit.field} · {unit.position}", "bold"), ("  " + unit.uid, "dim")))
        # A grid, so that a long sentence wraps under itself, not under the locale code.
        grid = Table.grid(padding=(0, 1), pad_edge=True)
        grid.add_column(no_wrap=True, style="bold")
        grid.add_column(ratio=1)
        grid.add_row("  en", unit.source)
        for lc in sorted({*locales, *unit.translations}):
            translation = unit.translations.get(lc, {})
            state = translation.get("state") or "untranslated"
            grid.add_row(f"  {lc}", Text.assemble(translation.get("text") or "—", (f"  [{state}]", "dim")))
        console.print(grid)


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

    report = status_ops.status(common.project(), locale=locale, state=state, since=_parse_date(since, "--since"), by=by)
    if json_output:
        common.print_json(report.to_dict())
        return
    console = common.out()
    locales = list(report.locales)
    # One row per state, one column per locale: the state names stay whole at 80 columns.
    by_locale = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, title="By locale", title_justify="left")
    by_locale.add_column("state", no_wrap=True)
    for lc in locales:
        by_locale.add_column(lc, justify="right", no_wrap=True)
    by_locale.add_row("all units", *(str(report.locales[lc].total) for lc in locales))
    for state_name in [s.value for s in State]:
        by_locale.add_row(state_name, *(str(report.locales[lc].counts.get(state_name, 0)) for lc in locales))
    by_locale.add_row("reviewed %", *(f"{report.locales[lc].reviewed_percent:.1f}" for lc in locales))
    console.print(by_locale)
    if not report.entries:
        return
    slug_width = max(len(item.slug) for item in report.entries)
    width = _bar_width(console.width - slug_width - 2, len(locales))
    if width is not None:
        per_entry = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, title="By entry", title_justify="left")
        per_entry.add_column("entry", no_wrap=True)
        for lc in locales:
            per_entry.add_column(lc, no_wrap=True)
        for item in report.entries:
            per_entry.add_row(item.slug, *(_bar(item.locales[lc], width) for lc in locales))
        console.print(per_entry)
    else:  # slugs too long to share a line with the bars: each entry on two lines
        width = _bar_width(console.width - 2, len(locales)) or 5
        console.print("By entry")
        for item in report.entries:
            console.print(item.slug, highlight=False)
            parts = [Text.assemble((f"{lc} ", "bold"), _bar(item.locales[lc], width)) for lc in locales]
            console.print(Text("  ").append(Text("   ").join(parts)))
    console.print(
        Text.assemble(
            (BAR_REVIEWED, "green"),
            " reviewed  ",
            (BAR_TRANSLATED, "yellow"),
            " translated  ",
            (BAR_REST, "dim"),
            " not yet; n/m = translated or reviewed of all units",
        )
    )


# The bar's three parts differ in shape, not only in colour: NO_COLOR, a log, a screenshot
# in grey all still tell reviewed from translated.
BAR_REVIEWED = "█"
BAR_TRANSLATED = "▒"
BAR_REST = "·"


def _bar_width(room: int, locales: int) -> int | None:
    """Cells per bar so that every locale's bar and count fit in ``room`` columns (5 to 20);
    None when even 5 do not."""
    count = len(" 9999/9999")
    cells = (room - locales * (count + 5)) // max(1, locales)
    return min(20, cells) if cells >= 5 else None


def _bar(progress: Progress, width: int = 20) -> Text:
    """Reviewed, then translated-but-unreviewed, then the rest; then done/total."""
    total = progress.total or 1
    reviewed = round(width * progress.counts.get("reviewed", 0) / total)
    translated = round(width * progress.counts.get("translated", 0) / total)
    translated = min(translated, width - reviewed)
    rest = max(0, width - reviewed - translated)
    done = progress.counts.get("reviewed", 0) + progress.counts.get("translated", 0)
    return Text.assemble(
        (BAR_REVIEWED * reviewed, "green"),
        (BAR_TRANSLATED * translated, "yellow"),
        (BAR_REST * rest, "dim"),
        f" {done}/{progress.total}",
    )


def register(app: typer.Typer) -> None:
    app.command()(init)
    app.command()(ingest)
    app.add_typer(entries_app, name="entries")
    app.command()(show)
    app.command()(export)
    app.command("import")(import_)
    app.command()(status)

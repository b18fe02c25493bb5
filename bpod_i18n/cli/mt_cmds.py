"""pretranslate, mt providers."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer
from rich.table import Table

from bpod_i18n.cli import common
from bpod_i18n.cli.common import JSON_OPTION, handle_errors

if TYPE_CHECKING:
    from bpod_i18n.workflow.pretranslate import PretranslateReport

# The mt package (deep-translator, requests) is imported inside the commands: loading it for
# every `bpod-i18n` call would slow down `status` and friends by a quarter of a second.


@handle_errors
def pretranslate(
    locale: str = typer.Option(..., "--locale", "-l", help="Target locale, e.g. ca."),
    entry: list[str] | None = typer.Option(None, "--entry", "-e", help="Only this entry (repeat); default: all."),
    provider: str | None = typer.Option(
        None,
        "--provider",
        "-p",
        help="MT provider (default: \\[mt] provider): apertium, libre, deepl, google, mymemory, microsoft.",
    ),
    no_mt: bool = typer.Option(False, "--no-mt", help="Translation memory only; send nothing to a provider."),
    dry_run: bool = typer.Option(
        False,
        "--dry-run",
        "-n",
        help="Send and store nothing; show what would come from TM and cache, and what would be sent "
        "(texts, characters).",
    ),
    json_output: bool = JSON_OPTION,
) -> None:
    """Fill untranslated units with suggestions: translation memory first, then machine translation.

    Exact and fuzzy matches (>= \\[mt] fuzzy_threshold %) from the locale's translated and
    reviewed units come first; the rest goes to the MT provider with the glossary applied
    (do-not-translate terms protected, preferred terms enforced). Every suggestion is stored
    as `machine` (fuzzy in PO) with its origin and a note for the translator; existing
    translations are never touched. Machine results are cached: a second run sends nothing
    already translated. A provider failure keeps every result obtained before it (exit 1).
    """
    from bpod_i18n.workflow import pretranslate as pretranslate_ops

    project = common.project()
    with common.progress(json_output) as bar:
        report = pretranslate_ops.pretranslate(
            project, locale, slugs=entry, provider_name=provider, use_mt=not no_mt, dry_run=dry_run, progress=bar
        )
    if json_output:
        common.print_json(report.to_dict())
        return
    common.out().print(_summary(report), highlight=False)


def _summary(report: PretranslateReport) -> str:
    lc = report.locale
    if report.untranslated == 0:
        return f"{lc}: no untranslated units; nothing to do."
    tm = f"{report.tm_exact} exact and {report.tm_fuzzy} fuzzy translation-memory matches"
    if report.dry_run:
        lines = [f"Dry run: nothing sent, nothing stored. {lc}: {report.untranslated} untranslated units.", f"  {tm}"]
        if report.provider:
            lines.append(f"  {report.cache} from the MT cache ({report.provider})")
            lines.append(
                f"  {report.machine} to machine-translate: would send {report.texts_sent} texts, "
                f"{report.characters_sent} characters, to {report.provider}"
            )
        else:
            lines.append(f"  {report.untranslated - report.tm_exact - report.tm_fuzzy} left untranslated (--no-mt)")
        return "\n".join(lines)
    lines = [f"{lc}: {report.untranslated} untranslated units.", f"  {tm}"]
    if report.provider:
        lines.append(
            f"  {report.cache} from the MT cache, {report.machine} machine-translated by {report.provider} "
            f"({report.texts_sent} texts, {report.characters_sent} characters sent)"
        )
        if report.flagged:
            lines.append(f"  {report.flagged} flagged: check the glossary note in the PO comments")
    if report.skipped:
        lines.append(f"  {report.skipped} translated by someone else meanwhile: left as they were")
    if report.left:
        lines.append(f"  {report.left} still untranslated")
    if report.tm_exact + report.tm_fuzzy + report.cache + report.machine:
        lines.append("Suggestions are stored as machine (fuzzy in PO) until a translator accepts them.")
    return "\n".join(lines)


mt_app = typer.Typer(help="Machine-translation providers.", no_args_is_help=True)


@mt_app.command("providers")
@handle_errors
def providers(json_output: bool = JSON_OPTION) -> None:
    """List MT providers and whether each is usable here (engine installed, key present)."""
    from bpod_i18n.mt.availability import provider_statuses

    config = common.project().config
    statuses = provider_statuses(config.mt.table(), config.source_language, config.locales)
    if json_output:
        common.print_json([status.to_dict() for status in statuses])
        return
    table = Table("provider", "default", "usable", "details")
    for status in statuses:
        table.add_row(status.name, "yes" if status.default else "", "yes" if status.usable else "no", status.detail)
    common.out().print(table)


def register(app: typer.Typer) -> None:
    app.command()(pretranslate)
    app.add_typer(mt_app, name="mt")

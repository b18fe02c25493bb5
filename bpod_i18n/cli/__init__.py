"""The `bpod-i18n` command: a thin Typer shell over bpod_i18n.workflow.

Commands parse options, call one workflow function, and print what it returns. Exit codes
(picked in one place, cli/common.py handle_errors): 0 ok, 1 a gate failed or a conflict was
found, 2 usage or input error, 3 the database failed, 70 internal error (a bug), 130
interrupted.
"""

from __future__ import annotations

from pathlib import Path

import typer

from bpod_i18n import __version__
from bpod_i18n.cli import (
    check_cmds,
    common,
    emit_cmds,
    entry_cmds,
    glossary_cmds,
    mirror_cmds,
    mt_cmds,
    people_cmds,
    publish_cmds,
    review_cmds,
)
from bpod_i18n.cli.common import handle_errors
from bpod_i18n.cli.helpstyle import HELP_OPTION_NAMES, TidyHelpGroup
from bpod_i18n.errors import UsageError

app = typer.Typer(
    name="bpod-i18n",
    help=(
        "Translation workflow for BPoD (Biomedical Picture of the Day): ingest English entries, "
        "export PO files for translators, import them back, review per locale, emit localised "
        "mirrors, and gate CI on what is not ready."
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="markdown",
    context_settings={"help_option_names": HELP_OPTION_NAMES},
    cls=TidyHelpGroup,  # flags without a "<bool>" label in --help
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"bpod-i18n {__version__}")
        raise typer.Exit()


@handle_errors
def _project_folder(project: Path | None, command: str | None) -> None:
    """-C must name a folder; ``init`` creates one that is missing."""
    if project is None or command == "init" or project.is_dir():
        return
    if project.exists():
        raise UsageError(f"project folder {project} is a file, not a folder (-C)")
    raise UsageError(
        f"project folder {project} does not exist (-C); `bpod-i18n -C {project} init` creates a project there"
    )


@app.callback()
def main(
    ctx: typer.Context,
    project: Path | None = typer.Option(
        None, "--project", "-C", help="Project folder (default: the nearest folder with bpod-i18n.toml)."
    ),
    db: str | None = typer.Option(
        None,
        "--db",
        envvar="BPOD_I18N_DB",
        help="Database URL (overrides the config), e.g. postgresql://user@host/bpod.",
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bars, only results and errors."),
    debug: bool = typer.Option(
        False,
        "--debug",
        envvar="BPOD_I18N_DEBUG",
        help="Print the traceback of an error (an internal error exits 70 with one line otherwise).",
    ),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version."),
) -> None:
    _project_folder(project, ctx.invoked_subcommand)
    common.settings.project_dir = project
    common.settings.database = db
    common.settings.quiet = quiet
    common.settings.debug = debug


entry_cmds.register(app)
review_cmds.register(app)
people_cmds.register(app)
glossary_cmds.register(app)
emit_cmds.register(app)
check_cmds.register(app)
mt_cmds.register(app)
mirror_cmds.register(app)
publish_cmds.register(app)

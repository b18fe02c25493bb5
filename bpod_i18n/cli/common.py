"""What every command shares: consoles, error-to-exit-code mapping, progress bars, JSON.

Text from users is never read as rich markup. Nearly everything the CLI prints is theirs:
sentences, translations, titles, slugs, comments, glossary terms, file names, messages quoting
them, and a biomedical text is full of brackets ("[sic]", "[Ca2+]", a pasted "[/link]") that
rich would take for tags, dropping them or failing with a MarkupError. So the consoles have
markup and emoji codes off, and the few styled words are built as ``rich.text.Text``; where
rich parses markup whatever the console says (a Panel's title, a Prompt), :func:`literal`
hands it a Text.
"""

from __future__ import annotations

import functools
import json
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from bpod_i18n.errors import EXIT_INTERNAL, EXIT_INTERRUPTED, BpodError

if TYPE_CHECKING:
    from bpod_i18n.workflow.project import Project

F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class Settings:
    """Global options, set by the app callback."""

    project_dir: Path | None = None
    database: str | None = None
    quiet: bool = False
    debug: bool = False  # --debug or BPOD_I18N_DEBUG=1: tracebacks on stderr


settings = Settings()


def out() -> Console:
    """Results go to stdout (markup off: see the module's docstring)."""
    return Console(soft_wrap=True, markup=False, emoji=False)


def err() -> Console:
    """Diagnostics go to stderr (markup off: see the module's docstring)."""
    return Console(stderr=True, soft_wrap=True, markup=False, emoji=False)


def literal(value: object, style: str = "") -> Text:
    """``value`` as printed text, never read as markup: for the places rich parses markup
    whatever the console's setting (a Panel's title, a Prompt's question)."""
    return Text(str(value), style=style)


def handle_errors(func: F) -> F:
    """The one place that picks the exit code: typed errors give one line on stderr and the
    code of their kind; anything else is a bug, exit 70 (EX_SOFTWARE), never 1, which CI reads
    as "the gate failed"."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except BpodError as exc:
            _traceback(exc)
            # Messages quote config sections ("[project]") and users' text: never markup.
            err().print(Text.assemble(("error:", "bold red"), " ", str(exc)), highlight=False)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            err().print("interrupted: work already committed is kept, the unfinished transaction was rolled back")
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except (typer.Exit, typer.Abort, typer.TyperException):  # Typer's own exits and usage errors
            raise
        except Exception as exc:
            _traceback(exc)
            # The first line only: a driver's or library's message may go on with SQL, parameters
            # or whole documents; the traceback has it all.
            detail = next((" ".join(line.split()) for line in str(exc).splitlines() if line.strip()), "")
            hint = "" if settings.debug else "; run again with --debug (or BPOD_I18N_DEBUG=1) for the traceback"
            err().print(f"internal error (a bug in bpod-i18n): {type(exc).__name__}: {detail}{hint}", highlight=False)
            raise typer.Exit(EXIT_INTERNAL) from None

    return wrapper  # type: ignore[return-value]  # functools.wraps keeps the signature; mypy cannot see it


def _traceback(exc: BaseException) -> None:
    # Plain traceback.print_exception, not rich's: rich's shows local variables, and a local
    # may hold a database URL with its password.
    if settings.debug:
        traceback.print_exception(exc, file=sys.stderr)


def project(check_schema: bool = True) -> Project:
    # Imported here: SQLAlchemy costs 0.3 s of start-up, and `check` in CI never opens a project.
    from bpod_i18n.workflow.project import open_project

    return open_project(settings.project_dir, database=settings.database, check_schema=check_schema)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


class RichProgress:
    """The workflow's ProgressHook drawn as a rich bar on stderr, only on a terminal."""

    def __init__(self, enabled: bool):
        console = err()
        self._progress = Progress(
            TextColumn("{task.description}", markup=False),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
            disable=not enabled or not console.is_terminal,
        )
        self._task: Any = None

    def __enter__(self) -> RichProgress:
        self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.stop()

    def start(self, total: int, description: str) -> None:
        if self._task is not None:
            self._progress.remove_task(self._task)
        self._task = self._progress.add_task(description, total=total)

    def advance(self, amount: int = 1) -> None:
        if self._task is not None:
            self._progress.advance(self._task, amount)


def progress(json_output: bool = False) -> RichProgress:
    return RichProgress(enabled=not (settings.quiet or json_output))


JSON_OPTION = typer.Option(False, "--json", help="Print the result as JSON on stdout (for scripts).")

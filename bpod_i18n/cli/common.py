"""What every command shares: consoles, error-to-exit-code mapping, progress bars, JSON."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from bpod_i18n.errors import EXIT_INTERRUPTED, BpodError

if TYPE_CHECKING:
    from bpod_i18n.workflow.project import Project

F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class Settings:
    """Global options, set by the app callback."""

    project_dir: Path | None = None
    database: str | None = None
    quiet: bool = False


settings = Settings()


def out() -> Console:
    """Results go to stdout."""
    return Console(soft_wrap=True)


def err() -> Console:
    """Diagnostics go to stderr."""
    return Console(stderr=True, soft_wrap=True)


def handle_errors(func: F) -> F:
    """Map typed errors to one line on stderr and the exit code of their kind."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except BpodError as exc:
            # Messages quote config sections like "[project]": print them as text, not markup.
            err().print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            err().print("interrupted: work already committed is kept, the unfinished transaction was rolled back")
            raise typer.Exit(EXIT_INTERRUPTED) from None

    return wrapper  # type: ignore[return-value]


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
            TextColumn("{task.description}"),
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

"""What every command shares: consoles, error-to-exit-code mapping, progress bars, JSON.

Text from users is never read as rich markup. Nearly everything the CLI prints is theirs:
sentences, translations, titles, slugs, comments, glossary terms, file names, messages quoting
them, and a biomedical text is full of brackets ("[sic]", "[Ca2+]", a pasted "[/link]") that
rich would take for tags, dropping them or failing with a MarkupError. So the consoles have
markup and emoji codes off, and the few styled words are built as ``rich.text.Text``; where
rich parses markup whatever the console says (a Panel's title, a Prompt), :func:`literal`
hands it a Text.

Nor are they ever sent to the terminal as they are. A translation may hold control
characters (``\x1b[8m`` hides text from a reviewer, ``\x1b]0;…\x07`` sets the window title)
or bidirectional overrides that show a sentence in another order than it is stored;
:func:`visible` shows every such character as a visible mark (control pictures such as ``␛``
for C0 controls, ``<U+202E>`` for the others). Every console made here applies it to all
text it prints (:class:`_VisibleConsole`), tables and prompts included, and the few places
that write without a console (JSON, reports) call it themselves.
"""

from __future__ import annotations

import functools
import json
import re
import sys
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.segment import Segment
from rich.text import Text

from bpod_i18n import redact
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

# Unicode's control (Cc), format (Cf) and line/paragraph separator (Zl, Zp) characters: what
# a terminal acts on or a reader cannot see (bidi overrides and isolates, zero-width
# characters, the BOM, soft hyphen, invisible "tag" letters). Written out because building
# it from unicodedata at start-up would cost every command 0.3 s; a test holds it to
# unicodedata. U+13430-1343F: Egyptian format controls (Cf from Unicode 15 on).
_CONTROLS_BUT_NEWLINE = "\x00-\x09\x0b-\x1f\x7f-\x9f"
_OTHER_INVISIBLE = (
    "\xad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e"
    "\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f"
)
INVISIBLE = re.compile(f"[\n{_CONTROLS_BUT_NEWLINE}{_OTHER_INVISIBLE}]")
_INVISIBLE_BUT_NEWLINE = re.compile(f"[{_CONTROLS_BUT_NEWLINE}{_OTHER_INVISIBLE}]")


def _mark(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    if code < 0x20:
        return chr(0x2400 + code)  # control pictures: ␀ … ␛ (ESC) … ␟
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"<U+{code:04X}>"


def visible(text: str, *, keep_newlines: bool = False) -> str:
    r"""``text`` with every control, format and separator character shown as a visible mark:
    ``"\x1b[8m"`` → ``"␛[8m"``, U+202E → ``"<U+202E>"``. A newline becomes ``␊`` too (one
    message stays one line), unless ``keep_newlines`` (text laid out on several lines)."""
    return (_INVISIBLE_BUT_NEWLINE if keep_newlines else INVISIBLE).sub(_mark, text)


class _VisibleConsole(Console):
    """A rich Console that shows control characters in everything it prints visibly.

    Applied to the segments rich has laid out, just before their styles become escape
    sequences: whatever a table, panel, prompt or progress bar holds, no character of the
    text reaches the terminal as a control. (Our own line breaks are rich's; a newline inside
    a cell is laid out by rich as a line of its own.)
    """

    def _render_buffer(self, buffer: Iterable[Segment]) -> str:
        return super()._render_buffer(
            segment if segment.control else Segment(visible(segment.text, keep_newlines=True), segment.style)
            for segment in buffer
        )


def out() -> Console:
    """Results go to stdout (markup off, control characters shown: see the module's docstring)."""
    return _VisibleConsole(soft_wrap=True, markup=False, emoji=False)


def err() -> Console:
    """Diagnostics go to stderr (markup off, control characters shown: see the module's docstring)."""
    return _VisibleConsole(stderr=True, soft_wrap=True, markup=False, emoji=False)


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
            # Messages quote config sections ("[project]") and users' text: never markup, and
            # one line whatever the text holds (a newline in a translation, a control).
            err().print(Text.assemble(("error:", "bold red"), " ", visible(redact.scrub(str(exc)))), highlight=False)
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
            detail = visible(redact.scrub(detail))
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
    """``data`` as JSON on stdout. JSON escapes the C0 controls itself; the other invisible
    characters (C1 controls such as CSI, bidi overrides) are written as ``\\uXXXX`` escapes too,
    so the document is the same data and inert on a terminal. Registered secrets are masked."""
    text = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    # (The document's own newlines are layout: json.dumps escapes those inside strings.)
    sys.stdout.write(redact.scrub(_INVISIBLE_BUT_NEWLINE.sub(_json_escape, text)) + "\n")


def _json_escape(match: re.Match[str]) -> str:
    return json.dumps(match.group(0))[1:-1] if ord(match.group(0)) < 0x10000 else _surrogates(match.group(0))


def _surrogates(char: str) -> str:
    code = ord(char) - 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


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

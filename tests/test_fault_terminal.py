"""Fault suite, hostile text in the terminal: a translation holding ANSI escape sequences, a
terminal-title sequence, bidi overrides. The raw bytes each command writes are captured (from
a real pseudo-terminal where it matters) and must not carry them."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import pytest
from helpers import one_line_error, snapshot, translate_po

from bpod_i18n.cli import common
from bpod_i18n.workflow.project import Project

PAGES = Path(__file__).parent / "fixtures" / "pages"
MASSING = "2016-07-22-massing-to-defend"
TITLE = "Massing to Defend"
# As a PO file writes it (escapes), and what it means once read.
HOSTILE_PO = "Agrupats \\x1b[8mamagat\\x1b[0m \\x1b]0;pwned\\x07 \u202edesrever\u202c\\302\\23331m"
HOSTILE = "Agrupats \x1b[8mamagat\x1b[0m \x1b]0;pwned\x07 \u202edesrever\u202c\x9b31m"
# What must never reach a terminal raw: conceal, an OSC (window title), BEL, RLO, a C1 CSI.
FORBIDDEN = [b"\x1b[8m", b"\x1b]", b"\x07", "\u202e".encode(), "\x9b".encode()]


def assert_inert(data: bytes) -> None:
    for sequence in FORBIDDEN:
        assert sequence not in data, (sequence, data)


@pytest.fixture
def hostile(cli, project_dir: Path) -> Path:
    """Massing's title translated with escape sequences and a bidi override (imported, as a
    translator's PO file would carry them: PO escapes)."""
    assert cli("ingest", str(PAGES)).exit_code == 0
    assert cli("export", "--locale", "ca").exit_code == 0
    po = project_dir / "locales/ca/2016" / f"{MASSING}.po"
    translate_po(po, {TITLE: "PLACEHOLDER"})
    po.write_text(po.read_text(encoding="utf-8").replace("PLACEHOLDER", HOSTILE_PO), encoding="utf-8")
    result = cli("import", str(po), "--by", "mallory")
    assert result.exit_code == 0, result.output
    return po


def in_terminal(project_dir: Path, *args: str, answers: bytes = b"") -> bytes:
    """Run the CLI on a real pseudo-terminal (colour on, as a user sees it); every byte it
    wrote, stdout and stderr alike."""
    master, slave = pty.openpty()
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "200", "LINES": "50"}
    env.pop("NO_COLOR", None)
    run = subprocess.Popen(
        [sys.executable, "-m", "bpod_i18n", "-C", str(project_dir), *args],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        close_fds=True,
    )
    os.close(slave)
    written = b""
    if answers:
        time.sleep(1.0)
        os.write(master, answers)
    give_up = time.monotonic() + 120
    try:
        while time.monotonic() < give_up:
            ready, _, _ = select.select([master], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # the other end closed: the process is done
                    break
                if not chunk:
                    break
                written += chunk
            elif run.poll() is not None:
                break
    finally:
        os.close(master)
        run.wait(timeout=30)
    return written


def test_visible_marks_every_control_format_and_separator_character() -> None:
    """The character class is written out (start-up time); it must be what Unicode says."""
    wanted = {"Cc", "Cf", "Zl", "Zp"}
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        category = unicodedata.category(char)
        marked = common.INVISIBLE.fullmatch(char) is not None
        if category in wanted:
            assert marked, f"U+{code:04X} ({category}) is not shown visibly"
        elif marked:
            assert category == "Cn", f"U+{code:04X} ({category}) is marked but visible"
    assert common.visible("a\x1b[8mb\x07\u202ec\nd") == "a\u241b[8mb\u2407<U+202E>c\u240ad"
    assert common.visible("a\nb", keep_newlines=True) == "a\nb"


def test_history_in_a_terminal_shows_the_escape_sequences_visibly(hostile: Path, project_dir: Path) -> None:
    written = in_terminal(project_dir, "history", MASSING, "--locale", "ca")
    assert_inert(written)
    assert "␛[8mamagat".encode() in written and "␛]0;pwned".encode() in written
    assert b"<U+202E>desrever" in written


def test_interactive_review_shows_the_reviewer_what_is_hidden(hostile: Path, project_dir: Path) -> None:
    written = in_terminal(project_dir, "review", "--locale", "ca", MASSING, "--by", "jordi", answers=b"q\n")
    assert_inert(written)
    assert "Agrupats ␛[8mamagat␛[0m ␛]0;pwned␇ <U+202E>desrever<U+202C><U+009B>31m".encode() in written
    assert b"Stopped; " in written and b" decisions stored." in written


@pytest.mark.parametrize(
    "args",
    [
        ["show", MASSING],
        ["history", MASSING],
        ["status"],
        ["entries"],
        ["check", "--locale", "ca", "--no-db"],
    ],
)
def test_every_listing_writes_no_raw_control(cli, hostile: Path, args: list[str]) -> None:
    result = cli(*args)
    assert "Traceback" not in result.output
    assert_inert(result.stdout_bytes + result.stderr_bytes)


def strings(data: object) -> list[str]:
    if isinstance(data, dict):
        return [s for value in data.values() for s in strings(value)]
    if isinstance(data, list):
        return [s for value in data for s in strings(value)]
    return [data] if isinstance(data, str) else []


@pytest.mark.parametrize("args", [["show", MASSING, "--json"], ["history", MASSING, "--json"]])
def test_json_escapes_them_and_keeps_the_text(cli, hostile: Path, args: list[str]) -> None:
    result = cli(*args)
    assert result.exit_code == 0
    assert_inert(result.stdout_bytes)  # escaped as \u001b, \u202e, \u009b: the same data, inert
    if args[0] == "history":
        assert HOSTILE in strings(json.loads(result.stdout))


def test_a_translation_in_an_error_message_stays_one_inert_line(
    cli, project: Project, hostile: Path, tmp_path: Path
) -> None:
    """An error quoting user text: a file whose name holds escape sequences and a newline."""
    evil = tmp_path / "evil\x1b]0;pwned\x07\nline two.po"
    evil.write_text("not a PO file at all\n", encoding="utf-8")
    before = snapshot(project)
    result = cli("import", str(evil))
    message = one_line_error(result, 2, "evil␛]0;pwned␇␊line two.po")
    assert_inert(result.stderr_bytes) and message.startswith("error: ")
    assert snapshot(project) == before


def test_a_review_comment_with_escapes_is_stored_as_is_and_shown_inert(cli, hostile: Path) -> None:
    comment = "fix \x1b[2Jthis\x1b[H"  # clear screen, cursor home
    assert cli("review", "-l", "ca", "--reject", MASSING, "--comment", comment, "--by", "jordi").exit_code == 0
    history = json.loads(cli("history", MASSING, "--json").stdout)
    assert comment in [event["comment"] for event in history]
    written = cli("history", MASSING).stdout_bytes
    assert b"\x1b[2J" not in written and "␛[2J".encode() in written

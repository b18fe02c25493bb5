"""The exit code is picked in one place: a bug is exit 70 with one line (never 1, which CI reads
as "the gate failed"), --debug / BPOD_I18N_DEBUG=1 add the traceback, Ctrl-C is 130.

An internal error is by definition one no input should cause, so the fault is planted in the
workflow function the command calls; the CLI around it, its output and exit code are real.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bpod_i18n.workflow import status as status_ops

HINT = "; run again with --debug (or BPOD_I18N_DEBUG=1) for the traceback"


def _broken_status(*args: object, **kwargs: object) -> None:
    # A library's message often goes on over lines (SQL, parameters): only the first is shown.
    raise RuntimeError("units vanished\n[SQL: SELECT * FROM units WHERE text = 'private sentence']")


@pytest.fixture
def broken(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BPOD_I18N_DEBUG", raising=False)
    monkeypatch.setattr(status_ops, "status", _broken_status)


def test_an_internal_error_is_exit_70_and_one_line(cli, broken: None) -> None:
    result = cli("status")
    assert result.exit_code == 70
    assert result.stdout == ""
    assert result.stderr == f"internal error (a bug in bpod-i18n): RuntimeError: units vanished{HINT}\n"
    assert "private sentence" not in result.stderr


@pytest.mark.parametrize("how", ["option", "environment"])
def test_debug_prints_the_traceback(cli, broken: None, monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    if how == "environment":
        monkeypatch.setenv("BPOD_I18N_DEBUG", "1")
        result = cli("status")
    else:
        result = cli("--debug", "status")
    assert result.exit_code == 70
    assert result.stderr.startswith("Traceback (most recent call last):\n")
    assert 'in _broken_status\n    raise RuntimeError("units vanished' in result.stderr
    assert "private sentence" in result.stderr  # the whole message is in the traceback
    assert result.stderr.endswith("\ninternal error (a bug in bpod-i18n): RuntimeError: units vanished\n")


def test_debug_shows_where_a_typed_error_came_from(cli) -> None:
    result = cli("--debug", "status", "--locale", "fr")
    assert result.exit_code == 2
    assert result.stderr.startswith("Traceback (most recent call last):\n")
    assert result.stderr.endswith(
        "error: locale 'fr' is not one of this project's locales (ca, es); "
        "add it to [project] locales in bpod-i18n.toml\n"
    )


def test_ctrl_c_is_130(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(status_ops, "status", interrupted)
    result = cli("status")
    assert result.exit_code == 130
    assert result.stderr.startswith("interrupted: ")


def test_a_real_process_exits_70(project_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BPOD_I18N_DEBUG", raising=False)
    code = (
        "import sys\n"
        "from bpod_i18n.workflow import status\n"
        "def broken(*a, **k): raise ZeroDivisionError('division by zero')\n"
        "status.status = broken\n"
        "from bpod_i18n.cli import app\n"
        "app(args=sys.argv[1:], prog_name='bpod-i18n')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, "-C", str(project_dir), "status"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert (done.returncode, done.stdout) == (70, "")
    assert done.stderr == f"internal error (a bug in bpod-i18n): ZeroDivisionError: division by zero{HINT}\n"

"""Approve what you saw: approvals carry the version of the text the reviewer was shown (a
change arriving between the look and the approval is reported, not approved, tested with real
processes); QA errors block bulk approval unless a reason is given; exit 1 when nothing was
approved. Feedback: the reviewer's reason reaches the translator's PO file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import polib
import pytest
from helpers import translate_po

PAGES = Path(__file__).parent / "fixtures" / "pages"
MASSING = "2016-07-22-massing-to-defend"
TITLE = "Massing to Defend"
TITLE_CA = "Concentrats per defensar-se"
FIRST = (
    "On the front line of the immune system’s battle with pathogens, T cells raise the alarm and stimulate "
    "the body’s response to danger."
)
SECOND = (
    "They become activated when protein receptors on their surfaces detect an outsider, triggering a suite of "
    "cellular processes to eventually destroy the pathogen and promote its detection around the body."
)


def ok(result: Any) -> Any:
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def po(cli, project_dir: Path) -> Path:
    """The Massing entry exported, its title translated and imported by marta."""
    ok(cli("ingest", str(PAGES)))
    ok(cli("export", "-l", "ca", "--entry", MASSING))
    path = project_dir / "locales/ca/2016" / f"{MASSING}.po"
    translate_po(path, {TITLE: TITLE_CA})
    ok(cli("import", str(path), "--by", "marta"))
    return path


def listed(cli, target: str) -> dict[str, dict]:
    return {
        item["source"]: item for item in json.loads(ok(cli("review", "-l", "ca", "--list", target, "--json")).stdout)
    }


def actions(cli, uid: str) -> list[tuple[str, str]]:
    return [(e["actor"], e["action"]) for e in json.loads(cli("history", uid, "--json").stdout)]


def test_a_unit_approved_with_the_version_seen(cli, po: Path) -> None:
    seen = listed(cli, MASSING)[TITLE]
    assert seen["text"] == TITLE_CA and seen["target"] == f"{seen['unit']}@{seen['token']}"
    # Meanwhile marta changes it again.
    ok(cli("export", "-l", "ca", "--entry", MASSING))
    translate_po(po, {TITLE: "Agrupats per defensar-se"})
    ok(cli("import", str(po), "--by", "marta"))
    result = cli("review", "-l", "ca", "--approve", seen["target"], "--by", "jordi")
    assert result.exit_code == 1
    assert (
        f"skipped {seen['unit']}: changed since you saw it (now translated: 'Agrupats per defensar-se')"
        in result.stderr
    )
    assert "nothing was approved" in result.stderr
    assert ("jordi", "approve") not in actions(cli, seen["unit"])
    # Looked at again: approved.
    fresh = listed(cli, seen["unit"])[TITLE]
    ok(cli("review", "-l", "ca", "--approve", fresh["target"], "--by", "jordi"))
    assert actions(cli, seen["unit"])[-1] == ("jordi", "approve")


def test_list_shows_the_whole_texts_and_what_to_type(cli, po: Path) -> None:
    result = ok(cli("review", "-l", "ca", "--list", MASSING))
    seen = listed(cli, MASSING)[TITLE]
    assert f"{MASSING} · title · {seen['target']}" in result.stdout
    assert "They become activated when protein" in result.stdout and "around the body." in result.stdout  # wrapped
    assert f"To approve exactly these texts: bpod-i18n review -l ca --approve {seen['target']}\n" in result.stdout


def test_a_version_belongs_to_a_unit(cli, po: Path) -> None:
    result = cli("review", "-l", "ca", "--approve", f"{MASSING}@abcd1234", "--by", "jordi")
    assert result.exit_code == 2 and "a version belongs to a unit, not to an entry" in result.stderr


def test_qa_errors_block_bulk_approval_unless_a_reason_is_given(cli, po: Path) -> None:
    ok(cli("export", "-l", "ca", "--entry", MASSING))
    # A number the English does not have, and broken markup.
    translate_po(
        po,
        {FIRST: "A la primera línia, 54 limfòcits T donen l’alarma.", SECOND: "S’activen <b>quan detecten un intrús."},
    )
    ok(cli("import", str(po), "--by", "marta"))
    result = cli("review", "-l", "ca", "--approve", MASSING, "--by", "jordi", "--json")
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert [d["state"] for d in report["decided"]] == ["reviewed"]  # the title only
    why = {s["why"] for s in report["skipped"] if "QA errors" in s["why"]}
    assert any("numbers" in w for w in why) and any("markup" in w for w in why)
    # Only units with QA errors left: nothing approved, exit 1, and why.
    result = cli("review", "-l", "ca", "--approve", MASSING, "--by", "jordi")
    assert result.exit_code == 1
    assert "has QA errors (numbers: " in result.stderr and "nothing was approved" in result.stderr
    result = ok(
        cli(
            "review",
            "-l",
            "ca",
            "--approve",
            MASSING,
            "--by",
            "jordi",
            "--force-qa",
            "checked against the paper",
            "--json",
        )
    )
    assert len(json.loads(result.stdout)["forced_qa"]) == 2
    uid = listed(cli, MASSING)[FIRST]["unit"]
    last = json.loads(cli("history", uid, "--json").stdout)[-1]
    assert (last["action"], last["comment"]) == (
        "approve",
        "approved despite QA errors (numbers): checked against the paper",
    )


def test_interactive_approval_of_qa_errors_asks_why(cli, po: Path) -> None:
    ok(cli("export", "-l", "ca", "--entry", MASSING))
    translate_po(po, {FIRST: "A la primera línia, 54 limfòcits T donen l’alarma."})
    ok(cli("import", str(po), "--by", "marta"))
    # title: skip; first: approve → asked why; empty answer: not approved.
    result = ok(cli("review", "-l", "ca", MASSING, "--by", "jordi", input="s\na\n\n"))
    assert "QA error" in result.stdout and "why approve anyway?" in result.stdout and "not approved" in result.stdout
    result = ok(cli("review", "-l", "ca", MASSING, "--by", "jordi", input="s\na\nthe paper says 54\n"))
    assert "→ reviewed" in result.stdout
    uid = listed(cli, MASSING)[FIRST]["unit"]
    assert json.loads(cli("history", uid, "--json").stdout)[-1]["comment"] == (
        "approved despite QA errors (numbers): the paper says 54"
    )


def test_interactive_review_shows_whole_texts_notes_and_its_keys(cli, po: Path) -> None:
    ok(
        cli(
            "review",
            "-l",
            "ca",
            "--reject",
            listed(cli, MASSING)[TITLE]["unit"],
            "-m",
            "nanoagregats is not TERMCAT",
            "--by",
            "jordi",
        )
    )
    ok(cli("export", "-l", "ca", "--entry", MASSING))
    translate_po(
        po,
        {
            SECOND: "S’activen quan els receptors proteics de la seua superfície detecten un intrús, la qual cosa desencadena processos cel·lulars."
        },
    )
    ok(cli("import", str(po), "--by", "marta"))
    result = ok(cli("review", "-l", "ca", MASSING, "--by", "pere", input="s\ns\n"))
    out = result.stdout
    flat = " ".join(out.replace("│", " ").split())  # the panel's text, unwrapped
    assert "Reviewer jordi" in flat and "nanoagregats is not TERMCAT" in flat  # the reason, beside the text
    assert "la qual cosa desencadena processos cel·lulars." in flat and "promote its detection around the body." in flat
    assert "[a]pprove [r]eject [e]dit [s]kip [q]uit [a/r/e/s/q] (s): " in out


def test_interactive_edit_starts_from_the_current_text(cli, po: Path) -> None:
    # An empty answer keeps the text: nothing is stored.
    result = ok(cli("review", "-l", "ca", MASSING, "--by", "jordi", input="e\n\n"))
    assert "unchanged; nothing stored" in result.stdout
    uid = listed(cli, MASSING)[TITLE]["unit"]
    assert actions(cli, uid) == [("marta", "translate")]


def test_the_reviewers_reason_reaches_the_translators_po(cli, po: Path) -> None:
    uid = listed(cli, MASSING)[TITLE]["unit"]
    ok(cli("review", "-l", "ca", "--reject", uid, "-m", "nanoagregats is not TERMCAT", "--by", "jordi"))
    ok(cli("export", "-l", "ca", "--entry", MASSING))
    entry = next(e for e in polib.pofile(str(po)) if e.msgid == TITLE)
    from bpod_i18n.model import utcnow

    assert entry.tcomment == f"reviewer jordi {utcnow():%Y-%m-%d}: nanoagregats is not TERMCAT"
    assert "fuzzy" in entry.flags
    # marta fixes it; the reviewer's line coming back is not her comment.
    translate_po(po, {TITLE: "Agrupats per defensar-se"})
    result = ok(cli("import", str(po), "--by", "marta", "--json"))
    assert json.loads(result.stdout)["comments"] == 0
    assert actions(cli, uid)[-1] == ("marta", "translate")


# ---------------------------------------------------------------- two real processes


def _command(project_dir: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "bpod_i18n", "-C", str(project_dir), *args]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path), "PYTHONUNBUFFERED": "1"}


def _run(project_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        _command(project_dir, *args), check=False, capture_output=True, text=True, env=_env(), timeout=300
    )


class _Reader:
    """Collects a process's output as it comes; ``wait_for`` returns once a text has appeared."""

    def __init__(self, stream: Any):
        self.text = ""
        self._changed = threading.Condition()
        self._thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._thread.start()

    def _read(self, stream: Any) -> None:
        while chunk := os.read(stream.fileno(), 4096):
            with self._changed:
                self.text += chunk.decode("utf-8", "replace")
                self._changed.notify_all()

    def wait_for(self, text: str) -> None:
        with self._changed:
            # The deadline only keeps a broken run from hanging the suite; nothing is timed.
            if not self._changed.wait_for(lambda: text in self.text, timeout=300):
                raise AssertionError(f"{text!r} never came; output so far:\n{self.text}")


def test_a_change_between_look_and_approve_in_another_process_is_not_approved(cli, project_dir: Path, po: Path) -> None:
    reviewer = subprocess.Popen(
        _command(project_dir, "review", "-l", "ca", MASSING, "--by", "jordi"),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_env(),
    )
    out = _Reader(reviewer.stdout)
    err = _Reader(reviewer.stderr)
    out.wait_for("(s): ")  # jordi is looking at the title…
    assert TITLE_CA in out.text
    # …while marta imports a new title in another process.
    ok(cli("export", "-l", "ca", "--entry", MASSING))
    translate_po(po, {TITLE: "Agrupats per defensar-se"})
    imported = _run(project_dir, "import", str(po), "--by", "marta")
    assert imported.returncode == 0, imported.stderr
    assert reviewer.stdin is not None
    reviewer.stdin.write(b"a\n")
    reviewer.stdin.close()
    assert reviewer.wait(timeout=300) == 0
    err.wait_for("while you were reviewing it")
    assert "not stored" in err.text and "Agrupats per defensar-se" in err.text
    uid = listed(cli, MASSING)[TITLE]["unit"]
    assert actions(cli, uid) == [("marta", "translate"), ("marta", "translate")]


def test_a_change_between_list_and_approve_in_three_processes(cli, project_dir: Path, po: Path) -> None:
    looked = _run(project_dir, "review", "-l", "ca", "--list", MASSING, "--json")
    assert looked.returncode == 0, looked.stderr
    seen = next(item for item in json.loads(looked.stdout) if item["source"] == TITLE)
    ok(cli("export", "-l", "ca", "--entry", MASSING))
    translate_po(po, {TITLE: "Agrupats per defensar-se"})
    assert _run(project_dir, "import", str(po), "--by", "marta").returncode == 0
    approved = _run(project_dir, "review", "-l", "ca", "--approve", seen["target"], "--by", "jordi")
    assert approved.returncode == 1
    assert "changed since you saw it" in approved.stderr
    assert ("jordi", "approve") not in actions(cli, seen["unit"])

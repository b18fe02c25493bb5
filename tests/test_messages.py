"""What a new user reads when something is off: each message word for word, with its exit code."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from helpers import translate_po
from typer.testing import CliRunner

from bpod_i18n.cli import app

PAGES = Path(__file__).parent / "fixtures" / "pages"
MASSING = "2016-07-22-massing-to-defend"
CATALAN = {
    "Massing to Defend": "Agrupar-se per defensar",
    "On the front line of the immune system’s battle with pathogens, T cells raise the alarm and stimulate the body’s response to danger.": "A la primera línia de la batalla del sistema immunitari contra els patògens, els limfòcits T donen l’alarma.",
    "They become activated when protein receptors on their surfaces detect an outsider, triggering a suite of cellular processes to eventually destroy the pathogen and promote its detection around the body.": "S’activen quan els receptors de la superfície detecten un intrús.",
    "T-cell receptors are organised into minute nano-clusters, or protein islands, which, in cultured cells in the laboratory, are known to merge into larger micro-clusters when the cell becomes activated.": "Els receptors dels limfòcits T s’organitzen en nanoagrupacions diminutes.",
    "For the first time, this behaviour has been observed in the cells’ natural environment, in a live animal, thanks to super-resolution microscopy; this image shows bright receptor micro-clusters in a mouse T cell.": "Per primera vegada, s’ha observat en un animal viu.",
    "Researchers hope that a deeper understanding of T-cell activation will reveal ways of interfering with the responses of the immune system, in particular to tone them down in patients with autoimmune diseases.": "Els investigadors esperen atenuar les respostes del sistema immunitari.",
}


@pytest.fixture
def massing(cli, project_dir: Path) -> Path:
    """The entry ingested and its Catalan PO file exported; returns the file."""
    assert cli("ingest", str(PAGES / f"{MASSING}.txt")).exit_code == 0
    assert cli("export", "--locale", "ca").exit_code == 0
    return project_dir / "locales" / "ca" / "2016" / f"{MASSING}.po"


def test_review_counts_read_as_english(cli, massing: Path) -> None:
    five = dict(list(CATALAN.items())[:5])  # one sentence left untranslated
    translate_po(massing, five)
    assert cli("import", str(massing), "--by", "marta").exit_code == 0
    approved = cli("review", "--locale", "ca", "--approve", MASSING, "--by", "joan")
    assert approved.exit_code == 0
    assert approved.stdout == "5 units approved, 1 unit left as it was\n"
    uid = next(e.msgctxt for e in polib.pofile(str(massing)) if e.msgid == "Massing to Defend")
    rejected = cli("review", "--locale", "ca", "--reject", uid, "-m", "too free", "--by", "joan")
    assert rejected.exit_code == 0
    assert rejected.stdout == "1 unit rejected, 0 units left as they were\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("status", "--since", "2026-13-01"), "--since '2026-13-01' is not a date (YYYY-MM-DD, e.g. 2016-07-22)"),
        (("status", "--since", "yesterday"), "--since 'yesterday' is not a date (YYYY-MM-DD, e.g. 2016-07-22)"),
        (
            ("ingest", str(PAGES / f"{MASSING}.txt"), "--date", "2016-02-30"),
            "--date '2016-02-30' is not a date (YYYY-MM-DD, e.g. 2016-07-22)",
        ),
        (
            ("review", "--locale", "ca", "--approve", "2099-01-01-nope"),
            "no entry '2099-01-01-nope' (see `bpod-i18n entries`)",
        ),
        (
            ("review", "--locale", "ca", "--reject", "0123abcd", "-m", "why"),
            "no entry or unit '0123abcd' (entries: `bpod-i18n entries`; unit ids: `bpod-i18n show SLUG`)",
        ),
        (
            ("check", "--locale", "ca", "--max-untranslated", "lots"),
            "--max-untranslated must be a whole number >= 0 or \"unlimited\", not 'lots'",
        ),
        (
            ("check", "--locale", "ca", "--max-fuzzy", "-1"),
            "--max-fuzzy must be a whole number >= 0 or \"unlimited\", not '-1'",
        ),
    ],
    ids=["month-13", "word", "ingest-date", "entry-slug", "neither", "max-untranslated", "max-fuzzy"],
)
def test_usage_errors_name_what_was_given(cli, massing: Path, args: tuple[str, ...], message: str) -> None:
    result = cli(*args)
    assert result.exit_code == 2
    assert result.stderr == f"error: {message}\n"
    assert result.stdout == ""


def test_a_project_folder_that_does_not_exist_is_named_as_such(tmp_path: Path) -> None:
    runner = CliRunner()
    missing = tmp_path / "nonexist"
    result = runner.invoke(app, ["-C", str(missing), "status"])
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: project folder {missing} does not exist (-C); `bpod-i18n -C {missing} init` creates a project there\n"
    )
    a_file = tmp_path / "notes.txt"
    a_file.write_text("x", encoding="utf-8")
    result = runner.invoke(app, ["-C", str(a_file), "check"])
    assert result.exit_code == 2
    assert result.stderr == f"error: project folder {a_file} is a file, not a folder (-C)\n"
    # An existing folder without a project still says how to make one.
    empty = tmp_path / "empty"
    empty.mkdir()
    result = runner.invoke(app, ["-C", str(empty), "status"])
    assert result.exit_code == 2
    assert result.stderr == f"error: no bpod-i18n.toml in {empty} or above: run `bpod-i18n init` first\n"


def test_max_untranslated_unlimited_on_the_command_line_as_in_the_settings(
    cli, massing: Path, project_dir: Path
) -> None:
    strict = cli("check", "--locale", "ca")
    assert strict.exit_code == 1
    relaxed = cli("check", "--locale", "ca", "--max-untranslated", "unlimited")
    assert relaxed.exit_code == 0, relaxed.output
    assert relaxed.stdout.rstrip().endswith("— PASS")
    counted = cli("check", "--locale", "ca", "--max-untranslated", "2")
    assert counted.exit_code == 1
    # The same word in bpod-i18n.toml, for the record.
    config = project_dir / "bpod-i18n.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("max_untranslated = 0", 'max_untranslated = "unlimited"'),
        encoding="utf-8",
    )
    assert cli("check", "--locale", "ca").exit_code == 0


def test_an_edited_msgid_is_not_reported_as_changed_english(cli, massing: Path, project_dir: Path) -> None:
    po = polib.pofile(str(massing))
    entry = next(e for e in po if e.msgid == "Massing to Defend")
    entry.msgid = "Massing to defend"  # the translator "fixed" the English
    entry.msgstr = "Agrupar-se per defensar"
    po.save(str(massing))
    line = next(n for n, text in enumerate(massing.read_text(encoding="utf-8").splitlines(), 1) if "to defend" in text)
    result = cli("import", str(massing))
    assert result.exit_code == 1
    assert result.stderr == (
        f"conflict: {massing}:{line}: conflict on unit {entry.msgctxt} of {MASSING}: the msgid was edited in "
        "this file (it is not the English it was exported with); leave msgid as it is and write the "
        "translation in msgstr\n"
        "  exported:   ''\n"
        "  project:    ''\n"
        "  translator: 'Agrupar-se per defensar' (kept as a suggestion)\n"
    )


def test_changed_english_is_still_reported_as_such(cli, massing: Path, tmp_path: Path) -> None:
    translate_po(massing, {"Massing to Defend": "Agrupar-se per defensar"})
    edited = tmp_path / f"{MASSING}.txt"
    edited.write_text(
        (PAGES / f"{MASSING}.txt").read_text(encoding="utf-8").replace("Massing to Defend", "Massing to defend"),
        encoding="utf-8",
    )
    assert cli("ingest", str(edited)).exit_code == 0
    result = cli("import", str(massing))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0].endswith(
        ": the English changed since this PO was exported (export again to get the new text)"
    )
    assert "  translator: 'Agrupar-se per defensar' (kept as a suggestion)" in result.stderr.splitlines()

"""`bpod-i18n check` end to end: the CI checkout (PO files, no database), the team view (with
review states), every report format and every exit code."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import junitparser
import pytest
from helpers import translate_po
from typer.testing import CliRunner

from bpod_i18n.cli import app

PAGES = Path(__file__).parent / "fixtures" / "pages"
GLOSSARY = Path(__file__).resolve().parent.parent / "bpod_i18n" / "data" / "glossary"
MASSING = "2016-07-22-massing-to-defend"
TITLE = "Massing to Defend"


@pytest.fixture
def exported(cli, project_dir: Path) -> Path:
    shutil.copy(GLOSSARY / "en-ca.csv", project_dir / "glossary" / "en-ca.csv")
    assert cli("ingest", str(PAGES)).exit_code == 0
    assert cli("export", "-l", "ca").exit_code == 0
    return project_dir


def _translate_everything(project_dir: Path) -> None:
    for po in (project_dir / "locales" / "ca").rglob("*.po"):
        import polib

        catalog = polib.pofile(str(po))
        translate_po(po, {entry.msgid: "«" + entry.msgid + "»" for entry in catalog})


def _ci_checkout(project_dir: Path, tmp_path: Path) -> Path:
    """What a CI job sees: settings, glossary and PO files from git; no .bpod-i18n/."""
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    for name in ("bpod-i18n.toml", "locales", "glossary"):
        source = project_dir / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, checkout / name)
    return checkout


def _run_in(folder: Path, *args: str, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("BPOD_I18N_DB", raising=False)
    monkeypatch.chdir(folder)
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def test_ci_checkout_without_database_fails_on_untranslated(exported: Path, tmp_path: Path, monkeypatch) -> None:
    checkout = _ci_checkout(exported, tmp_path)
    result = _run_in(checkout, "check", "--locale", "ca", monkeypatch=monkeypatch)
    assert result.exit_code == 1
    assert "ca: 4 files, 50 units, 50 untranslated, 0 fuzzy" in result.stdout and "FAIL" in result.stdout
    assert f"locales/ca/2016/{MASSING}.po:" in result.stdout and "untranslated" in result.stdout
    assert not (checkout / ".bpod-i18n").exists()


def test_ci_checkout_passes_when_everything_is_translated(exported: Path, tmp_path: Path, monkeypatch) -> None:
    _translate_everything(exported)
    checkout = _ci_checkout(exported, tmp_path)
    result = _run_in(
        checkout,
        "check",
        "-l",
        "ca",
        "--format",
        "json",
        "--off",
        "glossary",
        "--off",
        "inconsistent",
        monkeypatch=monkeypatch,
    )
    report = json.loads(result.stdout)
    assert result.exit_code == 0, result.stdout
    assert report["passed"] is True and report["locales"][0]["untranslated"] == 0
    assert report["locales"][0]["reviewed"] is None  # no database, no review states


NO_DB_REASON = (
    "review progress (min_reviewed_percent = 100) not checked: no database at .bpod-i18n/state.db "
    "(a CI checkout has none: it is not in git); run check where the project's database is, "
    "or pass --no-db to judge the PO files alone"
)
NOT_CHECKED = "review progress (min_reviewed_percent = 100): the PO files were judged alone (--no-db)"


def _require_review(project_dir: Path) -> None:
    config = project_dir / "bpod-i18n.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("[check]\n", "[check]\nmin_reviewed_percent = 100\n", 1), encoding="utf-8")


def test_min_reviewed_without_a_database_fails_and_says_why(exported: Path, tmp_path: Path, monkeypatch) -> None:
    """A CI checkout cannot see review states: `min_reviewed_percent = 100` is not a silent pass."""
    _translate_everything(exported)
    _require_review(exported)
    checkout = _ci_checkout(exported, tmp_path)
    quiet = ("--off", "glossary", "--off", "inconsistent")
    result = _run_in(checkout, "check", "-l", "ca", *quiet, monkeypatch=monkeypatch)
    assert result.exit_code == 1, result.stdout
    assert result.stdout.splitlines()[-2:] == [
        "ca: 4 files, 50 units, 0 untranslated, 0 fuzzy, 0 errors, 0 warnings — FAIL",
        f"  {NO_DB_REASON}",
    ]
    report = json.loads(_run_in(checkout, "check", "-l", "ca", "-f", "json", *quiet, monkeypatch=monkeypatch).stdout)
    assert (report["passed"], report["locales"][0]["reasons"], report["locales"][0]["unchecked"]) == (
        False,
        [NO_DB_REASON],
        [],
    )
    # Outside any project (PO files named directly) the same: there is no database to ask.
    outside = tmp_path / "loose"
    shutil.copytree(checkout / "locales", outside / "locales")
    result = _run_in(
        outside, "check", "locales/ca", "--min-reviewed", "50", "--off", "inconsistent", monkeypatch=monkeypatch
    )
    assert result.exit_code == 1, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1] == (
        "  review progress (min_reviewed_percent = 50) not checked: no project (bpod-i18n.toml) here or above, "
        "so no database; pass --no-db to judge the PO files alone"
    )


def test_no_db_is_explicit_and_every_report_says_review_was_not_checked(
    exported: Path, tmp_path: Path, monkeypatch
) -> None:
    _translate_everything(exported)
    _require_review(exported)
    checkout = _ci_checkout(exported, tmp_path)
    args = ("check", "-l", "ca", "--no-db", "--off", "glossary", "--off", "inconsistent")

    text = _run_in(checkout, *args, monkeypatch=monkeypatch)
    assert text.exit_code == 0, text.stdout
    assert text.stdout.splitlines()[-2:] == [
        "ca: 4 files, 50 units, 0 untranslated, 0 fuzzy, 0 errors, 0 warnings — PASS",
        f"  not checked: {NOT_CHECKED}",
    ]

    report = json.loads(_run_in(checkout, *args, "-f", "json", monkeypatch=monkeypatch).stdout)
    assert (report["passed"], report["locales"][0]["reasons"], report["locales"][0]["unchecked"]) == (
        True,
        [],
        [NOT_CHECKED],
    )

    junit = tmp_path / "junit.xml"
    assert _run_in(checkout, *args, "-f", "junit", "-o", str(junit), monkeypatch=monkeypatch).exit_code == 0
    suite = next(iter(junitparser.JUnitXml.fromfile(str(junit))))
    skipped = [(case.name, [r.message for r in case.result]) for case in suite if case.is_skipped]
    assert skipped == [("not checked", [NOT_CHECKED])]
    assert (suite.failures, suite.skipped) == (0, 1)

    github = _run_in(checkout, *args, "-f", "github", monkeypatch=monkeypatch)
    assert github.exit_code == 0
    assert github.stdout.splitlines() == [
        f"::warning title=bpod-i18n check ca::ca: not checked: {NOT_CHECKED}",
    ]

    # Where the database exists, --no-db is the same explicit choice.
    shutil.copytree(exported / ".bpod-i18n", checkout / ".bpod-i18n")
    report = json.loads(_run_in(checkout, *args, "-f", "json", monkeypatch=monkeypatch).stdout)
    assert (report["passed"], report["locales"][0]["unchecked"]) == (True, [NOT_CHECKED])


def test_review_states_join_in_where_a_database_exists(cli, exported: Path) -> None:
    _translate_everything(exported)
    assert cli("import", str(exported / "locales" / "ca")).exit_code == 0
    result = cli(
        "check", "-l", "ca", "--min-reviewed", "50", "--off", "glossary", "--off", "inconsistent", "--format", "json"
    )
    report = json.loads(result.stdout)
    assert result.exit_code == 1
    assert report["locales"][0]["reviewed_percent"] == 0
    assert any("reviewed" in reason for reason in report["locales"][0]["reasons"])
    assert (
        cli(
            "check", "-l", "ca", "--min-reviewed", "50", "--off", "glossary", "--off", "inconsistent", "--no-db"
        ).exit_code
        == 0
    )


def test_an_entry_without_its_po_file_fails_the_gate(cli, exported: Path) -> None:
    _translate_everything(exported)
    (exported / "locales" / "ca" / "2016" / f"{MASSING}.po").unlink()
    result = cli("check", "-l", "ca", "--off", "glossary", "--off", "inconsistent", "--format", "json")
    assert result.exit_code == 1
    assert any(MASSING in reason for reason in json.loads(result.stdout)["locales"][0]["reasons"])


def test_junit_and_github_reports(cli, exported: Path, tmp_path: Path) -> None:
    junit = tmp_path / "junit.xml"
    result = cli("check", "-l", "ca", "--format", "junit", "--output", str(junit))
    assert result.exit_code == 1 and result.stdout == ""
    suites = junitparser.JUnitXml.fromfile(str(junit))
    suite = next(iter(suites))
    assert suite.name.endswith("ca") or "ca" in suite.name
    assert suite.failures > 0
    github = cli("check", "-l", "ca", "--format", "github").stdout.splitlines()
    assert github[0].startswith("::error file=") and ",line=" in github[0] and "untranslated" in github[0]
    # A report that cannot be written is the user's to fix (exit 2), not a bug (70).
    missing = tmp_path / "no-such-folder" / "junit.xml"
    result = cli("check", "-l", "ca", "--format", "junit", "--output", str(missing))
    assert result.exit_code == 2
    assert result.stderr == f"error: {missing}: cannot write the report: No such file or directory\n"


def test_glossary_check_runs_from_the_po_files(cli, exported: Path) -> None:
    po = exported / "locales" / "ca" / "2016" / f"{MASSING}.po"
    import polib

    sentence = next(e.msgid for e in polib.pofile(str(po)) if "T cells raise the alarm" in e.msgid)
    translate_po(po, {sentence: "A la primera línia, les cèl·lules de tija donen l’alarma."})
    result = cli("check", str(po), "--format", "json", "--error", "glossary")
    problems = [p for p in json.loads(result.stdout)["problems"] if p["check"] == "glossary"]
    assert result.exit_code == 1
    assert problems and problems[0]["entry"] == MASSING and problems[0]["line"] > 0
    assert "limfòcit" in problems[0]["message"] or "T cell" in problems[0]["message"]


def test_bad_input_exits_2(cli, exported: Path, tmp_path: Path) -> None:
    broken = exported / "locales" / "ca" / "broken.po"
    broken.write_text(
        'msgid ""\nmsgstr ""\n"Language: ca\\n"\n\nmsgctxt "x"\nmsgid "Hi"\nmsgstr "Ho\n', encoding="utf-8"
    )
    result = cli("check", "-l", "ca")
    assert result.exit_code == 2
    assert f"{broken}:7: end-of-line within string" in result.stderr
    broken.unlink()
    assert cli("check", "-l", "xx").exit_code == 2
    assert cli("check", "--error", "no-such-check").exit_code == 2
    assert cli("check", str(tmp_path / "nothing-here")).exit_code == 2


def test_silencing_one_unit_with_a_flag(cli, exported: Path) -> None:
    po = exported / "locales" / "ca" / "2016" / f"{MASSING}.po"
    import polib

    catalog = polib.pofile(str(po))
    for entry in catalog:
        entry.msgstr = entry.msgid if entry.msgid == TITLE else "«" + entry.msgid + "»"
        if entry.msgid == TITLE:
            entry.flags.append("ignore-same-as-source")
    catalog.save(str(po))
    result = cli("check", str(po), "--format", "json", "--error", "same-as-source")
    assert not [p for p in json.loads(result.stdout)["problems"] if p["check"] == "same-as-source"]


def test_a_ci_checkout_runs_without_loading_the_database_layer(exported: Path, tmp_path: Path) -> None:
    """`check` in CI starts in a fresh process: it must not pay for SQLAlchemy it never uses."""
    checkout = _ci_checkout(exported, tmp_path)
    probe = (
        "import sys\n"
        "from bpod_i18n.cli import app\n"
        "try:\n"
        "    app(['-q', 'check', '--locale', 'ca', '--format', 'json'])\n"
        "except SystemExit as done:\n"
        "    print('exit', done.code, 'sqlalchemy' in sys.modules, file=sys.stderr)\n"
    )
    env = {key: value for key, value in os.environ.items() if key != "BPOD_I18N_DB"}
    env["PYTHONPATH"] = os.pathsep.join([str(Path(__file__).resolve().parent.parent), env.get("PYTHONPATH", "")])
    run = subprocess.run(
        [sys.executable, "-c", probe], cwd=checkout, env=env, capture_output=True, text=True, check=False
    )
    assert run.stderr.splitlines()[-1] == "exit 1 False"
    assert json.loads(run.stdout)["locales"][0]["untranslated"] == 50


def test_an_emptied_or_header_only_file_does_not_pass_with_the_database(cli, exported: Path) -> None:
    """Its units are missing: with the database, the gate knows what the entry should hold."""
    _translate_everything(exported)
    assert cli("check", "-l", "ca").exit_code == 0
    po = exported / "locales" / "ca" / "2016" / f"{MASSING}.po"
    text = po.read_text(encoding="utf-8")
    po.write_text(text[: text.index("\n\n") + 1], encoding="utf-8")  # the header entry only
    result = cli("check", "-l", "ca", "--format", "json")
    report = json.loads(result.stdout)
    assert result.exit_code == 1
    missing = [p for p in report["problems"] if p["check"] == "missing-units"]
    assert [(p["file"], p["severity"]) for p in missing] == [(str(po), "error")]
    assert "units are missing from this file" in missing[0]["message"]
    assert any("out of date with the project" in reason for reason in report["locales"][0]["reasons"])
    # Without the database the gate cannot know; the empty file is refused by every command.
    po.write_text("", encoding="utf-8")
    result = cli("check", "-l", "ca")
    assert result.exit_code == 2 and f"{po}:1: empty file" in result.stderr
    assert cli("import", str(po)).stderr == result.stderr


def test_a_file_whose_english_differs_from_the_project_fails_the_gate(cli, exported: Path) -> None:
    _translate_everything(exported)
    po = exported / "locales" / "ca" / "2016" / f"{MASSING}.po"
    po.write_text(
        po.read_text(encoding="utf-8").replace(f'msgid "{TITLE}"', 'msgid "Massing to Attack"'), encoding="utf-8"
    )
    result = cli("check", "-l", "ca", "--format", "json")
    problems = [p for p in json.loads(result.stdout)["problems"] if p["check"] == "outdated-unit"]
    assert result.exit_code == 1
    assert [(p["source"], p["line"] > 0) for p in problems] == [("Massing to Attack", True)]
    assert cli("check", "-l", "ca", "--no-db").exit_code == 0  # the files alone are fine

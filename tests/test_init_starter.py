"""`init` for someone who installed the package: starter glossaries shipped as package data,
offered for the chosen locales, and an honest account of what it did (schema included)."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bpod_i18n.cli import app
from bpod_i18n.glossary import load_termbase
from bpod_i18n.glossary.starter import starter_pairs, starter_termbase
from bpod_i18n.store.engine import head_revision

REPO = Path(__file__).resolve().parent.parent
PACKAGE_GLOSSARY = REPO / "bpod_i18n" / "data" / "glossary"


@pytest.fixture
def run(db_url: str, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("BPOD_I18N_DB", db_url)
    monkeypatch.setenv("BPOD_I18N_USER", "tester")
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(app, list(args), catch_exceptions=False)

    return invoke


def test_the_starter_termbases_are_package_data() -> None:
    assert starter_pairs() == [("en", "ca"), ("en", "es")]
    assert starter_termbase("en", "ca") is not None
    regional = starter_termbase("en", "ca_ES")
    assert regional is not None and regional.name == "en-ca.csv"
    assert starter_termbase("en", "fr") is None
    assert starter_termbase("de", "ca") is None
    # What setuptools puts into the wheel: every shipped termbase matches a package-data pattern.
    patterns = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["bpod_i18n"]
    for path in PACKAGE_GLOSSARY.glob("*.csv"):
        relative = path.relative_to(REPO / "bpod_i18n").as_posix()
        depth = relative.count("/")
        assert any(p.count("/") == depth and fnmatch.fnmatch(relative, p) for p in patterns), relative
    assert not (REPO / "glossary").exists(), "one copy of the starters: the package's"


def test_init_copies_the_starter_glossary_of_each_locale_and_says_so(run, tmp_path: Path) -> None:
    root = tmp_path / "mirror"
    result = run("-C", str(root), "init", "--locale", "ca", "--locale", "fr")
    assert result.exit_code == 0, result.output
    ca = root / "glossary" / "en-ca.csv"
    assert ca.read_bytes() == (PACKAGE_GLOSSARY / "en-ca.csv").read_bytes()
    assert not (root / "glossary" / "en-fr.csv").exists()
    terms = len({t.source for t in load_termbase(ca).terms})
    lines = result.stdout.splitlines()
    assert lines[0] == f"Created bpod-i18n.toml, locales/, glossary/, .bpod-i18n/ in {root}"
    assert lines[1].startswith("Database ") and lines[1].endswith(f": schema created (revision {head_revision()})")
    assert lines[2] == (
        f"Starter glossary for ca: glossary/en-ca.csv ({terms} terms; review them with "
        "`bpod-i18n glossary list -l ca`; --no-starter-glossary leaves it out)"
    )
    assert lines[3] == (
        "No starter glossary ships for fr: start one with `bpod-i18n glossary add TERM RENDERING -l fr` "
        "or `bpod-i18n glossary import FILE -l fr`"
    )
    assert len(lines) == 4
    # The project uses it at once: the hints of an export come from it.
    listing = run("-C", str(root), "glossary", "list", "-l", "ca", "--json")
    assert listing.exit_code == 0
    assert any(t["source"] == "stem cells" and t["target"] == "cèl·lules mare" for t in _json(listing)["terms"])


def test_no_starter_glossary_leaves_the_folder_empty(run, tmp_path: Path) -> None:
    root = tmp_path / "mirror"
    result = run("-C", str(root), "init", "--no-starter-glossary", "--json")
    assert result.exit_code == 0, result.output
    data = _json(result)
    assert data["glossaries"] == [] and data["no_starter_glossary"] == []
    assert list((root / "glossary").iterdir()) == []


def test_a_second_init_never_brings_back_a_removed_termbase_unless_asked(run, tmp_path: Path) -> None:
    root = tmp_path / "mirror"
    assert run("-C", str(root), "init").exit_code == 0
    (root / "glossary" / "en-es.csv").unlink()
    (root / "glossary" / "en-ca.csv").write_text("source,target,pos,status,dnt,case,note\n", encoding="utf-8")
    again = run("-C", str(root), "init")
    assert again.exit_code == 0
    assert again.stdout == f"Project in {root} is already set up; nothing changed.\n"
    assert not (root / "glossary" / "en-es.csv").exists()
    asked = run("-C", str(root), "init", "--starter-glossary", "--json")
    assert asked.exit_code == 0
    assert [(g["locale"], g["path"]) for g in _json(asked)["glossaries"]] == [("es", "glossary/en-es.csv")]
    # The project's own termbase is never replaced, even when asked.
    assert (root / "glossary" / "en-ca.csv").read_text(encoding="utf-8") == "source,target,pos,status,dnt,case,note\n"


def test_a_database_without_schema_says_db_upgrade_and_init_creates_it(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A team's new, empty database under an existing project (the README's `db upgrade`)."""
    monkeypatch.setenv("BPOD_I18N_USER", "tester")
    monkeypatch.delenv("BPOD_I18N_DB", raising=False)
    root = tmp_path / "team"
    runner = CliRunner()
    assert runner.invoke(app, ["-C", str(root), "init", "--no-starter-glossary"]).exit_code == 0  # own SQLite
    status = runner.invoke(app, ["-C", str(root), "--db", db_url, "status"])
    assert status.exit_code == 2
    assert status.stderr.startswith("error: database ")
    assert status.stderr.endswith(" has no bpod-i18n schema: run `bpod-i18n db upgrade`\n")
    init = runner.invoke(app, ["-C", str(root), "--db", db_url, "init"])
    assert init.exit_code == 0, init.output
    assert "nothing changed" not in init.stdout
    assert init.stdout.endswith(f": schema created (revision {head_revision()})\n")
    assert runner.invoke(app, ["-C", str(root), "--db", db_url, "status"]).exit_code == 0
    again = runner.invoke(app, ["-C", str(root), "--db", db_url, "init"])
    assert again.stdout == f"Project in {root} is already set up; nothing changed.\n"


def _json(result) -> dict:
    import json

    return json.loads(result.stdout)

"""Bad input: one clear line naming the file (and line), a non-zero exit, nothing stored."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import snapshot, translate_po, tree_digest

PAGES = Path(__file__).parent / "fixtures" / "pages"
MASSING = "2016-07-22-massing-to-defend"


@pytest.fixture
def exported(cli, project_dir: Path) -> Path:
    assert cli("ingest", str(PAGES)).exit_code == 0
    assert cli("export", "--locale", "ca").exit_code == 0
    return project_dir / "locales/ca/2016" / f"{MASSING}.po"


def _refused(cli, project, project_dir: Path, args: list[str], expected: str, code: int = 2) -> str:
    db_before = snapshot(project)
    files_before = tree_digest(project_dir / "locales")
    result = cli(*args)
    assert result.exit_code == code, result.output
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1, message
    assert expected in message, message
    assert snapshot(project) == db_before
    assert tree_digest(project_dir / "locales") == files_before
    return message


def test_truncated_po_names_file_and_line(cli, project, project_dir, exported: Path, tmp_path: Path) -> None:
    translate_po(exported, {"Massing to Defend": "Concentrats per defensar-se"})
    text = exported.read_text(encoding="utf-8")
    cut = tmp_path / "truncated.po"
    cut.write_text(text[: text.index('msgstr "Concentrats') + 15], encoding="utf-8")  # cut mid-string
    line = cut.read_text().count("\n") + 1
    message = _refused(cli, project, project_dir, ["import", str(exported), str(cut)], f"{cut}:{line}:")
    assert "end-of-file within string" in message and "cut off" in message


def test_po_cut_before_its_msgstr(cli, project, project_dir, exported: Path, tmp_path: Path) -> None:
    text = exported.read_text(encoding="utf-8")
    cut = tmp_path / "cut.po"
    cut.write_text(
        text[: text.index('msgid "Massing to Defend"') + len('msgid "Massing to Defend"\n')], encoding="utf-8"
    )
    _refused(cli, project, project_dir, ["import", str(cut)], "the file ends inside this message: was it cut off?")


def test_malformed_po_line(cli, project, project_dir, exported: Path, tmp_path: Path) -> None:
    bad = tmp_path / "malformed.po"
    lines = exported.read_text(encoding="utf-8").splitlines()
    lines.insert(25, "this is not PO")
    bad.write_text("\n".join(lines), encoding="utf-8")
    _refused(cli, project, project_dir, ["import", str(bad)], f'{bad}:26: keyword "this" unknown')


def test_not_utf8(cli, project, project_dir, exported: Path, tmp_path: Path) -> None:
    bad = tmp_path / "latin1.po"
    bad.write_bytes(
        exported.read_text(encoding="utf-8").replace("Massing", "Mass\u00eeng").encode("latin-1", "replace")
    )
    _refused(cli, project, project_dir, ["import", str(bad)], "not valid UTF-8 (byte 0xee)")


def test_po_for_unknown_entry(cli, project, project_dir, exported: Path, tmp_path: Path) -> None:
    other = tmp_path / "2099-01-01-nothing.po"
    other.write_text(
        exported.read_text(encoding="utf-8").replace(f"X-Bpod-Entry: {MASSING}", "X-Bpod-Entry: 2099-01-01-nothing"),
        encoding="utf-8",
    )
    _refused(cli, project, project_dir, ["import", str(other)], "unknown entry '2099-01-01-nothing'")


def test_po_in_unknown_or_wrong_locale(cli, project, project_dir, exported: Path, tmp_path: Path) -> None:
    klingon = tmp_path / "xx.po"
    klingon.write_text(
        exported.read_text(encoding="utf-8").replace('"Language: ca\\n"', '"Language: xx\\n"'), encoding="utf-8"
    )
    _refused(cli, project, project_dir, ["import", str(klingon)], "unknown locale 'xx'")
    german = tmp_path / "de.po"
    german.write_text(
        exported.read_text(encoding="utf-8").replace('"Language: ca\\n"', '"Language: de\\n"'), encoding="utf-8"
    )
    _refused(cli, project, project_dir, ["import", str(german)], "locale 'de' is not one of this project's locales")


def test_unknown_locale_options(cli, project, project_dir, exported: Path) -> None:
    _refused(cli, project, project_dir, ["export", "--locale", "klingon"], "unknown locale code 'klingon'")
    _refused(cli, project, project_dir, ["status", "--locale", "fr"], "add it to [project] locales in bpod-i18n.toml")


def test_unknown_entry_options(cli, project, project_dir, exported: Path) -> None:
    _refused(
        cli, project, project_dir, ["export", "--locale", "ca", "--entry", "2099-nope"], "no such entry: 2099-nope"
    )
    _refused(cli, project, project_dir, ["show", "2099-nope"], "no entry '2099-nope'")


def test_unreadable_or_body_only_page(cli, project, project_dir, exported: Path, tmp_path: Path) -> None:
    body_only = tmp_path / "body.txt"
    body_only.write_text("Cells divide. They grow.\n", encoding="utf-8")
    # Among other files: reported with exit 1, nothing of it stored (the good pages, already
    # ingested, stay as they are).
    message = _refused(cli, project, project_dir, ["ingest", str(PAGES), str(body_only)], str(body_only), code=1)
    assert "--date" in message
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\xff\xfe\x00\x01garbage")
    _refused(cli, project, project_dir, ["ingest", str(binary)], str(binary))
    missing = tmp_path / "missing.txt"
    _refused(cli, project, project_dir, ["ingest", str(missing)], f"{missing}: no such file")


def test_body_only_page_accepted_with_date_and_title(cli, project_dir, tmp_path: Path) -> None:
    body_only = tmp_path / "body.txt"
    body_only.write_text("Cells divide. They grow.\n", encoding="utf-8")
    result = cli("ingest", str(body_only), "--date", "2020-03-01", "--title", "Dividing Cells")
    assert result.exit_code == 0, result.output
    import json

    entries = json.loads(cli("entries", "--json").stdout)
    assert [(e["slug"], e["title"], e["paragraphs"]) for e in entries] == [
        ("2020-03-01-dividing-cells", "Dividing Cells", ["Cells divide. They grow."])
    ]


def test_one_bad_file_among_good_ones_stores_nothing(cli, project, project_dir, exported: Path, tmp_path: Path) -> None:
    good = tmp_path / "good.po"
    shutil.copy(exported, good)
    translate_po(good, {"Massing to Defend": "Concentrats per defensar-se"})
    bad = tmp_path / "bad.po"
    bad.write_text('msgid ""\nmsgstr ""\n"Language: ca\\n"\n\nmsgctxt "x"\nmsgid "Hello\n', encoding="utf-8")
    _refused(cli, project, project_dir, ["import", str(good), str(bad)], f"{bad}:6")


def test_commands_outside_a_project(tmp_path: Path, monkeypatch) -> None:
    from typer.testing import CliRunner

    from bpod_i18n.cli import app

    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["status"])
    assert result.exit_code == 2
    assert "run `bpod-i18n init` first" in result.stderr

"""`status`, `entries` and `show` on an 80-column terminal without colour: headers, dates and
slugs whole, bars that tell reviewed from translated by their shape, translations shown."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from helpers import translate_po

PAGES = Path(__file__).parent / "fixtures" / "pages"
MASSING = "2016-07-22-massing-to-defend"
LONG_SLUG = "2019-03-14-fruit-fly-brains-and-the-secrets-of-a-good-nights-sleep-revealed"
STATES = ("untranslated", "machine", "translated", "needs-work", "reviewed", "stale")
REVIEWED, TRANSLATED, REST = "█", "▒", "·"


@pytest.fixture
def plain_80(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("NO_COLOR", "1")


@pytest.fixture
def worked_on(cli, project_dir: Path) -> Path:
    """Three entries; in Catalan, Massing has 2 units reviewed, 2 translated, 2 untranslated."""
    assert cli("ingest", str(PAGES)).exit_code == 0
    assert cli("export", "--locale", "ca").exit_code == 0
    po_path = project_dir / "locales" / "ca" / "2016" / f"{MASSING}.po"
    messages = list(polib.pofile(str(po_path)))
    translate_po(po_path, {m.msgid: f"Traducció {'ABCD'[n]}." for n, m in enumerate(messages[:4])})
    assert cli("import", str(po_path), "--by", "marta").exit_code == 0
    for message in messages[:2]:
        assert cli("review", "--locale", "ca", "--approve", message.msgctxt, "--by", "joan").exit_code == 0
    return po_path


def _lines(output: str) -> list[str]:
    lines = output.splitlines()
    assert all(len(line) <= 80 for line in lines), "\n".join(line for line in lines if len(line) > 80)
    assert "…" not in output, output
    assert "\x1b[" not in output, "no colour codes under NO_COLOR"
    return lines


def test_status_at_80_columns(cli, worked_on: Path, plain_80: None) -> None:
    result = cli("status")
    assert result.exit_code == 0, result.output
    lines = _lines(result.stdout)
    header = next(line for line in lines if line.startswith("state"))
    assert header.split() == ["state", "ca", "es"]
    rows = {
        line.split()[0]: line.split()[1:]
        for line in lines
        if line.split() and line.split()[0] in STATES and line.split()[1] != "%"
    }
    assert set(rows) == set(STATES), "every state name whole, on its own row"
    total = int(next(line.split()[2] for line in lines if line.startswith("all units")))
    assert rows["reviewed"][0] == "2" and rows["translated"][0] == "2"
    assert int(rows["untranslated"][0]) == total - 4
    entry_header = next(line for line in lines if line.startswith("entry"))
    assert entry_header.split() == ["entry", "ca", "es"]
    for slug in ("2016-04-30-trained-killers", MASSING, "2021-06-19-reassessing-als"):
        assert any(line.startswith(slug + " ") for line in lines), slug
    massing = next(line for line in lines if line.startswith(MASSING))
    ca_bar, ca_count = massing.split()[1:3]
    # Told apart by shape alone: reviewed and translated are different characters, in that order.
    assert ca_count == "4/6"
    cells = len(ca_bar)
    assert ca_bar == REVIEWED * round(cells * 2 / 6) + TRANSLATED * round(cells * 2 / 6) + REST * (
        cells - 2 * round(cells * 2 / 6)
    )
    assert (
        lines[-1]
        == f"{REVIEWED} reviewed  {TRANSLATED} translated  {REST} not yet; n/m = translated or reviewed of all units"
    )


def test_entries_at_80_columns(cli, worked_on: Path, plain_80: None) -> None:
    result = cli("entries")
    assert result.exit_code == 0, result.output
    lines = _lines(result.stdout)
    assert lines[0].split() == ["date", "slug", "units", "title"]
    for date, slug, units, title in (
        ("2016-04-30", "2016-04-30-trained-killers", "8", "Trained Killers"),
        ("2016-07-22", MASSING, "6", "Massing to Defend"),
        ("2021-06-19", "2021-06-19-reassessing-als", "9", "Reassessing ALS"),
    ):
        row = next(line for line in lines if slug in line)
        assert row.split()[:3] == [date, slug, units]
        assert row.rstrip().endswith(title)


def test_wide_terminal_adds_label_and_author(cli, worked_on: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "140")
    monkeypatch.setenv("NO_COLOR", "1")
    lines = cli("entries").stdout.splitlines()
    assert lines[0].split() == ["date", "slug", "units", "title", "label", "author"]
    assert next(line for line in lines if MASSING in line).rstrip().endswith("Emmanuelle Briolat")


def test_long_slugs_go_on_their_own_line_rather_than_being_cut(
    cli, worked_on: Path, plain_80: None, tmp_path: Path
) -> None:
    page = tmp_path / "sleep.md"
    page.write_text(
        "---\ntitle: Fruit Fly Brains and the Secrets of a Good Night's Sleep Revealed\ndate: 2019-03-14\n---\n"
        "Flies sleep too. Their brains show it.\n",
        encoding="utf-8",
    )
    assert cli("ingest", str(page)).exit_code == 0
    entries = _lines(cli("entries").stdout)
    assert f"  {LONG_SLUG}" in entries
    at = entries.index(f"  {LONG_SLUG}")
    assert [line.rstrip() for line in entries[at - 2 : at]] == [
        "2019-03-14  3 units  Fruit Fly Brains and the Secrets of a Good Night's Sleep",
        "                     Revealed",
    ]
    assert "  2016-07-22-massing-to-defend" in entries
    status = _lines(cli("status").stdout)
    assert LONG_SLUG in status
    bars = status[status.index(LONG_SLUG) + 1]
    assert re.fullmatch(rf"  ca {re.escape(REST)}+ 0/3   es {re.escape(REST)}+ 0/3", bars), bars
    massing_bars = status[status.index(MASSING) + 1]
    assert REVIEWED in massing_bars and TRANSLATED in massing_bars


def test_show_prints_each_units_translation(cli, worked_on: Path, plain_80: None) -> None:
    result = cli("show", MASSING)
    assert result.exit_code == 0
    lines = [line.rstrip() for line in _lines(result.stdout.split("\n\n", 1)[1])]  # the units
    first = next(iter(polib.pofile(str(worked_on))))
    head = lines.index(f"title · 1  {first.msgctxt}")
    assert lines[head + 1 : head + 4] == [
        "   en Massing to Defend",
        "   ca Traducció A.  [reviewed]",
        "   es —  [untranslated]",
    ]
    assert "   ca Traducció C.  [translated]" in lines
    assert "   ca —  [untranslated]" in lines

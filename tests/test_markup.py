"""Text from users is printed as it is: brackets in sentences, translations, names, comments,
glossary terms ("[sic]", "[Ca2+]", a pasted "[/link]", "[bold]x[/bold]") are never read as rich
markup, neither dropped nor a MarkupError."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import translate_po

TITLE = "Calcium [Ca2+] and [ca2+] Waves"
STANDFIRST = "Signals [sic] spread."
FIRST = "Cells close the [/link] gate."
SECOND = "The [bold]x[/bold] stays plain."
AUTHOR = "Ann [sic] Lee"
TITLE_CA = "Ones de calci [Ca2+] [/link]"
FIRST_CA = "Les cèl·lules tanquen la porta [/link]."
SECOND_CA = "La [bold]x[/bold] es queda [sic] plana."
TRANSLATOR = "Marta [/link] Puig"
COMMENT = "[/link] is not a word [sic]; keep [bold]x[/bold]"


@pytest.fixture
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    # Tables wrap their cells at the terminal's width; a wide one keeps each text on one line.
    monkeypatch.setenv("COLUMNS", "400")


@pytest.fixture
def slug(cli, project_dir: Path, tmp_path: Path, wide: None) -> str:
    entry = tmp_path / "calcium.json"
    entry.write_text(
        json.dumps(
            {
                "title": TITLE,
                "date": "2020-03-04",
                "standfirst": STANDFIRST,
                "author": AUTHOR,
                "paragraphs": [f"{FIRST} {SECOND}"],
            }
        ),
        encoding="utf-8",
    )
    result = cli("ingest", str(entry), "--json")
    assert result.exit_code == 0, result.output
    slug = json.loads(result.stdout)[0]["slug"]
    assert cli("export", "-l", "ca", "--entry", slug).exit_code == 0
    po = project_dir / "locales" / "ca" / "2020" / f"{slug}.po"
    translate_po(po, {TITLE: TITLE_CA, FIRST: FIRST_CA, SECOND: SECOND_CA})
    result = cli("import", str(po), "--by", TRANSLATOR)
    assert result.exit_code == 0, result.output
    return slug


def test_show_prints_every_field_literally(cli, slug: str) -> None:
    result = cli("show", slug)
    assert result.exit_code == 0, result.output
    # The English unit by unit, each with its translation (show has no paragraph lines since the units say it all).
    for text in (TITLE, STANDFIRST, FIRST, SECOND, AUTHOR, TITLE_CA, FIRST_CA, SECOND_CA):
        assert text in result.stdout


def test_entries_lists_titles_and_authors_literally(cli, slug: str) -> None:
    result = cli("entries")
    assert result.exit_code == 0, result.output
    assert TITLE in result.stdout and AUTHOR in result.stdout


def test_status_shows_its_rows(cli, slug: str) -> None:
    result = cli("status", "--by", TRANSLATOR)
    assert result.exit_code == 0, result.output
    assert slug in result.stdout


def test_history_prints_texts_names_and_comments_literally(cli, slug: str) -> None:
    assert cli("review", "-l", "ca", "--reject", slug, "--by", "jordi", "--comment", COMMENT).exit_code == 0
    result = cli("history", slug, "-l", "ca")
    assert result.exit_code == 0, result.output
    for text in (TITLE_CA, FIRST_CA, SECOND_CA, TRANSLATOR, COMMENT):
        assert text in result.stdout


def test_interactive_review_shows_texts_and_its_keys_literally(cli, slug: str) -> None:
    edited = "Ones [Ca2+] de [bold]calci[/bold] [/link]"
    result = cli("review", "-l", "ca", slug, "--by", "jordi", input=f"s\ne\n{edited}\nq\n")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "[a]pprove [r]eject [e]dit [s]kip [q]uit [a/r/e/s/q] (s):" in out
    for text in (TITLE, TITLE_CA, FIRST, FIRST_CA, TRANSLATOR):
        assert text in out
    assert f"{slug} · title · 1/3" in out  # the panel's title
    assert "→ translated" in out and "Stopped; 1 decisions stored." in out
    events = json.loads(cli("history", slug, "-l", "ca", "--json").stdout)
    assert [e["new_text"] for e in events if e["action"] == "translate" and e["actor"] == "jordi"] == [edited]
    result = cli("history", slug, "-l", "ca")
    assert edited in result.stdout


def test_a_refused_review_decision_quotes_the_text_literally(cli, slug: str) -> None:
    # The translator approving their own text: refused, and the message names them as written.
    result = cli("review", "-l", "ca", slug, "--by", TRANSLATOR, input="a\nq\n")
    assert result.exit_code == 0, result.output
    assert "not stored:" in result.stderr and TRANSLATOR in result.stderr


def test_glossary_list_prints_terms_and_notes_literally(cli, wide: None) -> None:
    note = "[sic] see [/link] and [bold]x[/bold]"
    result = cli("glossary", "add", "[Ca2+] wave", "ona [Ca2+]", "-l", "ca", "--note", note)
    assert result.exit_code == 0, result.output
    assert "added: [Ca2+] wave → ona [Ca2+]" in result.stdout
    result = cli("glossary", "list", "-l", "ca")
    assert result.exit_code == 0, result.output
    for text in ("[Ca2+] wave", "ona [Ca2+]", note):
        assert text in result.stdout


def test_an_error_quoting_user_text_prints_it_literally(cli) -> None:
    result = cli("show", "[/link][bold]x[/bold]")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: no entry '[/link][bold]x[/bold]'")

"""People, not strings: `people add/list/remove`, who may act, roles per locale, and the
four-eyes rule with names, handles, e-mails, combined and forged PO headers; old history
linked to people when they are added."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers import snapshot, translate_po

from bpod_i18n.people import Actor, Person, Team, identity_keys, read_addresses, wrote_it

PAGES = Path(__file__).parent / "fixtures" / "pages"
MASSING = "2016-07-22-massing-to-defend"
TITLE = "Massing to Defend"
TITLE_CA = "Concentrats per defensar-se"
MARTA = "Marta Puig <marta@uv.es>"


def ok(result: Any) -> Any:
    assert result.exit_code == 0, result.output
    return result


def add_team(cli) -> None:
    ok(cli("people", "add", "marta", "--name", "Marta Puig", "--email", "marta@uv.es", "-l", "ca", "-r", "translator"))
    ok(cli("people", "add", "pere", "--name", "Pere Vidal", "--email", "Pere@UV.es", "-l", "ca", "-r", "translator"))
    ok(cli("people", "add", "jordi", "--name", "Jordi Mas", "--email", "jordi@uv.es", "-l", "ca", "-r", "reviewer"))
    ok(cli("people", "add", "nuria", "--name", "Núria Soler", "--email", "nuria@uv.es", "-l", "ca", "-r", "editor"))


def po_file(project_dir: Path) -> Path:
    return project_dir / "locales/ca/2016" / f"{MASSING}.po"


def title_uid(cli) -> str:
    show = json.loads(cli("show", MASSING, "--json").stdout)
    return next(u["uid"] for u in show["units_detail"] if u["field"] == "title")


@pytest.fixture
def exported(cli, project_dir: Path) -> Path:
    ok(cli("ingest", str(PAGES)))
    ok(cli("export", "-l", "ca", "--entry", MASSING))
    return po_file(project_dir)


def test_people_add_list_remove(cli) -> None:
    result = ok(
        cli("people", "add", "marta", "--name", "Marta Puig", "--email", "Marta@UV.es", "-l", "ca", "-r", "translator")
    )
    assert result.stdout == "Added marta (Marta Puig <marta@uv.es>): translator in ca\n"
    ok(cli("people", "add", "marta", "-l", "es", "-r", "translator", "-r", "reviewer"))
    listed = json.loads(ok(cli("people", "list", "--json")).stdout)
    assert listed == [
        {
            "handle": "marta",
            "name": "Marta Puig",
            "email": "marta@uv.es",
            "roles": [
                {"locale": "ca", "role": "translator"},
                {"locale": "es", "role": "reviewer"},
                {"locale": "es", "role": "translator"},
            ],
            "removed": False,
        }
    ]
    assert "ca: translator; es: translator, reviewer" in ok(cli("people", "list")).stdout
    ok(cli("people", "remove", "marta", "-l", "es", "-r", "reviewer"))
    assert len(json.loads(cli("people", "list", "--json").stdout)[0]["roles"]) == 2
    assert ok(cli("people", "remove", "marta")).stdout.startswith("Removed marta")
    assert json.loads(cli("people", "list", "--json").stdout) == []
    assert json.loads(cli("people", "list", "--all", "--json").stdout)[0]["removed"] is True


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Marta", "--name", "M"], "handle 'Marta' must be lower-case"),
        (["marta"], "a new person needs --name"),
        (["marta", "--name", "M", "--email", "not an e-mail"], "is not one e-mail address"),
        (["marta", "--name", "M", "-l", "ca", "-r", "boss"], "unknown role 'boss'"),
        (["marta", "--name", "M", "-r", "reviewer"], "give --locale with --role"),
        (["marta", "--name", "M", "-l", "xx", "-r", "reviewer"], "unknown locale code 'xx'"),
    ],
)
def test_people_add_refuses_what_it_cannot_use(cli, project, args: list[str], message: str) -> None:
    before = snapshot(project)
    result = cli("people", "add", *args)
    assert result.exit_code == 2 and message in result.stderr
    assert snapshot(project) == before


def test_one_e_mail_is_one_person(cli) -> None:
    ok(cli("people", "add", "marta", "--name", "Marta Puig", "--email", "marta@uv.es"))
    result = cli("people", "add", "marta2", "--name", "Marta P.", "--email", "MARTA@uv.es")
    assert result.exit_code == 2 and "marta@uv.es is already the e-mail of marta" in result.stderr


def test_four_eyes_compares_people_by_handle_email_and_header(cli, exported: Path) -> None:
    add_team(cli)
    translate_po(exported, {TITLE: TITLE_CA}, translator=MARTA)
    ok(cli("import", str(exported), "--by", "marta"))
    uid = title_uid(cli)
    # marta as handle, e-mail (any case) or "Name <e-mail>": one person, who wrote it.
    ok(cli("people", "add", "marta", "-l", "ca", "-r", "reviewer"))
    for by in ("marta", "MARTA@uv.es", MARTA):
        result = cli("review", "-l", "ca", "--approve", uid, "--by", by)
        assert result.exit_code == 2 and "marta wrote the current text" in result.stderr, by
    # A name is not a way to act: the handle or the e-mail is.
    result = cli("review", "-l", "ca", "--approve", uid, "--by", "Marta Puig")
    assert result.exit_code == 2
    assert "'Marta Puig' is the name of marta: give the handle or e-mail" in result.stderr
    # Only reviewers of the locale approve.
    result = cli("review", "-l", "ca", "--approve", uid, "--by", "pere")
    assert (
        result.exit_code == 2 and "pere may not approve" in result.stderr and "needs the role reviewer" in result.stderr
    )
    ok(cli("review", "-l", "ca", "--approve", uid, "--by", "jordi@uv.es"))
    events = json.loads(cli("history", uid, "--json").stdout)
    assert [(e["actor"], e["action"]) for e in events] == [("marta", "translate"), ("jordi", "approve")]


def test_the_header_names_the_translator_by_e_mail(cli, exported: Path, monkeypatch) -> None:
    add_team(cli)
    monkeypatch.setenv("BPOD_I18N_USER", "pere")
    translate_po(exported, {TITLE: TITLE_CA}, translator="P. Vidal <pere@uv.es>")  # his tool's spelling
    result = ok(cli("import", str(exported), "--json"))
    assert json.loads(result.stdout)["translators"] == {str(exported): "pere"}
    uid = title_uid(cli)
    assert json.loads(cli("history", uid, "--json").stdout)[-1]["actor"] == "pere"


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("Marta Puig <marta@uv.es>, Pere Vidal <pere@uv.es>", "names more than one person"),
        ("Marta Puig <marta@uv.es> Pere Vidal <pere@uv.es>", "names more than one person"),
        ("Alícia Roig <alicia@gmail.com>", "alicia@gmail.com is not the e-mail of a person of this project"),
        ("Marta Puig", "gives no e-mail"),
    ],
)
def test_a_combined_or_unknown_header_is_refused_with_the_file_name(
    cli, project, exported: Path, monkeypatch, header: str, message: str
) -> None:
    add_team(cli)
    monkeypatch.setenv("BPOD_I18N_USER", "marta")
    translate_po(exported, {TITLE: TITLE_CA}, translator=header)
    before = snapshot(project)
    result = cli("import", str(exported))
    assert result.exit_code == 2
    assert f"{exported}:" in result.stderr and message in result.stderr
    assert snapshot(project) == before


def test_a_combined_header_is_refused_in_an_open_project_too(cli, project, exported: Path) -> None:
    translate_po(exported, {TITLE: TITLE_CA}, translator="Marta Puig <marta@uv.es>, Pere Vidal <pere@uv.es>")
    result = cli("import", str(exported))
    assert result.exit_code == 2 and "names more than one person" in result.stderr
    # Saying who translated it settles it.
    ok(cli("import", str(exported), "--by", "marta"))


def test_a_forged_header_needs_an_editor(cli, project, exported: Path, monkeypatch) -> None:
    """Issue 13: alice could import as bob by editing the header."""
    add_team(cli)
    monkeypatch.setenv("BPOD_I18N_USER", "marta")
    translate_po(exported, {TITLE: TITLE_CA}, translator="Pere Vidal <pere@uv.es>")
    before = snapshot(project)
    result = cli("import", str(exported))
    assert result.exit_code == 2
    assert "marta may not import pere's work" in result.stderr and "needs the role editor" in result.stderr
    assert snapshot(project) == before
    # The coordinator (an editor) imports the files translators send her, each under its translator.
    monkeypatch.setenv("BPOD_I18N_USER", "nuria")
    ok(cli("import", str(exported)))
    assert json.loads(cli("history", title_uid(cli), "--json").stdout)[-1]["actor"] == "pere"


def test_in_a_team_only_people_act(cli, project, exported: Path, monkeypatch) -> None:
    add_team(cli)
    translate_po(exported, {TITLE: TITLE_CA}, translator=MARTA)
    result = cli("import", str(exported), "--by", "stranger")
    assert result.exit_code == 2 and "'stranger' (--by) is not a person of this project" in result.stderr
    monkeypatch.setenv("BPOD_I18N_USER", "stranger")
    result = cli("import", str(exported))
    assert result.exit_code == 2 and "'stranger' (BPOD_I18N_USER) is not a person" in result.stderr
    ok(cli("people", "remove", "marta"))
    result = cli("import", str(exported), "--by", "marta")
    assert result.exit_code == 2 and "marta was removed from the project" in result.stderr


def test_open_mode_is_a_setting(cli, project_dir: Path, exported: Path) -> None:
    # One person: open by default, anyone may act under any name (a one-person project).
    ok(cli("people", "add", "marta", "--name", "Marta Puig", "--email", "marta@uv.es", "-l", "ca", "-r", "translator"))
    translate_po(exported, {TITLE: TITLE_CA}, translator=MARTA)
    ok(cli("import", str(exported)))
    uid = title_uid(cli)
    assert json.loads(cli("history", uid, "--json").stdout)[-1]["actor"] == "marta"  # known: by person
    result = cli("review", "-l", "ca", "--approve", uid, "--by", "Marta Puig")  # her name, in an open project
    assert result.exit_code == 2 and "four-eyes" in result.stderr
    config = project_dir / "bpod-i18n.toml"
    text = config.read_text(encoding="utf-8")
    assert "# open = false" in text
    config.write_text(text.replace("# open = false", "open = false"), encoding="utf-8")
    result = cli("review", "-l", "ca", "--approve", uid, "--by", "someone")
    assert result.exit_code == 2 and "is not a person of this project" in result.stderr
    config.write_text(text.replace("# open = false", "open = true"), encoding="utf-8")
    add_team(cli)
    ok(cli("review", "-l", "ca", "--approve", uid, "--by", "someone"))  # open: anyone, even with a team


def test_adding_people_links_old_history(cli, exported: Path) -> None:
    """A project used before people existed: history holds names as they were typed."""
    translate_po(exported, {TITLE: TITLE_CA}, translator=MARTA)
    ok(cli("import", str(exported)))  # recorded as "Marta Puig <marta@uv.es>"
    uid = title_uid(cli)
    result = ok(
        cli("people", "add", "marta", "--name", "Marta Puig", "--email", "marta@uv.es", "-l", "ca", "-r", "translator")
    )
    assert "Linked 1 history events and 1 texts" in result.stdout
    add_team(cli)
    # Now closed: the four-eyes rule knows the old text is hers.
    ok(cli("people", "add", "marta", "-l", "ca", "-r", "reviewer"))
    result = cli("review", "-l", "ca", "--approve", uid, "--by", "marta")
    assert result.exit_code == 2 and "four-eyes" in result.stderr
    assert status_by(cli, "marta@uv.es") == [MASSING]
    ok(cli("review", "-l", "ca", "--approve", uid, "--by", "jordi"))


def status_by(cli, who: str) -> list[str]:
    return [e["slug"] for e in json.loads(cli("status", "--by", who, "--json").stdout)["entries"]]


def test_an_old_combined_author_counts_as_each_of_them(cli, project_dir: Path, exported: Path) -> None:
    """An old export wrote "A <a>, B <b>" as Last-Translator and an old import made it the
    author: neither of them may approve that text."""
    translate_po(exported, {TITLE: TITLE_CA}, translator=MARTA)
    ok(cli("import", str(exported), "--by", "Marta Puig <marta@uv.es>, Pere Vidal <pere@uv.es>"))
    uid = title_uid(cli)
    for by in ("marta", "pere@uv.es", "Pere Vidal"):
        result = cli("review", "-l", "ca", "--approve", uid, "--by", by)
        assert result.exit_code == 2 and "four-eyes" in result.stderr, by
    ok(cli("review", "-l", "ca", "--approve", uid, "--by", "jordi"))


def test_export_writes_one_translator_per_header(cli, project_dir: Path, exported: Path) -> None:
    add_team(cli)
    translate_po(exported, {TITLE: TITLE_CA}, translator=MARTA)
    ok(cli("import", str(exported), "--by", "marta"))
    ok(cli("export", "-l", "ca", "--entry", MASSING))
    first = "On the front line of the immune system’s battle with pathogens, T cells raise the alarm and stimulate the body’s response to danger."
    translate_po(exported, {first: "A la primera línia…"}, translator="Pere Vidal <pere@uv.es>")
    ok(cli("import", str(exported), "--by", "pere"))
    ok(cli("export", "-l", "ca", "--entry", MASSING))
    headers = [line for line in exported.read_text(encoding="utf-8").splitlines() if "Last-Translator" in line]
    assert headers == ['"Last-Translator: Pere Vidal <pere@uv.es>\\n"']  # the newest, one person
    # …and it reads back as that person.
    ok(cli("import", str(exported), "--by", "pere"))


def test_the_rules_as_data() -> None:
    marta = Person(1, "marta", "Marta Puig", "marta@uv.es", frozenset({("ca", "translator")}))
    jordi = Person(2, "jordi", "Jordi Mas", None, frozenset({("ca", "reviewer")}))
    team = Team.of([marta, jordi], None)
    assert team.open is False and Team.of([marta], None).open is True
    assert team.find("marta") == team.find("MARTA@uv.es") == team.find(MARTA) == marta
    assert team.find("Marta Puig") is None
    assert read_addresses("A <a@x.org>, B <b@x.org>").emails == ("a@x.org", "b@x.org")
    assert read_addresses("Marta Puig").emails == () and read_addresses("Marta Puig").readable
    assert identity_keys(MARTA) >= {"marta@uv.es", "marta", "marta puig"}
    as_marta = Actor("marta", marta)
    assert wrote_it(as_marta, 1, "marta") and not wrote_it(as_marta, 2, "jordi")
    assert (
        wrote_it(as_marta, None, MARTA) and wrote_it(as_marta, None, "Marta Puig") and wrote_it(as_marta, None, "marta")
    )
    assert wrote_it(Actor("pere"), None, "Marta Puig <marta@uv.es>, Pere Vidal <pere@uv.es>")
    assert not wrote_it(Actor("jordi", jordi), None, MARTA)

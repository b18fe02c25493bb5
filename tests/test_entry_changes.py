"""`entries rename` and `entries retire` / `restore`: an entry changed with its history kept,
its PO files following it, and a translator's unimported work never thrown away."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import polib
import pytest
from emit_fixtures import ALS, KILLERS, MASSING, PAGES, catalan_project, emit_json, ok, po_file
from helpers import snapshot, translate_po

from bpod_i18n.render.manifest import MANIFEST_NAME
from bpod_i18n.workflow.project import Project

NEW = "2016-07-22-massing-defences"


def _translations(path: Path) -> dict[str, str]:
    return {entry.msgctxt: entry.msgstr for entry in polib.pofile(str(path))}


def _tables(project: Project, *names: str) -> dict[str, list[tuple]]:
    rows = snapshot(project)
    return {name: rows[name] for name in names}


def test_rename_keeps_every_unit_translation_and_event(cli, project: Project, project_dir: Path) -> None:
    catalan_project(cli, project_dir)
    old_file = po_file(project_dir, MASSING)
    exported = _translations(old_file)
    before = _tables(project, "units", "translations", "events")
    history_before = json.loads(ok(cli("history", MASSING, "--json")).stdout)

    result = ok(cli("entries", "rename", MASSING, NEW, "-m", "the mirror's slug", "--by", "anna"))
    new_file = po_file(project_dir, NEW)
    assert result.stdout.splitlines() == [
        f"Renamed {MASSING} to {NEW}",
        f"  removed {old_file}",
        f"  wrote {new_file}",
    ]
    assert _tables(project, "units", "translations", "events") == before
    assert not old_file.exists()
    assert _translations(new_file) == exported
    header = polib.pofile(str(new_file)).metadata
    assert header["X-Bpod-Entry"] == NEW
    history = json.loads(ok(cli("history", NEW, "--json")).stdout)
    assert [(e["uid"], e["action"], e["new_text"]) for e in history] == [
        (e["uid"], e["action"], e["new_text"]) for e in history_before
    ]
    events = json.loads(ok(cli("show", NEW, "--json")).stdout)["events"]
    assert [(e["action"], e["old_slug"], e["new_slug"], e["actor"], e["comment"]) for e in events] == [
        ("rename", MASSING, NEW, "anna", "the mirror's slug")
    ]
    gone = cli("show", MASSING)
    assert gone.exit_code == 2
    assert gone.stderr.startswith(f"error: no entry '{MASSING}': it was renamed to {NEW} on ")
    # The file still gives the old slug: ingest reads it as the renamed entry, unchanged.
    again = json.loads(ok(cli("ingest", str(PAGES), "--json")).stdout)
    assert {(c["slug"], c["status"]) for c in again} == {(NEW, "unchanged"), (KILLERS, "unchanged"), (ALS, "unchanged")}
    listed = json.loads(ok(cli("entries", "--json")).stdout)
    assert [e["slug"] for e in listed] == [KILLERS, NEW, ALS]
    problems = json.loads(cli("check", "--locale", "ca", "--format", "json").stdout)["problems"]
    assert not [p for p in problems if p["check"] in ("missing-entry", "missing-units", "outdated-unit")]


def test_rename_refuses_what_would_lose_or_confuse(cli, project_dir: Path) -> None:
    catalan_project(cli, project_dir)

    def refused(*args: str) -> str:
        result = cli("entries", "rename", *args)
        assert result.exit_code == 2, result.output
        assert result.stdout == ""
        return result.stderr

    assert refused(MASSING, "2016-07-22-Massing") == (
        f"error: '2016-07-22-Massing' is not an entry slug: lowercase letters, digits and hyphens, such as {MASSING}\n"
    )
    assert refused(MASSING, "2016-07-23-massing") == (
        f"error: '2016-07-23-massing' must start with the entry's date, 2016-07-22- (as {MASSING} does)\n"
    )
    assert refused(MASSING, KILLERS) == (
        f"error: entry {KILLERS} exists and has 8 translations: renaming {MASSING} onto it would drop them. "
        f"Retire one of the two instead (`bpod-i18n entries retire SLUG`), or rename {MASSING} to a free slug\n"
    )
    assert refused("site", "2016-07-22-site") == (
        "error: 'site' is the catalog of site strings, not an entry: it cannot be renamed or retired\n"
    )
    assert (
        refused("2099-01-01-nope", "2099-01-01-yes") == "error: no entry '2099-01-01-nope' (see `bpod-i18n entries`)\n"
    )
    # An old slug stays with its entry: no other entry may take it.
    ok(cli("entries", "rename", MASSING, NEW))
    ok(cli("entries", "rename", KILLERS, "2016-04-30-killers"))
    ok(cli("entries", "rename", "2016-04-30-killers", KILLERS))  # back to its own old name: fine
    assert json.loads(ok(cli("show", KILLERS, "--json")).stdout)["slug"] == KILLERS


def test_an_old_slug_cannot_be_given_to_another_entry(cli, project_dir: Path, tmp_path: Path) -> None:
    ok(cli("ingest", str(PAGES)))
    other = tmp_path / "2016-07-22-another-story.md"
    other.write_text("---\ntitle: Another Story\ndate: 2016-07-22\n---\nCells divide.\n", encoding="utf-8")
    ok(cli("ingest", str(other)))
    ok(cli("entries", "rename", MASSING, NEW))
    result = cli("entries", "rename", "2016-07-22-another-story", MASSING)
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {MASSING} was the slug of entry {NEW} before it was renamed, and ingest still finds that "
        "entry by it: choose another slug\n"
    )


@pytest.mark.parametrize("command", ["rename", "retire"])
def test_a_po_file_with_unimported_work_stops_the_command(
    cli, project: Project, project_dir: Path, command: str
) -> None:
    ok(cli("ingest", str(PAGES)))
    ok(cli("export", "--locale", "ca"))
    path = po_file(project_dir, MASSING)
    translate_po(path, {"Massing to Defend": "Agrupar-se per defensar"})  # saved, not imported
    content = path.read_bytes()
    before = snapshot(project)
    args = [MASSING, NEW] if command == "rename" else [MASSING]
    result = cli("entries", command, *args)
    assert result.exit_code == 1
    line = next(
        n
        for n, text in enumerate(content.decode().splitlines(), 1)
        if text.startswith("msgid") and "Massing to Defend" in text
    )
    assert result.stderr == (
        f"error: {path}:{line}: 1 translation in this file is not in the database yet; import the file first "
        f"(`bpod-i18n import {path}`), or delete it if they are not wanted. Nothing was changed\n"
    )
    assert snapshot(project) == before
    assert path.read_bytes() == content
    ok(cli("import", str(path)))  # once imported, nothing stands in the way
    ok(cli("entries", command, *args))


def test_rename_folds_in_the_duplicate_an_edited_title_made(
    cli, project: Project, project_dir: Path, tmp_path: Path
) -> None:
    """A page not named by its slug: editing its title makes ingest create a second entry."""
    page = tmp_path / "archive" / "page.txt"
    page.parent.mkdir()
    shutil.copy(PAGES / f"{MASSING}.txt", page)
    ok(cli("ingest", str(page)))
    ok(cli("export", "--locale", "ca"))
    translate_po(
        po_file(project_dir, MASSING),
        {
            "Massing to Defend": "Agrupar-se per defensar",
            "On the front line of the immune system’s battle with pathogens, T cells raise the alarm and stimulate the body’s response to danger.": "A la primera línia, els limfòcits T donen l’alarma.",
            "They become activated when protein receptors on their surfaces detect an outsider, triggering a suite of cellular processes to eventually destroy the pathogen and promote its detection around the body.": "S’activen quan detecten un intrús.",
        },
    )
    ok(cli("import", str(po_file(project_dir, MASSING)), "--by", "marta"))
    text = page.read_text(encoding="utf-8").replace("Massing to Defend", "Massing for Defence")
    page.write_text(text.replace("T cells raise the alarm", "T cells sound the alarm"), encoding="utf-8")
    duplicate = "2016-07-22-massing-for-defence"
    ok(cli("ingest", str(page)))
    assert [e["slug"] for e in json.loads(ok(cli("entries", "--json")).stdout)] == [duplicate, MASSING]

    result = ok(cli("entries", "rename", MASSING, duplicate))
    assert result.stdout.splitlines()[:2] == [
        f"Renamed {MASSING} to {duplicate}",
        f"  folded in the duplicate {duplicate}: 4 sentences kept, 2 edited (2 translations now stale), "
        "0 new, 0 retired",
    ]
    listed = json.loads(ok(cli("entries", "--json")).stdout)
    assert [(e["slug"], e["title"]) for e in listed] == [(duplicate, "Massing for Defence")]
    units = {
        u["source"]: u["translations"]["ca"]
        for u in json.loads(ok(cli("show", duplicate, "--json")).stdout)["units_detail"]
        if "ca" in u["translations"]
    }
    assert units[
        "They become activated when protein receptors on their surfaces detect an outsider, triggering a suite of cellular processes to eventually destroy the pathogen and promote its detection around the body."
    ] == {"state": "translated", "text": "S’activen quan detecten un intrús."}
    assert units["Massing for Defence"] == {"state": "stale", "text": "Agrupar-se per defensar"}
    assert (
        units[
            "On the front line of the immune system’s battle with pathogens, T cells sound the alarm and stimulate the body’s response to danger."
        ]["state"]
        == "stale"
    )
    again = json.loads(ok(cli("ingest", str(page), "--json")).stdout)
    assert [(c["slug"], c["status"]) for c in again] == [(duplicate, "unchanged")]
    exported = _translations(po_file(project_dir, duplicate))
    assert "S’activen quan detecten un intrús." in exported.values()
    assert not po_file(project_dir, MASSING).exists()


def test_a_duplicate_with_work_of_its_own_is_never_dropped(cli, project: Project, project_dir: Path) -> None:
    catalan_project(cli, project_dir)
    before = snapshot(project)
    result = cli("entries", "rename", ALS, KILLERS)
    assert result.exit_code == 2
    assert "exists and has 8 translations" in result.stderr
    assert snapshot(project) == before


def test_retire_keeps_everything_and_takes_the_entry_out_of_the_work(
    cli, project: Project, project_dir: Path, tmp_path: Path
) -> None:
    catalan_project(cli, project_dir)
    mirror = tmp_path / "mirror"
    emitted = emit_json(cli, mirror)
    page = mirror / next(e["path"] for e in emitted["new"] if e["slug"] == MASSING)
    assert page.is_file()
    path = po_file(project_dir, MASSING)
    kept_copy = tmp_path / f"{MASSING}.po"
    shutil.copy(path, kept_copy)
    before = _tables(project, "entries", "units", "translations", "events")
    history = ok(cli("history", MASSING, "--json")).stdout

    result = ok(cli("entries", "retire", MASSING, "-m", "withdrawn by the author", "--by", "anna"))
    assert result.stdout.splitlines() == [
        f"Retired {MASSING}: kept in the database, left out of export, check and emit "
        f"(`bpod-i18n entries restore {MASSING}` brings it back; the next emit withdraws its page)",
        f"  removed {path}",
    ]
    after = _tables(project, "entries", "units", "translations", "events")
    assert {k: after[k] for k in ("units", "translations", "events")} == {
        k: before[k] for k in ("units", "translations", "events")
    }
    assert len(after["entries"]) == len(before["entries"])
    assert ok(cli("history", MASSING, "--json")).stdout == history
    assert not path.exists()

    # Out of the lists and counts…
    assert MASSING not in [e["slug"] for e in json.loads(ok(cli("entries", "--json")).stdout)]
    retired = [e for e in json.loads(ok(cli("entries", "--retired", "--json")).stdout) if e["slug"] == MASSING]
    assert retired and retired[0]["retired"].endswith("Z")
    assert MASSING not in [e["slug"] for e in json.loads(ok(cli("status", "--json")).stdout)["entries"]]
    # …out of export…
    ok(cli("export", "--locale", "ca"))
    assert not path.exists()
    named = cli("export", "--locale", "ca", "--entry", MASSING)
    assert named.exit_code == 2
    assert named.stderr == (
        f"error: no such entry: {MASSING} (retired; `bpod-i18n entries restore {MASSING}` brings it back)\n"
    )
    # …out of the gate (no file expected of it)…
    gate = json.loads(cli("check", "--locale", "ca", "--format", "json").stdout)
    assert not [p for p in gate["problems"] if p["entry"] == MASSING]
    # …out of the mirror: its page is withdrawn…
    withdrawn = emit_json(cli, mirror)
    assert [(e["slug"], e["reason"]) for e in withdrawn["withdrawn"]] == [
        (MASSING, "no longer an entry (retired or renamed); file removed")
    ]
    assert not page.exists()
    manifest = json.loads((mirror / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert all(MASSING not in entries for entries in manifest["formats"].values())
    # …and out of review and import.
    review = cli("review", "--locale", "ca", "--approve", MASSING)
    assert review.exit_code == 2
    assert review.stderr.startswith(f"error: no such entry: {MASSING} (retired;")
    by_unit = cli("review", "--locale", "ca", "--reject", next(iter(_translations(kept_copy))), "-m", "why")
    assert by_unit.exit_code == 2
    assert by_unit.stderr.startswith(f"error: no such entry: {MASSING} (retired;")
    imported = cli("import", str(kept_copy))
    assert imported.exit_code == 2
    assert imported.stderr == (
        f"error: {kept_copy}: entry {MASSING} is retired (`bpod-i18n entries restore {MASSING}` brings it back); "
        "nothing was stored\n"
    )
    again = cli("entries", "retire", MASSING)
    assert again.exit_code == 2
    assert again.stderr.startswith(f"error: entry {MASSING} is already retired (since ")

    restored = ok(cli("entries", "restore", MASSING))
    assert restored.stdout == f"Restored {MASSING}: `bpod-i18n export --locale LC` writes its PO files again\n"
    ok(cli("export", "--locale", "ca"))
    assert _translations(path) == _translations(kept_copy)
    events = json.loads(ok(cli("show", MASSING, "--json")).stdout)["events"]
    assert [(e["action"], e["actor"], e["comment"]) for e in events] == [
        ("retire", "anna", "withdrawn by the author"),
        ("restore", "tester", None),
    ]
    assert emit_json(cli, mirror)["new"][0]["slug"] == MASSING

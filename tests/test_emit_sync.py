"""bpod-i18n emit re-runs: only what changed is rewritten, withdrawn entries removed, dry runs write nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from emit_fixtures import (
    ALS,
    KILLERS,
    MASSING,
    catalan_project,
    emit_json,
    files_with_mtimes,
    ok,
    retranslate,
    uid_of,
)

from bpod_i18n.workflow.emit import EmitOptions, emit
from bpod_i18n.workflow.project import Project

MANIFEST = ".bpod-i18n-manifest.json"
MASSING_HTML = f"2016/{MASSING}.html"
KILLERS_HTML = f"2016/{KILLERS}.html"


@pytest.fixture
def mirror(cli, project_dir: Path, tmp_path: Path) -> Path:
    """Two reviewed entries (Massing, Trained Killers) emitted once into a mirror folder."""
    catalan_project(cli, project_dir)
    ok(cli("review", "-l", "ca", "--approve", KILLERS, "--by", "jordi"))
    out = tmp_path / "mirror"
    report = emit_json(cli, out)
    assert [item["path"] for item in report["new"]] == [KILLERS_HTML, MASSING_HTML]
    return out


class CountingProgress:
    def __init__(self) -> None:
        self.totals: list[int] = []
        self.advanced = 0

    def start(self, total: int, description: str) -> None:
        self.totals.append(total)

    def advance(self, amount: int = 1) -> None:
        self.advanced += amount


def test_a_rerun_with_no_change_writes_nothing_and_renders_nothing(cli, project: Project, mirror: Path) -> None:
    before = files_with_mtimes(mirror)
    report = emit_json(cli, mirror)
    assert (report["new"], report["updated"], report["withdrawn"]) == ([], [], [])
    assert report["unchanged"] == [KILLERS, MASSING]
    assert files_with_mtimes(mirror) == before  # not even the manifest was rewritten
    progress = CountingProgress()
    emit(project, EmitOptions(locale="ca", out_dir=mirror), progress=progress)
    assert progress.totals == [0] and progress.advanced == 0


def test_one_changed_translation_rewrites_exactly_one_file(cli, project_dir: Path, mirror: Path) -> None:
    before = files_with_mtimes(mirror)
    retranslate(cli, project_dir, MASSING, {"Massing to Defend": "Agrupats per defensar-se"})
    report = emit_json(cli, mirror)
    assert report["updated"] == [
        {"slug": MASSING, "path": MASSING_HTML, "reason": "content changed", "english_fallback": []}
    ]
    assert (report["new"], report["unchanged"], report["withdrawn"]) == ([], [KILLERS], [])
    after = files_with_mtimes(mirror)
    assert after[KILLERS_HTML] == before[KILLERS_HTML]  # same bytes, same mtime: untouched
    assert after[MASSING_HTML][0] != before[MASSING_HTML][0]
    assert "<h1>Agrupats per defensar-se</h1>" in after[MASSING_HTML][1].decode()
    assert "Concentrats" not in after[MASSING_HTML][1].decode()
    records = json.loads(after[MANIFEST][1])["formats"]["html"]
    old_records = json.loads(before[MANIFEST][1])["formats"]["html"]
    assert records[KILLERS] == old_records[KILLERS]
    assert records[MASSING]["versions"] != old_records[MASSING]["versions"]


def test_an_entry_that_stops_being_ready_is_withdrawn(cli, mirror: Path) -> None:
    uid = uid_of(cli, KILLERS, "body.1", 3)
    ok(cli("review", "-l", "ca", "--reject", uid, "-m", "escombratge? rastreig", "--by", "jordi"))
    before = files_with_mtimes(mirror)
    report = emit_json(cli, mirror)
    assert report["withdrawn"] == [
        {"slug": KILLERS, "path": KILLERS_HTML, "reason": "no longer ready; file removed", "english_fallback": []}
    ]
    assert report["unchanged"] == [MASSING]
    killers = next(item for item in report["not_ready"] if item["slug"] == KILLERS)
    assert killers["counts"] == {"needs-work": 1, "reviewed": 7} and killers["missing"] == [uid]
    after = files_with_mtimes(mirror)
    assert KILLERS_HTML not in after and after[MASSING_HTML] == before[MASSING_HTML]
    assert KILLERS not in json.loads(after[MANIFEST][1])["formats"]["html"]
    # Withdrawn once: the next run has nothing more to say about it.
    assert emit_json(cli, mirror)["withdrawn"] == []


def test_keep_withdrawn_leaves_the_file(cli, mirror: Path) -> None:
    uid = uid_of(cli, KILLERS, "title")
    ok(cli("review", "-l", "ca", "--reject", uid, "-m", "massa literal", "--by", "jordi"))
    report = emit_json(cli, mirror, "--keep-withdrawn")
    assert report["withdrawn"][0]["reason"] == "no longer ready; file kept (--keep-withdrawn)"
    assert (mirror / KILLERS_HTML).is_file()


def test_dry_run_shows_the_plan_and_writes_nothing(cli, project_dir: Path, mirror: Path, tmp_path: Path) -> None:
    retranslate(cli, project_dir, MASSING, {"Massing to Defend": "Agrupats per defensar-se"})
    ok(cli("review", "-l", "ca", "--reject", uid_of(cli, KILLERS, "title"), "-m", "no", "--by", "jordi"))
    before = files_with_mtimes(mirror)
    report = emit_json(cli, mirror, "--dry-run")
    assert report["dry_run"] is True
    assert [item["slug"] for item in report["updated"]] == [MASSING]
    assert report["withdrawn"][0]["reason"] == "no longer ready; file would be removed"
    assert files_with_mtimes(mirror) == before
    result = ok(cli("emit", "--locale", "ca", "--out", str(mirror), "--dry-run"))
    assert "dry run, nothing written: ca" in result.stdout and f"updated  {MASSING_HTML}" in result.stdout
    fresh = tmp_path / "never-written"
    emit_json(cli, fresh, "--dry-run")
    assert not fresh.exists()


def test_a_hand_edited_or_deleted_page_is_restored(cli, mirror: Path) -> None:
    original = (mirror / MASSING_HTML).read_bytes()
    (mirror / MASSING_HTML).write_text("edited by hand")
    (mirror / KILLERS_HTML).unlink()
    report = emit_json(cli, mirror)
    assert {item["slug"]: item["reason"] for item in report["updated"]} == {
        MASSING: "file differs from manifest (edited by hand?)",
        KILLERS: "file missing",
    }
    assert (mirror / MASSING_HTML).read_bytes() == original and (mirror / KILLERS_HTML).is_file()


def test_a_run_for_some_entries_leaves_the_others_alone(cli, project_dir: Path, mirror: Path) -> None:
    retranslate(cli, project_dir, KILLERS, {"Trained Killers": "Assassins ensinistrats"})
    retranslate(cli, project_dir, MASSING, {"Massing to Defend": "Agrupats per defensar-se"})
    before = files_with_mtimes(mirror)
    report = emit_json(cli, mirror, "--entry", MASSING)
    assert [item["slug"] for item in report["updated"]] == [MASSING]
    assert (report["unchanged"], report["withdrawn"], report["not_ready"]) == ([], [], [])
    after = files_with_mtimes(mirror)
    assert after[KILLERS_HTML] == before[KILLERS_HTML]
    assert set(json.loads(after[MANIFEST][1])["formats"]["html"]) == {KILLERS, MASSING}
    # The whole run then catches up with the other entry.
    assert [item["slug"] for item in emit_json(cli, mirror)["updated"]] == [KILLERS]


def test_a_second_format_goes_beside_the_first_and_both_are_tracked(cli, mirror: Path) -> None:
    report = emit_json(cli, mirror, "--format", "markdown")
    assert [(item["path"], item["reason"]) for item in report["new"]] == [
        (f"2016/{KILLERS}.md", "not in manifest"),
        (f"2016/{MASSING}.md", "not in manifest"),
    ]
    assert sorted(p for p in files_with_mtimes(mirror) if p != MANIFEST) == sorted(
        [KILLERS_HTML, MASSING_HTML, f"2016/{KILLERS}.md", f"2016/{MASSING}.md"]
    )
    formats = json.loads((mirror / MANIFEST).read_text(encoding="utf-8"))["formats"]
    assert {fmt: sorted(records) for fmt, records in formats.items()} == {
        "html": [KILLERS, MASSING],
        "markdown": [KILLERS, MASSING],
    }
    assert emit_json(cli, mirror)["unchanged"] == [KILLERS, MASSING]  # the HTML run still knows its pages


def test_a_site_string_change_rerenders_every_page(cli, project_dir: Path, mirror: Path) -> None:
    retranslate(cli, project_dir, "site", {"Written by": "Text de"})
    report = emit_json(cli, mirror)
    assert [item["slug"] for item in report["updated"]] == [KILLERS, MASSING]
    assert '<p class="author">Text de Kat Arney</p>' in (mirror / KILLERS_HTML).read_text()
    assert ALS in [item["slug"] for item in report["not_ready"]]

"""Fault suite, the mirror folder: links inside it, a doctored manifest, two emits at once,
the leftovers of a killed run. Real folders, real symbolic links, real processes."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from emit_fixtures import KILLERS, MASSING, catalan_project, emit_json, ok, retranslate
from helpers import one_line_error, snapshot, tree_state

from bpod_i18n.render import MANIFEST_NAME, lock_output
from bpod_i18n.workflow.project import Project

MASSING_HTML = f"2016/{MASSING}.html"
KILLERS_HTML = f"2016/{KILLERS}.html"


@pytest.fixture
def ready(cli, project_dir: Path) -> Path:
    """Two reviewed entries (Massing, Trained Killers), not emitted yet."""
    catalan_project(cli, project_dir)
    ok(cli("review", "-l", "ca", "--approve", KILLERS, "--by", "jordi"))
    return project_dir


@pytest.fixture
def mirror(cli, ready: Path, tmp_path: Path) -> Path:
    out = tmp_path / "mirror"
    emit_json(cli, out)
    return out


def manifest_of(out: Path) -> dict:
    return json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))


def forge(out: Path, slug: str, relpath: str, content: bytes | None = None) -> None:
    """Add a record to the manifest as an attacker with write access to the folder would."""
    data = manifest_of(out)
    digest = hashlib.sha256(content if content is not None else b"something else").hexdigest()
    data["formats"]["html"][slug] = {"path": relpath, "sha256": digest, "size": 1, "mtime_ns": 1, "versions": 1}
    (out / MANIFEST_NAME).write_text(json.dumps(data), encoding="utf-8")


def stderr_lines(result) -> list[str]:
    """Diagnostics other than the not-ready list (Reassessing ALS is never ready here)."""
    assert "Traceback" not in result.output
    return sorted(line for line in result.stderr.splitlines() if not line.startswith("not ready "))


def withdraw_killers(cli) -> None:
    """Trained Killers stops being ready: its page must be withdrawn at the next emit."""
    ok(cli("review", "-l", "ca", "--reject", KILLERS, "--comment", "redo", "--by", "jordi"))


# --- links inside the output folder ------------------------------------------------------


def test_a_year_folder_that_links_elsewhere_is_refused_and_nothing_is_written(
    cli, project: Project, ready: Path, tmp_path: Path
) -> None:
    out, elsewhere = tmp_path / "mirror", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    (out / "2016").symlink_to(elsewhere)
    before, outside, db = tree_state(out), tree_state(elsewhere), snapshot(project)
    result = cli("emit", "-l", "ca", "--out", str(out))
    one_line_error(result, 2, str(out / "2016"), "symbolic link")
    assert (tree_state(out), tree_state(elsewhere), snapshot(project)) == (before, outside, db)


def test_a_year_folder_swapped_for_a_link_after_a_first_emit_is_refused(
    cli, project_dir: Path, mirror: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    (mirror / "2016").rename(elsewhere)
    (mirror / "2016").symlink_to(elsewhere)  # same pages, now through a link
    retranslate(cli, project_dir, MASSING, {"Massing to Defend": "Agrupats per defensar-se"})
    before, outside = tree_state(mirror), tree_state(elsewhere)
    one_line_error(cli("emit", "-l", "ca", "--out", str(mirror)), 2, str(mirror / "2016"), "symbolic link")
    assert (tree_state(mirror), tree_state(elsewhere)) == (before, outside)


def test_a_page_replaced_by_a_link_is_rewritten_as_a_file_and_the_target_is_untouched(
    cli, mirror: Path, tmp_path: Path
) -> None:
    target = tmp_path / "target.txt"
    target.write_text("not a page\n", encoding="utf-8")
    (mirror / MASSING_HTML).unlink()
    (mirror / MASSING_HTML).symlink_to(target)
    report = emit_json(cli, mirror)
    assert [(item["slug"], item["reason"]) for item in report["updated"]] == [(MASSING, "not a regular file")]
    assert not (mirror / MASSING_HTML).is_symlink() and "<html" in (mirror / MASSING_HTML).read_text()
    assert target.read_text(encoding="utf-8") == "not a page\n"


def test_the_output_folder_itself_may_be_a_link(cli, ready: Path, tmp_path: Path) -> None:
    real = tmp_path / "var-www-mirror"
    real.mkdir()
    (tmp_path / "mirror").symlink_to(real)
    report = emit_json(cli, tmp_path / "mirror")
    assert len(report["new"]) == 2 and (real / MASSING_HTML).is_file()


def test_a_manifest_that_is_a_link_is_refused(cli, project: Project, mirror: Path, tmp_path: Path) -> None:
    real = tmp_path / "elsewhere.json"
    (mirror / MANIFEST_NAME).rename(real)
    (mirror / MANIFEST_NAME).symlink_to(real)
    before, db = tree_state(mirror), snapshot(project)
    one_line_error(cli("emit", "-l", "ca", "--out", str(mirror)), 2, str(mirror / MANIFEST_NAME), "symbolic link")
    assert (tree_state(mirror), snapshot(project)) == (before, db)


# --- a doctored manifest: delete only what emit wrote -------------------------------------


def test_a_forged_record_does_not_delete_a_file_emit_never_wrote(cli, mirror: Path) -> None:
    (mirror / "2016/victim.txt").write_text("keep me\n", encoding="utf-8")
    (mirror / "index.html").write_text("<h1>home</h1>\n", encoding="utf-8")
    forge(mirror, "2016-01-01-victim", "2016/victim.txt")
    forge(mirror, "2016-01-02-home", "index.html")
    result = cli("emit", "-l", "ca", "--out", str(mirror))
    assert result.exit_code == 0, result.output
    assert stderr_lines(result) == [
        f"left in place: {mirror / '2016/victim.txt'}: its content is not what bpod-i18n wrote there "
        "(edited by hand, or never written by bpod-i18n)",
        f"left in place: {mirror / 'index.html'}: its content is not what bpod-i18n wrote there "
        "(edited by hand, or never written by bpod-i18n)",
    ]
    assert (mirror / "2016/victim.txt").read_text() == "keep me\n" and (mirror / "index.html").exists()
    assert sorted(manifest_of(mirror)["formats"]["html"]) == [KILLERS, MASSING]  # reported once, then forgotten
    rerun = cli("emit", "-l", "ca", "--out", str(mirror))
    assert (rerun.exit_code, stderr_lines(rerun)) == (0, [])


def test_a_forged_record_through_a_link_leaves_the_target_alone(cli, mirror: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    victim = elsewhere / "victim.txt"
    victim.write_bytes(b"precious\n")
    (mirror / "link").symlink_to(elsewhere)
    forge(mirror, "2016-01-01-victim", "link/victim.txt", content=b"precious\n")  # even with the right hash
    result = cli("emit", "-l", "ca", "--out", str(mirror))
    assert result.exit_code == 0, result.output
    [line] = stderr_lines(result)
    assert line.startswith(f"left in place: {mirror / 'link/victim.txt'}: {mirror / 'link'}: is a symbolic link")
    assert victim.read_bytes() == b"precious\n" and (mirror / "link").is_symlink()


def test_a_forged_record_naming_a_folder_or_a_link_is_left(cli, mirror: Path, tmp_path: Path) -> None:
    (tmp_path / "target").write_text("t", encoding="utf-8")
    (mirror / "2016/link.html").symlink_to(tmp_path / "target")
    forge(mirror, "2016-01-01-folder", "2016")
    forge(mirror, "2016-01-02-link", "2016/link.html", content=b"t")
    result = cli("emit", "-l", "ca", "--out", str(mirror))
    assert result.exit_code == 0
    assert stderr_lines(result) == [
        f"left in place: {mirror / '2016/link.html'}: a symbolic link, not a page bpod-i18n wrote",
        f"left in place: {mirror / '2016'}: not a regular file",
    ]
    assert (mirror / "2016").is_dir() and (mirror / "2016/link.html").is_symlink()


@pytest.mark.parametrize(
    "relpath", ["../outside.txt", "/etc/passwd", "2016/../../outside.txt", MANIFEST_NAME, "2016\\x.html"]
)
def test_a_record_outside_the_folder_refuses_the_emit(
    cli, project: Project, mirror: Path, tmp_path: Path, relpath: str
) -> None:
    (tmp_path / "outside.txt").write_text("x", encoding="utf-8")
    forge(mirror, "2016-01-01-evil", relpath)
    before, db = tree_state(tmp_path), snapshot(project)
    one_line_error(cli("emit", "-l", "ca", "--out", str(mirror)), 2, str(mirror / MANIFEST_NAME), "inside the output")
    assert (tree_state(tmp_path), snapshot(project)) == (before, db)


@pytest.mark.parametrize(
    "text",
    [
        '{"format": 2, "formats": {"html": {"x": {"path": "2016/x.html", "sha256": "0", "size": 1e999}}}}',
        '{"format": 2, "formats": {"pdf": {}}}',
        "[" * 100_000 + "]" * 100_000,
        '{"format": ' + "9" * 5000 + "}",
        "\udcff",
    ],
    ids=["float-size", "unknown-format", "deeply-nested", "huge-integer", "not-utf8"],
)
def test_a_damaged_manifest_is_one_line(cli, project: Project, mirror: Path, text: str) -> None:
    manifest = mirror / MANIFEST_NAME
    manifest.write_bytes(text.encode("utf-8", "surrogateescape"))
    before, db = tree_state(mirror), snapshot(project)
    one_line_error(cli("emit", "-l", "ca", "--out", str(mirror)), 2, str(manifest))
    assert (tree_state(mirror), snapshot(project)) == (before, db)


def test_a_withdrawn_page_edited_by_hand_is_reported_and_kept(cli, mirror: Path) -> None:
    (mirror / KILLERS_HTML).write_text("edited by the webmaster\n", encoding="utf-8")
    withdraw_killers(cli)
    report = emit_json(cli, mirror)
    assert [(item["slug"], item["path"], item["reason"]) for item in report["left_in_place"]] == [
        (
            KILLERS,
            KILLERS_HTML,
            "its content is not what bpod-i18n wrote there (edited by hand, or never written by bpod-i18n)",
        )
    ]
    assert (mirror / KILLERS_HTML).read_text() == "edited by the webmaster\n"


def test_an_untouched_withdrawn_page_is_still_removed(cli, mirror: Path) -> None:
    withdraw_killers(cli)
    report = emit_json(cli, mirror)
    assert [item["path"] for item in report["withdrawn"]] == [KILLERS_HTML] and report["left_in_place"] == []
    assert not (mirror / KILLERS_HTML).exists() and (mirror / MASSING_HTML).exists()


# --- leftovers of a killed run ------------------------------------------------------------

KILLED_WRITER = """
import os, sys, time
from pathlib import Path
from bpod_i18n import atomic
def stall(fd, data):
    os.write(fd, data[:10])
    print("writing", flush=True)
    time.sleep(60)
atomic._write_all = stall
atomic.write_atomic(Path(sys.argv[1]), b"<html>a page that never finished</html>")
"""


def test_kill_9_mid_write_leaves_a_temporary_file_the_next_emit_removes(cli, mirror: Path) -> None:
    page = mirror / MASSING_HTML
    before = page.read_bytes()
    writer = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(page)], stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout is not None and writer.stdout.readline() == "writing\n"
        writer.kill()  # SIGKILL: no cleanup code runs
    finally:
        writer.wait(timeout=10)
    leftovers = [p.name for p in (mirror / "2016").iterdir() if p.name.endswith(".tmp")]
    assert len(leftovers) == 1 and page.read_bytes() == before  # the page itself is intact
    (mirror / "2016/notes.tmp").write_text("someone else's", encoding="utf-8")
    (mirror / ".cache.tmp").write_text("someone else's", encoding="utf-8")
    result = cli("emit", "-l", "ca", "--out", str(mirror))
    assert result.exit_code == 0, result.output
    assert stderr_lines(result) == [f"removed {mirror / '2016' / leftovers[0]}: left behind by an interrupted run"]
    assert sorted(p.name for p in mirror.rglob("*.tmp")) == [".cache.tmp", "notes.tmp"]  # not our naming: kept


# --- two emits into one folder -------------------------------------------------------------


def _emit_process(project_dir: Path, out: Path, fmt: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "bpod_i18n", "-C", str(project_dir), "emit", "-l", "ca", "--out", str(out), "-f", fmt],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_emits_at_once_in_two_formats_leave_every_page_tracked(ready: Path, tmp_path: Path) -> None:
    out = tmp_path / "mirror"
    runs = [_emit_process(ready, out, fmt) for fmt in ("html", "markdown", "json")]
    for run in runs:
        _, stderr = run.communicate(timeout=120)
        assert run.returncode == 0 and "Traceback" not in stderr, stderr
    formats = manifest_of(out)["formats"]
    tracked = {record["path"] for records in formats.values() for record in records.values()}
    on_disk = {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file() and p.name != MANIFEST_NAME}
    assert tracked == on_disk and len(on_disk) == 6
    assert sorted(formats) == ["html", "json", "markdown"]


def test_an_emit_waits_for_the_one_holding_the_folder(ready: Path, tmp_path: Path) -> None:
    out = tmp_path / "mirror"
    with lock_output(out, timeout=1):
        started = time.monotonic()
        run = _emit_process(ready, out, "html")
        time.sleep(1.5)
        assert run.poll() is None and not (out / MANIFEST_NAME).exists()  # waiting, nothing written
    _, stderr = run.communicate(timeout=120)
    assert run.returncode == 0, stderr
    assert time.monotonic() - started >= 1.5 and (out / MASSING_HTML).is_file()


def test_an_emit_that_waits_past_lock_timeout_gives_up_with_one_line(
    cli, project: Project, project_dir: Path, ready: Path, tmp_path: Path
) -> None:
    config = project_dir / "bpod-i18n.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("# lock_timeout = 60", "lock_timeout = 0.5"), encoding="utf-8"
    )
    out = tmp_path / "mirror"
    out.mkdir()
    db = snapshot(project)
    with lock_output(out, timeout=1):
        result = cli("emit", "-l", "ca", "--out", str(out))
    one_line_error(result, 2, str(out), "another emit is writing into this folder", "lock_timeout")
    assert os.listdir(out) == [] and snapshot(project) == db

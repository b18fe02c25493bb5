"""Incremental emit into a folder: new / updated / unchanged / withdrawn, atomic writes, manifest."""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
from pathlib import Path

import pytest

from bpod_i18n import atomic
from bpod_i18n.errors import InputError, UsageError
from bpod_i18n.render import (
    MANIFEST_NAME,
    LocalisedEntry,
    OutputError,
    RenderedFile,
    apply_sync,
    plan_sync,
    read_manifest,
    render_file,
)
from bpod_i18n.render import sync as sync_module

SLUGS = ["2016-04-30-trained-killers", "2016-07-22-massing-to-defend", "2021-06-19-reassessing-als"]


def entry(slug: str, title: str = "Títol") -> LocalisedEntry:
    date = dt.date.fromisoformat(slug[:10])
    return LocalisedEntry(slug, "ca", date, title, [f"Paràgraf de {slug}."], author="Kat Arney")


def rendered(titles: dict[str, str] | None = None, fmt: str = "html") -> dict[str, RenderedFile]:
    titles = titles or {}
    return {
        slug: render_file(entry(slug, titles.get(slug, "Títol")), fmt, versions=f"v-{titles.get(slug, 'Títol')}")  # type: ignore[arg-type]
        for slug in SLUGS
    }


def snapshot(out: Path) -> dict[str, tuple[int, int, bytes]]:
    """Every file under ``out``: (inode, mtime_ns, content)."""
    return {
        str(p.relative_to(out)): (p.stat().st_ino, p.stat().st_mtime_ns, p.read_bytes())
        for p in sorted(out.rglob("*"))
        if p.is_file()
    }


def first_run(out: Path) -> None:
    apply_sync(plan_sync(out, rendered(), fmt="html", withdrawn_policy="remove"))


def test_first_run_writes_everything_and_the_manifest(tmp_path: Path) -> None:
    out = tmp_path / "site"
    plan = plan_sync(out, rendered(), fmt="html", withdrawn_policy="remove")
    assert (plan.new, plan.updated, plan.unchanged, plan.withdrawn) == (SLUGS, [], [], [])
    report = apply_sync(plan)
    assert report.written == [
        "2016/2016-04-30-trained-killers.html",
        "2016/2016-07-22-massing-to-defend.html",
        "2021/2021-06-19-reassessing-als.html",
    ]
    assert report.manifest_written and report.unchanged == 0
    assert sorted(snapshot(out)) == [MANIFEST_NAME, *report.written]
    text = (out / "2016/2016-07-22-massing-to-defend.html").read_text(encoding="utf-8")
    assert text == render_file(entry(SLUGS[1]), "html").content
    manifest = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    record = manifest["formats"]["html"]["2016-07-22-massing-to-defend"]
    assert record["path"] == "2016/2016-07-22-massing-to-defend.html"
    assert record["size"] == len(text.encode("utf-8")) and record["versions"] == "v-Títol"
    assert len(record["sha256"]) == 64


def test_rerun_without_changes_touches_nothing_and_reads_no_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "site"
    first_run(out)
    before = snapshot(out)
    reads: list[Path] = []
    monkeypatch.setattr(sync_module, "_file_sha256", reads.append)
    plan = plan_sync(out, rendered(), fmt="html", withdrawn_policy="remove")
    assert plan.unchanged == SLUGS and plan.new == plan.updated == plan.withdrawn == []
    report = apply_sync(plan)
    assert (report.written, report.removed, report.unchanged, report.manifest_written) == ([], [], 3, False)
    assert snapshot(out) == before  # same inodes, mtimes and bytes, manifest included
    assert reads == []  # trusted from stat: size and mtime match the manifest


def test_touched_file_is_verified_by_hash_and_stays_unchanged(tmp_path: Path) -> None:
    out = tmp_path / "site"
    first_run(out)
    page = out / "2016/2016-07-22-massing-to-defend.html"
    os.utime(page, ns=(1_000_000_000, 1_000_000_000))  # e.g. restored from a backup
    plan = plan_sync(out, rendered(), fmt="html", withdrawn_policy="remove")
    assert plan.unchanged == SLUGS
    report = apply_sync(plan)
    assert report.written == [] and report.manifest_written  # new mtime recorded
    assert read_manifest(out).entries[SLUGS[1]].mtime_ns == 1_000_000_000


def test_one_changed_entry_rewrites_exactly_one_file(tmp_path: Path) -> None:
    out = tmp_path / "site"
    first_run(out)
    before = snapshot(out)
    plan = plan_sync(out, rendered({SLUGS[1]: "Concentrats per defensar-se"}), fmt="html", withdrawn_policy="remove")
    assert (plan.new, plan.updated, plan.unchanged) == ([], [SLUGS[1]], [SLUGS[0], SLUGS[2]])
    assert [a.reason for a in plan.actions if a.slug == SLUGS[1]] == ["content changed"]
    report = apply_sync(plan)
    assert report.written == ["2016/2016-07-22-massing-to-defend.html"]
    after = snapshot(out)
    changed = {path for path in after if after[path] != before[path]}
    assert changed == {"2016/2016-07-22-massing-to-defend.html", MANIFEST_NAME}
    assert b"Concentrats per defensar-se" in after["2016/2016-07-22-massing-to-defend.html"][2]
    assert read_manifest(out).entries[SLUGS[1]].versions == "v-Concentrats per defensar-se"


def test_new_versions_with_same_content_only_refresh_the_manifest(tmp_path: Path) -> None:
    out = tmp_path / "site"
    first_run(out)
    files = {slug: RenderedFile(f.relpath, f.content, (7, 2)) for slug, f in rendered().items()}
    report = apply_sync(plan_sync(out, files, fmt="html", withdrawn_policy="remove"))
    assert report.written == [] and report.manifest_written
    assert read_manifest(out).entries[SLUGS[0]].versions == (7, 2)


def test_withdrawn_entry_is_reported_and_removed(tmp_path: Path) -> None:
    out = tmp_path / "site"
    first_run(out)
    files = rendered()
    del files[SLUGS[2]]
    plan = plan_sync(out, files, fmt="html", withdrawn_policy="remove")
    assert plan.withdrawn == [SLUGS[2]] and plan.unchanged == SLUGS[:2]
    report = apply_sync(plan)
    assert report.removed == ["2021/2021-06-19-reassessing-als.html"]
    assert not (out / "2021").exists()  # the emptied year folder goes too
    assert set(read_manifest(out).entries) == set(SLUGS[:2])
    assert plan_sync(out, files, fmt="html", withdrawn_policy="remove").withdrawn == []


def test_withdrawn_entry_kept_when_told_and_reported_again(tmp_path: Path) -> None:
    out = tmp_path / "site"
    first_run(out)
    files = rendered()
    del files[SLUGS[0]]
    report = apply_sync(plan_sync(out, files, fmt="html", withdrawn_policy="keep"))
    assert (report.removed, report.kept) == ([], ["2016/2016-04-30-trained-killers.html"])
    assert (out / "2016/2016-04-30-trained-killers.html").exists()
    again = plan_sync(out, files, fmt="html", withdrawn_policy="remove")
    assert again.withdrawn == [SLUGS[0]]
    assert apply_sync(again).removed == ["2016/2016-04-30-trained-killers.html"]


def test_dry_run_is_a_plan_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "site"
    plan = plan_sync(out, rendered(), fmt="html", withdrawn_policy="remove")
    assert plan.new == SLUGS and not out.exists()
    first_run(out)
    before = snapshot(out)
    files = rendered({SLUGS[0]: "Assassins entrenats"})
    del files[SLUGS[2]]
    plan = plan_sync(out, files, fmt="html", withdrawn_policy="remove")
    assert (plan.updated, plan.withdrawn) == ([SLUGS[0]], [SLUGS[2]])
    assert snapshot(out) == before


def test_failed_write_leaves_old_file_no_temp_and_old_manifest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "site"
    first_run(out)
    before = snapshot(out)
    real_write_all = atomic._write_all

    def disk_full_halfway(fd: int, data: bytes) -> None:
        real_write_all(fd, data[: len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic, "_write_all", disk_full_halfway)
    files = rendered(dict.fromkeys(SLUGS, "Nou títol"))
    with pytest.raises(OutputError) as error:
        apply_sync(plan_sync(out, files, fmt="html", withdrawn_policy="remove"))
    target = out / "2016/2016-04-30-trained-killers.html"
    assert str(error.value) == f"{target}: cannot write: No space left on device"
    assert snapshot(out) == before  # old page intact, no temporary file, old manifest
    monkeypatch.undo()
    report = apply_sync(plan_sync(out, files, fmt="html", withdrawn_policy="remove"))  # the next run finishes
    assert len(report.written) == 3


def test_failed_new_file_leaves_nothing(tmp_path: Path) -> None:
    out = tmp_path / "site"
    (out / "2016/2016-07-22-massing-to-defend.html").mkdir(parents=True)  # a folder in the way
    with pytest.raises(OutputError, match=r"massing-to-defend\.html: cannot write"):
        apply_sync(plan_sync(out, rendered(), fmt="html", withdrawn_policy="remove"))
    leftovers = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert leftovers == ["2016/2016-04-30-trained-killers.html"]  # written before the failure
    assert not (out / MANIFEST_NAME).exists()


def test_missing_or_hand_edited_files_are_rewritten(tmp_path: Path) -> None:
    out = tmp_path / "site"
    first_run(out)
    (out / "2016/2016-04-30-trained-killers.html").unlink()
    (out / "2021/2021-06-19-reassessing-als.html").write_text("edited by hand", encoding="utf-8")
    plan = plan_sync(out, rendered(), fmt="html", withdrawn_policy="remove")
    reasons = {a.slug: a.reason for a in plan.actions}
    assert plan.updated == [SLUGS[0], SLUGS[2]] and plan.unchanged == [SLUGS[1]]
    assert reasons[SLUGS[0]] == "file missing"
    assert reasons[SLUGS[2]] == "file differs from manifest (edited by hand?)"
    apply_sync(plan)
    assert plan_sync(out, rendered(), fmt="html", withdrawn_policy="remove").unchanged == SLUGS


def test_formats_share_a_folder_and_are_withdrawn_each_on_its_own(tmp_path: Path) -> None:
    out = tmp_path / "site"
    first_run(out)
    report = apply_sync(plan_sync(out, rendered(fmt="markdown"), fmt="markdown", withdrawn_policy="remove"))
    assert report.removed == [] and len(report.written) == 3
    pages = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file() and p.name != MANIFEST_NAME)
    assert [p.rsplit(".", 1)[1] for p in pages] == ["html", "md"] * 2 + ["html", "md"]
    assert set(read_manifest(out, "markdown").entries) == set(read_manifest(out, "html").entries) == set(SLUGS)
    # Withdrawing one Markdown page leaves every HTML page and the other Markdown pages.
    files = rendered(fmt="markdown")
    del files[SLUGS[0]]
    report = apply_sync(plan_sync(out, files, fmt="markdown", withdrawn_policy="remove"))
    assert report.removed == [f"2016/{SLUGS[0]}.md"]
    assert (out / f"2016/{SLUGS[0]}.html").is_file()
    assert set(read_manifest(out, "html").entries) == set(SLUGS)


def test_a_manifest_of_format_1_is_read_by_suffix_and_written_as_format_2(tmp_path: Path) -> None:
    out = tmp_path / "site"
    first_run(out)
    manifest = out / MANIFEST_NAME
    html = json.loads(manifest.read_text(encoding="utf-8"))["formats"]["html"]
    manifest.write_text(json.dumps({"format": 1, "generator": "bpod-i18n", "entries": html}), encoding="utf-8")
    plan = plan_sync(out, rendered(), fmt="html", withdrawn_policy="remove")
    assert plan.unchanged == SLUGS
    report = apply_sync(plan)
    assert report.manifest_written and json.loads(manifest.read_text(encoding="utf-8"))["format"] == 2


def test_written_pages_are_world_readable(tmp_path: Path) -> None:
    previous = os.umask(0o022)
    try:
        first_run(tmp_path / "site")
    finally:
        os.umask(previous)
    assert (tmp_path / "site/2016/2016-07-22-massing-to-defend.html").stat().st_mode & 0o777 == 0o644


def test_bad_manifests_are_input_errors(tmp_path: Path) -> None:
    out = tmp_path / "site"
    out.mkdir()
    manifest = out / MANIFEST_NAME
    manifest.write_text('{"format": 1,\n "entries": {\n', encoding="utf-8")
    with pytest.raises(InputError) as error:
        plan_sync(out, {}, fmt="html", withdrawn_policy="remove")
    assert (error.value.path, error.value.line) == (str(manifest), 3)
    record = {"path": "../../etc/passwd", "sha256": "0" * 64, "size": 1, "mtime_ns": 1, "versions": 1}
    manifest.write_text(json.dumps({"format": 1, "entries": {"evil": record}}), encoding="utf-8")
    with pytest.raises(InputError, match="not a relative path inside the output folder"):
        plan_sync(out, {}, fmt="html", withdrawn_policy="remove")


def test_bad_requests_are_usage_errors(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="withdrawn policy"):
        plan_sync(tmp_path, {}, fmt="html", withdrawn_policy="delete")  # type: ignore[arg-type]
    same = RenderedFile("2016/a.html", "x")
    with pytest.raises(UsageError, match=r"both render to 2016/a\.html"):
        plan_sync(tmp_path, {"a": same, "b": same}, fmt="html", withdrawn_policy="remove")
    with pytest.raises(UsageError, match="not a relative path"):
        RenderedFile("/etc/passwd", "x")

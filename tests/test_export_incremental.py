"""Export renders only the files whose inputs changed, and knows which without rendering them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import PAGES
from helpers import translate_po

from bpod_i18n.workflow import export as export_ops
from bpod_i18n.workflow import importer
from bpod_i18n.workflow import ingest as ingest_ops

MASSING = "2016-07-22-massing-to-defend"
KILLERS = "2016-04-30-trained-killers"


def _copy_pages(tmp_path: Path) -> Path:
    folder = tmp_path / "pages"
    shutil.copytree(PAGES, folder)
    return folder


def test_a_second_export_renders_nothing(project, tmp_path: Path) -> None:
    ingest_ops.ingest(project, [PAGES])
    first = export_ops.export(project, "ca")
    assert first.rendered == len(first.files) == 4
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in first.files}
    second = export_ops.export(project, "ca")
    assert (second.rendered, second.written, len(second.unchanged)) == (0, [], 4)
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in second.files} == before


def test_an_edited_entry_renders_only_its_file(project, tmp_path: Path) -> None:
    pages = _copy_pages(tmp_path)
    ingest_ops.ingest(project, [pages])
    export_ops.export(project, "ca")
    page = pages / f"{MASSING}.txt"
    page.write_text(page.read_text(encoding="utf-8").replace("raise the alarm", "sound the alarm"), encoding="utf-8")
    ingest_ops.ingest(project, [pages])
    report = export_ops.export(project, "ca")
    assert [p.name for p in report.written] == [f"{MASSING}.po"] and report.rendered == 1
    assert "sound the alarm" in (project.config.locales_path / "ca/2016" / f"{MASSING}.po").read_text(encoding="utf-8")


def test_a_new_translation_renders_only_its_entry(project, tmp_path: Path) -> None:
    ingest_ops.ingest(project, [PAGES])
    first = export_ops.export(project, "ca")
    path = next(p for p in first.files if p.name == f"{KILLERS}.po")
    copy = tmp_path / "killers.po"
    shutil.copy(path, copy)
    translate_po(copy, {"Trained Killers": "Assassins entrenats"})
    assert importer.import_files(project, [copy]).translated == 1
    report = export_ops.export(project, "ca")
    assert [p.name for p in report.written] == [f"{KILLERS}.po"] and report.rendered == 1
    assert 'msgstr "Assassins entrenats"' in path.read_text(encoding="utf-8")
    # Other locales are other files: es is untouched by the ca translation.
    assert export_ops.export(project, "es").rendered == 4
    assert export_ops.export(project, "es").rendered == 0


def test_a_changed_file_on_disk_or_a_lost_manifest_is_rendered_again(project, tmp_path: Path) -> None:
    ingest_ops.ingest(project, [PAGES])
    first = export_ops.export(project, "ca")
    path = next(p for p in first.files if p.name == f"{MASSING}.po")
    original = path.read_bytes()
    changed = original.replace(b"Massing to Defend", b"Massing to Defend!", 1)
    path.write_bytes(changed)
    # Changed on disk and not imported: rendered, compared, and left as it is.
    report = export_ops.export(project, "ca")
    assert (report.rendered, report.written, report.blocked) == (1, [], [path]) and path.read_bytes() == changed
    # --force saves it first, then writes it again.
    report = export_ops.export(project, "ca", force=True)
    assert report.rendered == 1 and report.written == [path] and path.read_bytes() == original
    assert [(p, b.read_bytes()) for p, b in report.backups] == [(path, changed)]
    path.unlink()
    report = export_ops.export(project, "ca")
    assert report.written == [path] and path.read_bytes() == original
    manifest = project.root / ".bpod-i18n/export/ca.json"
    manifest.write_text("{not json", encoding="utf-8")
    report = export_ops.export(project, "ca")
    assert (report.rendered, report.written) == (4, [])  # rendered and compared, nothing rewritten
    assert json.loads(manifest.read_text(encoding="utf-8"))["files"]


def test_a_changed_glossary_or_plural_forms_renders_every_file(project, cli, tmp_path: Path) -> None:
    from bpod_i18n.workflow.glossary_ops import annotator

    ingest_ops.ingest(project, [PAGES])
    export_ops.export(project, "ca", annotation=annotator(project, "ca"))
    assert export_ops.export(project, "ca", annotation=annotator(project, "ca")).rendered == 0
    assert cli("glossary", "add", "T cell", "limfòcit T", "-l", "ca").exit_code == 0
    report = export_ops.export(project, "ca", annotation=annotator(project, "ca"))
    assert report.rendered == 4
    assert "#. glossary: T cell → limfòcit T" in (project.config.locales_path / "ca/2016" / f"{MASSING}.po").read_text(
        encoding="utf-8"
    )
    project.config.plural_forms = {"ca": "nplurals=3; plural=(n==1 ? 0 : n==2 ? 1 : 2);"}
    assert export_ops.export(project, "ca", annotation=annotator(project, "ca")).rendered == 4


def test_the_cli_reports_what_it_rendered(cli, project_dir: Path) -> None:
    assert cli("ingest", str(PAGES)).exit_code == 0
    first = json.loads(cli("export", "-l", "ca", "--json").stdout)
    again = json.loads(cli("export", "-l", "ca", "--json").stdout)
    assert (len(first["written"]), first["rendered"]) == (4, 4)
    assert (again["written"], again["rendered"], len(again["unchanged"])) == ([], 0, 4)

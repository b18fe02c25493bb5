"""Export never destroys a translator's work: a PO file changed since export wrote it, and not
imported since, is left alone and listed (exit 1); --force saves it to a backup folder first."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import translate_po

from bpod_i18n.workflow import export as export_ops
from bpod_i18n.workflow import importer
from bpod_i18n.workflow import ingest as ingest_ops
from bpod_i18n.workflow.export_manifest import manifest_path
from bpod_i18n.workflow.project import Project

PAGES = Path(__file__).parent / "fixtures" / "pages"
MASSING = "2016-07-22-massing-to-defend"
TITLE = "Massing to Defend"


def po_file(project_dir: Path) -> Path:
    return project_dir / "locales/ca/2016" / f"{MASSING}.po"


def test_a_changed_file_is_left_alone_and_listed_until_it_is_imported(cli, project_dir: Path) -> None:
    assert cli("ingest", str(PAGES)).exit_code == 0
    assert cli("export", "-l", "ca").exit_code == 0
    path = po_file(project_dir)
    translate_po(path, {TITLE: "Concentrats per defensar-se"})  # work in progress, not imported
    in_progress = path.read_bytes()
    # Something else changes the entry's export (a reviewer's decision on another unit would too).
    assert cli("glossary", "add", "T cell", "limfòcit T", "-l", "ca").exit_code == 0
    result = cli("export", "-l", "ca")
    assert result.exit_code == 1
    assert "left alone 1 files changed since the last export and not imported" in result.stderr
    assert f"  {path}\n" in result.stderr
    assert path.read_bytes() == in_progress
    # The other files were written as usual.
    site = project_dir / "locales/ca/site.po"
    assert "limfòcit T" in (project_dir / "locales/ca/2016/2016-04-30-trained-killers.po").read_text(encoding="utf-8")
    assert site.exists()
    data = json.loads(cli("export", "-l", "ca", "--json").stdout)
    assert data["blocked"] == [str(path)]
    # Imported: its work is in the project, and export writes it again.
    assert cli("import", str(path), "--by", "marta").exit_code == 0
    result = cli("export", "-l", "ca")
    assert result.exit_code == 0, result.output
    text = path.read_text(encoding="utf-8")
    assert 'msgstr "Concentrats per defensar-se"' in text and "limfòcit T" in text


def test_force_saves_the_file_first_and_says_where(cli, project_dir: Path) -> None:
    assert cli("ingest", str(PAGES)).exit_code == 0
    assert cli("export", "-l", "ca").exit_code == 0
    path = po_file(project_dir)
    translate_po(path, {TITLE: "Concentrats per defensar-se"})
    in_progress = path.read_bytes()
    assert cli("glossary", "add", "T cell", "limfòcit T", "-l", "ca").exit_code == 0
    result = cli("export", "-l", "ca", "--force", "--json")
    assert result.exit_code == 0, result.output
    backups = json.loads(result.stdout)["backups"]
    assert [b["file"] for b in backups] == [str(path)]
    backup = Path(backups[0]["backup"])
    assert backup.read_bytes() == in_progress
    assert backup.is_relative_to(project_dir / ".bpod-i18n" / "backup")
    assert backup.relative_to(project_dir / ".bpod-i18n" / "backup").parts[1:] == path.relative_to(project_dir).parts
    assert "Concentrats" not in path.read_text(encoding="utf-8")
    # The text message says where too.
    translate_po(path, {TITLE: "Concentrats"})
    assert cli("glossary", "add", "B cell", "limfòcit B", "-l", "ca").exit_code == 0
    result = cli("export", "-l", "ca", "--force")
    assert result.exit_code == 0
    assert "saved 1 changed files to " in result.stderr and f"{path} → " in result.stderr


def test_a_file_exported_by_an_older_version_is_judged_by_its_size_and_time(project: Project) -> None:
    """Manifests written before hashes were kept have [fingerprint, size, mtime] records."""
    ingest_ops.ingest(project, [PAGES])
    export_ops.export(project, "ca")
    manifest = manifest_path(project.root, "ca")
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data = {"format": "2/0.1.0", "files": {k: ["old"] + v[1:3] for k, v in data["files"].items()}}
    manifest.write_text(json.dumps(data), encoding="utf-8")
    path = po_file(project.root)
    report = export_ops.export(project, "ca")
    assert (report.rendered, report.blocked) == (4, [])  # untouched since: rendered, nothing to protect
    data = {
        "format": "2/0.1.0",
        "files": {k: ["old"] + v[1:3] for k, v in json.loads(manifest.read_text())["files"].items()},
    }
    manifest.write_text(json.dumps(data), encoding="utf-8")
    translate_po(path, {TITLE: "Concentrats"})
    report = export_ops.export(project, "ca")
    assert report.blocked == [path] and "Concentrats" in path.read_text(encoding="utf-8")


def test_a_file_export_never_wrote_is_protected_too(project: Project) -> None:
    """A fresh checkout of a repository with translators' files, no manifest yet."""
    ingest_ops.ingest(project, [PAGES])
    export_ops.export(project, "ca")
    path = po_file(project.root)
    translate_po(path, {TITLE: "Concentrats"})
    manifest_path(project.root, "ca").unlink()
    report = export_ops.export(project, "ca")
    assert report.blocked == [path] and report.rendered == 4
    assert len(report.unchanged) == 3  # the others hold what export would write: nothing to do
    importer.import_files(project, [path], actor="marta")
    assert export_ops.export(project, "ca").blocked == []


def test_a_deleted_file_is_written_again(project: Project) -> None:
    ingest_ops.ingest(project, [PAGES])
    export_ops.export(project, "ca")
    path = po_file(project.root)
    path.unlink()
    report = export_ops.export(project, "ca")
    assert (report.written, report.blocked) == ([path], [])

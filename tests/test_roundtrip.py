"""The foundation path: ingest → export → translate in a PO editor → import → status,
then an English edit → re-ingest → stale unit with previous msgid → an old PO conflicts."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import polib
from helpers import snapshot, translate_po

from bpod_i18n.po import read_unit_file
from bpod_i18n.workflow import export as export_ops
from bpod_i18n.workflow import importer
from bpod_i18n.workflow import ingest as ingest_ops
from bpod_i18n.workflow import status as status_ops

PAGES = Path(__file__).parent / "fixtures" / "pages"
MASSING = "2016-07-22-massing-to-defend"

CA = {
    "Massing to Defend": "Concentrats per defensar-se",
    "On the front line of the immune system’s battle with pathogens, T cells raise the alarm and stimulate the body’s response to danger.": "A la primera línia de la batalla del sistema immunitari contra els patògens, els limfòcits T donen l’alarma.",
    "They become activated when protein receptors on their surfaces detect an outsider, triggering a suite of cellular processes to eventually destroy the pathogen and promote its detection around the body.": "S’activen quan els receptors proteics de la seua superfície detecten un intrús.",
}


def _ingest_and_export(project, tmp_path: Path) -> Path:
    ingest_ops.ingest(project, [PAGES])
    report = export_ops.export(project, "ca")
    return next(p for p in report.files if p.name == f"{MASSING}.po")


def test_export_writes_one_po_per_entry_and_the_site_catalog(project, tmp_path: Path) -> None:
    ingest_ops.ingest(project, [PAGES])
    report = export_ops.export(project, "ca")
    names = sorted(str(p.relative_to(project.config.locales_path)) for p in report.files)
    assert names == [
        "ca/2016/2016-04-30-trained-killers.po",
        "ca/2016/2016-07-22-massing-to-defend.po",
        "ca/2021/2021-06-19-reassessing-als.po",
        "ca/site.po",
    ]
    po = polib.pofile(str(project.config.locales_path / "ca/2016/2016-07-22-massing-to-defend.po"))
    assert po.metadata["Language"] == "ca"
    assert po.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert po.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert po.metadata["Project-Id-Version"] == f"BPoD {MASSING}"
    assert [e.msgid for e in po][:2] == ["Massing to Defend", list(CA)[1]]
    first = po[0]
    assert first.msgctxt and len(first.msgctxt) == 12
    assert first.comment == "Massing to Defend · 22 July 2016 · title"
    assert first.occurrences == [(f"{MASSING}/title", "1")]
    assert "paragraph 1, sentence 2" in po[2].comment
    site = polib.pofile(str(project.config.locales_path / "ca/site.po"))
    assert "Written by" in [e.msgid for e in site]
    assert "Search The Archive" in [e.msgid for e in site]
    # Chrome never becomes entry content.
    assert not any("Search The Archive" in e.msgid or e.msgid == "Written by" for e in po)


def test_exporting_twice_gives_byte_identical_files(project, tmp_path: Path) -> None:
    ingest_ops.ingest(project, [PAGES])
    first = export_ops.export(project, "ca")
    before = {p: p.read_bytes() for p in first.files}
    second = export_ops.export(project, "ca")
    assert second.written == []
    assert {p: p.read_bytes() for p in second.files} == before


def test_round_trip_translate_import_status(project, tmp_path: Path) -> None:
    path = _ingest_and_export(project, tmp_path)
    translate_po(path, CA, fuzzy={"Massing to Defend"})
    report = importer.import_files(project, [path])
    assert (report.translated, report.needs_work, report.conflicts) == (2, 1, [])
    status = status_ops.status(project, locale="ca")
    entry = next(e for e in status.entries if e.slug == MASSING)
    assert entry.locales["ca"].counts == {"translated": 2, "needs-work": 1, "untranslated": 3}
    # Import again: nothing changes.
    again = importer.import_files(project, [path])
    assert (again.translated, again.needs_work, again.unchanged) == (0, 0, 3 + 3)
    # The re-export carries the translations and the fuzzy flag.
    export_ops.export(project, "ca", slugs=[MASSING])
    po = polib.pofile(str(path))
    by_id = {e.msgid: e for e in po}
    assert by_id["Massing to Defend"].msgstr == "Concentrats per defensar-se"
    assert "fuzzy" in by_id["Massing to Defend"].flags
    assert "fuzzy" not in by_id[list(CA)[1]].flags
    assert po.metadata["Last-Translator"] == "Marta Puig <marta@uv.es>"


def test_edit_english_then_reingest_marks_stale_and_old_po_conflicts(project, tmp_path: Path) -> None:
    path = _ingest_and_export(project, tmp_path)
    translate_po(path, CA)
    importer.import_files(project, [path])
    old_po = tmp_path / "old-export.po"
    export_ops.export(project, "ca", slugs=[MASSING])
    shutil.copy(path, old_po)

    # The editor fixes the English of one sentence and removes another.
    edited = tmp_path / "edited" / f"{MASSING}.txt"
    edited.parent.mkdir()
    text = (PAGES / f"{MASSING}.txt").read_text(encoding="utf-8")
    text = text.replace("T cells raise the alarm", "T cells sound the alarm")
    text = text.replace(
        " For the first time, this behaviour has been observed in the cells’ natural environment, in a live animal, thanks to super-resolution microscopy; this image shows bright receptor micro-clusters in a mouse T cell.",
        "",
    )
    edited.write_text(text, encoding="utf-8")
    change = ingest_ops.ingest(project, [edited]).entries[0]
    assert (change.status, change.units_edited, change.units_retired, change.stale_translations) == ("updated", 1, 1, 1)
    # Unchanged entry: nothing to do.
    assert ingest_ops.ingest(project, [edited]).entries[0].status == "unchanged"

    export_ops.export(project, "ca", slugs=[MASSING])
    po = polib.pofile(str(path))
    stale = next(e for e in po if e.msgid.startswith("On the front line"))
    assert "T cells sound the alarm" in stale.msgid
    assert "fuzzy" in stale.flags
    assert stale.previous_msgid.startswith("On the front line") and "raise the alarm" in stale.previous_msgid
    assert stale.msgstr == list(CA.values())[1]  # old translation kept
    kept = next(e for e in po if e.msgid.startswith("They become activated"))
    assert kept.msgstr == list(CA.values())[2] and "fuzzy" not in kept.flags
    assert not any("super-resolution" in e.msgid for e in po)

    # A translator sends back the PO exported before the edit, with a new text everywhere.
    translate_po(old_po, {k: v + " (revisat)" for k, v in CA.items()})
    before = snapshot(project)
    report = importer.import_files(project, [old_po])
    reasons = sorted(c.reason.split(" since")[0] for c in report.conflicts)
    assert len(report.conflicts) == 1 and "English changed" in reasons[0]
    assert report.conflicts[0].line > 0 and report.conflicts[0].path == str(old_po)
    # The non-conflicting units were stored; the stale one kept its old translation.
    assert report.translated == 2
    after = read_unit_file(path)  # unchanged file on disk
    assert any(u.msgstr == list(CA.values())[1] for u in after.units)
    assert snapshot(project) != before


def test_import_refuses_to_overwrite_a_newer_translation(project, tmp_path: Path) -> None:
    path = _ingest_and_export(project, tmp_path)
    stale_copy = tmp_path / "stale-copy.po"
    shutil.copy(path, stale_copy)  # exported with X-Bpod-Revision 0
    translate_po(path, CA)
    importer.import_files(project, [path])
    translate_po(stale_copy, {"Massing to Defend": "Concentració defensiva"})
    report = importer.import_files(project, [stale_copy])
    assert len(report.conflicts) == 1
    assert "changed by" in report.conflicts[0].reason
    entry = next(e for e in status_ops.status(project, locale="ca").entries if e.slug == MASSING)
    assert entry.locales["ca"].counts["translated"] == 3


def test_cli_round_trip_with_json_and_exit_codes(cli, project_dir: Path, tmp_path: Path) -> None:
    result = cli("ingest", str(PAGES), "--json")
    assert result.exit_code == 0, result.output
    ingested = json.loads(result.stdout)
    assert sorted(e["slug"] for e in ingested) == ["2016-04-30-trained-killers", MASSING, "2021-06-19-reassessing-als"]
    assert cli("export", "--locale", "ca").exit_code == 0
    po_path = project_dir / "locales/ca/2016" / f"{MASSING}.po"
    old = tmp_path / "old.po"
    shutil.copy(po_path, old)
    translate_po(po_path, CA)
    result = cli("import", str(po_path), "--by", "marta", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["translated"] == 3
    status = json.loads(cli("status", "--locale", "ca", "--json").stdout)
    assert status["locales"]["ca"]["translated"] == 3
    history = json.loads(cli("history", MASSING, "--json").stdout)
    assert {(e["actor"], e["action"], e["to_state"]) for e in history} == {("marta", "translate", "translated")}
    # A stale PO: exit 1, conflict on stderr naming file and line.
    translate_po(old, {"Massing to Defend": "Una altra cosa"})
    result = cli("import", str(old))
    assert result.exit_code == 1
    assert f"{old}:" in result.stderr and "conflict on unit" in result.stderr


def test_a_title_edit_updates_the_entry_named_by_its_file(project, tmp_path: Path) -> None:
    ingest_ops.ingest(project, [PAGES])
    edited = tmp_path / f"{MASSING}.txt"
    edited.write_text(
        (PAGES / f"{MASSING}.txt").read_text(encoding="utf-8").replace("Massing to Defend", "Massing to Protect")
    )
    change = ingest_ops.ingest(project, [edited]).entries[0]
    assert (change.slug, change.status, change.units_edited) == (MASSING, "updated", 1)
    from bpod_i18n.workflow.entries import list_entries

    titles = {e.slug: e.title for e in list_entries(project)}
    assert titles[MASSING] == "Massing to Protect" and len(titles) == 3


def test_parallel_export_writes_the_same_bytes_as_serial(project, monkeypatch) -> None:
    ingest_ops.ingest(project, [PAGES])
    serial = {p: p.read_bytes() for p in export_ops.export(project, "ca").files}
    for path in serial:
        path.unlink()
    monkeypatch.setattr(export_ops, "PARALLEL_FROM", 1)  # worker processes even for 4 files
    report = export_ops.export(project, "ca")
    assert sorted(report.written) == sorted(serial)
    assert {p: p.read_bytes() for p in report.files} == serial


def test_a_file_named_twice_is_imported_once(project) -> None:
    ingest_ops.ingest(project, [PAGES])
    path = next(p for p in export_ops.export(project, "ca").files if p.name == f"{MASSING}.po")
    translate_po(path, CA)
    report = importer.import_files(project, [path, path.parent / ".." / "2016" / path.name])
    assert (report.files, report.translated, report.conflicts) == (1, 3, [])

"""TMX 1.4b export and import of the translation memory, ranking of memory pairs, and a
real CAT tool (Debian's OmegaT in console mode) filling exact matches from our TMX."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import lxml.etree
import pytest
from helpers import snapshot
from sqlalchemy import select

from bpod_i18n.mt.tm import IMPORTED_TIER, MIRROR_TIER, TMRecord, TranslationMemory
from bpod_i18n.store.models import TMEntry
from bpod_i18n.workflow.project import Project

SOURCE = "T cells raise the alarm."
TMX = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd">
<tmx version="1.4">
  <header creationtool="OmegaT" creationtoolversion="6.0" segtype="sentence" o-tmf="OmegaT TMX"
          adminlang="EN-US" srclang="EN-GB" datatype="plaintext"/>
  <body>
    <tu creationid="marta" creationdate="20240101T100000Z" changeid="joan" changedate="20240202T110000Z">
      <prop type="x-bpod-origin">mirror</prop>
      <prop type="x-bpod-confidence">0.875</prop>
      <prop type="x-bpod-source">https://www.bpod.cat/fotos/x/</prop>
      <tuv xml:lang="EN-GB"><seg>T cells raise the alarm.</seg></tuv>
      <tuv xml:lang="CA"><seg>Els limfòcits T donen l’alarma.</seg></tuv>
      <tuv xml:lang="fr"><seg>Les lymphocytes T donnent l’alarme.</seg></tuv>
    </tu>
    <tu>
      <tuv xml:lang="en"><seg>Cells <bpt i="1">&lt;b&gt;</bpt>divide<ept i="1">&lt;/b&gt;</ept>.</seg></tuv>
      <tuv xml:lang="ca-ES"><seg>Les cèl·lules <bpt i="1">&lt;b&gt;</bpt>es divideixen<ept i="1">&lt;/b&gt;</ept>.</seg></tuv>
    </tu>
  </body>
</tmx>
"""


def test_tmx_import_then_export_keeps_ids_dates_and_origin(cli, project: Project, tmp_path: Path) -> None:
    source = tmp_path / "in.tmx"
    source.write_text(TMX, encoding="utf-8")

    result = cli("tm", "import", str(source), "--json")

    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == {
        "path": str(source),
        "read": 3,
        "added": 2,
        "updated": 0,
        "unchanged": 0,
        "other_languages": {"fr": 1},
    }
    with project.store.transaction(write=False) as session:
        rows = {r.source_text: r for r in session.scalars(select(TMEntry))}
    first = rows[SOURCE]
    assert (first.target_lang, first.origin, first.confidence, first.creation_id, first.change_id) == (
        "ca",
        "mirror",
        0.875,
        "marta",
        "joan",
    )
    assert rows["Cells divide."].target_text == "Les cèl·lules es divideixen."  # inline codes dropped
    assert rows["Cells divide."].origin == "tmx"
    # Importing again changes nothing.
    before = snapshot(project)
    assert json.loads(cli("tm", "import", str(source), "--json").stdout)["unchanged"] == 2
    assert snapshot(project) == before

    out = tmp_path / "out.tmx"
    assert cli("tm", "export", str(out), "--format", "tmx").exit_code == 0
    doc = lxml.etree.parse(str(out))
    assert doc.docinfo.doctype == '<!DOCTYPE tmx SYSTEM "tmx14.dtd">'
    assert doc.getroot().get("version") == "1.4"
    tu = doc.xpath("//tu[tuv/seg='T cells raise the alarm.']")[0]
    assert (tu.get("creationid"), tu.get("creationdate"), tu.get("changeid"), tu.get("changedate")) == (
        "marta",
        "20240101T100000Z",
        "joan",
        "20240202T110000Z",
    )
    props = {p.get("type"): p.text for p in tu.findall("prop")}
    assert props == {
        "x-bpod-origin": "mirror",
        "x-bpod-confidence": "0.875",
        "x-bpod-source": "https://www.bpod.cat/fotos/x/",
    }


def test_a_file_that_is_not_tmx_is_refused(cli, project: Project, tmp_path: Path) -> None:
    bad = tmp_path / "bad.tmx"
    bad.write_text("<tmx version='1.4'><body><tu>\n<tuv>", encoding="utf-8")
    before = snapshot(project)
    result = cli("tm", "import", str(bad))
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0 and "bad.tmx:" in result.stderr and "not a TMX file" in result.stderr
    assert snapshot(project) == before


def test_memory_ranks_project_translations_before_the_mirror_before_tmx() -> None:
    memory = TranslationMemory(
        [
            TMRecord(SOURCE, "imported", IMPORTED_TIER, "file", ""),
            TMRecord(SOURCE, "mirror", MIRROR_TIER, "slug", ""),
            TMRecord(SOURCE, "translated", "translated", "slug", "u1"),
            TMRecord(SOURCE, "reviewed", "reviewed", "slug", "u2"),
        ]
    )
    assert [m.target for m in memory.lookup(SOURCE, limit=4)] == ["reviewed", "translated", "mirror", "imported"]
    mirror_only = TranslationMemory([TMRecord(SOURCE, "mirror", MIRROR_TIER, "slug", "")])
    assert mirror_only.lookup(SOURCE)[0].exact


OMEGAT_PROJECT = """<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<omegat>
  <project version="1.0">
    <source_dir>__DEFAULT__</source_dir>
    <source_dir_excludes/>
    <target_dir>__DEFAULT__</target_dir>
    <tm_dir>__DEFAULT__</tm_dir>
    <glossary_dir>__DEFAULT__</glossary_dir>
    <glossary_file>__DEFAULT__</glossary_file>
    <dictionary_dir>__DEFAULT__</dictionary_dir>
    <source_lang>en</source_lang>
    <target_lang>ca</target_lang>
    <source_tok>org.omegat.tokenizer.LuceneEnglishTokenizer</source_tok>
    <target_tok>org.omegat.tokenizer.LuceneCatalanTokenizer</target_tok>
    <sentence_seg>true</sentence_seg>
    <support_default_translations>true</support_default_translations>
    <remove_tags>false</remove_tags>
  </project>
</omegat>
"""


@pytest.mark.omegat
def test_omegat_fills_exact_matches_from_our_tmx(cli, project: Project, tmp_path: Path) -> None:
    omegat = shutil.which("omegat")
    if omegat is None:
        pytest.skip("Debian's omegat is not installed (apt-get install -y omegat; .ci/run installs it)")
    source = tmp_path / "in.tmx"
    source.write_text(TMX, encoding="utf-8")
    assert cli("tm", "import", str(source)).exit_code == 0
    root = tmp_path / "omegat-project"
    for folder in ("source", "target", "tm/auto", "glossary", "dictionary", "omegat"):
        (root / folder).mkdir(parents=True)
    (root / "omegat.project").write_text(OMEGAT_PROJECT, encoding="utf-8")
    (root / "source" / "entry.txt").write_text(f"{SOURCE}\n\nAn untranslated sentence.\n", encoding="utf-8")
    assert cli("tm", "export", str(root / "tm" / "auto" / "bpod.tmx"), "-l", "ca").exit_code == 0

    done = subprocess.run(
        [omegat, str(root), "--mode=console-translate", "--no-team"],
        capture_output=True,
        text=True,
        timeout=300,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8"},
        check=False,
    )

    target = root / "target" / "entry.txt"
    assert target.is_file(), done.stdout + done.stderr
    translated = target.read_text(encoding="utf-8")
    assert "Els limfòcits T donen l’alarma." in translated
    assert "An untranslated sentence." in translated  # no match: left in English

"""`bpod-i18n glossary ...` and the glossary in the workflow: real files in, files and exit codes out."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import polib
import pytest
from helpers import translate_po

from bpod_i18n.checks.base import UnitText, locale_rules
from bpod_i18n.glossary import load_pair
from bpod_i18n.glossary.tbx_io import parse_tbx
from bpod_i18n.workflow.glossary_check import glossary_check
from bpod_i18n.workflow.glossary_ops import annotator

TESTS = Path(__file__).parent
STARTER_CA = TESTS.parent / "bpod_i18n" / "data" / "glossary" / "en-ca.csv"
GLOSSARY_FIXTURES = TESTS / "fixtures" / "glossary"
PAGES = TESTS / "fixtures" / "pages"
MASSING = "2016-07-22-massing-to-defend"
ALS = "2021-06-19-reassessing-als"
T_CELLS_EN = (
    "On the front line of the immune system’s battle with pathogens, T cells raise the alarm and "
    "stimulate the body’s response to danger."
)


@pytest.fixture
def termbase_file(project_dir: Path) -> Path:
    """The starter en-ca glossary copied into the project."""
    path = project_dir / "glossary" / "en-ca.csv"
    shutil.copy(STARTER_CA, path)
    return path


def ok(result) -> str:  # type: ignore[no-untyped-def]
    assert result.exit_code == 0, result.output
    return result.stdout


# ---------------------------------------------------------------------------- editing


def test_add_inserts_one_row_at_its_sorted_place(cli, termbase_file: Path) -> None:
    before = termbase_file.read_text(encoding="utf-8").splitlines(keepends=True)
    out = ok(cli("glossary", "add", "microglia", "micròglia", "-l", "ca", "--pos", "noun", "--note", "TERMCAT"))
    assert out == f"added: microglia → micròglia (preferred) in {termbase_file}\n"
    assert before[50].startswith("metastasis,") and before[51].startswith("microscope,")
    expected = before[:51] + ["microglia,micròglia,noun,preferred,no,,TERMCAT\n"] + before[51:]
    assert termbase_file.read_text(encoding="utf-8").splitlines(keepends=True) == expected


def test_add_do_not_translate_and_again_is_unchanged(cli, termbase_file: Path) -> None:
    result = json.loads(
        ok(cli("glossary", "add", "Xenopus laevis", "-l", "ca", "--dnt", "--pos", "properNoun", "--json"))
    )
    assert result == {
        "outcome": "added",
        "term": {
            "source": "Xenopus laevis",
            "target": "Xenopus laevis",
            "pos": "properNoun",
            "status": "preferred",
            "dnt": True,
            "case": "auto",
            "note": "",
        },
        "path": str(termbase_file),
    }
    assert "Xenopus laevis,Xenopus laevis,properNoun,preferred,yes,,\n" in termbase_file.read_text(encoding="utf-8")
    after_first = termbase_file.read_bytes()
    again = json.loads(
        ok(cli("glossary", "add", "Xenopus laevis", "-l", "ca", "--dnt", "--pos", "properNoun", "--json"))
    )
    assert again["outcome"] == "unchanged"
    assert termbase_file.read_bytes() == after_first


def test_add_refuses_to_change_details_without_replace(cli, termbase_file: Path) -> None:
    before = termbase_file.read_bytes()
    result = cli("glossary", "add", "mouse", "ratolí", "-l", "ca", "--status", "admitted")
    assert result.exit_code == 2
    assert "'mouse' → 'ratolí' is already in the en-ca glossary with other details" in result.stderr
    assert termbase_file.read_bytes() == before
    out = ok(cli("glossary", "add", "mouse", "ratolí", "-l", "ca", "--status", "admitted", "--replace"))
    assert out.startswith("updated: mouse → ratolí (admitted)")
    assert "mouse,ratolí,noun,admitted,no,,seen on bpod.cat (the Catalan mirror)\n" not in termbase_file.read_text()
    assert "\nmouse,ratolí,,admitted,no,,\n" in termbase_file.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["T cell", "", "-l", "ca"], "target term of 'T cell' is empty"),
        (["T cell", "limfòcit T", "-l", "ca", "--pos", "nom"], "part of speech must be one of"),
        (["T cell", "limfòcit T", "-l", "fr"], "locale 'fr' is not one of this project's locales"),
    ],
)
def test_add_refuses_bad_terms_and_writes_nothing(cli, project_dir: Path, args: list[str], message: str) -> None:
    result = cli("glossary", "add", *args)
    assert result.exit_code == 2 and message in result.stderr
    assert list((project_dir / "glossary").iterdir()) == []


def test_list_json_and_search(cli, termbase_file: Path) -> None:
    listing = json.loads(ok(cli("glossary", "list", "-l", "ca", "--json")))
    assert listing["pair"] == "en-ca" and listing["path"] == str(termbase_file) and listing["exists"] is True
    assert len(listing["terms"]) == 84
    assert listing["terms"][0] == {
        "source": "ALS",
        "target": "ELA",
        "pos": "noun",
        "status": "preferred",
        "dnt": False,
        "case": "auto",
        "note": "Viquipèdia; Catalan press",
    }
    found = json.loads(ok(cli("glossary", "list", "-l", "ca", "--search", "FRUIT FLY", "--json")))
    assert [(t["source"], t["target"], t["status"]) for t in found["terms"]] == [
        ("Drosophila melanogaster", "Drosophila melanogaster", "preferred"),  # its note says "(fruit fly)"
        ("fruit fly", "mosca del vinagre", "preferred"),
        ("fruit fly", "mosca de la fruita", "admitted"),
    ]
    table = ok(cli("glossary", "list", "-l", "ca", "--search", "fruit fly"))
    assert table.startswith("Glossary en-ca\n") and table.endswith(f"3 terms matching in {termbase_file}\n")


def test_list_without_a_file_is_empty(cli, project_dir: Path) -> None:
    listing = json.loads(ok(cli("glossary", "list", "-l", "es", "--json")))
    assert listing == {
        "pair": "en-es",
        "path": str(project_dir / "glossary" / "en-es.csv"),
        "exists": False,
        "terms": [],
    }


def test_remove_one_rendering_then_unknown(cli, termbase_file: Path) -> None:
    before = termbase_file.read_text(encoding="utf-8")
    removed = json.loads(ok(cli("glossary", "remove", "fruit fly", "mosca de la fruita", "-l", "ca", "--json")))
    assert [t["target"] for t in removed["removed"]] == ["mosca de la fruita"]
    line = "fruit fly,mosca de la fruita,noun,admitted,no,,Catalan press (arabalears.cat); the mirror uses mosca del vinagre\n"
    assert termbase_file.read_text(encoding="utf-8") == before.replace(line, "")
    result = cli("glossary", "remove", "fruit fly", "mosca de la fruita", "-l", "ca")
    assert result.exit_code == 2 and "'fruit fly' → 'mosca de la fruita' is not in the en-ca glossary" in result.stderr


# ---------------------------------------------------------------------------- import / export


def test_import_partner_tbx(cli, project_dir: Path) -> None:
    report = json.loads(
        ok(cli("glossary", "import", str(GLOSSARY_FIXTURES / "partner-tbx-v3.tbx"), "-l", "ca", "--json"))
    )
    path = project_dir / "glossary" / "en-ca.csv"
    assert report == {
        "path": str(path),
        "from": str(GLOSSARY_FIXTURES / "partner-tbx-v3.tbx"),
        "added": 4,
        "updated": 0,
        "unchanged": 0,
        "skipped": 1,
        "total": 4,
    }
    assert path.read_text(encoding="utf-8") == (
        "source,target,pos,status,dnt,case,note\n"
        "Danio rerio,Danio rerio,properNoun,admitted,yes,,\n"
        "stem cells,cèl·lules mare,,preferred,no,,\n"
        "stem cells,cèl·lules troncals,,admitted,no,,\n"
        "zebrafish,peix zebra,noun,preferred,no,,UV house style\n"
    )
    again = json.loads(
        ok(cli("glossary", "import", str(GLOSSARY_FIXTURES / "partner-tbx-v3.tbx"), "-l", "ca", "--json"))
    )
    assert (again["added"], again["unchanged"]) == (0, 4)


def test_malformed_csv_is_refused_with_file_and_line(cli, termbase_file: Path) -> None:
    before = termbase_file.read_bytes()
    bad = GLOSSARY_FIXTURES / "malformed-status.csv"
    result = cli("glossary", "import", str(bad), "-l", "ca")
    assert result.exit_code == 2
    assert f"{bad}:3: status must be preferred, admitted or forbidden, not 'maybe'" in result.stderr
    assert termbase_file.read_bytes() == before


def test_malformed_project_glossary_stops_export_with_file_and_line(cli, project_dir: Path) -> None:
    shutil.copy(GLOSSARY_FIXTURES / "malformed-status.csv", project_dir / "glossary" / "en-ca.csv")
    assert cli("ingest", str(PAGES)).exit_code == 0
    result = cli("export", "-l", "ca")
    assert result.exit_code == 2
    assert f"{project_dir / 'glossary' / 'en-ca.csv'}:3: status must be" in result.stderr
    assert cli("export", "-l", "ca", "--no-glossary").exit_code == 0


def test_export_tbx_and_import_it_back_gives_the_same_termbase(cli, termbase_file: Path, tmp_path: Path) -> None:
    original = termbase_file.read_bytes()
    tbx = tmp_path / "out" / "bpod-en-ca.tbx"
    assert json.loads(ok(cli("glossary", "export", str(tbx), "-l", "ca", "--json"))) == {
        "path": str(tbx),
        "format": "tbx",
        "terms": 84,
    }
    assert tbx.read_bytes().startswith(b"<?xml") and b"urn:iso:std:iso:30042:ed-2" in tbx.read_bytes()
    termbase_file.unlink()
    report = json.loads(ok(cli("glossary", "import", str(tbx), "-l", "ca", "--json")))
    assert (report["added"], report["skipped"], report["total"]) == (84, 0, 84)
    assert termbase_file.read_bytes() == original


def test_export_format_option_and_unknown_suffix(cli, termbase_file: Path, tmp_path: Path) -> None:
    xml = tmp_path / "terms.xml"
    assert (
        ok(cli("glossary", "export", str(xml), "-l", "ca", "--format", "tbx")) == f"84 terms written to {xml} (TBX)\n"
    )
    written, _ = parse_tbx(xml.read_bytes(), path=xml, source_lang="en", target_lang="ca")
    assert written.terms == load_pair(termbase_file.parent, "en", "ca").terms
    result = cli("glossary", "export", str(tmp_path / "terms.txt"), "-l", "ca")
    assert result.exit_code == 2 and "--format tbx or csv" in result.stderr
    assert not (tmp_path / "terms.txt").exists()


# ---------------------------------------------------------------------------- suggest


def test_suggest_finds_motor_neurons_in_the_sample_pages(cli) -> None:
    assert cli("ingest", str(PAGES)).exit_code == 0
    candidates = json.loads(ok(cli("glossary", "suggest", "-l", "ca", "--json")))
    motor = next(c for c in candidates if c["text"] == "motor neurons")
    assert motor["count"] == 6
    assert motor["slug"] == ALS
    assert motor["example"] == (
        "Loss of connections between interneurons \u2013 the cells that control motor neurons \u2013\u00a0plays a role in "
        "development of motor neuron disease (ALS)"
    )
    assert motor["forms"] == ["motor neurons", "motor neuron"]  # "motor neuron disease" in the standfirst
    assert all(c["count"] >= 3 for c in candidates)
    assert (
        ok(cli("glossary", "suggest", "-l", "ca", "--limit", "1", "--json"))
        == json.dumps(candidates[:1], ensure_ascii=False, indent=2) + "\n"
    )


def test_suggest_leaves_out_what_the_glossary_has(cli, termbase_file: Path) -> None:
    assert cli("ingest", str(PAGES)).exit_code == 0
    candidates = json.loads(ok(cli("glossary", "suggest", "-l", "ca", "--min-count", "2", "--json")))
    assert [(c["text"], c["count"]) for c in candidates] == [("micro-clusters", 2)]
    assert cli("glossary", "suggest", "-l", "ca", "--min-count", "1").exit_code == 2


# ---------------------------------------------------------------------------- hints in PO files


def test_export_carries_glossary_hints_and_no_glossary_omits_them(cli, project_dir: Path, termbase_file: Path) -> None:
    assert cli("ingest", str(PAGES)).exit_code == 0
    assert cli("export", "-l", "ca", "--entry", MASSING).exit_code == 0
    po_path = project_dir / "locales" / "ca" / "2016" / f"{MASSING}.po"
    unit = next(e for e in polib.pofile(str(po_path)) if e.msgid == T_CELLS_EN)
    assert unit.comment.splitlines()[1:] == [
        "glossary: immune system → sistema immunitari",
        "glossary: pathogen → patogen (admitted)",
        "glossary: T cell → limfòcit T",
    ]
    assert "#. glossary: T cell → limfòcit T\n" in po_path.read_text(encoding="utf-8")
    assert cli("export", "-l", "ca", "--entry", MASSING, "--no-glossary").exit_code == 0
    text = po_path.read_text(encoding="utf-8")
    assert "glossary:" not in text and T_CELLS_EN.split(",")[0] in text


def test_annotator_without_a_glossary_file_still_marks_gene_symbols(project) -> None:
    annotate = annotator(project, "es").hints
    assert annotate("Sox2 and Oct4 keep stem cells young.") == [
        "glossary: Sox2 (do not translate)",
        "glossary: Oct4 (do not translate)",
    ]
    lines = annotate("Sox2 and Oct4 keep stem cells young.")
    lines.append("changed by a caller")
    assert len(annotate("Sox2 and Oct4 keep stem cells young.")) == 2  # the cache is not shared out
    assert annotate("Plain words only.") == []


# ---------------------------------------------------------------------------- glossary check


def test_check_flags_a_missing_term_and_a_changed_do_not_translate_term(
    cli, project_dir: Path, termbase_file: Path
) -> None:
    assert ok(cli("glossary", "add", "BPoD", "-l", "ca", "--dnt", "--note", "brand name")).startswith("added: BPoD")
    assert cli("ingest", str(PAGES)).exit_code == 0
    assert cli("export", "-l", "ca").exit_code == 0
    entry_po = project_dir / "locales" / "ca" / "2016" / f"{MASSING}.po"
    site_po = project_dir / "locales" / "ca" / "site.po"
    translate_po(
        entry_po,
        {
            "Massing to Defend": "Concentrats per defensar-se",
            T_CELLS_EN: "A la primera línia de la batalla del sistema immunitari contra els patògens, les cèl·lules T "
            "donen l’alarma i estimulen la resposta del cos al perill.",
        },
    )
    translate_po(site_po, {"BPoD has moved!": "El BPdD s’ha traslladat!", "What is BPoD?": "Què és BPoD?"})
    assert cli("import", str(entry_po), str(site_po), "--by", "marta").exit_code == 0

    result = cli("glossary", "check", "-l", "ca", "--json")
    assert result.exit_code == 1
    found = [
        (p["slug"], p["field"], p["kind"], p["term"], p["expected"], p["message"]) for p in json.loads(result.stdout)
    ]
    assert found == [
        (MASSING, "body.1", "missing-term", "T cell", "limfòcit T", '"T cell" should be translated as "limfòcit T"'),
        (
            "site",
            "banner.moved",
            "dnt-changed",
            "BPoD",
            "BPoD",
            '"BPoD" must appear unchanged in the translation (do not translate)',
        ),
    ]
    text = cli("glossary", "check", "-l", "ca")
    assert text.exit_code == 1
    assert text.stdout.endswith("2 glossary problems in 2 units (ca)\n")
    assert "    ca: El BPdD s’ha traslladat!\n" in text.stdout

    only_entry = cli("glossary", "check", "-l", "ca", "--entry", MASSING, "--json")
    assert only_entry.exit_code == 1 and len(json.loads(only_entry.stdout)) == 1
    assert cli("glossary", "check", "-l", "ca", "--entry", "no-such-entry").exit_code == 2


def test_check_passes_when_translations_follow_the_glossary(cli, project_dir: Path, termbase_file: Path) -> None:
    assert cli("ingest", str(PAGES)).exit_code == 0
    assert cli("export", "-l", "ca", "--entry", MASSING).exit_code == 0
    entry_po = project_dir / "locales" / "ca" / "2016" / f"{MASSING}.po"
    translate_po(
        entry_po,
        {
            T_CELLS_EN: "A la primera línia de la batalla del sistema immunitari contra els patògens, els limfòcits T "
            "donen l’alarma i estimulen la resposta del cos al perill.",
        },
    )
    assert cli("import", str(entry_po)).exit_code == 0
    result = cli("glossary", "check", "-l", "ca")
    assert result.exit_code == 0 and result.stdout == "No glossary problems in ca.\n"
    assert json.loads(ok(cli("glossary", "check", "-l", "es", "--json"))) == []


def test_glossary_check_for_po_files_uses_the_locale_termbase(project, termbase_file: Path) -> None:
    check = glossary_check(project.config)
    wrong = UnitText(T_CELLS_EN, "… les cèl·lules T donen l’alarma …", locale_rules("ca"))
    right = UnitText(T_CELLS_EN, "… el sistema immunitari, els patògens, els limfòcits T …", locale_rules("ca"))
    assert check.check(wrong) == (
        '"immune system" should be translated as "sistema immunitari"; '
        '"pathogen" should be translated as "patogen"; "T cell" should be translated as "limfòcit T"'
    )
    assert check.check(right) is None

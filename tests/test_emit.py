"""bpod-i18n emit: reviewed translations in, mirror pages out (byte for byte), exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from emit_fixtures import (
    ALS,
    EXPECTED,
    KILLERS,
    MASSING,
    PAGES,
    catalan_project,
    emit_json,
    ok,
    retranslate,
    uid_of,
)
from helpers import tree_digest

MANIFEST = ".bpod-i18n-manifest.json"


@pytest.fixture
def catalan(cli, project_dir: Path) -> Path:
    catalan_project(cli, project_dir)
    return project_dir


def pages(folder: Path) -> dict[str, str]:
    """The emitted pages (manifest left out) by relative path."""
    return {path: digest for path, digest in tree_digest(folder).items() if path != MANIFEST}


@pytest.mark.parametrize(
    ("expected", "args"),
    [
        ("reviewed-html", []),
        ("reviewed-markdown", ["--format", "markdown"]),
        ("translated-fallback-html", ["--min-state", "translated", "--min-complete", "75", "--fallback-english"]),
    ],
)
def test_emitted_pages_match_the_expected_files(
    cli, catalan: Path, tmp_path: Path, expected: str, args: list[str]
) -> None:
    out = tmp_path / "mirror"
    result = ok(cli("emit", "--locale", "ca", "--out", str(out), *args))
    assert pages(out) == pages(EXPECTED / expected)
    assert (out / MANIFEST).is_file()
    if expected.startswith("reviewed"):
        assert "22 de juliol de 2016" in (out / "2016" / f"{MASSING}.{'md' if args else 'html'}").read_text()
        assert f"not ready  {KILLERS}: 8 of 8 sentences below reviewed (8 translated" in result.stderr
        assert f"not ready  {ALS}: 9 of 9 sentences below reviewed (2 untranslated, 7 translated" in result.stderr
        assert "1 new, 0 updated, 0 unchanged, 0 withdrawn; 2 not ready at reviewed" in result.stdout


def test_not_ready_entries_are_listed_with_what_is_missing_and_not_written(cli, catalan: Path, tmp_path: Path) -> None:
    out = tmp_path / "mirror"
    report = emit_json(cli, out)
    assert [item["slug"] for item in report["new"]] == [MASSING]
    assert report["new"][0] == {
        "slug": MASSING,
        "path": f"2016/{MASSING}.html",
        "reason": "not in manifest",
        "english_fallback": [],
    }
    killers_title, als_title = uid_of(cli, KILLERS, "title"), uid_of(cli, ALS, "title")
    assert report["not_ready"] == [
        {
            "slug": KILLERS,
            "reason": "8 of 8 sentences below reviewed",
            "complete_percent": 0.0,
            "counts": {"translated": 8},
            "missing": [killers_title, *report["not_ready"][0]["missing"][1:]],
        },
        {
            "slug": ALS,
            "reason": "9 of 9 sentences below reviewed",
            "complete_percent": 0.0,
            "counts": {"untranslated": 2, "translated": 7},
            "missing": [als_title, *report["not_ready"][1]["missing"][1:]],
        },
    ]
    assert all(len(item["missing"]) == 5 for item in report["not_ready"])
    assert sorted(pages(out)) == [f"2016/{MASSING}.html"]


def test_min_state_translated_publishes_unreviewed_entries(cli, catalan: Path, tmp_path: Path) -> None:
    report = emit_json(cli, tmp_path / "mirror", "--min-state", "translated")
    assert [item["slug"] for item in report["new"]] == [KILLERS, MASSING]
    assert report["min_state"] == "translated"
    (als,) = report["not_ready"]
    assert als["slug"] == ALS and als["reason"] == "2 of 9 sentences below translated"
    assert als["complete_percent"] == 77.8 and als["missing"] == [
        uid_of(cli, ALS, "body.1", 6),
        uid_of(cli, ALS, "body.1", 7),
    ]


def test_min_complete_without_fallback_does_not_emit_a_partial_entry(cli, catalan: Path, tmp_path: Path) -> None:
    out = tmp_path / "mirror"
    report = emit_json(cli, out, "--min-state", "translated", "--min-complete", "75")
    assert report["not_ready"][0]["reason"] == (
        "2 of 9 sentences below translated: 78% complete, but the gaps need --fallback-english to be shown in English"
    )
    assert not (out / "2021").exists()
    report = emit_json(cli, out, "--min-state", "translated", "--min-complete", "80", "--fallback-english")
    assert (
        report["not_ready"][0]["reason"] == "2 of 9 sentences below translated: 78% complete, under --min-complete 80%"
    )
    report = emit_json(cli, out, "--min-state", "translated", "--min-complete", "75", "--fallback-english")
    assert report["new"] == [
        {"slug": ALS, "path": f"2021/{ALS}.html", "reason": "not in manifest", "english_fallback": ["body.1"]}
    ]
    page = (out / "2021" / f"{ALS}.html").read_text()
    # The paragraph is partly Catalan: only its English sentences are marked lang="en".
    assert "<p>L'esclerosi lateral" in page
    assert (
        '<span lang="en">Furthermore, silencing interneurons in healthy mice led to ALS-like coordination '
        "problems.</span>" in page
    )
    assert "<h1>Revisant l'ELA</h1>" in page


def test_untranslated_emit_gives_back_the_english_entry(cli, project_dir: Path, tmp_path: Path) -> None:
    """The golden round trip: ingest, then emit with everything in English."""
    ok(cli("ingest", str(PAGES)))
    report = emit_json(cli, tmp_path / "mirror", "--format", "json", "--min-complete", "0", "--fallback-english")
    assert [item["slug"] for item in report["new"]] == [KILLERS, MASSING, ALS]
    page = json.loads((tmp_path / "mirror/2016" / f"{KILLERS}.json").read_text())
    text = (PAGES / f"{KILLERS}.txt").read_text()
    assert page["title"] == "Trained Killers" and page["author"] == "Kat Arney"
    assert page["paragraphs"] == [line for line in text.splitlines() if line.startswith("Imagine being able")]
    assert page["notices"] == [line for line in text.splitlines() if line.startswith("Entries for this year")]
    assert page["english_fallback"] == ["title", "body.1", "notice.1"]
    assert page["date_display"] == "30 d'abril de 2016"


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--entry", MASSING], 0, ""),
        (["--entry", ALS], 1, f"not ready  {ALS}"),
        (["--entry", MASSING, "--entry", ALS], 1, f"not ready  {ALS}"),
        ([], 0, f"not ready  {ALS}"),
        (["--strict"], 1, f"not ready  {ALS}"),
        (["--strict", "--min-state", "translated", "--min-complete", "70", "--fallback-english"], 0, ""),
        (["--entry", "2016-01-01-nothing"], 2, "no such entry: 2016-01-01-nothing"),
        (["--entry", "site"], 2, "'site' is the catalog of site strings, not an entry"),
        (["--min-complete", "101"], 2, "Invalid value for '--min-complete'"),
        (["--min-state", "machine"], 2, "Invalid value for '--min-state'"),
        (["--format", "pdf"], 2, "Invalid value for '--format'"),
        (["--templates", "/nonexistent/templates"], 2, "/nonexistent/templates: template folder does not exist"),
    ],
)
def test_exit_codes(cli, catalan: Path, tmp_path: Path, args: list[str], code: int, message: str) -> None:
    result = cli("emit", "--locale", "ca", "--out", str(tmp_path / "mirror"), *args)
    assert result.exit_code == code, result.output
    assert message in result.stderr


def test_exit_2_for_a_bad_locale_or_an_output_folder_that_is_a_file(cli, catalan: Path, tmp_path: Path) -> None:
    result = cli("emit", "--locale", "fr", "--out", str(tmp_path / "mirror"))
    assert result.exit_code == 2 and "locale 'fr' is not one of this project's locales" in result.stderr
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = cli("emit", "--locale", "ca", "--out", str(blocker))
    assert result.exit_code == 2 and f"{blocker}: the output folder is a file" in result.stderr
    assert blocker.read_text() == "not a folder"


def test_site_strings_come_from_the_site_catalog_at_the_required_state(cli, catalan: Path, tmp_path: Path) -> None:
    retranslate(cli, catalan, "site", {"Translated by": "Traduït per"})  # approved
    retranslate(cli, catalan, "site", {"Written by": "Text de"}, approve=False)  # only translated
    out = tmp_path / "mirror"
    emit_json(cli, out, "--entry", MASSING)
    page = (out / "2016" / f"{MASSING}.html").read_text()
    # "Text de" is not reviewed: the built-in Catalan wording stands in for it.
    assert '<p class="author">Escrit per Emmanuelle Briolat</p>' in page
    # The config's translator credit, after the locale's "Translated by" wording.
    assert '<p class="translator">Traduït per Universitat de València</p>' in page
    emit_json(cli, out, "--entry", MASSING, "--min-state", "translated")
    page = (out / "2016" / f"{MASSING}.html").read_text()
    assert '<p class="author">Text de Emmanuelle Briolat</p>' in page


def test_translator_credit_original_link_and_date_pattern_come_from_the_config(
    cli, catalan: Path, tmp_path: Path
) -> None:
    config = catalan / "bpod-i18n.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace('translator_credit = { ca = "Universitat de València" }\n', "").replace(
            'original_url = "https://bpod.org.uk/archive/{slug}"',
            'original_url = "https://www.bpod.org.uk/archive/{year}/{month}/{day}"\ndate_pattern = { ca = "dd/MM/y" }',
        ),
        encoding="utf-8",
    )
    out = tmp_path / "mirror"
    emit_json(cli, out)
    page = (out / "2016" / f"{MASSING}.html").read_text()
    # No configured credit: the authors of the translations, from history.
    assert '<p class="translator">Traducció: marta</p>' in page
    assert '<a href="https://www.bpod.org.uk/archive/2016/7/22" hreflang="en">' in page
    assert '<time datetime="2016-07-22">22/07/2016</time>' in page
    config.write_text(
        text.replace('translator_credit = { ca = "Universitat de València" }', 'translator_credit = "UV"'),
        encoding="utf-8",
    )
    result = cli("emit", "--locale", "ca", "--out", str(out))
    assert result.exit_code == 2
    line = next(
        n for n, text in enumerate(config.read_text(encoding="utf-8").splitlines(), 1) if "translator_credit" in text
    )
    assert result.stderr == (
        f"error: {config}:{line}: [emit] translator_credit must be a table of locales, "
        f'e.g. {{ ca = "Universitat de València" }}, not "UV"\n'
    )


def test_a_hostile_translation_is_escaped(cli, catalan: Path, tmp_path: Path) -> None:
    hostile = "<script>alert(1)</script>"
    # Its markup is a QA error: only a reviewer who says why can approve it (and publish it).
    retranslate(cli, catalan, MASSING, {"Massing to Defend": hostile}, force_qa="testing that emit escapes it")
    html = tmp_path / "html"
    emit_json(cli, html)
    page = (html / "2016" / f"{MASSING}.html").read_text()
    assert "<script" not in page
    assert "<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>" in page
    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt; · BPoD</title>" in page
    markdown = tmp_path / "markdown"
    emit_json(cli, markdown, "--format", "markdown")
    front, body = (markdown / "2016" / f"{MASSING}.md").read_text()[4:].split("\n---\n", 1)
    # Front matter is YAML data (the site generator escapes it); the Markdown body is escaped here.
    assert yaml.safe_load(front)["title"] == hostile
    assert "<script" not in body


def test_own_templates_are_used_and_a_template_edit_rerenders(cli, catalan: Path, tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    template = templates / "entry.html.j2"
    template.write_text(
        '{% extends "builtin/entry.html.j2" %}{% block style %}<link rel="stylesheet" href="/bpod.css">\n{% endblock %}'
    )
    out = tmp_path / "mirror"
    emit_json(cli, out, "--templates", str(templates))
    assert '<link rel="stylesheet" href="/bpod.css">' in (out / "2016" / f"{MASSING}.html").read_text()
    assert emit_json(cli, out, "--templates", str(templates))["unchanged"] == [MASSING]
    template.write_text(template.read_text().replace("/bpod.css", "/mirror.css"))
    report = emit_json(cli, out, "--templates", str(templates))
    assert [item["slug"] for item in report["updated"]] == [MASSING]
    assert '<link rel="stylesheet" href="/mirror.css">' in (out / "2016" / f"{MASSING}.html").read_text()

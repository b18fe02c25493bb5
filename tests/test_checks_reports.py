"""Reports of a check run: text, JSON, JUnit XML (junitparser + XSD), GitHub annotations."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import polib
import pytest
from junitparser import Failure, JUnitXml
from lxml import etree
from rich.console import Console

from bpod_i18n.checks import (
    CheckResult,
    GateSettings,
    LocaleSummary,
    Problem,
    Severity,
    render_github,
    render_json,
    render_junit,
    render_text,
    run_checks,
    summary_line,
    text_renderables,
)
from bpod_i18n.checks.report_github import escape_data, escape_property

XSD = Path(__file__).parent / "fixtures" / "checks" / "junit.xsd"
TODAY = dt.date(2016, 7, 23)
SLUG = "2016-07-22-massing-to-defend"


def write_po(path: Path, locale: str, units: list[tuple[str, str, str, list[str]]]) -> Path:
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Language": locale,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    for uid, source, target, flags in units:
        po.append(
            polib.POEntry(
                msgctxt=uid, msgid=source, msgstr=target, flags=flags, occurrences=[(f"{path.stem}/body.1", "1")]
            )
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    po.save(str(path))
    return path


@pytest.fixture
def result(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CheckResult:
    """ca fails (a numbers error, an untranslated unit); es passes with one warning."""
    monkeypatch.chdir(tmp_path)
    write_po(Path("locales/ca/site.po"), "ca", [("s000000001", "Search the archive", "Cerca a l'arxiu", [])])
    write_po(
        Path(f"locales/ca/2016/{SLUG}.po"),
        "ca",
        [
            ("a000000001", "It measures 1,000 µm.", "Mesura 1,000 µm.", []),
            ("a000000002", "T cells raise the alarm.", "", []),
            ("a000000003", "Why?", "Per què.", []),
        ],
    )
    write_po(Path("locales/es/site.po"), "es", [("s000000001", "Search the archive", "Buscar en el archivo", [])])
    write_po(
        Path(f"locales/es/2016/{SLUG}.po"),
        "es",
        [
            ("a000000001", "It measures 1,000 µm.", "Mide 1.000 µm.", []),
            ("a000000002", "Why?", "Por qué?", ["fuzzy"]),
        ],
    )
    return run_checks([Path("locales")], locale=None, settings=GateSettings(max_fuzzy=1), today=TODAY)


CA_PO = f"locales/ca/2016/{SLUG}.po"
ES_PO = f"locales/es/2016/{SLUG}.po"


def test_text_report(result: CheckResult) -> None:
    assert render_text(result) == (
        f"{CA_PO}:11: error: numbers [a000000001] missing '1,000 µm'; extra '1,000 µm' (= 1 in ca)\n"
        f"{CA_PO}:16: error: untranslated [a000000002] not translated\n"
        f"{CA_PO}:21: warning: end-punctuation [a000000003] source ends with a question mark, translation with a full stop\n"
        f"{ES_PO}:17: warning: fuzzy [a000000002] marked fuzzy (machine, needs work or stale)\n"
        f"{ES_PO}:17: warning: inverted-marks [a000000002] 1 × '?' but 0 × '¿'\n"
        "\n"
        "ca: 2 files, 4 units, 1 untranslated, 0 fuzzy, 2 errors, 1 warning — FAIL\n"
        "  1 untranslated unit in required entries (max 0)\n"
        "  1 check error\n"
        "es: 2 files, 3 units, 0 untranslated, 1 fuzzy, 0 errors, 2 warnings — PASS\n"
    )


def test_text_renderables_colour_only_on_a_terminal(result: CheckResult) -> None:
    def printed(console: Console) -> str:
        for line in text_renderables(result):
            console.print(line, soft_wrap=True)
        return console.file.getvalue()  # type: ignore[attr-defined]

    plain = printed(Console(file=io.StringIO(), force_terminal=False))
    assert "\x1b[" not in plain and plain == render_text(result)
    coloured = printed(Console(file=io.StringIO(), force_terminal=True, color_system="standard"))
    assert "\x1b[1;31merror\x1b[0m" in coloured and "\x1b[1;32mPASS\x1b[0m" in coloured
    no_color = printed(Console(file=io.StringIO(), force_terminal=True, no_color=True))
    assert "\x1b[31m" not in no_color and "\x1b[32m" not in no_color


def test_summary_line_with_review_states() -> None:
    summary = LocaleSummary(
        "ca", files=3, units=120, untranslated=2, fuzzy=5, reviewed=90, errors=1, warnings=3, passed=False
    )
    assert (
        summary_line(summary)
        == "ca: 3 files, 120 units, 2 untranslated, 5 fuzzy, 75% reviewed, 1 error, 3 warnings — FAIL"
    )


def test_json_report(result: CheckResult) -> None:
    data = json.loads(render_json(result))
    assert (data["version"], data["tool"], data["date"], data["passed"]) == (1, "bpod-i18n check", "2016-07-23", False)
    assert data["totals"] == {"files": 4, "units": 7, "errors": 2, "warnings": 3, "notices": 0}
    ca, es = data["locales"]
    assert ca == {
        "locale": "ca",
        "passed": False,
        "files": 2,
        "required_files": 2,
        "units": 4,
        "translated": 3,
        "untranslated": 1,
        "fuzzy": 0,
        "reviewed": None,
        "reviewed_percent": None,
        "errors": 2,
        "warnings": 1,
        "notices": 0,
        "reasons": ["1 untranslated unit in required entries (max 0)", "1 check error"],
        "unchecked": [],
        "summary": "ca: 2 files, 4 units, 1 untranslated, 0 fuzzy, 2 errors, 1 warning — FAIL",
    }
    assert (es["locale"], es["passed"], es["fuzzy"]) == ("es", True, 1)
    assert data["problems"][0] == {
        "locale": "ca",
        "file": CA_PO,
        "line": 11,
        "entry": SLUG,
        "unit": "a000000001",
        "check": "numbers",
        "name": "Numbers",
        "severity": "error",
        "message": "missing '1,000 µm'; extra '1,000 µm' (= 1 in ca)",
        "source": "It measures 1,000 µm.",
        "target": "Mesura 1,000 µm.",
    }
    assert [(p["locale"], p["check"], p["severity"]) for p in data["problems"]] == [
        ("ca", "numbers", "error"),
        ("ca", "untranslated", "error"),
        ("ca", "end-punctuation", "warning"),
        ("es", "fuzzy", "warning"),
        ("es", "inverted-marks", "warning"),
    ]


def test_junit_report_parses_and_validates(result: CheckResult, tmp_path: Path) -> None:
    xml = render_junit(result)
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    document = etree.fromstring(xml.encode())
    schema.assertValid(document)

    path = tmp_path / "report.xml"
    path.write_text(xml)
    suites = {suite.name: suite for suite in JUnitXml.fromfile(str(path))}
    assert list(suites) == ["ca", "es"]
    ca = suites["ca"]
    assert (ca.tests, ca.failures, ca.errors) == (3, 2, 0)
    cases = {case.name: case for case in ca}
    assert list(cases) == [CA_PO, "locales/ca/site.po", "gate"]
    failures = [r for r in cases[CA_PO].result if isinstance(r, Failure)]
    assert [(f.type, f.message) for f in failures] == [
        ("numbers", "numbers: missing '1,000 µm'; extra '1,000 µm' (= 1 in ca)"),
        ("untranslated", "untranslated: not translated"),
    ]
    assert failures[0].text == (
        f"{CA_PO}:11: error: numbers [a000000001] missing '1,000 µm'; extra '1,000 µm' (= 1 in ca)\n"
        "source:      It measures 1,000 µm.\ntranslation: Mesura 1,000 µm."
    )
    assert cases[CA_PO].system_out.startswith(f"{CA_PO}:21: warning: end-punctuation [a000000003]")
    assert cases["locales/ca/site.po"].is_passed
    assert [f.message for f in cases["gate"].result] == [
        "1 untranslated unit in required entries (max 0)",
        "1 check error",
    ]
    es = suites["es"]
    assert (es.tests, es.failures) == (3, 0)
    assert all(case.is_passed for case in es)
    assert cases[CA_PO].classname == "bpod-i18n.ca"


def test_junit_carries_control_characters_safely() -> None:
    problem = Problem(
        "ca",
        "locales/ca/site.po",
        4,
        "site",
        "s1",
        "control-characters",
        Severity.ERROR,
        "control characters: U+0007",
        "Hello.",
        "Hola\x07.",
    )
    summary = LocaleSummary("ca", files=1, units=1, errors=1, passed=False, reasons=["1 check error"])
    xml = render_junit(CheckResult([summary], [problem], TODAY, files_by_locale={"ca": ["locales/ca/site.po"]}))
    etree.XMLSchema(etree.parse(str(XSD))).assertValid(etree.fromstring(xml.encode()))
    assert "translation: Hola\\x07." in xml


def test_github_annotations(result: CheckResult, tmp_path: Path) -> None:
    assert render_github(result, root=tmp_path) == (
        f"::error file={CA_PO},line=11,title=Numbers (ca)::numbers [a000000001]: missing '1,000 µm'; extra '1,000 µm' (= 1 in ca)\n"
        f"::error file={CA_PO},line=16,title=Untranslated (ca)::untranslated [a000000002]: not translated\n"
        f"::warning file={CA_PO},line=21,title=End punctuation (ca)::end-punctuation [a000000003]: source ends with a question mark, translation with a full stop\n"
        f"::warning file={ES_PO},line=17,title=Fuzzy (es)::fuzzy [a000000002]: marked fuzzy (machine, needs work or stale)\n"
        f"::warning file={ES_PO},line=17,title=Inverted question and exclamation marks (es)::inverted-marks [a000000002]: 1 × '?' but 0 × '¿'\n"
        "::error title=bpod-i18n check ca::ca: 1 untranslated unit in required entries (max 0)\n"
        "::error title=bpod-i18n check ca::ca: 1 check error\n"
    )


def test_github_escaping_per_workflow_command_rules() -> None:
    assert escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert escape_property("a,b:c%d\n") == "a%2Cb%3Ac%25d%0A"
    problem = Problem(
        "ca", "locales/ca/2016/a,b:c.po", 7, "a,b:c", "u1", "numbers", Severity.WARNING, "100% wrong\nreally", "", ""
    )
    summary = LocaleSummary("ca", files=1, units=1, warnings=1)
    output = render_github(CheckResult([summary], [problem], TODAY, check_names={"numbers": "Numbers, digits: all"}))
    assert output == (
        "::warning file=locales/ca/2016/a%2Cb%3Ac.po,line=7,title=Numbers%2C digits%3A all (ca)"
        "::numbers [u1]: 100%25 wrong%0Areally\n"
    )


def test_notices_are_counted_not_shown_unless_asked(tmp_path: Path) -> None:
    write_po(tmp_path / "locales/ca/site.po", "ca", [("s1", "Search", "Cerca", [])])
    write_po(tmp_path / "locales/ca/2016/2016-08-01-later.po", "ca", [("l1", "Later.", "", [])])
    result = run_checks([tmp_path / "locales"], locale="ca", settings=GateSettings(required="dated"), today=TODAY)
    assert result.passed and result.locales[0].notices == 1
    assert render_text(result) == "ca: 2 files, 2 units, 1 untranslated, 0 fuzzy, 0 errors, 0 warnings — PASS\n"
    assert render_text(result, show_notices=True).splitlines()[0] == (
        f"{tmp_path}/locales/ca/2016/2016-08-01-later.po:11: notice: untranslated [l1] not translated"
    )
    for show in (False, True):  # the plain report and the terminal's coloured one say the same
        assert "".join(line.plain + "\n" for line in text_renderables(result, show_notices=show)) == render_text(
            result, show_notices=show
        )
    assert render_github(result) == ""


def test_what_was_not_checked_is_in_every_report() -> None:
    """A pass that skipped a condition (review progress under --no-db) says so in each format."""
    what = "review progress (min_reviewed_percent = 100): the PO files were judged alone (--no-db)"
    summary = LocaleSummary("ca", files=1, units=1, unchecked=[what])
    result = CheckResult([summary], [], TODAY, files_by_locale={"ca": ["locales/ca/site.po"]})
    assert render_text(result) == (
        f"ca: 1 file, 1 unit, 0 untranslated, 0 fuzzy, 0 errors, 0 warnings — PASS\n  not checked: {what}\n"
    )
    console = Console(file=io.StringIO(), force_terminal=True, width=200)
    for line in text_renderables(result):
        console.print(line)
    assert f"not checked: {what}" in console.file.getvalue() and "\x1b[33m" in console.file.getvalue()  # yellow
    assert json.loads(render_json(result))["locales"][0]["unchecked"] == [what]
    assert render_github(result) == f"::warning title=bpod-i18n check ca::ca: not checked: {what}\n"
    xml = render_junit(result)
    etree.XMLSchema(etree.parse(str(XSD))).assertValid(etree.fromstring(xml.encode()))
    document = etree.fromstring(xml.encode())
    assert document.get("skipped") == "1" and document.find("testsuite").get("skipped") == "1"
    skipped = document.find("testsuite/testcase[@name='not checked']/skipped")
    assert skipped is not None and skipped.get("message") == what

"""The `markup` QA check: each kind of defect with its message, and the check on real PO files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import translate_po

from bpod_i18n.checks.base import UnitText, locale_rules
from bpod_i18n.checks.markup import Markup


@pytest.mark.parametrize(
    ("source", "target", "message"),
    [
        ("Zebrafish (<em>Danio rerio</em>).", "Peix zebra (<em>Danio rerio</em>).", None),
        ("Read it <a1>here</a1>.", "Llegiu-lo <a1>aquí</a1>.", None),
        # missing
        ("Zebrafish (<em>Danio rerio</em>).", "Peix zebra (Danio rerio).", "missing <em>…</em>"),
        ("Line<br/>break", "Línia trencada", "missing <br/>"),
        # extra, an unknown tag among them
        ("CO2 levels.", "Nivells de CO<sub>2</sub>.", "extra <sub>…</sub>"),
        ("Cells.", "Cèl·lules<script>alert(1)</script>.", "extra <script>…</script>"),
        # renamed
        ("Look at <em>this</em>.", "Mira <i>això</i>.", "renamed: <em>…</em> became <i>…</i>"),
        (
            "Read <a1>one</a1> and <a2>two</a2>.",
            "Llegiu <a1>un</a1> i <a3>dos</a3>.",
            "renamed: <a2>…</a2> became <a3>…</a3>",
        ),
        # badly nested, or not closed
        ("<em><b>Bold italic</b></em>", "<em><b>Negreta</em></b>", "badly nested: </em> closes <b>"),
        ("<em>Italic</em> text", "<em>Cursiva text", "badly nested: <em> is not closed"),
        ("<em>Italic</em> text", "Cursiva</em> <em>text", "badly nested: </em> without <em>"),
        # a link's address: kept out of the text, so any href is a change
        (
            "Read it <a1>here</a1>.",
            'Llegiu-lo <a1 href="https://evil.example/">aquí</a1>.',
            'changed href: <a1 href="https://evil.example/"> (a link\'s address is kept by the project; '
            "write <a1>…</a1> as in the source)",
        ),
        (
            '<a href="https://doi.org/1">here</a>',
            '<a href="https://doi.org/2">aquí</a>',
            "changed href of <a>: https://doi.org/1 → https://doi.org/2",
        ),
        ("<em>x</em>", '<em onclick="steal()">x</em>', 'attributes not in the source: <em onclick="steal()">'),
    ],
)
def test_each_defect_kind_has_its_message(source: str, target: str, message: str | None) -> None:
    assert Markup().check(UnitText(source, target, locale_rules("ca"))) == message


def test_other_checks_read_the_text_without_tags(cli, project_dir: Path, tmp_path: Path) -> None:
    entry = tmp_path / "calcium.json"
    entry.write_text(
        json.dumps(
            {
                "title": "Calcium Waves",
                "date": "2020-03-04",
                "paragraphs": [
                    "Cells raise Ca<sup>2+</sup> in <em>Danio rerio</em>. Read it <a href='https://a.org'>here</a>."
                ],
            }
        )
    )
    assert cli("ingest", str(entry)).exit_code == 0
    assert cli("export", "-l", "ca").exit_code == 0
    po = project_dir / "locales/ca/2020/2020-03-04-calcium-waves.po"
    text = po.read_text(encoding="utf-8")
    assert 'msgid "Cells raise Ca<sup>2+</sup> in <em>Danio rerio</em>."' in text
    assert 'msgid "Read it <a1>here</a1>."' in text and "#. <a1> links to https://a.org" in text
    translate_po(
        po,
        {
            "Calcium Waves": "Ones de calci",
            # numbers read "2+" on both sides: no numbers problem; the tags are another matter
            "Cells raise Ca<sup>2+</sup> in <em>Danio rerio</em>.": "Les cèl·lules eleven el Ca2+ a <em>Danio rerio</em>.",
            "Read it <a1>here</a1>.": 'Llegiu-lo <a1 href="https://evil.example">aquí</a1>.',
        },
    )
    result = cli("check", "-l", "ca", "--no-db", "--format", "json")
    assert result.exit_code == 1, result.output
    problems = [(p["check"], p["message"]) for p in json.loads(result.stdout)["problems"] if p["check"] == "markup"]
    assert problems == [
        ("markup", "missing <sup>…</sup>"),
        (
            "markup",
            'changed href: <a1 href="https://evil.example"> (a link\'s address is kept by the project; '
            "write <a1>…</a1> as in the source)",
        ),
    ]


def test_exported_po_with_tags_passes_msgfmt_check(cli, project_dir: Path, tmp_path: Path) -> None:
    import shutil
    import subprocess

    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.fail("msgfmt not found: apt-get install gettext", pytrace=False)
    entry = tmp_path / "tags.json"
    entry.write_text(
        json.dumps(
            {
                "title": "Tagged <i>Genes</i>",
                "date": "2020-03-05",
                "paragraphs": [
                    "A <em>x</em> and CO<sub>2</sub>.<br>Then <a href='https://a.org'>a link</a>, p < 0.05."
                ],
            }
        )
    )
    assert cli("ingest", str(entry)).exit_code == 0
    assert cli("export", "-l", "ca").exit_code == 0
    po = project_dir / "locales/ca/2020/2020-03-05-tagged-genes.po"
    translate_po(po, {"Tagged <i>Genes</i>": "Gens <i>marcats</i>"})
    done = subprocess.run([msgfmt, "--check", "-o", "/dev/null", str(po)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    text = po.read_text()
    assert 'msgid "A <em>x</em> and CO<sub>2</sub>."' in text and 'msgid "Then <a1>a link</a1>, p < 0.05."' in text

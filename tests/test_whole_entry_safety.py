"""Hostile translations, raw and through tags, in every emit format (checked in the DOM and in
Chromium); the credits rules; --fallback-english per sentence; real Apertium keeps the tags."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import lxml.html
import pytest
from markdown_it import MarkdownIt
from whole_entry import SLUG, browser, fill_po, html_source, image_server, json_source, markdown_source, screenshot

from bpod_i18n.checks.markup import tag_differences
from bpod_i18n.config import EmitSettings
from bpod_i18n.model import State
from bpod_i18n.render.assemble import Sentence, image_rights_due, localise, mirror_settings, person_name

PWN = "window.__pwned=1"
ATTACKS = [
    # raw HTML a translator might paste
    f"<script>{PWN}</script>",
    f'<img src=x onerror="{PWN}">',
    f'<svg onload="{PWN}"></svg>',
    f'<iframe src="javascript:parent.{PWN}"></iframe>',
    f"</p><script>{PWN}</script><p>",
    f'<a href="javascript:{PWN}">clic</a>',
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<div style="position:fixed;top:0">covered</div>',
    f"&lt;script&gt;{PWN}&lt;/script&gt;",
    f"<scr<script>ipt>{PWN}</script>",
    f'<body onload="{PWN}">',
    f'<object data="javascript:{PWN}"></object>',
    "{{ 7*7 }} {% raw %} ${7*7}",
    f"[clic](javascript:{PWN})",
    f'![x](x" onerror="{PWN})',
    # through the notation's tags
    f'<em onmouseover="{PWN}">x</em>',
    f'<a1 href="javascript:{PWN}">aquí</a1>',
    f"<a1>aquí</a1><script>{PWN}</script>",
    f"<em><script>{PWN}</script></em>",
    f"</em><img src=x onerror={PWN}><em>",
    f'<a1 onclick="{PWN}">aquí</a1>',
    '<sub style="position:fixed">x</sub>',
    f"<br onload={PWN}>",
    f'<em>x</em"><script>{PWN}</script>',
    "<a9>z</a9><span onclick=x>y</span>",
    f"<strong>&lt;img src=x onerror={PWN}&gt;</strong>",
]
MD = MarkdownIt("commonmark", {"html": True})
FORBIDDEN = "//script | //iframe | //object | //embed | //svg | //body//style | //body//img[not(starts-with(@src, 'http://127.0.0.1:'))] | //form"


def assert_inert(doc: lxml.html.HtmlElement) -> None:
    assert doc.xpath(FORBIDDEN) == []
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue
        for name, value in el.attrib.items():
            assert not name.lower().startswith("on"), (el.tag, name)
            assert name != "style" or el.tag == "body", (el.tag, name)
            assert "javascript:" not in value.lower(), (el.tag, name, value)


def hostile_body() -> list[str]:
    """One paragraph per attack, each with a tag and a link so that the tag attacks have
    something to aim at."""
    return [
        f'Sentence {n} with <em>tags</em> and <a href="https://doi.org/{n}">a link</a>.' for n in range(len(ATTACKS))
    ]


@pytest.fixture
def hostile_mirror(cli, project_dir: Path, tmp_path: Path):
    with image_server(tmp_path / "www") as base:
        source = tmp_path / f"{SLUG}.json"
        source.write_text(json_source(f"{base}/media/genes.png", hostile_body()), encoding="utf-8")
        assert cli("ingest", str(source)).exit_code == 0
        assert cli("export", "-l", "ca").exit_code == 0
        attacks = iter(ATTACKS)

        def attack(msgid: str, _index: int) -> str:
            return next(attacks) if msgid.startswith("Sentence ") else msgid

        for po in (project_dir / "locales/ca").rglob("*.po"):
            fill_po(po, attack if SLUG in po.name else None)
        assert cli("import", str(project_dir / "locales/ca"), "--by", "marta").exit_code == 0
        # The attacks fail QA (markup, placeholders) on purpose: approved anyway, as a careless
        # reviewer might, so that what reaches emit is the hostile text itself.
        approve = ["review", "-l", "ca", "--approve", SLUG, "site", "--by", "jordi", "--force-qa", "hostile on purpose"]
        assert cli(*approve).exit_code == 0
        pages = {}
        for fmt, ext in (("html", "html"), ("markdown", "md"), ("json", "json")):
            out = tmp_path / f"mirror-{fmt}"
            result = cli("emit", "-l", "ca", "--out", str(out), "--format", fmt)
            assert result.exit_code == 0, result.output
            pages[fmt] = out / "2019" / f"{SLUG}.{ext}"
        yield pages, tmp_path


def as_html_pages(pages: dict[str, Path], folder: Path) -> dict[str, Path]:
    """Each format as the HTML a mirror would serve: the page, the Markdown rendered by a
    CommonMark renderer with raw HTML on (the least safe setting), the JSON's *_html fields."""
    markdown = pages["markdown"].read_text(encoding="utf-8").split("---\n", 2)[2]
    data = json.loads(pages["json"].read_text(encoding="utf-8"))
    fragments = [data["title_html"], *data["paragraphs_html"], *data["credits_html"]]
    out = {"html": pages["html"]}
    for name, body in (("markdown", MD.render(markdown)), ("json", "".join(f"<p>{f}</p>" for f in fragments))):
        out[name] = folder / f"{name}.html"
        out[name].write_text(f"<!DOCTYPE html><html><head><title>safe</title></head><body>{body}</body></html>")
    return out


def test_hostile_translations_leave_no_executable_markup(hostile_mirror) -> None:
    pages, folder = hostile_mirror
    assert len(ATTACKS) >= 20
    for name, page in as_html_pages(pages, folder).items():
        doc = lxml.html.parse(str(page)).getroot()
        assert_inert(doc)
        text = doc.text_content()
        assert "49" not in text, name  # no template ran
        if name == "html":
            # Raw attacks are shown as the text they are; a tag attack keeps only its text.
            assert "<script>window.__pwned=1</script>" in text
            links = [a.get("href") for a in doc.iter("a")]
            assert all(h.startswith(("https://", "http://")) for h in links), links


@pytest.mark.chromium
def test_hostile_translations_do_not_run_in_chromium(hostile_mirror) -> None:
    pages, folder = hostile_mirror
    with browser() as chromium:
        for name, path in as_html_pages(pages, folder).items():
            page = chromium.new_page()
            page.goto(path.as_uri())
            page.wait_for_load_state("load")
            # Hovering fires any mouseover handler that slipped through (a click would follow links).
            page.evaluate(
                "() => document.querySelectorAll('*').forEach(e => e.dispatchEvent(new MouseEvent('mouseover')))"
            )
            assert page.evaluate("() => window.__pwned === undefined"), name
            assert page.evaluate("() => document.querySelectorAll('script, iframe, object, svg').length") == 0
            assert_inert(lxml.html.document_fromstring(page.content()))
            if name == "html":
                screenshot(page, "whole-entry-hostile.png")
            page.close()


def sentence(uid: str, field: str, text: str, source: str = "", *, english: bool = False) -> Sentence:
    return Sentence(uid, field, 1, source or text, "", 1, text, State.REVIEWED, 1, "Marta Puig <marta@uv.es>")


def test_fallback_english_marks_only_the_english_sentences() -> None:
    settings = mirror_settings("ca", [], State.REVIEWED, EmitSettings())
    parts = [
        Sentence("u1", "body.1", 1, "One <em>fish</em>.", " ", 1, "Un <em>peix</em>.", State.REVIEWED, 1, "marta"),
        Sentence("u2", "body.1", 2, "Two fish.", " ", None, "", State.UNTRANSLATED, 0, None),
        Sentence("u3", "body.1", 3, "Three.", "", 1, "Tres.", State.REVIEWED, 1, "marta"),
        Sentence("u4", "body.2", 1, "All English.", "", None, "", State.UNTRANSLATED, 0, None),
    ]
    source = {"date": "2019-05-07", "title": "T", "paragraphs": ["x", "y"]}
    entry = localise(SLUG, source, parts, {"u2", "u4"}, settings)
    assert entry.paragraphs == ["Un peix. Two fish. Tres.", "All English."]
    assert entry.html["body.1"] == 'Un <em>peix</em>. <span lang="en">Two fish.</span> Tres.'
    assert (entry.partly_english, entry.english_fallback) == ({"body.1"}, {"body.2"})


@pytest.mark.parametrize(
    ("credits", "due"),
    [
        (["Image from work by Maria Lopez and colleagues"], True),
        (["Image by Jo Bloggs", "Image copyright held by the original authors"], False),
        (["© Wellcome Collection"], False),
        (["Image from work by X", "Originally published under a Creative Commons Licence (BY 4.0)"], False),
        (["Published under a CC BY licence"], False),
    ],
)
def test_rights_reserved_line_only_when_due(credits: list[str], due: bool) -> None:
    assert image_rights_due(credits) is due


@pytest.mark.parametrize(
    ("who", "name"),
    [
        ("Marta Puig <marta@uv.es>", "Marta Puig"),
        ("marta@uv.es", None),
        ("Marta Puig", "Marta Puig"),
        ("Universitat de València (traduccio@uv.es)", "Universitat de València"),
    ],
)
def test_translator_credit_never_shows_an_email(who: str, name: str | None) -> None:
    assert person_name(who) == name


def test_emitted_credits_and_translator_in_every_format(cli, project_dir: Path, tmp_path: Path) -> None:
    config = project_dir / "bpod-i18n.toml"
    config.write_text(config.read_text().replace('ca = "Universitat de València"', 'ca = "UV <traduccio@uv.es>"'))
    source = tmp_path / f"{SLUG}.md"
    source.write_text(
        markdown_source("https://bpod.org.uk/x.png").replace(
            "credits: [", 'credits: ["Originally published under a Creative Commons Licence (BY 4.0)", '
        )
    )
    assert cli("ingest", str(source)).exit_code == 0
    assert cli("export", "-l", "ca").exit_code == 0
    for po in (project_dir / "locales/ca").rglob("*.po"):
        fill_po(po)
    assert cli("import", str(project_dir / "locales/ca"), "--by", "marta").exit_code == 0
    forced = ["--force-qa", "hostile on purpose"]
    assert cli("review", "-l", "ca", "--approve", SLUG, "site", "--by", "jordi", *forced).exit_code == 0
    for fmt in ("html", "markdown", "json"):
        out = tmp_path / fmt
        assert cli("emit", "-l", "ca", "--out", str(out), "--format", fmt).exit_code == 0
        text = next(out.rglob(f"{SLUG}.*")).read_text()
        assert "Image copyright held by the original authors" not in text  # a CC licence is stated
        assert "traduccio@uv.es" not in text and "marta@uv.es" not in text
        assert "UV" in text


@pytest.mark.apertium
def test_real_apertium_keeps_the_tags_of_the_sample_entries(cli, project_dir: Path, tmp_path: Path) -> None:
    if shutil.which("apertium") is None:
        pytest.fail("apertium not found: apt-get install apertium apertium-eng-cat", pytrace=False)
    folder = tmp_path / "samples"
    folder.mkdir()
    slugs = []
    for day, (kind, make) in enumerate((("html", html_source), ("md", markdown_source), ("json", json_source)), 7):
        date = f"2019-05-{day:02d}"
        (folder / f"sample.{kind}").write_text(make("https://bpod.org.uk/x.png").replace("2019-05-07", date))
        slugs.append(f"{date}-glowing-genes")
    assert cli("ingest", str(folder)).exit_code == 0
    result = cli("pretranslate", "-l", "ca", "--provider", "apertium", "--json")
    assert result.exit_code == 0, result.output
    for slug in slugs:
        shown = json.loads(cli("show", slug, "--json").stdout)
        tagged = [u for u in shown["units_detail"] if "<" in u["source"]]
        assert len(tagged) == 3, slug  # every sentence of the body has tags
        for unit in tagged:
            translation = unit["translations"]["ca"]["text"]
            assert translation and translation != unit["source"]
            assert tag_differences(unit["source"], translation) is None, (slug, unit, translation)


def test_tm_match_is_retagged_from_the_new_source(cli, project_dir: Path, tmp_path: Path) -> None:
    plain = tmp_path / "2019-05-01-plain-genes.json"
    plain.write_text(
        json.dumps({"title": "Plain Genes", "date": "2019-05-01", "paragraphs": ["Zebrafish (Danio rerio) glow."]})
    )
    tagged = tmp_path / "2019-05-02-tagged-genes.json"
    tagged.write_text(
        json.dumps(
            {"title": "Tagged Genes", "date": "2019-05-02", "paragraphs": ["Zebrafish (<em>Danio rerio</em>) glow."]}
        )
    )
    assert cli("ingest", str(plain)).exit_code == 0
    assert cli("export", "-l", "ca").exit_code == 0
    po = project_dir / "locales/ca/2019/2019-05-01-plain-genes.po"
    fill_po(
        po,
        lambda msgid, _i: {"Zebrafish (Danio rerio) glow.": "Els peixos zebra (Danio rerio) brillen."}.get(
            msgid, msgid
        ),
    )
    assert cli("import", str(po), "--by", "marta").exit_code == 0
    assert cli("ingest", str(tagged)).exit_code == 0
    result = cli("pretranslate", "-l", "ca", "--no-mt", "--entry", "2019-05-02-tagged-genes", "--json")
    assert result.exit_code == 0, result.output
    shown = json.loads(cli("show", "2019-05-02-tagged-genes", "--json").stdout)
    [unit] = [u for u in shown["units_detail"] if u["field"] == "body.1"]
    assert unit["translations"]["ca"]["text"] == "Els peixos zebra (<em>Danio rerio</em>) brillen."

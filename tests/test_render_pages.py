"""Rendered pages: byte-exact Catalan pages, escaping of hostile translations, mirror templates."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path

import lxml.html
import pytest
import yaml
from markdown_it import MarkdownIt

from bpod_i18n.errors import InputError, UsageError
from bpod_i18n.render import LocalisedEntry, SiteStrings, output_relpath, render_entry, render_file

FIXTURES = Path(__file__).parent / "fixtures"
RENDER = FIXTURES / "render"
EXPECTED = RENDER / "expected"
# Set to 1 to rewrite the expected files after an intended template change; review the diff.
UPDATE = os.environ.get("BPOD_I18N_UPDATE_EXPECTED") == "1"

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "</p><p>",
    "{{ 7*7 }}",
    '<a href="javascript:alert(1)">clic</a> <b>broken',
]


def load_entry(name: str) -> LocalisedEntry:
    return LocalisedEntry.from_dict(json.loads((RENDER / f"{name}.entry.json").read_text(encoding="utf-8")))


def hostile_entry() -> LocalisedEntry:
    return LocalisedEntry(
        slug="2019-04-03-hostile",
        locale="ca",
        date=dt.date(2019, 4, 3),
        title=HOSTILE[0],
        label=HOSTILE[1],
        standfirst=HOSTILE[2],
        paragraphs=list(HOSTILE),
        notices=[HOSTILE[3]],
        author="Anna <b>Roig</b>",
        credits=[HOSTILE[4]],
        translator_credit=HOSTILE[1],
        original_url="https://www.bpod.org.uk/archive/2019/4/3",
    )


def assert_matches_expected(text: str, name: str) -> None:
    path = EXPECTED / name
    if UPDATE:
        path.write_text(text, encoding="utf-8", newline="\n")
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from the expected file"


# -- the Catalan mirror, byte for byte ---------------------------------------------------


def test_fixture_is_a_translation_of_the_real_page() -> None:
    """The Catalan sample keeps what must not be translated: author name, date, paragraph count."""
    page = (FIXTURES / "pages" / "2016-07-22-massing-to-defend.txt").read_text(encoding="utf-8")
    entry = load_entry("ca-massing-to-defend")
    author = re.search(r"^Written by (.+)$", page, re.MULTILINE)
    assert author is not None and entry.author == author.group(1) == "Emmanuelle Briolat"
    assert "\n22 July 2016\n" in page and entry.date == dt.date(2016, 7, 22)
    body = page.split("\n22 July 2016\n\nMassing to Defend\n\n", 1)[1].split("\n\nWritten by", 1)[0]
    assert len(body.split("\n\n")) == len(entry.paragraphs) == 1
    assert entry.paragraphs[0].count(". ") == body.count(". ") == 4  # five sentences, one for one


@pytest.mark.parametrize(
    ("name", "fmt", "suffix"),
    [
        ("ca-massing-to-defend", "html", ".html"),
        ("ca-massing-to-defend", "markdown", ".md"),
        ("ca-massing-to-defend", "json", ".json"),
        ("ca-trained-killers-fallback", "html", ".html"),
        ("ca-trained-killers-fallback", "markdown", ".md"),
    ],
)
def test_catalan_pages_match_expected_files(name: str, fmt: str, suffix: str) -> None:
    assert_matches_expected(render_entry(load_entry(name), fmt), name + suffix)  # type: ignore[arg-type]


def test_catalan_html_structure() -> None:
    html = render_entry(load_entry("ca-massing-to-defend"), "html")
    doc = lxml.html.document_fromstring(html)
    assert doc.get("lang") == "ca"
    assert doc.findtext(".//title") == "Concentrats per defensar-se · BPoD"
    time = doc.find(".//time")
    assert (time.get("datetime"), time.text) == ("2016-07-22", "22 de juliol de 2016")
    assert doc.find(".//p[@class='author']").text == "Escrit per Emmanuelle Briolat"
    assert doc.find(".//p[@class='copyright']").text == "Drets de la imatge reservats pels autors originals"
    assert doc.find(".//p[@class='translator']").text == "Traducció: Universitat de València"
    link = doc.find(".//p[@class='original']/a")
    assert link.get("href") == "https://www.bpod.org.uk/archive/2016/7/22"
    assert link.text == "Llegiu l'entrada original en anglès"


def test_english_fallback_fields_are_marked_lang_en() -> None:
    doc = lxml.html.document_fromstring(render_entry(load_entry("ca-trained-killers-fallback"), "html"))
    assert [el.get("class") for el in doc.xpath("//body//*[@lang='en']")] == ["notice"]
    assert doc.find(".//time").text == "30 d'abril de 2016"
    front = yaml.safe_load(render_entry(load_entry("ca-trained-killers-fallback"), "markdown").split("---\n")[1])
    assert front["english_fallback"] == ["notice.1"]


def test_output_paths_and_rendered_file() -> None:
    entry = load_entry("ca-massing-to-defend")
    assert str(output_relpath(entry, "html")) == "2016/2016-07-22-massing-to-defend.html"
    assert str(output_relpath(entry, "markdown")) == "2016/2016-07-22-massing-to-defend.md"
    assert str(output_relpath(entry, "json")) == "2016/2016-07-22-massing-to-defend.json"
    file = render_file(entry, "json", versions=(3, 1))
    assert (file.relpath, file.versions) == ("2016/2016-07-22-massing-to-defend.json", (3, 1))
    assert json.loads(file.content)["title"] == "Concentrats per defensar-se"
    entry.slug = "../../etc/passwd"
    with pytest.raises(UsageError, match="cannot be a file name"):
        output_relpath(entry, "html")


def test_site_strings_override_and_spanish_defaults() -> None:
    entry = load_entry("ca-massing-to-defend")
    entry.locale = "es"
    entry.site_strings = None
    doc = lxml.html.document_fromstring(render_entry(entry, "html"))
    assert doc.find(".//p[@class='author']").text == "Escrito por Emmanuelle Briolat"
    assert doc.find(".//time").text == "22 de julio de 2016"
    entry.site_strings = SiteStrings.for_locale("es").with_overrides(
        written_by="Texto de {author}", date_pattern="d/M/y"
    )
    doc = lxml.html.document_fromstring(render_entry(entry, "html"))
    assert doc.find(".//p[@class='author']").text == "Texto de Emmanuelle Briolat"
    assert doc.find(".//time").text == "22/7/2016"


def test_bad_inputs_are_usage_errors() -> None:
    with pytest.raises(UsageError, match=r"must contain \{author\}"):
        SiteStrings(written_by="Escrit per")
    with pytest.raises(UsageError, match=r"english_fallback names body\.2, which does not exist"):
        LocalisedEntry("s", "ca", dt.date(2020, 1, 1), "T", ["one"], english_fallback={"body.2"})
    entry = load_entry("ca-massing-to-defend")
    entry.original_url = "javascript:alert(1)"
    with pytest.raises(UsageError, match="absolute http"):
        render_entry(entry, "html")
    with pytest.raises(UsageError, match="unknown output format"):
        render_entry(load_entry("ca-massing-to-defend"), "pdf")  # type: ignore[arg-type]


# -- hostile translations ----------------------------------------------------------------


def test_hostile_translation_is_text_in_html() -> None:
    html = render_entry(hostile_entry(), "html")
    doc = lxml.html.document_fromstring(html)
    assert doc.xpath("//script | //img | //a[starts-with(@href, 'javascript')] | //b | //*[@onerror]") == []
    assert doc.findtext(".//title") == "<script>alert(1)</script> · BPoD"
    assert [p.text for p in doc.xpath("//div[@class='body']/p")] == HOSTILE
    assert doc.find(".//p[@class='label']").text == HOSTILE[1]
    assert doc.find(".//p[@class='notice']").text == "{{ 7*7 }}"  # not evaluated
    assert doc.find(".//p[@class='author']").text == "Escrit per Anna <b>Roig</b>"
    assert "49" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html


def _markdown_body(markdown: str) -> tuple[dict, str]:
    assert markdown.startswith("---\n")
    front, body = markdown[4:].split("\n---\n", 1)
    return yaml.safe_load(front), body


def test_hostile_translation_is_text_in_markdown() -> None:
    markdown = render_entry(hostile_entry(), "markdown")
    front, body = _markdown_body(markdown)
    # Front matter: quoted by yaml.safe_dump, reads back as exactly the translation.
    assert (front["title"], front["label"], front["standfirst"]) == (HOSTILE[0], HOSTILE[1], HOSTILE[2])
    assert front["credits"] == [HOSTILE[4]] and front["author"] == "Anna <b>Roig</b>"
    assert "{{" not in body and "{%" not in body  # nothing for Liquid (Jekyll) or Hugo shortcodes
    # A CommonMark renderer with raw HTML enabled still produces only text.
    html = MarkdownIt("commonmark", {"html": True}).render(body)
    doc = lxml.html.fragment_fromstring(html, create_parent="div")
    assert doc.xpath("//script | //img | //a[starts-with(@href, 'javascript')] | //b | //*[@onerror]") == []
    paragraphs = [p.text_content() for p in doc.xpath("./p")]
    assert paragraphs[: len(HOSTILE)] == HOSTILE
    assert "Escrit per Anna <b>Roig</b>" in paragraphs


@pytest.mark.parametrize(
    "text",
    [
        "# not a heading",
        "- not a list",
        "+ not a list",
        "1. not a list",
        "3) not a list",
        "> not a quote",
        "=== not a setext underline",
        "*not emphasis* _nor this_ `nor code` ~~nor struck~~",
        "[not a link](https://example.org) ![nor an image](x.png)",
        "line one\n\n# smuggled heading\n    indented code",
        "a \\ backslash & an &amp; entity | pipe $$ math $$ {: .attr}",
        "---",
    ],
)
def test_markdown_syntax_in_a_translation_stays_text(text: str) -> None:
    entry = LocalisedEntry("2020-01-01-x", "ca", dt.date(2020, 1, 1), "Títol", [text])
    _, body = _markdown_body(render_entry(entry, "markdown"))
    html = MarkdownIt("commonmark", {"html": True}).enable("strikethrough").render(body)
    doc = lxml.html.fragment_fromstring(html, create_parent="div")
    first = doc[0]
    assert first.tag == "p" and len(first) == 0  # a plain paragraph, no child elements
    assert first.text_content() == " ".join(text.split())


def test_json_is_inert_and_round_trips() -> None:
    text = render_entry(hostile_entry(), "json")
    assert "<" not in text and ">" not in text and "&" not in text
    data = json.loads(text)
    assert data["paragraphs"] == HOSTILE and data["title"] == HOSTILE[0]
    assert list(data) == sorted(data)


# -- a mirror's own templates -------------------------------------------------------------


def test_mirror_template_folder_is_searched_first(tmp_path: Path) -> None:
    (tmp_path / "entry.html.j2").write_text(
        '{% extends "builtin/entry.html.j2" %}\n'
        '{% block footer %}<footer class="mirror">{{ page.author_line }} · bpod.cat</footer>\n{% endblock %}\n',
        encoding="utf-8",
    )
    entry = load_entry("ca-massing-to-defend")
    entry.author = "<i>Emma</i>"
    doc = lxml.html.document_fromstring(render_entry(entry, "html", template_dir=tmp_path))
    assert doc.find(".//footer").get("class") == "mirror"
    assert doc.find(".//footer").text == "Escrit per <i>Emma</i> · bpod.cat"  # still escaped
    assert doc.find(".//h1").text == "Concentrats per defensar-se"  # rest is the built-in
    # No Markdown template in the folder: the built-in one is used.
    assert render_entry(entry, "markdown", template_dir=tmp_path).startswith('---\ntitle: "Concentrats')


def test_mirror_markdown_template_is_escaped_too(tmp_path: Path) -> None:
    (tmp_path / "entry.md.j2").write_text("# {{ page.title.text | upper }}\n", encoding="utf-8")
    entry = hostile_entry()
    assert render_entry(entry, "markdown", template_dir=tmp_path) == "# &lt;SCRIPT&gt;ALERT(1)&lt;/SCRIPT&gt;\n"


def test_broken_mirror_template_names_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "entry.html.j2").write_text("<p>\n<b>\n{% endfor %}\n</p>\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        render_entry(load_entry("ca-massing-to-defend"), "html", template_dir=tmp_path)
    assert error.value.path == str(tmp_path / "entry.html.j2")
    assert error.value.line == 3
    assert str(error.value).startswith(f"{tmp_path / 'entry.html.j2'}:3: template syntax error: ")
    (tmp_path / "entry.md.j2").write_text("{{ page.no_such_field }}\n", encoding="utf-8")
    with pytest.raises(InputError, match="no_such_field"):
        render_entry(load_entry("ca-massing-to-defend"), "markdown", template_dir=tmp_path)
    with pytest.raises(UsageError, match="template folder does not exist"):
        render_entry(load_entry("ca-massing-to-defend"), "html", template_dir=tmp_path / "missing")

"""Golden round trips of a whole entry, in lxml and in headless Chromium: ingest (HTML, Markdown,
JSON) → export → every msgstr = its msgid → import, approve → emit: the body's DOM equals the
source's, the figure has the picture (served from 127.0.0.1), the alt text and the credits."""

from __future__ import annotations

import json
from pathlib import Path

import lxml.html
import pytest
from markdown_it import MarkdownIt
from whole_entry import (
    ALT,
    BODY,
    CREDITS,
    MARKDOWN_BODY,
    SLUG,
    browser,
    fill_po,
    html_source,
    image_server,
    json_source,
    markdown_source,
    paragraphs_dom,
    screenshot,
)

SOURCES = {"html": html_source, "md": markdown_source, "json": json_source}
MD = MarkdownIt("commonmark", {"html": True})


def source_body_dom(kind: str) -> list[tuple]:
    """The body paragraphs of the source, as a browser would build them."""
    if kind == "md":
        return paragraphs_dom(MD.render("\n\n".join(MARKDOWN_BODY)))
    return paragraphs_dom("".join(f"<p>{p}</p>" for p in BODY))


def round_trip(cli, project_dir: Path, source: Path, out: Path, fmt: str) -> Path:
    def ok(*args: str) -> None:
        result = cli(*args)
        assert result.exit_code == 0, result.output

    ok("ingest", str(source))
    ok("export", "-l", "ca")
    for po in (project_dir / "locales/ca").rglob("*.po"):
        fill_po(po)
    ok("import", str(project_dir / "locales/ca"), "--by", "marta")
    ok("review", "-l", "ca", "--approve", SLUG, "site", "--by", "jordi")
    ok("emit", "-l", "ca", "--out", str(out), "--format", fmt)
    return out / "2019" / f"{SLUG}.{ {'html': 'html', 'markdown': 'md', 'json': 'json'}[fmt] }"


@pytest.fixture
def server(tmp_path: Path):
    with image_server(tmp_path / "www") as base:
        yield base


@pytest.mark.parametrize("kind", ["html", "md", "json"])
def test_round_trip_in_lxml(cli, project_dir: Path, tmp_path: Path, server: str, kind: str) -> None:
    image = f"{server}/media/genes.png"
    source = tmp_path / f"{SLUG}.{kind}"
    source.write_text(SOURCES[kind](image), encoding="utf-8")
    page = round_trip(cli, project_dir, source, tmp_path / "mirror", "html")
    doc = lxml.html.parse(str(page)).getroot()
    body = doc.find_class("body")[0]
    assert paragraphs_dom(lxml.html.tostring(body, encoding="unicode")) == source_body_dom(kind)
    img = doc.find(".//figure/img")
    assert (img.get("src"), img.get("alt"), img.get("width"), img.get("height")) == (image, ALT, "320", "200")
    caption = [p.text_content() for p in doc.findall(".//figure/figcaption/p")]
    # No credit line says the rights are reserved, so the mirror adds its line (site.po: English here).
    assert caption == CREDITS + ["Image copyright held by the original authors"]
    # The translator credit names the person, never the e-mail address of the PO header.
    assert "marta@uv.es" not in page.read_text()
    # Markdown and JSON pages carry the same body.
    if kind != "html":
        fmt = "markdown" if kind == "md" else "json"
        other = round_trip(cli, project_dir, source, tmp_path / f"mirror-{fmt}", fmt)
        if fmt == "markdown":
            text = other.read_text(encoding="utf-8").split("---\n", 2)[2]
            rendered = MD.render(text)
            assert paragraphs_dom(rendered)[1 : 1 + len(BODY)] == source_body_dom(kind)
            assert f'<img src="{image}" alt="{ALT}"' in rendered
        else:
            data = json.loads(other.read_text(encoding="utf-8"))
            assert paragraphs_dom("".join(f"<p>{h}</p>" for h in data["paragraphs_html"])) == source_body_dom(kind)
            assert data["image"] == {"url": image, "alt": ALT, "width": 320, "height": 200}
            assert data["paragraphs"][0].startswith("Genes switched on in the eye of a zebrafish (Danio rerio)")


@pytest.mark.chromium
@pytest.mark.parametrize("kind", ["html", "md", "json"])
def test_round_trip_in_chromium(cli, project_dir: Path, tmp_path: Path, server: str, kind: str) -> None:
    image = f"{server}/media/genes.png"
    source = tmp_path / f"{SLUG}.{kind}"
    source.write_text(SOURCES[kind](image), encoding="utf-8")
    page_path = round_trip(cli, project_dir, source, tmp_path / "mirror", "html")
    with browser() as chromium:
        page = chromium.new_page(viewport={"width": 1000, "height": 1400})
        page.goto(page_path.as_uri())
        page.wait_for_load_state("load")
        assert paragraphs_dom(page.inner_html("div.body")) == source_body_dom(kind)
        # The picture is displayed: loaded from the local server, with its pixels.
        loaded = page.evaluate(
            "() => { const i = document.querySelector('figure img');"
            " return [i.complete, i.naturalWidth, i.naturalHeight, i.getBoundingClientRect().width]; }"
        )
        assert loaded == [True, 32, 20, 320]
        assert page.evaluate("() => getComputedStyle(document.querySelector('.body em')).fontStyle") == "italic"
        screenshot(page, f"whole-entry-{kind}.png")

"""Ingest keeps the whole entry: the picture, inline markup in every format, and the archive's
other layouts; a folder with a bad page stores the others."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from helpers import snapshot

from bpod_i18n.errors import InputError
from bpod_i18n.model import Image
from bpod_i18n.sources import SiteChrome, read_entry
from bpod_i18n.sources.html import parse_html

ARCHIVE = Path(__file__).parent / "fixtures" / "sources" / "archive"
PAGES = Path(__file__).parent / "fixtures" / "pages"


def test_html_inline_markup_image_caption_and_resolved_links(tmp_path: Path) -> None:
    page = b"""<!DOCTYPE html><html><head>
    <link rel="canonical" href="https://bpod.org.uk/archive/2015/10/08">
    <meta property="og:image" content="https://bpod.org.uk/og.jpg"></head><body>
    <header class="site-header"><img src="/logo.svg" alt="BPoD"></header>
    <article><h1>Seeing Genes</h1><time datetime="2015-10-08">08 October 2015</time>
    <figure><img src="/media/eye.jpg" alt="  Zebrafish   eye " width="800" height="600">
      <figcaption><p>A zebrafish eye, <em>in vivo</em></p><p>Image by Maria Lopez</p></figcaption></figure>
    <p>Genes of <em>Danio rerio</em> and <span class="x">Ca<sup>2+</sup></span> waves; <strong>CO<sub>2</sub></strong>.</p>
    <p>See the <a href="/archive/2015">archive</a>, <a href="#top">this</a>, <a href="javascript:alert(1)">that</a>
       and <a href="mailto:bpod@example.org">write</a>.</p>
    </article></body></html>"""
    entry = parse_html(page, path=tmp_path / "x.html")
    assert entry.image == Image(
        "https://bpod.org.uk/media/eye.jpg", "Zebrafish eye", 800, 600, "A zebrafish eye, <em>in vivo</em>"
    )
    assert entry.credits == ("Image by Maria Lopez",)
    assert entry.paragraphs == (
        "Genes of <em>Danio rerio</em> and Ca<sup>2+</sup> waves; <strong>CO<sub>2</sub></strong>.",
        'See the <a href="https://bpod.org.uk/archive/2015">archive</a>, this, that and '
        '<a href="mailto:bpod@example.org">write</a>.',
    )
    fields = dict(entry.fields())
    assert fields["alt"] == "Zebrafish eye" and fields["caption"] == "A zebrafish eye, <em>in vivo</em>"


def test_html_og_image_is_the_fallback(tmp_path: Path) -> None:
    page = b"""<html><head><meta property="og:image" content="https://bpod.org.uk/pic.jpg">
    <meta property="og:image:alt" content="Cells"><meta property="og:image:width" content="640"></head>
    <body><article><h1>Cells</h1><time datetime="2015-10-08">x</time><p>Body text here.</p></article></body></html>"""
    assert parse_html(page, path=tmp_path / "x.html").image == Image("https://bpod.org.uk/pic.jpg", "Cells", 640)


def test_markdown_inline_markup_and_front_matter_image(tmp_path: Path) -> None:
    path = tmp_path / "2020-01-02-bugs.md"
    path.write_text(
        "---\ntitle: '*E. coli* on the Move'\ndate: 2020-01-02\n"
        "image: {url: 'https://bpod.org.uk/bugs.png', alt: 'Rod-shaped bacteria', width: 400}\n"
        "image_caption: 'Bacteria, *magnified*'\ncredits: ['Image by **Jo** Bloggs']\n---\n\n"
        "Swimming *E. coli* and _Vibrio_ use **flagella**, see [the paper](https://doi.org/10.1/y) and\n"
        "Ca<sup>2+</sup> with CO<sub>2</sub>.  \nA second line with `code` and [a bad link](javascript:alert(1)).\n",
        encoding="utf-8",
    )
    entry = read_entry(path)
    assert entry.title == "<em>E. coli</em> on the Move"
    assert entry.image == Image(
        "https://bpod.org.uk/bugs.png", "Rod-shaped bacteria", 400, None, "Bacteria, <em>magnified</em>"
    )
    assert entry.credits == ("Image by <strong>Jo</strong> Bloggs",)
    assert entry.paragraphs == (
        "Swimming <em>E. coli</em> and <em>Vibrio</em> use <strong>flagella</strong>, see "
        '<a href="https://doi.org/10.1/y">the paper</a> and Ca<sup>2+</sup> with CO<sub>2</sub>.<br/>'
        # markdown-it refuses a javascript: link: it stays text, never a link.
        "A second line with code and [a bad link](javascript:alert(1)).",
    )


def test_markdown_body_image_gives_the_entry_image(tmp_path: Path) -> None:
    path = tmp_path / "x.md"
    path.write_text(
        "---\ntitle: Bugs\ndate: 2020-01-02\n---\n\n![Rod-shaped bacteria](https://bpod.org.uk/b.png)\n\nText.\n"
    )
    entry = read_entry(path)
    assert (entry.image, entry.paragraphs) == (Image("https://bpod.org.uk/b.png", "Rod-shaped bacteria"), ("Text.",))


def test_json_values_are_inline_html_and_image_an_object(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text(
        json.dumps(
            {
                "title": "Sunny <i>Bones</i>",
                "date": "2013-01-06",
                "image": {"url": "https://bpod.org.uk/x.jpg", "alt": "An X-ray", "height": 300},
                "paragraphs": ["Vitamin D (<em>calciferol</em>) and p < 0.05, R&amp;D.", "Plain  text\n here."],
                "notices": ['Read it <a href="https://doi.org/z">here</a>'],
            }
        )
    )
    entry = read_entry(path)
    assert entry.title == "Sunny <i>Bones</i>"
    assert entry.image == Image("https://bpod.org.uk/x.jpg", "An X-ray", None, 300)
    assert entry.paragraphs == ("Vitamin D (<em>calciferol</em>) and p < 0.05, R&D.", "Plain text here.")
    assert entry.notices == ('Read it <a href="https://doi.org/z">here</a>',)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("image: javascript:alert(1)\n", "image needs an http(s) or relative address"),
        ("image: {url: 'https://a.org/x.png', colour: red}\n", "image: unknown key 'colour'"),
        ("image_alt: Cells\n", "image_alt without an image address"),
        ("title: X\n", "unknown key 'title' in a sidecar"),
    ],
)
def test_bad_sidecar_is_refused_with_its_line(tmp_path: Path, content: str, message: str) -> None:
    shutil.copy(PAGES / "2016-07-22-massing-to-defend.txt", tmp_path / "page.txt")
    (tmp_path / "page.yaml").write_text(content)
    with pytest.raises(InputError, match=re.escape(message)) as caught:
        read_entry(tmp_path / "page.txt")
    assert str(caught.value.path) == str(tmp_path / "page.yaml") and caught.value.line == 1


def test_page_text_image_from_a_sidecar(tmp_path: Path) -> None:
    shutil.copy(PAGES / "2016-07-22-massing-to-defend.txt", tmp_path / "page.txt")
    (tmp_path / "page.yaml").write_text("image: https://bpod.org.uk/t.jpg\nimage_alt: A T cell\nimage_width: 500\n")
    assert read_entry(tmp_path / "page.txt").image == Image("https://bpod.org.uk/t.jpg", "A T cell", 500)


def test_title_after_the_date_line() -> None:
    entry = read_entry(ARCHIVE / "title_after_date.txt")
    assert (entry.title, entry.date.isoformat(), entry.standfirst) == ("Sticky Feet", "2014-02-14", None)
    assert entry.paragraphs == (
        "Geckos cling to walls with millions of tiny hairs on their toes. Engineers now copy them.",
    )


def test_standfirst_between_banner_and_date() -> None:
    entry = read_entry(ARCHIVE / "standfirst_before_date.txt")
    assert (entry.title, entry.standfirst) == ("Seeing Genes", "How a fish keeps its eye in shape, one gene at a time")
    assert entry.slug == "2015-10-08-seeing-genes"


def test_declared_site_lines_are_dropped() -> None:
    path = ARCHIVE / "seasonal_greeting.txt"
    with pytest.raises(InputError, match="declare it in \\[ingest\\] extra_chrome") as caught:
        read_entry(path)
    assert caught.value.line == 1
    for declared in ("season's greetings   from all at BPoD!", r"re:Season's Greetings\b.*"):
        assert read_entry(path, chrome=SiteChrome((declared,))).title == "Frosty Cells"


def test_extra_chrome_setting_through_the_cli(cli, project_dir: Path) -> None:
    config = project_dir / "bpod-i18n.toml"
    config.write_text(config.read_text() + '\n[ingest]\nextra_chrome = ["Season\'s Greetings from all at BPoD!"]\n')
    result = cli("ingest", str(ARCHIVE / "seasonal_greeting.txt"), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["slug"] == "2015-12-24-frosty-cells"
    config.write_text(config.read_text() + 'extra_chrome = "x"\n')
    result = cli("entries")
    assert result.exit_code == 2 and "bpod-i18n.toml:" in result.stderr and "extra_chrome" in result.stderr


def test_folder_with_one_bad_page_stores_the_others(cli, project, project_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "archive"
    shutil.copytree(PAGES, folder)
    bad = folder / "2016-01-01-bad.txt"
    bad.write_text("Celebrate our birthday with us!\n\nTrained Killers\n30 April 2016\n\nTrained Killers\n\nText.\n")
    result = cli("ingest", str(folder))
    assert result.exit_code == 1, result.output
    assert result.stderr.strip() == (
        f"error: {bad}:1: unrecognised line before the title: 'Celebrate our birthday with us!' "
        "(a new site banner? declare it in [ingest] extra_chrome) (not stored)"
    )
    assert "3 entries: 3 new, 0 updated, 0 unchanged; 1 files not stored" in result.stdout
    slugs = sorted(e["slug"] for e in json.loads(cli("entries", "--json").stdout))
    assert slugs == ["2016-04-30-trained-killers", "2016-07-22-massing-to-defend", "2021-06-19-reassessing-als"]
    # Named alone, the bad page is an input error (exit 2) and nothing is stored.
    before = snapshot(project)
    result = cli("ingest", str(bad))
    assert result.exit_code == 2 and f"{bad}:1: unrecognised line" in result.stderr
    assert snapshot(project) == before


def test_image_option_for_one_page(cli, tmp_path: Path) -> None:
    page = tmp_path / "2016-07-22-massing-to-defend.txt"
    shutil.copy(PAGES / page.name, page)
    result = cli("ingest", str(page), "--image", "https://bpod.org.uk/m.jpg", "--image-alt", "A T cell", "--json")
    assert result.exit_code == 0, result.output
    shown = json.loads(cli("show", "2016-07-22-massing-to-defend", "--json").stdout)
    assert shown["image"] == {"url": "https://bpod.org.uk/m.jpg", "alt": "A T cell"}
    assert [u["source"] for u in shown["units_detail"] if u["field"] == "alt"] == ["A T cell"]
    assert "image: https://bpod.org.uk/m.jpg" in cli("show", "2016-07-22-massing-to-defend").stdout
    result = cli("ingest", str(PAGES), "--image", "https://bpod.org.uk/m.jpg")
    assert result.exit_code == 2 and "--image names the picture of one entry" in result.stderr

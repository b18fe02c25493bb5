"""Shared by the whole-entry tests: the sample entries (HTML, Markdown, JSON) with a picture,
italics, a link, sub/sup; a local HTTP server for the picture; DOM comparison; the browser."""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import struct
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import lxml.html
import polib
import pytest

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]

BODY = [
    "Genes switched on in the eye of a zebrafish (<em>Danio rerio</em>) light up in this image. "
    "Calcium ions (Ca<sup>2+</sup>) and CO<sub>2</sub> guide the growing cells.",
    'Read the published research article <a href="https://doi.org/10.1000/xyz">here</a> or see '
    "<strong>the data</strong> and <i>E. coli</i> controls.",
]
ALT = "Zebrafish eye with glowing genes"
CREDITS = ["Image from work by Maria Lopez and colleagues", "Institute of Ophthalmology, University College London, UK"]


def png(width: int = 32, height: int = 20) -> bytes:
    """A small red PNG, made here (no file to ship)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + b"\xcc\x22\x22" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


@contextmanager
def image_server(folder: Path) -> Iterator[str]:
    """A local HTTP server (127.0.0.1, a free port) serving ``folder``; yields its base URL."""
    (folder / "media").mkdir(parents=True, exist_ok=True)
    (folder / "media" / "genes.png").write_bytes(png())
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]  # quiet in test output
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def html_source(image_url: str, body: list[str] = BODY) -> str:
    paragraphs = "\n".join(f"<p>{p}</p>" for p in body)
    credits = "".join(f"<p>{c}</p>" for c in CREDITS)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Glowing Genes | BPoD</title></head>
<body><article>
<h1>Glowing Genes</h1>
<time datetime="2019-05-07">07 May 2019</time>
<figure><img src="{image_url}" alt="{ALT}" width="320" height="200">
<figcaption>{credits}</figcaption></figure>
<div class="body">
{paragraphs}
</div>
<p class="author">Written by Caroline Cross</p>
</article></body></html>
"""


MARKDOWN_BODY = [
    "Genes switched on in the eye of a zebrafish (*Danio rerio*) light up in this image. "
    "Calcium ions (Ca<sup>2+</sup>) and CO<sub>2</sub> guide the growing cells.",
    "Read the published research article [here](https://doi.org/10.1000/xyz) or see **the data** and _E. coli_ "
    "controls.",
]


def markdown_source(image_url: str) -> str:
    credits = ", ".join(json.dumps(c) for c in CREDITS)
    body = "\n\n".join(MARKDOWN_BODY)
    return (
        f"---\ntitle: Glowing Genes\ndate: 2019-05-07\n"
        f"image: {{url: '{image_url}', alt: '{ALT}', width: 320, height: 200}}\n"
        f"credits: [{credits}]\nauthor: Caroline Cross\n---\n\n{body}\n"
    )


def json_source(image_url: str, body: list[str] = BODY) -> str:
    return json.dumps(
        {
            "title": "Glowing Genes",
            "date": "2019-05-07",
            "image": {"url": image_url, "alt": ALT, "width": 320, "height": 200},
            "paragraphs": body,
            "credits": CREDITS,
            "author": "Caroline Cross",
        },
        indent=2,
    )


SLUG = "2019-05-07-glowing-genes"


def fill_po(path: Path, translate: Any = None) -> None:
    """Every msgstr set to its msgid (or ``translate(msgid, index)``), no fuzzy left, as a
    translator's tool would save it."""
    po = polib.pofile(str(path))
    po.metadata["Last-Translator"] = "Marta Puig <marta@uv.es>"
    for index, entry in enumerate(po):
        entry.msgstr = translate(entry.msgid, index) if translate else entry.msgid
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = None
        entry.previous_msgctxt = None
    po.save(str(path))


def canonical(el: lxml.html.HtmlElement) -> tuple:
    """An element as (tag, attributes, text, children, tail), whitespace as a browser shows it."""

    def space(text: str | None) -> str:
        return re.sub(r"[ \t\n\r\f]+", " ", text or "")

    return (
        el.tag,
        tuple(sorted(el.attrib.items())),
        space(el.text),
        tuple(canonical(child) for child in el if isinstance(child.tag, str)),
        space(el.tail),
    )


def paragraphs_dom(html: str) -> list[tuple]:
    """The <p> elements of an HTML fragment or page, canonical, tails dropped."""
    doc = lxml.html.fragment_fromstring(f"<div>{html}</div>")
    return [canonical(p)[:4] for p in doc.iter("p")]


def chromium_path() -> str:
    found = os.environ.get("BPOD_I18N_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if Path(found).exists():
        return found
    reason = "chromium not found: install Debian's chromium (apt-get install chromium) or set BPOD_I18N_CHROMIUM"
    if os.environ.get("BPOD_I18N_ALLOW_MISSING_CHROMIUM") == "1":
        pytest.skip(reason)
    pytest.fail(reason + " (or set BPOD_I18N_ALLOW_MISSING_CHROMIUM=1 to skip)", pytrace=False)


@contextmanager
def browser() -> Iterator[Any]:
    """Headless Debian chromium driven by Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


def screenshot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / name
    page.screenshot(path=str(target), full_page=True)
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    return target

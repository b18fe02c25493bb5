"""Page text: what a browser gives when you copy or save a BPoD entry page as text.

Each non-blank line is one block (the site never breaks a paragraph over lines, so a
paragraph is one line, kept exactly apart from stripping its ends). Blank lines only
separate blocks; the title and date lines may follow each other with none between.

Page text has no image: it comes from ``ingest --image URL`` or from a sidecar file beside
the page, ``<name>.yaml`` (see :func:`bpod_i18n.sources.frontmatter.read_sidecar`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bpod_i18n.model import Image, SourceEntry
from bpod_i18n.sources.blocks import Block, assemble_entry
from bpod_i18n.sources.frontmatter import read_sidecar
from bpod_i18n.sources.site import NO_CHROME, SiteChrome
from bpod_i18n.sources.textfile import read_text


def text_blocks(text: str) -> list[Block]:
    """One block per non-blank line, numbered from 1."""
    return [Block(line, number) for number, line in enumerate(text.splitlines(), 1) if line.strip()]


def parse_page_text(
    text: str,
    *,
    path: Path,
    date: dt.date | None = None,
    title: str | None = None,
    image: Image | None = None,
    chrome: SiteChrome = NO_CHROME,
) -> SourceEntry:
    return assemble_entry(
        text_blocks(text), path=path, source_format="text", date=date, title=title, image=image, chrome=chrome
    )


def read_page_text(
    path: Path,
    *,
    date: dt.date | None = None,
    title: str | None = None,
    image: Image | None = None,
    chrome: SiteChrome = NO_CHROME,
) -> SourceEntry:
    text = read_text(path)
    return parse_page_text(text, path=path, date=date, title=title, image=image or read_sidecar(path), chrome=chrome)

"""HTML entry pages, read with lxml (libxml2's forgiving HTML parser).

1. The entry is looked for in the first ``<article>`` with a heading, else ``<main>`` /
   ``role="main"`` / ``class="entry"``, else ``<body>`` (dropping its ``<nav>``, ``<aside>``,
   ``<footer>`` and any ``<header>`` without the ``<h1>``).
2. Its block elements become blocks in reading order, exactly like the lines of page text,
   so the page-text rules apply (banner and footer lines dropped, title repeat, notices...).
3. Explicit markup wins over the layout rules when present: the title is the element with
   class ``title``/``entry-title`` or ``itemprop="headline"``, else the first ``<h1>``; the
   date is ``class="date"``/``itemprop="datePublished"`` or the first ``<time>`` (its
   ``datetime`` attribute, else its text); classes ``label``, ``standfirst``, ``author``/
   ``byline``, ``credit``/``credits``, ``notice`` mark those fields (a container's class applies
   to each paragraph inside it); ``role="navigation|banner|contentinfo"``, class ``banner``,
   ``share``, ``social``... and ``<script>``, ``<style>``, ``<nav>``, ``<aside>``, ``<form>`` are
   chrome.

Inline markup is kept (see :mod:`bpod_i18n.sources.htmlwalk`): ``<em>Danio rerio</em>``,
``Ca<sup>2+</sup>``, a link. Whitespace is collapsed as a browser does (U+00A0 is kept).

4. The image is the first ``<img>`` of a ``<figure>`` in the entry, else the entry's first
   ``<img>`` outside site chrome, else the page's ``og:image``: its address (resolved against
   the page's base address when it has one), ``alt``, ``width`` and ``height``. Paragraphs of
   a ``<figcaption>`` are its caption, except credit lines, which stay credits.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import lxml.etree
import lxml.html

from bpod_i18n.errors import InputError
from bpod_i18n.model import Image, SourceEntry
from bpod_i18n.sources.blocks import BODY_ONLY_HINT, Block, assemble_entry
from bpod_i18n.sources.htmlwalk import CHROME_ARIA_ROLES, SKIP_TAGS, Walker, elements, marker_role
from bpod_i18n.sources.patterns import Role
from bpod_i18n.sources.site import NO_CHROME, SiteChrome
from bpod_i18n.sources.textfile import decode_utf8, read_bytes, refuse_binary

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def _decode(data: bytes, path: Path) -> str:
    """UTF-8, or the encoding the page declares in a <meta charset>."""
    try:
        return decode_utf8(data, path)
    except InputError:
        declared = _META_CHARSET.search(data[:4096])
        if declared is None:
            raise
        charset = declared.group(1).decode("ascii")
        try:
            return data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            raise InputError(f"cannot decode the page as its declared charset {charset!r}", path=path) from None


def _find_root(doc: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    articles = doc.xpath("//article")
    for article in articles:
        if article.xpath(".//h1") or any(marker_role(el) is Role.TITLE for el in elements(article)):
            return article
    if articles:
        return articles[0]
    for query in ("//main", "//*[@role='main']", "//*[contains(concat(' ', @class, ' '), ' entry ')]"):
        found = doc.xpath(query)
        if found:
            return found[0]
    body = doc.find("body")
    root = body if body is not None else doc
    for el in root.xpath(".//footer | .//header[not(.//h1)]"):
        el.drop_tree()
    return root


def _document(data: bytes, path: Path) -> lxml.html.HtmlElement:
    text = _decode(data, path)
    if not text.strip():
        raise InputError("empty file", path=path)
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True)
    try:
        return lxml.html.document_fromstring(text.encode("utf-8"), parser=parser)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise InputError(f"cannot parse the HTML: {exc}", path=path) from None


def html_blocks(data: bytes, path: Path) -> list[Block]:
    return _blocks(_document(data, path))[0]


def _blocks(doc: lxml.html.HtmlElement) -> tuple[list[Block], Image | None]:
    base = _base_url(doc)
    image = _image(doc, base)  # before _find_root, which drops the page's header and footer
    root = _find_root(doc)
    walker = Walker(root, base)
    walker.walk(root, None)
    return _header_first(walker.blocks), image


def _base_url(doc: lxml.html.HtmlElement) -> str | None:
    """The page's own address, against which its relative links are read."""
    for query in ("//base/@href", "//link[@rel='canonical']/@href", "//meta[@property='og:url']/@content"):
        for value in doc.xpath(query):
            if str(value).startswith(("http://", "https://")):
                return str(value)
    return None


def _in_chrome(el: lxml.html.HtmlElement) -> bool:
    for ancestor in el.iterancestors():
        if ancestor.tag in SKIP_TAGS or (ancestor.tag in ("header", "footer") and not ancestor.xpath(".//h1")):
            return True
        if marker_role(ancestor) is Role.CHROME or (ancestor.get("role") or "").lower() in CHROME_ARIA_ROLES:
            return True
    return False


def _pixels(value: object) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() and 0 < int(text) < 100_000 else None


def _image_url(src: str | None, base: str | None) -> str | None:
    src = (src or "").strip()
    if not src or src.startswith("data:"):
        return None
    url = urljoin(base, src) if base else src
    scheme = urlsplit(url).scheme.lower()
    return url if scheme in ("http", "https", "") else None


def _image(doc: lxml.html.HtmlElement, base: str | None) -> Image | None:
    candidates = [
        img
        for query in ("//article//figure//img", "//main//figure//img", "//figure//img", "//article//img", "//main//img")
        for img in doc.xpath(query)
        if not _in_chrome(img)
    ]
    for img in candidates:
        url = _image_url(img.get("src"), base)
        if url:
            alt = " ".join((img.get("alt") or "").split()) or None
            return Image(url, alt, _pixels(img.get("width")), _pixels(img.get("height")))
    meta = {
        str(el.get("property") or el.get("name") or "").lower(): str(el.get("content") or "")
        for el in doc.xpath("//meta[@content]")
    }
    url = _image_url(meta.get("og:image"), base)
    if url:
        alt = " ".join(meta.get("og:image:alt", "").split()) or None
        return Image(url, alt, _pixels(meta.get("og:image:width")), _pixels(meta.get("og:image:height")))
    return None


def _header_first(blocks: list[Block]) -> list[Block]:
    """With a marked-up title and date, read label, title, standfirst and date first.

    A page may put its <time> in a byline under the text; the layout rules expect it
    before the body.
    """
    marked = {b.role for b in blocks}
    if Role.TITLE not in marked or Role.DATE not in marked:
        return blocks
    order = (Role.LABEL, Role.TITLE, Role.STANDFIRST, Role.DATE)
    header = [next(b for b in blocks if b.role is role) for role in order if role in marked]
    return header + [b for b in blocks if not any(b is h for h in header)]


def parse_html(
    data: bytes,
    *,
    path: Path,
    date: dt.date | None = None,
    title: str | None = None,
    image: Image | None = None,
    chrome: SiteChrome = NO_CHROME,
) -> SourceEntry:
    blocks, found_image = _blocks(_document(data, path))
    if not blocks:
        raise InputError("no entry found: the page has no text outside the site chrome", path=path)
    try:
        return assemble_entry(
            blocks, path=path, source_format="html", date=date, title=title, image=image or found_image, chrome=chrome
        )
    except InputError as exc:
        marked = any(b.role in (Role.TITLE, Role.DATE) for b in blocks)
        if exc.message == BODY_ONLY_HINT and not marked:
            raise InputError(
                "no entry found: no title (<h1>) and no date (<time> or a line like '30 April 2016'); "
                "for a body-only copy give --date and --title",
                path=path,
            ) from None
        raise


def read_html(
    path: Path,
    *,
    date: dt.date | None = None,
    title: str | None = None,
    image: Image | None = None,
    chrome: SiteChrome = NO_CHROME,
) -> SourceEntry:
    data = read_bytes(path)
    refuse_binary(data, path)
    return parse_html(data, path=path, date=date, title=title, image=image, chrome=chrome)

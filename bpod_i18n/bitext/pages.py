"""Saved pages of the mirror: the HTML of a ``/fotos/<slug>/`` page, or its text as copied
from a browser.

**Page text.** The date line ("30 d'abril de 2016", read through Babel's month names) is
the anchor: the line before it is the title, or, when that line is long (a sentence), the
standfirst with the title before it; lines above are the site's header. After the date, a
repeat of the title is skipped; then come the body, notices, "Escrit per NAME" and the
credit lines; whatever follows them is the site's footer.

**HTML.** The post is the first ``<article>`` (else ``<main>``, else the body); its title the
``entry-title`` / first ``<h1>``; its date the ``<time datetime>``, else a line of the page
that is a date; its content the ``entry-content`` element (else the article's blocks). The
page's ``<link rel="canonical">`` (the post's URL) names it in history.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import lxml.html

from bpod_i18n.bitext.content import build_entry, element_lines
from bpod_i18n.bitext.dates import parse_local_date
from bpod_i18n.bitext.model import LocalizedEntry
from bpod_i18n.errors import InputError
from bpod_i18n.sources.textfile import decode_utf8, read_bytes, read_text, refuse_binary

STANDFIRST_MIN_WORDS = 12
NO_DATE = 'no date found: a mirror page needs its publication date (such as "30 d\'abril de 2016")'


def _date_of(line: str, locale: str, path: Path, number: int | None) -> dt.date | None:
    try:
        return parse_local_date(line, locale)
    except ValueError:
        raise InputError(f"{line.strip()!r} is not a real day", path=path, line=number) from None


def read_page_text(path: Path, locale: str) -> LocalizedEntry:
    path = Path(path)
    lines = read_text(path).splitlines()
    for index, line in enumerate(lines):
        date = _date_of(line, locale, path, index + 1)
        if date is not None:
            break
    else:
        raise InputError(NO_DATE, path=path)
    before = [line.strip() for line in lines[:index] if line.strip()]
    if not before:
        raise InputError("no title before the date line", path=path, line=index + 1)
    title, standfirst = before[-1], None
    if len(before) >= 2 and len(before[-1].split()) >= STANDFIRST_MIN_WORDS:
        title, standfirst = before[-2], before[-1]
    after = [line.strip() for line in lines[index + 1 :] if line.strip()]
    if after and after[0] == title:
        after = after[1:]
    return build_entry(
        source=str(path), locale=locale, date=date, title=title, lines=after, standfirst=standfirst, slug=path.stem
    )


def read_page_html(path: Path, locale: str) -> LocalizedEntry:
    path = Path(path)
    data = read_bytes(path)
    refuse_binary(data, path)
    text = decode_utf8(data, path)
    if not text.strip():
        raise InputError("empty file", path=path)
    doc = lxml.html.document_fromstring(data, parser=lxml.html.HTMLParser(encoding="utf-8", remove_comments=True))
    canonical = doc.xpath("//link[@rel='canonical']/@href")
    root = (doc.xpath("//article") or doc.xpath("//main") or doc.xpath("//body") or [doc])[0]
    title_el = (
        root.xpath(".//*[contains(concat(' ', @class, ' '), ' entry-title ')]")
        or root.xpath(".//h1")
        or doc.xpath("//h1")
    )
    if not title_el:
        raise InputError('no title found (no <h1> or class="entry-title")', path=path)
    title = " ".join(title_el[0].text_content().split())
    date = _html_date(doc, root, locale, path)
    content = root.xpath(".//*[contains(concat(' ', @class, ' '), ' entry-content ')]")
    if content:
        lines, standfirst = element_lines(content[0])
    else:
        title_el[0].drop_tree()
        for el in root.xpath(".//time | .//*[contains(concat(' ', @class, ' '), ' entry-meta ')]"):
            el.drop_tree()
        lines, standfirst = element_lines(root)
    return build_entry(
        source=str(canonical[0]) if canonical else str(path),
        locale=locale,
        date=date,
        title=title,
        lines=lines,
        standfirst=standfirst,
        slug=path.stem if path.stem != "index" else path.parent.name,
    )


def _html_date(doc: lxml.html.HtmlElement, root: lxml.html.HtmlElement, locale: str, path: Path) -> dt.date:
    for value in root.xpath(".//time/@datetime") + doc.xpath("//meta[@property='article:published_time']/@content"):
        try:
            return dt.datetime.fromisoformat(str(value).strip().replace("Z", "+00:00")).date()
        except ValueError:
            continue
    for el in root.iter():
        if not isinstance(el.tag, str) or len(el):
            continue
        date = _date_of(el.text_content(), locale, path, el.sourceline)
        if date is not None:
            return date
    raise InputError(NO_DATE, path=path)


def read_page(path: Path, locale: str) -> LocalizedEntry:
    suffix = Path(path).suffix.lower()
    if suffix in (".html", ".htm"):
        return read_page_html(path, locale)
    if suffix == ".txt":
        return read_page_text(path, locale)
    raise InputError(f"unsupported file type {suffix or '(none)'!r}; expected .xml (WXR), .html or .txt", path=path)

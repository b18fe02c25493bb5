"""WordPress eXtended RSS (WXR) 1.2: the file the WordPress Importer loads, and reading it back.

Written with lxml's incremental writer (no string templates, no whole document in memory):
the same elements, in the same order, that WordPress's own ``export_wp()`` writes for posts,
attachments and categories, so the importer (which reads them with an XML parser) sees what it
expects. Never a DOCTYPE: the importer refuses a file that has one. Text goes into CDATA
sections as in ``export_wp()``; a text holding ``]]>`` is split across two sections
(``]]]]><![CDATA[>``), since one section cannot hold it.

:func:`read_wxr` reads such a file (ours, or a site's own export) into plain data; the mirror
import of published translations can use it too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from email.utils import format_datetime
from pathlib import Path
from typing import IO, Any

from lxml import etree

from bpod_i18n.errors import InputError, OutputError

WXR_VERSION = "1.2"
NS = {
    "excerpt": "http://wordpress.org/export/1.2/excerpt/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "wfw": "http://wellformedweb.org/CommentAPI/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "wp": "http://wordpress.org/export/1.2/",
}
_WP = f"{{{NS['wp']}}}"
_DC = f"{{{NS['dc']}}}"
_CONTENT = f"{{{NS['content']}}}"
_EXCERPT = f"{{{NS['excerpt']}}}"
# The term taxonomies a post's <category domain="..."> may name (WordPress's export names).
TERM_DOMAINS = {"category": "category", "post_tag": "post_tag"}


@dataclass(frozen=True)
class WxrTerm:
    taxonomy: str  # "category" or "post_tag"
    slug: str
    name: str


@dataclass(frozen=True)
class WxrItem:
    """One post or attachment. Dates are naive: ``date`` in the site's time, ``date_gmt`` in UTC."""

    post_id: int
    post_type: str
    slug: str
    title: str
    date: dt.datetime
    date_gmt: dt.datetime
    status: str
    creator: str
    link: str
    content: str = ""
    excerpt: str = ""
    parent: int = 0
    terms: tuple[WxrTerm, ...] = ()
    meta: tuple[tuple[str, str], ...] = ()
    attachment_url: str | None = None

    def meta_value(self, key: str) -> str | None:
        return next((value for name, value in self.meta if name == key), None)


@dataclass(frozen=True)
class WxrSite:
    title: str
    link: str  # the site's address (base_site_url, base_blog_url)
    description: str = ""
    language: str = "en-US"
    author_login: str = "bpod-i18n"
    author_name: str = "bpod-i18n"


@dataclass
class WxrDocument:
    """What :func:`read_wxr` found."""

    version: str
    site: WxrSite
    terms: list[WxrTerm] = field(default_factory=list)
    items: list[WxrItem] = field(default_factory=list)


def cdata_parts(text: str) -> list[str]:
    """``text`` cut so that no part holds ``]]>``: each part is one CDATA section."""
    parts = text.split("]]>")
    if len(parts) == 1:
        return [text]
    return [parts[0] + "]]", *(">" + part + "]]" for part in parts[1:-1]), ">" + parts[-1]]


def write_wxr(out: IO[bytes], site: WxrSite, terms: Iterable[WxrTerm], items: Iterable[WxrItem]) -> int:
    """Write a WXR 1.2 document to ``out``; returns the number of items. Raises OutputError on
    a text XML cannot hold (a control character)."""
    count = 0
    try:
        with etree.xmlfile(out, encoding="UTF-8") as xf:
            xf.write_declaration()
            xf.write(
                etree.Comment(
                    " WordPress eXtended RSS (WXR) 1.2 written by bpod-i18n: load it with the WordPress Importer "
                    "(Tools > Import > WordPress). "
                )
            )
            with xf.element("rss", {"version": "2.0"}, nsmap=NS):
                xf.write("\n")
                with xf.element("channel"):
                    _channel(xf, site, terms)
                    for item in items:
                        _item(xf, item)
                        count += 1
    except ValueError as exc:  # lxml refuses text XML 1.0 cannot carry
        raise OutputError(f"cannot write WXR: {exc}") from None
    return count


def _channel(xf: Any, site: WxrSite, terms: Iterable[WxrTerm]) -> None:
    _plain(xf, "title", site.title)
    _plain(xf, "link", site.link)
    _plain(xf, "description", site.description)
    _plain(xf, "pubDate", format_datetime(dt.datetime.now(dt.UTC).replace(microsecond=0)))
    _plain(xf, "language", site.language)
    _plain(xf, _WP + "wxr_version", WXR_VERSION)
    _plain(xf, _WP + "base_site_url", site.link)
    _plain(xf, _WP + "base_blog_url", site.link)
    with xf.element(_WP + "author"):
        _plain(xf, _WP + "author_id", "1")
        _cdata(xf, _WP + "author_login", site.author_login)
        _cdata(xf, _WP + "author_email", "")
        _cdata(xf, _WP + "author_display_name", site.author_name)
        _cdata(xf, _WP + "author_first_name", "")
        _cdata(xf, _WP + "author_last_name", "")
    xf.write("\n")
    for number, term in enumerate(terms, 1):
        if term.taxonomy == "category":
            with xf.element(_WP + "category"):
                _plain(xf, _WP + "term_id", str(number))
                _cdata(xf, _WP + "category_nicename", term.slug)
                _cdata(xf, _WP + "category_parent", "")
                _cdata(xf, _WP + "cat_name", term.name)
        else:
            with xf.element(_WP + "tag"):
                _plain(xf, _WP + "term_id", str(number))
                _cdata(xf, _WP + "tag_slug", term.slug)
                _cdata(xf, _WP + "tag_name", term.name)
        xf.write("\n")
    _plain(xf, "generator", "bpod-i18n")


def _item(xf: Any, item: WxrItem) -> None:
    with xf.element("item"):
        _cdata(xf, "title", item.title)
        _plain(xf, "link", item.link)
        _plain(xf, "pubDate", format_datetime(item.date_gmt.replace(tzinfo=dt.UTC)))
        _cdata(xf, _DC + "creator", item.creator)
        with xf.element("guid", {"isPermaLink": "false"}):
            xf.write(item.attachment_url or item.link)
        xf.write("\n")
        _plain(xf, "description", "")
        _cdata(xf, _CONTENT + "encoded", item.content)
        _cdata(xf, _EXCERPT + "encoded", item.excerpt)
        _plain(xf, _WP + "post_id", str(item.post_id))
        _cdata(xf, _WP + "post_date", _wp_date(item.date))
        _cdata(xf, _WP + "post_date_gmt", _wp_date(item.date_gmt))
        _cdata(xf, _WP + "post_modified", _wp_date(item.date))
        _cdata(xf, _WP + "post_modified_gmt", _wp_date(item.date_gmt))
        _cdata(xf, _WP + "comment_status", "closed")
        _cdata(xf, _WP + "ping_status", "closed")
        _cdata(xf, _WP + "post_name", item.slug)
        _cdata(xf, _WP + "status", item.status)
        _plain(xf, _WP + "post_parent", str(item.parent))
        _plain(xf, _WP + "menu_order", "0")
        _cdata(xf, _WP + "post_type", item.post_type)
        _cdata(xf, _WP + "post_password", "")
        _plain(xf, _WP + "is_sticky", "0")
        if item.attachment_url:
            _cdata(xf, _WP + "attachment_url", item.attachment_url)
        for term in item.terms:
            with xf.element("category", {"domain": TERM_DOMAINS[term.taxonomy], "nicename": term.slug}):
                _write_cdata(xf, term.name)
            xf.write("\n")
        for key, value in item.meta:
            with xf.element(_WP + "postmeta"):
                _cdata(xf, _WP + "meta_key", key)
                _cdata(xf, _WP + "meta_value", value)
            xf.write("\n")
    xf.write("\n")


def _plain(xf: Any, tag: str, text: str) -> None:
    with xf.element(tag):
        if text:
            xf.write(text)
    xf.write("\n")


def _cdata(xf: Any, tag: str, text: str) -> None:
    with xf.element(tag):
        _write_cdata(xf, text)
    xf.write("\n")


def _write_cdata(xf: Any, text: str) -> None:
    xf.write(*(etree.CDATA(part) for part in cdata_parts(text)))


def _wp_date(value: dt.datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S")


# --- reading ------------------------------------------------------------------------------


def read_wxr(path: Path) -> WxrDocument:
    """A WXR file as plain data (posts and attachments with their terms and meta).

    Refused, naming the file and line: not XML, a DOCTYPE (entity tricks; WordPress's importer
    refuses it too), not an RSS document with a ``wp:wxr_version``."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, remove_blank_text=False)
    try:
        tree = etree.parse(str(path), parser)
    except etree.XMLSyntaxError as exc:
        raise InputError(f"not a WXR file: {exc.msg}", path=path, line=exc.lineno) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc}", path=path) from None
    if tree.docinfo.doctype:
        raise InputError("a WXR file must not have a DOCTYPE", path=path, line=1)
    root = tree.getroot()
    channel = root.find("channel")
    version = _text(channel, _WP + "wxr_version") if channel is not None else ""
    if root.tag != "rss" or channel is None or not version:
        raise InputError("not a WXR file (no <rss><channel> with wp:wxr_version)", path=path, line=root.sourceline)
    site = WxrSite(
        title=_text(channel, "title"),
        link=_text(channel, _WP + "base_site_url") or _text(channel, "link"),
        description=_text(channel, "description"),
        language=_text(channel, "language"),
    )
    document = WxrDocument(version, site)
    for element in channel.iterfind(_WP + "category"):
        document.terms.append(
            WxrTerm("category", _text(element, _WP + "category_nicename"), _text(element, _WP + "cat_name"))
        )
    for element in channel.iterfind(_WP + "tag"):
        document.terms.append(WxrTerm("post_tag", _text(element, _WP + "tag_slug"), _text(element, _WP + "tag_name")))
    for element in channel.iterfind("item"):
        document.items.append(_read_item(element, path))
    return document


def _read_item(element: Any, path: Path) -> WxrItem:
    try:
        post_id = int(_text(element, _WP + "post_id") or "0")
        parent = int(_text(element, _WP + "post_parent") or "0")
        date = _parse_date(_text(element, _WP + "post_date"))
        date_gmt = _parse_date(_text(element, _WP + "post_date_gmt"))
    except ValueError as exc:
        raise InputError(f"bad item: {exc}", path=path, line=element.sourceline) from None
    terms = tuple(
        WxrTerm(
            "post_tag" if term.get("domain") == "post_tag" else str(term.get("domain")),
            term.get("nicename") or "",
            term.text or "",
        )
        for term in element.iterfind("category")
        if term.get("domain") in TERM_DOMAINS
    )
    meta = tuple(
        (_text(item, _WP + "meta_key"), _text(item, _WP + "meta_value")) for item in element.iterfind(_WP + "postmeta")
    )
    return WxrItem(
        post_id=post_id,
        post_type=_text(element, _WP + "post_type"),
        slug=_text(element, _WP + "post_name"),
        title=_text(element, "title"),
        date=date,
        date_gmt=date_gmt,
        status=_text(element, _WP + "status"),
        creator=_text(element, _DC + "creator"),
        link=_text(element, "link"),
        content=_text(element, _CONTENT + "encoded"),
        excerpt=_text(element, _EXCERPT + "encoded"),
        parent=parent,
        terms=terms,
        meta=meta,
        attachment_url=_text(element, _WP + "attachment_url") or None,
    )


def _text(element: Any, tag: str) -> str:
    found = element.find(tag)
    return found.text or "" if found is not None else ""


def _parse_date(value: str) -> dt.datetime:
    if not value or value.startswith("0000-00-00"):
        return dt.datetime(1970, 1, 1)
    return dt.datetime.strptime(value, "%Y-%m-%d %H:%M:%S")


def iter_posts(document: WxrDocument, post_type: str) -> Iterator[WxrItem]:
    return (item for item in document.items if item.post_type == post_type)

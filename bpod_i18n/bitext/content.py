"""A post's HTML content as lines, and building a LocalizedEntry from lines.

WordPress gives post content two ways: rendered (the REST API, a saved page: ``<p>`` blocks)
or raw (a WXR export of the classic editor: paragraphs separated by blank lines, the ``<p>``
added only when the page is shown). Both become the same lines: one per block element, a
``<br>`` starting a new line, inline markup dropped (``<em>Danio rerio</em>`` → "Danio
rerio"), whitespace collapsed as a browser does. lxml's HTML parser does the reading.
"""

from __future__ import annotations

import datetime as dt
import re

import lxml.etree
import lxml.html

from bpod_i18n.bitext.model import LocalizedEntry
from bpod_i18n.bitext.roles import sort_lines

BLOCKS = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "div", "figcaption", "pre", "dd", "dt", "td", "th"}
)
_SKIP = frozenset({"script", "style", "nav", "aside", "form", "noscript", "template"})
_BLOCK_TAG = re.compile(r"<(?:p|div|h[1-6]|li|blockquote|figcaption)\b", re.IGNORECASE)
_BLANK_LINES = re.compile(r"\n[ \t]*\n")
_STANDFIRST_CLASSES = frozenset({"standfirst", "entradeta", "subtitle", "subtitol"})


def _parser() -> lxml.html.HTMLParser:
    return lxml.html.HTMLParser(encoding="utf-8", remove_comments=True)


def fragment(html: str) -> lxml.html.HtmlElement:
    """An HTML fragment (a post's content) under one ``<div>``."""
    return lxml.html.fragment_fromstring(html.encode("utf-8"), create_parent="div", parser=_parser())


def plain(html: str) -> str:
    """Text of a short HTML string (a rendered title: "Assassins entrenats &#8217;…")."""
    if not html.strip():
        return ""
    return " ".join(fragment(html).text_content().split())


def _classes(el: lxml.html.HtmlElement) -> set[str]:
    return set((el.get("class") or "").lower().split())


def element_lines(root: lxml.html.HtmlElement) -> tuple[list[str], str | None]:
    """(content lines, standfirst marked by class) of an element holding a post's content."""
    for el in list(root.iter(*_SKIP)):
        el.drop_tree()
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    lines: list[str] = []
    standfirst: str | None = None
    for el in root.iter(lxml.etree.Element):
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag not in BLOCKS or any(isinstance(d.tag, str) and d.tag in BLOCKS for d in el.iterdescendants()):
            continue
        text = el.text_content()
        parts = [" ".join(part.split()) for part in text.split("\n")]
        parts = [part for part in parts if part]
        if parts and _classes(el) & _STANDFIRST_CLASSES:
            standfirst = " ".join(parts)
            continue
        lines += parts
    if not lines and root.text_content().strip():  # text with no block element at all
        lines = [" ".join(part.split()) for part in root.text_content().split("\n") if part.strip()]
    return lines, standfirst


def content_lines(html: str) -> tuple[list[str], str | None]:
    """Lines of a post's content, rendered or raw; and a standfirst marked by class."""
    if not html.strip():
        return [], None
    if not _BLOCK_TAG.search(html):
        # Raw content of the classic editor: WordPress's wpautop makes each blank-line
        # separated chunk a paragraph and each remaining newline a <br>.
        chunks = [chunk.strip() for chunk in _BLANK_LINES.split(html.replace("\r\n", "\n")) if chunk.strip()]
        html = "".join("<p>" + chunk.replace("\n", "<br>") + "</p>" for chunk in chunks)
    return element_lines(fragment(html))


def build_entry(
    *,
    source: str,
    locale: str,
    date: dt.date,
    title: str,
    lines: list[str],
    standfirst: str | None = None,
    slug: str | None = None,
    line: int | None = None,
) -> LocalizedEntry:
    content = sort_lines(lines, locale)
    return LocalizedEntry(
        source=source,
        locale=locale,
        date=date,
        title=" ".join(title.split()),
        paragraphs=content.paragraphs,
        standfirst=" ".join(standfirst.split()) if standfirst else None,
        notices=content.notices,
        credits=content.credits,
        author=content.author,
        slug=slug,
        line=line,
    )


def is_auto_excerpt(excerpt: str, lines: list[str]) -> bool:
    """WordPress makes an excerpt from the content when the editor wrote none (the first 55
    words and "[…]"): that is no standfirst."""
    text = " ".join(excerpt.split())
    if not text:
        return True
    if text.endswith(("[…]", "[...]", "[&hellip;]", "…", "...")):
        return True
    body = " ".join(lines)
    return body.startswith(text[: max(20, len(text) // 2)])

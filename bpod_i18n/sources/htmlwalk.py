"""Walk the element tree of an HTML entry and collect its blocks in reading order.

Block elements (``<p>``, ``<h1>``..., ``<li>``, ``<figcaption>``, ``<div>`` with text...)
give one block each; inline elements (``<em>``, ``<a>``, ``<span>``...) are read as plain
text. Broken nesting is tolerated: an inline element left open around later paragraphs
(an unclosed ``<em>``) is looked through, so those paragraphs stay separate blocks.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from lxml.html import HtmlElement

from bpod_i18n.sources.blocks import Block
from bpod_i18n.sources.patterns import Role
from bpod_i18n.sources.site import is_chrome_line

SKIP_TAGS = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "nav",
        "aside",
        "form",
        "button",
        "iframe",
        "svg",
        "select",
        "textarea",
        "input",
        "img",
        "video",
        "audio",
        "canvas",
        "head",
        "title",
        "meta",
        "link",
    }
)
BLOCK_TAGS = frozenset(
    {
        "p",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "dt",
        "dd",
        "figcaption",
        "pre",
        "address",
        "td",
        "th",
        "caption",
        "summary",
        "legend",
        "html",
        "body",
        "div",
        "section",
        "article",
        "main",
        "header",
        "footer",
        "ul",
        "ol",
        "dl",
        "figure",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "blockquote",
        "hgroup",
        "details",
        "fieldset",
        "center",
    }
)
MARKER_CLASSES: dict[Role, frozenset[str]] = {
    Role.TITLE: frozenset({"title", "entry-title", "post-title"}),
    Role.LABEL: frozenset({"label", "event", "event-label", "kicker"}),
    Role.STANDFIRST: frozenset({"standfirst", "subtitle", "entry-summary"}),
    Role.DATE: frozenset({"date", "entry-date", "published"}),
    Role.AUTHOR: frozenset({"author", "byline"}),
    Role.CREDIT: frozenset({"credit", "credits", "image-credit"}),
    Role.NOTICE: frozenset({"notice", "notices"}),
    Role.CHROME: frozenset(
        {"banner", "site-header", "site-footer", "share", "social", "menu", "breadcrumbs", "sidebar", "comments"}
    ),
}
ITEMPROP_ROLES = {"headline": Role.TITLE, "datepublished": Role.DATE, "author": Role.AUTHOR}
CHROME_ARIA_ROLES = frozenset({"navigation", "banner", "contentinfo", "search", "complementary"})
# Roles an inline element can give the paragraph around it (<span class="author">).
INLINE_MARKS = (Role.AUTHOR, Role.CREDIT, Role.NOTICE, Role.STANDFIRST)

_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")
_BR = "\ue000"  # private-use stand-in for <br> while spaces are collapsed
# What is left of a byline once its date is taken out: "Written by X on", "X |".
_DANGLING = re.compile(r"(?:\s+(?:on|at)|\s*[,|\u00b7\u2013\u2014-])+$")


def marker_role(el: HtmlElement) -> Role | None:
    """The role an element's own attributes give it (class, itemprop, ARIA role)."""
    if (el.get("role") or "").lower() in CHROME_ARIA_ROLES:
        return Role.CHROME
    itemprop = (el.get("itemprop") or "").lower()
    if itemprop in ITEMPROP_ROLES:
        return ITEMPROP_ROLES[itemprop]
    classes = set((el.get("class") or "").lower().split())
    for role, names in MARKER_CLASSES.items():
        if classes & names:
            return role
    return None


def elements(root: HtmlElement) -> list[HtmlElement]:
    return [el for el in root.iter() if isinstance(el.tag, str)]


def _raw_text(el: HtmlElement, skip: tuple[HtmlElement, ...] = ()) -> str:
    """Text of ``el`` and its descendants, tags dropped, spaces not yet collapsed."""
    if el.tag == "br":
        return _BR
    if el in skip or el.tag in SKIP_TAGS:
        return ""
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str):
            parts.append(_raw_text(child, skip))
        parts.append(child.tail or "")
    return "".join(parts)


def collapse(text: str) -> str:
    """Whitespace as a browser shows it: runs become one space (U+00A0 kept), <br> a newline."""
    text = _HTML_SPACE.sub(" ", text)
    return re.sub(f" ?{_BR} ?", "\n", text).strip(" \n")


def inline_text(el: HtmlElement, skip: tuple[HtmlElement, ...] = ()) -> str:
    return collapse(_raw_text(el, skip))


def _datetime_attr(el: HtmlElement) -> dt.date | None:
    value = (el.get("datetime") or el.get("content") or "").strip()
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None  # the element's text is tried instead


class Walker:
    """Collects the blocks of an entry root; ``walk(root, None)`` then read ``blocks``."""

    def __init__(self, root: HtmlElement) -> None:
        marked = [(el, marker_role(el)) for el in elements(root)]
        self.title_el = self._first(marked, Role.TITLE, "h1")
        self.date_el = self._first(marked, Role.DATE, "time")
        self.label_el = self._first(marked, Role.LABEL, None)
        self.blocks: list[Block] = []

    @staticmethod
    def _first(marked: list[tuple[HtmlElement, Role | None]], role: Role, tag: str | None) -> HtmlElement | None:
        found = next((el for el, r in marked if r is role), None)
        if found is None and tag is not None:
            found = next((el for el, _ in marked if el.tag == tag), None)
        return found

    def role_of(self, el: HtmlElement, inherited: Role | None) -> Role | None:
        if el is self.title_el:
            return Role.TITLE
        if el is self.date_el:
            return Role.DATE
        if el is self.label_el:
            return Role.LABEL
        role = marker_role(el)
        if role in (Role.TITLE, Role.DATE, Role.LABEL):
            return inherited  # a second title or date marker: read by the layout rules
        return role or inherited

    def is_block(self, el: HtmlElement) -> bool:
        return el.tag in BLOCK_TAGS or el is self.title_el or el is self.date_el

    def contains_block(self, el: HtmlElement) -> bool:
        return any(isinstance(d.tag, str) and d.tag in BLOCK_TAGS for d in el.iterdescendants())

    def walk(self, el: HtmlElement, inherited: Role | None) -> None:
        role = self.role_of(el, inherited)
        if role is Role.CHROME or el.tag in SKIP_TAGS:
            return
        if not self.contains_block(el):
            self.leaf(el, role)
            return
        run: list[tuple[str, bool]] = []  # inline pieces between blocks: (text, is a link)
        for item in self._contents(el):
            if isinstance(item, tuple):
                run.append(item)
                continue
            self._flush(run, el, role)
            run = []
            self.walk(item, role)
        self._flush(run, el, role)

    def _contents(self, el: HtmlElement) -> Iterator[tuple[str, bool] | HtmlElement]:
        """Inline pieces and block children of ``el``, looking through inline elements
        that (broken nesting) contain blocks."""
        yield (el.text or "", False)
        for child in el:
            if not isinstance(child.tag, str) or child.tag in SKIP_TAGS:
                pass
            elif self.is_block(child):
                yield child
            elif self.contains_block(child):
                yield from self._contents(child)
            else:
                yield (_raw_text(child), child.tag == "a")
            yield (child.tail or "", False)

    def _flush(self, run: list[tuple[str, bool]], el: HtmlElement, role: Role | None) -> None:
        # A run of bare links (a footer's "Search The Archive" "Submit An Image") is one
        # block per link, as they are separate items on screen.
        if any(is_link for _, is_link in run) and all(is_link or not t.strip() for t, is_link in run):
            for text, _ in run:
                self.emit(collapse(text), el, role)
        else:
            self.emit(collapse("".join(text for text, _ in run)), el, role)

    def leaf(self, el: HtmlElement, role: Role | None) -> None:
        """A block with inline content only; an inline date, label or author marks it."""
        inner = {d for d in el.iterdescendants() if isinstance(d.tag, str)}
        date_el = el if el is self.date_el else (self.date_el if self.date_el in inner else None)
        if date_el is not None and role in (None, Role.DATE):
            self.blocks.append(Block(inline_text(date_el), el.sourceline, Role.DATE, _datetime_attr(date_el)))
            return
        skip: tuple[HtmlElement, ...] = ()
        if date_el is not None:  # a byline holding the date: "Written by X on <time>"
            self.blocks.append(Block(inline_text(date_el), date_el.sourceline, Role.DATE, _datetime_attr(date_el)))
            skip += (date_el,)
        if self.label_el in inner:
            self.emit(inline_text(self.label_el), self.label_el, Role.LABEL)
            skip += (self.label_el,)
        if role is None:
            role = next((r for d in inner if (r := marker_role(d)) in INLINE_MARKS), None)
        text = inline_text(el, skip)
        self.emit(_DANGLING.sub("", text) if date_el is not None else text, el, role)

    def emit(self, text: str, el: HtmlElement, role: Role | None) -> None:
        if not text:
            return
        # Banner and footer lines stay unmarked whatever container they sit in, so the
        # chrome rules drop them even inside a (badly nested) byline.
        if role not in (Role.TITLE, Role.DATE) and is_chrome_line(text):
            role = None
        self.blocks.append(Block(text, el.sourceline, role))

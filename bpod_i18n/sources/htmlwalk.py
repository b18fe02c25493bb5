"""Walk the element tree of an HTML entry and collect its blocks in reading order.

Block elements (``<p>``, ``<h1>``..., ``<li>``, ``<figcaption>``, ``<div>`` with text...)
give one block each. Inside a block, ``<em> <i> <strong> <b> <sub> <sup>``, ``<br>`` and links
(``<a href>`` to http, https or mailto, relative ones resolved against the page's ``<base>``,
canonical link or ``og:url``) are kept as the block's inline markup (bpod_i18n.markup); any
other inline element (``<span>``, ``<abbr>``, a link without a usable address...) is read as
its text. Broken nesting is tolerated: an inline element left open around later paragraphs
(an unclosed ``<em>``) is looked through, so those paragraphs stay separate blocks.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from urllib.parse import urljoin

from lxml.html import HtmlElement

from bpod_i18n import markup
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


def resolve_link(href: str | None, base: str | None) -> str | None:
    """A link's address as a mirror may publish it (http, https, mailto), else None."""
    href = (href or "").strip()
    if not href or href.startswith("#"):
        return None
    if base and ":" not in href.split("/", 1)[0]:
        href = urljoin(base, href)
    return href if markup.link_allowed(href) else None


def add_inline(builder: markup.Builder, el: HtmlElement, skip: tuple[HtmlElement, ...], base: str | None) -> None:
    """The content of ``el`` (not the element itself) into ``builder``."""
    builder.text(el.text or "")
    for child in el:
        if isinstance(child.tag, str) and child not in skip:
            add_element(builder, child, skip, base)
        builder.text(child.tail or "")


def add_element(builder: markup.Builder, el: HtmlElement, skip: tuple[HtmlElement, ...], base: str | None) -> None:
    tag = el.tag
    if tag == "br":
        builder.br()
    elif tag in SKIP_TAGS:
        return
    elif tag in markup.FORMAT_TAGS or (tag == "a" and (href := resolve_link(el.get("href"), base))):
        builder.open(tag, href if tag == "a" else None)
        add_inline(builder, el, skip, base)
        builder.close()
    else:
        add_inline(builder, el, skip, base)


def inline_marked(el: HtmlElement, skip: tuple[HtmlElement, ...] = (), base: str | None = None) -> markup.Marked:
    builder = markup.Builder()
    add_inline(builder, el, skip, base)
    return builder.build()


def inline_text(el: HtmlElement, skip: tuple[HtmlElement, ...] = ()) -> str:
    """The element's text as a browser shows it: spaces collapsed (U+00A0 kept), <br> a newline."""
    return inline_marked(el, skip).text


def _datetime_attr(el: HtmlElement) -> dt.date | None:
    value = (el.get("datetime") or el.get("content") or "").strip()
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None  # the element's text is tried instead


class Walker:
    """Collects the blocks of an entry root; ``walk(root, None)`` then read ``blocks``."""

    def __init__(self, root: HtmlElement, base: str | None = None) -> None:
        self.base = base
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
        if role is None and inherited is None and el.tag == "figcaption":
            return Role.CAPTION
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
        run: list[str | HtmlElement] = []  # inline pieces between blocks: text or inline elements
        for item in self._contents(el):
            if isinstance(item, str) or not self.is_block(item):
                run.append(item)
                continue
            self._flush(run, el, role)
            run = []
            self.walk(item, role)
        self._flush(run, el, role)

    def _contents(self, el: HtmlElement) -> Iterator[str | HtmlElement]:
        """Text, inline elements and block children of ``el``, looking through inline
        elements that (broken nesting) contain blocks."""
        yield el.text or ""
        for child in el:
            if not isinstance(child.tag, str) or child.tag in SKIP_TAGS:
                pass
            elif self.is_block(child):
                yield child
            elif self.contains_block(child):
                yield from self._contents(child)
            else:
                yield child
            yield child.tail or ""

    def _flush(self, run: list[str | HtmlElement], el: HtmlElement, role: Role | None) -> None:
        # A run of bare links (a footer's "Search The Archive" "Submit An Image") is one
        # block per link, as they are separate items on screen.
        links = [item for item in run if not isinstance(item, str) and item.tag == "a"]
        if links and all((not isinstance(item, str) and item.tag == "a") or not str(item).strip() for item in run):
            for link in links:
                self.emit(inline_marked(link, base=self.base), el, role)
            return
        builder = markup.Builder()
        for item in run:
            if isinstance(item, str):
                builder.text(item)
            else:
                add_element(builder, item, (), self.base)
        self.emit(builder.build(), el, role)

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
            self.emit(inline_marked(self.label_el, base=self.base), self.label_el, Role.LABEL)
            skip += (self.label_el,)
        if role is None:
            role = next((r for d in inner if (r := marker_role(d)) in INLINE_MARKS), None)
        marked = inline_marked(el, skip, self.base)
        if date_el is not None:  # what is left of a byline: plain text
            marked = markup.Marked(_DANGLING.sub("", marked.text))
        self.emit(marked, el, role)

    def emit(self, marked: markup.Marked, el: HtmlElement, role: Role | None) -> None:
        text = marked.text
        if not text:
            return
        # Banner and footer lines stay unmarked whatever container they sit in, so the
        # chrome rules drop them even inside a (badly nested) byline.
        if role not in (Role.TITLE, Role.DATE) and is_chrome_line(text):
            role = None
        tagged = markup.write(marked, numbered=False)[0] if marked.spans else None
        self.blocks.append(Block(text, el.sourceline, role, tagged=tagged))

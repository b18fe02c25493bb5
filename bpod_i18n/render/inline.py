"""Sanitised inline HTML → Markdown, so the Markdown page says what the HTML page says.

The input is always the output of :func:`bpod_i18n.render.sanitise.clean_inline` (parsed here
with lxml, never with a pattern): emphasis becomes ``*…*``, strong ``**…**``, links
``[text](address)`` with the address percent-encoded, a line break a CommonMark hard break
(``\\`` at the end of the line); ``<sub>``, ``<sup>`` and ``<span lang="en">``, which Markdown
has no syntax for, stay inline HTML (Hugo renders it with ``markup.goldmark.renderer.unsafe``;
without, the words still show). Every text is Markdown-escaped.
"""

from __future__ import annotations

import lxml.html
from markupsafe import Markup

from bpod_i18n.render.escape import escape_markdown_line_starts, escape_markdown_run, markdown_link_target

_WRAP = {"em": "*", "i": "*", "strong": "**", "b": "**"}


def html_to_markdown(fragment: str) -> Markup:
    if "<" not in fragment and "&" not in fragment:
        return Markup(escape_markdown_line_starts(escape_markdown_run(fragment).strip()))
    root = lxml.html.fragment_fromstring(f"<div>{fragment}</div>")
    parts: list[str] = []
    _children(root, parts)
    return Markup(escape_markdown_line_starts("".join(parts).strip(" ")))


def _children(el: lxml.html.HtmlElement, parts: list[str]) -> None:
    parts.append(escape_markdown_run(el.text or ""))
    for child in el:
        if isinstance(child.tag, str):
            _element(child, parts)
        parts.append(escape_markdown_run(child.tail or ""))


def _element(el: lxml.html.HtmlElement, parts: list[str]) -> None:
    tag = el.tag
    if tag == "br":
        parts.append("\\\n")
    elif tag in _WRAP:
        parts.append(_WRAP[tag])
        _children(el, parts)
        parts.append(_WRAP[tag])
    elif tag == "a" and el.get("href"):
        parts.append("[")
        _children(el, parts)
        parts.append(f"]({markdown_link_target(el.get('href'))})")
    elif tag in ("sub", "sup"):
        parts.append(f"<{tag}>")
        _children(el, parts)
        parts.append(f"</{tag}>")
    elif tag == "span" and el.get("lang") == "en":
        parts.append('<span lang="en">')
        _children(el, parts)
        parts.append("</span>")
    else:
        _children(el, parts)

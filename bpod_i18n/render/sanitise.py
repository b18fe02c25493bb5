"""The one allow-list every published piece of inline HTML goes through (nh3, Rust's ammonia).

A mirror page's inline HTML is built by :mod:`bpod_i18n.markup` from tagged text, which already
escapes everything that is not one of its tags; this is the second, independent wall, applied
to the finished fragment right before it reaches a template or a JSON document, whatever
produced it (a ``LocalisedEntry`` can also come from a mirror's own code or a JSON file):

- tags: ``em i strong b sub sup br``, ``a`` and ``span``; nothing else survives (the content
  of ``script``/``style`` is dropped with them, the text of any other tag is kept as text);
- attributes: ``href`` on ``a``, only with an http, https or mailto address (a relative or
  protocol-relative one is dropped too), and ``lang="en"`` on ``span`` (the English sentences
  of a partly translated paragraph); no ``rel`` is added, no ``style``, no event handler.
"""

from __future__ import annotations

import nh3

from bpod_i18n.markup import FORMAT_TAGS, LINK_SCHEMES

ALLOWED_TAGS = frozenset({*FORMAT_TAGS, "br", "a", "span"})
ALLOWED_ATTRIBUTES = {"a": {"href"}, "span": {"lang"}}
FALLBACK_LANG = "en"


def _attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "span" and attribute == "lang":
        return value if value == FALLBACK_LANG else None
    return value


def clean_inline(fragment: str) -> str:
    """``fragment`` with everything outside the allow-list removed."""
    return nh3.clean(
        fragment,
        tags=set(ALLOWED_TAGS),
        clean_content_tags={"script", "style"},
        # "*": no generic attributes (ammonia allows lang and title on every tag by default).
        attributes={"*": set(), **{tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()}},
        attribute_filter=_attribute,
        url_schemes=set(LINK_SCHEMES),
        url_relative="deny",
        link_rel=None,
        strip_comments=True,
    )

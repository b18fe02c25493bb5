"""Escaping for the non-HTML outputs: Markdown text, link targets, YAML front matter, JSON.

HTML is escaped by Jinja's autoescape. Markdown has no autoescape, so every value a Markdown
template prints goes through :func:`escape_markdown` (wired in as the environment's
``finalize``), unless it is :class:`markupsafe.Markup`, which marks text this module has
already made safe (front matter, link targets).
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote, urlsplit

import yaml
from markupsafe import Markup

from bpod_i18n.errors import UsageError

# HTML-significant characters become entities, which every Markdown dialect passes through
# as text (a backslash before "<" is not an escape in every dialect, an entity is).
# Braces too: static-site generators run their template language over the Markdown *before*
# any Markdown is read, so a backslash cannot stop them: "{% include secrets.txt %}" and
# "{{ site.x }}" are Liquid to Jekyll, "{{< shortcode >}}" and "{{% x %}}" are Hugo's, and
# "\{%" is still "{%" to Liquid. As entities no brace is left for any of them, and the page
# shows "{" and "}" all the same. ("{:" would also start a kramdown attribute list.)
_HTML_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "{": "&#123;", "}": "&#125;"}
# Markdown syntax characters, backslash-escaped (CommonMark, goldmark/Hugo and kramdown/
# Jekyll all honour these). "$" too: "$$" is kramdown math.
_SPECIAL_OR_HTML = re.compile(r"[&<>{}\\`*_\[\]#|$~]")
# Syntax that only counts at the start of a line: list items, setext underlines, "1." lists.
_LINE_START = re.compile(r"^([-+=])|^(\d+)([.)])")
_WHITESPACE_RUN = re.compile(r"\s+")
# yaml.safe_dump's representer with libyaml's emitter when present: 10x faster, same safety.
_SAFE_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _one_line(text: str) -> str:
    """Fields are prose: a newline in a translation must not start a new Markdown block."""
    return _WHITESPACE_RUN.sub(" ", text).strip()


def _escape_char(match: re.Match[str]) -> str:
    char = match.group(0)
    if char in _HTML_ENTITIES:
        return _HTML_ENTITIES[char]
    if char == "~":  # GFM strikethrough; kramdown has no "\~", an entity works everywhere
        return "&#126;"
    return "\\" + char


def escape_markdown(value: Any) -> str:
    """Text → Markdown that renders as exactly that text, never as markup or raw HTML."""
    if value is None:
        return ""
    text = _SPECIAL_OR_HTML.sub(_escape_char, _one_line(str(value)))
    return _LINE_START.sub(lambda m: "\\" + m.group(0) if m.group(1) else m.group(2) + "\\" + m.group(3), text)


def markdown_finalize(value: Any) -> Any:
    """Jinja ``finalize`` for Markdown: escape everything not already marked safe."""
    if isinstance(value, Markup):
        return value
    return escape_markdown(value)


def checked_url(url: str, *, what: str) -> str:
    """Accept only absolute http(s) URLs: a ``javascript:`` link must never reach a page."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or _WHITESPACE_RUN.search(url):
        raise UsageError(f"{what} must be an absolute http(s) URL without spaces, not {url!r}")
    return url


def markdown_link_target(url: str) -> Markup:
    """A checked URL, percent-encoded so that no "(", ")", "<", ">" can end the link early."""
    return Markup(quote(url, safe=":/?#[]@!$&*+,;=%~-._"))


class _Quoted(str):
    """A front-matter value (not a key): written double-quoted."""


class _FrontMatterDumper(_SAFE_DUMPER):  # type: ignore[misc,valid-type]  # CSafeDumper or SafeDumper, chosen at import
    """Every string value double-quoted. The generators read front matter with other YAML parsers
    than PyYAML (Ruby's Psych for Jekyll, Go's for Hugo; YAML 1.1 or 1.2), which disagree on
    plain scalars: a title "0o17", "1_000", "no" or "2016-07-22" may come back as a number, a
    boolean or a date. A double-quoted scalar is a string in every one of them, and its
    escapes (\\e, \\x85...) mean the same everywhere."""


_FrontMatterDumper.add_representer(
    _Quoted, lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style='"')
)


def yaml_front_matter(data: dict[str, Any]) -> Markup:
    """YAML front matter body (without the ``---`` lines) for Jekyll and Hugo.

    Strings are collapsed to one line first, so no value can put a ``---`` line of its own
    and close the front matter early, and double-quoted (see :class:`_FrontMatterDumper`);
    width is unbounded so nothing is folded. (Neither generator runs its template language
    over front matter, so braces stay as written: a title is data, escaped by the template
    that prints it.)
    """
    clean = {key: _yaml_value(value) for key, value in data.items()}
    dumped = yaml.dump(
        clean,
        Dumper=_FrontMatterDumper,
        allow_unicode=True,
        sort_keys=False,
        width=2**31 - 1,
        default_flow_style=False,
    )
    return Markup(dumped.rstrip("\n"))


def _yaml_value(value: Any) -> Any:
    if isinstance(value, str):
        return _Quoted(_one_line(value))
    if isinstance(value, list | tuple):
        return [_yaml_value(item) for item in value]
    return value


def json_document(data: dict[str, Any]) -> str:
    """Deterministic JSON (sorted keys, 2-space indent, final newline).

    "<", ">" and "&" are written as \\u escapes (as Go's encoder does) so the document stays
    inert even if a mirror inlines it in a <script> element; json.loads gives the text back.
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") + "\n"


def escape_markdown_run(text: str) -> str:
    """A piece of a paragraph (between two inline elements) as Markdown text: like
    :func:`escape_markdown`, but spaces at its ends are kept (they separate it from the
    element beside it) and line starts are left to the caller, who sees whole lines."""
    return _SPECIAL_OR_HTML.sub(_escape_char, _WHITESPACE_RUN.sub(" ", text))


def escape_markdown_line_starts(text: str) -> str:
    """Backslash the syntax that counts only at the start of a line, on every line of ``text``."""
    return "\n".join(
        _LINE_START.sub(lambda m: "\\" + m.group(0) if m.group(1) else m.group(2) + "\\" + m.group(3), line)
        for line in text.split("\n")
    )

"""Inline markup of an entry's text: the tagged notation, read and written in this one place.

Units, PO files, the translation memory and the mirror all carry a sentence as *tagged text*:

    Genes light up in a zebrafish (<em>Danio rerio</em>) and raise Ca<sup>2+</sup>.
    Read the published research article <a1>here</a1>.

- ``<em> <i> <strong> <b> <sub> <sup>`` (each with its closing tag) are HTML's, as po4a and
  Weblate show them; ``<br/>`` is a line break.
- A link is ``<a href="URL">…</a>`` in an entry's fields (:class:`bpod_i18n.model.SourceEntry`)
  and ``<a1>…</a1>``, ``<a2>…</a2>`` in a unit: the number points into the unit's *links*,
  stored beside it, so a link's address is never in a translator's text and cannot be changed
  through it (the idea of OmegaT's numbered tags, written the way po4a writes tags).
- Everything else is text exactly as written: "p < 0.05", "R&D", even "<script>" (which a
  mirror then shows as those characters). Only where text would otherwise read as a tag or an
  escape is it escaped: ``&lt;`` before a letter or "/", ``&amp;`` before ``lt;``/``gt;``/
  ``amp;``/``quot;``. Prose therefore reads as typed, in Poedit, Lokalize and OmegaT alike.

A parsed text is a :class:`Marked`: the plain text (``<br/>`` as "\\n") and its spans. The
plain text is what the segmenter splits, the translation memory and the glossary compare,
and QA checks other than ``markup`` read.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# Inline tags of the notation besides links and line breaks; the mirror's allow-list is these
# plus a (href only) and br.
FORMAT_TAGS = ("em", "i", "strong", "b", "sub", "sup")
LINK = "a"
# Link schemes a mirror may publish.
LINK_SCHEMES = ("http", "https", "mailto")

_TOKEN = re.compile(
    r"<(?P<close>/?)(?P<tag>em|i|strong|b|sub|sup)>"
    r"|<(?P<lclose>/?)a(?P<number>[1-9][0-9]*)>"
    r'|<a href="(?P<href>[^"<>]*)">'
    r"|(?P<aclose></a>)"
    r"|(?P<br><br\s*/?>)"
    r"|&(?P<entity>lt|gt|amp|quot);"
)
_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
# What must be escaped so that text never reads as a tag or an escape.
_NEEDS_ESCAPE = re.compile(r"<(?=[A-Za-z/])|&(?=(?:lt|gt|amp|quot);)")
_SPACE_RUNS = re.compile(r"[ \t\n\r\f]+")


class MarkupError(ValueError):
    """Tagged text that is not well formed (an unclosed or mis-nested tag, an unknown link)."""


@dataclass(frozen=True, slots=True)
class Span:
    """One inline element over ``text[start:end]``; ``href`` for links."""

    start: int
    end: int
    tag: str
    href: str | None = None


@dataclass(frozen=True, slots=True)
class Marked:
    """Plain text and its inline elements, outer ones before inner ones at the same start."""

    text: str
    spans: tuple[Span, ...] = ()

    @property
    def links(self) -> tuple[str, ...]:
        return tuple(span.href or "" for span in self.spans if span.tag == LINK)


def escape(text: str) -> str:
    """Plain text as tagged text (only what would read as a tag or an escape changes)."""
    if "<" not in text and "&" not in text and "\n" not in text:
        return text
    return _NEEDS_ESCAPE.sub(lambda m: "&lt;" if m.group() == "<" else "&amp;", text).replace("\n", "<br/>")


def has_tags(tagged: str) -> bool:
    return "<" in tagged and _TOKEN.search(tagged) is not None


def parse(tagged: str, links: Sequence[str] | None = None, *, strict: bool = True) -> Marked:
    """Read tagged text. ``links`` given: a unit's text, whose links are ``<aN>``; None: an
    entry field's, whose links are ``<a href="…">``.

    ``strict`` raises :class:`MarkupError` on a tag that is not closed, closed out of order, or
    a link number the unit does not have. Otherwise (a translation, which may be wrong: the
    ``markup`` check reports it) such a tag is dropped and the text kept, so a mirror never
    shows a broken page.
    """
    return _parse(tagged, links, strict=strict, any_links=False)


def plain(tagged: str) -> str:
    """The text without its tags (line breaks as "\\n"), leniently: for comparing and matching."""
    if "<" not in tagged and "&" not in tagged:
        return tagged
    return _parse(tagged, None, strict=False, any_links=True).text


def shape(tagged: str) -> Marked:
    """A unit's text with each link's number (1, 2...) as its href: its tags without their
    addresses, for engines and matching."""
    return _parse(tagged, None, strict=False, any_links=True)


def carry_tags(source: str, target: str) -> tuple[str, list[str]]:
    """``target`` (a translation of a text with other tags, e.g. a translation memory's) with
    the tags of ``source`` (a unit's text): each element whose words appear once, verbatim, in
    the target's plain text is put around them ("<em>Danio rerio</em>", "CO<sub>2</sub>"); the
    rest are returned as not placed ("<a1>…</a1>") for the translator to place."""
    marked = shape(source)
    if _tag_names(source) == _tag_names(target):
        return target, []
    text = plain(target)
    placed: list[Span] = []
    missing: list[str] = []
    for span in marked.spans:
        words = marked.text[span.start : span.end]
        at = text.find(words)
        name = f"a{span.href}" if span.tag == LINK else span.tag
        if not words.strip() or at < 0 or text.find(words, at + 1) >= 0:
            missing.append(f"<{name}>…</{name}>")
            continue
        new = Span(at, at + len(words), span.tag, span.href)
        # Only if it nests with what is placed already.
        if all(
            new.end <= p.start
            or new.start >= p.end
            or (p.start <= new.start and new.end <= p.end)
            or (new.start <= p.start and p.end <= new.end)
            for p in placed
        ):
            placed.append(new)
        else:
            missing.append(f"<{name}>…</{name}>")
    placed.sort(key=lambda sp: (sp.start, -sp.end))
    return write(Marked(text, tuple(placed)), numbered=True, keep_numbers=True)[0], missing


def _tag_names(tagged: str) -> list[str]:
    return [m.group() for m in _TOKEN.finditer(tagged) if not m.group("entity")]


def _parse(tagged: str, links: Sequence[str] | None, *, strict: bool, any_links: bool) -> Marked:
    if "<" not in tagged and "&" not in tagged:
        return Marked(tagged)
    out: list[str] = []
    length = 0
    stack: list[tuple[str, str | None, int, int]] = []  # tag, href, start, order opened
    spans: list[tuple[int, int, Span]] = []
    order = 0
    position = 0

    def literal(text: str) -> None:
        nonlocal length
        out.append(text)
        length += len(text)

    def fail(problem: str, token: str) -> None:
        if strict:
            raise MarkupError(problem)
        if token.startswith("</a"):
            return  # an unmatched closing tag is dropped
        literal(token)

    def close(tag: str, token: str) -> None:
        if stack and stack[-1][0] == tag:
            name, href, start, opened = stack.pop()
            if length > start:
                spans.append((start, opened, Span(start, length, LINK if name[0] == "a" else name, href)))
        elif strict:
            fail(f"{token} closes " + (f"<{stack[-1][0]}>" if stack else "nothing"), token)
        # lenient: a closing tag without its opening one is dropped

    for match in _TOKEN.finditer(tagged):
        literal(tagged[position : match.start()])
        position = match.end()
        token = match.group()
        if match.group("entity"):
            literal(_ENTITIES[match.group("entity")])
        elif match.group("br"):
            literal("\n")
        elif match.group("number"):
            number = int(match.group("number"))
            if not any_links and (links is None or number > len(links)):
                if strict:
                    raise MarkupError(f"{token}: no such link in this text")
                # lenient: an unknown link number is dropped, open and close alike
            elif match.group("lclose"):
                close(f"a{number}", token)
            else:
                href = str(number) if any_links or links is None else links[number - 1]
                stack.append((f"a{number}", href, length, order))
                order += 1
        elif match.group("href") is not None:
            if links is not None:
                fail(f"{token}: a link's address is not part of a unit's text; write <a1>…</a1>", token)
            else:
                stack.append((LINK, html.unescape(match.group("href")), length, order))
                order += 1
        elif match.group("aclose"):
            if links is not None:
                fail("</a> closes nothing: a unit's links are <a1>…</a1>", token)
            else:
                close(LINK, token)
        elif match.group("close"):
            close(match.group("tag"), token)
        else:
            stack.append((match.group("tag"), None, length, order))
            order += 1
    literal(tagged[position:])
    if stack and strict:
        raise MarkupError(f"<{stack[-1][0]}> is not closed")
    spans.sort(key=lambda item: (item[0], item[1]))
    return Marked("".join(out), tuple(span for _, _, span in spans))


def write(marked: Marked, *, numbered: bool, keep_numbers: bool = False) -> tuple[str, tuple[str, ...]]:
    """Tagged text of ``marked`` and its links. ``numbered``: a unit's ``<a1>``; otherwise an
    entry field's ``<a href="…">``. ``keep_numbers``: each link's href is already its number
    (a text back from an engine that may have reordered the links): ``<a{href}>``."""
    if not marked.spans:
        return escape(marked.text), ()
    links: list[str] = []
    numbers: dict[int, int] = {}
    parts: list[str] = []
    text = marked.text
    position = 0
    for at, closing, index in _events(marked):
        span = marked.spans[index]
        parts.append(escape(text[position:at]))
        position = at
        if span.tag != LINK:
            parts.append(f"</{span.tag}>" if closing else f"<{span.tag}>")
        elif not numbered:
            parts.append("</a>" if closing else f'<a href="{html.escape(span.href or "", quote=True)}">')
        elif keep_numbers:
            parts.append(f"</a{span.href}>" if closing else f"<a{span.href}>")
        elif closing:
            parts.append(f"</a{numbers[index]}>")
        else:
            links.append(span.href or "")
            numbers[index] = len(links)
            parts.append(f"<a{len(links)}>")
    parts.append(escape(text[position:]))
    return "".join(parts), tuple(links)


def _events(marked: Marked) -> list[tuple[int, bool, int]]:
    """(position, closing, span index) in document order: at one position closings come first,
    innermost first; openings outermost first."""
    events: list[tuple[int, int, int, bool, int]] = []
    for index, span in enumerate(marked.spans):
        if span.end > span.start:
            events.append((span.start, 1, index, False, index))
            events.append((span.end, 0, -index, True, index))
    events.sort(key=lambda e: (e[0], e[1], e[2]))
    return [(at, closing, index) for at, _, _, closing, index in events]


def cut(marked: Marked, start: int, end: int) -> Marked:
    """``marked`` from ``start`` to ``end``; spans clipped to it."""
    spans = tuple(
        Span(max(s.start, start) - start, min(s.end, end) - start, s.tag, s.href)
        for s in marked.spans
        if s.start < end and s.end > start
    )
    return Marked(marked.text[start:end], spans)


def join(parts: Iterable[Marked]) -> Marked:
    text: list[str] = []
    spans: list[Span] = []
    offset = 0
    for part in parts:
        spans += [Span(s.start + offset, s.end + offset, s.tag, s.href) for s in part.spans]
        text.append(part.text)
        offset += len(part.text)
    return Marked("".join(text), tuple(spans))


def to_html(marked: Marked) -> str:
    """HTML of ``marked``: text escaped, its elements as tags, "\\n" as ``<br>``."""
    text = marked.text

    def chunk(piece: str) -> str:
        return html.escape(piece, quote=False).replace("\n", "<br>")

    if not marked.spans:
        return chunk(text)
    parts: list[str] = []
    position = 0
    for at, closing, index in _events(marked):
        span = marked.spans[index]
        parts.append(chunk(text[position:at]))
        position = at
        if closing:
            parts.append(f"</{span.tag}>")
        elif span.tag == LINK:
            parts.append(f'<a href="{html.escape(span.href or "", quote=True)}">')
        else:
            parts.append(f"<{span.tag}>")
    parts.append(chunk(text[position:]))
    return "".join(parts)


def link_allowed(href: str) -> bool:
    """An address a mirror may publish: http, https or mailto, nothing else."""
    scheme, colon, rest = href.strip().partition(":")
    return bool(colon) and scheme.lower() in LINK_SCHEMES and bool(rest.strip("/"))


class Builder:
    """Builds a :class:`Marked` from a document's text and elements in reading order,
    collapsing whitespace as a browser shows it (U+00A0 kept).

    Whitespace at the edges of an element goes outside it (``foo<em> bar</em>`` reads as
    ``foo <em>bar</em>``), so a sentence boundary next to a tag never falls inside the tag.
    """

    def __init__(self) -> None:
        self._out: list[str] = []
        self._length = 0
        self._space = False
        self._stack: list[tuple[str, str | None, int, int]] = []
        self._spans: list[tuple[int, int, Span]] = []
        self._order = 0

    def _last(self) -> str:
        return self._out[-1][-1] if self._out else ""

    def _flush_space(self) -> None:
        if self._space and self._length and self._last() != "\n":
            self._out.append(" ")
            self._length += 1
            # Elements opened right before the space start after it.
            if self._stack and self._stack[-1][2] == self._length - 1:
                self._stack = [
                    (tag, href, start + 1 if start == self._length - 1 else start, order)
                    for tag, href, start, order in self._stack
                ]
        self._space = False

    def text(self, value: str) -> None:
        if not value:
            return
        collapsed = _SPACE_RUNS.sub(" ", value)
        core = collapsed.strip(" ")
        if collapsed[0] == " ":
            self._space = True
        if core:
            self._flush_space()
            self._out.append(core)
            self._length += len(core)
            self._space = collapsed[-1] == " "

    def open(self, tag: str, href: str | None = None) -> None:
        self._stack.append((tag, href, self._length, self._order))
        self._order += 1

    def close(self) -> None:
        tag, href, start, order = self._stack.pop()
        if self._length > start:
            self._spans.append((start, order, Span(start, self._length, tag, href)))

    def br(self) -> None:
        self._space = False
        if self._length:
            self._out.append("\n")
            self._length += 1

    def build(self) -> Marked:
        while self._stack:
            self.close()
        text = "".join(self._out)
        end = len(text.rstrip("\n"))
        spans = sorted(self._spans, key=lambda item: (item[0], item[1]))
        return Marked(
            text[:end], tuple(Span(s.start, min(s.end, end), s.tag, s.href) for _, _, s in spans if s.start < end)
        )

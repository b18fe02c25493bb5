"""Markdown with YAML front matter, and JSON: entries written as data.

Keys (both formats): ``title``, ``date`` (YYYY-MM-DD), ``standfirst``, ``label``, ``author``,
``credits`` (list), ``notices`` (list), ``slug`` (optional; made from date and title if
absent), and the image: ``image`` (its address, or a table of ``url``, ``alt``, ``width``,
``height``, ``caption``), or ``image_alt``, ``image_width``, ``image_height``,
``image_caption`` beside an ``image`` address. JSON adds ``paragraphs`` (list); Markdown's
body holds the paragraphs. Other keys (``layout``, ``tags``... of a static site) are ignored.

Markdown is read with markdown-it-py (CommonMark): each paragraph, heading or list item of the
body is a block; inline Markdown becomes the entry's inline markup (``*x*``/``_x_`` emphasis,
``**x**`` strong, ``[text](url)`` links, a hard line break, and raw ``<sub>``/``<sup>``, which
Markdown has no syntax for); a paragraph that is only an image (``![alt](url)``) gives the
entry's image when the front matter names none. Text keys of the front matter are Markdown
too (``title: "*E. coli* on the Move"``). Body paragraphs still go through the page rules, so
a ``Written by`` or ``Image from work by`` line in the body is read as author or credit, and a
heading repeating the title is dropped.

JSON text values (``paragraphs`` too) are inline HTML: ``"Genes of <em>Danio rerio</em>"``,
``<a href="…">``; write ``&lt;`` for a "<" followed by a letter. ``paragraphs`` are taken as
body as they are.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bpod_i18n import markup
from bpod_i18n.errors import InputError
from bpod_i18n.model import Image, SourceEntry
from bpod_i18n.sources.blocks import Block, assemble_entry
from bpod_i18n.sources.patterns import Role
from bpod_i18n.sources.site import NO_CHROME, SiteChrome
from bpod_i18n.sources.textfile import read_text

TEXT_KEYS = {"label": Role.LABEL, "title": Role.TITLE, "standfirst": Role.STANDFIRST, "author": Role.AUTHOR}
IMAGE_KEYS = ("image", "image_alt", "image_width", "image_height", "image_caption")
_FENCE = "---"
# A text value → (plain text, tagged text or None): Markdown inline or inline HTML.
Inline = Callable[[str], tuple[str, str | None]]


@dataclass
class _Data:
    """Parsed keys with the line each starts on (None where unknown)."""

    values: dict[str, Any]
    lines: dict[str, int | None] = field(default_factory=dict)

    def line(self, key: str) -> int | None:
        return self.lines.get(key)


def _text(data: _Data, key: str, path: Path) -> str | None:
    value = data.values.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise InputError(f"{key} must be text, not {type(value).__name__}", path=path, line=data.line(key))
    return str(value).strip() or None


def _text_list(data: _Data, key: str, path: Path) -> list[str]:
    value = data.values.get(key)
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(f"{key} must be a list of text lines", path=path, line=data.line(key))
    return [v.strip() for v in value if v.strip()]


def _date(data: _Data, path: Path) -> dt.date | None:
    value = data.values.get("date")
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise InputError(f"date must be YYYY-MM-DD, not {value!r}", path=path, line=data.line("date")) from None


def _block(value: str, line: int | None, role: Role | None, inline: Inline) -> Block:
    text, tagged = inline(value)
    return Block(text, line, role, tagged=tagged)


def _field_blocks(data: _Data, path: Path, inline: Inline) -> tuple[list[Block], list[Block]]:
    """(header blocks, trailing blocks) for the keys present."""
    header: list[Block] = []
    for key in ("label", "title", "standfirst"):
        if (text := _text(data, key, path)) is not None:
            header.append(_block(text, data.line(key), TEXT_KEYS[key], inline))
    if (date := _date(data, path)) is not None:
        header.append(Block(date.isoformat(), data.line("date"), Role.DATE, date))
    trailing = [_block(t, data.line("notices"), Role.NOTICE, inline) for t in _text_list(data, "notices", path)]
    if (author := _text(data, "author", path)) is not None:
        trailing.append(Block(inline(author)[0], data.line("author"), Role.AUTHOR))
    trailing += [_block(t, data.line("credits"), Role.CREDIT, inline) for t in _text_list(data, "credits", path)]
    return header, trailing


def _whole(data: _Data, key: str, value: object, path: Path) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 100_000:
        raise InputError(f"{key} must be a whole number of pixels, not {value!r}", path=path, line=data.line(key))
    return value


def image_from(data: _Data, path: Path, inline: Inline) -> Image | None:
    """The image the keys describe (``image`` as an address or a table, ``image_*`` beside it)."""
    value = data.values.get("image")
    if value is None:
        stray = next((key for key in IMAGE_KEYS[1:] if key in data.values), None)
        if stray is not None:
            raise InputError(f"{stray} without an image address (image: URL)", path=path, line=data.line(stray))
        return None
    line = data.line("image")
    table: dict[str, Any]
    if isinstance(value, str):
        table = {"url": value}
    elif isinstance(value, dict):
        table = {str(k): v for k, v in value.items()}
        if "src" in table and "url" not in table:
            table["url"] = table.pop("src")
        unknown = sorted(set(table) - {"url", "alt", "width", "height", "caption"})
        if unknown:
            raise InputError(
                f"image: unknown key {unknown[0]!r} (known: url, alt, width, height, caption)", path=path, line=line
            )
    else:
        raise InputError("image must be an address or a table (url, alt, width, height, caption)", path=path, line=line)
    for key in ("alt", "width", "height", "caption"):
        if f"image_{key}" in data.values:
            table.setdefault(key, data.values[f"image_{key}"])
    url = table.get("url")
    if not isinstance(url, str) or not url.strip() or url.strip().lower().startswith(("javascript:", "data:")):
        raise InputError(f"image needs an http(s) or relative address, not {url!r}", path=path, line=line)
    for key in ("alt", "caption"):
        if table.get(key) is not None and not isinstance(table[key], str):
            raise InputError(f"image {key} must be text", path=path, line=line)
    caption = (table.get("caption") or "").strip()
    return Image(
        url=url.strip(),
        alt=" ".join(inline(table["alt"])[0].split()) or None if table.get("alt") else None,
        width=_whole(data, "image", table.get("width"), path),
        height=_whole(data, "image", table.get("height"), path),
        caption=_tagged(inline(caption)) if caption else None,
    )


def _tagged(pair: tuple[str, str | None]) -> str:
    return pair[1] if pair[1] is not None else markup.escape(pair[0])


def _assemble(
    data: _Data,
    body: list[Block],
    *,
    path: Path,
    source_format: str,
    date: dt.date | None,
    title: str | None,
    inline: Inline,
    image: Image | None,
    chrome: SiteChrome,
) -> SourceEntry:
    header, trailing = _field_blocks(data, path, inline)
    return assemble_entry(
        header + body + trailing,
        path=path,
        source_format=source_format,
        date=date,
        title=title,
        slug=_text(data, "slug", path),
        slug_line=data.line("slug"),
        image=image or image_from(data, path, inline),
        chrome=chrome,
    )


def _first_line(exc: Exception) -> str:
    """A ValueError of the parser in the user's words (Python's own suggests a call to make)."""
    digits = re.search(r"value has (\d+) digits", str(exc))
    if digits:
        return f"a number of {digits[1]} digits, too long to be one"
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


# --- Markdown -------------------------------------------------------------------------


def _load_yaml(text: str, path: Path, first_line: int) -> _Data:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        values = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = first_line + mark.line if mark is not None else first_line
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(f"bad YAML front matter: {problem}", path=path, line=line) from None
    except RecursionError:  # PyYAML composes nested collections recursively
        raise InputError("bad YAML front matter: nested too deeply", path=path, line=first_line) from None
    except ValueError as exc:  # an integer of more digits than Python converts (4 300)
        raise InputError(f"bad YAML front matter: {_first_line(exc)}", path=path, line=first_line) from None
    if values is None:
        return _Data({})
    if not isinstance(values, dict):
        raise InputError("front matter must be a mapping of keys (title: ..., date: ...)", path=path, line=first_line)
    lines = {
        str(key.value): first_line + key.start_mark.line
        for key, _ in (node.value if isinstance(node, yaml.MappingNode) else [])
    }
    return _Data({str(k): v for k, v in values.items()}, lines)


@functools.cache
def _markdown() -> Any:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark")


_RAW_TAG = re.compile(r"<(/?)([A-Za-z]+)\s*/?>")


def _inline_tokens(builder: markup.Builder, children: list[Any], images: list[Image]) -> None:
    """markdown-it's inline tokens of one block into ``builder``; images are collected."""
    links: list[bool] = []  # per open link: whether it was kept
    for token in children:
        kind = token.type
        if kind in ("text", "code_inline"):
            builder.text(token.content)
        elif kind == "softbreak":
            builder.text(" ")
        elif kind == "hardbreak":
            builder.br()
        elif kind in ("em_open", "strong_open"):
            builder.open(kind.split("_")[0])
        elif kind in ("em_close", "strong_close"):
            builder.close()
        elif kind == "link_open":
            href = str(token.attrGet("href") or "")
            kept = markup.link_allowed(href)
            links.append(kept)
            if kept:
                builder.open(markup.LINK, href)
        elif kind == "link_close":
            if links.pop():
                builder.close()
        elif kind == "image":
            src = str(token.attrGet("src") or "")
            if src and not src.lower().startswith(("javascript:", "data:")):
                images.append(Image(src, " ".join(token.content.split()) or None))
        elif kind == "html_inline":
            raw = _RAW_TAG.fullmatch(token.content.strip())
            if raw is None:
                continue  # other raw HTML (comments, spans...): its text comes as text tokens
            closing, tag = raw.group(1), raw.group(2).lower()
            if tag == "br":
                builder.br()
            elif tag in markup.FORMAT_TAGS:
                if closing:
                    builder.close()
                else:
                    builder.open(tag)


def markdown_inline(text: str) -> tuple[str, str | None]:
    """One line of Markdown (a front-matter value) → (plain text, tagged text or None)."""
    tokens = _markdown().parseInline(text)
    builder = markup.Builder()
    for token in tokens:
        _inline_tokens(builder, token.children or [], [])
    marked = builder.build()
    return marked.text, markup.write(marked, numbered=False)[0] if marked.spans else None


def markdown_paragraphs(text: str, first_line: int) -> tuple[list[Block], list[Image]]:
    """Blocks of a Markdown body and the images standing alone in it; ``first_line`` is the file
    line of the body's first line."""
    blocks: list[Block] = []
    images: list[Image] = []
    line: int | None = first_line
    for token in _markdown().parse(text):
        if token.map is not None and token.type.endswith("_open"):
            line = first_line + token.map[0]
        if token.type != "inline":
            continue
        builder = markup.Builder()
        _inline_tokens(builder, token.children or [], images)
        marked = builder.build()
        if marked.text.strip():
            tagged = markup.write(marked, numbered=False)[0] if marked.spans else None
            blocks.append(Block(marked.text, line, tagged=tagged))
    return blocks, images


def parse_markdown(
    text: str,
    *,
    path: Path,
    date: dt.date | None = None,
    title: str | None = None,
    image: Image | None = None,
    chrome: SiteChrome = NO_CHROME,
) -> SourceEntry:
    lines = text.splitlines()
    data, body_start = _Data({}), 0
    if lines and lines[0].strip() == _FENCE:
        end = next((i for i in range(1, len(lines)) if lines[i].strip() in (_FENCE, "...")), None)
        if end is None:
            raise InputError("front matter is not closed: no '---' line after the opening one", path=path, line=1)
        data = _load_yaml("\n".join(lines[1:end]), path, first_line=2)
        body_start = end + 1
    body, images = markdown_paragraphs("\n".join(lines[body_start:]), first_line=body_start + 1)
    if image is None and "image" not in data.values and images:
        image = images[0]
    return _assemble(
        data,
        body,
        path=path,
        source_format="markdown",
        date=date,
        title=title,
        inline=markdown_inline,
        image=image,
        chrome=chrome,
    )


def read_markdown(
    path: Path,
    *,
    date: dt.date | None = None,
    title: str | None = None,
    image: Image | None = None,
    chrome: SiteChrome = NO_CHROME,
) -> SourceEntry:
    return parse_markdown(read_text(path), path=path, date=date, title=title, image=image, chrome=chrome)


def read_sidecar(path: Path) -> Image | None:
    """The image of a page-text file from its sidecar ``<name>.yaml`` (or ``.yml``) beside it:
    ``image: URL`` and optional ``image_alt``, ``image_width``, ``image_height``,
    ``image_caption`` (or ``image`` as a table of them); None without a sidecar."""
    for suffix in (".yaml", ".yml"):
        sidecar = path.with_suffix(suffix)
        if sidecar.is_file():
            data = _load_yaml(read_text(sidecar), sidecar, first_line=1)
            unknown = sorted(set(data.values) - set(IMAGE_KEYS))
            if unknown:
                raise InputError(
                    f"unknown key {unknown[0]!r} in a sidecar (known: {', '.join(IMAGE_KEYS)})",
                    path=sidecar,
                    line=data.line(unknown[0]),
                )
            return image_from(data, sidecar, _plain_inline)
    return None


def _plain_inline(text: str) -> tuple[str, str | None]:
    return text, None


# --- JSON -----------------------------------------------------------------------------


# The keys an entry's JSON is read for: the only ones whose line a message may name.
_JSON_KEYS = (*TEXT_KEYS, "date", "slug", "paragraphs", "notices", "credits")


def _json_key_lines(text: str, keys: list[str]) -> dict[str, int | None]:
    """Line of each known top-level key's first appearance (json keeps no positions). Only
    the keys read: one search of the text per key, so a file of 100 000 keys costs ten."""
    lines: dict[str, int | None] = {}
    for key in (key for key in keys if key in _JSON_KEYS):
        match = re.search(r'"' + re.escape(key) + r'"\s*:', text)
        lines[key] = text.count("\n", 0, match.start()) + 1 if match else None
    return lines


def html_inline(text: str) -> tuple[str, str | None]:
    """A JSON text value, read as inline HTML → (plain text, tagged text or None)."""
    if "<" not in text and "&" not in text:
        builder = markup.Builder()
        builder.text(text)
        return builder.build().text, None
    import lxml.html

    from bpod_i18n.sources.htmlwalk import inline_marked

    fragment = lxml.html.fragment_fromstring(text, create_parent="div")
    marked = inline_marked(fragment)
    return marked.text, markup.write(marked, numbered=False)[0] if marked.spans else None


def parse_json(
    text: str,
    *,
    path: Path,
    date: dt.date | None = None,
    title: str | None = None,
    image: Image | None = None,
    chrome: SiteChrome = NO_CHROME,
) -> SourceEntry:
    try:
        values = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"bad JSON: {exc.msg} (column {exc.colno})", path=path, line=exc.lineno) from None
    except RecursionError:  # the json module parses nested arrays and objects recursively
        raise InputError("bad JSON: nested too deeply", path=path, line=1) from None
    except ValueError as exc:  # an integer of more digits than Python converts (4 300)
        raise InputError(f"bad JSON: {_first_line(exc)}", path=path, line=1) from None
    if not isinstance(values, dict):
        raise InputError("the JSON must be one object with title, date, paragraphs...", path=path, line=1)
    data = _Data(values, _json_key_lines(text, [str(k) for k in values]))
    body = [_block(p, data.line("paragraphs"), Role.BODY, html_inline) for p in _text_list(data, "paragraphs", path)]
    return _assemble(
        data,
        body,
        path=path,
        source_format="json",
        date=date,
        title=title,
        inline=html_inline,
        image=image,
        chrome=chrome,
    )


def read_json(
    path: Path,
    *,
    date: dt.date | None = None,
    title: str | None = None,
    image: Image | None = None,
    chrome: SiteChrome = NO_CHROME,
) -> SourceEntry:
    return parse_json(read_text(path), path=path, date=date, title=title, image=image, chrome=chrome)

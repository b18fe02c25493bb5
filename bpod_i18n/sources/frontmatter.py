"""Markdown with YAML front matter, and JSON: entries written as data.

Keys (both formats): ``title``, ``date`` (YYYY-MM-DD), ``standfirst``, ``label``, ``author``,
``credits`` (list), ``notices`` (list), ``slug`` (optional; made from date and title if
absent). JSON adds ``paragraphs`` (list); Markdown's body holds the paragraphs, separated
by blank lines. Other keys (``layout``, ``tags``... of a static site) are ignored.

Markdown body: the lines of one paragraph are joined with a space (a soft line break in
Markdown *is* a space); a leading ``#`` heading loses its hashes; inline Markdown
(``*Danio rerio*``) is kept verbatim. Body paragraphs still go through the page rules, so
a ``Written by`` or ``Image from work by`` line in the body is read as author or credit, and
a heading repeating the title is dropped. JSON ``paragraphs`` are taken as body as they are.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bpod_i18n.errors import InputError
from bpod_i18n.model import SourceEntry
from bpod_i18n.sources.blocks import Block, assemble_entry
from bpod_i18n.sources.patterns import Role
from bpod_i18n.sources.textfile import read_text

TEXT_KEYS = {"label": Role.LABEL, "title": Role.TITLE, "standfirst": Role.STANDFIRST, "author": Role.AUTHOR}
_FENCE = "---"
_HEADING = re.compile(r"#{1,6}\s+(.*?)(?:\s+#+)?\s*")


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


def _field_blocks(data: _Data, path: Path) -> tuple[list[Block], list[Block]]:
    """(header blocks, trailing blocks) for the keys present."""
    header: list[Block] = []
    for key in ("label", "title", "standfirst"):
        if (text := _text(data, key, path)) is not None:
            header.append(Block(text, data.line(key), TEXT_KEYS[key]))
    if (date := _date(data, path)) is not None:
        header.append(Block(date.isoformat(), data.line("date"), Role.DATE, date))
    trailing = [Block(t, data.line("notices"), Role.NOTICE) for t in _text_list(data, "notices", path)]
    if (author := _text(data, "author", path)) is not None:
        trailing.append(Block(author, data.line("author"), Role.AUTHOR))
    trailing += [Block(t, data.line("credits"), Role.CREDIT) for t in _text_list(data, "credits", path)]
    return header, trailing


def _assemble(
    data: _Data, body: list[Block], *, path: Path, source_format: str, date: dt.date | None, title: str | None
) -> SourceEntry:
    header, trailing = _field_blocks(data, path)
    return assemble_entry(
        header + body + trailing,
        path=path,
        source_format=source_format,
        date=date,
        title=title,
        slug=_text(data, "slug", path),
        slug_line=data.line("slug"),
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


def markdown_paragraphs(lines: list[str], first_line: int) -> list[Block]:
    """Blank-line separated paragraphs; ``first_line`` is the file line of ``lines[0]``."""
    blocks: list[Block] = []
    current: list[str] = []
    start = first_line
    for number, line in enumerate(lines + [""], first_line):
        if line.strip():
            if not current:
                start = number
            current.append(line.strip())
            continue
        if current:
            text = " ".join(current)
            heading = _HEADING.fullmatch(text) if len(current) == 1 else None
            blocks.append(Block(heading.group(1) if heading else text, start))
            current = []
    return blocks


def parse_markdown(text: str, *, path: Path, date: dt.date | None = None, title: str | None = None) -> SourceEntry:
    lines = text.splitlines()
    data, body_start = _Data({}), 0
    if lines and lines[0].strip() == _FENCE:
        end = next((i for i in range(1, len(lines)) if lines[i].strip() in (_FENCE, "...")), None)
        if end is None:
            raise InputError("front matter is not closed: no '---' line after the opening one", path=path, line=1)
        data = _load_yaml("\n".join(lines[1:end]), path, first_line=2)
        body_start = end + 1
    body = markdown_paragraphs(lines[body_start:], first_line=body_start + 1)
    return _assemble(data, body, path=path, source_format="markdown", date=date, title=title)


def read_markdown(path: Path, *, date: dt.date | None = None, title: str | None = None) -> SourceEntry:
    return parse_markdown(read_text(path), path=path, date=date, title=title)


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


def parse_json(text: str, *, path: Path, date: dt.date | None = None, title: str | None = None) -> SourceEntry:
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
    body = [Block(p, data.line("paragraphs"), Role.BODY) for p in _text_list(data, "paragraphs", path)]
    return _assemble(data, body, path=path, source_format="json", date=date, title=title)


def read_json(path: Path, *, date: dt.date | None = None, title: str | None = None) -> SourceEntry:
    return parse_json(read_text(path), path=path, date=date, title=title)

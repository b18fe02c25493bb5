"""Where each key of a TOML document is written, and how settings are named in messages.

``tomllib`` returns plain values with no positions, but a settings error should read like a
compiler's (``bpod-i18n.toml:7: [review] allow_self_review must be true or false, not
"false"``). :func:`key_lines` walks the text once and records the line of every key path:
table headers (``[mt.providers.libre]``, ``[[x]]``), dotted keys (``a.b = 1``) and the keys of
inline tables (``modes = { ca = "eng-cat" }``), skipping strings, arrays and comments so that
nothing inside a value is mistaken for a key. It expects text ``tomllib`` already accepted,
so it can be lenient about what a full parser would refuse.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from bisect import bisect_left
from collections.abc import Mapping

KeyPath = tuple[str, ...]

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_SPACE = " \t"
_SCALAR_END = ",]}\n#"


def key_lines(text: str) -> dict[KeyPath, int]:
    """Line (1-based) of every key path defined in ``text``.

    A table defined only implicitly (``mt`` and ``mt.providers`` by ``[mt.providers.libre]``,
    ``a`` by ``a.b = 1``) gets the line of its first mention; an explicit definition wins.
    """
    return _Scanner(text).scan()


def line_of(lines: Mapping[KeyPath, int], key: KeyPath) -> int | None:
    """The line of ``key``, else of its nearest written parent (a missing key: its table)."""
    for size in range(len(key), 0, -1):
        if key[:size] in lines:
            return lines[key[:size]]
    return None


def table_name(key: KeyPath) -> str:
    """``("check", "locales", "es")`` → ``[check.locales.es]``, quoting keys that need it."""
    return "[" + ".".join(_key_text(part) for part in key) + "]"


def dotted(key: KeyPath) -> str:
    return ".".join(_key_text(part) for part in key)


def show(value: object) -> str:
    """A value as it is written in TOML (``"false"``, ``true``, ``[1, 2]``), for messages."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(show(item) for item in value) + "]"
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{_key_text(str(k))} = {show(v)}" for k, v in value.items()) + " }"
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _key_text(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) else json.dumps(key, ensure_ascii=False)


class _Scanner:
    def __init__(self, text: str):
        self.text = text
        self.pos = 0
        self.newlines = [i for i, char in enumerate(text) if char == "\n"]
        self.explicit: dict[KeyPath, int] = {}
        self.implicit: dict[KeyPath, int] = {}

    def scan(self) -> dict[KeyPath, int]:
        table: KeyPath = ()
        text = self.text
        while True:
            self.skip_blank(newlines=True)
            if self.pos >= len(text):
                break
            line = self.line()
            if text[self.pos] == "[":
                double = text.startswith("[[", self.pos)
                self.pos += 2 if double else 1
                table = self.key_path()
                self.skip_blank()
                self.pos += 2 if double else 1  # "]" or "]]"
                self.define(table, line)
                continue
            key = table + self.key_path()
            self.define(key, line)
            self.skip_blank()
            self.pos += 1  # "="
            self.value(key)
        return {**self.implicit, **self.explicit}

    def define(self, key: KeyPath, line: int) -> None:
        for size in range(1, len(key)):
            self.implicit.setdefault(key[:size], line)
        self.explicit.setdefault(key, line)

    def line(self) -> int:
        return bisect_left(self.newlines, self.pos) + 1

    def skip_blank(self, *, newlines: bool = False) -> None:
        """Skip spaces (and, between statements or array items, line breaks and comments)."""
        text = self.text
        while self.pos < len(text):
            char = text[self.pos]
            if char in _SPACE or (newlines and char in "\r\n"):
                self.pos += 1
            elif newlines and char == "#":
                end = text.find("\n", self.pos)
                self.pos = len(text) if end < 0 else end
            else:
                break

    def key_path(self) -> KeyPath:
        parts: list[str] = []
        while True:
            self.skip_blank()
            parts.append(self.simple_key())
            self.skip_blank()
            if self.pos < len(self.text) and self.text[self.pos] == ".":
                self.pos += 1
                continue
            return tuple(parts)

    def simple_key(self) -> str:
        text = self.text
        start = self.pos
        if text.startswith('"', start):
            self.skip_basic_string()
            # Escapes in a quoted key decode exactly as tomllib decoded them.
            return str(tomllib.loads("k = " + text[start : self.pos])["k"])
        if text.startswith("'", start):
            end = text.index("'", start + 1)
            self.pos = end + 1
            return text[start + 1 : end]
        match = _BARE_KEY.match(text, start)
        if match is None:  # not TOML after all; stop here rather than loop
            self.pos = len(text)
            return ""
        self.pos = match.end()
        return match.group()

    def value(self, key: KeyPath) -> None:
        self.skip_blank()
        text = self.text
        if self.pos >= len(text):
            return
        char = text[self.pos]
        if text.startswith('"""', self.pos) or text.startswith("'''", self.pos):
            self.skip_multiline_string(text[self.pos : self.pos + 3])
        elif char == '"':
            self.skip_basic_string()
        elif char == "'":
            self.pos = text.index("'", self.pos + 1) + 1
        elif char == "[":
            self.pos += 1
            while True:
                self.skip_blank(newlines=True)
                if self.pos >= len(text) or text[self.pos] == "]":
                    self.pos += 1
                    return
                self.value(key)  # inline tables in an array: their keys are recorded under the array's
                self.skip_blank(newlines=True)
                if self.pos < len(text) and text[self.pos] == ",":
                    self.pos += 1
        elif char == "{":
            self.pos += 1
            while True:
                self.skip_blank(newlines=True)
                if self.pos >= len(text) or text[self.pos] == "}":
                    self.pos += 1
                    return
                line = self.line()
                inner = key + self.key_path()
                self.define(inner, line)
                self.skip_blank()
                self.pos += 1  # "="
                self.value(inner)
                self.skip_blank(newlines=True)
                if self.pos < len(text) and text[self.pos] == ",":
                    self.pos += 1
        else:  # number, boolean, date: up to the next delimiter (a date may hold a space)
            while self.pos < len(text) and text[self.pos] not in _SCALAR_END:
                self.pos += 1

    def skip_basic_string(self) -> None:
        text = self.text
        pos = self.pos + 1
        while pos < len(text) and text[pos] != '"':
            pos += 2 if text[pos] == "\\" else 1
        self.pos = pos + 1

    def skip_multiline_string(self, delimiter: str) -> None:
        text = self.text
        pos = self.pos + 3
        while True:
            end = text.find(delimiter, pos)
            if end < 0:
                self.pos = len(text)
                return
            backslashes = 0
            while delimiter == '"""' and text[end - 1 - backslashes] == "\\":
                backslashes += 1
            if backslashes % 2 == 0:
                break
            pos = end + 1
        end += 3
        # Up to two quotes right before the closing delimiter belong to the content: """a""""
        for _ in range(2):
            if end < len(text) and text[end] == delimiter[0]:
                end += 1
        self.pos = end

"""C-string escapes in PO files, as GNU gettext reads and writes them.

gettext accepts ``\\n \\t \\b \\r \\f \\v \\a \\\\ \\"``, one to three octal digits and
``\\x`` with any number of hex digits; anything else is "invalid control sequence". Octal and
hex escapes give *bytes* of the file's charset, so ``"caf\\xc3\\xa9"`` is "café" in UTF-8.
Babel and polib know only five escapes and keep ``\\x41`` as four characters; this module is
the one place that does it as gettext does.
"""

from __future__ import annotations

import re

_SIMPLE = {"n": "\n", "t": "\t", "b": "\b", "r": "\r", "f": "\f", "v": "\v", "a": "\a", "\\": "\\", '"': '"'}
# One escape sequence: a simple one, octal (1-3 digits), hex (1+ digits), or anything else.
ESCAPE = re.compile(r"\\(?:([ntbrfva\\\"])|([0-7]{1,3})|x([0-9A-Fa-f]+)|(x|.|$))", re.DOTALL)
# Bytes from octal/hex escapes above 0x7F wait here as lone surrogates until the whole string
# is known, then go through the charset together (Python's "surrogateescape" convention).
_SURROGATE_BASE = 0xDC00
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")


class EscapeError(ValueError):
    """An escape gettext refuses, or one that gives a character we refuse (NUL)."""

    def __init__(self, message: str, column: int):
        super().__init__(message)
        self.column = column  # 0-based, within the text that was decoded


def check_escapes(body: str) -> None:
    """Raise EscapeError for the first escape gettext would refuse, or one that gives NUL."""
    for found in ESCAPE.finditer(body):
        _value(found)


def _value(found: re.Match[str]) -> str:
    simple, octal, hexa, bad = found.groups()
    if simple is not None:
        return _SIMPLE[simple]
    if bad is not None:
        shown = "\\" + bad if bad else "a backslash at the end"
        raise EscapeError(
            f'invalid control sequence {shown!r} (gettext knows \\n \\t \\r \\" \\\\ \\a \\b \\f \\v, '
            "octal \\NNN and hex \\xHH)",
            found.start(),
        )
    code = int(octal, 8) if octal is not None else int(hexa, 16)
    if code == 0:
        raise EscapeError("escaped NUL character: gettext cuts the text there", found.start())
    if code > 0xFF:
        raise EscapeError(f"escape {found.group()!r} is above one byte (\\xFF)", found.start())
    return chr(code) if code < 0x80 else chr(_SURROGATE_BASE + code)


def decode(pieces: list[str], charset: str = "utf-8") -> str:
    """The text of one field from its quoted pieces (each still with its quotes).

    Each piece is decoded on its own: gettext reads ``"\\x4" "1"`` as two strings, not as
    ``\\x41``. Raises EscapeError (column counted in the joined piece bodies).
    """
    if not pieces:
        return ""
    if len(pieces) == 1:
        body = pieces[0][1:-1]
        if "\\" not in body:
            return body
        text = ESCAPE.sub(_value, body)
    else:
        bodies = [piece[1:-1] for piece in pieces]
        if not any("\\" in body for body in bodies):
            return "".join(bodies)
        text = "".join(ESCAPE.sub(_value, body) if "\\" in body else body for body in bodies)
    if _ESCAPED_BYTE.search(text):
        try:
            return text.encode(charset, "surrogateescape").decode(charset)
        except (UnicodeEncodeError, UnicodeDecodeError):
            raise EscapeError(f"escaped bytes do not form valid {charset} text", 0) from None
    return text


# Written the way gettext writes them; other control characters as three-digit octal, which
# (unlike \x) cannot run on into a following digit.
_WRITE = {
    "\\": "\\\\",
    '"': '\\"',
    "\n": "\\n",
    "\t": "\\t",
    "\r": "\\r",
    "\a": "\\a",
    "\b": "\\b",
    "\f": "\\f",
    "\v": "\\v",
}
_NEEDS_ESCAPE = re.compile(r'[\\"\x00-\x1f\x7f]')


def _escape_char(found: re.Match[str]) -> str:
    char = found.group()
    return _WRITE.get(char) or f"\\{ord(char):03o}"


def encode(text: str) -> str:
    """``text`` as the inside of a PO string (no quotes)."""
    return _NEEDS_ESCAPE.sub(_escape_char, text) if _NEEDS_ESCAPE.search(text) else text

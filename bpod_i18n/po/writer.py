"""Writing PO files: the layout polib writes (and so every file exported so far), gettext's escapes.

Byte-stable: the same catalog always gives the same bytes, and the layout is polib's (78
columns, its wrapping of long strings, comments and references), so files exported before
this writer existed are not rewritten. Two corrections over polib, both about text polib
would damage: lines are split at ``\\n`` only (polib also splits at U+2028 and other Unicode
line separators), and every control character is escaped as gettext reads it back (polib
leaves BEL and the 0x1C-0x1F separators raw).
"""

from __future__ import annotations

import re
import textwrap
from bisect import bisect_right
from itertools import accumulate, chain, repeat
from typing import IO

from bpod_i18n.po.escapes import encode
from bpod_i18n.po.model import FUZZY, PoCatalog, PoMessage, header_text

WRAP_WIDTH = 78
_COMMENT_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# textwrap's own chunking (words, hyphenated parts, em-dashes, runs of spaces): the break
# points of a wrapped string are polib's. Its pattern looks no further than the word it is
# in, so only words with a hyphen need it: the others are one chunk each.
_CHUNKS = textwrap.TextWrapper.wordsep_re
_SPACES = re.compile(r"( +)")


def write_po(fileobj: IO[bytes], catalog: PoCatalog) -> None:
    fileobj.write(render_po(catalog).encode("utf-8"))


def render_po(catalog: PoCatalog, width: int = WRAP_WIDTH) -> str:
    out: list[str] = []
    for comment in catalog.header_comments:
        out.append(f"#{comment}" if comment[:1] in (",", ":") else f"# {comment}" if comment else "#")
    header = PoMessage(msgid="", msgstr=header_text(catalog.header), flags=(FUZZY,) if catalog.header_fuzzy else ())
    entries = [_message(header, width)] + [_message(message, width) for message in catalog.messages]
    return "\n".join(out + ["\n".join(entries)]) if out else "\n".join(entries)


def _message(message: PoMessage, width: int) -> str:
    lines: list[str] = []
    for prefix, comments in (("# ", message.translator_comments), ("#. ", message.extracted_comments)):
        for comment in comments:
            for part in _comment_text(comment).split("\n"):
                if width > 0 and len(part) + len(prefix) > width:
                    lines += textwrap.wrap(
                        part, width, initial_indent=prefix, subsequent_indent=prefix, break_long_words=False
                    )
                else:
                    lines.append(prefix + part)
    if message.references:
        references = " ".join(message.references)
        if width > 0 and len(references) + 3 > width:
            # Wrapped at spaces only: textwrap would also break at hyphens inside file names.
            lines += [
                line.replace("\0", "-")
                for line in textwrap.wrap(
                    references.replace("-", "\0"),
                    width,
                    initial_indent="#: ",
                    subsequent_indent="#: ",
                    break_long_words=False,
                )
            ]
        else:
            lines.append("#: " + references)
    if message.flags:
        lines.append("#, " + ", ".join(message.flags))
    if message.previous_msgctxt is not None:
        lines += _field("previous_msgctxt", "#| ", "", message.previous_msgctxt, width)
    if message.previous_msgid is not None:
        lines += _field("previous_msgid", "#| ", "", message.previous_msgid, width)
    if message.msgctxt is not None:
        lines += _field("msgctxt", "", "", message.msgctxt, width)
    lines += _field("msgid", "", "", message.msgid, width)
    if message.msgid_plural is not None:
        lines += _field("msgid_plural", "", "", message.msgid_plural, width)
        for index, text in enumerate(message.msgstr_plural):
            lines += _field("msgstr", "", f"[{index}]", text, width)
    else:
        lines += _field("msgstr", "", "", message.msgstr, width)
    lines.append("")
    return "\n".join(lines)


def _comment_text(text: str) -> str:
    """A comment has no escapes: control characters are shown as their escape, not written raw."""
    return _COMMENT_CONTROL.sub(lambda found: encode(found.group()), text) if _COMMENT_CONTROL.search(text) else text


def _split_lines(text: str) -> list[str]:
    """``text`` cut after each ``\\n`` (gettext's only line break), ends kept."""
    parts = text.split("\n")
    return [part + "\n" for part in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def _field(name: str, prefix: str, index: str, text: str, width: int) -> list[str]:
    """One keyword and its string, wrapped as polib wraps it (``name`` is polib's field name,
    which it counts in the width even where it writes a shorter keyword)."""
    keyword = name.removeprefix("previous_")
    if 0 <= text.find("\n") < len(text) - 1:  # more than one line
        escaped = [""] + [encode(line) for line in _split_lines(text)]
    else:
        encoded = encode(text)
        # polib's test, kept for byte-stable output: the room left after the keyword, plus
        # (sic) what escaping added.
        room = width - (len(name) + 3 + len(index)) + (len(encoded) - len(text))
        if width > 0 and len(text) > room:
            escaped = [""] + wrap_escaped(encoded, width - 2)
        else:
            escaped = [encoded]
    return [f'{prefix}{keyword}{index} "{escaped[0]}"'] + [f'{prefix}"{line}"' for line in escaped[1:]]


def wrap_escaped(text: str, width: int) -> list[str]:
    """``textwrap.wrap(text, width, drop_whitespace=False, break_long_words=False)``, as polib
    wraps a string, for escaped text (the only ASCII whitespace in it is the space; textwrap
    would first turn the others into spaces). Faster, for it is most of the writer's time on
    an archive of long sentences: textwrap's pattern is tried at every character and its
    greedy filling appends chunk after chunk, while here words are cut at spaces, only words
    with a hyphen go through textwrap's pattern, and each line's last chunk is found by
    bisection over the chunks' end offsets."""
    if "  " in text:
        pieces = _SPACES.split(text)  # a run of spaces is one chunk
    else:  # the same, without a pattern: words and single spaces, in turn
        pieces = list(chain.from_iterable(zip(text.split(" "), repeat(" "))))
        pieces.pop()
    if "-" in text:
        chunks: list[str] = []
        for piece in pieces:
            if "-" in piece:
                chunks += _CHUNKS.split(piece)
            else:
                chunks.append(piece)
        pieces = chunks
    ends = list(accumulate(map(len, filter(None, pieces))))
    lines: list[str] = []
    start = 0
    first = 0  # index in ends of the line's first chunk
    while first < len(ends):
        # The last chunk that still fits; a chunk wider than the line goes alone on its own.
        last = max(first, bisect_right(ends, start + width, lo=first) - 1)
        lines.append(text[start : ends[last]])
        start = ends[last]
        first = last + 1
    return lines

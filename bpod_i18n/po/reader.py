"""Reading PO files: one strictness policy for every command.

Babel's ``PoFileParser`` does the reading. Around it, in this one place, the rules it does not
enforce and the corrections GNU gettext needs (``msgfmt --check`` is the reference):

- Lines end at ``\\n`` only (gettext's rule). polib's ``str.splitlines()`` also breaks at
  U+2028, U+2029, U+0085 and 0x1C-0x1E, which silently joined or cut translations.
- Escapes are gettext's (``\\x41`` is "A", ``\\a``, octal); an escape gettext refuses
  (``\\q``) is an error, and so is NUL, escaped or raw: gettext cuts the text there.
- Keywords in gettext's order (``msgctxt``, ``msgid``, ``msgid_plural``, ``msgstr`` or
  ``msgstr[0..n-1]``), every string terminated, no stray text, no message defined twice,
  exactly one header, plural messages with as many forms as the header's ``nplurals``.

Policy where gettext is lenient or silent, decided once: a UTF-8 byte-order mark and CRLF line
ends are accepted (editors on Windows write them); a lone CR (old Mac line ends) is refused,
since gettext would read such a file's first comment as swallowing the rest; raw control
characters are refused, but for TAB and the 0x1C-0x1F separators (they are damage, or an
attack on a reviewer's terminal, never translation; write ``\\x1b`` if one is meant); the
header's charset is honoured, UTF-8 when it names none.

Every refusal is a ``PoSyntaxError`` naming the file and the 1-based line.
"""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, PoFileParser

from bpod_i18n.errors import InputError
from bpod_i18n.po.escapes import ESCAPE, EscapeError, check_escapes, decode
from bpod_i18n.po.model import FUZZY, PoCatalog, PoMessage, parse_header
from bpod_i18n.po.plurals import nplurals


class PoSyntaxError(InputError):
    """A PO file that does not satisfy the policy above; ``path`` and ``line`` say where."""


# --- lexical shape ---------------------------------------------------------------------------
# A C string on one line (the "unrolled loop" form: twice as fast as an alternation here).
_STRING = r'"[^"\\\n]*(?:\\.[^"\\\n]*)*"'
_STRINGS = rf"{_STRING}(?:[ \t]*{_STRING})*"
_KEYWORD = r"(?:msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)"
_CODE = rf"(?:{_KEYWORD}[ \t]*)?{_STRINGS}"
# A line: blank, a comment, a keyword line or a continuation; obsolete (#~) and previous (#|)
# lines hold strings too and must be well formed as well.
_LINE = rf"[ \t]*(?:#(?:[^~|\n][^\n]*)?|#~[ \t]*(?:\|[ \t]*)?(?:{_CODE})?|#\|[ \t]*{_CODE}|{_CODE})?[ \t]*"
_WELL_FORMED = re.compile(rf"(?:{_LINE}\n)*(?:{_LINE})?\Z")
_STRING_RE = re.compile(_STRING)
_KEYWORD_RE = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)(?=[ \t\"]|$)")
_PLAIN_KEYWORDS = frozenset({"msgctxt", "msgid", "msgid_plural", "msgstr"})
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_\[\]]*")
# Only escapes other than the common ones need the precise scan.
_UNCOMMON_ESCAPE = re.compile(r'\\[^ntr"\\]')
# Raw control characters that are never text, only damage or an attack on a terminal (ESC,
# BEL). TAB and the information separators 0x1C-0x1F are text to gettext, and to us.
_RAW_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1b\x7f]")
_CHARSET = re.compile(rb'^[ \t]*"Content-Type:[^"\n]*?charset=([^\s";\\]+)', re.MULTILINE | re.IGNORECASE)
_BOM = b"\xef\xbb\xbf"


def read_po(fileobj: IO[bytes], *, path: str | Path) -> PoCatalog:
    """Read one PO file from a binary file object; ``path`` names it in errors."""
    data = fileobj.read()
    text, charset = _decode(data, path)
    _lint(text, path)
    return _parse(text, charset, path)


def read_po_file(path: Path, *, max_bytes: int | None = None) -> PoCatalog:
    """Read one PO file; one larger than ``max_bytes`` is refused before it is read."""
    try:
        with path.open("rb") as handle:
            if max_bytes is not None:
                size = os.fstat(handle.fileno()).st_size
                if size > max_bytes:
                    raise InputError(
                        f"{size} bytes, over the limit of {max_bytes} bytes for a PO file "
                        "([limits] po_file_size in bpod-i18n.toml)",
                        path=path,
                    )
            return read_po(handle, path=path)
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=path) from None


def _error(message: str, path: str | Path, line: int) -> PoSyntaxError:
    return PoSyntaxError(message, path=path, line=line)


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


# --- bytes to text ---------------------------------------------------------------------------
def _decode(data: bytes, path: str | Path) -> tuple[str, str]:
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    declared = _CHARSET.search(data)
    charset = "utf-8"
    if declared is not None:
        name = declared.group(1).decode("ascii", "replace")
        if name.upper() not in ("CHARSET", "UTF-8", "UTF8"):
            try:
                charset = codecs.lookup(name).name
            except LookupError:
                raise _error(
                    f"unknown charset {name!r} in the Content-Type header",
                    path,
                    data.count(b"\n", 0, declared.start()) + 1,
                ) from None
    try:
        text = data.decode(charset)
    except UnicodeDecodeError as exc:
        shown = "UTF-8" if charset == "utf-8" else charset
        raise _error(
            f"not valid {shown} (byte 0x{data[exc.start]:02x}); PO files are read in the charset their "
            "header names, UTF-8 when it names none",
            path,
            data.count(b"\n", 0, exc.start) + 1,
        ) from None
    if not text.strip():
        raise _error('empty file: a PO file has at least its header entry (msgid "")', path, 1)
    if "\r" in text:
        text = text.replace("\r\n", "\n")
        lone = text.find("\r")
        if lone >= 0:
            raise _error(
                "carriage return without a line feed (old Mac line ends?): save the file with LF or CRLF line ends",
                path,
                _line_of(text, lone),
            )
    return text, charset


# --- lines -----------------------------------------------------------------------------------
def _lint(text: str, path: str | Path) -> None:
    """Refuse raw control characters, malformed lines and invalid escapes, naming the line."""
    control = _RAW_CONTROL.search(text)
    if control is not None:
        char = ord(control.group())
        hint = "a damaged file?" if char == 0 else f"if it is meant, write it as the escape \\x{char:02x}"
        raise _error(f"raw control character U+{char:04X} ({hint})", path, _line_of(text, control.start()))
    if _WELL_FORMED.match(text) is None:
        _diagnose(text, path)
    if _UNCOMMON_ESCAPE.search(text):
        for number, line in enumerate(text.split("\n"), 1):
            code = _code_part(line)
            if code and "\\" in code:
                for string in _STRING_RE.finditer(code):
                    try:
                        check_escapes(string.group()[1:-1])
                    except EscapeError as exc:
                        raise _error(str(exc), path, number) from None


def _code_part(line: str) -> str | None:
    """The keyword-and-strings part of a line; None for blank lines and plain comments."""
    stripped = line.lstrip(" \t")
    if stripped.startswith("#~"):
        return stripped[2:].lstrip(" \t").removeprefix("|").lstrip(" \t")
    if stripped.startswith("#|"):
        return stripped[2:].lstrip(" \t")
    if not stripped or stripped.startswith("#"):
        return None
    return stripped


def _diagnose(text: str, path: str | Path) -> None:
    """The first malformed line, described as msgfmt would (only called for a bad file)."""
    lines = text.split("\n")
    for number, line in enumerate(lines, 1):
        code = _code_part(line)
        if not code:
            continue
        keyword = _KEYWORD_RE.match(code)
        rest = code[keyword.end() :].lstrip(" \t") if keyword else code
        if not rest:
            raise _error(f"{keyword.group(1) if keyword else 'keyword'} without a string", path, number)
        while rest:
            if not rest.startswith('"'):
                word = _WORD.match(rest)
                raise _error(f'keyword "{word.group()}" unknown' if word else "syntax error", path, number)
            string = _STRING_RE.match(rest)
            if string is None:
                where = "end-of-file" if number == len(lines) else "end-of-line"
                raise _error(f"{where} within string (unterminated string, or the file was cut off?)", path, number)
            rest = rest[string.end() :].lstrip(" \t")
    raise _error("not a well-formed PO file", path, 1)  # pragma: no cover - the shape regex and this scan agree


# --- messages --------------------------------------------------------------------------------
# Where an entry is, keyword by keyword: gettext's order, which Babel's parser does not check.
_START, _CONTEXT, _ID, _PLURAL, _STRING_DONE, _FORMS = range(6)
_PENDING = {
    _CONTEXT: "missing 'msgid' after 'msgctxt'",
    _ID: "missing 'msgstr' section",
    _PLURAL: "missing 'msgstr[0]' section",
}
# Babel's parser needs a catalog object; messages go to PoCatalog instead (see _add_message).
_UNUSED_CATALOG = Catalog()


class _StrictParser(PoFileParser):
    """Babel's parser with gettext's keyword order, escapes and string tokens."""

    def __init__(self, sink: PoCatalog, charset: str, path: str | Path):
        self.sink, self.charset, self.path = sink, charset, path
        self.state = _START
        self.start_line = 0  # 0-based line of the current message's first keyword
        self.seen: dict[tuple[str | None, str], int] = {}
        self.has_header = False
        self.in_comment = False
        self.previous: dict[str, list[str]] = {}
        self.previous_field = ""
        super().__init__(_UNUSED_CATALOG, abort_invalid=True)

    def fail(self, message: str, lineno: int) -> PoSyntaxError:
        return _error(message, self.path, lineno + 1)

    def _reset_message_state(self) -> None:
        super()._reset_message_state()
        self.state = _START
        self.previous = {}
        self.previous_field = ""

    def _process_keyword_line(self, lineno: int, line: str, obsolete: bool = False) -> None:
        if obsolete and line.startswith("|"):
            return  # "#~|": the previous msgid of an obsolete message; obsolete messages are set aside
        keyword, space, rest = line.partition(" ")
        if space and keyword in _PLAIN_KEYWORDS and rest.count('"') == 2 and rest[0] == '"' == rest[-1]:
            index, pieces = None, [rest]  # the usual line: one keyword, one string without \"
        else:
            found = _KEYWORD_RE.match(line)
            assert found is not None  # the line shape was checked before parsing
            keyword, index = found.group(1), found.group(2)
            pieces = _STRING_RE.findall(line, found.end())
        if keyword in ("msgctxt", "msgid") and self.state in (_STRING_DONE, _FORMS):
            self._finish_current_message()
        if self.state == _START:
            self.start_line = lineno
        elif obsolete != self.obsolete:
            raise self.fail("an obsolete (#~) and an active line in one message", lineno)
        self.obsolete = obsolete
        self.state = self._next_state(keyword, index, lineno)
        if keyword == "msgctxt":
            self.context = pieces  # type: ignore[assignment]  # Babel types it None until a msgctxt; pieces here
        elif keyword == "msgid":
            self.offset = lineno
            self.messages.append(pieces)
            self.in_msgid, self.in_msgctxt = True, False
        elif keyword == "msgid_plural":
            self.messages.append(pieces)
        else:
            self.translations.append([int(index or 0), pieces])
            self.in_msgid, self.in_msgstr = False, True
        self.in_msgctxt = keyword == "msgctxt"

    def _next_state(self, keyword: str, index: str | None, lineno: int) -> int:
        state = self.state
        if keyword == "msgctxt" and state == _START:
            return _CONTEXT
        if keyword == "msgid" and state in (_START, _CONTEXT):
            return _ID
        if keyword == "msgid_plural" and state == _ID:
            return _PLURAL
        if keyword == "msgstr" and state == _ID:
            return _STRING_DONE
        if keyword.startswith("msgstr[") and state == _PLURAL:
            if index != "0":
                raise self.fail("first plural form has nonzero index", lineno)
            return _FORMS
        if keyword.startswith("msgstr[") and state == _FORMS:
            if int(index or 0) != len(self.translations):
                raise self.fail("plural form has wrong index", lineno)
            return _FORMS
        if state in _PENDING:
            if keyword.startswith("msgstr[") and state == _ID:
                raise self.fail("missing 'msgid_plural' section", self.offset)
            raise self.fail(_PENDING[state], self.offset if state != _CONTEXT else self.start_line)
        if keyword.startswith("msgstr") or keyword == "msgid_plural":
            where = "a message with msgid_plural" if state == _FORMS else "a message"
            raise self.fail(
                f"{keyword} out of place in {where}" if state != _START else f"{keyword} without a msgid before it",
                lineno,
            )
        raise self.fail(f"{keyword} out of place", lineno)  # pragma: no cover - every pair is handled above

    def _process_string_continuation_line(self, line: str, lineno: int) -> None:
        if self.in_msgid:
            target = self.messages[-1]
        elif self.in_msgstr:
            target = self.translations[-1][1]
        elif self.in_msgctxt:
            target = self.context
        else:
            raise self.fail("a string without a keyword before it", lineno)
        if line.count('"') == 2:
            target.append(line)  # stripped by Babel: exactly one string
        else:
            target.extend(_STRING_RE.findall(line))

    def _process_comment(self, line: str) -> None:
        self.in_comment = True
        try:
            self._comment(line)
        finally:
            self.in_comment = False

    def _comment(self, line: str) -> None:
        if line.startswith("#|"):
            self._finish_current_message()
            code = line[2:].strip()
            found = _KEYWORD_RE.match(code)
            if found is not None:
                self.previous_field = found.group(1)
                self.previous[self.previous_field] = _STRING_RE.findall(code, found.end())
            elif self.previous_field:
                self.previous[self.previous_field].extend(_STRING_RE.findall(code))
            return
        self._finish_current_message()  # first, so that a message ending here takes its own #| fields
        previous, field = self.previous, self.previous_field
        super()._process_comment(line)
        self.previous, self.previous_field = previous, field  # a comment between #| and msgid keeps them

    def _finish_current_message(self) -> None:
        if self.state in _PENDING:
            reason = _PENDING[self.state]
            if not self.in_comment:  # Babel's parse() finishing the last message: the file ends here
                reason += " (the file ends inside this message: was it cut off?)"
            raise self.fail(reason, self.offset if self.state != _CONTEXT else self.start_line)
        if self.messages:
            self._add_message()

    def _text(self, pieces: list[str]) -> str:
        try:
            return decode(pieces, self.charset)
        except EscapeError as exc:
            raise self.fail(str(exc), self.offset) from None

    def _add_message(self) -> None:
        if not self.messages[0]:
            # Babel makes a header out of a file's comments when it has no message at all;
            # a file without a header entry is refused instead (see _parse).
            self._reset_message_state()
            return
        line = self.offset + 1
        msgid = self._text(self.messages[0])
        plural = self._text(self.messages[1]) if len(self.messages) > 1 else None
        context = self._text(self.context) if self.context is not None else None
        translations = [self._text(pieces) for _, pieces in self.translations]
        previous = {name: self._text(pieces) for name, pieces in self.previous.items()}
        message = PoMessage(
            msgid=msgid,
            msgstr=translations[0] if plural is None else "",
            msgctxt=context,
            msgid_plural=plural,
            msgstr_plural=tuple(translations) if plural is not None else (),
            flags=tuple(flag for flag in self.flags if flag),
            translator_comments=tuple(self.user_comments),
            extracted_comments=tuple(self.auto_comments),
            references=tuple(f"{name}:{number}" if number is not None else name for name, number in self.locations),
            previous_msgctxt=previous.get("msgctxt"),
            previous_msgid=previous.get("msgid"),
            line=line,
        )
        if self.obsolete:
            self.sink.obsolete.append(message)
        else:
            self._keep(message, line)
        self.counter += 1
        self._reset_message_state()

    def _keep(self, message: PoMessage, line: int) -> None:
        key = (message.msgctxt, message.msgid)
        first = self.seen.setdefault(key, line)
        if first != line:
            what = "header entry" if key == (None, "") else "message definition"
            raise _error(f"duplicate {what} (first at line {first})", self.path, line)
        if key != (None, ""):
            self.sink.messages.append(message)
            return
        if message.msgid_plural is not None:
            raise _error("the header entry cannot have plural forms", self.path, line)
        self.sink.header = parse_header(message.msgstr)
        self.sink.header_comments = message.translator_comments
        self.sink.header_fuzzy = FUZZY in message.flags
        self.sink.header_line = line
        self.has_header = True

    def _invalid_pofile(self, line: Any, lineno: int, msg: str) -> None:
        raise self.fail(msg, lineno)


def _lines(text: str) -> Iterable[str]:
    lines = text.split("\n")
    if "#-" not in text:
        return lines
    # Babel refuses comment lines starting "#-" (msgcat's conflict marks); gettext reads them as
    # comments, and so do we: Babel strips the comment's text, so "# -" reads the same.
    return (f"# {line.lstrip()[1:]}" if line.lstrip().startswith("#-") else line for line in lines)


def _parse(text: str, charset: str, path: str | Path) -> PoCatalog:
    catalog = PoCatalog()
    parser = _StrictParser(catalog, charset, path)
    try:
        parser.parse(_lines(text))
    except PoFileError as exc:  # pragma: no cover - _invalid_pofile raises PoSyntaxError instead
        raise _error(str(exc), path, exc.lineno + 1) from None
    if not parser.has_header:
        raise _error(
            'no header entry (msgid ""): a PO file starts with its header (Language, Content-Type, Plural-Forms)',
            path,
            1,
        )
    _check_plural_forms(catalog, path)
    return catalog


def _check_plural_forms(catalog: PoCatalog, path: str | Path) -> None:
    plurals = [message for message in catalog.messages if message.msgid_plural is not None]
    if not plurals:
        return
    value = catalog.header_value("Plural-Forms")
    count = nplurals(value) if value else None
    if count is None:
        raise _error("plural messages, but the header has no Plural-Forms saying how many forms", path, plurals[0].line)
    for message in plurals:
        if len(message.msgstr_plural) != count:
            raise _error(
                f"{len(message.msgstr_plural)} plural forms, but the header's Plural-Forms says nplurals={count}",
                path,
                message.line,
            )


def iter_escapes(text: str) -> Iterator[re.Match[str]]:
    """Every escape sequence in a string's body (for tests and diagnostics)."""
    return ESCAPE.finditer(text)

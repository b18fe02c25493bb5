"""Reading the PO files a check runs on: find them, parse them, name their locale and entry.

Layout written by the exporter: ``locales/<lc>/<YYYY>/<slug>.po`` per entry and
``locales/<lc>/site.po`` for the site strings. Any failure of the parser (Babel's) becomes an
InputError naming the file and line, so the CLI can exit 2 with one clear message. Files pass
the same strict lint as `import` (bpod_i18n.catalog.lint_po) first: a truncated file is an
error here too, never a silently shortened translation.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import polib
from babel.core import UnknownLocaleError
from babel.messages.catalog import Catalog, Message
from babel.messages.plurals import get_plural
from babel.messages.pofile import PoFileError, PoFileParser

from bpod_i18n.catalog import lint_po
from bpod_i18n.errors import InputError

SITE_ENTRY = "site"
_DATED_SLUG = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:-|$)")
_IGNORE_COMMENT = re.compile(r"bpod-ignore:\s*([a-z0-9, -]+)", re.IGNORECASE)
IGNORE_FLAG_PREFIX = "ignore-"
_LANGUAGE_HEADER = re.compile(rb'^"Language:[ \t]*([^"\\]*?)[ \t]*\\n"', re.MULTILINE)
# In the header's text, as Babel hands it over (unquoted, unescaped).
_HEADER_LANGUAGE = re.compile(r"^Language:[ \t]*(\S*)", re.MULTILINE)
_HEADER_NPLURALS = re.compile(r"^Plural-Forms:.*?\bnplurals\s*=\s*(\d+)", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class PoUnit:
    """One message of a PO file, as the checks need it."""

    unit_id: str  # msgctxt
    pairs: tuple[tuple[str, str], ...]  # (source, target) per plural form; one pair usually
    line: int  # line of the msgid
    flags: frozenset[str]
    silenced: frozenset[str]  # check ids silenced by `#, ignore-<id>` or `# bpod-ignore: <id>`
    comments: str  # extracted comments (#.)

    @property
    def untranslated(self) -> bool:
        return any(target == "" for _, target in self.pairs)

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags and not self.untranslated


@dataclass
class PoFile:
    path: str
    locale: str
    entry: str
    entry_date: dt.date | None
    units: list[PoUnit]


def discover(paths: Sequence[Path]) -> tuple[list[Path], bool]:
    """The PO files named or found under directories (sorted), and whether any was a directory."""
    found: list[Path] = []
    any_directory = False
    for path in paths:
        if path.is_dir():
            any_directory = True
            found.extend(sorted(p for p in path.rglob("*.po") if p.is_file()))
        elif path.is_file():
            found.append(path)
        else:
            raise InputError("no such file or directory", path=path)
    unique = list(dict.fromkeys(found))
    return unique, any_directory


def locale_from_path(path: Path) -> str | None:
    """``locales/<lc>/...`` → lc."""
    parts = path.parts
    for i in range(len(parts) - 2, -1, -1):
        if parts[i] == "locales" and i + 1 < len(parts) - 1:
            return parts[i + 1]
    return None


def locale_directory(path: Path) -> Path | None:
    """``locales/<lc>`` of a PO file in the standard layout."""
    parts = path.parts
    for i in range(len(parts) - 2, -1, -1):
        if parts[i] == "locales" and i + 1 < len(parts) - 1:
            return Path(*parts[: i + 2])
    return None


def sniff_locale(path: Path) -> str | None:
    """The locale read_po would give, from the first 4 KB only (to skip other locales cheaply)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError:
        return None  # read_po will report it
    found = _LANGUAGE_HEADER.search(head)
    if found and found[1].strip():
        return found[1].decode("utf-8", "replace").strip()
    return locale_from_path(path)


def entry_of(path: Path) -> tuple[str, dt.date | None]:
    """Entry slug and its date from the file name; the site catalog is "site" with no date."""
    slug = path.stem
    found = _DATED_SLUG.match(slug)
    if found is None:
        return slug, None
    try:
        return slug, dt.date(int(found[1]), int(found[2]), int(found[3]))
    except ValueError:
        return slug, None


_NONE: frozenset[str] = frozenset()
_MSGID_LINE = re.compile(r"^msgid ", re.MULTILINE)


def _may_silence(message) -> bool:  # type: ignore[no-untyped-def]
    """Most units silence nothing: skip the parsing below for them."""
    return any(flag.startswith(IGNORE_FLAG_PREFIX) for flag in message.flags) or any(
        "bpod-ignore" in comment.lower() for comment in message.user_comments
    )


def silenced_checks(flags: Iterable[str], translator_comment: str) -> frozenset[str]:
    ids = {flag[len(IGNORE_FLAG_PREFIX):] for flag in flags if flag.startswith(IGNORE_FLAG_PREFIX)}
    for found in _IGNORE_COMMENT.finditer(translator_comment):
        ids.update(part.strip().lower() for part in re.split(r"[,\s]+", found[1]) if part.strip())
    return frozenset(ids)


def _decode(data: bytes, path: Path) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as utf8_error:
        charset = re.search(rb'charset=([\w.-]+)', data[:4096])
        if charset and charset[1].lower() not in (b"utf-8", b"utf8", b"charset"):
            try:
                return data.decode(charset[1].decode("ascii"))
            except (LookupError, UnicodeDecodeError):
                pass
        line = data.count(b"\n", 0, utf8_error.start) + 1
        raise InputError(f"not valid UTF-8 (byte 0x{data[utf8_error.start]:02x})", path=path, line=line) from None


class _GateCatalog(Catalog):
    """Babel's catalog as the gate reads it: messages kept in file order, the header kept as text.

    Babel's own catalog parses the header through the email package and CLDR on every file,
    which is 45% of parsing a one-entry PO file; the gate needs only Language and nplurals
    from it. Messages still go through Babel's __setitem__ (its key and merge rules).
    """

    def __init__(self) -> None:
        super().__init__()
        self.has_header = False
        self.language = ""
        self.in_order: list[Message] = []
        self._plural_count = 2

    @property
    def num_plurals(self) -> int:  # read by PoFileParser to size msgstr[n]
        return self._plural_count

    def __setitem__(self, id, message: Message) -> None:  # type: ignore[no-untyped-def, override]
        if id == "":
            header = message.string or ""
            found = _HEADER_LANGUAGE.search(header)
            self.has_header, self.language = True, found[1] if found else ""
            self._plural_count = _nplurals(header, self.language)
            return
        self.in_order.append(message)
        super().__setitem__(id, message)


def _nplurals(header: str, language: str) -> int:
    """nplurals from Plural-Forms, else the language's CLDR rule (as Babel's Catalog does), else 2."""
    found = _HEADER_NPLURALS.search(header)
    if found:
        return int(found[1])
    try:
        return get_plural(language.replace("-", "_")).num_plurals if language else 2
    except (UnknownLocaleError, ValueError):
        return 2


def read_po(path: Path) -> PoFile:
    """Parse one PO file; InputError (with path and line) if it cannot be read or parsed.

    Babel's parser reads here, not polib: a gate over 12 000 files spends most of its time
    parsing, and Babel's parser is about twice as fast. Both are full PO parsers; polib
    stays the one that writes and imports, and finds the line of a duplicate (Babel merges
    duplicates silently, so they are counted first).
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=path) from None
    text = _decode(data, path)
    lint_po(text, path)
    catalog = _GateCatalog()
    try:
        PoFileParser(catalog, abort_invalid=True).parse(io.StringIO(text))
    except PoFileError as exc:
        # Babel counts lines from 0 and appends "on <that number>" to its message.
        reason = re.sub(r" on \d+$", "", str(exc))
        raise InputError(f"malformed PO: {reason}", path=path, line=exc.lineno + 1) from None
    # Babel merges a message defined twice (and a second header) without a word: count them.
    if len(_MSGID_LINE.findall(text)) != len(catalog) + catalog.has_header:
        _raise_duplicate(text, path, text.splitlines())
    locale = catalog.language.strip() or locale_from_path(path)
    if not locale:
        raise InputError("cannot tell the locale: no Language header and not under locales/<lc>/", path=path, line=1)
    slug, date = entry_of(path)
    units: list[PoUnit] = []
    for message in catalog.in_order:
        if isinstance(message.id, tuple):
            singular, plural = message.id[0], message.id[1]
            forms = [form or "" for form in message.string] or [""]
            pairs = tuple((singular if i == 0 else plural, form) for i, form in enumerate(forms))
        else:
            pairs = ((message.id, message.string or ""),)
        flags = frozenset(message.flags)
        units.append(
            PoUnit(
                unit_id=message.context or "",
                pairs=pairs,
                line=message.lineno or 1,  # Babel's line is the msgid's
                flags=flags,
                silenced=silenced_checks(flags, "\n".join(message.user_comments)) if _may_silence(message) else _NONE,
                comments="\n".join(message.auto_comments),
            )
        )
    return PoFile(path=str(path), locale=locale, entry=slug, entry_date=date, units=units)


def _raise_duplicate(text: str, path: Path, lines: list[str]) -> None:
    """Name the line of a message defined twice (polib keeps every definition with its line)."""
    seen: dict[tuple[str | None, str], int] = {}
    for message in polib.pofile(text, encoding="utf-8", wrapwidth=0):
        if message.obsolete:
            continue
        line = _msgid_line(lines, message.linenum or 1)
        key = (message.msgctxt, message.msgid)
        if key in seen:
            raise InputError(f"duplicate message definition (first at line {seen[key]})", path=path, line=line)
        seen[key] = line
    raise InputError("malformed PO: a message could not be read", path=path)


def _msgid_line(lines: list[str], start: int) -> int:
    """polib's linenum is the first line of an entry (its msgctxt); reports point at the msgid."""
    for number in range(max(start, 1), len(lines) + 1):
        if lines[number - 1].lstrip().startswith("msgid "):
            return number
    return start

"""PO files: build them from units, write them atomically, read them back strictly.

polib owns the format. It is lenient where we cannot be: an unterminated string (a file cut
off mid-entry) is accepted with its last character dropped. So before polib parses, a
line-level lint refuses anything that is not a comment, a keyword line or a quoted
continuation, and an entry that ends without its msgstr: a translator's truncated upload
must be an error naming the line, never a silently shortened translation.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polib
from babel.messages.plurals import get_plural

from bpod_i18n import __version__
from bpod_i18n.errors import InputError

ENTRY_HEADER = "X-Bpod-Entry"
# Highest history event id of this file's units at export time; an import compares it with
# the database to find translations changed by someone else since.
REVISION_HEADER = "X-Bpod-Revision"

# A C string on one line: a quoted string never runs on to the next line in PO.
_QUOTED = r'"(?:[^"\\\n]|\\[^\n])*"'
_BAD_LINE = re.compile(
    rf'^(?![ \t]*(?:$|#|(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)[ \t]+{_QUOTED}[ \t]*$|{_QUOTED}[ \t]*$)).*$',
    re.MULTILINE,
)
# The shape of a whole PO file: blank lines, comments (obsolete #~ entries included) and
# entries whose keywords come in order and end with msgstr. It checks structure only; polib
# (or Babel) still does the parsing.
_CONTINUATION = rf'(?:[ \t]*{_QUOTED}[ \t]*\n)*'


def _keyword(name: str) -> str:
    return rf'[ \t]*{name}[ \t]+{_QUOTED}[ \t]*\n{_CONTINUATION}'


_MSGSTR_N = _keyword(r"msgstr\[\d+\]")
_ENTRY = (
    rf'(?:{_keyword("msgctxt")})?{_keyword("msgid")}(?:{_keyword("msgid_plural")})?'
    rf'(?:{_keyword("msgstr")}|(?:{_MSGSTR_N})+)'
)
_WELL_FORMED = re.compile(rf'(?:[ \t]*\n|[ \t]*#[^\n]*\n|{_ENTRY})*\Z')
# A msgctxt/msgid/msgid_plural with its continuation lines, then no msgstr/msgid keyword.
_NO_MSGSTR = re.compile(
    rf'^[ \t]*(?:msgctxt|msgid|msgid_plural)[ \t]+{_QUOTED}[ \t]*(?:\n[ \t]*{_QUOTED}[ \t]*)*(?=\n[ \t]*(?:\n|#)|\n?\Z)',
    re.MULTILINE,
)


@dataclass
class ExportUnit:
    """What one PO entry says about one unit."""

    uid: str
    source: str
    target: str = ""
    fuzzy: bool = False
    previous_source: str | None = None
    occurrence: tuple[str, str] | None = None
    comments: list[str] = field(default_factory=list)


@dataclass
class PoUnit:
    uid: str | None
    source: str
    target: str
    fuzzy: bool
    line: int
    previous_source: str | None = None
    flags: list[str] = field(default_factory=list)
    translator_comment: str = ""


@dataclass
class PoFile:
    path: Path
    language: str | None
    slug: str | None
    revision: int | None
    last_translator: str | None
    units: list[PoUnit]


def plural_forms(locale: str) -> str:
    nplurals, expr = get_plural(locale)
    return f"nplurals={nplurals}; plural={expr};"


def build_po(
    *,
    locale: str,
    slug: str,
    description: str,
    units: Sequence[ExportUnit],
    created: dt.datetime,
    revised: dt.datetime | None,
    revision: int,
    last_translator: str | None = None,
) -> polib.POFile:
    po = polib.POFile(wrapwidth=78)
    po.header = description
    po.metadata = {
        "Project-Id-Version": f"BPoD {slug}",
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": _po_date(created),
        "PO-Revision-Date": _po_date(revised) if revised else "YEAR-MO-DA HO:MI+ZONE",
        "Last-Translator": last_translator or "",
        "Language-Team": locale,
        "Language": locale,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": plural_forms(locale),
        "X-Generator": f"bpod-i18n {__version__}",
        ENTRY_HEADER: slug,
        REVISION_HEADER: str(revision),
    }
    for unit in units:
        entry = polib.POEntry(
            msgctxt=unit.uid,
            msgid=unit.source,
            msgstr=unit.target,
            comment="\n".join(unit.comments),
            occurrences=[unit.occurrence] if unit.occurrence else [],
            flags=["fuzzy"] if unit.fuzzy and unit.target else [],
        )
        if unit.previous_source is not None and unit.previous_source != unit.source:
            entry.previous_msgctxt = unit.uid
            entry.previous_msgid = unit.previous_source
        po.append(entry)
    return po


def _po_date(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M+0000")


def render_po(po: polib.POFile) -> str:
    return str(po) + "\n" if not str(po).endswith("\n") else str(po)


def lint_po(text: str, path: Path) -> None:
    """Refuse what polib would silently accept: unterminated strings and truncated entries.

    A well-formed file matches the shape of a PO file in one regular-expression pass (the
    `check` gate lints 12 000 files); only a file that does not is searched for the first
    line that is neither blank, a comment, a keyword line nor a quoted continuation, or a
    msgctxt/msgid whose entry ends (blank line, comment or end of file) before its msgstr.
    """
    if "\r" in text:  # saved on Windows: same file, other line ends
        text = text.replace("\r\n", "\n")
    if _WELL_FORMED.match(text if text.endswith("\n") else text + "\n"):
        return
    bad = _BAD_LINE.search(text)
    if bad:
        line = bad.group()
        hint = "unterminated string" if line.count('"') % 2 else "not a PO line"
        raise InputError(f"{hint}: {line.strip()[:60]!r}", path=path, line=text.count("\n", 0, bad.start()) + 1)
    cut = _NO_MSGSTR.search(text)
    if cut:
        line = text.count("\n", 0, cut.start()) + 1
        if text[cut.end():].strip():
            raise InputError("entry has no msgstr (file truncated?)", path=path, line=line)
        raise InputError("file ends inside an entry, before its msgstr (truncated?)", path=path, line=line)
    raise InputError("not a well-formed PO file", path=path)


def read_po(path: Path) -> PoFile:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", path=path)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError("not UTF-8 (PO files must be saved as UTF-8)", path=path, line=line)
    if not text.strip():
        raise InputError("empty file", path=path, line=1)
    lint_po(text, path)
    try:
        po = polib.pofile(text, check_for_duplicates=True)
    except (OSError, ValueError) as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise InputError(_polib_message(str(exc)), path=path, line=int(match.group(1)) if match else None)
    meta = po.metadata
    revision = meta.get(REVISION_HEADER)
    units = [
        PoUnit(
            uid=entry.msgctxt,
            source=entry.msgid,
            target=entry.msgstr,
            fuzzy="fuzzy" in entry.flags,
            line=entry.linenum,
            previous_source=entry.previous_msgid,
            flags=list(entry.flags),
            translator_comment=entry.tcomment or "",
        )
        for entry in po
        if not entry.obsolete
    ]
    return PoFile(
        path=path,
        language=meta.get("Language") or None,
        slug=meta.get(ENTRY_HEADER) or None,
        revision=int(revision) if revision and revision.isdigit() else None,
        last_translator=_translator_name(meta.get("Last-Translator", "")),
        units=units,
    )


def _polib_message(message: str) -> str:
    message = re.sub(r"\s*\(line \d+\)", "", message)
    return re.sub(r" in po file \S+", "", message).strip() or "malformed PO file"


def _translator_name(value: str) -> str | None:
    value = value.strip()
    if not value or value.startswith("FULL NAME"):
        return None
    return value

"""The PO files a check runs on, read through the one PO layer (``bpod_i18n.po``).

`check` and `import` read a file with the same function (``read_unit_file``), so the gate
never passes a file that `import` would refuse, nor the other way round. This module only
adds what the checks need on top: which checks a unit silences, and a cheap look at a file's
locale so that ``--locale ca`` does not parse the other locales' files.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path

from bpod_i18n.po import FUZZY, locale_from_path, read_unit_file

_IGNORE_COMMENT = re.compile(r"bpod-ignore:\s*([a-z0-9, -]+)", re.IGNORECASE)
IGNORE_FLAG_PREFIX = "ignore-"
_LANGUAGE_HEADER = re.compile(rb'^"Language:[ \t]*([^"\\]*?)[ \t]*\\n"', re.MULTILINE)
_NONE: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class PoUnit:
    """One unit of a PO file, as the checks need it."""

    unit_id: str  # msgctxt
    source: str
    target: str
    line: int  # line of the msgid
    flags: frozenset[str]
    silenced: frozenset[str]  # check ids silenced by `#, ignore-<id>` or `# bpod-ignore: <id>`
    comments: str  # extracted comments (#.)

    @property
    def untranslated(self) -> bool:
        return self.target == ""

    @property
    def fuzzy(self) -> bool:
        return FUZZY in self.flags and not self.untranslated


@dataclass
class PoFile:
    path: str
    locale: str
    entry: str
    entry_date: dt.date | None
    units: list[PoUnit]


def sniff_locale(path: Path, locales_dir: Path | None = None) -> str | None:
    """The locale ``read_po`` would give (the folder, else the Language header in the first 4 KB),
    to skip other locales' files cheaply; None when unsure (the file is then read)."""
    folder = locale_from_path(path, locales_dir)
    if folder is not None:
        return folder
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError:
        return None  # read_po will report it
    found = _LANGUAGE_HEADER.search(head)
    if found and found[1].strip():
        return found[1].decode("utf-8", "replace").strip()
    return None


def silenced_checks(flags: Iterable[str], translator_comments: Iterable[str]) -> frozenset[str]:
    ids = {flag[len(IGNORE_FLAG_PREFIX) :] for flag in flags if flag.startswith(IGNORE_FLAG_PREFIX)}
    for comment in translator_comments:
        for found in _IGNORE_COMMENT.finditer(comment):
            ids.update(part.strip().lower() for part in re.split(r"[,\s]+", found[1]) if part.strip())
    return frozenset(ids)


def read_po(
    path: Path,
    *,
    locales_dir: Path | None = None,
    project_locales: Collection[str] | None = None,
    max_bytes: int | None = None,
) -> PoFile:
    """Read one unit file for the checks; InputError (with path and line) as `import` would raise."""
    unit_file = read_unit_file(path, locales_dir=locales_dir, project_locales=project_locales, max_bytes=max_bytes)
    units = []
    for message in unit_file.units:
        flags = frozenset(message.flags)
        # Most units silence nothing: skip the parsing for them.
        may_silence = any(flag.startswith(IGNORE_FLAG_PREFIX) for flag in flags) or any(
            "bpod-ignore" in comment.lower() for comment in message.translator_comments
        )
        units.append(
            PoUnit(
                unit_id=message.msgctxt or "",
                source=message.msgid,
                target=message.msgstr,
                line=message.line,
                flags=flags,
                silenced=silenced_checks(flags, message.translator_comments) if may_silence else _NONE,
                comments="\n".join(message.extracted_comments),
            )
        )
    return PoFile(
        path=str(path), locale=unit_file.locale, entry=unit_file.slug, entry_date=unit_file.entry_date, units=units
    )

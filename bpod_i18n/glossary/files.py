"""Termbase files on disk: ``glossary/<src>-<tgt>.csv`` (or ``.tbx``), loaded whole, saved atomically."""

from __future__ import annotations

import re
from pathlib import Path

from bpod_i18n.atomic import write_atomic
from bpod_i18n.errors import InputError, UsageError
from bpod_i18n.glossary.csv_io import format_csv, parse_csv
from bpod_i18n.glossary.tbx_io import format_tbx, parse_tbx
from bpod_i18n.glossary.terms import MergeReport, Termbase

_PAIR = re.compile(r"^([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?)-([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?)$")
_LANG = re.compile(r"^[A-Za-z]{2,3}(?:[_][A-Za-z0-9]{2,8})?$")
FORMATS = (".csv", ".tbx")


def termbase_path(glossary_dir: str | Path, source_lang: str, target_lang: str) -> Path:
    """``glossary/en-ca.csv``. A region goes with an underscore (``pt_BR``) so the dash stays the pair separator."""
    for lang in (source_lang, target_lang):
        if not _LANG.match(lang):
            raise UsageError(f"not a language code for a glossary file name: {lang!r} (use e.g. ca, es, pt_BR)")
    return Path(glossary_dir) / f"{source_lang}-{target_lang}.csv"


def pair_from_path(path: str | Path) -> tuple[str, str]:
    """``glossary/en-ca.csv`` → ("en", "ca")."""
    match = _PAIR.match(Path(path).stem)
    if not match:
        raise UsageError(f"{path}: a termbase file is named <source>-<target>.csv, e.g. en-ca.csv")
    return match.group(1), match.group(2)


def read_termbase_file(path: str | Path, *, source_lang: str, target_lang: str) -> tuple[Termbase, int]:
    """Read a CSV or TBX file whole; returns the termbase and how many TBX entries were skipped."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise UsageError(f"{path}: a termbase is a .csv or .tbx file")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", path=path) from None
    if suffix == ".tbx":
        return parse_tbx(data, path=path, source_lang=source_lang, target_lang=target_lang)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError("not UTF-8 text", path=path, line=line) from None
    return parse_csv(text, path=path, source_lang=source_lang, target_lang=target_lang), 0


def load_termbase(path: str | Path, *, missing_ok: bool = False) -> Termbase:
    """Load ``glossary/en-ca.csv`` (pair from the file name); a missing file is empty if ``missing_ok``."""
    source_lang, target_lang = pair_from_path(path)
    if missing_ok and not Path(path).exists():
        return Termbase(source_lang, target_lang)
    return read_termbase_file(path, source_lang=source_lang, target_lang=target_lang)[0]


def load_pair(glossary_dir: str | Path, source_lang: str, target_lang: str, *, missing_ok: bool = True) -> Termbase:
    """The termbase of one pair from the project's glossary directory."""
    path = termbase_path(glossary_dir, source_lang, target_lang)
    if missing_ok and not path.exists():
        return Termbase(source_lang, target_lang)
    return read_termbase_file(path, source_lang=source_lang, target_lang=target_lang)[0]


def save_termbase(termbase: Termbase, path: str | Path) -> Path:
    """Write CSV or TBX (by suffix) to a temporary file beside ``path`` and rename it over."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        data = format_csv(termbase).encode("utf-8")
    elif suffix == ".tbx":
        data = format_tbx(termbase)
    else:
        raise UsageError(f"{path}: a termbase is saved as .csv or .tbx")
    write_atomic(path, data, durable=True)
    return path


def save_pair(termbase: Termbase, glossary_dir: str | Path) -> Path:
    return save_termbase(termbase, termbase_path(glossary_dir, termbase.source_lang, termbase.target_lang))


def import_into(termbase: Termbase, path: str | Path) -> MergeReport:
    """Merge a CSV or TBX file into ``termbase`` (in memory; save it after). The file is read and
    checked whole first, so a malformed file raises InputError and changes nothing."""
    incoming, skipped = read_termbase_file(path, source_lang=termbase.source_lang, target_lang=termbase.target_lang)
    report = termbase.merge(incoming, source_path=str(path))
    report.skipped = skipped
    return report


def export_tbx(termbase: Termbase, path: str | Path) -> Path:
    """Write the termbase as TBX v3 (TBX-Basic) for partners' tools."""
    path = Path(path)
    write_atomic(path, format_tbx(termbase), durable=True)
    return path

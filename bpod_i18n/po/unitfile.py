"""bpod-i18n's PO files: one entry's units in one locale, read and built the same way everywhere.

On top of the PO syntax (``reader``), a unit file has rules of its own, and `import` and `check`
apply them through this one function so that they always agree: every message is a unit
(``msgctxt`` = unit id) with a single form (sentences have no plurals); the locale is the
``Language`` header or the ``locales/<lc>/`` folder, and the two agree; the entry is the
``X-Bpod-Entry`` header, else the file name.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from bpod_i18n import __version__
from bpod_i18n.errors import InputError
from bpod_i18n.po.layout import locale_from_path, slug_date
from bpod_i18n.po.model import FUZZY, PoCatalog, PoMessage
from bpod_i18n.po.reader import PoSyntaxError, read_po_file

ENTRY_HEADER = "X-Bpod-Entry"
# Highest history event id of the file's units at export time: information for people and
# tools only; import never trusts it (it merges against the bases the project kept).
REVISION_HEADER = "X-Bpod-Revision"
# The start of the entry's content hash at export time: the English the file was made from, so
# that import can tell an English changed since from a msgid edited in the file.
ENGLISH_HEADER = "X-Bpod-English"
GENERATOR = f"bpod-i18n {__version__}"


@dataclass
class UnitFile:
    path: Path
    locale: str
    slug: str
    entry_date: dt.date | None
    revision: int | None
    last_translator: str | None
    units: list[PoMessage]  # msgctxt is the unit id; msgstr the translation
    english: str | None = None  # ENGLISH_HEADER; None in files exported before it existed
    header_line: int = 0  # line of the header entry, for messages about its fields


def read_unit_file(
    path: Path,
    *,
    locales_dir: Path | None = None,
    project_locales: Collection[str] | None = None,
    max_bytes: int | None = None,
) -> UnitFile:
    """Read and validate one unit file; PoSyntaxError / InputError name the file and line."""
    catalog = read_po_file(path, max_bytes=max_bytes)
    for message in catalog.messages:
        if not message.msgctxt:
            raise PoSyntaxError(
                "message without msgctxt: not a bpod-i18n unit (was this file made by another tool?)",
                path=path,
                line=message.line,
            )
        if message.msgid_plural is not None:
            raise PoSyntaxError(
                "plural message (msgid_plural): bpod-i18n units are sentences and have no plural forms",
                path=path,
                line=message.line,
            )
    locale = _locale(catalog, path, locales_dir, project_locales)
    slug = (catalog.header_value(ENTRY_HEADER) or "").strip() or path.stem
    revision = (catalog.header_value(REVISION_HEADER) or "").strip()
    return UnitFile(
        path=path,
        locale=locale,
        slug=slug,
        entry_date=slug_date(slug),
        revision=int(revision) if revision.isdigit() else None,
        last_translator=_translator(catalog.header_value("Last-Translator") or ""),
        units=catalog.messages,
        english=(catalog.header_value(ENGLISH_HEADER) or "").strip() or None,
        header_line=catalog.header_line,
    )


def _locale(catalog: PoCatalog, path: Path, locales_dir: Path | None, project_locales: Collection[str] | None) -> str:
    """The ``locales/<lc>/`` folder when the file is in the layout (a translator's tool may have
    written a more specific ``Language: ca_ES`` or ``ca@valencia`` into its header), else the
    Language header. A header of another language than its folder is a misplaced file."""
    header = (catalog.header_value("Language") or "").strip().replace("-", "_")
    folder = locale_from_path(path, locales_dir)
    line = catalog.header_line or 1
    if folder and known_locale(folder):
        if header and _language(header) != _language(folder):
            raise InputError(
                f"Language header says {header!r} but the file is under locales/{folder}/", path=path, line=line
            )
        code = folder
    else:
        code = header or folder or ""
        if not code:
            raise InputError(
                "cannot tell the locale: no Language header and not under locales/<lc>/", path=path, line=line
            )
        if not known_locale(code):
            raise InputError(f"unknown locale {code!r} (Language header or locales/<lc>/ folder)", path=path, line=line)
    if project_locales is not None and code not in project_locales:
        raise InputError(
            f"locale {code!r} is not one of this project's locales ({', '.join(project_locales)}); add "
            "it to [project] locales in bpod-i18n.toml",
            path=path,
            line=line,
        )
    return code


def _language(code: str) -> str:
    return code.replace("@", "_").split("_")[0].lower()


@functools.lru_cache(maxsize=256)
def known_locale(code: str) -> bool:
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(code)
    except (UnknownLocaleError, ValueError, TypeError):
        return False
    return True


def _translator(value: str) -> str | None:
    value = value.strip()
    if not value or value.startswith("FULL NAME"):
        return None
    return value


def unit_message(
    *,
    uid: str,
    source: str,
    target: str,
    fuzzy: bool,
    previous_source: str | None,
    reference: str | None,
    comments: Sequence[str],
    notes: Sequence[str] = (),
) -> PoMessage:
    """One unit as a PO message: fuzzy only with a text to be fuzzy about; ``#| msgid`` only
    when the English the text was made for differs from today's. ``comments`` are for the
    translator from the tool (``#.``), ``notes`` between people (``#``: reviewers' reasons,
    translators' comments, suggestions)."""
    return PoMessage(
        msgid=source,
        msgstr=target,
        msgctxt=uid,
        flags=(FUZZY,) if fuzzy and target else (),
        translator_comments=tuple(notes),
        extracted_comments=tuple(comments),
        references=(reference,) if reference else (),
        previous_msgctxt=uid if previous_source is not None and previous_source != source else None,
        previous_msgid=previous_source if previous_source is not None and previous_source != source else None,
    )


def build_unit_catalog(
    *,
    locale: str,
    slug: str,
    description: str,
    plural_forms: str,
    created: dt.datetime,
    revised: dt.datetime | None,
    revision: int,
    last_translator: str | None,
    messages: list[PoMessage],
    english: str | None = None,
) -> PoCatalog:
    """The catalog export writes for one entry (or the site strings) in one locale."""
    return PoCatalog(
        header_comments=tuple(description.split("\n")),
        header=[
            ("Project-Id-Version", f"BPoD {slug}"),
            ("Report-Msgid-Bugs-To", ""),
            ("POT-Creation-Date", _po_date(created)),
            ("PO-Revision-Date", _po_date(revised) if revised else "YEAR-MO-DA HO:MI+ZONE"),
            ("Last-Translator", last_translator or ""),
            ("Language-Team", locale),
            ("Language", locale),
            ("MIME-Version", "1.0"),
            ("Content-Type", "text/plain; charset=UTF-8"),
            ("Content-Transfer-Encoding", "8bit"),
            ("Plural-Forms", plural_forms),
            (ENTRY_HEADER, slug),
            (REVISION_HEADER, str(revision)),
            *([(ENGLISH_HEADER, english)] if english else []),
            ("X-Generator", GENERATOR),
        ],
        messages=messages,
    )


def _po_date(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M+0000")

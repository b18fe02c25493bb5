"""Where PO files live: ``locales/<lc>/<YYYY>/<slug>.po`` per entry, ``locales/<lc>/site.po``.

The one place that knows the layout: export writes there, import and check find the locale and
entry of a file from it (when its header does not say).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path

from bpod_i18n.errors import InputError
from bpod_i18n.model import SITE_SLUG

SITE_FILE = f"{SITE_SLUG}.po"
LOCALES_DIR_NAME = "locales"
_DATED_SLUG = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:-|$)")


def po_path(locales_dir: Path, locale: str, slug: str, date: dt.date | None) -> Path:
    """The file of one entry (or of the site strings) in one locale."""
    if slug == SITE_SLUG:
        return locales_dir / locale / SITE_FILE
    if date is None:
        return locales_dir / locale / f"{slug}.po"
    return locales_dir / locale / f"{date.year:04d}" / f"{slug}.po"


def slug_date(slug: str) -> dt.date | None:
    """The date at the start of an entry slug (``2016-07-22-massing-to-defend``), if any."""
    found = _DATED_SLUG.match(slug)
    if found is None:
        return None
    try:
        return dt.date(int(found[1]), int(found[2]), int(found[3]))
    except ValueError:
        return None


def _locale_index(parts: tuple[str, ...], locales_dir: Path | None) -> int | None:
    """Index of the ``<lc>`` part of a path under ``locales_dir`` (or any folder named locales)."""
    if locales_dir is not None:
        base = locales_dir.parts
        if len(parts) > len(base) + 1 and parts[: len(base)] == base:
            return len(base)
    for i in range(len(parts) - 2, -1, -1):
        if parts[i] == LOCALES_DIR_NAME and i + 1 < len(parts) - 1:
            return i + 1
    return None


def locale_from_path(path: Path, locales_dir: Path | None = None) -> str | None:
    """``locales/<lc>/...`` → lc (``locales_dir`` first, then any folder named ``locales``)."""
    parts = path.absolute().parts if locales_dir is not None else path.parts
    index = _locale_index(parts, locales_dir.absolute() if locales_dir is not None else None)
    return parts[index] if index is not None else None


def locale_directory(path: Path) -> Path | None:
    """``locales/<lc>`` of a file in the layout, as a path of the same kind as ``path``."""
    index = _locale_index(path.parts, None)
    return Path(*path.parts[: index + 1]) if index is not None else None


def discover(paths: Sequence[Path]) -> tuple[list[Path], bool]:
    """The PO files named, or found under directories (sorted); and whether any was a directory."""
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
    return list(dict.fromkeys(found)), any_directory

"""Readers of English BPoD entries: page text, HTML, Markdown with front matter, JSON.

Every reader returns a :class:`bpod_i18n.model.SourceEntry` holding the entry only (site
banner and footer dropped) or raises :class:`bpod_i18n.errors.InputError` naming the file
and, where known, the line.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Iterable
from pathlib import Path

from bpod_i18n.errors import InputError
from bpod_i18n.model import Image, SourceEntry
from bpod_i18n.sources.frontmatter import read_json, read_markdown
from bpod_i18n.sources.html import read_html
from bpod_i18n.sources.pagetext import read_page_text
from bpod_i18n.sources.site import (
    NO_CHROME,
    SITE_STRINGS,
    SiteChrome,
    SiteString,
    is_banner_line,
    is_chrome_line,
    is_footer_line,
    site_string_for,
)
from bpod_i18n.sources.slug import make_slug, slugify
from bpod_i18n.sources.textfile import refuse_larger_than

Reader = Callable[..., SourceEntry]

READERS: dict[str, Reader] = {
    ".txt": read_page_text,
    ".html": read_html,
    ".htm": read_html,
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".json": read_json,
}
SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(READERS)


def _suffix(path: Path) -> str:
    return path.suffix.lower()


def read_entry(
    path: Path,
    *,
    date: dt.date | None = None,
    title: str | None = None,
    image: Image | None = None,
    chrome: SiteChrome = NO_CHROME,
    max_bytes: int | None = None,
) -> SourceEntry:
    """Read one entry file, choosing the reader by its suffix.

    ``date`` and ``title`` fill in what a body-only copy lacks; a file that has its own and
    disagrees is refused. ``image`` (``ingest --image``) replaces the file's own; ``chrome``
    holds the site lines the project declared (``[ingest] extra_chrome``).
    """
    path = Path(path)
    reader = READERS.get(_suffix(path))
    if reader is None:
        raise InputError(
            f"unsupported file type {path.suffix or '(none)'!r}; expected one of {', '.join(SUPPORTED_SUFFIXES)}",
            path=path,
        )
    if max_bytes is not None:
        refuse_larger_than(path, max_bytes, "an entry file", "entry_file_size")
    entry = reader(path, date=date, title=title, image=image, chrome=chrome)
    return _keep_file_slug(entry, path)


_SLUG_NAME = re.compile(r"\d{4}-\d{2}-\d{2}-[a-z0-9]+(?:-[a-z0-9]+)*")


def _keep_file_slug(entry: SourceEntry, path: Path) -> SourceEntry:
    """A file named by its slug keeps that slug when its title is edited.

    The slug is the entry's identity (its PO files, its mirror URL): a typo fixed in the
    title must update the entry, not create a second one. Only a slug derived from the
    title gives way, and only to a file name of the same date; an explicit front-matter
    slug always wins.
    """
    stem = path.stem
    derived = make_slug(entry.date, entry.title)
    if (
        entry.slug == derived
        and stem != derived
        and _SLUG_NAME.fullmatch(stem)
        and stem.startswith(entry.date.isoformat())
    ):
        return dataclasses.replace(entry, slug=stem)
    return entry


def discover(paths: Iterable[Path]) -> list[Path]:
    """Entry files named by ``paths``: files as given, folders searched recursively.

    Inside folders only supported suffixes count and hidden files and folders are skipped;
    a file named explicitly must have a supported suffix. Sorted, without duplicates.
    """
    found: set[Path] = set()
    for path in map(Path, paths):
        if path.is_dir():
            for candidate in path.rglob("*"):
                hidden = any(part.startswith(".") for part in candidate.relative_to(path).parts)
                if candidate.is_file() and not hidden and _suffix(candidate) in READERS:
                    found.add(candidate)
        elif path.is_file():
            if _suffix(path) not in READERS:
                raise InputError(
                    f"unsupported file type {path.suffix or '(none)'!r}; "
                    f"expected one of {', '.join(SUPPORTED_SUFFIXES)}",
                    path=path,
                )
            found.add(path)
        else:
            raise InputError("no such file or folder", path=path)
    return sorted(found)


__all__ = [
    "NO_CHROME",
    "READERS",
    "SITE_STRINGS",
    "SUPPORTED_SUFFIXES",
    "SiteChrome",
    "SiteString",
    "discover",
    "is_banner_line",
    "is_chrome_line",
    "is_footer_line",
    "make_slug",
    "read_entry",
    "site_string_for",
    "slugify",
]

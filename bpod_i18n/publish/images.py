"""An entry's picture, as publishing needs it: the one interface the entry model's image is
connected to.

Publishing is written against :class:`EntryImage` alone, and an :data:`ImageLookup` turns an
entry into one: :func:`image_from_entry` takes the localised entry's image (ingested with the
entry, its alt text translated) or else the stored entry's ``image`` field; a caller may pass
any other lookup (the tests give fixture files, the benchmark generated ones).
"""

from __future__ import annotations

import hashlib
import mimetypes
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from bpod_i18n.errors import InputError
from bpod_i18n.render.model import LocalisedEntry

# What WordPress accepts as an image upload by default (wp_get_mime_types()).
IMAGE_TYPES = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/gif": ".gif",
    "image/webp": ".webp",
}


@dataclass(frozen=True)
class EntryImage:
    """An entry's image in one locale: where its bytes are, and the words that go with it."""

    source: str  # an http(s) URL or a local file path
    alt: str  # alt text, in the locale published
    width: int | None = None
    height: int | None = None

    @property
    def is_url(self) -> bool:
        return urlsplit(self.source).scheme in ("http", "https")

    @property
    def filename(self) -> str:
        """The file name WordPress is given (the last part of the URL or the path)."""
        name = unquote(urlsplit(self.source).path.rsplit("/", 1)[-1]) if self.is_url else Path(self.source).name
        return name or "image"


# (the localised entry, the stored English entry's fields) → its image, or None.
ImageLookup = Callable[[LocalisedEntry, Mapping[str, Any]], EntryImage | None]


def image_from_entry(entry: LocalisedEntry, source: Mapping[str, Any]) -> EntryImage | None:
    """The image of the localised entry (alt text in the locale published), else the one the
    stored entry names (``{"url" or "path", "alt", "width", "height"}``), or None."""
    data = entry.image if entry.image is not None else source.get("image")
    if not isinstance(data, Mapping):
        return None
    where = data.get("url") or data.get("path")
    if not isinstance(where, str) or not where:
        return None
    alt = data.get("alt") if isinstance(data.get("alt"), str) else entry.title
    width, height = data.get("width"), data.get("height")
    return EntryImage(
        where,
        str(alt),
        width if isinstance(width, int) else None,
        height if isinstance(height, int) else None,
    )


@dataclass(frozen=True)
class ImageFile:
    """An image's bytes, ready to upload: named, typed, and identified by content."""

    data: bytes
    sha256: str
    filename: str
    mime_type: str

    @property
    def media_slug(self) -> str:
        """The attachment's slug on the site: the same picture is found again by its content."""
        return f"bpod-image-{self.sha256[:32]}"


def image_file(image: EntryImage, data: bytes) -> ImageFile:
    """``data`` (the bytes of ``image``) checked to be a picture WordPress takes."""
    mime = _sniff(data) or mimetypes.guess_type(image.filename)[0]
    if mime not in IMAGE_TYPES:
        raise InputError(
            f"not a JPEG, PNG, GIF or WebP image ({mime or 'unknown type'})",
            path=image.source,
        )
    name = image.filename
    if Path(name).suffix.lower() not in {IMAGE_TYPES[mime], ".jpeg"}:
        name = f"{Path(name).stem or 'image'}{IMAGE_TYPES[mime]}"
    return ImageFile(data, hashlib.sha256(data).hexdigest(), name, mime)


def read_local(image: EntryImage) -> bytes:
    try:
        return Path(image.source).read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the entry's image: {exc.strerror or exc}", path=image.source) from None


def _sniff(data: bytes) -> str | None:
    """The type the bytes say they are (a file's suffix can lie; WordPress checks too)."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None

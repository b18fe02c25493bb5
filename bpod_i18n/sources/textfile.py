"""Read an entry file as text, refusing what is not UTF-8 text with one clear error."""

from __future__ import annotations

from pathlib import Path

from bpod_i18n.errors import InputError


def refuse_larger_than(path: Path, max_bytes: int, what: str, setting: str) -> None:
    """InputError if ``path`` holds more than ``max_bytes`` (checked before reading a byte)."""
    try:
        size = path.stat().st_size
    except OSError:
        return  # the reader reports a missing or unreadable file in its own words
    if size > max_bytes:
        raise InputError(
            f"{size} bytes, over the limit of {max_bytes} bytes for {what} ([limits] {setting} in bpod-i18n.toml)",
            path=path,
        )


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", path=path) from None
    except IsADirectoryError:
        raise InputError("is a folder, not an entry file", path=path) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=path) from None


def refuse_binary(data: bytes, path: Path) -> None:
    """A NUL byte never occurs in a text page: it is an image, a PDF, a zip..."""
    nul = data.find(b"\x00", 0, 8192)
    if nul >= 0:
        raise InputError("binary file, not an entry page (NUL byte)", path=path, line=data.count(b"\n", 0, nul) + 1)


def decode_utf8(data: bytes, path: Path, *, hint: str = "save the page as UTF-8") -> str:
    """UTF-8 (a leading BOM is dropped); the error names the line of the first bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(f"not UTF-8 text (byte 0x{data[exc.start]:02x}); {hint}", path=path, line=line) from None


def read_text(path: Path) -> str:
    """The text of ``path``: UTF-8, not binary, not empty."""
    data = read_bytes(path)
    refuse_binary(data, path)
    text = decode_utf8(data, path)
    if not text.strip():
        raise InputError("empty file", path=path)
    return text

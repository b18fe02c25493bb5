"""The emit manifest: what bpod-i18n last wrote into an output folder, for every format.

``<out>/.bpod-i18n-manifest.json`` maps each format (html, markdown, json) to its entries, and
each entry's slug to the file written for it, its SHA-256, its size and mtime as seen right
after writing (so a re-run can trust a file from one stat, as git's index does), and the text
versions the lead passed in (opaque to this module). One manifest knows every format, so an
HTML and a JSON mirror can share a folder and each is withdrawn on its own; emits into one
folder take turns (``sync.lock_output``).

The manifest lives in a folder other people can write to (a web root), so nothing in it is
trusted for more than a hint: paths are checked to stay inside the folder, and a file is only
ever deleted if it still holds the bytes whose SHA-256 is recorded (see ``sync``).
"""

from __future__ import annotations

import errno
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from bpod_i18n.errors import InputError, UsageError

MANIFEST_NAME = ".bpod-i18n-manifest.json"
MANIFEST_FORMAT = 2
# Format 1 (one format per folder) is read and upgraded: each record's format from its suffix.
_FORMAT_OF_SUFFIX = {".html": "html", ".md": "markdown", ".json": "json"}
# The text versions an entry was rendered from: whatever the workflow finds convenient
# (a version string, a revision number, one number per unit). Stored as JSON.
TextVersions = str | int | tuple[int, ...]


def normalise_versions(value: object, *, where: str, path: Path | None = None) -> TextVersions:
    if isinstance(value, bool):
        pass  # bool is an int subclass, but not a version
    elif isinstance(value, str | int):
        return value
    elif isinstance(value, list | tuple) and all(isinstance(v, int) and not isinstance(v, bool) for v in value):
        return tuple(value)
    error = f"{where}: versions must be a string, an int or a list of ints, not {value!r}"
    raise InputError(error, path=path) if path is not None else UsageError(error)


def check_relpath(relpath: str, *, where: str, path: Path | None = None) -> str:
    """A path inside the output folder: relative, POSIX, no "..", not the manifest itself.

    Checked on the way in *and* when the manifest is read back: a doctored manifest must not
    make a withdrawal delete a file outside the output folder. (Symbolic links inside the
    folder are the other way out; ``sync`` never follows them.)
    """
    parts = PurePosixPath(relpath).parts
    bad = (
        not relpath
        or relpath.startswith("/")
        or "\\" in relpath
        or "\x00" in relpath
        or any(part in ("..", ".") for part in parts)
        or relpath != str(PurePosixPath(relpath))
        or parts[-1] == MANIFEST_NAME
    )
    if bad:
        error = f"{where}: {relpath!r} is not a relative path inside the output folder"
        raise InputError(error, path=path) if path is not None else UsageError(error)
    return relpath


@dataclass(frozen=True)
class ManifestRecord:
    path: str  # relative POSIX path inside the output folder
    sha256: str
    size: int
    mtime_ns: int
    versions: TextVersions

    def to_json(self) -> dict[str, Any]:
        versions = list(self.versions) if isinstance(self.versions, tuple) else self.versions
        return {
            "path": self.path,
            "sha256": self.sha256,
            "size": self.size,
            "mtime_ns": self.mtime_ns,
            "versions": versions,
        }


@dataclass(frozen=True)
class Manifest:
    """The records of one format: slug → the file written for it."""

    entries: Mapping[str, ManifestRecord]


@dataclass(frozen=True)
class FolderManifest:
    """Every format's records in one output folder."""

    formats: Mapping[str, Manifest] = field(default_factory=dict)
    # The format the file on disk has (an older one is rewritten at the next run).
    read_format: int = field(default=MANIFEST_FORMAT, compare=False)

    def of(self, fmt: str) -> Manifest:
        return self.formats.get(fmt) or Manifest({})

    def with_format(self, fmt: str, manifest: Manifest) -> FolderManifest:
        formats = dict(self.formats)
        if manifest.entries:
            formats[fmt] = manifest
        else:
            formats.pop(fmt, None)
        return FolderManifest(formats)

    def to_text(self) -> str:
        data = {
            "format": MANIFEST_FORMAT,
            "generator": "bpod-i18n",
            "formats": {
                fmt: {slug: manifest.entries[slug].to_json() for slug in sorted(manifest.entries)}
                for fmt, manifest in sorted(self.formats.items())
                if manifest.entries
            },
        }
        return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def manifest_path(out_dir: Path) -> Path:
    return Path(out_dir) / MANIFEST_NAME


def read_folder_manifest(out_dir: Path) -> FolderManifest:
    """The manifest of ``out_dir``; an empty one if the folder was never emitted into."""
    path = manifest_path(out_dir)
    try:
        # O_NOFOLLOW: a manifest replaced by a link to some other file is not read through it.
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except FileNotFoundError:
        return FolderManifest()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputError("the manifest is a symbolic link, not a file bpod-i18n wrote", path=path) from None
        raise InputError(f"cannot read manifest: {exc.strerror or exc}", path=path) from None
    try:
        with os.fdopen(fd, "rb") as handle:
            text = handle.read().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read manifest: {exc}", path=path) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"manifest is not valid JSON: {exc.msg}", path=path, line=exc.lineno) from None
    except (ValueError, RecursionError) as exc:  # a 4 300-digit number, nesting deeper than the stack
        raise InputError(f"manifest is not valid JSON: {type(exc).__name__}", path=path) from None
    if not isinstance(data, dict):
        raise InputError(f"not a bpod-i18n manifest of format {MANIFEST_FORMAT}", path=path)
    if data.get("format") == 1 and isinstance(data.get("entries"), dict):
        return _upgrade_format_1(data["entries"], path)
    if data.get("format") != MANIFEST_FORMAT or not isinstance(data.get("formats"), dict):
        raise InputError(f"not a bpod-i18n manifest of format {MANIFEST_FORMAT}", path=path)
    formats: dict[str, Manifest] = {}
    for fmt, entries in data["formats"].items():
        if fmt not in _FORMAT_OF_SUFFIX.values() or not isinstance(entries, dict):
            raise InputError(f"unknown format {fmt!r} in the manifest", path=path)
        formats[fmt] = Manifest({slug: _record(slug, raw, path) for slug, raw in entries.items()})
    return FolderManifest(formats)


def read_manifest(out_dir: Path, fmt: str = "html") -> Manifest:
    """The records of one format in ``out_dir``."""
    return read_folder_manifest(out_dir).of(fmt)


def _upgrade_format_1(entries: dict[str, Any], path: Path) -> FolderManifest:
    """A manifest of format 1 (one format per folder): each record's format from its suffix."""
    formats: dict[str, dict[str, ManifestRecord]] = {}
    for slug, raw in entries.items():
        record = _record(slug, raw, path)
        fmt = _FORMAT_OF_SUFFIX.get(PurePosixPath(record.path).suffix)
        if fmt is None:
            raise InputError(f"entry {slug}: {record.path!r} is not a page of a known format", path=path)
        formats.setdefault(fmt, {})[slug] = record
    return FolderManifest({fmt: Manifest(records) for fmt, records in formats.items()}, read_format=1)


def _record(slug: str, raw: object, path: Path) -> ManifestRecord:
    where = f"entry {slug}"
    if not isinstance(raw, dict):
        raise InputError(f"{where}: record must be an object", path=path)
    try:
        relpath, sha, size, mtime = raw["path"], raw["sha256"], raw["size"], raw["mtime_ns"]
    except KeyError as exc:
        raise InputError(f"{where}: missing {exc.args[0]!r}", path=path) from None
    if not (isinstance(relpath, str) and isinstance(sha, str) and isinstance(size, int) and isinstance(mtime, int)):
        raise InputError(f"{where}: path/sha256 must be strings, size/mtime_ns integers", path=path)
    return ManifestRecord(
        path=check_relpath(relpath, where=where, path=path),
        sha256=sha,
        size=size,
        mtime_ns=mtime,
        versions=normalise_versions(raw.get("versions", ""), where=where, path=path),
    )

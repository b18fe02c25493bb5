"""The emit manifest: what bpod-i18n last wrote into an output folder.

``<out>/.bpod-i18n-manifest.json`` maps each slug to the file written for it, its SHA-256,
its size and mtime as seen right after writing (so a re-run can trust a file from one stat,
as git's index does), and the text versions the lead passed in (opaque to this module).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from bpod_i18n.errors import InputError, UsageError

MANIFEST_NAME = ".bpod-i18n-manifest.json"
MANIFEST_FORMAT = 1
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
    make a withdrawal delete a file outside the output folder.
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
    entries: Mapping[str, ManifestRecord]

    def to_text(self) -> str:
        data = {
            "format": MANIFEST_FORMAT,
            "generator": "bpod-i18n",
            "entries": {slug: self.entries[slug].to_json() for slug in sorted(self.entries)},
        }
        return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def manifest_path(out_dir: Path) -> Path:
    return Path(out_dir) / MANIFEST_NAME


def read_manifest(out_dir: Path) -> Manifest:
    """The manifest of ``out_dir``; an empty one if the folder was never emitted into."""
    path = manifest_path(out_dir)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Manifest({})
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read manifest: {exc}", path=path) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"manifest is not valid JSON: {exc.msg}", path=path, line=exc.lineno) from None
    if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT or not isinstance(data.get("entries"), dict):
        raise InputError(f"not a bpod-i18n manifest of format {MANIFEST_FORMAT}", path=path)
    entries: dict[str, ManifestRecord] = {}
    for slug, raw in data["entries"].items():
        entries[slug] = _record(slug, raw, path)
    return Manifest(entries)


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

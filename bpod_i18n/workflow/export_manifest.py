"""The export manifest, ``.bpod-i18n/export/<lc>.json``: per PO file, what export last wrote.

Each record is ``[fingerprint, size, mtime_ns, sha256]``: the inputs the file was rendered
from (a file whose inputs and stat are unchanged is not rendered again, git's index trick),
and the hash of the bytes written or imported. A file whose bytes are no longer those is a
translator's work in progress: export leaves it alone until it is imported (``import``
records the hash of what it read), or saves it to a backup folder first with ``--force``.
Records of older versions (three fields, no hash) are judged by size and mtime.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bpod_i18n.atomic import write_atomic
from bpod_i18n.config import STATE_DIR
from bpod_i18n.errors import OutputError

MANIFEST_DIR = "export"
BACKUP_DIR = "backup"
MANIFEST_FORMAT = 3


def manifest_path(root: Path, locale: str) -> Path:
    return root / STATE_DIR / MANIFEST_DIR / f"{locale}.json"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class Manifest:
    """Per exported file (absolute path): [fingerprint, size, mtime_ns, sha256]."""

    path: Path
    files: dict[str, list[Any]]
    changed: bool = False

    @classmethod
    def load(cls, path: Path) -> Manifest:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            files = data["files"]
        except (OSError, ValueError, KeyError, TypeError):
            files = {}  # no manifest, or a damaged one: every file is rendered and compared
        # Records survive a new export format: their fingerprints no longer match (every file
        # is rendered again), and their hash still tells a translator's edits from ours.
        return cls(path, files if isinstance(files, dict) else {})

    def _record(self, path: Path) -> list[Any] | None:
        record = self.files.get(str(path))
        return record if isinstance(record, list) and len(record) in (3, 4) else None

    def unchanged(self, path: Path, fingerprint: str) -> bool:
        """The file was written from these inputs and has not been touched since."""
        record = self._record(path)
        if record is None or record[0] != fingerprint:
            return False
        try:
            stat = path.stat()
        except OSError:
            return False
        return [stat.st_size, stat.st_mtime_ns] == record[1:3]

    def safe_to_replace(self, path: Path, data: bytes) -> bool:
        """``data`` (the file's bytes now) is what export last wrote or import last read: no
        work of a translator would be lost by writing over it."""
        record = self._record(path)
        if record is None:
            return False
        if len(record) == 4:
            return record[3] == sha256(data)
        try:  # a record written before hashes were kept: untouched if its stat is unchanged
            stat = path.stat()
        except OSError:
            return False
        return [stat.st_size, stat.st_mtime_ns] == record[1:3]

    def record(self, path: Path, fingerprint: str, digest: str) -> None:
        stat = path.stat()
        entry = [fingerprint, stat.st_size, stat.st_mtime_ns, digest]
        if self.files.get(str(path)) != entry:
            self.files[str(path)] = entry
            self.changed = True

    def record_imported(self, path: Path, data: bytes) -> None:
        """``path`` was imported with these bytes: its work is in the project, export may
        write over it (its fingerprint is dropped, so it is rendered again)."""
        self.record(path, "", sha256(data))

    def save(self) -> None:
        if self.changed:
            data = json.dumps({"format": MANIFEST_FORMAT, "files": self.files}, sort_keys=True)
            write_atomic(self.path, data.encode("utf-8"))
            self.changed = False


def backup_folder(root: Path, now: dt.datetime) -> Path:
    return root / STATE_DIR / BACKUP_DIR / now.strftime("%Y%m%dT%H%M%S%fZ")


def back_up(root: Path, folder: Path, path: Path) -> Path:
    """Copy ``path`` into ``folder`` under its place in the project; returns the copy."""
    try:
        relative = path.resolve().relative_to(root.resolve())
    except ValueError:
        relative = Path(path.name)
    target = folder / relative
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    except OSError as exc:
        raise OutputError(f"cannot save a backup ({exc.strerror or exc}); nothing was overwritten", path=path) from exc
    return target

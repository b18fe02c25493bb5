"""Incremental emit: write only what changed, remove what was withdrawn, never half a file.

``plan_sync`` compares freshly rendered pages with the folder's manifest and decides, per
entry, new / updated / unchanged / withdrawn; it writes nothing (a dry run is a plan).
``apply_sync`` carries a plan out: each file goes to a temporary name in its own folder and
is renamed over the old one (``os.replace`` is atomic), withdrawn files are removed (or
kept), and the manifest is written last, the same way. A crash leaves every file either
old or new, and a manifest that at worst makes the next run redo some work.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Collection, Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Literal

from bpod_i18n.atomic import write_atomic
from bpod_i18n.errors import OutputError, UsageError
from bpod_i18n.render.manifest import (
    Manifest,
    ManifestRecord,
    TextVersions,
    check_relpath,
    manifest_path,
    normalise_versions,
    read_manifest,
)

WithdrawnPolicy = Literal["remove", "keep"]


@dataclass(frozen=True)
class RenderedFile:
    """One rendered page, not yet on disk: where it goes, what it says, what it came from."""

    relpath: str  # inside the output folder, e.g. "2016/2016-07-22-massing-to-defend.html"
    content: str
    versions: TextVersions = ""

    def __post_init__(self) -> None:
        check_relpath(self.relpath, where="rendered file")
        object.__setattr__(self, "versions", normalise_versions(self.versions, where=self.relpath))

    @property
    def data(self) -> bytes:
        return self.content.encode("utf-8")


class SyncStatus(StrEnum):
    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class SyncAction:
    slug: str
    status: SyncStatus
    relpath: str
    reason: str  # why this status, for a report line ("content changed", "file missing" ...)
    file: RenderedFile | None = None  # None for withdrawn entries
    sha256: str | None = None
    # A file this entry used to have elsewhere (the format or the year changed): removed.
    old_relpath: str | None = None
    # Unchanged entries: the record to keep (refreshed versions or stat data).
    record: ManifestRecord | None = None


@dataclass(frozen=True)
class SyncPlan:
    out_dir: Path
    actions: tuple[SyncAction, ...]
    withdrawn_policy: WithdrawnPolicy
    previous: Manifest

    def slugs(self, status: SyncStatus) -> list[str]:
        return [a.slug for a in self.actions if a.status is status]

    @property
    def new(self) -> list[str]:
        return self.slugs(SyncStatus.NEW)

    @property
    def updated(self) -> list[str]:
        return self.slugs(SyncStatus.UPDATED)

    @property
    def unchanged(self) -> list[str]:
        return self.slugs(SyncStatus.UNCHANGED)

    @property
    def withdrawn(self) -> list[str]:
        return self.slugs(SyncStatus.WITHDRAWN)


@dataclass
class SyncReport:
    out_dir: Path
    written: list[str] = field(default_factory=list)  # relative paths, new and updated
    removed: list[str] = field(default_factory=list)  # withdrawn files and old locations deleted
    kept: list[str] = field(default_factory=list)  # withdrawn files left in place (policy "keep")
    unchanged: int = 0
    manifest_written: bool = False


def content_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


KEPT_REASON = "same text versions, not re-rendered"


def plan_sync(
    out_dir: Path,
    rendered: Mapping[str, RenderedFile],
    *,
    withdrawn_policy: WithdrawnPolicy,
    kept: Collection[str] = (),
    previous: Manifest | None = None,
) -> SyncPlan:
    """Classify every entry against the manifest of ``out_dir``. Reads, never writes.

    An entry whose hash matches the manifest is trusted from one stat: same size and mtime as
    recorded = unchanged without reading the file. If the stat differs (file touched, copied
    or restored), the file is read and hashed; only a real difference makes it "updated".

    ``kept`` names entries the caller did not render because nothing they are made of changed
    (see :func:`record_is_current`): their manifest records are carried over as unchanged.
    ``previous`` is the manifest the caller already read (read again when None).
    """
    if withdrawn_policy not in ("remove", "keep"):
        raise UsageError(f"withdrawn policy must be 'remove' or 'keep', not {withdrawn_policy!r}")
    out_dir = Path(out_dir)
    if previous is None:
        previous = read_manifest(out_dir)
    owners: dict[str, str] = {}
    actions: list[SyncAction] = []
    for slug in sorted(kept):
        record = previous.entries.get(slug)
        if slug in rendered or record is None:
            raise UsageError(f"entry {slug} cannot be kept: it is rendered again or not in the manifest")
        owners[record.path] = slug
        actions.append(
            SyncAction(slug, SyncStatus.UNCHANGED, record.path, KEPT_REASON, sha256=record.sha256, record=record)
        )
    for slug in sorted(rendered):
        file = rendered[slug]
        if file.relpath in owners:
            raise UsageError(f"entries {owners[file.relpath]} and {slug} both render to {file.relpath}")
        owners[file.relpath] = slug
        actions.append(_classify(out_dir, slug, file, previous.entries.get(slug)))
    for slug in sorted(set(previous.entries) - set(rendered) - set(kept)):
        record = previous.entries[slug]
        reason = "no longer ready or removed" + ("" if withdrawn_policy == "remove" else "; kept")
        actions.append(SyncAction(slug, SyncStatus.WITHDRAWN, record.path, reason, record=record))
    return SyncPlan(out_dir, tuple(actions), withdrawn_policy, previous)


def record_is_current(out_dir: Path, record: ManifestRecord) -> bool:
    """True when the file of ``record`` is on disk as written (same size and mtime, like git's
    index). With unchanged text versions, such an entry need not be rendered again."""
    try:
        st = os.stat(os.path.join(out_dir, record.path))  # os.path: cheaper than Path for 4000 entries
    except OSError:
        return False
    return stat.S_ISREG(st.st_mode) and st.st_size == record.size and st.st_mtime_ns == record.mtime_ns


def _classify(out_dir: Path, slug: str, file: RenderedFile, record: ManifestRecord | None) -> SyncAction:
    data = file.data
    digest = content_sha256(data)

    def changed(status: SyncStatus, reason: str) -> SyncAction:
        old = record.path if record is not None and record.path != file.relpath else None
        return SyncAction(slug, status, file.relpath, reason, file, digest, old_relpath=old)

    if record is None:
        return changed(SyncStatus.NEW, "not in manifest")
    if record.path != file.relpath:
        return changed(SyncStatus.UPDATED, f"moved from {record.path}")
    if record.sha256 != digest:
        return changed(SyncStatus.UPDATED, "content changed")
    try:
        st = os.stat(out_dir / file.relpath)
    except FileNotFoundError:
        return changed(SyncStatus.UPDATED, "file missing")
    if not stat.S_ISREG(st.st_mode):
        return changed(SyncStatus.UPDATED, "not a regular file")
    if st.st_size != record.size or st.st_mtime_ns != record.mtime_ns:
        if _file_sha256(out_dir / file.relpath) != digest:
            return changed(SyncStatus.UPDATED, "file differs from manifest (edited by hand?)")
    kept = ManifestRecord(file.relpath, digest, st.st_size, st.st_mtime_ns, file.versions)
    return SyncAction(slug, SyncStatus.UNCHANGED, file.relpath, "same content", file, digest, record=kept)


def _file_sha256(path: Path) -> str | None:
    try:
        return content_sha256(path.read_bytes())
    except OSError:
        return None


def apply_sync(plan: SyncPlan) -> SyncReport:
    """Carry out ``plan``: write new/updated files, remove withdrawn ones, then the manifest.

    Raises OutputError (naming the file) if a write or removal fails; files already replaced
    stay complete, the manifest is not rewritten, and the next run redoes what is left.
    """
    out_dir = plan.out_dir
    report = SyncReport(out_dir)
    records: dict[str, ManifestRecord] = {}
    targets = {a.relpath for a in plan.actions if a.status is not SyncStatus.WITHDRAWN}
    for action in plan.actions:
        if action.status is SyncStatus.UNCHANGED:
            assert action.record is not None
            records[action.slug] = action.record
            report.unchanged += 1
        elif action.status in (SyncStatus.NEW, SyncStatus.UPDATED):
            assert action.file is not None and action.sha256 is not None
            target = out_dir / action.relpath
            write_atomic(target, action.file.data)
            st = _stat(target)
            records[action.slug] = ManifestRecord(
                action.relpath, action.sha256, st.st_size, st.st_mtime_ns, action.file.versions
            )
            report.written.append(action.relpath)
            if action.old_relpath is not None and action.old_relpath not in targets:
                if _remove(out_dir, action.old_relpath):
                    report.removed.append(action.old_relpath)
    for action in plan.actions:
        if action.status is not SyncStatus.WITHDRAWN:
            continue
        if action.relpath in targets:
            continue  # another entry now owns that path: forget the record, keep the file
        if plan.withdrawn_policy == "keep":
            assert action.record is not None
            records[action.slug] = action.record  # still tracked: reported again next run
            report.kept.append(action.relpath)
        elif _remove(out_dir, action.relpath):
            report.removed.append(action.relpath)
    new_manifest = Manifest(records)
    path = manifest_path(out_dir)
    if new_manifest != plan.previous or not path.exists():
        write_atomic(path, new_manifest.to_text().encode("utf-8"), durable=True)
        report.manifest_written = True
    return report


def _stat(path: Path) -> os.stat_result:
    try:
        return os.stat(path)
    except OSError as exc:
        raise OutputError(f"cannot stat written file: {exc.strerror or exc}", path=path) from exc


def _remove(out_dir: Path, relpath: str) -> bool:
    """Delete a file we once wrote and its year folder if now empty; False if already gone."""
    path = out_dir / relpath
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise OutputError(f"cannot remove withdrawn file: {exc.strerror or exc}", path=path) from exc
    with suppress(OSError):  # not empty, or the output folder itself: leave it
        if path.parent != out_dir:
            path.parent.rmdir()
    return True

"""Incremental emit: write only what changed, remove what was withdrawn, never half a file.

``plan_sync`` compares freshly rendered pages with the folder's manifest and decides, per
entry, new / updated / unchanged / withdrawn; it writes nothing (a dry run is a plan).
``apply_sync`` carries a plan out: each file goes to a temporary name in its own folder and
is renamed over the old one (``os.replace`` is atomic), withdrawn files are removed (or
kept), and the manifest is written last, the same way. A crash leaves every file either
old or new, and a manifest that at worst makes the next run redo some work; the temporary
file a kill -9 leaves behind is removed by the next run.

The output folder is usually a web root that other people and tools write to, so nothing
found in it is trusted:

* the folder is opened once and every path below it is walked one component at a time with
  ``O_NOFOLLOW`` (:class:`_Folder`): a symbolic link inside it (``mirror/2016 → /elsewhere``)
  is never followed, for writing or for deleting (the output folder itself may be a link);
* a withdrawn page is deleted only if it is a regular file that still holds the bytes whose
  SHA-256 the manifest recorded; anything else is reported and left where it is;
* two emits into one folder take turns (:func:`lock_output`).
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import os
import stat
import time
from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path, PurePosixPath
from typing import Literal

from bpod_i18n.atomic import is_temporary_name, write_atomic_at
from bpod_i18n.errors import OutputError, UsageError
from bpod_i18n.render.manifest import (
    MANIFEST_NAME,
    FolderManifest,
    Manifest,
    ManifestRecord,
    TextVersions,
    check_relpath,
    normalise_versions,
    read_folder_manifest,
)

WithdrawnPolicy = Literal["remove", "keep"]
LOCK_POLL_SECONDS = 0.1


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
    # A file this entry used to have elsewhere (its year changed): removed, as a withdrawal.
    old_relpath: str | None = None
    # Unchanged entries: the record to keep (refreshed versions or stat data). Withdrawn and
    # moved entries: the record of the file to remove.
    record: ManifestRecord | None = None


@dataclass(frozen=True)
class SyncPlan:
    out_dir: Path
    fmt: str
    actions: tuple[SyncAction, ...]
    withdrawn_policy: WithdrawnPolicy
    previous: FolderManifest

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


@dataclass(frozen=True)
class LeftInPlace:
    """A file the manifest says to remove that was not removed, and why."""

    relpath: str
    reason: str


@dataclass
class SyncReport:
    out_dir: Path
    written: list[str] = field(default_factory=list)  # relative paths, new and updated
    removed: list[str] = field(default_factory=list)  # withdrawn files and old locations deleted
    kept: list[str] = field(default_factory=list)  # withdrawn files left in place (policy "keep")
    left: list[LeftInPlace] = field(default_factory=list)  # not ours to delete: reported, untouched
    cleaned: list[str] = field(default_factory=list)  # temporary files of interrupted runs removed
    unchanged: int = 0
    manifest_written: bool = False


def content_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


KEPT_REASON = "same text versions, not re-rendered"


def plan_sync(
    out_dir: Path,
    rendered: Mapping[str, RenderedFile],
    *,
    fmt: str,
    withdrawn_policy: WithdrawnPolicy,
    kept: Collection[str] = (),
    previous: FolderManifest | None = None,
) -> SyncPlan:
    """Classify every entry of format ``fmt`` against the manifest of ``out_dir``. Reads,
    never writes; the other formats' pages in the folder are not this plan's business.

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
        previous = read_folder_manifest(out_dir)
    records = previous.of(fmt).entries
    owners: dict[str, str] = {}
    actions: list[SyncAction] = []
    for slug in sorted(kept):
        record = records.get(slug)
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
        actions.append(_classify(out_dir, slug, file, records.get(slug)))
    for slug in sorted(set(records) - set(rendered) - set(kept)):
        record = records[slug]
        reason = "no longer ready or removed" + ("" if withdrawn_policy == "remove" else "; kept")
        actions.append(SyncAction(slug, SyncStatus.WITHDRAWN, record.path, reason, record=record))
    return SyncPlan(out_dir, fmt, tuple(actions), withdrawn_policy, previous)


def record_is_current(out_dir: Path, record: ManifestRecord) -> bool:
    """True when the file of ``record`` is on disk as written (same size and mtime, like git's
    index). With unchanged text versions, such an entry need not be rendered again."""
    try:  # os.path: cheaper than Path for 4000 entries; a link is not the file we wrote
        st = os.stat(os.path.join(out_dir, record.path), follow_symlinks=False)
    except OSError:
        return False
    return stat.S_ISREG(st.st_mode) and st.st_size == record.size and st.st_mtime_ns == record.mtime_ns


def _classify(out_dir: Path, slug: str, file: RenderedFile, record: ManifestRecord | None) -> SyncAction:
    data = file.data
    digest = content_sha256(data)

    def changed(status: SyncStatus, reason: str) -> SyncAction:
        moved = record is not None and record.path != file.relpath
        return SyncAction(
            slug,
            status,
            file.relpath,
            reason,
            file,
            digest,
            old_relpath=record.path if moved and record is not None else None,
            record=record if moved else None,
        )

    if record is None:
        return changed(SyncStatus.NEW, "not in manifest")
    if record.path != file.relpath:
        return changed(SyncStatus.UPDATED, f"moved from {record.path}")
    if record.sha256 != digest:
        return changed(SyncStatus.UPDATED, "content changed")
    try:
        st = os.stat(out_dir / file.relpath, follow_symlinks=False)
    except FileNotFoundError:
        return changed(SyncStatus.UPDATED, "file missing")
    except OSError:
        return changed(SyncStatus.UPDATED, "file unreadable")
    if not stat.S_ISREG(st.st_mode):
        return changed(SyncStatus.UPDATED, "not a regular file")
    if st.st_size != record.size or st.st_mtime_ns != record.mtime_ns:
        if _file_sha256(out_dir / file.relpath) != digest:
            return changed(SyncStatus.UPDATED, "file differs from manifest (edited by hand?)")
    kept = ManifestRecord(file.relpath, digest, st.st_size, st.st_mtime_ns, file.versions)
    return SyncAction(slug, SyncStatus.UNCHANGED, file.relpath, "same content", file, digest, record=kept)


def _file_sha256(path: Path) -> str | None:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        try:
            return content_sha256(handle.read())
        except OSError:
            return None


def apply_sync(plan: SyncPlan) -> SyncReport:
    """Carry out ``plan``: write new/updated files, remove withdrawn ones, then the manifest.

    Raises OutputError (naming the file) if a write or removal fails, or if a folder on the
    way to a page is a symbolic link (checked for every page before the first write, so then
    nothing is written); files already replaced stay complete, the manifest is not rewritten,
    and the next run redoes what is left.
    """
    report = SyncReport(plan.out_dir)
    with _Folder.open(plan.out_dir) as folder:
        writes = [a for a in plan.actions if a.status in (SyncStatus.NEW, SyncStatus.UPDATED)]
        for action in writes:  # every page's folders checked before anything is written
            folder.directory(str(PurePosixPath(action.relpath).parent), create=False)
        report.cleaned = folder.remove_temporary_files()
        records: dict[str, ManifestRecord] = {}
        targets = {a.relpath for a in plan.actions if a.status is not SyncStatus.WITHDRAWN}
        removals: list[ManifestRecord] = []
        for action in plan.actions:
            if action.status is SyncStatus.UNCHANGED:
                assert action.record is not None
                records[action.slug] = action.record
                report.unchanged += 1
            elif action.status in (SyncStatus.NEW, SyncStatus.UPDATED):
                assert action.file is not None and action.sha256 is not None
                st = folder.write(action.relpath, action.file.data)
                records[action.slug] = ManifestRecord(
                    action.relpath, action.sha256, st.st_size, st.st_mtime_ns, action.file.versions
                )
                report.written.append(action.relpath)
                if action.record is not None and action.record.path not in targets:
                    removals.append(action.record)  # the page's old place (its year changed)
        for action in plan.actions:
            if action.status is not SyncStatus.WITHDRAWN:
                continue
            assert action.record is not None
            if action.relpath in targets:
                continue  # another entry now owns that path: forget the record, keep the file
            if plan.withdrawn_policy == "keep":
                records[action.slug] = action.record  # still tracked: reported again next run
                report.kept.append(action.relpath)
            else:
                removals.append(action.record)
        for record in removals:
            outcome = folder.remove(record)
            if outcome is True:
                report.removed.append(record.path)
            elif outcome is not False:  # not ours (any more): reported once, then forgotten
                report.left.append(LeftInPlace(record.path, outcome))
        new_manifest = plan.previous.with_format(plan.fmt, Manifest(records))
        outdated = plan.previous.read_format != new_manifest.read_format
        if new_manifest != plan.previous or outdated or not folder.exists(MANIFEST_NAME):
            folder.write(MANIFEST_NAME, new_manifest.to_text().encode("utf-8"), durable=True)
            report.manifest_written = True
    return report


@contextmanager
def lock_output(out_dir: Path, *, timeout: float) -> Iterator[None]:
    """Hold the output folder's lock: a second emit into the folder waits up to ``timeout``
    seconds for the first to finish, then gives up with an OutputError naming the folder.

    An advisory ``flock`` on the folder itself (Linux locks folders as well as files), so no
    lock file is published with the mirror; the kernel releases it when its holder exits,
    however it exits (kill -9 included), so a crashed run never blocks the next one.
    """
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(out_dir, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as exc:
        raise OutputError(f"cannot open the output folder: {exc.strerror or exc}", path=out_dir) from None
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise OutputError(
                        f"another emit is writing into this folder and did not finish within {timeout:g} s "
                        "([project] lock_timeout); run again when it has finished",
                        path=out_dir,
                    ) from None
                time.sleep(LOCK_POLL_SECONDS)
        yield
    finally:
        os.close(fd)  # releases the lock


class _Folder:
    """The output folder, opened once; paths below it are walked one component at a time with
    ``O_NOFOLLOW`` and every file operation is relative to an open folder descriptor, so no
    symbolic link inside the folder is followed and no folder swapped for one meanwhile can
    redirect a write or a deletion."""

    def __init__(self, root: Path, fd: int):
        self.root = root
        self._fds: dict[str, int] = {"": fd}

    @classmethod
    @contextmanager
    def open(cls, root: Path) -> Iterator[_Folder]:
        try:
            root.mkdir(parents=True, exist_ok=True)
            fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
        except OSError as exc:
            raise OutputError(f"cannot open the output folder: {exc.strerror or exc}", path=root) from None
        folder = cls(root, fd)
        try:
            yield folder
        finally:
            for descriptor in folder._fds.values():
                os.close(descriptor)

    def directory(self, relpath: str, *, create: bool) -> int | None:
        """The open descriptor of folder ``relpath`` ("" or "." is the root); None when it
        does not exist and ``create`` is false. OutputError if it is a link or not a folder."""
        parts = [part for part in PurePosixPath(relpath).parts if part != "."]
        key, fd = "", self._fds[""]
        for part in parts:
            key = f"{key}/{part}" if key else part
            known = self._fds.get(key)
            if known is not None:
                fd = known
                continue
            try:
                try:
                    opened = self._open_dir(part, fd)
                except FileNotFoundError:
                    if not create:
                        return None
                    with suppress(FileExistsError):
                        os.mkdir(part, 0o777, dir_fd=fd)
                    opened = self._open_dir(part, fd)
            except OSError as exc:
                raise self._refusal(key, exc) from None
            fd = self._fds[key] = opened
        return fd

    @staticmethod
    def _open_dir(name: str, parent: int) -> int:
        return os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=parent)

    def _refusal(self, key: str, exc: OSError) -> OutputError:
        path = self.root / key
        if exc.errno in (errno.ELOOP, errno.ENOTDIR):
            kind = "a symbolic link" if os.path.islink(path) else "not a folder"
            return OutputError(
                f"is {kind}: emit writes and deletes only inside the output folder, never through a link "
                "(remove it, or emit into another folder)",
                path=path,
            )
        return OutputError(f"cannot open folder: {exc.strerror or exc}", path=path)

    def write(self, relpath: str, data: bytes, *, durable: bool = False) -> os.stat_result:
        parent, name = _split(relpath)
        fd = self.directory(parent, create=True)
        assert fd is not None
        write_atomic_at(fd, name, data, durable=durable, shown=self.root / relpath)
        try:
            return os.stat(name, dir_fd=fd, follow_symlinks=False)
        except OSError as exc:
            raise OutputError(f"cannot stat written file: {exc.strerror or exc}", path=self.root / relpath) from exc

    def exists(self, relpath: str) -> bool:
        parent, name = _split(relpath)
        try:
            fd = self.directory(parent, create=False)
        except OutputError:
            return False
        if fd is None:
            return False
        try:
            os.stat(name, dir_fd=fd, follow_symlinks=False)
        except FileNotFoundError:
            return False
        return True

    def remove(self, record: ManifestRecord) -> bool | str:
        """Delete the file of ``record`` if it is still the one bpod-i18n wrote, and its folder
        if that is now empty. True: removed; False: already gone; a string: why it was left."""
        parent, name = _split(record.path)
        try:
            fd = self.directory(parent, create=False)
        except OutputError as exc:
            return str(exc)
        if fd is None:
            return False
        try:
            st = os.stat(name, dir_fd=fd, follow_symlinks=False)
        except FileNotFoundError:
            return False
        except OSError as exc:
            raise OutputError(
                f"cannot read withdrawn file: {exc.strerror or exc}", path=self.root / record.path
            ) from exc
        if stat.S_ISLNK(st.st_mode):
            return "a symbolic link, not a page bpod-i18n wrote"
        if not stat.S_ISREG(st.st_mode):
            return "not a regular file"
        if self._sha256(fd, name, record.path) != record.sha256:
            return "its content is not what bpod-i18n wrote there (edited by hand, or never written by bpod-i18n)"
        try:
            os.unlink(name, dir_fd=fd)
        except FileNotFoundError:
            return False
        except OSError as exc:
            raise OutputError(
                f"cannot remove withdrawn file: {exc.strerror or exc}", path=self.root / record.path
            ) from exc
        if parent not in ("", "."):  # the year folder, if now empty; never the output folder
            grand, base = _split(parent)
            with suppress(OSError, OutputError):
                above = self.directory(grand, create=False)
                if above is not None:
                    os.rmdir(base, dir_fd=above)
                    closed = self._fds.pop(parent, None)
                    if closed is not None:
                        os.close(closed)
        return True

    def _sha256(self, fd: int, name: str, relpath: str) -> str:
        try:
            handle = os.open(name, os.O_RDONLY | os.O_NOFOLLOW, dir_fd=fd)
        except OSError as exc:
            raise OutputError(f"cannot read withdrawn file: {exc.strerror or exc}", path=self.root / relpath) from exc
        with os.fdopen(handle, "rb") as file:
            return content_sha256(file.read())

    def remove_temporary_files(self) -> list[str]:
        """Remove the temporary files of runs killed mid-write (our naming only, never through
        a link). Called under the folder's lock, so none of them belongs to a running emit."""
        removed: list[str] = []
        for dirpath, _dirs, files, dirfd in os.fwalk(dir_fd=self._fds[""], follow_symlinks=False):
            for name in files:
                if not is_temporary_name(name):
                    continue
                with suppress(OSError):
                    if stat.S_ISREG(os.stat(name, dir_fd=dirfd, follow_symlinks=False).st_mode):
                        os.unlink(name, dir_fd=dirfd)
                        removed.append(os.path.normpath(os.path.join(dirpath, name)))
        return sorted(removed)


def _split(relpath: str) -> tuple[str, str]:
    path = PurePosixPath(relpath)
    return str(path.parent), path.name

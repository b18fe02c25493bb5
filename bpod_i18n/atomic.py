"""Writing files so that a reader or a crash never sees half of one.

Every file bpod-i18n writes for users (PO files, termbases, mirror pages, the emit manifest)
goes through here: a temporary file in the same folder, then ``os.replace``, which is atomic.
Temporary files have one naming, ``.<name>.<pid>.<8 hex digits>.tmp`` (:func:`temporary_name`),
so that the leftovers of a process killed mid-write (kill -9, a power cut) can be told from
anyone else's files and cleaned up (:func:`is_temporary_name`).
"""

from __future__ import annotations

import os
import re
import secrets
import stat
from contextlib import suppress
from pathlib import Path

from bpod_i18n.errors import OutputError

_TEMPORARY = re.compile(r"\..+\.[0-9]+\.[0-9a-f]{8}\.tmp")


def temporary_name(name: str) -> str:
    """The temporary name a file called ``name`` is written under before the rename."""
    return f".{name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"


def is_temporary_name(name: str) -> bool:
    """Whether ``name`` is one of :func:`temporary_name`'s (a leftover of an interrupted write)."""
    return _TEMPORARY.fullmatch(name) is not None


def write_atomic(target: Path, data: bytes, *, durable: bool = False) -> None:
    """Write ``data`` to ``target`` through a temporary file and a rename.

    A new file gets mode 0o666 minus the umask, like any new file (a web server can read a
    page); a replaced file keeps its mode. ``durable`` adds an fsync, for files whose loss
    after a power cut would cost more than the fsync (a manifest, a termbase), not for each
    of 4 000 pages.
    """
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        folder = os.open(target.parent, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror or exc}", path=target) from exc
    try:
        write_atomic_at(folder, target.name, data, durable=durable, shown=target)
    finally:
        os.close(folder)


def write_atomic_at(folder: int, name: str, data: bytes, *, durable: bool = False, shown: Path) -> None:
    """:func:`write_atomic` of ``name`` inside the open folder ``folder`` (a file descriptor):
    nothing on the way is looked up by path again, so a folder swapped for a symbolic link
    meanwhile cannot redirect the write. ``shown`` is the path messages name."""
    tmp = temporary_name(name)
    try:
        try:
            old = os.stat(name, dir_fd=folder, follow_symlinks=False)
        except FileNotFoundError:
            old = None
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o666, dir_fd=folder)
        try:
            _write_all(fd, data)
            if old is not None and stat.S_ISREG(old.st_mode):
                os.fchmod(fd, old.st_mode & 0o7777)  # a replaced file keeps its mode
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, name, src_dir_fd=folder, dst_dir_fd=folder)
    except OSError as exc:
        with suppress(OSError):
            os.unlink(tmp, dir_fd=folder)
        raise OutputError(f"cannot write: {exc.strerror or exc}", path=shown) from exc
    except BaseException:  # KeyboardInterrupt mid-write: still no temporary file left behind
        with suppress(OSError):
            os.unlink(tmp, dir_fd=folder)
        raise


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def write_if_changed(target: Path, data: bytes, *, durable: bool = False) -> bool:
    """Like :func:`write_atomic`, but leave a file that already holds ``data`` untouched
    (its mtime too: tools watching the folder see only real changes). True if written."""
    try:
        if target.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    write_atomic(target, data, durable=durable)
    return True

"""Writing files so that a reader or a crash never sees half of one.

Every file bpod-i18n writes for users (PO files, termbases, mirror pages, the emit manifest)
goes through here: a temporary file in the same folder, then ``os.replace``, which is atomic.
"""

from __future__ import annotations

import os
import secrets
from contextlib import suppress
from pathlib import Path

from bpod_i18n.errors import OutputError


def write_atomic(target: Path, data: bytes, *, durable: bool = False) -> None:
    """Write ``data`` to ``target`` through a temporary file and a rename.

    A new file gets mode 0o666 minus the umask, like any new file (a web server can read a
    page); a replaced file keeps its mode. ``durable`` adds an fsync, for files whose loss
    after a power cut would cost more than the fsync (a manifest, a termbase), not for each
    of 4 000 pages.
    """
    tmp = target.parent / f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        try:
            _write_all(fd, data)
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        with suppress(FileNotFoundError):
            os.chmod(tmp, target.stat().st_mode & 0o7777)
        os.replace(tmp, target)
    except OSError as exc:
        with suppress(OSError):
            os.unlink(tmp)
        raise OutputError(f"cannot write: {exc.strerror or exc}", path=target) from exc
    except BaseException:  # KeyboardInterrupt mid-write: still no temporary file left behind
        with suppress(OSError):
            os.unlink(tmp)
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

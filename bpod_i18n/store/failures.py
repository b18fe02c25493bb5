"""A database failure as one line: what happened, which database, what to do.

The store turns the driver's errors into :class:`DatabaseError` here, at its boundary
(``Store.transaction``, connecting, upgrading). SQLAlchemy's own message carries the SQL
statement and its parameters (the user's sentences, hundreds of lines for a bulk insert) and,
for some errors, the URL: only the driver's first line is kept, with every password masked.
"""

from __future__ import annotations

from bpod_i18n.errors import DatabaseError

# The URL rules (where a password sits, how it is masked) live with every other secret's.
from bpod_i18n.redact import mask_url, redact, url_passwords

__all__ = ["database_error", "describe", "mask_url", "scrub"]


def scrub(text: str, url: str) -> str:
    """``text`` with the URL's passwords masked wherever and however encoded they appear (a
    driver may quote the connection string back)."""
    return redact(text, url_passwords(url))


def describe(url: str) -> str:
    """How messages name a database: the file for SQLite, else the URL, password masked."""
    if url.startswith("sqlite") and "///" in url:
        return url.split("///", 1)[1] or url
    return mask_url(url)


def database_error(error: BaseException, url: str, *, lock_timeout: float, connecting: bool = False) -> DatabaseError:
    """The driver's ``error`` (wrapped by SQLAlchemy or not) as a one-line DatabaseError.

    ``connecting``: the error came while opening a connection, before any statement.
    """
    driver = getattr(error, "orig", None) or error
    detail = _first_line(scrub(str(driver), url)) or type(driver).__name__
    sqlstate = getattr(driver, "sqlstate", None) or getattr(driver, "pgcode", None) or ""
    lowered = detail.lower()
    where = f"database {describe(url)}"
    if "database is locked" in lowered or "database table is locked" in lowered or sqlstate == "55P03":
        return DatabaseError(
            f"{where} is locked by another writer (waited {lock_timeout:g} s): wait for the other command to "
            "finish and run this one again, or raise [project] lock_timeout; nothing of this command was stored"
        )
    if "database or disk is full" in lowered or "no space left" in lowered or sqlstate.startswith("53"):
        return DatabaseError(
            f"{where}: the disk is full ({detail}): free some space and run the command again; "
            "nothing of this command was stored"
        )
    if "file is not a database" in lowered or "malformed" in lowered or sqlstate == "XX001":
        return DatabaseError(
            f"{where} is damaged or not a database ({detail}): restore it from a backup, or move it "
            "away, run `bpod-i18n init` and ingest and import again"
        )
    if "readonly database" in lowered or "read-only" in lowered:
        return DatabaseError(f"{where} is read-only here ({detail}): check the file's permissions and its folder's")
    if "unable to open database file" in lowered:
        return DatabaseError(f"cannot open {where} ({detail}): check that its folder exists and is writable")
    if "disk i/o error" in lowered:
        return DatabaseError(
            f"{where}: disk I/O error: check that the disk is not full and works; nothing of this command was stored"
        )
    if sqlstate.startswith("28"):
        return DatabaseError(
            f"{where} refused the login ({detail}): check the user in the URL and the password "
            "(~/.pgpass or PGPASSWORD)"
        )
    if sqlstate == "3D000":
        return DatabaseError(f"{where} does not exist ({detail}): create it (createdb) or correct the URL")
    if sqlstate == "57014":
        return DatabaseError(f"{where} cancelled a statement ({detail}): ask its administrator about statement_timeout")
    if connecting or sqlstate.startswith("08"):
        return DatabaseError(
            f"cannot connect to {where} ({detail}): check that the server is running and that the host, "
            "port and database name in the URL are right"
        )
    return DatabaseError(f"{where} failed: {detail}")


def _first_line(text: str) -> str:
    """The driver's message without SQLAlchemy's "[SQL: ...]" and "(Background on ...)" lines."""
    for line in text.splitlines():
        line = " ".join(line.split())
        if line:
            return line.rstrip(".")
    return ""

"""Typed errors of every layer.

Core code raises these; only the CLI turns them into a message on stderr and an exit code.
Each error that comes from a file carries the file and, where known, the line, so the
message reads like a compiler's: ``locales/ca/site.po:12: unterminated string``.
"""

from __future__ import annotations

from pathlib import Path

# Exit codes, one place (DESIGN.md "Habits"): 0 ok, 1 gate failed / conflict, 2 usage or input,
# 3 the database failed (locked, full, damaged, unreachable), 70 a bug (sysexits EX_SOFTWARE),
# 130 interrupted. CI reads 1 as "the translations are not ready": nothing else may use it.
EXIT_OK = 0
EXIT_GATE_FAILED = 1
EXIT_USAGE = 2
EXIT_DATABASE = 3
EXIT_INTERNAL = 70
EXIT_INTERRUPTED = 130


class BpodError(Exception):
    """Base class of every error a user is meant to read."""

    exit_code: int = EXIT_USAGE

    def __init__(self, message: str, *, path: str | Path | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line

    def __str__(self) -> str:
        if self.path is None:
            return self.message
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"


class InputError(BpodError):
    """A file the user gave us cannot be read: malformed PO, broken HTML, bad CSV..."""


class UsageError(BpodError):
    """The request itself is wrong: unknown locale, unknown entry, missing option."""


class NotFoundError(UsageError):
    """A named thing (entry, unit, term) does not exist."""


class ConfigError(UsageError):
    """``bpod-i18n.toml`` is missing or wrong.

    ``key`` is the setting's key path (``("review", "allow_self_review")``): a validator that
    only sees parsed values raises with it, and ``config.py``, which has the text, adds the
    file and the line.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        line: int | None = None,
        key: tuple[str, ...] | None = None,
    ):
        super().__init__(message, path=path, line=line)
        self.key = key


class TransitionError(UsageError):
    """A review-state change the state machine does not allow."""


class ConflictError(BpodError):
    """Someone else changed the same thing first; nothing of theirs was overwritten."""

    exit_code = EXIT_GATE_FAILED


class SchemaError(BpodError):
    """The database schema is older or newer than this code."""


class DatabaseError(BpodError):
    """The database failed: locked past the timeout, full, damaged, unreachable, refused us.

    Raised at the store's boundary from the driver's error; the message says what happened,
    which database (password masked) and what to do, never the SQL or its parameters.
    """

    exit_code = EXIT_DATABASE


class OutputError(BpodError):
    """An output file (a mirror page, a manifest) could not be written or removed.

    Nothing half-written is left behind: files are written to a temporary name and renamed.
    """


class ProviderError(BpodError):
    """A machine-translation provider failed (network, auth, quota, timeout)."""

    exit_code = EXIT_GATE_FAILED


class SiteError(BpodError):
    """A website bpod-i18n publishes to failed: unreachable, or an error answer after the
    retries. Work finished before it is kept (a re-run resumes); exit 1, like a provider."""

    exit_code = EXIT_GATE_FAILED

    def __init__(self, message: str, *, status: int | None = None, code: str | None = None):
        super().__init__(message)
        self.status = status
        self.code = code


class SiteRefusedError(UsageError):
    """The website refused us or is not what the settings say: wrong password (401), missing
    rights (403), no REST API there (404), an answer that is not JSON. Fix the settings."""

    def __init__(self, message: str, *, status: int | None = None):
        super().__init__(message)
        self.status = status

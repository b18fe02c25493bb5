"""Secrets out of every message: an API key or a password in any encoding a server, a URL or a
library may echo it in.

A provider's server may quote the key back URL-encoded (``sk-LIBRE%2Bsecret``), form-encoded
(``+`` as ``%2B``, a space as ``+``), base64-encoded (an ``Authorization: Basic`` header, at any
offset inside a longer base64 string), JSON-escaped or as hex; :func:`redact` masks every one
of them, and must run before a message is cut to length (a cut can leave a prefix that no
longer matches). :func:`register` adds a secret to the process's list once it is read from the
environment; :func:`scrub` masks every registered secret, and log records are scrubbed as
they are made, so a library's debug log that prints a URL cannot leak one either.
"""

from __future__ import annotations

import base64
import json
import logging
import re
import threading
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import quote, quote_plus, unquote

MASK = "***"
# Pieces of a base64 encoding at a shifted offset shorter than this are left alone: a short
# run of base64 letters occurs in ordinary text by chance.
_MIN_PIECE = 8

# libpq's connection parameters that hold a secret ("password", "sslpassword").
_SECRET_PARAM = re.compile(r"(^|[?&;])([^=&;?]*password[^=&;]*)=([^&;]*)", re.IGNORECASE)
_MASKED_PARAM = r"\1\2=" + MASK

_registered: set[str] = set()
_lock = threading.Lock()
_factory_installed = False


def _base64_pieces(data: bytes) -> set[str]:
    """What ``data`` looks like inside any base64 text: encoded at each of the three byte
    offsets, keeping only the characters that depend on ``data`` alone."""
    pieces: set[str] = set()
    for shift in range(3):
        for encode in (base64.b64encode, base64.urlsafe_b64encode):
            text = encode(b"\0" * shift + data).decode("ascii")
            first = (shift * 8 + 5) // 6  # first character made of data bits only
            last = ((shift + len(data)) * 8) // 6  # characters before this one are data bits only
            piece = text[first:last]
            if shift == 0:
                pieces.add(text)  # the whole encoding, padding included
                pieces.add(text.rstrip("="))
            if len(piece) >= _MIN_PIECE:
                pieces.add(piece)
    return pieces


@lru_cache(maxsize=64)
def encodings(secret: str) -> tuple[str, ...]:
    """Every form of ``secret`` to mask, longest first (so a longer form is masked whole)."""
    if not secret:
        return ()
    data = secret.encode("utf-8")
    forms = {secret, json.dumps(secret)[1:-1], data.hex(), data.hex().upper()}
    forms |= {quote(secret, safe=""), quote(secret, safe="/"), quote_plus(secret, safe="")}
    forms |= _base64_pieces(data)
    return tuple(sorted((form for form in forms if form), key=len, reverse=True))


_ESCAPE = re.compile(r"%[0-9A-F]{2}")


@lru_cache(maxsize=64)
def _pattern(secret: str) -> re.Pattern[str]:
    """One regular expression for every encoding of ``secret``; percent-escapes match in any
    case (``%2B``, ``%2b``: a server may re-encode them either way)."""

    def form_pattern(form: str) -> str:
        pieces, last = [], 0
        for match in _ESCAPE.finditer(form):
            pieces += [re.escape(form[last : match.start()]), f"%(?i:{match.group(0)[1:]})"]
            last = match.end()
        return "".join([*pieces, re.escape(form[last:])])

    return re.compile("|".join(form_pattern(form) for form in encodings(secret)))


def redact(text: str, secrets: Iterable[str | None]) -> str:
    """``text`` with every encoding of every secret replaced by ``***``."""
    for secret in secrets:
        if secret:
            text = _pattern(secret).sub(MASK, text)
    return text


def register(secret: str | None) -> None:
    """Remember ``secret`` for :func:`scrub` and the log records of this process."""
    if not secret:
        return
    global _factory_installed
    with _lock:
        _registered.add(secret)
        if not _factory_installed:
            _install_log_factory()
            _factory_installed = True


def scrub(text: str) -> str:
    """``text`` with every registered secret masked (nothing to do when none was read)."""
    if not _registered:
        return text
    with _lock:
        secrets = sorted(_registered, key=len, reverse=True)
    return redact(text, secrets)


def _install_log_factory() -> None:
    """Scrub every log record as it is made: whichever library logs, and however the
    application routes its logs, the key is gone before any handler sees the record."""
    make = logging.getLogRecordFactory()

    def scrubbed(*args: object, **kwargs: object) -> logging.LogRecord:
        record = make(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is logging's business, not ours
            return record
        clean = scrub(message)
        if clean != message:
            record.msg, record.args = clean, None
        return record

    logging.setLogRecordFactory(scrubbed)


def mask_url(url: str) -> str:
    """``url`` with every password replaced by ``***``: ``user:password@host`` and query
    parameters such as ``?password=...`` or ``&sslpassword=...``."""
    if "://" not in url:
        return url
    scheme, rest = url.split("://", 1)
    authority, tail = _split_authority(rest)
    if "@" in authority:
        userinfo, host = authority.rsplit("@", 1)
        if ":" in userinfo:
            authority = f"{userinfo.split(':', 1)[0]}:{MASK}@{host}"
    return f"{scheme}://{authority}{_SECRET_PARAM.sub(_MASKED_PARAM, tail)}"


def _split_authority(rest: str) -> tuple[str, str]:
    """``user:pw@host:5432`` and what follows it. The authority ends at the first "/" or "?"
    after the last "@" (a password may hold "/" or "?" when its writer forgot to escape it)."""
    at = rest.rfind("@")
    start = at + 1 if at >= 0 else 0
    ends = [i for i in (rest.find("/", start), rest.find("?", start)) if i >= 0]
    end = min(ends) if ends else len(rest)
    return rest[:end], rest[end:]


def url_passwords(url: str) -> list[str]:
    """The passwords written in ``url`` (``user:password@`` and ``?password=``), as written
    and unescaped, longest first."""
    found: set[str] = set()
    if "://" in url:
        authority, tail = _split_authority(url.split("://", 1)[1])
        if "@" in authority:
            userinfo = authority.rsplit("@", 1)[0]
            if ":" in userinfo:
                found.add(userinfo.split(":", 1)[1])
        found.update(match.group(3) for match in _SECRET_PARAM.finditer(tail))
    found |= {unquote(secret) for secret in found}
    return sorted((s for s in found if s), key=len, reverse=True)

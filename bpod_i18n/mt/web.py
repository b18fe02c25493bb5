"""Web providers through deep-translator: LibreTranslate, DeepL, Google, MyMemory, Microsoft.

deep-translator does the request and reply handling; this module adds what a long run over an
archive needs: a timeout on every request (see ``transport``), bounded concurrency, retries
with exponential backoff on 429 and 5xx (honouring Retry-After), errors typed by HTTP status,
and delivery of every result as soon as it arrives.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Mapping, Sequence
from urllib.parse import urlsplit

import requests

from bpod_i18n import redact
from bpod_i18n.mt.base import (
    Provider,
    ProviderAuthError,
    ProviderFailure,
    ProviderQuotaError,
    ProviderSettings,
    ProviderTimeout,
    ProviderUnavailable,
    ResultCallback,
)
from bpod_i18n.mt.clients import WEB_PROVIDERS, WebSpec
from bpod_i18n.mt.pool import Cancelled, translate_in_pool
from bpod_i18n.mt.transport import CallRecord, Watchdog, bound_call, new_session
from bpod_i18n.retry_after import retry_after_seconds

__all__ = ["WEB_PROVIDERS", "WebProvider", "WebSpec"]

DETAIL_LENGTH = 200  # characters of a server's error message kept in ours


class WebProvider(Provider):
    """A deep-translator web client with timeouts, retries, concurrency and typed errors."""

    def __init__(
        self,
        spec: WebSpec,
        settings: ProviderSettings,
        *,
        environ: Mapping[str, str] | None = None,
    ):
        self.name = spec.name
        self.spec = spec
        self.settings = settings
        self._environ = environ if environ is not None else os.environ

    @property
    def key_env(self) -> str | None:
        return self.settings.api_key_env or self.spec.default_key_env

    def _api_key(self) -> str | None:
        """Read the key now (not at import time, unlike deep-translator), never keep it."""
        env = self.key_env
        key = self._environ.get(env) if env else None
        if not key and self.spec.key_required:
            where = f"environment variable {env} is not set" if env else "set api_key_env in the settings"
            raise ProviderAuthError(f"{self.name}: no API key ({where})", provider=self.name)
        redact.register(key)  # masked in every message and log record of this process from now on
        return key or None

    def translate_batch(
        self,
        texts: Sequence[str],
        source: str,
        target: str,
        *,
        on_result: ResultCallback | None = None,
    ) -> list[str]:
        key = self._api_key()
        # One HTTP session per worker thread (kept alive across its requests), closed at the end.
        local = threading.local()
        sessions: list[requests.Session] = []
        sessions_lock = threading.Lock()

        def session() -> requests.Session:
            current = getattr(local, "session", None)
            if current is None:
                current = local.session = new_session()
                with sessions_lock:
                    sessions.append(current)
            return current

        watchdog = Watchdog()

        def translate(batch: list[str], stop: threading.Event) -> list[str]:
            watchdog.stop = stop  # the pool's stop signal: set, it aborts every running request
            return [self._translate_one(text, source, target, key, stop, session, watchdog) for text in batch]

        try:  # one request per distinct text; blank texts need none
            with watchdog:
                return translate_in_pool(texts, translate, concurrency=self.settings.concurrency, on_result=on_result)
        except ProviderFailure as failure:
            # Every message built from what a server said passes here: the key is masked in
            # each of its encodings (a server may echo it URL- or base64-encoded).
            failure.message = redact.redact(failure.message, [key])
            failure.args = (failure.message,)
            raise
        finally:
            for s in sessions:
                s.close()

    def _translate_one(
        self,
        text: str,
        source: str,
        target: str,
        key: str | None,
        stop: threading.Event,
        session: Callable[[], requests.Session],
        watchdog: Watchdog,
    ) -> str:
        # Engines trim or mangle edge whitespace; the unit's own spacing is put back.
        core = text.strip()
        lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
        for attempt in range(self.settings.max_retries + 1):
            if stop.is_set():
                raise Cancelled()
            translator = self.spec.build(source, target, key, self.settings)
            with bound_call(
                session(),
                self.settings.timeout,
                shape=self.spec.shape_request,
                deadline=self.settings.request_deadline,
                watchdog=watchdog,
            ) as record:
                try:
                    output: object = translator.translate(core)
                    error: Exception | None = None
                except Exception as exc:  # classified below from what went over the wire
                    output, error = None, exc
            wait = self._classify(record, error, output, attempt, key)
            if wait is None:
                assert isinstance(output, str)
                return lead + output.strip() + trail
            if stop.wait(wait):
                raise Cancelled()
        raise AssertionError("unreachable: the last attempt raises or returns")

    def _classify(
        self, record: CallRecord, error: Exception | None, output: object, attempt: int, key: str | None
    ) -> float | None:
        """None when ``output`` is good, seconds to wait before a retry, or raise."""
        where = self._where(record)
        if record.aborted == "cancelled":
            raise Cancelled()
        if record.aborted == "deadline":
            raise ProviderTimeout(
                f"{where}: no complete answer within {self.settings.request_deadline:g} s "
                "(deadline: the server answers too slowly)",
                provider=self.name,
            )
        exc = record.transport_error
        if isinstance(exc, requests.Timeout):
            raise ProviderTimeout(
                f"{where}: no answer within {self.settings.timeout:g} s (timeout)", provider=self.name
            )
        if exc is not None:
            kind = "connection refused" if _is_refused(exc) else f"cannot connect ({type(exc).__name__})"
            raise ProviderUnavailable(f"{where}: {kind}", provider=self.name)
        response = record.response
        status = response.status_code if response is not None else None
        if response is not None and status == 200 and self.spec.body_status is not None:
            status = self.spec.body_status(response) or status
        if response is not None and status is not None and not 200 <= status < 300:
            detail = _error_detail(response, key)
            said = f": {detail}" if detail else ""
            retries_left = attempt < self.settings.max_retries
            if status in (401, 403):
                hint = f" (check the key in ${self.key_env})" if self.key_env else ""
                raise ProviderAuthError(
                    f"{where}: HTTP {status}: access refused{said}{hint}", provider=self.name, status=status
                )
            if status in (402, 456):
                raise ProviderQuotaError(
                    f"{where}: HTTP {status}: quota exceeded{said}", provider=self.name, status=status
                )
            if status == 429 or status >= 500:
                retry_after = retry_after_seconds(response.headers.get("Retry-After"))
                if retry_after is not None and retry_after > self.settings.max_retry_after:
                    raise ProviderQuotaError(
                        f"{where}: HTTP {status}: asked to wait {retry_after:g} s{said}",
                        provider=self.name,
                        status=status,
                    )
                if retries_left:
                    backoff = min(self.settings.backoff_max, self.settings.backoff_base * 2**attempt)
                    return retry_after if retry_after is not None else backoff
                tries = self.settings.max_retries
                if status == 429:
                    raise ProviderQuotaError(
                        f"{where}: HTTP 429: still rate-limited after {tries} retries{said}",
                        provider=self.name,
                        status=status,
                    )
                raise ProviderUnavailable(
                    f"{where}: HTTP {status} after {tries} retries{said}", provider=self.name, status=status
                )
            raise ProviderFailure(f"{where}: HTTP {status}{said}", provider=self.name, status=status)
        if error is not None and record.requests_sent == 0:
            # deep-translator checks the text first (e.g. NotValidLength over 5 000 characters).
            raise ProviderFailure(
                f"{where}: the client refused the text before sending it ({type(error).__name__})", provider=self.name
            )
        if error is not None or not isinstance(output, str):
            # A 2xx whose body deep-translator could not read.
            why = type(error).__name__ if error is not None else "no translation in the reply"
            raise ProviderFailure(f"{where}: unusable reply ({why})", provider=self.name, status=status)
        return None

    def _where(self, record: CallRecord) -> str:
        """Provider name and endpoint without the query string (DeepL puts the key there)."""
        url = record.urls[-1] if record.urls else self.settings.url
        if not url:
            return self.name
        parts = urlsplit(url)
        return f"{self.name} ({parts.scheme}://{parts.netloc}{parts.path})"


def _is_refused(exc: requests.RequestException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ConnectionRefusedError) or "Connection refused" in str(seen.args[:1]):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _error_detail(response: requests.Response, key: str | None) -> str:
    """The server's own one-line reason, if it gave one (LibreTranslate and DeepL use JSON),
    the key masked in every encoding *before* it is cut to length (a cut could leave a
    prefix of the key that no longer matches it)."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        for field in ("error", "message", "detail"):
            value = body.get(field)
            if isinstance(value, dict):
                value = value.get("message")
            if isinstance(value, str) and value.strip():
                return " ".join(redact.redact(value, [key]).split())[:DETAIL_LENGTH]
    return ""

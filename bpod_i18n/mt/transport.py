"""Bounded, observable HTTP for deep-translator.

deep-translator 1.11.4 calls ``requests.get``/``requests.post`` with no timeout (a silent
server hangs the caller forever), turns HTTP statuses into exceptions that drop the status,
and lets network errors escape raw. Its modules look ``requests`` up as a module global at
call time, so we replace that global, once, with a thin stand-in:

* outside a ``bound_call`` it is plain ``requests`` (other users of deep-translator see no
  change);
* inside a ``bound_call`` (per thread: each worker of a provider opens its own) it sends the
  request through the worker's ``requests.Session`` with the configured timeout and records
  the response and any transport error, so the provider can classify the outcome by status.

The request and reply handling of deep-translator itself still runs unchanged.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import requests

# Modules of deep-translator whose translators we drive; each did ``import requests``.
_PATCHED_MODULES = (
    "deep_translator.libre",
    "deep_translator.deepl",
    "deep_translator.google",
    "deep_translator.mymemory",
    "deep_translator.microsoft",
)


@dataclass
class CallRecord:
    """What happened on the wire during one bound call (the last request of it)."""

    timeout: float
    session: requests.Session
    response: requests.Response | None = None
    transport_error: requests.RequestException | None = None
    requests_sent: int = 0
    urls: list[str] = field(default_factory=list)


_local = threading.local()


class _RequestsStandIn:
    """Looks like the ``requests`` module; routes get/post through the thread's bound call."""

    def __getattr__(self, name: str) -> Any:
        return getattr(requests, name)

    def request(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        record: CallRecord | None = getattr(_local, "record", None)
        if record is None:
            return requests.request(method, url, **kwargs)
        kwargs["timeout"] = record.timeout
        record.requests_sent += 1
        record.urls.append(url)
        try:
            response = record.session.request(method, url, **kwargs)
        except requests.RequestException as exc:
            record.transport_error = exc
            raise
        record.response = response
        return response

    def get(self, url: str, params: Any = None, **kwargs: Any) -> requests.Response:
        return self.request("GET", url, params=params, **kwargs)

    def post(self, url: str, data: Any = None, json: Any = None, **kwargs: Any) -> requests.Response:
        return self.request("POST", url, data=data, json=json, **kwargs)


_STAND_IN = _RequestsStandIn()
_install_lock = threading.Lock()
_installed = False


def install() -> None:
    """Put the stand-in in place of ``requests`` in deep-translator's modules (idempotent)."""
    global _installed
    with _install_lock:
        if _installed:
            return
        import importlib

        for module_name in _PATCHED_MODULES:
            module = importlib.import_module(module_name)
            if getattr(module, "requests", None) is not requests:
                raise RuntimeError(
                    f"{module_name} does not use requests as expected; check the deep-translator version"
                )
            module.requests = _STAND_IN  # type: ignore[attr-defined]  # the module has no stub for its requests global
        _installed = True


@contextmanager
def bound_call(session: requests.Session, timeout: float) -> Iterator[CallRecord]:
    """Within this block, deep-translator requests made by this thread are bounded and recorded."""
    install()
    record = CallRecord(timeout=timeout, session=session)
    previous = getattr(_local, "record", None)
    _local.record = record
    try:
        yield record
    finally:
        _local.record = previous

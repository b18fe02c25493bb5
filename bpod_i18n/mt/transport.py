"""Bounded, observable HTTP for deep-translator.

deep-translator 1.11.4 calls ``requests.get``/``requests.post`` with no timeout (a silent
server hangs the caller forever), turns HTTP statuses into exceptions that drop the status,
and lets network errors escape raw. Its modules look ``requests`` up as a module global at
call time, so we replace that global, once, with a thin stand-in:

* outside a ``bound_call`` it is plain ``requests`` (other users of deep-translator see no
  change);
* inside a ``bound_call`` (per thread: each worker of a provider opens its own) it sends the
  request through the worker's ``requests.Session`` with the configured timeout and records
  the response and any transport error, so the provider can classify the outcome by status;
  a provider's ``shape`` may first move its key out of the query string (into the body or a
  header: query strings end up in server and proxy logs).

``requests``' timeout bounds each wait for a byte, not the whole request: a server that
trickles one byte a second never trips it. So every bound call also has a total *deadline*,
and a :class:`Watchdog` (one thread per batch) shuts down the socket of a call that passes it,
or of every running call at once when the batch is stopped (the first failure, Ctrl-C): the
blocked read returns at once and the worker thread ends, instead of the pool waiting for it.
Sessions made by :func:`new_session` know which connections a call holds, for that purpose.

The request and reply handling of deep-translator itself still runs unchanged.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

# A provider's rewrite of a request before it is sent: (method, url, keyword arguments of
# requests.request) → the same, e.g. the key moved from ``params`` into ``data`` or a header.
Shape = Callable[[str, str, dict[str, Any]], tuple[str, dict[str, Any]]]

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
    shape: Shape | None = None
    deadline: float | None = None  # time.monotonic() by which the call must be over
    aborted: str | None = None  # "deadline" or "cancelled" once the watchdog stepped in
    connections: list[Any] = field(default_factory=list)  # urllib3 connections the call used

    def abort(self, reason: str) -> None:
        """Stop the call from another thread: its blocked read or connect returns at once."""
        if self.aborted is None:
            self.aborted = reason
        for connection in list(self.connections):
            sock = getattr(connection, "sock", None)
            if sock is not None:
                with suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


class CallAborted(requests.ConnectionError):
    """Raised instead of sending a request for a call the watchdog already aborted."""


_local = threading.local()


class _RequestsStandIn:
    """Looks like the ``requests`` module; routes get/post through the thread's bound call."""

    def __getattr__(self, name: str) -> Any:
        return getattr(requests, name)

    def request(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        record: CallRecord | None = getattr(_local, "record", None)
        if record is None:
            return requests.request(method, url, **kwargs)
        if record.shape is not None:
            method, kwargs = record.shape(method, url, dict(kwargs))
        kwargs["timeout"] = record.timeout
        if record.aborted is not None:
            record.transport_error = CallAborted(record.aborted)
            raise record.transport_error
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
def bound_call(
    session: requests.Session,
    timeout: float,
    *,
    shape: Shape | None = None,
    deadline: float | None = None,
    watchdog: Watchdog | None = None,
) -> Iterator[CallRecord]:
    """Within this block, deep-translator requests made by this thread are bounded and
    recorded; with a ``watchdog``, the whole block is aborted ``deadline`` seconds in."""
    install()
    record = CallRecord(timeout=timeout, session=session, shape=shape)
    if deadline is not None:
        record.deadline = time.monotonic() + deadline
    previous = getattr(_local, "record", None)
    _local.record = record
    if watchdog is not None:
        watchdog.watch(record)
    try:
        yield record
    finally:
        _local.record = previous
        if watchdog is not None:
            watchdog.unwatch(record)


class Watchdog:
    """Aborts the calls of one batch that pass their deadline, and every running call when
    ``stop`` is set (a thread that wakes every ``tick`` seconds while the batch runs)."""

    def __init__(self, tick: float = 0.05):
        self.tick = tick
        self.stop: threading.Event | None = None  # the batch's stop signal, once a job has it
        self._by_id: dict[int, CallRecord] = {}
        self._lock = threading.Lock()
        self._finished = threading.Event()
        self._thread = threading.Thread(target=self._run, name="mt-watchdog", daemon=True)

    def __enter__(self) -> Watchdog:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._finished.set()
        self._thread.join()

    def watch(self, record: CallRecord) -> None:
        with self._lock:
            self._by_id[id(record)] = record

    def unwatch(self, record: CallRecord) -> None:
        with self._lock:
            self._by_id.pop(id(record), None)

    def _run(self) -> None:
        while not self._finished.wait(self.tick):
            now = time.monotonic()
            with self._lock:
                records = list(self._by_id.values())
            stopped = self.stop is not None and self.stop.is_set()
            for record in records:
                if stopped:
                    record.abort("cancelled")
                elif record.aborted is not None or (record.deadline is not None and now >= record.deadline):
                    # Again on every tick: a connection opened just after the first abort goes too.
                    record.abort("deadline")


class _Tracking:
    """Tells the thread's bound call which connection it got, so the watchdog can shut it."""

    def _get_conn(self, timeout: float | None = None) -> Any:
        connection = super()._get_conn(timeout)  # type: ignore[misc]  # a mixin of urllib3's pools below
        record: CallRecord | None = getattr(_local, "record", None)
        if record is not None:
            record.connections.append(connection)
        return connection


class _TrackedPool(_Tracking, HTTPConnectionPool):
    pass


class _TrackedHTTPSPool(_Tracking, HTTPSConnectionPool):
    pass


_TRACKED_POOLS = {"http": _TrackedPool, "https": _TrackedHTTPSPool}


class _TrackingAdapter(HTTPAdapter):
    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _TRACKED_POOLS

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        manager.pool_classes_by_scheme = _TRACKED_POOLS
        return manager


def new_session() -> requests.Session:
    """A ``requests.Session`` whose connections a :class:`Watchdog` can shut down."""
    session = requests.Session()
    adapter = _TrackingAdapter()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session

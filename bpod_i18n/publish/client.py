"""The WordPress REST API, bounded and observable: what publishing needs of a long run.

* Every request has a timeout; 429, 5xx and connection failures are retried with exponential
  backoff (``Retry-After`` honoured); a request that may have been applied before it failed
  (a create whose answer was lost) is retried only after ``recover`` found it was not.
* Errors are typed and one line each: a refused login (401) or missing rights (403), a REST
  API that is not there (404), an answer that is not JSON (a login page, a proxy error), a
  site that stays unreachable. The application password is sent in the Authorization header
  only; every message is scrubbed of it all the same.
* Requests are counted (reads and writes), so a re-run can show it wrote nothing.
* One ``requests.Session`` per thread (a session is not shared between threads), so
  ``map_bounded`` can keep ``concurrency`` requests in flight.
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import requests

from bpod_i18n.errors import SiteError, SiteRefusedError
from bpod_i18n.retry_after import retry_after_seconds

J = TypeVar("J")
R = TypeVar("R")

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
# 429 and 503 say the request was not handled (rate limit, maintenance): safe to send again.
NOT_APPLIED_STATUSES = frozenset({429, 503})
MAX_RETRY_AFTER = 120.0  # seconds; a longer Retry-After is capped
PAGE_SIZE = 100  # WordPress's maximum per_page
USER_AGENT = "bpod-i18n (+https://bpod.org.uk)"


@dataclass(frozen=True)
class ClientSettings:
    url: str  # the site, for messages
    api_root: str  # the REST API's root: https://site/wp-json/ or https://site/?rest_route=/
    user: str
    password_env: str  # for messages: where the password came from
    timeout: float = 30.0
    max_retries: int = 4
    backoff_base: float = 0.5
    backoff_max: float = 30.0
    concurrency: int = 4


@dataclass
class RequestCounts:
    reads: int = 0
    writes: int = 0
    retries: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def add(self, *, write: bool, retry: bool) -> None:
        with self._lock:
            if retry:
                self.retries += 1
            if write:
                self.writes += 1
            else:
                self.reads += 1

    @property
    def total(self) -> int:
        return self.reads + self.writes

    def to_dict(self) -> dict[str, int]:
        return {"reads": self.reads, "writes": self.writes, "retries": self.retries, "total": self.total}


def api_root(url: str, api_url: str | None) -> str:
    """The REST root: ``api_url`` as given, else ``<url>/wp-json/``."""
    root = api_url or url.rstrip("/") + "/wp-json/"
    return root if "rest_route=" in root or root.endswith("/") else root + "/"


def route_url(root: str, route: str, params: Mapping[str, Any] | None = None) -> str:
    """``route`` (``wp/v2/posts``) under ``root``, in either of WordPress's two URL forms:
    pretty (``/wp-json/wp/v2/posts``) or plain (``/?rest_route=/wp/v2/posts``), which every
    site answers even without pretty permalinks."""
    query = {key: _param(value) for key, value in (params or {}).items() if value is not None}
    parts = urlsplit(root)
    if "rest_route=" in root:
        pairs = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "rest_route"]
        pairs.append(("rest_route", "/" + route.lstrip("/")))
        pairs += list(query.items())
        return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(pairs, safe="/,"), ""))
    path = parts.path.rstrip("/") + "/" + route.lstrip("/")
    return urlunsplit((parts.scheme, parts.netloc, path, urlencode(query, safe=","), ""))


def _param(value: Any) -> str:
    if isinstance(value, list | tuple | set):
        return ",".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class WordPressClient:
    """Requests to one site as one user, with the password held apart from everything printed."""

    def __init__(
        self,
        settings: ClientSettings,
        password: str,
        *,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.settings = settings
        self._password = password
        self._secrets = [s for s in {password, password.replace(" ", "")} if len(s) >= 4]
        self._sleep = sleep
        self._local = threading.local()
        self._sessions: list[requests.Session] = []
        self._sessions_lock = threading.Lock()
        self.counts = RequestCounts()

    def __repr__(self) -> str:  # never the password
        return f"WordPressClient({self.settings.api_root!r}, user={self.settings.user!r})"

    def close(self) -> None:
        with self._sessions_lock:
            for session in self._sessions:
                session.close()
            self._sessions.clear()

    def __enter__(self) -> WordPressClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- requests -----------------------------------------------------------------------

    def get(self, route: str, params: Mapping[str, Any] | None = None) -> Any:
        return self.request("GET", route, params=params)[0]

    def get_page(self, route: str, params: Mapping[str, Any] | None = None) -> tuple[Any, int]:
        """One page of a collection and the number of pages (``X-WP-TotalPages``)."""
        body, response = self.request("GET", route, params=params)
        try:
            pages = int(response.headers.get("X-WP-TotalPages", "1")) if response is not None else 1
        except ValueError:
            pages = 1
        return body, pages

    def get_all(self, route: str, params: Mapping[str, Any] | None = None) -> list[Any]:
        """Every item of a collection: the first page says how many pages there are, the
        others are read ``concurrency`` at a time."""
        base = {**(params or {}), "per_page": PAGE_SIZE}
        first, pages = self.get_page(route, {**base, "page": 1})
        items = list(first)
        rest = list(range(2, pages + 1))
        results: dict[int, list[Any]] = {}
        self.map_bounded(
            rest, lambda page: self.get(route, {**base, "page": page}), lambda page, body: results.update({page: body})
        )
        for page in rest:
            items += results[page]
        return items

    def post(
        self,
        route: str,
        body: Mapping[str, Any] | None = None,
        *,
        params: Mapping[str, Any] | None = None,
        files: Mapping[str, tuple[str, bytes, str]] | None = None,
        data: Mapping[str, str] | None = None,
        recover: Callable[[], Any | None] | None = None,
    ) -> Any:
        """A write. ``recover`` makes a non-idempotent write (a create) safe to retry: after a
        failure that may have been applied, it looks for the result (None: not applied)."""
        return self.request("POST", route, params=params, json_body=body, files=files, data=data, recover=recover)[0]

    def request(
        self,
        method: str,
        route: str,
        *,
        params: Mapping[str, Any] | None = None,
        json_body: Mapping[str, Any] | None = None,
        files: Mapping[str, tuple[str, bytes, str]] | None = None,
        data: Mapping[str, str] | None = None,
        recover: Callable[[], Any | None] | None = None,
    ) -> tuple[Any, requests.Response | None]:
        """The answer's JSON and the response (None when ``recover`` found the result)."""
        url = route_url(self.settings.api_root, route, params)
        write = method not in ("GET", "HEAD", "OPTIONS")
        idempotent = not write or recover is None
        attempts = self.settings.max_retries + 1
        for attempt in range(attempts):
            last = attempt == attempts - 1
            self.counts.add(write=write, retry=attempt > 0)
            try:
                response = self._session().request(
                    method,
                    url,
                    json=json_body,
                    files=files,
                    data=data,
                    timeout=self.settings.timeout,
                    auth=(self.settings.user, self._password),
                    allow_redirects=False,
                )
            except requests.RequestException as exc:
                # Only a connection that was never made certainly left the request unsent.
                unsent = isinstance(exc, requests.ConnectTimeout) or "refused" in str(exc).lower()
                if last:
                    raise SiteError(
                        self._scrub(f"{self._where(method, url)}: {_transport(exc, self.settings)}")
                    ) from None
                found = self._before_retry(attempt, None, not unsent and not idempotent, recover)
                if found is not None:
                    return found, None
                continue
            status = response.status_code
            if status in RETRY_STATUSES and not last:
                found = self._before_retry(
                    attempt, response, status not in NOT_APPLIED_STATUSES and not idempotent, recover
                )
                if found is not None:
                    return found, response
                continue
            return self._answer(method, url, response), response
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _before_retry(
        self,
        attempt: int,
        response: requests.Response | None,
        ambiguous: bool,
        recover: Callable[[], Any | None] | None,
    ) -> Any | None:
        self._sleep(self._delay(attempt, response))
        if ambiguous and recover is not None:
            return recover()
        return None

    def _delay(self, attempt: int, response: requests.Response | None) -> float:
        if response is not None:
            after = retry_after_seconds(response.headers.get("Retry-After"))
            if after is not None:
                return min(after, MAX_RETRY_AFTER)
        base = min(self.settings.backoff_max, self.settings.backoff_base * (2**attempt))
        return base * (0.5 + random.random() / 2)  # jitter: workers that failed together retry apart

    def _answer(self, method: str, url: str, response: requests.Response) -> Any:
        status = response.status_code
        where = self._where(method, url)
        if 300 <= status < 400:
            target = response.headers.get("Location", "?")
            raise SiteRefusedError(
                self._scrub(
                    f"{where}: HTTP {status}: the site redirects to {target}; set url (or api_url) in "
                    f"[publish.wordpress] to the address it redirects to"
                )
            )
        body = self._json(response)
        if 200 <= status < 300:
            if body is _NOT_JSON:
                raise SiteRefusedError(self._scrub(f"{where}: {_not_json(response)}"))
            return body
        code, message = _error_of(body)
        said = f" ({code}: {message})" if code or message else ""
        if status == 401:
            raise SiteRefusedError(
                self._scrub(
                    f"{where}: HTTP 401: WordPress refused the login of user {self.settings.user!r}{said}; check the "
                    f"user and the application password in ${self.settings.password_env}"
                ),
                status=401,
            )
        if status == 403:
            raise SiteRefusedError(
                self._scrub(f"{where}: HTTP 403: user {self.settings.user!r} is not allowed to do this{said}"),
                status=403,
            )
        if status == 404 and body is _NOT_JSON:
            raise SiteRefusedError(
                self._scrub(
                    f"{where}: HTTP 404, not a WordPress REST API answer: is url right, and the REST API enabled "
                    f"(set api_url to .../?rest_route=/ if the site has no pretty permalinks)?"
                ),
                status=404,
            )
        if status == 404 and code == "rest_no_route":
            raise SiteRefusedError(
                self._scrub(f"{where}: HTTP 404: no such REST route{said}; check rest_base and post_type"),
                status=404,
            )
        if body is _NOT_JSON:
            raise SiteError(self._scrub(f"{where}: HTTP {status}: {_not_json(response)}"), status=status)
        raise SiteError(self._scrub(f"{where}: HTTP {status}{said}"), status=status, code=code)

    def _json(self, response: requests.Response) -> Any:
        kind = response.headers.get("Content-Type", "")
        if "json" not in kind:
            return _NOT_JSON
        try:
            return response.json()
        except ValueError:
            return _NOT_JSON

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
            session.headers["User-Agent"] = USER_AGENT
            session.trust_env = False  # no proxy from the environment between us and the site
            with self._sessions_lock:
                self._sessions.append(session)
        return session

    def _where(self, method: str, url: str) -> str:
        parts = urlsplit(url)
        return f"{method} {urlunsplit((parts.scheme, parts.netloc, parts.path, '', ''))}" + (
            f"?{_short(parts.query)}" if parts.query else ""
        )

    def _scrub(self, text: str) -> str:
        """The password never reaches a message, whatever a server or a library echoed."""
        for secret in self._secrets:
            text = text.replace(secret, "****")
        return text

    def fetch(self, url: str, *, limit: int = 64 * 1024 * 1024) -> bytes:
        """The bytes at ``url`` (an entry's image): same timeout and retries, no credentials
        (they belong to the site's API alone), at most ``limit`` bytes."""
        attempts = self.settings.max_retries + 1
        for attempt in range(attempts):
            self.counts.add(write=False, retry=attempt > 0)
            try:
                with self._session().get(url, timeout=self.settings.timeout, stream=True) as response:
                    if response.status_code in RETRY_STATUSES and attempt < attempts - 1:
                        self._sleep(self._delay(attempt, response))
                        continue
                    if response.status_code != 200:
                        raise SiteError(f"GET {url}: HTTP {response.status_code}", status=response.status_code)
                    data = b""
                    for chunk in response.iter_content(1 << 16):
                        data += chunk
                        if len(data) > limit:
                            raise SiteError(f"GET {url}: larger than {limit // (1024 * 1024)} MiB")
                    return data
            except requests.RequestException as exc:
                if attempt == attempts - 1:
                    raise SiteError(f"GET {url}: {_transport(exc, self.settings)}") from None
                self._sleep(self._delay(attempt, None))
        raise AssertionError("unreachable: the last attempt returns or raises")

    # --- concurrency --------------------------------------------------------------------

    def map_bounded(
        self,
        jobs: Sequence[J],
        work: Callable[[J], R],
        done: Callable[[J, R], None],
        *,
        failed: Callable[[J, SiteError], bool] | None = None,
    ) -> None:
        """``work(job)`` for every job, at most ``concurrency`` at once; ``done(job, result)``
        in the caller's thread as each finishes (so the caller may record progress as it goes).
        A ``SiteError`` of one job goes to ``failed(job, error)``: True carries on with the
        others, False (or no ``failed``) stops: no new job starts, running ones finish and are
        handed to ``done``, then the error is raised. Any other error stops the same way."""
        if not jobs:
            return
        pending: Iterator[J] = iter(jobs)
        error: BaseException | None = None
        with ThreadPoolExecutor(max_workers=min(self.settings.concurrency, len(jobs))) as pool:
            running: dict[Future[R], J] = {}

            def fill() -> None:
                while error is None and len(running) < self.settings.concurrency:
                    job = next(pending, _END)
                    if job is _END:
                        return
                    running[pool.submit(work, job)] = job

            try:
                fill()
                while running:
                    finished, _ = wait(running, return_when=FIRST_COMPLETED)
                    for future in finished:
                        job = running.pop(future)
                        exc = future.exception()
                        if exc is None:
                            done(job, future.result())
                        elif isinstance(exc, SiteError) and failed is not None and failed(job, exc):
                            pass
                        elif error is None:
                            error = exc
                    fill()
            except BaseException:  # Ctrl-C or the caller's callback: start nothing more
                for future in running:
                    future.cancel()
                raise
        if error is not None:
            raise error


_END: Any = object()
_NOT_JSON: Any = object()


def _error_of(body: Any) -> tuple[str, str]:
    if isinstance(body, Mapping):
        return str(body.get("code") or ""), " ".join(str(body.get("message") or "").split())[:300]
    return "", ""


def _not_json(response: requests.Response) -> str:
    kind = response.headers.get("Content-Type", "").split(";")[0].strip() or "no Content-Type"
    return f"the answer is {kind}, not JSON (a login page, a maintenance or proxy error page?)"


def _transport(exc: requests.RequestException, settings: ClientSettings) -> str:
    if isinstance(exc, requests.Timeout):
        return f"no answer within {settings.timeout:g} s (timeout), {settings.max_retries} retries"
    reason = "connection refused" if "refused" in str(exc).lower() else f"cannot connect ({type(exc).__name__})"
    return f"{reason}, {settings.max_retries} retries"


def _short(query: str, limit: int = 120) -> str:
    return query if len(query) <= limit else query[:limit] + "…"


def chunks(items: Iterable[J], size: int) -> Iterator[list[J]]:
    batch: list[J] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

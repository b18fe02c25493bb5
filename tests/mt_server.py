"""A local server speaking LibreTranslate's HTTP API, with scriptable failures (test helper).

``POST /translate`` takes q, source, target, format and api_key from the query string, a
form body or a JSON body and answers ``{"translatedText": ...}``; ``GET /languages`` lists
languages. Failures are scripted per server: replies queued with ``script`` (429 with
Retry-After, 500, 403...), a key that must match (``api_key``), a quota that runs out after
K translations (``quota_after``), or a hang longer than the client's timeout (``hang_seconds``).
Runs on 127.0.0.1 on a free port, in a thread.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit


def fake_translate(text: str, source: str, target: str) -> str:
    """Deterministic stand-in for a real engine: ``[ca] The text``."""
    return f"[{target}] {text}"


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    params: dict[str, str]
    at: float  # time.monotonic() when the request arrived


@dataclass
class ScriptedReply:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    error: str = "scripted failure"


class LibreServer:
    """Start with ``with LibreServer() as server:``; point clients at ``server.url``."""

    def __init__(self, translate: Callable[[str, str, str], str] = fake_translate):
        self.translate = translate
        self.api_key: str | None = None  # when set, requests without this key get 403
        self.quota_after: int | None = None  # translations served before the quota runs out
        self.quota_status = 429
        self.hang_seconds = 0.0  # each /translate waits this long before answering
        self.requests: list[RecordedRequest] = []
        self.translations_served = 0
        self._script: list[ScriptedReply] = []
        self._lock = threading.Lock()
        self._release = threading.Event()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler(self))
        self._httpd.daemon_threads = True
        self._httpd.handle_error = lambda request, address: None  # client gave up (timeout tests)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, name="libre-test-server", daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/"

    def script(self, status: int, *, times: int = 1, headers: dict[str, str] | None = None, error: str = "") -> None:
        """Answer the next ``times`` translate requests with ``status`` (then behave normally)."""
        with self._lock:
            for _ in range(times):
                self._script.append(ScriptedReply(status, dict(headers or {}), error or f"scripted {status}"))

    @property
    def translate_requests(self) -> list[RecordedRequest]:
        with self._lock:
            return [r for r in self.requests if r.path == "/translate"]

    def __enter__(self) -> LibreServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._release.set()  # let hanging handlers finish
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    # Called by the handler, under no lock held by the caller.
    def _reply(self, method: str, path: str, params: dict[str, str]) -> tuple[int, dict[str, str], object]:
        with self._lock:
            self.requests.append(RecordedRequest(method, path, params, time.monotonic()))
        if path == "/languages" and method == "GET":
            return (
                200,
                {},
                [
                    {"code": code, "name": name, "targets": ["ca", "en", "es"]}
                    for code, name in (("ca", "Catalan"), ("en", "English"), ("es", "Spanish"))
                ],
            )
        if path != "/translate" or method != "POST":
            return 404, {}, {"error": "Not Found"}
        if self.hang_seconds:
            self._release.wait(self.hang_seconds)
        with self._lock:
            scripted = self._script.pop(0) if self._script else None
            if scripted is None and self.quota_after is not None and self.translations_served >= self.quota_after:
                scripted = ScriptedReply(self.quota_status, {}, "quota exceeded")
        if scripted is not None:
            return scripted.status, scripted.headers, {"error": scripted.error}
        if self.api_key is not None and params.get("api_key") != self.api_key:
            return 403, {}, {"error": "Invalid API key"}
        text = params.get("q")
        if text is None or not params.get("target"):
            return 400, {}, {"error": "Invalid request: missing q or target parameter"}
        with self._lock:
            self.translations_served += 1
        return 200, {}, {"translatedText": self.translate(text, params.get("source", "auto"), params["target"])}


def _make_handler(server: LibreServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # keep test output clean
            pass

        def _params(self) -> tuple[str, dict[str, str]]:
            parts = urlsplit(self.path)
            params = dict(parse_qsl(parts.query, keep_blank_values=True))
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                body = self.rfile.read(length).decode("utf-8")
                if "json" in (self.headers.get("Content-Type") or ""):
                    params.update({k: str(v) for k, v in json.loads(body).items()})
                else:
                    params.update(parse_qsl(body, keep_blank_values=True))
            return parts.path, params

        def _answer(self, method: str) -> None:
            path, params = self._params()
            status, headers, payload = server._reply(method, path, params)
            data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            self._answer("GET")

        def do_POST(self) -> None:
            self._answer("POST")

    return Handler

"""A local server speaking LibreTranslate's HTTP API, with scriptable failures (test helper).

``POST /translate`` takes q, source, target, format and api_key from the query string, a
form body or a JSON body and answers ``{"translatedText": ...}``; ``GET /languages`` lists
languages. Failures are scripted per server: replies queued with ``script`` (429 with
Retry-After, 500, 403...), a key that must match (``api_key``), a quota that runs out after
K translations (``quota_after``), a hang longer than the client's timeout (``hang_seconds``),
an answer trickled one byte every ``trickle_seconds`` (status line and headers included: no
single wait is long, the whole is endless), or an error message of the server's own making
(``error_text``, e.g. one that echoes the key back in some encoding).

``POST /deepl/translate`` (and GET) speaks DeepL's API: the key in an ``Authorization:
DeepL-Auth-Key`` header (or the deprecated ``auth_key`` parameter), ``text`` and
``target_lang``, answering ``{"translations": [{"text": ...}]}``.

Each request is recorded with its query string, body and headers apart, so a test can tell
where a key travelled. Runs on 127.0.0.1 on a free port, in a thread.
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
    params: dict[str, str]  # query string and body together
    at: float  # time.monotonic() when the request arrived
    query: dict[str, str] = field(default_factory=dict)
    body: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    raw_path: str = ""  # the request target as sent, query string included


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
        self.trickle_seconds = 0.0  # each /translate answer goes out one byte at a time, this far apart
        self.slow_after = 0  # hang_seconds and trickle_seconds apply once this many translations were served
        self.error_text: Callable[[RecordedRequest], str] | None = None  # the {"error": ...} of scripted replies
        self.deepl_key: str | None = None  # when set, DeepL requests without this key get 403
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
            return [r for r in self.requests if r.path in ("/translate", "/deepl/translate")]

    def __enter__(self) -> LibreServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._release.set()  # let hanging handlers finish
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    # Called by the handler, under no lock held by the caller.
    def _reply(self, request: RecordedRequest) -> tuple[int, dict[str, str], object]:
        method, path, params = request.method, request.path, request.params
        with self._lock:
            self.requests.append(request)
        if path == "/languages" and method == "GET":
            return (
                200,
                {},
                [
                    {"code": code, "name": name, "targets": ["ca", "en", "es"]}
                    for code, name in (("ca", "Catalan"), ("en", "English"), ("es", "Spanish"))
                ],
            )
        if path == "/deepl/translate":
            return self._deepl(request)
        if path != "/translate" or method != "POST":
            return 404, {}, {"error": "Not Found"}
        with self._lock:
            scripted = self._script.pop(0) if self._script else None
            if scripted is None and self.quota_after is not None and self.translations_served >= self.quota_after:
                scripted = ScriptedReply(self.quota_status, {}, "quota exceeded")
        if scripted is None and self.hang_seconds and self.translations_served >= self.slow_after:
            self._release.wait(self.hang_seconds)  # a scripted reply goes out at once
        if scripted is not None:
            error = self.error_text(request) if self.error_text is not None else scripted.error
            return scripted.status, scripted.headers, {"error": error}
        if self.api_key is not None and params.get("api_key") != self.api_key:
            return 403, {}, {"error": "Invalid API key"}
        text = params.get("q")
        if text is None or not params.get("target"):
            return 400, {}, {"error": "Invalid request: missing q or target parameter"}
        with self._lock:
            self.translations_served += 1
        return 200, {}, {"translatedText": self.translate(text, params.get("source", "auto"), params["target"])}

    def _deepl(self, request: RecordedRequest) -> tuple[int, dict[str, str], object]:
        auth = request.headers.get("Authorization", "")
        key = (
            auth.removeprefix("DeepL-Auth-Key ")
            if auth.startswith("DeepL-Auth-Key ")
            else request.params.get("auth_key")
        )
        if self.deepl_key is not None and key != self.deepl_key:
            return 403, {}, {"message": self.error_text(request) if self.error_text else "Wrong key"}
        text, target = request.params.get("text"), request.params.get("target_lang")
        if text is None or not target:
            return 400, {}, {"message": "missing text or target_lang"}
        with self._lock:
            self.translations_served += 1
        return 200, {}, {"translations": [{"text": self.translate(text, "en", target.lower())}]}


def _make_handler(server: LibreServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # keep test output clean
            pass

        def _request(self, method: str) -> RecordedRequest:
            parts = urlsplit(self.path)
            query = dict(parse_qsl(parts.query, keep_blank_values=True))
            body: dict[str, str] = {}
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                raw = self.rfile.read(length).decode("utf-8")
                if "json" in (self.headers.get("Content-Type") or ""):
                    body = {k: str(v) for k, v in json.loads(raw).items()}
                else:
                    body = dict(parse_qsl(raw, keep_blank_values=True))
            return RecordedRequest(
                method,
                parts.path,
                {**query, **body},
                time.monotonic(),
                query=query,
                body=body,
                headers=dict(self.headers.items()),
                raw_path=self.path,
            )

        def _answer(self, method: str) -> None:
            request = self._request(method)
            status, headers, payload = server._reply(request)
            data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
            slow = server.translations_served > server.slow_after  # this one was counted already
            if server.trickle_seconds and request.path.endswith("/translate") and (slow or not server.slow_after):
                self._trickle(status, headers, data)
                return
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def _trickle(self, status: int, headers: dict[str, str], data: bytes) -> None:
            head = [f"HTTP/1.1 {status} OK", "Content-Type: application/json", f"Content-Length: {len(data)}"]
            head += [f"{name}: {value}" for name, value in headers.items()]
            whole = ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + data
            for i in range(len(whole)):
                if server._release.wait(server.trickle_seconds):
                    return  # the server is shutting down
                try:
                    self.wfile.write(whole[i : i + 1])
                    self.wfile.flush()
                except OSError:  # the client gave up (its deadline): stop sending
                    return
            self.close_connection = True

        def do_GET(self) -> None:
            self._answer("GET")

        def do_POST(self) -> None:
            self._answer("POST")

    return Handler

"""A local server speaking the WordPress REST API's posts endpoint (test helper).

``GET /wp-json/wp/v2/posts?per_page=N&page=P`` answers a page of the recorded posts
(``tests/fixtures/mirror/rest/posts.json``, in the shape the real API gives: rendered
title, content and excerpt, link, slug, date...) with the ``X-WP-Total`` and
``X-WP-TotalPages`` headers, and 400 ``rest_post_invalid_page_number`` past the last page,
as WordPress does. ``max_per_page`` caps the page size to exercise paging. Anything else
answers 404 (a site without the API). Runs on 127.0.0.1 on a free port, in a thread.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


class WordPressServer:
    def __init__(self, posts: list[dict[str, Any]] | None, *, max_per_page: int = 100):
        self.posts = posts  # None: no REST API at all (every path 404)
        self.max_per_page = max_per_page
        self.requests: list[str] = []
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/"

    def __enter__(self) -> WordPressServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def _handler(server: WordPressServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
            data = json.dumps(body).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=UTF-8")
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            server.requests.append(self.path)
            query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
            if server.posts is None or parts.path.rstrip("/") != "/wp-json/wp/v2/posts":
                self._send(404, {"code": "rest_no_route", "message": "No route was found.", "data": {"status": 404}})
                return
            per_page = min(int(query.get("per_page", "10")), server.max_per_page)
            page = int(query.get("page", "1"))
            total_pages = max(1, -(-len(server.posts) // per_page))
            if page > total_pages:
                self._send(
                    400,
                    {
                        "code": "rest_post_invalid_page_number",
                        "message": "The page number requested is larger than the number of pages available.",
                        "data": {"status": 400},
                    },
                )
                return
            chunk = server.posts[(page - 1) * per_page : page * per_page]
            self._send(200, chunk, {"X-WP-Total": str(len(server.posts)), "X-WP-TotalPages": str(total_pages)})

    return Handler

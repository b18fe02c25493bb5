"""The WordPress REST API of a public site: its published posts, page by page, read-only.

``GET <site>/wp-json/wp/v2/posts?per_page=100&page=N&orderby=date&order=asc`` (or
``?rest_route=/wp/v2/posts`` on a site without pretty permalinks, tried when the first
answers 404). Public posts need no credentials and none are ever sent. The total number of
pages comes from the ``X-WP-TotalPages`` header; an empty page ends the walk too.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import requests

from bpod_i18n.bitext.content import build_entry, content_lines, is_auto_excerpt, plain
from bpod_i18n.bitext.model import LocalizedEntry
from bpod_i18n.errors import InputError

PER_PAGE = 100
TIMEOUT_S = 30.0
_USER_AGENT = "bpod-i18n (mirror import; read-only)"


def _endpoints(site: str) -> list[tuple[str, dict[str, str]]]:
    base = site.rstrip("/")
    return [(f"{base}/wp-json/wp/v2/posts", {}), (f"{base}/", {"rest_route": "/wp/v2/posts"})]


def fetch_posts(
    site: str,
    *,
    per_page: int = PER_PAGE,
    timeout: float = TIMEOUT_S,
    on_page: Callable[[int, int], None] | None = None,
    session: requests.Session | None = None,
) -> Iterator[dict[str, Any]]:
    """Every published post of ``site`` as the API's JSON objects, oldest first.

    ``on_page(page, total_pages)`` is called after each page. Raises InputError naming the
    URL for a site that is not reachable or has no WordPress REST API (404, not JSON).
    """
    parts = urlsplit(site)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InputError(f"--from-site {site!r} is not an http(s) URL such as https://www.bpod.cat/")
    http = session or requests.Session()
    http.headers["User-Agent"] = _USER_AGENT
    endpoint, extra = _find_endpoint(http, site, timeout)
    page, total = 1, None
    while total is None or page <= total:
        params = {**extra, "per_page": str(per_page), "page": str(page), "orderby": "date", "order": "asc"}
        response = _get(http, endpoint, params, timeout)
        if response.status_code == 400 and page > 1:
            break  # past the last page: WordPress answers rest_post_invalid_page_number
        if response.status_code != 200:
            raise InputError(f"{response.url}: HTTP {response.status_code} from the WordPress REST API")
        posts = _json(response)
        if not isinstance(posts, list):
            raise InputError(f"{response.url}: expected a list of posts, got {type(posts).__name__}")
        header = response.headers.get("X-WP-TotalPages")
        total = int(header) if header and header.isdigit() else (page if len(posts) < per_page else page + 1)
        if on_page is not None:
            on_page(page, total)
        yield from posts
        if not posts:
            break
        page += 1


def _find_endpoint(http: requests.Session, site: str, timeout: float) -> tuple[str, dict[str, str]]:
    tried = []
    for endpoint, extra in _endpoints(site):
        response = _get(http, endpoint, {**extra, "per_page": "1"}, timeout)
        if response.status_code == 200:
            _json(response)
            return endpoint, extra
        tried.append(f"HTTP {response.status_code} for {response.url}")
    raise InputError(f"{site}: no WordPress REST API there ({'; '.join(tried)})")


def _get(http: requests.Session, url: str, params: dict[str, str], timeout: float) -> requests.Response:
    try:
        return http.get(url, params=params, timeout=timeout, allow_redirects=True)
    except requests.Timeout:
        raise InputError(f"{url}: no answer within {timeout:g} s") from None
    except requests.RequestException as exc:
        reason = type(exc).__name__
        raise InputError(f"{url}: cannot reach the site ({reason})") from None


def _json(response: requests.Response) -> Any:
    try:
        return response.json()
    except (ValueError, json.JSONDecodeError):
        kind = response.headers.get("Content-Type", "no content type")
        raise InputError(f"{response.url}: not a WordPress REST API answer (not JSON: {kind})") from None


def _rendered(post: dict[str, Any], key: str) -> str:
    value = post.get(key)
    if isinstance(value, dict):
        value = value.get("rendered", "")
    return value if isinstance(value, str) else ""


def post_entry(post: dict[str, Any], locale: str, site: str) -> LocalizedEntry:
    """One post of the API as a localised entry; InputError for a post without a date."""
    link = post.get("link") if isinstance(post.get("link"), str) else None
    where = link or f"{site} post {post.get('id')}"
    try:
        date = dt.datetime.fromisoformat(str(post.get("date", ""))).date()
    except ValueError:
        raise InputError(f"{where}: the post has no usable date ({post.get('date')!r})") from None
    lines, marked = content_lines(_rendered(post, "content"))
    excerpt = plain(_rendered(post, "excerpt"))
    standfirst = marked or (excerpt if excerpt and not is_auto_excerpt(excerpt, lines) else None)
    slug = post.get("slug") if isinstance(post.get("slug"), str) else None
    return build_entry(
        source=where,
        locale=locale,
        date=date,
        title=plain(_rendered(post, "title")),
        lines=lines,
        standfirst=standfirst,
        slug=slug,
    )


def read_site(
    site: str, locale: str, *, on_page: Callable[[int, int], None] | None = None, timeout: float = TIMEOUT_S
) -> list[LocalizedEntry]:
    """Every published post of ``site`` as localised entries (all fetched before any is used,
    so a site failing half-way stores nothing)."""
    return [
        post_entry(post, locale, site)
        for post in fetch_posts(site, on_page=on_page, timeout=timeout)
        if post.get("status", "publish") == "publish" and post.get("type", "post") == "post"
    ]

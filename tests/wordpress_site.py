"""The real WordPress the publish tests write to: scripts/wordpress-test-site's.

``.ci/run`` installs and starts it before the tests (``scripts/wordpress-test-site install``
and ``start``) and stops it after; a developer does the same by hand. The site's URL and
accounts come from its site.json (``BPOD_I18N_TEST_WORDPRESS``, else the script's default
path). When it is not running the tests are skipped with the reason printed, unless
``BPOD_I18N_REQUIRE_WORDPRESS=1`` (CI), where that is a failure.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "scripts" / "wordpress-test-site"
DEFAULT_SITE_JSON = Path("/var/lib/bpod-wordpress-test-site/site.json")
IMAGES = Path(__file__).parent / "fixtures" / "publish" / "images"
PASSWORD_ENV = "BPOD_TEST_WP_PASSWORD"


@dataclass(frozen=True)
class Account:
    user: str
    password: str = field(repr=False)


@dataclass(frozen=True)
class Site:
    url: str
    post_type: str
    rest_base: str
    accounts: Mapping[str, Account]

    def api(self, route: str) -> str:
        return f"{self.url}/wp-json/{route.lstrip('/')}"

    def session(self, account: str = "admin") -> requests.Session:
        session = requests.Session()
        session.auth = (self.accounts[account].user, self.accounts[account].password)
        session.trust_env = False
        return session

    def get(self, route: str, account: str = "admin", **params: Any) -> Any:
        response = self.session(account).get(self.api(route), params=params, timeout=30)
        assert response.status_code == 200, response.text[:500]
        return response.json()

    def post(self, route: str, body: dict[str, Any], account: str = "admin") -> Any:
        response = self.session(account).post(self.api(route), json=body, timeout=30)
        assert response.status_code in (200, 201), response.text[:500]
        return response.json()

    def posts(self, **params: Any) -> list[dict[str, Any]]:
        return self.get(
            f"wp/v2/{self.rest_base}",
            context="edit",
            status="publish,draft,pending,private,trash",
            per_page=100,
            **params,
        )

    def reset(self) -> None:
        subprocess.run(["bash", str(SCRIPT), "reset"], check=True, capture_output=True, timeout=120)

    def export_wxr(self, content: str) -> bytes:
        done = subprocess.run(
            ["bash", str(SCRIPT), "export-wxr", content], check=True, capture_output=True, timeout=120
        )
        return done.stdout


def _unavailable(reason: str) -> None:
    reason = f"WordPress test site not available: {reason} (run `bash scripts/wordpress-test-site install` and `start`)"
    if os.environ.get("BPOD_I18N_REQUIRE_WORDPRESS") == "1":
        pytest.fail(reason + "; BPOD_I18N_REQUIRE_WORDPRESS=1 makes this a failure", pytrace=False)
    pytest.skip(reason)


def find_site() -> Site:
    path = Path(os.environ.get("BPOD_I18N_TEST_WORDPRESS") or DEFAULT_SITE_JSON)
    if os.geteuid() != 0:
        _unavailable("the tests reset the site through the script, which needs root")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        _unavailable(f"cannot read {path} ({exc})")
    site = Site(
        url=data["url"].rstrip("/"),
        post_type=data["post_type"],
        rest_base=data["rest_base"],
        accounts={name: Account(item["user"], item["password"]) for name, item in data["accounts"].items()},
    )
    try:
        response = requests.get(
            site.api("wp/v2/users/me"),
            auth=(site.accounts["editor"].user, site.accounts["editor"].password),
            timeout=10,
        )
    except requests.RequestException as exc:
        _unavailable(f"{site.url} does not answer ({type(exc).__name__})")
    if response.status_code != 200:
        _unavailable(f"{site.url} answers HTTP {response.status_code} to the editor's login")
    return site


@pytest.fixture(scope="session")
def wordpress_session_site() -> Site:
    return find_site()


@pytest.fixture
def wordpress(wordpress_session_site: Site) -> Iterator[Site]:
    """The site, emptied of posts, images and categories before the test."""
    wordpress_session_site.reset()
    yield wordpress_session_site


def configure(project_dir: Path, site: Site, monkeypatch: pytest.MonkeyPatch, **extra: str) -> None:
    """Point the project's [publish.wordpress] at the site as its editor (password in the environment)."""
    monkeypatch.setenv(PASSWORD_ENV, site.accounts["editor"].password)
    settings = {
        "url": f'"{site.url}"',
        "user": '"editor"',
        "locale": '"ca"',
        "password_env": f'"{PASSWORD_ENV}"',
        "post_type": f'"{site.post_type}"',
        "status": '"publish"',
        "default_category": '"Imatge del dia"',
        "concurrency": "3",
        **extra,
    }
    lines = ["", "[publish.wordpress]", *(f"{key} = {value}" for key, value in settings.items())]
    path = project_dir / "bpod-i18n.toml"
    path.write_text(path.read_text(encoding="utf-8") + "\n".join(lines) + "\n", encoding="utf-8")


def fixture_images(entry: Any, source: Mapping[str, Any]) -> Any:
    """Image lookup for the tests: tests/fixtures/publish/images/<slug>.jpg, alt text translated
    with the entry (its title)."""
    from bpod_i18n.publish import EntryImage

    path = IMAGES / f"{entry.slug}.jpg"
    return EntryImage(str(path), f"Imatge: {entry.title}", 480, 320) if path.exists() else None

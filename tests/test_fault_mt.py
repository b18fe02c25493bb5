"""Fault suite, machine translation: a local server on 127.0.0.1 that fails, hangs and trickles
one byte a second; keys that servers echo back in other encodings; Ctrl-C with a real process."""

from __future__ import annotations

import base64
import json
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest
from helpers import one_line_error
from mt_fixtures import libre_server  # noqa: F401 - pytest fixture
from mt_server import LibreServer
from sqlalchemy import func, select

from bpod_i18n import redact
from bpod_i18n.mt import ProviderAuthError, ProviderFailure, ProviderSettings, ProviderTimeout, make_provider
from bpod_i18n.store.models import MTCacheEntry, Translation
from bpod_i18n.workflow.project import Project

PAGES = Path(__file__).parent / "fixtures" / "pages"
KEY = "sk-LIBRE+s3cr3t/K3y=0451"
TEXTS = [f"Sentence number {n} about cells." for n in range(12)]


def every_encoding(key: str, *, whole: bool = True) -> list[str]:
    """The key as servers and libraries quote it back. ``whole=False``: only the part of each
    that depends on the key alone (inside a Basic auth header, the user name's base64 stays)."""
    data = key.encode()
    basic = base64.b64encode(b"user:" + data).decode()
    return [
        key,
        quote(key, safe=""),
        quote(key, safe="").replace("%2B", "%2b").replace("%2F", "%2f"),
        quote_plus(key),
        base64.b64encode(data).decode(),
        basic if whole else basic[8:-4],
        base64.urlsafe_b64encode(data).decode().rstrip("="),
        data.hex(),
        json.dumps(key)[1:-1],
    ]


def assert_no_key(text: str, key: str = KEY) -> None:
    for form in every_encoding(key, whole=False):
        assert form not in text, (form, text)
    for n in range(8, len(key)):  # no prefix of the key either (a message cut before redaction)
        assert key[:n] not in text, (key[:n], text)


def echo_everything(request) -> str:
    """A server's error that quotes the key back every way it can, and pads its message so
    the last copy lies beyond the 200 characters kept of it."""
    encodings = " ".join(every_encoding(KEY)[1:])
    return f"invalid key {encodings} " + "blah " * 40 + KEY


# --- keys: sent in the body or a header, masked in every encoding --------------------------


def test_the_libre_key_and_text_travel_in_the_body_not_the_url(libre_server: LibreServer) -> None:
    libre_server.api_key = KEY
    provider = make_provider("libre", ProviderSettings(url=libre_server.url, timeout=5), environ={"LIBRE_API_KEY": KEY})
    assert provider.translate_batch(["Cells divide."], "en", "ca") == ["[ca] Cells divide."]
    [request] = libre_server.translate_requests
    assert request.raw_path == "/translate" and request.query == {}
    assert request.body["api_key"] == KEY and request.body["q"] == "Cells divide."


def test_the_deepl_key_travels_in_a_header(libre_server: LibreServer) -> None:
    libre_server.deepl_key = KEY
    settings = ProviderSettings(url=libre_server.url + "deepl/", timeout=5)
    provider = make_provider("deepl", settings, environ={"DEEPL_API_KEY": KEY})
    assert provider.translate_batch(["Cells divide."], "en", "ca") == ["[ca] Cells divide."]
    [request] = libre_server.translate_requests
    assert request.raw_path == "/deepl/translate" and request.method == "POST"
    assert request.headers["Authorization"] == f"DeepL-Auth-Key {KEY}"
    assert "auth_key" not in request.params and KEY not in request.raw_path


@pytest.mark.parametrize("status", [400, 403, 500])
def test_a_key_echoed_in_any_encoding_is_masked_before_the_message_is_cut(
    libre_server: LibreServer, status: int
) -> None:
    libre_server.script(status, times=10)
    libre_server.error_text = echo_everything
    settings = ProviderSettings(url=libre_server.url, timeout=5, max_retries=0)
    provider = make_provider("libre", settings, environ={"LIBRE_API_KEY": KEY})
    with pytest.raises(ProviderFailure) as caught:
        provider.translate_batch(["Cells divide."], "en", "ca")
    message = str(caught.value)
    assert f"HTTP {status}" in message and "invalid key ***" in message
    assert_no_key(message)
    assert isinstance(caught.value, ProviderAuthError) == (status == 403)


def test_a_deepl_server_echoing_the_key_is_masked(libre_server: LibreServer) -> None:
    libre_server.deepl_key = "the-right-one"
    libre_server.error_text = echo_everything
    settings = ProviderSettings(url=libre_server.url + "deepl/", timeout=5)
    with pytest.raises(ProviderAuthError) as caught:
        make_provider("deepl", settings, environ={"DEEPL_API_KEY": KEY}).translate_batch(["Hi."], "en", "ca")
    assert_no_key(str(caught.value))


def test_log_records_are_scrubbed_once_a_key_was_read(libre_server: LibreServer) -> None:
    records: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record.getMessage())

    handler = Keep(level=logging.DEBUG)
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        libre_server.api_key = KEY
        provider = make_provider("libre", ProviderSettings(url=libre_server.url), environ={"LIBRE_API_KEY": KEY})
        provider.translate_batch(["Cells divide."], "en", "ca")
        logging.getLogger("some.library").debug("GET %s", f"{libre_server.url}translate?api_key={quote_plus(KEY)}")
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
    assert records and any("api_key=***" in line for line in records)
    assert_no_key("\n".join(records))
    assert redact.scrub(f"x {KEY} y") == "x *** y"


# --- hangs: a total deadline per request ---------------------------------------------------


def test_a_trickling_server_trips_the_deadline(libre_server: LibreServer) -> None:
    libre_server.trickle_seconds = 1.0  # one byte a second: no single wait reaches the 3 s timeout
    libre_server.slow_after = 2
    settings = ProviderSettings(url=libre_server.url, timeout=3, deadline=2, concurrency=1)
    provider = make_provider("libre", settings)
    results: dict[int, str] = {}
    started = time.monotonic()
    with pytest.raises(ProviderTimeout) as caught:
        provider.translate_batch(TEXTS, "en", "ca", on_result=results.__setitem__)
    assert "no complete answer within 2 s (deadline" in str(caught.value)
    assert caught.value.completed == results == {0: f"[ca] {TEXTS[0]}", 1: f"[ca] {TEXTS[1]}"}
    assert time.monotonic() - started < 30  # bounded at all (before: never returned)


def test_the_deadline_defaults_to_twice_the_timeout() -> None:
    assert ProviderSettings(timeout=3).request_deadline == 6
    assert ProviderSettings(timeout=3, deadline=10).request_deadline == 10
    with pytest.raises(ValueError, match="deadline must be positive"):
        ProviderSettings(deadline=0)


def test_a_stopped_batch_aborts_its_running_requests(libre_server: LibreServer) -> None:
    """The first failure stops the pool: requests hanging in other threads end at once."""
    libre_server.hang_seconds = 60
    libre_server.slow_after = 0
    libre_server.script(403)  # the first request to reach the server fails
    settings = ProviderSettings(url=libre_server.url, timeout=50, deadline=55, concurrency=4)
    started = time.monotonic()
    with pytest.raises(ProviderAuthError):
        make_provider("libre", settings).translate_batch(TEXTS, "en", "ca")
    assert time.monotonic() - started < 30  # not the 50 s the hanging requests would take


# --- through the CLI: pretranslate ---------------------------------------------------------


def use_libre(project_dir: Path, url: str, **settings: object) -> None:
    values = {"timeout": 3, "backoff_base": 0.01, "concurrency": 1, **settings}
    extra = "".join(f"\n{key} = {value}" for key, value in values.items())
    config = project_dir / "bpod-i18n.toml"
    text = config.read_text(encoding="utf-8").replace('provider = "apertium"', 'provider = "libre"')
    config.write_text(text.replace('url = "http://127.0.0.1:5000/"', f'url = "{url}"{extra}'), encoding="utf-8")


def machine_count(project: Project) -> tuple[int, int]:
    """(machine translations in ca, cache rows)."""
    with project.store.engine.connect() as conn:
        machine = conn.scalar(select(func.count()).select_from(Translation).where(Translation.state == "machine"))
        cached = conn.scalar(select(func.count()).select_from(MTCacheEntry))
    return machine or 0, cached or 0


def test_pretranslate_against_a_trickling_server_stops_at_the_deadline_and_keeps_what_came(
    cli, project: Project, project_dir: Path, libre_server: LibreServer
) -> None:
    assert cli("ingest", str(PAGES)).exit_code == 0
    libre_server.trickle_seconds = 1.0
    libre_server.slow_after = 3
    use_libre(project_dir, libre_server.url, deadline=2)
    result = cli("pretranslate", "-l", "ca")
    message = one_line_error(result, 1, "libre (", "no complete answer within 2 s (deadline")
    assert "3 machine translations stored before the failure" in message
    assert machine_count(project)[1] == 3


def test_pretranslate_with_a_server_echoing_the_key_prints_it_nowhere(
    cli, project_dir: Path, libre_server: LibreServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli("ingest", str(PAGES)).exit_code == 0
    monkeypatch.setenv("LIBRE_API_KEY", KEY)
    libre_server.script(403, times=100)
    libre_server.error_text = echo_everything
    use_libre(project_dir, libre_server.url)
    for args in ([], ["--json"]):
        result = cli("pretranslate", "-l", "ca", *args)
        one_line_error(result, 1, "HTTP 403: access refused: invalid key ***")
        assert_no_key(result.stdout + result.stderr)


# --- Ctrl-C: a real process, a real SIGINT --------------------------------------------------


def _pretranslate_process(project_dir: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "bpod_i18n", "-C", str(project_dir), "pretranslate", "-l", "ca"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )


def _wait_for(condition, what: str, limit: float = 60) -> None:
    give_up = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < give_up, f"timed out waiting for {what}"
        time.sleep(0.05)


@pytest.mark.parametrize("mode", ["trickle", "hang"])
def test_ctrl_c_cancels_the_pool_exits_130_and_keeps_the_finished_work(
    cli, project: Project, project_dir: Path, libre_server: LibreServer, mode: str
) -> None:
    assert cli("ingest", str(PAGES)).exit_code == 0
    libre_server.slow_after = 4
    if mode == "trickle":
        libre_server.trickle_seconds = 1.0
    else:
        libre_server.hang_seconds = 120
    use_libre(project_dir, libre_server.url, timeout=100, deadline=200, concurrency=4)
    run = _pretranslate_process(project_dir)
    try:
        # Four translations served, then four more requests stuck in the four worker threads.
        _wait_for(lambda: len(libre_server.translate_requests) >= 8, "requests in flight")
        time.sleep(0.5)
        run.send_signal(signal.SIGINT)
        interrupted = time.monotonic()
        stdout, stderr = run.communicate(timeout=60)
        stopped_after = time.monotonic() - interrupted
    finally:
        if run.poll() is None:
            run.kill()
    assert run.returncode == 130, stderr
    assert stderr.startswith("interrupted: work already committed is kept") and "Traceback" not in stderr
    assert len(stderr.strip().splitlines()) == 1 and stdout == ""
    assert stopped_after < 5, stopped_after  # a couple of seconds, not the 100 s a request may take
    machine, cached = machine_count(project)
    assert cached == 4 and machine >= 4  # the four finished results stored (a text may fill several units)

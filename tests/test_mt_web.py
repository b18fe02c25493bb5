"""Web providers: the real deep-translator client against a local LibreTranslate server."""

from __future__ import annotations

import itertools
import threading
import time

import pytest
from deep_translator import LibreTranslator
from mt_fixtures import closed_port_url, libre_server  # noqa: F401 - pytest fixtures
from mt_server import LibreServer

from bpod_i18n.errors import ConfigError, ProviderError, UsageError
from bpod_i18n.mt import (
    ProviderAuthError,
    ProviderFailure,
    ProviderQuotaError,
    ProviderSettings,
    ProviderTimeout,
    ProviderUnavailable,
    make_provider,
    settings_from_table,
)
from bpod_i18n.mt.transport import install


def libre(server_url: str, *, environ: dict[str, str] | None = None, **settings: object):
    fast = {"backoff_base": 0.01, "timeout": 5.0}
    fast.update(settings)
    return make_provider("libre", ProviderSettings(url=server_url, **fast), environ={} if environ is None else environ)


def test_translates_in_order_and_reports_each_result(libre_server: LibreServer) -> None:
    seen: dict[int, str] = {}
    provider = libre(libre_server.url.rstrip("/"))  # the trailing slash deep-translator needs is added
    texts = ["The BRCA1 gene.", "  Stem cells  ", "", "The BRCA1 gene."]

    out = provider.translate_batch(texts, "en", "ca", on_result=seen.__setitem__)

    assert out == ["[ca] The BRCA1 gene.", "  [ca] Stem cells  ", "", "[ca] The BRCA1 gene."]
    assert seen == dict(enumerate(out))
    # One request per distinct non-blank text; 'ca' accepted although deep-translator's list lacks it.
    sent = sorted(r.params["q"] for r in libre_server.translate_requests)
    assert sent == ["Stem cells", "The BRCA1 gene."]
    params = libre_server.translate_requests[0].params
    assert (params["source"], params["target"], params["format"]) == ("en", "ca", "text")
    assert "api_key" not in params  # self-hosted server without keys


def test_api_key_is_read_from_the_named_variable_at_call_time(libre_server: LibreServer) -> None:
    libre_server.api_key = "s3cret-key"
    environ: dict[str, str] = {}
    provider = libre(libre_server.url, environ=environ, api_key_env="MY_LIBRE_KEY")
    environ["MY_LIBRE_KEY"] = "s3cret-key"  # set after the provider was made

    assert provider.translate_batch(["Hello"], "en", "es") == ["[es] Hello"]
    assert libre_server.translate_requests[0].params["api_key"] == "s3cret-key"


def test_429_is_retried_after_retry_after(libre_server: LibreServer) -> None:
    libre_server.script(429, times=1, headers={"Retry-After": "1"})
    provider = libre(libre_server.url, concurrency=1)

    assert provider.translate_batch(["Hello"], "en", "ca") == ["[ca] Hello"]

    first, second = libre_server.translate_requests
    assert second.at - first.at >= 0.95  # waited as the server asked, not the 0.01 s backoff


def test_429_without_retry_after_backs_off_exponentially(libre_server: LibreServer) -> None:
    libre_server.script(429, times=3)
    provider = libre(libre_server.url, concurrency=1, backoff_base=0.1)

    assert provider.translate_batch(["Hello"], "en", "ca") == ["[ca] Hello"]

    times = [r.at for r in libre_server.translate_requests]
    gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
    assert len(gaps) == 3
    assert gaps[0] >= 0.1 and gaps[1] >= 0.2 and gaps[2] >= 0.4


def test_403_is_an_auth_error_that_never_shows_the_key(libre_server: LibreServer) -> None:
    libre_server.api_key = "the-right-key"
    provider = libre(libre_server.url, environ={"LIBRE_API_KEY": "wrong-key-4242"})

    with pytest.raises(ProviderAuthError) as caught:
        provider.translate_batch(["Hello"], "en", "ca")

    error = caught.value
    assert isinstance(error, ProviderError)
    assert error.status == 403 and error.provider == "libre"
    assert str(error) == (
        f"libre ({libre_server.url}translate): HTTP 403: access refused: Invalid API key (check the key in $LIBRE_API_KEY)"
    )
    assert "wrong-key-4242" not in repr(error.args)
    assert error.__context__ is None and error.__cause__ is None
    assert len(libre_server.translate_requests) == 1  # not retried


def test_quota_exhausted_mid_run_keeps_earlier_results(libre_server: LibreServer) -> None:
    libre_server.quota_after = 3
    seen: dict[int, str] = {}
    provider = libre(libre_server.url, concurrency=1, max_retries=2)
    texts = [f"Sentence {n}." for n in range(6)]

    with pytest.raises(ProviderQuotaError) as caught:
        provider.translate_batch(texts, "en", "ca", on_result=seen.__setitem__)

    expected = {0: "[ca] Sentence 0.", 1: "[ca] Sentence 1.", 2: "[ca] Sentence 2."}
    assert seen == expected
    assert caught.value.completed == expected
    assert caught.value.status == 429
    assert "still rate-limited after 2 retries: quota exceeded" in str(caught.value)
    # 3 served, then the 4th text tried 1 + 2 times; the last two never sent.
    assert len(libre_server.translate_requests) == 6


def test_456_is_a_quota_error_at_once(libre_server: LibreServer) -> None:
    libre_server.quota_after = 1
    libre_server.quota_status = 456
    provider = libre(libre_server.url, concurrency=1)

    with pytest.raises(ProviderQuotaError) as caught:
        provider.translate_batch(["One.", "Two.", "Three."], "en", "ca")

    assert caught.value.status == 456
    assert caught.value.completed == {0: "[ca] One."}
    assert len(libre_server.translate_requests) == 2


def test_hanging_server_hits_the_timeout_quickly(libre_server: LibreServer) -> None:
    libre_server.hang_seconds = 10
    provider = libre(libre_server.url, timeout=1.0)
    started = time.monotonic()

    with pytest.raises(ProviderTimeout) as caught:
        provider.translate_batch(["Hello"], "en", "ca")

    assert time.monotonic() - started < 3
    assert str(caught.value) == f"libre ({libre_server.url}translate): no answer within 1 s (timeout)"


def test_500_is_retried_then_unavailable(libre_server: LibreServer) -> None:
    libre_server.script(500, times=10, error="Internal error")
    provider = libre(libre_server.url, max_retries=2)

    with pytest.raises(ProviderUnavailable) as caught:
        provider.translate_batch(["Hello"], "en", "ca")

    assert caught.value.status == 500
    assert str(caught.value).endswith("HTTP 500 after 2 retries: Internal error")
    assert len(libre_server.translate_requests) == 3


def test_500_once_then_success(libre_server: LibreServer) -> None:
    libre_server.script(503)
    assert libre(libre_server.url).translate_batch(["Hello"], "en", "ca") == ["[ca] Hello"]
    assert len(libre_server.translate_requests) == 2


def test_other_4xx_is_not_retried(libre_server: LibreServer) -> None:
    libre_server.script(400, error="ca is not supported")
    with pytest.raises(ProviderFailure) as caught:
        libre(libre_server.url).translate_batch(["Hello"], "en", "ca")
    assert caught.value.status == 400
    assert str(caught.value).endswith("HTTP 400: ca is not supported")
    assert len(libre_server.translate_requests) == 1


def test_connection_refused_is_unavailable(closed_port_url: str) -> None:
    started = time.monotonic()
    with pytest.raises(ProviderUnavailable) as caught:
        libre(closed_port_url).translate_batch(["Hello"], "en", "ca")
    assert time.monotonic() - started < 3
    assert str(caught.value) == f"libre ({closed_port_url}translate): connection refused"


def test_deepl_key_stays_out_of_errors_although_it_travels_in_the_url(closed_port_url: str) -> None:
    provider = make_provider(
        "deepl", ProviderSettings(url=closed_port_url, timeout=2), environ={"DEEPL_API_KEY": "TOPSECRET:fx"}
    )
    with pytest.raises(ProviderUnavailable) as caught:
        provider.translate_batch(["Hello"], "en", "ca")
    assert str(caught.value) == f"deepl ({closed_port_url}translate): connection refused"
    assert "TOPSECRET" not in repr(caught.value.args)


def test_missing_key_for_a_keyed_provider_names_the_variable() -> None:
    provider = make_provider("deepl", ProviderSettings(api_key_env="BPOD_DEEPL"), environ={})
    with pytest.raises(ProviderAuthError, match=r"^deepl: no API key \(environment variable BPOD_DEEPL is not set\)$"):
        provider.translate_batch(["Hello"], "en", "ca")


def test_requests_run_in_parallel_and_results_reach_the_callers_thread(libre_server: LibreServer) -> None:
    libre_server.hang_seconds = 0.4
    threads: set[int] = set()
    provider = libre(libre_server.url, concurrency=4)
    started = time.monotonic()

    out = provider.translate_batch(
        [f"Text {n}" for n in range(8)], "en", "ca", on_result=lambda i, text: threads.add(threading.get_ident())
    )

    assert out == [f"[ca] Text {n}" for n in range(8)]
    assert time.monotonic() - started < 1.6  # 8 × 0.4 s one at a time would be 3.2 s
    assert threads == {threading.get_ident()}


def test_failing_callback_stops_the_batch(libre_server: LibreServer) -> None:
    def store(i: int, text: str) -> None:
        raise RuntimeError("database is locked")

    with pytest.raises(RuntimeError, match="database is locked"):
        libre(libre_server.url, concurrency=1).translate_batch(
            [f"T{n}" for n in range(20)], "en", "ca", on_result=store
        )
    assert len(libre_server.translate_requests) <= 2


def test_plain_deep_translator_is_unchanged_outside_providers(libre_server: LibreServer) -> None:
    install()
    client = LibreTranslator(source="en", target="es", api_key="k", custom_url=libre_server.url)
    assert client.translate("Hello") == "[es] Hello"


def test_unknown_provider_and_bad_settings() -> None:
    with pytest.raises(UsageError, match="unknown MT provider 'babel'"):
        make_provider("babel")
    with pytest.raises(ConfigError, match=r"\[mt.providers\]: unknown setting 'timout'"):
        settings_from_table({"timout": 3})
    assert settings_from_table({"url": "http://x/", "timeout": 3}).timeout == 3


def test_unreadable_reply_is_a_provider_error(libre_server: LibreServer) -> None:
    libre_server.translate = lambda text, source, target: None  # type: ignore[assignment,return-value]
    with pytest.raises(ProviderFailure) as caught:
        libre(libre_server.url).translate_batch(["Hello"], "en", "ca")
    assert str(caught.value) == f"libre ({libre_server.url}translate): unusable reply (no translation in the reply)"


def test_text_refused_by_the_client_is_named(libre_server: LibreServer) -> None:
    provider = make_provider("mymemory", ProviderSettings(url=libre_server.url))
    with pytest.raises(
        ProviderFailure,
        match=r"^mymemory \(http://127\.0\.0\.1:\d+/\): the client refused the text "
        r"before sending it \(NotValidLength\)$",
    ):
        provider.translate_batch(["x" * 600], "en", "ca")
    assert libre_server.requests == []

"""deep-translator clients for each web provider, freed of the checks that get in the way.

deep-translator checks language codes against built-in lists that lag behind the services
(its LibreTranslate list has no ``ca``), insists on a key for LibreTranslate even when a
self-hosted server has none, needs LibreTranslate's URL to end with ``/``, reads keys from
the environment at import time, and has Microsoft's constructor fetch the language list over
the network. The subclasses and builders below work around each of these; the request and
reply code of deep-translator itself is left as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import requests
from deep_translator.base import BaseTranslator
from deep_translator.constants import BASE_URLS
from deep_translator.deepl import DeeplTranslator
from deep_translator.google import GoogleTranslator
from deep_translator.libre import LibreTranslator
from deep_translator.microsoft import MicrosoftTranslator
from deep_translator.mymemory import MyMemoryTranslator

from bpod_i18n.mt.base import ProviderSettings
from bpod_i18n.mt.transport import Shape


class _AnyLanguage:
    """Let the server judge language codes.

    deep-translator checks codes against built-in lists that lag behind the services (its
    LibreTranslate list has no ``ca``); full names it knows are still mapped to codes.
    """

    _languages: dict[str, str]

    def _map_language_to_code(self, *languages: str):
        for language in languages:
            yield self._languages.get(language, language)


class _Libre(_AnyLanguage, LibreTranslator):
    pass


class _Deepl(_AnyLanguage, DeeplTranslator):
    pass


class _Google(_AnyLanguage, GoogleTranslator):
    pass


class _MyMemory(_AnyLanguage, MyMemoryTranslator):
    pass


class _Microsoft(_AnyLanguage, MicrosoftTranslator):
    def _get_supported_languages(self) -> dict[str, str]:
        # The base class fetches the list over the network, unbounded, in the constructor.
        return {}


def _with_slash(url: str) -> str:
    return url if url.endswith("/") else url + "/"


TranslatorFactory = Callable[[str, str, str | None, ProviderSettings], BaseTranslator]


def _build_libre(source: str, target: str, key: str | None, settings: ProviderSettings) -> BaseTranslator:
    url = _with_slash(settings.url or BASE_URLS["LIBRE"])  # it posts to <url>translate
    # The constructor refuses to run without a key, even for a self-hosted server that has none.
    translator = _Libre(source=source, target=target, api_key=key or "-", use_free_api=False, custom_url=url)
    translator.api_key = key  # None: no api_key parameter is sent
    return translator


def _build_deepl(source: str, target: str, key: str | None, settings: ProviderSettings) -> BaseTranslator:
    assert key is not None
    translator = _Deepl(source=source, target=target, api_key=key, use_free_api=key.endswith(":fx"))
    if settings.url:
        translator._base_url = _with_slash(settings.url)
    return translator


def _build_google(source: str, target: str, key: str | None, settings: ProviderSettings) -> BaseTranslator:
    translator = _Google(source=source, target=target)
    if settings.url:
        translator._base_url = settings.url
    return translator


def _build_mymemory(source: str, target: str, key: str | None, settings: ProviderSettings) -> BaseTranslator:
    translator = _MyMemory(source=source, target=target)
    if settings.url:
        translator._base_url = settings.url
    return translator


def _build_microsoft(source: str, target: str, key: str | None, settings: ProviderSettings) -> BaseTranslator:
    translator = _Microsoft(source=source, target=target, api_key=key, region=settings.region)
    if settings.url:
        translator._base_url = settings.url
    return translator


def _libre_body(method: str, url: str, kwargs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """LibreTranslate reads its parameters from a form body as well as from the query string;
    deep-translator sends them all (``api_key`` and the text too) as the query string, which
    servers and proxies log. Send them as the form body of the same POST instead."""
    params = kwargs.pop("params", None)
    if method.upper() == "POST" and params and kwargs.get("data") is None and kwargs.get("json") is None:
        kwargs["data"] = params
    elif params is not None:
        kwargs["params"] = params
    return method, kwargs


def _deepl_header(method: str, url: str, kwargs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """DeepL takes the key in an ``Authorization: DeepL-Auth-Key`` header (its query-string
    ``auth_key`` is deprecated) and the text in a form body: a POST with both, instead of
    deep-translator's GET with everything in the URL."""
    params = dict(kwargs.pop("params", None) or {})
    key = params.pop("auth_key", None)
    headers = dict(kwargs.get("headers") or {})
    if key:
        headers["Authorization"] = f"DeepL-Auth-Key {key}"
    kwargs["headers"] = headers
    if url.rstrip("/").endswith("/translate") and kwargs.get("data") is None:
        kwargs["data"] = params
        return "POST", kwargs
    kwargs["params"] = params
    return method, kwargs


def _mymemory_status(response: requests.Response) -> int | None:
    # MyMemory answers 200 with {"responseStatus": 403, "responseData": {"translatedText":
    # "MYMEMORY WARNING: YOU USED ALL AVAILABLE FREE TRANSLATIONS..."}} when the quota is gone.
    # MyMemory has no keys, so its 403 is the daily quota: report it as a quota error (456).
    try:
        status = int(response.json().get("responseStatus", 200))
    except (ValueError, TypeError, AttributeError):
        return None
    return 456 if status == 403 else status


@dataclass(frozen=True)
class WebSpec:
    """One web provider: how to build its deep-translator client and whether it needs a key."""

    name: str
    build: TranslatorFactory
    key_required: bool
    default_key_env: str | None
    # Some services answer 200 and put the real status in the body.
    body_status: Callable[[requests.Response], int | None] | None = None
    # Moves the key (and the text) out of the query string deep-translator puts it in.
    shape_request: Shape | None = None


WEB_PROVIDERS: dict[str, WebSpec] = {
    spec.name: spec
    for spec in (
        WebSpec("libre", _build_libre, key_required=False, default_key_env="LIBRE_API_KEY", shape_request=_libre_body),
        WebSpec("deepl", _build_deepl, key_required=True, default_key_env="DEEPL_API_KEY", shape_request=_deepl_header),
        WebSpec("google", _build_google, key_required=False, default_key_env=None),
        WebSpec("mymemory", _build_mymemory, key_required=False, default_key_env=None, body_status=_mymemory_status),
        WebSpec("microsoft", _build_microsoft, key_required=True, default_key_env="MICROSOFT_API_KEY"),
    )
}

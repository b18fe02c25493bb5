"""Machine pre-translation: providers, term protection and the translation memory.

The workflow layer calls ``make_provider`` (or ``provider_from_config``), ``TranslationMemory``
and ``GlossaryGuard``; nothing here touches the database or prints.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from typing import Any

from bpod_i18n.errors import ConfigError, UsageError
from bpod_i18n.mt.apertium import ApertiumProvider
from bpod_i18n.mt.base import (
    Provider,
    ProviderAuthError,
    ProviderFailure,
    ProviderQuotaError,
    ProviderSettings,
    ProviderTimeout,
    ProviderUnavailable,
    ResultCallback,
)
from bpod_i18n.mt.protect import GlossaryGuard, GuardedTranslation, MTNote, translate_with_glossary
from bpod_i18n.mt.tm import TMMatch, TMRecord, TranslationMemory
from bpod_i18n.mt.web import WEB_PROVIDERS, WebProvider

PROVIDER_NAMES = ("apertium", *sorted(WEB_PROVIDERS))


def make_provider(
    name: str, settings: ProviderSettings | None = None, *, environ: Mapping[str, str] | None = None
) -> Provider:
    """A provider by name (apertium, deepl, google, libre, microsoft, mymemory).

    ``environ`` replaces ``os.environ`` as the place API keys are read from (tests).
    """
    settings = settings or ProviderSettings()
    if name == "apertium":
        return ApertiumProvider(settings)
    spec = WEB_PROVIDERS.get(name)
    if spec is None:
        raise UsageError(f"unknown MT provider {name!r} (choose from {', '.join(PROVIDER_NAMES)})")
    return WebProvider(spec, settings, environ=environ)


def settings_from_table(table: Mapping[str, Any], *, where: str = "[mt.providers]") -> ProviderSettings:
    """Settings from a parsed ``[mt.providers.<name>]`` TOML table; unknown keys are errors."""
    known = {f.name for f in fields(ProviderSettings)}
    unknown = sorted(set(table) - known)
    if unknown:
        raise ConfigError(f"{where}: unknown setting {unknown[0]!r} (known: {', '.join(sorted(known))})")
    try:
        return ProviderSettings(**dict(table))
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{where}: {exc}") from None


def provider_from_config(mt_section: Mapping[str, Any], name: str | None = None) -> Provider:
    """The provider named ``name`` (default ``mt.provider``) with its ``[mt.providers.<name>]``."""
    chosen = name or mt_section.get("provider") or "apertium"
    table = (mt_section.get("providers") or {}).get(chosen, {})
    return make_provider(chosen, settings_from_table(table, where=f"[mt.providers.{chosen}]"))


__all__ = [
    "PROVIDER_NAMES",
    "ApertiumProvider",
    "GlossaryGuard",
    "GuardedTranslation",
    "MTNote",
    "Provider",
    "ProviderAuthError",
    "ProviderFailure",
    "ProviderQuotaError",
    "ProviderSettings",
    "ProviderTimeout",
    "ProviderUnavailable",
    "ResultCallback",
    "TMMatch",
    "TMRecord",
    "TranslationMemory",
    "WebProvider",
    "make_provider",
    "provider_from_config",
    "settings_from_table",
    "translate_with_glossary",
]

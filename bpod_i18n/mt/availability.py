"""Which providers can work on this machine: plain data for `bpod-i18n mt providers`.

Reads the `[mt]` settings and the environment; asks no provider anything over the network
and never reveals a key (only whether its variable is set).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from bpod_i18n.errors import BpodError
from bpod_i18n.mt import PROVIDER_NAMES, ApertiumProvider, Provider, WebProvider, make_provider, settings_from_table


@dataclass(frozen=True)
class ProviderStatus:
    name: str
    default: bool
    usable: bool
    detail: str  # engine modes, endpoint, key variable and whether it is set (never the key)

    def to_dict(self) -> dict:
        return asdict(self)


def provider_statuses(
    mt_settings: Mapping[str, Any], source: str, locales: Sequence[str], environ: Mapping[str, str] | None = None
) -> list[ProviderStatus]:
    """Every provider and whether it can work here for ``source`` → each of ``locales``."""
    environ = os.environ if environ is None else environ
    default = mt_settings.get("provider") or "apertium"
    out = []
    for name in PROVIDER_NAMES:
        try:
            provider = make_provider(
                name,
                settings_from_table((mt_settings.get("providers") or {}).get(name, {}), where=f"[mt.providers.{name}]"),
                environ=environ,
            )
            usable, detail = _usable(provider, source, locales, environ)
        except BpodError as exc:  # a bad [mt.providers] table, apertium missing...
            usable, detail = False, str(exc)
        out.append(ProviderStatus(name, name == default, usable, detail))
    return out


def _usable(provider: Provider, source: str, locales: Sequence[str], environ: Mapping[str, str]) -> tuple[bool, str]:
    if isinstance(provider, ApertiumProvider):
        modes = {provider.mode_for(source, locale) for locale in locales}
        installed = provider.installed_modes()
        missing = sorted(modes - installed)
        have = ", ".join(sorted(modes & installed)) or "no mode"
        return not missing, f"{have} installed" + (f"; missing {', '.join(missing)}" if missing else "")
    assert isinstance(provider, WebProvider)
    url = provider.settings.url or "the public endpoint"
    env = provider.key_env
    if env is None:
        return True, f"{url}; no key needed"
    present = bool(environ.get(env))
    needed = "needed" if provider.spec.key_required else "optional"
    return (
        present or not provider.spec.key_required,
        f"{url}; key ({needed}) from ${env}: {'set' if present else 'not set'}",
    )

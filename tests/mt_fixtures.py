"""Pytest fixtures for the MT tests (imported by tests/test_mt_*.py, not a conftest)."""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import Iterator

import pytest
from mt_server import LibreServer


@pytest.fixture
def libre_server() -> Iterator[LibreServer]:
    """A fresh LibreTranslate-speaking server on 127.0.0.1 for one test."""
    with LibreServer() as server:
        yield server


@pytest.fixture
def closed_port_url() -> str:
    """A URL on 127.0.0.1 where nothing listens (connection refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


def require_apertium(*modes: str) -> None:
    """Fail loudly when Apertium or a mode is missing; skip only if the environment allows it.

    CI installs apertium-eng-cat and apertium-eng-spa, so a missing engine there is a broken
    setup, not a reason to pass quietly. Set BPOD_I18N_ALLOW_MISSING_APERTIUM=1 to skip.
    """
    missing: list[str] = []
    if shutil.which("apertium") is None:
        missing.append("the apertium command")
    else:
        from bpod_i18n.mt import ApertiumProvider, ProviderSettings

        installed = ApertiumProvider(ProviderSettings()).installed_modes()
        missing += [f"mode {mode}" for mode in modes if mode not in installed]
    if not missing:
        return
    reason = (
        f"Apertium is not usable: missing {', '.join(missing)} "
        "(apt-get install apertium apertium-eng-cat apertium-eng-spa)"
    )
    if os.environ.get("BPOD_I18N_ALLOW_MISSING_APERTIUM") == "1":
        pytest.skip(reason + "; skipped because BPOD_I18N_ALLOW_MISSING_APERTIUM=1")
    pytest.fail(reason + "; set BPOD_I18N_ALLOW_MISSING_APERTIUM=1 to skip these tests instead", pytrace=False)

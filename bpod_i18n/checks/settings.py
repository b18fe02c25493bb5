"""The gate settings, from their own module (bpod_i18n/gate_settings.py), which every command
can load at start-up without the checks package; kept importable under this name."""

from bpod_i18n.gate_settings import (
    OFF,
    REQUIRED_ALL,
    REQUIRED_DATED,
    SEVERITY_NAMES,
    GateSettings,
    Required,
    parse_required,
    parse_severity,
)

__all__ = [
    "OFF",
    "REQUIRED_ALL",
    "REQUIRED_DATED",
    "SEVERITY_NAMES",
    "GateSettings",
    "Required",
    "parse_required",
    "parse_severity",
]

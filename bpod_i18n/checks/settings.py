"""Gate settings: how much unfinished work a locale may carry, which entries must be done,
which checks are errors. Read from the ``[check]`` table of ``bpod-i18n.toml``; CLI options win.

```toml
[check]
max_untranslated = 0          # or "unlimited"
max_fuzzy = 0
min_reviewed_percent = 100    # needs the database (review states are not in PO files)
required = "dated"            # "all" | "dated" (entries dated up to today) | ["2016-07-22-massing-to-defend", ...]
errors = ["same-as-source"]   # severity overrides by check id
warnings = ["numbers"]
off = ["repeated-word"]
length_ratio = [0.5, 2.0]
check_fuzzy = true            # QA checks on fuzzy units too (their errors become warnings)

[check.locales.es]
max_fuzzy = 10
```
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bpod_i18n.checks.base import Severity
from bpod_i18n.errors import ConfigError

OFF = "off"
REQUIRED_ALL = "all"
REQUIRED_DATED = "dated"
_UNLIMITED = ("unlimited", "none")
_SEVERITY_LISTS = {"errors": Severity.ERROR.value, "warnings": Severity.WARNING.value, "notices": Severity.NOTICE.value, "off": OFF}
_KEYS = {"max_untranslated", "max_fuzzy", "min_reviewed_percent", "required", "severity", "length_ratio", "check_fuzzy", "locales", *_SEVERITY_LISTS}

Required = str | tuple[str, ...]  # "all", "dated", or the slugs that must be done


@dataclass(frozen=True)
class GateSettings:
    """The gate for one locale (``locales`` holds the per-locale variants, already merged)."""

    max_untranslated: int | None = 0  # None: no limit
    max_fuzzy: int | None = 0
    min_reviewed_percent: float | None = None  # only checked when review states are given
    required: Required = REQUIRED_ALL
    severities: Mapping[str, str] = field(default_factory=dict)  # check id -> error|warning|notice|off
    length_ratio: tuple[float, float] = (0.5, 2.0)
    check_fuzzy: bool = True
    locales: Mapping[str, GateSettings] = field(default_factory=dict)

    def for_locale(self, locale: str) -> GateSettings:
        """Settings of one locale: its own table ("pt_BR", then "pt"), else the defaults."""
        code = locale.replace("-", "_")
        for key in (code, code.split("_")[0]):
            if key in self.locales:
                return self.locales[key]
        return dataclasses.replace(self, locales={})

    def override(self, **changes: Any) -> GateSettings:
        """The same settings with ``changes`` applied everywhere, per-locale tables included.

        ``severities`` given here are merged into the existing ones (command-line options
        such as ``--error numbers`` add to the configuration rather than replace it).
        """
        unknown = set(changes) - {f.name for f in dataclasses.fields(self)} - {"locales"}
        if unknown or "locales" in changes:
            raise TypeError(f"cannot override {sorted(unknown | ({'locales'} & set(changes)))}")

        def apply(settings: GateSettings) -> GateSettings:
            values = dict(changes)
            if "severities" in values:
                values["severities"] = dict({**settings.severities, **values["severities"]})
            return dataclasses.replace(settings, **values)

        return dataclasses.replace(apply(self), locales=dict({lc: apply(s) for lc, s in self.locales.items()}))

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], *, path: str | Path | None = None, table: str = "check") -> GateSettings:
        """Settings from the ``[check]`` table of the TOML config; ConfigError names the bad key."""
        if not isinstance(data, Mapping):
            raise ConfigError(f"[{table}] must be a table", path=path)
        base = _apply_mapping(cls(), data, path=path, table=table, allow_locales=True)
        locales = data.get("locales", {})
        if not isinstance(locales, Mapping):
            raise ConfigError(f"{table}.locales must be a table of locale tables", path=path)
        merged = {}
        for locale, overrides in locales.items():
            if not isinstance(overrides, Mapping):
                raise ConfigError(f"{table}.locales.{locale} must be a table", path=path)
            merged[str(locale).replace("-", "_")] = _apply_mapping(
                base, overrides, path=path, table=f"{table}.locales.{locale}", allow_locales=False
            )
        return dataclasses.replace(base, locales=dict(merged))


def _apply_mapping(base: GateSettings, data: Mapping[str, Any], *, path: str | Path | None, table: str, allow_locales: bool) -> GateSettings:
    allowed = _KEYS if allow_locales else _KEYS - {"locales"}
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ConfigError(f"{table}: unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(_KEYS))}", path=path)
    values: dict[str, Any] = {}
    for key in ("max_untranslated", "max_fuzzy"):
        if key in data:
            values[key] = _limit(data[key], f"{table}.{key}", path)
    if "min_reviewed_percent" in data:
        value = data["min_reviewed_percent"]
        if isinstance(value, str) and value.lower() in _UNLIMITED:
            values["min_reviewed_percent"] = None
        elif isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
            raise ConfigError(f"{table}.min_reviewed_percent must be a number from 0 to 100, not {value!r}", path=path)
        else:
            values["min_reviewed_percent"] = float(value)
    if "required" in data:
        values["required"] = parse_required(data["required"], f"{table}.required", path)
    if "length_ratio" in data:
        ratio = data["length_ratio"]
        if (
            not isinstance(ratio, list | tuple)
            or len(ratio) != 2
            or not all(isinstance(x, int | float) and not isinstance(x, bool) for x in ratio)
            or not 0 <= ratio[0] < ratio[1]
        ):
            raise ConfigError(f"{table}.length_ratio must be [low, high] with 0 <= low < high, not {ratio!r}", path=path)
        values["length_ratio"] = (float(ratio[0]), float(ratio[1]))
    if "check_fuzzy" in data:
        if not isinstance(data["check_fuzzy"], bool):
            raise ConfigError(f"{table}.check_fuzzy must be true or false, not {data['check_fuzzy']!r}", path=path)
        values["check_fuzzy"] = data["check_fuzzy"]
    severities = dict(base.severities)
    if "severity" in data:
        table_value = data["severity"]
        if not isinstance(table_value, Mapping):
            raise ConfigError(f"{table}.severity must be a table of check id = severity", path=path)
        for check_id, severity in table_value.items():
            severities[str(check_id)] = parse_severity(severity, f"{table}.severity.{check_id}", path)
    for key, severity in _SEVERITY_LISTS.items():
        if key in data:
            ids = data[key]
            if not isinstance(ids, list | tuple) or not all(isinstance(x, str) for x in ids):
                raise ConfigError(f"{table}.{key} must be a list of check ids, not {ids!r}", path=path)
            severities.update(dict.fromkeys(ids, severity))
    values["severities"] = dict(severities)
    return dataclasses.replace(base, **values)


def _limit(value: Any, where: str, path: str | Path | None) -> int | None:
    if isinstance(value, str) and value.lower() in _UNLIMITED:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConfigError(f'{where} must be a whole number >= 0 or "unlimited", not {value!r}', path=path)
    return value


def parse_required(value: Any, where: str = "required", path: str | Path | None = None) -> Required:
    """"all", "dated" (also "dated up to today"), or a list of entry slugs."""
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered == REQUIRED_ALL:
            return REQUIRED_ALL
        if lowered in (REQUIRED_DATED, "dated up to today"):
            return REQUIRED_DATED
        raise ConfigError(f'{where} must be "all", "dated" or a list of entry slugs, not {value!r}', path=path)
    if isinstance(value, list | tuple) and all(isinstance(slug, str) and slug for slug in value):
        return tuple(value)
    raise ConfigError(f'{where} must be "all", "dated" or a list of entry slugs, not {value!r}', path=path)


def parse_severity(value: Any, where: str = "severity", path: str | Path | None = None) -> str:
    allowed = [s.value for s in Severity] + [OFF]
    if not isinstance(value, str) or value.lower() not in allowed:
        raise ConfigError(f"{where} must be one of {', '.join(allowed)}, not {value!r}", path=path)
    return value.lower()

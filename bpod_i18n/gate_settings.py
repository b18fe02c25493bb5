"""Gate settings: how much unfinished work a locale may carry, which entries must be done,
which checks are errors. Read from the ``[check]`` table of ``bpod-i18n.toml``; CLI options win.

This is the one place the ``[check]`` table is validated. It lives outside ``checks/`` because
every command reads the whole settings file at start-up, and importing the ``checks`` package
(its readers and the QA checks) would cost each of them 0.15 s. A bad value raises ConfigError
carrying the key path; ``config.py`` turns that into the file and line.

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
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bpod_i18n.errors import ConfigError
from bpod_i18n.tomlkeys import KeyPath, dotted, show, table_name

OFF = "off"
REQUIRED_ALL = "all"
REQUIRED_DATED = "dated"
# The values of checks.base.Severity (a test holds the two together): importing that module
# here would load the checks package.
SEVERITY_NAMES = ("error", "warning", "notice")
_UNLIMITED = ("unlimited", "none")
_SEVERITY_LISTS = {"errors": "error", "warnings": "warning", "notices": "notice", "off": OFF}
_KEYS = {
    "max_untranslated",
    "max_fuzzy",
    "min_reviewed_percent",
    "required",
    "severity",
    "length_ratio",
    "check_fuzzy",
    "locales",
    *_SEVERITY_LISTS,
}

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
    # check id -> the config key that set its severity, so that an unknown id (known only
    # once the registry is loaded) is reported at its line; ids set on the command line: absent.
    origins: Mapping[str, KeyPath] = field(default_factory=dict, compare=False, repr=False)

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
        unknown = set(changes) - {f.name for f in dataclasses.fields(self)} - {"locales", "origins"}
        if unknown or "locales" in changes or "origins" in changes:
            raise TypeError(f"cannot override {sorted(unknown | ({'locales', 'origins'} & set(changes)))}")

        def apply(settings: GateSettings) -> GateSettings:
            values = dict(changes)
            if "severities" in values:
                values["severities"] = {**settings.severities, **values["severities"]}
                values["origins"] = {k: v for k, v in settings.origins.items() if k not in changes["severities"]}
            return dataclasses.replace(settings, **values)

        return dataclasses.replace(apply(self), locales={lc: apply(s) for lc, s in self.locales.items()})

    @classmethod
    def from_mapping(
        cls,
        data: Mapping[str, Any],
        *,
        path: str | Path | None = None,
        key: KeyPath = ("check",),
        locales: Collection[str] | None = None,
    ) -> GateSettings:
        """Settings from the ``[check]`` table of the TOML config; ConfigError names the bad key.

        ``locales``: the project's locales; a ``[check.locales.<lc>]`` table must name one of
        them (or its language: ``pt`` applies to ``pt_BR``). None: any name is taken.
        """
        if not isinstance(data, Mapping):
            raise ConfigError(f"{table_name(key)} must be a table, not {show(data)}", path=path, key=key)
        base = _apply_mapping(cls(), data, path=path, key=key, allow_locales=True)
        tables = data.get("locales", {})
        if not isinstance(tables, Mapping):
            raise ConfigError(
                f"{table_name(key)} locales must be a table of locale tables, not {show(tables)}",
                path=path,
                key=(*key, "locales"),
            )
        merged = {}
        for locale, overrides in tables.items():
            where = (*key, "locales", locale)
            code = str(locale).replace("-", "_")
            if locales is not None and code not in locales and code not in {lc.split("_")[0] for lc in locales}:
                raise ConfigError(
                    f"{table_name(where)}: {locale!s} is not one of the project's locales ({', '.join(locales)})",
                    path=path,
                    key=where,
                )
            if not isinstance(overrides, Mapping):
                raise ConfigError(f"{dotted(where)} must be a table, not {show(overrides)}", path=path, key=where)
            merged[code] = _apply_mapping(base, overrides, path=path, key=where, allow_locales=False)
        return dataclasses.replace(base, locales=dict(merged))


def _apply_mapping(
    base: GateSettings, data: Mapping[str, Any], *, path: str | Path | None, key: KeyPath, allow_locales: bool
) -> GateSettings:
    table = table_name(key)
    allowed = _KEYS if allow_locales else _KEYS - {"locales"}
    for name in data:
        if name not in allowed:
            raise ConfigError(
                f"{table} unknown setting {show(name)} (known: {', '.join(sorted(allowed))})",
                path=path,
                key=(*key, name),
            )

    def bad(name: str, expected: str) -> ConfigError:
        return ConfigError(f"{table} {name} must be {expected}, not {show(data[name])}", path=path, key=(*key, name))

    values: dict[str, Any] = {}
    for name in ("max_untranslated", "max_fuzzy"):
        if name in data:
            try:
                values[name] = parse_limit(data[name])
            except ValueError as exc:
                raise bad(name, str(exc)) from None
    if "min_reviewed_percent" in data:
        value = data["min_reviewed_percent"]
        if isinstance(value, str) and value.lower() in _UNLIMITED:
            values["min_reviewed_percent"] = None
        elif isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
            raise bad("min_reviewed_percent", "a number from 0 to 100")
        else:
            values["min_reviewed_percent"] = float(value)
    if "required" in data:
        try:
            values["required"] = parse_required(data["required"])
        except ConfigError:
            raise bad("required", '"all", "dated" or a list of entry slugs') from None
    if "length_ratio" in data:
        ratio = data["length_ratio"]
        if (
            not isinstance(ratio, list | tuple)
            or len(ratio) != 2
            or not all(isinstance(x, int | float) and not isinstance(x, bool) for x in ratio)
            or not 0 <= ratio[0] < ratio[1]
        ):
            raise bad("length_ratio", "[low, high] with 0 <= low < high")
        values["length_ratio"] = (float(ratio[0]), float(ratio[1]))
    if "check_fuzzy" in data:
        if not isinstance(data["check_fuzzy"], bool):
            raise bad("check_fuzzy", "true or false")
        values["check_fuzzy"] = data["check_fuzzy"]
    severities = dict(base.severities)
    origins = dict(base.origins)
    if "severity" in data:
        table_value = data["severity"]
        if not isinstance(table_value, Mapping):
            raise bad("severity", "a table of check id = severity")
        for check_id, severity in table_value.items():
            where = (*key, "severity", check_id)
            try:
                severities[str(check_id)] = parse_severity(severity)
            except ConfigError:
                raise ConfigError(
                    f"{table} severity.{check_id} must be one of {', '.join([*SEVERITY_NAMES, OFF])}, "
                    f"not {show(severity)}",
                    path=path,
                    key=where,
                ) from None
            origins[str(check_id)] = where
    for name, severity in _SEVERITY_LISTS.items():
        if name in data:
            ids = data[name]
            if not isinstance(ids, list | tuple) or not all(isinstance(x, str) for x in ids):
                raise bad(name, "a list of check ids")
            severities.update(dict.fromkeys(ids, severity))
            origins.update(dict.fromkeys(ids, (*key, name)))
    values["severities"] = dict(severities)
    values["origins"] = origins
    return dataclasses.replace(base, **values)


def parse_limit(value: Any, *, from_text: bool = False) -> int | None:
    """A limit of units (``max_untranslated``, ``max_fuzzy``, and their command-line options):
    a whole number >= 0, or "unlimited" (None). ``from_text``: the value was typed on a command
    line, where "12" is a number. ValueError says what is expected."""
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _UNLIMITED:
            return None
        if from_text and word.isdigit():
            return int(word)
    elif isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    raise ValueError('a whole number >= 0 or "unlimited"')


def parse_required(value: Any, where: str = "required", path: str | Path | None = None) -> Required:
    """ "all", "dated" (also "dated up to today"), or a list of entry slugs."""
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered == REQUIRED_ALL:
            return REQUIRED_ALL
        if lowered in (REQUIRED_DATED, "dated up to today"):
            return REQUIRED_DATED
        raise ConfigError(f'{where} must be "all", "dated" or a list of entry slugs, not {show(value)}', path=path)
    if isinstance(value, list | tuple) and all(isinstance(slug, str) and slug for slug in value):
        return tuple(value)
    raise ConfigError(f'{where} must be "all", "dated" or a list of entry slugs, not {show(value)}', path=path)


def parse_severity(value: Any, where: str = "severity", path: str | Path | None = None) -> str:
    allowed = [*SEVERITY_NAMES, OFF]
    if not isinstance(value, str) or value.lower() not in allowed:
        raise ConfigError(f"{where} must be one of {', '.join(allowed)}, not {show(value)}", path=path)
    return value.lower()

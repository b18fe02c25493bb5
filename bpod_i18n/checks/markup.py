"""Things a translation must carry over untouched: HTML tags, placeholders, URLs, e-mail addresses."""

from __future__ import annotations

import re
from collections import Counter

from bpod_i18n.checks.base import Check, Severity, UnitText, describe_counter

_TAG = re.compile(r"<(/?)([A-Za-z][\w:-]*)(?:\s[^<>]*?)?\s*(/?)>")
# printf: %s %d %1$s %(name)s %.2f %% — no space flag ("50% of" is prose, not "% o"), and not
# right after a digit ("50%s" does not happen in prose; "50%" does).
_PRINTF = re.compile(
    r"(?<![0-9%])%(?:\((?P<name>\w+)\)|(?P<position>[1-9][0-9]*)\$)?[-+#0]*[0-9]*(?:\.[0-9]+)?[hlLqjzt]*[sdifuxXeEgGcr]"
)
# Python/ICU-style braces {name} {0} {name!r:>10} and Jinja {{ name }}.
_BRACES = re.compile(r"\{\{\s*[\w.]+\s*\}\}|\{(?:[A-Za-z_][\w.]*|[0-9]*)(?:![rsa])?(?::[^{}]*)?\}")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"“”«»]+")
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_URL_TRAILING = ".,;:!?)]}'’"


def _tags(text: str) -> Counter[str]:
    if "<" not in text:
        return Counter()
    return Counter(
        f"<{slash}{name.lower()}{'/' if self_closing else ''}>" for slash, name, self_closing in _TAG.findall(text)
    )


def _difference(source: Counter[str], target: Counter[str], what: str) -> str | None:
    if source == target:
        return None
    missing, extra = source - target, target - source
    parts = []
    if missing:
        parts.append(f"missing {what} {describe_counter(missing)}")
    if extra:
        parts.append(f"extra {what} {describe_counter(extra)}")
    return "; ".join(parts)


class Markup(Check):
    check_id = "markup"
    name = "HTML tags"
    description = (
        "The translation does not have the same HTML/XML tags as the source (<em>, <a>, </i>, <br/>); "
        "attributes may change."
    )
    message = "Tags differ"
    severity = Severity.ERROR

    def check(self, unit: UnitText) -> str | None:
        if "<" not in unit.source and "<" not in unit.target:
            return None
        return _difference(_tags(unit.source), _tags(unit.target), "tags")


class Placeholders(Check):
    check_id = "placeholders"
    name = "Placeholders"
    description = (
        "The translation does not have the same placeholders as the source: printf (%s, %d, %1$s, "
        "%(name)s) and braces ({name}, {0}, {{ name }})."
    )
    message = "Placeholders differ"
    severity = Severity.ERROR

    def check(self, unit: UnitText) -> str | None:
        source, target = unit.source, unit.target
        if "%" not in source and "%" not in target and "{" not in source and "{" not in target:
            return None
        found_source = Counter(m.group() for m in _PRINTF.finditer(source))
        found_target = Counter(m.group() for m in _PRINTF.finditer(target))
        found_source.update(_BRACES.findall(source))
        found_target.update(_BRACES.findall(target))
        return _difference(found_source, found_target, "placeholders")


def _urls(text: str) -> set[str]:
    return {url.rstrip(_URL_TRAILING) for url in _URL.findall(text)}


class Urls(Check):
    check_id = "urls"
    name = "URLs"
    description = "The translation does not contain the same URLs as the source (a link changed, dropped or added)."
    message = "URLs differ"

    def check(self, unit: UnitText) -> str | None:
        source, target = unit.source, unit.target
        if "://" not in source + target and "www." not in source + target:
            return None
        return _difference(Counter(_urls(source)), Counter(_urls(target)), "URLs")


class Emails(Check):
    check_id = "emails"
    name = "E-mail addresses"
    description = "The translation does not contain the same e-mail addresses as the source."
    message = "E-mail addresses differ"

    def check(self, unit: UnitText) -> str | None:
        if "@" not in unit.source and "@" not in unit.target:
            return None
        return _difference(
            Counter(set(_EMAIL.findall(unit.source))), Counter(set(_EMAIL.findall(unit.target))), "e-mail addresses"
        )

"""Numbers read by each side's own conventions: "1,000" in English is "1.000" in Catalan.

The source is read with English (CLDR) symbols, the translation with its locale's: decimal
comma and period (or no-break space) digit groups for ca/es, so 3.5 ↔ 3,5 and 1,000 ↔ 1.000
are the same numbers, while an English-looking "1,000" left in a Catalan text reads as one.
A unit after a number (µm, kDa, %, °C) must match too, compared after NFKC, so the micro sign
and the Greek mu are the same unit here (``unicode-variant`` reports the switch itself).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from bpod_i18n.checks.base import SOURCE_LOCALE, Check, LocaleRules, Severity, UnitText, locale_rules

_SEPARATORS = ".,\u00a0\u202f\u2009"
_UNIT = (
    r"(?:[ \u00a0\u202f\u2009]?"
    r"(?P<unit>%|‰|[°º]\s?[CF]|[pnµμumcdkMGT]?(?:mol|Hz|Da|bp|Gy|Sv|Bq|Pa|[mgLlsMVWJ])|"
    r"kb|Mb|nt|aa|[ÅÅK]|h|min)(?![\w'’]))?"
)
_DIGIT = re.compile(r"[0-9]")
_NOT_DIGIT = re.compile(r"[^0-9]")
_ROMAN = re.compile(r"\b[IVXLC]{1,7}\b")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


@dataclass(frozen=True, slots=True)
class Number:
    value: Decimal
    unit: str | None  # NFKC-normalised unit symbol after the number
    text: str  # as written
    foreign: bool  # readable only with the source language's symbols (3.5 in a ca text)
    unit_text: str | None  # the unit as written (µ or μ)


@lru_cache(maxsize=8)
def _pattern(rules: LocaleRules) -> re.Pattern[str]:
    separators = re.escape(_SEPARATORS)
    if rules.space_groups:
        # A plain space joins digit groups only before exactly three digits ("4 000").
        group = rf"(?:[{separators}]|\u0020(?=[0-9]{{3}}(?![0-9])))"
    else:
        group = rf"[{separators}]"
    return re.compile(rf"(?P<number>[0-9]+(?:{group}[0-9]+)*){_UNIT}")


def _read(token: str, decimal: str, groups: frozenset[str]) -> Decimal | None:
    """The value of a token in one locale's notation, or None if it is not written that way."""
    if token.isdigit():
        return Decimal(token)
    parts = _NOT_DIGIT.split(token)
    separators = _NOT_DIGIT.findall(token)
    fraction = None
    if separators[-1] == decimal:
        fraction = parts.pop()
        separators.pop()
    if separators:
        if any(sep not in groups for sep in separators):
            return None
        if not 1 <= len(parts[0]) <= 3 or any(len(part) != 3 for part in parts[1:]):
            return None
    return Decimal("".join(parts) + (f".{fraction}" if fraction else ""))


def _unit(raw: str | None) -> str | None:
    if raw is None:
        return None
    unit = unicodedata.normalize("NFKC", raw).replace("º", "°").replace(" ", "")
    return unit


@lru_cache(maxsize=4096)
def extract_numbers(text: str, rules: LocaleRules) -> tuple[Number, ...]:
    """Numbers of a text in the notation of ``rules``, falling back to English notation."""
    if _DIGIT.search(text) is None:
        return ()
    english = locale_rules(SOURCE_LOCALE)
    found: list[Number] = []
    for match in _pattern(rules).finditer(text):
        token = match.group("number").replace(" ", "\u00a0")
        unit = _unit(match.group("unit"))
        value = _read(token, rules.decimal, rules.groups)
        if value is not None:
            found.append(Number(value, unit, match.group("number"), False, match.group("unit")))
            continue
        value = _read(token, english.decimal, english.groups) if rules is not english else None
        if value is not None:
            found.append(Number(value, unit, match.group("number"), True, match.group("unit")))
            continue
        # Not a number in either notation: a date (22.07.2016), a version (1.2.3), a list.
        pieces = [piece for piece in _NOT_DIGIT.split(token) if piece]
        for i, piece in enumerate(pieces):
            last = i == len(pieces) - 1
            found.append(
                Number(Decimal(piece), unit if last else None, piece, False, match.group("unit") if last else None)
            )
    return tuple(found)


def _roman(token: str) -> int | None:
    total, previous = 0, 0
    for char in reversed(token):
        value = _ROMAN_VALUES[char]
        total = total - value if value < previous else total + value
        previous = max(previous, value)
    return total if total > 0 else None


def _show(value: Decimal) -> str:
    return format(value.normalize(), "f")


class Numbers(Check):
    check_id = "numbers"
    name = "Numbers"
    description = (
        "Source and translation do not contain the same numbers (with their units: 5 µm ≠ 5 mm), "
        "each read in its own locale's notation: 3.5 ↔ 3,5 and 1,000 ↔ 1.000 match in ca/es; "
        "µ (U+00B5) and μ (U+03BC) are the same unit. Roman numerals may stand for ordinals (21st → XXI)."
    )
    message = "Numbers differ"
    severity = Severity.ERROR

    def check(self, unit: UnitText) -> str | None:
        source = extract_numbers(unit.source, locale_rules(SOURCE_LOCALE))
        target = extract_numbers(unit.target, unit.rules)
        if not source and not target:
            return None
        source_values = sorted(n.value for n in source)
        if source_values == sorted(n.value for n in target):
            return self._units_differ(source, target)
        missing = Counter(n.value for n in source)
        missing.subtract(n.value for n in target)
        lacking = {value: n for value, n in missing.items() if n > 0}
        extra = {value: -n for value, n in missing.items() if n < 0}
        if lacking:
            # Centuries and ordinals become Roman numerals in Romance languages (segle XXI).
            for token in _ROMAN.findall(unit.target):
                value = _roman(token)
                if value is not None and lacking.get(Decimal(value), 0) > 0:
                    lacking[Decimal(value)] -= 1
            lacking = {value: n for value, n in lacking.items() if n > 0}
        if lacking or extra:
            parts = []
            if lacking:
                parts.append("missing " + ", ".join(_written(source, v) for v in sorted(lacking)))
            if extra:
                parts.append("extra " + ", ".join(_written(target, v, unit.locale) for v in sorted(extra)))
            return "; ".join(parts)
        return self._units_differ(source, target)

    @staticmethod
    def _units_differ(source: tuple[Number, ...], target: tuple[Number, ...]) -> str | None:
        if not any(n.unit for n in source) or not any(n.unit for n in target):
            return None
        for value in {n.value for n in source}:
            source_units = {n.unit for n in source if n.value == value and n.unit}
            target_units = {n.unit for n in target if n.value == value and n.unit}
            if source_units and target_units and source_units != target_units:
                was = _with_unit(source, value, target_units)
                now = _with_unit(target, value, source_units)
                return f"{was.text} {was.unit_text} became {now.text} {now.unit_text}"
        return None


def _with_unit(numbers: tuple[Number, ...], value: Decimal, other_units: set[str]) -> Number:
    """The number of this value whose unit the other side lacks (else any with a unit)."""
    candidates = [n for n in numbers if n.value == value and n.unit]
    return next((n for n in candidates if n.unit not in other_units), candidates[0])


def _written(numbers: tuple[Number, ...], value: Decimal, locale: str | None = None) -> str:
    for number in numbers:
        if number.value == value:
            shown = number.text + (f" {number.unit_text}" if number.unit_text else "")
            if locale and number.text != _show(value):
                return f"{shown!r} (= {_show(value)} in {locale})"
            return repr(shown)
    return _show(value)


class NumberFormat(Check):
    check_id = "number-format"
    name = "Number notation"
    description = (
        "A number in the translation is written in English notation where the locale writes it "
        "otherwise (3.5 in a Catalan text: write 3,5)."
    )
    message = "Number in English notation"

    def check(self, unit: UnitText) -> str | None:
        if unit.rules.decimal == "." or _DIGIT.search(unit.target) is None:
            return None
        for number in extract_numbers(unit.target, unit.rules):
            if number.foreign:
                example = _show(number.value).replace(".", unit.rules.decimal)
                return f"{number.text!r} is English notation; {unit.locale} writes {example}"
        return None

"""Numbers read by each side's own conventions: "1,000" in English is "1.000" in Catalan.

The source is read with English (CLDR) symbols, the translation with its locale's: decimal
comma and period (or no-break space) digit groups for ca/es, so 3.5 ↔ 3,5 and 1,000 ↔ 1.000
are the same numbers, while an English-looking "1,000" left in a Catalan text reads as one.
A unit after a number (µm, kDa, %, °C) must match too, compared after NFKC, so the micro sign
and the Greek mu are the same unit here (``unicode-variant`` reports the switch itself).

Identifiers are not quantities: the digits of a link or DOI, of a symbol (SOX2, H1N1,
COVID-19, p53) and of a version or licence ("v2.0", "version 2.1", "CC BY-NC 3.0", "GPL 2.1",
"Web 2.0") are read as written in English on both sides and never called English
notation. A number the other side writes in words is not missing ("3 studies" → "tres
estudis", "1,000" → "mil", "2 million" → "dos milions", "21st" → "vint-i-unè"; see
``number_words``), unless it carries a unit or is part of an identifier: 45 nm stays digits.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from bpod_i18n.checks import number_words
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
# Links and DOIs (Crossref's pattern: 10.<registrant>/<suffix>) and e-mail addresses.
_LINK = re.compile(r"https?://\S+|www\.\S+|\b(?:doi:\s?)?10\.\d{4,9}/\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)
# The word before a number, joined to it by a space or a hyphen ("BY-NC 3.0", "GPL-3.0").
_WORD_BEFORE = re.compile(r"([^\W\d_][\w-]*)[ \u00a0-]$")
_VERSION_WORDS = frozenset({"version", "versió", "versión", "versão", "versione", "release", "v", "ver"})
# An ordinal written with digits: 1st 2nd (en), 1r 2n 4t 5è (ca), 1.º 1.ª (es, pt), 1er 2e (fr).
_ORDINAL_SUFFIX = re.compile(r"(?:st|nd|rd|th|[rnt]|è|[ao]|er|re|e|ème|ᵉ|ᵉʳ|\.?[ºª])(?![\w])")


@dataclass(frozen=True, slots=True)
class Number:
    value: Decimal
    unit: str | None  # NFKC-normalised unit symbol after the number
    text: str  # as written
    foreign: bool  # readable only with the source language's symbols (3.5 in a ca text)
    unit_text: str | None  # the unit as written (µ or μ)
    end: int = 0  # offset just after the number (and its unit) in the text
    identifier: bool = False  # part of a link, symbol, version or licence: never a quantity


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
    links = [match.span() for match in _LINK.finditer(text)] if ("/" in text or "@" in text) else []
    found: list[Number] = []
    for match in _pattern(rules).finditer(text):
        token = match.group("number").replace(" ", "\u00a0")
        unit = _unit(match.group("unit"))
        start, end = match.span()
        identifier = _is_identifier(text, start, token, unit, links, rules)
        if identifier:
            # Copied from the English as it is: read it the English way on both sides.
            value = _read(token, english.decimal, english.groups)
        else:
            value = _read(token, rules.decimal, rules.groups)
        if value is not None:
            found.append(Number(value, unit, match.group("number"), False, match.group("unit"), end, identifier))
            continue
        value = _read(token, english.decimal, english.groups) if rules is not english and not identifier else None
        if value is not None:
            found.append(Number(value, unit, match.group("number"), True, match.group("unit"), end))
            continue
        # Not a number in either notation: a date (22.07.2016), a version (1.2.3), a list.
        pieces = [piece for piece in _NOT_DIGIT.split(token) if piece]
        for i, piece in enumerate(pieces):
            last = i == len(pieces) - 1
            found.append(
                Number(
                    Decimal(piece),
                    unit if last else None,
                    piece,
                    False,
                    match.group("unit") if last else None,
                    end,
                    True,
                )
            )
    return tuple(found)


def _is_identifier(
    text: str, start: int, token: str, unit: str | None, links: list[tuple[int, int]], rules: LocaleRules
) -> bool:
    """Digits that name rather than count: in a link or DOI, inside a symbol (SOX2, H1N1,
    COVID-19, v2.0), or a dotted version: after a version word or an acronym (version 2.1, GPL
    2.1, BY 4.0), or any "N.0" without a unit (Web 2.0)."""
    if any(s <= start < e for s, e in links):
        return True
    if start and text[start - 1].isalpha():
        return True  # SOX2, H1N1, p53, v2.0
    if start > 1 and text[start - 1] == "-" and text[start - 2].isalpha():
        return True  # COVID-19, IL-6
    if unit is not None or token.isdigit() or set(_NOT_DIGIT.findall(token)) != {"."}:
        return False  # a version is dotted: "3,5" is a decimal, "4 000" a grouped number
    if "." in rules.groups and rules.decimal != "." and _read(token, rules.decimal, rules.groups) is not None:
        return False  # "UKB 1.500" in Catalan: thousands in this locale's notation, not a version
    if token.endswith(".0") and token.count(".") == 1:
        return True  # 2.0, 4.0: a measurement this round would carry its unit
    window = max(0, start - 40)  # a word is never longer: no scan from the start of a long text
    before = _WORD_BEFORE.search(text, window, start)
    if before is None:
        return False
    word = before.group(1)
    if word.lower() in _VERSION_WORDS:
        return True
    letters = [c for c in word if c.isalpha()]
    # An acronym: BY 4.0, BY-NC-SA 3.0, GPL 2.1. Not any capitalised word: "Regne Unit 3.5
    # milions" is a decimal in English notation, and a reviewer wants to hear about it.
    return len(letters) >= 2 and all(c.isupper() for c in letters)


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
            _explain(unit, source, target, lacking, extra)
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


def _explain(
    unit: UnitText,
    source: tuple[Number, ...],
    target: tuple[Number, ...],
    lacking: dict[Decimal, int],
    extra: dict[Decimal, int],
) -> None:
    """Take out of ``lacking`` and ``extra`` (in place) the numbers the other side writes
    another way: with a scale word ("2 million" = "2.000.000" = "2 milions") or in words
    ("3" = "tres", "21st" = "vint-i-unè", "three" = "3"). Runs only when the digits differ."""
    language = unit.rules.language
    if lacking and extra:
        # Scale words: each number with its value times the scale it is followed by.
        source_values = _scaled(unit.source, source, SOURCE_LOCALE, lacking)
        target_values = _scaled(unit.target, target, language, extra)
        for value, alternatives in source_values:
            for i, (other, other_alternatives) in enumerate(target_values):
                if lacking.get(value, 0) > 0 and extra.get(other, 0) > 0 and alternatives & other_alternatives:
                    _consume(lacking, value)
                    _consume(extra, other)
                    del target_values[i]
                    break
    if lacking:
        _in_words(unit.source, SOURCE_LOCALE, source, lacking, unit.target, language)
    if extra:
        _in_words(unit.target, language, target, extra, unit.source, SOURCE_LOCALE)


def _scaled(
    text: str, numbers: tuple[Number, ...], language: str, wanted: dict[Decimal, int]
) -> list[tuple[Decimal, set[Decimal]]]:
    """(value, {value, value × its scale}) of the numbers of ``text`` whose value is in ``wanted``."""
    out = []
    for number in numbers:
        if number.value in wanted and not number.identifier:
            alternatives = {number.value}
            exponent = number_words.scale_after(text, number.end, language)
            if exponent is not None:
                alternatives.add(number.value.scaleb(exponent))
            out.append((number.value, alternatives))
    return out


def _in_words(
    text: str,
    language: str,
    numbers: tuple[Number, ...],
    wanted: dict[Decimal, int],
    other_text: str,
    other_language: str,
) -> None:
    """Numbers of ``text`` (those in ``wanted``) that ``other_text`` writes in words: taken out of ``wanted``."""
    if not number_words.supported(other_language):
        return
    folded = number_words.fold(other_text)
    # Largest first, so "vint-i-tres" is taken as 23 before "tres" could be taken as 3.
    for number in sorted(numbers, key=lambda n: n.value, reverse=True):
        if wanted.get(number.value, 0) <= 0 or number.unit is not None or number.identifier:
            continue  # 45 nm stays digits; so do SOX2 and the 19 of COVID-19
        values = []
        exponent = number_words.scale_after(text, number.end, language)
        if exponent is not None:
            values.append(number.value.scaleb(exponent))
        values.append(number.value)
        integers = [i for v in values if (i := number_words.as_integer(v)) is not None]
        if not integers:
            continue
        # Ordinal words only for a number written as an ordinal (21st, 2n, 1.º).
        ordinal = _ORDINAL_SUFFIX.match(text, number.end) is not None
        folded, found = number_words.take(folded, integers, other_language, ordinal=ordinal)
        if found:
            _consume(wanted, number.value)


def _consume(counts: dict[Decimal, int], value: Decimal) -> None:
    counts[value] -= 1
    if counts[value] <= 0:
        del counts[value]


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

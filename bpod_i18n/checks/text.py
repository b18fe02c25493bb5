"""Checks on the shape of the text: whitespace, repeated words, unchanged text, length, line breaks."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection

from bpod_i18n.checks.base import Check, Severity, UnitText, shorten

# Two or more spaces (ordinary or no-break) between two visible characters.
_DOUBLE_SPACE = re.compile(r"\S[ \u00a0\u202f]{2,}\S")
_REPEATED_WORD = re.compile(r"\b([^\W\d_]+)(?:\s+)\1\b", re.IGNORECASE)
# Repeats that are grammar, not typos, per language ("nous nous sommes", "vous vous").
_GRAMMATICAL_REPEATS = {"fr": {"nous", "vous"}, "en": {"that", "had"}}
_WORD = re.compile(r"[^\W\d_][\w'’·.-]*")
_URL_OR_EMAIL = re.compile(r"https?://\S+|www\.\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


class LeadingWhitespace(Check):
    check_id = "leading-whitespace"
    name = "Leading whitespace"
    description = "Source and translation do not start with the same whitespace (spaces, newlines)."
    message = "Leading whitespace differs"

    def check(self, unit: UnitText) -> str | None:
        source = unit.source[: len(unit.source) - len(unit.source.lstrip())]
        target = unit.target[: len(unit.target) - len(unit.target.lstrip())]
        if source == target:
            return None
        return f"source starts with {source!r}, translation with {target!r}"


class TrailingWhitespace(Check):
    check_id = "trailing-whitespace"
    name = "Trailing whitespace"
    description = "Source and translation do not end with the same whitespace (spaces, newlines)."
    message = "Trailing whitespace differs"

    def check(self, unit: UnitText) -> str | None:
        source = unit.source[len(unit.source.rstrip()) :]
        target = unit.target[len(unit.target.rstrip()) :]
        if source == target:
            return None
        return f"source ends with {source!r}, translation with {target!r}"


class DoubleSpace(Check):
    check_id = "double-space"
    name = "Double space"
    description = "The translation has two or more spaces in a row where the source has none."
    message = "Double space"

    def check(self, unit: UnitText) -> str | None:
        found = _DOUBLE_SPACE.search(unit.target)
        if found is None or _DOUBLE_SPACE.search(unit.source):
            return None
        return f"double space in {found.group()!r}"


class RepeatedWord(Check):
    check_id = "repeated-word"
    name = "Repeated word"
    description = 'A word is written twice in a row ("the the", "de de") and the source has no such repeat.'
    message = "Repeated word"

    def check(self, unit: UnitText) -> str | None:
        allowed = _GRAMMATICAL_REPEATS.get(unit.rules.language, set())
        for found in _REPEATED_WORD.finditer(unit.target):
            word = found.group(1)
            if word.lower() in allowed:
                continue
            if _REPEATED_WORD.search(unit.source):
                return None
            return f"{word!r} repeated: {found.group()!r}"
        return None


DntTerms = Collection[str] | Callable[[str], bool]


class SameAsSource(Check):
    """Unchanged translation, unless the source is made of words nobody translates.

    ``dnt`` is a collection of do-not-translate terms (multi-word allowed: "Drosophila
    melanogaster") or a callable telling whether a source is all do-not-translate.
    Numbers, URLs, e-mail addresses and capitalised words (proper names, acronyms) never count.
    """

    check_id = "same-as-source"
    name = "Same as source"
    description = (
        "The translation is identical to the English, and the English is not only proper names, "
        "acronyms, numbers, URLs or do-not-translate terms."
    )
    message = "Translation same as source"

    def __init__(self, dnt: DntTerms | None = None) -> None:
        self._dnt_callable: Callable[[str], bool] | None = None
        self._dnt_pattern: re.Pattern[str] | None = None
        if callable(dnt):
            self._dnt_callable = dnt
        elif dnt:
            terms = sorted({term.strip() for term in dnt if term.strip()}, key=len, reverse=True)
            self._dnt_pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, terms)) + r")(?!\w)")

    def check(self, unit: UnitText) -> str | None:
        if unit.target.strip() != unit.source.strip():
            return None
        if self.is_do_not_translate(unit.source):
            return None
        return f"translation is the English text: {shorten(unit.source)!r}"

    def is_do_not_translate(self, source: str) -> bool:
        if self._dnt_callable is not None and self._dnt_callable(source):
            return True
        text = _URL_OR_EMAIL.sub(" ", source)
        if self._dnt_pattern is not None:
            text = self._dnt_pattern.sub(" ", text)
        # Whatever is left must be names: every word capitalised (or an acronym).
        return all(word[0].isupper() for word in _WORD.findall(text))


class LengthRatio(Check):
    check_id = "length-ratio"
    name = "Length ratio"
    description = (
        "The translation is much shorter or longer than the source (ratio of characters outside "
        "the configured range, default 0.5–2.0; sources under 20 characters are not measured)."
    )
    message = "Translation length out of range"
    MIN_SOURCE_LENGTH = 20

    def check(self, unit: UnitText) -> str | None:
        source_length = len(unit.source.strip())
        if source_length < self.MIN_SOURCE_LENGTH:
            return None
        low, high = unit.length_ratio
        ratio = len(unit.target.strip()) / source_length
        if low <= ratio <= high:
            return None
        side = "shorter" if ratio < low else "longer"
        return f"translation is {ratio:.2f} × the source length, {side} than the range {low:g}–{high:g}"


class Newlines(Check):
    check_id = "newlines"
    name = "Line breaks"
    description = "Source and translation have a different number of line breaks (\\n, \\r)."
    message = "Line breaks differ"
    severity = Severity.ERROR

    def check(self, unit: UnitText) -> str | None:
        if "\n" not in unit.source and "\n" not in unit.target and "\r" not in unit.source + unit.target:
            return None
        for char, label in (("\n", "\\n"), ("\r", "\\r")):
            source, target = unit.source.count(char), unit.target.count(char)
            if source != target:
                return f"source has {source} {label}, translation {target}"
        return None


class Escapes(Check):
    check_id = "escapes"
    name = "Escapes and tabs"
    description = "Source and translation have a different number of backslashes or tab characters."
    message = "Backslashes or tabs differ"

    def check(self, unit: UnitText) -> str | None:
        for char, label in (("\\", "backslashes"), ("\t", "tabs")):
            source, target = unit.source.count(char), unit.target.count(char)
            if source != target:
                return f"source has {source} {label}, translation {target}"
        return None

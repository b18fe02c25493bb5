"""Paired marks: brackets and quotation marks must balance in the translation as in the source.

Compared as the source is, not in the absolute: a unit is one sentence, and a quotation may
open in one sentence and close in the next; then the translation should leave the same one
open. Quote style may change (English “…” becomes Catalan/Spanish «…»): only the balance counts.
"""

from __future__ import annotations

import re

from bpod_i18n.checks.base import Check, Severity, UnitText

_BRACKETS = {"(": ")", "[": "]", "{": "}"}
_CLOSING_BRACKETS = {closing: opening for opening, closing in _BRACKETS.items()}
_BRACKET_CHARS = re.compile(r"[()\[\]{}]")
_QUOTE_CHARS = frozenset('"“”„«»‹›')
_QUOTE_FINDER = re.compile('["“”„«»‹›]')
# Danish, German (one of its styles), Czech, Slovak, Slovenian, Croatian write »…«.
_REVERSED_GUILLEMET_LANGUAGES = {"da", "de", "cs", "sk", "sl", "hr"}


def bracket_balance(text: str) -> tuple[int, ...]:
    """Per bracket kind: unclosed openings, stray closings; plus mis-nested closings."""
    stack: list[str] = []
    stray = dict.fromkeys(_CLOSING_BRACKETS, 0)
    misnested = 0
    for char in _BRACKET_CHARS.findall(text):
        if char in _BRACKETS:
            stack.append(char)
        elif char in _CLOSING_BRACKETS:
            opening = _CLOSING_BRACKETS[char]
            if stack and stack[-1] == opening:
                stack.pop()
            elif opening in stack:
                misnested += 1
                stack.remove(opening)
            else:
                stray[char] += 1
    unclosed = tuple(stack.count(opening) for opening in _BRACKETS)
    return unclosed + tuple(stray.values()) + (misnested,)


def quote_imbalance(text: str, language: str) -> int:
    """How many quotation marks are left without a partner, whatever the quote style."""
    if _QUOTE_CHARS.isdisjoint(text):
        return 0
    reversed_guillemets = language in _REVERSED_GUILLEMET_LANGUAGES
    stack: list[str] = []
    stray = 0
    for char in _QUOTE_FINDER.findall(text):
        top = stack[-1] if stack else None
        if char == '"':
            if top == '"':
                stack.pop()
            else:
                stack.append(char)
        elif char == "“":  # opens in English, closes German „…“
            if top == "„":
                stack.pop()
            else:
                stack.append(char)
        elif char == "”":  # closes “ and „, and pairs with itself (Swedish, Finnish ”…”)
            if top in ("“", "„", "”"):
                stack.pop()
            else:
                stack.append(char)
        elif char == "„":
            stack.append(char)
        elif char in "«‹":
            closing = "»" if char == "«" else "›"
            if reversed_guillemets and top == closing:
                stack.pop()
            else:
                stack.append(char)
        else:  # » or ›
            opening = "«" if char == "»" else "‹"
            if top == opening:
                stack.pop()
            elif reversed_guillemets:
                stack.append(char)
            else:
                stray += 1
    return len(stack) + stray


class Brackets(Check):
    check_id = "brackets"
    name = "Brackets"
    description = (
        "Brackets ( ) [ ] { } are unbalanced or mis-nested in the translation in a way the source is not "
        "(an unclosed parenthesis, a stray closing one, ( ] )."
    )
    message = "Unbalanced brackets"
    severity = Severity.ERROR

    def check(self, unit: UnitText) -> str | None:
        if _BRACKET_CHARS.search(unit.source) is None and _BRACKET_CHARS.search(unit.target) is None:
            return None
        source, target = bracket_balance(unit.source), bracket_balance(unit.target)
        if source == target:
            return None
        kinds = ["unclosed (", "unclosed [", "unclosed {", "stray )", "stray ]", "stray }", "mis-nested"]
        differences = [f"{kind}: {t} (source {s})" for kind, s, t in zip(kinds, source, target, strict=True) if s != t]
        return "translation has " + ", ".join(differences)


class Quotes(Check):
    check_id = "quotes"
    name = "Quotation marks"
    description = (
        'Quotation marks (" “ ” „ « » ‹ ›) are left open or closed without an opening in the translation '
        "where the source balances them; switching style (“…” → «…») is fine."
    )
    message = "Unbalanced quotation marks"

    def check(self, unit: UnitText) -> str | None:
        source = quote_imbalance(unit.source, "en")
        target = quote_imbalance(unit.target, unit.rules.language)
        if source == target:
            return None
        return f"{target} unpaired quotation mark(s) in the translation, {source} in the source"

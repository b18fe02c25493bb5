"""Sentence punctuation: the final mark, Spanish ¿ ¡, spacing before marks, the first capital."""

from __future__ import annotations

import re

from bpod_i18n.checks.base import Check, UnitText

# Closing quotes, brackets and emphasis markers that may follow the final mark ("…word.”).
_CLOSERS = "\"'”’»›)]}*_\u00a0\u202f \t\n"
_FINAL_MARKS = {
    ".": ".",
    "。": ".",
    "।": ".",
    "?": "?",
    "？": "?",
    "؟": "?",
    "!": "!",
    "！": "!",
    ":": ":",
    "：": ":",
    ";": ";",
    "；": ";",
    "…": "…",
}
_MARK_NAMES = {
    ".": "a full stop",
    "?": "a question mark",
    "!": "an exclamation mark",
    ":": "a colon",
    ";": "a semicolon",
    "…": "an ellipsis",
    None: "no punctuation",
}
# Greek writes the question mark as ";" (and U+037E GREEK QUESTION MARK).
_QUESTION_AS_SEMICOLON = {"el"}
# Languages that open questions and exclamations with inverted marks.
_INVERTED_MARK_LANGUAGES = {"es", "ast"}
_URL = re.compile(r"https?://\S+|www\.\S+")
_SPACE_BEFORE_MARK = re.compile(r"(?<=[^\W_])[ \u00a0\u202f]+[,;:!?](?=\s|$)")
# French and Breton want a (narrow) no-break space before ; : ! ? and inside « ».
_FRENCH_SPACING_LANGUAGES = {"fr", "br"}
# (a letter or digit right before the mark: "?!" and times such as 10:30 are fine).
_FRENCH_MISSING_SPACE = re.compile(r"[^\W_][;!?»]|[^\W\d_]:|«[^\s\u00a0\u202f]")


def final_mark(text: str, language: str) -> str | None:
    """The class of the last sentence mark, after closing quotes and brackets."""
    stripped = text.rstrip(_CLOSERS)
    if stripped.endswith("..."):
        return "…"
    if not stripped:
        return None
    last = stripped[-1]
    if language in _QUESTION_AS_SEMICOLON and last in ";\u037e":
        return "?"
    return _FINAL_MARKS.get(last)


class EndPunctuation(Check):
    check_id = "end-punctuation"
    name = "End punctuation"
    description = (
        "Source and translation do not end with the same kind of mark (full stop, question, "
        "exclamation, colon, semicolon, ellipsis). Closing quotes and brackets are looked through, "
        "'...' equals '…', full-width and Greek marks count as their kind."
    )
    message = "End punctuation differs"

    def check(self, unit: UnitText) -> str | None:
        source = final_mark(unit.source, "en")
        target = final_mark(unit.target, unit.rules.language)
        if source == target:
            return None
        return f"source ends with {_MARK_NAMES[source]}, translation with {_MARK_NAMES[target]}"


class InvertedMarks(Check):
    check_id = "inverted-marks"
    name = "Inverted question and exclamation marks"
    description = "Spanish (and Asturian): every ? needs an opening ¿ and every ! an opening ¡, and vice versa."
    message = "Missing ¿ or ¡"

    def check(self, unit: UnitText) -> str | None:
        if unit.rules.language not in _INVERTED_MARK_LANGUAGES:
            return None
        text = _URL.sub(" ", unit.target)
        for opening, closing in (("¿", "?"), ("¡", "!")):
            opened, closed = text.count(opening), text.count(closing)
            if opened != closed:
                return f"{closed} × {closing!r} but {opened} × {opening!r}"
        return None


class PunctuationSpacing(Check):
    check_id = "punctuation-spacing"
    name = "Punctuation spacing"
    description = (
        "French and Breton: a no-break space is needed before ; : ! ? » and after «. Other "
        "languages: no space before , ; : ! ? (unless the source has one)."
    )
    message = "Space before punctuation"

    def check(self, unit: UnitText) -> str | None:
        text = _URL.sub(" ", unit.target) if "://" in unit.target or "www." in unit.target else unit.target
        if unit.rules.language in _FRENCH_SPACING_LANGUAGES:
            found = _FRENCH_MISSING_SPACE.search(text)
            return f"no space in {found.group()!r}" if found else None
        found = _SPACE_BEFORE_MARK.search(text)
        if found is None or _SPACE_BEFORE_MARK.search(unit.source):
            return None
        return f"space before {found.group().strip()!r}"


def _first_letter(text: str) -> str | None:
    for char in text:
        if char.isalpha():
            return char
        if char.isdigit():
            return None
    return None


class StartCapital(Check):
    check_id = "start-capital"
    name = "Initial capital"
    description = "The source starts with a capital letter and the translation with a lower-case one."
    message = "Translation starts in lower case"

    def check(self, unit: UnitText) -> str | None:
        source, target = _first_letter(unit.source), _first_letter(unit.target)
        if source is None or target is None:
            return None
        if source.isupper() and target.islower():
            return f"source starts with {source!r}, translation with {target!r}"
        return None

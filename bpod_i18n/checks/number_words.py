"""Numbers written as words: "3 studies" is "tres estudis", "1,000" is "mil", "2 million" is
"dos milions", "21st" is "vint-i-unè".

The words come from num2words (cardinals and ordinals; used for en, ca, es, fr, pt, it and
de, the languages tested here), never from a list of our own. What the library does not give is grammar around them,
kept here as a few rules per language applied to its output: the feminine ("una", "dues",
"doscientas", "une"), the short form before a noun ("un", "veintiún", "primer"), the plural of
ordinals ("segones", "cinquens") and English "a thousand" for "one thousand".

Everything here runs only when the digits of a unit already disagree (the numbers check calls
it to explain a difference away), so a sentence without numbers never pays for it; num2words
itself is imported on first use.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal
from functools import lru_cache

# Larger numbers are not written out in prose (and some of num2words' converters loop for
# minutes or recurse too deep on them); nor are ordinals past the thousands.
_LIMIT = 10**13
_ORDINAL_LIMIT = 10**4
_SCALE_EXPONENTS = (3, 6, 9, 12)

# Grammar on top of num2words' masculine singular output: (pattern, replacement) rules, each
# group applied as a whole to give one more spelling. "feminine" and "short" act on
# cardinals; "ordinal" rules give the other genders and numbers of an ordinal.
_CARDINAL_RULES: dict[str, tuple[tuple[tuple[str, str], ...], ...]] = {
    "en": (((r"^one (?=\w)", "a "),),),  # a thousand, a million
    "ca": (((r"\bun\b", "una"), (r"\bdos\b", "dues"), (r"cents\b", "centes")),),
    "es": (
        ((r"uno\b", "una"), (r"ientos\b", "ientas")),  # feminine
        ((r"iuno\b", "iún"), (r"uno\b", "un")),  # before a noun: veintiún años, un millón
    ),
    "fr": (((r"\bun\b", "une"),),),
    "pt": (((r"\bum\b", "uma"), (r"\bdois\b", "duas"), (r"entos\b", "entas")),),
    "it": (((r"uno\b", "una"),), ((r"uno\b", "un"),)),
    "de": (((r"eins$", "eine"),), ((r"eins$", "ein"),)),
}
_ORDINAL_RULES: dict[str, tuple[tuple[tuple[str, str], ...], ...]] = {
    "ca": (
        # primer/primera/primers/primeres, quart/quarta, cinquè/cinquena/cinquens/cinquenes
        ((r"è$", "ena"), (r"(?<=[rnt])$", "a")),
        ((r"è$", "ens"), (r"(?<=[rnt])$", "s")),
        ((r"è$", "enes"), (r"(?<=[rnt])$", "es")),
    ),
    "es": (((r"o\b", "a"),), ((r"o\b", "os"),), ((r"o\b", "as"),), ((r"ero\b", "er"),)),
    "pt": (((r"o\b", "a"),), ((r"o\b", "os"),), ((r"o\b", "as"),)),
    "it": (((r"o\b", "a"),), ((r"o\b", "i"),), ((r"o\b", "e"),)),
    "fr": (((r"ier$", "ière"),), ((r"ier$", "iers"),), ((r"ier$", "ières"),), ((r"ième$", "ièmes"),)),
    "de": (((r"e$", "en"),), ((r"e$", "er"),), ((r"e$", "es"),)),
}
# Apostrophes and every kind of space separate words; accents, once letters are decomposed, go.
_SEPARATORS = re.compile(r"[\s'’]+")
_ACCENTS = re.compile(r"[\u0300-\u036f]+")


def fold(text: str) -> str:
    """Lower case, no accents, one kind of space and hyphen: how words are compared here."""
    text = text.lower()
    if not text.isascii():
        text = _ACCENTS.sub("", unicodedata.normalize("NFD", text)).replace("\u2010", "-").replace("\u2011", "-")
    return _SEPARATORS.sub(" ", text)


# The languages whose number words are tested here (tests/test_qa_believable.py and the
# rules above). num2words has more, but not all of its converters are safe to call on any
# number: Amharic's loops for minutes on seven-digit numbers.
LANGUAGES = frozenset({"en", "ca", "es", "fr", "pt", "it", "de"})


def supported(language: str) -> bool:
    return language in LANGUAGES


def _words(value: int, language: str, kind: str) -> str | None:
    from num2words import num2words

    try:
        return str(num2words(value, lang=language, to=kind))
    except Exception:
        # A converter's own bug (KeyError for Catalan ordinals of 30, 40...) is no reason to
        # fail the gate: that number is then simply not recognised in words.
        return None


def _apply(forms: Iterable[str], rules: tuple[tuple[tuple[str, str], ...], ...]) -> set[str]:
    forms = set(forms)
    out = set(forms)
    for group in rules:
        for form in forms:
            changed = form
            for pattern, replacement in group:
                changed = re.sub(pattern, replacement, changed)
            out.add(changed)
    return out


def spellings(value: int, language: str, *, ordinal: bool = False) -> tuple[str, ...]:
    """Every way of writing ``value`` in words in ``language`` that we accept, folded."""
    return _spellings(value, language, ordinal)


@lru_cache(maxsize=4096)
def _spellings(value: int, language: str, ordinal: bool) -> tuple[str, ...]:
    if not 0 <= value < _LIMIT or not supported(language):
        return ()
    forms: set[str] = set()
    cardinal = _words(value, language, "cardinal")
    if cardinal:
        forms |= _apply([cardinal], _CARDINAL_RULES.get(language, ()))
    if ordinal and 0 < value < _ORDINAL_LIMIT:
        word = _words(value, language, "ordinal")
        if word:
            forms |= _apply([word], _ORDINAL_RULES.get(language, ()))
    folded = {fold(form).strip() for form in forms}
    # Spaces or hyphens inside a number: French writes "vingt-et-un" since 1990, num2words "vingt et un".
    folded |= {form.replace(" ", "-") for form in folded} | {form.replace("-", " ") for form in folded}
    return tuple(sorted((f for f in folded if f), key=len, reverse=True))


@lru_cache(maxsize=4096)
def _pattern(forms: tuple[str, ...]) -> re.Pattern[str]:
    # Whole words only: "tres" is not in "trescents" nor in "vint-i-tres".
    return re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, forms)) + r")(?![\w-])")


def take(text: str, values: Iterable[int], language: str, *, ordinal: bool = False) -> tuple[str, bool]:
    """Find one of the ``values`` written in words in ``text`` (folded, see ``fold``): the text
    with that occurrence blanked out (so it is not counted twice) and whether it was found."""
    forms = tuple(dict.fromkeys(f for value in values for f in spellings(value, language, ordinal=ordinal)))
    if not forms:
        return text, False
    found = _pattern(forms).search(text)
    if found is None:
        return text, False
    return text[: found.start()] + " " * (found.end() - found.start()) + text[found.end() :], True


@lru_cache(maxsize=64)
def _scales(language: str) -> tuple[tuple[re.Pattern[str], int], ...]:
    """Patterns for the scale words that may follow digits ("2 million", "2 milions", "3 mil
    milions"), longest first, each with its power of ten; from num2words' own output."""
    if not supported(language):
        return ()
    found: dict[str, int] = {}
    for exponent in _SCALE_EXPONENTS:
        for factor in (1, 2):
            words = _words(factor * 10**exponent, language, "cardinal")
            if not words:
                continue
            words = fold(words)
            # "dos milions" → "milions", "un millón" → "millón"; "mil" and "mil milions" stand alone.
            leads = [lead for lead in spellings(factor, language) if words.startswith(lead + " ")]
            if leads:
                found.setdefault(words[len(max(leads, key=len)) + 1 :], exponent)
            elif factor == 1:
                found.setdefault(words, exponent)
    ordered = sorted(found.items(), key=lambda item: len(item[0]), reverse=True)
    return tuple((re.compile(r"[ -](" + re.escape(p) + r")(?![\w-])"), e) for p, e in ordered)


@lru_cache(maxsize=64)
def _scale_initials(language: str) -> frozenset[str]:
    return frozenset(pattern.pattern[5] for pattern, _ in _scales(language))


def scale_after(text: str, end: int, language: str) -> int | None:
    """The power of ten of a scale word right after ``text[:end]`` ("2 million" → 6), if any."""
    rest = text[end : end + 40]
    if not rest[:1].isspace() or rest[1:2].lower() not in _scale_initials(language):
        return None  # most numbers are followed by a unit or a noun: no folding for them
    folded = fold(rest)
    for pattern, exponent in _scales(language):
        if pattern.match(folded):
            return exponent
    return None


def as_integer(value: Decimal) -> int | None:
    """``value`` as an int when it is a whole number that may be written in words."""
    if value != value.to_integral_value() or not 0 <= value < _LIMIT:
        return None
    return int(value)

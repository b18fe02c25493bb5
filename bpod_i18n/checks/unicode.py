"""Checks on characters a reader cannot see or cannot tell apart: controls, bidi controls,
zero-width characters, µ/μ."""

from __future__ import annotations

import re
import unicodedata

from bpod_i18n.checks.base import Check, Severity, UnitText

# C0 and C1 controls other than tab, newline and carriage return: invalid in XML, mangled in HTML.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Bidirectional embeddings, overrides and isolates (LRE RLE PDF LRO RLO, LRI RLI FSI PDI):
# they show a sentence in another order than it is stored ("Trojan Source"), so a reader
# approves one text and the page publishes another. An error, and `emit` refuses them
# unless the unit is explicitly ignored (see :func:`extra_bidi_controls`).
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
# Zero-width and format characters (and the soft hyphen) that change rendering invisibly,
# and the bidi *marks* (LRM, RLM), which reorder nothing by themselves.
_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]")

# Lookalike pairs: (compatibility sign, the letter Unicode prefers). The source's choice is
# the house style; a translation must not switch or mix them (search and fonts see two
# different characters in "5 µm" and "5 μm").
_LOOKALIKES = (
    ("\u00b5", "\u03bc"),  # MICRO SIGN, GREEK SMALL LETTER MU
    ("\u2126", "\u03a9"),  # OHM SIGN, GREEK CAPITAL LETTER OMEGA
    ("\u212b", "\u00c5"),  # ANGSTROM SIGN, LATIN CAPITAL LETTER A WITH RING ABOVE
    ("\u212a", "K"),  # KELVIN SIGN, LATIN CAPITAL LETTER K
)
_LOOKALIKE_CHARS = frozenset(ch for pair in _LOOKALIKES for ch in pair if not ch.isascii())


def _char_name(char: str) -> str:
    return f"U+{ord(char):04X} {unicodedata.name(char, '?')}"


class ControlCharacters(Check):
    check_id = "control-characters"
    name = "Control characters"
    description = "The translation contains control characters (other than tab and line breaks) the source does not."
    message = "Control character in translation"
    severity = Severity.ERROR

    def check(self, unit: UnitText) -> str | None:
        extra = set(_CONTROL.findall(unit.target)) - set(_CONTROL.findall(unit.source))
        if not extra:
            return None
        return "control characters: " + ", ".join(f"U+{ord(ch):04X}" for ch in sorted(extra))


def extra_bidi_controls(source: str, target: str) -> list[str]:
    """The bidi controls in ``target`` that ``source`` does not have, in code point order:
    the one rule of the ``bidi-controls`` check, which ``emit`` applies too."""
    if not _BIDI.search(target):
        return []
    return sorted(set(_BIDI.findall(target)) - set(_BIDI.findall(source)))


class BidiControls(Check):
    check_id = "bidi-controls"
    name = "Bidirectional controls"
    description = (
        "The translation contains bidirectional embedding, override or isolate controls "
        "(U+202A-U+202E, U+2066-U+2069) that the source does not: the text shown is not the text "
        "stored. emit refuses to publish them unless the unit is marked `#, ignore-bidi-controls`."
    )
    message = "Bidirectional control in translation"
    severity = Severity.ERROR

    def check(self, unit: UnitText) -> str | None:
        extra = extra_bidi_controls(unit.source, unit.target)
        if not extra:
            return None
        return "bidirectional controls: " + ", ".join(_char_name(ch) for ch in extra)


class InvisibleCharacters(Check):
    check_id = "invisible-characters"
    name = "Invisible characters"
    description = (
        "The translation contains zero-width spaces, joiners, a byte-order mark, soft hyphens or "
        "bidirectional marks that the source does not (bidirectional controls: bidi-controls)."
    )
    message = "Invisible character in translation"

    def check(self, unit: UnitText) -> str | None:
        extra = set(_INVISIBLE.findall(unit.target)) - set(_INVISIBLE.findall(unit.source))
        if not extra:
            return None
        return "invisible characters: " + ", ".join(_char_name(ch) for ch in sorted(extra))


class UnicodeVariant(Check):
    check_id = "unicode-variant"
    name = "Unicode lookalikes"
    description = (
        "The translation uses a different lookalike than the source (micro sign µ U+00B5 vs Greek "
        "mu μ U+03BC; ohm, ångström and kelvin signs), mixes both, or is not in NFC "
        "(decomposed accents)."
    )
    message = "Unicode lookalike or normalisation differs"

    def check(self, unit: UnitText) -> str | None:
        target = unit.target
        if not target.isascii() and not unicodedata.is_normalized("NFC", target):
            if unicodedata.is_normalized("NFC", unit.source):
                return "translation is not in Unicode NFC (decomposed characters)"
        if _LOOKALIKE_CHARS.isdisjoint(target) and _LOOKALIKE_CHARS.isdisjoint(unit.source):
            return None
        for sign, letter in _LOOKALIKES:
            in_target = (sign in target, letter in target)
            in_source = (sign in unit.source, letter in unit.source)
            if in_target == (True, True) and in_source != (True, True):
                return f"translation mixes {_char_name(sign)} and {_char_name(letter)}"
            if in_source == (True, False) and in_target == (False, True):
                return f"source uses {_char_name(sign)}, translation {_char_name(letter)}"
            if in_source == (False, True) and in_target == (True, False):
                return f"source uses {_char_name(letter)}, translation {_char_name(sign)}"
            if sign in target and not in_source[0] and not in_source[1]:
                return f"translation uses {_char_name(sign)}, which the source does not"
        return None

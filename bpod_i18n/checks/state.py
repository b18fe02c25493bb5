"""Checks on the state of a unit rather than its text: untranslated, fuzzy, blank.

``untranslated`` and ``fuzzy`` are counted: the runner decides them from the PO entry (empty
msgstr, ``#, fuzzy``) and the gate's max_untranslated / max_fuzzy decide their severity.
Their ``check`` is only used when a caller asks a single unit directly.
"""

from __future__ import annotations

import re

from bpod_i18n.checks.base import Check, Severity, UnitText

_LETTER_OR_DIGIT = re.compile(r"[^\W_]")


class Untranslated(Check):
    check_id = "untranslated"
    name = "Untranslated"
    description = (
        "The unit has no translation (empty msgstr). Counted against max_untranslated; an error "
        "when the locale is over that limit, a warning under it, a notice in entries not yet due."
    )
    message = "Not translated"
    severity = Severity.ERROR
    counted = True

    def check(self, unit: UnitText) -> str | None:
        return "not translated" if unit.target == "" else None


class Fuzzy(Check):
    check_id = "fuzzy"
    name = "Fuzzy"
    description = (
        "The unit is marked `#, fuzzy` (machine translation, needs work, or stale after a source "
        "change); it is not published. Counted against max_fuzzy like untranslated."
    )
    message = "Fuzzy translation"
    severity = Severity.ERROR
    counted = True

    def check(self, unit: UnitText) -> str | None:
        return "marked fuzzy (machine, needs work or stale)" if "fuzzy" in unit.flags and unit.target else None


class Blank(Check):
    check_id = "blank"
    name = "Blank translation"
    description = (
        "The translation is only spaces or punctuation while the source has words "
        "(gettext counts it as translated; a reader sees nothing)."
    )
    message = "Translation is blank"
    severity = Severity.ERROR
    stops = True

    def check(self, unit: UnitText) -> str | None:
        if _LETTER_OR_DIGIT.search(unit.target) or not _LETTER_OR_DIGIT.search(unit.source):
            return None
        return "translation has no letters or digits: " + repr(unit.target)

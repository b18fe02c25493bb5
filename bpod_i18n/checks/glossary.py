"""The glossary as a QA check: a translation uses the termbase's renderings of the terms of
its English, no forbidden rendering, and do-not-translate terms unchanged.

Like every check it sees units only, never files or settings: the caller hands it a function
that gives a locale's termbase (the workflow loads the project's ``glossary/en-<lc>.csv``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from bpod_i18n.checks.base import Check, Severity, UnitText
from bpod_i18n.glossary import CHECK_ID, Matcher, Termbase, check_with


class GlossaryCheck(Check):
    """``registry.register(GlossaryCheck(termbase_for))``; one matcher per locale, built on first use."""

    check_id: ClassVar[str] = CHECK_ID
    name: ClassVar[str] = "Glossary"
    description: ClassVar[str] = (
        "The translation follows the project's glossary: preferred or admitted renderings of the "
        "terms of the English, no forbidden rendering, do-not-translate terms unchanged."
    )
    message: ClassVar[str] = "Does not follow the glossary"
    severity: ClassVar[Severity] = Severity.WARNING

    def __init__(self, termbase_for: Callable[[str], Termbase]):
        self._termbase_for = termbase_for
        self._matchers: dict[str, Matcher] = {}

    def check(self, unit: UnitText) -> str | None:
        matcher = self._matchers.get(unit.locale)
        if matcher is None:
            matcher = self._matchers[unit.locale] = Matcher(self._termbase_for(unit.locale))
        violations = check_with(matcher, unit.source, unit.target)
        return "; ".join(v.message for v in violations) or None

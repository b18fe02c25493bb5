"""The glossary as a QA check of PO files, for `check` and `review`.

Its own module, apart from the glossary operations: the CI gate runs in checkouts with no
database, and this is all of the glossary it needs (settings and termbase files, no store).
"""

from __future__ import annotations

from typing import ClassVar

from bpod_i18n.checks.base import Check, Severity, UnitText
from bpod_i18n.config import Config
from bpod_i18n.glossary import Matcher, Termbase, check_with, load_pair


def termbase_of(config: Config, locale: str) -> Termbase:
    """The locale's termbase; empty when there is no file. A malformed file raises InputError."""
    locale = config.require_locale(locale)
    return load_pair(config.glossary_path, config.source_language, locale)


class GlossaryCheck(Check):
    """A translation must use the glossary's renderings, avoid forbidden ones and keep
    do-not-translate terms verbatim (``registry.register(glossary_check(config))``).
    One matcher per locale, built on first use."""

    check_id: ClassVar[str] = "glossary"
    name: ClassVar[str] = "Glossary"
    description: ClassVar[str] = (
        "The translation follows the project's glossary: preferred or admitted renderings of the "
        "terms of the English, no forbidden rendering, do-not-translate terms unchanged."
    )
    message: ClassVar[str] = "Does not follow the glossary"
    severity: ClassVar[Severity] = Severity.WARNING

    def __init__(self, config: Config):
        # Settings only, no database: `check` runs in CI checkouts that have none.
        self._config = config
        self._matchers: dict[str, Matcher] = {}

    def check(self, unit: UnitText) -> str | None:
        matcher = self._matchers.get(unit.locale)
        if matcher is None:
            matcher = self._matchers[unit.locale] = Matcher(termbase_of(self._config, unit.locale))
        violations = check_with(matcher, unit.source, unit.target)
        return "; ".join(v.message for v in violations) or None


def glossary_check(config: Config) -> GlossaryCheck:
    return GlossaryCheck(config)

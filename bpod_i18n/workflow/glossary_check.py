"""The glossary check (``checks/glossary.py``) wired to a project's termbase files, for
`check` and `review`.

Its own module, apart from the glossary operations: the CI gate runs in checkouts with no
database, and this is all of the glossary it needs (settings and termbase files, no store).
"""

from __future__ import annotations

from bpod_i18n.checks.glossary import GlossaryCheck
from bpod_i18n.config import Config
from bpod_i18n.glossary import Termbase, load_pair


def termbase_of(config: Config, locale: str) -> Termbase:
    """The locale's termbase; empty when there is no file. A malformed file raises InputError."""
    locale = config.require_locale(locale)
    return load_pair(config.glossary_path, config.source_language, locale)


def glossary_check(config: Config) -> GlossaryCheck:
    """The glossary check over the project's termbases (settings only: no database)."""
    return GlossaryCheck(lambda locale: termbase_of(config, locale))

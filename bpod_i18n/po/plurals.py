"""The Plural-Forms header of a locale, as translators' tools expect it.

GNU gettext's conventions (what msginit, Poedit, Lokalize and Weblate write), frozen in
``plural_table.py``: Catalan ``nplurals=2; plural=(n != 1);``, French ``(n > 1)``. Babel's
CLDR rules are not used for locales the table knows, because a new CLDR release changes them
(CLDR 42 gave ca, es, fr, it and pt a third form for "1 M"), and a translator's tool would see
every file's header change. A project may override a locale in ``[po] plural_forms``.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Mapping

from bpod_i18n.po.plural_table import PLURAL_FORMS

_FORMAT = re.compile(r"^\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*(.+?)\s*;?\s*$", re.DOTALL)
_NPLURALS = re.compile(r"\bnplurals\s*=\s*(\d+)")


class PluralFormsError(ValueError):
    """A Plural-Forms value that is not ``nplurals=N; plural=EXPR;`` with a valid C expression."""


def plural_forms(locale: str, overrides: Mapping[str, str] | None = None) -> str:
    """The header value for ``locale`` (``pt_BR`` before ``pt``; ``ca_ES`` falls back to ``ca``)."""
    code = locale.replace("-", "_").split("@")[0]
    for key in (locale, code, code.split("_")[0]):
        if overrides and key in overrides:
            return overrides[key]
    for key in (code, code.split("_")[0]):
        if key in PLURAL_FORMS:
            return PLURAL_FORMS[key]
    return _from_cldr(code)


def _from_cldr(code: str) -> str:
    """A locale gettext has no rule for: Babel's CLDR rule (may change with Babel's data)."""
    from babel.core import UnknownLocaleError
    from babel.messages.plurals import get_plural

    try:
        rule = get_plural(code)
    except (UnknownLocaleError, ValueError):
        return "nplurals=2; plural=(n != 1);"
    return f"nplurals={rule.num_plurals}; plural={rule.plural_expr};"


def nplurals(value: str) -> int | None:
    """N of a Plural-Forms value, None when it does not say."""
    found = _NPLURALS.search(value)
    return int(found.group(1)) if found else None


def validate(value: str) -> int:
    """Check a Plural-Forms value (as msgfmt would use it); returns nplurals."""
    found = _FORMAT.match(value)
    if not found:
        raise PluralFormsError(f"{value!r} is not of the form 'nplurals=N; plural=EXPR;'")
    count, expression = int(found.group(1)), found.group(2)
    if count < 1:
        raise PluralFormsError(f"nplurals must be at least 1, not {count}")
    try:
        rule = gettext.c2py(expression)
    except (ValueError, SyntaxError, RecursionError) as exc:
        raise PluralFormsError(f"plural={expression!r} is not a valid C plural expression ({exc})") from None
    for n in range(0, 1001):
        form = rule(n)
        if not 0 <= form < count:
            raise PluralFormsError(f"plural={expression!r} gives form {form} for n={n}, but nplurals={count}")
    return count

"""The Plural-Forms header of a locale, as translators' tools expect it.

GNU gettext's conventions (what msginit, Poedit, Lokalize and Weblate write), frozen in
``plural_table.py``: Catalan ``nplurals=2; plural=(n != 1);``, French ``(n > 1)``. Babel's
CLDR rules are not used for locales the table knows, because a new CLDR release changes them
(CLDR 42 gave ca, es, fr, it and pt a third form for "1 M"), and a translator's tool would see
every file's header change. A project may override a locale in ``[po] plural_forms``.
"""

from __future__ import annotations

import gettext
import json
import re
from collections.abc import Mapping

from bpod_i18n.po.plural_table import PLURAL_FORMS

_FORMAT = re.compile(r"^\s*nplurals\s*=\s*([^;]*?)\s*;\s*plural\s*=\s*(.+?)\s*;?\s*$", re.DOTALL)
CHECKED_UP_TO = 1000
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


def validate(value: str) -> tuple[int, str]:
    """Check a Plural-Forms value as gettext reads it: N a whole number >= 1, EXPR a C expression
    of n (the stdlib's ``gettext.c2py`` parses it) giving a form from 0 to N-1 for every n from 0
    to 1000. Returns nplurals and the value normalised (``nplurals=2; plural=(n != 1);``)."""
    found = _FORMAT.match(value)
    if not found:
        raise PluralFormsError(f'must look like "nplurals=2; plural=(n != 1);", not {json.dumps(value)}')
    if not found.group(1).isdigit() or int(found.group(1)) < 1:
        raise PluralFormsError(f"nplurals must be a whole number >= 1, not {json.dumps(found.group(1))}")
    count, expression = int(found.group(1)), found.group(2)
    try:
        rule = gettext.c2py(expression)
    except (ValueError, SyntaxError, RecursionError, TypeError) as exc:
        raise PluralFormsError(f"plural={expression} is not a C plural expression gettext accepts ({exc})") from None
    for n in range(CHECKED_UP_TO + 1):
        try:
            form = rule(n)
        except ArithmeticError:
            raise PluralFormsError(f"plural={expression} divides by zero for n = {n}") from None
        if not 0 <= form < count:
            raise PluralFormsError(
                f"plural={expression} gives form {form} for n = {n}; forms must be 0 to "
                f"{count - 1} with nplurals={count}"
            )
    return count, f"nplurals={count}; plural={expression};"

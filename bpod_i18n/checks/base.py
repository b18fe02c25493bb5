"""What every QA check is made of: a severity, the unit a check looks at, the check's shape.

A check is a small object with an id, a name, a default severity, a description and a short
message, and one method, ``check(unit) -> str | None``: the detail of what is wrong, or None.
Checks never see files or settings; the runner feeds them ``UnitText`` and decides severity,
silencing and the gate (Weblate's ``check_single(source, target, unit)``, one class per check).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import lru_cache
from typing import ClassVar

from babel import Locale, UnknownLocaleError
from babel.numbers import get_decimal_symbol, get_group_symbol

from bpod_i18n import markup

SOURCE_LOCALE = "en"
CHECK_ID = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
# Spaces that separate digit groups in every locale's typography (no-break, narrow no-break, thin).
NARROW_SPACES = frozenset("\u00a0\u202f\u2009")


class Severity(StrEnum):
    ERROR = "error"  # fails the gate
    WARNING = "warning"  # reported, never fails the gate
    NOTICE = "notice"  # counted in the summary; listed only on request (work not due yet)

    @property
    def rank(self) -> int:
        return {"error": 2, "warning": 1, "notice": 0}[self.value]


@dataclass(frozen=True, eq=False)  # one instance per locale (cached): identity is equality
class LocaleRules:
    """Typography of one locale that checks need: number symbols and the language code."""

    code: str  # as the PO header or path names it: "ca", "pt_BR"
    language: str  # "ca", "pt"
    decimal: str
    groups: frozenset[str]  # digit-group separators accepted in this locale
    space_groups: bool  # whether a plain space may separate digit groups (fr, es per RAE)


@lru_cache(maxsize=64)
def locale_rules(code: str) -> LocaleRules:
    """Rules from CLDR (Babel) for a locale code; ValueError if Babel does not know it."""
    try:
        locale = Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError) as exc:
        raise ValueError(f"unknown locale {code!r}") from exc
    decimal = get_decimal_symbol(locale)
    group = get_group_symbol(locale)
    space_like = group.isspace() or group in NARROW_SPACES
    return LocaleRules(
        code=code,
        language=locale.language,
        decimal=decimal,
        groups=frozenset({group}) | NARROW_SPACES,
        # RAE (Spanish) and French typography group with spaces; a plain space is what
        # most keyboards type, so accept it there (and only there: "16 200" is ambiguous).
        space_groups=space_like or locale.language == "es",
    )


@dataclass(frozen=True, slots=True)
class UnitText:
    """One translated unit as a check sees it."""

    source: str
    target: str
    rules: LocaleRules
    flags: frozenset[str] = frozenset()
    unit_id: str = ""  # msgctxt
    entry: str = ""  # slug of the entry, "site" for the site catalog
    comments: str = ""  # extracted comments (#.), e.g. glossary hints
    length_ratio: tuple[float, float] = (0.5, 2.0)

    @property
    def locale(self) -> str:
        return self.rules.code


class Check:
    """Base of every check: subclasses set the class attributes and implement ``check``."""

    check_id: ClassVar[str]
    name: ClassVar[str]
    description: ClassVar[str]
    message: ClassVar[str]  # short statement of the problem, used as a title
    severity: ClassVar[Severity] = Severity.WARNING
    # Count-gated checks (untranslated, fuzzy) run on every unit and get their severity from
    # the gate thresholds; the others run on translated units only.
    counted: ClassVar[bool] = False
    # When a check that stops fires, later checks skip the unit (a blank target would
    # otherwise also "differ" in numbers, tags, punctuation...).
    stops: ClassVar[bool] = False
    # Checks of the text itself read it without its inline tags (numbers, punctuation, length
    # and the rest are about the words: <sup>2+</sup> is "2+"); those that are about the tags
    # say so here and get the tagged text.
    reads_markup: ClassVar[bool] = False

    def check(self, unit: UnitText) -> str | None:  # pragma: no cover - abstract
        raise NotImplementedError

    @property
    def ignore_flag(self) -> str:
        return f"ignore-{self.check_id}"

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.check_id}>"


def without_markup(unit: UnitText) -> UnitText:
    """``unit`` with its source and target as plain text (bpod_i18n.markup: tags dropped,
    ``<br/>`` as a line break); the same object when neither has any."""
    source, target = unit.source, unit.target
    if "<" not in source and "<" not in target and "&" not in source and "&" not in target:
        return unit
    return replace(unit, source=markup.plain(source), target=markup.plain(target))


def describe_counter(items: dict[str, int]) -> str:
    """'<em>, 2 × {name}' from a mapping of item to count, in a stable order."""
    return ", ".join(item if n == 1 else f"{n} × {item}" for item, n in sorted(items.items()))


def shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"

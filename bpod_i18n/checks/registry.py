"""The list of checks that run, in the order they run: explicit, never discovered by reflection.

``default_registry()`` builds the standard list; a caller adds its own with
``registry.register(check)``: the glossary check (``checks/glossary.py``) is registered this
way by the workflow, which knows where the project's termbases are.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from bpod_i18n.checks.base import CHECK_ID, Check
from bpod_i18n.checks.consistency import CatalogCheck, Inconsistent
from bpod_i18n.checks.markup import Emails, Markup, Placeholders, Urls
from bpod_i18n.checks.numbers import NumberFormat, Numbers
from bpod_i18n.checks.pairs import Brackets, Quotes
from bpod_i18n.checks.punctuation import EndPunctuation, InvertedMarks, PunctuationSpacing, StartCapital
from bpod_i18n.checks.state import Blank, Fuzzy, Untranslated
from bpod_i18n.checks.text import (
    DntTerms,
    DoubleSpace,
    Escapes,
    LeadingWhitespace,
    LengthRatio,
    Newlines,
    RepeatedWord,
    SameAsSource,
    TrailingWhitespace,
)
from bpod_i18n.checks.unicode import BidiControls, ControlCharacters, InvisibleCharacters, UnicodeVariant

AnyCheck = Check | CatalogCheck


class Registry:
    """An ordered set of checks keyed by check id."""

    def __init__(self, checks: Iterable[AnyCheck] = ()) -> None:
        self._checks: dict[str, AnyCheck] = {}
        for check in checks:
            self.register(check)

    def register(self, check: AnyCheck) -> AnyCheck:
        """Add a check at the end; its id must be new and look like ``end-punctuation``."""
        check_id = getattr(check, "check_id", None)
        if not isinstance(check_id, str) or not CHECK_ID.match(check_id):
            raise ValueError(f"check id must be lower-case words joined by hyphens, not {check_id!r}")
        if check_id in self._checks:
            raise ValueError(f"a check with id {check_id!r} is already registered")
        for attribute in ("name", "description", "message", "severity"):
            if not getattr(check, attribute, None):
                raise ValueError(f"check {check_id!r} has no {attribute}")
        self._checks[check_id] = check
        return check

    def get(self, check_id: str) -> AnyCheck:
        return self._checks[check_id]

    def __contains__(self, check_id: object) -> bool:
        return check_id in self._checks

    def __iter__(self) -> Iterator[AnyCheck]:
        return iter(self._checks.values())

    def __len__(self) -> int:
        return len(self._checks)

    def ids(self) -> list[str]:
        return list(self._checks)

    @property
    def unit_checks(self) -> list[Check]:
        return [check for check in self._checks.values() if isinstance(check, Check)]

    @property
    def catalog_checks(self) -> list[CatalogCheck]:
        return [check for check in self._checks.values() if isinstance(check, CatalogCheck)]


def default_checks(*, dnt: DntTerms | None = None) -> list[AnyCheck]:
    """The standard checks in running order (state first, then the ones that stop a unit)."""
    return [
        Untranslated(),
        Fuzzy(),
        Blank(),
        Numbers(),
        NumberFormat(),
        Markup(),
        Placeholders(),
        Urls(),
        Emails(),
        EndPunctuation(),
        InvertedMarks(),
        PunctuationSpacing(),
        StartCapital(),
        Brackets(),
        Quotes(),
        LeadingWhitespace(),
        TrailingWhitespace(),
        DoubleSpace(),
        RepeatedWord(),
        Newlines(),
        Escapes(),
        ControlCharacters(),
        BidiControls(),
        InvisibleCharacters(),
        UnicodeVariant(),
        SameAsSource(dnt),
        LengthRatio(),
        Inconsistent(),
    ]


def default_registry(*, dnt: DntTerms | None = None) -> Registry:
    """A fresh registry with the standard checks; ``dnt``: do-not-translate terms or predicate."""
    return Registry(default_checks(dnt=dnt))

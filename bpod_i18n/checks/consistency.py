"""Checks across the units of a locale, run once after every file has been read."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from typing import ClassVar, NamedTuple

from bpod_i18n.checks.base import Severity, shorten


class TranslatedUnit(NamedTuple):
    """A translated, non-fuzzy unit as a catalog check sees it (where it is, what it says).

    A named tuple, not a dataclass: one per unit crosses from the worker processes, and
    tuples pickle several times faster.
    """

    source: str
    target: str
    file: str
    line: int
    entry: str
    unit_id: str


class CatalogCheck:
    """A check over all translated units of one locale (Weblate's "inconsistent")."""

    check_id: ClassVar[str]
    name: ClassVar[str]
    description: ClassVar[str]
    message: ClassVar[str]
    severity: ClassVar[Severity] = Severity.WARNING
    counted: ClassVar[bool] = False
    stops: ClassVar[bool] = False

    def check_catalog(
        self, units: Sequence[TranslatedUnit]
    ) -> Iterator[tuple[TranslatedUnit, str]]:  # pragma: no cover
        raise NotImplementedError

    @property
    def ignore_flag(self) -> str:
        return f"ignore-{self.check_id}"


class Inconsistent(CatalogCheck):
    check_id = "inconsistent"
    name = "Inconsistent translations"
    description = (
        "The same English text is translated differently in another unit of the locale; the "
        "units that differ from the most common translation are reported."
    )
    message = "Inconsistent translation"

    def check_catalog(self, units: Sequence[TranslatedUnit]) -> Iterator[tuple[TranslatedUnit, str]]:
        by_source: dict[str, list[TranslatedUnit]] = defaultdict(list)
        for unit in units:
            by_source[unit.source].append(unit)
        for same_source in by_source.values():
            if len(same_source) < 2:
                continue
            targets = Counter(unit.target for unit in same_source)
            if len(targets) < 2:
                continue
            ranked = targets.most_common()
            # With a tie there is no majority to follow: every variant is reported.
            majority = ranked[0][0] if ranked[0][1] > ranked[1][1] else None
            for unit in same_source:
                if unit.target == majority:
                    continue
                wanted = majority if majority is not None else next(t for t, _ in ranked if t != unit.target)
                other = next(u for u in same_source if u.target == wanted)
                yield (
                    unit,
                    (f"translated {len(targets)} ways; {other.entry}#{other.unit_id} has {shorten(other.target)!r}"),
                )

"""Localised dates as the mirror writes them ("30 d'abril de 2016", "12 d’octubre de 2018",
"dilluns, 30 d'abril del 2016"), read through Babel's CLDR month and day names, never a
hand-made list: any locale Babel knows reads the same way ("30 de abril de 2016" in es)."""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata

from babel.dates import get_day_names, get_month_names

_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "`": "'", "´": "'"})


def _fold(text: str) -> str:
    """Lower case, typographic apostrophes made straight, accents kept (març ≠ marc)."""
    return unicodedata.normalize("NFC", text).translate(_APOSTROPHES).casefold()


@functools.cache
def _pattern(locale: str) -> tuple[re.Pattern[str], dict[str, int]]:
    months: dict[str, int] = {}
    for context in ("stand-alone", "format"):
        for width in ("wide", "abbreviated"):
            for number, name in get_month_names(width, context, locale).items():
                folded = _fold(name).rstrip(".")
                # Catalan's format names carry their preposition ("de gener", "d'abril"): the
                # month word is the last word, the preposition is matched apart.
                word = re.split(r"[\s']", folded)[-1]
                if len(word) >= 3:
                    months.setdefault(word, number)
    days = {
        _fold(name) for width in ("wide", "abbreviated") for name in get_day_names(width, "format", locale).values()
    }
    month_re = "|".join(sorted(map(re.escape, months), key=len, reverse=True))
    day_re = "|".join(sorted(map(re.escape, days), key=len, reverse=True))
    pattern = re.compile(
        rf"(?:(?:{day_re})\.?,?\s+)?(\d{{1,2}})\.?\s+(?:(?:de|del)\s+|d')?\s*({month_re})\.?,?\s+(?:(?:de|del)\s+)?(\d{{4}})"
    )
    return pattern, months


def parse_local_date(text: str, locale: str) -> dt.date | None:
    """The date a whole line states, in ``locale``'s words; None if the line is not a date.

    Raises ValueError for a date-shaped line that names no real day (31 de febrer de 2016).
    """
    pattern, months = _pattern(locale.split("_")[0])
    match = pattern.fullmatch(_fold(text).strip())
    if match is None:
        return None
    return dt.date(int(match.group(3)), months[match.group(2)], int(match.group(1)))

"""Entry dates in each mirror's house style.

Month names and pattern handling come from Babel (CLDR); nothing here keeps a month table.
The only hand-written piece is the Catalan elision of "de" (see :func:`elide_catalan_de`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, get_date_format

from bpod_i18n.errors import UsageError

# House styles that differ from CLDR's long format. Keys are locale tags or bare languages.
#  - ca: the Catalan mirror writes "22 de juliol de 2016" / "12 d'octubre de 2018". CLDR's
#    long format gives "22 de juliol del 2016" and its format-context month names carry the
#    preposition ("d’abril"), so the mirror's pattern uses stand-alone month names (LLLL),
#    writes "de" itself and lets elide_catalan_de() contract it.
#  - en: BPoD itself writes "22 July 2016" (CLDR en_GB long), not CLDR en's "July 22, 2016".
# Every other locale uses CLDR's long date format, e.g. es "22 de julio de 2016".
DEFAULT_DATE_PATTERNS: Mapping[str, str] = {
    "ca": "d 'de' LLLL 'de' y",
    "en": "d MMMM y",
}

# The mirror uses the typewriter apostrophe ("d'octubre"), as in its page text.
CATALAN_APOSTROPHE = "'"
_VOWEL = "aeiouàáèéíïòóúü"
# "de" before a word that starts with a vowel sound: a vowel, or a mute h then a vowel.
# Not before i/u acting as consonants (i/u + vowel: "de iode", "de hiena", "de Uagadugu").
_CATALAN_DE_BEFORE_VOWEL = re.compile(rf"\b([Dd])e (?=h?[{_VOWEL}])(?!h?[iuïü][{_VOWEL}])", re.IGNORECASE)


def elide_catalan_de(text: str) -> str:
    """Contract "de" to "d'" before a vowel sound, the Catalan elision rule.

    In dates this touches exactly the months abril, agost and octubre ("3 d'abril de 2019",
    "20 d'agost de 2018", "12 d'octubre de 2018"); "de" before a consonant month or a year
    stays ("22 de juliol de 2016"). The rule is the general one, so a custom pattern with
    other words ("de hivern" → "d'hivern") is handled the same way.
    """
    return _CATALAN_DE_BEFORE_VOWEL.sub(lambda m: m.group(1) + CATALAN_APOSTROPHE, text)


@lru_cache(maxsize=64)
def parse_locale(locale: str) -> Locale:
    """``ca``, ``ca-ES``, ``ca_ES`` or ``ca-ES-valencia`` → Babel Locale; UsageError if unknown."""
    try:
        return Locale.parse(locale.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        raise UsageError(f"unknown locale {locale!r}") from None


def default_date_pattern(locale: str, overrides: Mapping[str, str] | None = None) -> str:
    """The pattern for ``locale``: ``overrides`` then house styles (exact tag, then language), then CLDR long."""
    tag = locale.replace("_", "-")
    language = tag.split("-", 1)[0]
    for table in (overrides or {}, DEFAULT_DATE_PATTERNS):
        for key in (tag, language):
            if key in table:
                return table[key]
    return get_date_format("long", locale=parse_locale(locale)).pattern


def format_entry_date(date: dt.date, locale: str, pattern: str | None = None) -> str:
    """``date`` as the mirror of ``locale`` writes it.

    ``pattern`` is a Babel/CLDR date pattern ("d 'de' MMMM 'de' y") or one of short, medium,
    long, full; None picks :func:`default_date_pattern`. For Catalan the elision rule is
    applied after Babel has formatted the date, whatever the pattern.
    """
    babel_locale = parse_locale(locale)
    chosen = pattern if pattern is not None else default_date_pattern(locale)
    try:
        text = format_date(date, format=chosen, locale=babel_locale)
    except (ValueError, KeyError, AttributeError) as exc:
        raise UsageError(f"bad date pattern {chosen!r} for locale {locale}: {exc}") from None
    if babel_locale.language == "ca":
        text = elide_catalan_de(text)
    return text

"""House-style entry dates: Catalan mirror style with elision, CLDR for the rest, custom patterns."""

from __future__ import annotations

import datetime as dt

import pytest

from bpod_i18n.errors import UsageError
from bpod_i18n.render import default_date_pattern, elide_catalan_de, format_entry_date


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        (dt.date(2016, 7, 22), "22 de juliol de 2016"),  # no elision before a consonant
        (dt.date(2018, 10, 12), "12 d'octubre de 2018"),
        (dt.date(2018, 8, 20), "20 d'agost de 2018"),
        (dt.date(2019, 4, 3), "3 d'abril de 2019"),
        (dt.date(2017, 1, 9), "9 de gener de 2017"),  # day without a leading zero
        (dt.date(2020, 3, 1), "1 de març de 2020"),  # first of the month
        (dt.date(2021, 12, 31), "31 de desembre de 2021"),
    ],
)
def test_catalan_mirror_style(date: dt.date, expected: str) -> None:
    assert format_entry_date(date, "ca") == expected


def test_catalan_is_not_cldr_long_format() -> None:
    # CLDR's Catalan long format says "del 2016"; the mirror writes "de 2016".
    assert format_entry_date(dt.date(2016, 7, 22), "ca", "long") == "22 de juliol del 2016"
    assert format_entry_date(dt.date(2016, 7, 22), "ca") == "22 de juliol de 2016"


def test_catalan_region_and_variant_tags_use_the_same_style() -> None:
    assert format_entry_date(dt.date(2019, 4, 3), "ca-ES") == "3 d'abril de 2019"
    assert format_entry_date(dt.date(2018, 8, 20), "ca_ES_VALENCIA") == "20 d'agost de 2018"


@pytest.mark.parametrize(
    ("locale", "date", "expected"),
    [
        ("es", dt.date(2016, 7, 22), "22 de julio de 2016"),
        ("es", dt.date(2018, 10, 12), "12 de octubre de 2018"),  # no elision outside Catalan
        ("es", dt.date(2020, 3, 1), "1 de marzo de 2020"),
        ("en", dt.date(2016, 7, 22), "22 July 2016"),  # BPoD's own style
        ("en", dt.date(2019, 4, 3), "3 April 2019"),
        ("fr", dt.date(2016, 7, 22), "22 juillet 2016"),  # CLDR long format
    ],
)
def test_other_locales(locale: str, date: dt.date, expected: str) -> None:
    assert format_entry_date(date, locale) == expected


def test_custom_patterns() -> None:
    date = dt.date(2018, 10, 12)
    assert format_entry_date(date, "es", "d 'de' MMMM 'de' y") == "12 de octubre de 2018"
    assert format_entry_date(date, "en", "d MMMM y") == "12 October 2018"
    assert format_entry_date(date, "en", "MMMM d, y") == "October 12, 2018"
    assert format_entry_date(date, "ca", "EEEE, d 'de' LLLL 'de' y") == "divendres, 12 d'octubre de 2018"
    assert format_entry_date(date, "ca", "dd/MM/y") == "12/10/2018"


def test_default_pattern_lookup_and_overrides() -> None:
    assert default_date_pattern("ca") == "d 'de' LLLL 'de' y"
    assert default_date_pattern("ca-ES") == "d 'de' LLLL 'de' y"
    assert default_date_pattern("es") == "d 'de' MMMM 'de' y"  # from CLDR
    assert default_date_pattern("es", {"es": "d/M/y"}) == "d/M/y"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("de abril", "d'abril"),
        ("de agost", "d'agost"),
        ("de octubre", "d'octubre"),
        ("de juliol", "de juliol"),
        ("de gener", "de gener"),
        ("de 2016", "de 2016"),
        ("de hivern", "d'hivern"),  # mute h
        ("de hiena", "de hiena"),  # h + i + vowel: consonant sound
        ("de iogurt", "de iogurt"),  # i + vowel: consonant sound
        ("De octubre", "D'octubre"),
        ("tarde abril", "tarde abril"),  # only the word "de"
    ],
)
def test_elision_rule(text: str, expected: str) -> None:
    assert elide_catalan_de(text) == expected


def test_unknown_locale_and_bad_pattern_are_usage_errors() -> None:
    with pytest.raises(UsageError, match="unknown locale 'xx-nope'"):
        format_entry_date(dt.date(2016, 7, 22), "xx-nope")
    with pytest.raises(UsageError, match="bad date pattern"):
        format_entry_date(dt.date(2016, 7, 22), "ca", "zzzz")

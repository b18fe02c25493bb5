"""Each QA check, firing and not firing, on the text of one unit."""

from __future__ import annotations

import pytest

from bpod_i18n.checks import Check, UnitText, default_registry, locale_rules
from bpod_i18n.checks.markup import Emails, Markup, Placeholders, Urls
from bpod_i18n.checks.numbers import NumberFormat, Numbers
from bpod_i18n.checks.pairs import Brackets, Quotes
from bpod_i18n.checks.punctuation import EndPunctuation, InvertedMarks, PunctuationSpacing, StartCapital
from bpod_i18n.checks.state import Blank, Fuzzy, Untranslated
from bpod_i18n.checks.text import (
    DoubleSpace,
    Escapes,
    LeadingWhitespace,
    LengthRatio,
    Newlines,
    RepeatedWord,
    SameAsSource,
    TrailingWhitespace,
)
from bpod_i18n.checks.unicode import ControlCharacters, InvisibleCharacters, UnicodeVariant

MICRO = "\u00b5"  # MICRO SIGN
MU = "\u03bc"  # GREEK SMALL LETTER MU


def run(check: Check, source: str, target: str, locale: str = "ca", **extra) -> str | None:
    return check.check(UnitText(source=source, target=target, rules=locale_rules(locale), **extra))


# (check, source, target, locale, expected message) — the check fires with exactly this message.
FIRES = [
    (Untranslated(), "Hello.", "", "ca", "not translated"),
    (Fuzzy(), "Hello.", "Hola.", "ca", "marked fuzzy (machine, needs work or stale)"),
    (Blank(), "T cells raise the alarm.", " . ", "ca", "translation has no letters or digits: ' . '"),
    (Numbers(), "It measures 1,000 µm.", "Mesura 1,000 µm.", "ca", "missing '1,000 µm'; extra '1,000 µm' (= 1 in ca)"),
    (Numbers(), "Over 4000 images.", "Més de 400 imatges.", "ca", "missing '4000'; extra '400'"),
    (Numbers(), "Cells 5 µm wide.", "Cèl·lules de 5 mm d'amplada.", "ca", "5 µm became 5 mm"),
    (Numbers(), "It is 3.5 times bigger.", "És 35 vegades més gran.", "es", "missing '3.5'; extra '35'"),
    (
        NumberFormat(),
        "It is 3.5 times bigger.",
        "És 3.5 vegades més gran.",
        "ca",
        "'3.5' is English notation; ca writes 3,5",
    ),
    (Markup(), "Look at <em>this</em>.", "Mira <i>això</i>.", "ca", "renamed: <em>…</em> became <i>…</i>"),
    (Markup(), "A<br/>B", "A B", "ca", "missing <br/>"),
    (Placeholders(), "Written by %s", "Escrit per", "ca", "missing placeholders %s"),
    (Placeholders(), "Hello {name}", "Hola {nom}", "ca", "missing placeholders {name}; extra placeholders {nom}"),
    (
        Placeholders(),
        "%(count)d images",
        "%(count)s imatges",
        "ca",
        "missing placeholders %(count)d; extra placeholders %(count)s",
    ),
    (
        Urls(),
        "See https://bpod.org.uk/archive.",
        "Vegeu https://bpod.org.uk/arxiu.",
        "ca",
        "missing URLs https://bpod.org.uk/archive; extra URLs https://bpod.org.uk/arxiu",
    ),
    (
        Emails(),
        "Write to bpod@example.org.",
        "Escriviu a bpod@example.com.",
        "ca",
        "missing e-mail addresses bpod@example.org; extra e-mail addresses bpod@example.com",
    ),
    (EndPunctuation(), "Why?", "Per què.", "ca", "source ends with a question mark, translation with a full stop"),
    (EndPunctuation(), "As follows:", "Com segueix", "ca", "source ends with a colon, translation with no punctuation"),
    (EndPunctuation(), "And then…", "I aleshores.", "ca", "source ends with an ellipsis, translation with a full stop"),
    (InvertedMarks(), "Why?", "Por qué?", "es", "1 × '?' but 0 × '¿'"),
    (InvertedMarks(), "Wow!", "¡Vaya", "es", "0 × '!' but 1 × '¡'"),
    (PunctuationSpacing(), "Why?", "Per què ?", "ca", "space before '?'"),
    (PunctuationSpacing(), "Why?", "Pourquoi?", "fr", "no space in 'i?'"),
    (
        StartCapital(),
        "T cells raise the alarm.",
        "les cèl·lules T donen l'alarma.",
        "ca",
        "source starts with 'T', translation with 'l'",
    ),
    (Brackets(), "Cells (here) glow.", "Cèl·lules (aquí brillen.", "ca", "translation has unclosed (: 1 (source 0)"),
    (
        Brackets(),
        "See (fig. 1).",
        "Vegeu (fig. 1].",
        "ca",
        "translation has unclosed (: 1 (source 0), stray ]: 1 (source 0)",
    ),
    (
        Quotes(),
        "He said “stop”.",
        "Va dir «atura.",
        "ca",
        "1 unpaired quotation mark(s) in the translation, 0 in the source",
    ),
    (
        Quotes(),
        "He said “stop”.",
        "Va dir «atura”.",
        "ca",
        "2 unpaired quotation mark(s) in the translation, 0 in the source",
    ),
    (LeadingWhitespace(), "Hello.", " Hola.", "ca", "source starts with '', translation with ' '"),
    (TrailingWhitespace(), "Hello.", "Hola.\n", "ca", "source ends with '', translation with '\\n'"),
    (DoubleSpace(), "T cells raise the alarm.", "Les cèl·lules T  donen l'alarma.", "ca", "double space in 'T  d'"),
    (RepeatedWord(), "Look at the cells.", "Mira les les cèl·lules.", "ca", "'les' repeated: 'les les'"),
    (Newlines(), "Line one\nline two", "Línia u línia dos", "ca", "source has 1 \\n, translation 0"),
    (Escapes(), "Path a\\b", "Camí ab", "ca", "source has 1 backslashes, translation 0"),
    (ControlCharacters(), "Hello.", "Hola\x07.", "ca", "control characters: U+0007"),
    (InvisibleCharacters(), "Hello.", "Ho\u200bla.", "ca", "invisible characters: U+200B ZERO WIDTH SPACE"),
    (
        UnicodeVariant(),
        f"Cells 5 {MICRO}m wide.",
        f"Cèl·lules de 5 {MU}m.",
        "ca",
        "source uses U+00B5 MICRO SIGN, translation U+03BC GREEK SMALL LETTER MU",
    ),
    (
        UnicodeVariant(),
        f"Cells 5 {MICRO}m wide.",
        f"De 5 {MICRO}m a 7 {MU}m.",
        "ca",
        "translation mixes U+00B5 MICRO SIGN and U+03BC GREEK SMALL LETTER MU",
    ),
    (UnicodeVariant(), "Café.", "Cafe\u0301.", "ca", "translation is not in Unicode NFC (decomposed characters)"),
    (
        SameAsSource(),
        "Massing to Defend",
        "Massing to Defend",
        "ca",
        "translation is the English text: 'Massing to Defend'",
    ),
    (
        LengthRatio(),
        "T cells raise the alarm in the body.",
        "Alarma.",
        "ca",
        "translation is 0.19 × the source length, shorter than the range 0.5–2",
    ),
]


@pytest.mark.parametrize(
    ("check", "source", "target", "locale", "expected"),
    FIRES,
    ids=lambda v: v.check_id if isinstance(v, Check) else None,
)
def test_check_fires(check: Check, source: str, target: str, locale: str, expected: str) -> None:
    flags = frozenset({"fuzzy"}) if check.check_id == "fuzzy" else frozenset()
    assert run(check, source, target, locale, flags=flags) == expected


# (check, source, target, locale) — a correct translation: the check stays silent.
QUIET = [
    (Untranslated(), "Hello.", "Hola.", "ca"),
    (Fuzzy(), "Hello.", "Hola.", "ca"),
    (Blank(), "...", "…", "ca"),
    # Decimal comma and period digit groups are the same numbers in Catalan and Spanish.
    (Numbers(), "It is 3.5 times bigger.", "És 3,5 vegades més gran.", "ca"),
    (Numbers(), "It is 3.5 times bigger.", "Es 3,5 veces mayor.", "es"),
    (Numbers(), "It measures 1,000 µm.", "Mesura 1.000 µm.", "ca"),
    (Numbers(), "It measures 1,000.5 µm.", "Mesura 1.000,5 µm.", "es"),
    (Numbers(), "Over 4000 images.", "Més de 4.000 imatges.", "ca"),
    (Numbers(), "Over 40,000 images.", "Más de 40 000 imágenes.", "es"),
    (Numbers(), "Over 40,000 images.", "Més de 40\u00a0000 imatges.", "ca"),
    # µ (micro sign) and μ (Greek mu) are one unit for the numbers check.
    (Numbers(), f"Cells 5 {MICRO}m wide.", f"Cèl·lules de 5 {MU}m.", "ca"),
    (Numbers(), "On 22 July 2016.", "El 22 de juliol de 2016.", "ca"),
    (Numbers(), "In the 21st century.", "Al segle XXI.", "ca"),
    (Numbers(), "About 50% of cells.", "Prop del 50 % de les cèl·lules.", "es"),
    (Numbers(), "CD8+ T cells.", "Limfòcits T CD8+.", "ca"),
    (NumberFormat(), "It is 3.5 times bigger.", "És 3,5 vegades més gran.", "ca"),
    (NumberFormat(), "In 2016.", "El 2016.", "ca"),
    (Markup(), 'Look at <a href="/x">this</a>.', 'Mira <a href="/x">això</a>.', "ca"),
    (Placeholders(), "About 50% of cells.", "Prop del 50 % de les cèl·lules.", "ca"),
    (Placeholders(), "Written by {author}", "Escrit per {author}", "ca"),
    (Urls(), "See https://bpod.org.uk/archive.", "Vegeu https://bpod.org.uk/archive.", "ca"),
    (Emails(), "Write to bpod@example.org.", "Escriviu a bpod@example.org.", "ca"),
    (EndPunctuation(), "Why?", "¿Por qué?", "es"),
    (EndPunctuation(), "He said “stop.”", "Va dir «atura».", "ca"),
    (EndPunctuation(), "And then...", "I aleshores…", "ca"),
    (EndPunctuation(), "Massing to Defend", "Concentrats per defensar", "ca"),
    (InvertedMarks(), "Why? Wow!", "¿Por qué? ¡Vaya!", "es"),
    (InvertedMarks(), "Why?", "Per què?", "ca"),
    (PunctuationSpacing(), "Why?", "Per què?", "ca"),
    (PunctuationSpacing(), "Why?", "Pourquoi\u202f?", "fr"),
    (PunctuationSpacing(), "At 10:30", "À 10:30", "fr"),
    (StartCapital(), "T cells raise the alarm.", "Els limfòcits T donen l'alarma.", "ca"),
    (StartCapital(), "Why?", "¿Por qué?", "es"),
    (StartCapital(), "2016 was a year.", "el 2016 va ser un any.", "ca"),
    (Brackets(), "Cells (here) glow.", "Cèl·lules (aquí) brillen.", "ca"),
    (Brackets(), "It continues (as seen.", "Continua (com es veu.", "ca"),
    (Quotes(), "He said “stop”.", "Va dir «atura».", "ca"),
    (Quotes(), 'He said "stop".', "Dijo «para».", "es"),
    (Quotes(), "He said “stop”.", "Er sagte „halt“.", "de"),
    (Quotes(), "“It opens here.", "«Comença aquí.", "ca"),
    (LeadingWhitespace(), "Hello.", "Hola.", "ca"),
    (TrailingWhitespace(), "Hello. ", "Hola. ", "ca"),
    (DoubleSpace(), "T cells  raise.", "Limfòcits T  alerten.", "ca"),
    (RepeatedWord(), "Look at the cells.", "Mira les cèl·lules.", "ca"),
    (RepeatedWord(), "We have.", "Nous nous sommes.", "fr"),
    (Newlines(), "Line one\nline two", "Línia u\nlínia dos", "ca"),
    (Escapes(), "Hello.", "Hola.", "ca"),
    (ControlCharacters(), "Hello.", "Hola.", "ca"),
    (InvisibleCharacters(), "Hello.", "Hola.", "ca"),
    (UnicodeVariant(), f"Cells 5 {MICRO}m wide.", f"Cèl·lules de 5 {MICRO}m.", "ca"),
    (UnicodeVariant(), "Café.", "Cafè.", "ca"),
    (SameAsSource(), "Emmanuelle Briolat", "Emmanuelle Briolat", "ca"),
    (SameAsSource(), "BPoD", "BPoD", "ca"),
    (SameAsSource(), "2016", "2016", "ca"),
    (SameAsSource(), "Hello.", "Hola.", "ca"),
    (LengthRatio(), "T cells raise the alarm in the body.", "Els limfòcits T donen l'alarma al cos.", "ca"),
    (LengthRatio(), "Yes.", "D'acord, doncs sí, evidentment.", "ca"),
]


@pytest.mark.parametrize(
    ("check", "source", "target", "locale"), QUIET, ids=lambda v: v.check_id if isinstance(v, Check) else None
)
def test_check_quiet(check: Check, source: str, target: str, locale: str) -> None:
    assert run(check, source, target, locale) is None


def test_same_as_source_accepts_dnt_terms_and_predicate() -> None:
    source = "Drosophila melanogaster"
    assert run(SameAsSource(), source, source) == "translation is the English text: 'Drosophila melanogaster'"
    assert run(SameAsSource({"Drosophila melanogaster"}), source, source) is None
    assert run(SameAsSource(lambda text: text.endswith("melanogaster")), source, source) is None
    # A DNT term does not excuse the ordinary words around it.
    assert run(SameAsSource({"Drosophila"}), "Drosophila flies", "Drosophila flies") == (
        "translation is the English text: 'Drosophila flies'"
    )


def test_length_ratio_uses_the_unit_range() -> None:
    source, target = "T cells raise the alarm in the body.", "Alarma corporal."
    assert run(LengthRatio(), source, target, length_ratio=(0.3, 2.0)) is None
    assert run(LengthRatio(), source, target, length_ratio=(0.5, 2.0)) == (
        "translation is 0.44 × the source length, shorter than the range 0.5–2"
    )


def test_default_registry_order_and_documentation() -> None:
    registry = default_registry()
    assert registry.ids() == [
        "untranslated",
        "fuzzy",
        "blank",
        "numbers",
        "number-format",
        "markup",
        "placeholders",
        "urls",
        "emails",
        "end-punctuation",
        "inverted-marks",
        "punctuation-spacing",
        "start-capital",
        "brackets",
        "quotes",
        "leading-whitespace",
        "trailing-whitespace",
        "double-space",
        "repeated-word",
        "newlines",
        "escapes",
        "control-characters",
        "bidi-controls",
        "invisible-characters",
        "unicode-variant",
        "same-as-source",
        "length-ratio",
        "inconsistent",
    ]
    for check in registry:
        assert check.name and check.description and check.message
        assert check.ignore_flag == f"ignore-{check.check_id}"


def test_registry_rejects_duplicates_and_bad_ids() -> None:
    registry = default_registry()
    with pytest.raises(ValueError, match="already registered"):
        registry.register(Numbers())

    class Shouting(Check):
        check_id = "Shouting"
        name = "Shouting"
        description = "d"
        message = "m"

    with pytest.raises(ValueError, match="lower-case words"):
        registry.register(Shouting())

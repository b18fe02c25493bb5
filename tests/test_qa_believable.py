"""QA a reviewer believes (issue 13, point 7): what a translator may rightly write stays quiet,
what is wrong keeps its exact message.

One table, source/target pairs in Catalan, Spanish and French: numbers written as words
("3 studies" → "tres estudis", "1,000" → "mil", "2 million" → "dos milions", "21st" →
"vint-i-unè"), both directions; version numbers, licences and identifiers (2.0, BY 4.0, CC
BY-NC 3.0, SOX2, COVID-19, H1N1, DOIs, Fig. 2a) never told to use a decimal comma; short
glossary renderings ("gene → gen") found in their plurals ("gens", "genes") but never inside
another word ("gener", "genoma"). The true positives next to them stay errors: 45 nm → 54 nm,
a missing number, a missing term.
"""

from __future__ import annotations

import pytest

from bpod_i18n.checks import Check, UnitText, default_registry, locale_rules
from bpod_i18n.checks.glossary import GlossaryCheck
from bpod_i18n.checks.numbers import Numbers
from bpod_i18n.glossary import Termbase, make_term

TERMBASES = {
    "ca": Termbase("en", "ca", [make_term("gene", "gen"), make_term("stem cell", "cèl·lula mare")]),
    "es": Termbase("en", "es", [make_term("gene", "gen"), make_term("stem cell", "célula madre")]),
    "fr": Termbase("en", "fr", [make_term("gene", "gène"), make_term("stem cell", "cellule souche")]),
}
CHECKS: dict[str, Check] = {check.check_id: check for check in default_registry()}
CHECKS["glossary"] = GlossaryCheck(TERMBASES.__getitem__)

STEM_CELL_CA = '"stem cell" should be translated as "cèl·lula mare"'
GENE_CA = '"gene" should be translated as "gen"'

# (check id, source, target, locale, expected message or None for quiet)
TABLE = [
    # --- Catalan: numbers in words, both directions, with gender and ordinals
    ("numbers", "Researchers combined 3 studies.", "Els investigadors van combinar tres estudis.", "ca", None),
    ("numbers", "More than 1,000 cells.", "Més de mil cèl·lules.", "ca", None),
    ("numbers", "About 2 million people have it.", "Uns dos milions de persones la tenen.", "ca", None),
    ("numbers", "About 2,000,000 people.", "Uns 2 milions de persones.", "ca", None),
    ("numbers", "About 2 million people.", "Uns 2.000.000 de persones.", "ca", None),
    ("numbers", "Some 1 billion cells.", "Uns mil milions de cèl·lules.", "ca", None),
    ("numbers", "Only 1 in 2 patients.", "Només un de cada dos pacients.", "ca", None),
    ("numbers", "21 mice were imaged.", "Es van fotografiar vint-i-un ratolins.", "ca", None),
    ("numbers", "Over 200 cells.", "Més de dues-centes cèl·lules.", "ca", None),
    ("numbers", "The 2nd study.", "El segon estudi.", "ca", None),
    ("numbers", "The 3rd and 4th images.", "La tercera i la quarta imatges.", "ca", None),
    ("numbers", "In the 21st century.", "Al vint-i-unè segle.", "ca", None),
    ("numbers", "Three studies agree.", "3 estudis coincideixen.", "ca", None),
    ("numbers", "A thousand cells glow.", "1.000 cèl·lules brillen.", "ca", None),
    ("numbers", "The second image.", "La 2a imatge.", "ca", None),
    # --- Catalan: identifiers, versions and licences are not quantities
    ("number-format", "Licensed under CC BY 4.0.", "Amb llicència CC BY 4.0.", "ca", None),
    ("numbers", "Licensed under CC BY 4.0.", "Amb llicència CC BY 4.0.", "ca", None),
    ("number-format", "Released under CC BY-NC 3.0.", "Publicat amb llicència CC BY-NC 3.0.", "ca", None),
    ("number-format", "This is version 2.0 of the atlas.", "Aquesta és la versió 2.0 de l'atles.", "ca", None),
    ("number-format", "It runs on version 3.11 today.", "Avui funciona amb la versió 3.11.", "ca", None),
    ("number-format", "Licensed under GPL 2.1.", "Amb llicència GPL 2.1.", "ca", None),
    ("numbers", "The UKB 1,500 cohort.", "La cohort UKB 1.500.", "ca", None),
    ("number-format", "The Web 2.0 changed science.", "La Web 2.0 va canviar la ciència.", "ca", None),
    ("number-format", "See doi:10.1038/nature.2012.123 for more.", "Vegeu doi:10.1038/nature.2012.123.", "ca", None),
    ("numbers", "See https://doi.org/10.1000/182.", "Vegeu https://doi.org/10.1000/182.", "ca", None),
    ("numbers", "SOX2 and H1N1 in COVID-19.", "SOX2 i H1N1 en la COVID-19.", "ca", None),
    ("numbers", "As Fig. 2a shows.", "Com mostra la Fig. 2a.", "ca", None),
    # --- Catalan: true positives keep their exact message
    ("numbers", "Clusters 45 nm wide.", "Agregats de 54 nm d'amplada.", "ca", "missing '45 nm'; extra '54 nm'"),
    ("numbers", "Clusters 45 nm wide.", "Agregats de quaranta-cinc nm.", "ca", "missing '45 nm'"),
    ("numbers", "Researchers combined 3 studies.", "Van combinar quatre estudis.", "ca", "missing '3'"),
    ("numbers", "Researchers combined 3 studies.", "Van combinar estudis.", "ca", "missing '3'"),
    ("numbers", "Three studies and 4 groups.", "Tres estudis i cinc grups.", "ca", "missing '4'"),
    ("numbers", "Three studies.", "Tres estudis i 4 grups.", "ca", "extra '4'"),
    ("numbers", "COVID-19 cases rose.", "Els casos de COVID-dinou van augmentar.", "ca", "missing '19'"),
    ("numbers", "It has 23 genes.", "Té tres gens.", "ca", "missing '23'"),
    (
        "number-format",
        "It is 3.5 times bigger.",
        "És 3.5 vegades més gran.",
        "ca",
        "'3.5' is English notation; ca writes 3,5",
    ),
    ("number-format", "At pH 7.4 it folds.", "A pH 7.4 es plega.", "ca", "'7.4' is English notation; ca writes 7,4"),
    (
        "number-format",
        "In the UK 3.5 million people.",
        "Al Regne Unit 3.5 milions de persones.",
        "ca",
        "'3.5' is English notation; ca writes 3,5",
    ),
    # --- Spanish
    ("numbers", "Researchers combined 3 studies.", "Los investigadores combinaron tres estudios.", "es", None),
    ("numbers", "More than 1,000 cells.", "Más de mil células.", "es", None),
    ("numbers", "About 2 million people.", "Unos dos millones de personas.", "es", None),
    ("numbers", "21 years later.", "Veintiún años después.", "es", None),
    ("numbers", "Over 200 cells.", "Más de doscientas células.", "es", None),
    ("numbers", "The 1st patient.", "El primer paciente.", "es", None),
    ("numbers", "The 21st patient.", "La vigésima primera paciente.", "es", None),
    ("numbers", "Some 1 billion cells.", "Unas mil millones de células.", "es", None),
    ("numbers", "Two groups.", "2 grupos.", "es", None),
    ("number-format", "Licensed under CC BY 4.0.", "Con licencia CC BY 4.0.", "es", None),
    ("number-format", "Released under CC BY-NC 3.0.", "Publicado con licencia CC BY-NC 3.0.", "es", None),
    ("numbers", "Clusters 45 nm wide.", "Agregados de 54 nm.", "es", "missing '45 nm'; extra '54 nm'"),
    ("numbers", "It took 2 years.", "Tardó tres años.", "es", "missing '2'"),
    (
        "number-format",
        "It is 3.5 times bigger.",
        "Es 3.5 veces mayor.",
        "es",
        "'3.5' is English notation; es writes 3,5",
    ),
    # --- French
    ("numbers", "Researchers combined 3 studies.", "Les chercheurs ont combiné trois études.", "fr", None),
    ("numbers", "More than 1,000 cells.", "Plus de mille cellules.", "fr", None),
    ("numbers", "About 2 million people.", "Environ deux millions de personnes.", "fr", None),
    ("numbers", "In the 21st century.", "Au vingt-et-unième siècle.", "fr", None),
    ("numbers", "One in 21 cells.", "Une cellule sur vingt et une.", "fr", None),
    ("numbers", "The 1st image.", "La première image.", "fr", None),
    ("number-format", "This is version 2.0 of the atlas.", "C'est la version 2.0 de l'atlas.", "fr", None),
    ("number-format", "Licensed under CC BY 4.0.", "Sous licence CC BY 4.0.", "fr", None),
    ("numbers", "Clusters 45 nm wide.", "Des amas de 54 nm.", "fr", "missing '45 nm'; extra '54 nm'"),
    ("numbers", "Researchers combined 3 studies.", "Les chercheurs ont combiné des études.", "fr", "missing '3'"),
    (
        "number-format",
        "It is 3.5 times bigger.",
        "C'est 3.5 fois plus grand.",
        "fr",
        "'3.5' is English notation; fr writes 3,5",
    ),
    # --- Glossary: short renderings in their plural, never inside another word
    ("glossary", "The gene is active.", "El gen és actiu.", "ca", None),
    ("glossary", "The genes are active.", "Els gens són actius.", "ca", None),
    ("glossary", "The genes are active.", "Los genes están activos.", "es", None),
    ("glossary", "The genes are active.", "Les gènes sont actifs.", "fr", None),
    ("glossary", "The gene is active.", "El gener és actiu.", "ca", GENE_CA),
    ("glossary", "The gene is active.", "El genoma és actiu.", "ca", GENE_CA),
    ("glossary", "Stem cells divide.", "Les cèl·lules mare es divideixen.", "ca", None),
    ("glossary", "Stem cells divide.", "Les cèl·lules es divideixen.", "ca", STEM_CELL_CA),
    ("glossary", "SOX2 marks stem cells.", "SOX2 marca les cèl·lules mare.", "ca", None),
]


def _id(row: tuple) -> str:
    check_id, source, target, locale, expected = row
    return f"{locale}-{check_id}-{'quiet' if expected is None else 'fires'}-{source[:24]}->{target[:24]}"


@pytest.mark.parametrize(("check_id", "source", "target", "locale", "expected"), TABLE, ids=map(_id, TABLE))
def test_believable_qa(check_id: str, source: str, target: str, locale: str, expected: str | None) -> None:
    unit = UnitText(source=source, target=target, rules=locale_rules(locale))
    assert CHECKS[check_id].check(unit) == expected


def test_the_table_covers_three_locales_with_forty_pairs() -> None:
    assert len(TABLE) >= 40
    assert {row[3] for row in TABLE} == {"ca", "es", "fr"}
    assert {row[0] for row in TABLE} == {"numbers", "number-format", "glossary"}


def test_a_sentence_without_digits_never_reaches_the_number_words() -> None:
    """Words are only looked up to explain a difference in digits: prose without digits on
    either side is quiet at once, whatever words it has."""
    unit = UnitText(source="Three studies.", target="Quatre estudis.", rules=locale_rules("ca"))
    assert Numbers().check(unit) is None


def test_languages_without_tested_number_words_compare_digits_only() -> None:
    """num2words knows Amharic, but its converter loops on seven-digit numbers: only the
    languages tested here are looked up in words, the others keep the digit comparison."""
    unit = UnitText(source="About 1234567 cells.", target="ወደ 1234568 ሴሎች።", rules=locale_rules("am"))
    assert Numbers().check(unit) == "missing '1234567'; extra '1234568'"


@pytest.mark.parametrize(
    ("source", "target", "locale"),
    [
        ("Researchers combined 3 studies.", "Os investigadores combinaram três estudos.", "pt"),
        ("Only 2 people.", "Apenas duas pessoas.", "pt"),
        ("It took 21 years.", "Ci sono voluti ventun anni.", "it"),
        ("More than 1,000 cells.", "Più di mille cellule.", "it"),
        ("Only 1 study.", "Nur eine Studie.", "de"),
        ("About 2 million people.", "Etwa zwei Millionen Menschen.", "de"),
    ],
)
def test_number_words_in_portuguese_italian_and_german(source: str, target: str, locale: str) -> None:
    assert Numbers().check(UnitText(source=source, target=target, rules=locale_rules(locale))) is None

"""The glossary QA check and the translator hints, on real BPoD sentences and their Catalan."""

from __future__ import annotations

from pathlib import Path

import pytest

from bpod_i18n.glossary import (
    Matcher,
    Termbase,
    Violation,
    ViolationKind,
    check_translation,
    hint_lines,
    load_termbase,
    make_term,
    read_termbase_file,
)

FIXTURES = Path(__file__).parent / "fixtures" / "glossary"


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    termbase, _ = read_termbase_file(FIXTURES / "small-en-ca.csv", source_lang="en", target_lang="ca")
    return Matcher(termbase)


def check(matcher: Matcher, source: str, target: str) -> list[Violation]:
    return check_translation(source, target, matcher.find(source))


MOUSE_T_CELL = "this image shows bright receptor micro-clusters in a mouse T cell."


def test_good_translation_has_no_violation(matcher: Matcher) -> None:
    target = "aquesta imatge mostra micro-agregats brillants de receptors en un limfòcit T de ratolí."
    assert check(matcher, MOUSE_T_CELL, target) == []


def test_plural_and_case_variants_of_the_rendering_are_accepted(matcher: Matcher) -> None:
    source = "On the front line of the immune system’s battle with pathogens, T cells raise the alarm."
    assert check(matcher, source, "Els limfòcits T donen l'alarma.") == []
    assert check(matcher, "Stem cells divide.", "Les Cèl·lules mare es divideixen.") == []
    assert check(matcher, "Fruit flies are small.", "Les mosques del vinagre són petites.") == []
    assert check(matcher, "Mice were used.", "Es van fer servir ratolins.") == []


def test_missing_term(matcher: Matcher) -> None:
    target = "aquesta imatge mostra micro-agregats brillants en una cèl·lula T de ratolí."
    assert check(matcher, MOUSE_T_CELL, target) == [
        Violation(ViolationKind.MISSING, "T cell", "limfòcit T", '"T cell" should be translated as "limfòcit T"'),
    ]


def test_symbol_rendering_must_keep_its_case(matcher: Matcher) -> None:
    source = "Amyotrophic lateral sclerosis (ALS) is a progressive disease."
    target = "L'esclerosi lateral amiotròfica (Ela) és una malaltia progressiva."
    assert [(v.kind, v.term, v.expected) for v in check(matcher, source, target)] == [
        (ViolationKind.MISSING, "ALS", "ELA"),
    ]
    assert check(matcher, source, target.replace("(Ela)", "(ELA)")) == []


def test_forbidden_rendering(matcher: Matcher) -> None:
    source = "Stem cells can become any kind of cell."
    target = "Les cèl·lules de tija poden esdevenir qualsevol tipus de cèl·lula."
    assert check(matcher, source, target) == [
        Violation(
            ViolationKind.MISSING,
            "stem cells",
            "cèl·lules mare",
            '"stem cells" should be translated as "cèl·lules mare"',
        ),
        Violation(
            ViolationKind.FORBIDDEN,
            "stem cells",
            "cèl·lules mare",
            '"cèl·lules de tija" is a forbidden rendering of "stem cells"; use "cèl·lules mare"',
            "cèl·lules de tija",
        ),
    ]


def test_forbidden_inside_an_allowed_rendering_is_not_flagged() -> None:
    termbase = Termbase(
        "en",
        "ca",
        [
            make_term("stem cells", "cèl·lules mare"),
            make_term("stem cells", "cèl·lules", status="forbidden", note="too vague"),
        ],
    )
    matcher = Matcher(termbase)
    assert check(matcher, "Stem cells divide.", "Les cèl·lules mare es divideixen.") == []
    assert [v.kind for v in check(matcher, "Stem cells divide.", "Les cèl·lules es divideixen.")] == [
        ViolationKind.MISSING,
        ViolationKind.FORBIDDEN,
    ]


def test_do_not_translate_must_stay_verbatim(matcher: Matcher) -> None:
    source = "Mus musculus, the house mouse, is a model organism."
    assert check(matcher, source, "Mus musculus, el ratolí domèstic, és un organisme model.") == []
    assert check(matcher, source, "El Mus musculus, el ratolí domèstic, és un organisme model.") == []
    assert check(matcher, source, "El ratolí comú, el ratolí domèstic, és un organisme model.") == [
        Violation(
            ViolationKind.DNT_CHANGED,
            "Mus musculus",
            "Mus musculus",
            '"Mus musculus" must appear unchanged in the translation (do not translate)',
        ),
    ]
    # verbatim means case too
    assert [v.kind for v in check(matcher, source, "mus musculus, el ratolí domèstic.")] == [ViolationKind.DNT_CHANGED]


def test_untranslated_unit_has_no_violation(matcher: Matcher) -> None:
    assert check(matcher, MOUSE_T_CELL, "") == []


def test_one_violation_per_term_even_if_repeated(matcher: Matcher) -> None:
    source = "ALS is rare. ALS kills motor neurons."
    target = "L'esclerosi és rara. Mata neurones."
    assert [(v.kind, v.term) for v in check(matcher, source, target)] == [
        (ViolationKind.MISSING, "ALS"),
        (ViolationKind.MISSING, "motor neuron"),
    ]


def test_hint_lines_in_order_of_appearance_deduplicated(matcher: Matcher) -> None:
    source = "Stem cells of Mus musculus and T cells: more T cells, more stem cells, 5 µm wide."
    assert hint_lines(matcher.find(source)) == [
        "glossary: stem cells → cèl·lules mare",
        'glossary: avoid "cèl·lules de tija"',
        "glossary: Mus musculus (do not translate)",
        "glossary: T cell → limfòcit T",
        "glossary: µm (do not translate)",
    ]


def test_hint_lines_mark_admitted_renderings(matcher: Matcher) -> None:
    assert hint_lines(matcher.find("T-cell receptors in motor neuron disease")) == [
        "glossary: T-cell receptor → receptor de limfòcits T (admitted)",
        "glossary: motor neuron disease → malaltia de la neurona motora (admitted)",
    ]


def test_starter_termbases_check_the_sample_sentence() -> None:
    root = Path(__file__).resolve().parent.parent
    catalan = Matcher(load_termbase(root / "bpod_i18n" / "data" / "glossary" / "en-ca.csv"))
    source = "Studies in a mouse model of ALS have revealed that loss of interneuron connections precedes the death of motor neurons."
    target = (
        "Estudis en un model de ratolí de l'ELA han revelat que la pèrdua de connexions de les interneurones "
        "precedeix la mort de les motoneurones."
    )
    assert check_translation(source, target, catalan.find(source)) == []
    assert hint_lines(catalan.find(source)) == [
        "glossary: mouse → ratolí",
        "glossary: ALS → ELA",
        "glossary: interneuron → interneurona (admitted)",
        "glossary: motor neuron → motoneurona (admitted)",
        "glossary: motor neuron → neurona motora (admitted)",
    ]


def test_the_glossary_check_of_the_registry_loads_each_locales_termbase_once() -> None:
    from bpod_i18n.checks import default_registry, locale_rules
    from bpod_i18n.checks.base import UnitText
    from bpod_i18n.checks.glossary import GlossaryCheck

    termbases = {
        "ca": Termbase("en", "ca", [make_term("T cell", "limfòcit T")]),
        "es": Termbase("en", "es", [make_term("T cell", "linfocito T")]),
    }
    loaded: list[str] = []

    def termbase_for(locale: str) -> Termbase:
        loaded.append(locale)
        return termbases[locale]

    registry = default_registry()
    check = registry.register(GlossaryCheck(termbase_for))
    assert registry.get("glossary") is check and "glossary" in registry.ids()
    source = "A mouse T cell."
    assert check.check(UnitText(source, "Un limfòcit T de ratolí.", locale_rules("ca"))) is None
    assert check.check(UnitText(source, "Una cèl·lula T de ratolí.", locale_rules("ca"))) == (
        '"T cell" should be translated as "limfòcit T"'
    )
    assert check.check(UnitText(source, "Un linfocito T de ratón.", locale_rules("es"))) is None
    assert loaded == ["ca", "es"]

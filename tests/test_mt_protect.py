"""Protection of do-not-translate terms and glossary enforcement around MT."""

from __future__ import annotations

from mt_fixtures import libre_server  # noqa: F401 - pytest fixture
from mt_server import LibreServer

from bpod_i18n.mt import ProviderSettings, make_provider
from bpod_i18n.mt.protect import GlossaryGuard, GuardedTranslation, NoteKind, SimpleTerm, translate_with_glossary

DNT = [SimpleTerm("BRCA1", "BRCA1", dnt=True), SimpleTerm("Mus musculus", "Mus musculus", dnt=True)]


def kinds(result: GuardedTranslation) -> list[str]:
    return [note.kind.value for note in result.notes]


def test_placeholders_replace_terms_and_come_back_exactly() -> None:
    guard = GlossaryGuard(DNT)
    protected = guard.protect("The BRCA1 gene in Mus musculus and M. musculus cells, not BRCA12.")

    assert protected.text == "The ZXQ0 gene in ZXQ1 and ZXQ2 cells, not BRCA12."
    assert [s.original for s in protected.slots] == ["BRCA1", "Mus musculus", "M. musculus"]

    # An engine may change a placeholder's case or split off its number; both come back.
    text, notes = guard.restore(protected, "El gen ZXQ0 en zxq1 i ZXQ 2 cèl·lules, no BRCA12.")
    assert text == "El gen BRCA1 en Mus musculus i M. musculus cèl·lules, no BRCA12."
    assert notes == []


def test_lost_and_repeated_placeholders_are_flagged() -> None:
    guard = GlossaryGuard(DNT)
    protected = guard.protect("The BRCA1 gene in Mus musculus cells")

    lost = guard.finish(protected, "El gen ZXQ0 en cèl·lules", {})
    assert lost.text == "El gen BRCA1 en cèl·lules"
    assert kinds(lost) == ["placeholder-lost"]
    assert lost.notes[0].message == "protected term 'Mus musculus' was lost by the engine"
    assert lost.flagged

    repeated = guard.finish(protected, "El gen ZXQ0 ZXQ0 en ZXQ1 cèl·lules", {})
    assert repeated.text == "El gen BRCA1 BRCA1 en Mus musculus cèl·lules"
    assert kinds(repeated) == ["placeholder-extra"]


def test_extra_terms_longest_first_and_prefix_clash() -> None:
    guard = GlossaryGuard([SimpleTerm("Mus", dnt=True)], extra_dnt=["Mus musculus", "p53"])
    protected = guard.protect("Mus musculus carries p53; ZXQ is a made-up word.")
    # "ZXQ" is in the text, so another prefix is used.
    assert protected.text == "ZQX0 carries ZQX1; ZXQ is a made-up word."
    assert guard.restore(protected, "ZQX0 porta ZQX1; ZXQ és inventada.")[0] == (
        "Mus musculus porta p53; ZXQ és inventada."
    )


def test_forbidden_rendering_is_replaced_by_the_preferred_term() -> None:
    guard = GlossaryGuard(
        [SimpleTerm("stem cells", "cèl·lules mare"), SimpleTerm("stem cells", "cèl·lules troncals", status="forbidden")]
    )
    result = guard.finish(guard.protect("Stem cells renew."), "Cèl·lules troncals es renoven.", {})
    assert result.text == "Cèl·lules mare es renoven."
    assert kinds(result) == ["glossary-replaced"] and not result.flagged


def test_forbidden_rendering_without_preferred_term_is_flagged() -> None:
    guard = GlossaryGuard([SimpleTerm("tumour", "tumoració", status="forbidden")])
    result = guard.finish(guard.protect("The tumour grew."), "La tumoració va créixer.", {})
    assert result.text == "La tumoració va créixer."
    assert kinds(result) == ["forbidden-term"] and result.flagged


def test_preferred_term_present_in_another_inflection_needs_nothing() -> None:
    guard = GlossaryGuard([SimpleTerm("stem cell", "cèl·lula mare")])
    result = guard.finish(
        guard.protect("Each stem cell divides."), "Cada cèl·lula mare es divideix.", {"stem cell": "cel·la de tija"}
    )
    assert result == GuardedTranslation("Cada cèl·lula mare es divideix.", ())


def test_plural_of_a_singular_term_is_flagged_not_rewritten() -> None:
    guard = GlossaryGuard([SimpleTerm("stem cell", "cèl·lula mare")])
    result = guard.finish(
        guard.protect("Stem cells divide."), "Cel·les de tija divideixen.", {"stem cell": "cel·la de tija"}
    )
    assert result.text == "Cel·les de tija divideixen."
    assert [n.message for n in result.notes] == ["'stem cell' should be rendered 'cèl·lula mare'"]


def test_wording_seen_more_often_than_the_term_is_left_alone() -> None:
    # "cel·les" renders both "cells" and "stem cells" here: replacing both would be wrong.
    guard = GlossaryGuard([SimpleTerm("cells", "cèl·lules")])
    result = guard.finish(
        guard.protect("Blood cells carry oxygen."), "Les cel·les de sang porten cel·les.", {"cells": "cel·les"}
    )
    assert result.text == "Les cel·les de sang porten cel·les."
    assert kinds(result) == ["glossary-missing"]


def test_glossary_package_terms_fit_the_protocol() -> None:
    from bpod_i18n.glossary.terms import make_term

    guard = GlossaryGuard([make_term("BRCA1", dnt=True), make_term("stem cells", "cèl·lules mare")])
    assert guard.protect("BRCA1 in stem cells").text == "ZXQ0 in stem cells"
    assert guard.probe_texts() == ["stem cells"]


def test_whole_pipeline_through_a_web_provider(libre_server: LibreServer) -> None:
    # A word-for-word "engine" behind the real LibreTranslate client.
    words = {"The": "El", "gene": "gen", "in": "en", "cells": "cel·les", "stem": "tija", "Stem": "Tija"}
    libre_server.translate = lambda text, source, target: " ".join(words.get(w, w) for w in text.split(" "))
    provider = make_provider("libre", ProviderSettings(url=libre_server.url), environ={})
    guard = GlossaryGuard([*DNT, SimpleTerm("stem cells", "cèl·lules mare")])
    seen: dict[int, GuardedTranslation] = {}

    results = translate_with_glossary(
        provider,
        ["The BRCA1 gene in Mus musculus cells", "The stem cells"],
        "en",
        "ca",
        guard,
        on_result=seen.__setitem__,
    )

    assert [r.text for r in results] == ["El BRCA1 gen en Mus musculus cel·les", "El cèl·lules mare"]
    assert [kinds(r) for r in results] == [[], ["glossary-replaced"]]
    assert seen == dict(enumerate(results))
    sent = sorted(r.params["q"] for r in libre_server.translate_requests)
    assert sent == ["The ZXQ0 gene in ZXQ1 cells", "The stem cells", "stem cells"]  # last: the probe
    assert NoteKind.GLOSSARY_REPLACED in {n.kind for n in results[1].notes}


def test_only_terms_present_are_probed() -> None:
    guard = GlossaryGuard(
        [
            SimpleTerm("stem cells", "cèl·lules mare"),
            SimpleTerm("organoid", "organoide"),
            SimpleTerm("tumor", "tumoració", status="forbidden"),
        ]
    )
    assert guard.probe_texts() == ["organoid", "stem cells"]
    assert guard.probe_texts(["Organoids grow.", "Nothing here."]) == ["organoid"]


def test_an_inflection_the_glossary_check_accepts_is_not_flagged() -> None:
    # Catalan plural with a stress accent: patogen → patògens. The glossary QA accepts it,
    # so the machine-translation guard must not flag it either.
    guard = GlossaryGuard([SimpleTerm("pathogen", "patogen")])
    text, notes = guard.enforce("The battle with pathogens.", "La batalla amb patògens.", {})
    assert (text, notes) == ("La batalla amb patògens.", [])
    _, notes = guard.enforce("The battle with pathogens.", "La batalla amb microbis.", {})
    assert [n.kind.value for n in notes] == ["glossary-missing"]


def test_placeholders_links_and_domains_are_shielded_even_without_a_glossary() -> None:
    guard = GlossaryGuard([])
    text = (
        "Now in our {ordinal} year: see https://bpod.org.uk/archive/2016, write to team@bpod.org.uk "
        "or visit www.bpod.cat (%s)."
    )
    protected = guard.protect(text)
    assert [slot.original for slot in protected.slots] == [
        "{ordinal}",
        "https://bpod.org.uk/archive/2016",
        "team@bpod.org.uk",
        "www.bpod.cat",
        "%s",
    ]
    for slot in protected.slots:
        assert slot.original not in protected.text
    assert guard.restore(protected, protected.text) == (text, [])

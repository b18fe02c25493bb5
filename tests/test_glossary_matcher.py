"""Finding glossary terms in real BPoD sentences: spans, variants, case, word edges, speed."""

from __future__ import annotations

from pathlib import Path

import pytest

from bpod_i18n.glossary import Matcher, Status, Termbase, make_term, read_termbase_file

FIXTURES = Path(__file__).parent / "fixtures" / "glossary"
PAGES = Path(__file__).parent / "fixtures" / "pages"


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    termbase, _ = read_termbase_file(FIXTURES / "small-en-ca.csv", source_lang="en", target_lang="ca")
    return Matcher(termbase)


def spans(matcher: Matcher, text: str) -> list[tuple[str, int, int, str, str]]:
    return [(h.source, h.start, h.end, h.matched_text, h.target) for h in matcher.find(text)]


def page_sentence(page: str, start: str) -> str:
    """A sentence as it stands on a sample page, so the tests follow the real text."""
    text = (PAGES / f"{page}.txt").read_text(encoding="utf-8")
    begin = text.index(start)
    end = min(i for i in (text.find(". ", begin), text.find(".\n", begin)) if i != -1) + 1
    return text[begin:end]


def test_t_cell_receptors_plural_and_hyphen(matcher: Matcher) -> None:
    sentence = page_sentence("2016-07-22-massing-to-defend", "T-cell receptors are organised")
    assert sentence.startswith("T-cell receptors are organised into minute nano-clusters")
    assert spans(matcher, sentence) == [
        ("T-cell receptor", 0, 16, "T-cell receptors", "receptor de limfòcits T"),
    ]


def test_mouse_t_cell(matcher: Matcher) -> None:
    sentence = page_sentence("2016-07-22-massing-to-defend", "For the first time")
    assert spans(matcher, sentence) == [
        ("mouse", 198, 203, "mouse", "ratolí"),
        ("T cell", 204, 210, "T cell", "limfòcit T"),
    ]


def test_t_cells_plural_after_possessive(matcher: Matcher) -> None:
    sentence = page_sentence("2016-07-22-massing-to-defend", "On the front line")
    assert spans(matcher, sentence) == [("T cell", 64, 71, "T cells", "limfòcit T")]


def test_hyphenated_t_cell_activation(matcher: Matcher) -> None:
    sentence = page_sentence("2016-07-22-massing-to-defend", "Researchers hope")
    assert spans(matcher, sentence) == [("T cell", 48, 54, "T-cell", "limfòcit T")]


def test_als_sentence_multiword_and_symbol(matcher: Matcher) -> None:
    sentence = page_sentence("2021-06-19-reassessing-als", "Amyotrophic lateral sclerosis (ALS)")
    assert spans(matcher, sentence) == [
        ("amyotrophic lateral sclerosis", 0, 29, "Amyotrophic lateral sclerosis", "esclerosi lateral amiotròfica"),
        ("ALS", 31, 34, "ALS", "ELA"),
        ("motor neuron", 120, 133, "motor neurons", "motoneurona"),
    ]


def test_longest_term_wins_over_the_term_inside_it(matcher: Matcher) -> None:
    standfirst = (
        "Loss of connections between interneurons – the cells that control motor neurons – "
        "plays a role in development of motor neuron disease (ALS)"
    )
    assert spans(matcher, standfirst) == [
        ("motor neuron", 66, 79, "motor neurons", "motoneurona"),
        ("motor neuron disease", 113, 133, "motor neuron disease", "malaltia de la neurona motora"),
        ("ALS", 135, 138, "ALS", "ELA"),
    ]


def test_irregular_plural_and_symbol_before_hyphen(matcher: Matcher) -> None:
    sentence = "Furthermore, silencing interneurons in healthy mice led to ALS-like coordination problems."
    assert spans(matcher, sentence) == [("mouse", 47, 51, "mice", "ratolí"), ("ALS", 59, 62, "ALS", "ELA")]


def test_symbols_are_case_sensitive_ordinary_terms_are_not(matcher: Matcher) -> None:
    assert spans(matcher, "als and Als and dna are not symbols") == []
    assert spans(matcher, "Stem Cells and DNA") == [
        ("stem cells", 0, 10, "Stem Cells", "cèl·lules mare"),
        ("DNA", 15, 18, "DNA", "ADN"),
    ]
    assert spans(matcher, "two DNAs") == [("DNA", 4, 8, "DNAs", "ADN")]


def test_never_inside_another_word(matcher: Matcher) -> None:
    # no ALS in ALS2 (a gene, recognised as a symbol), FALS; no mouse in mousetrap; no DNA in cDNA
    assert spans(matcher, "ALS2 and FALS, mousetrap, dormouse, DNase, cDNA") == [
        ("ALS2", 0, 4, "ALS2", "ALS2"),
    ]
    assert spans(matcher, "stem cellsX and T cellular") == []


def test_singular_found_for_a_plural_term_and_hyphen_variants(matcher: Matcher) -> None:
    assert spans(matcher, "a stem cell, stem-cells and a T‑cell receptor") == [
        ("stem cells", 2, 11, "stem cell", "cèl·lules mare"),
        ("stem cells", 13, 23, "stem-cells", "cèl·lules mare"),
        ("T-cell receptor", 30, 45, "T‑cell receptor", "receptor de limfòcits T"),
    ]


def test_unicode_spans_stay_exact() -> None:
    termbase = Termbase("en", "ca", [make_term("µm", dnt=True), make_term("naïve T cell", "limfòcit T verge")])
    matcher = Matcher(termbase)
    # Greek mu for the micro sign; a decomposed ï (i + U+0308); a non-breaking space; a double space
    text = "beads 5 μm wide; the nai\u0308ve\u00a0T  cell"
    hits = matcher.find(text)
    assert [(h.source, h.start, h.end, h.matched_text) for h in hits] == [
        ("µm", 8, 10, "μm"),
        ("naïve T cell", 21, 35, "nai\u0308ve\u00a0T  cell"),
    ]
    assert text[21:35] == "nai\u0308ve\u00a0T  cell"
    # a digit right before a unit is not "inside a word"
    assert [(h.start, h.end) for h in matcher.find("beads of 5µm")] == [(10, 12)]


def test_do_not_translate_latin_binomials(matcher: Matcher) -> None:
    hits = matcher.find("Mus musculus and Drosophila melanogaster, not E. coli or E.coli.")
    assert [(h.source, h.matched_text, h.dnt, h.target) for h in hits] == [
        ("Mus musculus", "Mus musculus", True, "Mus musculus"),
        ("Drosophila melanogaster", "Drosophila melanogaster", True, "Drosophila melanogaster"),
        ("E. coli", "E. coli", True, "E. coli"),
        ("E. coli", "E.coli", True, "E. coli"),
    ]
    assert hits[0].term.status is Status.PREFERRED


def test_hit_carries_every_rendering_best_first(matcher: Matcher) -> None:
    (hit,) = matcher.find("embryonic stem cells")
    assert [(t.target, t.status) for t in hit.entries] == [
        ("cèl·lules mare", Status.PREFERRED),
        ("cèl·lules de tija", Status.FORBIDDEN),
    ]
    assert [t.target for t in hit.allowed] == ["cèl·lules mare"]
    assert [t.target for t in hit.forbidden] == ["cèl·lules de tija"]


def test_marked_case_sensitive_term() -> None:
    termbase = Termbase("en", "ca", [make_term("Notch", "Notch", dnt=True, case="sensitive"), make_term("gene", "gen")])
    matcher = Matcher(termbase)
    assert [h.matched_text for h in matcher.find("a Notch gene, not a notch in a notched gene")] == [
        "Notch",
        "gene",
        "gene",
    ]


def test_latin_plural_variants() -> None:
    termbase = Termbase(
        "en",
        "ca",
        [make_term("nucleus", "nucli"), make_term("bacterium", "bacteri"), make_term("mitochondria", "mitocondris")],
    )
    found = [(h.source, h.matched_text) for h in Matcher(termbase).find("nuclei of bacteria and a mitochondrion")]
    assert found == [("nucleus", "nuclei"), ("bacterium", "bacteria"), ("mitochondria", "mitochondrion")]


def test_empty_termbase_and_empty_text() -> None:
    assert Matcher(Termbase("en", "ca")).find("T cells") == []
    termbase, _ = read_termbase_file(FIXTURES / "small-en-ca.csv", source_lang="en", target_lang="ca")
    assert Matcher(termbase).find("") == []


def test_symbols_and_abbreviated_binomials_are_do_not_translate_without_an_entry(matcher: Matcher) -> None:
    text = "SOD1-mutant mice, p53, IL-2 and CD4+ cells, S. aureus and E.coli; not mid-2000s, 3D or 10µm."
    assert [(h.matched_text, h.dnt, h.term.note) for h in matcher.find(text)] == [
        ("SOD1", True, "recognised as a gene or protein symbol"),
        ("mice", False, "bpod.cat"),
        ("p53", True, "recognised as a gene or protein symbol"),
        ("IL-2", True, "recognised as a gene or protein symbol"),
        ("CD4", True, "recognised as a gene or protein symbol"),
        ("S. aureus", True, "recognised as an abbreviated Latin binomial"),
        ("E.coli", True, "abbreviated Latin binomial"),  # the termbase entry, not the guess
        ("µm", True, "unit symbol"),  # the termbase's µm, not a symbol guess for 10µm
    ]
    assert [h.matched_text for h in Matcher(matcher_termbase(), recognise_dnt=False).find(text)] == [
        "mice",
        "E.coli",
        "µm",
    ]


def test_a_termbase_entry_overrides_the_symbol_guess() -> None:
    termbase = Termbase("en", "es", [make_term("COVID-19", "covid-19", note="disease name, lower case")])
    (hit,) = Matcher(termbase).find("During COVID-19, labs closed.")
    assert (hit.matched_text, hit.dnt, hit.target) == ("COVID-19", False, "covid-19")


def matcher_termbase() -> Termbase:
    return read_termbase_file(FIXTURES / "small-en-ca.csv", source_lang="en", target_lang="ca")[0]

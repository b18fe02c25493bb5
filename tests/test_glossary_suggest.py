"""Term suggestions: recurring multi-word phrases missing from the glossary."""

from __future__ import annotations

import re
from pathlib import Path

from bpod_i18n.glossary import Candidate, Termbase, make_term, read_termbase_file, suggest

FIXTURES = Path(__file__).parent / "fixtures" / "glossary"
PAGES = Path(__file__).parent / "fixtures" / "pages"


def body_sentences() -> list[tuple[str, str]]:
    """(slug, sentence) for the entry paragraphs of the sample pages (no site chrome)."""
    out = []
    for page in sorted(PAGES.glob("*.txt")):
        for para in page.read_text(encoding="utf-8").split("\n\n"):
            if len(para) > 300 and not para.startswith("BPoD stands"):
                out += [(page.stem, s) for s in re.split(r"(?<=[.!?])\s+", para)]
    return out


def test_sample_pages_suggest_immune_system_and_micro_clusters() -> None:
    termbase, _ = read_termbase_file(FIXTURES / "small-en-ca.csv", source_lang="en", target_lang="ca")
    # "motor neurons" (6 times) and "T cell(s)" recur too, but the glossary has them
    assert suggest(body_sentences(), termbase, min_count=2) == [
        Candidate(
            "immune system",
            2,
            "It’s just one part of the growing field of immunotherapy, harnessing the power of the immune system to beat cancer.",
            "2016-04-30-trained-killers",
            ("immune system",),
        ),
        Candidate(
            "micro-clusters",
            2,
            "T-cell receptors are organised into minute nano-clusters, or protein islands, which, in cultured cells "
            "in the laboratory, are known to merge into larger micro-clusters when the cell becomes activated.",
            "2016-07-22-massing-to-defend",
            ("micro-clusters",),
        ),
    ]


def test_plurals_hyphens_stop_words_punctuation_and_subsumption() -> None:
    sentences = [
        ("a", "The dendritic cells of the skin sense danger."),
        ("b", "Dendritic cell activation needs the lymph node."),
        ("c", "Several dendritic cells, and a lymph node, were imaged."),
        ("d", "The lymph nodes of the mouse swell; dendritic-cell maps help."),
        ("e", "Amyotrophic lateral sclerosis is rare. Amyotrophic lateral sclerosis kills."),
        ("f", "Patients with amyotrophic lateral sclerosis were studied in the clinic."),
        ("g", "In the clinic, doctors see it. In the clinic again."),
        ("h", "A non-coding RNA, two non-coding RNAs, more non-coding RNAs."),
    ]
    found = [(c.text, c.count, c.slug, c.forms) for c in suggest(sentences, Termbase("en", "ca"), min_count=3)]
    # "the clinic" starts with a stop word; "lateral sclerosis" is as frequent as the longer
    # phrase holding it; "coding RNA" would cut the compound "non-coding"
    assert found == [
        ("dendritic cells", 4, "a", ("dendritic cells", "Dendritic cell", "dendritic-cell")),
        ("Amyotrophic lateral sclerosis", 3, "e", ("Amyotrophic lateral sclerosis", "amyotrophic lateral sclerosis")),
        ("non-coding RNAs", 3, "h", ("non-coding RNAs", "non-coding RNA")),
        ("lymph node", 3, "b", ("lymph node", "lymph nodes")),
    ]


def test_glossary_terms_in_any_variant_are_left_out() -> None:
    sentences = [("s", "T-cell receptors bind. T cell receptor genes. The T cell receptors again.")]
    assert suggest(sentences, Termbase("en", "ca"), min_count=3)[0].forms == (
        "T cell receptor",
        "T cell receptors",
        "T-cell receptors",
    )
    termbase = Termbase("en", "ca", [make_term("T-cell receptor", "receptor de limfòcits T")])
    assert [c.text for c in suggest(sentences, termbase, min_count=3)] == []

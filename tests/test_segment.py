from pathlib import Path

import pytest

from bpod_i18n.segment import join_units, segment_field, split_sentences

PAGES = Path(__file__).parent / "fixtures" / "pages"


@pytest.mark.parametrize(
    "text",
    [
        "Cells were imaged, e.g. with confocal microscopy, in the lab.",
        "Dr. Jones and Prof. Smith led the work.",
        "Smith et al. reported the result in 2016.",
        "The spheres measure approx. 5 µm across.",
        "As Fig. 2 shows, the cells divide.",
        "Infections with E. coli are common.",
        "The value rose from 3.5 to 12.25 per cent.",
        "“Why do they cluster?” asked the team – a good question.",
        "Neurons – the cells that fire – are fragile.",
    ],
)
def test_abbreviations_numbers_quotes_and_dashes_stay_whole(text: str) -> None:
    assert [s for s, _ in split_sentences(text)] == [text]


def test_a_real_paragraph_splits_into_its_sentences_and_joins_back_exactly() -> None:
    page = (PAGES / "2021-06-19-reassessing-als.txt").read_text(encoding="utf-8")
    paragraph = next(block for block in page.split("\n\n") if block.startswith("Amyotrophic"))
    sentences = split_sentences(paragraph)
    assert len(sentences) == 7
    assert sentences[0][0].startswith("Amyotrophic lateral sclerosis (ALS) is a progressive")
    assert sentences[3][0] == (
        "But recent research has shifted the focus to the cells controlling the motor neurons – "
        "interneurons (bright green dots in this mouse spinal cord)."
    )
    assert join_units(sentences) == paragraph


def test_titles_and_credits_are_one_unit_whatever_their_punctuation() -> None:
    units = segment_field("title", "Dr. No. Yes.")
    assert [(u.field, u.index, u.text) for u in units] == [("title", 1, "Dr. No. Yes.")]
    body = segment_field("body.2", "One here. Two there.")
    assert [(u.field, u.index, u.text, u.trailing) for u in body] == [
        ("body.2", 1, "One here.", " "),
        ("body.2", 2, "Two there.", ""),
    ]

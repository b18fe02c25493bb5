"""Page-text reader: the three real pages exactly, then one fixture per layout variant."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bpod_i18n.errors import InputError
from bpod_i18n.model import SourceEntry
from bpod_i18n.sources import read_entry
from bpod_i18n.sources.pagetext import parse_page_text

PAGES = Path(__file__).parent / "fixtures" / "pages"
TEXT = Path(__file__).parent / "fixtures" / "sources" / "text"

TRAINED_KILLERS_BODY = (
    "Imagine being able to engineer an army of fighters, highly trained to seek out and destroy the enemy wherever it\u2019s hiding. "
    "That dream is now becoming a reality in cancer treatment, as researchers have developed a way to genetically engineer immune cells, known as T lymphocytes, to recognise and kill tumour cells. "
    "This image has been taken using a scanning electron microscope, which uses fine beams of electrons to build up a detailed three-dimensional picture. "
    "A folded and blobby engineered T cell is attached to some neatly spherical magnetic beads, just a few thousandths of a millimetre in diameter, used to grow and purify the cells in the lab. "
    "At the moment this kind of treatment is still being tested in clinical trials but results so far have been promising. "
    "It\u2019s just one part of the growing field of immunotherapy, harnessing the power of the immune system to beat cancer."
)
MASSING_TO_DEFEND_BODY = (
    "On the front line of the immune system\u2019s battle with pathogens, T cells raise the alarm and stimulate the body\u2019s response to danger. "
    "They become activated when protein receptors on their surfaces detect an outsider, triggering a suite of cellular processes to eventually destroy the pathogen and promote its detection around the body. "
    "T-cell receptors are organised into minute nano-clusters, or protein islands, which, in cultured cells in the laboratory, are known to merge into larger micro-clusters when the cell becomes activated. "
    "For the first time, this behaviour has been observed in the cells\u2019 natural environment, in a live animal, thanks to super-resolution microscopy; this image shows bright receptor micro-clusters in a mouse T cell. "
    "Researchers hope that a deeper understanding of T-cell activation will reveal ways of interfering with the responses of the immune system, in particular to tone them down in patients with autoimmune diseases."
)
REASSESSING_ALS_BODY = (
    "Amyotrophic lateral sclerosis (ALS) is a progressive and ultimately fatal neurodegenerative disease in which a person\u2019s motor neurons \u2013 those controlling walking, talking, swallowing and so on \u2013 gradually die. "
    "This devastating disease can strike apparently healthy adults and send them to their death in just a few years. "
    "With the hope of understanding ALS pathology and developing treatments, scientists have, not surprisingly, placed motor neurons themselves in the spotlight. "
    "But recent research has shifted the focus to the cells controlling the motor neurons \u2013 interneurons (bright green dots in this mouse spinal cord). "
    "Studies in a mouse model of ALS have revealed that loss of interneuron connections actually precedes the death of motor neurons and parallels the loss of coordination. "
    "Furthermore, silencing interneurons in healthy mice led to ALS-like coordination problems. "
    "For now, an ALS cure remains wishful thinking, but it\u2019s hoped that these new insights will bring new intervention opportunities."
)
REASSESSING_ALS_STANDFIRST = "Loss of connections between interneurons \u2013 the cells that control motor neurons \u2013\u00a0plays a role in development of motor neuron disease (ALS)"


def test_real_page_trained_killers() -> None:
    path = PAGES / "2016-04-30-trained-killers.txt"
    assert read_entry(path) == SourceEntry(
        slug="2016-04-30-trained-killers",
        date=dt.date(2016, 4, 30),
        title="Trained Killers",
        paragraphs=("".join(TRAINED_KILLERS_BODY),),
        label=None,
        standfirst=None,
        notices=(
            "Entries for this year's Royal Photographic Society International Images in Science "
            "competition are welcomed until 1 May 2016",
        ),
        author="Kat Arney",
        credits=(),
        source_path=str(path),
        source_format="text",
    )


def test_real_page_massing_to_defend() -> None:
    path = PAGES / "2016-07-22-massing-to-defend.txt"
    assert read_entry(path) == SourceEntry(
        slug="2016-07-22-massing-to-defend",
        date=dt.date(2016, 7, 22),
        title="Massing to Defend",
        paragraphs=("".join(MASSING_TO_DEFEND_BODY),),
        author="Emmanuelle Briolat",
        source_path=str(path),
        source_format="text",
    )


def test_real_page_reassessing_als_has_standfirst_before_the_date() -> None:
    path = PAGES / "2021-06-19-reassessing-als.txt"
    assert read_entry(path) == SourceEntry(
        slug="2021-06-19-reassessing-als",
        date=dt.date(2021, 6, 19),
        title="Reassessing ALS",
        paragraphs=("".join(REASSESSING_ALS_BODY),),
        standfirst=REASSESSING_ALS_STANDFIRST,
        author="Ruth Williams",
        source_path=str(path),
        source_format="text",
    )


@pytest.mark.parametrize("name", sorted(p.name for p in PAGES.glob("*.txt")))
def test_real_pages_keep_no_site_chrome(name: str) -> None:
    entry = read_entry(PAGES / name)
    texts = [text for _, text in entry.fields()] + [entry.author or ""]
    for chrome in ("BPoD", "Search", "Follow on", "Read More", "bookmarks", "Now in our"):
        assert not any(chrome in text for text in texts), chrome


def _summary(entry: SourceEntry) -> dict[str, object]:
    data = entry.to_dict()
    del data["source_path"], data["source_format"]
    return data


@pytest.mark.parametrize(
    ("name", "slug", "title", "author"),
    [
        ("banner_institute.txt", "2019-03-14-cell-cartography", "Cell Cartography", "Gaëlle Martin"),
        ("banner_year_only.txt", "2017-02-02-gut-feeling", "Gut Feeling", "Anna Perman"),
        ("banner_search_only.txt", "2022-11-11-root-branches", "Root Branches", "Lux Fatimathas"),
        ("no_banner.txt", "2014-05-05-quiet-neurons", "Quiet Neurons", "Daniel Cossins"),
        ("crlf_bom.txt", "2017-07-13-tiny-hairs", "Tiny Hairs", "Kat Arney"),
    ],
)
def test_every_banner_version_is_dropped(name: str, slug: str, title: str, author: str) -> None:
    entry = read_entry(TEXT / name)
    assert (entry.slug, entry.title, entry.label, entry.standfirst, entry.author) == (slug, title, None, None, author)
    assert len(entry.paragraphs) == 1
    assert entry.notices == () and entry.credits == ()
    assert not entry.paragraphs[0].startswith(("BPoD", "Now in", "Search", "Medical"))


def test_banner_institute_drops_the_old_what_is_bpod_footer() -> None:
    entry = read_entry(TEXT / "banner_institute.txt")
    assert entry.paragraphs == (
        "Maps of where every cell sits in a tissue help researchers see how organs are built. "
        "This one charts the cells of a developing mouse kidney.",
    )


def test_crlf_and_bom_keep_the_no_break_space_inside_the_paragraph() -> None:
    entry = read_entry(TEXT / "crlf_bom.txt")
    assert entry.paragraphs == ("Cilia beat in waves\u00a0to sweep mucus from the airways.",)


def test_label_is_the_title_line_minus_the_repeated_title() -> None:
    assert _summary(read_entry(TEXT / "label_born_on_this_day.txt")) == {
        "slug": "2013-01-06-sunny-bones",
        "date": "2013-01-06",
        "title": "Sunny Bones",
        "label": "Born on this Day",
        "standfirst": None,
        "paragraphs": [
            "Vitamin D, made in the skin when sunlight strikes it, keeps bones strong. "
            "This X-ray shows the bowed legs of rickets."
        ],
        "notices": [],
        "author": "Hannah Stower",
        "credits": [],
    }


def test_label_with_single_digit_day_and_day_notice() -> None:
    entry = read_entry(TEXT / "label_world_sight_day.txt")
    assert (entry.date, entry.label, entry.title) == (dt.date(2015, 10, 8), "World Sight Day", "Seeing Genes")
    assert entry.notices == ("Today is World Sight Day",)
    assert entry.author == "Caroline Cross"


def test_label_and_standfirst_together() -> None:
    entry = read_entry(TEXT / "label_with_standfirst.txt")
    assert (entry.label, entry.title) == ("Born on this Day", "Double Helix")
    assert entry.standfirst == "Rosalind Franklin\u2019s X-ray photographs revealed the shape of DNA"
    assert entry.paragraphs == ("Photograph 51 shows an X-shaped pattern \u2013 the signature of a helix.",)


def test_multi_paragraph_text_is_kept_exactly() -> None:
    entry = read_entry(TEXT / "multi_paragraph.txt")
    assert entry.paragraphs == (
        "The first paragraph sets the scene: a fruit fly embryo, only hours old.",
        "The second paragraph  keeps   its inner spacing exactly, and ends here.",
        "The third paragraph closes the story.",
    )


def test_notices_are_not_body() -> None:
    entry = read_entry(TEXT / "notices.txt")
    assert entry.paragraphs == (
        "Skin cells crawl over one another to close a wound, guided by chemical signals from the damaged tissue.",
    )
    assert entry.notices == (
        "Read the published research article here",
        "Published in Developmental Cell, November 2021",
        "Entries for this year's Royal Photographic Society International Images in Science competition "
        "are welcomed until 1 May 2016",
    )


def test_credits_keep_the_institution_line_after_image_from_work_by() -> None:
    entry = read_entry(TEXT / "credits.txt")
    assert entry.credits == (
        "Image from work by Jane Smith and colleagues",
        "Institute of Metabolic Science, University of Cambridge, UK",
        "Image copyright held by the original authors",
        "Originally published under a Creative Commons Licence (BY 4.0)",
    )
    assert entry.notices == ("Published in Cell Metabolism, August 2020",)
    assert entry.paragraphs == ("Clusters of insulin-making cells glow in this slice of human pancreas.",)
    assert entry.author == "Ruth Williams"


def test_a_full_sentence_after_a_credit_stays_body() -> None:
    entry = read_entry(TEXT / "credit_then_short_body.txt")
    assert entry.credits == ("Image by Sarah Jones",)
    assert entry.paragraphs == ("The picture tells one story. The research behind it tells another.",)


def test_empty_written_by_means_no_author() -> None:
    entry = read_entry(TEXT / "written_by_empty.txt")
    assert entry.author is None
    assert entry.paragraphs == ("Nobody signed this entry, but the cells in it are famous: HeLa cells, dividing.",)


def test_body_only_copy_is_refused_without_date_and_title() -> None:
    path = TEXT / "body_only.txt"
    with pytest.raises(InputError) as caught:
        read_entry(path)
    assert str(caught.value) == f"{path}: no date found (a body-only copy?); give --date and --title"


def test_body_only_copy_is_refused_with_only_a_date() -> None:
    with pytest.raises(InputError, match="no title found; give --title"):
        read_entry(TEXT / "body_only.txt", date=dt.date(2016, 4, 30))


def test_body_only_copy_is_accepted_with_date_and_title() -> None:
    path = TEXT / "body_only.txt"
    assert read_entry(path, date=dt.date(2016, 4, 30), title="Trained Killers") == SourceEntry(
        slug="2016-04-30-trained-killers",
        date=dt.date(2016, 4, 30),
        title="Trained Killers",
        paragraphs=(
            "Imagine being able to engineer an army of fighters, highly trained to seek out and destroy the enemy.",
        ),
        author="Kat Arney",
        source_path=str(path),
        source_format="text",
    )


def test_body_only_copy_starting_with_its_title_does_not_repeat_it_in_the_body() -> None:
    entry = read_entry(TEXT / "body_only_with_title.txt", date=dt.date(2016, 4, 30), title="Trained Killers")
    assert entry.title == "Trained Killers"
    assert entry.paragraphs == (
        "Imagine being able to engineer an army of fighters, highly trained to seek out and destroy the enemy.",
    )


def test_given_date_that_contradicts_the_page_is_refused() -> None:
    path = PAGES / "2016-07-22-massing-to-defend.txt"
    with pytest.raises(InputError) as caught:
        read_entry(path, date=dt.date(2016, 7, 23))
    assert (caught.value.line, caught.value.message) == (
        12,
        "the file is dated 2016-07-22, not 2016-07-23 as given",
    )


def test_given_values_that_agree_with_the_page_are_fine() -> None:
    path = PAGES / "2016-07-22-massing-to-defend.txt"
    assert read_entry(path, date=dt.date(2016, 7, 22), title="Massing to Defend") == read_entry(path)


@pytest.mark.parametrize(
    ("name", "line", "message"),
    [
        ("empty.txt", None, "empty file"),
        ("blank.txt", None, "empty file"),
        ("binary.txt", 3, "binary file, not an entry page (NUL byte)"),
        ("latin1.txt", 1, "not UTF-8 text (byte 0xe9); save the page as UTF-8"),
        ("truncated_after_date.txt", None, "no body paragraphs found (a truncated file?)"),
        ("truncated_before_date.txt", None, "no date found (a body-only copy?); give --date and --title"),
        ("impossible_date.txt", 2, "no such day: '31 February 2016'"),
        (
            "unknown_banner.txt",
            1,
            "unrecognised line before the title: 'Celebrate our birthday with us!' (a new site banner? declare it in [ingest] extra_chrome)",
        ),
    ],
)
def test_unreadable_pages_raise_input_error_naming_the_file(name: str, line: int | None, message: str) -> None:
    path = TEXT / name
    with pytest.raises(InputError) as caught:
        read_entry(path)
    assert (caught.value.path, caught.value.line, caught.value.message) == (str(path), line, message)


def test_a_second_written_by_line_is_refused_with_its_line() -> None:
    text = "Twice Signed\n01 May 2016\n\nOne paragraph.\n\nWritten by A\n\nWritten by B\n"
    with pytest.raises(InputError) as caught:
        parse_page_text(text, path=Path("twice.txt"))
    assert str(caught.value) == "twice.txt:8: a second 'Written by' line (first at line 6)"


def test_page_date_first_without_title_asks_for_a_title() -> None:
    with pytest.raises(InputError) as caught:
        parse_page_text("01 May 2016\n\nOne paragraph.\n", path=Path("dated.txt"))
    assert str(caught.value) == "dated.txt:1: no title found; give --title"


def test_separator_between_label_and_title_is_not_part_of_the_label() -> None:
    text = "World Sight Day: Seeing Genes\n8 October 2015\n\nSeeing Genes\n\nGenes light up.\n"
    entry = parse_page_text(text, path=Path("sight.txt"))
    assert (entry.label, entry.title, entry.paragraphs) == ("World Sight Day", "Seeing Genes", ("Genes light up.",))


def test_banner_line_between_title_and_date_is_dropped() -> None:
    text = "Gut Feeling\nSearch the archive of over 4000 images\n2 February 2017\n\nGut Feeling\n\nNerves talk.\n"
    entry = parse_page_text(text, path=Path("gut.txt"))
    assert (entry.title, entry.standfirst, entry.paragraphs) == ("Gut Feeling", None, ("Nerves talk.",))

"""HTML reader: entry content only, chrome dropped, tolerant of broken markup."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bpod_i18n.errors import InputError
from bpod_i18n.model import Image, SourceEntry
from bpod_i18n.sources import read_entry
from bpod_i18n.sources.html import parse_html

HTML = Path(__file__).parent / "fixtures" / "sources" / "html"


def test_marked_up_site_page_gives_the_entry_only() -> None:
    path = HTML / "entry_marked_up.html"
    assert read_entry(path) == SourceEntry(
        slug="2015-10-08-seeing-genes",
        date=dt.date(2015, 10, 8),
        title="Seeing Genes",
        label="World Sight Day",
        standfirst="Genes that shape the eye, switched on one by one",
        paragraphs=(
            # <em>Danio rerio</em> is kept as inline markup; the source's line break is a space.
            "Genes switched on in the eye of a zebrafish (<em>Danio rerio</em>) light up in this image, "
            "tracing the cells that will become the retina.",
            # &nbsp; stays a no-break space, as in page text.
            "Each colour marks a different gene\u00a0\u2013 and a different cell fate.",
        ),
        notices=(
            "Today is World Sight Day",
            'Read the published research article <a href="https://doi.org/10.0000/example">here</a>',
        ),
        author="Caroline Cross",
        credits=(
            "Image from work by Maria Lopez and colleagues",
            "Institute of Ophthalmology, University College London, UK",
            "Image copyright held by the original authors",
        ),
        source_path=str(path),
        source_format="html",
        # The <figure>'s picture; the page gives no base address, so its path stays relative.
        image=Image("/media/2015/10/08/seeing-genes.jpg", "Zebrafish eye with glowing genes"),
    )


def test_page_without_markers_is_read_by_the_page_layout() -> None:
    path = HTML / "entry_plain_markup.html"
    assert read_entry(path) == SourceEntry(
        slug="2013-01-06-sunny-bones",
        date=dt.date(2013, 1, 6),
        title="Sunny Bones",
        label="Born on this Day",
        paragraphs=(
            "Vitamin D, made in the skin when sunlight strikes it, keeps bones strong.",
            # <i> and <br> are kept as inline markup.
            "This X-ray shows the bowed legs of <i>rickets</i>.<br/>Line two of the same paragraph.",
        ),
        author="Hannah Stower",
        source_path=str(path),
        source_format="html",
    )


def test_unclosed_tags_still_give_separate_paragraphs() -> None:
    path = HTML / "broken_unclosed_tags.html"
    assert read_entry(path) == SourceEntry(
        slug="2016-07-22-massing-to-defend",
        date=dt.date(2016, 7, 22),
        title="Massing to Defend",
        paragraphs=(
            "On the front line of the immune system\u2019s battle with pathogens, T cells raise the alarm.",
            "Researchers hope that a deeper understanding of T-cell activation will reveal ways",
        ),
        author="Emmanuelle Briolat",
        source_path=str(path),
        source_format="html",
    )


def test_date_in_a_byline_after_the_text() -> None:
    entry = read_entry(HTML / "time_in_byline.html")
    assert (entry.date, entry.title, entry.author) == (dt.date(2014, 5, 5), "Quiet Neurons", "Daniel Cossins")
    assert entry.paragraphs == (
        "Not every neuron fires all the time.",
        "Some stay silent until a particular smell arrives.",
    )


def test_page_declaring_latin1_is_decoded_by_its_meta_charset() -> None:
    entry = read_entry(HTML / "latin1_meta_charset.html")
    assert (entry.title, entry.slug) == ("Caf\u00e9 Cells", "2015-03-12-cafe-cells")
    assert entry.paragraphs == ("Caffeine reaches the brain quickly - within minutes.",)


def test_page_with_only_chrome_has_no_entry() -> None:
    path = HTML / "no_entry.html"
    with pytest.raises(InputError) as caught:
        read_entry(path)
    assert str(caught.value) == f"{path}: no entry found: the page has no text outside the site chrome"


def test_fragment_without_title_or_date_is_no_entry_unless_both_are_given() -> None:
    path = HTML / "body_fragment.html"
    with pytest.raises(InputError, match=r"no entry found: no title \(<h1>\) and no date") as caught:
        read_entry(path)
    assert caught.value.path == str(path)
    entry = read_entry(path, date=dt.date(2016, 4, 30), title="Trained Killers")
    assert (entry.slug, entry.author) == ("2016-04-30-trained-killers", "Kat Arney")
    assert entry.paragraphs == (
        "Imagine being able to engineer an army of fighters, highly trained to seek out and destroy the enemy.",
    )


def test_time_without_datetime_attribute_uses_its_text() -> None:
    page = b"<article><h1>Gut Feeling</h1><time>2 February 2017</time><p>Nerves talk.</p></article>"
    entry = parse_html(page, path=Path("gut.html"))
    assert (entry.date, entry.paragraphs) == (dt.date(2017, 2, 2), ("Nerves talk.",))


def test_unreadable_date_markup_names_the_line() -> None:
    page = b"<article>\n<h1>Gut Feeling</h1>\n<time>sometime in 2017</time>\n<p>Nerves talk.</p></article>"
    with pytest.raises(InputError) as caught:
        parse_html(page, path=Path("gut.html"))
    assert str(caught.value) == "gut.html:3: not a date: 'sometime in 2017'"


def test_non_utf8_page_without_charset_is_refused() -> None:
    page = "<article><h1>Caf\u00e9</h1></article>".encode("latin-1")
    with pytest.raises(InputError, match="not UTF-8 text"):
        parse_html(page, path=Path("cafe.html"))


def test_empty_html_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.html"
    path.write_text("  \n")
    with pytest.raises(InputError) as caught:
        read_entry(path)
    assert str(caught.value) == f"{path}: empty file"

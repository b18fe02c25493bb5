"""Markdown with YAML front matter, and JSON entries."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bpod_i18n.errors import InputError
from bpod_i18n.model import SourceEntry
from bpod_i18n.sources import read_entry

MARKDOWN = Path(__file__).parent / "fixtures" / "sources" / "markdown"
JSON = Path(__file__).parent / "fixtures" / "sources" / "json"


def test_markdown_with_every_key() -> None:
    path = MARKDOWN / "full.md"
    assert read_entry(path) == SourceEntry(
        slug="2015-10-08-seeing-genes",
        date=dt.date(2015, 10, 8),
        title="Seeing Genes",
        label="World Sight Day",
        standfirst="Genes that shape the eye, switched on one by one",
        paragraphs=(
            # Soft-wrapped lines join with a space; inline Markdown becomes inline markup.
            "Genes switched on in the eye of a zebrafish (<em>Danio rerio</em>) light up in this image, "
            "tracing the cells that will become the retina.",
            "Each colour marks a different gene \u2013 and a different cell fate.",
        ),
        notices=("Today is World Sight Day",),
        author="Caroline Cross",
        credits=(
            "Image from work by Maria Lopez and colleagues",
            "Institute of Ophthalmology, University College London, UK",
        ),
        source_path=str(path),
        source_format="markdown",
    )


def test_markdown_heading_repeating_the_title_and_written_by_line_in_the_body() -> None:
    path = MARKDOWN / "heading_and_written_by_in_body.md"
    assert read_entry(path) == SourceEntry(
        slug="quiet-neurons-2014",
        date=dt.date(2014, 5, 5),
        title="Quiet Neurons",
        paragraphs=("Not every neuron fires all the time.",),
        author="Daniel Cossins",
        source_path=str(path),
        source_format="markdown",
    )


def test_markdown_without_front_matter_is_a_body_only_copy() -> None:
    path = MARKDOWN / "no_front_matter.md"
    with pytest.raises(InputError) as caught:
        read_entry(path)
    assert str(caught.value) == f"{path}: no date found (a body-only copy?); give --date and --title"
    entry = read_entry(path, date=dt.date(2016, 4, 30), title="Trained Killers")
    assert (entry.slug, entry.author, entry.source_format) == ("2016-04-30-trained-killers", "Kat Arney", "markdown")


def test_markdown_missing_date_takes_the_given_one() -> None:
    path = MARKDOWN / "missing_date.md"
    with pytest.raises(InputError) as caught:
        read_entry(path)
    assert str(caught.value) == f"{path}: no date found; give --date"
    assert read_entry(path, date=dt.date(2016, 4, 30)).slug == "2016-04-30-trained-killers"


@pytest.mark.parametrize(
    ("name", "line", "message"),
    [
        ("bad_yaml.md", 5, "bad YAML front matter: expected ',' or ']', but got ':'"),
        ("unclosed_front_matter.md", 1, "front matter is not closed: no '---' line after the opening one"),
        ("bad_date.md", 4, "date must be YYYY-MM-DD, not '30/04/2016'"),
        ("bad_slug.md", 4, "slug must be lowercase ASCII words joined by hyphens, not 'Trained Killers!'"),
    ],
)
def test_bad_markdown_names_file_and_line(name: str, line: int, message: str) -> None:
    path = MARKDOWN / name
    with pytest.raises(InputError) as caught:
        read_entry(path)
    assert (caught.value.path, caught.value.line, caught.value.message) == (str(path), line, message)


def test_json_with_every_key() -> None:
    path = JSON / "full.json"
    assert read_entry(path) == SourceEntry(
        slug="2013-01-06-sunny-bones",
        date=dt.date(2013, 1, 6),
        title="Sunny Bones",
        label="Born on this Day",
        standfirst=None,
        paragraphs=(
            "Vitamin D, made in the skin when sunlight strikes it, keeps bones strong.",
            "This X-ray shows the bowed legs of rickets\u00a0\u2013 a disease of the dark.",
        ),
        notices=("Published in The Lancet, January 2013",),
        author="Hannah Stower",
        credits=("Image copyright held by the original authors",),
        source_path=str(path),
        source_format="json",
    )


@pytest.mark.parametrize(
    ("name", "line", "message"),
    [
        ("bad_syntax.json", 6, "bad JSON: Expecting value (column 3)"),
        ("missing_title.json", None, "no title found; give --title"),
        ("paragraphs_not_a_list.json", 4, "paragraphs must be a list of text lines"),
        ("not_an_object.json", 1, "the JSON must be one object with title, date, paragraphs..."),
    ],
)
def test_bad_json_names_file_and_line(name: str, line: int | None, message: str) -> None:
    path = JSON / name
    with pytest.raises(InputError) as caught:
        read_entry(path)
    assert (caught.value.path, caught.value.line, caught.value.message) == (str(path), line, message)


def test_json_missing_title_takes_the_given_one() -> None:
    entry = read_entry(JSON / "missing_title.json", title="Sunny Bones")
    assert (entry.slug, entry.paragraphs) == ("2013-01-06-sunny-bones", ("Vitamin D keeps bones strong.",))


def test_json_title_of_the_wrong_type_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "typed.json"
    path.write_text('{\n  "date": "2013-01-06",\n  "title": ["Sunny", "Bones"],\n  "paragraphs": ["x"]\n}\n')
    with pytest.raises(InputError) as caught:
        read_entry(path)
    assert str(caught.value) == f"{path}:3: title must be text, not list"

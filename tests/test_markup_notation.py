"""The tagged notation (bpod_i18n.markup) and segmentation with the markup held aside."""

from __future__ import annotations

import pytest

from bpod_i18n import markup
from bpod_i18n.segment import segment_field, split_sentences


def test_entry_text_to_unit_text_and_back() -> None:
    entry = (
        'Zebrafish (<em>Danio <b>rerio</b></em>) raise Ca<sup>2+</sup> and CO<sub>2</sub>; read <a href="https://doi.org/10.1/x?a=1&amp;b=2">'
        "here</a>.<br/>p < 0.05 and R&D stay as typed"
    )
    marked = markup.parse(entry)
    assert marked.text == "Zebrafish (Danio rerio) raise Ca2+ and CO2; read here.\np < 0.05 and R&D stay as typed"
    unit, links = markup.write(marked, numbered=True)
    assert unit == (
        "Zebrafish (<em>Danio <b>rerio</b></em>) raise Ca<sup>2+</sup> and CO<sub>2</sub>; read <a1>here</a1>."
        "<br/>p < 0.05 and R&D stay as typed"
    )
    assert links == ("https://doi.org/10.1/x?a=1&b=2",)
    assert markup.write(markup.parse(unit, links), numbered=False)[0] == entry
    assert markup.plain(unit) == marked.text


def test_only_what_would_read_as_a_tag_is_escaped() -> None:
    text = "a <em> b, &lt; c, x<y, 5 > 3, R&D"
    tagged = markup.escape(text)
    assert tagged == "a &lt;em> b, &amp;lt; c, x&lt;y, 5 > 3, R&D"
    assert markup.parse(tagged).text == text


@pytest.mark.parametrize(
    ("tagged", "links", "problem"),
    [
        ("<em>open", None, "<em> is not closed"),
        ("<em><b>x</em></b>", None, "</em> closes <b>"),
        ("x</em>", None, "</em> closes nothing"),
        ("<a2>x</a2>", ["https://a.org"], "<a2>: no such link in this text"),
        ('<a href="https://a.org">x</a>', ["https://a.org"], "a link's address is not part of a unit's text"),
    ],
)
def test_strict_reading_names_the_problem(tagged: str, links: list[str] | None, problem: str) -> None:
    with pytest.raises(markup.MarkupError, match=problem):
        markup.parse(tagged, links)


def test_lenient_reading_drops_broken_tags_and_keeps_the_text() -> None:
    marked = markup.parse("<em>x</strong> <b>y</b> <a7>z</a7> <script>w</script>", ["https://a.org"], strict=False)
    assert marked.text == "x y z <script>w</script>"
    assert [(s.tag, marked.text[s.start : s.end]) for s in marked.spans] == [("b", "y")]


def test_builder_moves_edge_spaces_out_of_elements() -> None:
    builder = markup.Builder()
    builder.text("  Zebrafish")
    builder.open("em")
    builder.text(" Danio  rerio ")
    builder.close()
    builder.text("\tswim.")
    builder.br()
    builder.text(" Next\u00a0line ")
    assert markup.write(builder.build(), numbered=False)[0] == "Zebrafish <em>Danio rerio</em> swim.<br/>Next\u00a0line"


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        # A mid-sentence "eg." no longer ends a sentence.
        (
            "Cells were imaged, eg. with confocal microscopy, in the lab. Then they grew.",
            ["Cells were imaged, eg. with confocal microscopy, in the lab.", "Then they grew."],
        ),
        # A single capital letter after an ordinary word ends the sentence.
        (
            "Chicks need vitamin D. Chicks without it grow weak legs.",
            ["Chicks need vitamin D.", "Chicks without it grow weak legs."],
        ),
        # ...but not an initial after a word that introduces a name.
        ("Image by D. Smith and J. Lee of the lab.", ["Image by D. Smith and J. Lee of the lab."]),
        # "Dr." right after a sentence end starts a new one.
        (
            "The work was done in the lab. Dr. Smith then took over.",
            ["The work was done in the lab.", "Dr. Smith then took over."],
        ),
        # The same family: nupunkt's abbreviation list held "cancer" (learnt from legal text).
        ("It was linked to cancer. Scientists agree.", ["It was linked to cancer.", "Scientists agree."]),
        # What worked keeps working.
        ("Smith et al. reported the result. Dr. Jones and Prof. Smith agreed.", None),
    ],
)
def test_archive_prose_segmentation(text: str, sentences: list[str] | None) -> None:
    got = [s for s, _ in split_sentences(text)]
    if sentences is None:
        assert got == ["Smith et al. reported the result.", "Dr. Jones and Prof. Smith agreed."]
    else:
        assert got == sentences


def test_segmentation_never_splits_a_tag_pair_and_says_so() -> None:
    field = (
        'See <em>E. coli. It divides fast.</em> Read <a href="https://a.org">one</a> and <a href="https://b.org">'
        "two</a>. Ca<sup>2+</sup> rises."
    )
    units = segment_field("body.1", field)
    assert [(u.text, u.trailing, u.links, u.note) for u in units] == [
        (
            "See <em>E. coli. It divides fast.</em>",
            " ",
            (),
            "2 sentences kept as one unit: a tag pair (<em>) spans them",
        ),
        ("Read <a1>one</a1> and <a2>two</a2>.", " ", ("https://a.org", "https://b.org"), None),
        ("Ca<sup>2+</sup> rises.", "", (), None),
    ]


def test_one_sentence_fields_number_their_links_too() -> None:
    [unit] = segment_field("notice.1", 'Read the published research article <a href="https://doi.org/x">here</a>')
    assert (unit.text, unit.links) == ("Read the published research article <a1>here</a1>", ("https://doi.org/x",))
    [credit] = segment_field("credit.1", "Image by Dr. A. Smith. Institute of Things.")
    assert credit.text == "Image by Dr. A. Smith. Institute of Things."

"""Public API of bpod_i18n.sources: dispatch, discovery, slugs, site strings, line rules."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bpod_i18n.errors import InputError
from bpod_i18n.sources import (
    SITE_STRINGS,
    SUPPORTED_SUFFIXES,
    discover,
    is_banner_line,
    is_chrome_line,
    is_footer_line,
    make_slug,
    read_entry,
    site_string_for,
)
from bpod_i18n.sources.patterns import Role, classify

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
PAGES = Path(__file__).parent / "fixtures" / "pages"


@pytest.mark.parametrize(
    ("relative", "source_format"),
    [
        ("text/no_banner.txt", "text"),
        ("html/time_in_byline.html", "html"),
        ("markdown/heading_and_written_by_in_body.md", "markdown"),
        ("json/full.json", "json"),
    ],
)
def test_read_entry_dispatches_on_suffix(relative: str, source_format: str) -> None:
    entry = read_entry(FIXTURES / relative)
    assert entry.source_format == source_format
    assert entry.source_path == str(FIXTURES / relative)


@pytest.mark.parametrize("suffix", [".htm", ".markdown", ".TXT"])
def test_other_spellings_of_supported_suffixes(tmp_path: Path, suffix: str) -> None:
    source = {".htm": "html/time_in_byline.html", ".markdown": "markdown/full.md", ".TXT": "text/no_banner.txt"}[suffix]
    path = tmp_path / f"entry{suffix}"
    path.write_bytes((FIXTURES / source).read_bytes())
    assert read_entry(path).title == read_entry(FIXTURES / source).title


def test_read_entry_refuses_unsupported_missing_and_folder(tmp_path: Path) -> None:
    pdf = tmp_path / "entry.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    with pytest.raises(InputError) as caught:
        read_entry(pdf)
    assert str(caught.value) == (
        f"{pdf}: unsupported file type '.pdf'; expected one of .txt, .html, .htm, .md, .markdown, .json"
    )
    with pytest.raises(InputError) as caught:
        read_entry(tmp_path / "gone.txt")
    assert str(caught.value) == f"{tmp_path / 'gone.txt'}: no such file"
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    with pytest.raises(InputError, match="is a folder, not an entry file"):
        read_entry(folder)


def test_supported_suffixes() -> None:
    assert SUPPORTED_SUFFIXES == (".txt", ".html", ".htm", ".md", ".markdown", ".json")


def test_discover_walks_folders_sorted_and_keeps_supported_files(tmp_path: Path) -> None:
    for name in (
        "b/2016-04-30.txt",
        "b/deep/x.json",
        "a.md",
        "b/notes.pdf",
        "b/.hidden.txt",
        ".git/entry.txt",
        "c.HTML",
        "single.htm",
    ):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    found = discover([tmp_path / "single.htm", tmp_path, tmp_path / "single.htm"])
    assert found == sorted(
        [
            tmp_path / "a.md",
            tmp_path / "b/2016-04-30.txt",
            tmp_path / "b/deep/x.json",
            tmp_path / "c.HTML",
            tmp_path / "single.htm",
        ]
    )


def test_discover_real_pages_folder() -> None:
    assert [p.name for p in discover([PAGES])] == [
        "2016-04-30-trained-killers.txt",
        "2016-07-22-massing-to-defend.txt",
        "2021-06-19-reassessing-als.txt",
    ]


def test_discover_refuses_missing_paths_and_named_unsupported_files(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        discover([tmp_path / "nowhere"])
    assert str(caught.value) == f"{tmp_path / 'nowhere'}: no such file or folder"
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    with pytest.raises(InputError, match=r"unsupported file type '\.png'"):
        discover([tmp_path / "image.png"])


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Massing to Defend", "2016-07-22-massing-to-defend"),
        ("It\u2019s a Gut Feeling!", "2016-07-22-its-a-gut-feeling"),
        ("Caf\u00e9 Cells & Na\u00efve Mice", "2016-07-22-cafe-cells-and-naive-mice"),
        ("\u03b1-Synuclein Knots", "2016-07-22-alpha-synuclein-knots"),
        ("Stra\u00dfe \u2013 Fj\u00f8rd", "2016-07-22-strasse-fjord"),
        ("  --CRISPR/Cas9 (2.0)--  ", "2016-07-22-crispr-cas9-2-0"),
        ("\u795e\u7ecf", "2016-07-22-entry"),
    ],
)
def test_make_slug(title: str, slug: str) -> None:
    assert make_slug(dt.date(2016, 7, 22), title) == slug


def test_site_strings_have_unique_keys_and_texts() -> None:
    keys = [s.key for s in SITE_STRINGS]
    texts = [s.text for s in SITE_STRINGS]
    assert len(keys) == len(set(keys)) and len(texts) == len(set(texts))
    for text in (
        "Written by",
        "Search The Archive",
        "Search the archive of over 4000 images",
        "Submit An Image",
        "Follow on Tumblr",
        "Follow on Instagram",
        "What is BPoD?",
        "Read More",
        "Read the original English entry",
        "Image copyright held by the original authors",
        "BPoD is also available in Catalan at www.bpod.cat with translations by the University of Valencia.",
    ):
        assert text in texts, text


def test_site_strings_hold_every_chrome_line_of_the_real_pages() -> None:
    lines = (PAGES / "2016-04-30-trained-killers.txt").read_text(encoding="utf-8").splitlines()
    chrome = [line for line in lines if line.strip() and is_chrome_line(line)]
    assert len(chrome) == 13
    # Every chrome line is a site string, except the banner's year count (a placeholder).
    missing = [line for line in chrome if site_string_for(line) is None]
    assert missing == ["Now in our 13th year of bringing you beautiful imagery from biomedical science every day"]
    assert site_string_for("Image copyright held by the original authors").key == "credit.copyright-authors"


@pytest.mark.parametrize(
    "line",
    [
        "BPoD has moved!",
        "Please update your bookmarks!",
        "Medical Research Council - London Institute of Medical Sciences",
        "Now in our 8th year of bringing you beautiful imagery from biomedical science every day",
        "Search the archive of over 4,000 images",
    ],
)
def test_banner_lines(line: str) -> None:
    assert is_banner_line(line) and not is_footer_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "Search The Archive",
        "Submit An Image",
        "Follow on Tumblr",
        "What is BPoD?",
        "Read More",
        "BPoD stands for Biomedical Picture of the Day. Managed by the MRC London Institute of Medical Sciences...",
    ],
)
def test_footer_lines(line: str) -> None:
    assert is_footer_line(line) and not is_banner_line(line)


def test_an_institute_credit_is_not_chrome() -> None:
    assert not is_chrome_line("MRC London Institute of Medical Sciences, Imperial College London, UK")


@pytest.mark.parametrize(
    ("line", "previous", "role"),
    [
        ("Written by Kat Arney", None, Role.AUTHOR),
        ("Written by", None, Role.AUTHOR),
        ("Read the published research article here", None, Role.NOTICE),
        ("Watch the video here.", None, Role.NOTICE),
        ("Research published in Nature, May 2021", None, Role.NOTICE),
        ("This week is Brain Awareness Week", None, Role.NOTICE),
        ("Part of the Wellcome Image Awards exhibition", None, Role.NOTICE),
        ("Video from work by Li Wei and colleagues", None, Role.CREDIT),
        ("Images courtesy of the Francis Crick Institute", None, Role.CREDIT),
        ("\u00a9 The Francis Crick Institute", None, Role.CREDIT),
        ("Originally published with a Creative Commons Attribution 4.0 licence", None, Role.CREDIT),
        ("Department of Physiology, University of Oxford", Role.CREDIT, Role.CREDIT),
        ("London, UK", Role.CREDIT, Role.CREDIT),
        ("London, UK", Role.BODY, Role.BODY),
        ("The cells divide.", Role.CREDIT, Role.BODY),
        ("Today is the day the cells divide, " + "and they keep dividing " * 10 + "for ever.", None, Role.BODY),
    ],
)
def test_line_classification(line: str, previous: Role | None, role: Role) -> None:
    assert classify(line, previous) is role

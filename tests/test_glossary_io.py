"""Termbase files: CSV and TBX in and out, merge, add/remove, errors with file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bpod_i18n.errors import InputError, NotFoundError, UsageError
from bpod_i18n.glossary import (
    AddOutcome,
    Case,
    Status,
    Termbase,
    export_tbx,
    import_into,
    load_pair,
    load_termbase,
    make_term,
    read_termbase_file,
    save_termbase,
    termbase_path,
)

FIXTURES = Path(__file__).parent / "fixtures" / "glossary"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project whose glossary/en-ca.csv is the small fixture termbase."""
    (tmp_path / "glossary").mkdir()
    shutil.copy(FIXTURES / "small-en-ca.csv", tmp_path / "glossary" / "en-ca.csv")
    return tmp_path


def rows(termbase: Termbase) -> list[tuple[str, str, str, str, bool, str]]:
    return [(t.source, t.target, t.pos, t.status.value, t.dnt, t.note) for t in termbase.terms]


def test_load_pair_reads_the_csv(project: Path) -> None:
    termbase = load_pair(project / "glossary", "en", "ca")
    assert (termbase.source_lang, termbase.target_lang, len(termbase)) == ("en", "ca", 15)
    assert rows(termbase)[:3] == [
        ("ALS", "ELA", "noun", "preferred", False, "Viquipèdia"),
        ("amyotrophic lateral sclerosis", "esclerosi lateral amiotròfica", "noun", "preferred", False, "Viquipèdia"),
        ("DNA", "ADN", "noun", "preferred", False, "bpod.cat"),
    ]
    assert termbase.entries_for("stem cells")[1].status is Status.FORBIDDEN


def test_missing_pair_is_empty(tmp_path: Path) -> None:
    assert len(load_pair(tmp_path / "glossary", "en", "es")) == 0
    assert termbase_path(tmp_path / "glossary", "en", "pt_BR") == tmp_path / "glossary" / "en-pt_BR.csv"
    with pytest.raises(UsageError):
        termbase_path(tmp_path, "en", "../ca")


def test_save_is_deterministic_and_sorted(project: Path) -> None:
    path = project / "glossary" / "en-ca.csv"
    original = path.read_bytes()
    termbase = load_termbase(path)
    save_termbase(termbase, path)
    assert path.read_bytes() == original  # the fixture is already in canonical order
    shuffled = Termbase("en", "ca", list(reversed(termbase.terms)))
    save_termbase(shuffled, path)
    assert path.read_bytes() == original
    assert [p.name for p in path.parent.iterdir()] == ["en-ca.csv"]  # no temporary file left


def test_hand_edited_csv_with_fewer_columns_bom_and_crlf() -> None:
    termbase, _ = read_termbase_file(FIXTURES / "hand-edited-columns.csv", source_lang="en", target_lang="ca")
    assert rows(termbase) == [
        ("Danio rerio", "Danio rerio", "", "preferred", True, "Latin binomial"),
        ("organoid", "organoide", "", "preferred", False, "mirror, 2026"),
        ("stem cells", "cèl·lules mare", "", "preferred", False, "bpod.cat"),
    ]


@pytest.mark.parametrize(
    ("fixture", "line", "message"),
    [
        ("malformed-status.csv", 3, "status must be preferred, admitted or forbidden, not 'maybe'"),
        ("malformed-field-count.csv", 4, "expected 7 fields, found 4"),
        ("malformed-quote.csv", 3, "malformed CSV: ',' expected after '\"'"),
        ("malformed-dnt.csv", 2, "dnt must be yes or no, not 'maybe'"),
        ("malformed-duplicate.csv", 4, "'stem cells' → 'cèl·lules mare' repeats line 2"),
        (
            "malformed-header.csv",
            1,
            "unknown column 'english'; columns are source, target, pos, status, dnt, case, note",
        ),
    ],
)
def test_malformed_csv_names_file_and_line(fixture: str, line: int, message: str) -> None:
    path = FIXTURES / fixture
    with pytest.raises(InputError) as caught:
        read_termbase_file(path, source_lang="en", target_lang="ca")
    assert (caught.value.path, caught.value.line, caught.value.message) == (str(path), line, message)
    assert str(caught.value) == f"{path}:{line}: {message}"


def test_malformed_import_changes_nothing(project: Path) -> None:
    path = project / "glossary" / "en-ca.csv"
    before = path.read_bytes()
    termbase = load_termbase(path)
    snapshot = rows(termbase)
    for bad in ("malformed-status.csv", "malformed-status.tbx", "malformed-unclosed.tbx"):
        with pytest.raises(InputError):
            import_into(termbase, FIXTURES / bad)
    assert rows(termbase) == snapshot
    assert path.read_bytes() == before


def test_tbx_round_trip_gives_the_same_termbase(tmp_path: Path) -> None:
    termbase, _ = read_termbase_file(FIXTURES / "small-en-ca.csv", source_lang="en", target_lang="ca")
    termbase.add(make_term("Notch", "Notch", dnt=True, case="sensitive", note="gene symbol"))
    termbase.add(make_term("ALS-like", "semblant a l'ELA", pos="adjective", case="insensitive"))
    out = export_tbx(termbase, tmp_path / "en-ca.tbx")
    again, skipped = read_termbase_file(out, source_lang="en", target_lang="ca")
    assert skipped == 0
    assert again.terms == termbase.terms
    # export is deterministic
    first = out.read_bytes()
    export_tbx(again, out)
    assert out.read_bytes() == first
    assert b'<termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote>' in first


def test_import_partner_tbx_v3_merges(project: Path) -> None:
    termbase = load_pair(project / "glossary", "en", "ca")
    report = import_into(termbase, FIXTURES / "partner-tbx-v3.tbx")
    # zebrafish, cèl·lules troncals and Danio rerio are new; cèl·lules mare is the same
    # (its empty note keeps ours); western blot has no Catalan and is skipped
    assert (report.added, report.updated, report.unchanged, report.skipped) == (3, 0, 1, 1)
    assert rows(Termbase("en", "ca", [t for t in termbase.terms if t.source in ("zebrafish", "Danio rerio")])) == [
        ("Danio rerio", "Danio rerio", "properNoun", "admitted", True, ""),
        ("zebrafish", "peix zebra", "noun", "preferred", False, "UV house style"),
    ]
    assert [(t.target, t.status.value, t.note) for t in termbase.entries_for("stem cells")] == [
        ("cèl·lules mare", "preferred", "bpod.cat"),
        ("cèl·lules troncals", "admitted", ""),
        ("cèl·lules de tija", "forbidden", "Apertium gist error"),
    ]


def test_import_martif_tbx_v2() -> None:
    termbase = Termbase("en", "ca")
    report = import_into(termbase, FIXTURES / "partner-martif-v2.tbx")
    assert (report.added, report.skipped) == (2, 0)
    assert rows(termbase) == [
        ("fruit fly", "mosca de la fruita", "", "forbidden", False, ""),
        ("macrophages", "macròfags", "noun", "preferred", False, ""),
    ]


def test_import_csv_merges_and_incoming_rows_win() -> None:
    termbase = Termbase(
        "en",
        "ca",
        [make_term("DNA", "ADN", pos="noun", note="old note"), make_term("mouse", "ratolí", status="admitted")],
    )
    report = import_into(termbase, FIXTURES / "small-en-ca.csv")
    assert (report.added, report.updated, report.unchanged) == (13, 2, 0)
    assert (termbase.get("DNA", "ADN").note, termbase.get("mouse", "ratolí").status) == ("bpod.cat", Status.PREFERRED)


@pytest.mark.parametrize(
    ("fixture", "line", "message"),
    [
        (
            "malformed-unclosed.tbx",
            12,
            "malformed TBX: Opening and ending tag mismatch: langSec line 10 and conceptEntry",
        ),
        ("malformed-status.tbx", 14, "unknown administrativeStatus 'probablyFine-admn-sts'"),
        ("malformed-empty-term.tbx", 7, "<termSec> without a <term>"),
    ],
)
def test_malformed_tbx_names_file_and_line(fixture: str, line: int, message: str) -> None:
    path = FIXTURES / fixture
    with pytest.raises(InputError) as caught:
        read_termbase_file(path, source_lang="en", target_lang="ca")
    assert (caught.value.path, caught.value.line, caught.value.message) == (str(path), line, message)


def test_add_and_remove() -> None:
    termbase = Termbase("en", "ca")
    assert termbase.add(make_term("organoid", "organoide", note="bpod.cat")) is AddOutcome.ADDED
    assert termbase.add(make_term("organoid", "organoide", note="bpod.cat")) is AddOutcome.UNCHANGED
    with pytest.raises(UsageError):
        termbase.add(make_term("organoid", "organoide", status="admitted"))
    assert (
        termbase.add(make_term("organoid", "organoide", status="admitted"), replace_existing=True) is AddOutcome.UPDATED
    )
    termbase.add(make_term("organoid", "organoid", status="forbidden"))
    assert [t.target for t in termbase.remove("organoid", "organoid")] == ["organoid"]
    assert [t.target for t in termbase.remove("organoid")] == ["organoide"]
    with pytest.raises(NotFoundError):
        termbase.remove("organoid")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"source": "  ", "target": "x"}, "source term is empty"),
        ({"source": "neurons", "target": ""}, "target term of 'neurons' is empty"),
        (
            {"source": "CRISPR", "target": "CRISPR", "dnt": True, "status": "forbidden"},
            "a forbidden rendering cannot also be do-not-translate",
        ),
        (
            {"source": "CRISPR", "target": "crispr", "dnt": True},
            "do-not-translate term 'CRISPR' must have its own spelling as target, not 'crispr'",
        ),
        (
            {"source": "gene", "target": "gen", "pos": "substantive"},
            "part of speech must be one of noun, properNoun, adjective, verb, adverb, other (or empty), not 'substantive'",
        ),
    ],
)
def test_make_term_rejects(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        make_term(**kwargs)
    assert str(caught.value) == message


def test_terms_are_cleaned_and_case_rule() -> None:
    term = make_term("  T   cell ", "limfòcit T")
    assert (term.source, term.case, term.case_sensitive) == ("T cell", Case.AUTO, False)
    assert make_term("ALS", "ELA").case_sensitive
    assert make_term("mRNA", "ARNm").case_sensitive
    assert make_term("p53", "p53", dnt=True).case_sensitive
    assert not make_term("Mus musculus", dnt=True).case_sensitive

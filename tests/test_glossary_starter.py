"""The starter termbases shipped in glossary/: valid, canonical, and holding what the mirror uses."""

from __future__ import annotations

from pathlib import Path

import pytest

from bpod_i18n.glossary import Status, load_termbase
from bpod_i18n.glossary.csv_io import format_csv

GLOSSARY = Path(__file__).resolve().parent.parent / "bpod_i18n" / "data" / "glossary"  # package data


@pytest.mark.parametrize("pair", ["en-ca", "en-es"])
def test_starter_termbase_is_valid_canonical_and_annotated(pair: str) -> None:
    path = GLOSSARY / f"{pair}.csv"
    termbase = load_termbase(path)
    assert len({t.source for t in termbase.terms}) >= 60
    assert path.read_text(encoding="utf-8") == format_csv(termbase)  # saved in canonical order
    assert all(t.note for t in termbase.terms), "every rendering says where it comes from"
    assert any(t.status is Status.FORBIDDEN for t in termbase.terms)
    dnt = {t.source for t in termbase.terms if t.dnt}
    assert {"Mus musculus", "Danio rerio", "Drosophila melanogaster", "E. coli", "CRISPR"} <= dnt


def test_catalan_renderings_seen_on_the_mirror() -> None:
    termbase = load_termbase(GLOSSARY / "en-ca.csv")
    preferred = {(t.source, t.target) for t in termbase.terms if t.status is Status.PREFERRED}
    assert {
        ("stem cells", "cèl·lules mare"),
        ("fruit fly", "mosca del vinagre"),
        ("DNA", "ADN"),
        ("MRSA", "SARM"),
        ("MRI", "ressonància magnètica"),
        ("organoid", "organoide"),
        ("neurons", "neurones"),
        ("macrophages", "macròfags"),
    } <= preferred
    assert termbase.get("stem cells", "cèl·lules de tija").status is Status.FORBIDDEN

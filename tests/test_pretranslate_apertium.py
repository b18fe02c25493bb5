"""pretranslate with Debian's Apertium (offline): real Catalan, glossary and protected terms."""

from __future__ import annotations

import json
import re
from pathlib import Path

import polib
import pytest
from mt_fixtures import require_apertium
from sqlalchemy import select

from bpod_i18n.store.models import Entry, MTCacheEntry, Translation, Unit
from bpod_i18n.workflow.project import Project

FIXTURES = Path(__file__).parent / "fixtures" / "pretranslate"
SLUG = "2019-03-14-guarding-motor-neurons"
GENE = "The SOD1 gene of Mus musculus is studied in stem cells."
BRAIN = "Scientists study the brain of the mouse."


def translations(project: Project, slug: str) -> dict[str, tuple]:
    with project.store.engine.connect() as conn:
        rows = conn.execute(
            select(Unit.source, Translation.state, Translation.text, Translation.origin, Translation.note)
            .join(Entry, Unit.entry_id == Entry.id)
            .join(Translation, Translation.unit_id == Unit.id)
            .where(Entry.slug == slug, Translation.locale == "ca")
        ).all()
    return {row[0]: tuple(row[1:]) for row in rows}


@pytest.mark.apertium
def test_an_entry_in_catalan_with_glossary_and_protected_terms(cli, project: Project, project_dir: Path) -> None:
    require_apertium("eng-cat")
    (project_dir / "glossary" / "en-ca.csv").write_bytes((FIXTURES / "glossary-en-ca.csv").read_bytes())
    assert cli("ingest", str(FIXTURES / f"{SLUG}.txt")).exit_code == 0

    result = cli("pretranslate", "--locale", "ca", "--entry", SLUG, "--provider", "apertium", "--json")

    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["provider"], report["machine"], report["flagged"], report["left"]) == ("apertium/eng-cat", 3, 0, 0)
    got = translations(project, SLUG)
    state, text, origin, note = got[GENE]
    assert (state, origin) == ("machine", "machine:apertium/eng-cat")
    # The gene symbol (recognised by its spelling) and the binomial (do-not-translate in the
    # termbase) come back verbatim; Apertium's "cel·les de tija" becomes the glossary's term.
    assert "SOD1" in text and "Mus musculus" in text
    assert "cèl·lules mare" in text and "tija" not in text
    assert note == "machine: apertium/eng-cat; glossary: 'cel·les de tija' replaced by 'cèl·lules mare' (stem cells)"
    assert got[BRAIN] == (
        "machine",
        "Els científics estudien el cervell del ratolí.",
        "machine:apertium/eng-cat",
        "machine: apertium/eng-cat",
    )

    # What the engine was sent, and cached, had the protected terms hidden behind placeholders.
    with project.store.engine.connect() as conn:
        cached = dict(
            conn.execute(
                select(MTCacheEntry.source_text, MTCacheEntry.result).where(MTCacheEntry.provider == "apertium/eng-cat")
            ).all()
        )
    assert "The ZXQ0 gene of ZXQ1 is studied in stem cells." in cached
    assert cached["stem cells"] == "cel·les de tija"  # the engine's own wording, learnt once

    assert cli("export", "-l", "ca", "-e", SLUG).exit_code == 0
    po = {e.msgid: e for e in polib.pofile(str(project_dir / "locales/ca/2019" / f"{SLUG}.po"))}
    assert po[BRAIN].msgstr == "Els científics estudien el cervell del ratolí." and "fuzzy" in po[BRAIN].flags
    assert "machine: apertium/eng-cat" in po[BRAIN].comment.splitlines()


@pytest.mark.apertium
def test_a_sample_entry_is_translated_to_catalan(cli, project: Project) -> None:
    require_apertium("eng-cat")
    pages = Path(__file__).parent / "fixtures" / "pages"
    assert cli("ingest", str(pages / "2016-04-30-trained-killers.txt")).exit_code == 0

    assert cli("pretranslate", "-l", "ca", "-e", "2016-04-30-trained-killers").exit_code == 0

    got = translations(project, "2016-04-30-trained-killers")
    assert len(got) == 8  # title, six sentences, the competition notice
    assert {state for state, *_ in got.values()} == {"machine"}
    words = {word for _, text, _, _ in got.values() for word in re.findall(r"[\w·]+", text)}
    assert {"cel·les", "immunitari", "tractament", "càncer", "microscopi", "els", "per"} <= words

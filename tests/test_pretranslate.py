"""pretranslate with the translation memory: exact and fuzzy matches, notes, PO output, dry run."""

from __future__ import annotations

import json
from pathlib import Path

import polib
from helpers import snapshot, translate_po
from sqlalchemy import select

from bpod_i18n.model import State
from bpod_i18n.store.models import Entry, Event, Translation, Unit
from bpod_i18n.workflow.project import Project

FIXTURES = Path(__file__).parent / "fixtures"
PAGES = FIXTURES / "pages"
KILLERS = "2016-04-30-trained-killers"
HUNTERS = "2016-05-07-engineered-hunters"
HUNTERS_PAGE = FIXTURES / "pretranslate" / f"{HUNTERS}.txt"

MICROSCOPE = (
    "This image has been taken using a scanning electron microscope, which uses fine beams of electrons to "
    "build up a detailed three-dimensional picture."
)
MICROSCOPE_CA = (
    "Aquesta imatge s'ha obtingut amb un microscopi electrònic d'escombratge, que fa servir feixos fins "
    "d'electrons per construir una imatge tridimensional detallada."
)
TRIALS = "At the moment this kind of treatment is still being tested in clinical trials but results so far have been promising."
TRIALS_CA = "De moment, aquest tipus de tractament encara s'està provant en assajos clínics, però fins ara els resultats són prometedors."
# The new entry says "therapy" where the archive said "treatment": rapidfuzz ratio 95.69.
TRIALS_EDITED = "At the moment this kind of therapy is still being tested in clinical trials but results so far have been promising."
NEW_SENTENCE = "Neutrophils patrol the blood looking for bacteria to engulf."


def translations(project: Project, slug: str, locale: str = "ca") -> dict[str, tuple]:
    """English → (state, text, origin, note, author) of one entry's active units."""
    with project.store.engine.connect() as conn:
        rows = conn.execute(
            select(
                Unit.source,
                Translation.state,
                Translation.text,
                Translation.origin,
                Translation.note,
                Translation.author,
            )
            .join(Entry, Unit.entry_id == Entry.id)
            .outerjoin(Translation, (Translation.unit_id == Unit.id) & (Translation.locale == locale))
            .where(Entry.slug == slug, Unit.active.is_(True))
        ).all()
    return {row[0]: tuple(row[1:]) if row[1] else (State.UNTRANSLATED.value,) for row in rows}


def translate_killers(cli, project_dir: Path) -> None:
    """A translator translates two sentences of the archive entry (state translated)."""
    assert cli("ingest", str(PAGES / f"{KILLERS}.txt")).exit_code == 0
    assert cli("export", "-l", "ca", "--entry", KILLERS).exit_code == 0
    po = project_dir / "locales/ca/2016" / f"{KILLERS}.po"
    translate_po(po, {MICROSCOPE: MICROSCOPE_CA, TRIALS: TRIALS_CA})
    assert cli("import", str(po), "--by", "marta").exit_code == 0


def test_exact_and_fuzzy_matches_come_from_the_memory(cli, project: Project, project_dir: Path) -> None:
    translate_killers(cli, project_dir)
    assert cli("ingest", str(HUNTERS_PAGE)).exit_code == 0

    result = cli("pretranslate", "--locale", "ca", "--entry", HUNTERS, "--no-mt", "--json")

    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report == {
        "locale": "ca",
        "provider": None,
        "dry_run": False,
        "untranslated": 5,
        "tm_exact": 1,
        "tm_fuzzy": 1,
        "cache": 0,
        "machine": 0,
        "flagged": 0,
        "texts_sent": 0,
        "characters_sent": 0,
        "skipped": 0,
        "left": 3,
    }
    got = translations(project, HUNTERS)
    assert got[MICROSCOPE] == ("machine", MICROSCOPE_CA, "tm", f"tm: 100% from {KILLERS}", "tester")
    # A fuzzy match offers the old translation as it is: the translator adapts "tractament".
    assert got[TRIALS_EDITED] == ("machine", TRIALS_CA, "tm", f"tm: 96% from {KILLERS}", "tester")
    assert got[NEW_SENTENCE] == ("untranslated",)
    assert got["Engineered Hunters"] == ("untranslated",)
    # The archive entry itself is untouched: its translations stay translated, by marta.
    assert translations(project, KILLERS)[MICROSCOPE] == ("translated", MICROSCOPE_CA, "human", None, "marta")

    with project.store.engine.connect() as conn:
        events = conn.execute(
            select(Event.action, Event.from_state, Event.to_state, Event.actor, Event.new_text, Event.comment)
            .join(Translation, Event.translation_id == Translation.id)
            .join(Unit, Translation.unit_id == Unit.id)
            .where(Unit.source == TRIALS_EDITED)
        ).all()
    assert events == [("pretranslate", "untranslated", "machine", "tester", TRIALS_CA, f"tm: 96% from {KILLERS}")]


def test_memory_suggestions_are_fuzzy_in_the_exported_po(cli, project_dir: Path) -> None:
    translate_killers(cli, project_dir)
    assert cli("ingest", str(HUNTERS_PAGE)).exit_code == 0
    assert cli("pretranslate", "-l", "ca", "-e", HUNTERS, "--no-mt").exit_code == 0

    assert cli("export", "-l", "ca", "--entry", HUNTERS).exit_code == 0

    po = {entry.msgid: entry for entry in polib.pofile(str(project_dir / "locales/ca/2016" / f"{HUNTERS}.po"))}
    exact, fuzzy, new = po[MICROSCOPE], po[TRIALS_EDITED], po[NEW_SENTENCE]
    assert exact.msgstr == MICROSCOPE_CA and "fuzzy" in exact.flags
    assert f"tm: 100% from {KILLERS}" in exact.comment.splitlines()
    assert fuzzy.msgstr == TRIALS_CA and "fuzzy" in fuzzy.flags
    assert f"tm: 96% from {KILLERS}" in fuzzy.comment.splitlines()
    assert new.msgstr == "" and "fuzzy" not in new.flags
    # Fuzzy suggestions are not translated: status still counts them as machine.
    status = json.loads(cli("status", "-l", "ca", "--json").stdout)
    assert status["locales"]["ca"]["machine"] == 2


def test_threshold_comes_from_the_config(cli, project: Project, project_dir: Path) -> None:
    translate_killers(cli, project_dir)
    assert cli("ingest", str(HUNTERS_PAGE)).exit_code == 0
    config = project_dir / "bpod-i18n.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("fuzzy_threshold = 75", "fuzzy_threshold = 97"), encoding="utf-8"
    )

    report = json.loads(cli("pretranslate", "-l", "ca", "-e", HUNTERS, "--no-mt", "--json").stdout)

    assert (report["tm_exact"], report["tm_fuzzy"]) == (1, 0)
    assert translations(project, HUNTERS)[TRIALS_EDITED] == ("untranslated",)


def test_bad_threshold_is_a_config_error(cli, project_dir: Path) -> None:
    config = project_dir / "bpod-i18n.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("fuzzy_threshold = 75", 'fuzzy_threshold = "high"'), encoding="utf-8"
    )
    result = cli("pretranslate", "-l", "ca", "--no-mt")
    assert result.exit_code == 2
    line = config.read_text(encoding="utf-8").splitlines().index('fuzzy_threshold = "high"') + 1
    assert (
        result.stderr.strip()
        == f'error: {config}:{line}: [mt] fuzzy_threshold must be a number from 1 to 100, not "high"'
    )


def test_dry_run_counts_memory_matches_and_stores_nothing(cli, project: Project, project_dir: Path) -> None:
    translate_killers(cli, project_dir)
    assert cli("ingest", str(HUNTERS_PAGE)).exit_code == 0
    before = snapshot(project)

    result = cli("pretranslate", "-l", "ca", "-e", HUNTERS, "--no-mt", "--dry-run")

    assert result.exit_code == 0, result.stderr
    assert snapshot(project) == before
    assert "Dry run: nothing sent, nothing stored. ca: 5 untranslated units." in result.stdout
    assert "1 exact and 1 fuzzy translation-memory matches" in result.stdout
    assert "3 left untranslated (--no-mt)" in result.stdout


def test_unknown_entry_and_locale_are_usage_errors(cli) -> None:
    result = cli("pretranslate", "-l", "ca", "-e", "2099-01-01-nothing", "--no-mt")
    assert result.exit_code == 2
    assert "no such entry: 2099-01-01-nothing" in result.stderr
    result = cli("pretranslate", "-l", "fr", "--no-mt")
    assert result.exit_code == 2
    assert "locale 'fr' is not one of this project's locales" in result.stderr


def test_unknown_provider_is_a_usage_error(cli) -> None:
    result = cli("pretranslate", "-l", "ca", "--provider", "babelfish")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "error: unknown MT provider 'babelfish' (choose from apertium, deepl, google, libre, microsoft, mymemory)"
    )


def test_providers_say_whether_a_key_is_there_never_what_it_is(cli, monkeypatch) -> None:
    monkeypatch.delenv("DEEPL_API_KEY", raising=False)
    monkeypatch.delenv("LIBRE_API_KEY", raising=False)
    before = {p["name"]: p for p in json.loads(cli("mt", "providers", "--json").stdout)}
    monkeypatch.setenv("DEEPL_API_KEY", "k3y-that-must-not-show:fx")
    text = cli("mt", "providers")
    after = {p["name"]: p for p in json.loads(cli("mt", "providers", "--json").stdout)}

    assert list(before) == ["apertium", "deepl", "google", "libre", "microsoft", "mymemory"]
    assert before["apertium"]["default"] is True and not before["deepl"]["default"]
    assert before["deepl"] == {
        "name": "deepl",
        "default": False,
        "usable": False,
        "detail": "the public endpoint; key (needed) from $DEEPL_API_KEY: not set",
    }
    assert after["deepl"]["usable"] is True
    assert after["deepl"]["detail"] == "the public endpoint; key (needed) from $DEEPL_API_KEY: set"
    assert before["libre"]["detail"] == "http://127.0.0.1:5000/; key (optional) from $LIBRE_API_KEY: not set"
    assert "k3y-that-must-not-show" not in text.stdout + json.dumps(after)

"""pretranslate with a web provider: the real deep-translator client against a local
LibreTranslate server (cache, retries, failures mid-run, timeouts, keys, dry run)."""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

import pytest
from helpers import snapshot, translate_po
from mt_fixtures import libre_server  # noqa: F401 - pytest fixture
from mt_server import LibreServer
from sqlalchemy import select

from bpod_i18n.store.models import Entry, Event, MTCacheEntry, Translation, Unit
from bpod_i18n.workflow.project import Project

PAGES = Path(__file__).parent / "fixtures" / "pages"
GLOSSARY = Path(__file__).parent / "fixtures" / "pretranslate" / "glossary-en-ca.csv"
MASSING = "2016-07-22-massing-to-defend"
COPY = "2016-07-23-massing-to-defend"
TITLE = "Massing to Defend"
TITLE_CA = "Concentrats per defensar-se"
SECRET = "s3cret-key-0451"


def use_libre(project_dir: Path, url: str, **settings: object) -> None:
    """Make libre the project's provider, at ``url``, with fast retries and one request at a time."""
    values = {"timeout": 5, "backoff_base": 0.01, "concurrency": 1, **settings}
    extra = "".join(f"\n{key} = {value}" for key, value in values.items())
    config = project_dir / "bpod-i18n.toml"
    text = config.read_text(encoding="utf-8").replace('provider = "apertium"', 'provider = "libre"')
    config.write_text(text.replace('url = "http://127.0.0.1:5000/"', f'url = "{url}"{extra}'), encoding="utf-8")


def sources(project: Project, slug: str) -> list[str]:
    with project.store.engine.connect() as conn:
        return list(
            conn.scalars(
                select(Unit.source)
                .join(Entry, Unit.entry_id == Entry.id)
                .where(Entry.slug == slug, Unit.active.is_(True))
                .order_by(Unit.id)
            )
        )


def translations(project: Project, slug: str) -> dict[str, tuple]:
    """English → (state, text, origin, note) in ca; untranslated units are absent."""
    with project.store.engine.connect() as conn:
        rows = conn.execute(
            select(Unit.source, Translation.state, Translation.text, Translation.origin, Translation.note)
            .join(Entry, Unit.entry_id == Entry.id)
            .join(Translation, Translation.unit_id == Unit.id)
            .where(Entry.slug == slug, Translation.locale == "ca")
        ).all()
    return {row[0]: tuple(row[1:]) for row in rows}


def cache_rows(project: Project) -> list[tuple]:
    with project.store.engine.connect() as conn:
        return conn.execute(
            select(
                MTCacheEntry.provider,
                MTCacheEntry.source_lang,
                MTCacheEntry.target_lang,
                MTCacheEntry.source_hash,
                MTCacheEntry.source_text,
                MTCacheEntry.result,
            ).order_by(MTCacheEntry.id)
        ).all()


def copy_of_massing(tmp_path: Path) -> Path:
    """The same entry published again a day later: same sentences, another slug."""
    text = (PAGES / f"{MASSING}.txt").read_text(encoding="utf-8").replace("22 July 2016", "23 July 2016")
    path = tmp_path / f"{COPY}.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_results_are_stored_as_machine_and_cached(
    cli, project: Project, project_dir: Path, tmp_path: Path, libre_server: LibreServer
) -> None:
    use_libre(project_dir, libre_server.url)
    assert cli("ingest", str(PAGES / f"{MASSING}.txt")).exit_code == 0
    english = sources(project, MASSING)

    result = cli("pretranslate", "-l", "ca", "-e", MASSING, "--json")

    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report == {
        "locale": "ca",
        "provider": "libre",
        "dry_run": False,
        "untranslated": 6,
        "tm_exact": 0,
        "tm_fuzzy": 0,
        "cache": 0,
        "machine": 6,
        "flagged": 0,
        "texts_sent": 6,
        "characters_sent": sum(map(len, english)),
        "skipped": 0,
        "left": 0,
    }
    assert translations(project, MASSING) == {
        source: ("machine", f"[ca] {source}", "machine:libre", "machine: libre") for source in english
    }
    assert sorted(r.params["q"] for r in libre_server.translate_requests) == sorted(english)
    assert sorted(cache_rows(project)) == sorted(
        ("libre", "en", "ca", hashlib.sha256(s.encode()).hexdigest(), s, f"[ca] {s}") for s in english
    )

    # Another entry with the same sentences: everything comes from the cache, nothing is sent.
    assert cli("ingest", str(copy_of_massing(tmp_path))).exit_code == 0
    again = json.loads(cli("pretranslate", "-l", "ca", "-e", COPY, "--json").stdout)

    assert (again["cache"], again["machine"], again["texts_sent"], again["characters_sent"]) == (6, 0, 0, 0)
    assert len(libre_server.translate_requests) == 6
    assert translations(project, COPY) == translations(project, MASSING)
    assert len(cache_rows(project)) == 6


def test_a_429_is_retried_and_the_run_completes(
    cli, project: Project, project_dir: Path, libre_server: LibreServer
) -> None:
    use_libre(project_dir, libre_server.url)
    assert cli("ingest", str(PAGES / f"{MASSING}.txt")).exit_code == 0
    libre_server.script(429, times=1, headers={"Retry-After": "0"})

    result = cli("pretranslate", "-l", "ca", "-e", MASSING)

    assert result.exit_code == 0, result.stderr
    assert "0 from the MT cache, 6 machine-translated by libre" in result.stdout
    assert len(libre_server.translate_requests) == 7
    assert {state for state, *_ in translations(project, MASSING).values()} == {"machine"}


@pytest.mark.parametrize(
    ("status", "settings", "said"),
    [
        (403, {}, "HTTP 403: access refused: quota exceeded"),
        (456, {}, "HTTP 456: quota exceeded: quota exceeded"),
        (429, {"max_retries": 1}, "HTTP 429: still rate-limited after 1 retries: quota exceeded"),
    ],
    ids=["403", "quota-456", "429-for-good"],
)
def test_a_failure_mid_run_keeps_what_was_done(
    cli, project: Project, project_dir: Path, libre_server: LibreServer, status: int, settings: dict, said: str
) -> None:
    use_libre(project_dir, libre_server.url, **settings)
    assert cli("ingest", str(PAGES / f"{MASSING}.txt")).exit_code == 0
    english = sources(project, MASSING)
    libre_server.quota_after, libre_server.quota_status = 2, status

    result = cli("pretranslate", "-l", "ca", "-e", MASSING)

    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"error: libre ({libre_server.url}translate): {said}")
    assert lines[0].endswith("(2 machine translations stored before the failure; run again to continue)")
    # The two results that arrived are stored, as translations and in the cache.
    assert translations(project, MASSING) == {
        source: ("machine", f"[ca] {source}", "machine:libre", "machine: libre") for source in english[:2]
    }
    assert [row.source_text for row in cache_rows(project)] == english[:2]

    # The quota is back: the second run sends only what is missing.
    libre_server.quota_after = None
    sent_before = len(libre_server.translate_requests)
    rerun = json.loads(cli("pretranslate", "-l", "ca", "-e", MASSING, "--json").stdout)

    assert (rerun["untranslated"], rerun["machine"], rerun["texts_sent"]) == (4, 4, 4)
    assert sorted(r.params["q"] for r in libre_server.translate_requests[sent_before:]) == sorted(english[2:])
    assert len(translations(project, MASSING)) == 6


def test_a_hanging_server_hits_the_timeout(cli, project: Project, project_dir: Path, libre_server: LibreServer) -> None:
    use_libre(project_dir, libre_server.url, timeout=1)
    assert cli("ingest", str(PAGES / f"{MASSING}.txt")).exit_code == 0
    libre_server.hang_seconds = 30
    before = snapshot(project)

    started = time.monotonic()
    result = cli("pretranslate", "-l", "ca", "-e", MASSING)

    assert time.monotonic() - started < 10
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"error: libre ({libre_server.url}translate): no answer within 1 s (timeout) "
        "(0 machine translations stored before the failure; run again to continue)"
    )
    assert snapshot(project) == before


def test_the_api_key_is_sent_but_never_printed_or_stored(
    cli, project: Project, project_dir: Path, libre_server: LibreServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_libre(project_dir, libre_server.url)
    assert cli("ingest", str(PAGES / f"{MASSING}.txt")).exit_code == 0
    monkeypatch.setenv("LIBRE_API_KEY", SECRET)
    libre_server.api_key = "another-key"

    refused = cli("pretranslate", "-l", "ca", "-e", MASSING)

    assert refused.exit_code == 1
    assert "HTTP 403: access refused: Invalid API key (check the key in $LIBRE_API_KEY)" in refused.stderr
    libre_server.api_key = SECRET
    accepted = cli("pretranslate", "-l", "ca", "-e", MASSING)
    assert accepted.exit_code == 0
    providers = cli("mt", "providers", "--json")
    assert {p["name"]: p["usable"] for p in json.loads(providers.stdout)}["libre"] is True

    assert {r.params.get("api_key") for r in libre_server.translate_requests} == {SECRET}
    for output in (refused.stdout, refused.stderr, accepted.stdout, accepted.stderr, providers.stdout):
        assert SECRET not in output
    assert SECRET not in repr(snapshot(project))
    assert SECRET not in (project_dir / "bpod-i18n.toml").read_text(encoding="utf-8")


def test_dry_run_shows_what_would_be_sent_and_stores_nothing(
    cli, project: Project, project_dir: Path, tmp_path: Path, libre_server: LibreServer
) -> None:
    use_libre(project_dir, libre_server.url)
    assert cli("ingest", str(PAGES / f"{MASSING}.txt")).exit_code == 0
    characters = sum(map(len, sources(project, MASSING)))
    before = snapshot(project)

    result = cli("pretranslate", "-l", "ca", "-e", MASSING, "--dry-run")

    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "Dry run: nothing sent, nothing stored. ca: 6 untranslated units.",
        "  0 exact and 0 fuzzy translation-memory matches",
        "  0 from the MT cache (libre)",
        f"  6 to machine-translate: would send 6 texts, {characters} characters, to libre",
    ]
    assert snapshot(project) == before
    assert libre_server.requests == []

    # Once the entry is done, a copy of it would come from the cache.
    assert cli("pretranslate", "-l", "ca", "-e", MASSING).exit_code == 0
    assert cli("ingest", str(copy_of_massing(tmp_path))).exit_code == 0
    sent = len(libre_server.requests)
    dry = json.loads(cli("pretranslate", "-l", "ca", "-e", COPY, "--dry-run", "--json").stdout)
    assert (dry["dry_run"], dry["cache"], dry["machine"], dry["texts_sent"], dry["characters_sent"]) == (
        True,
        6,
        0,
        0,
        0,
    )
    assert len(libre_server.requests) == sent


def test_glossary_terms_are_probed_once_and_misses_flagged(
    cli, project: Project, project_dir: Path, libre_server: LibreServer
) -> None:
    use_libre(project_dir, libre_server.url)
    (project_dir / "glossary" / "en-ca.csv").write_bytes(GLOSSARY.read_bytes())
    assert cli("ingest", str(PAGES / f"{MASSING}.txt")).exit_code == 0

    report = json.loads(cli("pretranslate", "-l", "ca", "-e", MASSING, "--json").stdout)

    # The fake engine leaves English as it is, so "T cell" and "mouse" miss their Catalan terms.
    assert (report["machine"], report["flagged"], report["texts_sent"]) == (6, 2, 8)
    sent = {r.params["q"] for r in libre_server.translate_requests}
    assert {"T cell", "mouse"} <= sent  # the engine's own wording of each term, asked once
    got = translations(project, MASSING)
    last = "this image shows bright receptor micro-clusters in a mouse T cell."
    note = next(n for source, (_, _, _, n) in got.items() if source.endswith(last))
    assert note == (
        "machine: libre; check glossary: 'T cell' should be rendered 'limfòcit T'; 'mouse' should be rendered 'ratolí'"
    )
    assert got[TITLE][3] == "machine: libre"


def test_translations_are_never_overwritten(
    cli, project: Project, project_dir: Path, libre_server: LibreServer
) -> None:
    use_libre(project_dir, libre_server.url)
    assert cli("ingest", str(PAGES / f"{MASSING}.txt")).exit_code == 0
    assert cli("export", "-l", "ca", "-e", MASSING).exit_code == 0
    po = project_dir / "locales/ca/2016" / f"{MASSING}.po"
    translate_po(po, {TITLE: TITLE_CA})
    assert cli("import", str(po), "--by", "marta").exit_code == 0
    english = sources(project, MASSING)
    # A row that exists but is still untranslated is filled (and its version moves on).
    with project.store.transaction() as session:
        unit = session.scalar(select(Unit).where(Unit.source == english[1]))
        session.add(Translation(unit=unit, locale="ca", text="", state="untranslated", version=1))

    report = json.loads(cli("pretranslate", "-l", "ca", "-e", MASSING, "--json").stdout)

    assert (report["untranslated"], report["machine"]) == (5, 5)
    got = translations(project, MASSING)
    assert got[TITLE] == ("translated", TITLE_CA, "human", None)
    assert TITLE not in {r.params["q"] for r in libre_server.translate_requests}
    with project.store.engine.connect() as conn:
        version, events = conn.execute(
            select(Translation.version, Translation.id)
            .join(Unit, Translation.unit_id == Unit.id)
            .where(Unit.source == english[1])
        ).one()
        actions = conn.execute(select(Event.action, Event.to_state).where(Event.translation_id == events)).all()
    assert got[english[1]][0] == "machine" and version == 2
    assert actions == [("pretranslate", "machine")]
    # A second run finds nothing left to do and sends nothing.
    sent = len(libre_server.translate_requests)
    assert "ca: no untranslated units; nothing to do." in cli("pretranslate", "-l", "ca", "-e", MASSING).stdout
    assert len(libre_server.translate_requests) == sent

"""Fault suite, hostile and oversized input: entry files, settings, PO files and translations
that used to give a traceback, a hang or a 50 MB row; secrets in the settings file; entries of
thousands of identical sentences. Each refusal: its exit code, one line naming the file, no
traceback, nothing stored or written."""

from __future__ import annotations

import hashlib
import json
import os
import socket
import stat
from pathlib import Path

import pytest
from helpers import one_line_error, snapshot, translate_po, tree_state
from sqlalchemy import select
from typer.testing import CliRunner

from bpod_i18n.cli import app
from bpod_i18n.store.models import Entry, Translation, Unit
from bpod_i18n.workflow.project import Project

PAGES = Path(__file__).parent / "fixtures" / "pages"
MASSING = "2016-07-22-massing-to-defend"
TITLE = "Massing to Defend"


def refused(cli, project: Project, project_dir: Path, args: list[str], code: int, *names: str) -> str:
    """Run a command that must be refused: one line, ``code``, nothing stored, no file changed."""
    db, files = snapshot(project), tree_state(project_dir)
    message = one_line_error(cli(*args), code, *names)
    assert snapshot(project) == db
    assert tree_state(project_dir) == files
    return message


def entry_json(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def set_config(project_dir: Path, old: str, new: str) -> None:
    config = project_dir / "bpod-i18n.toml"
    text = config.read_text(encoding="utf-8")
    assert old in text, old
    config.write_text(text.replace(old, new, 1), encoding="utf-8")


def add_section(project_dir: Path, section: str) -> None:
    config = project_dir / "bpod-i18n.toml"
    config.write_text(config.read_text(encoding="utf-8") + "\n" + section + "\n", encoding="utf-8")


# --- entry files that used to give tracebacks --------------------------------------------

GOOD = '"title": "Cells", "date": "2020-01-01", "paragraphs": ["Cells divide."]'


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[" * 100_000 + "]" * 100_000, "bad JSON: nested too deeply"),
        ('{"title": ' + "[" * 5000 + "]" * 5000 + ', "date": "2020-01-01"}', "bad JSON: nested too deeply"),
        ("{" + GOOD + ', "views": 1' + "0" * 4300 + "}", "a number of 4301 digits, too long to be one"),
        ("{" + GOOD + ', "views": -' + "9" * 100_000 + "}", "a number of 100000 digits"),
        ('{"title": "Cells", "date": "2020-01-01", "paragraphs": [1, 2]}', "paragraphs must be a list of text lines"),
        ('["not", "an", "object"]', "the JSON must be one object"),
        ('{"title": "Cells", "date": "2020-13-45", "paragraphs": ["x"]}', "date must be YYYY-MM-DD"),
        ('{"title": "Cells", "date": "2020-01-01", "slug": "Bad Slug!", "paragraphs": ["x"]}', "slug must be"),
    ],
    ids=["nested", "nested-title", "4301-digits", "100000-digits", "not-text", "array", "bad-date", "bad-slug"],
)
def test_a_hostile_json_entry_is_one_line(
    cli, project: Project, project_dir: Path, tmp_path: Path, text: str, expected: str
) -> None:
    path = entry_json(tmp_path, "entry.json", text)
    refused(cli, project, project_dir, ["ingest", str(path)], 2, str(path), expected)


@pytest.mark.parametrize(
    ("front", "expected"),
    [
        ("title: " + "[" * 50_000, "nested too deeply"),
        ("title: Cells\ndate: 2020-01-01\nviews: 1" + "0" * 5000, "a number of 5001 digits"),
        ("title: !!python/object/apply:os.system ['echo pwned']", "bad YAML front matter"),
        ("- just\n- a list", "front matter must be a mapping"),
    ],
    ids=["nested", "huge-int", "python-tag", "not-a-mapping"],
)
def test_hostile_markdown_front_matter_is_one_line(
    cli, project: Project, project_dir: Path, tmp_path: Path, front: str, expected: str
) -> None:
    path = entry_json(tmp_path, "entry.md", f"---\n{front}\n---\n\nCells divide.\n")
    refused(cli, project, project_dir, ["ingest", str(path)], 2, str(path), expected)


def test_a_json_entry_of_many_keys_is_read_once_per_known_key(cli, tmp_path: Path) -> None:
    data = {"title": "Cells", "date": "2020-01-01", "paragraphs": ["Cells divide."]}
    data.update({f"extra{n}": n for n in range(100_000)})  # a static site's other keys are ignored
    path = entry_json(tmp_path, "entry.json", json.dumps(data))
    result = cli("ingest", str(path), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["slug"] == "2020-01-01-cells"


# --- settings that used to give tracebacks (some fixed before this suite: checked here too) ----


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            'database = "sqlite:///.bpod-i18n/state.db"',
            "database = 42",
            "[project] database must be a non-empty string",
        ),
        ('locales = ["ca", "es"]', 'locales = "ca"', "[project] locales must be a list of locale codes"),
        ('api_key_env = "LIBRE_API_KEY"', 'api_key_env = "LIBRE_API_KEY"\ntimeout = "abc"', "timeout must be"),
        ("# lock_timeout = 60", "lock_timeout = 1" + "0" * 5000, "a number of 5001 digits"),
        ("# lock_timeout = 60", "lock_timeout = " + "[" * 5000 + "]" * 5000, "nested too deeply"),
        (
            'original_url = "https://bpod.org.uk/archive/{slug}"',
            'date_pattern = { ca = "\'" }',
            "must show the day (d), the month (M or L) and the year (y)",
        ),
        ('original_url = "https://bpod.org.uk/archive/{slug}"', 'date_pattern = { ca = "MMMM y" }', "show the day"),
        ('original_url = "https://bpod.org.uk/archive/{slug}"', 'date_pattern = { ca = "d/M/y HH:mm" }', "uses H, m"),
        ('original_url = "https://bpod.org.uk/archive/{slug}"', 'date_pattern = { ca = "\'d M y" }', "show the day"),
    ],
    ids=[
        "database-42",
        "locales-string",
        "timeout-abc",
        "huge-int",
        "nested",
        "empty-date",
        "no-day",
        "time-fields",
        "unclosed-quote",
    ],
)
def test_a_bad_setting_is_one_line_before_anything_runs(
    cli, project: Project, project_dir: Path, old: str, new: str, expected: str
) -> None:
    set_config(project_dir, old, new)
    message = refused(cli, project, project_dir, ["ingest", str(PAGES)], 2, "bpod-i18n.toml", expected)
    assert message.startswith("error: ") and "bpod-i18n.toml:" in message


@pytest.mark.parametrize(
    ("section", "expected"),
    [
        ("[limits]\nentry_file_size = 0", "[limits] entry_file_size must be a whole number >= 1, not 0"),
        ('[limits]\npo_file_size = "10MB"', '[limits] po_file_size must be a whole number >= 1, not "10MB"'),
        ("[limits]\ntranslation_length = 1.5", "[limits] translation_length must be a whole number >= 1"),
        ("[limits]\nmax_rows = 3", "[limits] unknown setting"),
        ("[mt.providers.deepl]\ndeadline = -1", "[mt.providers.deepl] deadline must be a number of seconds > 0"),
    ],
)
def test_bad_limits_and_deadlines_are_refused(
    cli, project: Project, project_dir: Path, section: str, expected: str
) -> None:
    add_section(project_dir, section)
    refused(cli, project, project_dir, ["status"], 2, "bpod-i18n.toml:", expected)


def test_a_garbage_state_db_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BPOD_I18N_DB", raising=False)
    root = tmp_path / "project"
    runner = CliRunner()
    assert runner.invoke(app, ["-C", str(root), "init", "-l", "ca"]).exit_code == 0
    database = root / ".bpod-i18n/state.db"
    database.write_bytes(os.urandom(8192))
    result = runner.invoke(app, ["-C", str(root), "status"])
    one_line_error(result, 3, str(database), "is damaged or not a database")


def test_a_password_query_parameter_is_masked_in_connection_errors(
    cli, project_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("BPOD_I18N_DB", f"postgresql://marta@127.0.0.1:{port}/bpod?password=hunter2-secret")
    result = cli("status")
    message = one_line_error(result, 3, "?password=***")
    assert "hunter2" not in result.output and "hunter2" not in message


# --- secrets in the settings file ----------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["postgresql://marta:hunter2@db.example.org/bpod", "postgresql://marta@db.example.org/bpod?password=hunter2"]
)
def test_a_settings_file_with_a_password_must_be_private(cli, project: Project, project_dir: Path, url: str) -> None:
    """(BPOD_I18N_DB, set by the test fixtures, decides which database is used: the file's
    password is refused as a file, whether or not it is the one in use.)"""
    set_config(project_dir, 'database = "sqlite:///.bpod-i18n/state.db"', f'database = "{url}"')
    config = project_dir / "bpod-i18n.toml"
    config.chmod(0o644)
    message = refused(cli, project, project_dir, ["status"], 2, "bpod-i18n.toml:", "mode 0644", "chmod 600")
    assert "hunter2" not in message
    config.chmod(0o640)
    one_line_error(cli("status"), 2, "mode 0640")
    config.chmod(0o600)
    assert cli("status").exit_code == 0


def test_a_settings_file_without_a_password_may_be_shared(cli, project_dir: Path) -> None:
    set_config(project_dir, 'database = "sqlite:///.bpod-i18n/state.db"', 'database = "postgresql://marta@db/bpod"')
    (project_dir / "bpod-i18n.toml").chmod(0o664)
    assert cli("status").exit_code == 0


def test_init_makes_the_state_folder_private(project_dir: Path) -> None:
    assert stat.S_IMODE((project_dir / ".bpod-i18n").stat().st_mode) == 0o700


# --- limits ---------------------------------------------------------------------------------


def test_an_entry_file_over_the_limit_is_refused_before_it_is_read(
    cli, project: Project, project_dir: Path, tmp_path: Path
) -> None:
    add_section(project_dir, "[limits]\nentry_file_size = 1000")
    small = entry_json(tmp_path, "small.json", "{" + GOOD + "}")
    big = entry_json(tmp_path, "big.json", "{" + GOOD + ', "pad": "' + "x" * 2000 + '"}')
    refused(cli, project, project_dir, ["ingest", str(big)], 2, str(big), "over the limit of 1000 bytes")
    # Among several files (a folder), the big one is reported and nothing of it stored; the
    # others are stored (ingest's rule for any bad file in a batch), and the exit code is 1.
    both = cli("ingest", str(small), str(big))
    assert both.exit_code == 1
    assert f"error: {big}: 2084 bytes, over the limit of 1000 bytes" in both.stderr
    slugs = [entry["slug"] for entry in json.loads(cli("entries", "--json").stdout)]
    assert len(slugs) == 1  # small's entry only


@pytest.fixture
def exported(cli, project_dir: Path) -> Path:
    assert cli("ingest", str(PAGES)).exit_code == 0
    assert cli("export", "--locale", "ca").exit_code == 0
    return project_dir / "locales/ca/2016" / f"{MASSING}.po"


def test_a_50_mb_translation_is_refused_with_its_file_and_line(
    cli, project: Project, project_dir: Path, exported: Path
) -> None:
    translate_po(exported, {TITLE: "PLACEHOLDER"})
    text = exported.read_text(encoding="utf-8")
    line = text[: text.index("PLACEHOLDER")].count("\n") + 1
    exported.write_text(text.replace("PLACEHOLDER", "Agrupats " * 5_600_000), encoding="utf-8")  # 50 MB
    message = refused(cli, project, project_dir, ["import", str(exported)], 2, f"{exported}:")
    assert "over the limit of 20000 ([limits] translation_length" in message
    assert int(message.split(f"{exported}:")[1].split(":")[0]) in (line - 1, line)  # the message's line


def test_a_po_file_over_the_limit_is_refused_by_import_and_check_alike(
    cli, project: Project, project_dir: Path, exported: Path
) -> None:
    add_section(project_dir, "[limits]\npo_file_size = 2000")
    refused(cli, project, project_dir, ["import", str(exported)], 2, str(exported), "over the limit of 2000 bytes")
    one_line_error(cli("check", "--locale", "ca", "--no-db", str(exported)), 2, str(exported), "po_file_size")


def test_a_reviewers_edit_over_the_limit_is_refused(cli, project: Project, project_dir: Path, exported: Path) -> None:
    add_section(project_dir, "[limits]\ntranslation_length = 100")
    translate_po(exported, {TITLE: "Agrupats per defensar-se"})
    assert cli("import", str(exported), "--by", "marta").exit_code == 0
    uid = next(
        u["uid"] for u in json.loads(cli("show", MASSING, "--json").stdout)["units_detail"] if u["field"] == "title"
    )
    db = snapshot(project)
    result = cli("review", "-l", "ca", MASSING, "--by", "jordi", input="e\n" + "x" * 150 + "\nq\n")
    assert result.exit_code == 0 and "Traceback" not in result.output
    assert f"not stored: unit {uid}: the translation is 150 characters long, over the limit of 100" in result.stderr
    assert snapshot(project) == db


def test_an_mt_answer_over_the_limit_is_neither_stored_nor_cached(cli, project: Project, project_dir: Path) -> None:
    from mt_server import LibreServer

    assert cli("ingest", str(PAGES)).exit_code == 0
    add_section(project_dir, "[limits]\ntranslation_length = 60")
    with LibreServer(translate=lambda text, s, t: f"[{t}] {text}") as server:
        set_config(project_dir, 'provider = "apertium"', 'provider = "libre"')
        set_config(project_dir, 'url = "http://127.0.0.1:5000/"', f'url = "{server.url}"\nconcurrency = 1')
        result = cli("pretranslate", "-l", "ca", "--json")
    assert result.exit_code == 0, result.output
    with project.store.engine.connect() as conn:
        texts = conn.scalars(select(Translation.text).where(Translation.state == "machine")).all()
    assert texts and max(len(text) for text in texts) <= 60
    assert json.loads(result.stdout)["left"] > 0  # the long ones stay untranslated


# --- ingest: thousands of identical sentences ------------------------------------------------


def repeats_page(folder: Path, copies: int, extra: str = "") -> Path:
    sentence = "The cells divide again."
    paragraphs = [" ".join([sentence] * 8) for _ in range(copies // 8)] + ([extra] if extra else [])
    path = folder / "2020-01-01-repeats.txt"
    path.write_text("Repeats\n01 January 2020\n\nRepeats\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return path


def unit_ids(project: Project, slug: str) -> list[tuple[str, str, int, bool]]:
    with project.store.engine.connect() as conn:
        return conn.execute(
            select(Unit.uid, Unit.field, Unit.position, Unit.active)
            .join(Entry, Unit.entry_id == Entry.id)
            .where(Entry.slug == slug)
            .order_by(Unit.id)
        ).all()


def test_repeated_sentences_get_the_ids_they_always_had_and_keep_them(cli, project: Project, tmp_path: Path) -> None:
    slug, sentence = "2020-01-01-repeats", "The cells divide again."
    path = repeats_page(tmp_path, 2000)
    assert cli("ingest", str(path)).exit_code == 0
    units = [u for u in unit_ids(project, slug) if u[1].startswith("body")]
    expected = [hashlib.sha256(f"{slug}\x00{sentence}\x00{n}".encode()).hexdigest()[:12] for n in range(2000)]
    assert [u[0] for u in units] == expected  # the n-th copy: sha256(slug, text, n), as before
    before = {u[0]: (u[1], u[2]) for u in units}
    repeats_page(tmp_path, 2000, extra="A new sentence at the end.")
    report = json.loads(cli("ingest", str(path), "--json").stdout)[0]
    assert (report["units_kept"], report["units_added"], report["units_retired"]) == (2001, 1, 0)
    after = {u[0]: (u[1], u[2]) for u in unit_ids(project, slug) if u[3]}
    assert {uid: place for uid, place in after.items() if uid in before} == before  # every copy kept its id
    # Fewer copies: the last ones (by place) retire, the others keep their ids and places.
    repeats_page(tmp_path, 1600)
    report = json.loads(cli("ingest", str(path), "--json").stdout)[0]
    assert (report["units_retired"], report["units_added"]) == (401, 0)
    kept = {u[0] for u in unit_ids(project, slug) if u[3] and u[1].startswith("body")}
    assert kept == set(expected[:1600])

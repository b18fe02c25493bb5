"""The database: migrations with data kept, schema guards, and no lost update under real
concurrency (two OS processes, each with its own connection)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from helpers import translate_po
from sqlalchemy import text

from bpod_i18n.store import open_store
from bpod_i18n.store.engine import head_revision
from bpod_i18n.workflow import export as export_ops
from bpod_i18n.workflow import importer
from bpod_i18n.workflow import ingest as ingest_ops
from bpod_i18n.workflow.review import history

PAGES = Path(__file__).parent / "fixtures" / "pages"
MASSING = "2016-07-22-massing-to-defend"


def test_upgrade_from_the_first_revision_keeps_data(cli, db_url: str, project_dir: Path) -> None:
    store = open_store(db_url, check=False)
    with store.engine.begin() as conn:  # back to an empty database at revision 0001
        for table in (
            "suggestions",
            "export_bases",
            "export_rounds",
            "entry_events",
            "events",
            "translations",
            "person_roles",
            "people",
            "published_overwrites",
            "mirror_pairs",
            "tm_entries",
            "units",
            "entries",
            "mt_cache",
            "alembic_version",
        ):
            conn.execute(text(f"DROP TABLE IF EXISTS {table}"))
    assert store.upgrade("0001") == (None, "0001")
    with store.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO entries (id, slug, kind, date, title, source_format, source_hash, fields, created_at, updated_at) "
                "VALUES (1, 'old-entry', 'entry', '2013-01-06', 'Old Entry', 'text', 'x', '{}', '2013-01-06', '2013-01-06')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO units (id, uid, entry_id, field, position, source, trailing_text, active, created_at, updated_at) "
                "VALUES (1, 'u0000000001', 1, 'title', 1, 'Old Entry', '', true, '2013-01-06', '2013-01-06')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO translations (id, unit_id, locale, text, state, origin, author, updated_by, updated_at, version) "
                "VALUES (1, 1, 'ca', 'Entrada antiga', 'translated', 'human', 'marta', 'marta', '2013-01-07', 1)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO events (id, translation_id, actor, at, action, from_state, to_state, new_text) "
                "VALUES (1, 1, 'marta', '2013-01-07', 'translate', 'untranslated', 'translated', 'Entrada antiga')"
            )
        )
    store.dispose()
    # Old schema: commands refuse and say what to do.
    result = cli("status")
    assert result.exit_code == 2
    assert "schema revision 0001" in result.stderr and "bpod-i18n db upgrade" in result.stderr
    result = cli("db", "upgrade", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"from": "0001", "to": head_revision()}
    status = json.loads(cli("status", "--locale", "ca", "--json").stdout)
    old = next(e for e in status["entries"] if e["slug"] == "old-entry")
    assert old["locales"]["ca"]["translated"] == 1
    events = json.loads(cli("history", "old-entry", "--json").stdout)
    assert [(e["actor"], e["new_text"]) for e in events] == [("marta", "Entrada antiga")]
    assert cli("db", "upgrade").stdout.startswith("Database is up to date")


def test_a_database_newer_than_the_code_is_refused(cli, db_url: str, project_dir: Path) -> None:
    store = open_store(db_url)
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    store.dispose()
    for args in (["status"], ["db", "upgrade"]):
        result = cli(*args)
        assert result.exit_code == 2
        assert "schema revision 9999, newer than this bpod-i18n knows" in result.stderr


def test_two_processes_increment_the_same_unit_without_losing_an_update(
    project, project_dir: Path, tmp_path: Path
) -> None:
    ingest_ops.ingest(project, [PAGES])
    path = next(p for p in export_ops.export(project, "ca").files if p.name == f"{MASSING}.po")
    translate_po(path, {"Massing to Defend": "0"})
    importer.import_files(project, [path])
    uid = next(e.uid for e in history(project, MASSING, locale="ca"))
    rounds = 500  # per process: 1 000 updates of one unit in all
    worker = Path(__file__).with_name("concurrency_worker.py")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    procs = [
        subprocess.Popen(
            [sys.executable, str(worker), str(project_dir), MASSING, uid, str(rounds), name],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for name in ("alba", "bernat")
    ]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err
        results.append(json.loads(out))
    assert [r["successes"] for r in results] == [rounds, rounds]
    events = [e for e in history(project, uid, locale="ca") if e.action == "translate"]
    # Zero lost updates: the counter reached 1 000, every write is in history, and each one
    # was written on top of the one before it.
    assert events[-1].new_text == str(2 * rounds)
    assert len(events) == 1 + 2 * rounds
    assert [int(e.new_text) for e in events[1:]] == list(range(1, 2 * rounds + 1))
    assert all(int(e.old_text) + 1 == int(e.new_text) for e in events[1:])
    conflicts = sum(r["conflicts"] for r in results)
    print(f"\nconcurrency on {project.store.dialect}: {2 * rounds} updates, {conflicts} conflicts reported and retried")


def test_the_models_and_the_migrations_describe_the_same_schema(db_url: str, project_dir: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from bpod_i18n.store.models import Base

    store = open_store(db_url)
    with store.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    store.dispose()


def test_the_head_revision_constant_is_the_newest_migration() -> None:
    from alembic.script import ScriptDirectory

    from bpod_i18n.store.engine import HEAD_REVISION, _alembic_config, known_revisions

    assert ScriptDirectory.from_config(_alembic_config()).get_current_head() == HEAD_REVISION
    assert HEAD_REVISION in known_revisions()

"""Shared fixtures: a fresh project per test, on SQLite or on a real PostgreSQL server.

Set BPOD_I18N_TEST_DB to a PostgreSQL URL (an admin database such as
postgresql://postgres@127.0.0.1:54329/postgres) and every test gets a database of its own
on that server; without it, every test gets an SQLite file. `.ci/run` runs the suite both ways.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bpod_i18n.cli import app
from bpod_i18n.workflow.init import init_project
from bpod_i18n.workflow.project import Project, open_project

FIXTURES = Path(__file__).parent / "fixtures"
PAGES = FIXTURES / "pages"
REPO = Path(__file__).resolve().parent.parent
PO_ARTIFACTS = REPO / "test-artifacts" / "exported-po"


def _postgres_admin_url() -> str | None:
    return os.environ.get("BPOD_I18N_TEST_DB") or None


@contextlib.contextmanager
def _database(folder: Path) -> Iterator[str]:
    """An SQLite file in ``folder``, or a fresh database on the test PostgreSQL server."""
    admin = _postgres_admin_url()
    if admin is None:
        yield f"sqlite:///{folder / 'state.db'}"
        return
    from sqlalchemy import create_engine, text

    name = f"bpod_test_{uuid.uuid4().hex[:12]}"
    engine = create_engine(admin.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    base = admin.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()


@pytest.fixture
def db_url(tmp_path: Path) -> Iterator[str]:
    with _database(tmp_path) as url:
        yield url


@pytest.fixture(scope="module")
def module_db_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One database for a whole test module (tables of cases sharing one project)."""
    with _database(tmp_path_factory.mktemp("db")) as url:
        yield url


@pytest.fixture
def project_dir(tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An initialised project (locales ca and es) whose database is this test's."""
    root = tmp_path / "project"
    monkeypatch.setenv("BPOD_I18N_DB", db_url)
    monkeypatch.setenv("BPOD_I18N_USER", "tester")
    monkeypatch.delenv("NO_COLOR", raising=False)
    init_project(root, locales=["ca", "es"])
    return root


@pytest.fixture
def project(project_dir: Path) -> Iterator[Project]:
    opened = open_project(project_dir)
    yield opened
    opened.close()


@pytest.fixture
def cli(project_dir: Path):
    """Run the real CLI in the project: cli("status", "--json") -> click Result."""
    runner = CliRunner()

    def run(*args: str, input: str | None = None):
        return runner.invoke(app, ["-C", str(project_dir), *args], input=input, catch_exceptions=False)

    return run


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Keep every PO file the tests exported, so .ci/run can hold them to `msgfmt --check-format`."""
    try:
        basetemp = session.config._tmp_path_factory.getbasetemp()  # type: ignore[attr-defined]
    except (AttributeError, ValueError):
        return
    # Written by `export` (its X-Generator header), not the broken files bad-input tests make.
    exported = [
        p
        for p in Path(basetemp).rglob("*.po")
        if "locales" in p.parts and '"X-Generator: bpod-i18n' in p.read_text(encoding="utf-8", errors="replace")
    ]
    if not exported:
        return
    shutil.rmtree(PO_ARTIFACTS, ignore_errors=True)
    PO_ARTIFACTS.mkdir(parents=True)
    for n, path in enumerate(sorted(exported)):
        shutil.copy(path, PO_ARTIFACTS / f"{n:05d}-{path.name}")

"""When the database fails: one line on stderr (what happened, which database with its password
masked, what to do), exit code 3, nothing stored, no traceback and no SQL."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from bpod_i18n.cli import app
from bpod_i18n.errors import EXIT_DATABASE, DatabaseError
from bpod_i18n.store.failures import mask_url, scrub
from bpod_i18n.store.models import Entry
from bpod_i18n.workflow import ingest as ingest_ops
from bpod_i18n.workflow.project import open_project

SECRET = "s3cr3t-Pa55"
OTHER_SECRET = "an0ther-Pa55"


def invoke(root: Path, *args: str):
    return CliRunner().invoke(app, ["-C", str(root), *args], catch_exceptions=False)


def one_line(result) -> str:  # type: ignore[no-untyped-def]
    assert result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr and "[SQL" not in result.stderr and "parameters" not in result.stderr
    return result.stderr


def write_entries(folder: Path, count: int, words: int = 60) -> Path:
    """``count`` new entries as JSON files, each ``words`` words long or so."""
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        sentences = [
            f"Cell {n}-{i} divides [sic] under the microscope in sample {i * 7 + n}." for i in range(words // 8)
        ]
        (folder / f"entry-{n:03d}.json").write_text(
            json.dumps(
                {
                    "title": f"Dividing Cells Number {n}",
                    "date": f"2019-{1 + n % 12:02d}-{1 + n % 28:02d}",
                    "paragraphs": [" ".join(sentences)],
                }
            ),
            encoding="utf-8",
        )
    return folder


@pytest.fixture
def sqlite_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project on its embedded SQLite file, whatever database the rest of the suite uses."""
    monkeypatch.delenv("BPOD_I18N_DB", raising=False)
    monkeypatch.setenv("BPOD_I18N_USER", "tester")
    root = tmp_path / "project"
    assert invoke(root, "init", "--locale", "ca").exit_code == 0
    return root


def test_a_corrupt_sqlite_file(sqlite_root: Path) -> None:
    database = sqlite_root / ".bpod-i18n" / "state.db"
    database.write_bytes(b"\x8f garbage, not SQLite \x00" * 300)
    for path in database.parent.glob("state.db-*"):
        path.unlink()
    for command in (["status"], ["ingest", str(write_entries(sqlite_root.parent / "in", 1))], ["db", "upgrade"]):
        result = invoke(sqlite_root, *command)
        assert result.exit_code == EXIT_DATABASE == 3
        assert one_line(result) == (
            f"error: database {database} is damaged or not a database (file is not a database): restore it from a "
            "backup, or move it away, run `bpod-i18n init` and ingest and import again\n"
        )
    assert result.stdout == ""


def test_a_database_locked_by_another_process_past_the_timeout(project_dir: Path, db_url: str, tmp_path: Path) -> None:
    """Two real processes: one holds the write lock, the command waits lock_timeout, then gives up."""
    config = project_dir / "bpod-i18n.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("# lock_timeout = 60", "lock_timeout = 0.5"), encoding="utf-8"
    )
    entries = write_entries(tmp_path / "in", 2)
    if db_url.startswith("sqlite"):
        holder_code = (
            "import sqlite3, sys; c = sqlite3.connect(sys.argv[1], isolation_level=None); c.execute('BEGIN IMMEDIATE')"
        )
        target, shown = db_url[len("sqlite:///") :], db_url[len("sqlite:///") :]
    else:
        holder_code = (
            "import psycopg, sys; c = psycopg.connect(sys.argv[1]); c.execute('LOCK TABLE entries IN EXCLUSIVE MODE')"
        )
        target, shown = db_url, db_url
    holder = subprocess.Popen(
        [sys.executable, "-c", holder_code + "; print('locked', flush=True); sys.stdin.read()", target],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        result = invoke(project_dir, "ingest", str(entries))
        assert result.exit_code == 3
        assert one_line(result) == (
            f"error: database {shown} is locked by another writer (waited 0.5 s): wait for the other command to "
            "finish and run this one again, or raise [project] lock_timeout; nothing of this command was stored\n"
        )
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=30)
    result = invoke(project_dir, "ingest", str(entries), "--json")
    assert result.exit_code == 0, result.output
    assert [e["status"] for e in json.loads(result.stdout)] == ["new", "new"]  # the refused run stored nothing


def test_a_full_database_is_refused_whole(sqlite_root: Path, tmp_path: Path) -> None:
    """SQLite's max_page_count makes the file 'full' at its current size, on this connection."""
    project = open_project(sqlite_root)
    try:
        with project.store.engine.connect() as conn:
            pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
            conn.exec_driver_sql(f"PRAGMA max_page_count = {pages}")
        with pytest.raises(DatabaseError) as caught:
            ingest_ops.ingest(project, [write_entries(tmp_path / "in", 20)])
        database = sqlite_root / ".bpod-i18n" / "state.db"
        assert str(caught.value) == (
            f"database {database}: the disk is full (database or disk is full): free some space and run the command "
            "again; nothing of this command was stored"
        )
        assert caught.value.exit_code == 3
        with project.store.transaction(write=False) as session:
            assert session.scalar(select(func.count()).select_from(Entry).where(Entry.kind == "entry")) == 0
    finally:
        project.close()


def _private_tmpfs_prefix(probe_dir: Path) -> list[str] | None:
    """A command prefix that runs its command in a private mount namespace where it may mount
    a tmpfs (root: unshare -m; otherwise user namespaces: unshare -rm), or None."""
    if shutil.which("unshare") is None:
        return None
    for prefix in (["unshare", "-m"], ["unshare", "-rm"]):
        probe = subprocess.run(
            [*prefix, "mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(probe_dir)],
            capture_output=True,
            check=False,
        )
        if probe.returncode == 0:
            return prefix
    return None


def test_a_full_disk_under_a_real_process(sqlite_root: Path, tmp_path: Path) -> None:
    """The database on a tiny tmpfs (in a mount namespace of its own, gone with the process)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    prefix = _private_tmpfs_prefix(disk)
    if prefix is None:
        pytest.skip(
            "no private mount namespace here (needs root or user namespaces) for a tiny tmpfs; "
            "test_a_full_database_is_refused_whole covers the same path with max_page_count"
        )
    database = sqlite_root / ".bpod-i18n" / "state.db"
    size_kib = database.stat().st_size // 1024 + 64  # room for the -shm file (32 KiB) and a little WAL
    script = (
        'mount -t tmpfs -o size="$1"k tmpfs "$2" && cp "$3" "$2/state.db" && '
        'BPOD_I18N_DB="sqlite:///$2/state.db" exec "$4" -m bpod_i18n -C "$5" ingest "$6"'
    )
    result = subprocess.run(
        [
            *prefix,
            "sh",
            "-c",
            script,
            "sh",
            str(size_kib),
            str(disk),
            str(database),
            sys.executable,
            str(sqlite_root),
            str(write_entries(tmp_path / "in", 40, words=400)),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 3, result.stderr
    assert result.stderr == (
        f"error: database {disk}/state.db: the disk is full (database or disk is full): free some space and run the "
        "command again; nothing of this command was stored\n"
    )


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_an_unreachable_server_masks_both_password_forms(sqlite_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    port = _closed_port()
    url = f"postgresql://marta:{SECRET}@127.0.0.1:{port}/bpod?password={OTHER_SECRET}&sslmode=disable"
    monkeypatch.setenv("BPOD_I18N_DB", url)
    for command in (["status"], ["check", "--locale", "ca"]):
        result = invoke(sqlite_root, *command)
        assert result.exit_code == 3, result.output
        message = one_line(result)
        assert SECRET not in result.output and OTHER_SECRET not in result.output
        assert message.startswith(
            f"error: cannot connect to database postgresql://marta:***@127.0.0.1:{port}/bpod?password=***&sslmode=disable ("
        )
        assert "Connection refused" in message
        assert message.endswith(
            "check that the server is running and that the host, port and database name in the URL are right\n"
        )


def test_a_password_in_a_url_that_cannot_be_used_is_masked(sqlite_root: Path) -> None:
    for url in (
        f"postgresql://marta:{SECRET}@db.example.org:port/bpod",
        f"postgresql+nodriver://marta@db.example.org/bpod?password={SECRET}",
    ):
        result = invoke(sqlite_root, "--db", url, "status")
        assert result.exit_code == 2
        assert SECRET not in result.output
        assert one_line(result).startswith("error: cannot use database URL 'postgresql")


@pytest.mark.parametrize(
    ("url", "masked"),
    [
        ("postgresql://marta:pw@db/bpod", "postgresql://marta:***@db/bpod"),
        ("postgresql://marta@db/bpod?password=pw", "postgresql://marta@db/bpod?password=***"),
        (
            "postgresql://marta:p%40ss@db:5432/bpod?sslmode=require&password=x&sslpassword=y",
            "postgresql://marta:***@db:5432/bpod?sslmode=require&password=***&sslpassword=***",
        ),
        ("postgresql://marta:a/b?c@db/bpod", "postgresql://marta:***@db/bpod"),  # an unescaped "/" and "?"
        ("postgresql://db/bpod?PASSWORD=pw", "postgresql://db/bpod?PASSWORD=***"),
        ("postgresql://marta@db/bpod", "postgresql://marta@db/bpod"),
        ("sqlite:////srv/bpod/state.db", "sqlite:////srv/bpod/state.db"),
    ],
)
def test_mask_url(url: str, masked: str) -> None:
    assert mask_url(url) == masked


def test_scrub_masks_a_password_quoted_back_escaped_or_not() -> None:
    url = "postgresql://marta:p%40ss@db/bpod?password=q2"
    assert scrub('password for "p@ss" (p%40ss) or q2 refused', url) == 'password for "***" (***) or *** refused'

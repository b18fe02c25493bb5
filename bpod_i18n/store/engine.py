"""Engine, sessions and schema revisions.

One command is one transaction (``Store.transaction``): it commits whole or not at all.
On SQLite a writing transaction starts with ``BEGIN IMMEDIATE`` so that two processes
importing at once queue up instead of both reading, then one failing to upgrade its lock
half-way; the busy timeout makes the second wait for the first.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from bpod_i18n.errors import SchemaError, UsageError

MIGRATIONS = Path(__file__).with_name("migrations")
SQLITE_BUSY_TIMEOUT_S = 60
# The newest migration in migrations/versions (a test holds the two together). Every command
# compares the database with it; reading Alembic's scripts for that would cost each command
# ~0.4 s of start-up, so Alembic is loaded only to upgrade.
HEAD_REVISION = "0002"


def _alembic_config():  # type: ignore[no-untyped-def]
    from alembic.config import Config as AlembicConfig

    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    return HEAD_REVISION


def known_revisions() -> set[str]:
    """Every revision the shipped migrations define (from Alembic's own reading of them)."""
    from alembic.script import ScriptDirectory

    return {rev.revision for rev in ScriptDirectory.from_config(_alembic_config()).walk_revisions()}


def _make_engine(url: str) -> Engine:
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    try:
        if url.startswith("sqlite"):
            engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S})
            _sqlite_transactions(engine)
        else:
            engine = create_engine(url, pool_pre_ping=True)
    except (ArgumentError, ModuleNotFoundError) as exc:
        raise UsageError(f"cannot use database URL {_redact(url)!r}: {exc}")
    return engine


def _sqlite_transactions(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        # Let SQLAlchemy, not the sqlite3 module, decide when a transaction begins.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn) -> None:  # type: ignore[no-untyped-def]
        mode = "IMMEDIATE" if conn.get_execution_options().get("bpod_write") else "DEFERRED"
        conn.exec_driver_sql(f"BEGIN {mode}")


def _redact(url: str) -> str:
    """Hide a password in a URL before it reaches a message."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        user = creds.split(":", 1)[0]
        return f"{scheme}://{user}:***@{host}" if ":" in creds else url
    return url


class Store:
    def __init__(self, url: str):
        self.url = url
        self.engine = _make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._write_sessions = sessionmaker(
            self.engine.execution_options(bpod_write=True), expire_on_commit=False
        )

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def current_revision(self) -> str | None:
        """The revision Alembic recorded in ``alembic_version``; None for an empty database."""
        try:
            with self.engine.connect() as conn:
                if not inspect(conn).has_table("alembic_version"):
                    return None
                return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except OperationalError as exc:
            raise UsageError(f"cannot open database {_redact(self.url)}: {exc.orig}")

    def upgrade(self, revision: str = "head") -> tuple[str | None, str]:
        """Bring the schema to ``revision`` (the newest by default), data kept; returns (from, to)."""
        from alembic import command

        before = self.current_revision()
        self._refuse_newer(before)
        with self.engine.begin() as conn:
            cfg = _alembic_config()
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
        return before, self.current_revision() or ""

    def _refuse_newer(self, revision: str | None) -> None:
        if revision is None or revision == HEAD_REVISION:
            return
        if revision not in known_revisions():
            raise SchemaError(
                f"database {_redact(self.url)} has schema revision {revision}, newer than this "
                f"bpod-i18n knows (head {head_revision()}): upgrade bpod-i18n"
            )

    def check_schema(self) -> None:
        """Refuse to work on a database whose schema is not this code's."""
        revision = self.current_revision()
        if revision == head_revision():
            return
        self._refuse_newer(revision)
        if revision is None:
            raise SchemaError(f"database {_redact(self.url)} has no bpod-i18n schema: run `bpod-i18n init`")
        raise SchemaError(
            f"database {_redact(self.url)} has schema revision {revision}, this code needs "
            f"{head_revision()}: run `bpod-i18n db upgrade`"
        )

    @contextmanager
    def transaction(self, *, write: bool = True) -> Iterator[Session]:
        """One unit of work: commits on success, rolls back everything on any error."""
        factory = self._write_sessions if write else self._sessions
        with factory() as session:
            with session.begin():
                yield session

    def dispose(self) -> None:
        self.engine.dispose()


def open_store(url: str, *, check: bool = True) -> Store:
    store = Store(url)
    if check:
        store.check_schema()
    return store

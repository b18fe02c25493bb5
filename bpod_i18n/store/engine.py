"""Engine, sessions and schema revisions.

One command is one transaction (``Store.transaction``): it commits whole or not at all.
On SQLite a writing transaction starts with ``BEGIN IMMEDIATE`` so that two processes
importing at once queue up instead of both reading, then one failing to upgrade its lock
half-way; the busy timeout makes the second wait for the first. On PostgreSQL the same wait
is ``lock_timeout``. Both are ``[project] lock_timeout``.

This is the store's boundary: a failure of the database (locked past the timeout, disk
full, damaged file, server unreachable) leaves it as a :class:`DatabaseError` (exit code 3)
with one line from ``failures.py``, never as SQLAlchemy's message with the SQL and its
parameters. Constraint violations (IntegrityError) pass unchanged: callers read them as
conflicts; programming errors pass unchanged too: they are bugs.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.orm import Session, sessionmaker

from bpod_i18n.config import DEFAULT_LOCK_TIMEOUT
from bpod_i18n.errors import DatabaseError, SchemaError, UsageError
from bpod_i18n.store.failures import database_error, describe, mask_url, scrub

if TYPE_CHECKING:
    from alembic.config import Config as AlembicConfig

MIGRATIONS = Path(__file__).with_name("migrations")
# Seconds to wait for a PostgreSQL server to accept the connection (an unreachable host whose
# packets are dropped would otherwise hang the command for minutes).
CONNECT_TIMEOUT_S = 10
# The newest migration in migrations/versions (a test holds the two together). Every command
# compares the database with it; reading Alembic's scripts for that would cost each command
# ~0.4 s of start-up, so Alembic is loaded only to upgrade.
HEAD_REVISION = "0007"


def _alembic_config() -> AlembicConfig:
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


def _make_engine(given: str, lock_timeout: float) -> Engine:
    url = given
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    try:
        if url.startswith("sqlite"):
            engine = create_engine(url, connect_args={"timeout": lock_timeout})
            _sqlite_transactions(engine)
        else:
            connect_args = {} if "connect_timeout=" in url else {"connect_timeout": CONNECT_TIMEOUT_S}
            engine = create_engine(url, pool_pre_ping=True, connect_args=connect_args)
            if engine.dialect.name == "postgresql":
                _postgresql_lock_timeout(engine, lock_timeout)
    except (ArgumentError, ModuleNotFoundError, ValueError) as exc:
        # SQLAlchemy quotes the whole URL back in some of these messages, password included.
        detail = "its port is not a number" if type(exc) is ValueError else scrub(str(exc), url)
        raise UsageError(f"cannot use database URL {mask_url(given)!r}: {detail}") from None
    return engine


def _postgresql_lock_timeout(engine: Engine, seconds: float) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        # Outside a transaction, so that the setting outlives the connection's first rollback.
        autocommit = dbapi_connection.autocommit
        dbapi_connection.autocommit = True
        with dbapi_connection.cursor() as cursor:
            cursor.execute(f"SET lock_timeout = {max(1, round(seconds * 1000))}")
        dbapi_connection.autocommit = autocommit


def _sqlite_transactions(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide when a transaction begins.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        mode = "IMMEDIATE" if conn.get_execution_options().get("bpod_write") else "DEFERRED"
        conn.exec_driver_sql(f"BEGIN {mode}")


def _is_database_failure(error: BaseException) -> bool:
    """Failures of the database itself, as opposed to a constraint (a conflict) or a bug."""
    return isinstance(error, OperationalError) or type(error) is SADatabaseError


class Store:
    def __init__(self, url: str, *, lock_timeout: float = DEFAULT_LOCK_TIMEOUT):
        self.url = url
        self.lock_timeout = lock_timeout
        self.engine = _make_engine(url, lock_timeout)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._write_sessions = sessionmaker(self.engine.execution_options(bpod_write=True), expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def _failure(self, error: DBAPIError) -> DatabaseError:
        # No statement: the error came while connecting (refused, unknown host, bad login).
        return database_error(error, self.url, lock_timeout=self.lock_timeout, connecting=error.statement is None)

    def current_revision(self) -> str | None:
        """The revision Alembic recorded in ``alembic_version``; None for an empty database."""
        try:
            with self.engine.connect() as conn:
                if not inspect(conn).has_table("alembic_version"):
                    return None
                return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except DBAPIError as exc:
            if _is_database_failure(exc):
                raise self._failure(exc) from exc
            raise

    def upgrade(self, revision: str = "head") -> tuple[str | None, str]:
        """Bring the schema to ``revision`` (the newest by default), data kept; returns (from, to)."""
        from alembic import command

        before = self.current_revision()
        self._refuse_newer(before)
        try:
            with self.engine.begin() as conn:
                cfg = _alembic_config()
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, revision)
        except DBAPIError as exc:
            if _is_database_failure(exc):
                raise self._failure(exc) from exc
            raise
        return before, self.current_revision() or ""

    def _refuse_newer(self, revision: str | None) -> None:
        if revision is None or revision == HEAD_REVISION:
            return
        if revision not in known_revisions():
            raise SchemaError(
                f"database {describe(self.url)} has schema revision {revision}, newer than this "
                f"bpod-i18n knows (head {head_revision()}): upgrade bpod-i18n"
            )

    def check_schema(self) -> None:
        """Refuse to work on a database whose schema is not this code's."""
        revision = self.current_revision()
        if revision == head_revision():
            return
        self._refuse_newer(revision)
        if revision is None:
            # `db upgrade` creates it in an existing project (a team's new PostgreSQL database);
            # `init` would do too, but reads as making a new project.
            raise SchemaError(f"database {describe(self.url)} has no bpod-i18n schema: run `bpod-i18n db upgrade`")
        raise SchemaError(
            f"database {describe(self.url)} has schema revision {revision}, this code needs "
            f"{head_revision()}: run `bpod-i18n db upgrade`"
        )

    @contextmanager
    def transaction(self, *, write: bool = True) -> Iterator[Session]:
        """One unit of work: commits on success, rolls back everything on any error.

        A failure of the database itself, inside the work or at the commit, leaves as a
        DatabaseError; everything else (a conflict, a typed error of the caller) unchanged.
        """
        factory = self._write_sessions if write else self._sessions
        try:
            with factory() as session, session.begin():
                yield session
        except DBAPIError as exc:
            if _is_database_failure(exc):
                raise self._failure(exc) from exc
            raise

    def dispose(self) -> None:
        self.engine.dispose()


def open_store(url: str, *, check: bool = True, lock_timeout: float = DEFAULT_LOCK_TIMEOUT) -> Store:
    store = Store(url, lock_timeout=lock_timeout)
    if check:
        store.check_schema()
    return store

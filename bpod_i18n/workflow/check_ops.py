"""The CI gate over PO files, with review states and the glossary when the project has them.

A CI checkout has the PO files and `bpod-i18n.toml` but no database (`.bpod-i18n/` is not
in git): then only the files are judged. Where a database exists (or a team's PostgreSQL is
configured), review states join in (`min_reviewed_percent`) and entries that should have a
PO file but do not are caught. A `min_reviewed_percent` that cannot be judged for want of a
database fails the gate, saying so; with `use_database=False` (`check --no-db`) the user has
chosen the files alone, and the reports say review progress was not checked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bpod_i18n.checks import CheckResult, GateSettings, NoReviewStates, default_registry, run_checks
from bpod_i18n.checks.scan import FileContext
from bpod_i18n.config import DEFAULT_PO_FILE_SIZE, Config
from bpod_i18n.errors import ConfigError
from bpod_i18n.model import State
from bpod_i18n.workflow.glossary_check import glossary_check

if TYPE_CHECKING:
    from bpod_i18n.store import Store


@dataclass
class GateOutcome:
    result: CheckResult
    database: str | None  # dialect used for review states, None: PO files only


def run_gate(
    config: Config | None,
    paths: Sequence[Path],
    *,
    locale: str | None = None,
    overrides: Mapping[str, Any] | None = None,
    use_database: bool = True,
    today: dt.date | None = None,
    jobs: int | None = None,
) -> GateOutcome:
    if config is not None and locale:
        locale = config.require_locale(locale)
    settings = config.check if config else GateSettings()
    if overrides:
        settings = settings.override(**overrides)
    registry = default_registry()
    if config is not None:
        registry.register(glossary_check(config))
    unit_states = expected = expected_units = None
    dialect = None
    no_states = NoReviewStates("the PO files were judged alone (--no-db)", explicit=True)
    if use_database and config is not None and _has_database(config):
        # Imported here: a CI checkout without a database never pays for SQLAlchemy.
        from bpod_i18n.store import open_store

        store = open_store(config.database_url, lock_timeout=config.lock_timeout)
        try:
            unit_states, expected, expected_units = _review_states(store, locale or None, config.locales)
            dialect = store.dialect
        finally:
            store.dispose()
    elif use_database and config is None:
        no_states = NoReviewStates(
            "no project (bpod-i18n.toml) here or above, so no database; pass --no-db to judge the PO files alone"
        )
    elif use_database and config is not None:
        no_states = NoReviewStates(
            f"no database at {_shown(config)} (a CI checkout has none: it is not in git); run check "
            "where the project's database is, or pass --no-db to judge the PO files alone"
        )
    context = FileContext(
        locales_dir=config.locales_path if config else None,
        project_locales=frozenset(config.locales) if config else None,
        expected_units=expected_units,
        max_bytes=config.limits.po_file_size if config else DEFAULT_PO_FILE_SIZE,
    )
    try:
        result = run_checks(
            paths,
            locale=locale,
            settings=settings,
            registry=registry,
            unit_states=unit_states,
            no_review_states=no_states,
            today=today,
            expected_entries=expected,
            context=context,
            jobs=jobs,
        )
    except ConfigError as exc:  # an unknown check id in [check]: known only now, named at its line
        raise config.locate(exc) if config is not None else exc from None
    return GateOutcome(result, dialect)


def _has_database(config: Config) -> bool:
    path = _database_file(config)
    if path is not None:
        return path.is_file()
    return True  # a configured server must answer: an unreachable team database is an error


def _shown(config: Config) -> str:
    path = _database_file(config)
    if path is None:
        return config.database
    try:
        return str(path.relative_to(config.root.resolve()))
    except ValueError:
        return str(path)


def _database_file(config: Config) -> Path | None:
    """The SQLite file of the project's database; None for a server."""
    url = config.database_url
    return Path(url[len("sqlite:///") :]) if url.startswith("sqlite:///") else None


def _review_states(
    store: Store, locale: str | None, locales: list[str]
) -> tuple[dict[tuple[str, str], State], set[str], dict[str, dict[str, str]]]:
    """(locale, unit id) → state of every stored translation (a unit absent from the map has
    no translation: the gate reads absent as not reviewed); the slugs of the entries; and
    each entry's active units (slug → unit id → English), which its PO file must match."""
    from sqlalchemy import select

    from bpod_i18n.store.models import Entry, Translation, Unit

    wanted = [locale] if locale else locales
    with store.transaction(write=False) as session:
        states = {
            (lc, uid): State(state)
            for lc, uid, state in session.execute(
                select(Translation.locale, Unit.uid, Translation.state)
                .join(Unit, Unit.id == Translation.unit_id)
                .where(Unit.active.is_(True), Translation.locale.in_(wanted))
            )
        }
        # Retired entries are out of the gate: no PO file is expected of them.
        expected = set(session.scalars(select(Entry.slug).where(Entry.kind == "entry", Entry.in_use())))
        units: dict[str, dict[str, str]] = {}
        for slug, uid, source in session.execute(
            select(Entry.slug, Unit.uid, Unit.source)
            .join(Unit, Unit.entry_id == Entry.id)
            .where(Unit.active.is_(True), Entry.in_use())
        ):
            units.setdefault(slug, {})[uid] = source
    return states, expected, units

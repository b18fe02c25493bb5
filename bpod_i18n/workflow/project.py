"""A project: its settings and its database, opened once per command."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from bpod_i18n.config import (
    CONFIG_NAME,
    DEFAULT_LOCALES,
    STATE_DIR,
    Config,
    default_config,
    load_config,
    parse_config,
    validate_locale,
)
from bpod_i18n.store import Store, open_store


class ProgressHook(Protocol):
    """Long operations report through this; the CLI draws a bar, tests may count."""

    def start(self, total: int, description: str) -> None: ...

    def advance(self, amount: int = 1) -> None: ...


class NoProgress:
    def start(self, total: int, description: str) -> None:
        pass

    def advance(self, amount: int = 1) -> None:
        pass


@dataclass
class Project:
    config: Config
    store: Store

    @property
    def root(self) -> Path:
        return self.config.root

    def close(self) -> None:
        self.store.dispose()


def open_project(start: Path | None = None, *, database: str | None = None, check_schema: bool = True) -> Project:
    config = load_config(start)
    if database:
        config.database = database
    return Project(config, open_store(config.database_url, check=check_schema, lock_timeout=config.lock_timeout))


@dataclass
class InitResult:
    root: Path
    created: list[str]
    schema_from: str | None
    schema_to: str


def init_project(root: Path, *, locales: list[str] | None = None, database: str | None = None) -> InitResult:
    """Create settings, folders and the database; a second run changes nothing."""
    from bpod_i18n.workflow.ingest import sync_site_catalog  # site strings live in the DB too

    created: list[str] = []
    root.mkdir(parents=True, exist_ok=True)
    config_path = root / CONFIG_NAME
    if not config_path.exists():
        # Checked before the file is written: a refused code must not leave a file behind.
        codes = list(dict.fromkeys(validate_locale(lc) for lc in locales or DEFAULT_LOCALES))
        config_path.write_text(default_config(codes), encoding="utf-8")
        created.append(CONFIG_NAME)
    config = parse_config(config_path)
    if database:
        config.database = database
    for folder in (config.locales_dir, config.glossary_dir, Path(STATE_DIR)):
        path = root / folder
        if not path.exists():
            path.mkdir(parents=True)
            created.append(f"{folder}/")
    gitignore = root / STATE_DIR / ".gitignore"
    if not gitignore.exists():
        gitignore.write_text("*\n", encoding="utf-8")
    store = open_store(config.database_url, check=False, lock_timeout=config.lock_timeout)
    try:
        before, after = store.upgrade()
        with store.transaction() as session:
            sync_site_catalog(session, actor=config.user)
    finally:
        store.dispose()
    return InitResult(root=root, created=created, schema_from=before, schema_to=after)

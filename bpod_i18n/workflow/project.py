"""A project: its settings and its database, opened once per command (``init`` creates one:
``workflow/init.py``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from bpod_i18n.config import Config, load_config
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

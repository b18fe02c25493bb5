"""`bpod-i18n init`: settings, folders, the database schema and the site strings.

Its own module, above ``project`` and ``ingest``: creating a project needs the ingest of the
site catalog, while ingest (like every command) only needs a project opened.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bpod_i18n.config import CONFIG_NAME, DEFAULT_LOCALES, STATE_DIR, default_config, parse_config, validate_locale
from bpod_i18n.store import open_store
from bpod_i18n.workflow.ingest import sync_site_catalog


@dataclass
class InitResult:
    root: Path
    created: list[str]
    schema_from: str | None
    schema_to: str


def init_project(root: Path, *, locales: list[str] | None = None, database: str | None = None) -> InitResult:
    """Create settings, folders and the database; a second run changes nothing."""
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
            # The state folder (the SQLite database, export fingerprints) is its owner's alone.
            path.mkdir(parents=True, mode=0o700 if folder == Path(STATE_DIR) else 0o777)
            created.append(f"{folder}/")
    gitignore = root / STATE_DIR / ".gitignore"
    if not gitignore.exists():
        gitignore.write_text("*\n", encoding="utf-8")
    store = open_store(config.database_url, check=False, lock_timeout=config.lock_timeout)
    try:
        before, after = store.upgrade()
        with store.transaction() as session:
            sync_site_catalog(session, actor=config.user)  # site strings live in the database too
    finally:
        store.dispose()
    return InitResult(root=root, created=created, schema_from=before, schema_to=after)

"""`bpod-i18n init`: settings, folders, the database schema, the site strings, and the starter
glossaries.

Its own module, above ``project`` and ``ingest``: creating a project needs the ingest of the
site catalog, while ingest (like every command) only needs a project opened.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bpod_i18n.atomic import write_atomic
from bpod_i18n.config import CONFIG_NAME, DEFAULT_LOCALES, STATE_DIR, default_config, parse_config, validate_locale
from bpod_i18n.store import open_store
from bpod_i18n.store.failures import describe
from bpod_i18n.workflow.ingest import sync_site_catalog


@dataclass
class StarterGlossary:
    """A shipped termbase copied into the project (``path`` relative to the project)."""

    locale: str
    path: Path
    terms: int  # distinct English terms


@dataclass
class InitResult:
    root: Path
    created: list[str]
    schema_from: str | None
    schema_to: str
    database: str = ""  # the database as messages name it (password masked)
    glossaries: list[StarterGlossary] = field(default_factory=list)
    # Locales offered a starter glossary that has none shipped (only en→ca and en→es are).
    no_starter: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.glossaries) or self.schema_from != self.schema_to


def init_project(
    root: Path,
    *,
    locales: list[str] | None = None,
    database: str | None = None,
    starter_glossary: bool | None = False,
) -> InitResult:
    """Create settings, folders and the database; a second run changes nothing.

    ``starter_glossary``: copy the shipped termbase of each locale that has no termbase file
    yet; None does so only when this run creates the project (the command's default, so that a
    second ``init`` never brings back a termbase someone removed); False never.
    """
    created: list[str] = []
    root.mkdir(parents=True, exist_ok=True)
    config_path = root / CONFIG_NAME
    new_project = not config_path.exists()
    if new_project:
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
    result = InitResult(
        root=root, created=created, schema_from=before, schema_to=after, database=describe(config.database_url)
    )
    if starter_glossary or (starter_glossary is None and new_project):
        _copy_starters(root, config.glossary_dir, config.source_language, config.locales, result)
    return result


def _copy_starters(root: Path, folder: Path, source_lang: str, locales: list[str], result: InitResult) -> None:
    from bpod_i18n.glossary import load_termbase, termbase_path
    from bpod_i18n.glossary.starter import starter_termbase

    for locale in locales:
        shipped = starter_termbase(source_lang, locale)
        if shipped is None:
            result.no_starter.append(locale)
            continue
        relative = termbase_path(folder, source_lang, locale)
        target = root / relative
        if target.exists() or target.with_suffix(".tbx").exists():
            continue  # the project's own termbase is never replaced
        write_atomic(target, shipped.read_bytes(), durable=True)
        terms = len({term.source for term in load_termbase(target).terms})
        result.glossaries.append(StarterGlossary(locale, relative, terms))

"""Project settings: ``bpod-i18n.toml``, with environment variables on top.

A project is a folder holding ``bpod-i18n.toml``; commands find it by walking up from the
current folder (like git), or from ``--project``. ``BPOD_I18N_DB`` overrides the database URL
(a team's PostgreSQL), ``BPOD_I18N_USER`` the name written into history.
"""

from __future__ import annotations

import getpass
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError

from bpod_i18n.errors import ConfigError, InputError, UsageError

CONFIG_NAME = "bpod-i18n.toml"
STATE_DIR = ".bpod-i18n"
DEFAULT_DB = f"sqlite:///{STATE_DIR}/state.db"

DEFAULT_CONFIG = f"""\
# bpod-i18n project settings. Environment variables override: BPOD_I18N_DB, BPOD_I18N_USER.

[project]
source_language = "en"
# Target locales (BCP 47 / CLDR codes, checked with Babel).
locales = ["ca", "es"]
# SQLite embedded by default (relative to this file); a team sets a PostgreSQL URL here or in
# BPOD_I18N_DB, e.g. "postgresql+psycopg://user@db.example.org/bpod".
database = "{DEFAULT_DB}"
locales_dir = "locales"
glossary_dir = "glossary"

[review]
# The four-eyes rule: a reviewer cannot approve a text they wrote themselves.
allow_self_review = false
# Lowest state that counts as done for publishing: "reviewed" or "translated".
publish_state = "reviewed"

[mt]
# Default provider for `bpod-i18n pretranslate`: apertium (offline), libre, google, deepl,
# mymemory, microsoft. API keys are read from the environment variable named here.
provider = "apertium"
fuzzy_threshold = 75

[mt.providers.apertium]
# eng-cat, or eng-cat_valencia for the Valencian variant the Catalan mirror is close to.
modes = {{ ca = "eng-cat", es = "eng-spa" }}

[mt.providers.libre]
url = "http://127.0.0.1:5000/"
api_key_env = "LIBRE_API_KEY"

[emit]
translator_credit = {{ ca = "Universitat de València" }}
original_url = "https://bpod.org.uk/archive/{{slug}}"

[check]
max_untranslated = 0
max_fuzzy = 0
"""


def validate_locale(code: str, *, path: str | None = None) -> str:
    """Return the CLDR form of ``code`` or raise; "xx" and "cat" are refused, "ca" is not."""
    try:
        Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        raise UsageError(f"unknown locale code {code!r} (expected a CLDR code such as ca, es, pt_BR)", path=path)
    return code.replace("-", "_")


@dataclass
class Config:
    root: Path
    source_language: str = "en"
    locales: list[str] = field(default_factory=lambda: ["ca", "es"])
    database: str = DEFAULT_DB
    locales_dir: Path = Path("locales")
    glossary_dir: Path = Path("glossary")
    allow_self_review: bool = False
    publish_state: str = "reviewed"
    user: str = ""
    # [po] plural_forms: a locale's Plural-Forms header, instead of gettext's convention.
    plural_forms: dict[str, str] = field(default_factory=dict)
    # Sections owned by single features, handed to them as parsed TOML.
    mt: dict[str, Any] = field(default_factory=dict)
    emit: dict[str, Any] = field(default_factory=dict)
    check: dict[str, Any] = field(default_factory=dict)

    @property
    def path(self) -> Path:
        return self.root / CONFIG_NAME

    @property
    def locales_path(self) -> Path:
        return self.root / self.locales_dir

    @property
    def glossary_path(self) -> Path:
        return self.root / self.glossary_dir

    @property
    def database_url(self) -> str:
        """The URL with a relative SQLite path made absolute against the project root."""
        url = self.database
        prefix = "sqlite:///"
        if url.startswith(prefix) and not url.startswith(prefix + "/") and ":memory:" not in url:
            return prefix + str((self.root / url[len(prefix):]).resolve())
        return url

    def require_locale(self, code: str, *, path: str | Path | None = None) -> str:
        """A valid CLDR code that is also one of this project's locales."""
        code = validate_locale(code, path=str(path) if path else None)
        if code not in self.locales:
            raise UsageError(
                f"locale {code!r} is not one of this project's locales ({', '.join(self.locales)}); "
                f"add it to [project] locales in {CONFIG_NAME}",
                path=path,
            )
        return code


def find_root(start: Path) -> Path | None:
    for folder in [start, *start.parents]:
        if (folder / CONFIG_NAME).is_file():
            return folder
    return None


def load_config(start: Path | None = None, *, env: Mapping[str, str] | None = None) -> Config:
    env = os.environ if env is None else env
    start = (start or Path.cwd()).resolve()
    root = find_root(start)
    if root is None:
        raise ConfigError(f"no {CONFIG_NAME} in {start} or above: run `bpod-i18n init` first")
    return parse_config(root / CONFIG_NAME, env=env)


def parse_config(path: Path, *, env: Mapping[str, str] | None = None) -> Config:
    env = os.environ if env is None else env
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        raise InputError(f"not valid TOML: {exc.msg if hasattr(exc, 'msg') else exc}", path=path, line=line)
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", path=path)
    project = data.get("project", {})
    review = data.get("review", {})
    locales = [validate_locale(code, path=str(path)) for code in project.get("locales", ["ca", "es"])]
    config = Config(
        root=path.parent,
        source_language=project.get("source_language", "en"),
        locales=locales,
        database=project.get("database", DEFAULT_DB),
        locales_dir=Path(project.get("locales_dir", "locales")),
        glossary_dir=Path(project.get("glossary_dir", "glossary")),
        allow_self_review=bool(review.get("allow_self_review", False)),
        publish_state=review.get("publish_state", "reviewed"),
        mt=data.get("mt", {}),
        emit=data.get("emit", {}),
        check=data.get("check", {}),
    )
    if env.get("BPOD_I18N_DB"):
        config.database = env["BPOD_I18N_DB"]
    config.user = env.get("BPOD_I18N_USER") or _login_name()
    return config


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"

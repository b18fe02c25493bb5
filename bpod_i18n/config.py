"""Project settings: ``bpod-i18n.toml``, validated by type, with environment variables on top.

A project is a folder holding ``bpod-i18n.toml``; commands find it by walking up from the
current folder (like git), or from ``--project``. ``BPOD_I18N_DB`` overrides the database URL
(a team's PostgreSQL), ``BPOD_I18N_USER`` the name written into history.

Every section and key is known and typed, and the whole file is checked when it is read, by
every command: a wrong type, an unknown key or a locale the project does not have is refused
with one line naming the file and the line of the key (``bpod-i18n.toml:7: [review]
allow_self_review must be true or false, not "false"``), before anything is done. Each section
is validated in one place: ``[check]`` by :class:`GateSettings` (bpod_i18n/gate_settings.py),
the others here; features receive typed dataclasses, never the parsed TOML.
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
import re
import tomllib
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError

from bpod_i18n.errors import ConfigError, InputError, UsageError
from bpod_i18n.gate_settings import GateSettings
from bpod_i18n.redact import url_passwords
from bpod_i18n.tomlkeys import KeyPath, dotted, key_lines, line_of, show, table_name

CONFIG_NAME = "bpod-i18n.toml"
STATE_DIR = ".bpod-i18n"
DEFAULT_DB = f"sqlite:///{STATE_DIR}/state.db"
DEFAULT_LOCALES = ("ca", "es")
# Seconds a command waits for another writer's lock (SQLite's busy timeout, PostgreSQL's
# lock_timeout) before it gives up with a database error.
DEFAULT_LOCK_TIMEOUT = 60.0
PUBLISH_STATES = ("reviewed", "translated")
# Input limits ([limits]): far above anything real (a saved entry page is under 1 MB, a PO
# file of one entry a few hundred KB, a sentence a few hundred characters), low enough that a
# runaway or hostile input is refused with a clear line instead of filling memory or the database.
DEFAULT_ENTRY_FILE_SIZE = 20_000_000  # bytes
DEFAULT_PO_FILE_SIZE = 100_000_000  # bytes
DEFAULT_TRANSLATION_LENGTH = 20_000  # characters
# The names bpod_i18n.mt.PROVIDER_NAMES lists (a test holds the two together): importing the
# mt package here would load deep-translator and requests into every command.
PROVIDER_NAMES = ("apertium", "deepl", "google", "libre", "microsoft", "mymemory")
# Apertium's mode for the locales init writes a default for.
_APERTIUM_MODES = {"ca": "eng-cat", "es": "eng-spa"}


def default_config(locales: Sequence[str] = DEFAULT_LOCALES) -> str:
    """The commented settings file ``init`` writes (it passes :func:`parse_config`)."""
    quoted = ", ".join(f'"{lc}"' for lc in locales)
    modes = ", ".join(f'{lc} = "{_APERTIUM_MODES[lc]}"' for lc in locales if lc in _APERTIUM_MODES)
    modes_line = f"modes = {{ {modes} }}" if modes else '# modes = { ca = "eng-cat_valencia" }'
    credit = 'translator_credit = { ca = "Universitat de València" }'
    credit_line = credit if "ca" in locales else f'# translator_credit = {{ {locales[0]} = "Your translation team" }}'
    return f"""\
# bpod-i18n project settings. Environment variables override: BPOD_I18N_DB, BPOD_I18N_USER.
# Every key is checked when a command starts: a wrong type or an unknown key is an error.

[project]
source_language = "en"
# Target locales (BCP 47 / CLDR codes, checked with Babel).
locales = [{quoted}]
# SQLite embedded by default (relative to this file); a team sets a PostgreSQL URL here or in
# BPOD_I18N_DB, e.g. "postgresql://user@db.example.org/bpod" (passwords: ~/.pgpass).
database = "{DEFAULT_DB}"
# Seconds to wait for another command that is writing before giving up (exit code 3).
# lock_timeout = {DEFAULT_LOCK_TIMEOUT:g}
locales_dir = "locales"
glossary_dir = "glossary"

[people]
# Who may act. Closed: every reviewer and translator is a person of the project (`bpod-i18n
# people add`), named by handle or e-mail, and only reviewers of a locale approve in it.
# Open: anyone may act under any name (a one-person project). Unset: open until the project
# has two people, closed from then on.
# open = false

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
{modes_line}

[mt.providers.libre]
url = "http://127.0.0.1:5000/"
api_key_env = "LIBRE_API_KEY"

[emit]
{credit_line}
original_url = "https://bpod.org.uk/archive/{{slug}}"

[check]
max_untranslated = 0
max_fuzzy = 0

# A locale's PO Plural-Forms header, when the one from CLDR (Babel) is not what your tools
# expect: "nplurals=N; plural=EXPR;" with EXPR a C expression of n giving 0 to N-1.
# [po]
# plural_forms = {{ {locales[0]} = "nplurals=2; plural=(n != 1);" }}

# Site lines `ingest` should drop wherever they stand (a seasonal greeting, a new banner):
# whole lines, case and runs of spaces ignored; "re:PATTERN" for a regular expression.
# [ingest]
# extra_chrome = ["Season's Greetings from all at BPoD!"]
"""


DEFAULT_CONFIG = default_config()


def validate_locale(code: str, *, path: str | None = None) -> str:
    """Return the CLDR form of ``code`` or raise; "xx" and "cat" are refused, "ca" is not."""
    try:
        return _cldr_code(code)
    except ValueError as exc:
        raise UsageError(f"unknown locale code {code!r} ({exc})", path=path) from None


def _cldr_code(code: str) -> str:
    """``code`` with "-" as "_" if it is a CLDR locale code; ValueError says why not."""
    normal = code.replace("-", "_")
    try:
        parsed = str(Locale.parse(normal))
    except (UnknownLocaleError, ValueError, TypeError):
        raise ValueError("expected a CLDR code such as ca, es, pt_BR") from None
    # Babel also reads ISO 639-3 codes and old aliases ("cat" as ca_ES, "iw" as he_IL). A
    # project names a locale by its CLDR code only, or paths, PO headers and settings disagree.
    if parsed.lower() != normal.lower():
        raise ValueError(f"an alias of {parsed}: write its CLDR code, e.g. {parsed.split('_')[0]}")
    return normal


@dataclass(frozen=True)
class ProviderConfig:
    """One ``[mt.providers.<name>]`` table. None: not written, the provider's default applies
    (the defaults live in one place, ``bpod_i18n.mt.ProviderSettings``)."""

    url: str | None = None
    api_key_env: str | None = None  # the NAME of the variable holding the key, never the key
    timeout: float | None = None
    deadline: float | None = None
    max_retries: int | None = None
    backoff_base: float | None = None
    backoff_max: float | None = None
    max_retry_after: float | None = None
    concurrency: int | None = None
    variant: str | None = None
    region: str | None = None
    modes: Mapping[str, str] | None = None

    def table(self) -> dict[str, Any]:
        """The keys written, in the shape ``bpod_i18n.mt.settings_from_table`` reads."""
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not None}


@dataclass(frozen=True)
class MTSettings:
    """``[mt]``: the default provider, the translation memory's threshold, provider tables."""

    provider: str = "apertium"
    fuzzy_threshold: float = 75.0  # percent
    providers: Mapping[str, ProviderConfig] = field(default_factory=dict)

    def table(self) -> dict[str, Any]:
        """The section in the shape ``bpod_i18n.mt.provider_from_config`` reads."""
        return {
            "provider": self.provider,
            "fuzzy_threshold": self.fuzzy_threshold,
            "providers": {name: provider.table() for name, provider in self.providers.items()},
        }


@dataclass(frozen=True)
class EmitSettings:
    """``[emit]``: what the mirror's pages say beside the translation."""

    translator_credit: Mapping[str, str] = field(default_factory=dict)  # locale → a name
    original_url: str | None = None  # with {slug}, {year}, {month}, {day}
    date_pattern: Mapping[str, str] = field(default_factory=dict)  # locale → a CLDR pattern

    def table(self) -> dict[str, Any]:
        """The keys written, as in the file: emit's fingerprint of its options (a change
        re-renders every page, so it stays what it was when this section was a plain dict)."""
        values: dict[str, Any] = {
            "translator_credit": dict(self.translator_credit),
            "original_url": self.original_url,
            "date_pattern": dict(self.date_pattern),
        }
        return {key: value for key, value in values.items() if value}


@dataclass(frozen=True)
class Limits:
    """``[limits]``: the largest inputs bpod-i18n accepts (see README, "Settings")."""

    entry_file_size: int = DEFAULT_ENTRY_FILE_SIZE  # bytes of one English entry file (ingest)
    po_file_size: int = DEFAULT_PO_FILE_SIZE  # bytes of one PO file (import, check)
    translation_length: int = DEFAULT_TRANSLATION_LENGTH  # characters of one translation

    def check_translation(self, text: str) -> str | None:
        """Why ``text`` is refused as a translation, or None."""
        if len(text) <= self.translation_length:
            return None
        return (
            f"the translation is {len(text)} characters long, over the limit of {self.translation_length} "
            f"([limits] translation_length in {CONFIG_NAME})"
        )


@dataclass(frozen=True)
class IngestSettings:
    """``[ingest]``: how English pages are read."""

    # Site lines to drop wherever they stand (a seasonal greeting, a new banner): whole lines,
    # case and runs of spaces ignored, or "re:PATTERN" for a regular expression.
    extra_chrome: tuple[str, ...] = ()


MIRROR_STATES = ("translated", "reviewed", "machine")


@dataclass(frozen=True)
class MirrorSettings:
    """``[mirror]``: how `mirror import` stores the published mirror's translations."""

    # State of a unit given a confident 1-1 link: "translated" (published, never reviewed in
    # this project), "reviewed" (the mirror's checks count as review) or "machine" (suggestions only).
    state: str = "translated"
    # A 1-1 link at or above this confidence (0-1) becomes the unit's translation; below it,
    # a suggestion (fuzzy) only.
    min_confidence: float = 0.75
    # Apertium mode used to compare the English with the mirror's text, per locale (default: the
    # provider's mode for the locale, see [mt.providers.apertium] modes).
    modes: Mapping[str, str] = field(default_factory=dict)


# Statuses a new post may get (WordPress's own names); an existing post keeps whatever its
# editors gave it.
POST_STATUSES = ("draft", "publish", "pending", "private")
LABEL_TERMS = ("category", "tag", "none")


@dataclass(frozen=True)
class WordPressSettings:
    """``[publish.wordpress]``: the mirror's WordPress site that ``publish`` writes to.

    The application password is never here: only the NAME of the environment variable
    holding it (``password_env``), read when a command needs it."""

    url: str  # the site's address, e.g. https://bpod.cat
    user: str
    locale: str  # the one locale this site shows: publishing another is refused
    password_env: str = "BPOD_WP_APP_PASSWORD"
    api_url: str | None = None  # the REST API root; default <url>/wp-json/
    post_type: str = "post"
    rest_base: str = "posts"  # the post type's REST route: /wp/v2/<rest_base>
    status: str = "draft"  # status of new posts
    categories: Mapping[str, str] = field(default_factory=dict)  # English event label → category
    tags: Mapping[str, str] = field(default_factory=dict)  # English event label → tag
    default_category: str | None = None  # a category every published post gets
    unmapped_labels: str = "category"  # a label in neither table: its translation as a category, a tag, or none
    timezone: str | None = None  # IANA name; None: the site's own (REST), UTC (WXR)
    timeout: float = 30.0  # seconds per request
    max_retries: int = 4  # after a 429, a 5xx or a connection error
    backoff_base: float = 0.5  # seconds; doubled at each retry
    backoff_max: float = 30.0
    concurrency: int = 4  # requests in flight at once


@dataclass
class Config:
    root: Path
    source_language: str = "en"
    locales: list[str] = field(default_factory=lambda: list(DEFAULT_LOCALES))
    database: str = DEFAULT_DB
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT
    locales_dir: Path = Path("locales")
    glossary_dir: Path = Path("glossary")
    allow_self_review: bool = False
    # [people] open: True anyone may act under any name; False only known people, by their
    # roles; None (unset) open while the project has fewer than two people.
    open_mode: bool | None = None
    publish_state: str = "reviewed"
    user: str = ""
    mt: MTSettings = field(default_factory=MTSettings)
    emit: EmitSettings = field(default_factory=EmitSettings)
    ingest: IngestSettings = field(default_factory=IngestSettings)
    mirror: MirrorSettings = field(default_factory=MirrorSettings)
    check: GateSettings = field(default_factory=GateSettings)
    limits: Limits = field(default_factory=Limits)
    # [publish.wordpress]; None: not configured (publish --wxr needs no site, the rest does).
    wordpress: WordPressSettings | None = None
    # [po] plural_forms: locale → the whole Plural-Forms header value, validated.
    plural_forms: dict[str, str] = field(default_factory=dict)
    # Line of every key of the file, for errors found later (an unknown check id is known
    # only once the checks are loaded).
    lines: Mapping[KeyPath, int] = field(default_factory=dict, repr=False)
    shown_path: str = CONFIG_NAME  # the file as messages name it

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
            return prefix + str((self.root / url[len(prefix) :]).resolve())
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

    def locate(self, error: ConfigError) -> ConfigError:
        """``error`` (raised with a key path by code that has no text) at its file and line."""
        return _located(error, self.shown_path, self.lines)


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
    shown = _shown(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start})", path=shown) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", path=shown) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # Python < 3.14 puts the position only into the message: "... (at line 3, column 5)".
        where = re.search(r"\s*\(at line (\d+), column \d+\)$", str(exc))
        message = str(exc)[: where.start()] if where else str(exc)
        raise InputError(f"not valid TOML: {message}", path=shown, line=int(where[1]) if where else None) from None
    except RecursionError:  # tomllib parses nested arrays and tables recursively
        raise InputError("not valid TOML: nested too deeply", path=shown) from None
    except ValueError as exc:  # an integer of more than 4 300 digits
        digits = re.search(r"value has (\d+) digits", str(exc))
        what = f"a number of {digits[1]} digits, too long to be one" if digits else str(exc).splitlines()[0]
        raise InputError(f"not valid TOML: {what}", path=shown) from None
    lines = key_lines(text)
    try:
        config = _read(data, path.parent)
    except ConfigError as exc:
        raise _located(exc, shown, lines) from None
    _refuse_readable_password(path, config.database, shown, lines)
    config.lines = lines
    config.shown_path = shown
    if env.get("BPOD_I18N_DB"):
        config.database = env["BPOD_I18N_DB"]
    config.user = env.get("BPOD_I18N_USER") or _login_name()
    return config


def _refuse_readable_password(path: Path, database: str, shown: str, lines: Mapping[KeyPath, int]) -> None:
    """A settings file that holds a database password must be private to its owner (mode
    0600), as libpq wants of ~/.pgpass: refused rather than read while others can read it."""
    if not url_passwords(database):
        return
    try:
        mode = path.stat().st_mode & 0o777
    except OSError:
        return
    if mode & 0o077:
        raise ConfigError(
            f"[project] database holds a password and this file can be read by others (mode {mode:04o}): "
            f"run `chmod 600 {shown}`, or better, keep the password in ~/.pgpass or PGPASSWORD",
            path=shown,
            line=line_of(lines, ("project", "database")),
        )


def _shown(path: Path) -> str:
    """The file as a message names it: relative to the current folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


def _located(error: ConfigError, shown: str, lines: Mapping[KeyPath, int]) -> ConfigError:
    if error.key is None or error.line is not None:
        return error
    return ConfigError(error.message, path=shown, line=line_of(lines, error.key), key=error.key)


# --- validation -----------------------------------------------------------------------------

T = TypeVar("T")


class _Invalid(Exception):
    """What is wrong with one value (the words after its key), and how deep inside it."""

    def __init__(self, problem: str, inner: KeyPath = ()):
        super().__init__(problem)
        self.problem = problem
        self.inner = inner


def _must(expected: str, value: object) -> _Invalid:
    return _Invalid(f"must be {expected}, not {show(value)}")


Parser = Callable[[Any], Any]


class _Table:
    """One table of the file: refuses keys it does not know, hands out typed values."""

    def __init__(self, data: object, key: KeyPath, known: Collection[str], *, noun: str = "setting"):
        if not isinstance(data, Mapping):
            raise ConfigError(f"{table_name(key)} must be a table, not {show(data)}", key=key)
        self.data = data
        self.key = key
        for name in data:
            if name not in known:
                raise ConfigError(
                    f"{table_name(key)} unknown {noun} {show(name)} (known: {', '.join(sorted(known))})",
                    key=(*key, name),
                )

    def get(self, name: str, parse: Callable[[Any], T], default: T) -> T:
        if name not in self.data:
            return default
        try:
            return parse(self.data[name])
        except _Invalid as bad:
            where = dotted((name, *bad.inner))
            joiner = " " if bad.problem.startswith("must ") else ": "
            raise ConfigError(
                f"{table_name(self.key)} {where}{joiner}{bad.problem}", key=(*self.key, name, *bad.inner)
            ) from None


def _text(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _must("a non-empty string", value)
    return value


def _flag(value: object) -> bool:
    if not isinstance(value, bool):  # "false" is a string, and bool("false") is True
        raise _must("true or false", value)
    return value


def _number(expected: str, accept: Callable[[float], bool]) -> Callable[[Any], float]:
    def parse(value: object) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or not accept(value):
            raise _must(expected, value)
        return float(value)

    return parse


def _whole(minimum: int) -> Callable[[Any], int]:
    def parse(value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise _must(f"a whole number >= {minimum}", value)
        return value

    return parse


def _choice(options: Sequence[str]) -> Callable[[Any], str]:
    def parse(value: object) -> str:
        if value not in options:
            raise _must("one of " + ", ".join(show(option) for option in options), value)
        return str(value)

    return parse


def _locale_code(value: object) -> str:
    if not isinstance(value, str):
        raise _must("a locale code such as ca, es, pt_BR", value)
    try:
        return _cldr_code(value)
    except ValueError as exc:
        raise _Invalid(f"unknown locale code {show(value)} ({exc})") from None


def _locale_list(value: object) -> list[str]:
    if not isinstance(value, list) or not value:
        raise _must('a list of locale codes such as ["ca", "es"]', value)
    codes: list[str] = []
    for item in value:
        code = _locale_code(item)
        if code in codes:
            raise _Invalid(f"lists {show(item)} twice")
        codes.append(code)
    return codes


def _per_locale(
    locales: Sequence[str], parser_for: Callable[[str], Callable[[Any], T]], example: str
) -> Callable[[Any], dict[str, T]]:
    """A table of locale → value whose keys are the project's locales; ``parser_for(locale)``
    checks one value (a date pattern is tried in its own locale)."""

    def parse_table(value: object) -> dict[str, T]:
        if not isinstance(value, Mapping):
            raise _must(f"a table of locales, e.g. {{ {locales[0]} = {example} }}", value)
        out: dict[str, T] = {}
        for name, item in value.items():
            try:
                code = _locale_code(name)
                if code not in locales:
                    raise _Invalid(f"{name} is not one of the project's locales ({', '.join(locales)})")
                out[code] = parser_for(code)(item)
            except _Invalid as bad:
                raise _Invalid(bad.problem, (name, *bad.inner)) from None
        return out

    return parse_table


def _any_locale(parse: Callable[[Any], T]) -> Callable[[str], Callable[[Any], T]]:
    return lambda _locale: parse


# Pattern letters of a date (CLDR): era, years, quarters, months, weeks, days, weekdays. The
# others are times and zones, which an entry's date has not (Babel fails or prints "None").
_DATE_FIELDS = frozenset("GyYuUrQqMLlwWdDFgEec")


def _date_pattern(locale: str) -> Callable[[Any], str]:
    def parse(value: object) -> str:
        pattern = _text(value)
        # Imported here: Babel's dates cost every command 20 ms, and few projects set this.
        from babel.dates import format_date, tokenize_pattern

        try:
            tokens = tokenize_pattern(pattern)
        except Exception as exc:  # Babel's own errors are ValueError, TypeError, IndexError...
            raise _Invalid(f"{show(pattern)} is not a CLDR date pattern ({type(exc).__name__}: {exc})") from None
        letters = {token[1][0] for token in tokens if token[0] == "field"}
        if letters - _DATE_FIELDS:
            unknown = ", ".join(sorted(letters - _DATE_FIELDS))
            raise _Invalid(f"{show(pattern)} uses {unknown}: not a field of a date (hours, zones, or unknown)")
        if not {"d"} <= letters or not letters & {"M", "L"} or not letters & {"y", "Y", "u"}:
            raise _Invalid(
                f"{show(pattern)} must show the day (d), the month (M or L) and the year (y) of an entry, "
                "e.g. \"d 'de' MMMM 'de' y\""
            )
        try:  # the one real test of a CLDR pattern: format a date with it in its locale
            format_date(dt.date(2016, 7, 22), pattern, locale=locale)
        except Exception as exc:
            raise _Invalid(
                f"{show(pattern)} is not a CLDR date pattern Babel can use ({type(exc).__name__}: {exc})"
            ) from None
        return pattern

    return parse


def plural_forms_value(value: object) -> str:
    """A PO ``Plural-Forms`` value, checked and normalised by the PO layer's one rule."""
    from bpod_i18n.po.plurals import PluralFormsError, validate

    example = '"nplurals=2; plural=(n != 1);"'
    if not isinstance(value, str):
        raise _must(f"a Plural-Forms value such as {example}", value)
    try:
        return validate(value)[1]
    except PluralFormsError as exc:
        raise _Invalid(str(exc)) from None


_SECTIONS = ("project", "people", "review", "mt", "emit", "mirror", "check", "po", "ingest", "limits", "publish")
_PROJECT_KEYS = ("source_language", "locales", "database", "lock_timeout", "locales_dir", "glossary_dir")


def _read(data: Mapping[str, Any], root: Path) -> Config:
    known = ", ".join(table_name((name,)) for name in _SECTIONS)
    for name, value in data.items():
        if name in _SECTIONS:
            continue
        if isinstance(value, Mapping):
            raise ConfigError(f"unknown section {table_name((name,))} (known: {known})", key=(name,))
        # e.g. "locales = [...]" written above every table header: a key of no section
        raise ConfigError(f"{show(name)} is outside any section; known sections: {known}", key=(name,))
    project = _Table(data.get("project", {}), ("project",), _PROJECT_KEYS)
    locales = project.get("locales", _locale_list, list(DEFAULT_LOCALES))
    review = _Table(data.get("review", {}), ("review",), ("allow_self_review", "publish_state"))
    po = _Table(data.get("po", {}), ("po",), ("plural_forms",))
    limits = _Table(data.get("limits", {}), ("limits",), ("entry_file_size", "po_file_size", "translation_length"))
    people = _Table(data.get("people", {}), ("people",), ("open",))
    return Config(
        root=root,
        source_language=project.get("source_language", _locale_code, "en"),
        locales=locales,
        database=project.get("database", _text, DEFAULT_DB),
        lock_timeout=project.get(
            "lock_timeout", _number("a number of seconds > 0", lambda v: v > 0), DEFAULT_LOCK_TIMEOUT
        ),
        locales_dir=Path(project.get("locales_dir", _text, "locales")),
        glossary_dir=Path(project.get("glossary_dir", _text, "glossary")),
        allow_self_review=review.get("allow_self_review", _flag, False),
        open_mode=people.get("open", _flag, None),
        publish_state=review.get("publish_state", _choice(PUBLISH_STATES), "reviewed"),
        mt=_mt(data.get("mt", {}), locales),
        emit=_emit(data.get("emit", {}), locales),
        ingest=_ingest(data.get("ingest", {})),
        mirror=_mirror(data.get("mirror", {}), locales),
        check=GateSettings.from_mapping(data.get("check", {}), locales=locales),
        plural_forms=po.get(
            "plural_forms", _per_locale(locales, _any_locale(plural_forms_value), '"nplurals=2; plural=(n != 1);"'), {}
        ),
        limits=Limits(
            entry_file_size=limits.get("entry_file_size", _whole(1), DEFAULT_ENTRY_FILE_SIZE),
            po_file_size=limits.get("po_file_size", _whole(1), DEFAULT_PO_FILE_SIZE),
            translation_length=limits.get("translation_length", _whole(1), DEFAULT_TRANSLATION_LENGTH),
        ),
        wordpress=_publish(data.get("publish", {}), locales),
    )


def _mt(data: object, locales: Sequence[str]) -> MTSettings:
    mt = _Table(data, ("mt",), ("provider", "fuzzy_threshold", "providers"))
    tables = _Table(mt.data.get("providers", {}), ("mt", "providers"), PROVIDER_NAMES, noun="provider")
    return MTSettings(
        provider=mt.get("provider", _choice(PROVIDER_NAMES), "apertium"),
        fuzzy_threshold=mt.get("fuzzy_threshold", _number("a number from 1 to 100", lambda v: 1 <= v <= 100), 75.0),
        providers={name: _provider(table, name, locales) for name, table in tables.data.items()},
    )


def _provider(data: object, name: str, locales: Sequence[str]) -> ProviderConfig:
    parsers: dict[str, Parser] = {
        "url": _text,
        "api_key_env": _text,
        "timeout": _number("a number of seconds > 0", lambda v: v > 0),
        "deadline": _number("a number of seconds > 0", lambda v: v > 0),
        "max_retries": _whole(0),
        "backoff_base": _number("a number of seconds >= 0", lambda v: v >= 0),
        "backoff_max": _number("a number of seconds >= 0", lambda v: v >= 0),
        "max_retry_after": _number("a number of seconds >= 0", lambda v: v >= 0),
        "concurrency": _whole(1),
        "variant": _text,
        "region": _text,
        "modes": _per_locale(locales, _any_locale(_text), '"eng-cat"'),
    }
    table = _Table(data, ("mt", "providers", name), parsers)
    return ProviderConfig(**{key: table.get(key, parse, None) for key, parse in parsers.items()})


def _emit(data: object, locales: Sequence[str]) -> EmitSettings:
    emit = _Table(data, ("emit",), ("translator_credit", "original_url", "date_pattern"))
    return EmitSettings(
        translator_credit=emit.get(
            "translator_credit", _per_locale(locales, _any_locale(_text), '"Universitat de València"'), {}
        ),
        original_url=emit.get("original_url", _text, None),
        date_pattern=emit.get("date_pattern", _per_locale(locales, _date_pattern, "\"d 'de' MMMM 'de' y\""), {}),
    )


def _chrome_lines(value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise _must(
            'a list of site lines, e.g. ["Season\'s greetings from BPoD!", "re:Now in our \\d+th year.*"]', value
        )
    for index, item in enumerate(value):
        if item.startswith("re:"):
            try:
                re.compile(item[3:])
            except re.error as exc:
                raise _Invalid(f"item {index + 1}: {item!r} is not a regular expression ({exc})") from None
    return tuple(value)


def _ingest(data: object) -> IngestSettings:
    ingest = _Table(data, ("ingest",), ("extra_chrome",))
    return IngestSettings(extra_chrome=ingest.get("extra_chrome", _chrome_lines, ()))


def _mirror(data: object, locales: Sequence[str]) -> MirrorSettings:
    mirror = _Table(data, ("mirror",), ("state", "min_confidence", "modes"))
    return MirrorSettings(
        state=mirror.get("state", _choice(MIRROR_STATES), "translated"),
        min_confidence=mirror.get(
            "min_confidence", _number("a number from 0 to 1", lambda v: 0 <= v <= 1), MirrorSettings.min_confidence
        ),
        modes=mirror.get("modes", _per_locale(locales, _any_locale(_text), '"eng-cat_valencia"'), {}),
    )


def _http_url(value: object) -> str:
    text = _text(value)
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in text):
        raise _must("an http(s) URL such as https://bpod.cat", value)
    if parts.username or parts.password:  # the password belongs in the environment, not here
        raise _Invalid("must not hold a user name or password: set user and password_env instead")
    return text


def _env_name(value: object) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", value):
        raise _must("the NAME of an environment variable, such as BPOD_WP_APP_PASSWORD", value)
    return value


def _name_table(value: object) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise _must('a table such as { "Born on this Day" = "Nascuts avui" }', value)
    out: dict[str, str] = {}
    for name, item in value.items():
        try:
            out[str(name)] = _text(item)
        except _Invalid as bad:
            raise _Invalid(bad.problem, (name,)) from None
    return out


def _timezone(value: object) -> str:
    text = _text(value)
    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise _must("an IANA time zone such as Europe/Madrid", value) from None
    return text


def _publish(data: object, locales: Sequence[str]) -> WordPressSettings | None:
    publish = _Table(data, ("publish",), ("wordpress",), noun="target")
    if "wordpress" not in publish.data:
        return None
    key = ("publish", "wordpress")
    parsers: dict[str, Parser] = {
        "url": _http_url,
        "api_url": _http_url,
        "user": _text,
        "password_env": _env_name,
        "locale": _locale_code,
        "post_type": _text,
        "rest_base": _text,
        "status": _choice(POST_STATUSES),
        "categories": _name_table,
        "tags": _name_table,
        "unmapped_labels": _choice(LABEL_TERMS),
        "default_category": _text,
        "timezone": _timezone,
        "timeout": _number("a number of seconds > 0", lambda v: v > 0),
        "max_retries": _whole(0),
        "backoff_base": _number("a number of seconds >= 0", lambda v: v >= 0),
        "backoff_max": _number("a number of seconds >= 0", lambda v: v >= 0),
        "concurrency": _whole(1),
    }
    table = _Table(publish.data["wordpress"], key, parsers)
    values = {name: table.get(name, parse, None) for name, parse in parsers.items()}
    for required in ("url", "user"):
        if values[required] is None:
            raise ConfigError(f"{table_name(key)} needs {required}", key=key)
    locale = values["locale"]
    if locale is None:
        if len(locales) != 1:  # a Catalan site must never receive Spanish posts by default
            raise ConfigError(f"{table_name(key)} needs locale: the one locale this site shows", key=key)
        locale = locales[0]
    elif locale not in locales:
        raise ConfigError(
            f"{table_name(key)} locale {locale} is not one of the project's locales ({', '.join(locales)})",
            key=(*key, "locale"),
        )
    post_type = values["post_type"] or "post"
    given = {name: value for name, value in values.items() if value is not None}
    given.update(
        locale=locale,
        post_type=post_type,
        rest_base=values["rest_base"] or {"post": "posts", "page": "pages"}.get(post_type, post_type),
    )
    return WordPressSettings(**given)


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"

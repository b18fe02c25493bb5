"""bpod-i18n.toml validated by type: every refusal is one line naming the file and the line of
the key, exit 2, before the command does anything."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bpod_i18n import config as config_module
from bpod_i18n.checks import Severity
from bpod_i18n.cli import app
from bpod_i18n.config import default_config, parse_config
from bpod_i18n.gate_settings import SEVERITY_NAMES
from bpod_i18n.mt import PROVIDER_NAMES, ProviderSettings
from bpod_i18n.tomlkeys import key_lines

PO_EXAMPLE = '# [po]\n# plural_forms = { ca = "nplurals=2; plural=(n != 1);" }'


def run(*args: str):
    """The real CLI, started in the current folder (the project: the file is named bpod-i18n.toml)."""
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def edit(project_dir: Path, old: str, new: str) -> str:
    path = project_dir / "bpod-i18n.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return text


def line_with(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


CASES = [
    pytest.param(
        "allow_self_review = false",
        'allow_self_review = "false"',
        'allow_self_review = "false"',
        '[review] allow_self_review must be true or false, not "false"',
        id="string-bool",
    ),
    pytest.param(
        'locales = ["ca", "es"]',
        'locales = "ca"',
        'locales = "ca"',
        '[project] locales must be a list of locale codes such as ["ca", "es"], not "ca"',
        id="locales-string",
    ),
    pytest.param(
        'database = "sqlite:///.bpod-i18n/state.db"',
        "database = 42",
        "database = 42",
        "[project] database must be a non-empty string, not 42",
        id="database-int",
    ),
    pytest.param(
        'api_key_env = "LIBRE_API_KEY"',
        'api_key_env = "LIBRE_API_KEY"\ntimeout = "abc"',
        'timeout = "abc"',
        '[mt.providers.libre] timeout must be a number of seconds > 0, not "abc"',
        id="timeout-string",
    ),
    pytest.param(
        "allow_self_review = false",
        "allow_self_review = false\nallow_self_reveiw = true",
        "allow_self_reveiw",
        '[review] unknown setting "allow_self_reveiw" (known: allow_self_review, publish_state)',
        id="unknown-key",
    ),
    pytest.param(
        "[review]",
        "[reveiw]",
        "[reveiw]",
        "unknown section [reveiw] (known: [project], [people], [review], [mt], [emit], [mirror], [check], [po], [ingest], [limits], [publish])",
        id="unknown-section",
    ),
    pytest.param(
        'locales = ["ca", "es"]',
        'locales = ["ca", "xx"]',
        "locales =",
        '[project] locales: unknown locale code "xx" (expected a CLDR code such as ca, es, pt_BR)',
        id="unknown-locale",
    ),
    pytest.param(
        'locales = ["ca", "es"]',
        'locales = ["cat", "es"]',
        "locales =",
        '[project] locales: unknown locale code "cat" (an alias of ca_ES: write its CLDR code, e.g. ca)',
        id="alias-locale",
    ),
    pytest.param(
        'translator_credit = { ca = "Universitat de València" }',
        'translator_credit = { fr = "Université" }',
        "translator_credit",
        "[emit] translator_credit.fr: fr is not one of the project's locales (ca, es)",
        id="locale-not-in-project",
    ),
    pytest.param(
        "max_fuzzy = 0",
        'max_fuzzy = 0\n\n[check.locales.es]\nmax_fuzzy = "ten"',
        'max_fuzzy = "ten"',
        '[check.locales.es] max_fuzzy must be a whole number >= 0 or "unlimited", not "ten"',
        id="check-locale-type",
    ),
    pytest.param(
        "max_fuzzy = 0",
        "max_fuzzy = 0\nmax_fuzy = 3",
        "max_fuzy",
        '[check] unknown setting "max_fuzy"',
        id="check-unknown-key",
    ),
    pytest.param(
        'provider = "apertium"',
        'provider = "deepel"',
        'provider = "deepel"',
        '[mt] provider must be one of "apertium", "deepl", "google", "libre", "microsoft", "mymemory", not "deepel"',
        id="unknown-provider",
    ),
    pytest.param(
        'modes = { ca = "eng-cat", es = "eng-spa" }',
        'modes = { ca = "eng-cat", es = 7 }',
        "modes =",
        "[mt.providers.apertium] modes.es must be a non-empty string, not 7",
        id="inline-table-value",
    ),
    pytest.param(
        'original_url = "https://bpod.org.uk/archive/{slug}"',
        'original_url = "https://bpod.org.uk/archive/{slug}"\ndate_pattern.ca = "d MMMM zz"',
        "date_pattern",
        '[emit] date_pattern.ca: "d MMMM zz" uses z: not a field of a date (hours, zones, or unknown)',
        id="date-pattern",
    ),
    pytest.param(
        "[check]",
        '[check]\nrequired = "some"',
        'required = "some"',
        '[check] required must be "all", "dated" or a list of entry slugs, not "some"',
        id="check-required",
    ),
]


@pytest.mark.parametrize(("old", "new", "where", "message"), CASES)
def test_a_bad_setting_is_one_line_naming_file_and_line(
    project_dir: Path, monkeypatch: pytest.MonkeyPatch, old: str, new: str, where: str, message: str
) -> None:
    text = edit(project_dir, old, new)
    monkeypatch.chdir(project_dir)
    result = run("status")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"error: bpod-i18n.toml:{line_with(text, where)}: {message}")
    assert result.stderr.count("\n") == 1


PLURAL_CASES = [
    pytest.param(
        "plural_forms = { ca = 2 }",
        '[po] plural_forms.ca must be a Plural-Forms value such as "nplurals=2; plural=(n != 1);", not 2',
        id="not-a-string",
    ),
    pytest.param(
        'plural_forms = { ca = "plural=(n != 1);" }',
        '[po] plural_forms.ca must look like "nplurals=2; plural=(n != 1);", not "plural=(n != 1);"',
        id="no-nplurals",
    ),
    pytest.param(
        'plural_forms = { ca = "nplurals=0; plural=0;" }',
        '[po] plural_forms.ca: nplurals must be a whole number >= 1, not "0"',
        id="zero-forms",
    ),
    pytest.param(
        'plural_forms = { ca = "nplurals=two; plural=(n != 1);" }',
        '[po] plural_forms.ca: nplurals must be a whole number >= 1, not "two"',
        id="forms-not-a-number",
    ),
    pytest.param(
        'plural_forms = { ca = "nplurals=2; plural=(n !! 1);" }',
        "[po] plural_forms.ca: plural=(n !! 1) is not a C plural expression gettext accepts",
        id="bad-expression",
    ),
    pytest.param(
        'plural_forms = { ca = "nplurals=2; plural=import os;" }',
        "[po] plural_forms.ca: plural=import os is not a C plural expression gettext accepts",
        id="not-c",
    ),
    pytest.param(
        'plural_forms = { ca = "nplurals=2; plural=(n > 1 ? 2 : 0);" }',
        "[po] plural_forms.ca: plural=(n > 1 ? 2 : 0) gives form 2 for n = 2; forms must be 0 to 1 with nplurals=2",
        id="form-too-high",
    ),
    pytest.param(
        'plural_forms = { ca = "nplurals=2; plural=(n < 5 ? 0 : 1 / (n - 7) * 0);" }',
        "[po] plural_forms.ca: plural=(n < 5 ? 0 : 1 / (n - 7) * 0) divides by zero for n = 7",
        id="division-by-zero",
    ),
    pytest.param(
        'plural_forms = { fr = "nplurals=2; plural=(n > 1);" }',
        "[po] plural_forms.fr: fr is not one of the project's locales (ca, es)",
        id="locale-not-in-project",
    ),
    pytest.param(
        'plural_forms = "nplurals=2; plural=(n != 1);"',
        '[po] plural_forms must be a table of locales, e.g. { ca = "nplurals=2; plural=(n != 1);" }, '
        'not "nplurals=2; plural=(n != 1);"',
        id="not-a-table",
    ),
]


@pytest.mark.parametrize(("setting", "message"), PLURAL_CASES)
def test_bad_plural_forms_are_refused_at_their_line(
    project_dir: Path, monkeypatch: pytest.MonkeyPatch, setting: str, message: str
) -> None:
    text = edit(project_dir, PO_EXAMPLE, f"[po]\n{setting}")
    monkeypatch.chdir(project_dir)
    result = run("status")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: bpod-i18n.toml:{line_with(text, 'plural_forms')}: {message}")
    assert result.stderr.count("\n") == 1


def test_plural_forms_are_stored_normalised_per_locale(project_dir: Path) -> None:
    edit(
        project_dir,
        PO_EXAMPLE,
        '[po]\nplural_forms.ca = " nplurals = 2 ; plural = (n != 1) "\n'
        'plural_forms.es = "nplurals=3; plural=(n == 1 ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2);"',
    )
    config = parse_config(project_dir / "bpod-i18n.toml")
    assert config.plural_forms == {
        "ca": "nplurals=2; plural=(n != 1);",
        "es": "nplurals=3; plural=(n == 1 ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2);",
    }


def test_the_check_gate_names_the_line_of_an_unknown_check_id(
    project_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Check ids are known only once the checks are loaded: `check` still names the line.
    text = edit(project_dir, "max_fuzzy = 0", 'max_fuzzy = 0\nerrors = ["nubmers"]')
    (project_dir / "locales" / "ca").mkdir(parents=True, exist_ok=True)
    (project_dir / "locales" / "ca" / "site.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: ca\\n"\n', encoding="utf-8"
    )
    monkeypatch.chdir(project_dir)
    result = run("check", "--no-db")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f'error: bpod-i18n.toml:{line_with(text, "nubmers")}: [check] errors: unknown check id "nubmers"; known: '
    )
    # The same id from the command line has no line to name.
    result = run("check", "--no-db", "--off", "nubmers")
    assert result.exit_code == 2


def test_the_gate_reads_a_bad_config_too(project_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = edit(project_dir, "allow_self_review = false", "allow_self_review = 1")
    monkeypatch.chdir(project_dir)
    result = run("check", "--no-db")
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: bpod-i18n.toml:{line_with(text, 'allow_self_review')}: "
        "[review] allow_self_review must be true or false, not 1\n"
    )


def test_outside_the_project_the_path_is_named_whole(project_dir: Path) -> None:
    text = edit(project_dir, "allow_self_review = false", 'allow_self_review = "no"')
    result = CliRunner().invoke(app, ["-C", str(project_dir), "status"], catch_exceptions=False)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {project_dir / 'bpod-i18n.toml'}:{line_with(text, 'allow_self_review')}: ")


def test_not_toml_names_the_line(project_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = edit(project_dir, 'publish_state = "reviewed"', "publish_state = reviewed")
    monkeypatch.chdir(project_dir)
    result = run("status")
    assert result.exit_code == 2
    assert result.stderr == f"error: bpod-i18n.toml:{line_with(text, 'publish_state')}: not valid TOML: Invalid value\n"


def test_environment_still_overrides_the_file(project_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BPOD_I18N_DB", "sqlite:////nowhere/else.db")
    monkeypatch.setenv("BPOD_I18N_USER", "marta")
    config = parse_config(project_dir / "bpod-i18n.toml")
    assert (config.database, config.user) == ("sqlite:////nowhere/else.db", "marta")


@pytest.mark.parametrize("locales", [["ca", "es"], ["fr"], ["pt_BR", "ca"], ["es"]])
def test_init_writes_a_file_that_passes_and_whose_po_example_passes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, locales: list[str]
) -> None:
    monkeypatch.setenv("BPOD_I18N_DB", f"sqlite:///{tmp_path / 'state.db'}")
    result = CliRunner().invoke(
        app, ["-C", str(tmp_path), "init", *(f"--locale={lc}" for lc in locales)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    path = tmp_path / "bpod-i18n.toml"
    text = path.read_text(encoding="utf-8")
    config = parse_config(path)
    assert config.locales == locales and config.plural_forms == {}
    assert "# [po]\n# plural_forms = {" in text
    # The commented example is a working one.
    path.write_text(text.replace("# [po]\n# plural_forms", "[po]\nplural_forms"), encoding="utf-8")
    assert parse_config(path).plural_forms == {locales[0]: "nplurals=2; plural=(n != 1);"}


def test_init_refuses_an_unknown_locale_and_writes_nothing(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["-C", str(tmp_path), "init", "--locale", "cat"], catch_exceptions=False)
    assert result.exit_code == 2
    assert result.stderr == "error: unknown locale code 'cat' (an alias of ca_ES: write its CLDR code, e.g. ca)\n"
    assert list(tmp_path.iterdir()) == []


def test_key_lines_find_tables_dotted_keys_and_inline_tables() -> None:
    text = (
        '# a comment with key = "value"\n'  # 1
        "top = 1\n"  # 2
        '"quoted.key" = "a # not a comment"\n'  # 3
        'a.b."c d" = { e = 1, f = { g = [1, { h = 2 }] } }\n'  # 4
        's = """\n'  # 5
        "fake = 3\n"  # 6
        "[not.a.table]\n"  # 7
        '""""\n'  # 8
        "lit = '''x = 1'''\n"  # 9
        "arr = [\n"  # 10
        "  1, # fake = 2\n"  # 11
        '  "y = 3",\n'  # 12
        "]\n"  # 13
        "[mt.providers.libre]\n"  # 14
        "url = 'http://x'\n"  # 15
        "when = 1979-05-27 07:32:00\n"  # 16
        "[[runs]]\n"  # 17
        "n = 1\n"  # 18
        "[mt]\n"  # 19
        'provider = "libre"\n'  # 20
    )
    lines = key_lines(text)
    assert lines[("top",)] == 2
    assert lines[("quoted.key",)] == 3
    assert lines[("a", "b", "c d", "f", "g", "h")] == 4
    assert lines[("s",)] == 5 and ("fake",) not in lines and ("not",) not in lines
    assert lines[("lit",)] == 9 and lines[("arr",)] == 10
    assert lines[("mt", "providers", "libre", "url")] == 15
    assert lines[("mt", "providers", "libre", "when")] == 16
    assert lines[("runs", "n")] == 18
    assert lines[("mt",)] == 19  # the explicit header, not the first implicit mention (line 14)
    assert lines[("mt", "provider")] == 20


def test_lists_kept_in_two_places_agree() -> None:
    # config.py and gate_settings.py keep these names so that reading the settings loads
    # neither the mt package nor the checks package.
    assert config_module.PROVIDER_NAMES == PROVIDER_NAMES
    assert {f.name for f in dataclasses.fields(config_module.ProviderConfig)} == {
        f.name for f in dataclasses.fields(ProviderSettings)
    }
    assert tuple(s.value for s in Severity) == SEVERITY_NAMES


def test_reading_the_settings_loads_neither_checks_nor_mt(tmp_path: Path) -> None:
    import subprocess
    import sys

    (tmp_path / "bpod-i18n.toml").write_text(default_config(["ca", "es"]), encoding="utf-8")
    code = (
        "import sys; from pathlib import Path; from bpod_i18n.config import parse_config; "
        f"parse_config(Path({str(tmp_path / 'bpod-i18n.toml')!r})); "
        "print(sorted(m for m in sys.modules if m.startswith(('bpod_i18n.checks', 'bpod_i18n.mt', 'sqlalchemy'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"

"""The README's settings against `config.py`: every key the table names is a key the file may
have, every key the file may have is in the table, and every TOML example is accepted."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bpod_i18n.config import parse_config
from bpod_i18n.errors import ConfigError

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
BASE = '[project]\nlocales = ["ca", "es"]\n'


def _section(title: str) -> str:
    start = README.index(title)
    end = README.find("\n## ", start + 1)
    following = README.find("\n### ", start + 1)
    ends = [e for e in (end, following) if e != -1]
    return README[start : min(ends)] if ends else README[start:]


def _settings_table() -> dict[str, set[str]]:
    """Table of the README's settings section → {"[section]": {keys}} (continuation rows: the
    section cell left empty)."""
    found: dict[str, set[str]] = {}
    section = ""
    for line in _section("## Settings: `bpod-i18n.toml`").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 3 or not line.startswith("|") or (set(cells[0]) <= {"-"} and cells[0]):
            continue
        if cells[0] == "section":
            continue
        if cells[0]:
            section = cells[0]
        found.setdefault(section, set()).update(re.findall(r"`([a-z_]+)`", cells[1]))
    return found


def _known_keys(table: str, config_dir: Path) -> set[str]:
    """The keys config.py knows in ``table``, from its own refusal of an unknown one."""
    path = config_dir / "bpod-i18n.toml"
    prefix = "" if table == "project" else BASE
    path.write_text(f"{prefix}[{table}]\nzz_not_a_key = 1\n", encoding="utf-8")
    with pytest.raises(ConfigError) as refused:
        parse_config(path)
    listed = re.search(r"\(known: ([^)]*)\)", str(refused.value))
    assert listed, str(refused.value)
    return set(listed[1].split(", "))


def test_the_settings_table_names_exactly_the_keys_config_knows(tmp_path: Path) -> None:
    table = _settings_table()
    assert table["`[project]`"] == _known_keys("project", tmp_path)
    assert table["`[review]`"] == _known_keys("review", tmp_path)
    assert table["`[mt]`"] | {"providers"} == _known_keys("mt", tmp_path)  # providers: its own row
    assert table["`[mt.providers.<name>]`"] == _known_keys("mt.providers.libre", tmp_path)
    assert table["`[emit]`"] == _known_keys("emit", tmp_path)
    assert table["`[po]`"] == _known_keys("po", tmp_path)
    for section in ("people", "ingest", "mirror", "limits"):
        assert table[f"`[{section}]`"] == _known_keys(section, tmp_path), section
    # The gate's keys are described in the `check` section: each of them is named there.
    assert "`[check]`, `[check.locales.<lc>]`" in table
    check_section = _section("### `check`: the CI gate")
    gate_keys = _known_keys("check", tmp_path)
    assert {key for key in gate_keys if f"{key} =" not in check_section and f"`{key}`" not in check_section} == set()
    assert "[check.es]" not in README and "[check.<lc>]" not in README


def test_every_toml_example_of_the_readme_is_accepted(tmp_path: Path) -> None:
    blocks = re.findall(r"```toml\n(.*?)```", README, flags=re.S)
    assert len(blocks) >= 3
    path = tmp_path / "bpod-i18n.toml"
    for block in blocks:
        text = block if "[project]" in block else BASE + block
        path.write_text(text, encoding="utf-8")
        parse_config(path)  # raises with file:line if the README teaches a wrong key


def test_the_readme_says_db_upgrade_as_the_code_does() -> None:
    teams = _section("## Teams: PostgreSQL")
    assert "bpod-i18n db upgrade" in teams
    assert "run `bpod-i18n db upgrade`" in teams

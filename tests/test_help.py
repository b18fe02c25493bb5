"""`--help` of every command: options that take no value show none, examples keep their lines."""

from __future__ import annotations

import re

import pytest
import typer
from typer.testing import CliRunner

from bpod_i18n.cli import app


def _commands() -> list[tuple[str, ...]]:
    """The path of every command and group of the app, the app itself included."""
    found: list[tuple[str, ...]] = []

    def walk(command: object, path: tuple[str, ...]) -> None:
        found.append(path)
        for name, sub in sorted(getattr(command, "commands", {}).items()):
            walk(sub, (*path, name))

    walk(typer.main.get_command(app), ())
    return found


COMMANDS = _commands()


def _help_text(path: tuple[str, ...]) -> str:
    command = typer.main.get_command(app)
    for name in path:
        command = command.commands[name]  # type: ignore[attr-defined]  # groups only on the path
    return command.help or ""


def test_every_command_is_covered() -> None:
    names = {" ".join(path) for path in COMMANDS}
    assert {"", "init", "entries", "entries rename", "entries retire", "glossary list", "db upgrade"} <= names
    assert len(COMMANDS) > 25


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "bpod-i18n")
def test_help_has_no_type_labels_on_flags_and_examples_on_their_own_lines(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": "200", "NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    text = result.output
    assert "Usage: bpod-i18n" in text
    # A flag takes no value: no "<bool>"; a repeatable option shows one value, not a Python type.
    assert "<bool>" not in text
    assert "<list[" not in text
    assert re.search(r"--help\s+-h\s+Show this message", text), text
    # Every example of the docstring is a line of its own in the help (not run into the next).
    examples = [line.strip() for line in _help_text(path).splitlines() if line.strip().startswith("bpod-i18n ")]
    shown = {line.strip() for line in text.splitlines()}
    for example in examples:
        assert example in shown, f"example run together with others: {example!r}\n{text}"
    for line in text.splitlines():
        assert line.count("bpod-i18n ") <= 1 or line.strip().startswith("Usage:"), line


def test_value_options_still_show_their_value() -> None:
    result = CliRunner().invoke(app, ["export", "--help"], env={"COLUMNS": "200", "NO_COLOR": "1"})
    assert re.search(r"--locale\s+-l\s+<str>\s+Target locale", result.output)
    assert re.search(r"--entry\s+-e\s+<str>\s+Only this entry \(repeat\)", result.output)
    assert re.search(r"--no-glossary\s+Leave glossary hints", result.output)
    glossary = CliRunner().invoke(app, ["glossary", "list", "--help"], env={"COLUMNS": "200", "NO_COLOR": "1"})
    lines = [line.strip() for line in glossary.output.splitlines()]
    assert "bpod-i18n glossary list -l ca" in lines
    assert "bpod-i18n glossary list -l es --search cell --json" in lines

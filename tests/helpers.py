"""Small helpers the tests share (not fixtures: plain functions)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import polib
from sqlalchemy import select

from bpod_i18n.store.models import Base
from bpod_i18n.workflow.project import Project


def snapshot(project: Project) -> dict[str, list[tuple]]:
    """Every row of every table, to assert that a refused command stored nothing."""
    with project.store.engine.connect() as conn:
        return {
            table.name: sorted(tuple(map(str, row)) for row in conn.execute(select(table)))
            for table in Base.metadata.sorted_tables
        }


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def translate_po(
    path: Path,
    translations: dict[str, str],
    *,
    fuzzy: set[str] = frozenset(),
    translator: str = "Marta Puig <marta@uv.es>",
) -> None:
    """Do what a translator does in Poedit: fill msgstr (by msgid), maybe leave fuzzy, save."""
    po = polib.pofile(str(path))
    po.metadata["Last-Translator"] = translator
    for entry in po:
        if entry.msgid in translations:
            entry.msgstr = translations[entry.msgid]
            if entry.msgid in fuzzy:
                if "fuzzy" not in entry.flags:
                    entry.flags.append("fuzzy")
            elif "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
                entry.previous_msgid = None
                entry.previous_msgctxt = None
    po.save(str(path))


def tree_state(folder: Path) -> dict[str, tuple[str, int, str]]:
    """Every entry under ``folder`` without following links: (kind, mode, content sha256 or
    link target), to assert that a refused command changed nothing, links included."""
    import os
    import stat as stat_module

    state: dict[str, tuple[str, int, str]] = {}
    if not folder.exists():
        return state
    for root, dirs, files in os.walk(folder, followlinks=False):
        for name in [*dirs, *files]:
            path = Path(root) / name
            st = path.lstat()
            if stat_module.S_ISLNK(st.st_mode):
                state[str(path.relative_to(folder))] = ("link", 0, os.readlink(path))
            elif stat_module.S_ISDIR(st.st_mode):
                state[str(path.relative_to(folder))] = ("dir", st.st_mode & 0o7777, "")
            else:
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
                state[str(path.relative_to(folder))] = ("file", st.st_mode & 0o7777, digest)
    return state


def one_line_error(result, code: int, *names: str) -> str:
    """The refusal of a CLI run: ``code``, one line on stderr naming each of ``names``, no
    traceback anywhere. Returns the line."""
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output
    assert result.exit_code == code, (result.exit_code, output)
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1, message
    for name in names:
        assert name in message, (name, message)
    return message

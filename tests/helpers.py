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

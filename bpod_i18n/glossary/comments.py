"""Glossary hints for translators, as PO extracted-comment lines (``#. glossary: ...``)."""

from __future__ import annotations

from collections.abc import Iterable

from bpod_i18n.glossary.matcher import Hit
from bpod_i18n.glossary.terms import Status

PREFIX = "glossary: "


def hint_lines(hits: Iterable[Hit]) -> list[str]:
    """One line per rendering, in order of appearance, each line once::

    glossary: T cell → limfòcit T
    glossary: organoid → organoide (admitted)
    glossary: Mus musculus (do not translate)
    glossary: avoid "cèl·lules de tija"
    """
    lines: dict[str, None] = {}
    for hit in sorted(hits, key=lambda h: h.start):
        for entry in hit.entries or (hit.term,):
            if entry.dnt:
                line = f"{entry.source} (do not translate)"
            elif entry.status is Status.FORBIDDEN:
                line = f'avoid "{entry.target}"'
            elif entry.status is Status.ADMITTED:
                line = f"{entry.source} → {entry.target} (admitted)"
            else:
                line = f"{entry.source} → {entry.target}"
            lines.setdefault(PREFIX + line)
    return list(lines)

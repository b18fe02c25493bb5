"""Termbase CSV: one row per rendering, a header naming the columns, UTF-8, ``\\n`` line ends.

::

    source,target,pos,status,dnt,case,note
    stem cells,cèl·lules mare,noun,preferred,no,,bpod.cat mirror
    stem cells,cèl·lules de tija,noun,forbidden,no,,Apertium gist error

``source`` and ``target`` are required columns; the others may be left out of the header.
A bad row makes the whole file fail (InputError with file and line): nothing half-read.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from bpod_i18n.errors import InputError
from bpod_i18n.glossary.terms import Case, Term, Termbase, make_term

COLUMNS = ("source", "target", "pos", "status", "dnt", "case", "note")
REQUIRED_COLUMNS = ("source", "target")
_YES_NO = {"yes": True, "no": False, "": False}


def parse_csv(text: str, *, path: str | Path, source_lang: str, target_lang: str) -> Termbase:
    """Read termbase CSV text; ``path`` is only used in error messages."""
    text = text.removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    terms: list[Term] = []
    seen: dict[tuple[str, str], int] = {}
    header: list[str] | None = None
    next_line = 1
    try:
        for row in reader:
            line, next_line = next_line, reader.line_num + 1
            if not row or all(not cell.strip() for cell in row):
                continue
            if header is None:
                header = _check_header(row, path, line)
                continue
            term = _parse_row(row, header, path, line)
            if term.key in seen:
                raise InputError(
                    f"{term.source!r} → {term.target!r} repeats line {seen[term.key]}", path=path, line=line
                )
            seen[term.key] = line
            terms.append(term)
    except csv.Error as exc:
        raise InputError(f"malformed CSV: {exc}", path=path, line=reader.line_num) from None
    if header is None:
        raise InputError(f"no header; the first line must be {','.join(COLUMNS)}", path=path, line=1)
    return Termbase(source_lang, target_lang, terms)


def _check_header(row: list[str], path: str | Path, line: int) -> list[str]:
    header = [cell.strip().lower() for cell in row]
    unknown = [name for name in header if name not in COLUMNS]
    if unknown:
        raise InputError(f"unknown column {unknown[0]!r}; columns are {', '.join(COLUMNS)}", path=path, line=line)
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise InputError(f"header lacks the {missing[0]!r} column", path=path, line=line)
    repeated = [name for name in header if header.count(name) > 1]
    if repeated:
        raise InputError(f"column {repeated[0]!r} appears twice", path=path, line=line)
    return header


def _parse_row(row: list[str], header: list[str], path: str | Path, line: int) -> Term:
    if len(row) != len(header):
        raise InputError(f"expected {len(header)} fields, found {len(row)}", path=path, line=line)
    cells = {name: value.strip() for name, value in zip(header, row, strict=True)}
    dnt_text = cells.get("dnt", "").lower()
    if dnt_text not in _YES_NO:
        raise InputError(f"dnt must be yes or no, not {cells['dnt']!r}", path=path, line=line)
    try:
        return make_term(
            cells["source"],
            cells["target"],
            pos=cells.get("pos", ""),
            status=cells.get("status", "").lower() or "preferred",
            dnt=_YES_NO[dnt_text],
            case=cells.get("case", "").lower() or "auto",
            note=cells.get("note", ""),
        )
    except ValueError as exc:
        raise InputError(str(exc), path=path, line=line) from None


def format_csv(termbase: Termbase) -> str:
    """Sorted, stable CSV text: the same termbase always gives the same bytes."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for term in sorted(termbase.terms, key=Term.sort_key):
        writer.writerow(
            [
                term.source,
                term.target,
                term.pos,
                term.status.value,
                "yes" if term.dnt else "no",
                "" if term.case is Case.AUTO else term.case.value,
                term.note,
            ]
        )
    return out.getvalue()

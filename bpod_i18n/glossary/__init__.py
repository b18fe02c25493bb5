"""The scientific glossary: termbases per language pair, term matching, hints, QA, suggestions.

Files: ``glossary/<src>-<tgt>.csv`` (or TBX). Model in ``terms``, I/O in ``csv_io``/``tbx_io``/
``files``; matching in ``matcher`` (source side) and ``target`` (translation side).
"""

from bpod_i18n.glossary.comments import hint_lines
from bpod_i18n.glossary.files import (
    export_tbx,
    import_into,
    load_pair,
    load_termbase,
    pair_from_path,
    read_termbase_file,
    save_pair,
    save_termbase,
    termbase_path,
)
from bpod_i18n.glossary.matcher import Hit, Matcher
from bpod_i18n.glossary.qa import CHECK_ID, Violation, ViolationKind, check_translation, check_with
from bpod_i18n.glossary.suggest import Candidate, suggest
from bpod_i18n.glossary.terms import (
    AddOutcome,
    Case,
    MergeReport,
    Status,
    Term,
    Termbase,
    is_symbol,
    make_term,
)

__all__ = [
    "CHECK_ID",
    "AddOutcome",
    "Candidate",
    "Case",
    "Hit",
    "Matcher",
    "MergeReport",
    "Status",
    "Term",
    "Termbase",
    "Violation",
    "ViolationKind",
    "check_translation",
    "check_with",
    "export_tbx",
    "hint_lines",
    "import_into",
    "is_symbol",
    "load_pair",
    "load_termbase",
    "make_term",
    "pair_from_path",
    "read_termbase_file",
    "save_pair",
    "save_termbase",
    "suggest",
    "termbase_path",
]

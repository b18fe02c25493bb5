"""Do-not-translate spellings recognised without a glossary entry: gene and protein symbols
(SOD1, p53, CD4, IL-2, Cas9) and abbreviated Latin binomials (E. coli, C. elegans).

Full binomials (Mus musculus) and product names cannot be told from ordinary words by their
shape; they come from the termbase (dnt=yes). A termbase entry always wins over a guess here:
add ``COVID-19 → covid-19`` and the disease name is no longer treated as a symbol.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bpod_i18n.glossary.terms import Term, make_term

# A letter first, letters and digits, hyphenated parts that start with a capital or digit
# (IL-2, COVID-19) but not "-mutant" or "-positive".
_TOKEN = re.compile(r"(?<![\w·])[A-Za-z][A-Za-z0-9]*(?:-[A-Z0-9][A-Za-z0-9]*)*(?![\w·])")
_LOWER_SYMBOL = re.compile(r"[a-z]{1,3}\d+[a-z]?")  # p53, p21
_DIGIT = re.compile(r"\d")
_ABBREVIATED_BINOMIAL = re.compile(r"(?<![\w·])[A-Z]\. ?([a-z]{3,})(?![\w·])")
_NOT_EPITHETS = frozenset(
    [
        "and",
        "are",
        "but",
        "can",
        "for",
        "from",
        "had",
        "has",
        "have",
        "into",
        "its",
        "may",
        "not",
        "now",
        "our",
        "she",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "too",
        "was",
        "were",
        "when",
        "which",
        "while",
        "who",
        "will",
        "with",
        "you",
    ]
)
SYMBOL_NOTE = "recognised as a gene or protein symbol"
BINOMIAL_NOTE = "recognised as an abbreviated Latin binomial"


def is_gene_symbol(token: str) -> bool:
    """Letters with digits, and a capital (SOD1, CD4, IL-2, Cas9, H2O) or a short lower-case
    prefix (p53, p21). Not "mid-2000s", "3D" or "10µm"."""
    if not _DIGIT.search(token):
        return False
    return any(c.isupper() for c in token) or bool(_LOWER_SYMBOL.fullmatch(token))


def recognise(text: str) -> Iterator[tuple[int, int, Term]]:
    """(start, end, term) of each recognised do-not-translate spelling in ``text``."""
    if _DIGIT.search(text):
        for match in _TOKEN.finditer(text):
            if is_gene_symbol(match.group()):
                yield match.start(), match.end(), _term(match.group(), SYMBOL_NOTE)
    if "." in text:
        for match in _ABBREVIATED_BINOMIAL.finditer(text):
            if match.group(1) not in _NOT_EPITHETS:
                yield match.start(), match.end(), _term(match.group(), BINOMIAL_NOTE)


def _term(spelling: str, note: str) -> Term:
    return make_term(spelling, spelling, dnt=True, case="sensitive", note=note)

"""Text folding for matching, and the English spelling variants of a source term.

Folding maps each character to one character where it can (hyphens and odd spaces to a
space, ’ to ', the micro sign to Greek mu, lower case), so a match in the folded text has
the same offsets in the original. Only text that needs more (not NFC, soft hyphens, runs of
spaces, a lower case of another length) takes the slower path with an offset table.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# One character in, one character out.
FOLD_TABLE = str.maketrans(
    {
        "-": " ",
        "\u2010": " ",
        "\u2011": " ",  # hyphen, Unicode hyphen, non-breaking hyphen
        "\u00a0": " ",
        "\u2007": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\t": " ",
        "\n": " ",
        "\r": " ",
        "\u2019": "'",
        "\u2018": "'",
        "\u02bc": "'",
        "\u00b5": "\u03bc",  # micro sign → Greek mu: "µm" and "μm" are the same unit
        "\u2027": "\u00b7",
        "\u22c5": "\u00b7",
        "\u2219": "\u00b7",  # Catalan middle dot look-alikes
    }
)
SOFT_HYPHEN = "\u00ad"
_SEPARATORS = re.compile(r"[\s\-\u2010\u2011]+")


@dataclass(frozen=True)
class Folded:
    """Folded text; ``starts``/``ends`` map folded offsets to original ones (None: identical)."""

    text: str
    starts: list[int] | None = None
    ends: list[int] | None = None

    def span(self, start: int, end: int) -> tuple[int, int]:
        if self.starts is None or self.ends is None:
            return start, end
        return self.starts[start], self.ends[end - 1]


def fold(text: str, *, lower: bool = True) -> Folded:
    """Fold ``text`` for matching (see module doc); offsets map back to ``text``."""
    if unicodedata.is_normalized("NFC", text) and SOFT_HYPHEN not in text:
        folded = text.translate(FOLD_TABLE)
        if lower:
            lowered = folded.lower()
            if len(lowered) != len(folded):
                return _fold_slowly(text, lower)
            folded = lowered
        if "  " not in folded:
            return Folded(folded)
    return _fold_slowly(text, lower)


def _fold_slowly(text: str, lower: bool) -> Folded:
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i = 0
    while i < len(text):
        j = i + 1
        while j < len(text) and unicodedata.category(text[j]).startswith("M"):
            j += 1  # keep a base letter with its combining accents
        cluster = text[i:j]
        if cluster == SOFT_HYPHEN:
            i = j
            continue
        piece = unicodedata.normalize("NFC", cluster).translate(FOLD_TABLE)
        if lower:
            piece = piece.lower()
        if piece == " " and out and out[-1] == " ":
            ends[-1] = j  # a run of spaces folds to one
        else:
            for ch in piece:
                out.append(ch)
                starts.append(i)
                ends.append(j)
        i = j
    return Folded("".join(out), starts, ends)


def fold_term(term: str, *, lower: bool = True) -> str:
    """The folded form of a term: what a key in the automaton looks like."""
    return fold(term, lower=lower).text.strip()


def words_of(text: str) -> list[str]:
    """Words of a span for the case check of symbols: split at spaces and hyphens."""
    text = unicodedata.normalize("NFC", text).replace(SOFT_HYPHEN, "").translate(FOLD_TABLE)
    return [w for w in _SEPARATORS.split(text) if w]


@lru_cache(maxsize=4096)
def is_word_char(ch: str) -> bool:
    """Letters, digits, combining marks, and the Catalan middle dot (cèl·lula is one word)."""
    return ch.isalnum() or ch == "\u00b7" or unicodedata.category(ch).startswith("M")


def is_symbol_word(word: str) -> bool:
    """ALS, DNA, mRNA, Sox2, p53: one word that must keep its exact case."""
    letters = [c for c in word if c.isalpha()]
    if not letters:
        return False
    if any(c.isupper() for c in word[1:]):
        return True
    return any(c.isdigit() for c in word)


# ---------------------------------------------------------------------------- English inflection

_IRREGULAR = {
    "mouse": "mice",
    "louse": "lice",
    "foot": "feet",
    "tooth": "teeth",
    "man": "men",
    "woman": "women",
    "child": "children",
    "ox": "oxen",
    "goose": "geese",
    "person": "people",
}
_IRREGULAR_SINGULAR = {plural: singular for singular, plural in _IRREGULAR.items()}
_VOWELS = "aeiou"


def plural_forms(word: str) -> set[str]:
    """Likely plurals of an English (or Latin-in-English) noun; extra guesses are harmless,
    they only matter when the text really contains them."""
    lower = word.lower()
    if lower in _IRREGULAR:
        return {_keep_case(word, _IRREGULAR[lower])}
    forms: set[str] = set()
    if lower.endswith("us"):
        forms |= {word[:-2] + "i", word + "es"}  # nucleus → nuclei, virus → viruses
    elif lower.endswith("um"):
        forms |= {word[:-2] + "a", word + "s"}  # bacterium → bacteria
    elif lower.endswith("on"):
        forms |= {word[:-2] + "a", word + "s"}  # mitochondrion → mitochondria, neuron → neurons
    elif lower.endswith("is"):
        forms |= {word[:-2] + "es"}  # metastasis → metastases
    elif lower.endswith(("ix", "ex")):
        forms |= {word[:-2] + "ices", word + "es"}  # matrix → matrices, cortex → cortices
    elif lower.endswith("a"):
        forms |= {word + "e", word + "s"}  # larva → larvae
    elif lower.endswith("y") and len(lower) > 1 and lower[-2] not in _VOWELS:
        forms |= {word[:-1] + "ies"}
    elif lower.endswith(("s", "x", "z", "ch", "sh")):
        forms |= {word + "es"}
    elif lower.endswith("fe"):
        forms |= {word[:-2] + "ves", word + "s"}
    elif lower.endswith("f"):
        forms |= {word[:-1] + "ves", word + "s"}
    elif lower.endswith("o"):
        forms |= {word + "s", word + "es"}
    else:
        forms.add(word + "s")
    return forms


def singular_forms(word: str) -> set[str]:
    """Likely singulars when ``word`` looks plural (empty set when it does not)."""
    lower = word.lower()
    if lower in _IRREGULAR_SINGULAR:
        return {_keep_case(word, _IRREGULAR_SINGULAR[lower])}
    if len(lower) < 4 or lower.endswith(("ss", "us", "is")):
        return set()
    forms: set[str] = set()
    if lower.endswith("ies"):
        forms.add(word[:-3] + "y")
    elif lower.endswith("ves"):
        forms |= {word[:-3] + "f", word[:-3] + "fe"}
    elif lower.endswith("ices"):
        forms |= {word[:-4] + "ix", word[:-4] + "ex"}
    elif lower.endswith("ses"):
        forms |= {word[:-2], word[:-1], word[:-2] + "is"}  # viruses, proteases, metastases
    elif lower.endswith(("xes", "zes", "ches", "shes", "oes")):
        forms |= {word[:-2], word[:-1]}
    elif lower.endswith(("ae", "s")):
        forms.add(word[:-1])
    elif lower.endswith("i"):
        forms.add(word[:-1] + "us")  # nuclei → nucleus
    elif lower.endswith("a"):
        forms |= {word[:-1] + "um", word[:-1] + "on"}  # bacteria, mitochondria
    return forms


def _keep_case(model: str, word: str) -> str:
    return word[0].upper() + word[1:] if model[:1].isupper() else word


def term_variants(term: str, *, inflect: bool) -> list[str]:
    """Spellings of a source term to look for, the term itself first (hyphens as spaces).

    Only the last word inflects (the English head noun: "T-cell receptor" → "... receptors");
    acronyms only take -s ("MRIs"). A hyphenated term also matches written solid.
    """
    base = " ".join(words_of(term))
    variants = [base]
    if "-" in term or "\u2010" in term or "\u2011" in term:
        variants.append(re.sub(r"[\-\u2010\u2011]\s*", "", clean_spaces(term)))
    if ". " in base:
        variants.append(base.replace(". ", "."))  # E. coli / E.coli
    if inflect:
        for spelling in list(variants):
            head, _, last = spelling.rpartition(" ")
            prefix = head + " " if head else ""
            if is_symbol_word(last) or last.isupper():
                forms = {last + "s"} if last[-1:].isalpha() else set()
            elif not last[-1:].isalpha():
                forms = set()
            else:
                forms = plural_forms(last) | singular_forms(last)
            variants += sorted(prefix + form for form in forms)
    return list(dict.fromkeys(v for v in variants if v))


def clean_spaces(text: str) -> str:
    return " ".join(text.split())

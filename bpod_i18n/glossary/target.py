"""Find a rendering in a translation, forgiving inflection: "cèl·lula mare" is in "les
cèl·lules mare", "mosca del vinagre" in "mosques del vinagre", "ratolí" in "ratolins".

Word by word: a symbol (ADN, SARM, p53) must keep its case (a plural -s is allowed);
other words compare without case or accents, by a light stem that drops the plural and
gender endings of English, Catalan and Spanish (-s, -es, -a/-e/-o, -qu/-gu, -ió/-ions).
Words of three letters or fewer are too short to stem ("mar" is not "mare"): they match
themselves and their plurals only ("gen" → "gens", "genes"; "pez" → "peces"; "os" → "ossos";
"pi" → "pins"), never a longer word that merely starts with them ("gener", "genoma").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

from bpod_i18n.glossary.variants import fold, is_symbol_word, is_word_char

# A word: letters/digits, with Catalan middle dots inside (cèl·lules); hyphens and
# apostrophes separate words (l'ADN, T-cell), as do all other marks.
_WORD = re.compile(r"[^\W_]+(?:·[^\W_]+)*")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    w = "".join(c for c in unicodedata.normalize("NFD", word.lower()) if not unicodedata.combining(c))
    if len(w) <= 3:
        return w
    if w.endswith("es") and len(w) > 4:
        w = w[:-2]
    elif w.endswith("s"):
        w = w[:-1]
    if len(w) > 3 and w[-1] in "aeo":
        w = w[:-1]
    if w.endswith("qu"):
        w = w[:-2] + "c"  # mosca / mosques
    elif w.endswith("gu"):
        w = w[:-2] + "g"  # amiga / amigues
    elif w.endswith("z"):
        w = w[:-1] + "c"  # luz / luces
    if w.endswith("ion"):
        w = w[:-1]  # inflamació / inflamacions, inflamación / inflamaciones
    return w


@lru_cache(maxsize=4096)
def _short_plurals(word: str) -> frozenset[str]:
    """Plurals of a short word (lower case) in the Romance languages the glossary
    serves: -s, -es (es "genes"), -z → -ces (es "peces"), -s → -ssos (ca "ossos"), a vowel
    + -ns (ca "pins")."""
    if len(word) > 3 or not word:
        return frozenset()
    forms = {word + "s", word + "es"}
    if word.endswith("z"):
        forms.add(word[:-1] + "ces")
    if word.endswith("s"):
        forms.add(word + "sos")
    if word[-1] in "aeiouàèéíòóú":
        forms.add(word + "ns")
    return frozenset(forms)


def same_word(expected: str, found: str) -> bool:
    """Is ``found`` an inflected form of the rendering's word ``expected``?"""
    return _word_test(expected)(found)


@lru_cache(maxsize=4096)
def _word_test(expected: str) -> Callable[[str], bool]:
    """``same_word`` with what depends on ``expected`` alone worked out once: a check asks
    about each rendering's words against every word of every translation."""
    if is_symbol_word(expected) or (len(expected) > 1 and expected.isupper()):
        return frozenset((expected, expected + "s")).__contains__
    lower = expected.lower()
    plurals = _short_plurals(lower)
    stemmed = stem(expected) if len(expected) > 3 else None

    def test(found: str) -> bool:
        if stemmed is None or len(found) <= 3:
            # Accents count here: ca "mà" (hand) is not "ma" (my).
            other = found.lower()
            return lower == other or other in plurals or lower in _short_plurals(other)
        other = stem(found)
        # Catalan words ending in a stressed vowel take -ns: ratolí → ratolins, pulmó → pulmons
        return stemmed == other or stemmed + "n" == other or other + "n" == stemmed

    return test


def words_with_spans(text: str) -> list[tuple[str, int, int]]:
    folded = fold(text, lower=False)
    out = []
    for match in _WORD.finditer(folded.text):
        start, end = folded.span(match.start(), match.end())
        out.append((match.group(), start, end))
    return out


def find_rendering(rendering: str, words: list[tuple[str, int, int]]) -> list[tuple[int, int]]:
    """Spans in the translation (given as ``words_with_spans``) where ``rendering`` occurs."""
    tests = _rendering_tests(rendering)
    if not tests:
        return []
    first, rest = tests[0], tests[1:]
    spans = []
    for i in range(len(words) - len(tests) + 1):
        if first(words[i][0]) and all(test(words[i + k][0]) for k, test in enumerate(rest, 1)):
            spans.append((words[i][1], words[i + len(tests) - 1][2]))
    return spans


@lru_cache(maxsize=4096)
def _rendering_tests(rendering: str) -> tuple[Callable[[str], bool], ...]:
    return tuple(_word_test(w) for w, _, _ in words_with_spans(rendering))


def find_verbatim(phrase: str, text: str) -> bool:
    """``phrase`` appears exactly (same case; spaces and hyphens may differ) as whole words."""
    needle = fold(phrase, lower=False).text.strip()
    if not needle:
        return False
    folded = fold(text, lower=False)
    start = folded.text.find(needle)
    while start != -1:
        end = start + len(needle)
        before_ok = start == 0 or not (is_word_char(folded.text[start - 1]) and is_word_char(needle[0]))
        after_ok = end == len(folded.text) or not (is_word_char(folded.text[end]) and is_word_char(needle[-1]))
        if before_ok and after_ok:
            return True
        start = folded.text.find(needle, start + 1)
    return False

"""Term candidates: multi-word phrases that recur in the corpus and are not yet in the glossary.

Like Translate Toolkit's ``poterminology``: 2–4 word n-grams that do not cross punctuation
and neither start nor end with a stop word; plural and singular forms counted together;
a phrase dropped when a longer candidate containing it occurs just as often.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from bpod_i18n.glossary.matcher import Matcher
from bpod_i18n.glossary.terms import Termbase
from bpod_i18n.glossary.variants import is_symbol_word, singular_forms

# English words that never start or end a term (inside one they may: "loss of coordination").
STOP_WORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "across",
        "after",
        "again",
        "against",
        "all",
        "almost",
        "along",
        "also",
        "although",
        "always",
        "am",
        "among",
        "an",
        "and",
        "another",
        "any",
        "are",
        "around",
        "as",
        "at",
        "away",
        "back",
        "be",
        "became",
        "because",
        "become",
        "becomes",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "cannot",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "done",
        "down",
        "during",
        "each",
        "either",
        "else",
        "enough",
        "even",
        "ever",
        "every",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "however",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "least",
        "less",
        "like",
        "many",
        "may",
        "me",
        "might",
        "more",
        "most",
        "much",
        "must",
        "my",
        "myself",
        "near",
        "nearly",
        "never",
        "new",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "often",
        "on",
        "once",
        "one",
        "only",
        "onto",
        "or",
        "other",
        "others",
        "our",
        "ours",
        "out",
        "over",
        "own",
        "per",
        "perhaps",
        "quite",
        "rather",
        "really",
        "same",
        "see",
        "seen",
        "she",
        "should",
        "since",
        "so",
        "some",
        "still",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "though",
        "through",
        "thus",
        "to",
        "together",
        "too",
        "toward",
        "towards",
        "under",
        "until",
        "up",
        "upon",
        "us",
        "used",
        "using",
        "very",
        "via",
        "was",
        "we",
        "well",
        "were",
        "what",
        "when",
        "where",
        "whether",
        "which",
        "while",
        "who",
        "whom",
        "whose",
        "why",
        "will",
        "with",
        "within",
        "without",
        "would",
        "yet",
        "you",
        "your",
        "yours",
        "first",
        "second",
        "third",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "image",
        "images",
        "picture",
        "shows",
        "shown",
        "seen",
        "reveal",
        "reveals",
        "revealed",
        "help",
        "helps",
        "helped",
        "make",
        "makes",
        "made",
        "way",
        "ways",
        "known",
        "called",
        "show",
        "may",
        "might",
        "let",
        "lets",
        "get",
        "gets",
        "got",
        "take",
        "takes",
        "took",
    ]
)
MIN_WORDS, MAX_WORDS = 2, 4
_WORD = re.compile(r"[^\W_]+(?:['’·][^\W_]+)*")
_HYPHEN = re.compile(r"[\-\u2010\u2011]")


@dataclass(frozen=True)
class Candidate:
    text: str  # the spelling seen most often
    count: int  # occurrences, plural and singular together
    example: str  # the first sentence it was seen in
    slug: str  # the entry of that sentence
    forms: tuple[str, ...] = ()  # every spelling seen, most frequent first


@dataclass
class _Tally:
    seen_at: int  # order of first sighting, so a merge keeps the earliest example
    count: int = 0
    example: str = ""
    slug: str = ""
    spellings: dict[str, int] = field(default_factory=dict)


def suggest(
    sentences: Iterable[tuple[str, str]], termbase: Termbase, min_count: int = 3, *, matcher: Matcher | None = None
) -> list[Candidate]:
    """Candidates from ``(slug, sentence)`` pairs, most frequent first; terms already in
    ``termbase`` (in any variant the matcher knows) are left out."""
    tallies: dict[tuple[str, ...], _Tally] = {}
    for number, (slug, sentence) in enumerate(sentences):
        for spelling, key in _ngrams(sentence):
            tally = tallies.get(key)
            if tally is None:
                tally = tallies[key] = _Tally(number, example=sentence, slug=slug)
            tally.count += 1
            tally.spellings[spelling] = tally.spellings.get(spelling, 0) + 1
    _merge_plurals(tallies)
    _drop_subsumed(tallies)
    matcher = matcher or Matcher(termbase)
    out: list[tuple[int, Candidate]] = []
    for key, tally in tallies.items():
        if tally.count < min_count:
            continue
        forms = tuple(sorted(tally.spellings, key=lambda s: (-tally.spellings[s], s)))
        if any(_covered(matcher, form) for form in forms):
            continue
        out.append((len(key), Candidate(forms[0], tally.count, tally.example, tally.slug, forms)))
    out.sort(key=lambda pair: (-pair[1].count, -pair[0], pair[1].text.casefold(), pair[1].text))
    return [candidate for _, candidate in out]


def _ngrams(sentence: str) -> Iterable[tuple[str, tuple[str, ...]]]:
    """(spelling, key) of every 2–4 word n-gram within a punctuation-free stretch. Hyphens
    split words ("T-cell receptors" is three) but a compound is never cut in two."""
    run: list[tuple[str, int, int, bool]] = []  # (word, start, end, joined to the next by a hyphen)
    last_end = 0
    for match in _WORD.finditer(sentence):
        gap = sentence[last_end : match.start()]
        if run:
            if _HYPHEN.fullmatch(gap):
                run[-1] = run[-1][:3] + (True,)
            elif gap.strip():
                yield from _ngrams_of_run(sentence, run)  # punctuation between: a phrase cannot cross it
                run = []
        run.append((match.group(), match.start(), match.end(), False))
        last_end = match.end()
    yield from _ngrams_of_run(sentence, run)


def _ngrams_of_run(sentence: str, run: list[tuple[str, int, int, bool]]) -> Iterable[tuple[str, tuple[str, ...]]]:
    for n in range(MIN_WORDS, MAX_WORDS + 1):
        for i in range(len(run) - n + 1):
            if (i > 0 and run[i - 1][3]) or run[i + n - 1][3]:
                continue  # would cut a hyphenated compound
            words = [w for w, _, _, _ in run[i : i + n]]
            if not (_edge_ok(words[0]) and _edge_ok(words[-1])):
                continue
            spelling = sentence[run[i][1] : run[i + n - 1][2]]
            yield spelling, tuple(_key_word(w) for w in words)


def _edge_ok(word: str) -> bool:
    """A term neither starts nor ends with a stop word, a number or a lone lower-case letter."""
    return word.lower() not in STOP_WORDS and any(c.isalpha() for c in word) and not (len(word) == 1 and word.islower())


def _key_word(word: str) -> str:
    word = word.replace("’", "'")
    return word if is_symbol_word(word) else word.lower()


def _merge_plurals(tallies: dict[tuple[str, ...], _Tally]) -> None:
    """Count "motor neurons" with "motor neuron" when the singular occurs too."""
    for key in sorted(tallies, key=lambda k: k[-1]):
        if key not in tallies:
            continue
        for singular in sorted(singular_forms(key[-1])):
            target = key[:-1] + (singular if is_symbol_word(key[-1]) else singular.lower(),)
            if target != key and target in tallies:
                into, tally = tallies[target], tallies.pop(key)
                into.count += tally.count
                if tally.seen_at < into.seen_at:
                    into.seen_at, into.example, into.slug = tally.seen_at, tally.example, tally.slug
                for spelling, n in tally.spellings.items():
                    into.spellings[spelling] = into.spellings.get(spelling, 0) + n
                break


def _drop_subsumed(tallies: dict[tuple[str, ...], _Tally]) -> None:
    """ "lateral sclerosis" goes when "amyotrophic lateral sclerosis" is as frequent."""
    doomed = set()
    for key, tally in tallies.items():
        for n in range(MIN_WORDS, len(key)):
            for i in range(len(key) - n + 1):
                sub = key[i : i + n]
                if sub in tallies and tallies[sub].count <= tally.count:
                    doomed.add(sub)
    for key in doomed:
        del tallies[key]


def _covered(matcher: Matcher, phrase: str) -> bool:
    return any(hit.start == 0 and hit.end == len(phrase) for hit in matcher.find(phrase))

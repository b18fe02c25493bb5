"""Split an entry's fields into sentence units, with the inline markup held aside.

nupunkt (an offline Punkt model trained for legal and scientific prose) keeps "e.g.", "Dr.",
"et al.", "approx. 5 µm", "Fig. 2", "E. coli", decimals, quotes and dashes whole; a naive
regex on ". " does not. Spans keep the whitespace that followed each sentence, so joining a
field's units gives back the field to the byte (the golden round trip relies on it).

Three corrections on top of the model, for what it misreads in BPoD's prose:

- Its abbreviation list, learnt from legal text, holds thousands of ordinary words ("cancer",
  "chest", "black"), so "… linked to cancer. Scientists agree." stayed one sentence. Words of
  four or more lower-case letters are dropped from it unless nupunkt's own curated list or
  :data:`KEPT_ABBREVIATIONS` has them; "eg", "ie", "cf" and "viz" are added (a mid-sentence
  "eg." split a sentence).
- A sentence ending in a single capital letter after an ordinary word ("… vitamin D. Chicks
  …") ends there: Punkt reads "D." as an initial. Not after a word that introduces a name
  ("by D. Smith", "and J. Lee").
- A sentence ending right before "Dr.", "Prof.", "Mr."… ("… in the lab. Dr. Smith …") ends
  there: Punkt never ends a sentence before an abbreviation.

Markup (see :mod:`bpod_i18n.markup`) is held aside: the plain text is split, and a boundary
that would fall inside a tag pair is not made: the sentences it spans stay one unit, with a
note saying so, so no unit ever holds half a tag pair.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bpod_i18n import markup
from bpod_i18n.model import UNSPLIT_FIELDS, SourceUnit, field_kind

# Real abbreviations of science writing the pruning keeps (nupunkt's curated list has the rest:
# months, titles, "approx", "Fig"...).
KEPT_ABBREVIATIONS = frozenset(
    {
        "approx",
        "figs",
        "biol",
        "chem",
        "phys",
        "natl",
        "acad",
        "proc",
        "univ",
        "dept",
        "inst",
        "resp",
        "incl",
        "conc",
        "temp",
        "suppl",
        "subsp",
        "diam",
        "assoc",
    }
)
ADDED_ABBREVIATIONS = frozenset({"eg", "ie", "cf", "viz"})
# Words after which a single capital letter is an initial of a name, not the end of a sentence.
NAME_INTRODUCERS = frozenset(
    {
        "by",
        "and",
        "with",
        "of",
        "from",
        "to",
        "at",
        "for",
        "or",
        "nor",
        "dr",
        "prof",
        "professor",
        "doctor",
        "colleague",
        "colleagues",
        "author",
        "authors",
        "artist",
        "photographer",
    }
)
_BEFORE_TITLES = frozenset({"al", "eg", "ie", "cf", "vs", "viz"})
_TITLES = r"(?:Dr|Drs|Prof|Profs|Mr|Mrs|Ms|Mx)\."
# "vitamin D. Chicks": lower-case word, one capital, a period, space, a capitalised word.
_LETTER_END = re.compile(r"(?<![\w.])([a-z]{3,}) ([A-Z])\.(\s+)(?=[A-Z\u201c\"'(])")
# Cheap tests first: most paragraphs have neither.
_ONE_LETTER = re.compile(r" [A-Z]\.\s")
_A_TITLE = re.compile(r"\. +" + _TITLES)
# "lab. Dr. Smith": a word ending a sentence, then a title and a capitalised name.
_TITLE_START = re.compile(r"(?<![\w.])([A-Za-z]+)\.(\s+)(?=" + _TITLES + r"\s+[A-Z])")


@functools.cache
def _tokenizer() -> Any:
    """nupunkt's default model with the abbreviation list corrected (see the module docstring)."""
    import nupunkt
    from nupunkt.models import load_default_model

    tokenizer = load_default_model()
    params = tokenizer._params
    data = Path(nupunkt.__file__).parent / "data" / "general_abbreviations.json"
    curated = {item.lower().rstrip(".") for item in json.loads(data.read_text(encoding="utf-8"))}
    keep = curated | KEPT_ABBREVIATIONS
    params.abbrev_types -= {
        word
        for word in params.abbrev_types
        if word.isalpha() and word.islower() and len(word) >= 4 and word not in keep
    }
    params.abbrev_types |= ADDED_ABBREVIATIONS
    params.invalidate_patterns()
    params.freeze_sets()
    return tokenizer


@dataclass(frozen=True)
class _Sentence:
    start: int
    end: int  # end of the sentence's text
    next: int  # end of the whitespace after it


def sentence_spans(text: str) -> list[_Sentence]:
    """Sentences of plain ``text`` (stripped) as offsets; whitespace between them kept apart."""
    if not text.strip():
        return []
    cuts: set[int] = set()
    for _sentence, (start, _end) in _tokenizer().tokenize_with_spans(text):
        cuts.add(start)
    for match in _LETTER_END.finditer(text) if _ONE_LETTER.search(text) else ():
        if match.group(1).lower() not in NAME_INTRODUCERS:
            cuts.add(match.end(3))
    for match in _TITLE_START.finditer(text) if _A_TITLE.search(text) else ():
        # Any word but an initial or "et al." ends a sentence before "Dr. Name": no
        # abbreviation of prose comes right before a title ("lab." is in nupunkt's list too).
        if len(match.group(1)) > 1 and match.group(1).lower() not in _BEFORE_TITLES:
            cuts.add(match.end(2))
    bounds = sorted(c for c in cuts if 0 < c < len(text)) + [len(text)]
    out: list[_Sentence] = []
    start = len(text) - len(text.lstrip())
    for bound in bounds:
        chunk = text[start:bound]
        if not chunk.strip():
            continue
        body = chunk.rstrip()
        lead = len(body) - len(body.lstrip())
        if lead and out:
            out[-1] = _Sentence(out[-1].start, out[-1].end, start + lead)
        begin = start + lead
        out.append(_Sentence(begin, start + len(body), bound))
        start = bound
    if out:
        last = out[-1]
        out[-1] = _Sentence(last.start, last.end, last.end)
    return out


def split_sentences(text: str) -> list[tuple[str, str]]:
    """Sentences of plain ``text`` as (sentence, whitespace that followed it)."""
    text = text.strip()
    return [(text[s.start : s.end], text[s.end : s.next]) for s in sentence_spans(text)]


def segment_field(field_id: str, text: str) -> list[SourceUnit]:
    """Units of one field (tagged text, links as ``<a href>``); short label-like fields are one
    unit whatever their punctuation. Each unit's links are numbered from 1 (``<a1>``)."""
    marked = markup.parse(text.strip())
    if not marked.text.strip():
        return []
    if field_kind(field_id) in UNSPLIT_FIELDS:
        tagged, links = markup.write(marked, numbered=True)
        return [SourceUnit(field_id, 1, tagged, "", links)]
    units: list[SourceUnit] = []
    for index, (start, end, after, joined) in enumerate(_groups(marked), 1):
        tagged, links = markup.write(markup.cut(marked, start, end), numbered=True)
        note = None
        if joined:
            tags = ", ".join(sorted({f"<{tag}>" for tag in joined}))
            note = f"{len(joined) + 1} sentences kept as one unit: a tag pair ({tags}) spans them"
        units.append(SourceUnit(field_id, index, tagged, marked.text[end:after], links, note))
    return units


def _groups(marked: markup.Marked) -> list[tuple[int, int, int, list[str]]]:
    """(start, end, end of trailing space, tags that joined sentences) per unit: consecutive
    sentences with a tag pair across their boundary are one unit."""
    sentences = sentence_spans(marked.text)
    groups: list[tuple[int, int, int, list[str]]] = []
    for sentence in sentences:
        if groups:
            start, end, after, joined = groups[-1]
            across = [s.tag for s in marked.spans if s.start < end and s.end > after]
            if across:
                groups[-1] = (start, sentence.end, sentence.next, joined + across[:1])
                continue
        groups.append((sentence.start, sentence.end, sentence.next, []))
    return groups


def segment_fields(fields: Iterable[tuple[str, str]]) -> list[SourceUnit]:
    units: list[SourceUnit] = []
    for field_id, text in fields:
        units.extend(segment_field(field_id, text))
    return units


def join_units(units: Iterable[tuple[str, str]]) -> str:
    """Inverse of :func:`split_sentences`: (text, trailing) pairs back into one field."""
    return "".join(text + trailing for text, trailing in units).strip()

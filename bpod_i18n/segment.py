"""Split an entry's fields into sentence units.

nupunkt (an offline Punkt model trained for legal and scientific prose) keeps "e.g.", "Dr.",
"et al.", "approx. 5 µm", "Fig. 2", "E. coli", decimals, quotes and dashes whole; a naive
regex on ". " does not. Spans keep the whitespace that followed each sentence, so joining a
field's units gives back the field to the byte (the golden round trip relies on it).
"""

from __future__ import annotations

from collections.abc import Iterable

import nupunkt

from bpod_i18n.model import UNSPLIT_FIELDS, SourceUnit, field_kind


def split_sentences(text: str) -> list[tuple[str, str]]:
    """Sentences of ``text`` as (sentence, whitespace that followed it)."""
    text = text.strip()
    if not text:
        return []
    out: list[tuple[str, str]] = []
    for chunk, _span in nupunkt.sent_spans_with_text(text):
        sentence = chunk.rstrip()
        if not sentence:
            # Whitespace-only chunk: give it to the previous sentence's trailing space.
            if out:
                out[-1] = (out[-1][0], out[-1][1] + chunk)
            continue
        leading = chunk[: len(chunk) - len(chunk.lstrip())]
        if leading and out:
            out[-1] = (out[-1][0], out[-1][1] + leading)
        out.append((sentence.lstrip(), chunk[len(sentence) :]))
    return out


def segment_field(field_id: str, text: str) -> list[SourceUnit]:
    """Units of one field; short label-like fields are one unit whatever their punctuation."""
    text = text.strip()
    if not text:
        return []
    if field_kind(field_id) in UNSPLIT_FIELDS:
        return [SourceUnit(field_id, 1, text, "")]
    return [
        SourceUnit(field_id, i, sentence, trailing) for i, (sentence, trailing) in enumerate(split_sentences(text), 1)
    ]


def segment_fields(fields: Iterable[tuple[str, str]]) -> list[SourceUnit]:
    units: list[SourceUnit] = []
    for field_id, text in fields:
        units.extend(segment_field(field_id, text))
    return units


def join_units(units: Iterable[tuple[str, str]]) -> str:
    """Inverse of :func:`split_sentences`: (text, trailing) pairs back into one field."""
    return "".join(text + trailing for text, trailing in units).strip()

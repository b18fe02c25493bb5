"""From stored sentences to a :class:`LocalisedEntry`: join, fall back, credit, link.

Plain data in, plain data out (no database, no files): the emit workflow loads the sentences
of an entry with their translation in one locale and hands them here. A field's text is its
sentences joined with the whitespace that followed each one in English, so a paragraph of
five translated sentences comes out as one paragraph, spaced like the original.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bpod_i18n.config import EmitSettings
from bpod_i18n.errors import UsageError
from bpod_i18n.model import STATE_RANK, State
from bpod_i18n.render.model import LocalisedEntry, SiteStrings
from bpod_i18n.segment import join_units

# Site-catalog keys (sources/site.py) → SiteStrings fields, with the placeholder a name fills.
# In English the name follows ("Written by"); a translation without the placeholder gets it
# appended ("Escrit per" → "Escrit per {author}"), one with it keeps its own word order.
SITE_KEYS: Mapping[str, tuple[str, str | None]] = {
    "entry.written-by": ("written_by", "{author}"),
    "mirror.translated-by": ("translated_by", "{translator}"),
    "credit.copyright-authors": ("image_copyright", None),
    "mirror.original": ("read_original", None),
}


@dataclass(slots=True)
class Sentence:
    """One active unit of an entry with its translation in the locale being emitted."""

    uid: str
    field: str  # field id: "title", "body.2", or a site-string key
    position: int
    source: str
    trailing: str  # whitespace after the sentence inside its field
    translation_id: int | None
    text: str
    state: State
    version: int
    author: str | None

    def at_least(self, state: State) -> bool:
        return STATE_RANK[self.state] >= STATE_RANK[state]


@dataclass(frozen=True)
class MirrorSettings:
    """What every page of one locale shares: site strings and the [emit] config, checked once."""

    locale: str
    strings: SiteStrings
    translator_credit: str | None  # None: the authors of the translations, per entry
    original_url: str | None  # template with {slug}, {year}, {month}, {day}


def mirror_settings(
    locale: str, site_sentences: Sequence[Sentence], min_state: State, emit: EmitSettings
) -> MirrorSettings:
    """The locale's built-in site strings, overridden by the site catalog's translations that
    reached ``min_state``; plus ``[emit]`` translator_credit, original_url and date_pattern
    (validated with the rest of the settings, see config.py)."""
    by_key: dict[str, list[Sentence]] = defaultdict(list)
    for sentence in site_sentences:
        by_key[sentence.field].append(sentence)
    overrides: dict[str, str | None] = {}
    for key, (name, placeholder) in SITE_KEYS.items():
        parts = sorted(by_key.get(key, []), key=lambda s: s.position)
        if not parts or not all(sentence.at_least(min_state) for sentence in parts):
            continue
        value = join_units((sentence.text, sentence.trailing) for sentence in parts)
        if placeholder is not None and placeholder not in value:
            value = f"{value} {placeholder}"
        overrides[name] = value
    if locale in emit.date_pattern:
        overrides["date_pattern"] = emit.date_pattern[locale]
    strings = SiteStrings.for_locale(locale).with_overrides(**overrides)
    return MirrorSettings(locale, strings, translator_credit(emit, locale), emit.original_url)


def translator_credit(emit: EmitSettings, locale: str) -> str | None:
    """``[emit] translator_credit.<locale>``: who translated (a name; the page adds the
    locale's "Translated by" wording)."""
    credit = emit.translator_credit.get(locale)
    return credit.strip() if credit else None


def localise(
    slug: str,
    source: Mapping[str, Any],
    sentences: Sequence[Sentence],
    english: Collection[str],
    settings: MirrorSettings,
) -> LocalisedEntry:
    """The page data of one entry.

    ``source`` is the English entry as stored (SourceEntry.to_dict()); ``sentences`` its
    active units in reading order; ``english`` the unit ids to show in English (untranslated,
    fallback allowed): their fields are listed in ``english_fallback``. The translator credit
    is the configured one, else the authors of the translations shown.
    """
    by_field: dict[str, list[Sentence]] = defaultdict(list)
    for sentence in sentences:
        by_field[sentence.field].append(sentence)
    fallback: set[str] = set()

    def text(field_id: str, english_text: str) -> str:
        parts = by_field.get(field_id)
        if not parts:  # no units: the field is empty in English, nothing to translate
            return english_text
        if any(part.uid in english for part in parts):
            fallback.add(field_id)
        return join_units((part.source if part.uid in english else part.text, part.trailing) for part in parts)

    numbered = {
        kind: [text(f"{kind}.{n}", value) for n, value in enumerate(source.get(key) or [], 1)]
        for kind, key in (("body", "paragraphs"), ("notice", "notices"), ("credit", "credits"))
    }
    translators = sorted({s.author for s in sentences if s.author and s.uid not in english})
    date = entry_date(slug, source.get("date"))
    return LocalisedEntry(
        slug=slug,
        locale=settings.locale,
        date=date,
        title=text("title", source.get("title") or ""),
        label=text("label", source["label"]) if source.get("label") else None,
        standfirst=text("standfirst", source["standfirst"]) if source.get("standfirst") else None,
        paragraphs=numbered["body"],
        notices=numbered["notice"],
        credits=numbered["credit"],
        author=source.get("author") or None,  # a name: never translated
        translator_credit=settings.translator_credit or ", ".join(translators) or None,
        original_url=fill_url(settings.original_url, slug, date),
        english_fallback=fallback,
        site_strings=settings.strings,
    )


def fill_url(template: str | None, slug: str, date: dt.date) -> str | None:
    """``[emit] original_url`` with {slug}, {year}, {month}, {day} filled in (literally)."""
    if template is None:
        return None
    for name, value in (("slug", slug), ("year", str(date.year)), ("month", str(date.month)), ("day", str(date.day))):
        template = template.replace("{" + name + "}", value)
    return template


def entry_date(slug: str, value: object) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise UsageError(f"entry {slug} has no valid date ({value!r}): ingest it again") from None

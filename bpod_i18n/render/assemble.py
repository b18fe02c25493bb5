"""From stored sentences to a :class:`LocalisedEntry`: join, fall back, credit, link.

Plain data in, plain data out (no database, no files): the emit workflow loads the sentences
of an entry with their translation in one locale and hands them here. A field's text is its
sentences joined with the whitespace that followed each one in English, so a paragraph of
five translated sentences comes out as one paragraph, spaced like the original.

Each field also gets its inline HTML: every sentence's tagged text (bpod_i18n.markup) read
with its own links (a translator's broken tag is dropped, its text kept), the English ones of
a partly translated field in ``<span lang="en">``. Credits decide the image-rights line; the
translator credit never carries an e-mail address.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from email.utils import parseaddr
from typing import Any

from bpod_i18n import markup
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
    links: Sequence[str] = ()  # addresses of the unit's <a1>, <a2>... (Unit.markup)

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
    locale's "Translated by" wording). An e-mail address written there is not published."""
    credit = emit.translator_credit.get(locale)
    return person_name(credit) if credit else None


_EMAIL = re.compile(r"\s*<?[\w.+-]+@[\w-]+(?:\.[\w-]+)+>?\s*")


def person_name(who: str) -> str | None:
    """The name of ``who`` without any e-mail address: "Marta Puig <marta@uv.es>" → "Marta Puig";
    a bare address gives None (a mirror never publishes one)."""
    name, _address = parseaddr(who)
    if name.strip() and "@" not in name:
        return name.strip()
    rest = _EMAIL.sub(" ", who).strip(" ,;()<>")
    return rest or None if "@" not in rest else None


# A credit line that already says the image's rights are reserved, or states a licence that
# grants them (then "all rights reserved" would be false).
_RIGHTS_STATED = re.compile(r"\bcopyright\b|\ball rights\b|\brights reserved\b|©", re.IGNORECASE)
_OPEN_LICENCE = re.compile(r"creative\s*commons|\bCC[ -]?(?:BY|0)\b|\bCC0\b|public domain", re.IGNORECASE)


def image_rights_due(credits: Sequence[str]) -> bool:
    """Whether the mirror adds "image rights reserved by the original authors": only when no
    English credit line says so already and none states a Creative Commons licence."""
    text = " ".join(markup.plain(credit) for credit in credits)
    return not _RIGHTS_STATED.search(text) and not _OPEN_LICENCE.search(text)


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
    partly: set[str] = set()
    html: dict[str, str] = {}

    def text(field_id: str, english_text: str) -> str:
        parts = by_field.get(field_id)
        if not parts:  # no units: the field is empty in English, nothing to translate
            marked = markup.parse(english_text, strict=False)
            if marked.spans or "\n" in marked.text:
                html[field_id] = markup.to_html(marked)
            return marked.text
        shown_english = [part.uid in english for part in parts]
        if all(shown_english):
            fallback.add(field_id)
        elif any(shown_english):
            partly.add(field_id)
        shown = [
            part.source if is_english else part.text for part, is_english in zip(parts, shown_english, strict=True)
        ]
        if field_id not in partly and not any("<" in t or "&" in t for t in shown):
            # No markup (most sentences): the text is the field, as it always was.
            return "".join(t + part.trailing for t, part in zip(shown, parts, strict=True)).strip()
        plain, pieces, tagged = [], [], False
        for part, is_english, value in zip(parts, shown_english, shown, strict=True):
            marked = markup.parse(value, part.links, strict=False)
            piece = markup.to_html(marked)
            tagged = tagged or bool(marked.spans) or "\n" in marked.text
            if is_english and field_id in partly:
                piece = f'<span lang="en">{piece}</span>'
            plain.append(marked.text + part.trailing)
            pieces.append(piece + markup.to_html(markup.Marked(part.trailing)))
        if tagged or field_id in partly:
            html[field_id] = "".join(pieces).strip()
        return "".join(plain).strip()

    numbered = {
        kind: [text(f"{kind}.{n}", value) for n, value in enumerate(source.get(key) or [], 1)]
        for kind, key in (("body", "paragraphs"), ("notice", "notices"), ("credit", "credits"))
    }
    authors = {s.author for s in sentences if s.author and s.uid not in english}
    translators = sorted({name for author in authors if (name := person_name(author))})
    date = entry_date(slug, source.get("date"))
    image = source.get("image") or None
    picture = None
    if image and image.get("url"):
        alt = text("alt", markup.escape(image["alt"])) if image.get("alt") else None
        picture = {"url": image["url"], "alt": alt, "width": image.get("width"), "height": image.get("height")}
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
        html=html,
        partly_english=partly,
        image=picture,
        caption=text("caption", image["caption"]) if picture and image and image.get("caption") else None,
        image_rights=image_rights_due(source.get("credits") or []),
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

"""The view a template sees: one :class:`LocalisedEntry` with its strings resolved.

Everything a template would otherwise compute (dates, "Escrit per NAME", which fields fell
back to English) is decided here, in Python, so the built-in and the mirrors' own templates
only lay text out, and all three formats say the same thing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from bpod_i18n.render.dates import format_entry_date, parse_locale
from bpod_i18n.render.escape import checked_url, markdown_link_target, yaml_front_matter
from bpod_i18n.render.model import LocalisedEntry

SOURCE_LANG = "en"


@dataclass(frozen=True)
class TextBlock:
    """One field's text; ``fallback`` = shown in English, so the page marks it lang="en"."""

    field_id: str
    text: str
    fallback: bool


@dataclass(frozen=True)
class EntryPage:
    slug: str
    lang: str  # BCP 47 tag for the lang attribute ("ca", "ca-ES")
    locale: str
    source_lang: str
    site_name: str
    date: dt.date
    date_iso: str
    date_display: str
    title: TextBlock
    label: TextBlock | None
    standfirst: TextBlock | None
    paragraphs: list[TextBlock]
    notices: list[TextBlock]
    credits: list[TextBlock]
    author: str | None
    author_line: str | None
    image_copyright: str
    translator: str | None
    translator_line: str | None
    original_url: str | None
    read_original: str
    fallback_notice: str | None  # set only when some field fell back to English

    @property
    def original_url_markdown(self) -> Markup | None:
        return markdown_link_target(self.original_url) if self.original_url else None

    def front_matter(self) -> Markup:
        """YAML front matter (Hugo/Jekyll) for the Markdown page; empty values left out."""
        data: dict[str, Any] = {
            "title": self.title.text,
            "date": self.date,  # a YAML date (2016-07-22), not a string
            "date_display": self.date_display,
            "slug": self.slug,
            "locale": self.locale,
            "label": self.label.text if self.label else None,
            "standfirst": self.standfirst.text if self.standfirst else None,
            "author": self.author,
            "translator": self.translator,
            "original": self.original_url,
            "credits": [block.text for block in self.credits],
            "english_fallback": self._fallback_ids(),
        }
        return yaml_front_matter({key: value for key, value in data.items() if value not in (None, [])})

    def to_json_data(self) -> dict[str, Any]:
        return {
            "slug": self.slug,
            "locale": self.locale,
            "date": self.date_iso,
            "date_display": self.date_display,
            "label": self.label.text if self.label else None,
            "title": self.title.text,
            "standfirst": self.standfirst.text if self.standfirst else None,
            "paragraphs": [block.text for block in self.paragraphs],
            "notices": [block.text for block in self.notices],
            "author": self.author,
            "author_line": self.author_line,
            "credits": [block.text for block in self.credits],
            "image_copyright": self.image_copyright,
            "translator": self.translator,
            "translator_line": self.translator_line,
            "original_url": self.original_url,
            "read_original": self.read_original,
            "english_fallback": self._fallback_ids(),
        }

    def _fallback_ids(self) -> list[str]:
        blocks = [self.label, self.title, self.standfirst, *self.paragraphs, *self.notices, *self.credits]
        return [block.field_id for block in blocks if block is not None and block.fallback]


def build_page(entry: LocalisedEntry) -> EntryPage:
    """Resolve strings, date and fallbacks of ``entry`` (raises UsageError on a bad locale/URL)."""
    babel_locale = parse_locale(entry.locale)
    strings = entry.strings

    def block(field_id: str, text: str) -> TextBlock:
        return TextBlock(field_id, text, entry.is_fallback(field_id))

    def numbered(kind: str, texts: list[str]) -> list[TextBlock]:
        return [block(f"{kind}.{i}", text) for i, text in enumerate(texts, 1)]

    original = checked_url(entry.original_url, what=f"entry {entry.slug}: original_url") if entry.original_url else None
    return EntryPage(
        slug=entry.slug,
        lang=str(babel_locale).replace("_", "-"),
        locale=entry.locale,
        source_lang=SOURCE_LANG,
        site_name=strings.site_name,
        date=entry.date,
        date_iso=entry.date.isoformat(),
        date_display=format_entry_date(entry.date, entry.locale, strings.date_pattern),
        title=block("title", entry.title),
        label=block("label", entry.label) if entry.label else None,
        standfirst=block("standfirst", entry.standfirst) if entry.standfirst else None,
        paragraphs=numbered("body", entry.paragraphs),
        notices=numbered("notice", entry.notices),
        credits=numbered("credit", entry.credits),
        author=entry.author,
        author_line=strings.author_line(entry.author) if entry.author else None,
        image_copyright=strings.image_copyright,
        translator=entry.translator_credit,
        translator_line=strings.translator_line(entry.translator_credit) if entry.translator_credit else None,
        original_url=original,
        read_original=strings.read_original,
        fallback_notice=strings.fallback_notice if entry.english_fallback else None,
    )

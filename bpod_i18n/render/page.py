"""The view a template sees: one :class:`LocalisedEntry` with its strings resolved.

Everything a template would otherwise compute (dates, "Escrit per NAME", which fields fell
back to English) is decided here, in Python, so the built-in and the mirrors' own templates
only lay text out, and all three formats say the same thing.

Each text block has its plain ``text``, its ``html`` (inline HTML through the sanitiser's
allow-list, or the escaped text) and its ``markdown`` (made from that same sanitised HTML),
so a template can print whichever it needs and never has to escape anything itself.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from html import escape as html_escape
from typing import Any
from urllib.parse import quote, urlsplit

from markupsafe import Markup

from bpod_i18n.errors import UsageError
from bpod_i18n.render.dates import format_entry_date, parse_locale
from bpod_i18n.render.escape import checked_url, markdown_link_target, yaml_front_matter
from bpod_i18n.render.inline import html_to_markdown
from bpod_i18n.render.model import LocalisedEntry
from bpod_i18n.render.sanitise import clean_inline

SOURCE_LANG = "en"


@dataclass(frozen=True)
class TextBlock:
    """One field's text; ``fallback`` = shown wholly in English, so the page marks the element
    lang="en" (a partly English field marks its English sentences inside ``html``)."""

    field_id: str
    text: str
    fallback: bool
    html: Markup = field(default_factory=Markup)

    @property
    def markdown(self) -> Markup:
        """The field as Markdown: inline markup as Markdown syntax, everything else escaped."""
        return html_to_markdown(self.html)


@dataclass(frozen=True)
class ImageView:
    """The entry's picture as a page shows it; ``url`` checked, ``alt`` translated."""

    url: str
    alt: str
    width: int | None
    height: int | None

    def to_json_data(self) -> dict[str, Any]:
        return {"url": self.url, "alt": self.alt, "width": self.width, "height": self.height}


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
    image_copyright: str | None  # None when a credit says so or a Creative Commons licence is stated
    translator: str | None
    translator_line: str | None
    original_url: str | None
    read_original: str
    fallback_notice: str | None  # set only when some field fell back to English
    image: ImageView | None = None
    caption: TextBlock | None = None

    @property
    def image_markdown(self) -> Markup | None:
        return markdown_link_target(self.image.url) if self.image else None

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
            "image": self.image.to_json_data() if self.image else None,
            "caption": self.caption.text if self.caption else None,
            "english_fallback": self._fallback_ids(),
        }
        return yaml_front_matter({key: value for key, value in data.items() if value not in (None, [])})

    def to_json_data(self) -> dict[str, Any]:
        """Plain text of every field, and beside it (``*_html``) the same as sanitised inline HTML."""
        return {
            "image": self.image.to_json_data() if self.image else None,
            "caption": self.caption.text if self.caption else None,
            "caption_html": str(self.caption.html) if self.caption else None,
            "title_html": str(self.title.html),
            "label_html": str(self.label.html) if self.label else None,
            "standfirst_html": str(self.standfirst.html) if self.standfirst else None,
            "paragraphs_html": [str(block.html) for block in self.paragraphs],
            "notices_html": [str(block.html) for block in self.notices],
            "credits_html": [str(block.html) for block in self.credits],
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

    partly_english: tuple[str, ...] = ()

    def _fallback_ids(self) -> list[str]:
        blocks = [self.label, self.title, self.standfirst, self.caption, *self.paragraphs, *self.notices, *self.credits]
        return [
            block.field_id
            for block in blocks
            if block is not None and (block.fallback or block.field_id in self.partly_english)
        ]


def build_page(entry: LocalisedEntry) -> EntryPage:
    """Resolve strings, date and fallbacks of ``entry`` (raises UsageError on a bad locale/URL)."""
    babel_locale = parse_locale(entry.locale)
    strings = entry.strings

    def block(field_id: str, text: str) -> TextBlock:
        given = entry.html.get(field_id)
        # Without inline HTML a field is text: escaped, its whitespace (even a newline) a space.
        html = clean_inline(given) if given is not None else html_escape(text, quote=False)
        return TextBlock(field_id, text, entry.is_fallback(field_id), Markup(html))

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
        image_copyright=strings.image_copyright if entry.image_rights else None,
        translator=entry.translator_credit,
        translator_line=strings.translator_line(entry.translator_credit) if entry.translator_credit else None,
        original_url=original,
        read_original=strings.read_original,
        fallback_notice=strings.fallback_notice if entry.english_fallback or entry.partly_english else None,
        image=_image(entry),
        caption=block("caption", entry.caption) if entry.caption and entry.image else None,
        partly_english=tuple(sorted(entry.partly_english)),
    )


def _image(entry: LocalisedEntry) -> ImageView | None:
    if not entry.image:
        return None
    url = str(entry.image.get("url") or "")
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ("http", "https", "") or url.lstrip().startswith("//") or not url.strip():
        raise UsageError(f"entry {entry.slug}: image must be an http(s) or relative address, not {url!r}")
    return ImageView(
        url=quote(url.strip(), safe=":/?#[]@!$&'()*+,;=%~-._"),
        alt=str(entry.image.get("alt") or ""),
        width=_pixels(entry.image.get("width")),
        height=_pixels(entry.image.get("height")),
    )


def _pixels(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None

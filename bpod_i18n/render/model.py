"""What a mirror page is made of: a localised entry and the site strings around it.

Plain data, no I/O and no templating (the model stays apart from readers and writers, as in
Babel's ``catalog.py``). The workflow builds a :class:`LocalisedEntry` from reviewed
translations; :mod:`bpod_i18n.render.engine` turns it into HTML, Markdown or JSON.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, fields, replace
from typing import Any

from bpod_i18n.errors import UsageError


@dataclass(frozen=True)
class SiteStrings:
    """Translated strings of the mirror's page furniture, shared by every entry of a locale.

    ``{author}`` and ``{translator}`` are placeholders, so a language can put the name
    where its grammar wants it. They are substituted literally (never ``str.format``), so a
    translated site string cannot reach into Python objects.
    """

    written_by: str = "Written by {author}"
    image_copyright: str = "Image rights reserved by the original authors"
    read_original: str = "Read the original English entry"
    translated_by: str = "Translated by {translator}"
    # Shown once at the top when some fields fell back to English.
    fallback_notice: str = "Parts of this entry are not yet translated and are shown in English."
    site_name: str = "BPoD"
    # Babel/CLDR date pattern; None = the locale's default (see render.dates).
    date_pattern: str | None = None

    def __post_init__(self) -> None:
        for name, placeholder in (("written_by", "{author}"), ("translated_by", "{translator}")):
            if placeholder not in getattr(self, name):
                raise UsageError(f"site string {name} must contain {placeholder}: {getattr(self, name)!r}")

    @classmethod
    def for_locale(cls, locale: str) -> SiteStrings:
        """Built-in strings for ``locale`` (exact tag, then language); English otherwise."""
        tag = locale.replace("_", "-")
        defaults = DEFAULT_SITE_STRINGS.get(tag) or DEFAULT_SITE_STRINGS.get(tag.split("-", 1)[0])
        return defaults if defaults is not None else cls()

    def with_overrides(self, **overrides: str | None) -> SiteStrings:
        """A copy with some strings replaced (e.g. from the locale's ``site.po``)."""
        return replace(self, **{name: text for name, text in overrides.items() if text is not None})

    def author_line(self, author: str) -> str:
        return self.written_by.replace("{author}", author)

    def translator_line(self, translator: str) -> str:
        return self.translated_by.replace("{translator}", translator)


DEFAULT_SITE_STRINGS: dict[str, SiteStrings] = {
    "en": SiteStrings(),
    # The Catalan mirror's own wording ("Escrit per", "Drets de la imatge ...").
    "ca": SiteStrings(
        written_by="Escrit per {author}",
        image_copyright="Drets de la imatge reservats pels autors originals",
        read_original="Llegiu l'entrada original en anglès",
        translated_by="Traducció: {translator}",
        fallback_notice="Alguns fragments d'aquesta entrada encara no s'han traduït i es mostren en anglès.",
    ),
    "es": SiteStrings(
        written_by="Escrito por {author}",
        image_copyright="Derechos de la imagen reservados por los autores originales",
        read_original="Lea la entrada original en inglés",
        translated_by="Traducción: {translator}",
        fallback_notice="Algunas partes de esta entrada aún no se han traducido y se muestran en inglés.",
    ),
}

_FIELD_ID = re.compile(r"^(label|title|standfirst|alt|caption)$|^(body|notice|credit)\.([1-9][0-9]*)$")


@dataclass
class LocalisedEntry:
    """One entry in one locale, ready to render.

    Every text is final: paragraphs are already joined from their translated sentences.
    ``author`` is a person's name and is never translated. ``english_fallback`` holds the
    field ids (``"title"``, ``"body.2"``, ``"notice.1"``...) rendered wholly in English because
    they were untranslated and the user allowed fallback; pages mark them ``lang="en"``.
    ``partly_english`` holds those with some English sentences: their ``html`` marks each one.

    Text fields are plain text. ``html`` maps a field id to its inline HTML (italics, links,
    sub/sup, ``<span lang="en">``), which pages use instead of the escaped text; it is
    sanitised when the page is built (bpod_i18n.render.sanitise), whatever its origin.
    ``image`` is ``{"url", "alt", "width", "height"}`` (alt already translated), ``caption``
    its caption. ``image_rights``: whether the "rights reserved by the original authors" line
    is due (no credit says so and no Creative Commons licence is stated).
    """

    slug: str
    locale: str
    date: dt.date
    title: str
    paragraphs: list[str]
    label: str | None = None
    standfirst: str | None = None
    notices: list[str] = field(default_factory=list)
    author: str | None = None
    credits: list[str] = field(default_factory=list)
    translator_credit: str | None = None
    original_url: str | None = None
    english_fallback: set[str] = field(default_factory=set)
    site_strings: SiteStrings | None = None  # None = SiteStrings.for_locale(locale)
    html: dict[str, str] = field(default_factory=dict)
    partly_english: set[str] = field(default_factory=set)
    image: dict[str, Any] | None = None
    caption: str | None = None
    image_rights: bool = True

    def __post_init__(self) -> None:
        if not isinstance(self.date, dt.date):
            raise UsageError(f"entry {self.slug}: date must be a datetime.date, not {type(self.date).__name__}")
        counts = {"body": len(self.paragraphs), "notice": len(self.notices), "credit": len(self.credits)}
        for field_id in sorted(self.english_fallback | self.partly_english | set(self.html)):
            match = _FIELD_ID.match(field_id)
            if match is None:
                raise UsageError(f"entry {self.slug}: unknown field id {field_id!r} in english_fallback")
            kind, number = match.group(2), match.group(3)
            if kind is not None and int(number) > counts[kind]:
                raise UsageError(f"entry {self.slug}: english_fallback names {field_id}, which does not exist")
        if self.image is not None and not isinstance(self.image.get("url"), str):
            raise UsageError(f"entry {self.slug}: image must have a url")

    @property
    def strings(self) -> SiteStrings:
        return self.site_strings if self.site_strings is not None else SiteStrings.for_locale(self.locale)

    def is_fallback(self, field_id: str) -> bool:
        return field_id in self.english_fallback

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (dates as ISO strings, sets as sorted lists)."""
        data: dict[str, Any] = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "site_strings"}
        data["date"] = self.date.isoformat()
        data["english_fallback"] = sorted(self.english_fallback)
        data["partly_english"] = sorted(self.partly_english)
        for key in ("paragraphs", "notices", "credits"):
            data[key] = list(data[key])
        if self.site_strings is not None:
            data["site_strings"] = {f.name: getattr(self.site_strings, f.name) for f in fields(SiteStrings)}
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LocalisedEntry:
        """Inverse of :meth:`to_dict`; unknown keys are an error, not silently dropped."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise UsageError(f"unknown LocalisedEntry field(s): {', '.join(unknown)}")
        values = dict(data)
        try:
            values["date"] = dt.date.fromisoformat(str(data["date"]))
        except (KeyError, ValueError) as exc:
            raise UsageError(f"entry {data.get('slug')}: date must be YYYY-MM-DD ({exc})") from None
        values["english_fallback"] = set(data.get("english_fallback", ()))
        values["partly_english"] = set(data.get("partly_english", ()))
        if data.get("site_strings") is not None:
            base = SiteStrings.for_locale(str(data.get("locale", "en")))
            try:
                values["site_strings"] = base.with_overrides(**data["site_strings"])
            except TypeError as exc:
                raise UsageError(f"entry {data.get('slug')}: bad site_strings ({exc})") from None
        try:
            return cls(**values)
        except TypeError as exc:  # a required field is missing
            raise UsageError(f"entry {data.get('slug')}: {exc}") from None

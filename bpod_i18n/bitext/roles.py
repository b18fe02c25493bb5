"""What a line of a localised entry is: body, notice, author or image credit.

The same rules as the English reader's (``sources/patterns.py``), in the mirror's wording:
"Escrit per NAME" is the author; "Imatge del treball de X i col·laboradors", "Imatge de …",
"Drets de la imatge reservats pels autors originals", "Publicada originalment amb una
llicència Creative Commons …" are credits, and a short line right after a credit (an
institution) belongs to it; "Llegiu l'article … aquí", "Publicat a …", "Avui és …" are
notices. Locales without wording of their own here read with Catalan's and the English one's
together (a mirror keeps some lines in English).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from bpod_i18n.sources.patterns import AUTHOR_RE as EN_AUTHOR_RE
from bpod_i18n.sources.patterns import is_credit_start as en_credit_start
from bpod_i18n.sources.patterns import is_notice as en_notice

NOTICE_MAX_WORDS = 40
CREDIT_MAX_WORDS = 60
AFFILIATION_MAX_WORDS = 30


class Role(StrEnum):
    BODY = "body"
    NOTICE = "notice"
    AUTHOR = "author"
    CREDIT = "credit"


def _compile(*patterns: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.IGNORECASE | re.DOTALL) for p in patterns)


@dataclass(frozen=True)
class Wording:
    author: re.Pattern[str]
    notices: tuple[re.Pattern[str], ...]
    credits: tuple[re.Pattern[str], ...]
    affiliation: re.Pattern[str]


_CA_MEDIA = r"(?:Imatges?|V[íi]deos?|Fotos?|Fotografies?|Fotografia|Il·lustraci(?:ó|ons)|Animaci(?:ó|ons))"
_ES_MEDIA = r"(?:Imágenes?|V[íi]deos?|Fotos?|Fotografías?|Ilustraci(?:ón|ones)|Animaci(?:ón|ones))"

WORDING: dict[str, Wording] = {
    "ca": Wording(
        author=re.compile(r"(?:Escrit|Escrita|Text) per(?:[\s:]+(?P<name>.*))?", re.IGNORECASE | re.DOTALL),
        notices=_compile(
            r"(?:Llegiu|Llegeix|Vegeu|Veieu|Mireu|Consulteu|Descobriu|Visiteu)\b.*\baquí\W*",
            r"(?:Investigació |Originalment )?(?:publicat|publicada) (?:a|en)\b.+",
            r"(?:Avui|Aquesta setmana|Aquest mes) (?:és|se celebra)\b.+",
        ),
        credits=_compile(
            # "de" elides before a vowel: "Imatge del treball d’Ana Silva".
            _CA_MEDIA
            + r"\s+(?:(?:del treball|dels treballs|cortesia)\s+d(?:e\s|['’])|d(?:e\s|['’])|(?:cedida\s+)?per\s).*",
            r"Drets de (?:la|les) imatges?\b.*",
            _CA_MEDIA + r"\b.*\b(?:drets|copyright)\b.*",
            r"(?:Publicada|Publicat|Publicades) originalment\b.*",
            r"(?:Copyright|Crèdit|Cortesia de)\b.*",
            r"\u00a9.*",
        ),
        affiliation=re.compile(
            r"\b(?:Institut\w*|Universi\w*|Col·legi|Departament|Laborator\w*|Centre|Escola|Hospital|Facultat|"
            r"Unitat|Fundació|Museu|Consell|Observatori|Institute|University|College|Department|Laboratory|"
            r"Center|School|Faculty|Unit|Trust|Foundation|Council)\b",
            re.IGNORECASE,
        ),
    ),
    "es": Wording(
        author=re.compile(r"(?:Escrito|Escrita|Texto) por(?:[\s:]+(?P<name>.*))?", re.IGNORECASE | re.DOTALL),
        notices=_compile(
            r"(?:Lee|Leed|Lea|Vea|Mira|Consulta|Descubre)\b.*\baquí\W*",
            r"(?:Investigación |Originalmente )?publicad[oa] en\b.+",
            r"(?:Hoy|Esta semana|Este mes) (?:es|se celebra)\b.+",
        ),
        credits=_compile(
            _ES_MEDIA + r"\s+(?:del trabajo de|de|por|cortesía de|cedida por)\b.*",
            r"Derechos de (?:la|las) imágen(?:es)?\b.*",
            r"(?:Publicada|Publicado|Publicadas) originalmente\b.*",
            r"(?:Copyright|Crédito|Cortesía de)\b.*",
            r"\u00a9.*",
        ),
        affiliation=re.compile(
            r"\b(?:Institut\w*|Universi\w*|Colegio|Departamento|Laborator\w*|Centro|Escuela|Hospital|Facultad|"
            r"Unidad|Fundación|Museo|Consejo|Institute|University|Department|Laboratory|Center|School)\b",
            re.IGNORECASE,
        ),
    ),
}
_SENTENCE_END = re.compile(r"[.!?][\"'\u2019\u201d»)\]]*$")


def wording(locale: str) -> Wording:
    return WORDING.get(locale.split("_")[0], WORDING["ca"])


def _words(text: str) -> int:
    return len(text.split())


def author_of(text: str, locale: str) -> tuple[bool, str | None]:
    """(is an author line, the name): "Escrit per Kat Arney" → (True, "Kat Arney")."""
    line = text.strip()
    match = wording(locale).author.fullmatch(line) or EN_AUTHOR_RE.fullmatch(line)
    if match is None:
        return False, None
    return True, (match.group("name") or "").strip() or None


def classify(text: str, previous: Role | None, locale: str) -> Role:
    """Role of a line of a localised entry's content; ``previous`` is the line before's."""
    line = text.strip()
    words = wording(locale)
    if author_of(line, locale)[0]:
        return Role.AUTHOR
    if (_words(line) <= NOTICE_MAX_WORDS and any(p.fullmatch(line) for p in words.notices)) or en_notice(line):
        return Role.NOTICE
    if (_words(line) <= CREDIT_MAX_WORDS and any(p.fullmatch(line) for p in words.credits)) or en_credit_start(line):
        return Role.CREDIT
    if previous is Role.CREDIT and _words(line) <= AFFILIATION_MAX_WORDS:
        # An institution, or a place list ("Lisboa, Portugal"); a short line of neither kind
        # after the credits is the site's footer ("Cerca a l'arxiu"), not part of a credit.
        unended = _SENTENCE_END.search(line) is None
        if words.affiliation.search(line) or (unended and "," in line):
            return Role.CREDIT
    return Role.BODY


@dataclass(frozen=True)
class Content:
    """An entry's content lines sorted by role."""

    paragraphs: tuple[str, ...]
    notices: tuple[str, ...]
    credits: tuple[str, ...]
    author: str | None


def sort_lines(lines: Sequence[str], locale: str) -> Content:
    """Body paragraphs, notices, credits and the author of an entry's content lines.

    After the author line and the credits, the entry is over: a body-like line there is the
    site's footer, which a copied page brings along ("Cerca a l'arxiu", "Què és el BPoD?").
    """
    paragraphs: list[str] = []
    notices: list[str] = []
    credits: list[str] = []
    author: str | None = None
    previous: Role | None = None
    seen_author = False
    for raw in lines:
        line = " ".join(raw.split())
        if not line:
            continue
        role = classify(line, previous, locale)
        if role is Role.AUTHOR:
            seen_author = True
            author = author_of(line, locale)[1] or author
        elif role is Role.CREDIT:
            credits.append(line)
        elif role is Role.NOTICE:
            notices.append(line)
        elif seen_author or credits:
            if previous in (Role.AUTHOR, Role.CREDIT) and not seen_author:
                paragraphs.append(line)  # credits before the body (some layouts): keep reading
            else:
                break
        else:
            paragraphs.append(line)
        previous = role
    return Content(tuple(paragraphs), tuple(notices), tuple(credits), author)

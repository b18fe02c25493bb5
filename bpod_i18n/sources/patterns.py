"""What a line after an entry's date is: body, notice, author or image credit.

The rules, in the order they are tried (first match wins):

1. **Author**: ``Written by NAME``; ``Written by`` alone means no author.
2. **Notice** (a short line of at most ``NOTICE_MAX_WORDS`` words), one of:
   - a link line: ``Read/See/Watch/Find out/Learn/Discover/Explore/Visit ... here``
     ("Read the published research article here");
   - a publication line: ``Published in ...`` / ``Research published in ...``
     ("Published in Developmental Cell, November 2021");
   - a day notice: ``Today is ...`` / ``This week is ...`` / ``This month is ...``;
   - a competition or exhibition notice: starts with "Entries for", "Enter", "Winner of",
     "Shortlisted", "Runner-up", "Highly commended" or "Part of", and names a competition,
     award, prize, exhibition or series.
3. **Credit start** (at most ``CREDIT_MAX_WORDS`` words): ``Image/Video/Photo/... from work by``,
   ``... by``, ``... courtesy of``, ``... copyright ...``, ``Copyright ...``, ``©``,
   ``Credit: ...``, ``Courtesy of ...``, ``Originally published under/with ... Creative Commons``,
   ``Image originally published ...``, ``Published under a Creative Commons ...``.
4. **Credit continuation**: a line right after a credit line is part of the credit when it is
   short (at most ``AFFILIATION_MAX_WORDS`` words) and either names an institution
   (Institute, University, College, Department, Laboratory, Centre/Center, School, Hospital,
   Faculty, Unit, Trust, Foundation, Museum...) or does not end like a sentence (no final
   ``.``, ``!`` or ``?``). This keeps "Institute of Cancer Research, London, UK" with the
   "Image from work by ..." line above it while a short body paragraph stays body.
5. Anything else is a **body** paragraph.

The word limits stop a long body paragraph that happens to start with "Today is" or
"Image by" from being taken for a notice or a credit.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum

from bpod_i18n.sources.site import compile_patterns

NOTICE_MAX_WORDS = 40
CREDIT_MAX_WORDS = 60
AFFILIATION_MAX_WORDS = 30


class Role(StrEnum):
    """What a block of an entry page is. Readers may preset it from explicit markup."""

    LABEL = "label"
    TITLE = "title"
    STANDFIRST = "standfirst"
    DATE = "date"
    BODY = "body"
    NOTICE = "notice"
    AUTHOR = "author"
    CREDIT = "credit"
    CAPTION = "caption"  # a figure's caption (its credit lines are told apart by the rules above)
    CHROME = "chrome"


MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
DATE_RE = re.compile(r"(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})")


def parse_page_date(text: str) -> dt.date | None:
    """``06 January 2013`` or ``6 January 2013`` -> date; None if the line is not a date.

    Raises ValueError for a date-shaped line that names no real day (31 February 2013).
    """
    match = DATE_RE.fullmatch(text.strip())
    if match is None or match.group(2).lower() not in MONTHS:
        return None
    day, month, year = int(match.group(1)), MONTHS.index(match.group(2).lower()) + 1, int(match.group(3))
    return dt.date(year, month, day)


AUTHOR_RE = re.compile(r"Written by(?:[\s:]+(?P<name>.*))?", re.IGNORECASE | re.DOTALL)


def author_name(text: str) -> str | None:
    """The writer's name from a ``Written by`` line (None when the name is missing)."""
    match = AUTHOR_RE.fullmatch(text.strip())
    if match is None:
        return text.strip() or None
    return (match.group("name") or "").strip() or None


NOTICE_PATTERNS = compile_patterns(
    r"(?:Read|See|Watch|Find out|Learn|Discover|Explore|Visit)\b.*\bhere\W*",
    r"(?:Research |Originally )?published in\b.+",
    r"(?:Today|This week|This month) is\b.+",
    r"(?:Entries for|Enter|Winners? of|Shortlisted|Runner-up|Highly commended|Part of)\b.*"
    r"\b(?:competitions?|awards?|prizes?|exhibitions?|series)\b.*",
)

_MEDIA = r"(?:Images?|Videos?|Photos?|Photographs?|Pictures?|Movies?|Animations?|Illustrations?|Artwork)"
CREDIT_PATTERNS = compile_patterns(
    _MEDIA + r"\s+(?:from work by|by|courtesy of|credit)\b.*",
    _MEDIA + r"\b.*\bcopyright\b.*",
    _MEDIA + r"\s+originally published\b.*",
    r"(?:Copyright|Credit|Courtesy of)\b.*",
    r"\u00a9.*",
    r"(?:Originally )?published (?:under|with)\b.*Creative Commons.*",
)

AFFILIATION_RE = re.compile(
    r"\b(?:Institut\w*|Universit\w*|College|Department|Dept|Laborator\w*|Lab|Centre|Center|School|"
    r"Hospital|Faculty|Unit|Trust|Foundation|Museum|Council|Observatory)\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?][\"'\u2019\u201d)\]]*$")


def _words(text: str) -> int:
    return len(text.split())


def is_notice(text: str) -> bool:
    line = text.strip()
    return _words(line) <= NOTICE_MAX_WORDS and any(p.fullmatch(line) for p in NOTICE_PATTERNS)


def is_credit_start(text: str) -> bool:
    line = text.strip()
    return _words(line) <= CREDIT_MAX_WORDS and any(p.fullmatch(line) for p in CREDIT_PATTERNS)


def is_credit_continuation(text: str) -> bool:
    line = text.strip()
    if _words(line) > AFFILIATION_MAX_WORDS:
        return False
    return AFFILIATION_RE.search(line) is not None or _SENTENCE_END.search(line) is None


def classify(text: str, previous: Role | None) -> Role:
    """Role of a line after the date; ``previous`` is the role of the line before it."""
    if AUTHOR_RE.fullmatch(text.strip()):
        return Role.AUTHOR
    if is_notice(text):
        return Role.NOTICE
    if is_credit_start(text):
        return Role.CREDIT
    if previous is Role.CREDIT and is_credit_continuation(text):
        return Role.CREDIT
    return Role.BODY

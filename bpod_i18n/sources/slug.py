"""Entry slugs: ``<ISO date>-<title in lowercase ASCII words joined by hyphens>``."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

# Letters that Unicode decomposition does not reduce to ASCII.
_SPECIAL = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ø": "o",
        "Ø": "o",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "þ": "th",
        "Þ": "th",
        "&": " and ",
        "µ": "micro",
    }
)
# Apostrophes vanish ("It's" -> "its") instead of splitting a word in two.
_APOSTROPHES = re.compile(r"['\u2018\u2019\u02bc]")
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def _ascii_fold(text: str) -> str:
    out: list[str] = []
    for char in unicodedata.normalize("NFKD", text.translate(_SPECIAL)):
        if char.isascii():
            out.append(char)
        elif unicodedata.combining(char):
            continue  # the accent of an accented letter
        else:
            # Greek letters are common in biomedical titles (α-synuclein): spell them out.
            name = unicodedata.name(char, "")
            if name.startswith("GREEK") and " LETTER " in name:
                out.append(" " + name.rsplit(" ", 1)[-1].lower() + " ")
            else:
                out.append(" ")
    return "".join(out)


def slugify(text: str) -> str:
    """Lowercase ASCII words of ``text`` joined by hyphens ("Café Cells" -> "cafe-cells")."""
    folded = _ascii_fold(_APOSTROPHES.sub("", text)).lower()
    return _NOT_ALNUM.sub("-", folded).strip("-")


def make_slug(date: dt.date, title: str) -> str:
    """``2016-07-22-massing-to-defend`` from the date and title of an entry.

    A title with no letter or digit left after folding gives ``<date>-entry``.
    """
    return f"{date.isoformat()}-{slugify(title) or 'entry'}"


def is_valid_slug(slug: str) -> bool:
    return SLUG_RE.fullmatch(slug) is not None

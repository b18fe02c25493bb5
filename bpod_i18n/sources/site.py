"""Strings of the BPoD site itself, and recognisers for its chrome.

Site strings (banner, footer, "Written by", credit boilerplate...) are translated once per
locale in the shared site catalog (``locales/<lc>/site.po``), never per entry. The readers
use the recognisers below to keep banner and footer lines out of entries.

Banner lines are only ever recognised at the *top* of a page (before the title): an
"Institute of ..." line further down is an image credit, not chrome. Footer markers end
the entry: everything after the first one is site chrome.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# The "What is BPoD?" paragraph of the footer, as on the live site (its wording has changed
# over the years; FOOTER_PATTERNS recognises every version by its first words).
WHAT_IS_BPOD_TEXT = (
    "BPoD stands for Biomedical Picture of the Day. Managed by the MRC Laboratory of Medical "
    "Sciences until Jul 2023, it is now run independently by a dedicated team of scientists and "
    "writers. The website aims to engage everyone, young and old, in the wonders of biology, and "
    "its influence on medicine. The ever-growing archive of more than 4000 research images "
    "documents over a decade of progress. Explore the collection and see what you discover. "
    "Images are kindly provided for inclusion on this website through the generosity of "
    "scientists across the globe."
)


@dataclass(frozen=True)
class SiteString:
    """One string of the site chrome: a stable key, the English text, a note for translators."""

    key: str
    text: str
    comment: str = ""


SITE_STRINGS: tuple[SiteString, ...] = (
    # Banner (top of every page; versions changed over the years).
    SiteString("banner.moved", "BPoD has moved!"),
    SiteString(
        "banner.new-domain",
        "BPoD has recently changed our domain name - we can now be found at bpod.org.uk",
    ),
    SiteString("banner.bookmarks", "Please update your bookmarks!"),
    SiteString("banner.institute", "Medical Research Council - London Institute of Medical Sciences"),
    SiteString(
        "banner.year",
        "Now in our {ordinal} year of bringing you beautiful imagery from biomedical science every day",
        "{ordinal} is the year count written as an English ordinal, e.g. 13th",
    ),
    SiteString("banner.search", "Search the archive of over 4000 images"),
    # Entry furniture.
    SiteString("entry.written-by", "Written by", "Followed by the writer's name"),
    SiteString("credit.from-work-by", "Image from work by", "Followed by the researchers' names"),
    SiteString("credit.image-by", "Image by", "Followed by the photographer's or artist's name"),
    SiteString("credit.copyright-authors", "Image copyright held by the original authors"),
    SiteString("credit.cc-by-4", "Originally published under a Creative Commons Licence (BY 4.0)"),
    SiteString("notice.read-research", "Read the published research article here"),
    # Footer.
    SiteString("footer.search", "Search The Archive"),
    SiteString("footer.submit", "Submit An Image"),
    SiteString("footer.tumblr", "Follow on Tumblr"),
    SiteString("footer.instagram", "Follow on Instagram"),
    SiteString("footer.what-is", "What is BPoD?"),
    SiteString("footer.what-is-text", WHAT_IS_BPOD_TEXT, "Several sentences; segmented like a body paragraph"),
    SiteString("footer.read-more", "Read More"),
    SiteString(
        "footer.catalan",
        "BPoD is also available in Catalan at www.bpod.cat with translations by the University of Valencia.",
    ),
    # Mirror pages (added by bpod-i18n around a translated entry).
    SiteString("mirror.original", "Read the original English entry"),
    SiteString("mirror.translated-by", "Translated by", "Followed by the translator's name"),
)

_BY_TEXT = {s.text: s for s in SITE_STRINGS}


def site_string_for(text: str) -> SiteString | None:
    """The site string whose English text is exactly ``text`` (e.g. a boilerplate credit)."""
    return _BY_TEXT.get(text.strip())


def compile_patterns(*patterns: str) -> tuple[re.Pattern[str], ...]:
    """Case-insensitive rules matched against whole stripped lines (site.py and patterns.py)."""
    return tuple(re.compile(p, re.IGNORECASE) for p in patterns)


# Every historic banner line, matched against a whole stripped line.
BANNER_PATTERNS = compile_patterns(
    r"BPoD has moved!?",
    r"BPoD has recently changed (?:our|its) domain name\b.*",
    r"Please update your bookmarks!?",
    r"(?:Medical Research Council|MRC)\s*[-\u2013\u2014]?\s*London Institute of Medical Sciences",
    r"Now in (?:our|its) \d+(?:st|nd|rd|th) year of bringing you beautiful imagery\b.*",
    r"Search the archive of over [\d,]+ images",
    r"Biomedical Picture of the Day",
)

# Footer markers: the first one after the entry's date ends the entry.
FOOTER_PATTERNS = compile_patterns(
    r"Search The Archive",
    r"Submit An Image",
    r"Follow (?:us )?on \w+",
    r"What is BPoD\??",
    r"BPoD stands for Biomedical Picture of the Day\b.*",
    r"Read More",
    r"BPoD is also available in \w+\b.*",
)


def is_banner_line(text: str) -> bool:
    """True for a line of the site banner (only meaningful at the top of a page)."""
    line = text.strip()
    return any(p.fullmatch(line) for p in BANNER_PATTERNS)


def is_footer_line(text: str) -> bool:
    """True for a line of the site footer (the entry ends before the first one)."""
    line = text.strip()
    return any(p.fullmatch(line) for p in FOOTER_PATTERNS)


def is_chrome_line(text: str) -> bool:
    """True for any banner or footer line."""
    return is_banner_line(text) or is_footer_line(text)


_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class SiteChrome:
    """Site lines a project declares (``[ingest] extra_chrome``): a seasonal greeting, a new
    banner. Each is a whole line, compared without regard to case or runs of spaces, or, written
    ``re:PATTERN``, a regular expression the whole line must match. Readers drop such lines
    wherever they stand."""

    lines: tuple[str, ...] = ()
    _exact: frozenset[str] = field(init=False, repr=False, compare=False, default=frozenset())
    _patterns: tuple[re.Pattern[str], ...] = field(init=False, repr=False, compare=False, default=())

    def __post_init__(self) -> None:
        exact, patterns = set(), []
        for line in self.lines:
            if line.startswith("re:"):
                patterns.append(re.compile(line[3:], re.IGNORECASE))  # re.error: the config says which
            else:
                exact.add(_SPACES.sub(" ", line).strip().casefold())
        object.__setattr__(self, "_exact", frozenset(exact))
        object.__setattr__(self, "_patterns", tuple(patterns))

    def matches(self, text: str) -> bool:
        if not self.lines:
            return False
        line = _SPACES.sub(" ", text).strip()
        return line.casefold() in self._exact or any(p.fullmatch(line) for p in self._patterns)


NO_CHROME = SiteChrome()

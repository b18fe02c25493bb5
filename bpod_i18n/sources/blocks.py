"""Turn the blocks of an entry page into a SourceEntry; every reader ends here.

A *block* is one paragraph-sized piece of a page in reading order: one non-blank line of
page text, one ``<p>``/``<h1>``/... of HTML, one front-matter field or Markdown paragraph.
A reader may preset a block's role from explicit markup (``<time datetime>``,
``class="standfirst"``, a front-matter key); the rest is worked out here from the layout
of BPoD pages:

    [banner lines]                 dropped (site.BANNER_PATTERNS), only at the top
    [LABEL ]TITLE                  "Born on this Day Sunny Bones"
    [standfirst]                   one optional line
    DATE                           "06 January 2013" (within the first four blocks)
    [TITLE]                        the plain title repeated: gives the label by difference
    body / notices / author / credits   (patterns.classify)
    [footer]                       everything from the first footer marker on is dropped

Two more layouts of the archive are read too: the title only *after* the date line (nothing
but banners before the date: the first line after it is the title when it reads like one,
short and without a final full stop), and a standfirst *between* the banner and the date with
the title after the date (a line before the date that the line after it does not repeat, when
that line reads like a title and is the shorter of the two). Lines the project declares as
site chrome (``[ingest] extra_chrome``) are dropped wherever they stand.

Text is kept exactly as the block gives it, stripped at the ends only; a block from HTML,
Markdown or JSON also carries its inline markup as tagged text (bpod_i18n.markup), which is
what the entry's fields keep.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from bpod_i18n import markup
from bpod_i18n.errors import InputError
from bpod_i18n.model import Image, SourceEntry
from bpod_i18n.sources.patterns import (
    Role,
    author_name,
    classify,
    is_credit_continuation,
    is_credit_start,
    parse_page_date,
)
from bpod_i18n.sources.site import NO_CHROME, SiteChrome, is_banner_line, is_footer_line
from bpod_i18n.sources.slug import is_valid_slug, make_slug

# The date must come early: title line, standfirst, date (plus a separate label block).
DATE_WINDOW = 4
HEADER_ROLES = frozenset({Role.LABEL, Role.TITLE, Role.STANDFIRST})
BODY_ONLY_HINT = "no date found (a body-only copy?); give --date and --title"
# A line reads like a title: at most this many words and no final full stop.
TITLE_MAX_WORDS = 12


@dataclass(frozen=True)
class Block:
    """One paragraph-sized piece of a page; ``line`` is where it starts in the file."""

    text: str  # plain text: what the layout rules read
    line: int | None = None
    role: Role | None = None
    date: dt.date | None = None  # set by readers that found a machine-readable date
    tagged: str | None = None  # the text with its inline markup, where the reader had some

    @property
    def content(self) -> str:
        """What an entry's field keeps: the tagged text (plain text escaped as tagged text)."""
        return self.tagged.strip() if self.tagged is not None else markup.escape(self.text.strip())


@dataclass
class _Fields:
    title_line: Block | None = None
    title: str | None = None  # tagged text, like every text field here
    label: str | None = None
    standfirst: str | None = None
    date: dt.date | None = None
    date_block: Block | None = None
    paragraphs: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    credits: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    author: str | None = None
    author_block: Block | None = None


def assemble_entry(
    blocks: list[Block],
    *,
    path: Path,
    source_format: str,
    date: dt.date | None = None,
    title: str | None = None,
    slug: str | None = None,
    slug_line: int | None = None,
    image: Image | None = None,
    chrome: SiteChrome = NO_CHROME,
) -> SourceEntry:
    """The entry the blocks describe; ``date``/``title`` fill in what a body-only copy lacks.

    ``image`` is the entry's picture as the reader found it (its caption is joined by any
    caption blocks); ``chrome`` the site lines the project declared.
    """
    blocks = [
        b
        for b in blocks
        if b.role is not Role.CHROME and (b.text.strip() or b.date) and not (b.role is None and chrome.matches(b.text))
    ]
    blocks = _drop_banner(blocks)
    found = _Fields()
    date_at = _find_date(blocks, path)
    if date_at is None:
        head, tail = [], blocks
    else:
        head, tail = blocks[:date_at], blocks[date_at + 1 :]
        found.date_block = blocks[date_at]
        found.date = _block_date(found.date_block, path)
    # Body-like blocks marked up before the date (a credit in a <figure>) read as body.
    tail = [b for b in head if b.role not in HEADER_ROLES and b.role is not None] + _cut_footer(tail)
    # A banner line between title and date (some layouts) is chrome too.
    head = [b for b in head if b.role in HEADER_ROLES or (b.role is None and not is_banner_line(b.text))]
    hinted = {role: _first(head + tail, role) for role in HEADER_ROLES}
    rest = [b for b in tail if b.role not in HEADER_ROLES]

    _read_header(found, head, rest, hinted, title, path)
    _read_body(found, rest, path)
    return _finish(found, path, source_format, date, title, slug, slug_line, image)


def _first(blocks: list[Block], role: Role) -> Block | None:
    return next((b for b in blocks if b.role is role), None)


def _drop_banner(blocks: list[Block]) -> list[Block]:
    start = 0
    while start < len(blocks) and blocks[start].role is None and is_banner_line(blocks[start].text):
        start += 1
    return blocks[start:]


def _cut_footer(blocks: list[Block]) -> list[Block]:
    """Drop the unmarked blocks from the first footer marker on; marked-up blocks stay."""
    for i, block in enumerate(blocks):
        if block.role is None and is_footer_line(block.text):
            return blocks[:i] + [b for b in blocks[i + 1 :] if b.role is not None]
    return blocks


def _find_date(blocks: list[Block], path: Path) -> int | None:
    for i, block in enumerate(blocks):
        if block.role is Role.DATE:
            return i
    for i, block in enumerate(blocks[:DATE_WINDOW]):
        if block.role is None and _block_date(block, path, quiet=True) is not None:
            return i
    return None


def _block_date(block: Block, path: Path, *, quiet: bool = False) -> dt.date | None:
    if block.date is not None:
        return block.date
    try:
        value = parse_page_date(block.text)
    except ValueError:
        raise InputError(f"no such day: {block.text.strip()!r}", path=path, line=block.line) from None
    if value is None and not quiet:
        raise InputError(f"not a date: {block.text.strip()!r}", path=path, line=block.line)
    return value


def _title_suffix(title_line: str, plain: str) -> str | None:
    """The label in front of ``plain`` in ``title_line`` ("" if none); None if no match."""
    line, plain = title_line.strip(), plain.strip()
    if not plain:
        return None
    if line == plain:
        return ""
    if line.endswith(plain) and line[: -len(plain)][-1:].isspace():
        # "Born on this Day: Sunny Bones" -> "Born on this Day" (the separator is layout).
        return line[: -len(plain)].strip().rstrip(":|\u2013\u2014-").rstrip()
    return None


def _read_header(
    found: _Fields,
    head: list[Block],
    rest: list[Block],
    hinted: dict[Role, Block | None],
    title_arg: str | None,
    path: Path,
) -> None:
    plain_head = [b for b in head if b.role is None]
    # The plain title repeated after the date (the first unmarked block); it gives the label.
    repeat = next((b for b in rest if b.role is None), None)
    if (standfirst := hinted[Role.STANDFIRST]) is not None:
        found.standfirst = standfirst.content
    if hinted[Role.TITLE] is None and not title_arg and repeat is not None and _reads_as_title(repeat.text):
        if not plain_head and rest and rest[0] is repeat and found.date_block is not None:
            # Title after the date line: nothing but banners came before the date.
            plain_head = [rest.pop(0)]
            repeat = next((b for b in rest if b.role is None), None)
        elif (
            len(plain_head) == 1
            and found.standfirst is None
            and _title_suffix(plain_head[0].text, repeat.text) is None
            and len(repeat.text.split()) < len(plain_head[0].text.split())
        ):
            # A standfirst between the banner and the date, the title after the date.
            found.standfirst = plain_head[0].content
            plain_head = [repeat]
            rest.remove(repeat)
            repeat = next((b for b in rest if b.role is None), None)

    if hinted[Role.TITLE] is not None:
        found.title_line = hinted[Role.TITLE]
    elif plain_head:
        at = 0
        if repeat is not None:
            at = next((i for i, b in enumerate(plain_head) if _title_suffix(b.text, repeat.text) is not None), 0)
        if at > 0:
            stray = plain_head[0]
            raise InputError(
                f"unrecognised line before the title: {stray.text.strip()!r} "
                "(a new site banner? declare it in [ingest] extra_chrome)",
                path=path,
                line=stray.line,
            )
        found.title_line = plain_head.pop(0)
    elif title_arg and rest and rest[0].role is None:
        # A copy without the title line before the date that still starts with its title.
        if _title_suffix(rest[0].text, title_arg) is not None:
            found.title_line = rest.pop(0)
            repeat = next((b for b in rest if b.role is None), None)

    if plain_head:
        extra = plain_head[0]
        if found.standfirst is not None or len(plain_head) > 1:
            raise InputError(f"unexpected line before the date: {extra.text.strip()!r}", path=path, line=extra.line)
        found.standfirst = extra.content

    if found.title_line is None:
        return
    line = found.title_line.text.strip()
    if (label_block := hinted[Role.LABEL]) is not None:
        found.label = label_block.content
        found.title = found.title_line.content
    elif repeat is not None and (label := _title_suffix(line, repeat.text)) is not None:
        found.label, found.title = (markup.escape(label) if label else None), repeat.content
    elif title_arg and (label := _title_suffix(line, title_arg)) is not None:
        found.label, found.title = (markup.escape(label) if label else None), markup.escape(title_arg.strip())
    else:
        found.title = found.title_line.content
    if repeat is not None and repeat.text.strip() == markup.plain(found.title):
        rest.remove(repeat)


def _reads_as_title(text: str) -> bool:
    """Short, starting with a capital, no final full stop: how BPoD titles look."""
    line = text.strip()
    words = line.split()
    return (
        0 < len(words) <= TITLE_MAX_WORDS
        and line[0].isupper()
        and line[-1] not in ".!?:;,"
        and classify(line, None) is Role.BODY
    )


def _read_body(found: _Fields, rest: list[Block], path: Path) -> None:
    previous: Role | None = None
    for block in rest:
        role = block.role or classify(block.text, previous)
        text = block.content
        if role is Role.CAPTION:
            # A figure's caption may hold its credit lines, unmarked.
            plain_text = block.text.strip()
            if is_credit_start(plain_text) or (previous is Role.CREDIT and is_credit_continuation(plain_text)):
                role = Role.CREDIT
        if role is Role.AUTHOR:
            if found.author_block is not None:
                raise InputError(
                    f"a second 'Written by' line (first at line {found.author_block.line})",
                    path=path,
                    line=block.line,
                )
            found.author_block, found.author = block, author_name(block.text.strip())
        elif role is Role.NOTICE:
            found.notices.append(text)
        elif role is Role.CREDIT:
            found.credits.append(text)
        elif role is Role.CAPTION:
            found.captions.append(text)
        elif role is Role.DATE:
            raise InputError(f"a second date: {block.text.strip()!r}", path=path, line=block.line)
        else:
            found.paragraphs.append(text)
        previous = role


def _finish(
    found: _Fields,
    path: Path,
    source_format: str,
    date_arg: dt.date | None,
    title_arg: str | None,
    slug: str | None,
    slug_line: int | None,
    image: Image | None,
) -> SourceEntry:
    date_line = found.date_block.line if found.date_block else None
    if found.date is not None and date_arg is not None and date_arg != found.date:
        raise InputError(
            f"the file is dated {found.date.isoformat()}, not {date_arg.isoformat()} as given",
            path=path,
            line=date_line,
        )
    title_line = found.title_line.line if found.title_line else None
    if found.title is not None and title_arg and title_arg.strip() != markup.plain(found.title):
        raise InputError(
            f"the file's title is {markup.plain(found.title)!r}, not {title_arg.strip()!r} as given",
            path=path,
            line=title_line,
        )
    date = found.date or date_arg
    title = found.title or (markup.escape(title_arg.strip()) if title_arg else None)
    if date is None:
        raise InputError(BODY_ONLY_HINT if not title else "no date found; give --date", path=path)
    if not title:
        # Point at the date line of a page whose title should have come before it.
        on_page = found.date_block is not None and found.date_block.role is None
        raise InputError("no title found; give --title", path=path, line=date_line if on_page else None)
    if not found.paragraphs:
        raise InputError("no body paragraphs found (a truncated file?)", path=path)
    if slug is not None and not is_valid_slug(slug):
        raise InputError(
            f"slug must be lowercase ASCII words joined by hyphens, not {slug!r}", path=path, line=slug_line
        )
    if found.captions:
        caption = " ".join(found.captions)
        if image is None:
            raise InputError("a caption but no image", path=path)
        image = dataclasses.replace(image, caption=" ".join(filter(None, (image.caption, caption))))
    return SourceEntry(
        slug=slug or make_slug(date, markup.plain(title)),
        date=date,
        title=title,
        paragraphs=tuple(found.paragraphs),
        label=found.label,
        standfirst=found.standfirst or None,
        notices=tuple(found.notices),
        author=found.author,
        credits=tuple(found.credits),
        source_path=str(path),
        source_format=source_format,
        image=image,
    )

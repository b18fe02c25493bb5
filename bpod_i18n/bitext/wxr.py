"""A WordPress export (WXR, Tools → Export): the mirror's published posts.

Read with lxml's XML parser (``iterparse``, so a ten-year export is never held twice in
memory). Elements are matched by local name, so WXR 1.0, 1.1 and 1.2 read alike. Only
published posts count (``wp:post_type`` post, ``wp:status`` publish); pages, attachments,
drafts and menu items are skipped. A file that is not XML, or not a WordPress export, is
refused with its line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import lxml.etree

from bpod_i18n.bitext.content import build_entry, content_lines, is_auto_excerpt, plain
from bpod_i18n.bitext.model import LocalizedEntry
from bpod_i18n.errors import InputError


@dataclass(frozen=True)
class Skipped:
    """An item that is not a published post, or that has no usable date: (where, why)."""

    where: str
    reason: str


def _local(tag: object) -> str:
    return lxml.etree.QName(tag).localname if isinstance(tag, str) else ""


def _child_text(item: lxml.etree._Element, name: str, namespace_hint: str = "") -> str:
    for child in item:
        if _local(child.tag) == name and (not namespace_hint or namespace_hint in (child.tag or "")):
            return child.text or ""
    return ""


def read_wxr(path: Path, locale: str, skipped: list[Skipped] | None = None) -> Iterator[LocalizedEntry]:
    """The published posts of a WXR file, in file order; ``skipped`` collects the rest."""
    path = Path(path)
    if not path.is_file():
        raise InputError("no such file", path=path)
    seen_channel = False
    try:
        for _event, item in lxml.etree.iterparse(str(path), events=("end",), recover=False, resolve_entities=False):
            name = _local(item.tag)
            if name == "channel":
                seen_channel = True
            if name != "item":
                continue
            entry = _item(item, path, locale, skipped)
            if entry is not None:
                yield entry
            item.clear(keep_tail=True)
    except lxml.etree.XMLSyntaxError as exc:
        line = exc.position[0] if exc.position else None
        message = (exc.msg or str(exc)).split(", line ")[0]
        raise InputError(f"not a WordPress export: not well-formed XML ({message})", path=path, line=line) from None
    if not seen_channel:
        raise InputError("not a WordPress export (WXR): no RSS <channel>", path=path)


def _item(item: lxml.etree._Element, path: Path, locale: str, skipped: list[Skipped] | None) -> LocalizedEntry | None:
    line = item.sourceline
    where = f"{path}:{line}"
    post_type = _child_text(item, "post_type") or "post"
    status = _child_text(item, "status") or "publish"
    if post_type != "post" or status != "publish":
        if skipped is not None:
            skipped.append(Skipped(where, f"a {status} {post_type}, not a published post"))
        return None
    link = _child_text(item, "link").strip()
    title = plain(_child_text(item, "title"))
    raw_date = (_child_text(item, "post_date") or "").strip()
    try:
        date = dt.datetime.fromisoformat(raw_date).date()
    except ValueError:
        raise InputError(
            f"post {title or '(untitled)'!r} has no usable wp:post_date ({raw_date or 'empty'!r})", path=path, line=line
        ) from None
    lines, marked = content_lines(_child_text(item, "encoded", "content"))
    excerpt = plain(_child_text(item, "encoded", "excerpt"))
    standfirst = marked or (excerpt if excerpt and not is_auto_excerpt(excerpt, lines) else None)
    return build_entry(
        source=link or where,
        locale=locale,
        date=date,
        title=title,
        lines=lines,
        standfirst=standfirst,
        slug=_child_text(item, "post_name").strip() or None,
        line=line,
    )

"""A published localised entry as read back from the mirror: plain data, no I/O."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class LocalizedEntry:
    """One entry of the localised mirror (a post, a saved page).

    ``source`` names where it came from, as history and the report show it: the post's URL,
    or the file (with ``line``, where the item starts in a WXR file).
    """

    source: str
    locale: str
    date: dt.date
    title: str
    paragraphs: tuple[str, ...]
    standfirst: str | None = None
    notices: tuple[str, ...] = ()
    credits: tuple[str, ...] = ()
    author: str | None = None
    slug: str | None = None
    line: int | None = None

    def fields(self) -> list[tuple[str, str]]:
        """Fields in reading order as (field id, text), with the English entry's field ids."""
        out: list[tuple[str, str]] = [("title", self.title)]
        if self.standfirst:
            out.append(("standfirst", self.standfirst))
        out += [(f"body.{i}", p) for i, p in enumerate(self.paragraphs, 1)]
        out += [(f"notice.{i}", n) for i, n in enumerate(self.notices, 1)]
        out += [(f"credit.{i}", c) for i, c in enumerate(self.credits, 1)]
        return out

    @property
    def where(self) -> str:
        """How history and reports name it: the post's URL, else the file (with the item's line)."""
        return self.source

    def content_hash(self) -> str:
        payload = {k: v for k, v in asdict(self).items() if k not in ("line",)}
        payload["date"] = self.date.isoformat()
        return hashlib.sha256(json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()).hexdigest()

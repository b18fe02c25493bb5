"""What a post is on each side: the one bpod-i18n wants (:class:`PostDraft`) and the one the
site has (:class:`RemotePost`), with the two hashes that tell them apart.

* the **content hash** sums up everything bpod-i18n sends for a post (title, body, excerpt,
  slug, date, terms, the image's content and alt text); equal hashes mean nothing to send. It
  is kept in the post's meta (``bpod_i18n_hash``) and in the local publish manifest;
* the **text hash** sums up title, content and excerpt as sent (``bpod_i18n_text``); the same
  hash of what the site holds now differs once an editor changed one of them.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from bpod_i18n.publish.images import EntryImage

HASH_FORMAT = "p1"
# The post meta bpod-i18n keeps (registered by bpod_i18n/publish/wordpress/bpod-i18n.php).
META_SOURCE = "bpod_i18n_source"
META_HASH = "bpod_i18n_hash"
META_TEXT = "bpod_i18n_text"
META_IMAGE = "bpod_i18n_image"  # on attachments: the image's SHA-256
POST_META_KEYS = (META_SOURCE, META_HASH, META_TEXT)


def text_hash(title: str, content: str, excerpt: str) -> str:
    """Hash of the three texts an editor changes. WordPress keeps them as sent, except for
    line ends and trailing space, which are normalised here on both sides."""
    parts = [part.replace("\r\n", "\n").strip() for part in (title, content, excerpt)]
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:32]


@dataclass(frozen=True)
class PostDraft:
    """One entry as the post bpod-i18n wants on the site."""

    slug: str  # the entry's slug, the post's slug
    title: str
    content: str  # the emitted HTML body
    excerpt: str  # the standfirst
    date: str  # the entry's date, midnight site time: 2016-07-22T00:00:00
    date_gmt: str | None  # set when [publish.wordpress] timezone is: the same midnight in UTC
    categories: tuple[str, ...] = ()  # names
    tags: tuple[str, ...] = ()
    image: EntryImage | None = None
    image_sha256: str | None = None  # the image's content, once read

    @property
    def text_hash(self) -> str:
        return text_hash(self.title, self.content, self.excerpt)

    @property
    def content_hash(self) -> str:
        data = {
            "slug": self.slug,
            "title": self.title,
            "content": self.content,
            "excerpt": self.excerpt,
            "date": self.date,
            "date_gmt": self.date_gmt,
            "categories": list(self.categories),
            "tags": list(self.tags),
            "image": self.image_sha256,
            "alt": self.image.alt if self.image else None,
        }
        blob = json.dumps(data, ensure_ascii=False, sort_keys=True).encode()
        return f"{HASH_FORMAT}:{hashlib.sha256(blob).hexdigest()[:40]}"


@dataclass
class RemotePost:
    """A post as the site lists it; ``title``/``content``/``excerpt`` (raw) only once read."""

    id: int
    slug: str
    status: str
    modified_gmt: str
    link: str
    featured_media: int = 0
    meta: dict[str, str] = field(default_factory=dict)
    title: str | None = None
    content: str | None = None
    excerpt: str | None = None

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> RemotePost:
        meta = data.get("meta")
        return cls(
            id=int(data["id"]),
            slug=str(data.get("slug") or ""),
            status=str(data.get("status") or ""),
            modified_gmt=str(data.get("modified_gmt") or ""),
            link=str(data.get("link") or ""),
            featured_media=int(data.get("featured_media") or 0),
            meta={key: str(meta.get(key) or "") for key in POST_META_KEYS} if isinstance(meta, dict) else {},
        )

    def read_text(self, data: dict[str, Any]) -> None:
        """Fill in the raw texts from an ``context=edit`` answer."""
        self.title = _raw(data.get("title"))
        self.content = _raw(data.get("content"))
        self.excerpt = _raw(data.get("excerpt"))
        self.modified_gmt = str(data.get("modified_gmt") or self.modified_gmt)

    @property
    def source(self) -> str:
        return self.meta.get(META_SOURCE, "")

    @property
    def published_hash(self) -> str:
        return self.meta.get(META_HASH, "")

    @property
    def sent_text_hash(self) -> str:
        return self.meta.get(META_TEXT, "")

    @property
    def current_text_hash(self) -> str | None:
        if self.title is None or self.content is None or self.excerpt is None:
            return None
        return text_hash(self.title, self.content, self.excerpt)

    def snapshot(self) -> dict[str, Any]:
        """What the site holds, for history before an overwrite."""
        return {
            "id": self.id,
            "slug": self.slug,
            "status": self.status,
            "modified_gmt": self.modified_gmt,
            "link": self.link,
            "title": self.title,
            "content": self.content,
            "excerpt": self.excerpt,
            "featured_media": self.featured_media,
            "meta": dict(self.meta),
        }


def _raw(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("raw") or "")
    return str(value or "")

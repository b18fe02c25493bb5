"""The local publish manifest: what bpod-i18n last sent to one site, post by post.

``.bpod-i18n/publish/<locale>-<site key>.json``, one per site and locale (a staging and a
production site keep theirs apart). For each entry: the post's id, the content hash and text
hash sent, the post's ``modified_gmt`` as the site answered the write, and the *inputs*
fingerprint (the entry's English, its translations' versions, the options) the post was made
from, so a re-run that finds the same inputs needs neither the texts nor a render. Images:
each uploaded picture's SHA-256 → its media id, and each image file's size and mtime → its
SHA-256, so an unchanged file is not read again.

The workflow records each post as its write succeeds and saves the file every few seconds and
at the end (also after a failure or Ctrl-C): a run stopped at entry 900 keeps the 899, and
the post meta on the site covers what the last save missed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bpod_i18n.atomic import write_atomic
from bpod_i18n.errors import InputError

MANIFEST_FORMAT = 1


@dataclass
class PostRecord:
    post_id: int
    content_hash: str
    text_hash: str
    modified_gmt: str
    inputs: str = ""
    link: str = ""
    image: str | None = None  # the image's source (URL or path) it was published with
    published_at: str = ""


@dataclass
class ImageRecord:
    sha256: str
    size: int | None = None  # a local file's size and mtime when it was hashed
    mtime_ns: int | None = None


@dataclass
class PublishManifest:
    path: Path
    site: str
    posts: dict[str, PostRecord] = field(default_factory=dict)
    media: dict[str, int] = field(default_factory=dict)  # image SHA-256 → media id
    images: dict[str, ImageRecord] = field(default_factory=dict)  # source → its content hash
    dirty: bool = False

    def record(self, slug: str, record: PostRecord) -> None:
        self.posts[slug] = record
        self.dirty = True

    def forget(self, slug: str) -> None:
        if self.posts.pop(slug, None) is not None:
            self.dirty = True

    def remember_media(self, sha256: str, media_id: int) -> None:
        if self.media.get(sha256) != media_id:
            self.media[sha256] = media_id
            self.dirty = True

    def remember_image(self, source: str, record: ImageRecord) -> None:
        if self.images.get(source) != record:
            self.images[source] = record
            self.dirty = True

    def save(self) -> None:
        if not self.dirty:
            return
        data = {
            "format": MANIFEST_FORMAT,
            "generator": "bpod-i18n",
            "site": self.site,
            "posts": {slug: asdict(self.posts[slug]) for slug in sorted(self.posts)},
            "media": dict(sorted(self.media.items())),
            "images": {source: asdict(self.images[source]) for source in sorted(self.images)},
        }
        write_atomic(self.path, (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode(), durable=True)
        self.dirty = False


def manifest_file(state_dir: Path, locale: str, site: str) -> Path:
    key = hashlib.sha256(site.encode()).hexdigest()[:10]
    return state_dir / "publish" / f"{locale}-{key}.json"


def read_publish_manifest(path: Path, site: str) -> PublishManifest:
    """The manifest at ``path`` (an empty one when there is none yet)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return PublishManifest(path, site)
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the publish manifest: {exc}", path=path) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"publish manifest is not valid JSON: {exc.msg}", path=path, line=exc.lineno) from None
    if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
        raise InputError(f"not a bpod-i18n publish manifest of format {MANIFEST_FORMAT}", path=path)
    if data.get("site") != site:  # written for another site that hashed alike: start afresh
        return PublishManifest(path, site)
    try:
        posts = {slug: PostRecord(**raw) for slug, raw in (data.get("posts") or {}).items()}
        images = {source: ImageRecord(**raw) for source, raw in (data.get("images") or {}).items()}
        media = {str(sha): int(media_id) for sha, media_id in (data.get("media") or {}).items()}
    except (TypeError, ValueError) as exc:
        raise InputError(f"damaged publish manifest ({exc}); delete it and publish again", path=path) from None
    return PublishManifest(path, site, posts, media, images)


def to_jsonable(record: PostRecord) -> dict[str, Any]:
    return asdict(record)

"""Publishing to the mirror's WordPress: the REST client, the post model and its hashes, the
conflict rule, the local publish manifest, entry images and the WXR writer/reader.

Parts only (no database, no printing): ``bpod_i18n.workflow.publish`` wires them to the
project and to ``emit``'s selection of ready entries.
"""

from bpod_i18n.publish.client import ClientSettings, RequestCounts, WordPressClient, api_root, chunks, route_url
from bpod_i18n.publish.conflicts import Action, Decision, Published, conflict_reason, decide, needs_text
from bpod_i18n.publish.images import (
    EntryImage,
    ImageFile,
    ImageLookup,
    image_file,
    image_from_entry,
    read_local,
)
from bpod_i18n.publish.manifest import (
    ImageRecord,
    PostRecord,
    PublishManifest,
    manifest_file,
    read_publish_manifest,
)
from bpod_i18n.publish.model import PostDraft, RemotePost, text_hash
from bpod_i18n.publish.wxr import WxrDocument, WxrItem, WxrSite, WxrTerm, cdata_parts, read_wxr, write_wxr

__all__ = [
    "Action",
    "ClientSettings",
    "Decision",
    "EntryImage",
    "ImageFile",
    "ImageLookup",
    "ImageRecord",
    "PostDraft",
    "PostRecord",
    "PublishManifest",
    "Published",
    "RemotePost",
    "RequestCounts",
    "WordPressClient",
    "WxrDocument",
    "WxrItem",
    "WxrSite",
    "WxrTerm",
    "api_root",
    "cdata_parts",
    "chunks",
    "conflict_reason",
    "decide",
    "image_file",
    "image_from_entry",
    "manifest_file",
    "needs_text",
    "read_local",
    "read_publish_manifest",
    "read_wxr",
    "route_url",
    "text_hash",
    "write_wxr",
]

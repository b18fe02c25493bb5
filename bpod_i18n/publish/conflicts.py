"""The one rule for what publishing does with each post: create, update, leave, or refuse.

Editors' changes on the site are never overwritten silently. A post is a **conflict** when:

* it has the entry's slug but bpod-i18n never published it (no source meta): someone made it
  by hand;
* its title, content or excerpt differ from what bpod-i18n last sent (text hash);
* it was modified on the site after bpod-i18n last published it (its ``modified_gmt`` moved
  on while its content hash is still the one this project sent): a category, the status…;
* it was moved to the trash, or deleted, since bpod-i18n published it.

A conflict is left alone unless ``force``: then it is overwritten (the caller saves what the
site held in history first). A post whose content hash is the one bpod-i18n would send is
unchanged: no request at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bpod_i18n.publish.model import RemotePost


class Action(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    CONFLICT = "conflict"


@dataclass(frozen=True)
class Published:
    """What bpod-i18n recorded when it last wrote the post (the local publish manifest)."""

    post_id: int
    content_hash: str
    modified_gmt: str


@dataclass(frozen=True)
class Decision:
    action: Action
    reason: str = ""
    overwrites: bool = False  # --force over a conflict: the site's version goes to history first


def conflict_reason(remote: RemotePost | None, record: Published | None) -> str | None:
    """Why the site's post must not be overwritten, or None. ``remote.current_text_hash`` must
    be known (raw texts read) for every post with bpod-i18n's meta whose modification date is
    not the one recorded."""
    if remote is None:
        if record is not None:
            return "deleted on the site since bpod-i18n published it"
        return None
    if remote.status == "trash":
        return "moved to the trash on the site"
    if not remote.source:
        return "a post with this slug exists on the site that bpod-i18n did not publish"
    current = remote.current_text_hash
    if current is not None and current != remote.sent_text_hash:
        return "its title, content or excerpt were edited on the site"
    if (
        record is not None
        and record.post_id == remote.id
        and record.modified_gmt
        and remote.modified_gmt != record.modified_gmt
        and remote.published_hash == record.content_hash
    ):
        return f"modified on the site ({remote.modified_gmt} UTC) after bpod-i18n published it"
    return None


def needs_text(remote: RemotePost, record: Published | None) -> bool:
    """Whether the conflict rule needs the post's raw texts: not when the site's modification
    date is the one recorded at the last publish (nothing can have changed since)."""
    if remote.status == "trash" or not remote.source:
        return False
    return record is None or record.post_id != remote.id or remote.modified_gmt != record.modified_gmt


def decide(content_hash: str, remote: RemotePost | None, record: Published | None, *, force: bool) -> Decision:
    reason = conflict_reason(remote, record)
    if reason is not None:
        if not force:
            return Decision(Action.CONFLICT, reason)
        action = Action.CREATE if remote is None else Action.UPDATE
        return Decision(action, f"--force: {reason}", overwrites=remote is not None)
    if remote is None:
        return Decision(Action.CREATE, "not on the site")
    if remote.published_hash == content_hash:
        return Decision(Action.UNCHANGED)
    return Decision(Action.UPDATE, "changed since it was published")

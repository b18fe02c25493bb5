"""Publish: ready entries → posts of the mirror's WordPress, through its REST API; or a WXR file.

Which entries go out, and their texts, come from ``emit`` (:func:`workflow.emit.load_ready`:
the same readiness rule, ``--min-state`` / ``--min-complete``, the same fingerprint); a post's
content is the ``body`` and ``footer`` blocks of emit's HTML page (the same template and
escaping). What happens to each post is the rule in :mod:`bpod_i18n.publish.conflicts`.

One run, in order:

1. check the login and the post type (``users/me``, ``OPTIONS`` on the route: our meta
   fields must be registered, or WordPress would drop them without a word);
2. list the site's posts of the type, light fields only (id, slug, status, modified date, meta);
3. select the ready entries; an entry whose inputs fingerprint, image and remote content hash
   are the ones recorded at its last publish is unchanged without reading its texts;
4. read the raw texts of the posts the conflict rule needs them for (modified since recorded);
5. decide: create, update, unchanged, conflict (``--dry-run`` stops here);
6. save what ``--force`` is about to overwrite in the database (``published_overwrites``);
7. categories and tags by name, images by content (each picture uploaded once), then the
   posts, ``concurrency`` at a time; each success goes into the local publish manifest, saved
   every few seconds and at the end, so a failed or interrupted run keeps what it did.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import io
import os
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bpod_i18n import __version__
from bpod_i18n.atomic import write_atomic
from bpod_i18n.config import STATE_DIR, Config, WordPressSettings
from bpod_i18n.errors import ConfigError, SiteError, SiteRefusedError, UsageError
from bpod_i18n.model import State
from bpod_i18n.publish import (
    Action,
    ClientSettings,
    Decision,
    EntryImage,
    ImageLookup,
    ImageRecord,
    PostDraft,
    PostRecord,
    Published,
    PublishManifest,
    RemotePost,
    WordPressClient,
    api_root,
    chunks,
    decide,
    image_file,
    image_from_entry,
    manifest_file,
    needs_text,
    read_local,
    read_publish_manifest,
)
from bpod_i18n.publish.model import META_HASH, META_IMAGE, META_SOURCE, META_TEXT, POST_META_KEYS
from bpod_i18n.publish.wxr import WxrItem, WxrSite, WxrTerm, write_wxr
from bpod_i18n.render.engine import render_html_body
from bpod_i18n.sources.slug import slugify
from bpod_i18n.store.models import PublishedOverwrite
from bpod_i18n.workflow.emit import EmitOptions, NotReady, ReadyEntry, ReadySet, load_ready
from bpod_i18n.workflow.project import NoProgress, ProgressHook, Project

LIST_FIELDS = "id,slug,status,modified_gmt,link,featured_media,meta"
TEXT_FIELDS = "id,modified_gmt,title.raw,content.raw,excerpt.raw"
WRITE_FIELDS = "id,slug,status,modified_gmt,link,featured_media,meta,title.raw,content.raw,excerpt.raw"
ALL_STATUSES = "publish,future,draft,pending,private,trash"
SAVE_EVERY_S = 2.0  # the manifest is saved at most this often while posts are written
SLUGS_PER_QUERY = 40  # slugs in one ?slug=a,b,c (keeps URLs short)
PLUGIN = Path(__file__).resolve().parent.parent / "publish" / "wordpress" / "bpod-i18n.php"


@dataclass(frozen=True)
class PublishOptions:
    locale: str
    min_state: State | None = None
    min_complete: float | None = None
    fallback_english: bool = False
    slugs: tuple[str, ...] = ()
    template_dir: Path | None = None
    dry_run: bool = False
    force: bool = False
    # How an entry's image is found (publish.images): the stored entry's image by default.
    images: ImageLookup = image_from_entry

    def emit_options(self, slugs: tuple[str, ...] | None = None) -> EmitOptions:
        return EmitOptions(
            locale=self.locale,
            out_dir=Path("."),  # unused: nothing is written by load_ready
            fmt="html",
            min_state=self.min_state,
            min_complete=self.min_complete,
            fallback_english=self.fallback_english,
            slugs=self.slugs if slugs is None else slugs,
            template_dir=self.template_dir,
        )


@dataclass
class PostOutcome:
    slug: str
    action: str  # create, update, unchanged, conflict, failed
    reason: str = ""
    post_id: int | None = None
    link: str | None = None


@dataclass
class PublishReport:
    locale: str
    site: str
    dry_run: bool
    min_state: str
    created: list[PostOutcome] = field(default_factory=list)
    updated: list[PostOutcome] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    conflicts: list[PostOutcome] = field(default_factory=list)
    failed: list[PostOutcome] = field(default_factory=list)
    not_ready: list[NotReady] = field(default_factory=list)
    overwritten: list[int] = field(default_factory=list)  # published_overwrites ids saved by --force
    media_uploaded: int = 0
    media_reused: int = 0
    requests: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    manifest: str = ""

    @property
    def requests_per_second(self) -> float:
        return self.requests.get("total", 0) / self.seconds if self.seconds > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "locale": self.locale,
            "site": self.site,
            "dry_run": self.dry_run,
            "min_state": self.min_state,
            "created": [vars(item) for item in self.created],
            "updated": [vars(item) for item in self.updated],
            "unchanged": self.unchanged,
            "conflicts": [vars(item) for item in self.conflicts],
            "failed": [vars(item) for item in self.failed],
            "not_ready": [vars(item) for item in self.not_ready],
            "overwritten": self.overwritten,
            "media_uploaded": self.media_uploaded,
            "media_reused": self.media_reused,
            "requests": self.requests,
            "seconds": round(self.seconds, 3),
            "requests_per_second": round(self.requests_per_second, 1),
            "manifest": self.manifest,
        }


@dataclass
class SiteStatus:
    """``publish --status``: the site against the project."""

    locale: str
    site: str
    up_to_date: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    outdated: list[str] = field(default_factory=list)
    edited: list[PostOutcome] = field(default_factory=list)  # conflicts: changed on the site
    unknown: list[PostOutcome] = field(default_factory=list)  # on the site, not an entry of the project
    not_ready: list[NotReady] = field(default_factory=list)
    not_ready_on_site: list[str] = field(default_factory=list)
    requests: dict[str, int] = field(default_factory=dict)

    @property
    def in_sync(self) -> bool:
        return not (self.missing or self.outdated or self.edited)

    def to_dict(self) -> dict[str, Any]:
        return {
            "locale": self.locale,
            "site": self.site,
            "in_sync": self.in_sync,
            "up_to_date": self.up_to_date,
            "missing": self.missing,
            "outdated": self.outdated,
            "edited": [vars(item) for item in self.edited],
            "unknown": [vars(item) for item in self.unknown],
            "not_ready": [vars(item) for item in self.not_ready],
            "not_ready_on_site": self.not_ready_on_site,
            "requests": self.requests,
        }


# --- the site -----------------------------------------------------------------------------


def site_settings(config: Config, locale: str) -> WordPressSettings:
    settings = config.wordpress
    if settings is None:
        raise ConfigError(
            f"no [publish.wordpress] in {config.shown_path}: give the site's url, user and password_env "
            "(see README, `publish`)",
            path=config.shown_path,
        )
    if settings.locale != locale:
        raise UsageError(
            f"the site in [publish.wordpress] ({settings.url}) shows {settings.locale}, not {locale}; "
            f"publish --locale {settings.locale}"
        )
    return settings


def open_client(settings: WordPressSettings, environ: Mapping[str, str] | None = None) -> WordPressClient:
    """A client for the site, with the application password read from the environment now
    (never from the settings file, never kept anywhere else)."""
    environ = os.environ if environ is None else environ
    password = environ.get(settings.password_env, "")
    if not password.strip():
        raise UsageError(
            f"no application password: the environment variable {settings.password_env} is not set "
            "([publish.wordpress] password_env names it)"
        )
    return WordPressClient(
        ClientSettings(
            url=settings.url,
            api_root=api_root(settings.url, settings.api_url),
            user=settings.user,
            password_env=settings.password_env,
            timeout=settings.timeout,
            max_retries=settings.max_retries,
            backoff_base=settings.backoff_base,
            backoff_max=settings.backoff_max,
            concurrency=settings.concurrency,
        ),
        password,
    )


def _preflight(client: WordPressClient, settings: WordPressSettings, *, write: bool) -> None:
    """Fail early and in one line: the login, the rights, the route, our meta fields."""
    me = client.get("wp/v2/users/me", {"context": "edit", "_fields": "id,name,capabilities"})
    caps = me.get("capabilities") if isinstance(me, dict) else None
    if isinstance(caps, dict):
        needed = ["edit_posts"] + (["publish_posts"] if write and settings.status == "publish" else [])
        lacking = [cap for cap in needed if not caps.get(cap)]
        if lacking:
            raise SiteRefusedError(
                f"{settings.url}: user {settings.user!r} lacks the rights {', '.join(lacking)} (an editor's role has "
                "them)",
                status=403,
            )
    route = f"wp/v2/{settings.rest_base}"
    options = client.request("OPTIONS", route)[0]
    if not isinstance(options, dict) or "schema" not in options:
        # WordPress answers OPTIONS on an unknown route with an empty list: a GET says why.
        client.get(route, {"per_page": 1, "_fields": "id"})
    properties = options.get("schema", {}).get("properties", {}) if isinstance(options, dict) else {}
    meta = properties.get("meta", {}).get("properties", {}) if isinstance(properties.get("meta"), dict) else {}
    missing = [key for key in POST_META_KEYS if key not in meta]
    if missing:
        raise SiteRefusedError(
            f"{settings.url}: the post type behind /wp/v2/{settings.rest_base} does not take bpod-i18n's meta fields "
            f"({', '.join(missing)}), and WordPress would drop them silently; install {PLUGIN.name} as a must-use "
            f"plugin (wp-content/mu-plugins/; it ships in bpod_i18n/publish/wordpress/)"
        )


@dataclass
class _Remote:
    posts: list[RemotePost]
    by_source: dict[str, RemotePost] = field(default_factory=dict)
    by_slug: dict[str, RemotePost] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for post in sorted(self.posts, key=lambda p: p.id, reverse=True):  # the oldest wins a tie
            if post.source:
                self.by_source[post.source] = post
            if post.slug:
                self.by_slug[post.slug] = post

    def find(self, slug: str) -> RemotePost | None:
        """The post of entry ``slug``: by its source meta (a renamed post too), else by slug."""
        return self.by_source.get(slug) or self.by_slug.get(slug)


def _list_posts(client: WordPressClient, settings: WordPressSettings) -> _Remote:
    items = client.get_all(
        f"wp/v2/{settings.rest_base}",
        {"context": "edit", "status": ALL_STATUSES, "_fields": LIST_FIELDS, "orderby": "id", "order": "asc"},
    )
    return _Remote([RemotePost.from_api(item) for item in items if isinstance(item, dict)])


def _read_texts(client: WordPressClient, settings: WordPressSettings, posts: Iterable[RemotePost]) -> None:
    """Fill in the raw title, content and excerpt of ``posts``, a hundred per request."""
    by_id = {post.id: post for post in posts}
    if not by_id:
        return
    batches = list(chunks(sorted(by_id), 100))

    def read(ids: list[int]) -> Any:
        return client.get(
            f"wp/v2/{settings.rest_base}",
            {
                "context": "edit",
                "status": ALL_STATUSES,
                "include": ids,
                "per_page": 100,
                "_fields": TEXT_FIELDS,
            },
        )

    def fill(_ids: list[int], items: Any) -> None:
        for item in items if isinstance(items, list) else []:
            post = by_id.get(int(item.get("id", 0)))
            if post is not None:
                post.read_text(item)

    client.map_bounded(batches, read, fill)


# --- what to send -------------------------------------------------------------------------


@dataclass
class _Item:
    """One ready entry through the run."""

    ready: ReadyEntry
    remote: RemotePost | None
    record: PostRecord | None
    inputs: str
    draft: PostDraft | None = None
    content_hash: str = ""
    decision: Decision | None = None


def _options_fingerprint(settings: WordPressSettings, options: PublishOptions) -> str:
    parts = [
        "publish1",
        __version__,
        repr(sorted(settings.categories.items())),
        repr(sorted(settings.tags.items())),
        settings.unmapped_labels,
        repr(settings.default_category),
        repr(settings.timezone),
        getattr(options.images, "__module__", "") + "." + getattr(options.images, "__qualname__", repr(options.images)),
    ]
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()


def _inputs(fingerprint: str, options_fingerprint: str) -> str:
    return hashlib.sha256(f"{fingerprint}\x00{options_fingerprint}".encode()).hexdigest()[:32]


def _local_image_changed(record: PostRecord, manifest: PublishManifest) -> bool:
    """A local image file published with the entry whose size or mtime moved since."""
    if not record.image or "://" in record.image:
        return False
    known = manifest.images.get(record.image)
    try:
        st = os.stat(record.image)
    except OSError:
        return True
    return known is None or known.size != st.st_size or known.mtime_ns != st.st_mtime_ns


def _terms(settings: WordPressSettings, english_label: str | None, label: str | None) -> tuple[list[str], list[str]]:
    categories = [settings.default_category] if settings.default_category else []
    tags: list[str] = []
    if english_label:
        if english_label in settings.categories:
            categories.append(settings.categories[english_label])
        elif english_label in settings.tags:
            tags.append(settings.tags[english_label])
        elif label and settings.unmapped_labels == "category":
            categories.append(label)
        elif label and settings.unmapped_labels == "tag":
            tags.append(label)
    return list(dict.fromkeys(categories)), list(dict.fromkeys(tags))


def post_dates(date: dt.date, timezone: str | None) -> tuple[str, str | None, dt.datetime, dt.datetime]:
    """The entry's date as a post's: midnight, site time (REST ``date``, WXR ``post_date``) and,
    with a time zone, the same moment in UTC (REST ``date_gmt``, WXR ``post_date_gmt``)."""
    local = dt.datetime.combine(date, dt.time())
    if timezone is None:
        return local.isoformat(), None, local, local
    gmt = local.replace(tzinfo=ZoneInfo(timezone)).astimezone(dt.UTC).replace(tzinfo=None)
    return local.isoformat(), gmt.isoformat(), local, gmt


class _Images:
    """Each image's content hash, from the manifest while its file is unchanged."""

    def __init__(self, manifest: PublishManifest, fetch: Callable[[str], bytes]):
        self.manifest = manifest
        self.fetch = fetch

    def read(self, image: EntryImage) -> bytes:
        return self.fetch(image.source) if image.is_url else read_local(image)

    def sha256(self, image: EntryImage) -> str:
        known = self.manifest.images.get(image.source)
        if image.is_url:
            if known is not None:  # an image URL names one picture: not fetched again
                return known.sha256
            sha = image_file(image, self.read(image)).sha256
            self.manifest.remember_image(image.source, ImageRecord(sha))
            return sha
        try:
            st = os.stat(image.source)
        except OSError:
            read_local(image)  # raises the one-line error
            raise
        if known is not None and known.size == st.st_size and known.mtime_ns == st.st_mtime_ns:
            return known.sha256
        sha = image_file(image, self.read(image)).sha256
        self.manifest.remember_image(image.source, ImageRecord(sha, st.st_size, st.st_mtime_ns))
        return sha


def _draft(
    ready: ReadyEntry, settings: WordPressSettings, options: PublishOptions, images: _Images | None
) -> PostDraft:
    entry = ready.localised
    assert entry is not None  # only entries whose texts were read get a draft
    english_label = ready.source.get("label")
    categories, tags = _terms(settings, english_label if isinstance(english_label, str) else None, entry.label)
    date, date_gmt, _, _ = post_dates(ready.date, settings.timezone)
    image = options.images(entry, ready.source)
    return PostDraft(
        slug=ready.slug,
        title=entry.title,
        content=render_html_body(entry, template_dir=options.template_dir),
        excerpt=entry.standfirst or "",
        date=date,
        date_gmt=date_gmt,
        categories=tuple(categories),
        tags=tuple(tags),
        image=image,
        image_sha256=images.sha256(image) if image is not None and images is not None else None,
    )


@dataclass
class _Plan:
    ready: ReadySet
    items: list[_Item]
    remote: _Remote


def _plan(
    project: Project,
    options: PublishOptions,
    settings: WordPressSettings,
    client: WordPressClient,
    manifest: PublishManifest,
) -> _Plan:
    remote = _list_posts(client, settings)
    options_fp = _options_fingerprint(settings, options)

    def wanted(slug: str, fingerprint: str) -> bool:
        record = manifest.posts.get(slug)
        post = remote.find(slug)
        unchanged = (
            record is not None
            and post is not None
            and record.inputs == _inputs(fingerprint, options_fp)
            and post.published_hash == record.content_hash
            and not _local_image_changed(record, manifest)
        )
        return not unchanged

    ready = load_ready(project, options.emit_options(), wanted=wanted)
    images = _Images(manifest, client.fetch)
    items: list[_Item] = []
    for entry in ready.entries:
        record = manifest.posts.get(entry.slug)
        item = _Item(entry, remote.find(entry.slug), record, _inputs(entry.fingerprint, options_fp))
        if entry.localised is not None:
            item.draft = _draft(entry, settings, options, images)
            item.content_hash = item.draft.content_hash
        else:
            assert record is not None  # wanted() skips only entries with a record
            item.content_hash = record.content_hash
        items.append(item)
    _read_texts(
        client, settings, [item.remote for item in items if item.remote and needs_text(item.remote, _published(item))]
    )
    for item in items:
        item.decision = decide(item.content_hash, item.remote, _published(item), force=options.force)
    # --force over a conflict of an entry whose texts were not read (its inputs are unchanged):
    # read them now, the post is about to be written.
    late = tuple(
        item.ready.slug
        for item in items
        if item.draft is None and item.decision is not None and item.decision.action in (Action.CREATE, Action.UPDATE)
    )
    if late:
        again = {entry.slug: entry for entry in load_ready(project, options.emit_options(late)).entries}
        for item in items:
            if item.ready.slug in again:
                item.ready = again[item.ready.slug]
                item.draft = _draft(item.ready, settings, options, images)
                item.content_hash = item.draft.content_hash
    return _Plan(ready, items, remote)


def _published(item: _Item) -> Published | None:
    if item.record is None:
        return None
    return Published(item.record.post_id, item.record.content_hash, item.record.modified_gmt)


# --- publish ------------------------------------------------------------------------------


def publish(
    project: Project,
    options: PublishOptions,
    *,
    progress: ProgressHook | None = None,
    environ: Mapping[str, str] | None = None,
) -> PublishReport:
    """Create or update the posts of every ready entry of ``options.locale`` (or plan it)."""
    started = time.monotonic()
    progress = progress or NoProgress()
    settings = site_settings(project.config, options.locale)
    with open_client(settings, environ) as client:
        manifest = read_publish_manifest(
            manifest_file(project.root / STATE_DIR, options.locale, client.settings.api_root), client.settings.api_root
        )
        report = PublishReport(options.locale, settings.url, options.dry_run, "", manifest=str(manifest.path))
        try:
            _preflight(client, settings, write=not options.dry_run)
            plan = _plan(project, options, settings, client, manifest)
            report.min_state = plan.ready.min_state.value
            report.not_ready = plan.ready.not_ready
            writes = _sort(plan.items, report)
            if not options.dry_run and writes:
                _save_overwritten(project, client, settings, options.locale, writes, report)
                _write(client, settings, manifest, writes, report, progress)
        finally:
            if not options.dry_run:
                manifest.save()
            report.requests = client.counts.to_dict()
            report.seconds = time.monotonic() - started
    return report


def _sort(items: list[_Item], report: PublishReport) -> list[_Item]:
    writes: list[_Item] = []
    for item in items:
        decision = item.decision
        assert decision is not None
        post_id = item.remote.id if item.remote else None
        link = item.remote.link if item.remote else None
        if decision.action is Action.UNCHANGED:
            report.unchanged.append(item.ready.slug)
        elif decision.action is Action.CONFLICT:
            report.conflicts.append(PostOutcome(item.ready.slug, "conflict", decision.reason, post_id, link))
        else:
            writes.append(item)
            if report.dry_run:
                outcome = PostOutcome(item.ready.slug, decision.action.value, decision.reason, post_id, link)
                (report.created if decision.action is Action.CREATE else report.updated).append(outcome)
    return writes


def _save_overwritten(
    project: Project,
    client: WordPressClient,
    settings: WordPressSettings,
    locale: str,
    writes: list[_Item],
    report: PublishReport,
) -> None:
    """What ``--force`` is about to overwrite, as the site holds it, into the database first."""
    doomed = [item for item in writes if item.decision and item.decision.overwrites and item.remote is not None]
    if not doomed:
        return
    _read_texts(client, settings, [item.remote for item in doomed if item.remote and item.remote.content is None])
    with project.store.transaction() as session:
        rows = []
        for item in doomed:
            assert item.remote is not None and item.decision is not None
            row = PublishedOverwrite(
                site=client.settings.api_root,
                locale=locale,
                slug=item.ready.slug,
                post_id=item.remote.id,
                actor=project.config.user,
                reason=item.decision.reason,
                old=item.remote.snapshot(),
                new_hash=item.content_hash,
            )
            session.add(row)
            rows.append(row)
        session.flush()
        report.overwritten = [row.id for row in rows]


def _write(
    client: WordPressClient,
    settings: WordPressSettings,
    manifest: PublishManifest,
    writes: list[_Item],
    report: PublishReport,
    progress: ProgressHook,
) -> None:
    drafts = [item.draft for item in writes if item.draft is not None]
    categories = _term_ids(client, "wp/v2/categories", {name for d in drafts for name in d.categories})
    tags = _term_ids(client, "wp/v2/tags", {name for d in drafts for name in d.tags})
    media = _media(client, manifest, drafts, report, progress)
    route = f"wp/v2/{settings.rest_base}"
    progress.start(len(writes), f"Publishing {report.locale}")
    last_save = time.monotonic()

    def work(item: _Item) -> dict[str, Any]:
        draft = item.draft
        assert draft is not None and item.decision is not None
        body: dict[str, Any] = {
            "slug": draft.slug,
            "title": draft.title,
            "content": draft.content,
            "excerpt": draft.excerpt,
            "categories": [categories[name] for name in draft.categories],
            "tags": [tags[name] for name in draft.tags],
            "featured_media": media.get(draft.image_sha256 or "", 0),
            "meta": {META_SOURCE: draft.slug, META_HASH: item.content_hash, META_TEXT: draft.text_hash},
        }
        body.update({"date_gmt": draft.date_gmt} if draft.date_gmt else {"date": draft.date})
        if item.remote is None:
            body["status"] = settings.status
            answer = client.post(
                route, body, params={"_fields": WRITE_FIELDS}, recover=lambda: _find_created(client, route, draft.slug)
            )
        else:
            if item.remote.status == "trash":  # --force over a trashed post brings it back
                body["status"] = settings.status
            answer = client.post(f"{route}/{item.remote.id}", body, params={"_fields": WRITE_FIELDS})
        return _checked_answer(client, route, answer, item.content_hash, draft)

    def done(item: _Item, answer: dict[str, Any]) -> None:
        nonlocal last_save
        draft = item.draft
        assert draft is not None and item.decision is not None
        manifest.record(
            draft.slug,
            PostRecord(
                post_id=int(answer["id"]),
                content_hash=item.content_hash,
                text_hash=str(answer.get("meta", {}).get(META_TEXT) or draft.text_hash),
                modified_gmt=str(answer.get("modified_gmt") or ""),
                inputs=item.inputs,
                link=str(answer.get("link") or ""),
                image=draft.image.source if draft.image else None,
                published_at=dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
            ),
        )
        outcome = PostOutcome(
            draft.slug, item.decision.action.value, item.decision.reason, int(answer["id"]), str(answer.get("link"))
        )
        (report.created if item.decision.action is Action.CREATE else report.updated).append(outcome)
        progress.advance()
        if time.monotonic() - last_save >= SAVE_EVERY_S:
            manifest.save()
            last_save = time.monotonic()

    def failed(item: _Item, error: SiteError) -> bool:
        if error.status is None or not 400 <= error.status < 500:
            return False  # the site is down or broken: stop, keep what is done
        report.failed.append(PostOutcome(item.ready.slug, "failed", error.message))
        return True

    client.map_bounded(writes, work, done, failed=failed)


def _find_created(client: WordPressClient, route: str, slug: str) -> dict[str, Any] | None:
    """After a create whose answer was lost: the post, if the site made it after all."""
    found = client.get(route, {"context": "edit", "status": ALL_STATUSES, "slug": slug, "_fields": WRITE_FIELDS})
    for item in found if isinstance(found, list) else []:
        if isinstance(item, dict) and (item.get("meta") or {}).get(META_SOURCE) == slug:
            return item
    return None


def _checked_answer(
    client: WordPressClient, route: str, answer: Any, content_hash: str, draft: PostDraft
) -> dict[str, Any]:
    if not isinstance(answer, dict) or "id" not in answer:
        raise SiteError(f"{client.settings.url}: the answer to a post write has no post id")
    meta = answer.get("meta")
    if not isinstance(meta, dict) or meta.get(META_HASH) != content_hash:
        raise SiteRefusedError(
            f"{client.settings.url}: the site did not keep bpod-i18n's meta fields on post {answer['id']}; install "
            f"{PLUGIN.name} as a must-use plugin"
        )
    stored = RemotePost.from_api(answer)
    stored.read_text(answer)
    held = stored.current_text_hash
    if held is not None and held != draft.text_hash:
        # The site changed the HTML on the way in (kses, for a user without unfiltered_html):
        # what it holds is what an editor would change, so that is the text hash to keep.
        answer = client.post(f"{route}/{answer['id']}", {"meta": {META_TEXT: held}}, params={"_fields": WRITE_FIELDS})
    return answer if isinstance(answer, dict) else {}


def _term_ids(client: WordPressClient, route: str, names: set[str]) -> dict[str, int]:
    """Category or tag ids by name, made on the site when missing."""
    if not names:
        return {}
    existing = {
        html.unescape(str(term.get("name", ""))).casefold(): int(term["id"])
        for term in client.get_all(route, {"_fields": "id,name", "hide_empty": False})
        if isinstance(term, dict)
    }
    out: dict[str, int] = {}
    for name in sorted(names):
        found = existing.get(name.casefold())
        if found is None:
            try:
                found = int(client.post(route, {"name": name}, params={"_fields": "id,name"})["id"])
            except SiteError as exc:
                if exc.code != "term_exists":
                    raise
                again = client.get(route, {"search": name, "_fields": "id,name", "per_page": 100})
                found = next(int(t["id"]) for t in again if html.unescape(t["name"]).casefold() == name.casefold())
        out[name] = found
    return out


def _media(
    client: WordPressClient,
    manifest: PublishManifest,
    drafts: list[PostDraft],
    report: PublishReport,
    progress: ProgressHook,
) -> dict[str, int]:
    """Media id of every image the drafts show, each picture uploaded once (found again by its
    content: the manifest, else the attachment slug made from its SHA-256)."""
    wanted: dict[str, EntryImage] = {}
    for draft in drafts:
        if draft.image is not None and draft.image_sha256:
            wanted.setdefault(draft.image_sha256, draft.image)
    if not wanted:
        return {}
    found: dict[str, int] = {}
    alts: dict[str, str] = {}
    recorded = {sha: manifest.media[sha] for sha in wanted if sha in manifest.media}
    by_id = {media_id: sha for sha, media_id in recorded.items()}
    for ids in chunks(sorted(by_id), 100):
        for item in client.get("wp/v2/media", {"include": ids, "per_page": 100, "_fields": "id,alt_text"}):
            sha = by_id.get(int(item["id"]))
            if sha is not None:
                found[sha], alts[sha] = int(item["id"]), str(item.get("alt_text") or "")
    slugs = {f"bpod-image-{sha[:32]}": sha for sha in wanted if sha not in found}
    for batch in chunks(sorted(slugs), SLUGS_PER_QUERY):
        params = {"slug": batch, "per_page": 100, "_fields": "id,slug,alt_text"}
        for item in client.get("wp/v2/media", params):
            sha = slugs.get(str(item.get("slug")))
            if sha is not None:
                found[sha], alts[sha] = int(item["id"]), str(item.get("alt_text") or "")
    for sha, media_id in found.items():
        manifest.remember_media(sha, media_id)
    report.media_reused = len(found)
    # Alt text is the locale's: a reused picture gets this run's where it differs.
    stale_alt = [sha for sha in found if alts.get(sha) != wanted[sha].alt]
    client.map_bounded(
        stale_alt, lambda sha: client.post(f"wp/v2/media/{found[sha]}", {"alt_text": wanted[sha].alt}), lambda *_: None
    )
    uploads = sorted(sha for sha in wanted if sha not in found)
    progress.start(len(uploads), "Uploading images")

    def upload(sha: str) -> int:
        image = wanted[sha]
        picture = image_file(image, _Images(manifest, client.fetch).read(image))
        if picture.sha256 != sha:
            raise UsageError(f"the image changed while publishing: {image.source}; run again")
        answer = client.post(
            "wp/v2/media",
            params={"_fields": "id,slug"},
            files={"file": (picture.filename, picture.data, picture.mime_type)},
            data={
                "slug": picture.media_slug,
                "title": image.alt[:200] or picture.filename,
                "alt_text": image.alt,
                f"meta[{META_IMAGE}]": sha,
            },
            recover=lambda: _find_media(client, picture.media_slug),
        )
        return int(answer["id"])

    def uploaded(sha: str, media_id: int) -> None:
        found[sha] = media_id
        manifest.remember_media(sha, media_id)
        report.media_uploaded += 1
        progress.advance()

    client.map_bounded(uploads, upload, uploaded)
    return found


def _find_media(client: WordPressClient, slug: str) -> dict[str, Any] | None:
    found = client.get("wp/v2/media", {"slug": slug, "_fields": "id,slug"})
    return found[0] if isinstance(found, list) and found else None


# --- status -------------------------------------------------------------------------------


def site_status(project: Project, options: PublishOptions, *, environ: Mapping[str, str] | None = None) -> SiteStatus:
    """The site against the project: up to date, missing, outdated, edited on the site, and
    posts of the type that are no entry of the project. Sends no write."""
    settings = site_settings(project.config, options.locale)
    options = replace(options, dry_run=True, force=False)
    with open_client(settings, environ) as client:
        manifest = read_publish_manifest(
            manifest_file(project.root / STATE_DIR, options.locale, client.settings.api_root), client.settings.api_root
        )
        _preflight(client, settings, write=False)
        plan = _plan(project, options, settings, client, manifest)
        status = SiteStatus(options.locale, settings.url, not_ready=plan.ready.not_ready)
        for item in plan.items:
            assert item.decision is not None
            slug, action = item.ready.slug, item.decision.action
            if action is Action.UNCHANGED:
                status.up_to_date.append(slug)
            elif action is Action.CONFLICT:
                post_id = item.remote.id if item.remote else None
                link = item.remote.link if item.remote else None
                status.edited.append(PostOutcome(slug, "edited", item.decision.reason, post_id, link))
            elif action is Action.CREATE:
                status.missing.append(slug)
            else:
                status.outdated.append(slug)
        held = {entry.slug for entry in plan.ready.not_ready}
        status.not_ready_on_site = sorted(slug for slug in held if plan.remote.find(slug) is not None)
        if not options.slugs:  # only a whole-project run knows every entry
            known = {item.ready.slug for item in plan.items} | held
            for post in plan.remote.posts:
                if (post.source or post.slug) not in known and post.status != "trash":
                    status.unknown.append(PostOutcome(post.slug, "unknown", post.status, post.id, post.link))
        status.requests = client.counts.to_dict()
    return status


# --- history ------------------------------------------------------------------------------


def overwritten_posts(project: Project, slug: str, locale: str | None = None) -> list[dict[str, Any]]:
    """What ``publish --force`` overwrote for entry ``slug``, oldest first."""
    from sqlalchemy import select

    with project.store.transaction(write=False) as session:
        query = select(PublishedOverwrite).where(PublishedOverwrite.slug == slug).order_by(PublishedOverwrite.id)
        if locale:
            query = query.where(PublishedOverwrite.locale == locale)
        rows = session.execute(query).scalars().all()
        return [
            {
                "id": row.id,
                "site": row.site,
                "locale": row.locale,
                "slug": row.slug,
                "post_id": row.post_id,
                "by": row.actor,
                "at": row.at.isoformat(),
                "reason": row.reason,
                "old": row.old,
                "new_hash": row.new_hash,
            }
            for row in rows
        ]


# --- WXR ----------------------------------------------------------------------------------


@dataclass
class WxrReport:
    locale: str
    path: str
    posts: list[str] = field(default_factory=list)
    attachments: int = 0
    images_left_out: list[str] = field(default_factory=list)  # local files: the importer needs URLs
    not_ready: list[NotReady] = field(default_factory=list)
    min_state: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "locale": self.locale,
            "path": self.path,
            "posts": self.posts,
            "attachments": self.attachments,
            "images_left_out": self.images_left_out,
            "not_ready": [vars(item) for item in self.not_ready],
            "min_state": self.min_state,
        }


# The site a WXR file is written for when bpod-i18n.toml names none (the importer maps it).
NO_SITE_URL = "https://example.invalid"


def publish_wxr(
    project: Project, options: PublishOptions, target: Path, *, progress: ProgressHook | None = None
) -> WxrReport:
    """Every ready entry as a post of a WXR 1.2 file, for a first bulk load through the
    WordPress Importer (posts with slug, date, content, excerpt, terms and bpod-i18n's meta;
    an attachment for each image that has a URL). Needs no site; writes ``target`` whole or
    not at all."""
    progress = progress or NoProgress()
    config = project.config
    settings = config.wordpress
    if settings is None:
        settings = WordPressSettings(url=NO_SITE_URL, user="bpod-i18n", locale=config.require_locale(options.locale))
    elif settings.locale != options.locale:
        site_settings(config, options.locale)  # raises the one-line error
    ready = load_ready(project, options.emit_options())
    report = WxrReport(options.locale, str(target), not_ready=ready.not_ready, min_state=ready.min_state.value)
    progress.start(len(ready.entries), f"Writing {target.name}")
    terms: dict[tuple[str, str], WxrTerm] = {}
    items: list[WxrItem] = []
    next_id = 1
    for entry in ready.entries:
        draft = _draft(entry, settings, options, None)
        post_id, next_id = next_id, next_id + 1
        _, _, local, gmt = post_dates(entry.date, settings.timezone)
        post_terms = tuple(
            terms.setdefault((taxonomy, name), WxrTerm(taxonomy, slugify(name) or "term", name))
            for taxonomy, names in (("category", draft.categories), ("post_tag", draft.tags))
            for name in names
        )
        meta = [(META_SOURCE, draft.slug), (META_TEXT, draft.text_hash)]
        link = f"{settings.url.rstrip('/')}/?p={post_id}"
        if draft.image is not None and draft.image.is_url:
            media_id, next_id = next_id, next_id + 1
            meta.append(("_thumbnail_id", str(media_id)))
            items.append(
                WxrItem(
                    post_id=media_id,
                    post_type="attachment",
                    slug=f"bpod-image-{hashlib.sha256(draft.image.source.encode()).hexdigest()[:32]}",
                    title=draft.image.alt[:200] or draft.image.filename,
                    date=local,
                    date_gmt=gmt,
                    status="inherit",
                    creator=settings.user,
                    link=draft.image.source,
                    parent=post_id,
                    meta=(("_wp_attachment_image_alt", draft.image.alt),),
                    attachment_url=draft.image.source,
                )
            )
            report.attachments += 1
        elif draft.image is not None:
            report.images_left_out.append(draft.image.source)
        items.append(
            WxrItem(
                post_id=post_id,
                post_type=settings.post_type,
                slug=draft.slug,
                title=draft.title,
                date=local,
                date_gmt=gmt,
                status=settings.status,
                creator=settings.user,
                link=link,
                content=draft.content,
                excerpt=draft.excerpt,
                terms=post_terms,
                meta=tuple(meta),
            )
        )
        report.posts.append(draft.slug)
        progress.advance()
    site = WxrSite(
        title=f"BPoD ({options.locale})",
        link=settings.url.rstrip("/"),
        language=options.locale.replace("_", "-"),
        author_login=settings.user,
        author_name=settings.user,
    )
    buffer = io.BytesIO()
    write_wxr(buffer, site, terms.values(), items)
    write_atomic(target, buffer.getvalue())
    return report

"""publish: ready entries into the mirror's WordPress (REST API), a WXR file, or a comparison."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console

from bpod_i18n.cli import common
from bpod_i18n.cli.common import JSON_OPTION, handle_errors
from bpod_i18n.errors import EXIT_GATE_FAILED, UsageError
from bpod_i18n.model import State

if TYPE_CHECKING:
    from bpod_i18n.workflow import publish as publish_ops

# The publish workflow (requests, lxml, Jinja2) is imported inside the command, so that every
# other `bpod-i18n` command starts without loading it.

SHOWN = 20  # entries listed per kind in text before "… and N more"


class MinState(StrEnum):
    REVIEWED = "reviewed"
    TRANSLATED = "translated"


@handle_errors
def publish(
    locale: str = typer.Option(..., "--locale", "-l", help="Locale to publish, e.g. ca (the site's, see below)."),
    min_state: MinState | None = typer.Option(
        None, "--min-state", help="Lowest state a sentence needs (default: review.publish_state, reviewed)."
    ),
    min_complete: float | None = typer.Option(
        None,
        "--min-complete",
        min=0,
        max=100,
        help="Also accept entries with at least this % of sentences ready (needs --fallback-english).",
    ),
    fallback_english: bool = typer.Option(
        False, "--fallback-english", help="Show the missing sentences of partial entries in English."
    ),
    entries: list[str] | None = typer.Option(None, "--entry", "-e", help="Only this entry (repeat)."),
    templates: Path | None = typer.Option(
        None, "--templates", help="Folder with an entry.html.j2 whose body and footer blocks make the post."
    ),
    dry_run: bool = typer.Option(
        False, "--dry-run", "-n", help="List create / update / unchanged / conflict / not ready; write nothing."
    ),
    force: bool = typer.Option(
        False,
        "--force",
        help="Overwrite posts changed on the site (conflicts); what they held is saved in the database first.",
    ),
    status: bool = typer.Option(
        False, "--status", help="Compare the site with the project: missing, outdated, edited on the site, unknown."
    ),
    wxr: Path | None = typer.Option(
        None, "--wxr", help="Write every ready entry into this WXR 1.2 file (WordPress Importer) instead."
    ),
    overwritten: str | None = typer.Option(
        None, "--overwritten", metavar="SLUG", help="Show what --force overwrote on the site for this entry."
    ),
    json_output: bool = JSON_OPTION,
) -> None:
    """Publish ready entries as posts of the mirror's WordPress, through its REST API.

    The site is `[publish.wordpress]` in bpod-i18n.toml (url, user, locale, post_type, …); the
    application password is read from the environment variable its `password_env` names
    (default BPOD_WP_APP_PASSWORD), never from a file. An entry is ready as for `emit`. Each
    entry is one post, found by slug or by its source-slug meta; the post's content is emit's
    HTML body, its excerpt the standfirst, its date the entry's, its featured image uploaded
    once. Re-runs send nothing for unchanged entries. A post changed on the site since it was
    published is a conflict, left alone (exit 1) unless --force.

    Exit 0 when every ready entry is on the site; 1 on a conflict, a post the site refused, an
    entry named with --entry that is not ready, or a site that stayed unreachable (what was
    done is kept: run again to resume); 2 on a wrong setting, password (401), rights (403),
    address (404) or an answer that is not JSON.
    """
    from bpod_i18n.workflow import publish as publish_ops

    if sum((status, wxr is not None, overwritten is not None)) > 1:
        raise UsageError("choose one of --status, --wxr and --overwritten")
    if (status or wxr is not None) and (force or dry_run):
        raise UsageError("--force and --dry-run go with publishing, not with --status or --wxr")
    project = common.project()
    if overwritten is not None:
        rows = publish_ops.overwritten_posts(project, overwritten, locale)
        if json_output:
            common.print_json(rows)
        else:
            _print_overwritten(rows, overwritten)
        return
    options = publish_ops.PublishOptions(
        locale=locale,
        min_state=State(min_state.value) if min_state else None,
        min_complete=min_complete,
        fallback_english=fallback_english,
        slugs=tuple(entries or ()),
        template_dir=templates,
        dry_run=dry_run,
        force=force,
    )
    if status:
        site = publish_ops.site_status(project, options)
        if json_output:
            common.print_json(site.to_dict())
        else:
            _print_status(site)
        return
    if wxr is not None:
        with common.progress(json_output) as bar:
            written = publish_ops.publish_wxr(project, options, wxr, progress=bar)
        if json_output:
            common.print_json(written.to_dict())
        else:
            _print_wxr(written)
        return
    with common.progress(json_output) as bar:
        report = publish_ops.publish(project, options, progress=bar)
    if json_output:
        common.print_json(report.to_dict())
    else:
        _print(report)
    requested_not_ready = [item.slug for item in report.not_ready if item.slug in options.slugs]
    if report.conflicts or report.failed or requested_not_ready:
        raise typer.Exit(EXIT_GATE_FAILED)


def _line(console: Console, text: str) -> None:
    console.print(text, highlight=False, markup=False)


def _print(report: publish_ops.PublishReport) -> None:
    out, err = common.out(), common.err()
    verb = "would " if report.dry_run else ""
    for label, items in (("create", report.created), ("update", report.updated)):
        for item in items[:SHOWN] if report.dry_run else items:
            where = f"  {item.link}" if item.link else ""
            why = f"  ({item.reason})" if report.dry_run and item.reason else ""
            _line(out, f"{verb}{label:>6}  {item.slug}{where}{why}")
        if report.dry_run and len(items) > SHOWN:
            _line(out, f"  … and {len(items) - SHOWN} more to {label} (--json lists them all)")
    for item in report.conflicts:
        _line(err, f"conflict  {item.slug}: {item.reason} (post {item.post_id}: {item.link}); left alone")
    if report.conflicts:
        _line(err, "  --force overwrites them; what the site held is saved first (publish --overwritten SLUG)")
    for item in report.failed:
        _line(err, f"  failed  {item.slug}: {item.reason}")
    for entry in report.not_ready[:SHOWN]:
        _line(err, f"not ready  {entry.slug}: {entry.reason}")
    if len(report.not_ready) > SHOWN:
        _line(err, f"  … and {len(report.not_ready) - SHOWN} more not ready (--json lists them all)")
    counts = report.requests
    _line(
        out,
        f"{'dry run, nothing sent: ' if report.dry_run else ''}{report.locale} → {report.site}: "
        f"{len(report.created)} {verb}create, {len(report.updated)} {verb}update, {len(report.unchanged)} unchanged, "
        f"{len(report.conflicts)} conflict, {len(report.failed)} failed; {len(report.not_ready)} not ready at "
        f"{report.min_state}; images {report.media_uploaded} uploaded, {report.media_reused} reused; "
        f"{counts.get('total', 0)} requests ({counts.get('writes', 0)} writes) in {report.seconds:.1f} s, "
        f"{report.requests_per_second:.0f}/s",
    )


def _print_status(site: publish_ops.SiteStatus) -> None:
    out = common.out()
    for label, slugs in (("missing", site.missing), ("outdated", site.outdated)):
        for slug in slugs[:SHOWN]:
            _line(out, f"{label:>9}  {slug}")
        if len(slugs) > SHOWN:
            _line(out, f"  … and {len(slugs) - SHOWN} more {label}")
    for item in site.edited:
        _line(out, f"   edited  {item.slug}: {item.reason} ({item.link})")
    for item in site.unknown[:SHOWN]:
        _line(out, f"  unknown  {item.slug} (post {item.post_id}, {item.reason}): no entry of this project")
    for slug in site.not_ready_on_site[:SHOWN]:
        _line(out, f"not ready  {slug}: on the site, but the entry is not ready now")
    _line(
        out,
        f"{site.locale} ↔ {site.site}: {len(site.up_to_date)} up to date, {len(site.missing)} missing, "
        f"{len(site.outdated)} outdated, {len(site.edited)} edited on the site, {len(site.unknown)} unknown; "
        f"{len(site.not_ready)} not ready",
    )


def _print_wxr(report: publish_ops.WxrReport) -> None:
    out, err = common.out(), common.err()
    for source in report.images_left_out:
        _line(err, f"no image in the WXR for {source}: a local file (the importer fetches images by URL)")
    for entry in report.not_ready[:SHOWN]:
        _line(err, f"not ready  {entry.slug}: {entry.reason}")
    _line(
        out,
        f"{report.path}: {len(report.posts)} posts, {report.attachments} images (WXR 1.2); "
        f"{len(report.not_ready)} not ready at {report.min_state}",
    )


def _print_overwritten(rows: list[dict[str, object]], slug: str) -> None:
    out = common.out()
    if not rows:
        _line(out, f"{slug}: publish --force never overwrote a post of this entry")
        return
    for row in rows:
        old = row["old"] if isinstance(row["old"], dict) else {}
        _line(out, f"#{row['id']} {row['at']} by {row['by']} · post {row['post_id']} on {row['site']}: {row['reason']}")
        _line(out, f"  title:   {old.get('title')}")
        _line(out, f"  excerpt: {old.get('excerpt')}")
        _line(out, "  content:")
        for text in str(old.get("content") or "").splitlines():
            _line(out, f"    {text}")


def register(app: typer.Typer) -> None:
    app.command()(publish)

"""`entries rename` and `entries retire` / `restore`: change an entry itself, with history.

Nothing of an entry is ever deleted by these. A rename keeps the entry's units (their ids, the
PO ``msgctxt``, included), translations and history, and records itself as an entry event; the
old slug stays known (ingest maps a file that still gives it to the renamed entry, and `show`
answers for it). Retiring keeps everything in the database and takes the entry out of the work:
export, check, emit, status, review, pretranslate and import leave it alone until it is restored.

The entry's PO files on disk follow it. Before anything is changed, each of its files (every
project locale) is read: a file holding translations the database does not have yet (a
translator's work not imported) stops the command, nothing changed, until it is imported or
deleted. Otherwise a retire removes the files (the database keeps their content: `restore`,
then `export`, writes them again), and a rename removes the old files and writes the entry's
files under the new name.

Renaming onto a slug that exists already is how a duplicate is folded in: a page whose title
was edited and whose file is not named by its slug comes back from ingest as a second entry.
``entries rename OLD NEW`` then gives entry OLD the slug NEW and NEW's English, as a re-ingest of
an edited entry would (translations of unchanged sentences kept, edited ones stale, removed ones
retired), and the duplicate, which nobody has translated, is dropped: its English lives on in
the renamed entry. A duplicate with translations or history of its own is never dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from bpod_i18n.errors import ConflictError, OutputError, UsageError
from bpod_i18n.model import FUZZY_STATES, SITE_SLUG, SourceEntry, State
from bpod_i18n.po import PoMessage, po_path, read_unit_file
from bpod_i18n.sources.slug import is_valid_slug
from bpod_i18n.store.models import Entry, EntryEvent, Translation, Unit, utcnow
from bpod_i18n.workflow.entries import RENAME, RESTORE, RETIRE, lookup_entry
from bpod_i18n.workflow.ingest import EntryChange, store_source
from bpod_i18n.workflow.project import Project


@dataclass
class EntryChangeReport:
    action: str  # rename, retire, restore
    slug: str  # the entry's slug after the change
    old_slug: str
    removed: list[Path] = field(default_factory=list)  # PO files removed (their content is in the database)
    written: list[Path] = field(default_factory=list)  # PO files written under the new name
    # A duplicate entry folded in by a rename: what its English did to the renamed entry.
    merged: EntryChange | None = None

    def to_dict(self) -> dict:
        return {
            "action": self.action,
            "slug": self.slug,
            "old_slug": self.old_slug,
            "removed": [str(p) for p in self.removed],
            "written": [str(p) for p in self.written],
            "merged": vars(self.merged) if self.merged else None,
        }


def rename_entry(
    project: Project, old: str, new: str, *, actor: str | None = None, comment: str | None = None
) -> EntryChangeReport:
    """Give entry ``old`` the slug ``new`` (folding in a duplicate entry ``new`` if there is one)."""
    actor = actor or project.config.user
    new = new.strip()
    with project.store.transaction() as session:
        entry = _entry(session, old)
        if new == entry.slug:
            raise UsageError(f"entry {entry.slug} is already called {new}")
        _refuse_old_slug_of_another(session, new, entry)
        duplicate = session.scalar(select(Entry).where(Entry.slug == new))
        if duplicate is None:
            _check_new_slug(new, entry)
        else:
            _check_duplicate(session, duplicate, entry)
        files = _po_files(session, project, entry) + (_po_files(session, project, duplicate) if duplicate else [])
        locales = sorted({locale for locale, _ in files})
        old_slug = entry.slug
        merged = None
        if duplicate is None:
            _rename(entry, new)
        else:
            source = SourceEntry.from_dict(duplicate.fields)
            # Core deletes: the duplicate has no translations, events or history (checked above).
            session.execute(delete(Unit).where(Unit.entry_id == duplicate.id))
            session.execute(delete(Entry).where(Entry.id == duplicate.id))
            session.expunge(duplicate)  # the slug is free before the entry takes it
            entry.slug = new
            session.flush()
            merged = store_source(session, source, actor)
        detail = (
            f"took the English of the duplicate entry {new} ({merged.units_kept} sentences kept, "
            f"{merged.units_edited} edited, {merged.units_added} new, {merged.units_retired} retired)"
            if merged
            else None
        )
        session.add(
            EntryEvent(
                entry_id=entry.id,
                actor=actor,
                at=utcnow(),
                action=RENAME,
                old_slug=old_slug,
                new_slug=new,
                comment="; ".join(filter(None, (comment, detail))) or None,
            )
        )
    report = EntryChangeReport(RENAME, new, old_slug, removed=_remove([path for _, path in files]), merged=merged)
    report.written = _export(project, new, locales)
    return report


def retire_entry(
    project: Project, slug: str, *, actor: str | None = None, comment: str | None = None
) -> EntryChangeReport:
    """Take entry ``slug`` out of the work; everything of it stays in the database."""
    actor = actor or project.config.user
    with project.store.transaction() as session:
        entry = _entry(session, slug)
        if entry.retired_at is not None:
            raise UsageError(f"entry {entry.slug} is already retired (since {entry.retired_at:%Y-%m-%d})")
        files = _po_files(session, project, entry)
        now = utcnow()
        entry.retired_at = now
        session.add(
            EntryEvent(entry_id=entry.id, actor=actor, at=now, action=RETIRE, old_slug=entry.slug, comment=comment)
        )
        slug = entry.slug
    return EntryChangeReport(RETIRE, slug, slug, removed=_remove([path for _, path in files]))


def restore_entry(
    project: Project, slug: str, *, actor: str | None = None, comment: str | None = None
) -> EntryChangeReport:
    """Bring a retired entry back into the work (`export` then writes its PO files again)."""
    actor = actor or project.config.user
    with project.store.transaction() as session:
        entry = _entry(session, slug)
        if entry.retired_at is None:
            raise UsageError(f"entry {entry.slug} is not retired")
        entry.retired_at = None
        session.add(
            EntryEvent(
                entry_id=entry.id, actor=actor, at=utcnow(), action=RESTORE, old_slug=entry.slug, comment=comment
            )
        )
        slug = entry.slug
    return EntryChangeReport(RESTORE, slug, slug)


# ---------------------------------------------------------------- checks


def _entry(session: Session, slug: str) -> Entry:
    entry = lookup_entry(session, slug)
    if entry.kind != "entry" or entry.slug == SITE_SLUG:
        raise UsageError(f"{slug!r} is the catalog of site strings, not an entry: it cannot be renamed or retired")
    return entry


def _check_new_slug(new: str, entry: Entry) -> None:
    """Slugs are lowercase ASCII words joined by hyphens, starting with the entry's date: the
    PO files' folders, `check`'s "dated" rule and the mirror's URLs read the date from them."""
    if new == SITE_SLUG or not is_valid_slug(new):
        raise UsageError(f"{new!r} is not an entry slug: lowercase letters, digits and hyphens, such as {entry.slug}")
    if entry.date is not None and not new.startswith(f"{entry.date.isoformat()}-"):
        raise UsageError(f"{new!r} must start with the entry's date, {entry.date.isoformat()}- (as {entry.slug} does)")


def _refuse_old_slug_of_another(session: Session, new: str, entry: Entry) -> None:
    """An old slug stays with its entry (ingest finds the entry by it), so no other may take it."""
    owner = session.execute(
        select(Entry.slug)
        .join(EntryEvent, EntryEvent.entry_id == Entry.id)
        .where(EntryEvent.action == RENAME, EntryEvent.old_slug == new, Entry.id != entry.id)
    ).first()
    if owner is not None:
        raise UsageError(
            f"{new} was the slug of entry {owner.slug} before it was renamed, and ingest still finds that "
            "entry by it: choose another slug"
        )


def _check_duplicate(session: Session, duplicate: Entry, entry: Entry) -> None:
    """The slug is taken: only an untouched duplicate (just ingested) may be folded in."""
    if duplicate.kind != "entry":
        raise UsageError(f"{duplicate.slug!r} is the catalog of site strings: choose another slug")
    translations = session.scalar(
        select(func.count()).select_from(Translation).join(Unit).where(Unit.entry_id == duplicate.id)
    )
    history = session.scalar(select(func.count()).select_from(EntryEvent).where(EntryEvent.entry_id == duplicate.id))
    if translations or history or duplicate.retired_at is not None:
        what = f"{translations} translations" if translations else "a history of its own"
        raise UsageError(
            f"entry {duplicate.slug} exists and has {what}: renaming {entry.slug} onto it would drop them. "
            f"Retire one of the two instead (`bpod-i18n entries retire SLUG`), or rename {entry.slug} to a free slug"
        )


def _po_files(session: Session, project: Project, entry: Entry) -> list[tuple[str, Path]]:
    """(locale, path) of the entry's PO files on disk; a file with translations the database
    lacks stops the command (ConflictError) before anything is changed."""
    config = project.config
    found: list[tuple[str, Path]] = []
    for locale in config.locales:
        path = po_path(config.locales_path, locale, entry.slug, entry.date)
        if not path.is_file():
            continue
        unit_file = read_unit_file(path, locales_dir=config.locales_path, project_locales=config.locales)
        stored = {
            uid: (text, State(state))
            for uid, text, state in session.execute(
                select(Unit.uid, Translation.text, Translation.state)
                .join(Translation, Translation.unit_id == Unit.id)
                .where(Unit.entry_id == entry.id, Translation.locale == unit_file.locale)
            )
        }
        pending = [m for m in unit_file.units if m.msgstr.strip() and not _stored(stored.get(m.msgctxt or ""), m)]
        if pending:
            raise ConflictError(
                f"{path}:{pending[0].line}: {len(pending)} translation{'s' if len(pending) != 1 else ''} in this file "
                f"{'are' if len(pending) != 1 else 'is'} not in the database yet; import the file first "
                f"(`bpod-i18n import {path}`), or delete it if they are not wanted. Nothing was changed"
            )
        found.append((locale, path))
    return found


def _stored(current: tuple[str, State] | None, message: PoMessage) -> bool:
    """Whether importing ``message`` would change nothing: same text, same fuzziness (import's rule)."""
    if current is None:
        return False
    text, state = current
    if text != message.msgstr:
        return False
    if message.fuzzy:
        return state in FUZZY_STATES
    return state in (State.TRANSLATED, State.REVIEWED)


# ---------------------------------------------------------------- changes


def _rename(entry: Entry, new: str) -> None:
    entry.slug = new
    if entry.fields:
        # The stored content hash covers the slug: made again with the new one, so that
        # re-ingesting the file (which still gives the old slug, read as this entry) finds the
        # entry unchanged.
        source = SourceEntry.from_dict({**entry.fields, "slug": new})
        entry.fields = source.to_dict()
        entry.source_hash = source.content_hash()


def _remove(paths: list[Path]) -> list[Path]:
    removed = []
    for path in paths:
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise OutputError(
                f"cannot remove: {exc.strerror} (the entry was changed; remove the file by hand)", path=path
            ) from None
        removed.append(path)
    return removed


def _export(project: Project, slug: str, locales: list[str]) -> list[Path]:
    """The renamed entry's PO files, in the locales it had files in, glossary hints as `export` writes them."""
    from bpod_i18n.workflow.export import export
    from bpod_i18n.workflow.glossary_ops import annotator

    written: list[Path] = []
    for locale in locales:
        written += export(project, locale, slugs=[slug], annotation=annotator(project, locale)).files
    return written

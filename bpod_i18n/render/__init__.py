"""Localised entries for mirrors: house-style dates, templates, escaping, incremental sync.

The workflow builds :class:`LocalisedEntry` objects from reviewed translations, renders
them with :func:`render_file` and hands the results to :func:`plan_sync` / :func:`apply_sync`.
"""

from bpod_i18n.errors import OutputError
from bpod_i18n.render.dates import DEFAULT_DATE_PATTERNS, default_date_pattern, elide_catalan_de, format_entry_date
from bpod_i18n.render.engine import FORMATS, Format, output_relpath, relpath_for, render_entry, render_file
from bpod_i18n.render.manifest import (
    MANIFEST_NAME,
    FolderManifest,
    Manifest,
    ManifestRecord,
    TextVersions,
    read_folder_manifest,
    read_manifest,
)
from bpod_i18n.render.model import DEFAULT_SITE_STRINGS, LocalisedEntry, SiteStrings
from bpod_i18n.render.sync import (
    LeftInPlace,
    RenderedFile,
    SyncAction,
    SyncPlan,
    SyncReport,
    SyncStatus,
    WithdrawnPolicy,
    apply_sync,
    lock_output,
    plan_sync,
    record_is_current,
)

__all__ = [
    "DEFAULT_DATE_PATTERNS",
    "DEFAULT_SITE_STRINGS",
    "FORMATS",
    "MANIFEST_NAME",
    "FolderManifest",
    "Format",
    "LeftInPlace",
    "LocalisedEntry",
    "Manifest",
    "ManifestRecord",
    "OutputError",
    "RenderedFile",
    "SiteStrings",
    "SyncAction",
    "SyncPlan",
    "SyncReport",
    "SyncStatus",
    "TextVersions",
    "WithdrawnPolicy",
    "apply_sync",
    "default_date_pattern",
    "elide_catalan_de",
    "format_entry_date",
    "lock_output",
    "output_relpath",
    "plan_sync",
    "read_folder_manifest",
    "read_manifest",
    "record_is_current",
    "relpath_for",
    "render_entry",
    "render_file",
]

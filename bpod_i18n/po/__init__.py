"""The one PO layer: model (no I/O), reader (one strictness policy), writer, file layout,
Plural-Forms, and the rules of bpod-i18n's own unit files. Export, import and check use it."""

from bpod_i18n.po.layout import SITE_FILE, discover, locale_directory, locale_from_path, po_path, slug_date
from bpod_i18n.po.model import FUZZY, PoCatalog, PoMessage
from bpod_i18n.po.plurals import PluralFormsError, nplurals, plural_forms
from bpod_i18n.po.reader import PoSyntaxError, read_po, read_po_file
from bpod_i18n.po.unitfile import (ENTRY_HEADER, REVISION_HEADER, UnitFile, build_unit_catalog, read_unit_file,
                                   unit_message)
from bpod_i18n.po.writer import render_po, write_po

__all__ = [
    "ENTRY_HEADER", "FUZZY", "REVISION_HEADER", "SITE_FILE", "PluralFormsError", "PoCatalog", "PoMessage",
    "PoSyntaxError", "UnitFile", "build_unit_catalog", "discover", "locale_directory", "locale_from_path",
    "nplurals", "plural_forms", "po_path", "read_po", "read_po_file", "read_unit_file", "render_po", "slug_date",
    "unit_message", "write_po",
]

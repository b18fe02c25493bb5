"""The one PO layer: model (no I/O), reader (one strictness policy), writer, file layout,
Plural-Forms, and the rules of bpod-i18n's own unit files. Export, import and check use it.

Names are loaded on first use (PEP 562): the settings need only ``plurals``, and every command
reads the settings, so importing this package must not load Babel's PO parser.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_WHERE = {
    "SITE_FILE": "layout",
    "discover": "layout",
    "locale_directory": "layout",
    "locale_from_path": "layout",
    "po_path": "layout",
    "slug_date": "layout",
    "FUZZY": "model",
    "PoCatalog": "model",
    "PoMessage": "model",
    "PluralFormsError": "plurals",
    "nplurals": "plurals",
    "plural_forms": "plurals",
    "PoSyntaxError": "reader",
    "read_po": "reader",
    "read_po_file": "reader",
    "ENTRY_HEADER": "unitfile",
    "REVISION_HEADER": "unitfile",
    "UnitFile": "unitfile",
    "build_unit_catalog": "unitfile",
    "read_unit_file": "unitfile",
    "unit_message": "unitfile",
    "render_po": "writer",
    "write_po": "writer",
}
__all__ = [
    "ENTRY_HEADER",
    "FUZZY",
    "REVISION_HEADER",
    "SITE_FILE",
    "PluralFormsError",
    "PoCatalog",
    "PoMessage",
    "PoSyntaxError",
    "UnitFile",
    "build_unit_catalog",
    "discover",
    "locale_directory",
    "locale_from_path",
    "nplurals",
    "plural_forms",
    "po_path",
    "read_po",
    "read_po_file",
    "read_unit_file",
    "render_po",
    "slug_date",
    "unit_message",
    "write_po",
]


assert sorted(__all__) == sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
    globals()[name] = value
    return value


if TYPE_CHECKING:
    from bpod_i18n.po.layout import SITE_FILE, discover, locale_directory, locale_from_path, po_path, slug_date
    from bpod_i18n.po.model import FUZZY, PoCatalog, PoMessage
    from bpod_i18n.po.plurals import PluralFormsError, nplurals, plural_forms
    from bpod_i18n.po.reader import PoSyntaxError, read_po, read_po_file
    from bpod_i18n.po.unitfile import (
        ENTRY_HEADER,
        REVISION_HEADER,
        UnitFile,
        build_unit_catalog,
        read_unit_file,
        unit_message,
    )
    from bpod_i18n.po.writer import render_po, write_po

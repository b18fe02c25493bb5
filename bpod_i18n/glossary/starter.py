"""The starter termbases shipped inside the package (``bpod_i18n/data/glossary/``).

80-odd terms per language (immunology, neuroscience, microscopy, cancer, genetics, model
organisms), each row with a note of where its rendering comes from. They are package data, not
files of this repository, so that ``init`` can offer them to anyone who installed bpod-i18n.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable

from bpod_i18n.glossary.files import pair_from_path


def _folder() -> Traversable:
    return resources.files("bpod_i18n") / "data" / "glossary"


def starter_termbase(source_lang: str, locale: str) -> Traversable | None:
    """The shipped termbase for ``locale`` (a regional locale such as ``ca_ES`` takes its
    language's), or None when there is none for the pair."""
    language = locale.replace("-", "_").split("_")[0].split("@")[0]
    found = _folder() / f"{source_lang}-{language}.csv"
    return found if found.is_file() else None


def starter_pairs() -> list[tuple[str, str]]:
    """(source, target) of every shipped termbase, e.g. [("en", "ca"), ("en", "es")]."""
    return sorted(pair_from_path(item.name) for item in _folder().iterdir() if item.name.endswith(".csv"))

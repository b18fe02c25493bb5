"""Splitting long ``IN (...)`` lists: every bound value is a parameter, and backends cap them
(SQLite at 32 766, older builds at 999)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")

IN_CHUNK = 900  # under every backend's limit


def chunks(items: Sequence[T], size: int = IN_CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]

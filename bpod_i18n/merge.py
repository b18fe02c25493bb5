"""Three-way import as plain data: which base a PO file was made from, and what each unit's
text means against it.

The base of a unit is what the project wrote into the file (or found in it at the last import
of it): kept by the project, never read from the file. A file's base is recognised by its own
texts: of the snapshots the project recorded for that entry and locale (each checkout has its
own line of them), the one most of the file's units still hold is the one the translator
started from; the translator's untouched units are the evidence, and a header claiming
anything (``X-Bpod-Revision``) is not read. When the file fits several snapshots equally well,
a unit that differs between them is merged against the older one (a conflict, both texts
kept) unless the newer one is the translator's own text.

Then for each unit, with T the translator's text, B the base and P the project's text now:

* T = B: the translator did not touch it → nothing, whatever the project did since;
* T ≠ B and P = B: only the translator changed it → stored;
* T ≠ B and P ≠ B: both changed it → a conflict; T is kept as a suggestion beside the unit
  (unless T = P: both made the same change).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True, slots=True)
class Version:
    """One unit's message as a file holds it: its text and whether it is fuzzy."""

    text: str
    fuzzy: bool = False

    @classmethod
    def exported(cls, text: str, fuzzy: bool) -> Version:
        """How export writes a unit: fuzzy only with a text to be fuzzy about."""
        return cls(text, fuzzy and bool(text))


# One checkout's line of snapshots of one entry: unit → [(round, version)], oldest first; a
# unit's version at round r is its newest pair up to r.
Timeline = Mapping[K, Sequence[tuple[int, Version]]]


def _at(rows: Sequence[tuple[int, Version]], point: int) -> Version | None:
    found = None
    for round_id, version in rows:
        if round_id > point:
            break
        found = version
    return found


@dataclass(frozen=True)
class Base(Generic[K]):
    """The snapshot a file was made from. When the file's texts fit several snapshots equally
    well (they differ only in units the translator changed), ``newest`` and ``oldest`` are the
    newest and oldest of them: for a unit that differs between the two it cannot be told which
    one the translator saw (see :func:`base_of`)."""

    newest: Mapping[K, Version]
    oldest: Mapping[K, Version]

    def base_of(self, unit: K, *, newest_is_theirs: bool) -> Version | None:
        """The unit's base. Undecided between two snapshots, the older one (a conflict keeps
        both texts; taking the newer could silently write over someone's later text), unless
        the newer text is the translator's own (imported from this file and edited again: no
        conflict with oneself)."""
        newest, oldest = self.newest.get(unit), self.oldest.get(unit)
        return newest if newest == oldest or newest_is_theirs else oldest


def choose_base(file: Mapping[K, Version], timelines: Mapping[str, Timeline[K]], *, here: str) -> Base[K] | None:
    """The snapshot ``file`` was most likely made from: the one holding the most of its
    units' versions, of this checkout (``here``) before others, the newest on a tie.

    None when nothing matches and this checkout has no snapshot of the entry: the file was
    not exported by this project as far as it knows, and its base is unknown. A file of this
    checkout with no unit left untouched is taken as made from this checkout's snapshots
    (export never writes over a file changed since, so that is what it held).
    """
    scored: list[tuple[tuple[int, bool], int, dict[K, Version]]] = []
    for checkout, units in timelines.items():
        points = sorted({round_id for rows in units.values() for round_id, _ in rows})
        for point in points:
            snapshot = {unit: version for unit, rows in units.items() if (version := _at(rows, point)) is not None}
            score = sum(1 for unit, version in file.items() if snapshot.get(unit) == version)
            scored.append(((score, checkout == here), point, snapshot))
    if not scored:
        return None
    best = max(key for key, _, _ in scored)
    if best == (0, False):
        return None
    tied = sorted((point, snapshot) for key, point, snapshot in scored if key == best)
    return Base(newest=tied[-1][1], oldest=tied[0][1])


class Outcome(StrEnum):
    UNTOUCHED = "untouched"  # the translator's text is the base: nothing to do
    STORE = "store"  # only the translator changed it
    CONFLICT = "conflict"  # both changed it: the translator's text becomes a suggestion


def merge(base: Version | None, project: Version, theirs: Version) -> Outcome:
    """What the translator's version of one unit means (``base`` None: not known)."""
    if not theirs.text:
        return Outcome.UNTOUCHED  # an emptied message never deletes a translation
    if base is not None and theirs == base:
        return Outcome.UNTOUCHED
    if theirs.text == project.text:
        return Outcome.STORE  # the same text: at most its state changes (the caller decides)
    if base is None:
        return Outcome.STORE if not project.text else Outcome.CONFLICT
    return Outcome.STORE if project.text == base.text else Outcome.CONFLICT

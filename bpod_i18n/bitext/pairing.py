"""Pairing published localised entries with their English entries.

By date first: the mirror publishes the same day's entry, so the English entries of that
day are the candidates. Confirmed by content: the English entry's machine translation is
compared with the localised text (rapidfuzz's Indel similarity over word stems, as in
``align.py``), with the title and the author's name (never translated) as further evidence.
A candidate is taken only when it scores at least ``MIN_SCORE`` and clearly beats the
runner-up (``MIN_MARGIN``), so two entries on one day do not pair by chance. When no entry of
that day is convincing (a mirror post dated a day late, a time zone), the candidates of
``WINDOW_DAYS`` around it are scored the same way. Each English entry pairs once: the
better-scoring localised entry keeps it, the other is reported.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz.distance import Indel

from bpod_i18n.bitext.align import stems
from bpod_i18n.bitext.model import LocalizedEntry

WINDOW_DAYS = 7
MIN_SCORE = 0.30
MIN_MARGIN = 0.08
# Weights of the evidence: the whole text, the title, the same author's name.
TEXT_WEIGHT, TITLE_WEIGHT, AUTHOR_WEIGHT = 0.75, 0.15, 0.10


@dataclass(frozen=True)
class EnglishSide:
    """An English entry as pairing sees it: ``machine`` is its text machine-translated
    (title first), ``machine_title`` its title's."""

    slug: str
    date: dt.date | None
    machine: str
    machine_title: str
    author: str | None = None


@dataclass(frozen=True)
class Pairing:
    entry: LocalizedEntry
    slug: str | None  # the English entry, None when unpaired
    score: float
    reason: str = ""  # why unpaired


def candidates(entry: LocalizedEntry, by_date: dict[dt.date, list[str]], *, wide: bool) -> list[str]:
    """Slugs of the English entries of the entry's day, or of the days around it."""
    if not wide:
        return list(by_date.get(entry.date, ()))
    out: list[str] = []
    for offset in range(-WINDOW_DAYS, WINDOW_DAYS + 1):
        if offset:
            out += by_date.get(entry.date + dt.timedelta(days=offset), ())
    return out


def _author_key(name: str | None) -> str:
    return " ".join((name or "").casefold().split())


def score(entry: LocalizedEntry, english: EnglishSide) -> float:
    """How well ``entry`` reads as a translation of ``english``, 0-1."""
    localized = stems(" ".join(text for _, text in entry.fields()))
    text = Indel.normalized_similarity(stems(english.machine), localized)
    title = Indel.normalized_similarity(stems(english.machine_title), stems(entry.title))
    same_author = bool(entry.author) and _author_key(entry.author) == _author_key(english.author)
    return TEXT_WEIGHT * text + TITLE_WEIGHT * title + AUTHOR_WEIGHT * same_author


def _best(
    entry: LocalizedEntry, slugs: Sequence[str], english: dict[str, EnglishSide]
) -> tuple[str | None, float, str]:
    scored = sorted(((score(entry, english[slug]), slug) for slug in slugs if slug in english), reverse=True)
    if not scored:
        return None, 0.0, ""
    (top, slug), runner_up = scored[0], (scored[1][0] if len(scored) > 1 else 0.0)
    if top < MIN_SCORE:
        return None, top, f"its content does not match {slug} (score {top:.2f} < {MIN_SCORE})"
    if top - runner_up < MIN_MARGIN:
        other = scored[1][1]
        return None, top, f"ambiguous: {slug} ({top:.2f}) and {other} ({runner_up:.2f}) match about as well"
    return slug, top, ""


def pair(
    entries: Sequence[LocalizedEntry], english: dict[str, EnglishSide], by_date: dict[dt.date, list[str]]
) -> list[Pairing]:
    """One Pairing per localised entry, in the order given. Candidates missing from ``english``
    are not considered (the caller machine-translates the window's entries only when needed)."""
    proposals: list[Pairing] = []
    for entry in entries:
        slug, top, reason = _best(entry, candidates(entry, by_date, wide=False), english)
        if slug is None:
            wide_slug, wide_top, wide_reason = _best(entry, candidates(entry, by_date, wide=True), english)
            if wide_slug is not None:
                slug, top, reason = wide_slug, wide_top, ""
            elif not reason:
                reason = wide_reason or (
                    f"no English entry dated {entry.date.isoformat()} or within {WINDOW_DAYS} days of it "
                    "(ingest the English archive first?)"
                )
        proposals.append(Pairing(entry, slug, top, reason))
    # Each English entry once: the best-scoring localised entry keeps it.
    holder: dict[str, int] = {}
    for index, proposal in enumerate(proposals):
        if proposal.slug is None:
            continue
        known = holder.get(proposal.slug)
        if known is None or proposal.score > proposals[known].score:
            holder[proposal.slug] = index
    out: list[Pairing] = []
    for index, proposal in enumerate(proposals):
        if proposal.slug is not None and holder[proposal.slug] != index:
            winner = proposals[holder[proposal.slug]].entry
            proposal = Pairing(
                proposal.entry, None, proposal.score, f"{proposal.slug} is already paired with {winner.where}"
            )
        out.append(proposal)
    return out

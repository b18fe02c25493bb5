"""The glossary QA check: does a translation follow the termbase for the terms of its source?

Plugged into the check registry as id ``glossary``; ``check_translation`` is the
``check_single(source, target, hits)`` of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from bpod_i18n.glossary.matcher import Hit, Matcher
from bpod_i18n.glossary.target import find_rendering, find_verbatim, words_with_spans

CHECK_ID = "glossary"


class ViolationKind(StrEnum):
    MISSING = "missing-term"  # none of the allowed renderings is in the translation
    FORBIDDEN = "forbidden-term"  # a forbidden rendering is in the translation
    DNT_CHANGED = "dnt-changed"  # a do-not-translate term is not there verbatim


@dataclass(frozen=True)
class Violation:
    kind: ViolationKind
    term: str  # the source term
    expected: str  # the rendering to use (the source itself for do-not-translate)
    message: str
    found: str = ""  # the offending text in the translation, for forbidden renderings


def check_translation(source: str, target: str, hits: Sequence[Hit]) -> list[Violation]:
    """Violations of the glossary in ``target``, a translation of ``source`` whose glossary
    ``hits`` (from the locale's Matcher) are given. One finding per term and kind, in the
    order the terms appear in the source. An empty translation has none (it is untranslated)."""
    if not hits or not target.strip():
        return []  # most sentences have no term: skip tokenising the translation
    words = words_with_spans(target)
    violations: list[Violation] = []
    seen: set[str] = set()
    for hit in sorted(hits, key=lambda h: h.start):
        if hit.source in seen:
            continue
        seen.add(hit.source)
        group = [h for h in hits if h.source == hit.source]
        if hit.dnt:
            spellings = [hit.term.source] + [h.matched_text for h in group]
            if not any(find_verbatim(s, target) for s in spellings):
                violations.append(
                    Violation(
                        ViolationKind.DNT_CHANGED,
                        hit.source,
                        hit.term.source,
                        f'"{hit.term.source}" must appear unchanged in the translation (do not translate)',
                    )
                )
            continue
        allowed_spans: list[tuple[int, int]] = []
        for entry in hit.allowed:
            allowed_spans += find_rendering(entry.target, words)
        preferred = hit.allowed[0].target if hit.allowed else ""
        if hit.allowed and not allowed_spans:
            options = " or ".join(f'"{t.target}"' for t in hit.allowed)
            violations.append(
                Violation(
                    ViolationKind.MISSING, hit.source, preferred, f'"{hit.source}" should be translated as {options}'
                )
            )
        for entry in hit.forbidden:
            for start, end in find_rendering(entry.target, words):
                if any(s <= start and end <= e for s, e in allowed_spans):
                    continue  # part of an allowed rendering, e.g. forbidden "cèl·lules" inside "cèl·lules mare"
                found = target[start:end]
                advice = f'; use "{preferred}"' if preferred else ""
                violations.append(
                    Violation(
                        ViolationKind.FORBIDDEN,
                        hit.source,
                        preferred,
                        f'"{found}" is a forbidden rendering of "{hit.source}"{advice}',
                        found,
                    )
                )
                break
    return violations


def check_with(matcher: Matcher, source: str, target: str) -> list[Violation]:
    """``check_translation`` with the hits found by the locale's matcher (build it once per locale)."""
    return check_translation(source, target, matcher.find(source))

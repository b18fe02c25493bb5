"""Keep do-not-translate terms intact through MT, and steer the output towards the glossary.

Before MT, every do-not-translate term (gene symbols, Latin binomials, any term given) is
replaced by a placeholder such as ``ZXQ0``: capital letters and a number, which engines
treat as an unknown proper noun and pass through (checked with Apertium eng-cat and eng-spa;
an initial Z keeps Catalan and Spanish from eliding the article before it). After MT the
placeholders are put back and each one's return is checked.

Inline tags (bpod_i18n.markup: ``<em>``, ``<sub>``, ``<a1>``...) go to a web provider as
placeholders too, one per tag, and come back as they were; Apertium, whose HTML mode moves
tags along with the words they enclose, gets them as they are (``Provider.keeps_markup``).
Either way the result's tags are compared with the source's, and a difference (a tag lost,
doubled or put out of order by the engine) flags the unit for the translator.

Then the glossary is enforced where it is safe: if a source term occurs and the translation
lacks its preferred target, the engine's own rendering of the term (learnt by translating
each glossary term once with the same engine) or a forbidden rendering is replaced by the
preferred target; otherwise the unit is flagged for the translator.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from bpod_i18n import markup
from bpod_i18n.glossary.target import find_rendering, words_with_spans
from bpod_i18n.mt.base import Provider


class TermLike(Protocol):
    """What the protector needs of a glossary term (``bpod_i18n.glossary.Term`` fits)."""

    @property
    def source(self) -> str: ...

    @property
    def target(self) -> str: ...

    @property
    def dnt(self) -> bool: ...

    @property
    def status(self) -> str: ...  # "preferred", "admitted" or "forbidden"


@dataclass(frozen=True)
class SimpleTerm:
    """A minimal TermLike for callers without a termbase (and for tests)."""

    source: str
    target: str = ""
    dnt: bool = False
    status: str = "preferred"


class NoteKind(StrEnum):
    PLACEHOLDER_LOST = "placeholder-lost"  # a protected term did not come back
    PLACEHOLDER_EXTRA = "placeholder-extra"  # the engine repeated a placeholder
    GLOSSARY_REPLACED = "glossary-replaced"  # engine wording replaced by the preferred term
    GLOSSARY_MISSING = "glossary-missing"  # preferred term absent and no safe replacement
    FORBIDDEN_TERM = "forbidden-term"  # a forbidden rendering is left in the text
    TAGS_CHANGED = "tags-changed"  # the engine lost, doubled or misplaced an inline tag


@dataclass(frozen=True)
class MTNote:
    kind: NoteKind
    term: str
    message: str

    @property
    def needs_review(self) -> bool:
        return self.kind is not NoteKind.GLOSSARY_REPLACED


@dataclass(frozen=True)
class Slot:
    token: str
    original: str
    # A tag's placeholder is set apart from a word it touches by a space protect() added;
    # restore() takes that space away again.
    pad_before: bool = False
    pad_after: bool = False


@dataclass(frozen=True)
class Protected:
    """A source text with its do-not-translate terms replaced by placeholders."""

    source: str
    text: str  # what goes to the engine
    slots: tuple[Slot, ...]
    prefix: str


@dataclass(frozen=True)
class GuardedTranslation:
    text: str
    notes: tuple[MTNote, ...] = ()

    @property
    def flagged(self) -> bool:
        """True when a human must look: a lost term, a missing or forbidden glossary term."""
        return any(note.needs_review for note in self.notes)


_PREFIXES = ("ZXQ", "ZQX", "ZXV", "ZVQ")
_BOUNDARY_BEFORE = r"(?<![\w·])"
_BOUNDARY_AFTER = r"(?![\w·])"
_BINOMIAL = re.compile(r"^([A-Z])[a-z]+ ([a-z]{3,})$")


def _is_symbol(term: str) -> bool:
    """Gene/protein symbols and acronyms match case-sensitively (same rule as the glossary)."""
    return any(c.isupper() for c in term[1:]) or (any(c.isalpha() for c in term) and any(c.isdigit() for c in term))


def _literal(term: str) -> str:
    """Regex for a term: spaces match any run of whitespace."""
    return r"\s+".join(re.escape(word) for word in term.split())


def _tolerant(target: str) -> str:
    """Regex for a target term that tolerates inflected endings (cèl·lula / cèl·lules)."""
    words = []
    for word in target.split():
        if len(word) > 4:
            words.append(re.escape(word[:-2]) + r"[\w·]{0,3}")
        else:
            words.append(re.escape(word) + r"[\w·]{0,2}")
    return _BOUNDARY_BEFORE + r"\s+".join(words) + _BOUNDARY_AFTER


# Shapes an engine must never touch, whatever the glossary says: a site string's
# {placeholder} (Apertium made "{ordinal}" into "{any} ordinal"), printf placeholders, links,
# e-mail addresses and domain names ("www.bpod.cat" came back as "www.bpod.gat").
_SHIELDED = (
    r"\{[^{}\s]+\}"
    r"|%\(\w+\)[sd]|%[sd]"
    r"|https?://[^\s<>\"]*[^\s<>\".,;:!?)]"
    r"|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"
    r"|\b(?:[\w-]+\.)+(?:org|com|net|cat|es|uk|eu|edu|gov|info|io)\b"
)
# The notation's tags, for providers that would mangle them.
_TAGS = r"</?(?:em|i|strong|b|sub|sup|a[1-9][0-9]*)>|<br\s*/?>"
_TAG_RE = re.compile(_TAGS)
_PAD_BEFORE = re.compile(" ?\x01")
_PAD_AFTER = re.compile("\x02 ?")


@dataclass
class _Entry:
    """All glossary rows for one source term (non-DNT)."""

    source: str
    preferred: list[str] = field(default_factory=list)
    admitted: list[str] = field(default_factory=list)
    forbidden: list[str] = field(default_factory=list)
    pattern: re.Pattern[str] | None = None  # the term in the English text (singular or plural)


class GlossaryGuard:
    """Protection and glossary enforcement for one language pair's termbase."""

    def __init__(self, terms: Iterable[TermLike], *, extra_dnt: Iterable[str] = ()):
        """``terms``: the glossary; its do-not-translate terms and ``extra_dnt`` are shielded
        from the engine, and so is everything of the shapes in ``_SHIELDED``."""
        dnt: set[str] = {t.strip() for t in extra_dnt if t.strip()}
        self._entries: dict[str, _Entry] = {}
        for term in terms:
            if term.dnt:
                dnt.add(term.source)
                continue
            entry = self._entries.setdefault(term.source, _Entry(term.source))
            status = str(term.status)
            target_list = {"forbidden": entry.forbidden, "admitted": entry.admitted}.get(status, entry.preferred)
            if term.target and term.target not in target_list:
                target_list.append(term.target)
        for name in list(dnt):  # "Mus musculus" also protects "M. musculus"
            binomial = _BINOMIAL.match(name)
            if binomial:
                dnt.add(f"{binomial.group(1)}. {binomial.group(2)}")
        self.dnt_terms = tuple(sorted(dnt, key=lambda t: (-len(t), t)))
        terms_pattern = (
            "|" + _BOUNDARY_BEFORE + "(?:" + "|".join(map(_literal, self.dnt_terms)) + ")" + _BOUNDARY_AFTER
            if self.dnt_terms
            else ""
        )
        self._dnt_pattern = re.compile(_SHIELDED + terms_pattern)
        self._dnt_and_tags_pattern = re.compile(_TAGS + "|" + _SHIELDED + terms_pattern)
        self._longest_first = sorted(self._entries.values(), key=lambda e: (-len(e.source), e.source))
        for entry in self._entries.values():
            # Simple English plural of the last word: stem cell → stem cells, virus → viruses.
            flags = 0 if _is_symbol(entry.source) else re.IGNORECASE
            entry.pattern = re.compile(
                _BOUNDARY_BEFORE + "(" + _literal(entry.source) + ")((?:e?s)?)" + _BOUNDARY_AFTER, flags
            )

    # -- protection --------------------------------------------------------------------------

    def protect(self, text: str, *, shield_tags: bool = True) -> Protected:
        """Replace each do-not-translate term in ``text`` by a placeholder, and each inline tag
        too unless ``shield_tags`` is false (an engine that keeps tags itself)."""
        prefix = next((p for p in _PREFIXES if p.lower() not in text.lower()), _PREFIXES[0])
        slots: list[Slot] = []

        def placeholder(match: re.Match[str], pad_before: bool = False, pad_after: bool = False) -> str:
            slot = Slot(f"{prefix}{len(slots)}", match.group(0), pad_before, pad_after)
            slots.append(slot)
            return (" " if pad_before else "") + slot.token + (" " if pad_after else "")

        if "<" not in text:
            return Protected(text, self._dnt_pattern.sub(placeholder, text), tuple(slots), prefix)

        def tag_or_term(match: re.Match[str]) -> str:
            # A tag is matched first so that no term is ever found inside one ("a1" in <a1>).
            if not _TAG_RE.fullmatch(match.group(0)):
                return placeholder(match)
            if not shield_tags:
                return match.group(0)
            # A tag's placeholder stands apart from the words beside it ("CO ZXQ0 2 ZXQ1"), or
            # an engine reads "COZXQ02ZXQ1" as one unknown word; restore() takes the spaces away.
            start, end = match.span()
            before = start > 0 and not text[start - 1].isspace()
            after = end < len(text) and not text[end].isspace()
            return placeholder(match, before, after)

        return Protected(text, self._dnt_and_tags_pattern.sub(tag_or_term, text), tuple(slots), prefix)

    def restore(self, protected: Protected, translated: str) -> tuple[str, list[MTNote]]:
        """Put the protected terms back; a note for each placeholder lost or repeated."""
        if not protected.slots:
            return translated, []
        seen: dict[int, int] = {}
        # Tolerate an engine that changes the case or splits off the number.
        token = re.compile(r"(?<![\w])" + protected.prefix + r"\s?(\d+)(?!\d)", re.IGNORECASE)

        def back(match: re.Match[str]) -> str:
            index = int(match.group(1))
            if index >= len(protected.slots):
                return match.group(0)
            seen[index] = seen.get(index, 0) + 1
            slot = protected.slots[index]
            # Marks where protect() added a space, taken away below with one space beside each.
            return ("\x01" if slot.pad_before else "") + slot.original + ("\x02" if slot.pad_after else "")

        text = token.sub(back, translated)
        if "\x01" in text or "\x02" in text:
            text = _PAD_AFTER.sub("", _PAD_BEFORE.sub("", text))
        notes = []
        for index, slot in enumerate(protected.slots):
            count = seen.get(index, 0)
            if count == 0:
                notes.append(
                    MTNote(
                        NoteKind.PLACEHOLDER_LOST,
                        slot.original,
                        f"protected term {slot.original!r} was lost by the engine",
                    )
                )
            elif count > 1:
                notes.append(
                    MTNote(
                        NoteKind.PLACEHOLDER_EXTRA,
                        slot.original,
                        f"protected term {slot.original!r} appears {count} times in the translation",
                    )
                )
        return text, notes

    # -- glossary enforcement ----------------------------------------------------------------

    def probe_texts(self, texts: Iterable[str] | None = None) -> list[str]:
        """Source terms whose engine wording is worth knowing: those with a preferred target
        (and, if ``texts`` is given, occurring in one of them: a paid API is not asked about
        5 000 terms to translate one entry)."""
        wanted = [entry for entry in self._entries.values() if entry.preferred]
        if texts is not None:
            corpus = list(texts)
            wanted = [e for e in wanted if e.pattern is not None and any(e.pattern.search(t) for t in corpus)]
        return sorted(entry.source for entry in wanted)

    def learn_renderings(
        self, provider: Provider, source: str, target: str, *, texts: Iterable[str] | None = None
    ) -> dict[str, str]:
        """Translate glossary source terms once with ``provider``: term → engine wording.

        Only terms occurring in ``texts`` when given. Cacheable per (engine, language pair).
        """
        probes = self.probe_texts(texts)
        if not probes:
            return {}
        outputs = provider.translate_batch(probes, source, target)
        return {probe: out.strip().rstrip(".") for probe, out in zip(probes, outputs, strict=True) if out.strip()}

    def enforce(self, source_text: str, translated: str, renderings: dict[str, str]) -> tuple[str, list[MTNote]]:
        """Make the glossary's preferred targets appear where it is safe; note everything done."""
        notes: list[MTNote] = []
        claimed: list[tuple[int, int]] = []  # source spans of longer terms: "stem cells" owns its "cells"
        for entry in self._longest_first:
            assert entry.pattern is not None
            hits = [
                (m.group(1), m.group(2))
                for m in entry.pattern.finditer(source_text)
                if not any(start <= m.start() and m.end() <= end for start, end in claimed)
            ]
            if not hits:
                continue
            claimed += [m.span() for m in entry.pattern.finditer(source_text)]
            forbidden_left = [f for f in entry.forbidden if re.search(_tolerant(f), translated, re.IGNORECASE)]
            wanted = entry.preferred + entry.admitted
            # The glossary QA's own test (plural, accent and gender variants count), so the
            # engine is not flagged for what the check later accepts: patogen → patògens.
            words = words_with_spans(translated)
            present = any(find_rendering(t, words) for t in wanted)
            if present and not forbidden_left:
                continue
            # Only the glossary's own form (not a plural we made up) can take the target verbatim.
            same_form = all(not plural for _, plural in hits)
            known = [r for r in [renderings.get(entry.source, "")] if r] if not present else []
            candidates = forbidden_left + known
            if entry.preferred and same_form:
                for wording in candidates:
                    replaced, count = _replace_words(translated, wording, entry.preferred[0], limit=len(hits))
                    if count:
                        translated = replaced
                        notes.append(
                            MTNote(
                                NoteKind.GLOSSARY_REPLACED,
                                entry.source,
                                f"{wording!r} replaced by {entry.preferred[0]!r} ({entry.source})",
                            )
                        )
                        if wording in forbidden_left:
                            forbidden_left.remove(wording)
                        present = True
            for wording in forbidden_left:
                notes.append(
                    MTNote(
                        NoteKind.FORBIDDEN_TERM, entry.source, f"forbidden rendering {wording!r} of {entry.source!r}"
                    )
                )
            if not present and wanted:
                notes.append(
                    MTNote(
                        NoteKind.GLOSSARY_MISSING, entry.source, f"{entry.source!r} should be rendered {wanted[0]!r}"
                    )
                )
        return translated, notes

    def finish(self, protected: Protected, translated: str, renderings: dict[str, str]) -> GuardedTranslation:
        """Enforce the glossary (placeholders still hiding protected terms), then restore them."""
        enforced, glossary_notes = self.enforce(markup.plain(protected.source), translated, renderings)
        text, slot_notes = self.restore(protected, enforced)
        if "<" in protected.source or "<" in text:
            from bpod_i18n.checks.markup import tag_differences

            problem = tag_differences(protected.source, text)
            if problem is not None:
                slot_notes.append(MTNote(NoteKind.TAGS_CHANGED, "", f"inline tags: {problem}"))
        return GuardedTranslation(text, tuple(slot_notes + glossary_notes))


def _replace_words(text: str, wording: str, replacement: str, *, limit: int) -> tuple[str, int]:
    """Replace whole-word occurrences of ``wording`` (any case) if there are at most ``limit``.

    More occurrences than source hits means the wording also renders something else: leave it.
    """
    pattern = re.compile(_BOUNDARY_BEFORE + _literal(wording) + _BOUNDARY_AFTER, re.IGNORECASE)
    found = pattern.findall(text)
    if not found or len(found) > limit:
        return text, 0

    def keep_case(match: re.Match[str]) -> str:
        first = match.group(0)[0]
        return replacement[0].upper() + replacement[1:] if first.isupper() else replacement

    return pattern.sub(keep_case, text), len(found)


GuardedCallback = Callable[[int, GuardedTranslation], None]


def translate_with_glossary(
    provider: Provider,
    texts: Sequence[str],
    source: str,
    target: str,
    guard: GlossaryGuard,
    *,
    renderings: dict[str, str] | None = None,
    on_result: GuardedCallback | None = None,
) -> list[GuardedTranslation]:
    """Protect, translate with ``provider``, restore and enforce: one call for the workflow.

    ``renderings`` (from ``guard.learn_renderings``) is learnt here, for the terms in
    ``texts``, when not given.
    ``on_result(i, guarded)`` is called as each result arrives, like ``translate_batch``.
    """
    if renderings is None:
        renderings = guard.learn_renderings(provider, source, target, texts=texts)
    protected = [guard.protect(text, shield_tags=not provider.keeps_markup) for text in texts]
    done: dict[int, GuardedTranslation] = {}

    def finished(i: int, output: str) -> None:
        done[i] = guard.finish(protected[i], output, renderings)
        if on_result is not None:
            on_result(i, done[i])

    provider.translate_batch([p.text for p in protected], source, target, on_result=finished)
    return [done[i] for i in range(len(texts))]

"""Things a translation must carry over untouched: HTML tags, placeholders, URLs, e-mail addresses."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from bpod_i18n.checks.base import Check, Severity, UnitText, describe_counter

# printf: %s %d %1$s %(name)s %.2f %% — no space flag ("50% of" is prose, not "% o"), and not
# right after a digit ("50%s" does not happen in prose; "50%" does).
_PRINTF = re.compile(
    r"(?<![0-9%])%(?:\((?P<name>\w+)\)|(?P<position>[1-9][0-9]*)\$)?[-+#0]*[0-9]*(?:\.[0-9]+)?[hlLqjzt]*[sdifuxXeEgGcr]"
)
# Python/ICU-style braces {name} {0} {name!r:>10} and Jinja {{ name }}.
_BRACES = re.compile(r"\{\{\s*[\w.]+\s*\}\}|\{(?:[A-Za-z_][\w.]*|[0-9]*)(?:![rsa])?(?::[^{}]*)?\}")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"“”«»]+")
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_URL_TRAILING = ".,;:!?)]}'’"


_TAG_LIKE = re.compile(r"<(/?)([A-Za-z][\w:-]*)((?:\s[^<>]*?)?)\s*(/?)>")
_HREF = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)
_VOID = frozenset({"br", "img", "hr", "wbr"})


@dataclass(frozen=True)
class _Tag:
    name: str
    closing: bool
    attrs: str  # as written, "" for none

    @property
    def void(self) -> bool:
        return self.name in _VOID

    def show(self) -> str:
        return (
            f"<{self.name}{' ' + self.attrs if self.attrs else ''}/>" if self.void else f"<{self.name}>…</{self.name}>"
        )


def _tag_list(text: str) -> list[_Tag]:
    """Every tag-shaped thing of ``text``: the notation's tags and anything a translator typed."""
    if "<" not in text:
        return []
    return [_Tag(name.lower(), bool(slash), attrs.strip()) for slash, name, attrs, _self in _TAG_LIKE.findall(text)]


def _href(attrs: str) -> str | None:
    found = _HREF.search(attrs)
    return next((g for g in found.groups() if g is not None), "") if found else None


def _nesting(tags: list[_Tag]) -> str | None:
    stack: list[str] = []
    for tag in tags:
        if tag.void:
            continue
        if not tag.closing:
            stack.append(tag.name)
        elif not stack:
            return f"badly nested: </{tag.name}> without <{tag.name}>"
        elif stack[-1] != tag.name:
            return f"badly nested: </{tag.name}> closes <{stack[-1]}>"
        else:
            stack.pop()
    return f"badly nested: <{stack[-1]}> is not closed" if stack else None


def _attributes(source: list[_Tag], target: list[_Tag]) -> list[str]:
    """Attributes of the target's tags that the source does not have on a tag of that name:
    a changed link address above all."""
    known: dict[str, set[str]] = {}
    for tag in source:
        if not tag.closing:
            known.setdefault(tag.name, set()).add(tag.attrs)
    problems: list[str] = []
    for tag in target:
        if tag.closing or not tag.attrs or tag.attrs in known.get(tag.name, set()):
            continue
        href = _href(tag.attrs)
        if href is not None:
            before = sorted(h for attrs in known.get(tag.name, ()) if (h := _href(attrs)) is not None)
            if before:
                problems.append(f"changed href of <{tag.name}>: {before[0]} → {href}")
            else:
                problems.append(
                    f"changed href: <{tag.name} {tag.attrs}> (a link's address is kept by the project; "
                    f"write <{tag.name}>…</{tag.name}> as in the source)"
                )
        else:
            problems.append(f"attributes not in the source: <{tag.name} {tag.attrs}>")
    return problems


def _pairs(tags: list[_Tag]) -> Counter[str]:
    """Elements by name: each opening tag (or void tag) counts once."""
    return Counter(tag.name for tag in tags if not tag.closing)


def tag_differences(source: str, target: str) -> str | None:
    """What is wrong with the target's tags, given the source's; None when they agree."""
    if "<" not in source and "<" not in target:
        return None
    source_tags, target_tags = _tag_list(source), _tag_list(target)
    problems: list[str] = []
    expected, found = _pairs(source_tags), _pairs(target_tags)
    missing, extra = expected - found, found - expected
    show = {tag.name: tag.show() for tag in source_tags + target_tags if not tag.closing}
    if len(missing) == 1 and len(extra) == 1 and sum(missing.values()) == sum(extra.values()):
        (old,), (new,) = missing, extra
        problems.append(f"renamed: {show[old]} became {show[new]}")
    else:
        if missing:
            problems.append("missing " + describe_counter(Counter({show[k]: n for k, n in missing.items()})))
        if extra:
            problems.append("extra " + describe_counter(Counter({show[k]: n for k, n in extra.items()})))
    problems += _attributes(source_tags, target_tags)
    if (nested := _nesting(target_tags)) is not None and _nesting(source_tags) is None:
        problems.append(nested)
    return "; ".join(problems) or None


def _difference(source: Counter[str], target: Counter[str], what: str) -> str | None:
    if source == target:
        return None
    missing, extra = source - target, target - source
    parts = []
    if missing:
        parts.append(f"missing {what} {describe_counter(missing)}")
    if extra:
        parts.append(f"extra {what} {describe_counter(extra)}")
    return "; ".join(parts)


class Markup(Check):
    check_id = "markup"
    name = "Inline tags"
    description = (
        "The translation's inline tags differ from the source's: a tag missing, extra or renamed "
        "(<em> became <i>), badly nested (<em><b>…</em></b>, a tag not closed), or an attribute "
        "such as a link's address (href) added or changed. A link is <a1>…</a1> in bpod-i18n's "
        "files: its address stays in the project."
    )
    message = "Tags differ"
    severity = Severity.ERROR
    reads_markup = True

    def check(self, unit: UnitText) -> str | None:
        return tag_differences(unit.source, unit.target)


class Placeholders(Check):
    check_id = "placeholders"
    name = "Placeholders"
    description = (
        "The translation does not have the same placeholders as the source: printf (%s, %d, %1$s, "
        "%(name)s) and braces ({name}, {0}, {{ name }})."
    )
    message = "Placeholders differ"
    severity = Severity.ERROR

    def check(self, unit: UnitText) -> str | None:
        source, target = unit.source, unit.target
        if "%" not in source and "%" not in target and "{" not in source and "{" not in target:
            return None
        found_source = Counter(m.group() for m in _PRINTF.finditer(source))
        found_target = Counter(m.group() for m in _PRINTF.finditer(target))
        found_source.update(_BRACES.findall(source))
        found_target.update(_BRACES.findall(target))
        return _difference(found_source, found_target, "placeholders")


def _urls(text: str) -> set[str]:
    return {url.rstrip(_URL_TRAILING) for url in _URL.findall(text)}


class Urls(Check):
    check_id = "urls"
    name = "URLs"
    description = "The translation does not contain the same URLs as the source (a link changed, dropped or added)."
    message = "URLs differ"

    def check(self, unit: UnitText) -> str | None:
        source, target = unit.source, unit.target
        if "://" not in source + target and "www." not in source + target:
            return None
        return _difference(Counter(_urls(source)), Counter(_urls(target)), "URLs")


class Emails(Check):
    check_id = "emails"
    name = "E-mail addresses"
    description = "The translation does not contain the same e-mail addresses as the source."
    message = "E-mail addresses differ"

    def check(self, unit: UnitText) -> str | None:
        if "@" not in unit.source and "@" not in unit.target:
            return None
        return _difference(
            Counter(set(_EMAIL.findall(unit.source))), Counter(set(_EMAIL.findall(unit.target))), "e-mail addresses"
        )

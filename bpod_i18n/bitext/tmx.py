"""TMX 1.4b (LISA's Translation Memory eXchange), written and read with lxml.

Each pair is a ``<tu>`` with ``creationid``/``creationdate`` (who wrote the translation,
when) and ``changeid``/``changedate`` (who last changed it, when), dates in TMX's
``YYYYMMDDThhmmssZ``; where the pair came from travels as ``<prop>`` elements, which CAT
tools keep and ignore: ``x-bpod-origin`` (mirror, human, tmx…), ``x-bpod-confidence``
(an alignment's, 0-1), ``x-bpod-source`` (a post URL, a file), ``x-bpod-entry`` and
``x-bpod-unit``. Segments are plain text (``datatype="plaintext"``), so inline codes never
need ``<bpt>``/``<ept>``; on reading, the content of a foreign file's inline codes (native
markup) is dropped and ``<hi>``/``<sub>`` text kept.

Reading uses ``iterparse`` (a large memory is never held twice) with entities off.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import lxml.etree

from bpod_i18n.atomic import write_atomic
from bpod_i18n.errors import InputError

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_DATE = "%Y%m%dT%H%M%SZ"
_CODES = frozenset({"bpt", "ept", "it", "ph", "ut"})  # inline codes: native markup, not text
PROP_ORIGIN, PROP_CONFIDENCE, PROP_SOURCE = "x-bpod-origin", "x-bpod-confidence", "x-bpod-source"
PROP_ENTRY, PROP_UNIT = "x-bpod-entry", "x-bpod-unit"


@dataclass(frozen=True)
class TMXPair:
    """One translation unit of a TMX file with one source and one target variant."""

    source: str
    target: str
    source_lang: str
    target_lang: str
    origin: str | None = None
    confidence: float | None = None
    source_ref: str | None = None
    entry: str | None = None
    unit: str | None = None
    creation_id: str | None = None
    creation_date: dt.datetime | None = None
    change_id: str | None = None
    change_date: dt.datetime | None = None
    line: int | None = None


def tmx_date(value: dt.datetime) -> str:
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value.strftime(_DATE)


def parse_tmx_date(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        return dt.datetime.strptime(value.strip(), _DATE)
    except ValueError:
        return None


def render_tmx(pairs: Iterable[TMXPair], *, source_lang: str, tool_version: str, created: dt.datetime) -> bytes:
    """The TMX document of ``pairs`` (UTF-8, with the TMX 1.4 DOCTYPE)."""
    root = lxml.etree.Element("tmx", version="1.4")
    lxml.etree.SubElement(
        root,
        "header",
        {
            "creationtool": "bpod-i18n",
            "creationtoolversion": tool_version,
            "segtype": "sentence",
            "o-tmf": "bpod-i18n",
            "adminlang": "en",
            "srclang": source_lang,
            "datatype": "plaintext",
            "creationdate": tmx_date(created),
        },
    )
    body = lxml.etree.SubElement(root, "body")
    for pair in pairs:
        attributes = {"srclang": pair.source_lang}
        for name, value in (
            ("creationid", pair.creation_id),
            ("creationdate", tmx_date(pair.creation_date) if pair.creation_date else None),
            ("changeid", pair.change_id),
            ("changedate", tmx_date(pair.change_date) if pair.change_date else None),
        ):
            if value:
                attributes[name] = value
        tu = lxml.etree.SubElement(body, "tu", attributes)
        for kind, value in (
            (PROP_ORIGIN, pair.origin),
            (PROP_CONFIDENCE, f"{pair.confidence:.3f}" if pair.confidence is not None else None),
            (PROP_SOURCE, pair.source_ref),
            (PROP_ENTRY, pair.entry),
            (PROP_UNIT, pair.unit),
        ):
            if value:
                prop = lxml.etree.SubElement(tu, "prop", type=kind)
                prop.text = value
        for lang, text in ((pair.source_lang, pair.source), (pair.target_lang, pair.target)):
            tuv = lxml.etree.SubElement(tu, "tuv", {XML_LANG: lang})
            seg = lxml.etree.SubElement(tuv, "seg")
            seg.text = text
    return lxml.etree.tostring(
        root,
        xml_declaration=True,
        encoding="UTF-8",
        pretty_print=True,
        doctype='<!DOCTYPE tmx SYSTEM "tmx14.dtd">',
    )


def write_tmx(path: Path, pairs: Iterable[TMXPair], *, source_lang: str, tool_version: str) -> None:
    """Write ``pairs`` to ``path`` atomically (a temporary file, then renamed)."""
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    write_atomic(Path(path), render_tmx(pairs, source_lang=source_lang, tool_version=tool_version, created=now))


def _language(code: str) -> str:
    return code.replace("-", "_").split("_")[0].lower()


def _seg_text(seg: lxml.etree._Element) -> str:
    parts: list[str] = [seg.text or ""]
    for child in seg:
        name = lxml.etree.QName(child).localname if isinstance(child.tag, str) else ""
        if name not in _CODES:
            parts.append(_seg_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def read_tmx(path: Path, *, source_lang: str) -> Iterator[TMXPair]:
    """Pairs of ``path``: for every ``<tu>``, its ``source_lang`` variant with each other
    variant. A file that is not TMX is refused with its line."""
    path = Path(path)
    if not path.is_file():
        raise InputError("no such file", path=path)
    source_language = _language(source_lang)
    seen_root = False
    try:
        for event, element in lxml.etree.iterparse(
            str(path), events=("start", "end"), resolve_entities=False, no_network=True, load_dtd=False
        ):
            name = lxml.etree.QName(element).localname if isinstance(element.tag, str) else ""
            if event == "start":
                if not seen_root:
                    if name != "tmx":
                        raise InputError(f"not a TMX file: the root element is <{name}>, not <tmx>", path=path)
                    seen_root = True
                continue
            if name != "tu":
                continue
            yield from _pairs(element, source_language, path)
            element.clear(keep_tail=True)
    except lxml.etree.XMLSyntaxError as exc:
        line = exc.position[0] if exc.position else None
        message = (exc.msg or str(exc)).split(", line ")[0]
        raise InputError(f"not a TMX file: not well-formed XML ({message})", path=path, line=line) from None


def _pairs(tu: lxml.etree._Element, source_language: str, path: Path) -> Iterator[TMXPair]:
    props: dict[str, str] = {}
    variants: list[tuple[str, str]] = []
    for child in tu:
        name = lxml.etree.QName(child).localname if isinstance(child.tag, str) else ""
        if name == "prop" and child.get("type"):
            props[str(child.get("type"))] = (child.text or "").strip()
        elif name == "tuv":
            lang = child.get(XML_LANG) or child.get("lang") or ""
            seg = next((s for s in child if isinstance(s.tag, str) and lxml.etree.QName(s).localname == "seg"), None)
            if seg is not None:
                variants.append((lang, _seg_text(seg)))
    sources = [(lang, text) for lang, text in variants if _language(lang) == source_language and text.strip()]
    if not sources:
        return
    source_code, source = sources[0]
    confidence = None
    raw_confidence = props.get(PROP_CONFIDENCE)
    if raw_confidence:
        try:
            confidence = min(1.0, max(0.0, float(raw_confidence)))
        except ValueError:
            raise InputError(
                f"{PROP_CONFIDENCE} {raw_confidence!r} is not a number", path=path, line=tu.sourceline
            ) from None
    for lang, text in variants:
        if _language(lang) == source_language or not text.strip():
            continue
        yield TMXPair(
            source=source,
            target=text,
            source_lang=source_code,
            target_lang=lang,
            origin=props.get(PROP_ORIGIN) or None,
            confidence=confidence,
            source_ref=props.get(PROP_SOURCE) or None,
            entry=props.get(PROP_ENTRY) or None,
            unit=props.get(PROP_UNIT) or None,
            creation_id=tu.get("creationid"),
            creation_date=parse_tmx_date(tu.get("creationdate")),
            change_id=tu.get("changeid"),
            change_date=parse_tmx_date(tu.get("changedate")),
            line=tu.sourceline,
        )

"""TBX (ISO 30042) import and export.

Export writes TBX v3 in the TBX-Basic dialect, DCA style: one ``conceptEntry`` per source
term, a ``langSec`` per language, one ``termSec`` per rendering carrying its part of speech,
``administrativeStatus`` and ``note``. Two things TBX-Basic has no data category for travel as
``termNote type="x-doNotTranslate"`` and ``type="x-caseSensitive"`` (tools ignore unknown
types). Import also reads TBX v2 (``martif``/``termEntry``/``langSet``/``tig``/``ntig``), the
format most termbase tools still export.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from lxml import etree

from bpod_i18n.errors import InputError
from bpod_i18n.glossary.terms import PARTS_OF_SPEECH, Case, Status, Term, Termbase, make_term

TBX_NS = "urn:iso:std:iso:30042:ed-2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
DNT_TYPES = {"x-donottranslate", "donottranslate", "do not translate", "do-not-translate", "x-dnt"}
CASE_TYPES = {"x-casesensitive", "casesensitive"}
STATUS_VALUES = {
    "preferredterm-admn-sts": Status.PREFERRED,
    "admittedterm-admn-sts": Status.ADMITTED,
    "deprecatedterm-admn-sts": Status.FORBIDDEN,
    "supersededterm-admn-sts": Status.FORBIDDEN,
    # TBX v2 normativeAuthorization and plain words some tools write
    "preferredterm": Status.PREFERRED,
    "admittedterm": Status.ADMITTED,
    "deprecatedterm": Status.FORBIDDEN,
    "supersededterm": Status.FORBIDDEN,
    "preferred": Status.PREFERRED,
    "admitted": Status.ADMITTED,
    "deprecated": Status.FORBIDDEN,
    "forbidden": Status.FORBIDDEN,
}
STATUS_OUT = {
    Status.PREFERRED: "preferredTerm-admn-sts",
    Status.ADMITTED: "admittedTerm-admn-sts",
    Status.FORBIDDEN: "deprecatedTerm-admn-sts",
}
_TRUE = {"yes", "true", "1", "y"}
_FALSE = {"no", "false", "0", "n", ""}


# ---------------------------------------------------------------------------- export


def format_tbx(termbase: Termbase) -> bytes:
    """TBX v3 / TBX-Basic bytes, deterministic (sorted, numbered concepts)."""
    E = lambda tag, **attrs: etree.Element(f"{{{TBX_NS}}}{tag}", **attrs)  # noqa: E731
    root = etree.Element(f"{{{TBX_NS}}}tbx", nsmap={None: TBX_NS}, type="TBX-Basic", style="dca")
    root.set(XML_LANG, termbase.source_lang)
    header = etree.SubElement(root, f"{{{TBX_NS}}}tbxHeader")
    file_desc = etree.SubElement(header, f"{{{TBX_NS}}}fileDesc")
    title_stmt = etree.SubElement(file_desc, f"{{{TBX_NS}}}titleStmt")
    etree.SubElement(title_stmt, f"{{{TBX_NS}}}title").text = f"bpod-i18n glossary {termbase.pair}"
    source_desc = etree.SubElement(file_desc, f"{{{TBX_NS}}}sourceDesc")
    etree.SubElement(source_desc, f"{{{TBX_NS}}}p").text = "Exported by bpod-i18n"
    body = etree.SubElement(etree.SubElement(root, f"{{{TBX_NS}}}text"), f"{{{TBX_NS}}}body")

    groups: dict[str, list[Term]] = defaultdict(list)
    for term in sorted(termbase.terms, key=Term.sort_key):
        groups[term.source].append(term)
    for number, (source, rows) in enumerate(groups.items(), 1):
        concept = E("conceptEntry", id=f"c{number}")
        body.append(concept)
        source_sec = _sub(concept, "langSec", lang=termbase.source_lang)
        source_term = _sub(source_sec, "termSec")
        _sub(source_term, "term").text = source
        shared_pos = {row.pos for row in rows}
        if len(shared_pos) == 1 and rows[0].pos:
            _sub(source_term, "termNote", type="partOfSpeech").text = rows[0].pos
        target_sec = _sub(concept, "langSec", lang=termbase.target_lang)
        for row in rows:
            term_sec = _sub(target_sec, "termSec")
            _sub(term_sec, "term").text = row.target
            if row.pos:
                _sub(term_sec, "termNote", type="partOfSpeech").text = row.pos
            _sub(term_sec, "termNote", type="administrativeStatus").text = STATUS_OUT[row.status]
            if row.dnt:
                _sub(term_sec, "termNote", type="x-doNotTranslate").text = "yes"
            if row.case is not Case.AUTO:
                value = "yes" if row.case is Case.SENSITIVE else "no"
                _sub(term_sec, "termNote", type="x-caseSensitive").text = value
            if row.note:
                _sub(term_sec, "note").text = row.note
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _sub(parent: etree._Element, tag: str, *, lang: str | None = None, **attrs: str) -> etree._Element:
    child = etree.SubElement(parent, f"{{{TBX_NS}}}{tag}", **attrs)
    if lang is not None:
        child.set(XML_LANG, lang)
    return child


# ---------------------------------------------------------------------------- import


def parse_tbx(data: bytes, *, path: str | Path, source_lang: str, target_lang: str) -> tuple[Termbase, int]:
    """Read TBX bytes into a termbase for one pair; returns it and the number of entries skipped
    because they lack one of the two languages. Any malformed part fails the whole file."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        # lxml repeats "line N, column M" in its message; the error already says where
        reason = re.sub(r", line \d+, column \d+$", "", exc.msg or "not well-formed XML")
        raise InputError(f"malformed TBX: {reason}", path=path, line=exc.lineno or 1) from None
    if _local(root) not in ("tbx", "martif"):
        raise InputError(f"not a TBX file: root element is <{_local(root)}>", path=path, line=root.sourceline)
    body = next((el for el in root.iter() if _local(el) == "body"), None)
    if body is None:
        raise InputError("TBX file has no <text><body>", path=path, line=root.sourceline)

    rows: dict[tuple[str, str], tuple[Term, int]] = {}
    skipped = 0
    for entry in body:
        if not isinstance(entry.tag, str):
            continue  # comments, processing instructions
        if _local(entry) not in ("conceptEntry", "termEntry"):
            raise InputError(f"unexpected <{_local(entry)}> in <body>", path=path, line=entry.sourceline)
        found = _read_entry(entry, path, source_lang, target_lang)
        if not found:
            skipped += 1
        for term, line in found:
            previous = rows.get(term.key)
            if previous is not None and previous[0] != term:
                raise InputError(
                    f"{term.source!r} → {term.target!r} contradicts line {previous[1]}", path=path, line=line
                )
            rows.setdefault(term.key, (term, line))
    return Termbase(source_lang, target_lang, [term for term, _ in rows.values()]), skipped


def _read_entry(entry: etree._Element, path: str | Path, source_lang: str, target_lang: str) -> list[tuple[Term, int]]:
    entry_dnt = _flag(entry, DNT_TYPES, path, direct_only=True)
    sources: list[tuple[str, str, bool]] = []  # (term, pos, dnt)
    targets: list[tuple[etree._Element, str]] = []  # (termSec, term)
    for lang_sec in entry:
        if not isinstance(lang_sec.tag, str) or _local(lang_sec) not in ("langSec", "langSet"):
            continue
        lang = lang_sec.get(XML_LANG) or lang_sec.get("lang")
        if not lang:
            raise InputError(f"<{_local(lang_sec)}> without xml:lang", path=path, line=lang_sec.sourceline)
        for term_sec in lang_sec:
            if not isinstance(term_sec.tag, str) or _local(term_sec) not in ("termSec", "tig", "ntig"):
                continue
            text = _term_text(term_sec, path)
            if _lang_matches(lang, source_lang):
                dnt = (
                    entry_dnt or _flag(term_sec, DNT_TYPES, path) or _flag(lang_sec, DNT_TYPES, path, direct_only=True)
                )
                sources.append((text, _note_value(term_sec, "partOfSpeech"), dnt))
            elif _lang_matches(lang, target_lang):
                targets.append((term_sec, text))
    out: list[tuple[Term, int]] = []
    for source, source_pos, source_dnt in sources:
        if not targets and source_dnt:
            out.append((_build(source, "", source_pos, None, True, entry, path), entry.sourceline))
        for term_sec, target in targets:
            dnt = source_dnt or _flag(term_sec, DNT_TYPES, path)
            pos = _note_value(term_sec, "partOfSpeech") or source_pos
            out.append((_build(source, target, pos, term_sec, dnt, term_sec, path), term_sec.sourceline))
    return out


def _build(
    source: str,
    target: str,
    pos: str,
    term_sec: etree._Element | None,
    dnt: bool,
    where: etree._Element,
    path: str | Path,
) -> Term:
    status: Status = Status.ADMITTED  # a rendering with no stated status is not claimed preferred
    case = Case.AUTO
    note = ""
    if term_sec is not None:
        for el in term_sec.iter():
            if not isinstance(el.tag, str):
                continue
            kind = (el.get("type") or "").lower()
            value = (el.text or "").strip()
            if _local(el) == "termNote" and kind in ("administrativestatus", "normativeauthorization"):
                if value.lower() not in STATUS_VALUES:
                    raise InputError(f"unknown {el.get('type')} {value!r}", path=path, line=el.sourceline)
                status = STATUS_VALUES[value.lower()]
            elif kind in CASE_TYPES:
                case = Case.SENSITIVE if _yes(value, el, path) else Case.INSENSITIVE
            elif _local(el) == "note" and value:
                note = value
    try:
        return make_term(source, target, pos=_pos(pos), status=status, dnt=dnt, case=case, note=note)
    except ValueError as exc:
        raise InputError(str(exc), path=path, line=where.sourceline) from None


def _term_text(term_sec: etree._Element, path: str | Path) -> str:
    term = next((el for el in term_sec.iter() if isinstance(el.tag, str) and _local(el) == "term"), None)
    # itertext: a term may hold inline markup (<hi>); keep its words
    text = "".join(term.itertext()).strip() if term is not None else ""
    if not text:
        raise InputError(f"<{_local(term_sec)}> without a <term>", path=path, line=term_sec.sourceline)
    return text


def _flag(el: etree._Element, types: set[str], path: str | Path, *, direct_only: bool = False) -> bool:
    children = el if direct_only else el.iter()
    for child in children:
        if isinstance(child.tag, str) and (child.get("type") or "").lower() in types:
            return _yes((child.text or "").strip(), child, path)
    return False


def _yes(value: str, el: etree._Element, path: str | Path) -> bool:
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise InputError(f"{el.get('type')} must be yes or no, not {value!r}", path=path, line=el.sourceline)


def _note_value(term_sec: etree._Element, kind: str) -> str:
    for el in term_sec.iter():
        if isinstance(el.tag, str) and el.get("type") == kind:
            return (el.text or "").strip()
    return ""


_POS_ALIASES = {"proper noun": "properNoun", "propernoun": "properNoun", "adj": "adjective", "n": "noun", "v": "verb"}


def _pos(value: str) -> str:
    """Tools write "Noun", "proper noun", "adj"; the termbase keeps the TBX-Basic picklist."""
    lowered = value.strip().lower()
    if lowered in _POS_ALIASES:
        return _POS_ALIASES[lowered]
    return next((p for p in PARTS_OF_SPEECH if p.lower() == lowered), value)


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname


def _lang_matches(tag: str, wanted: str) -> bool:
    """``en-GB`` is English for an ``en`` pair; ``pt`` is not ``pt-BR``."""
    tag = tag.lower().replace("_", "-")
    wanted = wanted.lower().replace("_", "-")
    return tag == wanted or ("-" not in wanted and tag.split("-")[0] == wanted)

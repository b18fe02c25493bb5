"""The PO layer on its own: what is written reads back exactly, byte-stable output, gettext's escapes.

GNU gettext is the oracle where it is installed: msgfmt compiles what the writer wrote and
msgunfmt gives back the same texts.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import shutil
import subprocess
import textwrap
from pathlib import Path

import polib
import pytest

from bpod_i18n.po import (
    PoCatalog,
    PoMessage,
    PoSyntaxError,
    build_unit_catalog,
    read_po,
    render_po,
    unit_message,
    write_po,
)
from bpod_i18n.po.escapes import EscapeError, decode, encode
from bpod_i18n.po.writer import wrap_escaped

HEADER = [
    ("Content-Type", "text/plain; charset=UTF-8"),
    ("Language", "ca"),
    ("Plural-Forms", "nplurals=2; plural=(n != 1);"),
]
# Texts that break lenient readers and writers: Unicode line and paragraph separators, NEL,
# the 0x1C-0x1E separators, every C escape, quotes, backslashes, long lines to wrap.
AWKWARD = [
    "One line\u2028and the same line",
    "Paragraph\u2029separator and NEL\u0085here",
    "File\x1cgroup\x1drecord\x1eseparators",
    "Bell\a back\b form\f vertical\v tab\t return\r newline\n",
    'Quotes "double" and \\backslash\\ and \\n literal',
    "ESC\x1b[8m hidden DEL\x7f",
    "Line one\nline two\n\nline four",
    " leading and trailing spaces ",
    "A very long sentence about T cells and macrophages that must be wrapped over several lines by the "
    "writer, with-hyphenated-words and “curly quotes”, 45 nm and Ca²⁺, to check the wrapping keeps every character.",
    "x" * 200,
    "",
]


def _catalog(texts: list[str]) -> PoCatalog:
    messages = [
        PoMessage(
            msgid=text or "(empty)",
            msgstr=texts[-i - 1],
            msgctxt=f"u{i:04d}",
            extracted_comments=(text,),
            flags=("fuzzy",) if i % 3 == 0 and texts[-i - 1] else (),
            previous_msgid=text if i % 4 == 1 else None,
        )
        for i, text in enumerate(texts)
    ]
    return PoCatalog(header=list(HEADER), header_comments=("A test catalog.",), messages=messages)


def _read(text: str | bytes) -> PoCatalog:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return read_po(io.BytesIO(data), path="test.po")


def test_what_is_written_reads_back_exactly() -> None:
    catalog = _catalog(AWKWARD)
    back = _read(render_po(catalog))
    assert [(m.msgctxt, m.msgid, m.msgstr, m.flags, m.previous_msgid) for m in back.messages] == [
        (m.msgctxt, m.msgid, m.msgstr, m.flags, m.previous_msgid) for m in catalog.messages
    ]
    assert back.header == HEADER
    # Lines are cut at \n only: the separators stay inside their string, on its line.
    lines = render_po(catalog).split("\n")
    assert 'msgid "One line\u2028and the same line"' in lines
    assert 'msgid "File\\034group\\035record\\036separators"' in lines  # escaped, as octal


def test_random_texts_round_trip() -> None:
    rng = random.Random(7)
    alphabet = 'ab c-d"\\\n\t\u2028\u0085\x1c\x07é”«' + "".join(chr(c) for c in range(0x20, 0x7F))
    for _ in range(200):
        texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 120))) for _ in range(rng.randint(1, 5))]
        catalog = _catalog(texts)
        buffer = io.BytesIO()
        write_po(buffer, catalog)
        back = read_po(io.BytesIO(buffer.getvalue()), path="x.po")
        assert [(m.msgid, m.msgstr) for m in back.messages] == [(m.msgid, m.msgstr) for m in catalog.messages]


def test_output_is_byte_stable_and_polib_compatible_for_ordinary_text() -> None:
    """Files exported before this writer (by polib) are not rewritten: same layout, same bytes."""
    rng = random.Random(3)
    words = [
        "cell",
        "T-cell",
        "“quoted”",
        '"q"',
        "back\\slash",
        "tab\there",
        "µm",
        "Ca2+",
        "e.g.",
        "x" * 30,
        "a-b-c-d-e",
        "l'àrea",
        "end.\n",
        "{n}",
        "%s",
    ]
    for _ in range(300):

        def text(n: int) -> str:
            return " ".join(rng.choice(words) for _ in range(n))

        units = [
            (f"u{i:06x}", text(rng.randint(1, 40)), text(rng.randint(0, 40)), text(rng.randint(1, 20)))
            for i in range(rng.randint(1, 5))
        ]
        created = dt.datetime(2026, 1, 2, 3, 4)
        ours = render_po(
            build_unit_catalog(
                locale="ca",
                slug="2016-07-22-massing-to-defend",
                description="BPoD entry “Massing” (2016-07-22), ca.",
                plural_forms="nplurals=2; plural=(n != 1);",
                created=created,
                revised=None,
                revision=7,
                last_translator=None,
                messages=[
                    unit_message(
                        uid=uid,
                        source=source,
                        target=target,
                        fuzzy=bool(target),
                        previous_source=None,
                        reference=f"2016-07-22-massing-to-defend/body.1:{n}",
                        comments=[comment],
                    )
                    for n, (uid, source, target, comment) in enumerate(units, 1)
                ],
            )
        )
        po = polib.POFile(wrapwidth=78)
        po.header = "BPoD entry “Massing” (2016-07-22), ca."
        po.metadata = dict(_read(ours).header)
        for n, (uid, source, target, comment) in enumerate(units, 1):
            po.append(
                polib.POEntry(
                    msgctxt=uid,
                    msgid=source,
                    msgstr=target,
                    comment=comment,
                    occurrences=[("2016-07-22-massing-to-defend/body.1", str(n))],
                    flags=["fuzzy"] if target else [],
                )
            )
        assert ours == str(po) + ("" if str(po).endswith("\n") else "\n")


def test_long_strings_break_where_polib_breaks_them() -> None:
    """The writer's own wrapping (faster than textwrap's) puts every break where textwrap, and
    so polib, puts it: hyphenated words, em-dashes, runs of spaces, words wider than the line."""
    rng = random.Random(11)
    pieces = [" ", "  ", "-", "--", "a", "é", "Z", "1", ".", ",", "'", '\\"', "x" * 40, "T-cell", "a-b-c", "<em>", "µ"]
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 60)))
        for width in (rng.randint(1, 30), 76):
            expected = textwrap.wrap(text, width, drop_whitespace=False, break_long_words=False)
            assert wrap_escaped(text, width) == expected, (text, width)


@pytest.mark.parametrize(
    ("escaped", "text"),
    [
        ("\\x41", "A"),
        ("\\101", "A"),
        ("\\x41\\x42", "AB"),
        ("caf\\xc3\\xa9", "café"),
        ("\\303\\251", "é"),
        ("\\a\\b\\f\\v\\t\\n\\r", "\a\b\f\v\t\n\r"),
        ('\\"\\\\', '"\\'),
        ("\\0012", "\x012"),
        ("\\x1b[", "\x1b["),
    ],
)
def test_gettext_escapes(escaped: str, text: str) -> None:
    assert decode([f'"{escaped}"']) == text
    assert decode([f'"{encode(text)}"']) == text


def test_escapes_are_decoded_piece_by_piece() -> None:
    # gettext reads "\x4" "1" as two strings: \x04 then "1", not \x41.
    assert decode(['"\\x4"', '"1"']) == "\x041"


@pytest.mark.parametrize("bad", ["\\q", "\\'", "\\?", "\\0", "\\x00", "\\x100", "\\x", "\\xe9"])
def test_escapes_gettext_refuses_or_that_lose_text(bad: str) -> None:
    with pytest.raises(EscapeError):
        decode([f'"{bad}"'])


def test_errors_carry_the_line_and_nothing_half_read() -> None:
    text = render_po(_catalog(["One.", "Two."])).replace('msgstr "One."', 'msgstr "One.')
    with pytest.raises(PoSyntaxError) as caught:
        _read(text)
    assert caught.value.path == "test.po"
    assert text.split("\n")[caught.value.line - 1].startswith('msgstr "One.')


def test_reading_is_linear_in_the_number_of_messages() -> None:
    """Duplicates are found with a dict, not a scan: 40 000 messages read in one pass.

    (Times are the benchmarks' business; this only holds the structure: the parser's duplicate
    index has one key per message.)"""
    catalog = PoCatalog(
        header=list(HEADER),
        messages=[PoMessage(msgid=f"Sentence {n}.", msgstr=f"Frase {n}.", msgctxt=f"u{n:06x}") for n in range(40_000)],
    )
    back = _read(render_po(catalog))
    assert len(back.messages) == 40_000 and back.messages[-1].line > 160_000


@pytest.mark.skipif(
    shutil.which("msgfmt") is None or shutil.which("msgunfmt") is None,
    reason="GNU gettext is not installed (apt-get install gettext)",
)
def test_gettext_reads_what_we_write(tmp_path: Path) -> None:
    # msgfmt --check wants msgid and msgstr to begin and end alike (with or without \n).
    catalog = PoCatalog(
        header=list(HEADER),
        messages=[PoMessage(msgid=text, msgstr=text, msgctxt=f"u{i}") for i, text in enumerate(AWKWARD) if text],
    )
    path = tmp_path / "awkward.po"
    path.write_text(render_po(catalog), encoding="utf-8")
    mo = tmp_path / "awkward.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(mo), str(path)], check=True, capture_output=True)
    # --escape: every control and non-ASCII character as a C escape, as gettext reads them.
    back_text = subprocess.run(["msgunfmt", "--escape", "--no-wrap", str(mo)], check=True, capture_output=True).stdout
    back = _read(back_text)
    ours = {(m.msgctxt, m.msgid): m.msgstr for m in catalog.messages}
    theirs = {(m.msgctxt, m.msgid): m.msgstr for m in back.messages}
    assert theirs == ours

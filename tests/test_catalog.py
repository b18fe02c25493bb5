"""The PO lint that runs before polib/Babel: what they would silently accept is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from bpod_i18n.catalog import lint_po
from bpod_i18n.errors import InputError

HEADER = 'msgid ""\nmsgstr ""\n"Language: ca\\n"\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
PATH = Path("x.po")


@pytest.mark.parametrize(
    "body",
    [
        '#. comment with "odd quote\n#: a/b:1\n#, fuzzy\n#| msgid "old"\nmsgctxt "u1"\nmsgid ""\n"Long "\n"text"\nmsgstr ""\n"Llarg"\n',
        'msgid "One cell"\nmsgid_plural "%d cells"\nmsgstr[0] "Una cèl·lula"\nmsgstr[1] "%d cèl·lules"\n',
        'msgctxt "u2"\nmsgid "Escaped \\"quote\\" and \\\\ backslash"\nmsgstr "Ok"\n\n#~ msgid "obsolete"\n#~ msgstr "obsolet"\n',
        'msgid "No newline at the end"\nmsgstr "Sense salt de línia"',
    ],
)
def test_valid_entries_pass(body: str) -> None:
    lint_po(HEADER + body, PATH)
    lint_po((HEADER + body).replace("\n", "\r\n"), PATH)  # saved by a Windows editor


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        ('msgctxt "u1"\nmsgid "Hello"\nmsgstr "Hola\n', 8, "unterminated string"),
        ('msgctxt "u1"\nmsgid "Hello"\n', 7, "file ends inside an entry"),
        ('msgctxt "u1"\nmsgid ""\n"Hello"\n', 7, "file ends inside an entry"),
        ('msgctxt "u1"\n', 6, "file ends inside an entry"),
        ('msgctxt "u1"\nmsgid "Hello"\n\nmsgctxt "u2"\nmsgid "Bye"\nmsgstr "Adéu"\n', 7, "entry has no msgstr"),
        ('msgctxt "u1"\nmsgid "Hello"\n#. stray comment\nmsgstr "Hola"\n', 7, "entry has no msgstr"),
        ('msgid "Hello"\nmsgstr "Hola"\ngarbage here\n', 8, "not a PO line"),
        ('msgid "He said "hi""\nmsgstr ""\n', 6, "not a PO line"),
        # An unterminated string followed by a line holding one quote: never one string.
        ('msgctxt "u1"\nmsgid "Hello"\nmsgstr "Hola\n"\n', 8, "unterminated string"),
        ('msgctxt "u1"\nmsgid "Hello \\\nmsgstr "Hola"\n', 7, "unterminated string"),
    ],
)
def test_truncated_or_malformed_entries_name_their_line(body: str, line: int, message: str) -> None:
    with pytest.raises(InputError) as caught:
        lint_po(HEADER + body, PATH)
    assert caught.value.line == line
    assert message in caught.value.message

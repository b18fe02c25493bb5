"""`check` and `import` read PO files the same way, and as GNU msgfmt does.

A table of malformed and unusual PO files, each run through the real `check` and `import`
commands and through `msgfmt --check`: both commands refuse it with the same `file:line:
message` (exit 2, nothing stored, no file changed) or both accept it. Rows marked "syntax"
must also agree with msgfmt; rows marked "policy" are where bpod-i18n decided otherwise, on
purpose (README, "What a PO file may be"), and the table says what msgfmt does there.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import PAGES
from helpers import snapshot, tree_digest
from sqlalchemy import func, select
from typer.testing import CliRunner

from bpod_i18n.cli import app
from bpod_i18n.store.models import Entry, Event, Translation, Unit
from bpod_i18n.workflow.init import init_project
from bpod_i18n.workflow.project import Project, open_project

MASSING = "2016-07-22-massing-to-defend"
MSGFMT = shutil.which("msgfmt")


@dataclass(frozen=True)
class Units:
    """Two real units of the Massing entry: its title and its first body sentence."""

    uid: str
    source: str
    uid2: str
    source2: str


def _head(language: str = "ca", charset: str = "UTF-8", plural: str = "nplurals=2; plural=(n != 1);") -> str:
    lines = ['msgid ""', 'msgstr ""', f'"Content-Type: text/plain; charset={charset}\\n"', f'"Language: {language}\\n"']
    if plural:
        lines.append(f'"Plural-Forms: {plural}\\n"')
    lines.append(f'"X-Bpod-Entry: {MASSING}\\n"')
    lines.append('"X-Bpod-Revision: REVISION\\n"')  # the test puts the project's current one
    return "\n".join(lines) + "\n\n"


def _unit(u: Units, target: str = "Concentrats per defensar-se", *, second: bool = False) -> str:
    uid, source = (u.uid2, u.source2) if second else (u.uid, u.source)
    return f'msgctxt "{uid}"\nmsgid "{source}"\nmsgstr "{target}"\n'


def _good(u: Units) -> str:
    return _head() + _unit(u) + "\n" + _unit(u, "Traducció.", second=True)


@dataclass(frozen=True)
class Variant:
    name: str
    kind: str  # "syntax": agree with msgfmt; "policy": our decision, msgfmt noted
    build: Callable[[Units], str | bytes]
    accepted: bool
    msgfmt_accepts: bool | None = None  # for policy rows: what msgfmt does (None: same as us)
    stored: str | None = None  # for accepted rows: the title's translation import must store


TITLE_LINE = 10  # msgid line of the first unit in _good()

VARIANTS = [
    # --- well-formed files, and the unusual forms gettext accepts
    Variant("valid", "syntax", _good, True, stored="Concentrats per defensar-se"),
    Variant("crlf line ends", "syntax", lambda u: _good(u).replace("\n", "\r\n"), True),
    Variant("no newline at the end", "syntax", lambda u: _good(u).rstrip("\n"), True),
    Variant(
        "tab after keyword", "syntax", lambda u: _good(u).replace('msgstr "Concentrats', 'msgstr\t"Concentrats'), True
    ),
    Variant(
        "no space after keyword",
        "syntax",
        lambda u: _good(u).replace('msgstr "Concentrats', 'msgstr"Concentrats'),
        True,
    ),
    Variant(
        "two strings on one line",
        "syntax",
        lambda u: _good(u).replace('msgstr "Concentrats per defensar-se"', 'msgstr "Concentrats " "per defensar-se"'),
        True,
        stored="Concentrats per defensar-se",
    ),
    Variant("indented lines", "syntax", lambda u: _good(u).replace("msgstr ", "  msgstr "), True),
    Variant("hex escape", "syntax", lambda u: _head() + _unit(u, "\\x41ix\\xc3\\xa0"), True, stored="Aixà"),
    Variant("octal escape", "syntax", lambda u: _head() + _unit(u, "\\101 \\303\\240"), True, stored="A à"),
    Variant("c escapes", "syntax", lambda u: _head() + _unit(u, 'a\\tb \\"c\\" \\\\ d'), True, stored='a\tb "c" \\ d'),
    Variant(
        "U+2028 inside a string", "syntax", lambda u: _head() + _unit(u, "un\u2028dos"), True, stored="un\u2028dos"
    ),
    Variant(
        "U+2029 and U+0085 inside a string",
        "syntax",
        lambda u: _head() + _unit(u, "a\u2029b\u0085c"),
        True,
        stored="a\u2029b\u0085c",
    ),
    Variant(
        "escaped separators 0x1c-0x1e",
        "syntax",
        lambda u: _head() + _unit(u, "a\\034b\\x1d.c\\036"),
        True,
        stored="a\x1cb\x1d.c\x1e",
    ),
    Variant(
        "raw separators 0x1c-0x1f",
        "syntax",
        lambda u: _head() + _unit(u, "a\x1cb\x1dc\x1ed\x1f"),
        True,
        stored="a\x1cb\x1dc\x1ed\x1f",
    ),
    Variant("escaped ESC", "syntax", lambda u: _head() + _unit(u, "a\\x1b[b"), True, stored="a\x1b[b"),
    Variant("previous msgid", "syntax", lambda u: _head() + '#, fuzzy\n#| msgid "Old title"\n' + _unit(u), True),
    Variant(
        "obsolete messages",
        "syntax",
        lambda u: (
            _good(u)
            + '\n#~ msgctxt "zzz"\n#~ msgid "Old"\n#~ msgstr "Vell"\n\n#~| msgid "x"\n#~ msgid "Y"\n#~ msgstr "Z"\n'
        ),
        True,
    ),
    Variant("fuzzy header", "syntax", lambda u: "#, fuzzy\n" + _good(u), True),
    Variant("comment starting #-", "syntax", lambda u: "#-#-#- note\n" + _good(u), True),
    Variant("header not first", "syntax", lambda u: _unit(u) + "\n" + _head(), True),
    Variant(
        "latin-1 file",
        "syntax",
        lambda u: (_head(charset="ISO-8859-1") + _unit(u, "Concentració")).encode("latin-1"),
        True,
        stored="Concentració",
    ),
    Variant("header only", "syntax", lambda u: _head(), True),
    Variant("Language ca_ES under locales/ca", "syntax", lambda u: _head("ca_ES") + _unit(u), True),
    # --- what msgfmt refuses, refused by both commands
    Variant("cut off mid-string", "syntax", lambda u: _good(u)[: _good(u).index("Concentrats") + 6], False),
    Variant("unterminated string mid-file", "syntax", lambda u: _good(u).replace('defensar-se"', "defensar-se"), False),
    Variant("lone quote line", "syntax", lambda u: _good(u) + '"\n', False),
    Variant("cut off after msgid", "syntax", lambda u: _head() + f'msgctxt "{u.uid}"\nmsgid "{u.source}"\n', False),
    Variant(
        "message without msgstr",
        "syntax",
        lambda u: _head() + f'msgctxt "{u.uid}"\nmsgid "{u.source}"\n\n' + _unit(u, second=True),
        False,
    ),
    Variant(
        "comment inside a message",
        "syntax",
        lambda u: _good(u).replace('msgstr "Concentrats', '# note\nmsgstr "Concentrats'),
        False,
    ),
    Variant("garbage line", "syntax", lambda u: _good(u) + "this is not PO\n", False),
    Variant("garbage after a string", "syntax", lambda u: _good(u).replace('defensar-se"', 'defensar-se" x'), False),
    Variant("unquoted quote", "syntax", lambda u: _head() + _unit(u, 'He said "hi"'), False),
    Variant("invalid escape \\q", "syntax", lambda u: _head() + _unit(u, "a\\qb"), False),
    Variant("invalid escape \\'", "syntax", lambda u: _head() + _unit(u, "l\\'àrea"), False),
    Variant("invalid escape \\?", "syntax", lambda u: _head() + _unit(u, "what\\?"), False),
    Variant(
        "invalid escape in a previous msgid", "syntax", lambda u: _head() + '#| msgid "o\\qld"\n' + _unit(u), False
    ),
    Variant(
        "unterminated obsolete string", "syntax", lambda u: _good(u) + '\n#~ msgid "Old\n#~ msgstr "Vell"\n', False
    ),
    Variant("duplicate message", "syntax", lambda u: _good(u) + "\n" + _unit(u, "Altra"), False),
    Variant("second header", "syntax", lambda u: _good(u) + '\nmsgid ""\nmsgstr "Language: ca\\n"\n', False),
    Variant("U+2028 after a string", "syntax", lambda u: _good(u).replace('defensar-se"', 'defensar-se"\u2028'), False),
    Variant(
        "no-break space before a keyword", "syntax", lambda u: _good(u).replace('msgstr "C', '\u00a0msgstr "C'), False
    ),
    Variant("string without keyword", "syntax", lambda u: '"stray"\n' + _good(u), False),
    # gettext ignores blank lines: a string after one continues the message before it.
    Variant("string after a blank line", "syntax", lambda u: _head() + '"X-Note: x\\n"\n' + _unit(u), True),
    Variant(
        "msgstr before msgid",
        "syntax",
        lambda u: _head() + f'msgctxt "{u.uid}"\nmsgstr "x"\nmsgid "{u.source}"\n',
        False,
    ),
    Variant(
        "msgctxt after msgid",
        "syntax",
        lambda u: _head() + f'msgid "{u.source}"\nmsgctxt "{u.uid}"\nmsgstr "x"\n',
        False,
    ),
    Variant(
        "msgstr twice", "syntax", lambda u: _good(u).replace('defensar-se"\n', 'defensar-se"\nmsgstr "y"\n', 1), False
    ),
    Variant("unknown keyword", "syntax", lambda u: _good(u).replace('msgstr "C', 'msgfoo "C'), False),
    Variant("msgstr[0] without msgid_plural", "syntax", lambda u: _good(u).replace('msgstr "C', 'msgstr[0] "C'), False),
    Variant("space inside msgstr[0]", "syntax", lambda u: _good(u).replace('msgstr "C', 'msgstr [0] "C'), False),
    Variant(
        "keyword without string",
        "syntax",
        lambda u: _good(u).replace('msgstr "Concentrats per defensar-se"', "msgstr"),
        False,
    ),
    Variant(
        "invalid UTF-8",
        "syntax",
        lambda u: (_head() + _unit(u, "Concentraci\udce9")).encode("utf-8", "surrogateescape"),
        False,
    ),
    Variant(
        "too many plural forms",
        "syntax",
        lambda u: (
            _head() + f'msgctxt "{u.uid}"\nmsgid "a"\nmsgid_plural "as"\nmsgstr[0] "x"\nmsgstr[1] "y"\nmsgstr[2] "z"\n'
        ),
        False,
    ),
    Variant(
        "too few plural forms",
        "syntax",
        lambda u: _head() + f'msgctxt "{u.uid}"\nmsgid "a"\nmsgid_plural "as"\nmsgstr[0] "x"\n',
        False,
    ),
    Variant(
        "plural forms out of order",
        "syntax",
        lambda u: _head() + f'msgctxt "{u.uid}"\nmsgid "a"\nmsgid_plural "as"\nmsgstr[1] "x"\nmsgstr[0] "y"\n',
        False,
    ),
    Variant(
        "plurals without Plural-Forms",
        "syntax",
        lambda u: _head(plural="") + f'msgctxt "{u.uid}"\nmsgid "a"\nmsgid_plural "as"\nmsgstr[0] "x"\nmsgstr[1] "y"\n',
        False,
    ),
    Variant("no header", "syntax", _unit, False),
    Variant("empty file", "syntax", lambda u: "", False),
    Variant("blank lines only", "syntax", lambda u: "\n\n  \n", False),
    # --- where bpod-i18n decides otherwise than msgfmt, on purpose
    Variant("byte-order mark", "policy", lambda u: "\ufeff" + _good(u), True, msgfmt_accepts=False),
    Variant(
        "old Mac line ends (CR only)", "policy", lambda u: _good(u).replace("\n", "\r"), False, msgfmt_accepts=True
    ),
    Variant(
        "CR-only file cut off mid-string",
        "policy",
        lambda u: _good(u).replace("\n", "\r")[: _good(u).index("Concentrats") + 6],
        False,
        msgfmt_accepts=False,
    ),
    Variant(
        "raw carriage return in a string", "policy", lambda u: _head() + _unit(u, "a\rb"), False, msgfmt_accepts=True
    ),
    Variant("raw NUL", "policy", lambda u: _head() + _unit(u, "a\x00b"), False, msgfmt_accepts=True),
    Variant("raw ESC", "policy", lambda u: _head() + _unit(u, "a\x1b[8mb"), False, msgfmt_accepts=True),
    Variant("raw BEL", "policy", lambda u: _head() + _unit(u, "a\x07b"), False, msgfmt_accepts=True),
    Variant("escaped NUL", "policy", lambda u: _head() + _unit(u, "a\\0b"), False, msgfmt_accepts=True),
    Variant("hex escape above a byte", "policy", lambda u: _head() + _unit(u, "a\\x100"), False, msgfmt_accepts=True),
    Variant(
        "escapes giving invalid UTF-8", "policy", lambda u: _head() + _unit(u, "caf\\xe9"), False, msgfmt_accepts=True
    ),
    Variant("unknown charset", "policy", lambda u: _head(charset="FOO-8") + _unit(u), False, msgfmt_accepts=True),
    # --- bpod-i18n's own rules for its unit files (msgfmt knows nothing of them)
    Variant(
        "plural message",
        "policy",
        lambda u: _head() + f'msgctxt "{u.uid}"\nmsgid "a"\nmsgid_plural "as"\nmsgstr[0] "x"\nmsgstr[1] "y"\n',
        False,
        msgfmt_accepts=True,
    ),
    Variant(
        "message without msgctxt",
        "policy",
        lambda u: _head() + f'msgid "{u.source}"\nmsgstr "x"\n',
        False,
        msgfmt_accepts=True,
    ),
    Variant(
        "Language of another language than its folder",
        "policy",
        lambda u: _head("es") + _unit(u),
        False,
        msgfmt_accepts=True,
    ),
]


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory, module_db_url: str) -> Iterator[tuple[Path, Project, Units]]:
    root = tmp_path_factory.mktemp("agreement") / "project"
    mp = pytest.MonkeyPatch()
    mp.setenv("BPOD_I18N_DB", module_db_url)
    mp.setenv("BPOD_I18N_USER", "tester")
    init_project(root, locales=["ca", "es"])
    runner = CliRunner()
    assert runner.invoke(app, ["-C", str(root), "ingest", str(PAGES)]).exit_code == 0
    assert runner.invoke(app, ["-C", str(root), "export", "-l", "ca"]).exit_code == 0
    project = open_project(root)
    with project.store.transaction(write=False) as session:
        rows = session.execute(
            select(Unit.uid, Unit.source).join(Entry).where(Entry.slug == MASSING).order_by(Unit.id)
        ).all()
    units = Units(rows[0].uid, rows[0].source, rows[1].uid, rows[1].source)
    assert '"' not in units.source + units.source2 and "\\" not in units.source + units.source2
    yield root, project, units
    project.close()
    mp.undo()


def _revision(project: Project) -> int:
    """The entry's last history event: a file exported now would say so (no false conflicts)."""
    with project.store.transaction(write=False) as session:
        return session.scalar(select(func.max(Event.id))) or 0


def _outcome(result) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    return result.exit_code, result.stderr.strip()


@pytest.mark.parametrize("variant", VARIANTS, ids=[v.name for v in VARIANTS])
def test_check_and_import_agree(variant: Variant, setup: tuple[Path, Project, Units]) -> None:
    root, project, units = setup
    target = root / "locales/ca/2016" / f"{MASSING}.po"
    original = target.read_bytes()
    content = variant.build(units)
    data = content if isinstance(content, bytes) else content.encode("utf-8")
    data = data.replace(b"REVISION", str(_revision(project)).encode())
    runner = CliRunner()
    try:
        target.write_bytes(data)
        checked = _outcome(runner.invoke(app, ["-C", str(root), "check", "-l", "ca", "--format", "json"]))
        db_before, files_before = snapshot(project), tree_digest(root / "locales")
        imported = _outcome(runner.invoke(app, ["-C", str(root), "import", str(target)]))
        if imported[0] == 2:
            assert snapshot(project) == db_before, "a refused import stored something"
            assert tree_digest(root / "locales") == files_before
    finally:
        target.write_bytes(original)

    refused = {"check": checked[0] == 2, "import": imported[0] == 2}
    assert refused == {"check": not variant.accepted, "import": not variant.accepted}, (checked, imported)
    if not variant.accepted:
        # The same one line, naming the file and the line, from both commands.
        assert checked[1] == imported[1] and len(imported[1].splitlines()) == 1, (checked, imported)
        assert imported[1].startswith(f"error: {target}:"), imported
    if variant.stored is not None:
        with project.store.transaction(write=False) as session:
            stored = session.scalar(
                select(Translation.text).join(Unit).where(Unit.uid == units.uid, Translation.locale == "ca")
            )
        assert stored == variant.stored


@pytest.mark.skipif(MSGFMT is None, reason="GNU gettext's msgfmt is not installed (apt-get install gettext)")
@pytest.mark.parametrize("variant", VARIANTS, ids=[v.name for v in VARIANTS])
def test_msgfmt_agrees_on_syntax(variant: Variant, tmp_path: Path) -> None:
    units = Units("u000000000000001", "Massing to Defend", "u000000000000002", "Second sentence.")
    content = variant.build(units)
    path = tmp_path / "variant.po"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    assert MSGFMT is not None
    result = subprocess.run(
        [MSGFMT, "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True, check=False
    )
    expected = variant.accepted if variant.kind == "syntax" else variant.msgfmt_accepts
    assert (result.returncode == 0) == expected, result.stderr


def test_the_table_is_large_enough() -> None:
    assert len(VARIANTS) >= 40
    assert len({v.name for v in VARIANTS}) == len(VARIANTS)
    assert all(v.msgfmt_accepts is not None for v in VARIANTS if v.kind == "policy")

"""Plural-Forms headers as translators' tools expect them, held to GNU gettext's msginit.

msginit knows most languages from its own table and the rest (Catalan among them) from the
CLDR plural rules of Debian's unicode-cldr-core, found through GETTEXTCLDRDIR. The header our
export writes must be the one msginit writes, whatever CLDR data Babel ships.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import PAGES

from bpod_i18n.po import plural_forms, read_po_file, read_unit_file
from bpod_i18n.po.plurals import PluralFormsError, validate
from bpod_i18n.workflow import export as export_ops
from bpod_i18n.workflow import ingest as ingest_ops
from bpod_i18n.workflow.init import init_project
from bpod_i18n.workflow.project import open_project

LOCALES = ["ca", "es", "fr", "pt", "it", "de", "pl", "ru", "ja", "pt_BR", "gl", "eu", "ar", "uk", "cs"]
CLDR = Path("/usr/share/unicode/cldr")
MSGINIT = shutil.which("msginit")


def msginit_plural_forms(locale: str, tmp_path: Path) -> str | None:
    assert MSGINIT is not None
    pot = tmp_path / "empty.pot"
    pot.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n', encoding="utf-8")
    env = {**os.environ, "GETTEXTCLDRDIR": str(CLDR), "LC_ALL": "C"}
    out = subprocess.run(
        [MSGINIT, "--no-translator", "-l", locale, "-i", str(pot), "-o", "-"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    header = "".join(re.findall(r'^"(.*)"$', out, re.MULTILINE)).replace("\\n", "\n")
    found = re.search(r"^Plural-Forms:\s*(.*)$", header, re.MULTILINE)
    return found.group(1).strip() if found else None


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory, module_db_url: str) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("plurals") / "project"
    mp = pytest.MonkeyPatch()
    mp.setenv("BPOD_I18N_DB", module_db_url)
    init_project(root, locales=LOCALES)
    project = open_project(root)
    try:
        ingest_ops.ingest(project, [PAGES])
        return {lc: next(p for p in export_ops.export(project, lc).files if p.name != "site.po") for lc in LOCALES}
    finally:
        project.close()
        mp.undo()


@pytest.mark.skipif(MSGINIT is None, reason="GNU gettext's msginit is not installed (apt-get install gettext)")
@pytest.mark.parametrize("locale", LOCALES)
def test_export_writes_what_msginit_writes(locale: str, exported: dict[str, Path], tmp_path: Path) -> None:
    if not CLDR.is_dir():
        pytest.skip(
            "Debian's unicode-cldr-core is not installed: msginit knows no rule for some locales "
            "(apt-get install unicode-cldr-core)"
        )
    expected = msginit_plural_forms(locale, tmp_path)
    assert expected, f"msginit wrote no Plural-Forms for {locale}"
    catalog = read_po_file(exported[locale])
    assert catalog.header_value("Plural-Forms") == expected
    assert read_unit_file(exported[locale]).locale == locale


def test_the_conventions_translators_tools_use() -> None:
    # What Poedit, Lokalize and Weblate write; CLDR 42+ (Babel 2.12+) would give ca, es, fr, it
    # and pt a third form for "1 M", and every file's header would change with a Babel upgrade.
    assert plural_forms("ca") == plural_forms("es") == plural_forms("it") == "nplurals=2; plural=(n != 1);"
    assert plural_forms("fr") == plural_forms("pt_BR") == "nplurals=2; plural=(n > 1);"
    assert plural_forms("ca_ES") == plural_forms("ca_ES@valencia") == plural_forms("ca")
    assert plural_forms("ja") == "nplurals=1; plural=0;"
    assert validate(plural_forms("pl"))[0] == validate(plural_forms("ru"))[0] == 3


def test_a_project_may_override_a_locale(tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BPOD_I18N_DB", db_url)
    root = tmp_path / "project"
    init_project(root, locales=["ca"])
    project = open_project(root)
    try:
        ingest_ops.ingest(project, [PAGES])
        project.config.plural_forms = {"ca": "nplurals=3; plural=(n==1 ? 0 : n==2 ? 1 : 2);"}
        path = next(p for p in export_ops.export(project, "ca").files if p.name != "site.po")
        assert read_po_file(path).header_value("Plural-Forms") == "nplurals=3; plural=(n==1 ? 0 : n==2 ? 1 : 2);"
    finally:
        project.close()


@pytest.mark.parametrize(
    "bad",
    [
        "nplurals=2",
        "plural=(n != 1);",
        "nplurals=0; plural=0;",
        "nplurals=2; plural=(n +);",
        "nplurals=2; plural=(n > 1 ? 2 : 0);",
        "nplurals=2; plural=(import os);",
    ],
)
def test_invalid_plural_forms_are_refused(bad: str) -> None:
    with pytest.raises(PluralFormsError):
        validate(bad)


def test_the_override_comes_from_bpod_i18n_toml(cli, project_dir: Path) -> None:
    config = project_dir / "bpod-i18n.toml"
    config.write_text(
        config.read_text(encoding="utf-8") + '\n[po]\nplural_forms = { es = "nplurals=2; plural=(n>1);" }\n',
        encoding="utf-8",
    )
    assert cli("ingest", str(PAGES)).exit_code == 0
    assert cli("export", "-l", "es").exit_code == 0
    assert cli("export", "-l", "ca").exit_code == 0
    es = read_po_file(project_dir / "locales/es/site.po").header_value("Plural-Forms")
    ca = read_po_file(project_dir / "locales/ca/site.po").header_value("Plural-Forms")
    assert (es, ca) == ("nplurals=2; plural=(n>1);", "nplurals=2; plural=(n != 1);")

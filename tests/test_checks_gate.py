"""run_checks over real PO files: problems with their place, silencing, the gate, bad input."""

from __future__ import annotations

import datetime as dt
import gc
from dataclasses import dataclass
from pathlib import Path

import polib
import pytest

from bpod_i18n.checks import (
    Check,
    GateSettings,
    NoReviewStates,
    Registry,
    Severity,
    UnitText,
    default_registry,
    run_checks,
)
from bpod_i18n.checks import runner as runner_module
from bpod_i18n.errors import ConfigError, InputError, UsageError
from bpod_i18n.model import State

TODAY = dt.date(2016, 7, 23)
SLUG = "2016-07-22-massing-to-defend"
FUTURE = "2016-08-01-future-entry"


@dataclass
class U:
    uid: str
    source: str
    target: str
    flags: tuple[str, ...] = ()
    tcomment: str = ""


def write_po(root: Path, locale: str, slug: str, units: list[U], *, language_header: bool = True) -> Path:
    """A PO file as the exporter lays it out: locales/<lc>/<YYYY>/<slug>.po or locales/<lc>/site.po."""
    path = root / "locales" / locale / ("site.po" if slug == "site" else f"{slug[:4]}/{slug}.po")
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": "bpod",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    if language_header:
        po.metadata["Language"] = locale
    for unit in units:
        po.append(
            polib.POEntry(
                msgctxt=unit.uid,
                msgid=unit.source,
                msgstr=unit.target,
                flags=list(unit.flags),
                tcomment=unit.tcomment,
                comment="Massing to Defend · 22 July 2016 · paragraph 1",
                occurrences=[(f"{slug}/body.1", "1")],
            )
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    po.save(str(path))
    return path


def site(root: Path, locale: str = "ca") -> Path:
    return write_po(root, locale, "site", [U("s0000000001", "Search the archive", "Cerca a l'arxiu")])


def check(root: Path, settings: GateSettings | None = None, **kw):
    kw.setdefault("locale", None)
    kw.setdefault("today", TODAY)
    return run_checks([root / "locales"], settings=settings or GateSettings(), **kw)


def where(result) -> list[tuple]:
    return [(Path(p.file).name, p.line, p.entry, p.unit, p.check, p.severity.value) for p in result.problems]


def test_each_problem_names_file_line_entry_unit_and_check(tmp_path: Path) -> None:
    site(tmp_path)
    path = write_po(
        tmp_path,
        "ca",
        SLUG,
        [
            U("a000000001", "It measures 1,000 µm.", "Mesura 1,000 µm."),  # numbers: 1,000 reads as one
            U("a000000002", "It is 3.5 times bigger.", "És 3,5 vegades més gran."),  # fine: decimal comma
            U("a000000003", "Look at <em>this</em>.", "Mira <i>això</i>."),
            U("a000000004", "Why?", "Per què."),
            U("a000000005", "T cells raise the alarm.", ""),
        ],
    )
    result = check(tmp_path)
    assert where(result) == [
        (path.name, 13, SLUG, "a000000001", "numbers", "error"),
        (path.name, 25, SLUG, "a000000003", "markup", "error"),
        (path.name, 31, SLUG, "a000000004", "end-punctuation", "warning"),
        (path.name, 37, SLUG, "a000000005", "untranslated", "error"),
    ]
    lines = path.read_text().splitlines()
    assert [lines[p.line - 1] for p in result.problems] == [
        'msgid "It measures 1,000 µm."',
        'msgid "Look at <em>this</em>."',
        'msgid "Why?"',
        'msgid "T cells raise the alarm."',
    ]
    assert result.problems[0].message == "missing '1,000 µm'; extra '1,000 µm' (= 1 in ca)"
    assert result.problems[0].source == "It measures 1,000 µm."
    assert result.problems[0].file == str(path)
    [summary] = result.locales
    assert (summary.locale, summary.files, summary.units, summary.untranslated, summary.fuzzy) == ("ca", 2, 6, 1, 0)
    assert (summary.errors, summary.warnings, summary.passed) == (3, 1, False)
    assert summary.reasons == ["1 untranslated unit in required entries (max 0)", "2 check errors"]
    assert result.passed is False


def test_decimal_comma_and_micro_sign_are_not_number_differences(tmp_path: Path) -> None:
    site(tmp_path)
    write_po(tmp_path, "es", "site", [U("s0000000001", "Search the archive", "Buscar en el archivo")])
    write_po(
        tmp_path,
        "ca",
        SLUG,
        [
            U("a000000001", "It is 3.5 µm wide and 1,200 µm long.", "Fa 3,5 µm d'amplada i 1.200 µm de llargada."),
            U("a000000002", "Cells 5 \u00b5m wide.", "Cèl·lules de 5 \u03bcm."),
        ],
    )
    write_po(tmp_path, "es", SLUG, [U("a000000001", "It is 3.5 µm wide.", "Mide 3,5 µm de ancho.")])
    result = check(tmp_path)
    assert [(p.locale, p.unit, p.check, p.severity.value) for p in result.problems] == [
        ("ca", "a000000002", "unicode-variant", "warning"),
    ]
    assert result.passed is True
    assert [s.locale for s in result.locales] == ["ca", "es"]


def test_silencing_by_flag_and_by_translator_comment(tmp_path: Path) -> None:
    site(tmp_path)
    write_po(
        tmp_path,
        "ca",
        SLUG,
        [
            U("a000000001", "Over 4000 images.", "Més de quatre mil imatges.", flags=("ignore-numbers",)),
            U("a000000002", "Why?", "Per què.", tcomment="bpod-ignore: end-punctuation, numbers"),
            U("a000000003", "Why 2016?", "Per què 2015.", tcomment="bpod-ignore: numbers"),
        ],
    )
    result = check(tmp_path)
    assert [(p.unit, p.check) for p in result.problems] == [("a000000003", "end-punctuation")]


def test_untranslated_and_fuzzy_limits(tmp_path: Path) -> None:
    site(tmp_path)
    write_po(
        tmp_path,
        "ca",
        SLUG,
        [
            U("a000000001", "One.", ""),
            U("a000000002", "Two.", ""),
            U("a000000003", "Three.", "Tres.", flags=("fuzzy",)),
        ],
    )
    loose = check(tmp_path, GateSettings(max_untranslated=2, max_fuzzy=1))
    assert loose.passed is True
    assert [(p.check, p.severity) for p in loose.problems] == [
        ("untranslated", Severity.WARNING),
        ("untranslated", Severity.WARNING),
        ("fuzzy", Severity.WARNING),
    ]
    strict = check(tmp_path, GateSettings(max_untranslated=1, max_fuzzy=0))
    assert strict.passed is False
    assert [(p.check, p.severity) for p in strict.problems] == [
        ("untranslated", Severity.ERROR),
        ("untranslated", Severity.ERROR),
        ("fuzzy", Severity.ERROR),
    ]
    assert strict.locales[0].reasons == [
        "2 untranslated units in required entries (max 1)",
        "1 fuzzy unit in required entries (max 0)",
    ]
    unlimited = check(tmp_path, GateSettings.from_mapping({"max_untranslated": "unlimited", "max_fuzzy": "unlimited"}))
    assert unlimited.passed is True
    # "off" silences a counted check everywhere: no problems, nothing counted by the gate;
    # the statistics still say what the files hold.
    off = check(tmp_path, GateSettings.from_mapping({"off": ["untranslated", "fuzzy"]}))
    assert (off.passed, off.problems, off.locales[0].untranslated, off.locales[0].fuzzy) == (True, [], 2, 1)


def test_required_entries_dated_up_to_today(tmp_path: Path) -> None:
    site(tmp_path)
    write_po(tmp_path, "ca", SLUG, [U("a000000001", "One.", "U.")])
    write_po(
        tmp_path, "ca", FUTURE, [U("f000000001", "Later.", ""), U("f000000002", "Soon.", "Aviat.", flags=("fuzzy",))]
    )
    dated = GateSettings(required="dated")
    result = check(tmp_path, dated, today=dt.date(2016, 7, 31))
    assert result.passed is True
    assert [(p.entry, p.check, p.severity.value) for p in result.problems] == [
        (FUTURE, "untranslated", "notice"),
        (FUTURE, "fuzzy", "notice"),
    ]
    assert (result.locales[0].required_files, result.locales[0].notices) == (2, 2)
    due = check(tmp_path, dated, today=dt.date(2016, 8, 1))
    assert due.passed is False
    assert due.locales[0].reasons == [
        "1 untranslated unit in required entries (max 0)",
        "1 fuzzy unit in required entries (max 0)",
    ]
    listed = check(tmp_path, GateSettings(required=(SLUG,)), today=dt.date(2020, 1, 1))
    assert listed.passed is True


def test_missing_required_entry_and_site_catalog(tmp_path: Path) -> None:
    write_po(tmp_path, "ca", SLUG, [U("a000000001", "One.", "U.")])
    result = check(tmp_path, GateSettings(required=(SLUG, "2016-07-01-earlier")))
    assert [(p.file, p.entry, p.check, p.message) for p in result.problems] == [
        (
            str(tmp_path / "locales/ca/2016/2016-07-01-earlier.po"),
            "2016-07-01-earlier",
            "missing-entry",
            "required entry 2016-07-01-earlier has no PO file for ca",
        ),
        (str(tmp_path / "locales/ca/site.po"), "site", "missing-entry", "required entry site has no PO file for ca"),
    ]
    assert result.locales[0].reasons == ["2 required entries without a PO file: 2016-07-01-earlier, site"]
    # Entries known to the database, dated: only those due by today are required.
    known = check(tmp_path, GateSettings(required="dated"), expected_entries=[SLUG, FUTURE, "site"])
    assert [p.entry for p in known.problems] == ["site"]
    # Files named one by one (pre-commit): nothing is looked for beyond them.
    files_only = run_checks(
        [tmp_path / "locales/ca/2016" / f"{SLUG}.po"], locale=None, settings=GateSettings(), today=TODAY
    )
    assert files_only.problems == [] and files_only.passed


def test_severity_overrides_from_config_per_locale_and_cli(tmp_path: Path) -> None:
    site(tmp_path)
    site(tmp_path, "es")
    write_po(tmp_path, "ca", SLUG, [U("a000000001", "Why 2016?", "Per què 2015.")])
    write_po(tmp_path, "es", SLUG, [U("a000000001", "Why 2016?", "¿Por qué 2015.")])
    settings = GateSettings.from_mapping(
        {
            "errors": ["end-punctuation"],
            "off": ["inverted-marks"],
            "locales": {"es": {"warnings": ["numbers"]}},
        }
    )
    result = check(tmp_path, settings)
    assert [(p.locale, p.check, p.severity.value) for p in result.problems] == [
        ("ca", "numbers", "error"),
        ("ca", "end-punctuation", "error"),
        ("es", "numbers", "warning"),
        ("es", "end-punctuation", "error"),
    ]
    cli = settings.override(severities={"numbers": "off", "end-punctuation": "warning"})
    assert [(p.locale, p.check, p.severity.value) for p in check(tmp_path, cli).problems] == [
        ("ca", "end-punctuation", "warning"),
        ("es", "end-punctuation", "warning"),
    ]


def test_settings_from_mapping_reads_every_key() -> None:
    settings = GateSettings.from_mapping(
        {
            "max_untranslated": 3,
            "max_fuzzy": "unlimited",
            "min_reviewed_percent": 90,
            "required": "dated up to today",
            "severity": {"numbers": "warning"},
            "length_ratio": [0.4, 3],
            "check_fuzzy": False,
            "locales": {"es-ES": {"max_fuzzy": 5}},
        }
    )
    assert (settings.max_untranslated, settings.max_fuzzy, settings.min_reviewed_percent) == (3, None, 90.0)
    assert (settings.required, settings.severities, settings.length_ratio, settings.check_fuzzy) == (
        "dated",
        {"numbers": "warning"},
        (0.4, 3.0),
        False,
    )
    spanish = settings.for_locale("es_ES")
    assert (spanish.max_untranslated, spanish.max_fuzzy, spanish.severities) == (3, 5, {"numbers": "warning"})
    assert settings.for_locale("ca").max_fuzzy is None
    assert settings.override(max_fuzzy=0).for_locale("es_ES").max_fuzzy == 0


@pytest.mark.parametrize(
    ("data", "message", "key"),
    [
        ({"max_untranslatd": 1}, '[check] unknown setting "max_untranslatd"', ("check", "max_untranslatd")),
        (
            {"max_fuzzy": -1},
            '[check] max_fuzzy must be a whole number >= 0 or "unlimited", not -1',
            ("check", "max_fuzzy"),
        ),
        (
            {"required": "some"},
            '[check] required must be "all", "dated" or a list of entry slugs, not "some"',
            ("check", "required"),
        ),
        (
            {"severity": {"numbers": "fatal"}},
            '[check] severity.numbers must be one of error, warning, notice, off, not "fatal"',
            ("check", "severity", "numbers"),
        ),
        (
            {"length_ratio": [2, 1]},
            "[check] length_ratio must be [low, high] with 0 <= low < high, not [2, 1]",
            ("check", "length_ratio"),
        ),
        ({"check_fuzzy": "false"}, '[check] check_fuzzy must be true or false, not "false"', ("check", "check_fuzzy")),
        (
            {"locales": {"ca": {"locales": {}}}},
            '[check.locales.ca] unknown setting "locales"',
            ("check", "locales", "ca", "locales"),
        ),
    ],
)
def test_settings_from_mapping_rejects_bad_values(data: dict, message: str, key: tuple[str, ...]) -> None:
    with pytest.raises(ConfigError) as caught:
        GateSettings.from_mapping(data, path="bpod-i18n.toml")
    assert str(caught.value).startswith(f"bpod-i18n.toml: {message}")
    assert caught.value.key == key  # config.py turns it into the line


def test_settings_naming_unknown_checks_are_rejected(tmp_path: Path) -> None:
    site(tmp_path)
    with pytest.raises(ConfigError, match='unknown check id "nubmers"'):
        check(tmp_path, GateSettings.from_mapping({"errors": ["nubmers"]}))
    with pytest.raises(ConfigError, match="untranslated is gated by max_untranslated / max_fuzzy"):
        check(tmp_path, GateSettings.from_mapping({"warnings": ["untranslated"]}))


def test_review_states_from_the_database(tmp_path: Path) -> None:
    site(tmp_path)
    write_po(
        tmp_path,
        "ca",
        SLUG,
        [U("a000000001", "One.", "U."), U("a000000002", "Two.", "Dos."), U("a000000003", "Three.", "Tres.")],
    )
    states = {
        ("ca", "s0000000001"): State.REVIEWED,
        ("ca", "a000000001"): "reviewed",
        ("ca", "a000000002"): State.TRANSLATED,
        ("es", "a000000003"): State.REVIEWED,
    }
    settings = GateSettings(min_reviewed_percent=75)
    result = check(tmp_path, settings, unit_states=states)
    assert (result.locales[0].reviewed, result.locales[0].reviewed_percent) == (2, 50.0)
    assert result.locales[0].reasons == ["50.0% of units in required entries reviewed (min 75%)"]
    # No review states: the minimum cannot be judged. Not a silent pass: the gate fails and
    # says why, unless the caller says the files alone were wanted (check --no-db) — then
    # the summary lists it as not checked.
    blind = check(tmp_path, settings).locales[0]
    assert (blind.passed, blind.reasons, blind.unchecked) == (
        False,
        [
            "review progress (min_reviewed_percent = 75) not checked: no review states were given "
            "(they are kept in the project's database)"
        ],
        [],
    )
    chosen = check(tmp_path, settings, no_review_states=NoReviewStates("files only", explicit=True)).locales[0]
    assert (chosen.passed, chosen.reasons, chosen.unchecked) == (
        True,
        [],
        ["review progress (min_reviewed_percent = 75): files only"],
    )
    assert check(tmp_path, GateSettings()).locales[0].unchecked == []  # nothing asked, nothing unchecked


def test_fuzzy_units_errors_become_warnings_or_are_skipped(tmp_path: Path) -> None:
    site(tmp_path)
    write_po(tmp_path, "ca", SLUG, [U("a000000001", "In 2016.", "El 2015.", flags=("fuzzy",))])
    settings = GateSettings(max_fuzzy=1)
    assert [(p.check, p.severity.value) for p in check(tmp_path, settings).problems] == [
        ("fuzzy", "warning"),
        ("numbers", "warning"),
    ]
    assert [p.check for p in check(tmp_path, settings.override(check_fuzzy=False)).problems] == ["fuzzy"]


def test_inconsistent_translations_across_entries(tmp_path: Path) -> None:
    site(tmp_path)
    for n, target in enumerate(["Escrit per Anna", "Escrit per Anna", "Redactat per Anna"], 1):
        write_po(tmp_path, "ca", f"2016-07-0{n}-entry-{n}", [U(f"b00000000{n}", "Written by Anna", target)])
    result = check(tmp_path)
    assert [(p.entry, p.check, p.message) for p in result.problems] == [
        ("2016-07-03-entry-3", "inconsistent", "translated 2 ways; 2016-07-01-entry-1#b000000001 has 'Escrit per Anna'")
    ]


def test_an_extra_check_registered_explicitly(tmp_path: Path) -> None:
    class Forbidden(Check):
        check_id = "glossary"
        name = "Glossary"
        description = "Forbidden terms."
        message = "Forbidden term"
        severity = Severity.ERROR

        def check(self, unit: UnitText) -> str | None:
            return "forbidden term 'cèl·lula T'" if "cèl·lula T" in unit.target else None

    registry = default_registry()
    registry.register(Forbidden())
    site(tmp_path)
    write_po(
        tmp_path,
        "ca",
        SLUG,
        [
            U("a000000001", "A T cell.", "Una cèl·lula T."),
            U("a000000002", "A T cell!", "Una cèl·lula T!", flags=("ignore-glossary",)),
        ],
    )
    result = check(tmp_path, registry=registry)
    assert [(p.unit, p.check, p.severity.value, p.message) for p in result.problems] == [
        ("a000000001", "glossary", "error", "forbidden term 'cèl·lula T'")
    ]
    assert result.check_names["glossary"] == "Glossary"
    only_glossary = Registry([Forbidden()])
    assert [p.check for p in check(tmp_path, registry=only_glossary).problems] == ["glossary"]


def test_locale_from_folder_then_header_and_locale_filter(tmp_path: Path) -> None:
    site(tmp_path)
    write_po(tmp_path, "es", "site", [U("s0000000001", "Search", "Buscar")], language_header=False)
    # A translator's tool wrote a more specific Language: the folder still says which locale.
    write_po(tmp_path, "ca", SLUG, [U("a000000001", "One.", "U.")])
    path = tmp_path / "locales/ca/2016" / f"{SLUG}.po"
    path.write_text(path.read_text().replace('"Language: ca\\n"', '"Language: ca_ES@valencia\\n"'))
    # Outside the layout, the header says it.
    outside = tmp_path / "outside.po"
    outside.write_text(path.read_text().replace('"Language: ca_ES@valencia\\n"', '"Language: ca_ES\\n"'))
    result = run_checks([tmp_path / "locales", outside], locale=None, settings=GateSettings(), today=TODAY)
    assert {s.locale: s.files for s in result.locales} == {"ca": 2, "ca_ES": 1, "es": 1}
    assert {s.locale for s in check(tmp_path, locale="ca").locales} == {"ca"}
    with pytest.raises(UsageError, match="no PO files for locale 'fr'"):
        check(tmp_path, locale="fr")
    # A header of another language than its folder: a misplaced file, refused (as import does).
    path.write_text(path.read_text().replace('"Language: ca_ES@valencia\\n"', '"Language: es\\n"'))
    with pytest.raises(InputError) as caught:
        check(tmp_path)
    assert caught.value.message == "Language header says 'es' but the file is under locales/ca/"


PLURAL_HEADER = 'msgid ""\nmsgstr ""\n"Language: {lang}\\n"\n{forms}\n'


@pytest.mark.parametrize(
    ("lang", "forms", "msgstrs", "message"),
    [
        # Units are sentences: a well-formed plural message is still not a unit (import refuses it too).
        (
            "pl",
            '"Plural-Forms: nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 ? 1 : 2);\\n"',
            3,
            "plural message (msgid_plural): bpod-i18n units are sentences and have no plural forms",
        ),
        # A wrong number of forms for the header's Plural-Forms is refused as msgfmt -c refuses it.
        (
            "pl",
            '"Plural-Forms: nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 ? 1 : 2);\\n"',
            4,
            "4 plural forms, but the header's Plural-Forms says nplurals=3",
        ),
        ("ca", "", 2, "plural messages, but the header has no Plural-Forms saying how many forms"),
    ],
)
def test_plural_messages_are_refused_with_their_line(
    tmp_path: Path, lang: str, forms: str, msgstrs: int, message: str
) -> None:
    path = tmp_path / f"locales/{lang}/site.po"
    path.parent.mkdir(parents=True)
    body = PLURAL_HEADER.format(lang=lang, forms=forms) + 'msgctxt "p"\nmsgid "{n} cell"\nmsgid_plural "{n} cells"\n'
    body += "".join(f'msgstr[{i}] "{{n}} {"x" * (i + 1)}"\n' for i in range(msgstrs))
    path.write_text(body)
    with pytest.raises(InputError) as caught:
        check(tmp_path)
    assert (caught.value.path, caught.value.line, caught.value.message) == (str(path), 6, message)


def test_a_file_without_header_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "locales/es/site.po"
    path.parent.mkdir(parents=True)
    path.write_text('msgctxt "s1"\nmsgid "Search the archive"\nmsgstr "Busca en el archivo"\n')
    with pytest.raises(InputError) as caught:
        check(tmp_path)
    assert (caught.value.line, caught.value.message.split(":")[0]) == (1, 'no header entry (msgid "")')


def test_the_garbage_collector_is_paused_only_while_checking(tmp_path: Path) -> None:
    site(tmp_path)
    seen: list[bool] = []

    class Spy(Check):
        check_id, name, description, message, severity = "spy", "Spy", "records gc state", "seen", Severity.WARNING

        def check(self, unit: UnitText) -> str | None:
            seen.append(gc.isenabled())
            return None

    registry = default_registry()
    registry.register(Spy())
    assert gc.isenabled()
    check(tmp_path, registry=registry, jobs=1)
    assert seen == [False] and gc.isenabled()
    gc.disable()
    try:
        check(tmp_path, registry=registry, jobs=1)
        assert not gc.isenabled()  # a caller's choice is left as it was
    finally:
        gc.enable()


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        (
            'msgid ""\nmsgstr ""\n"Language: ca\\n"\n\nmsgctxt "a"\nmsgid "One."\nmsgstr "U."\nbogus line\n',
            8,
            'keyword "bogus" unknown',
        ),
        ('msgid ""\nmsgstr ""\n"Language: ca\\n"\n\nmsgid "He said "hi"."\nmsgstr ""\n', 5, 'keyword "hi" unknown'),
        (
            'msgid ""\nmsgstr ""\n"Language: ca\\n"\n\nmsgctxt "a"\nmsgid "One."\nmsgstr "U."\n\nmsgctxt "a"\nmsgid "One."\nmsgstr "Un."\n',
            10,
            "duplicate message definition (first at line 6)",
        ),
    ],
)
def test_malformed_po_names_path_and_line(tmp_path: Path, content: str, line: int, message: str) -> None:
    path = tmp_path / "locales/ca/site.po"
    path.parent.mkdir(parents=True)
    path.write_text(content)
    with pytest.raises(InputError) as caught:
        check(tmp_path)
    assert (caught.value.path, caught.value.line, caught.value.message) == (str(path), line, message)
    assert str(caught.value) == f"{path}:{line}: {message}"


def test_unreadable_inputs(tmp_path: Path) -> None:
    path = tmp_path / "locales/ca/site.po"
    path.parent.mkdir(parents=True)
    path.write_bytes(b'msgid ""\nmsgstr ""\n"Language: ca\\n"\n\nmsgid "Caf\xe9"\nmsgstr ""\n')
    with pytest.raises(InputError) as caught:
        check(tmp_path)
    assert (caught.value.line, caught.value.message.split(";")[0]) == (5, "not valid UTF-8 (byte 0xe9)")
    with pytest.raises(InputError, match="no such file or directory"):
        run_checks([tmp_path / "nope.po"], locale=None, settings=GateSettings())
    path.write_text('msgid ""\nmsgstr ""\n"Language: xx-nowhere\\n"\n')
    with pytest.raises(InputError, match="Language header says 'xx_nowhere' but the file is under locales/ca/"):
        check(tmp_path)
    path.rename(tmp_path / "nowhere.po")
    with pytest.raises(InputError, match="unknown locale 'xx_nowhere'"):
        run_checks([tmp_path / "nowhere.po"], locale=None, settings=GateSettings())
    other = tmp_path / "elsewhere.po"
    other.write_text('msgid ""\nmsgstr ""\n"Project-Id-Version: x\\n"\n')
    with pytest.raises(InputError, match="cannot tell the locale"):
        run_checks([other], locale=None, settings=GateSettings())
    (tmp_path / "empty").mkdir()
    with pytest.raises(UsageError, match="no PO files found"):
        run_checks([tmp_path / "empty"], locale=None, settings=GateSettings())


def test_process_pool_gives_the_same_result_and_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site(tmp_path)
    for n in range(1, 9):
        write_po(tmp_path, "ca", f"2016-07-0{n}-entry", [U(f"c00000000{n}", f"In 201{n}.", f"El 201{n - 1}.")])
    serial = check(tmp_path, jobs=1)
    monkeypatch.setattr(runner_module, "PARALLEL_MIN_FILES", 2)
    pooled = check(tmp_path, jobs=2, registry=default_registry(dnt=lambda text: False))
    assert pooled.problems == serial.problems and len(serial.problems) == 8
    bad = tmp_path / "locales/ca/2016/2016-07-09-broken.po"
    bad.write_text('msgid ""\nmsgstr ""\n"Language: ca\\n"\n\nmsgid "x"\nnonsense\n')
    with pytest.raises(InputError) as caught:
        check(tmp_path, jobs=2)
    assert (caught.value.path, caught.value.line) == (str(bad), 6)

"""Three-way import: each unit merged against what the project wrote into the file (kept in the
database, never read from the file); the false-conflict, self-conflict and forged-header cases
of issue 13; suggestions and translators' comments; on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import polib
from helpers import translate_po
from sqlalchemy import delete, select

from bpod_i18n import states
from bpod_i18n.model import State, utcnow
from bpod_i18n.states import Action
from bpod_i18n.store.changes import PlannedChange, apply_changes
from bpod_i18n.store.models import ExportBase, Suggestion, Translation, Unit
from bpod_i18n.workflow import export as export_ops
from bpod_i18n.workflow import importer
from bpod_i18n.workflow import ingest as ingest_ops
from bpod_i18n.workflow.init import init_project
from bpod_i18n.workflow.project import Project, open_project
from bpod_i18n.workflow.review import Decision, decide, history, queue

PAGES = Path(__file__).parent / "fixtures" / "pages"
MASSING = "2016-07-22-massing-to-defend"
TITLE = "Massing to Defend"
FIRST = (
    "On the front line of the immune system’s battle with pathogens, T cells raise the alarm and stimulate "
    "the body’s response to danger."
)
SECOND = (
    "They become activated when protein receptors on their surfaces detect an outsider, triggering a suite of "
    "cellular processes to eventually destroy the pathogen and promote its detection around the body."
)
MARTA = "Marta Puig <marta@uv.es>"
PERE = "Pere Vidal <pere@uv.es>"


def exported(project: Project) -> Path:
    report = export_ops.export(project, "ca", slugs=[MASSING])
    return next(p for p in report.files if p.name == f"{MASSING}.po")


def current(project: Project, english: str) -> tuple[str, str, str | None]:
    """(state, text, author) of the unit with this English."""
    with project.store.transaction(write=False) as session:
        row = session.execute(
            select(Translation.state, Translation.text, Translation.author)
            .join(Unit, Unit.id == Translation.unit_id)
            .where(Unit.source == english, Translation.locale == "ca")
        ).first()
    return (row[0], row[1], row[2]) if row else ("untranslated", "", None)


def uid_of(project: Project, english: str) -> str:
    with project.store.transaction(write=False) as session:
        return session.scalar(select(Unit.uid).where(Unit.source == english, Unit.active.is_(True)))


def machine(project: Project, english: str, text: str) -> None:
    """A machine suggestion stored the way pretranslate stores one."""
    with project.store.transaction() as session:
        unit_id = session.scalar(select(Unit.id).where(Unit.source == english))
        change = states.plan(
            State.UNTRANSLATED, Action.PRETRANSLATE, old_text="", old_previous_source=None, actor="mt", text=text
        )
        assert apply_changes(session, [PlannedChange(unit_id, "ca", change)]).conflicts == []


def suggestions(project: Project) -> list[tuple[str, str, str]]:
    with project.store.transaction(write=False) as session:
        return [
            tuple(row)
            for row in session.execute(
                select(Suggestion.text, Suggestion.author, Suggestion.status).order_by(Suggestion.id)
            )
        ]


def notes_of(path: Path, english: str) -> str:
    """The translator comments (``#``) of a message, as one line (the writer wraps them)."""
    return " ".join(next(e for e in polib.pofile(str(path)) if e.msgid == english).tcomment.split())


def today() -> str:
    return utcnow().strftime("%Y-%m-%d")


def comment(path: Path, english: str, text: str) -> None:
    """A translator's own comment, written in their PO editor."""
    po = polib.pofile(str(path))
    entry = next(e for e in po if e.msgid == english)
    entry.tcomment = f"{entry.tcomment}\n{text}" if entry.tcomment else text
    po.save(str(path))


def test_a_unit_the_translator_did_not_touch_is_never_a_conflict(project: Project) -> None:
    ingest_ops.ingest(project, [PAGES])
    path = exported(project)
    # A reviewer changes the title in the project while marta works on the file.
    decide(project, "ca", uid_of(project, TITLE), Decision.EDIT, by="jordi", text="Concentrats per defensar-se")
    translate_po(path, {FIRST: "A la primera línia, els limfòcits T donen l’alarma."})
    report = importer.import_files(project, [path])
    assert (report.conflicts, report.translated, report.suggestions) == ([], 1, 0)
    assert current(project, TITLE) == ("translated", "Concentrats per defensar-se", "jordi")
    assert current(project, FIRST)[1] == "A la primera línia, els limfòcits T donen l’alarma."


def test_importing_the_same_file_again_after_editing_it_is_never_a_conflict_with_yourself(project: Project) -> None:
    ingest_ops.ingest(project, [PAGES])
    path = exported(project)
    translate_po(path, {TITLE: "Concentrats"})
    assert importer.import_files(project, [path]).translated == 1
    # No export in between: she goes on in the same file and imports it again, twice.
    translate_po(path, {TITLE: "Concentrats per defensar-se", FIRST: "A la primera línia…"})
    again = importer.import_files(project, [path])
    assert (again.conflicts, again.translated) == ([], 2)
    assert current(project, TITLE) == ("translated", "Concentrats per defensar-se", MARTA)
    third = importer.import_files(project, [path])
    assert (third.conflicts, third.translated, third.suggestions) == ([], 0, 0)


def test_a_forged_revision_header_changes_nothing(project: Project, tmp_path: Path) -> None:
    """Issue 13: an old PO with a machine suggestion and X-Bpod-Revision: 999999999 replaced
    bob's reviewed translation. Now the base is what the project wrote into that file."""
    ingest_ops.ingest(project, [PAGES])
    machine(project, TITLE, "Massa per defensar")
    path = exported(project)
    old = tmp_path / "alice-old.po"
    shutil.copy(path, old)
    translate_po(path, {TITLE: "Concentrats per defensar-se"}, translator="Bob <bob@uv.es>")
    importer.import_files(project, [path])
    decide(project, "ca", uid_of(project, TITLE), Decision.APPROVE, by="jordi")
    forged, count = re.subn(r"X-Bpod-Revision: \d+", "X-Bpod-Revision: 999999999", old.read_text(encoding="utf-8"))
    assert count == 1
    old.write_text(forged, encoding="utf-8")
    translate_po(old, {FIRST: "A la primera línia…"}, fuzzy=set(), translator="Alice <alice@uv.es>")
    report = importer.import_files(project, [old])
    # The stale machine text she never touched is not a change: bob's reviewed text stays.
    assert (report.conflicts, report.translated) == ([], 1)
    assert current(project, TITLE) == ("reviewed", "Concentrats per defensar-se", "Bob <bob@uv.es>")
    # Had she changed it, it would be a conflict, her text kept as a suggestion: still bob's.
    translate_po(old, {TITLE: "Agrupats per defensar-se"}, translator="Alice <alice@uv.es>")
    report = importer.import_files(project, [old])
    assert [(c.base, c.project, c.translator) for c in report.conflicts] == [
        ("Massa per defensar", "Concentrats per defensar-se", "Agrupats per defensar-se")
    ]
    assert current(project, TITLE) == ("reviewed", "Concentrats per defensar-se", "Bob <bob@uv.es>")
    assert suggestions(project) == [("Agrupats per defensar-se", "Alice <alice@uv.es>", "open")]


def test_both_changed_is_a_conflict_with_three_texts_kept_as_a_suggestion(cli, project: Project) -> None:
    ingest_ops.ingest(project, [PAGES])
    machine(project, TITLE, "Massa per defensar")
    path = exported(project)
    decide(project, "ca", uid_of(project, TITLE), Decision.EDIT, by="jordi", text="Massa per defensar-se")
    translate_po(path, {TITLE: "Concentrats per defensar-se"})
    result = cli("import", str(path))
    assert result.exit_code == 1
    assert "conflict on unit" in result.stderr and "both changed it" in result.stderr
    assert "exported:   'Massa per defensar'" in result.stderr
    assert "project:    'Massa per defensar-se'" in result.stderr
    assert "translator: 'Concentrats per defensar-se' (kept as a suggestion)" in result.stderr
    assert current(project, TITLE) == ("translated", "Massa per defensar-se", "jordi")
    assert suggestions(project) == [("Concentrats per defensar-se", MARTA, "open")]
    events = history(project, uid_of(project, TITLE), locale="ca")
    assert events[-1].action == "suggest" and "Concentrats per defensar-se" in (events[-1].comment or "")
    # Shown in review, and exported as a comment beside the unit.
    item = next(i for i in queue(project, "ca", MASSING) if i.source == TITLE)
    assert [s.text for s in item.suggestions] == ["Concentrats per defensar-se"]
    assert (
        notes_of(exported(project), TITLE)
        == f"suggestion Marta Puig <marta@uv.es> {today()}: Concentrats per defensar-se"
    )
    # A reviewer takes it: the text is marta's, so jordi (who wrote the other one) may approve it.
    decide(project, "ca", uid_of(project, TITLE), Decision.TAKE, by="pere")
    assert current(project, TITLE) == ("translated", "Concentrats per defensar-se", MARTA)
    decide(project, "ca", uid_of(project, TITLE), Decision.APPROVE, by="jordi")
    assert suggestions(project) == [("Concentrats per defensar-se", MARTA, "taken")]


def test_a_conflict_file_imported_again_keeps_one_suggestion(project: Project, tmp_path: Path) -> None:
    ingest_ops.ingest(project, [PAGES])
    path = exported(project)
    decide(project, "ca", uid_of(project, TITLE), Decision.EDIT, by="jordi", text="Massa per defensar-se")
    translate_po(path, {TITLE: "Concentrats per defensar-se"})
    assert len(importer.import_files(project, [path]).conflicts) == 1
    again = importer.import_files(project, [path])  # the same file, untouched since
    assert (again.conflicts, again.suggestions) == ([], 0)
    assert len(suggestions(project)) == 1


def test_an_english_change_keeps_the_translators_text_as_a_suggestion(project: Project, tmp_path: Path) -> None:
    ingest_ops.ingest(project, [PAGES])
    path = exported(project)
    old = tmp_path / "old.po"
    shutil.copy(path, old)
    edited = tmp_path / f"{MASSING}.txt"
    edited.write_text((PAGES / f"{MASSING}.txt").read_text().replace("Massing to Defend", "Massing to Protect"))
    ingest_ops.ingest(project, [edited])
    translate_po(old, {TITLE: "Concentrats per defensar-se", FIRST: "A la primera línia…"})
    report = importer.import_files(project, [old])
    assert [c.reason.split(" since")[0] for c in report.conflicts] == ["the English changed"]
    assert report.translated == 1
    assert suggestions(project) == [("Concentrats per defensar-se", MARTA, "open")]
    with project.store.transaction(write=False) as session:
        assert session.scalar(select(Suggestion.source)) == TITLE  # the English she translated


def test_a_file_exported_before_bases_were_kept_is_merged_against_history(project: Project) -> None:
    """An upgraded project: files exported by an older bpod-i18n have no bases."""
    ingest_ops.ingest(project, [PAGES])
    path = exported(project)
    translate_po(path, {TITLE: "Concentrats"})
    importer.import_files(project, [path])
    path = exported(project)
    with project.store.transaction() as session:
        session.execute(delete(ExportBase))
    decide(project, "ca", uid_of(project, TITLE), Decision.EDIT, by="jordi", text="Massa per defensar-se")
    translate_po(path, {FIRST: "A la primera línia…"})
    report = importer.import_files(project, [path])
    # Its texts tell which moment of history it was made from: "Concentrats" was untouched.
    assert (report.conflicts, report.translated) == ([], 1)
    assert current(project, TITLE)[1] == "Massa per defensar-se"


def test_a_file_from_nowhere_never_overwrites_a_text(project: Project, tmp_path: Path) -> None:
    ingest_ops.ingest(project, [PAGES])
    path = exported(project)
    translate_po(path, {TITLE: "Concentrats"})
    importer.import_files(project, [path])
    with project.store.transaction() as session:
        session.execute(delete(ExportBase))
    other = tmp_path / "from-nowhere.po"
    shutil.copy(path, other)
    # Every text changed: nothing in the file matches any moment of the project.
    everything = {e.msgid: f"Text {n}" for n, e in enumerate(polib.pofile(str(other)))}
    translate_po(other, everything)
    report = importer.import_files(project, [other])
    # The one text the project has stays (the file's is kept as a suggestion); the rest is new.
    assert [c.translator for c in report.conflicts] == [everything[TITLE]]
    assert report.translated == len(everything) - 1
    assert "as far as it knows" in report.conflicts[0].reason
    assert current(project, TITLE)[1] == "Concentrats"


def test_a_file_that_travelled_while_its_entry_was_exported_again(project: Project, tmp_path: Path) -> None:
    """Sent by e-mail; meanwhile a reviewer changed the title and the entry was exported again.
    The file cannot tell which export it came from (it fits both): the title it changed is a
    conflict, never a silent overwrite of the reviewer's text."""
    ingest_ops.ingest(project, [PAGES])
    sent = tmp_path / "sent.po"
    shutil.copy(exported(project), sent)
    decide(project, "ca", uid_of(project, TITLE), Decision.EDIT, by="jordi", text="Massa per defensar-se")
    exported(project)
    translate_po(sent, {TITLE: "Concentrats"})
    report = importer.import_files(project, [sent])
    assert [(c.base, c.project, c.translator) for c in report.conflicts] == [
        ("", "Massa per defensar-se", "Concentrats")
    ]
    assert current(project, TITLE)[1] == "Massa per defensar-se"


def test_two_checkouts_of_one_database_keep_their_own_bases(project: Project, project_dir: Path) -> None:
    ingest_ops.ingest(project, [PAGES])
    other_dir = project_dir.parent / "pere-checkout"
    init_project(other_dir, locales=["ca", "es"])  # BPOD_I18N_DB: the same database
    other = open_project(other_dir)
    try:
        marta_file = exported(project)  # marta's checkout: the title untranslated
        decide(project, "ca", uid_of(project, TITLE), Decision.EDIT, by="jordi", text="Massa per defensar-se")
        pere_file = exported(other)  # pere's checkout, later: jordi's title
        assert pere_file != marta_file and "Massa per defensar-se" in pere_file.read_text(encoding="utf-8")
        translate_po(marta_file, {FIRST: "A la primera línia…"})
        assert importer.import_files(project, [marta_file]).conflicts == []
        translate_po(pere_file, {TITLE: "Massa per a defensar-se"}, translator=PERE)
        report = importer.import_files(other, [pere_file])
        assert (report.conflicts, report.translated) == ([], 1)  # pere changed what he saw
        # marta now changes the title she saw untranslated: pere's is newer, a conflict.
        translate_po(marta_file, {TITLE: "Concentrats"})
        report = importer.import_files(project, [marta_file])
        assert [(c.base, c.project, c.translator) for c in report.conflicts] == [
            ("", "Massa per a defensar-se", "Concentrats")
        ]
    finally:
        other.close()
    assert current(project, TITLE) == ("translated", "Massa per a defensar-se", PERE)


def test_a_translators_comment_is_recorded_once_and_travels_back(project: Project) -> None:
    ingest_ops.ingest(project, [PAGES])
    path = exported(project)
    translate_po(path, {TITLE: "Concentrats per defensar-se"})
    comment(path, TITLE, "I am not sure about 'massing': a TERMCAT term?")
    report = importer.import_files(project, [path])
    assert (report.translated, report.comments) == (1, 1)
    uid = uid_of(project, TITLE)
    comments = [e for e in history(project, uid, locale="ca") if e.action == "comment"]
    assert [(e.actor, e.comment) for e in comments] == [(MARTA, "I am not sure about 'massing': a TERMCAT term?")]
    assert importer.import_files(project, [path]).comments == 0  # the same file again
    assert notes_of(exported(project), TITLE) == (
        f"translator Marta Puig <marta@uv.es> {today()}: I am not sure about 'massing': a TERMCAT term?"
    )
    # The exported file imported again: its comment is ours coming back, not a new one.
    assert importer.import_files(project, [path]).comments == 0
    comment(path, TITLE, "Checked: it is.")
    assert importer.import_files(project, [path]).comments == 1
    comments = [e.comment for e in history(project, uid, locale="ca") if e.action == "comment"]
    assert comments[-1] == "Checked: it is."


def test_cli_import_json_reports_suggestions_and_comments(cli, project_dir: Path) -> None:
    assert cli("ingest", str(PAGES)).exit_code == 0
    assert cli("export", "-l", "ca", "--entry", MASSING).exit_code == 0
    path = project_dir / "locales/ca/2016" / f"{MASSING}.po"
    translate_po(path, {TITLE: "Concentrats"})
    comment(path, TITLE, "first go")
    result = cli("import", str(path), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["translated"], data["comments"], data["suggestions"], data["conflicts"]) == (1, 1, 0, [])
    assert data["translators"] == {str(path): MARTA}

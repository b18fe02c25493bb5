"""The one write of translation changes (store/changes.py) and what each writer makes of a
conflict: import refuses, pretranslate skips, review names the unit; on SQLite and PostgreSQL.

"Two sessions" here are two real transactions on the test's database: one reads, another
changes the same translation and commits, then the first writes.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from helpers import translate_po
from mt_fixtures import libre_server  # noqa: F401 - pytest fixture
from mt_server import LibreServer, fake_translate
from sqlalchemy import select, text
from test_pretranslate_mt import use_libre

from bpod_i18n import states
from bpod_i18n.errors import ConflictError
from bpod_i18n.model import State
from bpod_i18n.states import Action
from bpod_i18n.store.changes import Applied, PlannedChange, apply_changes
from bpod_i18n.store.models import Entry, Event, Translation, Unit
from bpod_i18n.workflow import export as export_ops
from bpod_i18n.workflow import importer
from bpod_i18n.workflow import ingest as ingest_ops
from bpod_i18n.workflow import pretranslate as pretranslate_ops
from bpod_i18n.workflow.project import Project, open_project
from bpod_i18n.workflow.review import Decision, decide, queue

PAGES = Path(__file__).parent / "fixtures" / "pages"
MASSING = "2016-07-22-massing-to-defend"
TITLE = "Massing to Defend"


@pytest.fixture
def units(project: Project) -> list[tuple[int, str, str]]:
    """(unit id, uid, English) of the Massing entry's units, in order, after a real ingest."""
    ingest_ops.ingest(project, [PAGES])
    with project.store.transaction(write=False) as session:
        return [
            tuple(row)
            for row in session.execute(
                select(Unit.id, Unit.uid, Unit.source)
                .join(Entry, Unit.entry_id == Entry.id)
                .where(Entry.slug == MASSING, Unit.active.is_(True))
                .order_by(Unit.id)
            )
        ]


@pytest.fixture
def libre_project(project_dir: Path, units, libre_server: LibreServer) -> Iterator[Project]:
    """The project (entries ingested) with the local LibreTranslate server as its provider."""
    use_libre(project_dir, libre_server.url)
    opened = open_project(project_dir)
    yield opened
    opened.close()


def read(project: Project, unit_id: int, locale: str = "ca") -> Translation | None:
    with project.store.transaction(write=False) as session:
        return session.scalar(select(Translation).where(Translation.unit_id == unit_id, Translation.locale == locale))


def events_of(project: Project, unit_id: int, locale: str = "ca") -> list[tuple[str, str, str, str | None]]:
    """(actor, from, to, new text) of every event of a translation, oldest first."""
    with project.store.engine.connect() as conn:
        return [
            tuple(row)
            for row in conn.execute(
                select(Event.actor, Event.from_state, Event.to_state, Event.new_text)
                .join(Translation, Translation.id == Event.translation_id)
                .where(Translation.unit_id == unit_id, Translation.locale == locale)
                .order_by(Event.id)
            )
        ]


def plan_on(
    current: Translation | None,
    unit_id: int,
    action: Action,
    actor: str,
    *,
    locale: str = "ca",
    text: str | None = None,
    comment: str | None = None,
) -> PlannedChange:
    """A change planned on what was read, the way every writer plans one."""
    change = states.plan(
        State(current.state) if current else State.UNTRANSLATED,
        action,
        old_text=current.text if current else "",
        old_previous_source=current.previous_source if current else None,
        actor=actor,
        text=text,
        origin="human" if text else None,
        comment=comment,
    )
    return PlannedChange(unit_id, locale, change, current.id if current else None, current.version if current else None)


def write(project: Project, changes: list[PlannedChange]) -> Applied:
    with project.store.transaction() as session:
        return apply_changes(session, changes)


@contextmanager
def held_change(project: Project, change: PlannedChange) -> Iterator[None]:
    """Another writer's change, written and left uncommitted until the block ends (then committed)."""
    with project.store.transaction() as session:
        assert apply_changes(session, [change]).conflicts == []
        yield


def run_blocked(project: Project, work: Callable[[], object]) -> Callable[[], object]:
    """Start ``work`` in a thread while another transaction holds its rows; returns join().

    On PostgreSQL, waits until the thread is waiting for a row lock; an SQLite writer waits
    for the whole database at BEGIN IMMEDIATE, which the server does not show: a short pause.
    """
    outcome: dict[str, object] = {}

    def target() -> None:
        try:
            outcome["result"] = work()
        except BaseException as exc:  # handed to the test's thread
            outcome["error"] = exc

    thread = threading.Thread(target=target)
    thread.start()
    if project.store.dialect == "postgresql":
        deadline = time.monotonic() + 20
        with project.store.engine.connect() as conn:
            while True:
                waiting = conn.execute(
                    text(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
                    )
                ).scalar()
                conn.rollback()  # the server keeps one snapshot of pg_stat_activity per transaction
                if waiting:
                    break
                assert time.monotonic() < deadline, "the second writer never waited for the first"
                assert thread.is_alive(), f"the second writer finished without waiting: {outcome}"
                time.sleep(0.02)
    else:
        time.sleep(0.3)

    def join() -> object:
        thread.join(timeout=60)
        assert not thread.is_alive()
        if "error" in outcome:
            raise outcome["error"]  # type: ignore[misc]
        return outcome.get("result")

    return join


# ---------------------------------------------------------------- the operation itself


def test_new_rows_and_updates_are_written_with_one_event_each(project: Project, units) -> None:
    (a, _, _), (b, _, _), (c, _, _) = units[:3]
    applied = write(project, [plan_on(None, u, Action.TRANSLATE, "marta", text=f"text {u}") for u in (a, b, c)])
    assert (len(applied.written), applied.conflicts) == (3, [])
    for u in (a, b, c):
        row = read(project, u)
        assert (row.state, row.text, row.version, row.author, row.origin) == (
            "translated",
            f"text {u}",
            1,
            "marta",
            "human",
        )

    reviewed = [plan_on(read(project, u), u, Action.APPROVE, "joan") for u in (a, b)]
    edited = plan_on(read(project, c), c, Action.TRANSLATE, "marta", text=f"text {c}, better")
    applied = write(project, [*reviewed, edited])
    assert (applied.written, applied.conflicts) == ([*reviewed, edited], [])
    assert [(read(project, u).state, read(project, u).version) for u in (a, b, c)] == [
        ("reviewed", 2),
        ("reviewed", 2),
        ("translated", 2),
    ]
    assert read(project, a).author == "marta"  # an approval keeps the text's author
    assert events_of(project, a) == [
        ("marta", "untranslated", "translated", f"text {a}"),
        ("joan", "translated", "reviewed", f"text {a}"),
    ]
    assert events_of(project, c)[-1] == ("marta", "translated", "translated", f"text {c}, better")


def test_a_row_another_session_changed_is_reported_and_the_rest_written(project: Project, units) -> None:
    ids = [u for u, _, _ in units[:3]]
    write(project, [plan_on(None, u, Action.TRANSLATE, "marta", text=f"text {u}") for u in ids])
    mine = [plan_on(read(project, u), u, Action.APPROVE, "joan") for u in ids]  # read at version 1
    theirs = plan_on(read(project, ids[1]), ids[1], Action.TRANSLATE, "bernat", text="bernat's text")
    assert write(project, [theirs]).written == [theirs]  # another session commits first

    applied = write(project, mine)

    assert applied.conflicts == [mine[1]] and applied.written == [mine[0], mine[2]]
    moved = read(project, ids[1])
    assert (moved.state, moved.text, moved.version) == ("translated", "bernat's text", 2)
    assert [e[0] for e in events_of(project, ids[1])] == ["marta", "bernat"]  # nothing of joan's
    assert [read(project, u).state for u in (ids[0], ids[2])] == ["reviewed", "reviewed"]


def test_a_row_another_session_created_is_reported_and_the_rest_written(project: Project, units) -> None:
    ids = [u for u, _, _ in units[:3]]
    mine = [plan_on(None, u, Action.TRANSLATE, "marta", text=f"marta {u}") for u in ids]  # read: no rows
    write(project, [plan_on(None, ids[0], Action.TRANSLATE, "bernat", text="bernat's text")])

    applied = write(project, mine)

    assert applied.conflicts == [mine[0]] and applied.written == mine[1:]
    assert read(project, ids[0]).text == "bernat's text"
    assert [e[0] for e in events_of(project, ids[0])] == ["bernat"]
    assert [read(project, u).text for u in ids[1:]] == [f"marta {u}" for u in ids[1:]]


def test_a_writer_waiting_for_another_never_overwrites_it(project: Project, units) -> None:
    """The race itself: the other change is in flight (uncommitted) while this one writes."""
    (a, _, _), (b, _, _) = units[:2]
    write(project, [plan_on(None, a, Action.TRANSLATE, "marta", text="one")])
    mine = [
        plan_on(read(project, a), a, Action.APPROVE, "joan"),
        plan_on(None, b, Action.TRANSLATE, "joan", text="joan's"),
    ]
    theirs = [
        plan_on(read(project, a), a, Action.TRANSLATE, "bernat", text="two"),
        plan_on(None, b, Action.TRANSLATE, "bernat", text="bernat's"),
    ]
    for change in theirs:
        with held_change(project, change):
            join = run_blocked(
                project, lambda change=change: write(project, [m for m in mine if m.unit_id == change.unit_id])
            )
        applied = join()
        assert isinstance(applied, Applied) and applied.written == [] and len(applied.conflicts) == 1
    assert (read(project, a).text, read(project, a).state) == ("two", "translated")
    assert read(project, b).text == "bernat's"


def test_one_translation_twice_in_one_call_is_a_programming_error(project: Project, units) -> None:
    unit_id = units[0][0]
    with pytest.raises(ValueError, match="two changes"), project.store.transaction() as session:
        apply_changes(
            session,
            [
                plan_on(None, unit_id, Action.TRANSLATE, "a", text="x"),
                plan_on(None, unit_id, Action.TRANSLATE, "b", text="y"),
            ],
        )
    assert read(project, unit_id) is None


def test_the_same_unit_in_two_locales_is_two_translations(project: Project, units) -> None:
    unit_id = units[0][0]
    applied = write(
        project,
        [
            plan_on(None, unit_id, Action.TRANSLATE, "a", text="ca", locale="ca"),
            plan_on(None, unit_id, Action.TRANSLATE, "a", text="es", locale="es"),
        ],
    )
    assert len(applied.written) == 2
    assert (read(project, unit_id, "ca").text, read(project, unit_id, "es").text) == ("ca", "es")


# ---------------------------------------------------------------- what each writer makes of it


@pytest.mark.parametrize("existing", [True, False], ids=["update", "new-row"])
def test_import_racing_another_writer_never_overwrites_it(project: Project, units, existing: bool) -> None:
    """PostgreSQL: the import read the old version, waits on the row, then refuses everything
    (ConflictError, nothing stored). SQLite: the import waits for the database, reads the new
    version, and reports the unit as changed since the export; the rest is stored."""
    unit_id, uid, _ = next(u for u in units if u[2] == TITLE)
    if existing:
        write(project, [plan_on(None, unit_id, Action.PRETRANSLATE, "mt", text="Concentració")])
    po = next(p for p in export_ops.export(project, "ca").files if p.name == f"{MASSING}.po")
    other_id, _, other = units[1]
    translate_po(po, {TITLE: "Concentrats per defensar-se", other: "Una altra frase."})
    theirs = plan_on(read(project, unit_id), unit_id, Action.TRANSLATE, "bernat", text="Massa per defensar")

    with held_change(project, theirs):
        join = run_blocked(project, lambda: importer.import_files(project, [po]))
    if project.store.dialect == "postgresql":
        with pytest.raises(ConflictError, match="nothing was stored"):
            join()
        assert read(project, other_id) is None
    else:
        report = join()
        assert isinstance(report, importer.ImportReport)
        assert [c.uid for c in report.conflicts] == [uid]
        assert "after this PO was exported" in report.conflicts[0].reason
        assert report.translated == 1 and read(project, other_id).text == "Una altra frase."
        # The translator's text is not lost: kept beside bernat's, as a suggestion.
        assert (report.conflicts[0].translator, report.suggestions) == ("Concentrats per defensar-se", 1)
        assert [e[0] for e in events_of(project, unit_id)][-2:] == ["bernat", "Marta Puig <marta@uv.es>"]
    assert read(project, unit_id).text == "Massa per defensar"
    if project.store.dialect == "postgresql":
        assert [e[0] for e in events_of(project, unit_id)][-1] == "bernat"


def test_ingest_racing_another_writer_never_overwrites_it(project: Project, units, tmp_path: Path) -> None:
    """An edited English sentence makes its translation stale; a translator's change in flight
    is not lost. PostgreSQL: ingest read the old version, then refuses (nothing stored).
    SQLite: ingest waits for the database, then marks the translator's new text stale."""
    unit_id, _, english = units[1]
    write(project, [plan_on(None, unit_id, Action.TRANSLATE, "marta", text="primera")])
    edited = tmp_path / f"{MASSING}.txt"
    edited.write_text((PAGES / f"{MASSING}.txt").read_text().replace("raise the alarm", "sound the alarm"))
    assert "raise the alarm" in english
    theirs = plan_on(read(project, unit_id), unit_id, Action.TRANSLATE, "bernat", text="segona")

    with held_change(project, theirs):
        join = run_blocked(project, lambda: ingest_ops.ingest(project, [edited]))
    if project.store.dialect == "postgresql":
        with pytest.raises(ConflictError, match=f"{MASSING} were changed by someone else"):
            join()
        assert [e[0] for e in events_of(project, unit_id)] == ["marta", "bernat"]
        assert read(project, unit_id).state == "translated"
    else:
        join()
        assert events_of(project, unit_id)[-1] == ("tester", "translated", "stale", "segona")
    assert read(project, unit_id).text == "segona"


def test_review_of_a_unit_another_reviewer_changed_names_the_unit(project: Project, units) -> None:
    unit_id, uid, _ = units[0]
    write(project, [plan_on(None, unit_id, Action.TRANSLATE, "marta", text="u")])
    seen = next(item for item in queue(project, "ca", MASSING) if item.uid == uid)
    decide(project, "ca", uid, Decision.APPROVE, by="joan", seen=seen.token)  # another session

    with pytest.raises(ConflictError, match=f"unit {uid} \\(ca\\) was changed by joan while you were reviewing"):
        decide(project, "ca", uid, Decision.EDIT, by="bernat", text="v", seen=seen.token)
    assert (read(project, unit_id).state, read(project, unit_id).text) == ("reviewed", "u")


def test_review_racing_another_writer_names_the_unit(project: Project, units) -> None:
    """The other change is in flight while the reviewer's decision is written."""
    unit_id, uid, _ = units[0]
    write(project, [plan_on(None, unit_id, Action.TRANSLATE, "marta", text="u")])
    seen = next(item for item in queue(project, "ca", MASSING) if item.uid == uid)
    theirs = plan_on(read(project, unit_id), unit_id, Action.TRANSLATE, "bernat", text="w")

    with held_change(project, theirs):
        join = run_blocked(project, lambda: decide(project, "ca", uid, Decision.APPROVE, by="joan", seen=seen.token))
    # PostgreSQL: the decision read version 1, then found the row moved when writing;
    # SQLite: it waited for the database and read version 2 (not what the reviewer saw).
    with pytest.raises(ConflictError, match=f"unit {uid} \\(ca\\) was changed by"):
        join()
    assert (read(project, unit_id).state, read(project, unit_id).text) == ("translated", "w")
    assert [e[0] for e in events_of(project, unit_id)] == ["marta", "bernat"]


@pytest.mark.parametrize("existing", [True, False], ids=["update", "new-row"])
def test_pretranslate_skips_a_unit_translated_while_it_ran(
    libre_project: Project, units, libre_server: LibreServer, existing: bool
) -> None:
    project = libre_project
    unit_id, uid, _ = next(u for u in units if u[2] == TITLE)
    if existing:  # a row that exists but is untranslated: filled by a guarded UPDATE
        with project.store.transaction() as session:
            session.add(Translation(unit_id=unit_id, locale="ca", text="", state="untranslated", version=1))
    done = threading.Event()

    def translate_and_meanwhile_a_human_translates(text: str, source: str, target: str) -> str:
        if not done.is_set():  # a translator stores the title while the engine works
            done.set()
            decide(project, "ca", uid, Decision.EDIT, by="marta", text="Concentrats per defensar-se")
        return fake_translate(text, source, target)

    libre_server.translate = translate_and_meanwhile_a_human_translates

    report = pretranslate_ops.pretranslate(project, "ca", slugs=[MASSING])

    # Every unit got a machine result; the one a human translated meanwhile was left alone.
    assert (report.machine, report.skipped, report.left) == (report.untranslated, 1, 0)
    row = read(project, unit_id)
    assert (row.state, row.text, row.author) == ("translated", "Concentrats per defensar-se", "marta")
    assert [e[0] for e in events_of(project, unit_id)] == ["marta"]
    others = [read(project, u) for u, _, _ in units if u != unit_id]
    assert {(r.state, r.updated_by) for r in others} == {("machine", "tester")}


def test_history_of_every_change_through_each_writer(libre_project: Project, units) -> None:
    """One event per change, whoever wrote it: pretranslate, import, review."""
    project = libre_project
    pretranslate_ops.pretranslate(project, "ca", slugs=[MASSING])
    with project.store.engine.connect() as conn:
        count = conn.execute(select(Translation.id).where(Translation.locale == "ca")).all()
        assert len(conn.execute(select(Event.id)).all()) == len(count) == len(units)
    po = next(p for p in export_ops.export(project, "ca").files if p.name == f"{MASSING}.po")
    translate_po(po, {TITLE: "Concentrats per defensar-se"})
    importer.import_files(project, [po], actor="marta")
    title_id, title_uid, _ = next(u for u in units if u[2] == TITLE)
    decide(project, "ca", title_uid, Decision.APPROVE, by="joan")
    assert events_of(project, title_id) == [
        ("tester", "untranslated", "machine", f"[ca] {TITLE}"),
        ("marta", "machine", "translated", "Concentrats per defensar-se"),
        ("joan", "translated", "reviewed", "Concentrats per defensar-se"),
    ]
    assert read(project, title_id).version == 3

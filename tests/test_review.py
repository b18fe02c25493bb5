"""Review states per locale: every transition, the four-eyes rule, history of a full cycle."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import snapshot, translate_po

from bpod_i18n.errors import TransitionError
from bpod_i18n.model import State
from bpod_i18n.states import TRANSITIONS, Action, target_state
from bpod_i18n.workflow import export as export_ops
from bpod_i18n.workflow import importer
from bpod_i18n.workflow import ingest as ingest_ops

PAGES = Path(__file__).parent / "fixtures" / "pages"
MASSING = "2016-07-22-massing-to-defend"
TITLE_CA = "Concentrats per defensar-se"


@pytest.mark.parametrize("state", list(State))
@pytest.mark.parametrize("action", list(Action))
def test_every_transition_is_allowed_or_refused_by_the_one_table(state: State, action: Action) -> None:
    if (state, action) in TRANSITIONS:
        assert target_state(state, action) == TRANSITIONS[(state, action)]
    else:
        with pytest.raises(TransitionError, match=f"cannot {action} a unit that is {state}"):
            target_state(state, action)


def test_the_table_matches_the_design() -> None:
    assert target_state(State.UNTRANSLATED, Action.PRETRANSLATE) is State.MACHINE
    assert target_state(State.MACHINE, Action.TRANSLATE) is State.TRANSLATED
    assert target_state(State.TRANSLATED, Action.APPROVE) is State.REVIEWED
    assert target_state(State.TRANSLATED, Action.REJECT) is State.NEEDS_WORK
    assert target_state(State.NEEDS_WORK, Action.TRANSLATE) is State.TRANSLATED
    assert target_state(State.REVIEWED, Action.SOURCE_CHANGED) is State.STALE
    for refused in [
        (State.UNTRANSLATED, Action.APPROVE),
        (State.MACHINE, Action.APPROVE),
        (State.REVIEWED, Action.APPROVE),
        (State.NEEDS_WORK, Action.APPROVE),
        (State.STALE, Action.APPROVE),
        (State.UNTRANSLATED, Action.SOURCE_CHANGED),
    ]:
        assert refused not in TRANSITIONS


@pytest.fixture
def translated(cli, project_dir: Path) -> str:
    """The Massing entry with its title translated by marta; returns the title's unit id."""
    assert cli("ingest", str(PAGES)).exit_code == 0
    assert cli("export", "-l", "ca", "--entry", MASSING).exit_code == 0
    po = project_dir / "locales/ca/2016" / f"{MASSING}.po"
    translate_po(po, {"Massing to Defend": TITLE_CA})
    assert cli("import", str(po), "--by", "marta").exit_code == 0
    show = json.loads(cli("show", MASSING, "--json").stdout)
    return next(u["uid"] for u in show["units_detail"] if u["field"] == "title")


def test_four_eyes_rule(cli, project, translated: str) -> None:
    before = snapshot(project)
    result = cli("review", "--locale", "ca", "--approve", translated, "--by", "marta")
    assert result.exit_code == 2
    assert "marta wrote the current text" in result.stderr and "four-eyes" in result.stderr
    assert snapshot(project) == before
    # Approving the whole entry skips what the reviewer wrote, and says so.
    result = cli("review", "--locale", "ca", "--approve", MASSING, "--by", "marta", "--json")
    assert json.loads(result.stdout)["decided"] == []
    result = cli("review", "--locale", "ca", "--approve", translated, "--by", "jordi")
    assert result.exit_code == 0, result.output


def test_four_eyes_rule_can_be_lifted_in_config(cli, project_dir: Path, translated: str) -> None:
    config = project_dir / "bpod-i18n.toml"
    config.write_text(config.read_text().replace("allow_self_review = false", "allow_self_review = true"))
    assert cli("review", "--locale", "ca", "--approve", translated, "--by", "marta").exit_code == 0


def test_a_unit_named_twice_in_one_review_is_decided_on_its_new_state(cli, translated: str) -> None:
    # Rejected by name, then approved with its entry: the entry sees it rejected (needs-work).
    result = cli("review", "-l", "ca", "--reject", translated, translated, "-m", "twice", "--by", "jordi")
    assert result.exit_code == 2 and "cannot reject a unit that is needs-work" in result.stderr
    result = cli("review", "-l", "ca", "--approve", translated, MASSING, "--by", "jordi", "--json")
    report = json.loads(result.stdout)
    assert report["decided"] == [{"unit": translated, "state": "reviewed"}]
    assert {"unit": translated, "why": "is reviewed"} in report["skipped"]
    events = json.loads(cli("history", translated, "--locale", "ca", "--json").stdout)
    assert [e["action"] for e in events] == ["translate", "approve"]


def test_reject_needs_a_comment(cli, translated: str) -> None:
    result = cli("review", "--locale", "ca", "--reject", translated, "--by", "jordi")
    assert result.exit_code == 2 and "needs a comment" in result.stderr


def test_history_of_import_review_reject_edit_approve(cli, project_dir: Path, translated: str) -> None:
    assert (
        cli(
            "review", "-l", "ca", "--reject", translated, "-m", "Massing is not 'concentrats'", "--by", "jordi"
        ).exit_code
        == 0
    )
    # Marta fixes it in the PO after the rejection and imports again.
    assert cli("export", "-l", "ca", "--entry", MASSING).exit_code == 0
    po = project_dir / "locales/ca/2016" / f"{MASSING}.po"
    translate_po(po, {"Massing to Defend": "Agrupats per defensar-se"})
    assert cli("import", str(po), "--by", "marta").exit_code == 0
    assert cli("review", "-l", "ca", "--approve", translated, "--by", "jordi", "-m", "good").exit_code == 0
    events = json.loads(cli("history", translated, "--locale", "ca", "--json").stdout)
    assert [
        (e["actor"], e["action"], e["from_state"], e["to_state"], e["old_text"], e["new_text"], e["comment"])
        for e in events
    ] == [
        ("marta", "translate", "untranslated", "translated", None, TITLE_CA, f"imported from {MASSING}.po"),
        ("jordi", "reject", "translated", "needs-work", TITLE_CA, TITLE_CA, "Massing is not 'concentrats'"),
        (
            "marta",
            "translate",
            "needs-work",
            "translated",
            TITLE_CA,
            "Agrupats per defensar-se",
            f"imported from {MASSING}.po",
        ),
        ("jordi", "approve", "translated", "reviewed", "Agrupats per defensar-se", "Agrupats per defensar-se", "good"),
    ]
    assert all(e["at"].endswith("Z") for e in events)
    # The reviewed state reaches the PO as a plain (not fuzzy) translation.
    assert cli("export", "-l", "ca", "--entry", MASSING).exit_code == 0
    assert "#, fuzzy" not in po.read_text().split('msgid "Massing to Defend"')[0].split("\n\n")[-1]


def test_interactive_review_walks_units_and_keeps_progress(cli, project_dir: Path, translated: str) -> None:
    # Two more translated units so the walk has something after the first decision.
    po = project_dir / "locales/ca/2016" / f"{MASSING}.po"
    assert cli("export", "-l", "ca", "--entry", MASSING).exit_code == 0
    texts = [line for line in po.read_text().split("\n\n") if "body.1:1" in line]
    assert texts
    result = cli("review", "-l", "ca", MASSING, "--by", "jordi", input="a\n")
    assert result.exit_code == 0, result.output
    assert "Massing to Defend" in result.stdout and TITLE_CA in result.stdout
    assert "→ reviewed" in result.stdout
    events = json.loads(cli("history", translated, "--json").stdout)
    assert events[-1]["action"] == "approve" and events[-1]["actor"] == "jordi"
    # Nothing left to review for jordi now; quitting at once is fine.
    result = cli("review", "-l", "ca", MASSING, "--by", "jordi", input="q\n")
    assert result.exit_code == 0
    assert "nothing to review" in result.stdout


def test_interactive_edit_and_reject(cli, translated: str) -> None:
    result = cli("review", "-l", "ca", MASSING, "--by", "jordi", input="e\nMassa defensiva\n")
    assert result.exit_code == 0, result.output
    events = json.loads(cli("history", translated, "--json").stdout)
    assert (events[-1]["action"], events[-1]["new_text"], events[-1]["actor"]) == (
        "translate",
        "Massa defensiva",
        "jordi",
    )
    # jordi now wrote it: his own approval is refused, the walk goes on and says why.
    result = cli("review", "-l", "ca", MASSING, "--by", "jordi", input="a\n")
    assert "not stored" in result.stderr and "four-eyes" in result.stderr
    result = cli("review", "-l", "ca", MASSING, "--by", "marta", input="r\nToo literal\n")
    assert "→ needs-work" in result.stdout


def test_interactive_review_ends_with_its_input(cli, translated: str) -> None:
    # Ctrl-D, or a script whose input runs out: the decisions made so far are kept, exit 0.
    result = cli("review", "-l", "ca", MASSING, "--by", "jordi", input="")
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith("[a/r/e/s/q] (s): \nInput ended; 0 decisions stored.\n")


def test_history_of_unknown_target(cli, translated: str) -> None:
    result = cli("history", "nope")
    assert result.exit_code == 2 and "no entry or unit 'nope'" in result.stderr


def test_retired_and_stale_units_keep_history(project, tmp_path: Path) -> None:
    ingest_ops.ingest(project, [PAGES])
    path = next(p for p in export_ops.export(project, "ca").files if p.name == f"{MASSING}.po")
    first = "On the front line of the immune system’s battle with pathogens, T cells raise the alarm and stimulate the body’s response to danger."
    translate_po(path, {first: "A la primera línia, els limfòcits T donen l’alarma."})
    importer.import_files(project, [path])
    edited = tmp_path / f"{MASSING}.txt"
    edited.write_text((PAGES / f"{MASSING}.txt").read_text().replace("raise the alarm", "sound the alarm"))
    ingest_ops.ingest(project, [edited])
    from bpod_i18n.workflow.review import history

    events = history(project, MASSING, locale="ca")
    assert [(e.action, e.from_state, e.to_state) for e in events] == [
        ("translate", "untranslated", "translated"),
        ("source-changed", "translated", "stale"),
    ]
    assert events[1].comment == f"English changed from: {first}"


def test_status_filters_and_bars(cli, translated: str) -> None:
    everything = json.loads(cli("status", "--json").stdout)
    assert len(everything["entries"]) == 4  # three entries and the site catalog
    by_marta = json.loads(cli("status", "--by", "marta", "--json").stdout)
    assert [e["slug"] for e in by_marta["entries"]] == [MASSING]
    assert json.loads(cli("status", "--by", "nobody", "--json").stdout)["entries"] == []
    assert json.loads(cli("status", "--since", "2999-01-01", "--json").stdout)["entries"] == []
    assert [e["slug"] for e in json.loads(cli("status", "--since", "2000-01-01", "--json").stdout)["entries"]] == [
        MASSING
    ]
    assert [e["slug"] for e in json.loads(cli("status", "--state", "translated", "--json").stdout)["entries"]] == [
        MASSING
    ]
    # Locale totals always cover the whole archive.
    assert by_marta["locales"] == everything["locales"]
    assert everything["locales"]["ca"]["translated"] == 1
    result = cli("status", "--locale", "ca")
    assert result.exit_code == 0
    assert "█" in result.stdout and "1/6" in result.stdout
    assert cli("status", "--state", "bogus").exit_code == 2


def test_interactive_review_shows_qa_warnings(cli, project_dir: Path) -> None:
    assert cli("ingest", str(PAGES)).exit_code == 0
    assert cli("export", "-l", "ca", "--entry", MASSING).exit_code == 0
    po = project_dir / "locales/ca/2016" / f"{MASSING}.po"
    sentence = "They become activated when protein receptors on their surfaces detect an outsider, triggering a suite of cellular processes to eventually destroy the pathogen and promote its detection around the body."
    translate_po(po, {sentence: "S’activen quan 3 receptors  detecten un intrús"})  # a number, two spaces, no stop
    assert cli("import", str(po), "--by", "marta").exit_code == 0
    result = cli("review", "-l", "ca", MASSING, "--by", "jordi", input="s\n")
    assert result.exit_code == 0, result.output
    assert "QA" in result.stdout
    assert "numbers:" in result.stdout and "end-punctuation:" in result.stdout and "double-space:" in result.stdout

"""A small team through three rounds of export, translation, import and review: two translators
(marta and pere, each in their own checkout of one shared database), a reviewer (jordi) and a
coordinator (nuria, an editor). Every text a translator typed must end up stored, kept as a
suggestion, or in a backup, and the project's records must say which."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from helpers import translate_po
from sqlalchemy import select
from typer.testing import CliRunner

from bpod_i18n.cli import app
from bpod_i18n.store.models import Event, Suggestion
from bpod_i18n.workflow.init import init_project
from bpod_i18n.workflow.project import open_project

PAGES = Path(__file__).parent / "fixtures" / "pages"
MASSING = "2016-07-22-massing-to-defend"
KILLERS = "2016-04-30-trained-killers"
TITLE = "Massing to Defend"
FIRST = (
    "On the front line of the immune system’s battle with pathogens, T cells raise the alarm and stimulate "
    "the body’s response to danger."
)
SECOND = (
    "They become activated when protein receptors on their surfaces detect an outsider, triggering a suite of "
    "cellular processes to eventually destroy the pathogen and promote its detection around the body."
)
THIRD = (
    "T-cell receptors are organised into minute nano-clusters, or protein islands, which, in cultured cells in "
    "the laboratory, are known to merge into larger micro-clusters when the cell becomes activated."
)
HEADERS = {"marta": "Marta Puig <marta@uv.es>", "pere": "Pere Vidal <pere@uv.es>"}


@dataclass
class Team:
    runner: CliRunner
    checkouts: dict[str, Path]
    typed: list[tuple[str, str, str]] = field(default_factory=list)  # (who, English, text)

    def run(self, who: str, *args: str, checkout: str | None = None, input: str | None = None, code: int = 0) -> Any:
        folder = self.checkouts[checkout or who]
        result = self.runner.invoke(
            app, ["-C", str(folder), *args], input=input, env={"BPOD_I18N_USER": who}, catch_exceptions=False
        )
        assert result.exit_code == code, f"{who} {args}: {result.output}"
        return result

    def po(self, who: str, slug: str) -> Path:
        year = slug[:4]
        return self.checkouts[who] / "locales/ca" / year / f"{slug}.po"

    def work(self, who: str, slug: str, texts: dict[str, str]) -> Path:
        """``who`` types ``texts`` into their PO file of ``slug`` (in their PO editor)."""
        path = self.po(who, slug)
        translate_po(path, texts, translator=HEADERS[who])
        self.typed += [(who, english, text) for english, text in texts.items()]
        return path


def english_of(items: list[dict], english: str) -> dict:
    return next(item for item in items if item["source"] == english)


def test_two_translators_and_a_reviewer_lose_nothing_in_three_rounds(project_dir: Path, db_url: str) -> None:
    pere_dir = project_dir.parent / "pere"
    init_project(pere_dir, locales=["ca", "es"])  # his clone, on the team's database
    team = Team(CliRunner(), {"marta": project_dir, "pere": pere_dir, "jordi": project_dir, "nuria": project_dir})
    team.run("nuria", "ingest", str(PAGES))
    for handle, name, role in [
        ("marta", "Marta Puig", "translator"),
        ("pere", "Pere Vidal", "translator"),
        ("jordi", "Jordi Mas", "reviewer"),
        ("nuria", "Núria Soler", "editor"),
    ]:
        team.run("nuria", "people", "add", handle, "--name", name, "--email", f"{handle}@uv.es", "-l", "ca", "-r", role)

    # ---- round 1: both export; marta translates Massing, pere Killers and one Massing sentence.
    team.run("marta", "export", "-l", "ca")
    team.run("pere", "export", "-l", "ca")
    team.work(
        "marta", MASSING, {TITLE: "Concentrats per defensar-se", FIRST: "A la primera línia, els nanoagregats T."}
    )
    team.run("marta", "import", str(team.po("marta", MASSING)))
    killers = json.loads(team.run("pere", "review", "-l", "ca", "--list", KILLERS, "--json").stdout)
    team.work("pere", KILLERS, {killers[0]["source"]: "Assassins entrenats"})
    team.work("pere", MASSING, {SECOND: "S’activen quan els receptors detecten un intrús."})
    team.run("pere", "import", str(team.po("pere", KILLERS)), str(team.po("pere", MASSING)))
    # jordi looks, then approves what he saw and rejects with his reason.
    seen = json.loads(team.run("jordi", "review", "-l", "ca", "--list", MASSING, "--json").stdout)
    team.run("jordi", "review", "-l", "ca", "--approve", english_of(seen, TITLE)["target"])
    team.run(
        "jordi", "review", "-l", "ca", "--reject", english_of(seen, FIRST)["unit"], "-m", "nanoagregats is not TERMCAT"
    )
    team.run("jordi", "review", "-l", "ca", "--approve", KILLERS)

    # ---- round 2: marta gets the reason in her file and fixes it; pere, in his old file, also
    # changes the title jordi approved: a conflict, his text kept beside it.
    team.run("marta", "export", "-l", "ca")
    massing = team.po("marta", MASSING).read_text(encoding="utf-8")
    assert "# reviewer jordi " in massing and "nanoagregats is not TERMCAT" in massing
    team.work("marta", MASSING, {FIRST: "A la primera línia, els limfòcits T donen l’alarma."})
    team.run("marta", "import", str(team.po("marta", MASSING)))
    team.work("pere", MASSING, {TITLE: "Agrupats per defensar-se"})
    result = team.run("pere", "import", str(team.po("pere", MASSING)), code=1)
    assert "kept as a suggestion" in result.stderr
    # marta starts on the third sentence but does not import; nuria exports over it with --force.
    team.work("marta", MASSING, {THIRD: "Text a mig fer de la Marta."})
    team.run("nuria", "glossary", "add", "T cell", "limfòcit T", "-l", "ca")
    blocked = team.run("nuria", "export", "-l", "ca", code=1)
    assert str(team.po("marta", MASSING)) in blocked.stderr
    forced = json.loads(team.run("nuria", "export", "-l", "ca", "--force", "--json").stdout)
    backups = {item["file"]: Path(item["backup"]) for item in forced["backups"]}
    assert list(backups) == [str(team.po("marta", MASSING))]

    # ---- round 3: jordi reviews interactively: takes pere's suggestion for the title (then
    # it is pere's text, which jordi may approve), approves marta's fix; both export again.
    result = team.run("jordi", "review", "-l", "ca", MASSING, input="u\n")
    assert "Agrupats per defensar-se" in result.stdout and "→ translated" in result.stdout
    seen = json.loads(team.run("jordi", "review", "-l", "ca", "--list", MASSING, "--json").stdout)
    team.run(
        "jordi", "review", "-l", "ca", "--approve", english_of(seen, TITLE)["target"], english_of(seen, FIRST)["target"]
    )
    team.run("marta", "export", "-l", "ca")
    team.run("pere", "import", str(team.po("pere", MASSING)))  # his file holds nothing new now
    team.run("pere", "export", "-l", "ca")

    # ---- nothing typed was lost, and the records say where each text went.
    project = open_project(project_dir)
    try:
        with project.store.transaction(write=False) as session:
            stored = {text for text in session.scalars(select(Event.new_text)) if text}
            suggested = dict(session.execute(select(Suggestion.text, Suggestion.status)).all())
            suggest_events = [c for c in session.scalars(select(Event.comment).where(Event.action == "suggest")) if c]
    finally:
        project.close()
    backed_up = "".join(path.read_text(encoding="utf-8") for path in backups.values())
    where = {}
    for who, english, text in team.typed:
        if text in stored:
            where[text] = "stored"
        elif text in suggested:
            assert any(text in comment for comment in suggest_events)  # history says so
            where[text] = f"suggestion ({suggested[text]})"
        elif text in backed_up:
            where[text] = "backup"
        else:
            raise AssertionError(f"{who}'s text for {english!r} was lost: {text!r}")
    assert where == {
        "Concentrats per defensar-se": "stored",
        "A la primera línia, els nanoagregats T.": "stored",
        "Assassins entrenats": "stored",
        "S’activen quan els receptors detecten un intrús.": "stored",
        "A la primera línia, els limfòcits T donen l’alarma.": "stored",
        "Agrupats per defensar-se": "stored",  # taken from the suggestion by jordi
        "Text a mig fer de la Marta.": "backup",
    }
    assert suggested == {"Agrupats per defensar-se": "taken"}
    history = json.loads(team.run("jordi", "history", english_of(seen, TITLE)["unit"], "--json").stdout)
    assert [(e["actor"], e["action"]) for e in history] == [
        ("marta", "translate"),
        ("jordi", "approve"),
        ("pere", "suggest"),
        ("jordi", "translate"),
        ("jordi", "approve"),
    ]

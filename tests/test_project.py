"""init, show, unit identity and the golden round trip of the foundation."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import snapshot, tree_digest
from sqlalchemy import select

from bpod_i18n.model import field_sort_key
from bpod_i18n.sources import read_entry
from bpod_i18n.store.models import Entry, Unit
from bpod_i18n.workflow import ingest as ingest_ops
from bpod_i18n.workflow.init import init_project

PAGES = Path(__file__).parent / "fixtures" / "pages"
ALS = "2021-06-19-reassessing-als"


def test_init_twice_changes_nothing(project_dir: Path, project) -> None:
    files, rows = tree_digest(project_dir), snapshot(project)
    result = init_project(project_dir)
    assert result.created == []
    assert tree_digest(project_dir) == files
    assert snapshot(project) == rows
    config = (project_dir / "bpod-i18n.toml").read_text()
    assert 'locales = ["ca", "es"]' in config and "[review]" in config


def test_show_json_gives_every_field_and_the_units(cli) -> None:
    assert cli("ingest", str(PAGES)).exit_code == 0
    shown = json.loads(cli("show", ALS, "--json").stdout)
    assert shown["title"] == "Reassessing ALS"
    assert shown["date"] == "2021-06-19"
    assert shown["label"] is None
    assert shown["standfirst"] == (
        "Loss of connections between interneurons – the cells that control motor neurons –\u00a0plays a role "
        "in development of motor neuron disease (ALS)"
    )
    assert shown["author"] == "Ruth Williams"
    assert len(shown["paragraphs"]) == 1 and shown["paragraphs"][0].startswith("Amyotrophic lateral sclerosis")
    assert shown["notices"] == [] and shown["credits"] == []
    assert [(u["field"], u["position"]) for u in shown["units_detail"]] == [
        ("title", 1),
        ("standfirst", 1),
        *[("body.1", n) for n in range(1, 8)],
    ]
    assert all(u["translations"] == {} for u in shown["units_detail"])


def test_unit_ids_survive_an_edit_elsewhere_in_the_entry(project, tmp_path: Path) -> None:
    ingest_ops.ingest(project, [PAGES / f"{ALS}.txt"])
    before = _units(project, ALS)
    edited = tmp_path / f"{ALS}.txt"
    edited.write_text(
        (PAGES / f"{ALS}.txt")
        .read_text(encoding="utf-8")
        .replace(
            "This devastating disease can strike apparently healthy adults and send them to their death in just a few years. ",
            "This devastating disease can strike apparently healthy adults. A new sentence appears here. ",
        )
    )
    ingest_ops.ingest(project, [edited])
    after = _units(project, ALS)
    kept = {uid: text for uid, (text, active) in before.items() if after[uid] == (text, True)}
    assert len(kept) == len(before) - 1  # every sentence but the edited one, same id, same text
    edited_uid = next(uid for uid in before if uid not in kept)
    assert after[edited_uid] == ("This devastating disease can strike apparently healthy adults.", True)
    assert [t for t, active in after.values() if active and t == "A new sentence appears here."]


def test_golden_round_trip_units_give_back_the_english_entry(project) -> None:
    ingest_ops.ingest(project, [PAGES])
    for page in sorted(PAGES.glob("*.txt")):
        source = read_entry(page)
        with project.store.transaction(write=False) as session:
            entry = session.scalar(select(Entry).where(Entry.slug == source.slug))
            units = sorted((u for u in entry.units if u.active), key=lambda u: (field_sort_key(u.field), u.position))
            rebuilt: dict[str, str] = {}
            for unit in units:
                rebuilt[unit.field] = rebuilt.get(unit.field, "") + unit.source + unit.trailing_text
        assert rebuilt == dict(source.fields())


def _units(project, slug: str) -> dict[str, tuple[str, bool]]:
    with project.store.transaction(write=False) as session:
        entry_id = session.scalar(select(Entry.id).where(Entry.slug == slug))
        return {u.uid: (u.source, u.active) for u in session.scalars(select(Unit).where(Unit.entry_id == entry_id))}


def test_the_shipped_catalan_site_catalog_imports_into_a_new_project(cli) -> None:
    """locales/ca/site.po travels with the code: a change to the site strings must update it."""
    shipped = Path(__file__).resolve().parent.parent / "locales" / "ca" / "site.po"
    result = cli("import", str(shipped), "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["translated"], report["needs_work"], report["conflicts"]) == (27, 0, [])
    gate = json.loads(cli("check", str(shipped), "--format", "json").stdout)
    assert gate["passed"] is True and gate["totals"]["errors"] == 0

"""`mirror import`: the mirror's published Catalan brought in from WXR, REST and saved pages,
paired, aligned link by link, stored with origin mirror; the review queue; bad input."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from helpers import snapshot
from mirror_server import WordPressServer
from mt_fixtures import require_apertium
from sqlalchemy import select

from bpod_i18n.bitext.align import Link, Sentence, align
from bpod_i18n.bitext.dates import parse_local_date
from bpod_i18n.bitext.pages import read_page
from bpod_i18n.bitext.rest import post_entry
from bpod_i18n.bitext.wxr import read_wxr
from bpod_i18n.config import MirrorSettings
from bpod_i18n.mt import ProviderSettings, make_provider
from bpod_i18n.segment import segment_fields
from bpod_i18n.sources import read_entry
from bpod_i18n.store.models import Event, MirrorPair, TMEntry, Translation, Unit
from bpod_i18n.workflow.project import Project

MIRROR = Path(__file__).parent / "fixtures" / "mirror"
ENGLISH = MIRROR / "english"
WXR = MIRROR / "mirror-export.xml"
PAGES = MIRROR / "pages"
POSTS = json.loads((MIRROR / "rest" / "posts.json").read_text(encoding="utf-8"))
CATALAN = json.loads((MIRROR / "catalan.json").read_text(encoding="utf-8"))

# The truth, link by link: English units (field:sentence) > Catalan sentences (index in the
# entry's reading order: 0 is the title). Written from the translations in catalan.json.
TRUTH = {
    "2016-04-30-trained-killers": [
        "title:1>0",
        "body.1:1>1",
        "body.1:2>2,3",  # split in two
        "body.1:3>4",
        "body.1:4>5",
        "body.1:5+body.1:6>6",  # merged into one
        "notice.1:1>",  # the competition notice left out
    ],
    "2016-07-22-massing-to-defend": ["title:1>0", *(f"body.1:{i}>{i}" for i in range(1, 6))],
    "2017-03-14-gut-feelings": [
        "title:1>0",
        *(f"body.1:{i}>{i}" for i in range(1, 5)),
        "body.2:1+body.2:2>5",
        "body.2:3>6",
        "credit.1:1>7",
        "credit.2:1>8",
        "credit.3:1>9",
    ],
    "2017-03-14-wired-for-sound": [
        "title:1>0",
        "body.1:1>1",
        "body.1:2>2",
        "body.1:3>3,4",
        "body.1:4>5",
        "body.1:5>6",
        "notice.1:1>7",
        "credit.1:1>8",
    ],
    "2018-10-12-fins-and-limbs": [
        "title:1>0",
        *(f"body.1:{i}>{i}" for i in range(1, 6)),
        ">6",  # a sentence the translator added
        "notice.1:1>7",
        "credit.1:1>8",
        "credit.2:1>9",
    ],
    "2019-05-02-hidden-depths": [
        "title:1>0",
        "body.1:1>1",
        "body.1:2+body.1:3>2",
        "body.1:4>3",
        "body.1:5>4",
        "notice.1:1>",
        "credit.1:1>5",
    ],
    "2021-06-19-reassessing-als": ["title:1>0", "standfirst:1>1", *(f"body.1:{i}>{i + 1}" for i in range(1, 8))],
}


def _catalan_entries() -> dict[str, object]:
    by_slug = {entry.slug: entry for entry in read_wxr(WXR, "ca")}
    by_slug.update({p["slug"]: post_entry(p, "ca", "https://www.bpod.cat") for p in POSTS})
    return {slug: by_slug[CATALAN[slug]["slug"]] for slug in TRUTH}


# ---------------------------------------------------------------- readers (no engine needed)


def test_catalan_dates_are_read_through_babel() -> None:
    assert parse_local_date("30 d'abril de 2016", "ca") == dt.date(2016, 4, 30)
    assert parse_local_date("12 d’octubre de 2018", "ca") == dt.date(2018, 10, 12)
    assert parse_local_date("dilluns, 1 de març del 2021", "ca") == dt.date(2021, 3, 1)
    assert parse_local_date("30 de abril de 2016", "es") == dt.date(2016, 4, 30)
    assert parse_local_date("Assassins entrenats", "ca") is None
    with pytest.raises(ValueError):
        parse_local_date("31 de febrer de 2016", "ca")


def test_wxr_posts_with_author_credits_notices_and_skipped_items() -> None:
    skipped: list = []
    entries = {e.slug: e for e in read_wxr(WXR, "ca", skipped)}
    assert sorted(entries) == sorted(
        [CATALAN[s]["slug"] for s in list(TRUTH)[:2] + list(TRUTH)[2:5]] + ["nou-disseny-del-web"]
    )
    gut = entries["sensacions-intestinals"]
    assert (gut.date, gut.author, gut.source) == (
        dt.date(2017, 3, 14),
        "Anna Lee",
        "https://www.bpod.cat/fotos/sensacions-intestinals/",
    )
    assert gut.credits == tuple(CATALAN["2017-03-14-gut-feelings"]["credits"])
    assert gut.paragraphs == tuple(" ".join(p) for p in CATALAN["2017-03-14-gut-feelings"]["paragraphs"])
    sound = entries["connectats-per-al-so"]
    assert (sound.notices, sound.credits) == (("Avui és el Dia Mundial de l’Audició",), ("Imatge de Tom Baker",))
    assert [s.reason for s in skipped] == ["a publish page, not a published post", "a draft post, not a published post"]


def test_saved_html_page_and_page_text() -> None:
    html = read_page(PAGES / "reavaluant-lela.html", "ca")
    als = CATALAN["2021-06-19-reassessing-als"]
    assert (html.source, html.date, html.title, html.author) == (
        "https://www.bpod.cat/fotos/reavaluant-lela/",
        dt.date(2021, 6, 19),
        "Reavaluant l’ELA",
        "Ruth Williams",
    )
    assert html.standfirst == als["standfirst"]
    assert html.paragraphs == (" ".join(als["paragraphs"][0]),)
    text = read_page(PAGES / "profunditats-amagades.txt", "ca")
    depths = CATALAN["2019-05-02-hidden-depths"]
    assert (text.date, text.title, text.author, text.credits) == (
        dt.date(2019, 5, 2),
        "Profunditats amagades",
        "Lucy Grant",
        tuple(depths["credits"]),
    )
    assert text.paragraphs == (" ".join(depths["paragraphs"][0]),)  # the footer is not body


def test_rest_post_auto_excerpt_is_no_standfirst() -> None:
    killers = post_entry(POSTS[0], "ca", "https://www.bpod.cat")
    assert (killers.title, killers.standfirst, killers.author) == ("Assassins entrenats", None, "Kat Arney")
    als = post_entry(POSTS[2], "ca", "https://www.bpod.cat")
    assert als.standfirst == CATALAN["2021-06-19-reassessing-als"]["standfirst"]


# ---------------------------------------------------------------- alignment, link by link


def _links_as_text(slug: str, mode: str = "eng-cat") -> tuple[list[str], list[tuple[str, float]]]:
    english = read_entry(ENGLISH / f"{slug}.txt")
    catalan = _catalan_entries()[slug]
    units = segment_fields(english.fields())
    targets = segment_fields(catalan.fields())  # type: ignore[attr-defined]  # a LocalizedEntry
    provider = make_provider("apertium", ProviderSettings(modes={"ca": mode}))
    machine = provider.translate_batch([u.text for u in units], "en", "ca")
    links = align([Sentence(u.field, u.text) for u in units], machine, [Sentence(t.field, t.text) for t in targets])
    shown = [
        "+".join(f"{units[i].field}:{units[i].index}" for i in link.source)
        + ">"
        + ",".join(str(j) for j in link.target)
        for link in links
    ]
    return shown, [(text, link.confidence) for text, link in zip(shown, links, strict=True) if link.kind == "1-1"]


@pytest.mark.apertium
@pytest.mark.parametrize("slug", sorted(TRUTH))
def test_alignment_link_by_link(slug: str) -> None:
    require_apertium("eng-cat")
    shown, _ = _links_as_text(slug)
    assert shown == TRUTH[slug]


@pytest.mark.apertium
@pytest.mark.parametrize("mode", ["eng-cat", "eng-cat_valencia"])
def test_quality_targets_on_the_test_pairs(mode: str) -> None:
    """At least 95 % of 1-1 links right, and no wrong link confident enough to be stored."""
    require_apertium(mode)
    threshold = MirrorSettings().min_confidence
    right = total = confident_wrong = 0
    for slug, truth in TRUTH.items():
        _, one_to_one = _links_as_text(slug, mode)
        for text, confidence in one_to_one:
            total += 1
            right += text in truth
            confident_wrong += text not in truth and confidence >= threshold
    assert right / total >= 0.95
    assert confident_wrong == 0


def test_a_fragment_left_unlinked_marks_the_links_beside_it_in_its_field() -> None:
    """Machine translations written by hand: no engine needed. A fragment (at most three words)
    left out on either side marks the links right before and after it in the same field;
    a link in another field, and a long sentence left out, mark nothing."""
    english = [
        Sentence("title", "Gut Invaders"),
        Sentence("body.1", "Zebrafish embryos are transparent."),
        Sentence("body.1", "Look here."),
        Sentence("body.1", "Gut bacteria attack neurons in the embryo."),
        Sentence("credit.1", "Image by Ana Silva"),
    ]
    machine = [
        "Invasors de budell",
        "Els embrions de peix zebra són transparents.",
        "Mira aquí.",
        "Bacteris de budell ataquen neurones dins l'embrió.",
        "Imatge per Ana Silva",
    ]
    target = [
        Sentence("title", "Invasors intestinals"),
        Sentence("body.1", "Els embrions del peix zebra són transparents."),
        Sentence("body.1", "Els bacteris del budell ataquen les neurones de l'embrió."),
        Sentence("body.1", "Nota de la traducció: aquesta imatge es pot veure al museu."),
        Sentence("credit.1", "Imatge d'Ana Silva"),
    ]
    links = align(english, machine, target)
    assert [(link.kind, link.loose_source, link.loose_target) for link in links] == [
        ("1-1", (), ()),
        ("1-1", (2,), ()),
        ("1-0", (), ()),
        ("1-1", (2,), ()),  # "Look here." may be folded into it
        ("0-1", (), ()),  # a whole sentence added: no fragment
        ("1-1", (), ()),
    ]
    # The same with the fragment on the mirror's side, first in its paragraph.
    links = align(english[3:], machine[3:], [Sentence("body.1", "Ací."), *target[2:3], target[4]])
    assert [(link.kind, link.loose_target) for link in links] == [("0-1", ()), ("1-1", (0,)), ("1-1", ())]
    # A fragment followed by a sentence that starts with a digit starts that sentence (the
    # segmenter cut after "Fig."): the link before it keeps its certainty.
    links = align(
        [english[1], Sentence("body.1", "As Fig. 35 of the study shows, gut bacteria rarely attack neurons.")],
        [machine[1], "Segons la figura 35 de l'estudi, els bacteris de budell rarament ataquen neurones."],
        [
            target[1],
            Sentence("body.1", "Com Fig."),
            Sentence("body.1", "35 de l'estudi mostra, els bacteris del budell rarament ataquen neurones."),
        ],
    )
    assert [(link.kind, link.loose_target) for link in links] == [("1-1", ()), ("0-1", ()), ("1-1", (1,))]


def test_links_whose_boundary_the_mirror_placed_elsewhere_are_suggestions() -> None:
    """A translator joined two sentences and the segmenter cut the Catalan elsewhere ("… i
    com la fig." | "3 de l'estudi mostra, …"): each 1-1 link matches well, but the first text
    holds the start of the second sentence. Both links are marked, and are suggestions."""
    from bpod_i18n.states import Action
    from bpod_i18n.workflow.mirror import _Unit, _writes_for

    english = [
        Sentence("body.1", "Zebrafish embryos are transparent to light."),
        Sentence("body.1", "As Fig. 3 of the study shows, gut bacteria rarely attack neurons in healthy tissue."),
        Sentence("body.1", "The team hopes to find out why."),
    ]
    machine = [
        "Els embrions de peix zebra són transparents a la llum.",
        "Com la fig. 3 de l'estudi mostra, els bacteris de budell rarament ataquen neurones en teixit sa.",
        "L'equip espera descobrir per què.",
    ]
    target = [
        Sentence("body.1", "Els embrions de peix zebra són transparents a la llum, i com la fig."),
        Sentence(
            "body.1", "3 de l'estudi mostra, els bacteris del budell rarament ataquen les neurones del teixit sa."
        ),
        Sentence("body.1", "L'equip espera descobrir per què."),
    ]
    links = align(english, machine, target)
    assert [(link.kind, link.boundary) for link in links] == [("1-1", (1,)), ("1-1", (0,)), ("1-1", ())]
    assert links[0].confidence >= 0.75  # confident by its score alone

    units = [_Unit(n, f"u{n}", "body.1", n, s.text) for n, s in enumerate(english)]
    [write] = _writes_for(links[0], units, target[0].text, "post 7", Action.MIRROR, 0.75, boundary=["u1"])
    assert write.action is Action.MIRROR_SUGGEST
    assert "sentence boundary with u1 is not the English one" in write.note
    [write] = _writes_for(links[2], units, target[2].text, "post 7", Action.MIRROR, 0.75)
    assert write.action is Action.MIRROR


# ---------------------------------------------------------------- import: what is stored


def _rows(project: Project, slug_prefix: str = "") -> dict[str, tuple]:
    with project.store.transaction(write=False) as session:
        return {
            f"{field}:{position}": (state, origin, text, note)
            for field, position, state, origin, text, note in session.execute(
                select(
                    Unit.field, Unit.position, Translation.state, Translation.origin, Translation.text, Translation.note
                )
                .join(Translation, Translation.unit_id == Unit.id)
                .join(Unit.entry)
                .where(Translation.locale == "ca", Unit.entry.has(slug=slug_prefix))
            )
        }


@pytest.mark.apertium
def test_import_stores_confident_links_suggestions_and_memory(cli, project: Project) -> None:
    require_apertium("eng-cat")
    assert cli("ingest", str(ENGLISH)).exit_code == 0

    result = cli("mirror", "import", "--locale", "ca", str(WXR), str(PAGES), "--json")

    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    by_source = {e["source"]: e for e in report["entries"]}
    assert len(report["entries"]) == 8
    unpaired = by_source["https://www.bpod.cat/fotos/nou-disseny-del-web/"]
    assert (unpaired["paired"], unpaired["slug"]) == (False, None)
    assert "no English entry dated 2019-01-01" in unpaired["reason"]
    # Two entries on one day, and a post dated a day late, each paired with the right entry.
    assert by_source["https://www.bpod.cat/fotos/sensacions-intestinals/"]["slug"] == "2017-03-14-gut-feelings"
    assert by_source["https://www.bpod.cat/fotos/connectats-per-al-so/"]["slug"] == "2017-03-14-wired-for-sound"
    assert by_source["https://www.bpod.cat/fotos/aletes-i-extremitats/"]["slug"] == "2018-10-12-fins-and-limbs"
    killers = by_source["https://www.bpod.cat/fotos/assassins-entrenats/"]
    assert killers["links"] == {"1-1": 4, "1-2": 1, "2-1": 1, "1-0": 1}
    assert report["totals"]["paired"] == 7

    rows = _rows(project, "2016-04-30-trained-killers")
    ca = CATALAN["2016-04-30-trained-killers"]["paragraphs"][0]
    url = "https://www.bpod.cat/fotos/assassins-entrenats/"
    # A confident 1-1 link: the unit's translation, origin mirror, state translated.
    assert rows["body.1:1"][:3] == ("translated", "mirror", ca[0])
    assert rows["body.1:1"][3].startswith(f"mirror: {url} (1-1, confidence")
    # A split: the unit gets both sentences as a suggestion, never as its translation.
    assert rows["body.1:2"][:3] == ("machine", "mirror", f"{ca[1]} {ca[2]}")
    # A merge: both units get the joined sentence as a suggestion, with a mirror: note.
    for key in ("body.1:5", "body.1:6"):
        state, origin, text, note = rows[key]
        assert (state, origin, text) == ("machine", "mirror", ca[5])
        assert note.startswith(f"mirror: {url} translated this sentence together with")
    # The notice the mirror left out stays untranslated.
    assert "notice.1:1" not in rows

    with project.store.transaction(write=False) as session:
        event = session.scalars(
            select(Event)
            .join(Translation, Event.translation_id == Translation.id)
            .where(Translation.text == ca[0], Translation.locale == "ca")
        ).one()
        assert (event.action, event.from_state, event.to_state, event.actor) == (
            "mirror",
            "untranslated",
            "translated",
            "tester",
        )
        assert url in (event.comment or "")
        memory = session.scalars(select(TMEntry).where(TMEntry.target_text == ca[5])).one()
        assert (memory.origin, memory.link, memory.source, memory.entry_slug) == (
            "mirror",
            "2-1",
            url,
            "2016-04-30-trained-killers",
        )
        assert memory.source_text.startswith("At the moment this kind of treatment") and 0 < memory.confidence <= 1
        assert session.query(TMEntry).count() == report["totals"]["tm_added"] == 53
        assert session.query(MirrorPair).count() == 7

    # Idempotent: a second run changes nothing at all.
    before = snapshot(project)
    again = json.loads(cli("mirror", "import", "--locale", "ca", str(WXR), str(PAGES), "--json").stdout)
    assert snapshot(project) == before
    assert (again["totals"]["filled"], again["totals"]["suggested"], again["totals"]["tm_added"]) == (0, 0, 0)


@pytest.mark.apertium
def test_a_translation_made_in_the_project_is_never_overwritten(cli, project: Project) -> None:
    require_apertium("eng-cat")
    assert cli("ingest", str(ENGLISH / "2016-07-22-massing-to-defend.txt")).exit_code == 0
    assert cli("mirror", "import", "-l", "ca", str(WXR)).exit_code == 0
    with project.store.transaction(write=False) as session:
        uid = session.scalars(select(Unit.uid).where(Unit.field == "body.1", Unit.position == 1)).one()
    # A reviewer edits the mirror's text in the project.
    edited = "En primera línia de la batalla contra els patògens, els limfòcits T donen l’alarma."
    assert cli("review", "--locale", "ca", "--by", "marta", "--reject", uid, "--comment", "massa llarg").exit_code == 0
    with project.store.transaction() as session:
        from bpod_i18n import states
        from bpod_i18n.model import State
        from bpod_i18n.store.changes import PlannedChange, apply_changes

        row = session.scalars(select(Translation).join(Unit).where(Unit.uid == uid)).one()
        change = states.plan(
            State(row.state),
            states.Action.TRANSLATE,
            old_text=row.text,
            old_previous_source=None,
            actor="marta",
            text=edited,
        )
        apply_changes(session, [PlannedChange(row.unit_id, "ca", change, row.id, row.version)])

    result = cli("mirror", "import", "-l", "ca", str(WXR), "--json")

    assert result.exit_code == 0
    entry = next(e for e in json.loads(result.stdout)["entries"] if e["slug"] == "2016-07-22-massing-to-defend")
    assert entry["kept"] == [uid]
    assert _rows(project, "2016-07-22-massing-to-defend")["body.1:1"][:3] == ("translated", "human", edited)
    text = cli("mirror", "import", "-l", "ca", str(WXR)).stdout
    assert f"1 kept (translated in the project since: {uid})" in text


@pytest.mark.apertium
def test_rest_api_paged_and_the_review_queue(cli, project: Project) -> None:
    require_apertium("eng-cat")
    assert cli("ingest", str(ENGLISH)).exit_code == 0
    with WordPressServer(POSTS, max_per_page=2) as site:
        result = cli("mirror", "import", "-l", "ca", "--from-site", site.url, "--json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert sorted(e["slug"] for e in report["entries"]) == [
        "2016-04-30-trained-killers",
        "2019-05-02-hidden-depths",
        "2021-06-19-reassessing-als",
    ]
    assert [r for r in site.requests if "page=2" in r]  # the second page was fetched
    queue = json.loads(cli("mirror", "queue", "-l", "ca", "--below", "0.95", "--json").stdout)
    confidences = [item["mean_confidence"] for item in queue]
    assert confidences == sorted(confidences) and queue[0]["slug"] == "2016-04-30-trained-killers"
    assert all(c < 0.95 for c in confidences)


# ---------------------------------------------------------------- bad input: one line, nothing stored


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([str(MIRROR / "bad" / "broken-export.xml")], "broken-export.xml:"),
        ([str(MIRROR / "bad" / "sense-data.txt")], "sense-data.txt: no date found"),
        ([str(WXR), str(MIRROR / "bad" / "sense-data.txt")], "sense-data.txt: no date found"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_stored(cli, project: Project, args: list[str], message: str) -> None:
    assert cli("ingest", str(ENGLISH)).exit_code == 0
    before = snapshot(project)
    result = cli("mirror", "import", "-l", "ca", *args)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr
    assert snapshot(project) == before


def test_a_site_without_the_rest_api_is_refused(cli, project: Project) -> None:
    before = snapshot(project)
    with WordPressServer(None) as site:
        result = cli("mirror", "import", "-l", "ca", "--from-site", site.url)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "no WordPress REST API there (HTTP 404" in lines[0]
    assert snapshot(project) == before


def test_the_units_inline_markup_is_put_back_on_the_mirrors_text() -> None:
    """The mirror's text is read without its tags; a confident link gets the unit's tags back
    around the same words, and a tag that cannot be placed makes the text a suggestion."""
    from bpod_i18n.states import Action
    from bpod_i18n.workflow.mirror import _Unit, _writes_for

    unit = _Unit(1, "a1b2c3d4e5f6", "body.1", 1, "Zebrafish (<em>Danio rerio</em>) breathe CO<sub>2</sub>.")
    link = Link((0,), (0,), 0.9, 0.9)
    [write] = _writes_for(link, [unit], "Els peixos zebra (Danio rerio) respiren CO2.", "post 7", Action.MIRROR, 0.75)
    assert (write.action, write.text) == (
        Action.MIRROR,
        "Els peixos zebra (<em>Danio rerio</em>) respiren CO<sub>2</sub>.",
    )

    [write] = _writes_for(link, [unit], "Els peixos zebra respiren diòxid de carboni.", "post 7", Action.MIRROR, 0.75)
    assert write.action is Action.MIRROR_SUGGEST
    assert write.text == "Els peixos zebra respiren diòxid de carboni."
    assert write.note.endswith("place the tags the English has: <em>…</em>, <sub>…</sub>")


# ---------------------------------------------------------------- a fragment beside a link

GUT_ENGLISH = """Gut Invaders
6 May 2020

Gut Invaders

Zebrafish are a favourite of developmental biologists because their embryos are transparent. \
Here, gut bacteria (bright green) attack neurons (magenta) in a developing embryo. \
The team found that the bacteria settle in the gut within twelve hours of hatching. \
Understanding how they do so could lead to new treatments for inflammatory bowel disease.

Written by Anna Lee
"""
# The translator split "Here, gut bacteria …" after its first word: "Ací." stands alone, and
# the engine's "Aquí" does not match it, so nothing but its place ties it to the sentence.
GUT_CATALAN = """Invasors intestinals
6 de maig de 2020

Els peixos zebra són uns dels preferits dels biòlegs del desenvolupament perquè els seus \
embrions són transparents. Ací. Els bacteris intestinals (verd brillant) ataquen les neurones \
(magenta) en un embrió en desenvolupament. L’equip va descobrir que els bacteris s’instal·len \
a l’intestí en les dotze hores posteriors a l’eclosió. Entendre com ho fan podria conduir a \
nous tractaments per a la malaltia inflamatòria intestinal.

Escrit per Anna Lee
"""


@pytest.mark.apertium
def test_a_fragment_left_beside_a_link_makes_it_a_suggestion(cli, project: Project, tmp_path: Path) -> None:
    """A short sentence the English lacks ("Ací.") left unlinked beside a 1-1 link: the link
    may be missing it or the fragment may be an addition, so the unit gets a suggestion whose
    note names the fragment, never a confident translation; links away from it stay confident."""
    require_apertium("eng-cat")
    english = tmp_path / "english" / "2020-05-06-gut-invaders.txt"
    english.parent.mkdir()
    english.write_text(GUT_ENGLISH, encoding="utf-8")
    page = tmp_path / "pages" / "invasors-intestinals.txt"
    page.parent.mkdir()
    page.write_text(GUT_CATALAN, encoding="utf-8")
    assert cli("ingest", str(english)).exit_code == 0

    result = cli("mirror", "import", "-l", "ca", str(page), "--json")

    assert result.exit_code == 0, result.stderr
    [entry] = json.loads(result.stdout)["entries"]
    assert entry["slug"] == "2020-05-06-gut-invaders"
    assert entry["links"] == {"1-1": 5, "0-1": 1}
    rows = _rows(project, "2020-05-06-gut-invaders")
    # The sentence the fragment was split from, and the one before it in the paragraph.
    for key, start in (("body.1:2", "Els bacteris intestinals"), ("body.1:1", "Els peixos zebra")):
        state, origin, text, note = rows[key]
        assert (state, origin) == ("machine", "mirror") and text.startswith(start)
        assert "left unlinked next to it: the mirror's “Ací.”" in note
    # Away from it, and in other fields, the links are the units' translations.
    assert rows["title:1"][:3] == ("translated", "mirror", "Invasors intestinals")
    for key in ("body.1:3", "body.1:4"):
        assert rows[key][:2] == ("translated", "mirror")
    # The report shows the fragment on both links.
    beside = [(d["english"][:4], d["beside"]) for d in entry["link_details"] if d.get("beside")]
    assert beside == [("Zebr", ["the mirror's “Ací.”"]), ("Here", ["the mirror's “Ací.”"])]


@pytest.mark.apertium
def test_worker_processes_align_as_one_process_does(cli, project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    """A large run aligns in worker processes: the same report, link by link, as in-process."""
    from bpod_i18n import workers
    from bpod_i18n.workflow import mirror

    require_apertium("eng-cat")
    assert cli("ingest", str(ENGLISH)).exit_code == 0
    args = ("mirror", "import", "-l", "ca", str(WXR), str(PAGES), "--dry-run", "--json")
    alone = json.loads(cli(*args).stdout)
    monkeypatch.setattr(mirror, "ALIGN_PARALLEL_FROM", 1)
    monkeypatch.setattr(workers.os, "cpu_count", lambda: 2)  # the workers' module decides
    in_workers = json.loads(cli(*args).stdout)
    assert in_workers == alone and alone["totals"]["paired"] == 7

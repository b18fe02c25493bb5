"""Fault suite, hostile text on the site: bidi controls (an error in check, refused by emit),
template syntax of the static-site generators in Markdown pages (really built with Hugo and
Jekyll when Debian's packages are installed), and slugs the project keeps for itself."""

from __future__ import annotations

import html
import json
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
import yaml
from emit_fixtures import MASSING, catalan_project, emit_json, ok, po_file, retranslate
from helpers import one_line_error, snapshot, tree_state

from bpod_i18n.workflow.project import Project

TITLE = "Massing to Defend"
FIRST = (
    "On the front line of the immune system\u2019s battle with pathogens, T cells raise the alarm and "
    "stimulate the body\u2019s response to danger."
)
RLO, PDF, LRI, PDI, ZWSP = "\u202e", "\u202c", "\u2066", "\u2069", "\u200b"
MASSING_HTML = f"2016/{MASSING}.html"


@pytest.fixture
def ready(cli, project_dir: Path) -> Path:
    catalan_project(cli, project_dir)  # Massing reviewed; Trained Killers translated; ALS partial
    return project_dir


# Hostile text fails QA on purpose; a reviewer approving it anyway is what emit then meets.
FORCED = "testing what the mirror does with it"


def problems(cli, *args: str) -> list[dict]:
    result = cli("check", "--locale", "ca", "--no-db", "--format", "json", *args)
    assert "Traceback" not in result.output
    return json.loads(result.stdout)["problems"]


def flag_unit(path: Path, msgid: str, flag: str) -> None:
    """A translator marks one unit in the PO file (as Poedit would keep it)."""
    po = polib.pofile(str(path))
    po.find(msgid).flags.append(flag)
    po.save(str(path))


# --- bidi controls ------------------------------------------------------------------------


@pytest.mark.parametrize("control", [RLO, LRI, "\u202a", "\u202b", "\u202d", "\u2067", "\u2068"])
def test_a_bidi_control_is_an_error_in_check(cli, ready: Path, control: str) -> None:
    retranslate(
        cli, ready, MASSING, {TITLE: f"Agrupats {control}esrefed rep{PDF if control < LRI else PDI}"}, force_qa=FORCED
    )
    found = [p for p in problems(cli) if p["check"] == "bidi-controls"]
    assert [(p["severity"], p["unit"] is not None) for p in found] == [("error", True)]
    assert f"U+{ord(control):04X}" in found[0]["message"]
    result = cli("check", "--locale", "ca", "--no-db", str(po_file(ready, MASSING)))
    assert result.exit_code == 1 and "bidi-controls" in result.stdout


def test_zero_width_characters_stay_a_warning(cli, ready: Path) -> None:
    retranslate(cli, ready, MASSING, {TITLE: f"Agrupats{ZWSP} per defensar-se"})
    found = [(p["check"], p["severity"]) for p in problems(cli) if p["entry"] == MASSING]
    assert ("invisible-characters", "warning") in found and not any(c == "bidi-controls" for c, _ in found)
    report = emit_json(cli, ready.parent / "mirror")
    assert [item["slug"] for item in report["new"]] == [MASSING] and report["refused"] == []


def test_emit_refuses_a_page_with_bidi_controls_and_publishes_the_rest(
    cli, project: Project, ready: Path, tmp_path: Path
) -> None:
    out = tmp_path / "mirror"
    retranslate(cli, ready, MASSING, {TITLE: f"Agrupats {RLO}esrefed rep{PDF}"}, force_qa=FORCED)
    ok(cli("review", "-l", "ca", "--approve", "2016-04-30-trained-killers", "--by", "jordi"))
    db = snapshot(project)
    result = cli("emit", "-l", "ca", "--out", str(out))
    assert result.exit_code == 1 and "Traceback" not in result.output
    [line] = [line for line in result.stderr.splitlines() if line.startswith("refused")]
    assert line.startswith(f"refused  {MASSING}: unit ") and "U+202E" in line and "U+202C" in line
    assert f"`#, ignore-bidi-controls` in {Path('locales/ca/2016') / (MASSING + '.po')}" in line
    assert not (out / MASSING_HTML).exists() and (out / "2016/2016-04-30-trained-killers.html").exists()
    assert snapshot(project) == db


def test_a_page_published_before_stays_as_it_was(cli, ready: Path, tmp_path: Path) -> None:
    out = tmp_path / "mirror"
    emit_json(cli, out)
    before = (out / MASSING_HTML).read_bytes()
    retranslate(cli, ready, MASSING, {TITLE: f"Agrupats {RLO}esrefed rep{PDF}"}, force_qa=FORCED)
    report = emit_json(cli, out, code=1)
    assert [item["slug"] for item in report["refused"]] == [MASSING] and report["withdrawn"] == []
    assert (out / MASSING_HTML).read_bytes() == before
    assert RLO not in (out / MASSING_HTML).read_text(encoding="utf-8")


@pytest.mark.parametrize("how", ["flag", "comment"])
def test_a_unit_explicitly_ignored_is_published(cli, ready: Path, tmp_path: Path, how: str) -> None:
    text = f"Agrupats {LRI}per defensar-se{PDI}"
    retranslate(cli, ready, MASSING, {TITLE: text}, force_qa=FORCED)
    path = po_file(ready, MASSING)
    if how == "flag":
        flag_unit(path, TITLE, "ignore-bidi-controls")
    else:
        po = polib.pofile(str(path))
        po.find(TITLE).tcomment = "bpod-ignore: bidi-controls"
        po.save(str(path))
    assert not [p for p in problems(cli) if p["check"] == "bidi-controls"]  # check agrees
    report = emit_json(cli, tmp_path / "mirror")
    assert [item["slug"] for item in report["new"]] == [MASSING] and report["refused"] == []
    assert text in (tmp_path / "mirror" / MASSING_HTML).read_text(encoding="utf-8")


def test_the_check_set_to_a_warning_for_the_locale_allows_them(cli, ready: Path, tmp_path: Path) -> None:
    config = ready / "bpod-i18n.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("[check]\n", '[check]\nwarnings = ["bidi-controls"]\n'),
        encoding="utf-8",
    )
    retranslate(cli, ready, MASSING, {TITLE: f"Agrupats {RLO}esrefed rep{PDF}"}, force_qa=FORCED)
    report = emit_json(cli, tmp_path / "mirror")
    assert [item["slug"] for item in report["new"]] == [MASSING]


def test_a_bidi_control_in_a_site_string_stops_the_emit(cli, project: Project, ready: Path, tmp_path: Path) -> None:
    retranslate(cli, ready, "site", {"Written by": f"Escrit {RLO}rep{PDF}"}, force_qa=FORCED)
    out = tmp_path / "mirror"
    db = snapshot(project)
    result = cli("emit", "-l", "ca", "--out", str(out))
    one_line_error(result, 2, str(Path("locales/ca/site.po")), "U+202E", "nothing was emitted")
    assert tree_state(out) == {} and snapshot(project) == db


def test_an_english_source_with_a_bidi_control_is_not_the_translators_doing(cli, ready: Path) -> None:
    """Only controls the English does not have count (the check's rule, and emit's)."""
    from bpod_i18n.checks.unicode import extra_bidi_controls

    assert extra_bidi_controls(f"a {RLO}b{PDF}", f"x {RLO}y{PDF}") == []
    assert extra_bidi_controls("a", f"x {RLO}y") == [RLO]


# --- Markdown for Jekyll and Hugo ---------------------------------------------------------

PAYLOADS = {
    TITLE: '{% include secrets.txt %} "0o17": no --- {{ site.title }}',
    FIRST: (
        'Agrupats {{ site.github.owner_name }} {% raw %}x{% endraw %} {{< figure src="/x.png" >}} '
        '{{% ref "y" %}} {{ .Site.BaseURL }} {#comment#} {: .class} $$x$$ *fi* <b>b</b>.'
    ),
}
SECRET = "TOPSECRET-do-not-publish"


@pytest.fixture
def hostile_markdown(cli, ready: Path, tmp_path: Path) -> Path:
    retranslate(cli, ready, MASSING, PAYLOADS, force_qa=FORCED)
    out = tmp_path / "mirror"
    emit_json(cli, out, "--format", "markdown", "--entry", MASSING)
    return out / f"2016/{MASSING}.md"


def test_markdown_holds_no_template_delimiter_and_its_front_matter_is_exact(hostile_markdown: Path) -> None:
    text = hostile_markdown.read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    for delimiter in ("{%", "{{", "%}", "}}", "{#", "{:"):
        assert delimiter not in body, delimiter
    data = yaml.safe_load(front)
    assert data["title"] == PAYLOADS[TITLE] and data["slug"] == MASSING
    assert isinstance(data["date_display"], str) and str(data["date"]) == "2016-07-22"
    assert all(line.startswith(("date: ", "- ")) or ': "' in line for line in front.splitlines()), front


def _need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} is not installed (apt-get install {tool}); the Markdown output is not built with it")
    return path


def _built_text(page: Path) -> str:
    return html.unescape(page.read_text(encoding="utf-8"))


def test_the_markdown_builds_with_hugo_and_shows_the_text_as_written(hostile_markdown: Path, tmp_path: Path) -> None:
    hugo = _need("hugo")
    site = tmp_path / "hugo-site"
    (site / "content/posts").mkdir(parents=True)
    (site / "layouts/_default").mkdir(parents=True)
    (site / "config.toml").write_text('baseURL = "http://example.org/"\ntitle = "Mirror"\n', encoding="utf-8")
    (site / "layouts/_default/single.html").write_text("<h1>{{ .Title }}</h1>\n{{ .Content }}\n", encoding="utf-8")
    (site / "layouts/_default/list.html").write_text("{{ range .Pages }}{{ .Title }}{{ end }}\n", encoding="utf-8")
    shutil.copy(hostile_markdown, site / "content/posts" / hostile_markdown.name)
    done = subprocess.run(
        [hugo, "--source", str(site), "--destination", str(tmp_path / "public"), "--quiet"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    [page] = [p for p in (tmp_path / "public/posts").rglob("index.html") if "massing" in str(p)]
    built = _built_text(page)
    assert PAYLOADS[TITLE] in built  # title and body as written, nothing run
    assert '{{< figure src="/x.png" >}}' in built and "{{ .Site.BaseURL }}" in built
    assert "<figure" not in page.read_text(encoding="utf-8")


def test_the_markdown_builds_with_jekyll_and_runs_no_liquid(hostile_markdown: Path, tmp_path: Path) -> None:
    jekyll = _need("jekyll")
    site = tmp_path / "jekyll-site"
    (site / "_posts").mkdir(parents=True)
    (site / "_includes").mkdir()
    (site / "_layouts").mkdir()
    (site / "_includes/secrets.txt").write_text(SECRET, encoding="utf-8")
    (site / "_config.yml").write_text(
        "title: Mirror\nmarkdown: kramdown\ndefaults:\n  - scope: {path: ''}\n    values: {layout: post}\n",
        encoding="utf-8",
    )
    (site / "_layouts/post.html").write_text("<h1>{{ page.title }}</h1>\n{{ content }}\n", encoding="utf-8")
    shutil.copy(hostile_markdown, site / "_posts" / hostile_markdown.name)
    done = subprocess.run(
        [jekyll, "build", "--source", str(site), "--destination", str(tmp_path / "public"), "--safe", "--quiet"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr + done.stdout
    [page] = [p for p in (tmp_path / "public").rglob("*.html") if "massing" in str(p)]
    built = _built_text(page)
    assert SECRET not in built  # {% include %} was not run
    assert "{% include secrets.txt %}" in built and "{{ site.github.owner_name }}" in built
    assert PAYLOADS[TITLE] in built


# --- reserved slugs ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("slug", "why"), [("site", "catalog of site strings"), ("0123456789ab", "looks like a unit id")]
)
def test_a_reserved_slug_is_refused_and_nothing_is_stored(
    cli, project: Project, project_dir: Path, tmp_path: Path, slug: str, why: str
) -> None:
    assert cli("ingest", str(Path(__file__).parent / "fixtures/pages")).exit_code == 0
    entry = tmp_path / "takeover.json"
    entry.write_text(
        json.dumps({"title": "Site", "date": "2020-01-01", "slug": slug, "paragraphs": ["Hi."]}), encoding="utf-8"
    )
    db, files = snapshot(project), tree_state(project_dir / "locales")
    one_line_error(cli("ingest", str(entry)), 2, str(entry), f"the slug '{slug}' is reserved", why)
    assert snapshot(project) == db and tree_state(project_dir / "locales") == files
    again = cli("ingest", str(Path(__file__).parent / "fixtures/pages"), "--json")
    assert {change["status"] for change in json.loads(again.stdout)} == {"unchanged"}  # the site catalog intact


def test_a_slug_that_only_resembles_a_reserved_one_is_fine(cli, tmp_path: Path) -> None:
    entry = tmp_path / "sites.json"
    entry.write_text(
        json.dumps({"title": "Sites", "date": "2020-01-01", "slug": "site-visits", "paragraphs": ["Hi."]}),
        encoding="utf-8",
    )
    assert cli("ingest", str(entry)).exit_code == 0

"""Publishing into a real WordPress (scripts/wordpress-test-site), no mock: the three sample
entries with their images, checked through the REST API and in headless Chromium; a second
run that writes nothing; an editor's change left alone, then overwritten with --force and kept
in history; a wrong password; a run stopped half-way and resumed; --status.

The scenario (tests/emit_fixtures.py): massing-to-defend reviewed, trained-killers
translated, reassessing-als 78 % translated.
"""

from __future__ import annotations

import hashlib
import html
import json
from pathlib import Path
from typing import Any

import pytest
import requests
from emit_fixtures import ALS, KILLERS, MASSING, TRANSLATIONS, catalan_project, ok, retranslate, uid_of
from wordpress_site import IMAGES, PASSWORD_ENV, Site, configure, fixture_images, wordpress, wordpress_session_site  # noqa: F401 - pytest fixtures

from bpod_i18n.model import State
from bpod_i18n.workflow import publish as publish_ops
from bpod_i18n.workflow.project import open_project

pytestmark = pytest.mark.wordpress

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "test-artifacts"
ALL_THREE = ("--min-state", "translated", "--min-complete", "70", "--fallback-english")


def options(**extra: Any) -> publish_ops.PublishOptions:
    values: dict[str, Any] = {
        "locale": "ca",
        "min_state": State.TRANSLATED,
        "min_complete": 70.0,
        "fallback_english": True,
        "images": fixture_images,
    }
    values.update(extra)
    return publish_ops.PublishOptions(**values)


def run_publish(project_dir: Path, **extra: Any) -> publish_ops.PublishReport:
    project = open_project(project_dir)
    try:
        return publish_ops.publish(project, options(**extra))
    finally:
        project.close()


@pytest.fixture
def published(cli: Any, project_dir: Path, wordpress: Site, monkeypatch: pytest.MonkeyPatch) -> Site:
    """The three sample entries published with their images."""
    catalan_project(cli, project_dir)
    configure(project_dir, wordpress, monkeypatch)
    report = run_publish(project_dir)
    assert sorted(item.slug for item in report.created) == sorted([ALS, KILLERS, MASSING]), report
    assert report.media_uploaded == 3 and not report.conflicts and not report.failed
    return wordpress


@pytest.fixture
def published_cli(cli: Any, project_dir: Path, wordpress: Site, monkeypatch: pytest.MonkeyPatch) -> Site:
    """The three sample entries published through the command (no images: their page texts name none)."""
    catalan_project(cli, project_dir)
    configure(project_dir, wordpress, monkeypatch)
    report = json.loads(ok(cli("publish", "-l", "ca", *ALL_THREE, "--json")).stdout)
    assert len(report["created"]) == 3 and report["requests"]["writes"] == 4  # 3 posts, 1 category
    return wordpress


def post_of(site: Site, slug: str) -> dict[str, Any]:
    found = [post for post in site.posts(slug=slug) if post["slug"] == slug]
    assert len(found) == 1, found
    return found[0]


def test_three_entries_become_posts_with_everything(published: Site) -> None:
    site = published
    categories = {term["id"]: term["name"] for term in site.get("wp/v2/categories", per_page=100)}
    for slug in (MASSING, KILLERS, ALS):
        post = post_of(site, slug)
        texts = TRANSLATIONS[slug]
        title = next(iter(texts.values()))  # the first translation of each entry is its title
        assert post["title"]["raw"] == title
        assert post["date"] == f"{slug[:10]}T00:00:00"  # midnight of the entry's date, site time
        assert post["status"] == "publish" and post["type"] == "fotos"
        assert post["meta"]["bpod_i18n_source"] == slug
        assert [categories[c] for c in post["categories"]] == ["Imatge del dia"]
        content = post["content"]["raw"]
        first_paragraph_sentence = list(texts.values())[1]
        assert first_paragraph_sentence in html.unescape(content)  # emit's HTML body (escaped as nh3 writes it)
        assert "<footer>" in content and "Drets de la imatge reservats pels autors originals" in content
        media = site.get(f"wp/v2/media/{post['featured_media']}", context="edit")
        assert media["alt_text"] == f"Imatge: {title}"
        image = requests.get(media["source_url"], timeout=30)
        expected = (IMAGES / f"{slug}.jpg").read_bytes()
        assert hashlib.sha256(image.content).hexdigest() == hashlib.sha256(expected).hexdigest()
    assert post_of(site, MASSING)["content"]["raw"].count("Escrit per") == 1  # the site catalog's "Written by"
    # The standfirst is the excerpt (ALS has one; its translation is in the fixtures).
    standfirst = next(text for english, text in TRANSLATIONS[ALS].items() if english.startswith("Loss of connections"))
    assert post_of(site, ALS)["excerpt"]["raw"] == standfirst
    assert post_of(site, KILLERS)["excerpt"]["raw"] == ""


def test_the_published_page_in_chromium(published: Site) -> None:
    from playwright.sync_api import sync_playwright

    slug = MASSING
    title = next(iter(TRANSLATIONS[slug].values()))
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "publish-massing-to-defend.png"
    shot.unlink(missing_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 1400})
            response = page.goto(f"{published.url}/fotos/{slug}/", wait_until="load")
            assert response is not None and response.status == 200
            assert page.locator("h1").first.inner_text().strip() == title
            assert page.get_by_text("Els investigadors esperen que un coneixement més profund").count() == 1
            assert page.get_by_text("Escrit per").count() >= 1
            featured = page.locator("img.wp-post-image").first
            assert featured.get_attribute("alt") == f"Imatge: {title}"
            assert featured.evaluate("img => img.complete && img.naturalWidth") == 480  # the picture loaded
            page.screenshot(path=str(shot), full_page=True)
        finally:
            browser.close()
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_publishing_again_sends_no_write(published: Site, project_dir: Path) -> None:
    before = {post["id"]: post["modified_gmt"] for post in published.posts()}
    report = run_publish(project_dir)
    assert report.requests["writes"] == 0
    assert sorted(report.unchanged) == sorted([ALS, KILLERS, MASSING])
    assert report.media_uploaded == 0
    assert {post["id"]: post["modified_gmt"] for post in published.posts()} == before


def test_a_changed_entry_is_updated_alone(published: Site, cli: Any, project_dir: Path) -> None:
    uid = uid_of(cli, KILLERS, "title")
    source = next(iter(TRANSLATIONS[KILLERS]))
    retranslate(cli, project_dir, KILLERS, {source: "Assassins ben entrenats"}, approve=False)
    report = run_publish(project_dir)
    assert [item.slug for item in report.updated] == [KILLERS] and not report.created, uid
    # The post, and its image's alt text (the fixtures' alt text is made from the title);
    # the picture itself is not sent again.
    assert report.requests["writes"] == 2 and report.media_uploaded == 0
    post = post_of(published, KILLERS)
    assert post["title"]["raw"] == "Assassins ben entrenats"
    assert published.get(f"wp/v2/media/{post['featured_media']}")["alt_text"] == "Imatge: Assassins ben entrenats"


def test_an_editors_change_is_a_conflict_until_force_which_keeps_history(
    published_cli: Site, cli: Any, project_dir: Path
) -> None:
    post = post_of(published_cli, MASSING)
    edited = "<p>Text revisat per l'editora al WordPress.</p>"
    published_cli.post(f"wp/v2/fotos/{post['id']}", {"content": edited}, account="other")

    result = cli("publish", "-l", "ca", *ALL_THREE)
    assert result.exit_code == 1, result.output
    assert f"conflict  {MASSING}: its title, content or excerpt were edited on the site" in result.stderr
    assert post_of(published_cli, MASSING)["content"]["raw"] == edited  # left alone

    status = json.loads(ok(cli("publish", "-l", "ca", *ALL_THREE, "--status", "--json")).stdout)
    assert [item["slug"] for item in status["edited"]] == [MASSING]

    forced = json.loads(cli("publish", "-l", "ca", *ALL_THREE, "--force", "--json").stdout)
    assert [item["slug"] for item in forced["updated"]] == [MASSING] and forced["conflicts"] == []
    assert post_of(published_cli, MASSING)["content"]["raw"] != edited
    history = json.loads(ok(cli("publish", "-l", "ca", "--overwritten", MASSING, "--json")).stdout)
    assert len(history) == 1 and history[0]["id"] == forced["overwritten"][0]
    assert history[0]["old"]["content"] == edited and history[0]["post_id"] == post["id"]
    assert history[0]["by"] == "tester" and "edited on the site" in history[0]["reason"]
    # And then all is quiet again: nothing to send, nothing in conflict.
    again = json.loads(ok(cli("publish", "-l", "ca", *ALL_THREE, "--json")).stdout)
    assert again["requests"]["writes"] == 0 and again["conflicts"] == []


def test_a_category_changed_on_the_site_is_a_conflict_too(published_cli: Site, cli: Any) -> None:
    post = post_of(published_cli, KILLERS)
    other = published_cli.post("wp/v2/categories", {"name": "Triada per l'editora"})
    published_cli.post(f"wp/v2/fotos/{post['id']}", {"categories": [other["id"]]}, account="other")
    result = cli("publish", "-l", "ca", *ALL_THREE)
    assert result.exit_code == 1
    assert f"conflict  {KILLERS}: modified on the site" in result.stderr
    assert post_of(published_cli, KILLERS)["categories"] == [other["id"]]


def test_a_post_made_by_hand_is_never_overwritten(
    cli: Any, project_dir: Path, wordpress: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalan_project(cli, project_dir)
    configure(project_dir, wordpress, monkeypatch)
    by_hand = wordpress.post(
        "wp/v2/fotos", {"slug": MASSING, "title": "Copiada a mà", "content": "<p>a mà</p>", "status": "publish"}
    )
    result = cli("publish", "-l", "ca", "--json")  # the reviewed entry only
    report = json.loads(result.stdout)
    assert result.exit_code == 1 and [c["slug"] for c in report["conflicts"]] == [MASSING]
    assert "did not publish" in report["conflicts"][0]["reason"]
    assert post_of(wordpress, MASSING)["id"] == by_hand["id"]
    assert post_of(wordpress, MASSING)["title"]["raw"] == "Copiada a mà"


def test_held_back_entries_are_listed_and_dry_run_sends_nothing(
    cli: Any, project_dir: Path, wordpress: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalan_project(cli, project_dir)
    configure(project_dir, wordpress, monkeypatch)
    result = cli("publish", "-l", "ca", "--dry-run")
    assert result.exit_code == 0, result.output
    assert f"would create  {MASSING}" in result.stdout
    assert f"not ready  {KILLERS}" in result.stderr and f"not ready  {ALS}" in result.stderr
    report = json.loads(ok(cli("publish", "-l", "ca", "--dry-run", "--json")).stdout)
    assert [item["slug"] for item in report["created"]] == [MASSING]
    assert report["requests"]["writes"] == 0
    assert {item["slug"] for item in report["not_ready"]} == {KILLERS, ALS}
    assert wordpress.posts() == []


def test_a_translation_with_bidi_controls_is_not_published(
    cli: Any, project_dir: Path, wordpress: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What emit refuses (bidirectional controls the English lacks) no mirror gets, the site included."""
    catalan_project(cli, project_dir)
    configure(project_dir, wordpress, monkeypatch)
    title = next(iter(TRANSLATIONS[MASSING]))
    retranslate(cli, project_dir, MASSING, {title: "Agrupats \u202eesrefed rep\u202c"}, force_qa="on purpose")
    result = cli("publish", "-l", "ca", "--json")
    report = json.loads(result.stdout)
    assert report["created"] == [] and report["requests"]["writes"] == 0
    [held] = [item for item in report["not_ready"] if item["slug"] == MASSING]
    assert "bidirectional controls (U+202C, U+202E)" in held["reason"]
    assert wordpress.posts() == []


def test_a_wrong_password_is_one_line_exit_2_and_never_printed(
    cli: Any, project_dir: Path, wordpress: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalan_project(cli, project_dir)
    configure(project_dir, wordpress, monkeypatch)
    wrong = "abcd EFGH ijkl MNOP qrst UVWX"
    monkeypatch.setenv(PASSWORD_ENV, wrong)
    for args in (("publish", "-l", "ca"), ("publish", "-l", "ca", "--status"), ("--debug", "publish", "-l", "ca")):
        result = cli(*args)
        assert result.exit_code == 2, result.output
        assert result.stdout == ""
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        if "--debug" not in args:
            assert len(lines) == 1, result.stderr
        assert "HTTP 401" in result.stderr and "refused the login of user 'editor'" in result.stderr
        assert f"${PASSWORD_ENV}" in result.stderr
        assert wrong not in result.output and wrong.replace(" ", "") not in result.output
        assert "abcd" not in result.output
    monkeypatch.delenv(PASSWORD_ENV)
    result = cli("publish", "-l", "ca")
    assert result.exit_code == 2 and f"environment variable {PASSWORD_ENV} is not set" in result.stderr
    assert wordpress.posts() == []


def test_a_wrong_address_or_a_page_that_is_not_json_is_one_line(
    cli: Any, project_dir: Path, wordpress: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalan_project(cli, project_dir)
    configure(project_dir, wordpress, monkeypatch, rest_base='"fotografies"')
    result = cli("publish", "-l", "ca")
    assert result.exit_code == 2 and "HTTP 404: no such REST route" in result.stderr, result.output
    path = project_dir / "bpod-i18n.toml"
    path.write_text(path.read_text().replace('rest_base = "fotografies"', f'api_url = "{wordpress.url}/wp-login.php"'))
    result = cli("publish", "-l", "ca")
    assert result.exit_code == 2, result.output
    assert "not JSON (a login page" in result.stderr or "not a WordPress REST API answer" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_closed_port_is_exit_1_after_the_retries(
    cli: Any, project_dir: Path, wordpress: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalan_project(cli, project_dir)
    configure(project_dir, wordpress, monkeypatch, max_retries="1", backoff_base="0")
    path = project_dir / "bpod-i18n.toml"
    path.write_text(path.read_text().replace(f'url = "{wordpress.url}"', 'url = "http://127.0.0.1:9"'))
    result = cli("publish", "-l", "ca")
    assert result.exit_code == 1 and "connection refused, 1 retries" in result.stderr, result.output


def test_a_run_stopped_half_way_keeps_its_posts_and_a_rerun_resumes(
    cli: Any, project_dir: Path, wordpress: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalan_project(cli, project_dir)
    configure(project_dir, wordpress, monkeypatch, concurrency="1")

    class StopAfterOne:
        posts = 0

        def start(self, total: int, description: str) -> None:
            self.publishing = description.startswith("Publishing")

        def advance(self, amount: int = 1) -> None:
            if self.publishing:
                self.posts += amount
                if self.posts == 1:
                    raise KeyboardInterrupt  # Ctrl-C after the first post

    project = open_project(project_dir)
    try:
        with pytest.raises(KeyboardInterrupt):
            publish_ops.publish(project, options(), progress=StopAfterOne())
    finally:
        project.close()
    assert len(wordpress.posts()) == 1
    manifest = next((project_dir / ".bpod-i18n" / "publish").glob("ca-*.json"))
    first = json.loads(manifest.read_text())["posts"]
    assert len(first) == 1
    report = run_publish(project_dir)
    assert len(report.created) == 2 and report.unchanged == list(first)
    # Every image went up before the first post: the two posts still to write find theirs.
    assert report.media_uploaded == 0 and report.media_reused == 2
    # Without the manifest (another clone, a lost file), the post meta tells the same.
    manifest.unlink()
    report = run_publish(project_dir)
    assert report.requests["writes"] == 0 and len(report.unchanged) == 3


def test_status_names_missing_outdated_and_unknown_posts(published_cli: Site, cli: Any, project_dir: Path) -> None:
    published_cli.post("wp/v2/fotos", {"slug": "una-entrada-antiga", "title": "Antiga", "status": "publish"})
    source = next(iter(TRANSLATIONS[KILLERS]))
    retranslate(cli, project_dir, KILLERS, {source: "Assassins ben entrenats"}, approve=False)
    post = post_of(published_cli, ALS)
    published_cli.session().delete(published_cli.api(f"wp/v2/fotos/{post['id']}"), params={"force": "true"}, timeout=30)
    status = json.loads(ok(cli("publish", "-l", "ca", *ALL_THREE, "--status", "--json")).stdout)
    assert status["up_to_date"] == [MASSING]
    assert status["outdated"] == [KILLERS]
    assert [item["slug"] for item in status["edited"]] == [ALS]  # deleted on the site since published
    assert [item["slug"] for item in status["unknown"]] == ["una-entrada-antiga"]
    assert status["requests"]["writes"] == 0
    text = ok(cli("publish", "-l", "ca", *ALL_THREE, "--status")).stdout
    assert "outdated  " + KILLERS in text and "unknown  una-entrada-antiga" in text


def test_the_wxr_file_matches_what_wordpress_exports(published_cli: Site, cli: Any, project_dir: Path) -> None:
    """No importer plugin is packaged in Debian: the WXR is held to what export_wp() writes for
    the same posts (published through the REST API), and re-read with our reader."""
    from lxml import etree

    from bpod_i18n.publish import read_wxr

    ours = project_dir / "mirror-ca.xml"
    report = json.loads(ok(cli("publish", "-l", "ca", *ALL_THREE, "--wxr", str(ours), "--json")).stdout)
    assert sorted(report["posts"]) == sorted([ALS, KILLERS, MASSING])
    theirs = project_dir / "export.xml"
    theirs.write_bytes(published_cli.export_wxr("all"))

    our_tree, their_tree = etree.parse(str(ours)), etree.parse(str(theirs))
    assert our_tree.docinfo.doctype == "" and our_tree.docinfo.encoding == "UTF-8"
    assert our_tree.getroot().nsmap == their_tree.getroot().nsmap
    assert our_tree.getroot().tag == "rss" and our_tree.getroot().get("version") == "2.0"

    def tags(parent: Any, child: str) -> list[str]:
        return [el.tag for el in parent.iter(child) for el in el if isinstance(el.tag, str)]

    their_item_tags = set(tags(their_tree.getroot(), "item"))
    assert set(tags(our_tree.getroot(), "item")) <= their_item_tags | {"category"}
    our_channel = [el.tag for el in our_tree.getroot().find("channel") if isinstance(el.tag, str) and el.tag != "item"]
    their_channel = [el.tag for el in their_tree.getroot().find("channel") if isinstance(el.tag, str)]
    assert set(our_channel) <= set(their_channel)

    ours_read, theirs_read = read_wxr(ours), read_wxr(theirs)
    assert ours_read.version == theirs_read.version == "1.2"
    exported = {item.slug: item for item in theirs_read.items if item.post_type == "fotos"}
    written = {item.slug: item for item in ours_read.items}
    assert set(written) == set(exported) == {ALS, KILLERS, MASSING}
    for slug, item in written.items():
        other = exported[slug]
        assert (item.title, item.content, item.excerpt) == (other.title, other.content, other.excerpt)
        assert (item.date, item.post_type, item.status) == (other.date, other.post_type, other.status)
        assert [(t.taxonomy, t.slug, t.name) for t in item.terms] == [(t.taxonomy, t.slug, t.name) for t in other.terms]
        for key in ("bpod_i18n_source", "bpod_i18n_text"):
            assert item.meta_value(key) == other.meta_value(key)
    assert {(t.slug, t.name) for t in ours_read.terms} <= {(t.slug, t.name) for t in theirs_read.terms}


def test_status_lists_missing_entries_before_the_first_publish(
    cli: Any, project_dir: Path, wordpress: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalan_project(cli, project_dir)
    configure(project_dir, wordpress, monkeypatch)
    status = json.loads(ok(cli("publish", "-l", "ca", "--status", "--json")).stdout)
    assert status["missing"] == [MASSING] and not status["in_sync"]
    assert {item["slug"] for item in status["not_ready"]} == {KILLERS, ALS}

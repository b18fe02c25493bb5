"""The publish parts that need no site: the conflict rule, WXR writing and reading (CDATA split,
no DOCTYPE), the REST URL forms, Retry-After, and the [publish.wordpress] settings."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bpod_i18n.cli import app
from bpod_i18n.config import parse_config
from bpod_i18n.errors import BpodError, InputError
from bpod_i18n.publish import (
    Action,
    Published,
    RemotePost,
    WxrItem,
    WxrSite,
    WxrTerm,
    cdata_parts,
    decide,
    read_wxr,
    route_url,
    text_hash,
    write_wxr,
)
from bpod_i18n.retry_after import retry_after_seconds

SENT = text_hash("Títol", "<p>Cos</p>", "Resum")


def remote(**changes: object) -> RemotePost:
    post = RemotePost(
        id=7,
        slug="2016-07-22-x",
        status="publish",
        modified_gmt="2026-01-01T10:00:00",
        link="http://site/fotos/2016-07-22-x/",
        meta={"bpod_i18n_source": "2016-07-22-x", "bpod_i18n_hash": "p1:old", "bpod_i18n_text": SENT},
        title="Títol",
        content="<p>Cos</p>",
        excerpt="Resum",
    )
    for name, value in changes.items():
        setattr(post, name, value)
    return post


RECORD = Published(7, "p1:old", "2026-01-01T10:00:00")


@pytest.mark.parametrize(
    ("post", "record", "force", "action", "reason"),
    [
        (None, None, False, Action.CREATE, "not on the site"),
        (None, RECORD, False, Action.CONFLICT, "deleted on the site"),
        (None, RECORD, True, Action.CREATE, "--force: deleted"),
        (remote(), RECORD, False, Action.UPDATE, "changed since"),
        (
            remote(meta={"bpod_i18n_source": "2016-07-22-x", "bpod_i18n_hash": "p1:new", "bpod_i18n_text": SENT}),
            RECORD,
            False,
            Action.UNCHANGED,
            "",
        ),
        (remote(content="<p>Cos, revisat</p>"), RECORD, False, Action.CONFLICT, "edited on the site"),
        (remote(content="<p>Cos</p>\r\n"), RECORD, False, Action.UPDATE, "changed since"),  # line ends only
        (remote(modified_gmt="2026-02-01T09:00:00"), RECORD, False, Action.CONFLICT, "modified on the site"),
        # Modified since the record, but by another bpod-i18n run (its hash moved on): not an editor.
        (
            remote(
                modified_gmt="2026-02-01T09:00:00",
                meta={"bpod_i18n_source": "2016-07-22-x", "bpod_i18n_hash": "p1:other", "bpod_i18n_text": SENT},
            ),
            RECORD,
            False,
            Action.UPDATE,
            "changed",
        ),
        (remote(meta={}), None, False, Action.CONFLICT, "did not publish"),
        (remote(status="trash"), RECORD, False, Action.CONFLICT, "trash"),
        (remote(content="<p>x</p>"), RECORD, True, Action.UPDATE, "--force: its title"),
    ],
)
def test_the_conflict_rule(
    post: RemotePost | None, record: Published | None, force: bool, action: Action, reason: str
) -> None:
    decision = decide("p1:new", post, record, force=force)
    assert decision.action is action
    assert reason in decision.reason
    assert decision.overwrites == (force and post is not None and action is Action.UPDATE)


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("plain", ["plain"]),
        ("a]]>b", ["a]]", ">b"]),
        ("]]>", ["]]", ">"]),
        ("x]]>y]]>z", ["x]]", ">y]]", ">z"]),
    ],
)
def test_cdata_is_split_where_it_would_end(text: str, parts: list[str]) -> None:
    assert cdata_parts(text) == parts
    assert "".join(parts) == text
    assert all("]]>" not in part for part in parts)


def wxr_item(content: str) -> WxrItem:
    when = dt.datetime(2016, 7, 22)
    return WxrItem(
        post_id=1,
        post_type="fotos",
        slug="2016-07-22-x",
        title="Títol & <més>",
        date=when,
        date_gmt=when - dt.timedelta(hours=2),
        status="draft",
        creator="editor",
        link="http://site/?p=1",
        content=content,
        excerpt="Resum ]]> amb fi",
        terms=(WxrTerm("category", "imatge-del-dia", "Imatge del dia"),),
        meta=(("bpod_i18n_source", "2016-07-22-x"),),
    )


def test_wxr_round_trip_keeps_every_text_and_splits_cdata(tmp_path: Path) -> None:
    content = '<p>if (a[b[0]]>1) { "x" }</p>\n<p>l\'ELA ·</p>'
    buffer = io.BytesIO()
    write_wxr(
        buffer,
        WxrSite("BPoD", "http://site"),
        [WxrTerm("category", "imatge-del-dia", "Imatge del dia")],
        [wxr_item(content)],
    )
    data = buffer.getvalue()
    assert b"<!DOCTYPE" not in data
    assert b"a[b[0]]]]><![CDATA[>1)" in data
    path = tmp_path / "x.xml"
    path.write_bytes(data)
    document = read_wxr(path)
    item = document.items[0]
    assert (item.content, item.excerpt, item.title) == (content, "Resum ]]> amb fi", "Títol & <més>")
    assert item.date == dt.datetime(2016, 7, 22) and item.date_gmt == dt.datetime(2016, 7, 21, 22)
    assert item.terms == (WxrTerm("category", "imatge-del-dia", "Imatge del dia"),)
    assert document.terms == [WxrTerm("category", "imatge-del-dia", "Imatge del dia")]


def test_reading_refuses_a_doctype_and_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "evil.xml"
    path.write_text('<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY x "y">]>\n<rss><channel/></rss>\n')
    with pytest.raises(InputError, match="DOCTYPE") as caught:
        read_wxr(path)
    assert caught.value.path == str(path)
    path.write_text("<rss>\n<channel>\n<item>\n</rss>\n")
    with pytest.raises(InputError) as caught:
        read_wxr(path)
    assert caught.value.line == 4


def test_rest_urls_in_both_forms() -> None:
    assert route_url("https://bpod.cat/wp-json/", "wp/v2/fotos", {"slug": ["a", "b"], "per_page": 100}) == (
        "https://bpod.cat/wp-json/wp/v2/fotos?slug=a,b&per_page=100"
    )
    assert route_url("https://bpod.cat/?rest_route=/", "wp/v2/fotos", {"context": "edit"}) == (
        "https://bpod.cat/?rest_route=/wp/v2/fotos&context=edit"
    )


def test_retry_after_in_seconds_or_as_a_date() -> None:
    assert retry_after_seconds("7") == 7.0
    assert retry_after_seconds(None) is None and retry_after_seconds("soon") is None
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past: no wait


BASE = '[project]\nlocales = ["ca", "es"]\n\n[publish.wordpress]\nurl = "https://bpod.cat"\nuser = "editor"\n'


@pytest.mark.parametrize(
    ("extra", "line", "message"),
    [
        (
            'locale = "ca"\nstatus = "live"\n',
            8,
            '[publish.wordpress] status must be one of "draft", "publish", "pending", "private", not "live"',
        ),
        ('locale = "ca"\npasword_env = "X"\n', 8, '[publish.wordpress] unknown setting "pasword_env"'),
        ("", 4, "[publish.wordpress] needs locale: the one locale this site shows"),
        ('locale = "fr"\n', 7, "[publish.wordpress] locale fr is not one of the project's locales (ca, es)"),
        ('locale = "ca"\npassword_env = "my password"\n', 8, "must be the NAME of an environment variable"),
        ('locale = "ca"\ntimezone = "Europe/Barcelona"\n', 8, "must be an IANA time zone"),
        (
            'locale = "ca"\ncategories = { "Born on this Day" = 3 }\n',
            8,
            'categories."Born on this Day" must be a non-empty string, not 3',
        ),
        ('locale = "ca"\nconcurrency = 0\n', 8, "concurrency must be a whole number >= 1, not 0"),
    ],
)
def test_publish_settings_are_checked_with_file_and_line(tmp_path: Path, extra: str, line: int, message: str) -> None:
    path = tmp_path / "bpod-i18n.toml"
    path.write_text(BASE + extra, encoding="utf-8")
    with pytest.raises(BpodError) as caught:
        parse_config(path)
    assert caught.value.line == line, str(caught.value)
    assert message in str(caught.value)


def test_a_password_in_the_url_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bpod-i18n.toml"
    path.write_text(BASE.replace("https://bpod.cat", "https://editor:secret@bpod.cat") + 'locale = "ca"\n')
    with pytest.raises(BpodError, match="must not hold a user name or password") as caught:
        parse_config(path)
    assert caught.value.line == 5 and "secret" not in caught.value.message


def test_publish_without_a_site_is_one_line(project_dir: Path) -> None:
    result = CliRunner().invoke(app, ["-C", str(project_dir), "publish", "-l", "ca"])
    assert result.exit_code == 2
    assert "no [publish.wordpress] in" in result.stderr and len(result.stderr.strip().splitlines()) == 1

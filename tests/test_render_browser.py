"""Rendered pages in a real browser: Debian's headless chromium loads them from file://.

The hostile translations try to change document.title, set an attribute and add an element;
the DOM chromium dumps after running the page must show them as text. A control page that
pastes the same strings in *unescaped* proves chromium does run such scripts here, so a
passing test means something. Screenshots land in test-artifacts/ at the repo root.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import struct
import subprocess
from pathlib import Path

import lxml.html
import pytest

from bpod_i18n.render import LocalisedEntry, render_entry

pytestmark = pytest.mark.chromium

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "test-artifacts"
RENDER = Path(__file__).parent / "fixtures" / "render"
FLAGS = [
    "--headless",
    "--no-sandbox",  # the tests run as root in CI containers
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ATTACKS = [
    "<script>document.title='PWNED'</script>",
    "<img src=x onerror=\"document.body.setAttribute('data-pwned','1')\">",
    "</p><script>document.body.appendChild(document.createElement('pwned'))</script><p>",
    "{{ 7*7 }}",
]


def chromium_executable() -> str:
    found = os.environ.get("BPOD_I18N_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    reason = "chromium not found: install Debian's chromium (apt-get install chromium) or set BPOD_I18N_CHROMIUM"
    if os.environ.get("BPOD_I18N_ALLOW_MISSING_CHROMIUM") == "1":
        pytest.skip(reason)
    pytest.fail(reason + " (or set BPOD_I18N_ALLOW_MISSING_CHROMIUM=1 to skip)", pytrace=False)


def run_chromium(page: Path, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [chromium_executable(), *FLAGS, f"--user-data-dir={profile}", *args, page.resolve().as_uri()]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, f"chromium failed ({result.returncode}): {result.stderr[-2000:]}"
    return result


def dump_dom(page: Path, profile: Path) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(run_chromium(page, profile, "--dump-dom").stdout)


def screenshot(page: Path, profile: Path, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / name
    target.unlink(missing_ok=True)
    run_chromium(page, profile, f"--screenshot={target}", "--window-size=1000,1400")
    data = target.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (1000, 1400)  # IHDR width, height
    return target


def hostile_entry() -> LocalisedEntry:
    return LocalisedEntry(
        slug="2018-10-12-hostile",
        locale="ca",
        date=dt.date(2018, 10, 12),
        title=ATTACKS[0],
        label=ATTACKS[1],
        standfirst=ATTACKS[2],
        paragraphs=list(ATTACKS),
        author="Emmanuelle Briolat",
        translator_credit=ATTACKS[2],
        original_url="https://www.bpod.org.uk/archive/2018/10/12",
    )


@pytest.mark.parametrize(
    ("name", "title", "date"),
    [
        ("ca-massing-to-defend", "Concentrats per defensar-se", "22 de juliol de 2016"),
        ("ca-trained-killers-fallback", "Assassins entrenats", "30 d'abril de 2016"),
    ],
)
def test_catalan_page_renders_in_chromium(tmp_path: Path, name: str, title: str, date: str) -> None:
    data = json.loads((RENDER / f"{name}.entry.json").read_text(encoding="utf-8"))
    entry = LocalisedEntry.from_dict(data)
    page = tmp_path / f"{entry.slug}.html"
    page.write_text(render_entry(entry, "html"), encoding="utf-8")
    dom = dump_dom(page, tmp_path / "profile")
    assert dom.findtext(".//title") == f"{title} · BPoD"
    assert dom.find(".//h1").text == title
    assert dom.find(".//time").text == date
    assert dom.find(".//p[@class='author']").text == f"Escrit per {entry.author}"
    screenshot(page, tmp_path / "profile", f"render-{name}.png")


def test_hostile_translation_does_not_run_in_chromium(tmp_path: Path) -> None:
    page = tmp_path / "hostile.html"
    page.write_text(render_entry(hostile_entry(), "html"), encoding="utf-8")
    dom = dump_dom(page, tmp_path / "profile")
    assert dom.findtext(".//title") == "<script>document.title='PWNED'</script> · BPoD"
    assert dom.xpath("//script | //img | //pwned | //*[@data-pwned]") == []
    assert [p.text for p in dom.xpath("//div[@class='body']/p")] == ATTACKS
    assert dom.find(".//p[@class='label']").text == ATTACKS[1]
    assert "49" not in lxml.html.tostring(dom, encoding="unicode")
    screenshot(page, tmp_path / "profile", "render-hostile.png")


def test_control_unescaped_page_does_run_the_attacks(tmp_path: Path) -> None:
    """Without escaping, the same strings take over the page: the checks above can fail."""
    page = tmp_path / "control.html"
    page.write_text(
        "<!DOCTYPE html><html><head><title>control</title></head><body><p>"
        + "</p><p>".join(ATTACKS)
        + "</p></body></html>",
        encoding="utf-8",
    )
    dom = dump_dom(page, tmp_path / "profile")
    assert dom.findtext(".//title") == "PWNED"
    assert dom.xpath("//pwned") and dom.xpath("//body[@data-pwned='1']")

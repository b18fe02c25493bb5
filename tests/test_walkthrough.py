"""examples/walkthrough.sh, as a newcomer runs it: from the quick start to a published page.

It needs no Apertium: the quick start pre-translates with it when it is installed and says it
skipped that step when it is not, and the walkthrough's translator overwrites those suggestions.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from bpod_i18n.cli import app

REPO = Path(__file__).resolve().parent.parent
SLUG = "2016-07-22-massing-to-defend"


def test_walkthrough_goes_from_the_quick_start_to_the_published_page(tmp_path: Path, db_url: str) -> None:
    bpod = Path(sys.executable).parent / "bpod-i18n"
    assert bpod.is_file(), f"the bpod-i18n script of this environment: {bpod}"
    demo = tmp_path / "demo"
    env = {
        **os.environ,
        "BPOD_I18N": str(bpod),
        "PYTHON": sys.executable,
        "DEMO": str(demo),
        "BPOD_I18N_DB": db_url,  # the test database (a PostgreSQL one in the PostgreSQL run)
        "BPOD_I18N_USER": "walker",
        "NO_COLOR": "1",
    }
    run = subprocess.run(
        ["bash", str(REPO / "examples" / "walkthrough.sh")],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    lines = run.stdout.splitlines()
    page = demo / "mirror" / "2016" / f"{SLUG}.html"
    assert lines[-1] == f"Published page: {page}"
    for step in ("== 1.", "== 2.", "== 3.", "== 4.", "== 5."):
        assert any(line.startswith(step) for line in lines), step
    assert f"{demo}/locales/ca/2016/{SLUG}.po: 6 of 6 messages translated by Marta Puig <marta@example.org>" in lines
    assert "6 units approved, 0 units left as they were" in lines
    html = page.read_text(encoding="utf-8")
    assert "Agrupar-se per defensar" in html
    assert "22 de juliol de 2016" in html
    assert "els limfòcits T donen l’alarma" in html

    # Who did what, as the history tells it: Marta translated, Joan approved.
    runner = CliRunner()
    history = runner.invoke(
        app, ["-C", str(demo), "--db", db_url, "history", SLUG, "--locale", "ca", "--json"], catch_exceptions=False
    )
    events = json.loads(history.stdout)
    translated = [e for e in events if e["to_state"] == "translated"]
    approved = [e for e in events if e["action"] == "approve"]
    assert len(translated) == 6 and {e["actor"] for e in translated} == {"Marta Puig <marta@example.org>"}
    assert len(approved) == 6 and {e["actor"] for e in approved} == {"joan"}

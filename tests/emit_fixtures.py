"""The emit tests' shared scenario: the three sample pages through the real CLI up to review.

After :func:`catalan_project`:
  - 2016-07-22-massing-to-defend: fully translated by marta, approved by jordi (reviewed);
  - 2016-04-30-trained-killers: fully translated by marta, not reviewed (translated);
  - 2021-06-19-reassessing-als: 7 of its 9 sentences translated (78%), 2 untranslated;
  - site catalog: "Written by" → "Escrit per", approved.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from helpers import translate_po

FIXTURES = Path(__file__).parent / "fixtures"
PAGES = FIXTURES / "pages"
EXPECTED = FIXTURES / "emit"
TRANSLATIONS: dict[str, dict[str, str]] = json.loads((EXPECTED / "ca-translations.json").read_text(encoding="utf-8"))
MASSING = "2016-07-22-massing-to-defend"
KILLERS = "2016-04-30-trained-killers"
ALS = "2021-06-19-reassessing-als"
ALS_UNTRANSLATED = {  # the two sentences of ALS left untranslated
    "Furthermore, silencing interneurons in healthy mice led to ALS-like coordination problems.",
    "For now, an ALS cure remains wishful thinking, but it’s hoped that these new insights will bring new intervention opportunities.",
}

Cli = Callable[..., Any]


def po_file(project_dir: Path, slug: str) -> Path:
    if slug == "site":
        return project_dir / "locales/ca/site.po"
    return project_dir / "locales/ca" / slug[:4] / f"{slug}.po"


def ok(result: Any) -> Any:
    assert result.exit_code == 0, result.output
    return result


def catalan_project(cli: Cli, project_dir: Path) -> None:
    ok(cli("ingest", str(PAGES)))
    ok(cli("export", "-l", "ca"))
    for slug, texts in TRANSLATIONS.items():
        translate_po(po_file(project_dir, slug), texts)
    ok(cli("import", str(project_dir / "locales/ca"), "--by", "marta"))
    ok(cli("review", "-l", "ca", "--approve", MASSING, "site", "--by", "jordi"))


def retranslate(
    cli: Cli, project_dir: Path, slug: str, texts: dict[str, str], *, approve: bool = True, force_qa: str | None = None
) -> None:
    """A translator changes some texts of one entry in its PO; a reviewer approves them
    (``force_qa``: despite their QA errors, for this reason)."""
    ok(cli("export", "-l", "ca", "--entry", slug))
    translate_po(po_file(project_dir, slug), texts)
    ok(cli("import", str(po_file(project_dir, slug)), "--by", "marta"))
    if approve:
        ok(
            cli(
                "review",
                "-l",
                "ca",
                "--approve",
                slug,
                "--by",
                "jordi",
                *(["--force-qa", force_qa] if force_qa else []),
            )
        )


def uid_of(cli: Cli, slug: str, field: str, position: int = 1) -> str:
    show = json.loads(ok(cli("show", slug, "--json")).stdout)
    return next(u["uid"] for u in show["units_detail"] if u["field"] == field and u["position"] == position)


def emit_json(cli: Cli, out: Path, *args: str, code: int = 0) -> dict[str, Any]:
    result = cli("emit", "--locale", "ca", "--out", str(out), *args, "--json")
    assert result.exit_code == code, result.output
    return json.loads(result.stdout)


def files_with_mtimes(folder: Path) -> dict[str, tuple[int, bytes]]:
    """Every file under ``folder`` (manifest included) with its mtime_ns and bytes."""
    return {
        str(p.relative_to(folder)): (os.stat(p).st_mtime_ns, p.read_bytes())
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }

"""Benchmark of ``bpod-i18n emit`` through the real CLI: a first run, then a no-change re-run.

    PYTHONPATH=. python benchmarks/bench_emit.py [--entries 4000] [--db URL] [--keep DIR]

Without an existing project, ``main`` builds one: a synthetic archive (benchmarks/synthetic.py)
ingested, exported for ca, every PO filled in and imported, so every entry is translated;
emit then runs with ``--min-state translated`` (every entry ready). ``run`` is the piece
benchmarks/run.py can call on the project it has already built.
Targets (issue 6): 4 000 ready entries emitted < 15 s; a re-run with nothing changed < 3 s.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import polib

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import build_archive

FIRST_RUN_TARGET_S = 15.0
RERUN_TARGET_S = 3.0


def _emit(
    project_dir: Path, locale: str, out: Path, extra: list[str], env: dict[str, str]
) -> tuple[float, dict[str, Any]]:
    argv = [
        sys.executable,
        "-m",
        "bpod_i18n",
        "-q",
        "-C",
        str(project_dir),
        "emit",
        "--locale",
        locale,
        "--out",
        str(out),
        "--json",
        *extra,
    ]
    start = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True, env=env, check=False)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"emit exited {proc.returncode}:\n{proc.stderr}")
    report = json.loads(proc.stdout)
    counts = {key: len(report[key]) for key in ("new", "updated", "unchanged", "withdrawn", "not_ready")}
    return seconds, counts


def run(
    project_dir: Path,
    locale: str,
    out: Path,
    *,
    min_state: str | None = None,
    fmt: str = "html",
    env: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Time ``emit`` on an existing project into ``out`` (emptied first), then again unchanged.

    Returns wall seconds and the report counts of both runs, plus whether each met its target.
    ``min_state="translated"`` counts imported-but-unreviewed entries as ready.
    """
    shutil.rmtree(out, ignore_errors=True)
    extra = ["--format", fmt] + (["--min-state", min_state] if min_state else [])
    env = env or dict(os.environ)
    first_s, first = _emit(project_dir, locale, out, extra, env)
    rerun_s, rerun = _emit(project_dir, locale, out, extra, env)
    return {
        "entries_emitted": first["new"] + first["updated"] + first["unchanged"],
        "first_s": round(first_s, 2),
        "first": first,
        "first_ok": first_s < FIRST_RUN_TARGET_S,
        "rerun_s": round(rerun_s, 2),
        "rerun": rerun,
        "rerun_ok": rerun_s < RERUN_TARGET_S,
    }


def _translate(path: Path) -> None:
    po = polib.pofile(str(path))
    for entry in po:
        entry.msgstr = "«" + entry.msgid + "»"
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    po.save(str(path))


def build_project(work: Path, entries: int, locale: str, env: dict[str, str]) -> Path:
    """A project whose ``locale`` is fully translated (state translated) for ``entries`` entries."""
    project = work / "project"
    bpod = [sys.executable, "-m", "bpod_i18n", "-q", "-C", str(project)]
    archive = build_archive(work / "archive", entries)
    for step in (["init", "-l", locale], ["ingest", str(work / "archive")], ["export", "-l", locale]):
        subprocess.run(bpod + step, check=True, env=env, stdout=subprocess.DEVNULL)
    for path in sorted((project / "locales" / locale).rglob("*.po")):
        _translate(path)
    subprocess.run(
        bpod + ["import", str(project / "locales" / locale), "--by", "bench-translator"],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    print(f"(setup: {len(archive)} entries ingested, translated and imported)", flush=True)
    return project


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=4000)
    parser.add_argument("--locale", default="ca")
    parser.add_argument("--format", default="html", choices=["html", "markdown", "json"])
    parser.add_argument("--project", type=Path, help="an existing project (skips the setup)")
    parser.add_argument("--db", help="database URL (default: embedded SQLite in the project)")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args()
    env = {**os.environ, "BPOD_I18N_USER": "bench"}
    if args.db:
        env["BPOD_I18N_DB"] = args.db
    work = args.keep or Path(tempfile.mkdtemp(prefix="bpod-bench-emit-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        project = args.project or build_project(work, args.entries, args.locale, env)
        result = run(project, args.locale, work / "mirror", min_state="translated", fmt=args.format, env=env)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    for name, target in (("first", FIRST_RUN_TARGET_S), ("rerun", RERUN_TARGET_S)):
        verdict = "ok" if result[f"{name}_ok"] else "OVER"
        print(f"emit {name:<6} {result[f'{name}_s']:6.2f} s  (< {target:g} s {verdict})  {result[name]}")


if __name__ == "__main__":
    main()

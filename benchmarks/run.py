"""Benchmarks on a synthetic archive: 4 000 entries × 3 locales (ca, es, fr).

Each command runs as its own process through the real CLI, so the figures are what a user
sees: wall time and that process's peak memory (ru_maxrss from wait4). Usage:

    python benchmarks/run.py [--entries 4000] [--db postgresql://...] [--keep DIR]

Targets come from the issues; a line says "over" when a figure misses its target. Then, in
the same run: re-ingest + re-export after a 4 % edit beside po4a (bench_update.py, issue 11's
ratio) and `import`/`check` of one PO of 2 500-20 000 units (bench_import_scaling.py).
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
from dataclasses import asdict
from multiprocessing import Pool
from pathlib import Path

import polib

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_import_scaling
import bench_update
from synthetic import build_archive
from timing import Figure, run

LOCALES = ["ca", "es", "fr"]


def _translate_file(path: str) -> None:
    po = polib.pofile(path)
    po.metadata["Last-Translator"] = "Bench Translator <bench@example.org>"
    for entry in po:
        entry.msgstr = "«" + entry.msgid + "»"
    po.save(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=4000)
    parser.add_argument("--db", help="database URL (default: embedded SQLite in the project)")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args()

    work = args.keep or Path(tempfile.mkdtemp(prefix="bpod-bench-"))
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    env = {**os.environ, "BPOD_I18N_USER": "bench"}
    if args.db:
        env["BPOD_I18N_DB"] = args.db
    bpod = [sys.executable, "-m", "bpod_i18n", "-q", "-C", str(work / "project")]
    figures: list[Figure] = []

    start = time.perf_counter()
    # Whole entries: a picture, italics, sub/sup and a link in each (issue 12).
    archive = build_archive(work / "archive", args.entries, markup=True)
    print(f"synthetic archive: {len(archive)} entries in {time.perf_counter() - start:.1f} s ({work})")
    print(f"{'step':<44} {'wall':>10} {'peak RSS':>11}  target")
    figures.append(run("init", bpod + ["init", "-l", "ca", "-l", "es", "-l", "fr"], env=env))
    figures.append(run(f"ingest {len(archive)} entries", bpod + ["ingest", str(work / "archive")], target=20, env=env))
    figures.append(run("re-ingest, unchanged", bpod + ["ingest", str(work / "archive")], target=5, env=env))
    for lc in LOCALES:
        figures.append(run(f"export {lc}", bpod + ["export", "-l", lc], target=10, env=env))
    figures.append(run("export ca again (no change)", bpod + ["export", "-l", "ca"], target=10, env=env))

    po_files = sorted(str(p) for p in (work / "project/locales/ca").rglob("*.po"))
    start = time.perf_counter()
    with Pool(2) as pool:
        pool.map(_translate_file, po_files, chunksize=50)
    print(f"(setup: translated {len(po_files)} ca PO files in {time.perf_counter() - start:.1f} s)")
    figures.append(
        run(
            f"import ca ({len(po_files)} PO files)",
            bpod + ["import", str(work / "project/locales/ca")],
            target=30,
            env=env,
        )
    )
    figures.append(run("status (all locales)", bpod + ["status", "--json"], target=2, env=env))
    figures.append(run("status --locale ca", bpod + ["status", "-l", "ca", "--json"], target=2, env=env))

    # The CI gate over 3 × 4 000 PO files (ca translated, es and fr not: the gate fails, exit 1),
    # beside GNU msgfmt and Translate Toolkit's pofilter on the same files.
    locales_dir = work / "project/locales"
    po_files = sum(1 for _ in locales_dir.rglob("*.po"))
    figures.append(
        run(
            f"check, PO files only ({po_files} files)",
            bpod + ["check", "--no-db", "--format", "json"],
            target=10,
            env=env,
            ok_codes=(0, 1),
        )
    )
    figures.append(
        run(
            "check, with review states from the DB",
            bpod + ["check", "--format", "json"],
            target=10,
            env=env,
            ok_codes=(0, 1),
        )
    )
    if shutil.which("msgfmt"):
        figures.append(
            run(
                "  msgfmt --statistics, same files (2 jobs)",
                [
                    "sh",
                    "-c",
                    f"find '{locales_dir}' -name '*.po' -print0 | xargs -0 -P2 -n1 msgfmt --statistics -o /dev/null 2>/dev/null",
                ],
                env=env,
                note="comparison",
            )
        )
    pofilter = shutil.which("pofilter", path=str(Path(sys.executable).parent)) or shutil.which("pofilter")
    if pofilter:
        (work / "pofilter").mkdir(exist_ok=True)
        jobs = [
            f"'{pofilter}' --progress=none -i '{locales_dir / lc}' -o '{work / 'pofilter' / lc}' >/dev/null & p{i}=$!"
            for i, lc in enumerate(LOCALES)
        ]
        waits = "; ".join(f"wait $p{i}" for i in range(len(LOCALES)))  # each job's exit status counts
        figures.append(
            run(
                "  pofilter, same files (3 jobs)",
                ["sh", "-ec", "; ".join(jobs) + "; " + waits],
                env=env,
                note="comparison",
            )
        )

    mirror = work / "mirror"
    emit = bpod + ["emit", "-l", "ca", "--out", str(mirror), "--min-state", "translated", "--json"]
    figures.append(run("emit ca, 4 000 entries (html)", emit, target=15, env=env))
    figures.append(run("emit ca again (no change)", emit, target=3, env=env))

    # A reviewer approves every translated unit of the locale in one scripted call: a second
    # person, for the four-eyes rule keeps "bench", who imported the files, from approving them.
    slugs = [path.stem for path in archive]
    reviewer = {**env, "BPOD_I18N_USER": "bench-reviewer"}
    figures.append(
        run(
            f"review --approve, ca ({len(slugs)} entries)",
            bpod + ["review", "-l", "ca", "--approve", *slugs],
            env=reviewer,
        )
    )
    # Each builds its own projects; on the embedded SQLite even under --db, as a second
    # project on the same database would see this run's entries.
    local_env = {key: value for key, value in env.items() if key != "BPOD_I18N_DB"}
    print("--- bench_update.py: re-ingest + re-export after a 4 % edit, beside po4a (SQLite)", flush=True)
    figures.extend(bench_update.measure(args.entries, local_env, work=work / "update" if args.keep else None))
    print("--- bench_import_scaling.py: one PO file of N units (SQLite)", flush=True)
    figures.extend(
        bench_import_scaling.measure(
            list(bench_import_scaling.SIZES), local_env, work=work / "import-scaling" if args.keep else None
        )
    )

    here = Path(__file__).parent
    for script in ("bench_glossary.py", "bench_mt.py"):
        print(f"--- {script}", flush=True)
        subprocess.run([sys.executable, str(here / script)], env=env, check=False)

    out = Path(__file__).parent / "out"
    out.mkdir(exist_ok=True)
    (out / "results.json").write_text(json.dumps([asdict(f) for f in figures], indent=2))
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

"""How `import` and `check --no-db` grow with the size of one PO file.

    python benchmarks/bench_import_scaling.py [--sizes 2500 5000 10000 20000] [--also 100000] [--keep DIR]

Issue 11: importing one 10 000-entry PO takes 4 s and grows quadratically (a 450 000-entry
file ran over 10 minutes): reading must be linear. For each N this builds a project whose one
entry is an English page of N sentences (so its PO file has N units), exports it for ca,
fills every msgstr, and times, each as its own process through the CLI:

* ``import`` of that one file (every unit new: N translations written);
* ``check --no-db`` of that one file (the CI gate reads it the same way).

Seconds per 1 000 units should stay flat when reading is linear; under quadratic growth it
doubles with each doubling of N. Setup steps (ingest, export) are timed too, as context.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

import polib

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import sentence
from timing import Figure, run

LOCALE = "ca"
SIZES = (2500, 5000, 10_000, 20_000)
SENTENCES_PER_PARAGRAPH = 8
SLUG = "2020-01-01-long-entry"


@dataclass
class Row:
    units: int
    ingest: Figure
    export: Figure
    import_: Figure
    check: Figure


def plain_sentence(rng: random.Random) -> str:
    """A synthetic sentence the segmenter takes as one unit, so the PO has about the N units
    asked for: no abbreviations ("e.g.", "Dr.", "Fig."), and not ending in "cancer." (nupunkt
    does not end a sentence there, so it would merge with the next)."""
    while True:
        text = sentence(rng)
        if "." not in text[:-1] and not text.endswith("cancer."):
            return text


def long_page(units: int, seed: int = 11) -> str:
    """Page text (the .txt ingest format) of one entry whose body has ``units`` sentences."""
    rng = random.Random(seed)
    sentences = [plain_sentence(rng) for _ in range(units)]
    paragraphs = [
        " ".join(sentences[i : i + SENTENCES_PER_PARAGRAPH]) for i in range(0, units, SENTENCES_PER_PARAGRAPH)
    ]
    title = "Long Entry"
    return f"{title}\n01 January 2020\n\n{title}\n\n" + "\n\n".join(paragraphs) + "\n\nWritten by Kat Arney\n"


def fill(po_path: Path) -> int:
    """Every msgstr filled; returns the unit count. polib without its duplicate check,
    which is itself quadratic and would dominate the setup."""
    catalog = polib.pofile(str(po_path), check_for_duplicates=False)
    catalog.metadata["Last-Translator"] = "Bench Translator <bench@example.org>"
    units = 0
    for entry in catalog:
        if entry.msgid and not entry.obsolete:
            entry.msgstr = "«" + entry.msgid + "»"
            units += 1
    catalog.save(str(po_path))
    return units


def imported_units(bpod: list[str], env: dict) -> int:
    """Translated units of the long entry in ca according to the database, after the import."""
    out = subprocess.run(
        bpod + ["status", "-l", LOCALE, "--json"], env=env, capture_output=True, text=True, check=False
    )
    if out.returncode != 0:
        raise SystemExit(f"status after import: exit {out.returncode}\n{out.stderr}")
    entries = [e for e in json.loads(out.stdout)["entries"] if e["slug"] == SLUG]
    if not entries:
        raise SystemExit(f"status after import: no entry {SLUG}")
    return int(entries[0]["locales"][LOCALE]["translated"])


def measure_one(work: Path, units: int, env: dict) -> Row:
    folder = work / str(units)
    (folder / "archive").mkdir(parents=True)
    (folder / "archive" / f"{SLUG}.txt").write_text(long_page(units), encoding="utf-8")
    bpod = [sys.executable, "-m", "bpod_i18n", "-q", "-C", str(folder / "project")]
    run("init", bpod + ["init", "-l", LOCALE], env=env, quiet=True)
    ingest = run("ingest", bpod + ["ingest", str(folder / "archive")], env=env, quiet=True)
    export = run("export", bpod + ["export", "-l", LOCALE], env=env, quiet=True)
    po_path = folder / "project" / "locales" / LOCALE / "2020" / f"{SLUG}.po"
    if not po_path.is_file():
        raise SystemExit(f"export did not write {po_path}")
    found = fill(po_path)
    if abs(found - units) > units // 100:
        raise SystemExit(f"N={units}: the exported PO has {found} units (segmentation changed?)")
    import_ = run("import", bpod + ["import", str(po_path)], env=env, quiet=True)
    stored = imported_units(bpod, env)
    if stored != found:
        raise SystemExit(f"N={units}: import stored {stored} translations of the {found} in the file")
    # Exit 1 is a gate that fails (QA findings on the stand-in translations), still a full run.
    check = run(
        "check", bpod + ["check", "--no-db", "--format", "json", str(po_path)], env=env, ok_codes=(0, 1), quiet=True
    )
    return Row(found, ingest, export, import_, check)


def per_thousand(figure: Figure, units: int) -> float:
    return figure.seconds / units * 1000


def print_header() -> None:
    print(
        f"{'units':>8} {'import':>9} {'s/1000':>7} {'check --no-db':>14} {'s/1000':>7}"
        f" {'import MB':>10}   {'(ingest':>8} {'export)':>8}",
        flush=True,
    )


def print_row(row: Row) -> None:
    print(
        f"{row.units:>8} {row.import_.seconds:>7.2f} s {per_thousand(row.import_, row.units):>7.3f}"
        f" {row.check.seconds:>12.2f} s {per_thousand(row.check, row.units):>7.3f}"
        f" {row.import_.peak_mb:>10.0f}   {row.ingest.seconds:>6.2f} s {row.export.seconds:>6.2f} s",
        flush=True,
    )


def growth(rows: list[Row]) -> str:
    """How import time grew from the smallest to the largest N, against linear."""
    first, last = rows[0], rows[-1]
    size = last.units / first.units
    return (
        f"import: {size:.1f}× the units took {last.import_.seconds / first.import_.seconds:.1f}× the time "
        f"(linear: {size:.1f}×, quadratic: {size * size:.1f}×); check --no-db: "
        f"{last.check.seconds / first.check.seconds:.1f}×"
    )


def figures(rows: list[Row]) -> list[Figure]:
    out = []
    for row in rows:
        out.append(
            Figure(
                f"import one PO of {row.units} units",
                row.import_.seconds,
                row.import_.peak_mb,
                None,
                f"{per_thousand(row.import_, row.units):.3f} s per 1000 units",
            )
        )
        out.append(
            Figure(
                f"check --no-db one PO of {row.units} units",
                row.check.seconds,
                row.check.peak_mb,
                None,
                f"{per_thousand(row.check, row.units):.3f} s per 1000 units",
            )
        )
    return out


def measure(sizes: list[int], env: dict, work: Path | None = None) -> list[Figure]:
    keep = work is not None
    work = work or Path(tempfile.mkdtemp(prefix="bpod-bench-import-"))
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    try:
        print_header()
        rows = []
        for units in sorted(sizes):
            rows.append(measure_one(work, units, env))
            print_row(rows[-1])
            if not keep:
                shutil.rmtree(work / str(units), ignore_errors=True)
        if len(rows) > 1:
            print(growth(rows), flush=True)
        return figures(rows)
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES), help="units per PO file")
    parser.add_argument("--also", type=int, nargs="*", default=[], help="larger sizes on top, e.g. --also 100000")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args()
    env = {**os.environ, "BPOD_I18N_USER": "bench"}
    result = measure(args.sizes + args.also, env, work=args.keep)
    out = Path(__file__).parent / "out"
    out.mkdir(exist_ok=True)
    (out / "import_scaling.json").write_text(json.dumps([asdict(f) for f in result], indent=2))


if __name__ == "__main__":
    main()

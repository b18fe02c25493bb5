"""How `ingest` grows with repeated identical sentences in one entry.

    python benchmarks/bench_ingest_repeats.py [--sizes 1000 2000 4000 8000 20000]

Issue 14: an entry of 20 000 identical sentences took over 5 minutes to ingest, because
giving each repeat its unit id tried every id already given to that sentence (quadratic),
and re-ingesting paired each new repeat by scanning every old one. For each N this ingests,
each as its own process through the CLI, an entry whose body is N copies of one sentence
(8 to a paragraph), then re-ingests it with one sentence appended (every old unit is paired
again, one added). Seconds per 1 000 units should stay flat when both are linear; under
quadratic growth they double with each doubling of N.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import Figure, run

SIZES = (1000, 2000, 4000, 8000, 20_000)
SENTENCE = "The cells divide again."
PER_PARAGRAPH = 8
SLUG = "2020-01-01-repeats"


@dataclass
class Row:
    units: int
    first: Figure
    again: Figure


def page(units: int, *, extra: str = "") -> str:
    paragraphs = [" ".join([SENTENCE] * min(PER_PARAGRAPH, units - i)) for i in range(0, units, PER_PARAGRAPH)]
    if extra:
        paragraphs.append(extra)
    title = "Repeats"
    return f"{title}\n01 January 2020\n\n{title}\n\n" + "\n\n".join(paragraphs) + "\n\nWritten by Kat Arney\n"


def measure_one(work: Path, units: int) -> Row:
    folder = work / str(units)
    archive = folder / "archive"
    archive.mkdir(parents=True)
    entry = archive / f"{SLUG}.txt"
    entry.write_text(page(units), encoding="utf-8")
    bpod = [sys.executable, "-m", "bpod_i18n", "-q", "-C", str(folder / "project")]
    run("init", bpod + ["init", "-l", "ca"], quiet=True)
    first = run(f"ingest {units} repeats", bpod + ["ingest", str(archive)], quiet=True)
    entry.write_text(page(units, extra="A new sentence at the end."), encoding="utf-8")
    again = run(f"re-ingest {units} repeats, one added", bpod + ["ingest", str(archive)], quiet=True)
    return Row(units, first, again)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bpod-bench-repeats-"))
    try:
        print(f"{'units':>7} {'ingest':>9} {'s/1000':>7} {'re-ingest':>10} {'s/1000':>7}", flush=True)
        rows = []
        for units in sorted(args.sizes):
            row = measure_one(work, units)
            rows.append(row)
            print(
                f"{units:>7} {row.first.seconds:>7.2f} s {row.first.seconds / units * 1000:>7.3f}"
                f" {row.again.seconds:>8.2f} s {row.again.seconds / units * 1000:>7.3f}",
                flush=True,
            )
            shutil.rmtree(work / str(units), ignore_errors=True)
        if len(rows) > 1:
            size = rows[-1].units / rows[0].units
            print(
                f"{size:.0f}× the units: ingest {rows[-1].first.seconds / rows[0].first.seconds:.1f}× the time, "
                f"re-ingest {rows[-1].again.seconds / rows[0].again.seconds:.1f}× "
                f"(linear {size:.0f}×, quadratic {size * size:.0f}×)",
                flush=True,
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

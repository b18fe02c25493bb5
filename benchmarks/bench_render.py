"""Benchmark of the render side of ``bpod-i18n emit``: render + sync N entries, then re-run.

    PYTHONPATH=. python benchmarks/bench_render.py [N] [html|markdown|json]

``run(entries)`` is the piece the workflow benchmark reuses: it renders the given entries,
syncs them into a fresh temporary folder, then does the same again with nothing changed.
Targets (4000 entries): first run well under 15 s (the DB part is added on top), re-run < 3 s.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bpod_i18n.render import LocalisedEntry, apply_sync, plan_sync, render_file
from bpod_i18n.render.engine import Format

PARAGRAPH = (
    "A la primera línia de la batalla del sistema immunitari contra els patògens, els limfòcits T "
    "donen l'alarma i estimulen la resposta del cos davant el perill. S'activen quan els receptors "
    "proteics de la seva superfície detecten un intrús, cosa que desencadena un seguit de processos "
    "cel·lulars que acaben destruint el patogen i n'afavoreixen la detecció arreu del cos."
)


@dataclass(frozen=True)
class RunTimes:
    render_s: float
    plan_s: float
    apply_s: float
    written: int
    unchanged: int

    @property
    def total_s(self) -> float:
        return self.render_s + self.plan_s + self.apply_s


@dataclass(frozen=True)
class BenchResult:
    entries: int
    first: RunTimes
    rerun: RunTimes


def synthetic_entries(count: int, locale: str = "ca") -> list[LocalisedEntry]:
    """``count`` distinct entries, one a day from 2011, three paragraphs each (~2 KB of text)."""
    start = dt.date(2011, 1, 1)
    entries = []
    for i in range(count):
        date = start + dt.timedelta(days=i)
        entries.append(
            LocalisedEntry(
                slug=f"{date.isoformat()}-entrada-{i}",
                locale=locale,
                date=date,
                title=f"Entrada número {i}",
                paragraphs=[f"{PARAGRAPH} ({i}.{n})" for n in range(1, 4)],
                standfirst="Una imatge del dia de biomedicina" if i % 3 == 0 else None,
                author="Emmanuelle Briolat",
                credits=[f"Imatge cedida pels autors {i}"],
                translator_credit="Universitat de València",
                original_url=f"https://www.bpod.org.uk/archive/{date.year}/{date.month}/{date.day}",
            )
        )
    return entries


def _one_run(entries: Sequence[LocalisedEntry], out_dir: Path, fmt: Format) -> RunTimes:
    t0 = time.perf_counter()
    files = {e.slug: render_file(e, fmt, versions=1) for e in entries}
    t1 = time.perf_counter()
    plan = plan_sync(out_dir, files, fmt=fmt, withdrawn_policy="remove")
    t2 = time.perf_counter()
    report = apply_sync(plan)
    t3 = time.perf_counter()
    return RunTimes(t1 - t0, t2 - t1, t3 - t2, len(report.written), report.unchanged)


def run(entries: Sequence[LocalisedEntry], *, fmt: Format = "html", out_dir: Path | None = None) -> BenchResult:
    """Render + sync ``entries`` into ``out_dir`` (a fresh temp folder by default), then re-run."""
    with tempfile.TemporaryDirectory(prefix="bpod-i18n-bench-") as tmp:
        target = out_dir if out_dir is not None else Path(tmp) / "site"
        first = _one_run(entries, target, fmt)
        rerun = _one_run(entries, target, fmt)
    return BenchResult(len(entries), first, rerun)


def main(argv: list[str]) -> None:
    count = int(argv[0]) if argv else 4000
    fmt: Format = argv[1] if len(argv) > 1 else "html"  # type: ignore[assignment]
    result = run(synthetic_entries(count), fmt=fmt)
    for name, times in (("first run", result.first), ("no-change re-run", result.rerun)):
        print(
            f"{name:17} {times.total_s:6.2f} s  (render {times.render_s:.2f}, plan {times.plan_s:.2f}, "
            f"apply {times.apply_s:.2f}; written {times.written}, unchanged {times.unchanged})"
        )


if __name__ == "__main__":
    main(sys.argv[1:])

"""Benchmark `bpod-i18n check` against GNU msgfmt --statistics and Translate Toolkit's pofilter.

    python benchmarks/bench_check.py [--entries 4000] [--jobs 2] [--keep DIR]

writes a synthetic archive (entries × ca/es/it PO files of ~10 units, some untranslated,
fuzzy or defective) into a temporary directory, then times the three tools on the same files.
``run(po_paths)`` times run_checks alone and is what other scripts import.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import polib

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bpod_i18n.checks import GateSettings, run_checks

LOCALES = ("ca", "es", "it")
SENTENCES = (
    "T cells raise the alarm and stimulate the body's response to danger.",
    "These clusters measure around {small} µm across, about {ratio} times larger than before.",
    "Researchers imaged {count} cells in a live mouse (using super-resolution microscopy).",
    "The archive holds more than {big} images from {year}.",
    "Could a deeper understanding of <em>T-cell activation</em> reveal new treatments?",
    "Scientists call these structures “protein islands”.",
    "Written by {name}",
    "Image from work by {name} and colleagues, University of Cambridge, UK.",
    "The virus spreads in {hours} h at {temp} °C – faster than expected!",
    "See https://bpod.org.uk/archive for more.",
    "Roughly {percent}% of patients respond to the drug...",
    "Published in Nature Communications, {month} {year}.",
)
NAMES = ("Emmanuelle Briolat", "Anthony Lewis", "Sarah Bow", "John Ankers")
MONTHS = ("January", "March", "July", "October")


def _english(rng: random.Random) -> str:
    return rng.choice(SENTENCES).format(
        small=f"{rng.randint(1, 9)}.{rng.randint(1, 9)}",
        ratio=rng.randint(2, 9),
        count=f"{rng.randint(1, 40) * 1000:,}",
        big=rng.randint(1000, 4000),
        year=rng.randint(2012, 2024),
        name=rng.choice(NAMES),
        hours=rng.randint(2, 48),
        temp=rng.randint(20, 40),
        percent=rng.randint(5, 95),
        month=rng.choice(MONTHS),
    )


def _pseudo_translate(text: str, locale: str) -> str:
    """A stand-in translation: long words reversed (case kept), numbers in the locale's
    notation, quotes localised, URLs and tags untouched, Spanish opening marks added."""

    def word(match: re.Match[str]) -> str:
        reversed_word = match.group()[::-1].lower()
        return reversed_word.capitalize() if match.group()[0].isupper() else reversed_word

    def number(match: re.Match[str]) -> str:
        return match.group().replace(",", "\0").replace(".", ",").replace("\0", ".")

    pieces = re.split(r"(https?://\S+|<[^>]+>)", text)
    for i in range(0, len(pieces), 2):
        piece = re.sub(r"\b[A-Za-z]{4,}\b", word, pieces[i])
        pieces[i] = re.sub(r"\d[\d,.]*\d", number, piece).replace("“", "«").replace("”", "»")
    translated = "".join(pieces)
    if locale == "es" and translated.endswith("?"):
        translated = "¿" + translated
    if locale == "es" and translated.endswith("!"):
        translated = "¡" + translated
    return translated


def _defect(target: str, rng: random.Random) -> str:
    return rng.choice(
        (
            lambda t: re.sub(r"\d", "7", t, count=1) if re.search(r"\d", t) else t + " 7",
            lambda t: t.replace("<em>", "<i>").replace("</em>", "</i>") if "<em>" in t else t.rstrip(".!?") + ":",
            lambda t: t.replace(" ", "  ", 1),
            lambda t: t + " (",
            lambda t: t.rstrip(".!?"),
        )
    )(target)


def write_archive(root: Path, entries: int, seed: int = 7) -> list[Path]:
    rng = random.Random(seed)
    start = dt.date(2012, 1, 1)
    paths = []
    for locale in LOCALES:
        for n in range(entries):
            date = start + dt.timedelta(days=n)
            slug = f"{date.isoformat()}-entry-{n}"
            po = polib.POFile(wrapwidth=0)
            po.metadata = {
                "Project-Id-Version": "BPoD",
                "Language": locale,
                "MIME-Version": "1.0",
                "Content-Type": "text/plain; charset=UTF-8",
                "Content-Transfer-Encoding": "8bit",
                "Plural-Forms": "nplurals=2; plural=(n != 1);",
            }
            for i in range(rng.randint(8, 12)):
                source = _english(rng)
                target = _pseudo_translate(source, locale)
                roll = rng.random()
                flags = []
                if roll < 0.05:
                    target = ""
                elif roll < 0.10:
                    flags = ["fuzzy"]
                elif roll < 0.15:
                    target = _defect(target, rng)
                po.append(
                    polib.POEntry(
                        msgctxt=f"{n:06d}{i:04d}",
                        msgid=source,
                        msgstr=target,
                        flags=flags,
                        occurrences=[(f"{slug}/body.1", str(i + 1))],
                        comment=f"paragraph 1, sentence {i + 1}",
                    )
                )
            path = root / "locales" / locale / f"{date.year}" / f"{slug}.po"
            path.parent.mkdir(parents=True, exist_ok=True)
            po.save(str(path))
            paths.append(path)
    return paths


def _cpu_seconds() -> float:
    """CPU time of this process and its finished children: wall time lies on a busy machine."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def run(po_paths: Sequence[Path], *, jobs: int | None = None) -> dict:
    """Time run_checks over ``po_paths`` (no gate thresholds: every file checked to the end)."""
    settings = GateSettings(max_untranslated=None, max_fuzzy=None)
    started, cpu = time.perf_counter(), _cpu_seconds()
    result = run_checks(list(po_paths), locale=None, settings=settings, today=dt.date(2024, 1, 1), jobs=jobs)
    seconds = time.perf_counter() - started
    return {
        "tool": "bpod-i18n check",
        "files": result.files,
        "units": result.units,
        "problems": len(result.problems),
        "errors": sum(s.errors for s in result.locales),
        "warnings": sum(s.warnings for s in result.locales),
        "seconds": round(seconds, 2),
        "cpu_seconds": round(_cpu_seconds() - cpu, 2),
        "units_per_second": round(result.units / seconds),
        "load_average": round(os.getloadavg()[0], 1),
    }


def time_msgfmt(root: Path, jobs: int) -> dict | None:
    """GNU msgfmt --statistics on every file, ``jobs`` processes in parallel (xargs -P)."""
    if shutil.which("msgfmt") is None:
        return None
    started, cpu = time.perf_counter(), _cpu_seconds()
    finder = subprocess.Popen(["find", str(root / "locales"), "-name", "*.po", "-print0"], stdout=subprocess.PIPE)
    done = subprocess.run(
        ["xargs", "-0", "-P", str(jobs), "-n", "1", "msgfmt", "--statistics", "-o", "/dev/null"],
        stdin=finder.stdout,
        capture_output=True,
        text=True,
        check=False,  # msgfmt's exit status is judged below
    )
    finder.wait()
    seconds = time.perf_counter() - started
    return {
        "tool": "msgfmt --statistics",
        "seconds": round(seconds, 2),
        "cpu_seconds": round(_cpu_seconds() - cpu, 2),
        "exit": done.returncode,
        "lines": len(done.stderr.splitlines()),
        "load_average": round(os.getloadavg()[0], 1),
    }


def time_pofilter(root: Path, jobs: int) -> dict | None:
    """Translate Toolkit's pofilter (all default checks) over each locale, ``jobs`` at a time."""
    pofilter = shutil.which("pofilter", path=str(Path(sys.executable).parent)) or shutil.which("pofilter")
    if pofilter is None:
        return None
    out = root / "pofilter-out"
    out.mkdir(exist_ok=True)
    started, cpu = time.perf_counter(), _cpu_seconds()
    processes = []
    pending = list(LOCALES)
    codes = []
    while pending or processes:
        while pending and len(processes) < jobs:
            locale = pending.pop(0)
            processes.append(
                subprocess.Popen(
                    [pofilter, "--progress=none", "-i", str(root / "locales" / locale), "-o", str(out / locale)],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
        codes.append(processes.pop(0).wait())
    seconds, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
    findings = sum(len(polib.pofile(str(p))) for p in out.rglob("*.po"))
    return {
        "tool": f"pofilter ({pofilter})",
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),
        "exit": max(codes),
        "units_flagged": findings,
        "load_average": round(os.getloadavg()[0], 1),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=4000)
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--keep", type=Path, help="write the archive here and keep it")
    parser.add_argument("--skip-pofilter", action="store_true")
    args = parser.parse_args(argv)
    root = args.keep or Path(tempfile.mkdtemp(prefix="bpod-bench-check-"))
    try:
        started = time.perf_counter()
        paths = write_archive(root, args.entries)
        print(f"wrote {len(paths)} PO files in {time.perf_counter() - started:.1f} s under {root}", flush=True)
        ours = run([root / "locales"], jobs=args.jobs)
        print(ours, flush=True)
        serial = run([root / "locales"], jobs=1)
        print({**serial, "tool": "bpod-i18n check (1 process)"}, flush=True)
        print(time_msgfmt(root, args.jobs) or "msgfmt not installed", flush=True)
        if not args.skip_pofilter:
            print(time_pofilter(root, args.jobs) or "pofilter not installed", flush=True)
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

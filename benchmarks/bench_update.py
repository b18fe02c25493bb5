"""Re-ingest + re-export of one locale after an edit, beside po4a's update of the same archive.

    python benchmarks/bench_update.py [--entries 4000] [--translated] [--rounds 1] [--keep DIR]

Issue 11: after 4 % of the archive's body paragraphs are edited, re-ingest + re-export of one
locale must be at least 5× faster than po4a's update of the same archive. Both sides start
from the same synthetic archive (benchmarks/synthetic.py) and get the same edits:

* bpod-i18n: ``init``, ``ingest``, ``export -l ca`` (setup, untimed); edit; then ``ingest``
  and ``export -l ca``, each its own process through the CLI, timed together.
* po4a (Debian package ``po4a``): one ``[type: text]`` document per entry, one PO for ca;
  ``po4a --no-translations po4a.cfg`` once (setup, untimed: writes the POT and ca.po); edit;
  then the same command again, timed: it re-reads every document, rewrites the POT and
  msgmerges ca.po.

``--translated`` fills every msgstr on both sides before the edit (bpod-i18n: PO files
filled and imported; po4a: ca.po filled), so the update has translations to keep or mark
stale, and msgmerge has translated messages to fuzzy-match the new paragraphs against.

Each side's output is checked afterwards (every edited paragraph's new text is in po4a's
ca.po, and in the entry's PO file that bpod-i18n exported); a step that fails or did not do
the work stops the script with a non-zero exit before any figure is printed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import asdict, dataclass
from multiprocessing import Pool
from pathlib import Path

import polib

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import build_archive, sentence
from timing import Figure, run

LOCALE = "ca"
EDIT_FRACTION = 0.04
TARGET_RATIO = 5.0
# The synthetic date line ("06 January 2013"): body paragraphs start after it and its title.
DATE_LINE = re.compile(r"\d{2} [A-Z][a-z]+ \d{4}")
# A lowercase word inside a sentence (a word before it, a space and a word after it), so
# changing it can neither merge nor split sentences and "approx." or "e.g." are never hit.
MID_WORD = re.compile(r"(?<=[a-z,] )[a-z]{5,}(?= [a-z])")
REPLACEMENTS = ("remarkable", "intricate", "delicate", "curious", "vital", "striking")


@dataclass(frozen=True)
class Edit:
    """One edited paragraph: ``text`` is its new line (what po4a must extract as a msgid);
    ``marker`` is a piece of it that the entry's bpod-i18n PO must contain afterwards."""

    path: Path
    line: int
    text: str
    marker: str


# --- the edit ------------------------------------------------------------------------------


def body_lines(lines: list[str], path: Path) -> list[int]:
    """Indexes of the body paragraphs of a synthetic page: after the date line and the
    repeated title, before "Written by"."""
    date = next((i for i, line in enumerate(lines) if DATE_LINE.fullmatch(line)), None)
    written = next((i for i, line in enumerate(lines) if line.startswith("Written by")), None)
    if date is None or written is None:
        raise SystemExit(f"edit: {path} is not a synthetic entry page (no date line or no 'Written by')")
    after_date = [i for i in range(date + 1, written) if lines[i].strip()]
    body = after_date[1:]  # the first is the plain title repeated
    if not body:
        raise SystemExit(f"edit: {path} has no body paragraph")
    return body


def edit_paragraph(text: str, rng: random.Random) -> tuple[str, str]:
    """A copy-edit: half the time one word changed, otherwise one sentence appended.
    Returns the new paragraph and the marker to look for."""
    words = list(MID_WORD.finditer(text))
    if words and rng.random() < 0.5:
        word = rng.choice(words)
        new_word = rng.choice([w for w in REPLACEMENTS if w != word.group()])
        before = text[: word.start()].split()[-1]
        after = text[word.end() :].split()[0]
        return text[: word.start()] + new_word + text[word.end() :], f"{before} {new_word} {after}"
    added = sentence(rng)
    return f"{text} {added}", added


def plan_edits(paths: list[Path], fraction: float, seed: int) -> tuple[list[Edit], int]:
    """``fraction`` of all body paragraphs of the archive, chosen and edited with ``seed``."""
    rng = random.Random(seed)
    pages = {path: path.read_text(encoding="utf-8").split("\n") for path in paths}
    paragraphs = [(path, i) for path, lines in pages.items() for i in body_lines(lines, path)]
    chosen = sorted(rng.sample(paragraphs, round(len(paragraphs) * fraction)))
    edits = []
    for path, i in chosen:
        text, marker = edit_paragraph(pages[path][i], rng)
        edits.append(Edit(path, i, text, marker))
    return edits, len(paragraphs)


def apply_edits(edits: list[Edit]) -> None:
    by_path: dict[Path, list[Edit]] = defaultdict(list)
    for edit in edits:
        by_path[edit.path].append(edit)
    for path, changes in by_path.items():
        lines = path.read_text(encoding="utf-8").split("\n")
        for edit in changes:
            lines[edit.line] = edit.text
        path.write_text("\n".join(lines), encoding="utf-8")


# --- po4a ----------------------------------------------------------------------------------


def write_po4a_config(folder: Path, documents: list[Path]) -> Path:
    """po4a.cfg over ``documents``, paths relative to ``folder`` (po4a runs there)."""
    lines = [
        "# Layout: one PO for ca holding the whole archive, po4a's default (centralised) and the",
        "# fastest for it. Split mode ($master in [po4a_paths]: a POT/PO pair per entry, like",
        "# bpod-i18n's files) was about 30x slower in a trial at 500 entries: po4a builds a",
        "# compendium and runs msgmerge for every pair. References stay po4a's default (full):",
        "# --porefs file/never cost the same CPU. Run with --no-translations: the PO is updated and",
        "# no translated document is written, as bpod-i18n's export writes only PO files.",
        f"[po4a_langs] {LOCALE}",
        "[po4a_paths] po/archive.pot $lang:po/$lang.po",
        "[options] --master-charset UTF-8 --localized-charset UTF-8",
    ]
    for document in documents:
        source = os.path.relpath(document, folder)
        lines.append(f"[type: text] {source} $lang:translated/$lang/{document.name}")
    config = folder / "po4a.cfg"
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return config


def po4a_command(config: Path) -> list[str]:
    po4a = shutil.which("po4a")
    if po4a is None:
        raise SystemExit("po4a is not installed (Debian package po4a): cannot run the comparison")
    return [po4a, "--no-translations", "--quiet", str(config.name)]


def po_msgids(path: Path) -> set[str]:
    if not path.is_file():
        raise SystemExit(f"expected PO file missing: {path}")
    return {entry.msgid for entry in polib.pofile(str(path)) if not entry.obsolete}


def check_po4a(po: Path, edits: list[Edit], documents: int) -> None:
    """po4a must have read every edited document: each new paragraph is a msgid."""
    msgids = po_msgids(po)
    missing = [edit for edit in edits if edit.text.strip() not in msgids]
    if missing:
        raise SystemExit(
            f"po4a: {len(missing)} of {len(edits)} edited paragraphs not in {po} "
            f"(first: {missing[0].path.name} line {missing[0].line + 1})"
        )
    if len(msgids) < documents:
        raise SystemExit(f"po4a: only {len(msgids)} messages in {po} for {documents} documents")


def fill_po4a(po: Path) -> int:
    catalog = polib.pofile(str(po))
    for entry in catalog:
        entry.msgstr = "«" + entry.msgid + "»"
    catalog.save()
    return len(catalog)


# --- bpod-i18n -----------------------------------------------------------------------------


def entry_po(locales: Path, document: Path) -> Path:
    """The PO of the entry read from ``document``: its slug is the file name (synthetic
    names are <date>-<title>), its folder the year."""
    return locales / LOCALE / document.stem[:4] / f"{document.stem}.po"


def check_bpod(locales: Path, edits: list[Edit]) -> None:
    """Every edit must be in the re-exported PO of its entry. The msgids are joined with
    spaces because the segmenter may split an appended sentence or merge it with the one
    before, so the marker is looked for in the entry's text as a whole."""
    missing = []
    for edit in edits:
        joined = " ".join(po_msgids(entry_po(locales, edit.path)))
        if edit.marker not in joined:
            missing.append(edit)
    if missing:
        raise SystemExit(
            f"bpod-i18n: {len(missing)} of {len(edits)} edits not in the exported PO files "
            f"(first: {entry_po(locales, missing[0].path)}: {missing[0].marker!r})"
        )


def _fill_entry_po(path: str) -> None:
    catalog = polib.pofile(path)
    catalog.metadata["Last-Translator"] = "Bench Translator <bench@example.org>"
    for entry in catalog:
        entry.msgstr = "«" + entry.msgid + "»"
    catalog.save(path)


def fill_bpod(locales: Path) -> list[str]:
    paths = sorted(str(p) for p in (locales / LOCALE).rglob("*.po"))
    with Pool(2) as pool:
        pool.map(_fill_entry_po, paths, chunksize=50)
    return paths


# --- the measurement -----------------------------------------------------------------------


@dataclass
class Round:
    edits: int
    ingest: Figure
    export: Figure
    po4a: Figure

    @property
    def ours(self) -> float:
        return self.ingest.seconds + self.export.seconds

    @property
    def ratio(self) -> float:
        return self.po4a.seconds / self.ours


def setup(work: Path, entries: int, env: dict, translated: bool) -> tuple[list[Path], list[str], Path]:
    """Archive, bpod-i18n project (ingested, ca exported) and po4a's POT/PO: all untimed."""
    documents = build_archive(work / "archive", entries)
    bpod = [sys.executable, "-m", "bpod_i18n", "-q", "-C", str(work / "project")]
    run("setup: init", bpod + ["init", "-l", LOCALE], env=env, quiet=True)
    run("setup: ingest", bpod + ["ingest", str(work / "archive")], env=env, quiet=True)
    run("setup: export", bpod + ["export", "-l", LOCALE], env=env, quiet=True)
    if translated:
        fill_bpod(work / "project" / "locales")
        run("setup: import", bpod + ["import", str(work / "project" / "locales" / LOCALE)], env=env, quiet=True)
    po4a_dir = work / "po4a"
    po4a_dir.mkdir()
    config = write_po4a_config(po4a_dir, documents)
    run("setup: po4a", po4a_command(config), env=env, cwd=po4a_dir, quiet=True)
    if len(po_msgids(po4a_dir / "po" / f"{LOCALE}.po")) < len(documents):
        raise SystemExit(f"setup: po4a wrote too few messages for {len(documents)} documents")
    if translated:
        fill_po4a(po4a_dir / "po" / f"{LOCALE}.po")
    return documents, bpod, config


def measure_round(work: Path, documents: list[Path], bpod: list[str], config: Path, env: dict, seed: int) -> Round:
    edits, paragraphs = plan_edits(documents, EDIT_FRACTION, seed)
    apply_edits(edits)
    print(
        f"(edit, seed {seed}: {len(edits)} of {paragraphs} body paragraphs in {len({e.path for e in edits})} entries)",
        flush=True,
    )
    ingest = run("re-ingest after the edit", bpod + ["ingest", str(work / "archive")], env=env, quiet=True)
    export = run(f"re-export {LOCALE}", bpod + ["export", "-l", LOCALE], env=env, quiet=True)
    po4a = run("po4a update", po4a_command(config), env=env, cwd=config.parent, quiet=True)
    check_bpod(work / "project" / "locales", edits)
    check_po4a(config.parent / "po" / f"{LOCALE}.po", edits, len(documents))
    return Round(len(edits), ingest, export, po4a)


def report(rounds: list[Round], entries: int, translated: bool) -> list[Figure]:
    """Print the figures (medians over rounds) and return them; the ratio goes in po4a's note."""

    def figure(step: str, picks: list[Figure], note: str = "") -> Figure:
        return Figure(step, statistics.median(f.seconds for f in picks), max(f.peak_mb for f in picks), None, note)

    kind = "translated" if translated else "untranslated"
    ingest = figure(
        "  re-ingest after a 4 % edit",
        [r.ingest for r in rounds],
        f"{entries} entries, {kind} ca, {rounds[0].edits} paragraphs edited",
    )
    export = figure(f"  re-export {LOCALE} after a 4 % edit", [r.export for r in rounds])
    ours = Figure(
        "re-ingest + re-export (bpod-i18n)",
        statistics.median(r.ours for r in rounds),
        max(ingest.peak_mb, export.peak_mb),
        None,
    )
    ratio = statistics.median(r.ratio for r in rounds)
    verdict = "ok" if ratio >= TARGET_RATIO else "UNDER"
    po4a = figure(
        "po4a update of the same archive",
        [r.po4a for r in rounds],
        f"comparison; po4a / bpod-i18n = {ratio:.2f}× (target ≥ {TARGET_RATIO:g}×) {verdict}",
    )
    print(f"{'step':<44} {'wall':>10} {'peak RSS':>11}  target", flush=True)
    for item in (ingest, export, ours, po4a):
        print(item.line(), flush=True)
    spread = "" if len(rounds) == 1 else f"  (rounds: {', '.join(f'{r.ratio:.2f}' for r in rounds)})"
    print(f"{'ratio po4a / bpod-i18n':<44} {ratio:8.2f} ×{'':13}≥ {TARGET_RATIO:g} ×    {verdict}{spread}", flush=True)
    return [ingest, export, ours, po4a]


def measure(
    entries: int, env: dict, *, translated: bool = False, rounds: int = 1, work: Path | None = None
) -> list[Figure]:
    """The whole benchmark; ``work`` (kept) or a temporary folder (removed)."""
    keep = work is not None
    work = work or Path(tempfile.mkdtemp(prefix="bpod-bench-update-"))
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    try:
        start = time.perf_counter()
        documents, bpod, config = setup(work, entries, env, translated)
        print(
            f"(setup: {entries} entries ingested and exported, po4a POT/PO made in "
            f"{time.perf_counter() - start:.0f} s; {work})",
            flush=True,
        )
        done = [measure_round(work, documents, bpod, config, env, seed) for seed in range(11, 11 + rounds)]
        return report(done, entries, translated)
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=4000)
    parser.add_argument("--translated", action="store_true", help="fill every msgstr on both sides before the edit")
    parser.add_argument("--rounds", type=int, default=1, help="edit and time again this many times (medians)")
    parser.add_argument("--db", help="database URL (default: embedded SQLite in the project)")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args()
    env = {**os.environ, "BPOD_I18N_USER": "bench"}
    if args.db:
        env["BPOD_I18N_DB"] = args.db
    figures = measure(args.entries, env, translated=args.translated, rounds=args.rounds, work=args.keep)
    out = Path(__file__).parent / "out"
    out.mkdir(exist_ok=True)
    (out / "update.json").write_text(json.dumps([asdict(f) for f in figures], indent=2))


if __name__ == "__main__":
    main()

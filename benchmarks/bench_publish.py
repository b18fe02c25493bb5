"""Benchmark of ``publish`` into the local WordPress (scripts/wordpress-test-site): the whole
synthetic archive with an image per entry, then again after 4 % of the entries changed.

    bash scripts/wordpress-test-site install && bash scripts/wordpress-test-site start
    PYTHONPATH=. python benchmarks/bench_publish.py [--entries 4000] [--concurrency 4] [--keep DIR]

Setup (untimed): the synthetic archive (benchmarks/synthetic.py) ingested, exported, every PO
filled in and imported (bench_emit.build_project); one small PNG per entry drawn with Pillow;
the site emptied (``wordpress-test-site reset``). Then, timed, through the workflow function
the command calls (an image lookup is passed in: the machine has no network, so each entry gets a local PNG):

1. first publish: every post created, every image uploaded;
2. 4 % of the entries get a new title translation (PO edited and imported, untimed);
3. second publish: must send write requests for the changed entries only, and take under a
   tenth of the first run (issue 15).

Prints both times, the HTTP requests (reads and writes) and requests per second; exits 1 if a
target is missed or the second run wrote anything else.
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
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import polib
from PIL import Image, ImageDraw

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_emit import build_project

from bpod_i18n.model import State
from bpod_i18n.publish import EntryImage
from bpod_i18n.render.model import LocalisedEntry
from bpod_i18n.workflow import publish as publish_ops
from bpod_i18n.workflow.project import open_project

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "scripts" / "wordpress-test-site"
SITE_JSON = Path(os.environ.get("BPOD_I18N_TEST_WORDPRESS", "/var/lib/bpod-wordpress-test-site/site.json"))
CHANGED_FRACTION = 0.04
TARGET_RATIO = 10.0
IMAGE_DIR: Path = Path()


def bench_images(entry: LocalisedEntry, source: Mapping[str, Any]) -> EntryImage:
    """The benchmark's image lookup: <IMAGE_DIR>/<slug>.png (alt text fixed per entry)."""
    return EntryImage(str(IMAGE_DIR / f"{entry.slug}.png"), f"Imatge de {entry.slug}", 96, 64)


def draw_images(folder: Path, slugs: list[str]) -> None:
    """Small distinct pictures (under WordPress's smallest thumbnail size: no resizing)."""
    folder.mkdir(parents=True, exist_ok=True)
    for number, slug in enumerate(slugs):
        rng = random.Random(number)
        img = Image.new("RGB", (96, 64), tuple(rng.randrange(256) for _ in range(3)))
        draw = ImageDraw.Draw(img)
        for _ in range(6):
            x, y = rng.randrange(90), rng.randrange(58)
            draw.ellipse((x, y, x + 12, y + 12), fill=tuple(rng.randrange(256) for _ in range(3)))
        img.save(folder / f"{slug}.png", optimize=False)


def configure(project: Path, concurrency: int) -> None:
    site = json.loads(SITE_JSON.read_text())
    os.environ["BPOD_BENCH_WP_PASSWORD"] = site["accounts"]["editor"]["password"]
    with (project / "bpod-i18n.toml").open("a", encoding="utf-8") as config:
        config.write(
            "\n[publish.wordpress]\n"
            f'url = "{site["url"]}"\nuser = "editor"\nlocale = "ca"\npassword_env = "BPOD_BENCH_WP_PASSWORD"\n'
            f'post_type = "{site["post_type"]}"\nstatus = "publish"\ndefault_category = "Imatge del dia"\n'
            f"concurrency = {concurrency}\n"
        )


def change_titles(project: Path, fraction: float, env: dict[str, str]) -> list[str]:
    """A new title translation for ``fraction`` of the entries (seeded): PO edited and imported."""
    bpod = [sys.executable, "-m", "bpod_i18n", "-q", "-C", str(project)]
    # Export again first: the PO files must carry the revision of what the project holds now.
    subprocess.run(bpod + ["export", "-l", "ca"], check=True, env=env, stdout=subprocess.DEVNULL)
    files = sorted((project / "locales" / "ca").rglob("*.po"))
    files = [path for path in files if path.name != "site.po"]
    chosen = random.Random(15).sample(files, round(len(files) * fraction))
    for path in chosen:
        po = polib.pofile(str(path))
        title = next(entry for entry in po if entry.msgctxt and "/title" in " ".join(o[0] for o in entry.occurrences))
        title.msgstr = title.msgstr + " (revisat)"
        po.save(str(path))
    for batch in (chosen[i : i + 200] for i in range(0, len(chosen), 200)):
        subprocess.run(
            bpod + ["import", *map(str, batch), "--by", "bench-translator"],
            check=True,
            env=env,
            stdout=subprocess.DEVNULL,
        )
    return sorted(path.stem for path in chosen)


def publish(project_dir: Path) -> publish_ops.PublishReport:
    project = open_project(project_dir)
    try:
        options = publish_ops.PublishOptions(locale="ca", min_state=State.TRANSLATED, images=bench_images)
        return publish_ops.publish(project, options)
    finally:
        project.close()


def describe(name: str, report: publish_ops.PublishReport) -> str:
    r = report.requests
    return (
        f"{name:<7} {report.seconds:7.1f} s  {r['total']:6d} requests ({r['reads']} reads, {r['writes']} writes, "
        f"{r['retries']} retries)  {report.requests_per_second:6.1f} req/s  created {len(report.created)}, "
        f"updated {len(report.updated)}, unchanged {len(report.unchanged)}, images {report.media_uploaded} uploaded"
    )


def main() -> int:
    global IMAGE_DIR
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=4000)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args()
    if not SITE_JSON.exists():
        print(
            f"no WordPress test site ({SITE_JSON}): run scripts/wordpress-test-site install and start", file=sys.stderr
        )
        return 2
    env = {**os.environ, "BPOD_I18N_USER": "bench"}
    os.environ["BPOD_I18N_USER"] = "bench"
    work = args.keep or Path(tempfile.mkdtemp(prefix="bpod-bench-publish-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        project = build_project(work, args.entries, "ca", env)
        slugs = sorted(path.stem for path in (project / "locales" / "ca").rglob("*.po") if path.name != "site.po")
        IMAGE_DIR = work / "images"
        draw_images(IMAGE_DIR, slugs)
        configure(project, args.concurrency)
        subprocess.run(["bash", str(SCRIPT), "reset"], check=True)
        print(f"(setup: {len(slugs)} entries, {len(slugs)} images; site emptied)", flush=True)

        first = publish(project)
        print(describe("first", first), flush=True)
        changed = change_titles(project, CHANGED_FRACTION, env)
        second = publish(project)
        print(describe("second", second), flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    ratio = first.seconds / second.seconds if second.seconds else float("inf")
    only_changed = sorted(item.slug for item in second.updated) == changed and not second.created
    writes_ok = second.requests["writes"] == len(changed)
    print(
        f"changed {len(changed)} entries ({CHANGED_FRACTION:.0%}): second run {second.requests['writes']} writes "
        f"({'only the changed posts' if only_changed and writes_ok else 'NOT only the changed posts'}); "
        f"first/second = {ratio:.1f}x (target > {TARGET_RATIO:g}x: {'ok' if ratio > TARGET_RATIO else 'MISSED'})"
    )
    return 0 if ratio > TARGET_RATIO and only_changed and writes_ok and not first.failed else 1


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark `bpod-i18n pretranslate`: the whole archive when every machine result is cached.

Target: the archive (4 000 entries, ~60 000 units) pre-translated from a full MT cache in
< 30 s. The cache is seeded through pretranslate's own code path with a provider double that
answers instantly (the seeding run's time is reported too: it is the cost of storing 60 000
fresh results as they arrive), then the translations are removed and the CLI runs again with
the provider pointed at a closed port: it can only succeed if it sends nothing.

    PYTHONPATH=. python benchmarks/bench_pretranslate.py [--entries 4000] [--keep DIR] [--memory]

``--memory`` adds a translation-memory figure: half the entries translated by people, the
other half pre-translated from them with --no-mt (no target: it measures mt/tm.py's lookups).

``run(project_dir, locale)`` times one CLI run on an existing project (for benchmarks/run.py).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import delete, func, select, update

from bpod_i18n.mt import Provider, ResultCallback
from bpod_i18n.mt.base import deliver
from bpod_i18n.store.models import Event, MTCacheEntry, Translation, Unit
from bpod_i18n.workflow.ingest import ingest
from bpod_i18n.workflow.init import init_project
from bpod_i18n.workflow.pretranslate import pretranslate
from bpod_i18n.workflow.project import open_project

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import build_archive

TARGET_S = 30.0


class InstantProvider(Provider):
    """A provider double with the identity of the configured web provider: «text»."""

    name = "libre"

    def translate_batch(
        self, texts: Sequence[str], source: str, target: str, *, on_result: ResultCallback | None = None
    ) -> list[str]:
        results: dict[int, str] = {}
        for i, text in enumerate(texts):
            deliver(results, i, f"«{text}»", on_result)
        return [results[i] for i in range(len(texts))]


def run(project_dir: Path, locale: str, *, args: Sequence[str] = (), env: dict[str, str] | None = None) -> dict:
    """Time `bpod-i18n pretranslate --locale <locale> --json` in a subprocess on an existing project."""
    argv = [
        sys.executable,
        "-m",
        "bpod_i18n",
        "-q",
        "-C",
        str(project_dir),
        "pretranslate",
        "-l",
        locale,
        "--json",
        *args,
    ]
    started = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    stdout, stderr = proc.communicate()
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"pretranslate exited {proc.returncode}: {stderr.decode().strip()}")
    return {
        "step": f"pretranslate {locale} {' '.join(args)}".strip(),
        "seconds": round(seconds, 2),
        "report": json.loads(stdout),
    }


def _closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}/"


def _memory_half(root: Path, locale: str, env: dict[str, str]) -> dict:
    """Half the entries translated by people, the other half filled from the memory (--no-mt)."""
    project = open_project(root)
    with project.store.transaction() as session:
        even = select(Unit.id).where(Unit.entry_id % 2 == 0)
        session.execute(
            update(Translation)
            .where(Translation.unit_id.in_(even))
            .values(state="translated", origin="human", note=None)
        )
        machine = select(Translation.id).where(Translation.state == "machine")
        session.execute(delete(Event).where(Event.translation_id.in_(machine)))
        session.execute(delete(Translation).where(Translation.state == "machine"))
    project.close()
    memory = run(root, locale, args=["--no-mt"], env=env)
    report = memory["report"]
    return {
        "memory_run_s": memory["seconds"],
        "memory_units": report["untranslated"],
        "memory_exact": report["tm_exact"],
        "memory_fuzzy": report["tm_fuzzy"],
    }


def cached_archive(
    entries: int = 4000, locale: str = "ca", keep: Path | None = None, *, with_memory: bool = False
) -> dict:
    work = keep or Path(tempfile.mkdtemp(prefix="bpod-bench-pretranslate-"))
    shutil.rmtree(work, ignore_errors=True)
    env = {**os.environ, "BPOD_I18N_USER": "bench"}
    env.pop("BPOD_I18N_DB", None)
    os.environ.update(BPOD_I18N_USER="bench")
    os.environ.pop("BPOD_I18N_DB", None)
    figures: dict = {"entries": entries}
    try:
        build_archive(work / "archive", entries)
        root = work / "project"
        init_project(root, locales=[locale])
        config = root / "bpod-i18n.toml"
        text = config.read_text(encoding="utf-8").replace('provider = "apertium"', 'provider = "libre"')
        config.write_text(
            text.replace('url = "http://127.0.0.1:5000/"', f'url = "{_closed_port_url()}"\nmax_retries = 0'),
            encoding="utf-8",
        )
        project = open_project(root)
        started = time.perf_counter()
        ingest(project, [work / "archive"])
        figures["ingest_s"] = round(time.perf_counter() - started, 1)

        started = time.perf_counter()
        seeded = pretranslate(project, locale, provider=InstantProvider())
        figures["seed_run_s"] = round(time.perf_counter() - started, 1)
        figures["units"] = seeded.untranslated
        figures["texts_cached"] = seeded.texts_sent
        with project.store.transaction() as session:  # forget the translations, keep the cache
            session.execute(delete(Event))
            session.execute(delete(Translation))
            cache_rows = session.scalar(select(func.count()).select_from(MTCacheEntry))
        project.close()
        figures["cache_rows"] = cache_rows

        dry = run(root, locale, args=["--dry-run"], env=env)
        assert dry["report"]["cache"] == figures["units"] and dry["report"]["texts_sent"] == 0, dry["report"]
        figures["dry_run_s"] = dry["seconds"]
        cached = run(root, locale, env=env)
        report = cached["report"]
        assert report["cache"] == figures["units"] and report["machine"] == 0 and report["texts_sent"] == 0, report
        figures["cached_run_s"] = cached["seconds"]
        figures["target_s"] = TARGET_S
        figures["verdict"] = "ok" if cached["seconds"] < TARGET_S else "OVER"
        if with_memory:
            figures.update(_memory_half(root, locale, env))
    finally:
        if keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=4000)
    parser.add_argument("--locale", default="ca")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    parser.add_argument(
        "--memory",
        action="store_true",
        help="then also time a --no-mt run filling half the archive from the other half's translations",
    )
    args = parser.parse_args()
    print(json.dumps(cached_archive(args.entries, args.locale, args.keep, with_memory=args.memory), indent=2))


if __name__ == "__main__":
    main()

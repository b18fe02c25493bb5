"""Worker processes (bpod_i18n/workers.py): the run's context reaches every worker once, jobs
may come from an iterator still being read, and results come back in order."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator

import pytest

from bpod_i18n import workers


def _tag(context: dict[str, object], job: int) -> tuple[int, str, int]:
    hint = context["hint"]
    assert callable(hint)
    return job, str(hint(job)), os.getpid()


def _context() -> dict[str, object]:
    lock = threading.Lock()  # cannot be pickled: a forked worker inherits it all the same
    return {"hint": lambda n: f"job {n}", "lock": lock}


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: every run stays in this process")
def test_an_unpicklable_context_reaches_forked_workers_and_results_keep_their_order() -> None:
    results = list(workers.map_in_workers(_tag, _context(), range(300), chunksize=8, parallel_from=10))
    assert [(job, hint) for job, hint, _ in results] == [(n, f"job {n}") for n in range(300)]
    assert os.getpid() not in {pid for _, _, pid in results}  # it did run in workers


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: every run stays in this process")
def test_jobs_from_an_iterator_go_to_workers_when_their_count_is_given() -> None:
    """Export hands over each entry's job as its units are read from the database."""

    def jobs() -> Iterator[int]:
        yield from range(50)

    results = list(workers.map_in_workers(_tag, _context(), jobs(), count=50, chunksize=4, parallel_from=10))
    assert [job for job, _, _ in results] == list(range(50))
    assert os.getpid() not in {pid for _, _, pid in results}
    # Without a count, an iterator's size is unknown: it stays in this process.
    alone = list(workers.map_in_workers(_tag, _context(), jobs(), chunksize=4, parallel_from=10))
    assert {pid for _, _, pid in alone} == {os.getpid()}


def test_a_small_run_stays_in_this_process() -> None:
    results = list(workers.map_in_workers(_tag, _context(), [1, 2, 3], chunksize=4, parallel_from=10))
    assert results == [(n, f"job {n}", os.getpid()) for n in (1, 2, 3)]


def test_without_fork_an_unpicklable_context_keeps_the_run_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers.multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    results = list(workers.map_in_workers(_tag, _context(), range(20), chunksize=4, parallel_from=10))
    assert {pid for _, _, pid in results} == {os.getpid()}

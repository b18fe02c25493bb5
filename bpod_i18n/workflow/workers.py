"""Worker processes for the pure, CPU-bound part of a large run (reading and segmenting
entries, rendering PO files, aligning the mirror), in one place for every operation."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

from bpod_i18n.workflow.project import ProgressHook

J = TypeVar("J")
R = TypeVar("R")

# Below this many jobs, starting worker processes (~0.1 s each) costs more than they save.
PARALLEL_FROM = 400


def map_in_workers(
    fn: Callable[[J], R], jobs: Sequence[J], progress: ProgressHook, *, chunksize: int, parallel_from: int
) -> Iterator[R]:
    """``fn`` over ``jobs``, results in order, one progress step each: in this process for a
    small run or a one-core machine, else in up to four worker processes (forked where the
    platform can, so the workers share what the parent has read)."""
    if len(jobs) < parallel_from or (os.cpu_count() or 1) < 2:
        for job in jobs:
            yield fn(job)
            progress.advance()
        return
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    with ProcessPoolExecutor(max_workers=min(4, os.cpu_count() or 2), mp_context=context) as pool:
        for result in pool.map(fn, jobs, chunksize=chunksize):
            yield result
            progress.advance()

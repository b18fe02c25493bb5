"""Worker processes for the pure, CPU-bound part of a large run (reading and segmenting
entries, rendering PO files, aligning the mirror, checking PO files), in one place for every
operation."""

from __future__ import annotations

import functools
import gc
import multiprocessing
import os
import pickle
from collections.abc import Callable, Iterable, Iterator, Sized
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Protocol, TypeVar

C = TypeVar("C")
J = TypeVar("J")
R = TypeVar("R")

# Below this many jobs, starting worker processes (~0.1 s each) costs more than they save.
PARALLEL_FROM = 400

# In a worker process: the run's context, received once when the worker starts.
_context: Any = None


class Advance(Protocol):
    """Told of each finished job (the workflow's progress hooks are)."""

    def advance(self, amount: int = 1) -> None: ...


def map_in_workers(
    fn: Callable[[C, J], R],
    context: C,
    jobs: Iterable[J],
    *,
    progress: Advance | None = None,
    count: int | None = None,
    chunksize: int,
    parallel_from: int,
    processes: int | None = None,
) -> Iterator[R]:
    """``fn(context, job)`` over ``jobs``, results in order, one progress step each: in this
    process for a small run or a one-core machine, else in ``processes`` worker processes
    (default: one per core, four at most).

    ``context`` is what every job needs and is the same for all (options, a glossary matcher,
    what is stored already): each worker receives it once, not with every job. Workers are
    forked where the platform can, so they inherit it, whatever it holds; elsewhere it must
    pickle, or the run stays in this process.

    ``jobs`` may be an iterator (``count`` says how many it gives): the workers start on the
    first jobs while the next are still being made, e.g. read from the database."""
    size = len(jobs) if count is None and isinstance(jobs, Sized) else count or 0
    processes = processes or min(4, os.cpu_count() or 1)
    if size < parallel_from or processes < 2:
        yield from _in_this_process(fn, context, jobs, progress)
        return
    forked = "fork" in multiprocessing.get_all_start_methods()
    if not forked and not _picklable(context):
        yield from _in_this_process(fn, context, jobs, progress)
        return
    # What this process holds is moved out of the collector's sight before forking: a worker's
    # collections would otherwise walk every inherited object, and writing their headers
    # copies each page the parent shares with it.
    gc.freeze()
    try:
        with ProcessPoolExecutor(
            max_workers=processes,
            mp_context=multiprocessing.get_context("fork" if forked else "spawn"),
            initializer=_receive,
            initargs=(context,),
        ) as pool:
            for result in pool.map(functools.partial(_call, fn), jobs, chunksize=chunksize):
                yield result
                if progress is not None:
                    progress.advance()
    finally:
        gc.unfreeze()


def _in_this_process(fn: Callable[[C, J], R], context: C, jobs: Iterable[J], progress: Advance | None) -> Iterator[R]:
    for job in jobs:
        yield fn(context, job)
        if progress is not None:
            progress.advance()


def _receive(context: object) -> None:
    global _context
    _context = context


def _call(fn: Callable[[Any, J], R], job: J) -> R:
    return fn(_context, job)


def _picklable(value: object) -> bool:
    try:
        pickle.dumps(value)
    except (pickle.PicklingError, TypeError, AttributeError):
        return False
    return True

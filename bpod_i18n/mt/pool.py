"""How every provider runs a batch: each distinct text once, in a bounded thread pool, the
first failure wins, and whatever was finished is kept.

* :class:`Fanout` holds the texts of one ``translate_batch`` call: texts that need no engine
  (blank ones, or cached ones for the cache in front of a provider) are answered at once,
  every other distinct text is to be translated once, and its result is handed to every
  index holding it (``on_result``, in the caller's thread). On a ``ProviderFailure`` it puts
  everything finished into ``failure.completed``.
* :func:`run_jobs` runs jobs (one text for a web API, a batch of texts for one Apertium
  process) in at most ``concurrency`` threads and hands each result back in the caller's
  thread as it comes. The first failure wins: jobs not started are cancelled, running ones
  are told to stop (``stop``) and waited for; results of jobs that still finish are kept.
* :func:`translate_in_pool` is the two together, what a provider's ``translate_batch`` calls.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import CancelledError, Future, ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from typing import TypeVar

from bpod_i18n.mt.base import ProviderFailure, ResultCallback, deliver

J = TypeVar("J")
R = TypeVar("R")


class Cancelled(Exception):
    """Raised by a job that noticed ``stop``: the batch is being abandoned (not a failure)."""


def blank_as_is(text: str) -> str | None:
    """The answer for a text no engine is asked about: a blank text comes back unchanged."""
    return None if text.strip() else text


class Fanout:
    """The texts of one batch: answered now, or sent once per distinct text and fanned out."""

    def __init__(
        self,
        texts: Sequence[str],
        on_result: ResultCallback | None,
        *,
        answer_now: Callable[[str], str | None] = blank_as_is,
    ):
        self._count = len(texts)
        self._on_result = on_result
        self._results: dict[int, str] = {}
        self._indices_of: dict[str, list[int]] = {}
        for i, text in enumerate(texts):
            answer = answer_now(text)
            if answer is not None:
                deliver(self._results, i, answer, on_result)
            else:
                self._indices_of.setdefault(text, []).append(i)
        # Distinct texts still to translate, in the order they first appear.
        self.pending: list[str] = list(self._indices_of)

    def settle(self, text: str, output: str) -> None:
        """``output`` is the translation of ``text``: deliver it to every index holding it."""
        for i in self._indices_of[text]:
            deliver(self._results, i, output, self._on_result)

    def results(self) -> list[str]:
        """Every translation in input order (once all are settled)."""
        return [self._results[i] for i in range(self._count)]

    @contextmanager
    def keeping_completed(self) -> Iterator[None]:
        """A ``ProviderFailure`` raised inside carries what this batch finished before it."""
        try:
            yield
        except ProviderFailure as failure:
            failure.completed = dict(self._results)
            raise


def run_jobs(
    jobs: Sequence[J], work: Callable[[J, threading.Event], R], done: Callable[[J, R], None], *, concurrency: int
) -> None:
    """Run ``work(job, stop)`` for every job in at most ``concurrency`` threads; ``done(job,
    result)`` is called in the caller's thread as each finishes. Raises the first failure
    once the running jobs have ended."""
    if not jobs:
        return
    stop = threading.Event()

    def guarded(job: J) -> R:
        if stop.is_set():  # a queued job whose turn came after a failure: do not start it
            raise Cancelled()
        try:
            return work(job, stop)
        except Exception:
            stop.set()  # at once, from this thread, so that no worker starts another job
            raise

    pool = ThreadPoolExecutor(max_workers=min(concurrency, len(jobs)))
    futures: dict[Future[R], J] = {pool.submit(guarded, job): job for job in jobs}
    failure: Exception | None = None
    try:
        for future in as_completed(futures):
            try:
                result = future.result()
            except (CancelledError, Cancelled):
                continue
            except Exception as exc:  # the first failure wins; the rest is abandoned
                if failure is None:
                    failure = exc
                    stop.set()
                    for other in futures:
                        other.cancel()
                continue
            done(futures[future], result)
    except BaseException:  # the caller's callback failed, or Ctrl-C: stop sending
        stop.set()
        for other in futures:
            other.cancel()
        raise
    finally:
        pool.shutdown(wait=True)
    if failure is not None:
        raise failure


def translate_in_pool(
    texts: Sequence[str],
    translate: Callable[[list[str], threading.Event], list[str]],
    *,
    concurrency: int,
    batch_size: int = 1,
    on_result: ResultCallback | None = None,
) -> list[str]:
    """A provider's ``translate_batch``: distinct non-blank texts in batches of ``batch_size``,
    ``translate(batch, stop)`` for each (one output per text, in order), results in input order."""
    fanout = Fanout(texts, on_result)
    batches = [fanout.pending[k : k + batch_size] for k in range(0, len(fanout.pending), batch_size)]

    def settle(batch: list[str], outputs: list[str]) -> None:
        for text, output in zip(batch, outputs, strict=True):
            fanout.settle(text, output)

    with fanout.keeping_completed():
        run_jobs(batches, translate, settle, concurrency=concurrency)
    return fanout.results()

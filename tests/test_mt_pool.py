"""The pool every MT provider runs its batches through (bpod_i18n/mt/pool.py): each distinct
text once, bounded concurrency, the first failure wins, finished work is delivered and kept,
results in input order."""

from __future__ import annotations

import threading
import time

import pytest

from bpod_i18n.mt import ProviderQuotaError, ProviderTimeout, ProviderUnavailable
from bpod_i18n.mt.pool import Cancelled, Fanout, run_jobs, translate_in_pool


class Engine:
    """A translating function for the pool that records what it was asked and how many
    batches ran at once (the engine itself is trivial: upper case)."""

    def __init__(self, delay: float = 0.0, fail_on: str | None = None):
        self.delay, self.fail_on = delay, fail_on
        self.batches: list[list[str]] = []
        self.threads: set[int] = set()
        self.active = self.most_active = 0
        self._lock = threading.Lock()

    def __call__(self, batch: list[str], stop: threading.Event) -> list[str]:
        with self._lock:
            self.batches.append(batch)
            self.threads.add(threading.get_ident())
            self.active += 1
            self.most_active = max(self.most_active, self.active)
        try:
            time.sleep(self.delay)
            if self.fail_on in batch:
                raise ProviderUnavailable(f"engine down at {self.fail_on!r}", provider="test")
            return [text.upper() for text in batch]
        finally:
            with self._lock:
                self.active -= 1


def test_each_distinct_text_is_sent_once_and_results_come_back_in_input_order() -> None:
    engine = Engine()
    texts = ["b", "a", "  ", "b", "c", "", "a", "b"]
    delivered: list[tuple[int, str]] = []
    results = translate_in_pool(texts, engine, concurrency=2, on_result=lambda i, t: delivered.append((i, t)))
    assert results == ["B", "A", "  ", "B", "C", "", "A", "B"]
    assert sorted(text for batch in engine.batches for text in batch) == ["a", "b", "c"]  # blanks never sent
    assert sorted(delivered) == list(enumerate(results))  # one callback per index


def test_results_are_delivered_in_the_callers_thread() -> None:
    engine = Engine(delay=0.01)
    threads: set[int] = set()
    translate_in_pool(
        [f"t{n}" for n in range(8)], engine, concurrency=4, on_result=lambda i, t: threads.add(threading.get_ident())
    )
    assert threads == {threading.get_ident()} and threading.get_ident() not in engine.threads


@pytest.mark.parametrize("concurrency", [1, 3])
def test_concurrency_is_bounded(concurrency: int) -> None:
    engine = Engine(delay=0.05)
    translate_in_pool([f"t{n}" for n in range(12)], engine, concurrency=concurrency)
    assert engine.most_active == concurrency
    assert len(engine.threads) <= concurrency


def test_texts_go_in_batches_of_the_batch_size() -> None:
    engine = Engine()
    texts = [f"t{n}" for n in range(7)] + ["t0"]
    assert translate_in_pool(texts, engine, concurrency=1, batch_size=3) == [t.upper() for t in texts]
    assert engine.batches == [["t0", "t1", "t2"], ["t3", "t4", "t5"], ["t6"]]


def test_a_failure_keeps_and_delivers_what_was_finished_and_starts_nothing_more() -> None:
    engine = Engine(fail_on="c")
    delivered: dict[int, str] = {}
    with pytest.raises(ProviderUnavailable, match="engine down at 'c'") as caught:
        translate_in_pool(["a", "b", "", "c", "d", "e"], engine, concurrency=1, on_result=delivered.__setitem__)
    assert engine.batches == [["a"], ["b"], ["c"]]  # d and e were never sent
    assert caught.value.completed == delivered == {0: "A", 1: "B", 2: ""}


def test_the_first_failure_wins_and_running_jobs_are_told_to_stop() -> None:
    first_failed = threading.Event()
    stopped: list[str] = []

    def work(job: str, stop: threading.Event) -> str:
        if job == "quota":
            first_failed.set()
            raise ProviderQuotaError("quota used up", provider="test")
        if job == "slow":  # running when the failure comes: it sees stop and gives up
            assert first_failed.wait(5)
            if stop.wait(5):
                stopped.append(job)
                raise Cancelled()
            return "finished"
        assert first_failed.wait(5) and stop.wait(5)  # fails after the first failure: loses
        raise ProviderTimeout("later failure", provider="test")

    started = time.monotonic()
    with pytest.raises(ProviderQuotaError, match="quota used up"):
        run_jobs(["slow", "quota", "late"], work, lambda job, result: None, concurrency=3)
    assert stopped == ["slow"] and time.monotonic() - started < 4


def test_a_job_finishing_after_the_failure_is_still_delivered() -> None:
    failed = threading.Event()
    done: list[tuple[str, str]] = []

    def work(job: str, stop: threading.Event) -> str:
        if job == "bad":
            failed.set()
            raise ProviderUnavailable("down", provider="test")
        assert failed.wait(5)  # already running when "bad" fails, and it completes its work
        return job.upper()

    with pytest.raises(ProviderUnavailable):
        run_jobs(["ok", "bad"], work, lambda job, result: done.append((job, result)), concurrency=2)
    assert done == [("ok", "OK")]


def test_a_failing_callback_stops_the_pool() -> None:
    engine = Engine(delay=0.01)

    def callback(i: int, text: str) -> None:
        raise KeyboardInterrupt  # Ctrl-C while a result is being stored

    with pytest.raises(KeyboardInterrupt):
        translate_in_pool([f"t{n}" for n in range(20)], engine, concurrency=1, on_result=callback)
    assert len(engine.batches) < 20


def test_fanout_answers_known_texts_at_once_and_keeps_them_on_failure() -> None:
    known = {"cached": "EN CACHÉ"}
    delivered: list[tuple[int, str]] = []
    fanout = Fanout(["new", "cached", "new", "other"], lambda i, t: delivered.append((i, t)), answer_now=known.get)
    assert delivered == [(1, "EN CACHÉ")] and fanout.pending == ["new", "other"]
    with pytest.raises(ProviderUnavailable) as caught, fanout.keeping_completed():
        fanout.settle("new", "NOU")
        raise ProviderUnavailable("down", provider="test")
    assert caught.value.completed == {0: "NOU", 1: "EN CACHÉ", 2: "NOU"}

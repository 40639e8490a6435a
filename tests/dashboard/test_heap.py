"""dashboard/heap.py: the replica's heap is frozen after a collection, and unfrozen on full rounds."""

from __future__ import annotations

import gc
import threading
import time

import pytest

from dashboard import heap


@pytest.fixture(autouse=True)
def unfrozen():
    gc.unfreeze()
    yield
    gc.unfreeze()


class Cycle:
    def __init__(self) -> None:
        self.me = self


def test_a_round_collects_then_freezes_what_survives():
    kept = [Cycle() for _ in range(100)]
    Cycle()  # garbage, reachable only from itself
    heap.freeze_round(1, full_every=5)
    frozen = gc.get_freeze_count()
    assert frozen > len(kept)
    assert not any(type(o) is Cycle for o in gc.get_objects()), "the frozen ones are out of gc's walk"
    assert len(gc.get_objects(generation=2)) < frozen


@pytest.mark.parametrize(("round_no", "unfreezes"), [(5, True), (10, True), (6, False), (9, False)])
def test_every_full_every_th_round_walks_the_whole_heap(round_no, unfreezes):
    heap.freeze_round(1, full_every=5)
    calls: list[int] = []
    original = gc.unfreeze
    gc.unfreeze = lambda: (calls.append(1), original())[1]  # type: ignore[assignment]
    try:
        heap.freeze_round(round_no, full_every=5)
    finally:
        gc.unfreeze = original  # type: ignore[assignment]
    assert bool(calls) is unfreezes
    assert gc.get_freeze_count() > 0


def test_the_thread_freezes_again_each_period():
    stop = heap.start(period=0.05, full_every=1000)
    try:
        assert any(t.name == "heap-freeze" and t.daemon for t in threading.enumerate())
        gc.unfreeze()
        deadline = time.monotonic() + 10
        while gc.get_freeze_count() == 0 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert gc.get_freeze_count() > 0, "a later round froze the heap again"
    finally:
        stop.set()
    deadline = time.monotonic() + 10
    while any(t.name == "heap-freeze" for t in threading.enumerate()) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not any(t.name == "heap-freeze" for t in threading.enumerate()), "stopped"

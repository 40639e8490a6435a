"""Keep Python's full garbage collections short in a long-running replica.

A full (generation 2) collection walks every tracked object: the imported libraries, the cached
view models, the sessions. On a replica serving the 10,000-report tree that was 50–120 ms with
every thread stopped (the GIL), a few times a hundred page views: the slowest views of every
session on the replica at that moment (bench/serve.py's p95). The small hello app never pays it.

So a thread collects and then freezes what survived (``gc.freeze``: moved to a permanent
generation the collector no longer walks) every ``period`` seconds; later collections walk
only what was made since. Every ``full_every``-th round unfreezes first, so a cycle that became
garbage while frozen (an evicted cache entry, a closed session) is freed within that time.
"""

from __future__ import annotations

import gc
import threading

PERIOD_S = 30.0
FULL_EVERY = 20  # a whole-heap collection every 10 minutes


def freeze_round(round_no: int, full_every: int = FULL_EVERY) -> None:
    """One round: (every ``full_every``-th) unfreeze, collect, freeze what is left."""
    if round_no % full_every == 0:
        gc.unfreeze()
    gc.collect()
    gc.freeze()


def start(period: float = PERIOD_S, full_every: int = FULL_EVERY) -> threading.Event:
    """Freeze the heap now (after the imports), then every ``period`` seconds in a daemon thread,
    until the returned event is set."""
    freeze_round(1, full_every)
    stop = threading.Event()

    def loop() -> None:
        for round_no in range(2, 2**62):  # bounded; one round per period
            if stop.wait(period):
                return
            freeze_round(round_no, full_every)

    threading.Thread(target=loop, name="heap-freeze", daemon=True).start()
    return stop

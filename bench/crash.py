"""Killed writers at scale (a script, not a test): ``python bench/crash.py [--kills N]``.

tests/etl/test_crash_safety.py with many more kills: ``python -m etl add``,
``add --replace`` and ``build`` in turn, each killed with SIGKILL after a random
delay (0 to its typical duration), each followed by a build, while a reader
process reads the database all along. Then every file step of each writer
(killed just before each of its file operations). Asserts what the tests
assert; prints the kills, how many left the old or the new database, the
reader's reads and errors, and the time taken. Works in a temporary folder.
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import test_crash_safety as tc  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kills", type=int, default=300, help="writers killed at random moments (300)")
    parser.add_argument("--seed", type=int, default=1, help="random seed of the delays (1)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="etl-crash-") as tmp:
        root = Path(tmp)
        reference = tc.reference_states(root / "reference")
        started = time.perf_counter()
        summary = tc.random_kills(root / "random", args.kills, args.seed, reference)
        took = time.perf_counter() - started
        print(
            f"Writers killed at random moments: {summary['kills']} killed of {summary['runs']} runs ({took:.0f} s)"
        )
        print("   typical durations: " + ", ".join(f"{k} {v:.2f} s" for k, v in summary["durations"].items()))
        for outcome, n in sorted(summary["outcomes"].items()):
            print(f"   {n:5}  {outcome}")
        reader = summary["reader"]
        print(
            f"   reader: {reader['reads']:,} reads in {reader['seconds']:.0f} s, states seen {reader['states']}, "
            f"errors {reader['errors'] or 'none'}, retried {reader['retried'] or 'none'}"
        )

        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["etl.cli", "tests.crash_points"])
        for kind in ("add", "replace", "build"):
            started = time.perf_counter()
            steps, outcomes = tc.every_step(root / f"steps-{kind}", kind, reference, context)
            print(
                f"{kind}: killed before each of its {steps} file operations — database old {outcomes['old']}, "
                f"new {outcomes['new']}; each time the next build agreed and left no temporary file "
                f"({time.perf_counter() - started:.0f} s)"
            )
    print("Nothing lost: every killed writer left the old or the new database, complete.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

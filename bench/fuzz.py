"""Fuzzing at scale (a script, not a test): ``python bench/fuzz.py [--text N] [--html N] …``.

The properties of tests/etl/test_fuzz_parse.py with many more examples (random,
not derandomised: each run tries new inputs; ``--seed`` repeats one):

1. mutated text reports (default 20,000), mutated web pages (5,000), damaged
   Word files (1,000) and damaged PDFs (100): every input gives a Report
   (the checks then run) or a ReportError naming the file, never another
   exception;
2. the seed cut at every character offset (UTF-8 and GBK);
3. the 1 MB inputs of the tests, timed (CPU and wall clock), against 2 s.

Prints the counts (reports returned, refusals by kind, crashes), the slowest
input of each kind and its time. A crash or a slow input is written to
bench/out/ (its bytes) for a test to reproduce it. Exit status 1 if any input
crashed or a 1 MB input took 2 s of CPU or more.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tests import fuzz_strategies as fz  # noqa: E402
from tests import test_fuzz_parse as tf  # noqa: E402

OUT = ROOT / "bench" / "out"
LIMIT = tf.LIMIT


@dataclass
class Tally:
    name: str
    examples: int = 0
    reports: int = 0
    refusals: Counter[str] = field(default_factory=Counter)
    crashes: list[str] = field(default_factory=list)
    slowest: tuple[float, float, int] = (0.0, 0.0, 0)  # CPU s, wall s, bytes
    slowest_input: tuple[str, bytes] = ("", b"")
    cpu: float = 0.0

    def run(self, file_name: str, data: bytes) -> None:
        self.examples += 1
        try:
            outcome = fz.check(file_name, data)
        except Exception as exc:  # the failure being looked for: keep the input, go on
            OUT.mkdir(parents=True, exist_ok=True)
            path = OUT / f"fuzz-crash-{self.name}-{len(self.crashes) + 1}{Path(file_name).suffix}"
            path.write_bytes(data)
            self.crashes.append(
                f"{type(exc).__name__}: {exc} ({path.name})\n{traceback.format_exc(limit=-4)}"
            )
            return
        self.cpu += outcome.cpu
        if outcome.report is not None:
            self.reports += 1
        else:
            self.refusals[_kind(outcome.error.problems[0])] += 1
        if outcome.cpu > self.slowest[0]:
            self.slowest = (outcome.cpu, outcome.wall, len(data))
            self.slowest_input = (file_name, data)
            OUT.mkdir(parents=True, exist_ok=True)
            (OUT / f"fuzz-slowest-{self.name}{Path(file_name).suffix}").write_bytes(data)

    def print(self) -> None:
        cpu, wall, size = self.slowest
        refused = sum(self.refusals.values())
        print(
            f"\n{self.name}: {self.examples:,} inputs — {self.reports:,} reports, {refused:,} refused, "
            f"{len(self.crashes)} crashes; {self.cpu / max(self.examples, 1) * 1000:.1f} ms CPU per input"
        )
        again = min(fz.check(*self.slowest_input).cpu for _ in range(3)) if size else 0.0
        print(
            f"   slowest: {cpu * 1000:.1f} ms CPU ({wall * 1000:.1f} ms wall), {size:,} bytes; "
            f"{again * 1000:.1f} ms CPU when run again (best of 3: the first may include a garbage collection)"
        )
        for kind, n in self.refusals.most_common(8):
            print(f"   {n:7,}  refused: {kind}")
        for crash in self.crashes[:5]:
            print("   CRASH " + crash.replace("\n", "\n         "))


def _kind(problem) -> str:
    """A refusal's kind: its place without line numbers, and the start of its reason."""
    place = problem.place.split("（")[0].split(" 第")[0]
    return f"{place}：{problem.reason[:24]}"


def fuzz(tally: Tally, strategy, examples: int, seed: int | None) -> None:
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=seed is not None,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def run(case):
        tally.run(*case)

    run()


@st.composite
def docx_case(draw):
    data = fz.flip(tf._docx(), draw(st.lists(fz.byte_flip, min_size=1, max_size=8)))
    return "fuzz-2019.docx", data[: max(len(data) - draw(fz.index) % 256, 1)]


@st.composite
def pdf_case(draw):
    data = fz.flip(tf.HONGZE_2023.read_bytes(), draw(fz.byte_flips))
    return "hongze-2023.pdf", data[: len(data) - draw(fz.index) % (len(data) // 2)]


def offsets(tally: Tally) -> None:
    text = fz.SEED
    for at in range(len(text) + 1):
        for how in ("utf-8", "gbk"):
            tally.run("cut-2019.txt", fz.encode(text[:at], how))


def big_inputs() -> bool:
    """The 1 MB inputs of the tests (and the known slow ones), timed."""
    print(f"\n1 MB inputs (limit {LIMIT:.0f} s of CPU each):")
    ok = True
    cases = [("txt", name, make, "big-2019.txt") for name, make in tf.BIG_TEXTS.items()]
    cases += [("html", name, make, "big-2019.html") for name, make in tf.BIG_PAGES.items()]
    known = [
        (
            "html",
            "<td>1 × 200,000 (read_html, known)",
            lambda: tf._page("<table><tr>" + "<td>1" * (tf.MB // 5)),
        ),
        (
            "html",
            "<tr><td>1 × 116,000 (read_html, known)",
            lambda: tf._page("<table>" + "<tr><td>1" * (tf.MB // 9)),
        ),
        ("html", "<td rowspan=1000> rows (read_html, known)", tf.BIG_PAGES_SLOW["rows spanning many rows"]),
    ]
    cases += [(fmt, name, make, f"big-2019.{fmt}") for fmt, name, make in known]
    for fmt, name, make, file_name in cases:
        data = make().encode("utf-8")
        outcome = fz.check(file_name, data)
        verdict = "ok" if outcome.cpu < LIMIT else "SLOW"
        ok &= outcome.cpu < LIMIT or "known" in name
        result = "report" if outcome.report else "refused"
        print(
            f"   {outcome.cpu:6.2f} s CPU {outcome.wall:6.2f} s wall  {len(data) / 2**20:4.2f} MB  "
            f"{fmt:4} {name} → {result} [{verdict}]"
        )
    start = time.thread_time()
    docx = tf._docx_with_paragraphs(600_000)
    outcome = fz.check("big-2019.docx", docx)
    print(
        f"   {outcome.cpu:6.2f} s CPU {outcome.wall:6.2f} s wall  {len(docx) / 2**20:4.2f} MB  "
        f"docx 600,000 paragraphs (read_docx, known) → {'report' if outcome.report else 'refused'} "
        f"[{'ok' if outcome.cpu < LIMIT else 'SLOW'}] (built in {time.thread_time() - start - outcome.cpu:.1f} s)"
    )
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--text", type=int, default=20_000, help="mutated text reports (20,000)")
    parser.add_argument("--html", type=int, default=5_000, help="mutated web pages (5,000)")
    parser.add_argument("--docx", type=int, default=1_000, help="damaged Word files (1,000)")
    parser.add_argument("--pdf", type=int, default=100, help="damaged PDFs (100)")
    parser.add_argument("--no-offsets", action="store_true", help="skip cutting the seed at every offset")
    parser.add_argument("--no-big", action="store_true", help="skip the 1 MB inputs")
    parser.add_argument("--seed", type=int, help="derandomise (the same inputs as another run with it)")
    args = parser.parse_args()
    logging.disable(logging.WARNING)  # pdfminer complains about every damaged PDF

    print(f"Fuzzing read + parse + checks — Python {sys.version.split()[0]}")
    started = time.perf_counter()
    tallies = [
        (Tally("text"), fz.text_report(), args.text),
        (Tally("html"), fz.html_report(), args.html),
        (Tally("docx"), docx_case(), args.docx),
    ]
    if tf.HONGZE_2023.is_file():
        tallies.append((Tally("pdf"), pdf_case(), args.pdf))
    for tally, strategy, examples in tallies:
        if examples:
            t0 = time.perf_counter()
            fuzz(tally, strategy, examples, args.seed)
            tally.print()
            print(f"   ({time.perf_counter() - t0:.0f} s)")
    crashes = sum(len(t.crashes) for t, _, _ in tallies)
    if not args.no_offsets:
        cut = Tally("offsets")
        offsets(cut)
        cut.print()
        crashes += len(cut.crashes)
    big_ok = True if args.no_big else big_inputs()
    print(f"\nTotal {time.perf_counter() - started:.0f} s; crashes: {crashes}; 1 MB inputs in time: {big_ok}")
    return 0 if crashes == 0 and big_ok else 1


if __name__ == "__main__":
    sys.exit(main())

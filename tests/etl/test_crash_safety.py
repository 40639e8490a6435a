"""Crash-safe writers: a writer (``python -m etl build`` or ``add [--replace]``)
killed with SIGKILL at any moment leaves the database complete — the old one or
the new one, never a mix or a broken file — and loses nothing: the next build
succeeds, gives the database the reports folder stands for (for an ``add``:
the report is in both or in neither), and no temporary file remains.

Two tests:

- random moments: the real command in its own process, killed after a random
  delay between 0 and its typical duration (measured first), while a reader
  process (tests/crash_reader.py) opens the database read-only again and again
  and records every state it reads;
- every step: the writer killed just before each of its file operations in
  turn (tests/crash_points.py), so every point between two steps is tried.

The three states of the database: A (the 2019 seed), B (A and a 2020 report),
C (A and a revised 2020 report under another file name). Writers take A→B
(``add``), B→C (``add --replace``, which also removes the 2020 file) and C→A
(``build`` after the 2020 file is removed from the folder).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from etl import pipeline
from tests import fixtures
from tests.crash_points import run_killed_at
from tests.crash_reader import read_once
from tests.fixtures import SEED_NAME, replace_once, report_2020, seed_bytes, write

ROOT = fixtures.ROOT
ARTIFACTS = ROOT / "tests" / "artifacts"
READER = ROOT / "tests" / "crash_reader.py"

NAME_2020 = "sichuan-center-2020.txt"
NAME_2020B = "sichuan-center-2020-revised.txt"
FILES = {
    SEED_NAME: seed_bytes(),
    NAME_2020: report_2020().encode("utf-8"),
    NAME_2020B: replace_once(report_2020(), "信息510000条", "信息520000条").encode("utf-8"),
}
FOLDERS = {"A": (SEED_NAME,), "B": (SEED_NAME, NAME_2020), "C": (SEED_NAME, NAME_2020B)}
# state → (writer, state after it)
TRANSITIONS = {"A": ("add", "B"), "B": ("replace", "C"), "C": ("build", "A")}
KILLS = 24  # at least this many writers killed at a random moment


# --- A work folder: reports/, db/dashboard.duckdb, incoming/ ----------------------------


def reports_of(work: Path) -> Path:
    return work / "reports"


def db_of(work: Path) -> Path:
    return work / "db" / "dashboard.duckdb"


def setup_work(work: Path, state: str) -> None:
    for name in FOLDERS[state]:
        write(reports_of(work), name, FILES[name])
    for name in (NAME_2020, NAME_2020B):
        write(work / "incoming", name, FILES[name])
    pipeline.build(reports_of(work), db_of(work))


def etl_args(kind: str, work: Path) -> list[str]:
    where = ["--reports", str(reports_of(work)), "--db", str(db_of(work))]
    if kind == "add":
        return ["add", str(work / "incoming" / NAME_2020), *where]
    if kind == "replace":
        return ["add", str(work / "incoming" / NAME_2020B), "--replace", *where]
    return ["build", *where]


def before_writer(kind: str, work: Path) -> None:
    """What changes before the writer runs: for a build, the 2020 files leave the folder."""
    if kind == "build":
        for name in (NAME_2020, NAME_2020B):
            (reports_of(work) / name).unlink(missing_ok=True)


def state_of(work: Path) -> str:
    return read_once(db_of(work), attach=True)


def assert_clean(work: Path, state: str) -> None:
    """No temporary file in the database folder nor in the reports folder: only the database
    and the reports of the state."""
    assert sorted(p.name for p in db_of(work).parent.iterdir()) == [db_of(work).name]
    assert sorted(p.name for p in reports_of(work).iterdir()) == sorted(FOLDERS[state])


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> dict[str, str]:
    return reference_states(tmp_path_factory.mktemp("reference"))


def reference_states(root: Path) -> dict[str, str]:
    """The state string (tests/crash_reader.state) of each database, built directly."""
    out = {}
    for state in FOLDERS:
        work = root / state
        setup_work(work, state)
        out[state] = state_of(work)
    assert len(set(out.values())) == 3
    return out


def name_of(reference: dict[str, str], value: str) -> str:
    return next((k for k, v in reference.items() if v == value), f"unknown {value}")


def after_kill(kind: str, work: Path, reference: dict[str, str], before: str) -> str:
    """Check the database a killed writer left, run the next build, check again; the state now."""
    target = TRANSITIONS[before][1]
    seen = name_of(reference, state_of(work))
    assert seen in (before, target), f"{kind} killed: the database is neither {before} nor {target}: {seen}"
    pipeline.build(reports_of(work), db_of(work))  # the next writer
    now = name_of(reference, state_of(work))
    # A build makes the database what the folder holds (the folder changed before it ran); an
    # add is all or nothing: the database and the folder agree on it, so the build keeps it.
    expected = target if kind == "build" else seen
    assert now == expected, f"{kind} killed with the database {seen}: the next build gave {now}"
    assert_clean(work, now)
    return seen


def bring_to(work: Path, wanted: str, state: str) -> str:
    """Take the work folder from ``state`` to ``wanted`` with the writers, run here (not killed)."""
    while state != wanted:
        kind, state = TRANSITIONS[state]
        before_writer(kind, work)
        if kind == "build":
            pipeline.build(reports_of(work), db_of(work))
        else:
            name = NAME_2020 if kind == "add" else NAME_2020B
            pipeline.add(work / "incoming" / name, reports_of(work), db_of(work), replace=kind == "replace")
    return state


def write_artifact(name: str, data: dict) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / name).write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


# --- Killed at random moments, with a reader -------------------------------------------------


def test_writers_killed_at_random_moments(tmp_path, reference):
    summary = random_kills(tmp_path, KILLS, 20260101, reference)
    write_artifact("crash_random.json", summary)
    assert summary["kills"] >= KILLS
    assert summary["reader"]["reads"] >= 50


def random_kills(root: Path, kills_wanted: int, seed: int, reference: dict[str, str]) -> dict:
    """Kill ``kills_wanted`` writers at random moments (add, add --replace and build in turn),
    each followed by a build, with a reader reading all along; assert what each must leave.
    Also run by bench/crash.py with many more kills."""
    work = root / "work"
    setup_work(work, "A")
    stop, out = root / "stop", root / "reader.json"
    reader = subprocess.Popen(
        [sys.executable, str(READER), str(db_of(work)), str(stop), str(out)],
        cwd=ROOT,
        start_new_session=True,
        stderr=subprocess.PIPE,
    )
    durations: dict[str, float] = {}
    outcomes: Counter[str] = Counter()
    rng = random.Random(seed)
    state = "A"
    kills = runs = 0
    try:
        # The typical duration of each writer: one run of each, not killed.
        for _ in TRANSITIONS:
            kind, target = TRANSITIONS[state]
            before_writer(kind, work)
            start = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-m", "etl", *etl_args(kind, work)], cwd=ROOT, capture_output=True, text=True
            )
            durations[kind] = time.perf_counter() - start
            assert done.returncode == 0, done.stderr
            assert state_of(work) == reference[target]
            assert_clean(work, target)
            state = target

        while kills < kills_wanted:
            runs += 1
            assert runs <= 3 * kills_wanted + 10, (
                f"only {kills} of {runs} writers were killed before they ended"
            )
            kind = ("add", "replace", "build")[runs % 3]  # each in turn, from the state it starts from
            state = bring_to(work, {"add": "A", "replace": "B", "build": "C"}[kind], state)
            target = TRANSITIONS[state][1]
            before_writer(kind, work)
            start = time.perf_counter()
            writer = subprocess.Popen(
                [sys.executable, "-m", "etl", *etl_args(kind, work)],
                cwd=ROOT,
                start_new_session=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            time.sleep(rng.uniform(0, durations[kind]))
            try:
                os.killpg(writer.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            _, err = writer.communicate()
            killed = writer.returncode == -signal.SIGKILL
            assert killed or writer.returncode == 0, err.decode("utf-8", "replace")
            kills += killed
            if not killed:  # it ended before the delay: the typical duration is at most this
                durations[kind] = min(durations[kind], time.perf_counter() - start)
            seen = after_kill(kind, work, reference, state)
            outcomes[
                f"{kind} {'killed' if killed else 'ended'}, database {'new' if seen == target else 'old'}"
            ] += 1
            state = name_of(reference, state_of(work))
    finally:
        stop.touch()
        try:
            reader.wait(timeout=30)
        finally:
            if reader.poll() is None:
                os.killpg(reader.pid, signal.SIGKILL)
    assert reader.returncode == 0, reader.stderr.read().decode("utf-8", "replace")
    seen_by_reader = json.loads(out.read_text(encoding="utf-8"))
    # Every read saw one of the three complete databases, and no read failed.
    assert seen_by_reader["errors"] == {}, seen_by_reader["errors"]
    assert set(seen_by_reader["states"]) <= set(reference.values()), seen_by_reader["states"]
    seen_by_reader["states"] = {name_of(reference, k): v for k, v in seen_by_reader["states"].items()}
    return {
        "kills": kills,
        "runs": runs,
        "durations": durations,
        "outcomes": outcomes,
        "reader": seen_by_reader,
    }


# --- Killed before each file operation ----------------------------------------------------------


@pytest.fixture(scope="module")
def forkserver():
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["etl.cli", "tests.crash_points"])
    return context


@pytest.mark.parametrize("kind", ["add", "replace", "build"])
def test_writer_killed_before_each_file_operation(kind, tmp_path, reference, forkserver):
    steps, outcomes = every_step(tmp_path, kind, reference, forkserver)
    write_artifact(f"crash_steps_{kind}.json", {"steps": steps, "outcomes": outcomes})
    assert steps > 5 and outcomes["old"] and outcomes["new"], outcomes


def every_step(root: Path, kind: str, reference: dict[str, str], context) -> tuple[int, Counter[str]]:
    """Kill the writer just before its 1st, 2nd, … file operation until it ends; check each
    time. Returns the number of steps and how many kills left the old or the new database."""
    before = {"add": "A", "replace": "B", "build": "C"}[kind]
    template = root / "template"
    setup_work(template, before)
    before_writer(kind, template)
    outcomes: Counter[str] = Counter()
    for step in range(1, 200):
        work = root / f"step-{step}"
        shutil.copytree(template, work)
        child = context.Process(target=run_killed_at, args=(step, etl_args(kind, work)))
        child.start()
        child.join(120)
        if child.exitcode == 0:  # the writer ended before this step: every step was tried
            assert state_of(work) == reference[TRANSITIONS[before][1]]
            assert_clean(work, TRANSITIONS[before][1])
            return step - 1, outcomes
        assert child.exitcode == -signal.SIGKILL, f"step {step}: exit code {child.exitcode}"
        seen = after_kill(kind, work, reference, before)
        outcomes["new" if seen != before else "old"] += 1
        shutil.rmtree(work)
    raise AssertionError("the writer never ended")

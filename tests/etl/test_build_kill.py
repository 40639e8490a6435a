"""No process outlives its build (etl/parallel.py, etl/locking.py): a parallel ``etl build`` killed with
SIGKILL mid-parse leaves no worker running within seconds, and the next build proceeds at once; a
writer that must wait says who holds the lock and gives up after a bounded time; a forked child never
holds the lock. (bench/build.py kills 20 builds at random moments.)"""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from bench.scale import scale_report
from etl.locking import LockTimeout, holder_path, writer_lock
from tests import fixtures
from tests.processes import kill_all, running, wait_for_children, wait_until_gone

ROOT = fixtures.ROOT
GONE_WITHIN = 5.0  # seconds for every worker to end after its build is killed


@pytest.fixture(scope="module")
def many(tmp_path_factory) -> Path:
    """240 generated reports: a build parses them in its pool for a second or more."""
    folder = tmp_path_factory.mktemp("many") / "reports"
    rng = random.Random(5)
    for i in range(240):
        fixtures.write(folder, f"r-{i:03d}.txt", scale_report(i, rng, agencies=40, first_year=2015))
    return folder


def etl(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "etl", *map(str, args)]


def test_killed_parallel_build_leaves_no_worker_and_the_next_build_proceeds(many, tmp_path):
    db = tmp_path / "db" / "dashboard.duckdb"
    # Its own session, so that only the build itself is killed below (as the OOM killer does), not
    # its process group.
    build = subprocess.Popen(
        etl("build", "--reports", many, "--db", db),
        cwd=ROOT,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    workers: set[int] = set()
    try:
        workers = wait_for_children(build.pid, 2, 60)
        assert len(workers) >= 2, "the build started no pool"
        time.sleep(0.3)  # mid-parse
        os.kill(build.pid, signal.SIGKILL)
        build.wait(10)
        assert not db.exists(), "killed before it loaded anything"
        left, _ = wait_until_gone(workers, GONE_WITHIN)
        assert not left, f"workers still running {GONE_WITHIN} s after their build was killed: {left}"
    finally:
        kill_all({p for p in workers if running(p)} | ({build.pid} if build.poll() is None else set()))
    start = time.monotonic()
    done = subprocess.run(
        etl("build", "--reports", many, "--db", db, "--lock-timeout", "5"),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "等待写入锁" not in done.stderr and "载入240份报告" in done.stdout
    assert time.monotonic() - start < 300
    assert sorted(p.name for p in db.parent.iterdir()) == ["dashboard.duckdb"]


def test_a_waiting_writer_names_the_holder_and_gives_up(tmp_path):
    reports = tmp_path / "reports"
    fixtures.write(reports, fixtures.SEED_NAME, fixtures.seed_bytes())
    db = tmp_path / "db" / "dashboard.duckdb"
    with writer_lock(db):
        assert f'"pid": {os.getpid()}' in holder_path(db).read_text(encoding="utf-8")
        start = time.monotonic()
        done = subprocess.run(
            etl("build", "--reports", reports, "--db", db, "--lock-timeout", "1"),
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        waited = time.monotonic() - start
    assert done.returncode == 1
    assert f"等待写入锁：数据库{db}正由进程 {os.getpid()}（" in done.stderr
    assert f"另一个写入者进程 {os.getpid()}（" in done.stderr and "已等待1秒，放弃" in done.stderr
    assert "Traceback" not in done.stderr
    assert waited < 60 and not db.exists()
    assert not holder_path(db).exists()  # the holder's note goes with the lock


def test_a_waiting_writer_proceeds_once_the_lock_is_free(tmp_path):
    db = tmp_path / "db.duckdb"
    held, notices = threading.Event(), []

    def hold() -> None:
        with writer_lock(db):
            held.set()
            time.sleep(0.5)

    other = threading.Thread(target=hold)
    other.start()
    held.wait(10)
    with writer_lock(db, timeout=30, notice=notices.append):
        pass
    other.join()
    assert len(notices) == 1 and f"进程 {os.getpid()}（" in notices[0]


def test_the_holder_is_said_to_be_gone_when_its_note_is_stale(tmp_path):
    db = tmp_path / "db.duckdb"
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    with writer_lock(db):
        holder_path(db).write_text(f'{{"pid": {int(dead.stdout)}, "command": "etl build"}}', encoding="utf-8")
        with pytest.raises(LockTimeout) as info:
            with writer_lock(db, timeout=0.2, notice=lambda text: None):
                pass
    assert "该进程已不存在" in str(info.value) and "已等待0.2秒，放弃" in str(info.value)


def test_a_forked_child_does_not_hold_the_lock(tmp_path):
    """flock belongs to the open file: a fork would share it, and keep it after its parent died."""
    db = tmp_path / "db.duckdb"
    child = multiprocessing.get_context("fork").Process(target=time.sleep, args=(60,))
    try:
        with writer_lock(db):
            child.start()
        with writer_lock(db, timeout=0.5):  # the lock is free although the child still runs
            assert child.is_alive()
    finally:
        child.kill()
        child.join()

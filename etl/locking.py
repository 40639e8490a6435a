"""One writer at a time per database folder: an flock on the folder, with the holder's pid noted
beside the database, a bounded wait, and no forked child ever holding it.

Why each part:

- The lock is an ``flock`` on the folder (a lock file could be removed while held). ``flock``
  belongs to the open file description, so a child made by ``fork`` (the build's parse pool)
  would hold it too, and keep holding it if the writer were killed: every fork closes the
  child's copy (``os.register_at_fork``), which leaves the parent's lock as it is.
- A writer that must wait says who holds the lock (the pid noted in ``.NAME.writer``) and gives
  up after ``timeout`` seconds (``ETL_LOCK_TIMEOUT``, 60 by default) with a clear message,
  rather than waiting forever.
- Holding the lock, leftovers of a writer that was killed (its temporary copy of the database,
  with DuckDB's WAL or spill folder) are removed: no other writer can be using them.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

from .model import Problem, ReportError

DEFAULT_TIMEOUT = 60.0
TIMEOUT_VARIABLE = "ETL_LOCK_TIMEOUT"
POLL = 0.1  # seconds between two tries while waiting
LOCK_PLACE = "写入锁"

_held: set[int] = set()  # descriptors holding a writer lock in this process


def _close_held_in_child() -> None:
    """In a forked child: close its copies of the lock descriptors (the parent keeps the lock)."""
    for fd in list(_held):
        with contextlib.suppress(OSError):
            os.close(fd)
    _held.clear()


os.register_at_fork(after_in_child=_close_held_in_child)


class LockTimeout(ReportError):
    """Another writer held the lock for longer than the writer would wait."""


def holder_path(db_path: Path) -> Path:
    """Where the writer holding the lock notes its pid (removed when it lets go)."""
    return db_path.parent / f".{db_path.name}.writer"


def default_timeout() -> float:
    text = os.environ.get(TIMEOUT_VARIABLE, "")
    try:
        return float(text) if text else DEFAULT_TIMEOUT
    except ValueError:
        return DEFAULT_TIMEOUT


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def holder(db_path: Path) -> str:
    """Who holds the lock, in words: the noted pid and command, and whether it still runs."""
    try:
        note = json.loads(holder_path(db_path).read_text(encoding="utf-8"))
        pid = int(note["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        return "持有者未知（没有写入进程的记录）"
    what = f"进程 {pid}（{note.get('command', '')}，{note.get('since', '?')} 起）"
    if not _alive(pid):
        what += "，该进程已不存在，锁可能由它遗留的子进程持有"
    return what


def _note_holder(db_path: Path) -> None:
    note = {
        "pid": os.getpid(),
        "command": " ".join(Path(sys.argv[0]).name.split() + sys.argv[1:])[:200],
        "since": datetime.now().replace(microsecond=0).isoformat(sep=" "),
    }
    with contextlib.suppress(OSError):
        holder_path(db_path).write_text(json.dumps(note, ensure_ascii=False), encoding="utf-8")


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _acquire(fd: int, db_path: Path, timeout: float, notice: Callable[[str], None]) -> None:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return
    except BlockingIOError:
        pass
    notice(f"等待写入锁：数据库{db_path}正由{holder(db_path)}写入（最多等待{timeout:g}秒）")
    deadline = time.monotonic() + timeout
    while True:
        time.sleep(POLL)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise LockTimeout(
                    [
                        Problem(
                            str(db_path),
                            LOCK_PLACE,
                            f"另一个写入者{holder(db_path)}持有写入锁，已等待{timeout:g}秒，放弃"
                            f"（可用环境变量 {TIMEOUT_VARIABLE} 或 --lock-timeout 调整等待时间）",
                        )
                    ]
                ) from None


@contextlib.contextmanager
def writer_lock(
    db_path: Path, timeout: float | None = None, notice: Callable[[str], None] = _say
) -> Iterator[None]:
    """Hold the database folder's writer lock for the block (see the module's docstring).

    ``timeout`` is how long to wait for another writer (``default_timeout()`` when None);
    ``notice`` is told once, in words, who holds it when the writer has to wait."""
    folder = db_path.parent
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder, os.O_RDONLY)
    _held.add(fd)
    try:
        _acquire(fd, db_path, default_timeout() if timeout is None else timeout, notice)
        _note_holder(db_path)
        for stale in folder.glob(f".{db_path.name}.*.tmp*"):
            if stale.is_dir() and not stale.is_symlink():
                shutil.rmtree(stale, ignore_errors=True)
            else:
                stale.unlink(missing_ok=True)
        try:
            yield
        finally:
            holder_path(db_path).unlink(missing_ok=True)
    finally:
        _held.discard(fd)
        os.close(fd)  # closing the descriptor releases the lock

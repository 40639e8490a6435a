"""Processes as /proc shows them (Linux), for the tests and benches that kill builds: a process's
descendants, and whether a process still runs (a zombie does not: it holds nothing and is only
waiting to be reaped, which a container's init may never do)."""

from __future__ import annotations

import os
import time
from pathlib import Path


def _stat(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat after the command (state, ppid, …); None when it is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (its children, theirs, …), from /proc/*/stat."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (stat := _stat(int(entry.name))) is not None:
            parents.setdefault(int(stat[1]), []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def running(pid: int) -> bool:
    """Whether ``pid`` is a live process (not gone, not a zombie)."""
    stat = _stat(pid)
    return stat is not None and stat[0] not in ("Z", "X")


def wait_until_gone(pids: set[int], seconds: float) -> tuple[set[int], float]:
    """Wait up to ``seconds`` for every one of ``pids`` to end: (those still running, seconds waited)."""
    start = time.monotonic()
    while True:
        left = {p for p in pids if running(p)}
        waited = time.monotonic() - start
        if not left or waited >= seconds:
            return left, waited
        time.sleep(0.05)


def wait_for_children(pid: int, count: int, seconds: float) -> set[int]:
    """Wait up to ``seconds`` until ``pid`` has at least ``count`` running descendants."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = {p for p in descendants(pid) if running(p)}
        if len(found) >= count:
            return found
        if not running(pid):
            break
        time.sleep(0.02)
    return {p for p in descendants(pid) if running(p)}


def kill_all(pids: set[int]) -> None:
    """SIGKILL what is left (cleanup after a failed assertion)."""
    for p in pids:
        try:
            os.kill(p, 9)
        except (ProcessLookupError, PermissionError):
            pass

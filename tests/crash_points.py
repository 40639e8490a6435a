"""A writer killed at a chosen step, for tests/etl/test_crash_safety.py.

``run_killed_at(n, argv)`` runs ``python -m etl`` with ``argv`` in this
process, counting every call of the file operations a writer makes (create,
copy, rename, remove, fsync, chmod, mkdir), and sends itself SIGKILL just
before the ``n``-th: no ``finally`` block, no cleanup runs, as when the
machine or an operator kills the writer. Run in a child process (a fork of a
forkserver that has already imported the ETL, so each run costs a fork, not
an interpreter start).
"""

from __future__ import annotations

import importlib
import os
import signal
import sys

HOOKED = {
    "os": ("replace", "rename", "unlink", "remove", "rmdir", "fsync", "chmod", "mkdir", "makedirs"),
    "shutil": ("copyfile", "copy", "copy2", "rmtree"),
    "tempfile": ("mkstemp",),
}


def run_killed_at(kill_at: int, argv: list[str]) -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    steps = 0

    def hook(fn):
        def counted(*args, **kwargs):
            nonlocal steps
            steps += 1
            if steps == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)
            return fn(*args, **kwargs)

        return counted

    for module_name, names in HOOKED.items():
        module = importlib.import_module(module_name)
        for name in names:
            setattr(module, name, hook(getattr(module, name)))
    from etl import cli

    code = cli.main(argv)
    sys.stdout.flush()
    os._exit(code)

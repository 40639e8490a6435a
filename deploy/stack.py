"""Start and stop nginx in front of N Streamlit replicas: ``python -m deploy.stack start|stop|status``.

``make serve`` / ``make stop`` call this. Every process is started here in a
process group of its own, with a pid file in the run directory (``.run/`` by
default), and ``stop`` ends exactly those groups, after checking that each pid
still belongs to a process this stack started. Each replica is
``python -m dashboard.serve`` (the app's launcher), bound to 127.0.0.1 on a free
port; nginx alone listens publicly. Tests and the bench run their own stacks in
temporary run directories.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from deploy import render

ROOT = render.ROOT
RUN_DIR = ROOT / ".run"
HEALTH_TIMEOUT = 90.0  # seconds for a replica to answer /_stcore/health
# What each replica is given: no browser, no network look-up of an external address
# (browser.serverAddress set), no file watching, only loopback.
REPLICA_OPTIONS = [
    "--server.headless",
    "true",
    "--browser.serverAddress",
    "localhost",
    "--browser.gatherUsageStats",
    "false",
    "--server.fileWatcherType",
    "none",
    "--server.address",
    "127.0.0.1",
]


@dataclass
class Stack:
    """Where a running stack is: its run directory, public port and replica ports."""

    run_dir: Path
    port: int
    replica_ports: list[int]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def replica_url(self, i: int) -> str:
        return f"http://127.0.0.1:{self.replica_ports[i]}"

    def pid_file(self, name: str) -> Path:
        return self.run_dir / f"{name}.pid"


def nginx_binary() -> str | None:
    """nginx on PATH or in /usr/sbin (not on a normal user's PATH on Debian)."""
    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def healthy(url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=timeout) as resp:
            return resp.status == 200 and resp.read().strip() == b"ok"
    except (urllib.error.URLError, OSError):
        return False


def _read_pid(path: Path) -> int | None:
    try:
        return int(path.read_text().strip())
    except (OSError, ValueError):
        return None


def _ours(pid: int, marker: str) -> bool:
    """The pid is alive and its command line is the one we started (pids get reused)."""
    try:
        return marker in Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return False


def _gone(pid: int) -> bool:
    """Ended (or a zombie). Not a command-line check: just after the fork, before the exec,
    the child still shows its parent's command line."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


def _end_group(pid: int, marker: str, wait: float = 10.0) -> None:
    """SIGTERM the process group ``pid`` leads, then SIGKILL what is left."""
    for sig, grace in ((signal.SIGTERM, wait), (signal.SIGKILL, 5.0)):
        if not _ours(pid, marker):
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, sig)
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline and _ours(pid, marker):
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, os.WNOHANG)  # reap it when it is our child (tests, bench)
            time.sleep(0.1)


def start_replica(run_dir: Path, index: int, port: int, env: Mapping[str, str]) -> int:
    """One ``python -m dashboard.serve`` on 127.0.0.1:``port``; its pid, also in replica-N.pid."""
    log = run_dir / "logs" / f"replica-{index}.log"
    full_env = {**os.environ, "PYTHONUNBUFFERED": "1", "DASHBOARD_TRUSTED_PROXIES": "127.0.0.1", **env}
    python = ROOT / ".venv" / "bin" / "python"
    cmd = [str(python if python.exists() else sys.executable), "-m", "dashboard.serve"]
    with open(log, "ab") as out:
        proc = subprocess.Popen(
            [*cmd, *REPLICA_OPTIONS, "--server.port", str(port)],
            cwd=ROOT,
            env=full_env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    (run_dir / f"replica-{index}.pid").write_text(f"{proc.pid}\n")
    return proc.pid


def wait_healthy(url: str, pid: int, what: str, log: Path, timeout: float = HEALTH_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if healthy(url):
            return
        if _gone(pid):
            break
        time.sleep(0.25)
    tail = "\n".join(log.read_text(errors="replace").splitlines()[-30:]) if log.exists() else ""
    raise RuntimeError(f"{what} did not answer {url}/_stcore/health:\n{tail}")


def start(
    run_dir: Path = RUN_DIR,
    port: int = 8080,
    replicas: int = 2,
    env: Mapping[str, str] | None = None,
    settings: render.Settings | None = None,
) -> Stack:
    """Start the replicas, wait for each to be healthy, then nginx; stop all on failure."""
    nginx = nginx_binary()
    if nginx is None:
        raise RuntimeError("nginx is not installed (apt-get install nginx; scripts/setup.sh serve does it)")
    run_dir = Path(run_dir).resolve()
    if any(_ours(p, m) for p, m in _pids(run_dir)):
        raise RuntimeError(f"a stack is already running from {run_dir} (make stop first)")
    for sub in ("logs", "tmp"):
        (run_dir / sub).mkdir(parents=True, exist_ok=True)
    import streamlit

    static_root = render.precompress_static(RUN_DIR / "static" / streamlit.__version__)
    stack = Stack(run_dir, port, [free_port() for _ in range(replicas)])
    try:
        pids = [start_replica(run_dir, i, p, env or {}) for i, p in enumerate(stack.replica_ports)]
        for i, pid in enumerate(pids):
            wait_healthy(stack.replica_url(i), pid, f"replica {i}", run_dir / "logs" / f"replica-{i}.log")
        base = settings or render.Settings()
        base.port, base.replica_ports, base.run_dir, base.static_root = (
            port,
            stack.replica_ports,
            run_dir,
            static_root,
        )
        conf = run_dir / "nginx.conf"
        conf.write_text(render.render(base))
        error_log = str(run_dir / "logs" / "error.log")
        check = subprocess.run(
            [nginx, "-t", "-q", "-p", str(run_dir), "-e", error_log, "-c", str(conf)],
            capture_output=True,
            text=True,
        )
        if check.returncode:
            raise RuntimeError(f"nginx refused {conf}:\n{check.stderr}")
        # nginx puts itself in the background (daemon on) and writes nginx.pid itself.
        subprocess.run(
            [nginx, "-p", str(run_dir), "-e", error_log, "-c", str(conf)],
            check=True,
            start_new_session=True,
            stdin=subprocess.DEVNULL,
        )
        (run_dir / "stack.json").write_text(json.dumps({"port": port, "replica_ports": stack.replica_ports}))
        master = _wait_pid_file(stack.pid_file("nginx"))
        wait_healthy(stack.url, master, "nginx", run_dir / "logs" / "error.log", timeout=20)
    except BaseException:
        stop(run_dir)
        raise
    return stack


def _wait_pid_file(path: Path, timeout: float = 10.0) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pid = _read_pid(path)
        if pid:
            return pid
        time.sleep(0.05)
    raise RuntimeError(f"nginx wrote no {path}")


def _pids(run_dir: Path) -> list[tuple[int, str]]:
    """(pid, command-line marker) of every process a stack in ``run_dir`` started."""
    found = []
    for path in sorted(run_dir.glob("replica-*.pid")):
        pid = _read_pid(path)
        if pid:
            found.append((pid, "dashboard.serve"))
    pid = _read_pid(run_dir / "nginx.pid")
    if pid:
        found.append((pid, "nginx"))
    return found


@contextlib.contextmanager
def running(
    run_dir: Path,
    replicas: int = 2,
    env: Mapping[str, str] | None = None,
    settings: render.Settings | None = None,
) -> Iterator[Stack]:
    """A stack on a free port for the block (a test's, a benchmark's), stopped afterwards
    whatever happens in it."""
    st = start(run_dir, port=free_port(), replicas=replicas, env=env, settings=settings)
    try:
        yield st
    finally:
        stop(run_dir)


def stop(run_dir: Path = RUN_DIR) -> list[int]:
    """End nginx (first, so no visitor reaches a stopping replica), then every replica;
    returns the pids that were running. Pid files are removed."""
    run_dir = Path(run_dir).resolve()
    ended = []
    for pid, marker in sorted(_pids(run_dir), key=lambda pm: pm[1] != "nginx"):
        if _ours(pid, marker):
            ended.append(pid)
            if marker == "nginx":
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGQUIT)  # graceful: finish open requests
                deadline = time.monotonic() + 10
                while time.monotonic() < deadline and _ours(pid, marker):
                    time.sleep(0.1)
            _end_group(pid, marker)
    for path in [*run_dir.glob("replica-*.pid"), run_dir / "nginx.pid", run_dir / "stack.json"]:
        path.unlink(missing_ok=True)
    return ended


def load(run_dir: Path = RUN_DIR) -> Stack | None:
    """The stack recorded in ``run_dir`` (``None`` when none was started there)."""
    try:
        info = json.loads((Path(run_dir) / "stack.json").read_text())
    except (OSError, ValueError):
        return None
    return Stack(Path(run_dir).resolve(), info["port"], info["replica_ports"])


def status(run_dir: Path = RUN_DIR) -> int:
    stack = load(run_dir)
    if stack is None:
        print("nothing is running")
        return 1
    print(f"nginx   {stack.url}  {'healthy' if healthy(stack.url) else 'NOT ANSWERING'}")
    for i in range(len(stack.replica_ports)):
        url = stack.replica_url(i)
        print(f"replica {i} {url}  {'healthy' if healthy(url) else 'NOT ANSWERING'}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=["start", "stop", "status"])
    parser.add_argument("--run-dir", type=Path, default=RUN_DIR)
    args = parser.parse_args(argv)
    if args.command == "stop":
        ended = stop(args.run_dir)
        print(f"stopped {len(ended)} process group(s)" if ended else "nothing was running")
        return 0
    if args.command == "status":
        return status(args.run_dir)
    settings = render.Settings(
        listen=os.environ.get("LISTEN", "0.0.0.0"),
        frame_ancestors=os.environ.get("FRAME_ANCESTORS", "'none'"),
        cookie_secure=os.environ.get("COOKIE_SECURE", "") == "1",
    )
    port, replicas = int(os.environ.get("PORT", "8080")), int(os.environ.get("REPLICAS", "2"))
    stack = start(args.run_dir, port, replicas, settings=settings)
    print(f"serving on http://localhost:{port}/ — nginx in front of {replicas} replica(s)")
    print(f"logs in {stack.run_dir / 'logs'}; stop with: make stop")
    return 0


if __name__ == "__main__":
    sys.exit(main())

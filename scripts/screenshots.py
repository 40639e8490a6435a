"""Screenshots of the dashboard's pages for the README, from the real app.

Starts ``streamlit run app.py`` on a free port against the bundled database,
opens each page in headless Chromium and saves docs/screenshots/<page>.png.
Usage: .venv/bin/python scripts/screenshots.py [--out DIR] [--pages overview,trading]
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.e2e.helpers import wait_for_app, wait_for_charts  # noqa: E402

PAGES = {
    "overview": 0,
    "trading": 1,
    "approvals": 1,
    "hotline": 2,
    "disclosure": 1,
    "quality": 0,
    "downloads": 0,
}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, db: Path) -> subprocess.Popen:
    env = {**os.environ, "DASHBOARD_DB": str(db)}
    cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
           "--server.port", str(port), "--server.address", "127.0.0.1"]  # fmt: skip
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.read() == b"ok":
                    return proc
        except OSError:
            time.sleep(0.3)
    os.killpg(proc.pid, signal.SIGTERM)
    raise SystemExit("streamlit did not start")


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--pages", default=",".join(PAGES))
    parser.add_argument("--db", type=Path, default=ROOT / "data" / "dashboard.duckdb")
    parser.add_argument("--query", default="year=2019")
    parser.add_argument("--height", type=int, default=900, help="viewport height (the app scrolls inside it)")
    args = parser.parse_args()
    if not args.db.exists():
        from etl.pipeline import build

        build(ROOT / "data" / "reports", args.db)
    args.out.mkdir(parents=True, exist_ok=True)
    port = free_port()
    proc = start_server(port, args.db)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
            )
            page = browser.new_page(viewport={"width": 1280, "height": args.height}, locale="zh-CN")
            for name in args.pages.split(","):
                path_part = "" if name == "overview" else name
                page.goto(f"http://127.0.0.1:{port}/{path_part}?{args.query}")
                wait_for_app(page)
                if PAGES[name]:
                    wait_for_charts(page, PAGES[name])
                page.wait_for_timeout(500)
                path = args.out / f"{name}.png"
                page.screenshot(path=str(path), full_page=True)
                print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
            browser.close()
    finally:
        os.killpg(proc.pid, signal.SIGTERM)


if __name__ == "__main__":
    main()

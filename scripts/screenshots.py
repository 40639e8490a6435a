"""Screenshots of the dashboard's pages for the README, from the real app.

Starts ``streamlit run app.py`` on a free port against a database freshly built
from data/reports/ (or ``--db``), visits "/" once (a server's first visit through a
deep link gets Streamlit's "Page not found" dialog), then opens each page in
headless Chromium and saves docs/screenshots/<page>.png (the viewport: the app
scrolls inside it). The 政府信息公开 page is taken on its 表三 tab, which has the chart.
Usage: .venv/bin/python scripts/screenshots.py [--out DIR] [--pages home,unit,trading] [--db FILE]
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

from tests.e2e.helpers import BROWSER_ARGS, CHROMIUM, wait_for_app, wait_for_charts  # noqa: E402

SEED = "agency={centre}&year=2019"  # the centre's report (the default: --query)
HONGZE = "agency=淮安市洪泽区人民政府&year=2024"
# page → (charts to wait for, tab to click first, the URL's query; None: --query, "": none).
# The page's path is its name ("home" is "/"); {centre} and {hongze_unit} are looked up in the database.
PAGES: dict[str, tuple[int, str | None, str | None]] = {
    "home": (1, None, ""),
    "unit": (1, None, "unit={hongze_unit}&year=2024"),
    "overview": (0, None, None),
    "trading": (1, None, ""),
    "approvals": (1, None, ""),
    "hotline": (3, None, ""),
    "disclosure": (1, "表三 依申请公开", None),
    "quality": (0, None, HONGZE),
    "compare": (3, None, "cfrom=2019&cto=2024&m=new_requests"),
    "review": (0, None, "y=2024"),
    "trends": (4, None, HONGZE),
    "texts": (0, None, HONGZE + "&q=解读&part=problems"),
    "downloads": (0, None, None),
}
MAX_BYTES = 400_000  # per screenshot, they are committed


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
    stop_server(proc)
    raise SystemExit("streamlit did not start")


def stop_server(proc: subprocess.Popen) -> None:
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)  # the group start_server created
            proc.wait(wait)
            return
        except ProcessLookupError:
            return
        except subprocess.TimeoutExpired:
            continue


def lookups(db: Path) -> dict[str, str]:
    """The names the pages' queries need, from the database (the registry's ids are its own)."""
    from urllib.parse import quote

    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        centre = con.sql("SELECT agency FROM reports WHERE report_id = 'sichuan-center-2019'").fetchall()
        unit = con.sql("SELECT unit_id FROM units WHERE name = '淮安市洪泽区人民政府'").fetchall()
    finally:
        con.close()
    return {"centre": centre[0][0] if centre else "", "hongze_unit": quote(unit[0][0]) if unit else ""}


def main() -> None:
    import tempfile

    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--pages", default=",".join(PAGES))
    parser.add_argument(
        "--db", type=Path, help="an existing database (default: built now from data/reports/)"
    )
    parser.add_argument("--query", default=SEED)
    parser.add_argument("--height", type=int, default=900, help="viewport height (the app scrolls inside it)")
    args = parser.parse_args()
    names = [n.strip() for n in args.pages.split(",") if n.strip()]
    unknown = [n for n in names if n not in PAGES]
    if unknown:
        parser.error(f"unknown page(s) {unknown}; known: {', '.join(PAGES)}")
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="screenshots-") as tmp:
        db = args.db
        if db is None:
            from etl.pipeline import build

            db = Path(tmp) / "dashboard.duckdb"
            build(ROOT / "data" / "reports", db)
        port = free_port()
        proc = start_server(port, db)
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=BROWSER_ARGS)
                page = browser.new_page(viewport={"width": 1280, "height": args.height}, locale="zh-CN")
                page.goto(f"http://127.0.0.1:{port}/")  # the server's first visit (see the docstring)
                wait_for_app(page)
                known = lookups(db)
                for name in names:
                    charts, tab, query = PAGES[name]
                    path_part = "" if name == "home" else name
                    query = (args.query if query is None else query).format(**known)
                    page.goto(f"http://127.0.0.1:{port}/{path_part}?{query}")
                    wait_for_app(page)
                    if tab:
                        page.get_by_role("tab", name=tab).click()
                        wait_for_app(page)
                    if charts:
                        wait_for_charts(page, charts)
                    page.wait_for_timeout(800)  # Plotly's transitions, fonts
                    path = args.out / f"{name}.png"
                    page.screenshot(path=str(path), full_page=True)
                    size = path.stat().st_size
                    note = "" if size <= MAX_BYTES else f"  (over {MAX_BYTES // 1000} KB)"
                    shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
                    print(f"{shown}  {size // 1000} KB{note}")
                browser.close()
        finally:
            stop_server(proc)


if __name__ == "__main__":
    main()

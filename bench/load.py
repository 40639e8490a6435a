"""Load under rebuilds (a script, not a test): ``python bench/load.py [--duration 60] [--sessions 20]``.

N browser sessions at once (one headless Chromium, N contexts, Playwright's async
API) go through every page and switch years for a fixed time, while a background
thread rebuilds the database underneath every few seconds with the ETL's own
command, ``python -m etl build --reports R --db D`` in a subprocess, alternating
between a one-year folder (the seed, 2019) and a two-year folder (+ the derived
2020 report of tests/fixtures.py). Each rebuild swaps in a new file (os.replace);
the app must notice (its version token) and never show a visitor an error.

Each visitor arrives within the first few seconds and repeats, at random (seeded),
with a pause between views (``--think``, 1 s on average): open a page by URL (a new
Streamlit session, ``/page?year=Y``), click another page in the sidebar (same
session), or choose the other year in the sidebar's 年度 selector (when two years are
loaded at that moment). A page view is timed from the action to the end of the
script run it started (the server's ``script_finished`` message on the page's
websocket) with the app idle (connected, not running, no skeleton).

Printed: page views, p50/p95/max page time and the server's part of it (from the
action, or a new page's websocket opening, to the run's end), errors shown to
visitors (exception boxes, st.error boxes, Streamlit's 'Page not found': must be 0),
views that timed out (must be 0), JavaScript dialogs and uncaught errors, rebuilds
done, the server's memory (RSS of its process tree from /proc) at the start, peak, at
the end with the sessions open and after they closed, CPU seconds of the server, the
browser and the rebuilds, and tracebacks in the server's log. Exit status 1 if
anything failed.

Only 127.0.0.1 is used; every wait has a timeout and every loop a deadline; it
stops by itself and stops the server it started (its own process group).
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from google.protobuf.message import DecodeError  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

from bench import common  # noqa: E402
from tests.e2e.conftest import APP  # noqa: E402

PAGES = ("/", "/trading", "/approvals", "/hotline", "/disclosure", "/quality", "/downloads")
YEARS = (2019, 2020)
START_GRACE = 20.0  # seconds for a click to start a script run before it counts as not landed
PYTHON = ROOT / ".venv" / "bin" / "python"

# Idle and drawn: connected, no script running, and no skeleton left (the app's, or an
# element's while its lazily loaded code arrives: a metric or a selectbox is a grey box until then).
IDLE_JS = """() => !!document.querySelector(
    '[data-testid="stApp"][data-test-connection-state="CONNECTED"][data-test-script-state="notRunning"]')
  && !document.querySelector(
    '[data-testid="stStatusWidgetRunningIcon"], [data-testid="stAppSkeleton"], [data-testid="stSkeleton"]')"""
PROBLEMS_JS = """() => ({
  exceptions: [...document.querySelectorAll('[data-testid="stException"]')].map(e => e.innerText.slice(0, 200)),
  errors: [...document.querySelectorAll('[data-testid="stAlertContentError"]')]
      .filter(e => !e.closest('[data-testid="stException"]')).map(e => e.innerText.slice(0, 200)),
  not_found: [...document.querySelectorAll('[role="dialog"]')].map(e => e.innerText)
      .filter(t => t.includes('Page not found')).map(t => t.slice(0, 200)),
})"""


# --------------------------------------------------------------------------- small tools


def mib(kib: int) -> str:
    return f"{kib / 1024:.0f} MiB"


def prepare(tmp: Path) -> tuple[Path, Path, Path]:
    """The one-year and two-year report folders, and the database built from the two-year one."""
    from etl.pipeline import build
    from tests import fixtures

    one, two = tmp / "reports-1-year", common.write_two_year_reports(tmp / "reports-2-years")
    fixtures.write(one, fixtures.SEED_NAME, fixtures.seed_bytes())
    db = tmp / "db" / "dashboard.duckdb"
    db.parent.mkdir()
    build(two, db)
    return one, two, db


# --------------------------------------------------------------------------- rebuilds and memory


@dataclass
class Rebuilds:
    done: int = 0
    failed: list[str] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    cpu: float = 0.0  # user + system seconds of the rebuild processes


def rebuild_loop(
    folders: tuple[Path, Path], db: Path, every: float, stop: threading.Event, out: Rebuilds
) -> None:
    """``python -m etl build`` every ``every`` seconds, alternating folders, until ``stop``."""
    python = str(PYTHON if PYTHON.exists() else sys.executable)
    k = 0
    while not stop.wait(every):
        folder = folders[k % 2]
        k += 1
        start = time.perf_counter()
        before = os.times()
        try:
            done = subprocess.run(
                [python, "-m", "etl", "build", "--reports", str(folder), "--db", str(db)],
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
        except subprocess.TimeoutExpired:
            out.failed.append(f"{folder.name}: timed out after 120 s")
            continue
        out.seconds.append(time.perf_counter() - start)
        after = os.times()
        out.cpu += (after.children_user - before.children_user) + (
            after.children_system - before.children_system
        )
        if done.returncode == 0:
            out.done += 1
        else:
            out.failed.append(f"{folder.name}: exit {done.returncode}: {done.stderr.strip()[-300:]}")


def memory_loop(pid: int, stop: threading.Event, peak: list[int]) -> None:
    while not stop.wait(1.0):
        peak[0] = max(peak[0], common.tree_rss_kib(pid))


# --------------------------------------------------------------------------- visitors


@dataclass
class Tally:
    times: dict[str, list[float]] = field(default_factory=lambda: {"url": [], "sidebar": [], "year": []})
    answered: list[float] = field(default_factory=list)  # request (or websocket opened) to the run's end
    problems: Counter = field(default_factory=Counter)
    samples: list[str] = field(default_factory=list)  # the first few problems, for the report
    skipped_year_switches: int = 0
    clicks_without_effect: int = 0  # no run started, and the page shows no change either
    dialogs: list[str] = field(default_factory=list)
    js_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)

    def problem(self, kind: str, where: str, text: str) -> None:
        self.problems[kind] += 1
        if len(self.samples) < 10:
            self.samples.append(f"{kind} at {where}: {text}")


class Wire:
    """What the server told one page over its websocket: script runs started and finished,
    pages not found.

    Streamlit ends every script run with a ``script_finished`` ForwardMsg; counting them
    (not interrupted by a rerun) tells that the run an action started is over, however
    the browser batches its rendering.
    """

    def __init__(self, page) -> None:
        self.started = 0
        self.finished = 0
        self.not_found = 0
        self.opened_at = 0.0  # when the page's (latest) websocket opened (time.perf_counter)
        page.on("websocket", self._socket)

    def _socket(self, ws) -> None:
        if "/_stcore/stream" in ws.url:
            self.opened_at = time.perf_counter()
            ws.on("framereceived", self._frame)

    def _frame(self, payload) -> None:
        if not isinstance(payload, bytes):
            return
        msg = ForwardMsg()
        try:
            msg.ParseFromString(payload)
        except DecodeError:
            return
        kind = msg.WhichOneof("type")
        if kind == "new_session":  # sent as each script run starts
            self.started += 1
        elif kind == "script_finished" and msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
            self.finished += 1
        elif kind == "page_not_found":
            self.not_found += 1


async def _finished(page, wire: Wire, before: int, timeout_ms: float) -> float:
    """Wait for the end of a script run after ``before`` runs, then for the app to be idle;
    return when the run's end arrived (time.perf_counter)."""
    deadline = time.monotonic() + timeout_ms / 1000
    while wire.finished <= before:
        if time.monotonic() > deadline:
            raise TimeoutError(f"no script run ended in {timeout_ms / 1000:g} s")
        await asyncio.sleep(0.02)
    answered = time.perf_counter()
    remaining = max(1.0, (deadline - time.monotonic()) * 1000)
    await page.wait_for_function(IDLE_JS, polling=50, timeout=remaining)
    return answered


async def _started(wire: Wire, before: int, seconds: float) -> bool:
    """Whether a script run starts (after ``before`` runs) within ``seconds``."""
    deadline = time.monotonic() + seconds
    while wire.started <= before:
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.02)
    return True


STATE_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app) return 'no app yet';
  const text = sel => (document.querySelector(sel)?.innerText || '').replace(/\\s+/g, ' ').slice(0, 160);
  return `script ${app.getAttribute('data-test-script-state')}, `
      + `connection ${app.getAttribute('data-test-connection-state')}, `
      + `${document.querySelectorAll('[data-testid="stSidebar"] [role="combobox"]').length} combobox(es), `
      + `${document.querySelectorAll('[data-testid="stSkeleton"]').length} skeleton(s), `
      + `url ${location.pathname}${location.search}, sidebar “${text('[data-testid="stSidebarUserContent"]')}”, `
      + `main “${text('[data-testid="stMain"]')}”`;
}"""


async def visit(
    page, wire: Wire, rng: random.Random, url: str, opened: bool, timeout_ms: float, tally: Tally
) -> bool:
    """One page view (or nothing, if it cannot be done right now); True once a page is open."""
    choice = rng.random()
    kind = "url" if not opened or choice < 0.35 else "sidebar" if choice < 0.7 else "year"
    where = kind
    start = time.perf_counter()
    try:
        if kind == "url":
            where = f"{rng.choice(PAGES)}?year={rng.choice(YEARS)}"
            before = wire.finished
            await page.goto(url + where, wait_until="commit")
            answered = await _finished(page, wire, before, timeout_ms)
        elif kind == "sidebar":
            links = page.locator('[data-testid="stSidebarNav"] a')
            here = page.url.split("?")[0]
            hrefs = [await links.nth(i).get_attribute("href") for i in range(await links.count())]
            others = [i for i, h in enumerate(hrefs) if h and h.split("?")[0] != here]
            if not others:
                return opened
            i = rng.choice(others)
            target = hrefs[i].split("?")[0]
            where = f"sidebar link {target.removeprefix(url)}"
            before, began = wire.finished, wire.started
            start = time.perf_counter()
            await links.nth(i).click()
            if not await _started(wire, began, START_GRACE) and page.url.split("?")[0] != target:
                tally.clicks_without_effect += 1  # the click did not land (the browser is starved)
                return False
            answered = await _finished(page, wire, before, timeout_ms)
        else:
            box = page.locator('[data-testid="stSidebar"]').get_by_role("combobox", name="年度")
            if not await box.count():
                tally.problem("no_selector", where, await page.evaluate(STATE_JS))
                return False
            current = await box.input_value()
            await box.click()
            options = page.get_by_role("option")
            targets = [t.strip() for t in await options.all_inner_texts() if t.strip() != current]
            if not targets:  # one year loaded right now
                tally.skipped_year_switches += 1
                await page.keyboard.press("Escape")
                return opened
            where = f"year {targets[0]} on {page.url.split('?')[0].removeprefix(url)}"
            before, began = wire.finished, wire.started
            start = time.perf_counter()
            try:
                await options.filter(has_text=targets[0]).first.click(timeout=5_000)
            except Exception:  # the list changed under us (a rebuild): not the app's fault
                tally.skipped_year_switches += 1
                await page.keyboard.press("Escape")
                return opened
            if not await _started(wire, began, START_GRACE) and await box.input_value() != targets[0]:
                tally.clicks_without_effect += 1  # the option's click did not land
                return False
            answered = await _finished(page, wire, before, timeout_ms)
    except Exception as exc:  # a timeout (or a page that broke): counted, then a fresh start
        try:
            state = await page.evaluate(STATE_JS)
        except Exception:
            state = "page not answering"
        message = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        tally.problem("timeout", where, f"{message} ({state}; {wire.finished} runs ended)")
        return False
    tally.times[kind].append(time.perf_counter() - start)
    # the server's part: from the action (a new page: from its websocket opening) to the run's end
    tally.answered.append(answered - max(start, wire.opened_at))
    found = await page.evaluate(PROBLEMS_JS)
    if wire.not_found:
        found["not_found"].append(f"{wire.not_found} page_not_found message(s) from the server")
        wire.not_found = 0
    for key, texts in found.items():
        for text in texts:
            tally.problem(key, where, text)
    return True


async def visitor(browser, url: str, seed: int, deadline: float, args, tally: Tally):
    """Page views until the deadline; returns the context, still open."""
    rng = random.Random(seed)
    timeout_ms = args.timeout * 1000
    context = await browser.new_context(viewport=common.VIEWPORT, locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(timeout_ms)
    page = await context.new_page()
    wire = Wire(page)

    async def on_dialog(dialog) -> None:
        tally.dialogs.append(f"{dialog.type}: {dialog.message[:200]}")
        await dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda exc: tally.js_errors.append(str(exc)[:200]))

    def on_failed(request) -> None:
        if "ERR_ABORTED" not in (request.failure or ""):  # not a page left while it was loading
            tally.failed_requests.append(f"{request.url.removeprefix(url)}: {request.failure}")

    page.on("requestfailed", on_failed)
    await asyncio.sleep(rng.uniform(0, min(5.0, args.duration / 4)))  # arrivals spread over a few seconds
    opened = False
    while time.monotonic() < deadline:
        opened = await visit(page, wire, rng, url, opened, timeout_ms, tally)
        if args.think:
            await asyncio.sleep(rng.uniform(0, 2 * args.think))  # a visitor reads before the next click
    return context


async def visitors(url: str, pid: int, args, tally: Tally) -> dict[str, float]:
    """Run the visitors; the server's memory and CPU use while they were there."""
    async with common.async_chromium() as browser:
        cpu_server, cpu_all = common.tree_cpu_seconds(pid), common.tree_cpu_seconds(os.getpid(), exclude=pid)
        deadline = time.monotonic() + args.duration
        jobs = [visitor(browser, url, args.seed + i, deadline, args, tally) for i in range(args.sessions)]
        contexts = await asyncio.wait_for(asyncio.gather(*jobs), timeout=args.duration + args.timeout + 60)
        out = {
            "rss_end": common.tree_rss_kib(pid),  # the sessions still open
            "cpu_server": common.tree_cpu_seconds(pid) - cpu_server,
            "cpu_browser": common.tree_cpu_seconds(os.getpid(), exclude=pid) - cpu_all,
        }
        for context in contexts:
            await context.close()
        return out


async def warm_up(url: str, timeout_ms: float) -> None:
    """One visit to "/" so the server has run the app once (and opened the database)."""
    async with common.async_chromium() as browser:
        context = await browser.new_context()
        page = await context.new_page()
        wire = Wire(page)
        await page.goto(url + "/", wait_until="commit")
        await _finished(page, wire, 0, timeout_ms)


# --------------------------------------------------------------------------- main


def main() -> int:
    parser = common.arg_parser(__doc__)
    parser.add_argument("--duration", type=float, default=60, help="seconds of load (60)")
    parser.add_argument("--sessions", type=int, default=20, help="browser sessions at once (20)")
    parser.add_argument("--rebuild-every", type=float, default=5, help="seconds between rebuilds (5)")
    parser.add_argument("--think", type=float, default=1.0, help="mean pause between a visitor's views (1 s)")
    parser.add_argument("--timeout", type=float, default=90, help="seconds a page view may take (90)")
    parser.add_argument("--seed", type=int, default=1, help="random seed of the visitors (1)")
    args = parser.parse_args()
    common.require_chromium(parser)
    if not APP.exists():
        parser.error(f"{APP} is missing")

    print(f"Load under rebuilds — {common.machine_line()} before the start")
    with tempfile.TemporaryDirectory(prefix="load-bench-") as tmp_name:
        tmp = Path(tmp_name)
        one, two, db = prepare(tmp)
        logs = tmp / "logs"
        logs.mkdir()
        env = {"DASHBOARD_REPORTS": str(two), "DASHBOARD_ADMIN_PASSWORD": ""}
        rebuilds, tally, peak = Rebuilds(), Tally(), [0]
        stop = threading.Event()
        with common.streamlit_server(APP, db, env, logs) as server:
            pid = server.proc.pid
            threads = [
                threading.Thread(
                    target=rebuild_loop, args=((one, two), db, args.rebuild_every, stop, rebuilds)
                ),
                threading.Thread(target=memory_loop, args=(pid, stop, peak)),
            ]
            try:
                asyncio.run(warm_up(server.url, args.timeout * 1000))
                rss_start = peak[0] = common.tree_rss_kib(pid)
                for t in threads:
                    t.start()
                started = time.perf_counter()
                during = asyncio.run(visitors(server.url, pid, args, tally))
                wall = time.perf_counter() - started
                load = os.getloadavg()[0]
                stop.set()
                for t in threads:
                    t.join(timeout=130)  # a rebuild in progress ends within its own timeout
                time.sleep(2.0)
                rss_after = common.tree_rss_kib(pid)
                tracebacks = server.log.read_text(errors="replace").count("Traceback")
            finally:
                stop.set()  # the loops end before the server does

    times = [t for ts in tally.times.values() for t in ts]
    shown = sum(n for kind, n in tally.problems.items() if kind != "timeout")
    timeouts = tally.problems["timeout"]
    print(
        f"\n{args.sessions} sessions (one Chromium, {args.sessions} contexts) for {args.duration:.0f} s "
        f"({wall:.0f} s with the last views), think time {args.think:g} s on average, "
        f"a rebuild every {args.rebuild_every:g} s (1 year ⇄ 2 years)"
    )
    kinds = ", ".join(f"{len(v)} {k}" for k, v in tally.times.items())
    print(f"  page views                  {len(times)} ({kinds}: by URL, sidebar link, year selector)")
    if times:
        print(
            f"  page time p50 / p95 / max   {common.percentile(times, 50):.2f} s / {common.percentile(times, 95):.2f} s / "
            f"{max(times):.2f} s  (action to the end of its script run, app idle)"
        )
        answered = tally.answered
        print(
            f"    server's part             p50 {common.percentile(answered, 50):5.2f} s, "
            f"p95 {common.percentile(answered, 95):5.2f} s  (action, or a new page's websocket, to the run's end)"
        )
        for k, ts in tally.times.items():
            if ts:
                print(
                    f"    {k:<8}                  p50 {common.percentile(ts, 50):5.2f} s, p95 {common.percentile(ts, 95):5.2f} s"
                )
    print(
        f"  errors shown to visitors    {shown}  (exceptions {tally.problems['exceptions']}, st.error "
        f"{tally.problems['errors']}, Page not found {tally.problems['not_found']}, no year selector "
        f"{tally.problems['no_selector']})"
    )
    print(f"  views timed out             {timeouts}  (no end of a script run within {args.timeout:g} s)")
    for sample in tally.samples:
        print(f"    - {sample}")
    print(f"  JavaScript dialogs / errors {len(tally.dialogs)} / {len(tally.js_errors)}")
    for text in (tally.dialogs + tally.js_errors)[:5]:
        print(f"    - {text}")
    print(f"  failed requests             {len(tally.failed_requests)}")
    for text in tally.failed_requests[:5]:
        print(f"    - {text}")
    print(f"  year switches skipped       {tally.skipped_year_switches} (one year loaded at that moment)")
    print(
        f"  clicks without effect       {tally.clicks_without_effect} (no run started in {START_GRACE:g} s "
        "and the page unchanged: the click did not land)"
    )
    median = f"{statistics.median(rebuilds.seconds):.1f} s each" if rebuilds.seconds else "none"
    print(f"  rebuilds                    {rebuilds.done} done, {len(rebuilds.failed)} failed ({median})")
    for failure in rebuilds.failed[:5]:
        print(f"    - {failure}")
    print(
        f"  server memory (RSS, tree)   start {mib(rss_start)}, peak {mib(peak[0])}, "
        f"end {mib(during['rss_end'])} (sessions open), {mib(rss_after)} (2 s after they closed)"
    )
    print(
        f"  CPU seconds                 server {during['cpu_server']:.0f}, Chromium + Playwright "
        f"{during['cpu_browser']:.0f}, rebuilds {rebuilds.cpu:.0f} (of {wall * (os.cpu_count() or 1):.0f} "
        f"available; load average {load:.1f} at the end)"
    )
    if times:
        print(
            f"  server CPU per page view    {during['cpu_server'] / len(times) * 1000:.0f} ms "
            f"({len(times) / wall * 60:.0f} views a minute in all)"
        )
    print(f"  server log                  {tracebacks} traceback(s)")
    ok = bool(times) and shown == 0 and timeouts == 0 and not tally.dialogs
    ok = ok and rebuilds.done > 0 and not rebuilds.failed and tracebacks == 0
    print("  result                      " + ("OK" if ok else "FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

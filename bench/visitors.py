"""The visitors of ``bench/load.py``: browser sessions that open pages, click the sidebar and
switch years, each page view timed to the end of the script run it started.

A page view ends with the server's ``script_finished`` message on the page's websocket
(:class:`Wire` counts them) and the app idle; problems shown to the visitor (exception
boxes, st.error boxes, "Page not found"), dialogs, JavaScript errors and failed requests
are counted in a :class:`Tally`. Every wait has a timeout and every loop a deadline.
"""

from __future__ import annotations

import asyncio
import os
import random
import time
from collections import Counter
from dataclasses import dataclass, field

from google.protobuf.message import DecodeError
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench import common

PAGES = ("/", "/trading", "/approvals", "/hotline", "/disclosure", "/quality", "/downloads")
YEARS = (2019, 2020)
START_GRACE = 20.0  # seconds for a click to start a script run before it counts as not landed

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

"""Helpers for the end-to-end tests: waiting for Streamlit, checking a page, screenshots."""

from __future__ import annotations

import re
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
APP_TIMEOUT_MS = 60_000  # for a page's script run (the first run also opens the database)
CHROMIUM = Path("/usr/bin/chromium")
# Headless Chromium in a container (no sandbox, no GPU) without background traffic: one list
# for the e2e fixtures, scripts/screenshots.py and the benches (through conftest.py).
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


_APP_IDLE = (
    '[data-testid="stApp"][data-test-connection-state="CONNECTED"][data-test-script-state="notRunning"]'
)


# An element the script run put in the main area (every page has at least its title).
_SCRIPT_OUTPUT = '[data-testid="stMain"] [data-testid="stElementContainer"]'


def wait_for_app(page, timeout: float = APP_TIMEOUT_MS) -> None:
    """Wait until Streamlit is connected and has finished running the script.

    Uses the attributes Streamlit's own frontend puts on ``stApp``
    (``data-test-script-state`` goes initial → running → notRunning) and waits for the
    running-man status widget and the loading skeleton to be gone. After an
    interaction (a click that reruns the script) call it again; a rerun that has not
    started yet is waited for by re-checking after a short pause.
    """
    page.wait_for_selector(_APP_IDLE, state="attached", timeout=timeout)
    deadline = time.monotonic() + timeout / 1000
    stable = 0
    while time.monotonic() < deadline:
        idle = page.locator(_APP_IDLE).count() == 1
        running = page.locator(
            '[data-testid="stStatusWidgetRunningIcon"], [data-testid="stAppSkeleton"]'
        ).count()
        stable = stable + 1 if idle and not running else 0
        if stable >= 3:  # idle on three looks 100 ms apart
            return
        page.wait_for_timeout(100)
    raise AssertionError("the Streamlit app did not finish running")


# Plotly draws two or three ``.main-svg`` layers per chart: count the charts, not the layers.
DRAWN_CHARTS_JS = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
    .filter(c => c.querySelector('.main-svg') && c.getClientRects().length > 0).length"""


def wait_for_charts(page, count: int = 1, timeout: float = APP_TIMEOUT_MS) -> None:
    """Wait until at least ``count`` Plotly charts have drawn their SVG (and are displayed)."""
    page.wait_for_function(f"n => ({DRAWN_CHARTS_JS})() >= n", arg=count, timeout=timeout)


def chart_count(page) -> int:
    """How many Plotly charts are drawn and displayed (charts in a hidden tab do not count)."""
    return page.evaluate(DRAWN_CHARTS_JS)


def assert_no_exception(page) -> None:
    """No Python exception box (``stException``) anywhere on the page."""
    boxes = page.locator('[data-testid="stException"]')
    n = boxes.count()
    assert n == 0, f"{n} exception(s) on the page: {[boxes.nth(i).inner_text()[:500] for i in range(n)]}"


def open_page(page, url: str, charts: int = 0, *, check: bool = True) -> None:
    """Go to ``url``, wait for the script run (and for ``charts`` drawn charts).

    The one way the e2e tests open a page, so that every test waits the same way. The
    response must be OK; with ``check`` the page must also show no exception and no
    ``st.error`` (``check=False`` where a test asserts those itself, later or otherwise).
    """
    response = page.goto(url)
    assert response is not None and response.ok, f"{url}: {response and response.status}"
    # Connected and "not running" is also the state between the connection and the first run (long
    # on a loaded machine): wait for the run's first element in the main area, then for its end.
    page.wait_for_selector(_SCRIPT_OUTPUT, state="attached", timeout=APP_TIMEOUT_MS)
    wait_for_app(page)
    if charts:
        wait_for_charts(page, charts)
    if check:
        assert_no_exception(page)
        assert error_alerts(page) == []


def watch_dialogs(page) -> list[str]:
    """Record and dismiss every JavaScript dialog (alert/confirm/prompt) the page opens.

    Returns the list they are appended to (``"alert: 1"``), for the test to assert empty:
    a dialog means script from a URL or a report ran. Dismissing it keeps the page going.
    """
    dialogs: list[str] = []

    def on_dialog(dialog) -> None:
        dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return dialogs


def watch_page_errors(page) -> list[str]:
    """Record every uncaught JavaScript error of the page; returns the list they are appended to."""
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


def outer_html(locator) -> list[str]:
    """The outer HTML of every element ``locator`` matches: ``[]`` when a payload made no
    element, and the elements themselves in the failure message when it did."""
    return locator.evaluate_all("els => els.map(e => e.outerHTML)")


def error_alerts(page) -> list[str]:
    """The texts of ``st.error`` boxes on the page."""
    alerts = page.locator('[data-testid="stAlertContentError"]')
    return [alerts.nth(i).inner_text() for i in range(alerts.count())]


def screenshot(page, name: str, full_page: bool = True) -> Path:
    """Save a screenshot to tests/artifacts/<name>.png (gitignored) and return its path."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def main_text(page) -> str:
    """The visible text of the main area (not the sidebar)."""
    return page.locator('[data-testid="stMain"]').inner_text()


def metric_values(page) -> dict[str, str]:
    """``st.metric`` label → displayed value, e.g. ``{"交易信息发布": "487,988条"}``."""
    metrics = page.locator('[data-testid="stMetric"]')
    out = {}
    for i in range(metrics.count()):
        m = metrics.nth(i)
        out[m.locator('[data-testid="stMetricLabel"]').inner_text().strip()] = (
            m.locator('[data-testid="stMetricValue"]').inner_text().strip()
        )
    return out


def warning_texts(page) -> list[str]:
    """The texts of ``st.warning`` boxes on the page."""
    alerts = page.locator('[data-testid="stAlertContentWarning"]')
    return [alerts.nth(i).inner_text() for i in range(alerts.count())]


def select_year(page, year: int) -> None:
    """Choose ``year`` in the sidebar's 年度 selector and wait for the rerun to show it in the URL."""
    page.locator('[data-testid="stSidebar"]').get_by_role("combobox", name="年度").click()
    page.get_by_role("option", name=f"{year}年", exact=True).click()
    page.wait_for_url(f"**year={year}**", timeout=APP_TIMEOUT_MS)
    wait_for_app(page)


def choose_table(page, view: str) -> None:
    """On the downloads page, choose a public view (``foi_requests``) for its two buttons."""
    page.get_by_role("combobox", name="选择要下载的数据表").click()
    page.keyboard.type(view)  # filters the list (and opens it, where a click alone may not)
    page.get_by_role("option", name=re.compile(f"（{view}，")).click()
    page.locator(f".st-key-dl-csv-{view} button").wait_for(timeout=APP_TIMEOUT_MS)
    wait_for_app(page)


def download(page, target, timeout: float = APP_TIMEOUT_MS) -> tuple[str, bytes]:
    """Click a download button (a locator, or the accessible name of the first such button);
    return the suggested file name and the bytes the browser saved."""
    button = page.get_by_role("button", name=target).first if isinstance(target, str) else target
    with page.expect_download(timeout=timeout) as info:
        button.click()
    d = info.value
    assert d.failure() is None, d.failure()
    return d.suggested_filename, Path(d.path()).read_bytes()


def overlap(a: dict, b: dict) -> bool:
    """Whether two bounding boxes (Playwright's ``bounding_box()``) overlap."""
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )

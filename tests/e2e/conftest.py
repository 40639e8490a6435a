"""End-to-end fixtures: a database built by the ETL, Streamlit servers as subprocesses,
and a headless Chromium driven by Playwright.

Every test under tests/e2e/ is marked ``browser`` and is skipped only when
/usr/bin/chromium is missing (``scripts/setup.sh test`` installs it, so CI runs them).

Fixtures
    built_db                  the seed report (sichuan-center-2019.txt) alone, built into a temp database
    bundled_db                every report of data/reports/ (the seed and the two 洪泽区 PDFs)
    two_year_db               2019 (the seed) + a derived 2020 report (tests/fixtures.py)
    db_factory(reports_dir)   build any folder of reports into a temp database (cached)
    streamlit_server          base URL of ``streamlit run app.py`` on ``built_db``; if app.py
                              does not exist, of tests/e2e/hello_app.py; parametrize
                              indirectly with a script path to run another script
    server_factory(script, db, env)
                              start (or reuse) one more server, e.g. app.py on ``two_year_db``
    app_url                   base URL of app.py on ``built_db``, already visited once at "/"
    app_two_years_url         the same on ``two_year_db`` (see ``warm_up`` for why)
    browser, page             Playwright's sync API on /usr/bin/chromium (page: 1280×900, zh-CN,
                              a new tab per test in one shared context: ``browser_context``)
    watched                   ``page``, failing the test on any JavaScript dialog or uncaught
                              JavaScript error

Helpers (tests/e2e/helpers.py): ``open_page``, ``wait_for_app``, ``wait_for_charts``,
``chart_count``, ``assert_no_exception``, ``error_alerts``, ``warning_texts``,
``metric_values``, ``main_text``, ``select_year``, ``download``, ``screenshot``,
``watch_dialogs``, ``watch_page_errors``, ``outer_html``.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest

from tests.e2e.helpers import (  # re-exported: tests and benches may import them from here too
    APP_TIMEOUT_MS,
    ARTIFACTS,
    BROWSER_ARGS,
    CHROMIUM,
    ROOT,
    assert_no_exception,
    error_alerts,
    screenshot,
    wait_for_app,
    wait_for_charts,
    watch_dialogs,
    watch_page_errors,
)

__all__ = [
    "APP_TIMEOUT_MS",
    "ARTIFACTS",
    "BROWSER_ARGS",
    "CHROMIUM",
    "ROOT",
    "assert_no_exception",
    "error_alerts",
    "screenshot",
    "wait_for_app",
    "wait_for_charts",
]

HERE = Path(__file__).resolve().parent
APP = ROOT / "app.py"
HELLO_APP = HERE / "hello_app.py"
DEFAULT_SCRIPT = APP if APP.exists() else HELLO_APP
NO_APP = "app.py is not written yet"
# Marks the tests that need the dashboard itself (the others run on hello_app.py).
requires_app = pytest.mark.skipif(not APP.exists(), reason=NO_APP)
STARTUP_TIMEOUT = 60.0  # seconds until /_stcore/health answers "ok"


# --------------------------------------------------------------------------- marking


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is not installed (apt-get install chromium fonts-noto-cjk)")
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)
            if not CHROMIUM.exists():
                item.add_marker(skip)


# --------------------------------------------------------------------------- databases


@pytest.fixture(scope="session")
def db_factory(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Path], Path]:
    """``db_factory(reports_dir)`` → a database built by the ETL from that folder (once per folder)."""
    from etl.pipeline import build

    built: dict[Path, Path] = {}

    def make(reports_dir: Path) -> Path:
        reports_dir = Path(reports_dir).resolve()
        if reports_dir not in built:
            db = tmp_path_factory.mktemp("db") / "dashboard.duckdb"
            build(reports_dir, db)
            built[reports_dir] = db
        return built[reports_dir]

    return make


@pytest.fixture(scope="session")
def built_db(tmp_path_factory: pytest.TempPathFactory, db_factory: Callable[[Path], Path]) -> Path:
    """The seed report (the centre's 2019 report of data/reports/) alone: one agency, one year."""
    from tests import fixtures

    reports = tmp_path_factory.mktemp("seed-reports")
    fixtures.write(reports, fixtures.SEED_NAME, fixtures.seed_bytes())
    return db_factory(reports)


@pytest.fixture(scope="session")
def bundled_db(db_factory: Callable[[Path], Path]) -> Path:
    """Every report bundled in data/reports/ (two agencies, three years), as ``make run`` shows."""
    return db_factory(ROOT / "data" / "reports")


@pytest.fixture(scope="session")
def two_year_db(tmp_path_factory: pytest.TempPathFactory, db_factory: Callable[[Path], Path]) -> Path:
    """The seed 2019 report plus the derived, consistent 2020 report of tests/fixtures.py."""
    from tests import fixtures

    reports = tmp_path_factory.mktemp("two-year-reports")
    fixtures.write(reports, fixtures.SEED_NAME, fixtures.seed_bytes())
    fixtures.write(reports, "sichuan-center-2020.txt", fixtures.report_2020())
    return db_factory(reports)


# --------------------------------------------------------------------------- servers


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _streamlit_cmd(script: Path) -> list[str]:
    """``streamlit run SCRIPT``; app.py through its launcher (dashboard.serve), as ``make run`` does."""
    python = ROOT / ".venv" / "bin" / "python"
    exe = str(python) if python.exists() else sys.executable
    if script.resolve() == APP.resolve():
        return [exe, "-m", "dashboard.serve"]
    return [exe, "-m", "streamlit", "run", str(script)]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
            return resp.status == 200 and resp.read().strip() == b"ok"
    except (urllib.error.URLError, OSError):
        return False


class StreamlitServer:
    """One ``streamlit run`` subprocess in its own process group."""

    def __init__(self, script: Path, db: Path | None, env: Mapping[str, str], log_dir: Path) -> None:
        self.script, self.db = script, db
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log_dir / f"streamlit-{script.stem}-{self.port}.log"
        full_env = {**os.environ, "PYTHONUNBUFFERED": "1", **env}
        if db is not None:
            full_env["DASHBOARD_DB"] = str(db)
        cmd = [
            *_streamlit_cmd(script),
            "--server.headless",
            "true",
            "--server.port",
            str(self.port),
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",
            "none",
        ]
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen(
                cmd,
                cwd=ROOT,
                env=full_env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, killed as a whole
            )

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def wait_healthy(self, timeout: float = STARTUP_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with {self.proc.returncode}:\n{self.log_tail()}")
            if _healthy(self.url):
                return
            time.sleep(0.25)
        self.stop()
        raise RuntimeError(
            f"streamlit did not answer {self.url}/_stcore/health in {timeout:.0f} s:\n{self.log_tail()}"
        )

    def stop(self) -> None:
        if self.proc.poll() is not None:
            return
        for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, sig)  # the group we created (start_new_session)
            try:
                self.proc.wait(wait)
                return
            except subprocess.TimeoutExpired:
                continue


@pytest.fixture(scope="session")
def server_factory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., str]]:
    """``server_factory(script=…, db=…, env={…})`` → base URL of a running server.

    Servers are shared across the session per (script, db, env) and all stopped at
    its end. ``script`` is a path (relative to the repository root or absolute);
    ``db`` is passed as DASHBOARD_DB (None: the app's default, data/dashboard.duckdb).
    """
    servers: dict[tuple, StreamlitServer] = {}
    log_dir = tmp_path_factory.mktemp("streamlit-logs")

    def start(
        script: str | Path = DEFAULT_SCRIPT, db: Path | None = None, env: Mapping[str, str] | None = None
    ) -> str:
        script = Path(script)
        script = (script if script.is_absolute() else ROOT / script).resolve()
        key = (script, db, tuple(sorted((env or {}).items())))
        server = servers.get(key)
        if server is not None and server.proc.poll() is None:
            return server.url
        last_error: Exception | None = None
        for _ in range(3):  # a port taken between _free_port() and the bind: try another
            server = StreamlitServer(script, db, env or {}, log_dir)
            try:
                server.wait_healthy()
            except RuntimeError as exc:
                server.stop()
                last_error = exc
                continue
            servers[key] = server
            return server.url
        raise RuntimeError(str(last_error))

    try:
        yield start
    finally:
        for server in servers.values():
            server.stop()


@pytest.fixture(scope="session")
def streamlit_server(
    request: pytest.FixtureRequest, server_factory: Callable[..., str], built_db: Path
) -> str:
    """Base URL of the app (app.py, or hello_app.py while app.py is missing) on ``built_db``.

    Parametrize indirectly to run another script:
    ``@pytest.mark.parametrize("streamlit_server", ["tests/e2e/hello_app.py"], indirect=True)``.
    """
    script = getattr(request, "param", None) or DEFAULT_SCRIPT
    return server_factory(script, built_db)


# --------------------------------------------------------------------------- browser


@pytest.fixture(scope="session")
def browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        with p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=BROWSER_ARGS) as b:
            yield b  # closed on leaving the block, as are the context and page below


@pytest.fixture(scope="session")
def browser_context(browser) -> Iterator:
    """One context for the session's pages: they share the HTTP cache, so Streamlit's
    JavaScript is fetched once (each page still gets a Streamlit session of its own)."""
    with browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="zh-CN", timezone_id="Asia/Shanghai"
    ) as context:
        context.set_default_timeout(30_000)
        yield context


@pytest.fixture
def page(browser_context) -> Iterator:
    with browser_context.new_page() as pg:
        yield pg


@pytest.fixture
def watched(page) -> Iterator:
    """``page``, failing the test on any JavaScript dialog or uncaught JavaScript error."""
    dialogs = watch_dialogs(page)
    errors = watch_page_errors(page)
    yield page
    assert dialogs == [], f"JavaScript dialog(s) fired: {dialogs}"
    assert errors == [], f"uncaught JavaScript error(s): {errors}"


# --------------------------------------------------------------------------- warmed-up app servers


def warm_up(browser, url: str) -> None:
    """Open ``url``/ once in a throw-away context and let the script run.

    A server learns the pages of ``st.navigation`` from its first script run; until
    then, a visitor who opens a deep link (``/trading``) as the server's very first
    visit gets Streamlit's "Page not found" dialog over the page (see
    test_pages.py::test_deep_link_as_first_visit_shows_no_page_not_found). Tests that
    are about something else use a server that has been visited once.
    """
    with browser.new_context() as context:
        pg = context.new_page()
        pg.goto(url + "/")
        wait_for_app(pg)


def warmed_up_app(server_factory: Callable[..., str], db: Path, browser) -> str:
    """Base URL of app.py on ``db``, visited once (skips the test while app.py is missing)."""
    if not APP.exists():
        pytest.skip(NO_APP)
    url = server_factory(APP, db)
    warm_up(browser, url)
    return url


@pytest.fixture(scope="session")
def app_url(server_factory: Callable[..., str], built_db: Path, browser) -> str:
    """app.py on the seed 2019 report (the same server as ``streamlit_server``), warmed up."""
    return warmed_up_app(server_factory, built_db, browser)


@pytest.fixture(scope="session")
def app_bundled_url(server_factory: Callable[..., str], bundled_db: Path, browser) -> str:
    """app.py on everything in data/reports/ (two agencies, three years), warmed up."""
    return warmed_up_app(server_factory, bundled_db, browser)


@pytest.fixture(scope="session")
def app_two_years_url(server_factory: Callable[..., str], two_year_db: Path, browser) -> str:
    """app.py on 2019 + the derived 2020 report, warmed up."""
    return warmed_up_app(server_factory, two_year_db, browser)

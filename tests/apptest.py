"""app.py under ``streamlit.testing.v1.AppTest``, run the way the server runs it.

AppTest sees the ``pages/`` folder and wraps app.py in Streamlit's v1 multipage
emulation (a Page for every file there, a second navigation on every run).
``dashboard/serve.py`` (``make run``) turns that off, since app.py navigates with
``st.navigation``; with it on, ``switch_page`` in AppTest runs a page script without
app.py's sidebar once app.py declares a page that is a function.
"""

from __future__ import annotations

from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from dashboard import ui

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"


def serve_like_production() -> None:
    """Keep ``PagesManager.uses_pages_directory`` off: AppTest resets it on every run."""
    if getattr(PagesManager.__init__, "without_pages_folder", False):
        return
    init = PagesManager.__init__

    def init_without_pages_folder(self, *args, **kwargs) -> None:
        init(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    init_without_pages_folder.without_pages_folder = True  # type: ignore[attr-defined]
    PagesManager.__init__ = init_without_pages_folder  # type: ignore[method-assign]


def start(page: str | None = None, **params: str) -> AppTest:
    """Run app.py once (with URL ``params``), then switch to ``page``; no exception allowed."""
    serve_like_production()
    at = AppTest.from_file(str(APP), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def open_page(page: str, **params: str) -> AppTest:
    """Open ``page`` with URL ``params``, as a link to it does: app.py runs once at "/" (which
    removes other pages' own keys from the URL), then the parameters are set and the page run."""
    at = start()
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(page).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def open_chart_tables(at: AppTest) -> AppTest:
    """Open every chart's "查看数据表与下载" (drawn only when opened), as a visitor's clicks do."""
    keys = [k for k in at.session_state.keys() if k.startswith(ui.DATA_KEY)]
    assert keys, "no chart on this page"
    for key in keys:
        at.session_state[key] = True
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def choose_tab(at: AppTest, key: str, label: str) -> AppTest:
    """Choose the tab ``label`` of the tabs with ``key`` (drawn only when chosen), as a click does."""
    at.session_state[key] = label
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at

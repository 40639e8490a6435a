"""The browser that renders images: found on this server, started once, kept, restarted when it fails.

Kaleido 1.x drives a headless Chromium (Debian's ``chromium``, with
``fonts-noto-cjk`` for Chinese). One browser is started on the first image and
kept for the next ones (~2–3 s for the first image, ~0.4 s after).
"""

from __future__ import annotations

import asyncio
import atexit
import os
import shutil
import subprocess
import threading
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

_BROWSER_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
_BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome-stable", "google-chrome", "chrome")
# Chromium flags besides Kaleido's own (it already passes --headless, --no-sandbox,
# --disable-gpu, --no-first-run, --disable-component-update, --disable-sync).
_EXTRA_BROWSER_FLAGS = ("--disable-background-networking", "--disable-quic")

# errors of Kaleido's JavaScript side or of the spec: a new browser would not help
_FIGURE_ERRORS = {"KaleidoError", "JavascriptError", "TypeError", "ValueError", "AttributeError"}
_START_TIMEOUT = 60.0  # seconds to start the browser
_RENDER_TIMEOUT = 45.0  # seconds for one image (Kaleido's own limit is set a bit lower)


class ExportError(RuntimeError):
    """An export could not be produced (the message is fit to show to a visitor)."""


class ExportUnavailable(ExportError):
    """Image export needs a browser (Chromium) that is not installed on this server."""


def browser_path() -> str | None:
    """The Chromium (or Chrome) that renders images: ``$BROWSER_PATH`` (Kaleido's own
    override) if it is an executable, else /usr/bin/chromium, else one found on PATH."""
    override = os.environ.get("BROWSER_PATH")
    if override:
        return override if os.path.isfile(override) and os.access(override, os.X_OK) else None
    for path in _BROWSER_CANDIDATES:
        if os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    for name in _BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def browser_available() -> bool:
    """Whether image export can work on this server (a Chromium is installed)."""
    return browser_path() is not None


def cjk_font_available() -> bool:
    """Whether fontconfig knows a Chinese font (without one, images show boxes for hanzi)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return False
    try:
        out = subprocess.run([fc_list, ":lang=zh"], capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    return bool(out.stdout.strip())


def missing_browser_message() -> str:
    """What to show instead of the image download when no browser is installed."""
    return (
        "图片导出暂不可用：服务器上没有安装用于生成图片的浏览器。"
        "请管理员安装 Debian 软件包 chromium 和 fonts-noto-cjk"
        "（命令：sudo apt-get install chromium fonts-noto-cjk）后重启看板。"
        "表格数据仍可下载为 CSV 或 Excel。"
    )


class _Renderer:
    """One Kaleido browser kept open in a background thread with its own event loop.

    Kaleido's own ``start_sync_server`` keeps a browser too, but its calls are not
    safe from several threads at once (results can be handed to the wrong caller),
    it has no time limit, and it hangs forever when the browser fails to start.
    Here every call is a future with a timeout, calls from Streamlit's script
    threads may overlap, and a failed browser is closed and started again.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._kaleido: Any = None

    def _start(self) -> None:
        path = browser_path()
        if path is None:
            raise ExportUnavailable(missing_browser_message())
        import kaleido  # imported late: it is only needed for images

        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, name="kaleido-renderer", daemon=True)
        thread.start()

        async def open_browser() -> Any:
            k = kaleido.Kaleido(
                n=1,
                timeout=_RENDER_TIMEOUT - 5,
                mathjax=False,  # the default loads MathJax from a CDN; no formulas here
                path=path,
                **_browser_cls_kwargs(),
            )
            await k.open()
            return k

        future = asyncio.run_coroutine_threadsafe(open_browser(), loop)
        try:
            k = future.result(_START_TIMEOUT)
        except BaseException as exc:
            future.cancel()
            loop.call_soon_threadsafe(loop.stop)
            thread.join(5)
            if isinstance(exc, FutureTimeout):
                raise ExportError("图片生成失败：浏览器启动超时，请稍后再试。") from exc
            if type(exc).__name__ == "ChromeNotFoundError":
                raise ExportUnavailable(missing_browser_message()) from exc
            if type(exc).__name__ in {"BrowserFailedError", "BrowserDepsError"}:
                raise ExportUnavailable(
                    f"图片导出暂不可用：浏览器 {path} 无法启动。"
                    "请管理员检查（sudo apt-get install chromium fonts-noto-cjk）后重启看板。"
                ) from exc
            raise
        self._loop, self._thread, self._kaleido = loop, thread, k

    def _ensure(self) -> tuple[asyncio.AbstractEventLoop, Any]:
        with self._lock:
            if self._kaleido is None or self._thread is None or not self._thread.is_alive():
                self._close_locked()
                self._start()
            assert self._loop is not None
            return self._loop, self._kaleido

    def render(self, fig: dict, opts: dict) -> bytes:
        for attempt in (1, 2):
            loop, k = self._ensure()
            future = asyncio.run_coroutine_threadsafe(k.calc_fig(fig, opts=opts), loop)
            try:
                return future.result(_RENDER_TIMEOUT)
            except Exception as exc:
                future.cancel()
                if type(exc).__name__ in _FIGURE_ERRORS:  # the figure is at fault, not the browser
                    raise ExportError(f"图片生成失败：图表无法绘制。（{exc}）") from exc
                # the browser may have died or hung: start a fresh one and try once more
                self._discard(k)
                if attempt == 2:
                    raise ExportError(f"图片生成失败，请稍后再试。（{type(exc).__name__}: {exc}）") from exc
        raise AssertionError("unreachable")

    def _close_locked(self) -> None:
        loop, thread, k = self._loop, self._thread, self._kaleido
        self._loop = self._thread = self._kaleido = None
        if loop is None:
            return
        if k is not None and loop.is_running():
            try:
                asyncio.run_coroutine_threadsafe(k.close(), loop).result(10)
            except BaseException:  # closing is best effort
                pass
        loop.call_soon_threadsafe(loop.stop)
        if thread is not None:
            thread.join(5)

    def _discard(self, k: Any) -> None:
        """Close the browser ``k`` unless another call has already replaced it."""
        with self._lock:
            if self._kaleido is k:
                self._close_locked()

    def close(self) -> None:
        with self._lock:
            self._close_locked()


def _browser_cls_kwargs() -> dict[str, Any]:
    """Kaleido passes ``browser_cls`` on to choreographer; ours adds a few Chromium flags."""
    try:
        from choreographer.browsers.chromium import Chromium
    except ImportError:  # another choreographer layout: Kaleido's defaults are fine too
        return {}

    class _QuietChromium(Chromium):
        def get_cli(self):  # type: ignore[override]
            return [*super().get_cli(), *_EXTRA_BROWSER_FLAGS]

    return {"browser_cls": _QuietChromium}


renderer = _Renderer()  # the one browser of this process
atexit.register(renderer.close)


def warm_up() -> None:
    """Start the image browser now (it otherwise starts on the first image).

    Raises :class:`ExportUnavailable` when no browser is installed.
    """
    renderer._ensure()


def close_renderer() -> None:
    """Close the image browser (it starts again on the next image)."""
    renderer.close()

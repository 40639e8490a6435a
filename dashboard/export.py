"""The export layer: tables as CSV/XLSX, charts as PNG/SVG images, download names.

Pure functions over DataFrames and Plotly figures; no Streamlit here, so the
pages decide how to offer the files (``st.download_button`` accepts a callable
as ``data``, which defers the image rendering to the click).

Images are rendered server-side by Kaleido 1.x, which drives a headless
Chromium: the Debian package ``chromium`` (and ``fonts-noto-cjk`` for Chinese
text). One browser is started on the first image and kept for the next ones
(~2–3 s for the first image, ~0.4 s after); when no browser is installed
:func:`figure_image` raises :class:`ExportUnavailable` and the page shows
:func:`missing_browser_message` instead.

An exported image carries its own context: the chart's title, the year(s) and
the data source are drawn on it, in bands above and below the chart (the chart
is rendered first, then placed in a frame holding the texts, so the texts can
never overlap the chart's own legend, tick labels or axis titles).
"""

from __future__ import annotations

import asyncio
import atexit
import base64
import copy
import html
import io
import os
import re
import shutil
import subprocess
import threading
import unicodedata
from collections.abc import Mapping
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any, Literal

import pandas as pd

__all__ = [
    "CJK_FONT",
    "ExportError",
    "ExportUnavailable",
    "browser_available",
    "browser_path",
    "cjk_font_available",
    "close_renderer",
    "csv_bytes",
    "defuse_formula",
    "figure_image",
    "missing_browser_message",
    "modebar_config",
    "safe_filename",
    "warm_up",
    "xlsx_bytes",
]

CJK_FONT = "Noto Sans CJK SC, Source Han Sans SC, Noto Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
"""Font stack for exported images: Noto Sans CJK SC is what ``fonts-noto-cjk`` installs."""

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


# --------------------------------------------------------------------------- tables


# A text cell starting with one of these is run as a formula by Excel and other
# spreadsheets when the CSV is opened (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def defuse_formula(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula, prefixed with ``'``; other values as they are.

    Only text is touched: numbers (negative ones too) stay numbers. The prefix is the
    convention Excel itself uses for "this is text"; the database file and the XLSX
    export keep the text exactly as the report has it."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_bytes(df: pd.DataFrame) -> bytes:
    """The frame as CSV in UTF-8 with a BOM (so Excel shows Chinese), without the index.

    Report text is untrusted: text cells that would start a formula are defused."""
    text_cols = [c for c in df.columns if df[c].dtype == object or pd.api.types.is_string_dtype(df[c])]
    if text_cols:
        df = df.copy()
        for col in text_cols:
            df[col] = df[col].map(defuse_formula)
    return df.to_csv(index=False).encode("utf-8-sig")


_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f]")


def _sheet_names(names: list[str]) -> list[str]:
    """Valid, unique Excel sheet names: no []:*?/\\, at most 31 characters, not 'History'."""
    out: list[str] = []
    seen: set[str] = set()
    for i, raw in enumerate(names, start=1):
        name = _SHEET_FORBIDDEN.sub("_", str(raw)).strip().strip("'") or f"Sheet{i}"
        if name.lower() == "history":
            name = f"{name}_"
        name = name[:31]
        candidate, n = name, 2
        while candidate.lower() in seen:
            suffix = f"({n})"
            candidate = name[: 31 - len(suffix)] + suffix
            n += 1
        seen.add(candidate.lower())
        out.append(candidate)
    return out


def _display_width(value: Any) -> int:
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _excel_ready(df: pd.DataFrame) -> pd.DataFrame:
    """Flatten MultiIndex columns and drop time zones (Excel has none)."""
    df = df.copy()
    if isinstance(df.columns, pd.MultiIndex):
        df.columns = [" / ".join(str(p) for p in col if str(p) != "") for col in df.columns]
    for col in df.columns:
        if isinstance(df[col].dtype, pd.DatetimeTZDtype):
            df[col] = df[col].dt.tz_localize(None)
    return df


def xlsx_bytes(
    data: pd.DataFrame | Mapping[str, pd.DataFrame],
    *,
    sheet_name: str = "数据",
    notes: Mapping[str, str] | None = None,
) -> bytes:
    """An Excel workbook: one sheet per frame (a single frame goes to ``sheet_name``).

    Sheet names are made valid for Excel (at most 31 characters, no ``[]:*?/\\``,
    unique). The header row is frozen and filterable, columns are sized to their
    contents (Chinese characters count double). Text that starts with ``=`` stays
    text, never a formula. ``notes`` (e.g. ``{"数据来源": ..., "年度": ...}``) adds
    a last sheet "说明" with one line per entry.
    """
    from openpyxl.utils import get_column_letter

    frames = {sheet_name: data} if isinstance(data, pd.DataFrame) else dict(data)
    if not frames and not notes:
        frames = {sheet_name: pd.DataFrame()}
    names = _sheet_names([*frames.keys(), *(["说明"] if notes else [])])
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        for name, df in zip(names, frames.values(), strict=False):
            df = _excel_ready(df)
            df.to_excel(writer, sheet_name=name, index=False)
            ws = writer.sheets[name]
            for row in ws.iter_rows(min_row=2):
                for cell in row:
                    if cell.data_type == "f":  # a string that looks like a formula: keep it text
                        cell.data_type = "s"
            if len(df.columns):
                ws.freeze_panes = "A2"
                ws.auto_filter.ref = ws.dimensions
            for j, col in enumerate(df.columns, start=1):
                sample = df[col].head(1000).tolist()
                width = max([_display_width(col), *(_display_width(v) for v in sample)])
                ws.column_dimensions[get_column_letter(j)].width = min(max(width + 2, 8), 60)
        if notes:
            name = names[-1]
            pd.DataFrame({"项目": list(notes.keys()), "内容": list(notes.values())}).to_excel(
                writer, sheet_name=name, index=False
            )
            ws = writer.sheets[name]
            ws.column_dimensions["A"].width = max(10, *(_display_width(k) + 2 for k in notes))
            ws.column_dimensions["B"].width = min(
                100, max(20, *(_display_width(v) + 2 for v in notes.values()))
            )
    return buf.getvalue()


# --------------------------------------------------------------------------- names


_FILENAME_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
_WINDOWS_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}
_MAX_NAME_BYTES = 150  # well under the 255-byte limit of common file systems (UTF-8: 3 bytes a hanzi)


def safe_filename(*parts: object, ext: str | None = None) -> str:
    """A download file name from parts, e.g. ``safe_filename("交易信息", 2019, ext="csv")``
    → ``"交易信息_2019.csv"``.

    Chinese is kept (Streamlit sends non-ASCII names RFC 5987-encoded); path
    separators, characters Windows forbids and control characters are removed,
    whitespace becomes ``_``, no leading dot, at most 150 bytes before the
    extension. Empty parts are skipped; if nothing is left the name is ``export``.
    """
    pieces = []
    for part in parts:
        text = unicodedata.normalize("NFC", str(part)) if part is not None else ""
        text = _FILENAME_UNSAFE.sub("_", text)
        text = re.sub(r"\s+", "_", text)
        text = re.sub(r"_{2,}", "_", text).strip("._- ")
        if text:
            pieces.append(text)
    stem = "_".join(pieces)
    while len(stem.encode("utf-8")) > _MAX_NAME_BYTES:
        stem = stem[:-1]
    stem = stem.rstrip("._- ") or "export"
    if stem.split(".")[0].upper() in _WINDOWS_RESERVED:
        stem = f"{stem}_"
    if ext:
        ext = re.sub(r"[^A-Za-z0-9]", "", ext)
        if ext:
            stem = f"{stem}.{ext.lower()}"
    return stem


# --------------------------------------------------------------------------- modebar

# Plotly's modebar in Chinese. Streamlit's bundle registers only the English locale,
# so the dictionary travels in the chart's config ("locales"); unknown keys are harmless.
_ZH_CN_DICTIONARY = {
    "Autoscale": "自动缩放",
    "Box Select": "框选",
    "Compare data on hover": "悬停时比较数据",
    "Double-click on legend to isolate one trace": "双击图例只显示该系列",
    "Double-click to zoom back out": "双击恢复原始比例",
    "Download plot": "下载图片",
    "Download plot as a PNG": "下载图片（PNG）",
    "Download plot as a png": "下载图片（PNG）",
    "Download plot as JSON": "下载图表数据（JSON）",
    "Draw circle": "画圆",
    "Draw closed freeform": "画封闭图形",
    "Draw line": "画线",
    "Draw open freeform": "画自由线",
    "Draw rectangle": "画矩形",
    "Erase active shape": "删除所选图形",
    "Image download succeeded": "图片已下载",
    "Lasso Select": "套索选择",
    "Orbital rotation": "环绕旋转",
    "Pan": "平移",
    "Preparing image - this may take a few seconds": "正在生成图片，请稍候",
    "Produced with Plotly.js": "由 Plotly.js 生成",
    "Reset": "重置",
    "Reset axes": "重置坐标轴",
    "Reset camera to default": "视角恢复默认",
    "Reset camera to last save": "视角恢复上次保存",
    "Reset view": "重置视图",
    "Reset views": "重置视图",
    "Show closest data on hover": "悬停时显示最近的数据",
    "Snapshot succeeded": "图片已生成",
    "Sorry, there was a problem downloading your image!": "抱歉，图片下载失败！",
    "Sorry, there was a problem downloading your snapshot!": "抱歉，图片下载失败！",
    "Taking snapshot - this may take a few seconds": "正在生成图片，请稍候",
    "Toggle Spike Lines": "显示/隐藏辅助线",
    "Toggle show closest data on hover": "切换悬停时显示最近的数据",
    "Turntable rotation": "水平旋转",
    "Zoom": "缩放",
    "Zoom in": "放大",
    "Zoom out": "缩小",
}
_ZH_CN_FORMAT = {
    "days": ["星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"],
    "shortDays": ["周日", "周一", "周二", "周三", "周四", "周五", "周六"],
    "months": [f"{m}月" for m in range(1, 13)],
    "shortMonths": [f"{m}月" for m in range(1, 13)],
    "date": "%Y-%m-%d",
    "decimal": ".",
    "thousands": ",",
    "year": "%Y年",
    "month": "%Y年%-m月",
    "dayMonth": "%-m月%-d日",
    "dayMonthYear": "%Y年%-m月%-d日",
}


def modebar_config(filename: str) -> dict[str, Any]:
    """The ``config`` for ``st.plotly_chart``: the modebar's camera button saves
    ``<filename>.png`` at 2× scale, no Plotly logo, tooltips in Chinese.

    ``filename`` is passed through :func:`safe_filename`; a trailing ``.png`` is dropped
    (Plotly adds the extension itself).
    """
    name = safe_filename(re.sub(r"\.png$", "", str(filename), flags=re.IGNORECASE))
    return {
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "filename": name, "scale": 2},
        "locale": "zh-CN",
        "locales": {"zh-CN": {"dictionary": dict(_ZH_CN_DICTIONARY), "format": copy.deepcopy(_ZH_CN_FORMAT)}},
    }


# --------------------------------------------------------------------------- browser


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


_renderer = _Renderer()
atexit.register(_renderer.close)


def warm_up() -> None:
    """Start the image browser now (it otherwise starts on the first image).

    Raises :class:`ExportUnavailable` when no browser is installed.
    """
    _renderer._ensure()


def close_renderer() -> None:
    """Close the image browser (it starts again on the next image)."""
    _renderer.close()


# --------------------------------------------------------------------------- images

_PAD_X = 16
_TITLE_SIZE, _TITLE_LINE = 20, 28
_YEAR_SIZE, _YEAR_LINE = 14, 20
_SOURCE_SIZE, _SOURCE_LINE = 12, 17
_TEXT_COLOR, _MUTED_COLOR = "#262730", "#555a64"
_MIN_CHART_HEIGHT = 150


def _text_width(text: str, size: float) -> float:
    """Rough width in px of a line: hanzi and full-width forms 1 em, the rest ~0.6 em."""
    return sum(size * (1.0 if unicodedata.east_asian_width(c) in "WF" else 0.6) for c in text)


def _wrap(text: str, size: float, width: float) -> list[str]:
    """Greedy wrap of one paragraph to ``width`` px (breaks anywhere: Chinese has no spaces)."""
    lines: list[str] = []
    for para in str(text).splitlines() or [""]:
        line = ""
        for c in para:
            if line and _text_width(line + c, size) > width:
                lines.append(line)
                line = c.lstrip()
            else:
                line += c
        lines.append(line)
    return [line for line in lines if line.strip()]


def _plain(text: Any) -> str:
    """A figure's own title text without Plotly's HTML-like tags."""
    return html.unescape(re.sub(r"<br\s*/?>|<[^>]+>", " ", str(text or ""))).strip()


def _own_title(spec: dict) -> str:
    title = (spec.get("layout") or {}).get("title")
    return _plain(title.get("text") if isinstance(title, Mapping) else title)


def _as_dict(fig: Any) -> dict:
    if hasattr(fig, "to_dict"):
        return fig.to_dict()  # a fresh dict: the caller's figure is never touched
    if isinstance(fig, Mapping) and "data" in fig:
        return copy.deepcopy(dict(fig))
    raise TypeError("figure_image needs a Plotly figure (or its dict)")


def _chart_spec(spec: dict, chart_height: int) -> dict:
    """The figure to render inside the frame, without its own title (the frame shows it)."""
    layout = spec.setdefault("layout", {})
    had_title = bool(_own_title(spec))
    layout["title"] = {"text": ""}
    margin = dict(layout.get("margin") or {})
    # the top margin mostly held the title; legends above the plot push it back as needed
    if margin.get("t") is None:
        margin["t"] = 30
    elif had_title:
        margin["t"] = max(20, int(margin["t"]) - 40)
    layout["margin"] = margin
    font = dict(layout.get("font") or {})
    font.setdefault("family", CJK_FONT)
    layout["font"] = font
    layout["width"] = None
    layout["height"] = chart_height
    return spec


def _frame_spec(
    width: int, height: int, top: int, chart_height: int, texts: list[dict], image: str | None
) -> dict:
    """A figure of texts only (margins 0, so paper = whole image), the chart as an image."""
    layout: dict[str, Any] = {
        "width": width,
        "height": height,
        "margin": {"l": 0, "r": 0, "t": 0, "b": 0, "pad": 0},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "showlegend": False,
        "xaxis": {"visible": False, "range": [0, 1], "fixedrange": True},
        "yaxis": {"visible": False, "range": [0, 1], "fixedrange": True},
        "font": {"family": CJK_FONT, "color": _TEXT_COLOR},
        "annotations": texts,
    }
    if image is not None:
        layout["images"] = [
            {
                "source": image,
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": 1 - top / height,
                "sizex": 1,
                "sizey": chart_height / height,
                "xanchor": "left",
                "yanchor": "top",
                "sizing": "stretch",
                "layer": "above",
            }
        ]
    return {"data": [], "layout": layout}


def _annotation(
    lines: list[str], y_px: float, width: int, height: int, size: int, color: str, bold: bool
) -> dict:
    body = "<br>".join(html.escape(line, quote=False) for line in lines)
    return {
        "text": f"<b>{body}</b>" if bold else body,
        "xref": "paper",
        "yref": "paper",
        "x": _PAD_X / width,
        "y": 1 - y_px / height,
        "xanchor": "left",
        "yanchor": "top",
        "align": "left",
        "showarrow": False,
        "font": {"size": size, "color": color, "family": CJK_FONT},
    }


def _nest_svg(frame: str, chart: str, top: int) -> str:
    """Put the chart's <svg> inside the frame's, ``top`` px from its top edge."""
    chart = chart.strip()
    if chart.startswith("<?xml"):
        chart = chart[chart.index("?>") + 2 :].lstrip()
    chart = chart.replace("<svg ", f'<svg x="0" y="{top}" ', 1)
    end = frame.rstrip().rfind("</svg>")
    if not chart.startswith("<svg") or end < 0:
        raise ExportError("图片生成失败：SVG 格式异常。")
    return frame[:end] + chart + "</svg>"


def _decode(data: bytes | str) -> str:
    return data.decode("utf-8") if isinstance(data, bytes) else data


def figure_image(
    fig: Any,
    fmt: Literal["png", "svg"] = "png",
    title: str = "",
    source: str = "",
    year_label: str = "",
    width: int = 1000,
    height: int | None = None,
    scale: float = 2,
) -> bytes:
    """The chart as a PNG or SVG file, with its title, year and source drawn on it.

    ``title`` (bold, top left; defaults to the figure's own title), ``year_label``
    (e.g. "2019年" or "2019–2021年", under the title unless the title contains it) and ``source`` (prefixed
    "数据来源：", at the bottom) are wrapped to the width. ``width`` × ``height`` is
    the whole image in CSS pixels; a PNG has ``scale`` times as many pixels each
    way. Without ``height`` the chart keeps its own height (``layout.height``, else
    450) and the image grows by the text bands. The caller's figure is not changed.

    Raises :class:`ExportUnavailable` when no browser is installed (show
    :func:`missing_browser_message`), :class:`ExportError` when rendering fails.
    """
    if fmt not in ("png", "svg"):
        raise ValueError(f"fmt must be 'png' or 'svg', not {fmt!r}")
    width = int(width)
    if width < 200:
        raise ValueError("width must be at least 200 px")
    if browser_path() is None:
        raise ExportUnavailable(missing_browser_message())

    spec = _as_dict(fig)
    text_width = width - 2 * _PAD_X

    # the texts above the chart: (lines, y in px from the top, size, colour, bold)
    blocks: list[tuple[list[str], int, int, str, bool]] = []
    top = 14
    title_lines = _wrap(str(title or "").strip() or _own_title(spec), _TITLE_SIZE, text_width)
    if title_lines:
        blocks.append((title_lines, top, _TITLE_SIZE, _TEXT_COLOR, True))
        top += _TITLE_LINE * len(title_lines) + 2
    year_label = str(year_label or "").strip()
    if year_label and year_label in "".join(title_lines):  # "2019年…" needs no "2019年" below it
        year_label = ""
    year_lines = _wrap(year_label, _YEAR_SIZE, text_width)
    if year_lines:
        blocks.append((year_lines, top, _YEAR_SIZE, _MUTED_COLOR, False))
        top += _YEAR_LINE * len(year_lines)
    top += 8
    source = re.sub(r"^(数据)?来源\s*[：:]\s*", "", str(source or "").strip())  # the prefix is ours
    source_lines = _wrap(f"数据来源：{source}", _SOURCE_SIZE, text_width) if source else []
    bottom = _SOURCE_LINE * len(source_lines) + 20 if source_lines else 8

    own_height = (spec.get("layout") or {}).get("height")
    if height is None:
        chart_height = int(own_height) if isinstance(own_height, (int, float)) and own_height > 0 else 450
        height = top + chart_height + bottom
    else:
        height = int(height)
        chart_height = height - top - bottom
        if chart_height < _MIN_CHART_HEIGHT:
            raise ValueError(f"height {height} leaves too little room for the chart under its texts")
    if source_lines:
        blocks.append((source_lines, height - bottom + 10, _SOURCE_SIZE, _MUTED_COLOR, False))
    texts = [
        _annotation(lines, y, width, height, size, color, bold) for lines, y, size, color, bold in blocks
    ]

    chart = _chart_spec(spec, chart_height)
    if fmt == "png":
        opts = {"format": "png", "width": width, "height": chart_height, "scale": scale}
        image = "data:image/png;base64," + base64.b64encode(_renderer.render(chart, opts)).decode("ascii")
        frame = _frame_spec(width, height, top, chart_height, texts, image)
        return _renderer.render(frame, {"format": "png", "width": width, "height": height, "scale": scale})

    chart_svg = _renderer.render(chart, {"format": "svg", "width": width, "height": chart_height, "scale": 1})
    frame = _frame_spec(width, height, top, chart_height, texts, None)
    frame_svg = _renderer.render(frame, {"format": "svg", "width": width, "height": height, "scale": 1})
    return _nest_svg(_decode(frame_svg), _decode(chart_svg), top).encode("utf-8")

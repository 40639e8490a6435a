"""Download names and the chart toolbar: safe file names, Plotly's modebar in Chinese."""

from __future__ import annotations

import copy
import re
import unicodedata
from typing import Any

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

"""Charts as PNG/SVG files that carry their own context: title, year(s) and source
drawn in bands above and below the chart (the chart is rendered first, then placed
in a frame holding the texts, so the texts never overlap the chart's legend,
tick labels or axis titles)."""

from __future__ import annotations

import base64
import copy
import html
import re
import unicodedata
from collections.abc import Mapping
from typing import Any, Literal

from ..theme import FONT as CJK_FONT
from .browser import ExportError, ExportUnavailable, browser_path, missing_browser_message, renderer

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
        image = "data:image/png;base64," + base64.b64encode(renderer.render(chart, opts)).decode("ascii")
        frame = _frame_spec(width, height, top, chart_height, texts, image)
        return renderer.render(frame, {"format": "png", "width": width, "height": height, "scale": scale})

    chart_svg = renderer.render(chart, {"format": "svg", "width": width, "height": chart_height, "scale": 1})
    frame = _frame_spec(width, height, top, chart_height, texts, None)
    frame_svg = renderer.render(frame, {"format": "svg", "width": width, "height": height, "scale": 1})
    return _nest_svg(_decode(frame_svg), _decode(chart_svg), top).encode("utf-8")

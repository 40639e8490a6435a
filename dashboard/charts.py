"""The chart layer: tidy DataFrames in, Plotly figures out.

Chinese labels, full numbers with thousands separators (487,988, never 488k),
the Okabe–Ito colour-blind-safe palette, and a pattern per series plus direct
value labels, so no chart relies on colour alone.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from etl.formatting import number

from .theme import FONT, PALETTE, PATTERNS

NUMBER = ",d"


def _light_template() -> go.layout.Template:
    """plotly_white's look for the traces drawn here (its axes, background, font, bar and line
    defaults), without its colour scales and the dozens of trace types never drawn: assigning
    the whole template copies it, about 20 ms per figure (60 ms on a busy server)."""
    white = pio.templates["plotly_white"]
    keep = (
        "font",
        "hoverlabel",
        "hovermode",
        "paper_bgcolor",
        "plot_bgcolor",
        "xaxis",
        "yaxis",
        "title",
        "colorway",
    )
    layout = {k: v for k, v in white.layout.to_plotly_json().items() if k in keep}
    data = {k: v for k, v in white.data.to_plotly_json().items() if k in ("bar", "scatter")}
    return go.layout.Template(layout=layout, data=data)


TEMPLATE = _light_template()
MARGIN = {"l": 10, "r": 30, "t": 60, "b": 40}
LEGEND_GAP = 85  # px from the bottom of the plot to the legend: below the tick labels and axis title


def _layout(fig: go.Figure, title: str, height: int = 380, **kwargs) -> go.Figure:
    """Title left, CJK font, full numbers, and the legend below the x axis.

    The legend's place is given as a fraction of the plot's height, so it is worked
    out from a gap in pixels: a fixed fraction put it over the axis title of a low chart.
    """
    plot_height = height - MARGIN["t"] - MARGIN["b"]
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        font={"family": FONT, "size": 14},
        separators=".,",
        template=TEMPLATE,
        height=height,
        margin=MARGIN,
        legend={
            "orientation": "h",
            "yanchor": "top",
            "y": -LEGEND_GAP / plot_height,
            "xanchor": "left",
            "x": 0,
            "traceorder": "normal",
        },
        hoverlabel={"font": {"family": FONT}},
        **kwargs,
    )
    return fig


def category_bars(data: pd.DataFrame, title: str, unit: str) -> go.Figure:
    """Horizontal bars of ``label``/``value`` with count and share as text."""
    data = data.sort_values("value")
    total = data["value"].sum()
    text = [f"{number(v)}{unit}（{v / total:.1%}）" if total else number(v) for v in data["value"]]
    fig = go.Figure(
        go.Bar(
            x=data["value"],
            y=data["label"],
            orientation="h",
            marker={"color": PALETTE[0]},
            text=text,
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}：%{x:,}" + unit + "<extra></extra>",
        )
    )
    fig.update_xaxes(tickformat=NUMBER, title=f"数量（{unit}）", rangemode="tozero")
    fig.update_xaxes(range=[0, float(data["value"].max() or 1) * 1.35])
    return _layout(fig, title, height=max(260, 70 * len(data) + 100))


def grouped_bars(
    data: pd.DataFrame, title: str, unit: str, x: str = "label", series: str = "year"
) -> go.Figure:
    """Bars of ``value`` by ``x``, one pattern-and-colour per ``series`` (e.g. year)."""
    fig = go.Figure()
    for i, (name, part) in enumerate(data.groupby(series, sort=True)):
        fig.add_bar(
            x=part[x],
            y=part["value"],
            name=f"{name}年" if series == "year" else str(name),
            marker={
                "color": PALETTE[i % len(PALETTE)],
                "pattern": {"shape": PATTERNS[i % len(PATTERNS)], "fillmode": "overlay"},
            },
            text=[number(v) for v in part["value"]],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{x}：%{y:,}" + unit + f"（{name}）<extra></extra>",
        )
    top = float(data["value"].max()) if len(data) else 1.0
    fig.update_yaxes(tickformat=NUMBER, title=f"数量（{unit}）", range=[0, (top or 1.0) * 1.18])
    fig.update_layout(barmode="group")
    return _layout(fig, title)


def rate_lines(data: pd.DataFrame, title: str) -> go.Figure:
    """Rates (``value`` in %) over ``year``, one line and marker symbol per ``label``."""
    fig = go.Figure()
    symbols = ("circle", "square", "diamond", "triangle-up")
    for i, (name, part) in enumerate(data.groupby("label", sort=False)):
        fig.add_scatter(
            x=part["year"].astype(str),
            y=part["value"],
            name=str(name),
            mode="lines+markers+text",
            marker={"symbol": symbols[i % len(symbols)], "size": 10, "color": PALETTE[i % len(PALETTE)]},
            line={"dash": ("solid", "dash", "dot", "dashdot")[i % 4]},
            text=[f"{v:.2f}%" for v in part["value"]],
            textposition="top center",
            hovertemplate="%{x}年：%{y:.2f}%<extra>" + str(name) + "</extra>",
        )
    top = float(data["value"].max()) if len(data) else 100.0
    fig.update_yaxes(title="百分比（%）", ticksuffix="%", range=[0, max(top * 1.15, 1.0)])
    fig.update_xaxes(type="category", title="年度")
    return _layout(fig, title)


def stacked_share(data: pd.DataFrame, title: str, unit: str) -> go.Figure:
    """One horizontal bar split into ``label`` parts, for parts of a whole."""
    total = data["value"].sum()
    units = list(dict.fromkeys(data["unit"])) if "unit" in data else [unit]
    fig = go.Figure()
    for i, row in enumerate(data.itertuples(index=False)):
        row_unit = getattr(row, "unit", unit)
        share = row.value / total if total else 0
        fig.add_bar(
            x=[row.value],
            y=[""],
            name=f"{row.label} {number(row.value)}{row_unit}（{share:.1%}）",
            orientation="h",
            marker={
                "color": PALETTE[i % len(PALETTE)],
                "pattern": {"shape": PATTERNS[i % len(PATTERNS)], "fillmode": "overlay"},
            },
            text=[
                f"{row.label}<br>{number(row.value)}{getattr(row, 'unit', unit)}（{row.value / total:.1%}）"
                if total
                else ""
            ],
            textposition="inside",
            insidetextanchor="middle",
            hovertemplate=f"{row.label}：%{{x:,}}{row_unit}<extra></extra>",
        )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(tickformat=NUMBER, title=f"数量（{'、'.join(units)}）")
    return _layout(fig, title, height=260)


def outcomes_by_applicant(data: pd.DataFrame, title: str) -> go.Figure:
    """Table 三: stacked outcomes (``outcome``) per applicant type (``applicant``)."""
    fig = go.Figure()
    for i, (name, part) in enumerate(data.groupby("outcome", sort=False)):
        fig.add_bar(
            x=part["applicant"],
            y=part["value"],
            name=str(name),
            marker={
                "color": PALETTE[i % len(PALETTE)],
                "pattern": {"shape": PATTERNS[i % len(PATTERNS)], "fillmode": "overlay"},
            },
            hovertemplate="%{x} · " + str(name) + "：%{y:,}件<extra></extra>",
        )
    fig.update_layout(barmode="stack")
    fig.update_yaxes(tickformat=NUMBER, title="申请数（件）", rangemode="tozero")
    if not data["value"].fillna(0).any():
        fig.update_yaxes(range=[0, 1], dtick=1)
        fig.add_annotation(
            text="本年度各类办理结果均为0或空白",
            showarrow=False,
            xref="paper",
            yref="paper",
            x=0.5,
            y=0.6,
            font={"size": 16},
        )
    return _layout(fig, title, height=420)


SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "star", "cross", "triangle-down")
DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")


def value_text(value: float, unit: str) -> str:
    return f"{value:.1f}%" if unit == "%" else number(value)


def series_lines(
    data: pd.DataFrame,
    title: str,
    unit: str,
    series: str,
    ticks: dict[int, str] | None = None,
    changes: list[tuple[int, int, str]] | None = None,
) -> go.Figure:
    """``value`` over ``year``, one line per ``series`` (each its own colour, marker symbol and dash,
    its values written at the points), years as whole numbers; ``ticks`` relabels years, and each
    format change of ``changes`` is a dotted line between its two years, named at the axis."""
    fig = go.Figure()
    for i, (name, part) in enumerate(data.groupby(series, sort=False)):
        part = part.sort_values("year")
        fig.add_scatter(
            x=part["year"],
            y=part["value"],
            name=str(name),
            mode="lines+markers+text" if len(data) <= 40 else "lines+markers",
            marker={"symbol": SYMBOLS[i % len(SYMBOLS)], "size": 9, "color": PALETTE[i % len(PALETTE)]},
            line={"dash": DASHES[i % len(DASHES)], "color": PALETTE[i % len(PALETTE)]},
            text=[value_text(v, unit) for v in part["value"]],
            textposition="top center",
            cliponaxis=False,
            hovertemplate=f"{name} · %{{x}}年：%{{y:,}}{unit}<extra></extra>",
        )
    years = sorted({int(y) for y in data["year"]}) if len(data) else []
    labels = ticks or {}
    fig.update_xaxes(
        title="年度",
        tickmode="array",
        tickvals=years,
        ticktext=[labels.get(y, f"{y}年") for y in years],
        range=[years[0] - 0.5, years[-1] + 0.5] if years else None,
    )
    top = float(data["value"].max()) if len(data) else 1.0
    fig.update_yaxes(
        title=f"{'百分比' if unit == '%' else '数量'}（{unit}）",
        tickformat=".0f" if unit == "%" else NUMBER,
        ticksuffix="%" if unit == "%" else "",
        range=[0, max(top, 1.0) * 1.2],
    )
    for before, after, fmt in changes or []:
        fig.add_vline(x=(before + after) / 2, line={"dash": "dot", "color": "#555555", "width": 1.5})
        fig.add_annotation(
            x=(before + after) / 2, y=0, yref="paper", yanchor="bottom", text=f"此后为{fmt}表格",
            showarrow=False, font={"size": 12, "color": "#333333"}, bgcolor="rgba(255,255,255,0.85)",
        )  # fmt: skip
    return _layout(fig, title, height=400)


def rank_bars(data: pd.DataFrame, title: str, unit: str) -> go.Figure:
    """Horizontal bars of ``value`` per ``name`` in ``rank`` order (the first at the top), each
    labelled with its rank; ties share a rank, as in the table."""
    names = [f"{int(r)}. {n}" for r, n in zip(data["rank"], data["name"], strict=True)]
    fig = go.Figure(
        go.Bar(
            x=data["value"],
            y=names,
            orientation="h",
            marker={"color": PALETTE[0]},
            text=[f"{v:.2f}%" if unit == "%" else number(v) for v in data["value"]],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}：%{x:,.2f}" + unit + "<extra></extra>"
            if unit == "%"
            else "%{y}：%{x:,}" + unit + "<extra></extra>",
        )
    )
    top = float(data["value"].max()) if len(data) else 1.0
    fig.update_xaxes(
        title=f"{'百分比' if unit == '%' else '数量'}（{unit}）",
        tickformat=".0f" if unit == "%" else NUMBER,
        ticksuffix="%" if unit == "%" else "",
        range=[0, max(top, 1.0) * 1.25],
    )
    fig.update_yaxes(autorange="reversed", automargin=True)
    return _layout(fig, title, height=max(260, 34 * len(data) + 140))

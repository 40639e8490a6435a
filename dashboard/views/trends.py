"""趋势: each measure of tables 三 and 四 over the loaded years of one agency, the change of
table format marked on the axis."""

from __future__ import annotations

from dataclasses import dataclass

from .. import charts, facts, queries
from .base import Chart, cache, make_chart

# chart name → the measures it draws (one line each), its unit; declared once.
GROUPS: dict[str, tuple[tuple[str, ...], str]] = {
    "依申请公开数量": (("new_requests", "outcome_total", "withheld"), "件"),
    "予以公开与纠正占比": (("disclosed_share", "corrected_share"), "%"),
    "行政复议与行政诉讼": (("review_total", "litigation_total"), "件"),
    "报告自身不一致的检查": (("failed_checks",), "项"),
}


@dataclass(frozen=True, eq=False)
class Trends:
    charts: tuple[Chart, ...]
    years: tuple[int, ...]  # the years shown
    changes: tuple[str, ...]  # "2019年版（至2019年）→ 2021年版（自2023年）", one per change


@cache
def trends(token: str, agency: str, first: int, last: int) -> Trends:
    frame = facts.compare_frame(queries.measure_series(token, agency))
    frame = frame[(frame["year"] >= first) & (frame["year"] <= last)]
    years = tuple(int(y) for y in frame["year"])
    ticks = {int(y): f"{int(y)}年<br>{t}" for y, t in zip(frame["year"], frame["template"], strict=True)}
    changes = facts.format_changes(frame)
    span = f"{first}–{last}年" if first != last else f"{first}年"
    out = []
    for name, (measures, unit) in GROUPS.items():
        data = facts.measure_long(frame, measures)
        if data.empty:
            continue
        title = f"{name}（{span}）"
        latest = data[data["year"] == data["year"].max()]
        parts = "；".join(
            f"{row.label} {charts.value_text(row.value, unit)}{'' if unit == '%' else unit}"
            for row in latest.itertuples()
        )
        summary = f"图表“{title}”：{len(years)}个年度，最近一年（{int(data['year'].max())}年）{parts}。"
        if changes:
            summary += "虚线处表格格式改变。"
        out.append(
            make_chart(
                charts.series_lines(data, title, unit, "label", ticks=ticks, changes=changes),
                data,
                {"year": "年度", "label": "指标", "value": f"数值（{unit}）", "template": "表格格式"},
                name=f"趋势-{name}",
                title=title,
                source=f"{agency}各年度政府信息公开工作年度报告，表三、表四",
                year=last,
                compare=(first, last) if first != last else (last,),
                summary=summary,
            )
        )
    return Trends(
        charts=tuple(out),
        years=years,
        changes=tuple(f"{a}年与{b}年之间改为{fmt}表格" for a, b, fmt in changes),
    )

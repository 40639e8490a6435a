"""单位档案: one unit: where it sits, its reports, its indicators against its peers, its failed checks."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from etl.indicators import BY_ID as INDICATORS  # the records: which direction ranks first

from .. import charts, queries
from ..blocks import Chart, Table, make_table, number_columns
from .base import cache, make_chart
from .units import profile_url, registry, type_label


@dataclass(frozen=True, eq=False)
class Profile:
    unit_id: str
    name: str
    unit_type: str  # in Chinese
    aliases: tuple[str, ...]
    parent: tuple[str, str] | None  # unit_id, name
    children: tuple[tuple[str, str, int], ...]  # unit_id, name, how many reports
    reports: tuple[dict, ...]  # year, agency, title, template, failed, warnings (oldest first)
    years: tuple[int, ...]
    sources: str  # where the type and the parent came from
    failed: Table  # the failed checks of all its reports (年度, 检查项, 应为, 实际, 依据)


@dataclass(frozen=True, eq=False)
class Peers:
    year: int
    scope: str  # who the peers are, in words
    count: int  # how many peer units (with the unit itself) have indicators that year
    table: Table  # 指标, 本单位, 同类中位数, 排名, …
    chart: Chart | None  # the unit against the median
    members: Table  # every peer's rates (the median's data), linked to their profiles


def units_with_reports(token: str) -> tuple[str, ...]:
    return registry(token).reporting


@cache
def profile(token: str, unit_id: str) -> Profile:
    reg = registry(token)
    unit = reg.by_id[unit_id]
    parent = unit["parent_id"] if isinstance(unit["parent_id"], str) else None
    reports = reg.unit_reports(unit_id)
    kids = tuple(
        (c, reg.name(c), int((reg.reports["unit_id"] == c).sum())) for c in reg.children.get(unit_id, ())
    )
    sources = f"类型来源：{_source(unit['type_source'])}"
    if parent:
        sources += f"；上级来源：{_source(unit['parent_source'])}"
    return Profile(
        unit_id=unit_id,
        name=unit["name"],
        unit_type=type_label(unit["unit_type"]),
        aliases=tuple(a for a in str(unit["aliases"] or "").split("；") if a),
        parent=(parent, reg.name(parent)) if parent else None,
        children=kids,
        reports=tuple(reports.to_dict("records")),
        years=tuple(int(y) for y in reports["year"]),
        sources=sources,
        failed=make_table(queries.unit_failed_checks(token, unit_id).rename(columns=FAILED_COLUMNS)),
    )


FAILED_COLUMNS = {
    "year": "年度",
    "description": "检查项",
    "expected": "应为",
    "actual": "实际",
    "evidence": "依据",
}
DEFINITIONS = tuple(
    (i.name, i.formula, "越高越好" if i.better == "higher" else "越低越好" if i.better else "不排名")
    for i in INDICATORS.values()
)


def _source(raw) -> str:
    if not isinstance(raw, str) or not raw:
        return "未记录"
    return "人工登记（data/units.toml）" if raw == "manual" else f"自动判断（{raw.removeprefix('auto:')}）"


@cache
def peers(token: str, unit_id: str, year: int) -> Peers:
    reg = registry(token)
    unit = reg.by_id[unit_id]
    rows = queries.type_indicators(token, unit["unit_type"], year)
    parent = unit["parent_id"] if isinstance(unit["parent_id"], str) else None
    kind = type_label(unit["unit_type"], short=True)
    group = rows[rows["parent_id"] == parent] if parent else rows.iloc[0:0]
    if group["unit_id"].nunique() >= 2:
        scope = f"{reg.name(parent)}下的全部{kind}单位"
    else:
        group = rows
        scope = f"全部{kind}单位" + ("（同一上级下没有其他有报告的同类单位）" if parent else "")
    table = peer_table(group, unit_id)
    chart = None
    shown = table.dropna(subset=["本单位（%）"])
    if not shown.empty:
        long = pd.concat(
            [
                shown[["指标", "本单位（%）"]]
                .rename(columns={"本单位（%）": "value"})
                .assign(series=unit["name"]),
                shown[["指标", "同类中位数（%）"]]
                .rename(columns={"同类中位数（%）": "value"})
                .assign(series="同类中位数"),
            ]
        ).dropna(subset=["value"])
        long["value"] = long["value"].round(2)  # computed rates, shown to two decimals (the table keeps all)
        title = f"{year}年主要比率：本单位与同类中位数"
        fig = charts.grouped_bars(long, title, "%", x="指标", series="series")
        fig.update_yaxes(title="比率（%）")
        chart = make_chart(
            fig,
            long,
            {"指标": "指标", "series": "对象", "value": "比例（%）"},
            name="单位指标与同类中位数",
            title=title,
            source=f"本站根据{scope}{year}年报告的表三、表四计算（保留两位小数）",
            year=year,
            compare=(year,),
        )
    rates = {c: st.column_config.NumberColumn(c, format="%.2f") for c in ("本单位（%）", "同类中位数（%）")}
    members = peer_members(group, reg)
    member_config = {c: st.column_config.NumberColumn(c, format="%.2f") for c in members.columns[2:-1]}
    member_config["单位档案"] = st.column_config.LinkColumn("单位档案", display_text="查看档案")
    return Peers(
        year,
        scope,
        int(group["unit_id"].nunique()),
        Table(table, {**number_columns(table), **rates}),
        chart,
        Table(members, member_config),
    )


def peer_members(group: pd.DataFrame, reg) -> pd.DataFrame:
    """One row per peer: its name, parent and each rate (%), the first rate's best first, NULLs last."""
    if group.empty:
        return pd.DataFrame(columns=["单位", "上级单位", "单位档案"])
    order = [i for i in INDICATORS if i in set(group["indicator"])]
    wide = group.pivot_table(
        index="unit_id", columns="indicator", values="value", aggfunc="first", dropna=False
    )
    wide = wide.reindex(index=sorted(set(group["unit_id"])), columns=order)
    first = INDICATORS[order[0]]
    wide = wide.sort_values(order[0], ascending=first.better == "lower", na_position="last", kind="stable")
    out = pd.DataFrame(
        {
            "单位": [reg.name(u) for u in wide.index],
            "上级单位": [reg.name(reg.by_id[u]["parent_id"]) for u in wide.index],
        }
    )
    for key in order:
        out[f"{INDICATORS[key].name}（%）"] = wide[key].to_numpy()
    out["单位档案"] = [profile_url(u) for u in wide.index]
    return out


PEER_COLUMNS = ["指标", "本单位（%）", "同类中位数（%）", "排名", "有数值的单位数", "说明"]


def peer_table(group: pd.DataFrame, unit_id: str) -> pd.DataFrame:
    """Each indicator of ``unit_id`` against ``group`` (its peers, itself included): its value,
    the peers' median, its rank (best first in the indicator's direction; ties share a rank and
    say so; a NULL value has no rank and sorts last), and why a value is NULL."""
    order = {key: i for i, key in enumerate(INDICATORS)}
    mine = group[group["unit_id"] == unit_id].sort_values("indicator", key=lambda s: s.map(order))
    rows = []
    for r in mine.itertuples():
        values = group.loc[group["indicator"] == r.indicator, "value"].dropna()
        better = INDICATORS[r.indicator].better if r.indicator in INDICATORS else None
        rows.append(
            {
                "指标": r.name,
                "本单位（%）": None if pd.isna(r.value) else float(r.value),
                "同类中位数（%）": float(values.median()) if len(values) else None,
                "排名": rank_text(r.value, values, better),
                "有数值的单位数": len(values),
                "说明": r.null_reason
                if isinstance(r.null_reason, str)
                else ("" if r.comparable else "两版格式口径不同"),
            }
        )
    return pd.DataFrame(rows, columns=PEER_COLUMNS)


def rank_text(value: float | None, values: pd.Series, better: str | None) -> str:
    """“第2名（并列，共5个）”; “—（无数值，排在最后）” for a NULL value; “不排名” when the indicator has no better direction."""
    if value is None or pd.isna(value):
        return "—（无数值，排在最后）"
    if better is None:
        return "不排名"
    ahead = (values > value).sum() if better == "higher" else (values < value).sum()
    ties = int((values == value).sum())
    return f"第{int(ahead) + 1}名（{'并列，' if ties > 1 else ''}共{len(values)}个）"

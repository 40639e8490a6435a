"""The view layer: everything a page shows for one selection, built once and shared.

Each function here takes the database version token and the selection a page
depends on (agency, year, the agency's years, the comparison range), asks the
query layer for the rows, shapes them with :mod:`facts`, draws the Plotly
figures with :mod:`charts`, and returns one frozen object: the metric values
with their evidence, the figures, the display tables, the download names.

They are cached with ``st.cache_resource``: every rerun and every session gets
the same object back (no unpickled copy, no figure rebuilt), so a page rerun
only lays out. These objects are shared, so nothing may change them after they
are built (pages and :mod:`ui` only read them). Every argument that changes
what is shown is part of the cache key, and the token changes with each new
database file, so an entry is never used for another file, agency or year.
Downloads are callables, run only when the visitor clicks.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from . import charts, export, facts, queries, ui

_ENTRIES = 32  # per function (a view with five charts is ~0.7 MB): tokens × agencies × years × ranges
_cache = st.cache_resource(show_spinner=False, max_entries=_ENTRIES)


class Metric(NamedTuple):
    """A headline number: its value, unit, the previous year's value and a help text."""

    label: str
    value: float | None
    unit: str
    previous: float | None = None
    help: str = ""


@dataclass(frozen=True, eq=False)
class Chart:
    """A chart with everything shown around it: data table, source and exports."""

    fig: go.Figure
    data: pd.DataFrame  # the table under the chart and in its CSV/XLSX (Chinese headers)
    name: str  # unique on the page (element keys)
    title: str
    source: str
    caption: str  # the source line under the chart, escaped
    years: str  # "2019年" or "2019–2020年", drawn on the exported images
    stem: str  # download file name without extension
    config: dict[str, Any]  # st.plotly_chart's config (modebar)
    column_config: dict[str, Any]  # the data table's number columns

    def csv(self) -> bytes:
        return export.csv_bytes(self.data)

    def xlsx(self) -> bytes:
        return export.xlsx_bytes(self.data)

    def image(self, fmt: str) -> Callable[[], bytes]:
        def make() -> bytes:
            return export.figure_image(
                self.fig, fmt, title=self.title, source=self.source, year_label=self.years
            )

        return make


@dataclass(frozen=True, eq=False)
class Table:
    """A display table with its number-column config."""

    data: pd.DataFrame
    column_config: dict[str, Any]


def _table(data: pd.DataFrame) -> Table:
    return Table(data, ui.number_columns(data))


def _chart(
    fig: go.Figure,
    frame: pd.DataFrame,
    columns: dict[str, str],
    *,
    name: str,
    title: str,
    source: str,
    year: int,
    compare: tuple[int, ...],
    evidence: list[str] | str | None = None,
) -> Chart:
    """A chart with its data table (``frame``'s ``columns``, renamed to their Chinese
    headers), source line, download names and modebar settings."""
    data = facts.table(frame, columns)
    years = f"{compare[0]}–{compare[-1]}年" if len(compare) > 1 else f"{year}年"
    stem = export.safe_filename(name, years)
    caption = ui.source_text(evidence, source) if evidence is not None else f"来源：{ui.escape(source)}"
    return Chart(
        fig=fig,
        data=data,
        name=name,
        title=title,
        source=source,
        caption=caption,
        years=years,
        stem=stem,
        config=export.modebar_config(stem),
        column_config=ui.number_columns(data),
    )


def _charts(year: int, compare: tuple[int, ...]) -> Callable[..., Chart]:
    """``_chart`` for one view: every chart of a page has the page's year and range."""
    return functools.partial(_chart, year=year, compare=compare)


def _figures(token: str, agency: str, years: tuple[int, ...]) -> facts.FigureIndex:
    return facts.FigureIndex(queries.figures(token, agency, years))


# --------------------------------------------------------------------------- the catalog


@dataclass(frozen=True, eq=False)
class Catalog:
    """The loaded reports, and what the sidebar filters need from them."""

    frame: pd.DataFrame
    agencies: tuple[str, ...]  # sorted
    default_agency: str  # the agency with most years (the first of them in sorted order)
    years: dict[str, tuple[int, ...]]  # each agency's years, oldest first
    rows: tuple[dict[str, Any], ...]  # the catalog's rows, in its order
    reports: dict[tuple[str, int], dict[str, Any]]  # (agency, year) → its catalog row

    @property
    def empty(self) -> bool:
        return self.frame.empty


@_cache
def catalog(token: str) -> Catalog:
    frame = queries.catalog(token)
    agencies = tuple(sorted(frame["agency"].unique()))
    years = {
        agency: tuple(int(y) for y in sorted(frame.loc[frame["agency"] == agency, "year"]))
        for agency in agencies
    }
    default = max(agencies, key=lambda a: len(years[a])) if agencies else ""
    rows = tuple(frame.to_dict("records"))
    reports: dict[tuple[str, int], dict[str, Any]] = {}
    for row in rows:
        reports.setdefault((row["agency"], int(row["year"])), row)
    return Catalog(frame, agencies, default, years, rows, reports)


# --------------------------------------------------------------------------- 总览

HEADLINES = (
    ("交易信息发布", facts.TRADING_TOTAL, "条"),
    ("受理行政审批事项", facts.APPROVALS_RECEIVED, "件"),
    ("办结行政审批事项", facts.APPROVALS_COMPLETED, "件"),
    ("12345受理群众诉求", facts.HOTLINE_TOTAL, "件"),
    ("群众满意率", facts.SATISFACTION, "%"),
)


@dataclass(frozen=True, eq=False)
class Overview:
    report: dict[str, Any]  # the catalog row of the report
    headlines: tuple[Metric, ...]  # empty when the report has none of these figures
    evidence: tuple[tuple[str, str | None], ...]  # headline name → its sentence (None: not found)
    tables: tuple[Metric, ...]  # from tables 三 and 四
    counts: dict[str, int]  # the checks
    check_summary: str  # one sentence on them


@_cache
def overview(token: str, agency: str, year: int, years: tuple[int, ...], previous: int | None) -> Overview:
    figs = _figures(token, agency, years)
    found = {name: figs.get(year, key) for name, key, _ in HEADLINES}
    headlines = ()
    if any(found.values()):
        headlines = tuple(
            Metric(
                name,
                facts.value(figs, year, key),
                unit,
                facts.value(figs, previous, key),
                ui.escape(found[name]["evidence"] if found[name] else "本年度报告中未找到这一数字"),
            )
            for name, key, unit in HEADLINES
        )
    now = facts.table_headlines(
        queries.foi_requests(token, agency, year), queries.review_litigation(token, agency, year)
    )
    before = (
        facts.table_headlines(
            queries.foi_requests(token, agency, previous), queries.review_litigation(token, agency, previous)
        )
        if previous is not None
        else {}
    )
    tables = tuple(
        Metric(name, value, "件", before.get(name, (None, ""))[0], where)
        for name, (value, where) in now.items()
    )
    counts = queries.check_counts(token, agency, year)
    return Overview(
        report=catalog(token).reports[(agency, year)],
        headlines=headlines,
        evidence=tuple((name, hit["evidence"] if hit else None) for name, hit in found.items()),
        tables=tables,
        counts=counts,
        check_summary=facts.check_summary(counts),
    )


# --------------------------------------------------------------------------- 交易信息

TRADING_SECTION = "报告第一部分“总体情况”"


@dataclass(frozen=True, eq=False)
class Trading:
    empty: bool
    total: Metric
    parts_sum: Metric
    diff: Metric
    categories: Chart | None
    comparison: Chart | None


@_cache
def trading(
    token: str, agency: str, year: int, years: tuple[int, ...], previous: int | None, compare: tuple[int, ...]
) -> Trading:
    chart = _charts(year, compare)
    figs = _figures(token, agency, years)
    cats = facts.pick(figs, year, facts.trading_keys())
    total = facts.value(figs, year, facts.TRADING_TOTAL)
    parts_sum = float(cats["value"].sum()) if not cats.empty else None
    diff = None if total is None or parts_sum is None else total - parts_sum
    empty = cats.empty and total is None
    categories = comparison = None
    if not empty:
        title = f"{year}年各类交易信息发布数量"
        chart_data = cats[["label", "value"]].assign(share=lambda d: d["value"] / d["value"].sum())
        categories = chart(
            charts.category_bars(cats, title, "条"),
            chart_data,
            {"label": "类别", "value": "发布数量（条）", "share": "占类别之和比例"},
            name="交易信息分类",
            title=title,
            source=f"{agency}{year}年政府信息公开工作年度报告，{TRADING_SECTION}",
            evidence=facts.evidence(figs, year, [facts.TRADING_TOTAL, *facts.trading_keys()]),
        )
        if len(compare) > 1:
            across = facts.across_years(figs, compare, [facts.TRADING_TOTAL, *facts.trading_keys()])
            title = "各类交易信息发布数量（按年度）"
            comparison = chart(
                charts.grouped_bars(across, title, "条"),
                across,
                {"year": "年度", "label": "类别", "value": "发布数量（条）"},
                name="交易信息分类-年度比较",
                title=title,
                source=f"{agency}各年度政府信息公开工作年度报告，{TRADING_SECTION}",
            )
    return Trading(
        empty=empty,
        total=Metric("报告所述总数", total, "条", facts.value(figs, previous, facts.TRADING_TOTAL)),
        parts_sum=Metric("各类别之和", parts_sum, "条"),
        diff=Metric("未归入类别的差额", diff, "条"),
        categories=categories,
        comparison=comparison,
    )


# --------------------------------------------------------------------------- 行政审批

APPROVALS_KEYS = (facts.APPROVALS_RECEIVED, facts.APPROVALS_COMPLETED)
APPROVALS_SECTION = "报告第一部分“总体情况”"


@dataclass(frozen=True, eq=False)
class Approvals:
    empty: bool
    received: Metric
    completed: Metric
    ratio: float | None  # completed ÷ received, in %
    items: Chart | None
    ratios: Chart | None  # the ratio across the comparison range


@_cache
def approvals(
    token: str, agency: str, year: int, years: tuple[int, ...], previous: int | None, compare: tuple[int, ...]
) -> Approvals:
    chart = _charts(year, compare)
    figs = _figures(token, agency, years)
    keys = list(APPROVALS_KEYS)
    empty = facts.pick(figs, year, keys).empty
    received = facts.value(figs, year, facts.APPROVALS_RECEIVED)
    completed = facts.value(figs, year, facts.APPROVALS_COMPLETED)
    ratio = completed / received * 100 if received and completed is not None else None
    items = ratios = None
    if not empty:
        year_rows = facts.across_years(figs, compare, keys)
        title = "行政审批事项：受理与办结"
        items = chart(
            charts.grouped_bars(year_rows, title, "件", x="year", series="label"),
            year_rows,
            {"year": "年度", "label": "项目", "value": "件数"},
            name="行政审批受理与办结",
            title=title,
            source=f"{agency}政府信息公开工作年度报告，{APPROVALS_SECTION}",
            evidence=facts.evidence(figs, year, keys),
        )
        if len(compare) > 1:
            wide = year_rows.pivot_table(index="year", columns="label", values="value").reset_index()
            recv, done = facts.label(facts.APPROVALS_RECEIVED), facts.label(facts.APPROVALS_COMPLETED)
            if recv in wide and done in wide:
                ratio_rows = pd.DataFrame(
                    {"year": wide["year"], "label": "办结数 ÷ 受理数", "value": wide[done] / wide[recv] * 100}
                )
                title = "办结数占受理数的比例（按年度）"
                ratios = chart(
                    charts.rate_lines(ratio_rows, title),
                    ratio_rows,
                    {"year": "年度", "label": "指标", "value": "比例（%）"},
                    name="行政审批办结比例-年度比较",
                    title=title,
                    source=f"本站根据{agency}各年度报告的受理数与办结数计算",
                )
    return Approvals(
        empty=empty,
        received=Metric("受理", received, "件", facts.value(figs, previous, facts.APPROVALS_RECEIVED)),
        completed=Metric("办结", completed, "件", facts.value(figs, previous, facts.APPROVALS_COMPLETED)),
        ratio=ratio,
        items=items,
        ratios=ratios,
    )


# --------------------------------------------------------------------------- 12345热线


@dataclass(frozen=True, eq=False)
class Hotline:
    empty: bool
    metrics: tuple[Metric, ...]
    channels: Chart | None
    national: tuple[tuple[str, float, str], ...]  # label, value, unit
    handling: Chart | None
    transferred: Chart | None
    topics: tuple[tuple[Any, str], ...]  # the listed problems: seq, text
    topics_caption: str  # their source line
    counts: Chart | None  # across the comparison range
    rates: Chart | None


@_cache
def hotline(
    token: str, agency: str, year: int, years: tuple[int, ...], previous: int | None, compare: tuple[int, ...]
) -> Hotline:
    chart = _charts(year, compare)
    figs = _figures(token, agency, years)
    source = f"{agency}{year}年政府信息公开工作年度报告，第一部分“总体情况”"
    empty = facts.pick(figs, year, [facts.HOTLINE_TOTAL, *facts.HOTLINE_CHANNELS]).empty
    metrics = tuple(
        Metric(name, facts.value(figs, year, key), unit, facts.value(figs, previous, key))
        for name, key, unit in (
            ("受理群众诉求", facts.HOTLINE_TOTAL, "件"),
            ("转办办结率", facts.COMPLETION_RATE, "%"),
            ("电话回访", facts.CALLBACKS, "件"),
            ("群众满意率", facts.SATISFACTION, "%"),
        )
    )
    channels = facts.pick(figs, year, facts.HOTLINE_CHANNELS)
    national = facts.pick(figs, year, facts.HOTLINE_NATIONAL)
    handling = facts.pick(figs, year, facts.HOTLINE_HANDLING)
    transferred = facts.pick(figs, year, [facts.TRANSFERRED, facts.TRANSFERRED_DONE])
    topics = queries.texts(token, agency, year, "hotline_dissatisfaction")
    view = Hotline(
        empty=empty,
        metrics=metrics,
        channels=None,
        national=tuple((r.label, r.value, r.unit) for r in national.itertuples()),
        handling=None,
        transferred=None,
        topics=tuple((r.seq, r.text) for r in topics.itertuples()),
        topics_caption=ui.source_text(facts.evidence(figs, year, [facts.SATISFACTION]), source),
        counts=None,
        rates=None,
    )
    if empty:
        return view
    parts: dict[str, Chart | None] = {}
    if not channels.empty:
        title = f"{year}年12345热线受理渠道"
        parts["channels"] = chart(
            charts.stacked_share(channels, title, "件"),
            channels,
            {"label": "渠道", "value": "数量", "unit": "单位"},
            name="12345受理渠道",
            title=title,
            source=source,
            evidence=facts.evidence(figs, year, [facts.HOTLINE_TOTAL, *facts.HOTLINE_CHANNELS]),
        )
    if not handling.empty:
        title = f"{year}年12345热线办理方式"
        parts["handling"] = chart(
            charts.stacked_share(handling, title, "件"),
            handling,
            {"label": "办理方式", "value": "件数"},
            name="12345办理方式",
            title=title,
            source=source,
            evidence=facts.evidence(figs, year, facts.HOTLINE_HANDLING),
        )
    if len(transferred) == 2:
        title = f"{year}年转交部门办理的诉求及办结"
        parts["transferred"] = chart(
            charts.category_bars(transferred, title, "件"),
            transferred,
            {"label": "项目", "value": "件数"},
            name="12345转办办结",
            title=title,
            source=source,
            evidence=facts.evidence(
                figs, year, [facts.TRANSFERRED, facts.TRANSFERRED_DONE, facts.COMPLETION_RATE]
            ),
        )
    if len(compare) > 1:
        counts = facts.across_years(
            figs, compare, [facts.HOTLINE_TOTAL, *facts.HOTLINE_CHANNELS, *facts.HOTLINE_HANDLING]
        )
        title = "12345热线受理与办理（按年度）"
        parts["counts"] = chart(
            charts.grouped_bars(counts, title, "件"),
            counts,
            {"year": "年度", "label": "项目", "value": "件数"},
            name="12345热线-年度比较",
            title=title,
            source=f"{agency}各年度政府信息公开工作年度报告",
        )
        rates = facts.across_years(figs, compare, [facts.COMPLETION_RATE, facts.SATISFACTION])
        title = "转办办结率与群众满意率（按年度）"
        parts["rates"] = chart(
            charts.rate_lines(rates, title),
            rates,
            {"year": "年度", "label": "指标", "value": "百分比（%）"},
            name="12345比率-年度比较",
            title=title,
            source=f"{agency}各年度政府信息公开工作年度报告",
        )
    return dataclasses.replace(view, **parts)


# --------------------------------------------------------------------------- 政府信息公开


@dataclass(frozen=True, eq=False)
class Disclosure:
    blocks: tuple[tuple[str, Table], ...]  # table 二, one grid per item
    outcomes: Chart  # table 三 as a chart
    foi: Table  # table 三 as printed
    review: Table  # table 四 as printed
    review_failures: tuple[Any, ...]  # failed checks of table 四: description, expected, actual


@_cache
def disclosure(token: str, agency: str, year: int, compare: tuple[int, ...]) -> Disclosure:
    chart = _charts(year, compare)
    source = f"{agency}{year}年政府信息公开工作年度报告"
    cells = queries.foi_requests(token, agency, year)
    outcome = facts.outcomes_by_applicant(cells)
    title = f"{year}年依申请公开办理结果（按申请人类型）"
    checks = queries.checks(token, agency, year)
    return Disclosure(
        blocks=tuple(
            (item, _table(grid))
            for item, grid in facts.disclosure_blocks(queries.active_disclosure(token, agency, year))
        ),
        outcomes=chart(
            charts.outcomes_by_applicant(outcome, title),
            outcome,
            {"applicant": "申请人类型", "outcome": "办理结果", "value": "件数"},
            name="依申请公开办理结果",
            title=title,
            source=f"{source}，第三部分（表三；（三）至（六）的分项相加，空白按0计）",
        ),
        foi=_table(facts.foi_grid(cells)),
        review=_table(facts.review_grid(queries.review_litigation(token, agency, year))),
        review_failures=tuple(
            facts.failed_checks(checks[checks["check_id"].str.startswith("t4.")]).itertuples()
        ),
    )


# --------------------------------------------------------------------------- 数据质量


@dataclass(frozen=True, eq=False)
class Quality:
    counts: dict[str, int]
    failed: tuple[Any, ...]  # rows with description, expected, actual, evidence
    warnings: tuple[Any, ...]  # scope warnings: the same columns
    reasons: pd.DataFrame  # why checks could not be assessed: 原因, 项数
    table: Table  # every check (Chinese headers), also the CSV download

    def csv(self) -> bytes:
        return export.csv_bytes(self.table.data)


@_cache
def quality(token: str, agency: str, year: int) -> Quality:
    table = facts.check_table(queries.checks(token, agency, year))
    return Quality(
        counts=queries.check_counts(token, agency, year),
        failed=tuple(facts.failed_checks(table).itertuples()),
        warnings=tuple(facts.scope_warnings(table).itertuples()),
        reasons=facts.unassessable_reasons(table),
        table=_table(facts.table(table, facts.CHECK_COLUMNS)),
    )


# --------------------------------------------------------------------------- 数据下载


@dataclass(frozen=True, eq=False)
class Download:
    """One public view (optionally of one year) as CSV and XLSX, made on click."""

    name: str
    frame: pd.DataFrame

    def csv(self) -> bytes:
        return export.csv_bytes(self.frame)

    def xlsx(self) -> bytes:
        return export.xlsx_bytes({self.name: self.frame})


@_cache
def downloads(token: str, agency: str, year: int | None) -> dict[str, Download]:
    """Every public view of the agency, of one year or (``year`` None) of all years."""
    return {name: Download(name, queries.view(token, name, agency, year)) for name in queries.PUBLIC_VIEWS}

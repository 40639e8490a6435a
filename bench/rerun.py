"""Part 1 of ``bench/app.py``: a year switch on each page, run as the server runs it, against
pages that draw the same elements from memory (the bare page: the same Plotly figures and
tables; the whole page: every element). Target: ≤ 1.5× the whole page."""

from __future__ import annotations

import os
import statistics
import unicodedata
from pathlib import Path

from bench import common
from tests.e2e.conftest import APP

PAGES = {
    "总览": "pages/page_overview.py",
    "交易信息": "pages/page_trading.py",
    "行政审批": "pages/page_approvals.py",
    "12345热线": "pages/page_hotline.py",
    "政府信息公开": "pages/page_disclosure.py",
    "数据质量": "pages/page_quality.py",
    "数据下载": "pages/page_downloads.py",
}
TARGET_RERUN = 1.5


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def pad(text: str, width: int) -> str:
    """Left-justify to ``width`` columns, hanzi counting two."""
    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - used)


def bare_page(figures, frames):
    """The baseline page: the same figures and tables, already in memory, per year."""
    import json

    import plotly.graph_objects as go
    import streamlit as st

    year = st.sidebar.selectbox("年度", sorted(figures), key="f_year", format_func=lambda y: f"{y}年")
    for i, (spec, config) in enumerate(figures[year]):
        st.plotly_chart(go.Figure(json.loads(spec)), config=json.loads(config), key=f"chart-{i}")
    for frame in frames[year]:
        st.dataframe(frame, hide_index=True)


def page_layout(block) -> list[tuple]:
    """What a page shows (AppTest's tree of its main area) as plain data: each element's
    kind and content, blocks with their children. ``whole_page`` draws it again."""
    from streamlit.testing.v1.element_tree import Block

    items: list[tuple] = []
    for node in block.children.values():
        kind = node.type
        if isinstance(node, Block):
            children = list(node.children.values())
            if children and all(c.type == "column" for c in children):
                items.append(("columns", [page_layout(c) for c in children]))
            elif kind == "expander":
                items.append(("expander", node.proto.label, page_layout(node)))
            else:
                items.append(("container", page_layout(node)))
        elif kind in ("title", "header", "subheader", "markdown", "caption", "code"):
            items.append((kind, node.value))
        elif kind in ("warning", "success", "info", "error"):
            items.append((kind, node.value))
        elif kind == "metric":
            items.append(("metric", node.label, node.value, node.delta or None, node.proto.help))
        elif kind == "dataframe":
            items.append(("dataframe", node.value))
        elif kind == "plotly_chart":
            items.append(("plotly_chart", node.proto.spec, node.proto.config))
        elif kind in ("download_button", "page_link"):
            items.append((kind, node.proto.label))
        elif kind == "radio":
            items.append(("radio", node.label, list(node.options)))
        else:
            items.append(("unsupported", kind))
    return items


def unsupported(items: list[tuple]) -> list[str]:
    """Kinds ``page_layout`` could not describe (their cost is missing from ``whole_page``)."""
    out: list[str] = []
    for item in items:
        if item[0] == "unsupported":
            out.append(item[1])
        elif item[0] == "columns":
            for column in item[1]:
                out += unsupported(column)
        elif item[0] in ("expander", "container"):
            out += unsupported(item[-1])
    return out


def whole_page(layouts):
    """The second baseline: every element of the page (text, metrics, columns, expanders,
    tables, charts, buttons) drawn again from memory with Streamlit's own calls."""
    import itertools
    import json

    import plotly.graph_objects as go
    import streamlit as st

    keys = itertools.count()

    def draw(items):
        for item in items:
            kind = item[0]
            if kind == "columns":
                for column, sub in zip(st.columns(len(item[1])), item[1], strict=True):
                    with column:
                        draw(sub)
            elif kind == "expander":
                with st.expander(item[1]):
                    draw(item[2])
            elif kind == "container":
                with st.container(border=True):
                    draw(item[1])
            elif kind in ("title", "header", "subheader", "markdown", "caption", "code"):
                getattr(st, kind)(item[1])
            elif kind in ("warning", "success", "info", "error"):
                getattr(st, kind)(item[1])
            elif kind == "metric":
                st.metric(item[1], item[2], item[3], help=item[4] or None, border=True)
            elif kind == "dataframe":
                st.dataframe(item[1], hide_index=True)
            elif kind == "plotly_chart":
                st.plotly_chart(
                    go.Figure(json.loads(item[1])), config=json.loads(item[2]), key=f"k{next(keys)}"
                )
            elif kind == "download_button":
                st.download_button(item[1], b"", key=f"k{next(keys)}", on_click="ignore")
            elif kind == "page_link":
                st.page_link("https://example.org/", label=item[1])
            elif kind == "radio":
                st.radio(item[1], item[2], horizontal=True, key=f"k{next(keys)}")

    year = st.sidebar.selectbox("年度", sorted(layouts), key="f_year", format_func=lambda y: f"{y}年")
    draw(layouts[year])


def run_like_the_server() -> None:
    """Make AppTest run the app as ``dashboard/serve.py`` and a Streamlit server do.

    - AppTest makes a new ScriptCache for every run, so each rerun recompiles every
      script it executes (app.py and the page; the bare page's one small script). A
      server compiles each script once: its Runtime holds one ScriptCache.
    - AppTest sees the ``pages/`` folder and wraps app.py in Streamlit's v1 multipage
      emulation, which builds a Page for every file there and runs a second
      navigation on every rerun. ``serve.py`` (``make run``) turns that off, as app.py
      navigates with ``st.navigation``.
    """
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test, local_script_runner

    from tests import apptest

    shared = ScriptCache()
    app_test.ScriptCache = lambda: shared  # type: ignore[attr-defined]
    local_script_runner.ScriptCache = lambda: shared  # type: ignore[attr-defined]
    apptest.serve_like_production()


def bench_rerun(two_year_db: Path, reruns: int) -> list[float]:
    from streamlit.testing.v1 import AppTest

    os.environ["DASHBOARD_DB"] = str(two_year_db)
    run_like_the_server()
    years = (2019, 2020)
    print(f"\n1. Year switch (rerun) per page, AppTest on 2019 + 2020, median of {reruns} switches")
    print("   bare page:  the same Plotly figures (JSON from the page) and dataframes, from memory")
    print("   whole page: every element of the page (text, metrics, columns, tables, charts, buttons)")
    print("               drawn again from memory; its ratio is the one held to the target")
    print(
        f"   {'page':<14}{'charts':>7}{'tables':>7}{'app':>11}{'bare page':>11}{'ratio':>8}"
        f"{'whole page':>12}{'ratio':>8}"
    )
    ratios = []
    for title, script in PAGES.items():
        at = AppTest.from_file(str(APP), default_timeout=60)
        at.run()
        at.switch_page(script)
        at.run()
        figures, frames, layouts = {}, {}, {}
        for year in years:
            at.sidebar.selectbox(key="f_year").select(year).run()
            if at.exception:
                raise SystemExit(f"{script}: {[e.message for e in at.exception]}")
            figures[year] = [(c.proto.spec, c.proto.config) for c in at.get("plotly_chart")]
            frames[year] = [d.value for d in at.dataframe]
            layouts[year] = page_layout(at.main)
        missing = sorted(set(unsupported(layouts[years[-1]])))
        base = AppTest.from_function(bare_page, args=(figures, frames), default_timeout=60)
        whole = AppTest.from_function(whole_page, args=(layouts,), default_timeout=60)
        for other in (base, whole):
            other.run()
            for year in years:  # warm (caches, imports)
                other.sidebar.selectbox(key="f_year").select(year).run()
        times: dict[str, list[float]] = {"app": [], "base": [], "whole": []}
        for i in range(reruns):  # interleaved, so all three see the same machine
            year = years[i % 2]
            for name, test in (("app", at), ("base", base), ("whole", whole)):
                times[name].append(common.timed(test.sidebar.selectbox(key="f_year").select(year).run))
        if at.exception or base.exception or whole.exception:
            raise SystemExit(f"{script}: an exception during the reruns")
        assert len(base.get("plotly_chart")) == len(at.get("plotly_chart"))
        assert len(whole.get("plotly_chart")) == len(at.get("plotly_chart"))
        assert len(whole.get("metric")) == len(at.get("metric"))
        app_ms, base_ms, whole_ms = (statistics.median(times[k]) for k in ("app", "base", "whole"))
        ratio = app_ms / whole_ms
        ratios.append(ratio)
        charts, tables = len(figures[years[-1]]), len(frames[years[-1]])
        flag = "" if ratio <= TARGET_RERUN else "  (over target)"
        flag += f"  (not redrawn: {', '.join(missing)})" if missing else ""
        print(
            f"   {pad(title, 14)}{charts:>7}{tables:>7}{ms(app_ms):>11}{ms(base_ms):>11}"
            f"{app_ms / base_ms:>7.2f}×{ms(whole_ms):>12}{ratio:>7.2f}×{flag}"
        )
    met = sum(r <= TARGET_RERUN for r in ratios)
    print(
        f"   target ≤ {TARGET_RERUN}× the whole page drawn from memory: met on {met} of {len(ratios)} pages"
    )
    print("   (a page without charts has an almost empty bare page: that ratio sets the app's")
    print("   navigation, sidebar filters, metrics and text against a lone selectbox)")
    return ratios

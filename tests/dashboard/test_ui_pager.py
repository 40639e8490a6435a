"""ui.pager: a long table shown a page at a time, saying how many rows, which ones, where the rest is."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest


def app(total: int) -> None:
    import streamlit as st

    from dashboard import ui

    total = st.session_state.get("total", total)  # a test shortens the list between runs
    number = ui.pager(total, 100, "t", "单位", "个", "完整名单见下载。")
    st.write(f"page={number}")


def pager_app(total: int) -> AppTest:
    return AppTest.from_function(app, kwargs={"total": total}).run()


def shown(at: AppTest) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("page="))


def test_pages_of_a_long_table():
    at = pager_app(250)
    (box,) = at.number_input
    assert box.label == "页码（共3页）" and shown(at) == "page=1"
    assert at.caption[0].value == "共250个单位，每页100个，这是第1页（第1–100个）。完整名单见下载。"
    box.set_value(3).run()
    assert shown(at) == "page=3"
    assert at.caption[0].value == "共250个单位，每页100个，这是第3页（第201–250个）。完整名单见下载。"


@pytest.mark.parametrize(("total", "caption"), [(100, "共100个单位。完整名单见下载。"), (0, None)])
def test_one_page_has_no_selector(total, caption):
    at = pager_app(total)
    assert not at.number_input and shown(at) == "page=1"
    assert [c.value for c in at.caption] == ([caption] if caption else [])


def test_a_shorter_list_shows_its_last_page():
    at = pager_app(950)
    at.number_input[0].set_value(10).run()
    assert shown(at) == "page=10"
    at.session_state["total"] = 250  # e.g. another parent on the review page
    at.run()
    assert not at.exception
    assert shown(at) == "page=3" and at.number_input[0].label == "页码（共3页）"

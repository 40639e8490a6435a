"""嵌入: one chart alone (title, chart, source line, a link to its page), for other sites' iframes.

Reached at ``/embed?page=…&chart=…`` plus the page's selection (the "嵌入" action under every
chart gives the URL); app.py shows it without the sidebar and its filters."""

import streamlit as st

from dashboard import db, embed, ui

try:
    shown = embed.resolve(db.version(), embed.page_of(st.context.url or "")[0], st.query_params.get_all)
except Exception:  # never show a traceback to another site's visitors
    shown = "数据暂时无法读取，请稍后再试。"
if isinstance(shown, str):
    st.info(shown)
    st.stop()

chart = shown.chart
st.markdown(f"**{ui.escape(chart.title)}**")
st.plotly_chart(chart.shown, config=chart.config, key="embed-chart")
st.caption(chart.caption)
st.link_button("在数据看板中查看完整页面", shown.full_page, icon=":material/open_in_new:")

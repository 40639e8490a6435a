"""A one-chart hello page: the end-to-end tests' fallback app and the benchmark's
baseline (what a bare Streamlit page with a single Plotly chart costs)."""

import plotly.graph_objects as go
import streamlit as st

st.set_page_config(page_title="Hello 看板", layout="wide")
st.title("Hello 看板")
fig = go.Figure(go.Bar(x=["自然人", "商业企业", "科研机构"], y=[120, 30, 5], name="申请数"))
fig.update_layout(height=360, margin={"l": 10, "r": 10, "t": 30, "b": 30})
st.plotly_chart(fig, config={"displaylogo": False})

"""One chart with dashboard.export.modebar_config: checks the config reaches Plotly."""

import plotly.graph_objects as go
import streamlit as st

from dashboard.export import modebar_config

st.set_page_config(page_title="modebar", layout="wide")
fig = go.Figure(go.Bar(x=["甲", "乙"], y=[1, 2]))
st.plotly_chart(fig, config=modebar_config("交易信息_2019"))

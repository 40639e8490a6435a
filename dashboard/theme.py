"""The look shared by the charts on the page and the exported images: one font stack, one palette.

Noto Sans CJK SC is what Debian's ``fonts-noto-cjk`` installs (the server's images);
the others cover visitors' own systems. The Okabe–Ito palette is colour-blind safe,
and every series also has a pattern, so no chart relies on colour alone.
"""

import base64
from pathlib import Path

FONT = "Noto Sans CJK SC, Source Han Sans SC, Noto Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
PATTERNS = ("", "/", "x", ".", "\\", "+", "-", "|")

# Captions and help texts: Streamlit draws them in the text colour at opacity 0.6 (#828180 on
# white, 3.9:1, under WCAG AA's 4.5:1); opaque #55544F has 7.4:1 on white, 6.7:1 on the sidebar.
MUTED_TEXT = "#55544F"
# The browser tab's icon as a data URI, read once: given a file path, st.set_page_config reads,
# hashes and registers the file again on every script run.
FAVICON = "data:image/png;base64," + base64.b64encode(
    (Path(__file__).parent / "favicon.png").read_bytes()
).decode("ascii")
PHONE_WIDTH = 640  # px: at most this wide, the phone layout (Streamlit folds the sidebar away)
PAGE_CSS = f"""
<style>
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p,
[data-testid="stWidgetLabel"] small {{ color: {MUTED_TEXT}; opacity: 1; }}
.st-key-phone_filters {{ display: none; }}
/* a row of headline numbers (ui.metrics): equal cards, as many to a line as fit, none stretched */
[data-testid="stHorizontalBlock"]:has(> [data-testid="stElementContainer"] > [data-testid="stMetric"]) {{
  display: grid !important; grid-template-columns: repeat(auto-fit, minmax(10rem, 1fr));
}}
[data-testid="stHorizontalBlock"] > [data-testid="stElementContainer"]:has(> [data-testid="stMetric"]) {{
  width: auto !important; min-width: 0 !important;
}}
@media (max-width: {PHONE_WIDTH}px) {{
  /* the sidebar is folded away: its filters at the top of the page */
  .st-key-phone_filters {{ display: block; }}
  .st-key-phone_filters [data-testid="stHorizontalBlock"] {{ flex-wrap: nowrap; gap: 0.5rem; }}
  .st-key-phone_filters [data-testid="stColumn"] {{ min-width: 0; }}
  /* metric cards: two to a row, compact */
  [data-testid="stHorizontalBlock"]:has(> [data-testid="stElementContainer"] > [data-testid="stMetric"]) {{
    grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 0.5rem;
  }}
  [data-testid="stMetric"] {{ padding: 0.4rem 0.6rem; }}
  [data-testid="stMetricValue"] {{ font-size: 1.35rem; }}
  [data-testid="stMetricDelta"] {{ font-size: 0.8rem; }}
  /* the chart toolbar above the chart, not over its title */
  [data-testid="stPlotlyChart"] {{ padding-top: 30px; }}
  [data-testid="stPlotlyChart"] .modebar-container {{ top: -30px !important; }}
  h1 {{ font-size: 1.7rem; }}
}}
</style>
"""

"""The look shared by the charts on the page and the exported images: one font stack, one palette.

Noto Sans CJK SC is what Debian's ``fonts-noto-cjk`` installs (the server's images);
the others cover visitors' own systems. The Okabe–Ito palette is colour-blind safe,
and every series also has a pattern, so no chart relies on colour alone.
"""

FONT = "Noto Sans CJK SC, Source Han Sans SC, Noto Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
PATTERNS = ("", "/", "x", ".", "\\", "+", "-", "|")

# Captions and help texts: Streamlit draws them in the text colour at opacity 0.6 (#828180 on
# white, 3.9:1, under WCAG AA's 4.5:1); opaque #55544F has 7.4:1 on white, 6.7:1 on the sidebar.
MUTED_TEXT = "#55544F"
PAGE_CSS = f"""
<style>
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p,
[data-testid="stWidgetLabel"] small {{ color: {MUTED_TEXT}; opacity: 1; }}
</style>
"""

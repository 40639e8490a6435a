"""The look shared by the charts on the page and the exported images: one font stack, one palette.

Noto Sans CJK SC is what Debian's ``fonts-noto-cjk`` installs (the server's images);
the others cover visitors' own systems. The Okabe–Ito palette is colour-blind safe,
and every series also has a pattern, so no chart relies on colour alone.
"""

FONT = "Noto Sans CJK SC, Source Han Sans SC, Noto Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
PATTERNS = ("", "/", "x", ".", "\\", "+", "-", "|")

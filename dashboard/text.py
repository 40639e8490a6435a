"""Report text for the page: inert Markdown, and the source line under a chart.

Pure string functions (no Streamlit), shared by the view models and the page blocks.
"""

from __future__ import annotations

import re

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$=:])")


def escape(text: str) -> str:
    """Report text as inert Markdown: every special character escaped, no HTML."""
    return _MD_SPECIAL.sub(r"\\\1", str(text)).replace("\n", " ")


def source_text(evidence: list[str] | str, where: str) -> str:
    """The source line of figures: where, and the sentence(s) they were read from, escaped."""
    items = [evidence] if isinstance(evidence, str) else list(dict.fromkeys(evidence))
    quoted = "”；“".join(escape(e) for e in items if e)
    return f"来源：{escape(where)}。原文：“{quoted}”"

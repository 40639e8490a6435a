"""报告原文: the prose a report states in its own words (section 一's paragraphs, 五's problems and
improvements, 六's other matters, the listed hotline complaints), per report and searched across all."""

from __future__ import annotations

from dataclasses import dataclass

from .. import queries
from ..text import escape
from .base import cache
from .catalog import catalog

# kind of the texts view → the heading it is shown under, in the report's order; declared once.
KINDS: dict[str, str] = {
    "overview_paragraph": "一、总体情况",
    "hotline_dissatisfaction": "一、总体情况：群众不满意的主要问题",
    "problem_improvement": "五、存在的主要问题及改进情况",
    "other_matters": "六、其他需要报告的事项",
}
PARTS: dict[str, tuple[str, ...]] = {  # the search's "part" choices (URL ?part=) → kinds
    "all": tuple(KINDS),
    "overview": ("overview_paragraph", "hotline_dissatisfaction"),
    "problems": ("problem_improvement",),
    "other": ("other_matters",),
}
PART_LABELS = {
    "all": "全部",
    "overview": "一、总体情况",
    "problems": "五、问题与改进",
    "other": "六、其他事项",
}
SEARCH_LIMIT = 30  # hits shown (the count says how many there are in all)
MAX_QUERY = 50


@dataclass(frozen=True, eq=False)
class ReportTexts:
    title: str
    source_file: str
    sections: tuple[tuple[str, tuple[str, ...]], ...]  # heading → its paragraphs (escaped), in order


@dataclass(frozen=True, eq=False)
class Hit:
    agency: str
    year: int
    heading: str
    text: str  # escaped, the words in bold
    source_file: str


@dataclass(frozen=True, eq=False)
class Search:
    words: tuple[str, ...]
    hits: tuple[Hit, ...]
    total: int
    summary: str


@cache
def report_texts(token: str, agency: str, year: int) -> ReportTexts:
    report = catalog(token).reports[(agency, year)]
    rows = queries.report_texts(token, agency, year)
    sections = []
    for kind, heading in KINDS.items():
        paragraphs = rows.loc[rows["kind"] == kind].sort_values("seq")["text"]
        if len(paragraphs):
            sections.append((heading, tuple(escape(t) for t in paragraphs)))
    return ReportTexts(report["title"], report["source_file"], tuple(sections))


def highlight(text: str, words: tuple[str, ...]) -> str:
    """``text`` escaped, each of ``words`` in bold (escaping is per character, so the escaped
    word is found in the escaped text wherever the word is in the text)."""
    out = escape(text)
    for word in words:
        out = out.replace(escape(word), f"**{escape(word)}**")
    return out


def search_words(raw: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(w for w in raw[:MAX_QUERY].split() if w))[:5]


@cache
def search_texts(token: str, raw: str, part: str) -> Search:
    words = search_words(raw)
    if not words:
        return Search((), (), 0, "")
    rows, total = queries.search_texts(token, " ".join(words), PARTS[part], SEARCH_LIMIT)
    hits = tuple(
        Hit(a, int(y), KINDS[k], highlight(t, words), f)
        for a, y, k, t, f in zip(
            rows["agency"], rows["year"], rows["kind"], rows["text"], rows["source_file"], strict=True
        )
    )
    agencies = rows["agency"].nunique() if total <= SEARCH_LIMIT else None
    shown = f"，显示最新的{SEARCH_LIMIT}段" if total > SEARCH_LIMIT else ""
    where = f"（{agencies}个机关）" if agencies else ""
    summary = f"“{escape(' '.join(words))}”：共{total:,}段原文{where}{shown}。"
    return Search(words, hits, total, summary)

"""Hypothesis strategies and the property for fuzzing the read and parse steps
(tests/etl/test_fuzz_parse.py runs a fixed number of examples in CI, bench/fuzz.py
many more).

Inputs are mutations of real reports, so that they get past the first checks
and reach the parser's corners: the seed's text (lines deleted, duplicated or
swapped; cells emptied; numbers replaced by odd ones; random Unicode inserted;
truncated), written in UTF-8, UTF-8 with BOM, GBK/GB18030 or with CRLF, and
with random bytes flipped; and the seed rendered as a web page (HTML), mutated
the same way plus broken markup.

The property (``check``): reading and parsing returns a Report (on which the
checks then run) or raises the project's own ReportError, every problem of
which names the file; never any other exception.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from hypothesis import strategies as st

from etl.checks import run_checks
from etl.model import Check, Report, ReportError
from etl.parse import parse_report
from etl.pipeline import without_cyclic_gc
from etl.readers import document_from_bytes
from tests.fixtures import seed_text

SEED = seed_text()
SEED_LINES = tuple(SEED.split("\n"))
# Line indexes where a section starts (its heading) — truncation points of interest.
SECTION_LINES = tuple(i for i, line in enumerate(SEED_LINES) if re.match(r"[一二三四五六]、", line))

# Characters that trouble parsers: controls, NUL, bidi marks, zero-width and odd spaces,
# line separators, astral characters (no surrogates: they cannot be in a file), and the
# punctuation and words the parser keys on.
ODD_CHARS = (
    "\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x1c", "\x7f", "\x85", "\r", "\t", "\n",
    "\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u202a", "\u202b", "\u202d", "\u202e",
    "\u2066", "\u2067", "\u2069", "\ufeff", "\u00ad", "\u00a0", "\u3000", "\u2028", "\u2029",
    "\ufffd", "\uffff", "\U0001f600", "\U00020000", "\U0010fffd", "\U0001d7ce",
    "。", "，", "；", "！", "？", "!", "?", "、", "（", "）", "(", ")", "：", "%", "％", "．",
    "一", "二", "三", "四", "五", "六", "十", "是", "第", "条", "件", "次", "篇", "项",
)  # fmt: skip
KEYWORDS = (
    "第二十条第（", "第二十条第（一）项", "信息内容", "本年新制作数量", "总计", "自然人",
    "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项",
    "发布", "交易", "信息", "办结", "行政审批", "热线电话", "不满意主要涉及：", "一是", "约", "余",
    "2019年四川省政务服务和资源交易服务中心政府信息公开工作年度报告",
)  # fmt: skip
# Numbers as nobody should write them, and some as some do.
ODD_NUMBERS = (
    "1" + "0" * 400, "9" * 400 + ".5", "0" * 2000, "１２３", "1,2,3", "1,234,567.89", "85.51 %%",
    "85.51 %", "-1", "+1", "−1", "1e5", "1e400", "nan", "inf", "NaN", "١٢٣", "𝟏𝟐", "⑤", "²", "½",
    "0x1F", "1.2.3", ",", ".", "1.", ".5", "约", "余", "1230余", "约 1", "12 345", "1_000", "1/2",
    "", " ", "\xa0", "—", "/", "无", "0.0000001", "1" * 30,
)  # fmt: skip

odd_text = st.text(
    alphabet=st.one_of(st.sampled_from(ODD_CHARS), st.characters(exclude_categories=("Cs",))),
    max_size=24,
)
insert_text = st.one_of(odd_text, st.sampled_from(KEYWORDS), st.sampled_from(ODD_NUMBERS))
index = st.integers(min_value=0, max_value=1 << 20)  # taken modulo the length where used


# --- Text mutations ------------------------------------------------------------------


def _pick(seq: list, i: int) -> int:
    return i % len(seq)


def _delete(lines: list[str], i: int) -> None:
    if lines:
        del lines[_pick(lines, i)]


def _duplicate(lines: list[str], i: int) -> None:
    if lines:
        k = _pick(lines, i)
        lines.insert(k, lines[k])


def _swap(lines: list[str], i: int, j: int) -> None:
    if lines:
        a, b = _pick(lines, i), _pick(lines, j)
        lines[a], lines[b] = lines[b], lines[a]


def _empty_cell(lines: list[str], i: int, how: str) -> None:
    cells = [k for k, line in enumerate(lines) if line.startswith("\t")]
    if cells:
        lines[cells[_pick(cells, i)]] = how


def _insert(lines: list[str], i: int, at: int, text: str) -> None:
    if lines:
        k = _pick(lines, i)
        line = lines[k]
        cut = at % (len(line) + 1)
        lines[k] = line[:cut] + text + line[cut:]


def _number(lines: list[str], i: int, j: int, value: str) -> None:
    """Replace one number (a digit run) of the text by ``value``."""
    numbered = [k for k, line in enumerate(lines) if re.search(r"\d", line)]
    if numbered:
        k = numbered[_pick(numbered, i)]
        runs = list(re.finditer(r"\d+(?:[.,]\d+)*", lines[k]))
        m = runs[_pick(runs, j)]
        lines[k] = lines[k][: m.start()] + value + lines[k][m.end() :]


def _replace_line(lines: list[str], i: int, text: str) -> None:
    if lines:
        lines[_pick(lines, i)] = text


OPS: dict[str, Callable[..., None]] = {
    "delete": _delete,
    "duplicate": _duplicate,
    "swap": _swap,
    "empty_cell": _empty_cell,
    "insert": _insert,
    "number": _number,
    "replace_line": _replace_line,
}

line_op = st.one_of(
    st.tuples(st.just("delete"), index),
    st.tuples(st.just("duplicate"), index),
    st.tuples(st.just("swap"), index, index),
    st.tuples(st.just("empty_cell"), index, st.sampled_from(["\t", "\t\xa0", "", "\t \t", "\t\t"])),
    st.tuples(st.just("insert"), index, index, insert_text),
    st.tuples(st.just("number"), index, index, st.sampled_from(ODD_NUMBERS)),
    st.tuples(st.just("replace_line"), index, insert_text),
)


def mutate_lines(text: str, ops: list[tuple]) -> str:
    lines = text.split("\n")
    for name, *args in ops:
        OPS[name](lines, *args)
    return "\n".join(lines)


@dataclass(frozen=True)
class Truncation:
    where: str  # "none", "section" (at a section's heading), "offset" (anywhere)
    at: int


truncation = st.one_of(
    st.just(Truncation("none", 0)),
    st.just(Truncation("none", 0)),
    st.builds(Truncation, st.just("section"), index),
    st.builds(Truncation, st.just("offset"), index),
)


def truncate(text: str, cut: Truncation) -> str:
    if cut.where == "section":
        lines = text.split("\n")
        starts = [k for k, line in enumerate(lines) if re.match(r"\s*[一二三四五六]\s*[、.．]", line)]
        if not starts:
            return text
        k = starts[cut.at % len(starts)]
        after = cut.at // len(starts) % 2  # before the heading, or just after it
        return "\n".join(lines[: k + after]) + ("\n" if after else "")
    if cut.where == "offset":
        return text[: cut.at % (len(text) + 1)]
    return text


# --- Bytes ---------------------------------------------------------------------------

ENCODINGS = ("utf-8", "utf-8", "utf-8", "utf-8-sig", "gb18030", "gbk", "crlf", "utf-16")


def encode(text: str, how: str) -> bytes:
    if how == "crlf":
        return text.replace("\n", "\r\n").encode("utf-8")
    if how == "gbk":  # GBK cannot write every character: those become "?"
        return text.encode("gbk", errors="replace")
    return text.encode(how)


byte_flip = st.tuples(index, st.integers(min_value=1, max_value=255))
# Most inputs keep their bytes (a flipped byte mostly makes the file undecodable: refused early).
byte_flips = st.one_of(st.just([]), st.just([]), st.just([]), st.lists(byte_flip, min_size=1, max_size=4))


def flip(data: bytes, flips: list[tuple[int, int]]) -> bytes:
    """XOR a byte at each position (positions modulo the length)."""
    if not data or not flips:
        return data
    out = bytearray(data)
    for at, mask in flips:
        out[at % len(out)] ^= mask
    return bytes(out)


@st.composite
def text_report(draw) -> tuple[str, bytes]:
    """(file name, bytes) of a mutated seed report in the text format."""
    text = mutate_lines(SEED, draw(st.lists(line_op, max_size=6)))
    text = truncate(text, draw(truncation))
    data = encode(text, draw(st.sampled_from(ENCODINGS)))
    data = flip(data, draw(byte_flips))
    return "fuzz-2019.txt", data


# --- HTML ----------------------------------------------------------------------------

BROKEN_MARKUP = (
    "<table>", "</table>", "<tr>", "</tr>", "<td>", "</td>", "<td rowspan=99999>", "<td colspan=99999>",
    '<td rowspan="-1" colspan="0">', '<td colspan="1e9">', "<th rowspan=2>", "<p>", "</p>", "<br>",
    "<![if !supportLists]>", "<![endif]>", "<![CDATA[", "<!--", "-->", "<!DOCTYPE", "<?xml ?>",
    "<script>", "</script>", "<style>", "<title>", "<svg>", "<math>", "<template>", "<table><table><table>",
    "&#0;", "&#x110000;", "&#xD800;", "&nbsp;", "&", "&amp", "<", ">", "</", "<a href='", '"',
    "<meta charset=gbk>", "<meta charset=utf-16>", "<meta charset=undefined>", "<meta charset=idna>",
    "<div>" * 50, "</div>" * 50, "<td>0</td>" * 20, "<tr><td>1</td></tr>" * 10,
    "<h1>2020年某局政府信息公开工作年度报告</h1>", "<p>一、总体情况</p>", "<p>二、主动公开政府信息情况</p>",
)  # fmt: skip

html_op = st.one_of(
    line_op,
    st.tuples(st.just("insert"), index, index, st.sampled_from(BROKEN_MARKUP)),
    st.tuples(st.just("replace_line"), index, st.sampled_from(BROKEN_MARKUP)),
)


def seed_html_text(page: str = "div", closed: bool = True) -> str:
    from tests.render import seed_html

    return seed_html(page=page, closed=closed)


_HTML_PAGES: dict[tuple[str, bool], str] = {}


def html_page(page: str, closed: bool) -> str:
    if (page, closed) not in _HTML_PAGES:
        _HTML_PAGES[page, closed] = seed_html_text(page, closed)
    return _HTML_PAGES[page, closed]


@st.composite
def html_report(draw) -> tuple[str, bytes]:
    """(file name, bytes) of a mutated rendering of the seed as a web page."""
    page = html_page(draw(st.sampled_from(["div", "table"])), draw(st.booleans()))
    text = mutate_lines(page, draw(st.lists(html_op, max_size=6)))
    text = truncate(
        text, draw(st.one_of(st.just(Truncation("none", 0)), st.builds(Truncation, st.just("offset"), index)))
    )
    data = encode(text, draw(st.sampled_from(("utf-8", "utf-8", "gb18030", "crlf"))))
    data = flip(data, draw(byte_flips))
    return draw(st.sampled_from(["fuzz-2019.html", "fuzz-2019.htm"])), data


# --- The property ----------------------------------------------------------------------


@dataclass
class Outcome:
    report: Report | None
    error: ReportError | None
    cpu: float  # CPU seconds of this thread: what the input cost, whatever else the machine runs
    wall: float


def check(name: str, data: bytes) -> Outcome:
    """Read, parse and check ``data`` as file ``name``: a Report (checks run) or a ReportError
    naming the file. Any other exception propagates: that is the failure being looked for."""
    report: Report | None = None
    error: ReportError | None = None
    # Timed with the cyclic garbage collector paused, as ``build`` parses (pipeline.without_cyclic_gc):
    # what is measured is the parser's own work, not a collection of whatever else the process holds.
    with without_cyclic_gc():
        wall, cpu = time.perf_counter(), time.thread_time()
        try:
            report = parse_report(document_from_bytes(name, data))
        except ReportError as exc:
            error = exc
        else:
            report.checks = run_checks(report)
        cpu, wall = time.thread_time() - cpu, time.perf_counter() - wall
    if error is not None:
        assert error.problems, "a ReportError without any problem"
        assert all(p.file == name for p in error.problems), f"a problem names another file: {error}"
        assert str(error).startswith(name), str(error)
    else:
        assert isinstance(report, Report)
        assert report.source_file == name
        assert all(isinstance(c, Check) and c.passed in (True, False, None) for c in report.checks)
    return Outcome(report, error, cpu, wall)

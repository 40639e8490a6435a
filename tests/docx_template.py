"""The official blank 2021 Word template, filled in with python-docx as an agency would.

The template (``shared/corpus/official-template-2021-blank.docx``) has merged
cells, line breaks inside header cells and full-width-space blanks. ``fill``
writes a title, a paragraph per section and every value cell of tables 二/三/四
from a ``Filling`` (made-up figures); a value of None leaves the template's own
blank (empty, or ``　``) in place. Variants reshape the filled file as real
reports do: table 二 on a uniform grid (no merged cells, trailing empty cells).
"""

from __future__ import annotations

import copy
import io
from dataclasses import dataclass, field
from pathlib import Path

CORPUS = Path(__file__).parents[1] / ".." / "shared" / "corpus"
TEMPLATE = CORPUS / "official-template-2021-blank.docx"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

Values = list[str | None]


@dataclass
class Filling:
    title: str
    prose: dict[str, str]  # section numeral → the paragraph replacing the template's （文字描述）
    table2: dict[tuple[str, str], Values]  # (item, content) → its value cells, left to right
    table3: dict[str, Values]  # row label as printed in the template → the seven cells
    table4: Values  # the fifteen cells
    table2_headers: dict[str, list[str]] = field(default_factory=dict)  # item → header texts to print instead


def _text(tc) -> str:
    return "".join(t.text or "" for t in tc.iter(W + "t"))


def _set(tc, text: str) -> None:
    """Write ``text`` as the cell's only run (the first paragraph's formatting kept)."""
    paragraphs = tc.findall(W + "p")
    for p in paragraphs[1:]:
        tc.remove(p)
    p = paragraphs[0]
    runs = p.findall(W + "r")
    for r in runs[1:]:
        p.remove(r)
    if runs:
        run = runs[0]
        for child in list(run):
            if child.tag != W + "rPr":
                run.remove(child)
    else:
        run = p.makeelement(W + "r", {})
        p.append(run)
    t = run.makeelement(W + "t", {})
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    run.append(t)


def _rows(table) -> list[list]:
    return [list(tr.iter(W + "tc")) for tr in table._tbl.iter(W + "tr")]


def _fill_values(tcs: list, values: Values) -> None:
    """The values into the first cells (a uniform grid has spare cells after them)."""
    for tc, value in zip(tcs, values, strict=False):
        if value is not None:
            _set(tc, value)


def fill(filling: Filling, uniform_table2: bool = False) -> bytes:
    import docx

    document = docx.Document(str(TEMPLATE))
    section = ""
    for p in document.paragraphs:
        text = p.text.strip()
        if "年度报告" in text and not section:
            _set_paragraph(p, filling.title)
            continue
        if text[:2] in ("一、", "二、", "三、", "四、", "五、", "六、"):
            section = text[0]
        elif text.startswith("（文字描述") and section in filling.prose:
            _set_paragraph(p, filling.prose[section])
    t2, t3, t4 = document.tables
    if uniform_table2:
        _uniform_grid(t2)
    item = ""
    for tcs in _rows(t2):
        first = _text(tcs[0]).strip()
        if first.startswith("第二十条"):
            item = first
        elif first == "信息内容" and item in filling.table2_headers:
            _fill_values(tcs[1:], filling.table2_headers[item])
        elif (item, first) in filling.table2:
            _fill_values(tcs[1:], filling.table2[(item, first)])
    for tcs in _rows(t3):
        labels = [_text(tc).strip() for tc in tcs[:-7]]
        label = next((t for t in reversed(labels) if t), "")
        if label in filling.table3:
            _fill_values(tcs[-7:], filling.table3[label])
    _fill_values(_rows(t4)[-1], filling.table4)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _set_paragraph(paragraph, text: str) -> None:
    for run in paragraph.runs[1:]:
        run._r.getparent().remove(run._r)
    if paragraph.runs:
        paragraph.runs[0].text = text
    else:
        paragraph.add_run(text)


def _uniform_grid(table) -> None:
    """Every merged cell split back into single grid cells: the text stays in the first,
    the others are empty and unmerged (as a table drawn on a uniform grid prints)."""
    for tc in list(table._tbl.iter(W + "tc")):
        props = tc.find(W + "tcPr")
        span = props.find(W + "gridSpan") if props is not None else None
        if span is None:
            continue
        width = int(span.get(W + "val"))
        props.remove(span)
        for _ in range(width - 1):
            spare = copy.deepcopy(tc)
            _set(spare, "")
            tc.addnext(spare)

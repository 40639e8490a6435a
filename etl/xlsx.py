"""A minimal XLSX (Office Open XML) writer: sheets of typed cells, a frozen and filterable header
row, column widths, dates; nothing else (no shared strings, no formulas, no styles but dates).

Why our own: the review of a province is 2,000 rows with megabytes of evidence text; openpyxl
took ~5 s and XlsxWriter ~1 s for it (per-cell objects and calls), this ~0.2 s (one string per
row, the zip's deflate at its fastest level). Read back by openpyxl, pandas and Excel.
"""

from __future__ import annotations

import datetime
import io
import math
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # not allowed in XML 1.0
# The same characters: U+0000–U+001F as UTF-8 bytes (each is one byte that no other character's
# encoding holds: lead bytes are ≥ 0xC2, the others 0x80–0xBF), and the two noncharacters.
_CONTROL_BYTES = bytes(c for c in range(0x20) if chr(c) not in "\t\n\r")
_NONCHARACTERS = ("\ufffe", "\uffff")
_EPOCH = datetime.datetime(1899, 12, 30)
_DATE_STYLE = 1  # cellXfs index of the date-time format in _STYLES
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


@dataclass(frozen=True)
class Sheet:
    """One worksheet: its name (valid already), header row, rows and column widths (characters)."""

    name: str
    header: Sequence[str]
    rows: Iterable[Sequence[Any]]
    widths: Sequence[float]
    n_rows: int  # data rows (for the filter's range)
    freeze_header: bool = True


# Excel refuses a workbook with a longer cell (it "repairs" it away): a longer text is cut there,
# and says so (the CSV downloads hold it whole).
EXCEL_MAX_CHARS = 32_767
CUT_NOTE = "…（超出Excel单元格32,767字的上限，以下从略）"


def _text(value: str) -> str:
    """Text escaped for XML, cut at Excel's limit. The characters XML forbids are dropped from the
    part's bytes (:func:`_xml_bytes`), except in a text over the limit, where the cut counts what
    is kept. Each escape only where its character is (``in`` is several times faster than a
    ``replace`` that finds nothing, on a province's 6 million characters)."""
    if len(value) > EXCEL_MAX_CHARS:
        value = _CONTROL.sub("", value)
        if len(value) > EXCEL_MAX_CHARS:
            value = value[: EXCEL_MAX_CHARS - len(CUT_NOTE)] + CUT_NOTE
    if "&" in value:
        value = value.replace("&", "&amp;")
    if "<" in value:
        value = value.replace("<", "&lt;")
    if ">" in value:
        value = value.replace(">", "&gt;")
    if '"' in value:
        value = value.replace('"', "&quot;")
    return value


def _xml_bytes(xml: str) -> bytes:
    """A part's XML in UTF-8, without the characters XML 1.0 forbids. Dropped here, from large
    pieces of bytes, rather than from each cell's text: the regex over every text cost more
    than the rest of its escaping (a ``search`` first as much: the scan is the cost), and
    ``bytes.translate`` a third of it."""
    for noncharacter in _NONCHARACTERS:  # a character's search: faster in str than in bytes
        if noncharacter in xml:
            xml = xml.replace(noncharacter, "")
    return xml.encode("utf-8").translate(None, _CONTROL_BYTES)


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _cell(ref: str, value: Any) -> str:
    """One cell's XML; "" for a blank (None, NaN, NA, NaT): left out, never 0."""
    kind = type(value)  # the common kinds first, by exact type (a province's review: 34,000 cells)
    if kind is str:
        return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{_text(value)}</t></is></c>'
    if kind is int or (kind is float and math.isfinite(value)):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        if isinstance(value, float) and math.isnan(value):
            return ""
        if math.isfinite(value):
            return f'<c r="{ref}"><v>{value!r}</v></c>'
        value = str(value)
    elif isinstance(value, datetime.datetime | datetime.date):
        when = (
            value
            if isinstance(value, datetime.datetime)
            else datetime.datetime.combine(value, datetime.time())
        )
        serial = (when.replace(tzinfo=None) - _EPOCH) / datetime.timedelta(days=1)
        return f'<c r="{ref}" s="{_DATE_STYLE}"><v>{serial!r}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{_text(str(value))}</t></is></c>'


def _row(letters: list[str], r: int, values: Sequence[Any]) -> str:
    cells = "".join([_cell(f"{c}{r}", v) for c, v in zip(letters, values, strict=False)])
    return f'<row r="{r}">{cells}</row>'


def _sheet_xml(sheet: Sheet) -> Iterable[str]:
    letters = [column_letter(j) for j in range(max(len(sheet.header), 1))]
    last = f"{letters[-1]}{sheet.n_rows + 1}"
    yield f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {_NS}>'
    yield f'<dimension ref="A1:{last}"/>'
    yield '<sheetViews><sheetView workbookViewId="0">'
    if sheet.freeze_header and sheet.header:
        yield '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        yield '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
    yield "</sheetView></sheetViews>"
    if sheet.widths:
        cols = "".join(
            f'<col min="{j}" max="{j}" width="{w:.2f}" customWidth="1"/>'
            for j, w in enumerate(sheet.widths, 1)
        )
        yield f"<cols>{cols}</cols>"
    yield "<sheetData>"
    if sheet.header:
        yield _row(letters, 1, sheet.header)
    for r, row in enumerate(sheet.rows, start=2):
        yield _row(letters, r, row)
    yield "</sheetData>"
    if sheet.freeze_header and sheet.header:
        yield f'<autoFilter ref="A1:{last}"/>'
    yield "</worksheet>"


_STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet {_NS}><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm:ss"/></numFmts>
<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>
<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>"""


def _quote_sheet(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def workbook(sheets: Sequence[Sheet]) -> bytes:
    """The workbook's bytes: one worksheet per :class:`Sheet`, in order (at least one)."""
    n = len(sheets)
    types = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, n + 1)
    )
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        f"{types}</Types>"
    )
    root_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    book_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(
            f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, n + 1)
        )
        + f'<Relationship Id="rId{n + 1}" Type="{_REL}/styles" Target="styles.xml"/></Relationships>'
    )
    filters = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
        f"{_text(_quote_sheet(s.name))}!$A$1:${column_letter(max(len(s.header), 1) - 1)}${s.n_rows + 1}</definedName>"
        for i, s in enumerate(sheets)
        if s.freeze_header and s.header
    )
    book = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook {_NS} xmlns:r="{_REL}">'
        "<bookViews><workbookView/></bookViews><sheets>"
        + "".join(
            f'<sheet name="{_text(s.name)}" sheetId="{i}" r:id="rId{i}"/>' for i, s in enumerate(sheets, 1)
        )
        + "</sheets>"
        + (f"<definedNames>{filters}</definedNames>" if filters else "")
        + "</workbook>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", content_types)
        z.writestr("_rels/.rels", root_rels)
        z.writestr("xl/workbook.xml", _xml_bytes(book))
        z.writestr("xl/_rels/workbook.xml.rels", book_rels)
        z.writestr("xl/styles.xml", _STYLES)
        for i, sheet in enumerate(sheets, 1):
            with z.open(f"xl/worksheets/sheet{i}.xml", "w") as part:
                chunks: list[str] = []
                for chunk in _sheet_xml(sheet):
                    chunks.append(chunk)
                    if len(chunks) >= 500:  # deflate in large pieces
                        part.write(_xml_bytes("".join(chunks)))
                        chunks.clear()
                part.write(_xml_bytes("".join(chunks)))
    return buf.getvalue()

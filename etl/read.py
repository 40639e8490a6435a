"""Read step: a report file into a Document (the intermediate form), or a clear refusal.

Text reports arrive as UTF-8 (with or without BOM) or GBK/GB18030, with LF or
CRLF line ends; web pages as HTML; others as Word (.docx) or PDF files. Each
format has its reader; anything empty, binary or unsupported is refused here,
before parsing, and a file over the size limit is refused before it is read.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from .document import Document, Line, assemble, find_title
from .layout import text_document
from .model import Problem, ReportError

MAX_BYTES = 20 * 1024 * 1024
# Control characters that never occur in a text file (all below 32 but \t \n \f \r).
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")
TEXT_SUFFIXES = (".txt",)
HTML_SUFFIXES = (".html", ".htm")
REPORT_SUFFIXES = (".txt", ".html", ".htm", ".docx", ".pdf")


@dataclass(frozen=True)
class SourceText:
    name: str  # file name as shown in messages
    text: str
    sha256: str
    encoding: str


def refuse(name: str, place: str, reason: str) -> ReportError:
    return ReportError([Problem(name, place, reason)])


def decode(name: str, data: bytes) -> tuple[str, str]:
    """Decode bytes as UTF-8 (BOM allowed) or GB18030; refuse binary data."""
    if not data.strip():
        raise refuse(name, "整个文件", "文件为空")
    if b"\x00" in data[:65536]:
        raise refuse(name, "整个文件", "不是文本文件（含二进制数据）")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        controls = len(_CONTROLS.findall(text, 0, 65536))
        if controls > 8:
            raise refuse(name, "整个文件", "不是文本文件（含控制字符，疑似二进制数据）")
        return text, "utf-8" if encoding == "utf-8-sig" else encoding
    raise refuse(name, "整个文件", "无法识别的文字编码（既不是 UTF-8 也不是 GBK/GB18030）")


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]{2,20})""", re.I)


def decode_html(name: str, data: bytes) -> tuple[str, str]:
    """An HTML page in the charset its <meta> declares, else as any text file."""
    m = _META_CHARSET.search(data[:4096])
    if m and not data.startswith(b"\xef\xbb\xbf"):
        declared = m.group(1).decode("ascii").lower()
        if declared in ("gbk", "gb2312", "gb-2312"):
            declared = "gb18030"
        try:
            return data.decode(declared), declared
        except (LookupError, UnicodeError):  # UnicodeError: codecs such as "undefined" or "idna" raise it
            pass
    return decode(name, data)


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_bytes(name: str, data: bytes) -> SourceText:
    if len(data) > MAX_BYTES:
        raise refuse(name, "整个文件", f"文件过大（超过 {MAX_BYTES // (1024 * 1024)} MB）")
    text, encoding = decode(name, data)
    return SourceText(name, normalise_newlines(text), hashlib.sha256(data).hexdigest(), encoding)


def read_file(path: Path) -> SourceText:
    """Read one text report from disk (size checked before reading it in)."""
    name = path.name
    if path.suffix.lower() not in TEXT_SUFFIXES:
        raise refuse(name, "文件类型", f"不支持的文件类型“{path.suffix}”，这里只读取 .txt")
    return read_bytes(name, _file_bytes(path))


def _file_bytes(path: Path) -> bytes:
    name = path.name
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise refuse(name, "整个文件", f"文件过大（超过 {MAX_BYTES // (1024 * 1024)} MB）")
        return path.read_bytes()
    except OSError as exc:
        raise refuse(name, "整个文件", f"无法读取文件：{exc.strerror or exc}") from None


def read_document(path: Path) -> Document:
    """Any supported report file on disk → a Document."""
    if path.suffix.lower() not in REPORT_SUFFIXES:
        raise refuse(
            path.name, "文件类型", f"不支持的文件类型“{path.suffix}”（支持 {'、'.join(REPORT_SUFFIXES)}）"
        )
    return document_from_bytes(path.name, _file_bytes(path))


def document_from_bytes(name: str, data: bytes) -> Document:
    """A report's bytes (named by its file name) → a Document, by the name's suffix."""
    suffix = Path(name).suffix.lower()
    if len(data) > MAX_BYTES:
        raise refuse(name, "整个文件", f"文件过大（超过 {MAX_BYTES // (1024 * 1024)} MB）")
    if suffix in TEXT_SUFFIXES:
        source = read_bytes(name, data)
        return txt_document(name, source.sha256, source.text)
    if not data.strip():
        raise refuse(name, "整个文件", "文件为空")
    sha = hashlib.sha256(data).hexdigest()
    if suffix in HTML_SUFFIXES:
        from .read_html import html_blocks

        text, _encoding = decode_html(name, data)
        return assemble(name, sha, "html", html_blocks(normalise_newlines(text)))
    if suffix == ".docx":
        from .read_docx import docx_blocks

        return assemble(name, sha, "docx", docx_blocks(name, data))
    if suffix == ".pdf":
        from .read_pdf import pdf_blocks

        return assemble(name, sha, "pdf", pdf_blocks(name, data))
    raise refuse(name, "文件类型", f"不支持的文件类型“{suffix}”（支持 {'、'.join(REPORT_SUFFIXES)}）")


# Lines before the first heading looked at for a text report's title (a title is at the top).
TITLE_LINES = 200


def txt_document(name: str, sha256: str, text: str) -> Document:
    """A text report as a Document, its title found as in the other formats
    (``document.find_title``: split over two or three lines, chrome before it, never a
    body sentence) among the lines before its first section heading."""
    doc = text_document(name, sha256, text)
    first_heading = min((s.heading.number for s in doc.sections.values()), default=TITLE_LINES + 1)
    lines = []
    for number, line in enumerate(text.split("\n", TITLE_LINES)[: min(first_heading - 1, TITLE_LINES)], 1):
        if line.strip() and line[:1] != "\t":
            lines.append(Line(number, line.strip()))
    title = find_title(lines)
    if title is None or (doc.title is not None and title.text == doc.title.text.strip()):
        return doc
    return dataclasses.replace(doc, title=title)

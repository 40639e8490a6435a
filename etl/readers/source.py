"""A report's bytes, checked before any reader sees them: the size limit, empty or binary
files, text encodings (UTF-8 with or without BOM, GBK/GB18030; LF or CRLF), and the one
way every reader refuses a file (:func:`refuse`, naming the file and the place)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from ..model import Problem, ReportError

MAX_BYTES = 20 * 1024 * 1024
# Control characters that never occur in a text file (all below 32 but \t \n \f \r).
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")
TEXT_SUFFIXES = (".txt",)
HTML_SUFFIXES = (".html", ".htm")
REPORT_SUFFIXES = (".txt", ".html", ".htm", ".docx", ".pdf", ".doc", ".wps")


@dataclass(frozen=True)
class SourceText:
    name: str  # file name as shown in messages
    text: str
    sha256: str
    encoding: str


def refuse(name: str, place: str, reason: str) -> ReportError:
    return ReportError([Problem(name, place, reason)])


def check_size(name: str, size: int) -> None:
    """Refuse a file over the size limit (before it is read in, where the size is known)."""
    if size > MAX_BYTES:
        raise refuse(name, "整个文件", f"文件过大（超过 {MAX_BYTES // (1024 * 1024)} MB）")


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
    check_size(name, len(data))
    text, encoding = decode(name, data)
    return SourceText(name, normalise_newlines(text), hashlib.sha256(data).hexdigest(), encoding)


def read_file(path: Path) -> SourceText:
    """Read one text report from disk (size checked before reading it in)."""
    name = path.name
    if path.suffix.lower() not in TEXT_SUFFIXES:
        raise refuse(name, "文件类型", f"不支持的文件类型“{path.suffix}”，这里只读取 .txt")
    return read_bytes(name, file_bytes(path))


def file_bytes(path: Path) -> bytes:
    name = path.name
    try:
        check_size(name, path.stat().st_size)
        return path.read_bytes()
    except OSError as exc:
        raise refuse(name, "整个文件", f"无法读取文件：{exc.strerror or exc}") from None

"""Read step: a report file's bytes into clean text, or a clear refusal.

Published reports arrive as UTF-8 (with or without BOM) or GBK/GB18030, with
LF or CRLF line ends. Anything empty or binary is refused here, before parsing.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from .model import Problem, ReportError

MAX_BYTES = 20 * 1024 * 1024
# Control characters that never occur in a text file (all below 32 but \t \n \f \r).
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")
TEXT_SUFFIXES = (".txt",)


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


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_bytes(name: str, data: bytes) -> SourceText:
    if len(data) > MAX_BYTES:
        raise refuse(name, "整个文件", f"文件过大（超过 {MAX_BYTES // (1024 * 1024)} MB）")
    text, encoding = decode(name, data)
    return SourceText(name, normalise_newlines(text), hashlib.sha256(data).hexdigest(), encoding)


def read_file(path: Path) -> SourceText:
    """Read one report file from disk (size checked before reading it in)."""
    name = path.name
    if path.suffix.lower() not in TEXT_SUFFIXES:
        raise refuse(name, "文件类型", f"不支持的文件类型“{path.suffix}”，目前只读取 .txt")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise refuse(name, "整个文件", f"文件过大（超过 {MAX_BYTES // (1024 * 1024)} MB）")
        data = path.read_bytes()
    except OSError as exc:
        raise refuse(name, "整个文件", f"无法读取文件：{exc.strerror or exc}") from None
    return read_bytes(name, data)

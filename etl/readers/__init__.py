"""Read step: a report file into a Document (the intermediate form), or a clear refusal.

One module per format — :mod:`.text_file` (the seed's text), :mod:`.html_page` (with
:mod:`.html_grid`), :mod:`.docx_file` (and :mod:`.office` for old .doc/.wps, via LibreOffice), :mod:`.pdf_file` (with :mod:`.pdf_layout`) — and
:mod:`.source` for what they share (size limit, encodings, refusals). Anything empty,
binary or unsupported is refused before parsing, a file over the size limit before it is
read.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..document import Document, assemble
from .docx_file import docx_blocks
from .html_page import html_blocks
from .office import OLD_WORD_SUFFIXES, is_docx, old_word_to_docx
from .pdf_file import pdf_blocks
from .source import (
    HTML_SUFFIXES,
    MAX_BYTES,
    REPORT_SUFFIXES,
    TEXT_SUFFIXES,
    SourceText,
    check_size,
    decode_html,
    file_bytes,
    normalise_newlines,
    read_bytes,
    read_file,
    refuse,
)
from .text_file import text_document

__all__ = [
    "MAX_BYTES",
    "REPORT_SUFFIXES",
    "SourceText",
    "document_from_bytes",
    "read_bytes",
    "read_document",
    "read_file",
    "text_document",
]


def read_document(path: Path) -> Document:
    """Any supported report file on disk → a Document."""
    if path.suffix.lower() not in REPORT_SUFFIXES:
        raise refuse(
            path.name, "文件类型", f"不支持的文件类型“{path.suffix}”（支持 {'、'.join(REPORT_SUFFIXES)}）"
        )
    return document_from_bytes(path.name, file_bytes(path))


def document_from_bytes(name: str, data: bytes) -> Document:
    """A report's bytes (named by its file name) → a Document, by the name's suffix."""
    suffix = Path(name).suffix.lower()
    check_size(name, len(data))
    if suffix in TEXT_SUFFIXES:
        source = read_bytes(name, data)
        return text_document(name, source.sha256, source.text)
    if not data.strip():
        raise refuse(name, "整个文件", "文件为空")
    sha = hashlib.sha256(data).hexdigest()
    if suffix in HTML_SUFFIXES:
        text, _encoding = decode_html(name, data)
        return assemble(name, sha, "html", html_blocks(normalise_newlines(text)))
    if suffix == ".docx":
        return assemble(name, sha, "docx", docx_blocks(name, data))
    if suffix == ".pdf":
        return assemble(name, sha, "pdf", pdf_blocks(name, data))
    if suffix in OLD_WORD_SUFFIXES:  # converted by LibreOffice, then read as the .docx it becomes
        docx = data if is_docx(data) else old_word_to_docx(name, data)
        return assemble(name, sha, "docx", docx_blocks(name, docx))
    raise refuse(name, "文件类型", f"不支持的文件类型“{suffix}”（支持 {'、'.join(REPORT_SUFFIXES)}）")

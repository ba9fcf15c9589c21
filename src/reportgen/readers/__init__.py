"""Readers: a report's bytes back into the Document, one module per format, all with the signature
``read(raw: bytes, options: ReadOptions) -> Document`` (the mirror of the writers'). ``READERS``
maps a format name to its reader, ``reader_for`` raises a typed error for an unknown one, and
``detect_format`` picks one from the file name or the content."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from ..document import Document
from ..errors import UsageError
from . import docx, html, legacy, markdown, pdf, text
from .common import ReadOptions

READERS: dict[str, Callable[[bytes, ReadOptions], Document]] = {
    "txt": text.read, "docx": docx.read, "html": html.read, "md": markdown.read, "pdf": pdf.read,
    **{kind: legacy.reader(kind) for kind in legacy.KINDS}}
EXTENSIONS = {".txt": "txt", ".text": "txt", ".docx": "docx", ".html": "html", ".htm": "html", ".xhtml": "html",
              ".md": "md", ".markdown": "md", ".pdf": "pdf",
              **{suffix: kind for kind, (_, suffix) in legacy.KINDS.items()}}


def reader_for(fmt: str) -> Callable[[bytes, ReadOptions], Document]:
    try:
        return READERS[fmt]
    except KeyError:
        raise UsageError(f"未知的输入格式“{fmt}”；可用：{'、'.join(READERS)}") from None


def detect_format(name: str, raw: bytes) -> str:
    """The format from the file's extension, else from its first bytes."""
    ext = EXTENSIONS.get(Path(name).suffix.lower())
    if ext:
        return ext
    if raw[:1024].lstrip().startswith(b"%PDF-"):
        return "pdf"
    if raw.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):  # an OLE2 compound file: Word 97–2003, WPS
        return "doc"
    if raw.startswith(b"{\\rtf"):
        return "rtf"
    if raw.startswith(b"PK\x03\x04"):
        return "odt" if raw[30:38] == b"mimetype" and b"opendocument.text" in raw[38:100] else "docx"
    head = raw[:2048].lower()
    if b"<html" in head or b"<!doctype html" in head or b"<table" in head or b"<body" in head:
        return "html"
    return "txt"


__all__ = ["EXTENSIONS", "READERS", "ReadOptions", "detect_format", "reader_for"]

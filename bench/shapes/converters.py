"""The text shapes made from a PDF: each converter takes PDF bytes and returns (suffix, bytes) the
project's reader can open (``.txt`` for plain text)."""
from __future__ import annotations

import io
import subprocess
import tempfile
from pathlib import Path


def _pdftotext(pdf: bytes, *flags: str) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.pdf"
        src.write_bytes(pdf)
        return subprocess.run(["pdftotext", *flags, "-enc", "UTF-8", str(src), "-"], check=True,
                              capture_output=True, timeout=120).stdout


def pdftotext_layout(pdf: bytes) -> tuple[str, bytes]:
    return ".txt", _pdftotext(pdf, "-layout")


def pdftotext_raw(pdf: bytes) -> tuple[str, bytes]:
    return ".txt", _pdftotext(pdf, "-raw")


def pypdf_text(pdf: bytes) -> tuple[str, bytes]:
    from pypdf import PdfReader
    reader = PdfReader(io.BytesIO(pdf))
    return ".txt", "\n".join(p.extract_text() or "" for p in reader.pages).encode("utf-8")


def pdfminer_text(pdf: bytes) -> tuple[str, bytes]:
    from pdfminer.high_level import extract_text
    return ".txt", extract_text(io.BytesIO(pdf)).encode("utf-8")


def pdf_itself(pdf: bytes) -> tuple[str, bytes]:
    return ".pdf", pdf


SHAPES = {
    "pdf": pdf_itself,
    "pdftotext-layout": pdftotext_layout,
    "pdftotext-raw": pdftotext_raw,
    "pypdf": pypdf_text,
    "pdfminer": pdfminer_text,
}

"""Report data → docx (the project's renderer) → PDF (LibreOffice via ``reportgen.office``), cached by
data hash under ~/.cache/reportgen-shapes so repeated runs skip LibreOffice."""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from reportgen.loader import validate_data
from reportgen.office import convert
from reportgen.render import render_loaded

CACHE = Path(os.environ.get("REPORTGEN_SHAPES_CACHE", Path.home() / ".cache" / "reportgen-shapes"))


def _key(data: dict, layout: str) -> str:
    return hashlib.sha256(json.dumps([data, layout], ensure_ascii=False, sort_keys=True, default=str).encode()).hexdigest()[:24]


def docx(data: dict) -> bytes:
    return render_loaded(validate_data(data), ["docx"])["docx"]


def pdf(data: dict, layout: str = "default") -> bytes:
    """The report rendered to PDF through LibreOffice (cached)."""
    path = CACHE / f"{_key(data, layout)}.pdf"
    if path.exists():
        return path.read_bytes()
    blob = convert(docx(data), ".docx", "pdf")
    CACHE.mkdir(parents=True, exist_ok=True)
    path.write_bytes(blob)
    return blob

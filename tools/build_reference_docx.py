"""Rebuild templates/reference.docx, reportgen's default house style (see writers/docx_reference.py)."""
from pathlib import Path

from reportgen.writers.docx_reference import build_reference_docx

target = Path(__file__).resolve().parents[1] / "templates" / "reference.docx"
target.write_bytes(build_reference_docx())
print(f"wrote {target} ({target.stat().st_size} bytes)")

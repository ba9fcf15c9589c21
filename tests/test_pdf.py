"""Where LibreOffice is installed, the docx converts to PDF and reads back with every label."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from conftest import ROOT
from reportgen.tables.edition2021 import TABLES
from reportgen.writers.docx import write_docx

soffice = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(not (soffice and shutil.which("pdftotext")), reason="LibreOffice/poppler not installed")


def test_docx_converts_to_pdf_with_all_labels(document, tmp_path):
    src = tmp_path / "report.docx"
    src.write_bytes(write_docx(document))
    env = {"FONTCONFIG_FILE": str(ROOT / "templates" / "fontconfig" / "fonts.conf"), "HOME": str(tmp_path),
           "PATH": "/usr/bin:/bin"}
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(src)], check=True, capture_output=True, timeout=180, env=env)
    pdf = tmp_path / "report.pdf"
    assert pdf.exists()
    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = "".join(text.split())
    for spec in TABLES:
        for cell in spec.layout({}).cells:
            if cell.role != "value":
                assert cell.text in flat, cell.text
    assert "—1—" in flat and "—2—" in flat
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "CJK" in fonts or "UKai" in fonts

"""Where LibreOffice is installed, the docx converts to PDF and reads back with every label:
the 2021 and 2019 editions, and a Traditional-script report (whose docx uses GBK fonts)."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from conftest import ROOT
from reportgen.compose import compose
from reportgen.loader import load_report
from reportgen.writers.docx import write_docx

soffice = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(not (soffice and shutil.which("pdftotext")), reason="LibreOffice/poppler not installed")


def to_pdf(doc, tmp_path) -> tuple[str, str]:
    """The PDF's text (whitespace removed) and its pdffonts listing."""
    src = tmp_path / "report.docx"
    src.write_bytes(write_docx(doc))
    env = {"FONTCONFIG_FILE": str(ROOT / "templates" / "fontconfig" / "fonts.conf"), "HOME": str(tmp_path),
           "PATH": "/usr/bin:/bin"}
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(src)], check=True, capture_output=True, timeout=180, env=env)
    pdf = tmp_path / "report.pdf"
    assert pdf.exists()
    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    return "".join(text.split()), fonts


@pytest.mark.parametrize("example", ["report-2021.yaml", "seed-004-2019-edition-2020.yaml"])
def test_docx_converts_to_pdf_with_all_labels(example, tmp_path):
    loaded = load_report(str(ROOT / "examples" / example))
    flat, fonts = to_pdf(compose(loaded), tmp_path)
    for spec in loaded.edition.tables:
        for cell in spec.layout({}).cells:
            if cell.role != "value":
                assert cell.text in flat, cell.text
    assert "—1—" in flat and "—2—" in flat
    assert "CJK" in fonts or "UKai" in fonts


def test_traditional_report_converts_to_pdf(tmp_path):
    doc = compose(load_report(str(ROOT / "examples" / "seed-001-freeform-2012-zh-TW.yaml")))
    flat, fonts = to_pdf(doc, tmp_path)
    assert "清新區2012年政府信息公開工作年度報告" in flat
    assert "七、改進措施" in flat
    assert "CJK" in fonts

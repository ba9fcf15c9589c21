"""A title printed over two lines still gives the report's year and agency (txt, html, docx)."""
import io

import pytest

from reportgen.model import K
from reportgen.reading import parse_bytes

AGENCY = "淮安市交通运输局"
SPLITS = [
    (AGENCY, "2023年度政府信息公开工作年度报告"),
    (AGENCY + "2023年政府信息公开", "工作年度报告"),
    (AGENCY + "2023", "年政府信息公开工作年度报告"),
]
BODY = "一、总体情况\n本局认真贯彻落实《条例》。\n"


def _txt(first, second):
    return f"{first}\n{second}\n\n{BODY}".encode()


def _html(first, second):
    return (f'<html><body><p style="text-align:center"><b>{first}</b></p>'
            f'<p style="text-align:center"><b>{second}</b></p><h2>一、总体情况</h2>'
            f"<p>本局认真贯彻落实《条例》。</p></body></html>").encode()


def _docx(first, second):
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    d = docx.Document()
    for line in (first, second):
        p = d.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        r = p.add_run(line)
        r.bold = True
    d.add_heading("一、总体情况", level=1)
    d.add_paragraph("本局认真贯彻落实《条例》。")
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


@pytest.mark.parametrize("fmt, make", [("txt", _txt), ("html", _html), ("docx", _docx)])
@pytest.mark.parametrize("first, second", SPLITS)
def test_year_and_agency_of_a_split_title(fmt, make, first, second):
    result = parse_bytes(make(first, second), fmt, f"report.{fmt}")
    assert result.data[K.year] == 2023
    assert result.data[K.agency] == AGENCY


def test_split_title_in_a_pdf(tmp_path):
    """A PDF made from the Word file by LibreOffice: the title's second line is read run into
    the first heading; the year and agency are still found."""
    import shutil
    import subprocess
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) not installed")
    src = tmp_path / "t.docx"
    src.write_bytes(_docx(*SPLITS[0]))
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(src)], check=True, capture_output=True, timeout=120)
    result = parse_bytes((tmp_path / "t.pdf").read_bytes(), "pdf", "t.pdf")
    assert result.data[K.year] == 2023
    assert result.data[K.agency] == AGENCY

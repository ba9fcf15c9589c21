"""Reference docx files made elsewhere, through ``reportgen render --reference-doc`` (the
corpus tests/fixtures/bad/reference-*.docx, made by make_bad_reference.py): markup characters
and Chinese in style ids and names give a Word file every reader opens (python-docx, lxml,
LibreOffice); a section without its page size or margins takes GB/T 9704's; a page setup that
cannot be used or a part that is not well-formed XML is refused with the reference named, and
nothing is written."""
from __future__ import annotations

import io
import shutil
import subprocess
import sys
import zipfile

import docx
import pytest
from click.testing import CliRunner
from docx.shared import Mm
from lxml import etree

from conftest import EXAMPLE, ROOT
from reportgen.cli import main
from reportgen.formats.docx import W

BAD = ROOT / "tests" / "fixtures" / "bad"
MARKUP = BAD / "reference-markup-style-ids.docx"


def render(tmp_path, reference, formats: str = "docx"):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["render", str(EXAMPLE), "-o", str(out), "-f", formats,
                                       "--reference-doc", str(reference)])
    return result, out


def parts(blob: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(blob)) as z:
        return {name: z.read(name) for name in z.namelist()}


def test_the_corpus_is_what_the_script_makes(tmp_path):
    subprocess.run([sys.executable, str(BAD / "make_bad_reference.py"), str(tmp_path)], check=True)
    made = sorted(p.name for p in tmp_path.iterdir())
    assert made == sorted(p.name for p in BAD.glob("reference-*.docx")) and len(made) == 8
    for name in made:
        assert (tmp_path / name).read_bytes() == (BAD / name).read_bytes(), f"{name}: run make_bad_reference.py"


# --- markup in style ids and names ---------------------------------------------------------

def test_markup_in_style_ids_and_names_gives_a_word_file_that_opens(tmp_path):
    result, out = render(tmp_path, MARKUP)
    assert result.exit_code == 0, result.output
    assert "已生成" in result.output and "缺少样式" not in result.output
    blob = (out / "report-2021.docx").read_bytes()
    for name, data in parts(blob).items():  # what Word refused: a part that does not parse
        if name.endswith((".xml", ".rels")):
            etree.fromstring(data)
    word = docx.Document(io.BytesIO(blob))
    body = word.element.body
    styles_used = [p.get(W + "val") for p in body.iter(W + "pStyle")]
    assert styles_used[0] == '标题&"1"'  # the title, in the reference's Title (found by its name)
    assert "1&<2>" in styles_used and '标题 2 "乙"' in styles_used and "表格&正文" in styles_used
    assert {t.get(W + "val") for t in body.iter(W + "tblStyle")} == {"T<1>"}
    assert word.paragraphs[0].text == "云溪市市场监督管理局\n2023年政府信息公开工作年度报告"
    assert word.tables[1].cell(5, 0).text == "三、本年度办理结果"
    footer = word.sections[0].footer._element
    assert footer.find(f"{W}p/{W}pPr/{W}pStyle").get(W + "val") == '页脚&"<1>"'
    names = {s.find(W + "name").get(W + "val") for s in word.styles.element.iter(W + "style")}
    assert '说明 & <注> “甲” "乙"' in names
    again, out2 = render(tmp_path / "again", MARKUP)
    assert again.exit_code == 0 and (out2 / "report-2021.docx").read_bytes() == blob  # deterministic


@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")), reason="LibreOffice/poppler not installed")
def test_markup_in_style_ids_and_names_converts_in_libreoffice(tmp_path):
    result, out = render(tmp_path, MARKUP, "docx,pdf")
    assert result.exit_code == 0, result.output
    text = subprocess.run(["pdftotext", "-raw", str(out / "report-2021.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    flat = "".join(text.split())
    assert "三、本年度办理结果" in flat and "一、总体情况" in flat and "—1—" in flat


# --- page setup ---------------------------------------------------------------------------

GBT = {"top": 37, "bottom": 35, "left": 28, "right": 26, "header": 15, "footer": 23}


@pytest.mark.parametrize("name, given, missing", [
    ("reference-no-pgmar.docx", {}, "上边距 37 毫米、下边距 35 毫米、左边距 28 毫米、右边距 26 毫米"),
    ("reference-no-pgsz.docx", {}, "纸张宽度 210 毫米、纸张高度 297 毫米"),
    ("reference-no-sectpr.docx", {}, "纸张宽度 210 毫米"),
    ("reference-partial-pgmar.docx", {"top": 30, "bottom": 25}, "左边距 28 毫米、右边距 26 毫米"),
])
def test_a_section_without_page_size_or_margins_takes_gbt9704(tmp_path, name, given, missing):
    result, out = render(tmp_path, BAD / name)
    assert result.exit_code == 0, result.output
    assert "内部错误" not in result.output and "已生成" in result.output
    assert name in result.output and "GB/T 9704" in result.output and missing in result.output  # said, not silent
    word = docx.Document(str(out / "report-2021.docx"))
    s = word.sections[0]
    assert abs(s.page_width - Mm(210)) < Mm(0.1) and abs(s.page_height - Mm(297)) < Mm(0.1)
    want = {**GBT, **given}
    got = {"top": s.top_margin, "bottom": s.bottom_margin, "left": s.left_margin, "right": s.right_margin,
           "header": s.header_distance, "footer": s.footer_distance}
    for key, value in got.items():
        assert abs(value - Mm(want[key])) < Mm(0.1), (key, value.mm)
    # the tables span the type area the page setup leaves
    type_width = round((s.page_width - s.left_margin - s.right_margin) / 635)
    assert {int(t._tbl.tblPr.find(W + "tblW").get(W + "w")) for t in word.tables} == {type_width}


@pytest.mark.parametrize("name, said", [
    ("reference-unreadable-margin.docx", "左边距的值“左”无法识别"),
    ("reference-margins-too-wide.docx", "左边距 106 毫米、右边距 106 毫米"),
    ("reference-ill-formed-part.docx", "“customXml/item1.xml”不是格式正确的 XML"),
])
def test_a_reference_that_cannot_be_used_is_refused_and_nothing_is_written(tmp_path, name, said):
    result, out = render(tmp_path, BAD / name, "txt,docx")
    assert result.exit_code == 1, result.output
    assert name in result.output and said in result.output
    assert "已生成" not in result.output and "Traceback" not in result.output and "内部错误" not in result.output
    assert not out.exists() or not list(out.iterdir())  # not the txt either

"""The .docx output, opened with python-docx: every label in its cell with its merges, the
house-style fonts (w:eastAsia, no theme), page setup, page numbers, properties, determinism."""
from __future__ import annotations

import io

import docx
import pytest
from docx.shared import Mm

from reportgen.tables.edition2021 import TABLES
from reportgen.writers.docx import write_docx
from reportgen.formats.docx import W, W_NS

NS = {"w": W_NS}


@pytest.fixture(scope="module")
def blob(document) -> bytes:
    return write_docx(document)


@pytest.fixture(scope="module")
def word(blob):
    return docx.Document(io.BytesIO(blob))


def read_cells(table) -> list[tuple[int, int, int, int, str]]:
    """(row, col, rowspan, colspan, text) for every cell, from gridSpan and vMerge."""
    out = []
    open_cells: dict[int, list] = {}
    for r, tr in enumerate(table._tbl.tr_lst):
        col = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            text = "".join(t.text for t in tc.iter(W + "t"))
            if tc.vMerge == "continue":
                open_cells[col][2] += 1
            else:
                cell = [r, col, 1, span, text]
                out.append(cell)
                if tc.vMerge == "restart":
                    open_cells[col] = cell
            col += span
    return [tuple(c) for c in out]


@pytest.mark.parametrize("index", range(3))
def test_tables_match_their_declaration_cell_by_cell(word, loaded, index):
    spec = TABLES[index]
    expected = spec.layout(loaded.cells(spec.name))
    got = read_cells(word.tables[index])
    want = [(c.row, c.col, c.rowspan, c.colspan, c.text) for c in expected.cells]
    assert sorted(got) == sorted(want)


def test_every_official_label_is_in_its_cell(word):
    labels = {c.text for spec in TABLES for c in spec.layout({}).cells if c.role != "value"}
    found = {text for t in word.tables for (_, _, _, _, text) in read_cells(t)}
    assert labels <= found


def test_result_block_spans_22_rows(word):
    cells = read_cells(word.tables[1])
    assert (5, 0, 22, 1, "三、本年度办理结果") in cells
    assert (0, 0, 3, 3, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）") in cells


def test_values_are_centred_and_table_font_smaller(word):
    styles = word.styles
    assert styles["Table Text"].paragraph_format.alignment == 1  # CENTER
    assert styles["Table Text"].font.size.pt == 10.5
    assert styles["Normal"].font.size.pt == 16


def test_header_rows_repeat_and_rows_do_not_split(word):
    rows = word.tables[1]._tbl.tr_lst
    assert all(r.find(f"{W}trPr/{W}tblHeader") is not None for r in rows[:3])
    assert rows[3].find(f"{W}trPr/{W}tblHeader") is None
    assert all(r.find(f"{W}trPr/{W}cantSplit") is not None for r in rows)


def test_borders(word):
    style = word.styles.element.xpath("//w:style[@w:styleId='ReportTable']//w:tblBorders/*")
    assert {b.tag.split("}")[1] for b in style} == {"top", "left", "bottom", "right", "insideH", "insideV"}
    assert all(b.get(W + "val") == "single" for b in style)
    assert word.tables[0]._tbl.tblPr.find(f"{W}tblStyle").get(W + "val") == "ReportTable"


@pytest.mark.parametrize("style_id, font, size, align", [
    ("Normal", "仿宋_GB2312", 16, "both"),
    ("Title", "方正小标宋简体", 22, "center"),
    ("Heading1", "黑体", 16, "both"),
    ("Heading2", "楷体_GB2312", 16, "both"),
    ("Heading3", "仿宋_GB2312", 16, "both"),
])
def test_house_style_fonts(word, style_id, font, size, align):
    style = word.styles.element.xpath(f"//w:style[@w:styleId='{style_id}']")[0]
    fonts = style.find(f"{W}rPr/{W}rFonts")
    assert fonts.get(W + "eastAsia") == font
    assert fonts.get(W + "ascii") == "Times New Roman"
    assert fonts.get(W + "eastAsiaTheme") is None
    assert int(style.find(f"{W}rPr/{W}sz").get(W + "val")) == size * 2
    assert style.find(f"{W}pPr/{W}jc").get(W + "val") == align
    assert style.find(f"{W}rPr/{W}b").get(W + "val") == "0"  # GB/T 9704: headings are not bold


def test_no_theme_fonts_and_chinese_language(word, blob):
    import zipfile

    z = zipfile.ZipFile(io.BytesIO(blob))
    styles = z.read("word/styles.xml").decode()
    assert "eastAsiaTheme" not in styles and "asciiTheme" not in styles
    assert 'w:eastAsia="zh-CN"' in z.read("word/settings.xml").decode()


def test_body_paragraphs_indent_two_characters_with_fixed_spacing(word):
    normal = word.styles.element.xpath("//w:style[@w:styleId='Normal']/w:pPr")[0]
    assert normal.find(f"{W}ind").get(W + "firstLineChars") == "200"
    spacing = normal.find(f"{W}spacing")
    assert spacing.get(W + "lineRule") == "exact" and spacing.get(W + "line") == "579"  # 28.95 pt


def test_headings_use_heading_styles(word):
    by_style = {}
    for p in word.paragraphs:
        by_style.setdefault(p.style.style_id, []).append(p.text)
    # too long for one line of 2号: broken before the year, not inside a word
    assert by_style["Title"] == ["云溪市市场监督管理局\n2023年政府信息公开工作年度报告"]
    assert by_style["Heading1"][0] == "一、总体情况" and len(by_style["Heading1"]) == 6
    assert by_style["Heading2"][0] == "（一）主动公开"
    assert by_style["Closing"] == ["云溪市市场监督管理局", "2024年1月22日"]


def test_page_setup_is_gbt9704(word):
    s = word.sections[0]
    assert (round(s.page_width.mm), round(s.page_height.mm)) == (210, 297)
    for margin, mm in ((s.top_margin, 37), (s.bottom_margin, 35), (s.left_margin, 28), (s.right_margin, 26)):
        assert abs(margin - Mm(mm)) < Mm(0.1)


def test_page_numbers_dash_n_dash_odd_right_even_left(word):
    s = word.sections[0]
    assert word.settings.odd_and_even_pages_header_footer
    for footer, align in ((s.footer, "right"), (s.even_page_footer, "left")):
        p = footer._element.find(f"{W}p")
        assert p.find(f"{W}pPr/{W}jc").get(W + "val") == align
        text = "".join(t.text for t in p.iter(W + "t", W + "instrText"))
        assert text.replace(" ", "") == "—PAGE1—"
        assert [f.get(W + "fldCharType") for f in p.iter(W + "fldChar")] == ["begin", "separate", "end"]


def test_core_properties(word):
    props = word.core_properties
    assert props.title == "云溪市市场监督管理局2023年政府信息公开工作年度报告"
    assert props.author == "云溪市市场监督管理局"
    assert props.created.year == 2024  # SOURCE_DATE_EPOCH


def test_deterministic_with_source_date_epoch(document, blob):
    assert write_docx(document) == blob


def test_time_changes_without_source_date_epoch(document, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    props = docx.Document(io.BytesIO(write_docx(document))).core_properties
    assert props.created.year >= 2025


def test_text_needing_escapes_survives(loaded, write_yaml, data):
    from reportgen.compose import compose
    from reportgen.loader import load_report

    data["存在的主要问题及改进情况"] = ["A&B <c> “引号” {{ 1 + 1 }} {% if x %}"]
    doc = compose(load_report(str(write_yaml(data))))
    word = docx.Document(io.BytesIO(write_docx(doc)))
    assert "A&B <c> “引号” {{ 1 + 1 }} {% if x %}" in [p.text for p in word.paragraphs]


def test_reports_rendered_at_once_keep_their_own_properties(loaded):
    """The prepared reference is shared: reports written from many threads (as the server
    does) each get their own title and body."""
    from concurrent.futures import ThreadPoolExecutor

    from reportgen.compose import compose
    from reportgen.loader import validate_data

    def one(i: int) -> tuple[str, str, bool]:
        report = loaded.report.model_copy(update={"agency": f"第{i}号单位", "title": None})
        doc = compose(validate_data(report.model_dump(by_alias=True, exclude_none=True), None, None))
        word = docx.Document(io.BytesIO(write_docx(doc)))
        return word.core_properties.title, word.paragraphs[0].text, f"第{i}号单位" in word.core_properties.author

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(one, range(40)))
    for i, (title, first, author) in enumerate(results):
        assert title == first == f"第{i}号单位2023年政府信息公开工作年度报告"
        assert author


def test_reference_with_another_prefix_for_w_is_used(tmp_path, document):
    """A document.xml that names the WordprocessingML namespace ``ww:`` (legal XML, Word reads
    it): the blocks are built as elements in that namespace, so they take the reference's prefix."""
    import zipfile

    from reportgen.resources import reference_docx

    odd = tmp_path / "odd.docx"
    with zipfile.ZipFile(reference_docx()) as src, zipfile.ZipFile(odd, "w") as dst:
        for info in src.infolist():
            blob = src.read(info)
            if info.filename == "word/document.xml":
                blob = blob.replace(b"xmlns:w=", b"xmlns:ww=").replace(b"<w:", b"<ww:").replace(b"</w:", b"</ww:") \
                    .replace(b" w:", b" ww:")
            dst.writestr(info, blob)
    blob = write_docx(document, odd)
    xml = zipfile.ZipFile(io.BytesIO(blob)).read("word/document.xml")
    assert b"<ww:tbl>" in xml and b"<w:" not in xml
    word = docx.Document(io.BytesIO(blob))
    assert word.paragraphs[0].text == "云溪市市场监督管理局\n2023年政府信息公开工作年度报告"
    assert len(word.tables) == 3 and word.sections[0].footer.paragraphs[0].text.startswith("—")

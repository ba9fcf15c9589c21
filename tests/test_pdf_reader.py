"""PDF reports read back (issue #12): the real published PDF of the corpus to its key figures,
PDFs LibreOffice makes from our docx and from a Word file laid out by hand (merged cells, a
table running over a page break, page numbers in the footer) to every cell, and every way a
PDF can be unreadable — scanned, damaged, encrypted, a bomb — as a clear error, exit 1,
nothing written."""
from __future__ import annotations

import io
import json
import shutil
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import ROOT
from reportgen.cli import main
from reportgen.compose import compose
from reportgen.document import Table
from reportgen.loader import load_report
from reportgen.readers import detect_format, ocr
from reportgen.readers.pdf import layout
from reportgen.readers.pdfpage import MAX_PAGES, read_pages
from reportgen.reading import parse_bytes, parse_file
from reportgen.render import render_loaded

CORPUS = Path(__file__).parent / "fixtures" / "corpus"
REAL = CORPUS / "052_huaian-city-2024.pdf"
needs_office = pytest.mark.skipif(not (shutil.which("soffice") or shutil.which("libreoffice")),
                                  reason="LibreOffice not installed")


def _tables(loaded) -> dict:
    return {name: dict(cells) for name, cells in loaded.tables.items()}


# --- the real PDF --------------------------------------------------------------------------

def test_real_pdf_gives_every_key_figure_with_no_finding():
    want = json.loads((CORPUS / "expected.json").read_text("utf-8"))[REAL.name]
    result = parse_file(str(REAL))
    assert (result.edition, result.data["报告年度"], result.data["机关名称"]) == ("2021", 2024, "淮安市人民政府")
    t3, t4 = result.data["收到和处理政府信息公开申请情况"], result.data["政府信息公开行政复议、行政诉讼情况"]
    got = [t3["本年新收"]["总计"], t3["上年结转"]["总计"], t3["办理结果"]["总计"]["总计"], t3["结转下年度"]["总计"],
           t4["行政复议"]["总计"], t4["未经复议直接起诉"]["总计"], t4["复议后起诉"]["总计"]]
    assert got == want["values"]
    assert result.valid and not result.problems  # every 勾稽 rule of the published tables holds
    assert set(result.cells["收到和处理政府信息公开申请情况"].values()) == {"read"}


def test_real_pdf_table_is_joined_over_the_page_break_and_page_numbers_are_chrome():
    pages, _ = read_pages(REAL.read_bytes(), None)
    items, chrome = layout(pages)
    assert chrome == ["-1-", "-2-", "-3-", "-4-", "-5-", "-6-"]
    t3 = [t for t in items if isinstance(t, Table) and any(c.text == "（七）总计" for c in t.cells)]
    assert len(t3) == 1  # pages 4 and 5 are one table
    texts = {c.text for c in t3[0].cells}
    # the cell the page break cut in two (（四）无 | 法提供) is one again; wrapped labels are whole
    assert "（四）无法提供" in texts and "（二）部分公开（区分处理的，只计这一情形，不计其他情形）" in texts
    assert "三、本年度办理结果" in texts  # a vertical header, one character a line
    paragraphs = [i for i in items if isinstance(i, str)]
    # a paragraph runs on over lines and page breaks; nothing of a footer inside it
    assert any(p.startswith("（一）主动公开情况。") and p.endswith("回应舆论关切。") for p in paragraphs)
    assert not any("-2-" in p for p in paragraphs)


def test_pdf_is_recognised_by_its_content():
    assert detect_format("report", REAL.read_bytes()) == "pdf"
    assert detect_format("x.pdf", b"") == "pdf"


# --- PDFs LibreOffice makes ----------------------------------------------------------------

@needs_office
@pytest.mark.parametrize("example", ["report-2021.yaml", "seed-004-2019-edition-2020.yaml"])
def test_our_own_pdf_gives_back_every_cell_and_paragraph(example):
    loaded = load_report(str(ROOT / "examples" / example))
    pdf = render_loaded(loaded, ["pdf"])["pdf"]
    result = parse_bytes(pdf, "pdf", example)
    assert result.valid, result.problems
    back = result.loaded
    assert _tables(back) == _tables(loaded)
    assert back.report.agency == loaded.report.agency and back.report.year == loaded.report.year
    assert back.report.closing == loaded.report.closing
    assert back.report.problems == loaded.report.problems


@needs_office
def test_a_word_file_laid_out_by_hand_as_pdf(tmp_path):
    """Word's own styles, run fonts, merges made in Word, a page number footer, a table long
    enough to run over a page: what agencies publish."""
    from reportgen.office import convert

    loaded = load_report(str(ROOT / "examples" / "report-2021.yaml"))
    docx = _hand_laid_docx(loaded)
    pdf = convert(docx, ".docx", "pdf")
    pages, _ = read_pages(pdf, None)
    assert len(pages) >= 3
    result = parse_bytes(pdf, "pdf", "hand.pdf")
    assert result.edition == "2021" and result.data["报告年度"] == 2023
    assert result.valid, result.problems
    assert _tables(result.loaded) == _tables(loaded)
    assert any("第" in c and "页" in c for c in result.chrome)


def _hand_laid_docx(loaded) -> bytes:
    """The report as a clerk lays it out in Word: body text in the Normal style with a first-line
    indent, headings as bold paragraphs, tables in Table Grid with merges made cell by cell."""
    from docx import Document as Word
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    from docx.shared import Pt

    doc = compose(loaded)
    word = Word()
    word.styles["Normal"].font.size = Pt(12)
    footer = word.sections[0].footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:t xml:space="preserve">第 </w:t></w:r>'))
    footer._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr="PAGE"><w:r><w:t>1</w:t></w:r></w:fldSimple>'))
    footer._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:t xml:space="preserve"> 页</w:t></w:r>'))
    for block in doc.blocks:
        kind = block.type
        if kind == "title":
            p = word.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = p.add_run(block.text)
            run.font.size, run.bold = Pt(20), True
        elif kind == "heading":
            p = word.add_paragraph()
            p.paragraph_format.first_line_indent = Pt(24)
            p.add_run(block.text).bold = True
        elif kind == "paragraph":
            p = word.add_paragraph(block.text)
            if block.align == "right":
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            else:
                p.paragraph_format.first_line_indent = Pt(24)
        elif kind == "meta":
            for label, value in block.items:
                word.add_paragraph(f"{label}：{value}")
        elif kind == "table":
            table = word.add_table(rows=block.n_rows, cols=block.n_cols)
            table.style = "Table Grid"
            for cell in block.cells:
                target = table.cell(cell.row, cell.col)
                if cell.rowspan > 1 or cell.colspan > 1:
                    target = target.merge(table.cell(cell.row + cell.rowspan - 1, cell.col + cell.colspan - 1))
                target.text = cell.text
                for p in target.paragraphs:
                    for run in p.runs:
                        run.font.size = Pt(10.5)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


# --- unreadable PDFs -----------------------------------------------------------------------

def _parse_cli(tmp_path, pdf: bytes, name: str = "report.pdf"):
    src = tmp_path / name
    src.write_bytes(pdf)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["parse", str(src), "-o", str(out)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert not out.exists() or not any(out.iterdir())  # nothing written
    return result.output


def _image_pdf(pages=range(2), scale: float = 1) -> bytes:
    """A scanned report: each page an image of a real page, no text layer."""
    import pypdfium2 as pdfium

    src = pdfium.PdfDocument(REAL.read_bytes())
    out = pdfium.PdfDocument.new()
    for i in pages:
        page = src[i]
        width, height = page.get_size()
        bitmap = page.render(scale=scale)
        new = out.new_page(width, height)
        image = pdfium.PdfImage.new(out)
        image.set_bitmap(bitmap)
        image.set_matrix(pdfium.PdfMatrix().scale(width, height))
        new.insert_obj(image)
        new.gen_content()
    buf = io.BytesIO()
    out.save(buf)
    return buf.getvalue()


def test_scanned_pdf_says_so_and_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setattr(ocr, "available", lambda: False)  # as without the ocr extra
    output = _parse_cli(tmp_path, _image_pdf())
    assert "扫描件" in output and "没有文字层" in output and "reportgen[ocr]" in output and "report.pdf" in output


@pytest.mark.skipif(not ocr.available(), reason="the ocr extra (rapidocr, onnxruntime) is not installed")
def test_scanned_table_pages_read_by_ocr_cell_by_cell():
    """Pages 4 and 5 of the real report as images only: OCR's text and the image's ruling lines
    go through the same geometry, table 三 over the page break included."""
    result = parse_bytes(_image_pdf(range(3, 5), scale=2), "pdf", "scan.pdf")
    t3, t4 = result.data["收到和处理政府信息公开申请情况"], result.data["政府信息公开行政复议、行政诉讼情况"]
    assert (t3["本年新收"]["总计"], t3["办理结果"]["总计"]["总计"], t3["结转下年度"]["总计"]) == (3119, 3050, 103)
    assert (t4["行政复议"]["总计"], t4["未经复议直接起诉"]["总计"], t4["复议后起诉"]["总计"]) == (351, 26, 20)
    assert set(result.cells["收到和处理政府信息公开申请情况"].values()) == {"read"}
    assert any(w.code == "ocr" and "第 1、2 页" in w.message for w in result.warnings)


def test_damaged_pdf(tmp_path):
    raw = REAL.read_bytes()
    output = _parse_cli(tmp_path, raw[:900])
    assert "report.pdf" in output and ("损坏" in output or "没有页面" in output)


def test_encrypted_pdf(tmp_path):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(REAL.read_bytes())))
    writer.encrypt("secret", algorithm="RC4-128")  # pypdf does RC4 without the cryptography package
    buf = io.BytesIO()
    writer.write(buf)
    output = _parse_cli(tmp_path, buf.getvalue())
    assert "已加密" in output


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF of the given objects (1 is the catalog), with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _one_page(content: bytes, compressed: bool = True) -> bytes:
    stream = zlib.compress(content) if compressed else content
    filt = b"/Filter /FlateDecode " if compressed else b""
    return _pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                 b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                 b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
                 b"<< /Length %d %s>>\nstream\n" % (len(stream), filt) + stream + b"\nendstream"])


def test_pdf_with_absurd_page_count(tmp_path):
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    for _ in range(MAX_PAGES + 1):
        pdf.new_page(595, 842)
    buf = io.BytesIO()
    pdf.save(buf)
    output = _parse_cli(tmp_path, buf.getvalue())
    assert f"{MAX_PAGES + 1} 页" in output


def test_pdf_bomb_inflating_beyond_any_report(tmp_path):
    squeeze = zlib.compressobj(9)
    chunk = b"0 0 m\n" * (2**20 // 6)
    stream = b"".join(squeeze.compress(chunk) for _ in range(300)) + squeeze.flush()
    assert len(stream) < 2 * 2**20
    pdf = _pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
                b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream"])
    output = _parse_cli(tmp_path, pdf)
    assert "解压后超过" in output


def test_page_with_too_many_drawing_objects(tmp_path):
    output = _parse_cli(tmp_path, _one_page(b"0 0 m 10 0 l S\n" * 60_000))
    assert "绘图对象" in output


def test_pdf_without_any_text(tmp_path):
    output = _parse_cli(tmp_path, _one_page(b"0 0 m 100 0 l S\n"))
    assert "没有可读的文字" in output



def _scaled(node, factor: int):
    """Every count of a table multiplied by ``factor``: the sums still hold, and the numbers grow
    wider than the narrow columns of tables 三 and 四, where Word and LibreOffice wrap them."""
    if isinstance(node, dict):
        return {k: _scaled(v, factor) for k, v in node.items()}
    return node * factor if isinstance(node, int) and not isinstance(node, bool) else node


@needs_office
def test_numbers_wrapped_in_narrow_cells_and_a_title_over_two_lines(tmp_path):
    """Numbers of six and seven digits wrap inside a cell (``224 596 / 1``): one number, not
    two; a rule of one table that lies within a point or two of another table's rule higher on
    the page stays its own rule; a title printed as agency / year line still gives both."""
    import yaml
    data = yaml.safe_load((ROOT / "examples" / "report-2021.yaml").read_text(encoding="utf-8"))
    for key in ("收到和处理政府信息公开申请情况", "政府信息公开行政复议、行政诉讼情况"):
        data[key] = _scaled(data[key], 10007)
    data["标题"] = [data["机关名称"], f"{data['报告年度']}年政府信息公开工作年度报告"]
    path = tmp_path / "wide.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    loaded = load_report(str(path))
    pdf = render_loaded(loaded, ["pdf"])["pdf"]
    result = parse_bytes(pdf, "pdf", "wide.pdf")
    assert result.valid, result.problems
    assert _tables(result.loaded) == _tables(loaded)
    assert result.loaded.report.agency == loaded.report.agency
    assert result.loaded.report.year == loaded.report.year

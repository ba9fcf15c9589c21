"""Text a reader cannot see is not read as the report (issue 18, item 6): in the colour of what
it stands on, invisible (render mode 3) other than a scan's OCR layer, clipped away, off the
page, under 2 pt. Its presence is a warning (code ``hidden-text``), and so is the same report
twice in one file (``repeated-report``).

The files are real: LibreOffice's PDF of examples/report-2021.yaml with another report's text
hidden in it (tests/fixtures/bad/hidden-report.pdf, made by make_bad_pdf.py), the report twice
(report-twice.pdf), searchable scans made of the real published PDF and of ours, and small PDFs
written here for each way alone."""
from __future__ import annotations

import io
import json
import shutil
import sys
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, NameObject

from conftest import EXAMPLE, ROOT
from reportgen.cli import main
from reportgen.loader import load_report
from reportgen.readers import ocr
from reportgen.readers.pdfpage import CLIPPED, COLOUR, INVISIBLE, OFF_PAGE, TINY, read_pages
from reportgen.reading import parse_bytes, parse_file
from reportgen.yamlio import load_yaml

BAD = ROOT / "tests" / "fixtures" / "bad"
sys.path.insert(0, str(BAD))
import make_bad_pdf  # noqa: E402 - the script that made the bad PDFs makes the others too

HIDDEN, TWICE = BAD / "hidden-report.pdf", BAD / "report-twice.pdf"
REAL = ROOT / "tests" / "fixtures" / "corpus" / "052_huaian-city-2024.pdf"
OTHER = make_bad_pdf.OTHER_AGENCY
WHY = {"white": COLOUR, "box": COLOUR, "invisible": INVISIBLE, "off-page": OFF_PAGE, "clipped": CLIPPED, "tiny": TINY}
needs_office = pytest.mark.skipif(not (shutil.which("soffice") or shutil.which("libreoffice")),
                                  reason="LibreOffice not installed")


@pytest.fixture(scope="module")
def example():
    return load_report(str(EXAMPLE))


def _tables(loaded) -> dict:
    return {name: dict(cells) for name, cells in loaded.tables.items()}


def _visible() -> bytes:
    """The example's report as LibreOffice printed it: the first copy in report-twice.pdf."""
    writer = PdfWriter()
    reader = PdfReader(io.BytesIO(TWICE.read_bytes()))
    for page in reader.pages[:6]:
        writer.add_page(page)
    return make_bad_pdf.written(writer)


def _is_the_example(result, example) -> None:
    assert result.valid, result.problems
    back = result.loaded
    assert _tables(back) == _tables(example)
    assert (back.report.agency, back.report.year) == (example.report.agency, example.report.year)
    assert back.report.closing == example.report.closing and back.report.problems == example.report.problems
    assert OTHER not in json.dumps(result.data, ensure_ascii=False, default=str)


# --- another report hidden in the example's ----------------------------------------------

def test_a_hidden_report_is_not_read_the_visible_one_is(example):
    result = parse_file(str(HIDDEN))
    _is_the_example(result, example)
    hidden = [w for w in result.warnings if w.code == "hidden-text"]
    assert len(hidden) == 1 and hidden[0].severity == "warning"
    message = hidden[0].message
    assert "第 1—12 页" in message and "看不见" in message and OTHER in message  # where, and what it says
    for how in ("与底色同色", "设为不显示", "被裁剪", "在页面以外", "小于 2 磅"):
        assert how in message


def test_every_way_of_hiding_page_by_page():
    """Pages 1–6 hold only the other report, hidden one way a page; pages 7–12 are the example's
    pages with the other report's page under them, hidden another way: what is read of those is
    exactly what is read of the same page printed alone."""
    pages, _ = read_pages(HIDDEN.read_bytes(), None)
    alone, _ = read_pages(_visible(), None)
    ways = make_bad_pdf.WAYS
    for i, way in enumerate(ways):
        assert pages[i].glyphs == [] and set(pages[i].hidden) == {WHY[way]}, (i, way)
        over = pages[6 + i]
        assert set(over.hidden) == {WHY[ways[(i + 3) % len(ways)]]}
        assert over.glyphs == alone[i].glyphs and over.rules == alone[i].rules
        # the same page of the other report, hidden twice
        assert sorted(g.ch for gs in over.hidden.values() for g in gs) == \
            sorted(g.ch for gs in pages[i].hidden.values() for g in gs)


def test_check_warns_with_the_code(tmp_path):
    result = CliRunner().invoke(main, ["check", str(HIDDEN), "--json"])
    assert result.exit_code == 0, result.output
    [report] = json.loads(result.output)
    assert report["agency"] == "云溪市市场监督管理局"
    assert [(f["code"], f["severity"]) for f in report["findings"]] == [("hidden-text", "warning")]
    text = CliRunner().invoke(main, ["check", str(HIDDEN)]).output
    assert "[警告]" in text and "看不见的文字" in text


def test_parse_gives_the_visible_figures_and_says_what_was_hidden(tmp_path, example):
    out = tmp_path / "out.yaml"
    result = CliRunner().invoke(main, ["parse", str(HIDDEN), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "警告" in result.output and "看不见的文字" in result.output
    _is_the_example_file(out, example)


def _is_the_example_file(path: Path, example) -> None:
    back = load_report(str(path))
    assert _tables(back) == _tables(example) and back.report.agency == example.report.agency


def test_init_from_takes_last_year_from_the_visible_report(tmp_path, example):
    out = tmp_path / "next.yaml"
    result = CliRunner().invoke(main, ["init", "--from", str(HIDDEN), "-o", str(out)])
    assert result.exit_code == 0, result.output
    data, _ = load_yaml(out.read_text("utf-8"), str(out))
    carried = data["收到和处理政府信息公开申请情况"]["上年结转"]
    wanted = {col: v for (row, col), v in example.tables["applications"].items() if row == "结转下年度" and col != "总计"}
    assert {col: v for col, v in carried.items() if col != "总计"} == wanted
    assert sum(wanted.values()) == 11  # the hidden report's are three times as many
    assert data["机关名称"] == example.report.agency
    assert "读者看不见的文字" in result.output  # the clerk is told, and so is the new file's header
    assert "上年报告读取时的警告：" in out.read_text("utf-8") and "读者看不见的文字" in out.read_text("utf-8")


def test_a_pdf_with_only_hidden_text_says_so(tmp_path):
    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(HIDDEN.read_bytes())).pages[:6]:
        writer.add_page(page)
    src = tmp_path / "hidden-only.pdf"
    src.write_bytes(make_bad_pdf.written(writer))
    result = CliRunner().invoke(main, ["parse", str(src), "-o", str(tmp_path / "out.yaml")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "没有可读的文字" in result.output and "看不见的文字" in result.output and "hidden-only.pdf" in result.output
    assert not (tmp_path / "out.yaml").exists()


# --- the report twice ----------------------------------------------------------------------

def test_the_same_report_twice_is_a_warning(example):
    result = parse_file(str(TWICE))
    _is_the_example(result, example)
    [twice] = [w for w in result.warnings if w.code == "repeated-report"]
    assert "同一份报告出现了 2 次" in twice.message and "第 7 页起" in twice.message
    report = json.loads(CliRunner().invoke(main, ["check", str(TWICE), "--json"]).output)[0]
    assert [(f["code"], f["severity"]) for f in report["findings"]] == [("repeated-report", "warning")]


@needs_office
def test_two_different_reports_in_one_file_say_which_was_read():
    data, _ = load_yaml(EXAMPLE.read_text("utf-8"), str(EXAMPLE))
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(make_bad_pdf.rendered(make_bad_pdf.other_report(data)))))
    writer.append(PdfReader(io.BytesIO(_visible())))
    result = parse_bytes(make_bad_pdf.written(writer), "pdf", "two.pdf")
    [two] = [w for w in result.warnings if w.code == "repeated-report"]
    assert "有 2 份报告" in two.message and "数字各不相同" in two.message and "只读取了第一份" in two.message
    assert result.data["机关名称"] == OTHER  # the first, as the message says
    assert result.data["收到和处理政府信息公开申请情况"]["本年新收"]["总计"] == 3 * 155


def test_a_report_is_not_repeated_by_itself(example):
    result = parse_bytes(_visible(), "pdf", "report.pdf")
    _is_the_example(result, example)
    assert not [w for w in result.warnings if w.code in ("repeated-report", "hidden-text")]


# --- what must still be read -------------------------------------------------------------

def test_the_real_report_has_nothing_hidden():
    pages, _ = read_pages(REAL.read_bytes(), None)
    assert not any(p.hidden for p in pages) and not any(p.layer for p in pages)


def test_a_searchable_scan_of_the_real_report_reads_every_key_figure(monkeypatch):
    """Invisible text over a page image is a scan's OCR layer: read, and its tables found in
    the image (no OCR is run: the text is there)."""
    monkeypatch.setattr(ocr, "read_page", lambda *a: pytest.fail("OCR run on a page that has a text layer"))
    scan = make_bad_pdf.ocr_layer(REAL.read_bytes())
    pages, _ = read_pages(scan, None)
    assert all(p.layer and p.images and not p.hidden for p in pages)
    result = parse_bytes(scan, "pdf", "scan.pdf")
    want = json.loads((REAL.parent / "expected.json").read_text("utf-8"))[REAL.name]["values"]
    t3, t4 = result.data["收到和处理政府信息公开申请情况"], result.data["政府信息公开行政复议、行政诉讼情况"]
    assert [t3["本年新收"]["总计"], t3["上年结转"]["总计"], t3["办理结果"]["总计"]["总计"], t3["结转下年度"]["总计"],
            t4["行政复议"]["总计"], t4["未经复议直接起诉"]["总计"], t4["复议后起诉"]["总计"]] == want
    assert result.valid and not result.problems
    assert [w.code for w in result.warnings if w.code in ("ocr", "hidden-text")] == ["ocr"]
    assert any("第 1—6 页" in w.message and "文字层" in w.message for w in result.warnings)


def test_a_searchable_scan_of_our_report_gives_every_cell(example):
    _is_the_example(parse_bytes(make_bad_pdf.ocr_layer(_visible()), "pdf", "scan.pdf"), example)


def test_white_text_on_a_dark_box_is_read():
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_visible())))
    page = writer.pages[0]
    text = make_bad_pdf.text_of(page, None, "white")
    # the page's text in white on a dark box, and nothing else
    page[NameObject("/Contents")] = ArrayObject([make_bad_pdf.stream(writer, b"q 0.1 0.2 0.5 rg 40 40 515 762 re f Q\n" + text)])
    pages, _ = read_pages(make_bad_pdf.written(writer), None)
    alone, _ = read_pages(_visible(), None)
    assert not pages[0].hidden and [g.ch for g in pages[0].glyphs] == [g.ch for g in alone[0].glyphs]


# --- each way alone, in a page written by hand --------------------------------------------

def _pdf(content: bytes, form: bytes = b"") -> bytes:
    """One page (595 × 842) with Helvetica as /F1, an alpha-0 graphics state /G0, a 2×2 grey
    image /Im and a form XObject /X1 of ``form``."""
    pixels = zlib.compress(b"\x80" * 4)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >>"
               b" /XObject << /X1 6 0 R /Im 7 0 R >> /ExtGState << /G0 << /ca 0 /CA 0 >> >> >> >>",
               b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
               b"<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Length %d >>"
               b"\nstream\n" % len(form) + form + b"\nendstream",
               b"<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8"
               b" /Filter /FlateDecode /Length %d >>\nstream\n" % len(pixels) + pixels + b"\nendstream"]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


TEXT = b"BT /F1 12 Tf 100 700 Td (HIDDEN 2023) Tj ET\n"
BLUE_BOX = b"0.8 0.9 1 rg 50 650 400 100 re f\n"
IMAGE = b"q 400 0 0 200 50 600 cm /Im Do Q\n"


@pytest.mark.parametrize("content,form,why", [
    (TEXT, b"", None),
    (b"1 1 1 rg " + TEXT, b"", COLOUR),                                  # white on the white page
    (b"0.97 g " + TEXT, b"", COLOUR),                                    # as good as white
    (b"0.8 g " + TEXT, b"", None),                                       # light grey is seen
    (BLUE_BOX + TEXT.replace(b"BT", b"BT 0.8 0.9 1 rg"), b"", COLOUR),   # the box's own colour
    (BLUE_BOX + b"0 g " + TEXT, b"", None),                              # black on the box
    (b"0 g 50 650 400 100 re f 1 g " + TEXT, b"", None),                 # white on a black box
    (b"0 g 50 650 400 100 re f 1 g 60 660 300 80 re f " + TEXT, b"", COLOUR),  # white on a white box on it
    (b"0 g 50 650 400 100 re f 1 g " + TEXT.replace(b"700", b"500"), b"", COLOUR),  # the box is not under it
    (b"/G0 gs " + TEXT, b"", INVISIBLE),                                 # fully transparent
    (TEXT.replace(b"BT", b"BT 3 Tr"), b"", INVISIBLE),                   # render mode 3
    (TEXT.replace(b"BT", b"BT 7 Tr"), b"", INVISIBLE),                   # invisible, added to the clip
    (IMAGE + TEXT.replace(b"BT", b"BT 3 Tr"), b"", None),                # an OCR layer over an image
    (TEXT.replace(b"BT", b"BT 3 Tr") + IMAGE, b"", None),                # … or under it
    (IMAGE + b"1 g " + TEXT, b"", None),                                 # white on an image: not known
    (TEXT.replace(b"BT", b"BT 1 Tr 1 G"), b"", COLOUR),                  # outlined in white
    (TEXT.replace(b"BT", b"BT 1 Tr 0 G 1 g"), b"", None),                # outlined in black
    (TEXT.replace(b"BT", b"BT 2 Tr 0 G 1 g"), b"", None),                # white, outlined in black
    (b"0 0 10 10 re W n " + TEXT, b"", CLIPPED),
    (b"90 690 200 30 re W n " + TEXT, b"", None),                        # clipped around it: seen
    (b"2 0 0 2 0 0 cm 0 0 100 100 re W n 0.5 0 0 0.5 0 0 cm " + TEXT, b"", CLIPPED),  # the clip in page space
    (TEXT.replace(b"700", b"900"), b"", OFF_PAGE),
    (TEXT.replace(b"100 700", b"-300 700"), b"", OFF_PAGE),
    (TEXT.replace(b"12 Tf", b"1 Tf"), b"", TINY),
    (b"0.1 0 0 0.1 0 0 cm " + TEXT, b"", TINY),
    (b"q 1 0 0 1 20 20 cm /X1 Do Q", TEXT, None),
    (b"q 1 0 0 1 20 20 cm /X1 Do Q", b"1 g " + TEXT, COLOUR),            # white, in a form
    (b"q 0 0 10 10 re W n /X1 Do Q", TEXT, CLIPPED),                     # a form clipped away
    (b"q 1 0 0 1 0 500 cm /X1 Do Q", TEXT, OFF_PAGE),                    # a form moved off the page
    (b"q 0 g 0 0 595 842 re f 1 0 0 1 20 20 cm /X1 Do Q", b"1 g " + TEXT, None),  # white in a form on black
])
def test_each_way_alone(content, form, why):
    [page], _ = read_pages(_pdf(content, form), None)
    if why is None:
        assert "".join(g.ch for g in page.glyphs) == "HIDDEN2023" and not page.hidden
    else:
        assert page.glyphs == [] and "".join(g.ch for g in page.hidden[why]) == "HIDDEN2023" and len(page.hidden) == 1

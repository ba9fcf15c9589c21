"""Word files that are not written as running text: a report PDF that LibreOffice opened and saved as
Word (every line a positioned text box, every table rule a drawn line: ``readers.docx_frames``), and
older templates that keep a short table inside a text box (VML ``v:textbox``, DrawingML ``wps:txbx``)."""
from __future__ import annotations

import copy
import io
import json
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from shapes import converters, data, layouts, measure  # noqa: E402
from reportgen.document import Table  # noqa: E402
from reportgen.formats.docx import W  # noqa: E402
from reportgen.office import soffice  # noqa: E402
from reportgen.readers import docx as docx_reader, docx_frames  # noqa: E402
from reportgen.readers.common import ReadOptions  # noqa: E402
from reportgen.readers.pdfpage import read_pages  # noqa: E402

CORPUS = Path(__file__).parent / "fixtures" / "corpus"
PDF = CORPUS / "052_huaian-city-2024.pdf"
EXPECTED = json.loads((CORPUS / "expected.json").read_text("utf-8"))[PDF.name]["values"]

W_NS = W[1:-1]
NS = {"w": W_NS, "v": "urn:schemas-microsoft-com:vml", "mc": docx_frames.MC[1:-1], "wp": docx_frames.WP[1:-1],
      "wps": docx_frames.WPS[1:-1], "a": docx_frames.A[1:-1]}
needs_office = pytest.mark.skipif(soffice() is None, reason="LibreOffice not installed")


def _members(blob: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(blob)) as z:
        return {n: z.read(n) for n in z.namelist()}


def _package(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, blob in members.items():
            z.writestr(name, blob)
    return out.getvalue()


def _with_document(blob: bytes, root) -> bytes:
    members = _members(blob)
    members["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return _package(members)


def _tables(blob: bytes) -> list[Table]:
    doc = docx_reader.read(blob, ReadOptions(file="t.docx"))
    return [b for b in doc.blocks if isinstance(b, Table)]


# --- tables in text boxes ----------------------------------------------------------------------

@pytest.mark.parametrize("edition", ["2021", "2019"])
def test_tables_in_vml_text_boxes_are_read_in_document_order(edition):
    report = data.report(0, edition)
    truth = data.truth(report)
    blob = layouts.docx(report, {"layout": "table-text-boxes"})
    root = etree.fromstring(_members(blob)["word/document.xml"])
    boxed = root.xpath("//v:textbox/w:txbxContent/w:tbl", namespaces=NS)
    assert boxed, "the layout put no table in a text box"
    s = measure.score(blob, ".docx", truth, measure.key_figures(truth), edition)
    assert (s.cells_right, s.keys_right, s.silent_wrong, s.failed) == (s.cells_total, 7, 0, 0), s.notes


def _as_drawingml(root) -> None:
    """Every VML text box also as a Word 2010 DrawingML text box (``mc:Choice``) with the VML one as
    its fallback, the way Word saves it: the same table is then twice in the file."""
    for pict in root.xpath("//w:r/w:pict[v:shape/v:textbox]", namespaces=NS):
        content = pict.find("v:shape/v:textbox/w:txbxContent", NS)
        alt = etree.Element(f"{{{NS['mc']}}}AlternateContent", nsmap={"mc": NS["mc"]})
        choice = etree.SubElement(alt, f"{{{NS['mc']}}}Choice", Requires="wps")
        drawing = etree.SubElement(choice, W + "drawing")
        anchor = etree.SubElement(drawing, f"{{{NS['wp']}}}anchor", nsmap={"wp": NS["wp"]})
        for axis, offset in (("positionH", "0"), ("positionV", "0")):
            etree.SubElement(etree.SubElement(anchor, f"{{{NS['wp']}}}{axis}", relativeFrom="column"),
                             f"{{{NS['wp']}}}posOffset").text = offset
        etree.SubElement(anchor, f"{{{NS['wp']}}}extent", cx="5588000", cy="2540000")
        graphic = etree.SubElement(etree.SubElement(anchor, f"{{{NS['a']}}}graphic", nsmap={"a": NS["a"]}),
                                   f"{{{NS['a']}}}graphicData")
        wsp = etree.SubElement(graphic, f"{{{NS['wps']}}}wsp", nsmap={"wps": NS["wps"]})
        etree.SubElement(wsp, f"{{{NS['wps']}}}txbx").append(copy.deepcopy(content))
        pict.addprevious(alt)
        etree.SubElement(alt, f"{{{NS['mc']}}}Fallback").append(pict)


def test_drawingml_text_box_with_its_vml_fallback_is_read_once():
    report = data.report(0, "2021")
    truth = data.truth(report)
    plain = layouts.docx(report, {"layout": "table-text-boxes"})
    root = etree.fromstring(_members(plain)["word/document.xml"])
    _as_drawingml(root)
    assert root.xpath("//wps:txbx/w:txbxContent/w:tbl", namespaces=NS)
    blob = _with_document(plain, root)
    assert len(_tables(blob)) == len(_tables(plain)) >= 3
    s = measure.score(blob, ".docx", truth, measure.key_figures(truth), "drawingml")
    assert (s.cells_right, s.silent_wrong) == (s.cells_total, 0), s.notes


def test_a_few_text_boxes_do_not_make_a_written_document_positioned():
    blob = layouts.docx(data.report(1, "2021"), {"layout": "table-text-boxes"})
    root = etree.fromstring(_members(blob)["word/document.xml"])
    assert not docx_frames.is_framed(root.find(W + "body"))


# --- a PDF saved as Word ---------------------------------------------------------------------------

def _line_pieces(glyphs, height):
    """A page's glyphs as LibreOffice's PDF import pieces them: one piece a line run, the texts of
    neighbours closer than a character joined with a space, the piece as wide as its text set
    with a narrow space (not as wide as it stood)."""
    rows: list[list] = []
    for g in sorted(glyphs, key=lambda g: (-round(g.y1), g.x0)):
        if rows and abs(rows[-1][0].y1 - g.y1) <= 1.0:
            rows[-1].append(g)
        else:
            rows.append([g])
    pieces = []
    for row in rows:
        row.sort(key=lambda g: g.x0)
        run = [row[0]]
        for g in row[1:]:
            if g.x0 - run[-1].x1 < g.h * 1.05:
                run.append(g)
            else:
                pieces.append(run)
                run = [g]
        pieces.append(run)
    out = []
    for run in pieces:
        text, width = "", 0.0
        for i, g in enumerate(run):
            if i and run[i].x0 - run[i - 1].x1 > 0.3 * g.h:
                text, width = text + " ", width + 0.25 * g.h
            text += g.ch
            width += g.x1 - g.x0
        size = max(g.h for g in run) / 1.2
        out.append((run[0].x0, height - max(g.y1 for g in run), width, size * 1.4, text, size))
    return out


def _anchor_xml(x, y, w, h, inner: str) -> str:
    emu = docx_frames.EMU
    return (f'<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor>'
            f'<wp:positionH relativeFrom="column"><wp:posOffset>{int(x * emu)}</wp:posOffset></wp:positionH>'
            f'<wp:positionV relativeFrom="paragraph"><wp:posOffset>{int(y * emu)}</wp:posOffset></wp:positionV>'
            f'<wp:extent cx="{int(w * emu)}" cy="{int(h * emu)}"/><a:graphic><a:graphicData><wps:wsp>{inner}'
            f'</wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>'
            f'<mc:Fallback><w:pict><v:shape style="position:absolute;margin-left:{x}pt;margin-top:{y}pt;'
            f'width:{w}pt;height:{h}pt"/></w:pict></mc:Fallback></mc:AlternateContent></w:r>')


def _framed_docx(pdf: bytes, vml_pages: tuple[int, ...] = (), frame_pages: tuple[int, ...] = ()) -> bytes:
    """The PDF as a Word file of positioned text boxes and drawn lines, page after page, each page's
    pieces top to bottom (DrawingML with a VML fallback; the pages in ``vml_pages`` in VML only, the
    text of those in ``frame_pages`` as paragraphs in Word frames, ``w:framePr``)."""
    from xml.sax.saxutils import escape
    pages, _ = read_pages(pdf, "t.pdf")
    runs: list[str] = []
    for page in pages:
        vml = page.number in vml_pages
        items: list[tuple[float, str]] = []  # (top, run): a page's pieces top to bottom, as LibreOffice writes them
        for x, y, w, h, text, size in _line_pieces(page.glyphs, page.height):
            content = (f'<w:txbxContent><w:p><w:r><w:rPr><w:sz w:val="{round(size * 2)}"/></w:rPr>'
                       f'<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p></w:txbxContent>')
            if page.number in frame_pages:
                items.append((y, f'</w:p><w:p><w:pPr><w:framePr w:w="{round(w * 20)}" w:h="{round(h * 20)}" '
                                 f'w:hAnchor="page" w:vAnchor="page" w:x="{round(x * 20)}" w:y="{round(y * 20)}"/>'
                                 f'</w:pPr><w:r><w:rPr><w:sz w:val="{round(size * 2)}"/></w:rPr><w:t xml:space='
                                 f'"preserve">{escape(text)}</w:t></w:r></w:p><w:p>'))
            elif vml:
                items.append((y, f'<w:r><w:pict><v:shape style="position:absolute;margin-left:{x:.2f}pt;'
                                 f'margin-top:{y:.2f}pt;width:{w:.2f}pt;height:{h:.2f}pt"><v:textbox>{content}'
                                 f'</v:textbox></v:shape></w:pict></w:r>'))
            else:
                items.append((y, _anchor_xml(x, y, w, h, f"<wps:txbx>{content}</wps:txbx>")))
        for r in page.rules:
            if r.horizontal:
                x0, y0, x1, y1 = r.lo, page.height - r.at, r.hi, page.height - r.at
            else:
                x0, y0, x1, y1 = r.at, page.height - r.hi, r.at, page.height - r.lo
            if vml:
                items.append((y0, f'<w:r><w:pict><v:line from="{x0:.2f}pt,{y0:.2f}pt" to="{x1:.2f}pt,{y1:.2f}pt"/>'
                                  f'</w:pict></w:r>'))
            else:
                items.append((y0, _anchor_xml(x0, y0, x1 - x0, y1 - y0,
                                              '<wps:spPr><a:prstGeom prst="line"/><a:ln w="5760"><a:solidFill>'
                                              '<a:srgbClr val="000000"/></a:solidFill></a:ln></wps:spPr>')))
        runs += [run for _, run in sorted(items, key=lambda item: item[0])]
    ns = " ".join(f'xmlns:{k}="{v}"' for k, v in NS.items())
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {ns}><w:body><w:p>'
                + "".join(runs) + '</w:p><w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>')
    return _package({
        "[Content_Types].xml": b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
                               b'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
                               b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                               b'relationships+xml"/><Override PartName="/word/document.xml" ContentType="application/'
                               b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        "word/document.xml": document.encode("utf-8")})


def test_a_pdf_saved_as_positioned_text_boxes_reads_like_the_pdf():
    blob = _framed_docx(PDF.read_bytes(), vml_pages=(2, 4), frame_pages=(1, 6))
    root = etree.fromstring(_members(blob)["word/document.xml"])
    body = root.find(W + "body")
    assert docx_frames.is_framed(body)
    assert len(docx_frames.pages(body, docx_frames.page_size(body))) == 6
    s = measure.score(blob, ".docx", {}, EXPECTED, "framed")
    assert (s.keys_right, s.failed) == (7, 0), s.notes


def test_numbers_joined_across_cells_go_to_their_columns():
    """"11695 53893 49468" as one piece, as wide as its text: each number to its own column."""
    piece = docx_frames.Piece(103.0, 100.0, 105.0, 14.0, runs=[("11695 53893 49468", 10.5)])
    glyphs = docx_frames._glyphs(piece, 800.0, [100.0, 140.0, 180.0, 220.0, 260.0])
    firsts = [g.x0 for g in glyphs if g.spaced] + [glyphs[0].x0]
    assert sorted(round(x) for x in firsts) == [103, 143, 183]
    # letter-spaced words in one cell stay where the piece has them
    label = docx_frames.Piece(103.0, 100.0, 30.0, 14.0, runs=[("社 会 公 益", 10.5)])
    assert max(g.x1 for g in docx_frames._glyphs(label, 800.0, [100.0, 140.0, 180.0])) <= 133.1


@needs_office
def test_libreoffice_pdf_import_of_the_corpus_pdf_gives_every_key_figure():
    suffix, blob = converters.lo_pdf_import_docx(PDF.read_bytes())
    s = measure.score(blob, suffix, {}, EXPECTED, "lo-docx")
    assert (s.keys_right, s.failed) == (7, 0), s.notes


def test_two_whole_rows_at_a_page_break_are_not_joined_as_one_cut_row():
    """The last row on one page and the first on the next, both with their numbers (the PDF reader's
    join, which a Word file of positioned pieces goes through too): two rows; a label cut by the break
    with its numbers on one side only is one row."""
    from reportgen.readers.pdf import Grid, GridCell, _join

    def grid(page, rows):
        cells = [GridCell(r, r + 1, x0, x1, text) for r, row in enumerate(rows)
                 for (x0, x1), text in zip(((0.0, 100.0), (100.0, 200.0)), row)]
        return Grid(len(rows), cells, page, 0.0, 200.0, 0.0, 0.0, [0.0, 100.0, 200.0], [])

    head = ("信息内容", "处理决定数量")
    whole = _join(grid(1, [head, ("行政许可", "45")]), grid(2, [("其他对外管理服务事项", "7")]))
    assert sorted((c.r0, c.text) for c in whole.cells if c.x0 == 0.0) == [
        (0, "信息内容"), (1, "行政许可"), (2, "其他对外管理服务事项")]
    cut = _join(grid(1, [head, ("（二）部分公开（区分处理的", "")]), grid(2, [("只计这一情形）", "12")]))
    assert [(c.r0, c.text) for c in cut.cells if c.r0 == 1] == [(1, "（二）部分公开（区分处理的只计这一情形）"), (1, "12")]


def test_many_text_boxes_holding_a_table_are_read_in_document_order():
    """A converter that puts every paragraph in a text box but keeps a table a table: nothing runs in
    the flow, yet the boxes are read in document order, tables and all."""
    report = data.report(2, "2021")
    truth = data.truth(report)
    plain = layouts.docx(report, {"layout": "table-text-boxes"})
    root = etree.fromstring(_members(plain)["word/document.xml"])
    body = root.find(W + "body")
    for p in list(body.iterchildren(W + "p", W + "tbl")):  # each paragraph and table into a box of its own
        if not "".join(p.itertext()).strip() or p.find(".//v:textbox", NS) is not None:
            continue
        box = etree.fromstring(f'<w:p xmlns:w="{W_NS}" xmlns:v="{NS["v"]}"><w:r><w:pict><v:shape style="position:'
                               f'absolute;margin-left:0pt;margin-top:0pt;width:400pt;height:20pt"><v:textbox>'
                               f'<w:txbxContent/></v:textbox></v:shape></w:pict></w:r></w:p>')
        p.addprevious(box)
        box.find(".//w:txbxContent", NS).append(p)
    assert not "".join(docx_frames.own_text(p) for p in body.iterchildren(W + "p")).strip()
    assert not docx_frames.is_framed(body)
    s = measure.score(_with_document(plain, root), ".docx", truth, measure.key_figures(truth), "boxed")
    assert (s.cells_right, s.silent_wrong) == (s.cells_total, 0), s.notes

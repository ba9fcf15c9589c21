"""The Word writer's XML: built as lxml elements, so whatever the data hold is escaped by
construction; every part checked well-formed before anything is written (a fault in the writer
is an error, nothing written, no 已生成); the zip as zipfile writes it."""
from __future__ import annotations

import io
import zipfile

import docx
import pytest
from click.testing import CliRunner
from lxml import etree

from conftest import EXAMPLE
from reportgen.cli import main
from reportgen.compose import compose
from reportgen.document import Cell, Document, Heading, Paragraph, Table, Title
from reportgen.formats.docx import W
from reportgen.loader import load_report
from reportgen.writers import docx as docx_writer
from reportgen.writers.docx import write_docx
from reportgen.writers.ooxml import ill_formed, write_package, xml_part_names

MARKUP = 'A&B <c> "d" \'e\' ]]> &amp; <!-- x -->'


def test_markup_in_every_text_the_report_holds_is_escaped(data, write_yaml):
    data["机关名称"] = f"某局{MARKUP}"
    data["存在的主要问题及改进情况"] = [f"  前后有空格 {MARKUP}  ", f"一段{MARKUP}"]
    doc = compose(load_report(str(write_yaml(data))))
    blob = write_docx(doc)
    with zipfile.ZipFile(io.BytesIO(blob)) as z:
        for name in z.namelist():
            etree.fromstring(z.read(name))
    word = docx.Document(io.BytesIO(blob))
    texts = [p.text for p in word.paragraphs]
    assert f"前后有空格 {MARKUP}" in texts and f"一段{MARKUP}" in texts
    assert any(f"某局{MARKUP}" in t for t in texts) and word.core_properties.author == f"某局{MARKUP}"


def _table(values: list[str]) -> Table:
    """A hand-made 3×3 table: a header row, a label column, a hole at (2, 2)."""
    cells = [Cell("项目 & <甲>", 0, 0, role="corner"), Cell('"列一"', 0, 1, role="header"),
             Cell("列二", 0, 2, role="header"), Cell("行一", 1, 0, role="label"), Cell("行二", 2, 0, role="label"),
             Cell(values[0], 1, 1), Cell(values[1], 1, 2), Cell(values[2], 2, 1)]
    return Table(3, 3, 1, cells, name="自制")


def test_hand_made_blocks_with_edge_spaces_breaks_control_characters_and_empty_cells():
    """What only a hand-made Document (a reader's) holds: spaces at the ends kept, line breaks
    made spaces, characters XML cannot hold dropped, an empty cell, a hole filled; the same
    table shape twice in one report and again in the next, each with its own texts (the
    tables a House keeps from report to report hold no text of the report before)."""
    doc = Document([Title("标题\u2028第二行"), Heading(1, "  一、前后空格  "), Paragraph("a\x07b\ufffec <&>"),
                    _table(["1 & 2", "", "  3  "]), _table(["4", "5", "6"])])
    word = docx.Document(io.BytesIO(write_docx(doc)))
    texts = [p.text for p in word.paragraphs]
    assert texts[:3] == ["标题 第二行", "  一、前后空格  ", "abc <&>"]
    first, second = ([[c.text for c in row.cells] for row in t.rows] for t in word.tables)
    assert first == [["项目 & <甲>", '"列一"', "列二"], ["行一", "1 & 2", ""], ["行二", "  3  ", ""]]
    assert second == [["项目 & <甲>", '"列一"', "列二"], ["行一", "4", "5"], ["行二", "6", ""]]
    spaced = word.tables[0].cell(2, 1)._tc.find(f"{W}p/{W}r/{W}t")
    assert spaced.get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"
    nxt = docx.Document(io.BytesIO(write_docx(Document([_table(["7", "8", "9"]), _table(["", "", ""])]))))
    assert [[c.text for c in row.cells] for row in nxt.tables[0].rows][1:] == [["行一", "7", "8"], ["行二", "9", ""]]
    assert [[c.text for c in row.cells] for row in nxt.tables[1].rows][1:] == [["行一", "", ""], ["行二", "", ""]]
    again = docx.Document(io.BytesIO(write_docx(Document([_table(["7", "8", "9"]), _table(["1", " 2", "3"])]))))
    assert again.tables[0].cell(2, 1)._tc.find(f"{W}p/{W}r/{W}t").get("{http://www.w3.org/XML/1998/namespace}space") \
        is None  # "9": the xml:space of the text before it gone
    assert [[c.text for c in row.cells] for row in again.tables[1].rows][1:] == [["行一", "1", " 2"], ["行二", "3", ""]]


def test_a_writer_fault_is_an_error_and_nothing_is_written(tmp_path, monkeypatch):
    """Were the writer to splice a style id into markup again (issue 18's bug), the check of
    every part stops it: exit 1, no 已生成, neither the docx nor the txt written."""
    made = docx_writer._document_part

    def spliced(root):
        return made(root).replace(b'w:val="Heading1"', b'w:val="A&B"', 1)

    monkeypatch.setattr(docx_writer, "_document_part", spliced)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["render", str(EXAMPLE), "-o", str(out), "-f", "txt,docx"])
    assert result.exit_code == 1, result.output
    assert "word/document.xml 不是格式正确的 XML" in result.output
    assert "已生成" not in result.output and "Traceback" not in result.output
    assert not out.exists() or not list(out.iterdir())


@pytest.mark.parametrize("xml, fault", [
    (b"<a>&</a>", "EntityRef"),
    (b"<a><b></a>", "mismatch"),
    (b'<w:p xmlns:x="urn:x"/>', "Namespace prefix w on p is not defined"),
    (b'<w:document xmlns:w="urn:w"><w:body><q:p/></w:body></w:document>', "Namespace prefix q on p"),
    (b"<a>1</a><b/>", "Extra content"),
])
def test_the_check_finds_each_kind_of_fault(xml, fault):
    name, message = ill_formed([("word/ok.xml", b"<a/>"), ("word/bad.xml", xml)], {"word/ok.xml", "word/bad.xml"})
    assert name == "word/bad.xml" and fault in message
    assert ill_formed([("word/bad.xml", xml)], set()) is None  # only the parts named are checked
    assert ill_formed([("word/ok.xml", b'<?xml version="1.0"?><a x="&amp;&lt;&quot;"/>')], {"word/ok.xml"}) is None


def test_xml_parts_are_found_by_content_type_too():
    types = (b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             b'<Default Extension="vml" ContentType="application/vnd.openxmlformats-officedocument.vmlDrawing"/>'
             b'<Default Extension="svg" ContentType="image/svg+xml"/><Default Extension="png" ContentType="image/png"/>'
             b'<Override PartName="/word/odd.bin" ContentType="application/xml"/></Types>')
    entries = [("[Content_Types].xml", types), ("word/a.svg", b""), ("word/b.png", b""), ("word/odd.bin", b""),
               ("_rels/.rels", b""), ("word/c.vml", b"")]
    assert xml_part_names(entries) == {"[Content_Types].xml", "word/a.svg", "word/odd.bin", "_rels/.rels"}


def test_the_zip_is_what_zipfile_writes():
    entries = [("[Content_Types].xml", b"<Types/>"), ("word/document.xml", b"<w:document/>" * 500),
               ("word/media/图片 1.xml", "中文".encode("utf-8")), ("empty.xml", b"")]
    when = (2024, 1, 26, 12, 30, 59)
    expected = io.BytesIO()
    with zipfile.ZipFile(expected, "w", zipfile.ZIP_DEFLATED) as z:
        for name, blob in entries:
            info = zipfile.ZipInfo(name, when)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # Unix, as zipfile writes on the machines reportgen runs on
            z.writestr(info, blob)
    made = write_package(entries, when)
    assert made == expected.getvalue()
    with zipfile.ZipFile(io.BytesIO(made)) as z:
        assert z.testzip() is None and [(i.filename, z.read(i)) for i in z.infolist()] == entries

"""Each reader on small inputs, one feature at a time, against a golden Document JSON
(``tests/golden/readers/``; ``pytest --accept`` rewrites them — review the diff). The registry:
one signature, a typed error for an unknown format, the format found from a name or the bytes."""
from __future__ import annotations

import io

import pytest

from conftest import GOLDEN, check_golden
from reportgen.document import Document, Heading, Meta, Paragraph, Table, Title
from reportgen.errors import UsageError
from reportgen.readers import READERS, ReadOptions, detect_format, reader_for
from reportgen.reading import read_options
from reportgen.writers import WRITERS

READER_GOLDEN = GOLDEN / "readers"
OPTIONS = read_options("sample")


def read(fmt: str, raw: bytes | str) -> Document:
    return reader_for(fmt)(raw.encode("utf-8") if isinstance(raw, str) else raw, OPTIONS)


def same_blocks(got: list, want: list) -> None:
    """The blocks our writer wrote, read back: equal, tables cell for cell (text and spans; a
    reader cannot know which cell was a header)."""
    def shape(b):
        if isinstance(b, Table):
            return ("table", b.n_rows, b.n_cols, sorted((c.text, c.row, c.col, c.rowspan, c.colspan) for c in b.cells))
        return b
    assert [shape(b) for b in got] == [shape(b) for b in want]


def golden(name: str, doc: Document, accept: bool) -> None:
    READER_GOLDEN.mkdir(exist_ok=True)
    check_golden(READER_GOLDEN / f"{name}.json", doc.to_json(), accept)


# --- the registry --------------------------------------------------------------------------

def test_one_reader_for_every_writer_format_but_the_derived_ones():
    assert set(WRITERS) - set(READERS) == {"json", "png", "svg"}  # json is the hub itself; the 图解 is a picture
    assert set(READERS) - set(WRITERS) == {"doc", "wps", "rtf", "odt"}  # office files are read, never written


def test_unknown_format_is_a_typed_error():
    with pytest.raises(UsageError, match="未知的输入格式"):
        reader_for("odt2")


@pytest.mark.parametrize("name,raw,fmt", [("a.md", b"# x", "md"), ("a.HTM", b"x", "html"), ("a", b"PK\x03\x04", "docx"),
                                          ("a", b"<!DOCTYPE html><p>x", "html"), ("a", "一、总体情况".encode(), "txt"),
                                          ("a", b"%PDF-1.7\n", "pdf"), ("a", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "doc"),
                                          ("a", b"{\\rtf1\\ansi", "rtf"), ("a.WPS", b"", "wps"),
                                          ("a", b"PK\x03\x04" + b"\x00" * 26 + b"mimetypeapplication/vnd.oasis.opendocument.text",
                                           "odt")])
def test_the_format_from_the_name_or_the_bytes(name, raw, fmt):
    assert detect_format(name, raw) == fmt


# --- txt -----------------------------------------------------------------------------------

TXT = {
    "txt-pipe-rows": "某局2023年政府信息公开工作年度报告\n二、主动公开政府信息情况\n第二十条第(一)项 | |||\n"
                     "信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n规章 | 0 | 0 | 0 |\n行政规范性文件 | 4 | 2 | 37 |\n",
    "txt-cell-per-line": "二、主动公开政府信息情况\n第二十条第（五）项\n信息内容\n本年处理决定数量\n行政许可\n12876\n",
    "txt-pdf-line": "三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量 126 18 1 2 5 3 155\n",
    "txt-metadata": "索引号: | 1183/2024-00038 | 部门: | 某局 |\n发布时间:2024-01-26 作者: 来源: 本网\n某局2023年政府信息公开工作年度报告\n正文。\n",
    "txt-chrome": "当前位置：首页 > 信息公开\n【字体：大 中 小】\n某局2023年报告\n一、总体情况\n本局认真落实《条例》。\n打印本页\n",
    "txt-headings": "某局2023年政府信息公开工作年度报告\n一、总体情况\n（一）主动公开\n本年度公开信息1200条。\n"
                    "1.加强组织领导\n成立领导小组。\n",
    "txt-closing": "一、总体情况\n正文一段。\n某局\n2024年1月26日\n",
    "txt-wrapped": "一、总体情况\n" + "本机关坚持以公开为常态、不公开为例外的原则，认真贯彻落实条例各项要求，" * 2
                   + "\n" + "进一步提升政府信息公开的质量和实效，做好各项工作，保障人民群众的知情权、参与权和监督权，" * 2 + "\n"
                   + "切实推进政务公开。\n" + "二、主动公开政府信息情况\n",
}


@pytest.mark.parametrize("name", sorted(TXT))
def test_txt_shapes(name, accept):
    golden(name, read("txt", TXT[name]), accept)


def test_txt_encodings():
    text = "某局2023年政府信息公开工作年度报告\n一、总体情况\n正文。\n"
    for raw in (text.encode("gb18030"), text.encode("utf-16"), b"\xef\xbb\xbf" + text.encode()):
        doc = read("txt", raw)
        assert isinstance(doc.blocks[0], Title) and doc.blocks[0].text.startswith("某局")


def test_txt_our_own_output_exactly(document):
    from reportgen.writers.text import write_text

    same_blocks(read("txt", write_text(document)).blocks, document.blocks)


# --- html ----------------------------------------------------------------------------------

HTML = {
    "html-word-export": '<html><head><meta charset="gbk"></head><body><div class="TRS_Editor"><table border=1>'
                        '<tr><td colspan=4><p><span style="mso-bidi-font-size:10.5pt">第二十条第（一）项</span></p></td></tr>'
                        '<tr><td><p><span>信息内容</span></p></td><td><p>本年<span>制发</span>件数</p></td><td>本年废止件数</td>'
                        '<td>现行有效件数</td></tr><tr><td>规章</td><td><p><span>1</span><span>2</span></p></td>'
                        '<td>&nbsp;</td><td>3<br>4</td></tr></table></div></body></html>',
    "html-rowspan": "<html><body><table><tr><td rowspan=2>三、本年度办理结果</td><td>（一）予以公开</td><td>1</td></tr>"
                    "<tr><td>（二）部分公开</td><td>2</td></tr></table></body></html>",
    "html-chrome": '<html><body><div class="breadcrumb">首页 &gt; 年报</div><nav>导航</nav><h1>某局2023年报告</h1>'
                   '<p>一、总体情况</p><p>正文。</p><div id="share">分享到</div><footer>版权所有</footer></body></html>',
    "html-nested-layout": "<html><body><table><tr><td><table><tr><td><p>某局2023年政府信息公开工作年度报告</p><p>一、总体情况</p>"
                          "<p>正文。</p></td></tr></table></td></tr></table></body></html>",
}


@pytest.mark.parametrize("name", sorted(HTML))
def test_html_shapes(name, accept):
    raw = HTML[name].encode("gbk" if "gbk" in HTML[name] else "utf-8")
    golden(name, read("html", raw), accept)


def test_html_our_own_page_exactly(document):
    from reportgen.writers.html import write_html

    same_blocks(read("html", write_html(document)).blocks, document.blocks)


# --- docx ----------------------------------------------------------------------------------

def _hand_made_docx() -> bytes:
    """A Word file as a clerk makes one: Word's heading styles, a table merged by hand."""
    import docx

    d = docx.Document()
    d.add_heading("某局2023年政府信息公开工作年度报告", 0)
    d.add_heading("一、总体情况", 1)
    d.add_paragraph("本局认真落实《条例》。")
    d.add_heading("四、政府信息公开行政复议、行政诉讼情况", 1)
    t = d.add_table(rows=3, cols=3)
    t.cell(0, 0).merge(t.cell(0, 1)).text = "行政复议"
    t.cell(0, 2).text = "行政诉讼"
    t.cell(1, 0).merge(t.cell(2, 0)).text = "结果维持"
    t.cell(1, 1).text, t.cell(1, 2).text, t.cell(2, 1).text, t.cell(2, 2).text = "1", "2", "3", "4"
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def test_docx_made_by_hand(accept):
    golden("docx-hand-made", read("docx", _hand_made_docx()), accept)


def test_docx_our_own_exactly(document):
    from reportgen.writers.docx import write_docx

    doc = read("docx", write_docx(document))
    same_blocks(doc.blocks, document.blocks)
    assert doc.properties["author"] == "云溪市市场监督管理局"


# --- md ------------------------------------------------------------------------------------

def test_md_our_own_output_exactly(document):
    from reportgen.writers.markdown import write_markdown

    same_blocks(read("md", write_markdown(document)).blocks, document.blocks)


def test_md_keeps_markup_lookalikes_as_text(accept):
    from reportgen.writers.markdown import write_markdown

    doc = Document([Title("标题 <b>x</b>"), Meta([("索引号", "1-2")]), Heading(1, "一、总体情况"),
                    Paragraph("1. 不是列表 *不是强调* [x](y) ~~~"), Paragraph("# 不是标题"),
                    Paragraph("<img src=x>", "right"), Paragraph("省政务公开办：", "left"),
                    Table(1, 2, 0, [])])
    doc.blocks.pop()
    back = read("md", write_markdown(doc))
    assert back.blocks == doc.blocks
    golden("md-lookalikes", back, accept)


def test_md_of_someone_else_reads_as_published_text(accept):
    golden("md-foreign", read("md", "某局2023年政府信息公开工作年度报告\n\n一、总体情况\n\n本局\\*认真\\*落实。\n"), accept)

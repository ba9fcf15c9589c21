"""Golden files for every writer from the example (``pytest --accept`` to regenerate, then
review the diff). The docx golden is ``word/document.xml`` pretty-printed, as pandoc does."""
from __future__ import annotations

import io
import zipfile

from lxml import etree

from conftest import GOLDEN, check_golden
from reportgen.writers.docx import write_docx
from reportgen.writers.text import display_width, write_text


def test_txt_golden(document, accept):
    check_golden(GOLDEN / "report-2021.txt", write_text(document).decode("utf-8"), accept)


def test_document_json_golden(document, accept):
    check_golden(GOLDEN / "report-2021.document.json", document.to_json(), accept)


def test_docx_document_xml_golden(document, accept):
    xml = zipfile.ZipFile(io.BytesIO(write_docx(document))).read("word/document.xml")
    pretty = etree.tostring(etree.fromstring(xml), pretty_print=True, encoding="unicode")
    check_golden(GOLDEN / "report-2021.document.xml", pretty, accept)


def test_document_json_round_trips(document):
    from reportgen.document import Document

    assert Document.from_json(document.to_json()) == document


def test_text_tables_line_up(document):
    text = write_text(document).decode("utf-8")
    block: list[str] = []
    for line in text.splitlines() + [""]:
        if line.startswith(("+", "|")):
            block.append(line)
        elif block:
            widths = {display_width(x) for x in block}
            assert len(widths) == 1, block[:3]
            block = []

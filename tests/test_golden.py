"""Golden files for every writer, one set per edition and script (``pytest --accept`` to
regenerate, then review the diff). The docx golden is ``word/document.xml`` pretty-printed,
as pandoc does."""
from __future__ import annotations

import io
import zipfile

import pytest
from lxml import etree

from conftest import GOLDEN, ROOT, check_golden
from reportgen.writers.docx import write_docx
from reportgen.formats.txt import display_width
from reportgen.writers.text import write_text

# (golden name, example, script): the 2021 edition, the 2019 edition, a free-form report
# with three heading levels, an addressee and a signature, and one in Traditional script
CASES = [
    ("report-2021", "report-2021.yaml", None),
    ("seed-004-2019-edition-2020", "seed-004-2019-edition-2020.yaml", None),
    ("seed-002-freeform-2010", "seed-002-freeform-2010.yaml", None),
    ("seed-001-freeform-2012-zh-TW", "seed-001-freeform-2012-zh-TW.yaml", "zh-TW"),
]
_documents: dict = {}


def _document(example: str, script: str | None):
    from reportgen.compose import compose
    from reportgen.loader import load_report

    key = (example, script)
    if key not in _documents:
        _documents[key] = compose(load_report(str(ROOT / "examples" / example)), script=script)
    return _documents[key]


@pytest.fixture(params=CASES, ids=[c[0] for c in CASES])
def case(request):
    name, example, script = request.param
    return name, _document(example, script)


def test_txt_golden(case, accept):
    name, doc = case
    check_golden(GOLDEN / f"{name}.txt", write_text(doc).decode("utf-8"), accept)


def test_document_json_golden(case, accept):
    name, doc = case
    check_golden(GOLDEN / f"{name}.document.json", doc.to_json(), accept)


def test_docx_document_xml_golden(case, accept):
    name, doc = case
    xml = zipfile.ZipFile(io.BytesIO(write_docx(doc))).read("word/document.xml")
    pretty = etree.tostring(etree.fromstring(xml), pretty_print=True, encoding="unicode")
    check_golden(GOLDEN / f"{name}.document.xml", pretty, accept)


def test_document_json_round_trips(case):
    from reportgen.document import Document

    _, doc = case
    assert Document.from_json(doc.to_json()) == doc


def test_text_tables_line_up(case):
    _, doc = case
    text = write_text(doc).decode("utf-8")
    block: list[str] = []
    for line in text.splitlines() + [""]:
        if line.startswith(("+", "|")):
            block.append(line)
        elif block:
            widths = {display_width(x) for x in block}
            assert len(widths) == 1, block[:3]
            block = []

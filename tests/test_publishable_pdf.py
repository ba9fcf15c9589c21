"""The PDF an office publishes as is (issue 20, items 3 and 5), checked on the PDF itself:

* every character of the txt output is in the PDF's text (pdftotext) — for every example, for
  random reports of each edition, and for paragraphs that put each closing mark at every place
  around a line end (LibreOffice hung a line-end “，” past the margin and drew nothing);
* the page flow: no lead-in “……如下：” at a page's foot apart from its table, no table part of
  a repeated header and one or two rows, no widow, the 落款 on the page of the last paragraph —
  and the checks find those faults in documents written without the guards.

Every PDF is made by one LibreOffice process (``office.convert_many``)."""
from __future__ import annotations

import shutil
import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
from publishable import flow_faults, missing_characters  # noqa: E402 - the benchmark's checks

from reportgen import office  # noqa: E402
from reportgen.compose import compose  # noqa: E402
from reportgen.document import Cell, Document, Paragraph, Table, Title  # noqa: E402
from reportgen.loader import load_report, validate_data  # noqa: E402
from reportgen.render import render_loaded  # noqa: E402
from reportgen.writers import docx as docx_writer  # noqa: E402
from reportgen.writers.pdf import fontconfig_file  # noqa: E402
from reportgen.writers.text import write_text  # noqa: E402

pytestmark = pytest.mark.skipif(not (office.soffice() and shutil.which("pdftotext")),
                                reason="LibreOffice/poppler not installed")

EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
RANDOM = [(edition, seed) for edition in ("2021", "2019", "freeform") for seed in (0, 1)]
CLOSING_MARKS = "，。、；：）”"
FILLER = "加强政府信息公开工作的组织领导和监督检查工作力度认真落实各项制度要求不断提高"
SWEEP = (9, 17, 18)  # single-line paragraphs before a lead-in and its table: a break near its end,
#                      one row after the header, the lead-in at the page's foot (measured)


def _punctuation_document() -> Document:
    """Paragraphs with a closing mark at each place from the 20th to the 34th character: one of
    them falls at the first line's end (the body line holds 25 characters after the indent)."""
    return Document([Title("标点测试"), *(Paragraph(FILLER[:n] + mark + "丰富公开内容")
                                       for n in range(20, 34) for mark in CLOSING_MARKS)])


def _table(n_rows: int) -> Table:
    cells = [Cell("项目", 0, 0, role="header"), Cell("甲", 0, 1, role="header"), Cell("乙", 0, 2, role="header")]
    for r in range(1, n_rows):
        cells += [Cell(f"第{r}行", r, 0, role="label"), Cell(str(r), r, 1), Cell(str(2 * r), r, 2)]
    return Table(n_rows, 3, 1, cells)


def _flow_document(lines: int) -> Document:
    return Document([Title("版面测试"), *[Paragraph("单行段落。")] * lines, Paragraph("本年度情况如下："), _table(16),
                     Paragraph("最后一段。"), Paragraph("某某局", "right"), Paragraph("2024年1月20日", "right")])


@pytest.fixture(scope="module")
def made(monkeypatch_module) -> dict:
    """{name: (txt, pdf, header rows of each table)} for everything the tests look at."""
    docs: dict[str, tuple[str, bytes, list[int]]] = {}
    for path in EXAMPLES:
        loaded = load_report(str(path))
        blobs = render_loaded(loaded, ["txt", "docx"])
        heads = [b.header_rows for b in compose(loaded).blocks if isinstance(b, Table)]
        docs[path.stem] = (blobs["txt"].decode("utf-8"), blobs["docx"], heads)
    from shapes.data import report
    for edition, seed in RANDOM:
        loaded = validate_data(report(seed, edition))
        blobs = render_loaded(loaded, ["txt", "docx"])
        heads = [b.header_rows for b in compose(loaded).blocks if isinstance(b, Table)]
        docs[f"random-{edition}-{seed}"] = (blobs["txt"].decode("utf-8"), blobs["docx"], heads)
    punct = _punctuation_document()
    docs["punctuation"] = (write_text(punct).decode("utf-8"), docx_writer.write_docx(punct), [])
    docs["punctuation-windows"] = (docs["punctuation"][0], docx_writer.write_docx(punct, fonts="windows"), [])
    for lines in SWEEP:
        doc = _flow_document(lines)
        docs[f"flow-{lines}"] = (write_text(doc).decode("utf-8"), docx_writer.write_docx(doc), [1])
    # the same documents without the guards: no keep-with-next for lead-ins, 落款 and table rows
    monkeypatch_module.setattr(docx_writer, "_keeps_with_next", lambda block, after: False)
    monkeypatch_module.setattr(docx_writer, "TAIL_ROWS", 1)
    docx_writer._house.cache_clear()
    try:
        for lines in SWEEP:
            doc = _flow_document(lines)
            docs[f"unguarded-{lines}"] = ("", docx_writer.write_docx(doc), [1])
    finally:
        monkeypatch_module.undo()
        docx_writer._house.cache_clear()  # the guarded tables again for whatever renders next
    names = list(docs)
    pdfs = office.convert_many([docs[n][1] for n in names], ".docx", "pdf", fonts=fontconfig_file())
    return {n: (docs[n][0], pdf, docs[n][2]) for n, pdf in zip(names, pdfs)}


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


CHECKED = [p.stem for p in EXAMPLES] + [f"random-{e}-{s}" for e, s in RANDOM] + ["punctuation", "punctuation-windows"]


@pytest.mark.parametrize("name", CHECKED)
def test_every_character_of_the_txt_is_in_the_pdf(made, name):
    txt, pdf, _ = made[name]
    assert txt.strip()
    assert missing_characters(txt, pdf) == []


@pytest.mark.parametrize("name", [p.stem for p in EXAMPLES] + [f"random-{e}-{s}" for e, s in RANDOM]
                         + [f"flow-{k}" for k in SWEEP])
def test_page_flow(made, name):
    _, pdf, heads = made[name]
    assert flow_faults(pdf, heads) == []


def test_the_flow_checks_find_the_faults_of_unguarded_documents(made):
    """Written without keep-with-next, the same documents strand rows under the repeated header
    and leave the lead-in at a page's foot; the checks say so."""
    faults = {k: flow_faults(made[f"unguarded-{k}"][1], [1]) for k in SWEEP}
    assert any("表格只剩表头" in f for f in faults[9]), faults
    assert any("引导语" in f for f in faults[18]), faults


def test_missing_characters_names_what_the_pdf_lacks(made):
    """The character check reports a line of the txt the PDF does not hold, and a table
    character the PDF holds fewer times."""
    txt, pdf, _ = made["flow-9"]
    assert missing_characters(txt, pdf) == []
    lost = missing_characters(txt.replace("最后一段。", "最后一段，丰富。") + "\n| 附录 |\n", pdf)
    assert any("最后一段" in m for m in lost) and any("“附”" in m for m in lost), lost


# --- PDF/A (issue 20, item 8) -------------------------------------------------------------------

def _pdfa_facts(pdf: bytes, tmp_path) -> dict:
    """What makes a PDF/A-2b, read from the file: its XMP identification and metadata, its
    output intents, encryption, and pdffonts' embedded column for every font."""
    import io
    import subprocess

    from lxml import etree
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    xmp = etree.fromstring(root["/Metadata"].get_object().get_data()) if "/Metadata" in root else None
    ns = {"pdfaid": "http://www.aiim.org/pdfa/ns/id/", "dc": "http://purl.org/dc/elements/1.1/",
          "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#"}
    find = (lambda path: xmp.findtext(path, namespaces=ns) if xmp is not None else None)  # noqa: E731
    intents = [i.get_object() for i in root.get("/OutputIntents", [])]
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in listing.splitlines()[2:] if line.strip()]
    return {"part": find(".//pdfaid:part"), "conformance": find(".//pdfaid:conformance"),
            "title": find(".//dc:title//rdf:li"), "creator": find(".//dc:creator//rdf:li"),
            "intents": [(str(i.get("/S")), "/DestOutputProfile" in i) for i in intents],
            "encrypted": reader.is_encrypted, "fonts": len(rows), "embedded": [r[-5] for r in rows]}


def test_render_pdfa_writes_pdf_a_2b(tmp_path, made):
    from click.testing import CliRunner

    from reportgen.cli import main

    example = ROOT / "examples" / "report-2021.yaml"
    result = CliRunner().invoke(main, ["render", str(example), "-f", "pdf", "--pdfa", "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    facts = _pdfa_facts((tmp_path / "out" / "report-2021.pdf").read_bytes(), tmp_path)
    loaded = load_report(str(example))
    doc = compose(loaded)
    assert facts["part"] == "2" and facts["conformance"] == "B"
    assert facts["intents"] == [("/GTS_PDFA1", True)]
    assert facts["title"] == doc.properties.get("title", doc.title) and facts["creator"] == doc.properties["author"]
    assert facts["fonts"] >= 3 and set(facts["embedded"]) == {"yes"} and not facts["encrypted"]
    # the ordinary PDF of the same report is not PDF/A: the test tells them apart
    plain = _pdfa_facts(made["report-2021"][1], tmp_path)
    assert plain["part"] is None and plain["intents"] == []


def test_pdfa_without_pdf_output_is_a_usage_error(tmp_path):
    from click.testing import CliRunner

    from reportgen.cli import main

    result = CliRunner().invoke(main, ["render", str(ROOT / "examples" / "report-2021.yaml"), "--pdfa",
                                       "-o", str(tmp_path)])
    assert result.exit_code != 0 and "-f pdf" in result.output and not list(tmp_path.iterdir())


# --- fonts for a plain `soffice --convert-to pdf` (issue 20, item 4) ------------------------------

def test_plain_soffice_with_the_fontconfig_file_installed_sets_three_families(tmp_path):
    """LibreOffice 7.4 ignores the docx font table's stand-ins (w:altName, w:panose1, w:family), and
    fontconfig knows none of the official names, so a plain conversion sets everything in one sans
    font. With the shipped fontconfig file installed as the user's (~/.config/fontconfig/fonts.conf:
    it includes the system configuration, which fontconfig does not read twice), the same plain
    command sets the body and title in a serif, 一级标题 in a sans and 二级标题 in a kai font."""
    import os
    import subprocess

    from reportgen.writers.pdf import fontconfig_file

    home = tmp_path / "home"
    (home / ".config" / "fontconfig").mkdir(parents=True)
    (home / ".config" / "fontconfig" / "fonts.conf").write_bytes(fontconfig_file().read_bytes())
    src = tmp_path / "report.docx"
    src.write_bytes(render_loaded(load_report(str(ROOT / "examples" / "report-2021.yaml")), ["docx"])["docx"])
    env = {k: v for k, v in os.environ.items() if k not in ("FONTCONFIG_FILE", "FONTCONFIG_PATH")}
    env["HOME"] = str(home)
    subprocess.run([office.soffice(), f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(src)], env=env, capture_output=True,
                   timeout=240, check=True)
    listing = subprocess.run(["pdffonts", str(tmp_path / "report.pdf")], capture_output=True, text=True,
                             check=True).stdout
    assert "NotoSerifCJK" in listing and "NotoSansCJK" in listing and "UKai" in listing, listing

"""Tables read from text in reading order (pdftotext -raw, pypdf, pdftohtml) of reports rendered
through the project to PDF: zeros printed as “—” beside a page's number, blanks given back by where
numbers stand (issue 19). The material is generated here (fixed seeds of bench/shapes), the
converter runs in the test."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from shapes import converters, data, layouts, measure  # noqa: E402
from reportgen.labels import stray_page_numbers  # noqa: E402
from reportgen.office import soffice  # noqa: E402

needs_office = pytest.mark.skipif(soffice() is None or shutil.which("pdftotext") is None,
                                  reason="LibreOffice or poppler not installed")


def _score(edition: str, seed: int, shape: str):
    d = data.report(seed, edition)
    t = data.truth(d)
    pdf = layouts.pdf(d, data.variant(seed, edition, tuple(layouts.LAYOUTS)))
    suffix, blob = converters.SHAPES[shape](pdf)
    return measure.score(blob, suffix, t, measure.key_figures(t), f"{edition}-{seed}.{shape}"), blob


def test_page_numbers_are_the_run_counting_up():
    lines = ["— 1 —", "x", "9", "- 18 -", "12", "— 2 —", "— 44 —", "— 3 —", "— —", "— 4 —"]
    assert stray_page_numbers(lines) == {3, 6}
    assert stray_page_numbers(["- 18 -", "— 2 —"]) == set()  # no run of two: nothing told apart
    assert stray_page_numbers(["— 1 —", "— 5 —", "— 2 —"]) == {1}
    assert stray_page_numbers(["— 1 —", "— 2 —", "x", "— 1 —", "— 2 —", "— 3 —"]) == set()  # numbered again


@needs_office
@pytest.mark.parametrize("seed", [10, 20])
def test_a_row_segment_that_looks_like_a_page_number_is_read(seed):
    """Zeros printed as “-” / “—” in narrow cells: pdftotext -raw prints a row's ``- 18 -`` (blank,
    18, blank) on a line of its own, exactly like a page's footer ``— 4 —``."""
    s, blob = _score("2021", seed, "pdftotext-raw")
    text = blob.decode("utf-8").splitlines()
    assert stray_page_numbers(text)  # the material holds the look-alike
    assert s.cells_right == s.cells_total and s.silent_wrong == 0, s.notes


def _tables_read(edition: str, seed: int, shape: str) -> tuple[dict, dict]:
    """(truth, read): {table name: {cell id: value}} of one generated report through ``shape``."""
    import tempfile
    from reportgen.reading import parse_file
    d = data.report(seed, edition)
    pdf = layouts.pdf(d, data.variant(seed, edition, tuple(layouts.LAYOUTS)))
    suffix, blob = converters.SHAPES[shape](pdf)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"r{suffix}"
        path.write_bytes(blob)
        result = parse_file(str(path))
    return data.truth(d), measure._cells_read(result)


@needs_office
@pytest.mark.parametrize("edition, seed, tables", [
    ("2021", 18, ("reviews", "applications", "proactive")),  # table 四 alone on a page: no wrapped number there
    ("2019", 4, ("proactive", "reviews")),  # table 二: short rows, a block split by the page; 四: digits stacked
    ("2021", 6, ("proactive", "applications", "reviews")),
])
def test_pdftohtml_blanks_are_placed_by_the_header(edition, seed, tables):
    truth, read = _tables_read(edition, seed, "pdftohtml")
    for table in tables:
        assert read[table] == truth[table], table


def test_cells_are_not_taken_from_a_search_cut_short():
    """Table 二 (no sums) with two numbers for three cells in several rows: every way to cut them
    keeps the rules, more than are looked at; the first ones found all share the first row's first
    cut, which is no reason to take it (2019-4 through pdftotext -raw read ``71049`` as 7|1049)."""
    from reportgen.tables.decode import MISSING, decode_rows
    from reportgen.tables.match import row_patterns
    from reportgen.editions import EDITIONS
    spec = next(s for s in EDITIONS["2019"].tables if s.name == "proactive")
    columns = {rid: cols for rid, _, cols in row_patterns(spec)}
    rows = {rid: ["71049", "73072"] for rid, cols in columns.items() if len(cols) == 3}
    out = decode_rows(spec, rows, columns, spec.row_label)
    first = next(iter(rows))
    assert all(out.flags[(first, c)] == MISSING for c in columns[first])
    assert out.notes  # and said so


def _pdftohtml_page(headers: list[tuple[int, int, str]], numbers: list[tuple[int, str]]) -> str:
    """A pdftohtml -s page: header fragments (top, left, text with <br/>), then one row of number
    fragments (left, text) at top 992; fonts 11 px (headers) and 18 px (numbers), whose CSS is
    written on an earlier page under that page's prefix (as pdftohtml does)."""
    ps = [f'<p style="position:absolute;top:{t}px;left:{x}px;white-space:nowrap" class="ft511">{s}</p>'
          for t, x, s in headers]
    ps += [f'<p style="position:absolute;top:992px;left:{x}px;white-space:nowrap" class="ft514">{s}</p>'
           for x, s in numbers]
    return ('<html><body><style type="text/css"><!-- .ft111{font-size:11px;} .ft114{font-size:18px;} --></style>'
            '<div id="page1-div" style="position:relative;width:892px;height:1263px;"><p style="position:absolute;'
            'top:100px;left:111px;white-space:nowrap" class="ft111">目录。</p></div>'
            '<div id="page5-div" style="position:relative;width:892px;height:1263px;">'
            '<p style="position:absolute;top:726px;left:147px;white-space:nowrap" class="ft511">四、政府信息公开行政复议、行政诉讼情况。</p>'
            + "".join(ps) + "</div></body></html>")


# table 四 as a real PDF prints it (the corpus's shape): headers spaced out letter by letter, one
# cell's header over two fragments, numbers left-aligned in their cells
_HEADERS = [(777, 111, "行政复议"), (777, 341, "行政诉讼"), (830, 341, "未经复议直接起诉"), (830, 555, "复议后起诉")]
for _x, (_a, _b) in zip((111, 152, 194, 247), (("结&#160;果", "维持"), ("结&#160;果", "纠正"), ("其&#160;他&#160;结", "果"),
                                              ("尚&#160;未", "审结"))):
    _HEADERS += [(866, _x, _a), (905, _x, _b)]
_HEADERS.append((886, 290, "总计"))
for _x0 in (341, 555):
    for _k, (_a, _b) in enumerate((("结&#160;果", "维持"), ("结&#160;果", "纠正"), ("其&#160;他", "结果"), ("尚&#160;未", "审结"))):
        _HEADERS += [(893, _x0 + 43 * _k, _a), (932, _x0 + 43 * _k, _b)]
    _HEADERS.append((912, _x0 + 172, "总计"))


def _row_after_fill(numbers):
    from lxml import etree
    from reportgen.readers.pdftohtml import fill_blanks
    root = etree.fromstring(_pdftohtml_page(_HEADERS, numbers), etree.HTMLParser())
    fill_blanks(root)
    return [t for p in root.iter("p") if (p.get("class") == "ft514") for t in ["".join(p.itertext())] if t]


def test_pdftohtml_header_spaced_out_letter_by_letter_is_one_cell():
    full = [(111, "72&#160;64"), (194, "178"), (247, "37"), (290, "351"), (341, "13"), (385, "4"), (428, "8"),
            (470, "1"), (513, "26"), (555, "12"), (598, "1"), (640, "1"), (683, "6"), (736, "20")]
    assert _row_after_fill(full) == ["72 64 178 37 351 13 4 8 1 26 12 1 1 6 20"]


def test_pdftohtml_blank_cells_given_back_under_their_headers():
    # 结果纠正, 未经复议直接起诉·其他结果 and ·尚未审结 left blank (printed as nothing)
    row = [(111, "72"), (194, "178"), (247, "37"), (290, "287"), (341, "13"), (385, "4"), (513, "17"),
           (555, "12"), (598, "1"), (640, "1"), (683, "6"), (736, "20")]
    assert _row_after_fill(row) == ["72 — 178 37 287 13 4 — — 17 12 1 1 6 20"]

"""Table 三 read from the text pdfminer.six makes of our rendered PDFs (tables/placement.py).

The fixtures are pdfminer's ``extract_text`` of two generated reports (bench/shapes, seeds
2021:0 and 2019:16, rendered through LibreOffice): row runs, cells wrapped in their narrow
columns (183 / 6), two rows' totals printed as one column after a later row, all of a page's
labels before its numbers. Their truth comes from the same generator."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from shapes import data  # noqa: E402
from reportgen.editions import EDITIONS  # noqa: E402
from reportgen.readers.text import read_text  # noqa: E402
from reportgen.reading import parse_file, read_options  # noqa: E402
from reportgen.tables import placement  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures" / "shapes"


def _applications(result) -> dict:
    spec = next(s for s in EDITIONS[result.edition].tables if s.name == "applications")
    return dict(spec.cells_from_data(result.data[spec.key]))


@pytest.mark.parametrize("edition,seed", [("2021", 0), ("2019", 16)])
def test_every_cell_of_table_3_is_placed(edition, seed):
    result = parse_file(str(FIXTURES / f"pdfminer-{edition}-{seed}.txt"))
    truth = data.truth(data.report(seed, edition))["applications"]
    got = _applications(result)
    assert {c: got[c] for c in truth} == truth
    assert not any(w.path and w.path[0] == "收到和处理政府信息公开申请情况" for w in result.warnings)
    assert set(result.cells["收到和处理政府信息公开申请情况"].values()) == {"decoded"}


def test_loose_table_keeps_where_the_boxes_begin():
    text = (FIXTURES / "pdfminer-2021-0.txt").read_text("utf-8")
    doc = read_text(text, read_options("x.txt"))
    table = next(b for b in doc.blocks if getattr(b, "breaks", ()) and
                 any(c.text == "468" for c in b.cells))
    rows = {c.row: c.text for c in table.cells}
    at = next(r for r, t in rows.items() if t == "468")
    assert at in table.breaks and at + 1 not in table.breaks  # 468 / 9 is one box (4689 wrapped)


def test_numbers_that_break_the_sums_are_not_placed():
    # one digit changed: no placement keeps every rule, so the cells are not read from it
    text = (FIXTURES / "pdfminer-2021-0.txt").read_text("utf-8").replace("62 211 174 181 629", "62 211 174 181 639")
    result = parse_file_text(text)
    truth = data.truth(data.report(0, "2021"))["applications"]
    got = _applications(result)
    wrong = [c for c in truth if got[c] != truth[c]]
    assert wrong and any(w.path and w.path[0] == "收到和处理政府信息公开申请情况" for w in result.warnings)


def test_past_its_budget_the_table_is_flagged_not_guessed(monkeypatch):
    monkeypatch.setattr(placement, "MAX_STEPS", 50)
    result = parse_file_text((FIXTURES / "pdfminer-2021-0.txt").read_text("utf-8"))
    truth = data.truth(data.report(0, "2021"))["applications"]
    got = _applications(result)
    assert any(got[c] != truth[c] for c in truth)
    assert any(w.path and w.path[0] == "收到和处理政府信息公开申请情况" for w in result.warnings)


def parse_file_text(text: str):
    from reportgen.reading import parse_bytes
    return parse_bytes(text.encode("utf-8"), "txt", "report.txt")


def test_a_page_printed_column_by_column_is_read_along_its_rows():
    # two rows' labels, then their 14 cells one a line down the columns (pdfminer, short numbers)
    spec = next(s for s in EDITIONS["2021"].tables if s.name == "applications")
    cols = spec.col_ids()
    rows = [[3001, 53, 0, 1, 0, 12, 3067], [34, 0, 0, 0, 0, 0, 34]]
    down = [str(rows[r][c]) for c in range(7) for r in range(2)]
    lines = [placement._Line([t], k, 2) for k, t in enumerate(down)]
    out = placement._by_rows(lines, 7, placement._row_rules(spec, cols))
    assert [[int(t) for t in ln.tokens] for ln in out] == rows
    # printed along the rows already: left as printed
    along = [placement._Line([str(v)], k, 2) for k, v in enumerate(rows[0] + rows[1])]
    assert placement._by_rows(along, 7, placement._row_rules(spec, cols)) == along


def test_rows_printed_out_of_order_are_not_swapped_silently():
    # 2.'s numbers printed first, on its label's line, then 1.'s: swapping two detail rows keeps
    # every sum, so only the label beside the numbers tells them apart — never the print order
    text = (FIXTURES / "pdfminer-2021-0.txt").read_text("utf-8")
    before = "1.屬於國家秘密\n\n166\n\n8 — — 129 64 367\n\n2.其他法律行政法規禁止公開 244 — 41\n\n73 139 256 753"
    after = "1.屬於國家秘密\n2.其他法律行政法規禁止公開 244 — 41\n\n73 139 256 753\n\n166\n\n8 — — 129 64 367"
    assert before in text
    result = parse_file_text(text.replace(before, after))
    truth = data.truth(data.report(0, "2021"))["applications"]
    got = _applications(result)
    warned = any(w.path and w.path[0] == "收到和处理政府信息公开申请情况" for w in result.warnings)
    assert all(got[c] == v for c, v in truth.items()) or warned

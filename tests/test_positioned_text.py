"""Tables read from ``pdftotext -layout`` text of reports rendered here (bench/shapes: the project's
docx through LibreOffice, in the layouts that failed: narrow margins, wide margins with zeros printed
as nothing, a table split over pages with its header repeated), scored against the generator's own
truth; and the search that settles rows with several readings by the rules across rows
(readers/positioned.py)."""
from __future__ import annotations

import itertools
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from shapes import converters, data, layouts, measure  # noqa: E402
from reportgen.editions import EDITIONS  # noqa: E402
from reportgen.readers import positioned  # noqa: E402


def _layout_score(seed: int, edition: str, layout: str) -> measure.Score:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext not installed")
    report = data.report(seed, edition)
    variant = data.variant(seed, edition, tuple(layouts.LAYOUTS))
    assert variant["layout"] == layout  # the case this test is about
    try:
        pdf = layouts.pdf(report, variant)
    except Exception as e:  # noqa: BLE001 - no LibreOffice here: nothing to render with
        pytest.skip(f"cannot render a PDF: {e}")
    suffix, text = converters.pdftotext_layout(pdf)
    truth = data.truth(report)
    return measure.score(text, suffix, truth, measure.key_figures(truth), f"{edition}-{seed}")


def test_narrow_margins_rows_settled_by_the_sums_across_rows():
    """2021 seed 8, narrow margins: numbers wrap over two or three lines and a row's zero stands on
    its label line, pushed right; six rows have several readings each (over 100,000 together),
    settled by the （七）总计 row and the 勾稽 rule."""
    s = _layout_score(8, "2021", "narrow-margins")
    assert (s.cells_right, s.keys_right, s.silent_wrong) == (s.cells_total, 7, 0)


def test_wide_margins_2019_table_chosen_over_2021():
    """2019 seed 2: the 2021 table's rows are found as often as the 2019 table's (its extra rows
    are not there); the 2019 table is read, so its （六）其他处理 row settles the sums."""
    s = _layout_score(2, "2019", "wide-margins")
    assert (s.cells_right, s.keys_right, s.silent_wrong) == (s.cells_total, 7, 0)


def test_split_table_lines_shifted_by_their_labels():
    """2021 seed 10, the table split over pages with its header repeated, three-digit numbers
    wrapped one digit a line and “-” blanks: the values a label pushes right are shifted by one
    amount; rows still undecided are flagged, never guessed."""
    s = _layout_score(10, "2021", "split-repeat-header")
    assert s.silent_wrong == 0 and s.silent_missing == 0
    assert s.cells_right >= 170  # 109 of 200 before


def test_rows_with_several_readings_settled_column_by_column():
    """Every 办理结果 row of table 三 given its true reading and one with two of its cells
    swapped (2^21 combinations; the totals read once): the rules across rows leave only the true
    one for each row."""
    spec = next(t for t in EDITIONS["2021"].tables if t.name == "applications")
    truth = data.truth(data.report(3, "2021"))["applications"]
    cols = [c for c in spec.col_ids()]
    readings = {}
    for rid in spec.row_ids():
        true = tuple(str(truth.get((rid, c), 0)) for c in cols)
        swapped = list(true)
        a, b = next(((i, j) for i, j in itertools.combinations(range(len(cols) - 1), 2) if true[i] != true[j]))
        swapped[a], swapped[b] = swapped[b], swapped[a]
        fixed = rid in ("本年新收", "上年结转", "办理结果.总计", "结转下年度")
        readings[rid] = {true} if fixed else {true, tuple(swapped)}
    assert sum(len(r) == 2 for r in readings.values()) == 21
    rows, kept = positioned._settle(spec, readings, cols)
    assert kept
    assert all(rows[rid] == tuple(str(truth.get((rid, c), 0)) for c in cols) for rid in spec.row_ids())


def test_rules_that_no_choice_keeps_are_told():
    """A row whose readings all break the sums: nothing is settled and the caller is told (so it
    reads the rows again loosely)."""
    spec = next(t for t in EDITIONS["2021"].tables if t.name == "applications")
    truth = data.truth(data.report(3, "2021"))["applications"]
    cols = spec.col_ids()
    readings = {rid: {tuple(str(truth.get((rid, c), 0)) for c in cols)} for rid in spec.row_ids()}
    rid = "结转下年度"
    (only,) = readings[rid]
    readings[rid] = {only[:-1] + (str(int(only[-1]) + 1),)}
    _, kept = positioned._settle(spec, readings, cols)
    assert not kept


def test_one_row_table_with_a_zero_printed_as_nothing():
    """Table 四 printed with its zeros as nothing has fewer columns of values than cells; the empty
    column is placed where the sums allow, and the table is left unread where they allow two."""
    spec = next(t for t in EDITIONS["2021"].tables if t.name == "reviews")
    checks = positioned.row_checks(positioned.row_rules(spec), spec.col_ids())
    cells = ["3", "4", "5", "6", "18", "1", "2", "3", "4", "10", "5", "6", "", "8", "19"]
    filled = [c for c in cells if c]
    line = positioned._parse(0, "   ".join(filled), 0)
    grid = [t.center for t in line.values]
    readings = positioned._with_empty_columns([line], grid, len(cells), checks)
    assert tuple(cells) in readings
    assert all(r[4] == "18" and r[9] == "10" and r[14] == "19" for r in readings)

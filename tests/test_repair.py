"""repair.py: a single misread digit is corrected from the sum rules; anything else is flagged."""
import random

from reportgen.rules import resolve
from reportgen.tables.edition2021 import APPLICATIONS as SPEC, REVIEWS
from reportgen.repair import checked, repair


def _valid(seed: int) -> dict:
    """A table-三 cell store in which every declared rule holds."""
    rng = random.Random(seed)
    cells = {c: None if c in SPEC.total_cells else rng.randint(0, 40) for c in SPEC.cell_ids()}
    cols = [c for c in SPEC.col_ids() if c != "总计"]
    results = [r for r in SPEC.row_ids() if r.startswith("办理结果.") and r != "办理结果.总计"]
    for c in cols:
        cells[("上年结转", c)] = rng.randint(0, 5)
        cells[("本年新收", c)] = (sum(cells[(r, c)] for r in results) + cells[("结转下年度", c)]
                                 - cells[("上年结转", c)])
    full, findings = resolve(SPEC, cells)
    assert not findings and all(v is not None for v in full.values())
    return full


def test_valid_table_is_untouched_and_confirmed():
    cells = _valid(1)
    out = repair(SPEC, cells)
    assert out.cells == cells and not out.corrected and not out.flagged and not out.unconfirmed


def test_single_digit_misread_is_corrected_and_reported():
    for seed in range(5):
        cells = _valid(seed)
        cell = ("办理结果.予以公开", "自然人")
        true = cells[cell]
        wrong = int(str(true)[:-1] + str((true % 10 + 3) % 10))  # last digit misread
        out = repair(SPEC, {**cells, cell: wrong})
        assert out.corrected == {cell: (wrong, true)}
        assert out.cells == cells and not out.flagged
        assert any("更正为" in m and str(true) in m for m in out.messages(SPEC))


def test_a_cell_misread_in_two_digits_is_corrected_when_its_row_and_column_agree():
    """OCR reads 99 as 66 (or drops a digit): one cell, pinned by its row sum and its column sum
    giving the same value, is corrected — and reported."""
    cells = _valid(4)
    cell = ("办理结果.不予公开.属于行政执法案卷", "社会公益组织")
    for wrong in (cells[cell] + 33, cells[cell] * 10 + 7):
        out = repair(SPEC, {**cells, cell: wrong})
        assert out.corrected == {cell: (wrong, cells[cell])} and out.cells == cells and not out.flagged


def test_two_misreads_are_flagged_not_guessed():
    cells = _valid(7)
    bad = dict(cells)
    bad[("办理结果.予以公开", "自然人")] += 1
    bad[("办理结果.部分公开", "商业企业")] += 10
    out = repair(SPEC, bad)
    assert not out.corrected
    assert ("办理结果.予以公开", "自然人") in out.flagged and ("办理结果.部分公开", "商业企业") in out.flagged
    assert out.cells == bad


def test_missing_cell_leaves_the_rest_of_its_only_rule_unconfirmed():
    """Table 四 has one rule per group: a cell not read leaves that group's other cells unvouched."""
    cells = {c: None if c in REVIEWS.total_cells else 2 for c in REVIEWS.cell_ids()}
    cells, findings = resolve(REVIEWS, cells)
    assert not findings
    cells[("", "行政复议.结果维持")] = None
    out = repair(REVIEWS, cells)
    assert not out.corrected and not out.flagged
    assert out.unconfirmed == {("", "行政复议." + k) for k in ("结果纠正", "其他结果", "尚未审结", "总计")}
    assert len(out.messages(REVIEWS)) == 4 and all("无法由勾稽关系核实" in m for m in out.messages(REVIEWS))


def test_checked_gives_the_corrected_cells_and_one_line_for_the_unvouched():
    """What extraction uses for a scanned table: corrections applied and warned about; the cells no
    rule vouches for named in a single warning, not one each."""
    cells = _valid(3)
    cell = ("办理结果.予以公开", "自然人")
    true = cells[cell]
    fixed, notes = checked(SPEC, {**cells, cell: true + 1 if true % 10 != 9 else true - 1})
    assert fixed == cells and len(notes) == 1 and "更正为" in notes[0]
    reviews = {c: None if c in REVIEWS.total_cells else 2 for c in REVIEWS.cell_ids()}
    reviews, _ = resolve(REVIEWS, reviews)
    reviews[("", "行政复议.结果维持")] = None
    _, notes = checked(REVIEWS, reviews)
    assert len(notes) == 1 and "无法由勾稽关系核实" in notes[0] and "OCR" in notes[0]

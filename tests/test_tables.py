"""The 2021 table declarations: labels byte for byte, merge structure, cell counts, shapes."""
from __future__ import annotations

import pytest

from conftest import STATUTORY
from reportgen.tables.edition2021 import APPLICATIONS, PROACTIVE, REVIEWS, TABLES
from reportgen.tables.spec import leaves


def _spans(table):
    return {c.text: (c.row, c.col, c.rowspan, c.colspan) for c in table.cells if c.role != "value"}


def test_cell_counts_match_the_format():
    # statutory.md §6: 10 + 175 + 15 = 200 numbers
    assert len(PROACTIVE.cell_ids()) == 10
    assert len(APPLICATIONS.cell_ids()) == 175
    assert len(REVIEWS.cell_ids()) == 15


def test_applications_layout_has_the_official_merges():
    t = APPLICATIONS.layout({})
    s = _spans(t)
    assert (t.n_rows, t.n_cols, t.header_rows) == (28, 10, 3)
    assert s["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"] == (0, 0, 3, 3)
    assert s["申请人情况"] == (0, 3, 1, 7)
    assert s["自然人"] == (1, 3, 2, 1)
    assert s["法人或其他组织"] == (1, 4, 1, 5)
    assert s["商业企业"] == (2, 4, 1, 1)
    assert s["一、本年新收政府信息公开申请数量"] == (3, 0, 1, 3)
    assert s["三、本年度办理结果"] == (5, 0, 22, 1)
    assert s["（一）予以公开"] == (5, 1, 1, 2)
    assert s["（三）不予公开"] == (7, 1, 8, 1)
    assert s["（四）无法提供"][2] == 3
    assert s["（五）不予处理"][2] == 5
    assert s["（六）其他处理"][2] == 3
    assert s["（七）总计"] == (26, 1, 1, 2)
    assert s["四、结转下年度继续办理"] == (27, 0, 1, 3)
    # the 总计 header appears twice (column header, spanning two header rows) and as （七）总计
    totals = [c for c in t.cells if c.text == "总计"]
    assert [(c.row, c.col, c.rowspan) for c in totals] == [(1, 9, 2)]


def test_reviews_layout():
    t = REVIEWS.layout({})
    assert (t.n_rows, t.n_cols, t.header_rows) == (4, 15, 3)
    cells = {(c.row, c.col): c for c in t.cells}
    assert (cells[0, 0].text, cells[0, 0].colspan) == ("行政复议", 5)
    assert (cells[0, 5].text, cells[0, 5].colspan) == ("行政诉讼", 10)
    assert (cells[1, 0].text, cells[1, 0].rowspan) == ("结果维持", 2)
    assert (cells[1, 4].text, cells[1, 4].rowspan) == ("总计", 2)
    assert (cells[1, 5].text, cells[1, 5].colspan) == ("未经复议直接起诉", 5)
    assert (cells[1, 10].text, cells[1, 10].colspan) == ("复议后起诉", 5)
    assert [cells[2, k].text for k in range(5, 15)] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2
    assert all((3, k) in cells for k in range(15))


def test_proactive_layout():
    t = PROACTIVE.layout({})
    rows = {}
    for c in t.cells:
        rows.setdefault(c.row, []).append((c.text, c.colspan))
    assert rows[0] == [("第二十条第（一）项", 4)]
    assert rows[1] == [("信息内容", 1), ("本年制发件数", 1), ("本年废止件数", 1), ("现行有效件数", 1)]
    assert rows[5] == [("信息内容", 1), ("本年处理决定数量", 3)]
    assert rows[12] == [("信息内容", 1), ("本年收费金额（单位：万元）", 3)]
    assert [r[0][0] for r in rows.values()] == [
        "第二十条第（一）项", "信息内容", "规章", "行政规范性文件", "第二十条第（五）项", "信息内容", "行政许可",
        "第二十条第（六）项", "信息内容", "行政处罚", "行政强制", "第二十条第（八）项", "信息内容", "行政事业性收费"]


def _all_labels():
    out = set()
    for spec in TABLES:
        for c in spec.layout({}).cells:
            if c.role != "value":
                out.add(c.text)
    return out


def test_labels_use_official_punctuation():
    labels = _all_labels()
    assert "3.危及“三安全一稳定”" in labels
    assert "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请" in labels
    assert "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请" in labels
    for label in labels:
        assert "(" not in label and ")" not in label, label  # full-width brackets only


@pytest.mark.skipif(not STATUTORY.exists(), reason="shared/spec/statutory.md not beside the checkout")
def test_every_label_appears_verbatim_in_the_spec():
    text = STATUTORY.read_text("utf-8")
    missing = [label for label in _all_labels() if label not in text]
    assert not missing


def test_leaf_ids_are_unique_and_keys_nest():
    ids = [rid for rid, _ in leaves(APPLICATIONS.rows)]
    assert len(ids) == len(set(ids)) == 25
    assert "办理结果.不予公开.属于国家秘密" in ids
    assert "办理结果.其他处理.逾期不补正" in ids
    paths = [p for p, _ in REVIEWS.fields()]
    assert ("政府信息公开行政复议、行政诉讼情况", "复议后起诉", "总计") in paths


def test_cells_round_trip_through_data():
    cells = {cid: i for i, cid in enumerate(APPLICATIONS.cell_ids())}
    assert APPLICATIONS.cells_from_data(APPLICATIONS.data_from_cells(cells)) == cells

"""The extractor and the table matcher, one rule at a time on small Documents: which edition the
tables' labels say, which declared section a heading opens, the overview's parts, the sentences
of 六 taken back into values, the agency and year, and table numbers read by label whatever the
shape."""
from __future__ import annotations

import pytest

from reportgen.document import Cell, Document, Heading, Meta, Paragraph, Table, Title
from reportgen.editions import EDITIONS
from reportgen.extract import extract, identify_edition, section_of
from reportgen.labels import BLANK
from reportgen.tables.match import match_table

E2021, E2019 = EDITIONS["2021"], EDITIONS["2019"]


def loose(*rows: list[str]) -> Table:
    """A table as a reader of published text makes one: one row per line, no spans."""
    cells = [Cell(text, r, c, role="value" if text.isdigit() else "label") for r, row in enumerate(rows)
             for c, text in enumerate(row)]
    return Table(len(rows), max(len(r) for r in rows), 0, cells)


# --- editions ------------------------------------------------------------------------------

@pytest.mark.parametrize("labels,year,edition", [
    (["本年制发件数", "行政规范性文件"], 2023, "2021"),
    (["本年新制作数量", "规范性文件", "政府集中采购"], 2020, "2019"),
    (["一、本年新收政府信息公开申请数量", "（一）予以公开", "四、结转下年度继续办理"], 2020, "2019"),  # a tie: the year
    (["一、本年新收政府信息公开申请数量", "（一）予以公开", "四、结转下年度继续办理"], 2022, "2021"),
    (["本年制发件数", "行政规范性文件", "本年新收"], 2020, "2021"),  # the labels win over the year
    (["某某", "其他"], 2023, "freeform"),
])
def test_the_edition_is_the_one_whose_labels_the_tables_carry(labels, year, edition):
    assert identify_edition([loose(labels)], year).id == edition


def test_no_tables_is_free_form():
    assert identify_edition([], 2023).id == "freeform"


# --- sections ------------------------------------------------------------------------------

@pytest.mark.parametrize("text,attr", [
    ("一、总体情况", "overview"),
    ("二、主动公开政府信息情况", "proactive"),
    ("二、主动公开政府信息的情况", "proactive"),                      # a wording of statutory.md §4.1
    ("四、因政府信息公开工作被申请行政复议提起行政诉讼情况", "reviews"),
    ("五、政府信息公开工作存在的主要问题及改进情况", "problems"),
    ("五、存在的问题和下一步工作打算", "problems"),                     # the marker word, in the right place
    ("三、存在的问题", None),                                          # the marker word in the wrong place
    ("六、其他需要报告的事项", "other"),
])
def test_a_heading_opens_the_declared_section(text, attr):
    found = section_of(Heading(1, text), E2021)
    assert (found.attr if found else None) == attr


def _report(*blocks) -> Document:
    """A 2021 report: the title, ``blocks``, and a table with 2021 labels to say the edition."""
    return Document([Title("某局2023年政府信息公开工作年度报告"), *blocks,
                     loose(["本年制发件数", "行政规范性文件", "一、本年新收政府信息公开申请数量"])])


def test_the_overview_parts_and_the_agency_own_sub_sections():
    doc = _report(Heading(1, "一、总体情况"), Paragraph("综述。"), Heading(2, "（一）主动公开"), Paragraph("公开了。"),
                  Heading(2, "（五）监督保障"), Paragraph("保障了。"), Heading(2, "（六）本局特色"), Paragraph("特色。"))
    data = extract(doc).data["总体情况"]
    assert data == {"概述": ["综述。"], "主动公开": ["公开了。"], "监督保障": ["保障了。"],
                    "小节": [{"标题": "（六）本局特色", "段落": ["特色。"]}]}


@pytest.mark.parametrize("sentence,values", [
    ("本年度，本机关依据《政府信息公开信息处理费管理办法》发出收费通知2件，收取信息处理费150元。",
     {"收费通知件数": 2, "收费金额": 150}),
    ("本年度，本机关依据《政府信息公开信息处理费管理办法》发出收费通知1件，收取信息处理费12.50元。",
     {"收费通知件数": 1, "收费金额": __import__("decimal").Decimal("12.50")}),
    ("本年度，本机关未收取政府信息公开信息处理费。", {"收费通知件数": 0, "收费金额": 0}),
])
def test_the_declared_sentences_of_section_six_give_back_their_values(sentence, values):
    doc = _report(Heading(1, "六、其他需要报告的事项"), Paragraph(sentence), Paragraph("其他说明。"))
    other = extract(doc).data["其他需要报告的事项"]
    assert other == {"信息处理费": values, "其他事项": ["其他说明。"]}


def test_nothing_to_report_is_no_text_of_the_agency():
    doc = _report(Heading(1, "六、其他需要报告的事项"), Paragraph("本年度无其他需要报告的事项。"))
    assert extract(doc).data["其他需要报告的事项"] == {}


def test_a_missing_section_is_a_warning_with_its_code():
    found = extract(_report(Heading(1, "一、总体情况"), Paragraph("综述。"),
                            Table(1, 2, 0, [Cell("本年制发件数", 0, 0), Cell("行政规范性文件", 0, 1)])))
    codes = {w.code for w in found.warnings}
    assert {"missing-section", "missing-table"} <= codes


@pytest.mark.parametrize("blocks,agency,year", [
    ([Title("云溪市财政局2023年政府信息公开工作年度报告")], "云溪市财政局", 2023),
    ([Title("2010年省财政厅政务公开工作报告")], "省财政厅", 2010),
    ([Meta([("发布机构", "某县档案馆")]), Paragraph("本报告所列数据的统计期限为2022年1月1日至2022年12月31日。")],
     "某县档案馆", 2022),
])
def test_agency_and_year(blocks, agency, year):
    data = extract(Document(blocks)).data
    assert (data["机关名称"], data["报告年度"]) == (agency, year)


# --- tables by label ---------------------------------------------------------------------------

APPLICATIONS = E2021.table("applications")
PROACTIVE = E2021.table("proactive")
REVIEWS = E2021.table("reviews")


def test_numbers_follow_the_label_they_come_after():
    m = match_table(APPLICATIONS, [loose(["一、本年新收政府信息公开申请数量", "1", "2", "3", "4", "5", "6", "21"])])
    assert [m.cells[("本年新收", c)] for c in APPLICATIONS.col_ids()] == [1, 2, 3, 4, 5, 6, 21]
    assert m.rows_found == 1 and ("上年结转", "自然人") in m.missing


def test_a_label_broken_across_cells_is_joined():
    m = match_table(APPLICATIONS, [loose(["三、本年度", "办理结果", "（二）部分公开（区分处理的，只计这一情", "形，不计其他情形）",
                                          "1", "0", "0", "0", "0", "0", "1"])])
    assert m.cells[("办理结果.部分公开", "自然人")] == 1


def test_blank_markers_read_as_zero_and_are_listed():
    m = match_table(PROACTIVE, [loose(["规章", "-", "/", "无"])])
    assert [m.cells[("规章", c)] for c in ("本年制发件数", "本年废止件数", "现行有效件数")] == [0, 0, 0]
    assert len(m.blanks) == 3


def test_table_four_takes_the_numbers_after_its_last_header():
    header = ["行政复议", "行政诉讼", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    m = match_table(REVIEWS, [loose(header, [str(i) for i in range(15)])])
    assert m.cells[("", "复议后起诉.总计")] == 14 and m.cells[("", "行政复议.结果维持")] == 0


def test_a_repeated_header_is_not_read_twice():
    m = match_table(PROACTIVE, [loose(["规章", "1", "2", "3"], ["规章", "9", "9", "9"])])
    assert [m.cells[("规章", c)] for c in ("本年制发件数", "本年废止件数", "现行有效件数")] == [1, 2, 3]


def test_blank_is_a_marker_not_a_number():
    from reportgen.labels import number

    assert number("—") is BLANK and number("1,234") == 1234 and number("12.50元") is not None and number("x") is None

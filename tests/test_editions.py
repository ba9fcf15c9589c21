"""The 2019 edition, free-form reports, publication metadata and edition detection:
declarations, validation, docx merges and the data-file features the seeds need."""
from __future__ import annotations

import io
from decimal import Decimal

import docx
import pytest

from conftest import ROOT, STATUTORY
from reportgen.compose import compose
from reportgen.document import Heading, Meta, Paragraph, Table, Title
from reportgen.editions import EDITIONS, edition_for_year
from reportgen.errors import ValidationFailed
from reportgen.loader import load_report
from reportgen.tables import edition2019
from reportgen.writers.docx import write_docx
from test_docx import read_cells

EX2019 = ROOT / "examples" / "seed-004-2019-edition-2020.yaml"
EXFREE = ROOT / "examples" / "seed-002-freeform-2010.yaml"
T2, T3, T4 = "主动公开政府信息情况", "收到和处理政府信息公开申请情况", "政府信息公开行政复议、行政诉讼情况"


@pytest.fixture
def data2019():
    from reportgen.yamlio import load_yaml

    data, _ = load_yaml(EX2019.read_text("utf-8"), str(EX2019))
    return data


def errors(path) -> list:
    with pytest.raises(ValidationFailed) as info:
        load_report(str(path))
    return [p for p in info.value.problems if p.severity == "error"]


# --- declarations ----------------------------------------------------------------------

def test_2019_cell_counts_match_the_format():
    # statutory.md §2.4–2.6: 22 + 161 + 15
    assert len(edition2019.PROACTIVE.cell_ids()) == 22
    assert len(edition2019.APPLICATIONS.cell_ids()) == 161
    assert len(edition2019.REVIEWS.cell_ids()) == 15


def test_2019_applications_layout_spans_20_rows():
    t = edition2019.APPLICATIONS.layout({})
    s = {c.text: (c.row, c.col, c.rowspan, c.colspan) for c in t.cells if c.role != "value"}
    assert (t.n_rows, t.n_cols, t.header_rows) == (26, 10, 3)
    assert s["三、本年度办理结果"] == (5, 0, 20, 1)
    assert s["（六）其他处理"] == (23, 1, 1, 2)  # one row, its label across both label columns
    assert s["（七）总计"] == (24, 1, 1, 2)
    assert s["四、结转下年度继续办理"] == (25, 0, 1, 3)


def test_2019_proactive_layout_has_five_blocks_in_logical_column_order():
    t = edition2019.PROACTIVE.layout({})
    rows: dict[int, list] = {}
    for c in t.cells:
        rows.setdefault(c.row, []).append((c.text, c.colspan))
    captions = [r[0][0] for r in rows.values() if r[0][0].startswith("第二十条")]
    assert captions == ["第二十条第（一）项", "第二十条第（五）项", "第二十条第（六）项", "第二十条第（八）项", "第二十条第（九）项"]
    assert rows[1] == [("信息内容", 1), ("本年新制作数量", 2), ("本年新公开数量", 2), ("对外公开总数量", 2)]
    assert rows[5] == [("信息内容", 1), ("上一年项目数量", 2), ("本年增/减", 2), ("处理决定数量", 2)]
    assert rows[13] == [("信息内容", 1), ("上一年项目数量", 3), ("本年增/减", 3)]
    assert rows[16] == [("信息内容", 1), ("采购项目数量", 3), ("采购总金额", 3)]
    labels = [r[0][0] for r in rows.values()]
    assert "规范性文件" in labels and "行政规范性文件" not in labels
    assert "其他对外管理服务事项" in labels and "政府集中采购" in labels


@pytest.mark.skipif(not STATUTORY.exists(), reason="shared/spec/statutory.md not beside the checkout")
def test_2019_labels_appear_verbatim_in_the_spec():
    text = STATUTORY.read_text("utf-8")
    labels = {c.text for spec in edition2019.TABLES for c in spec.layout({}).cells if c.role != "value"}
    assert not [label for label in labels if label not in text]


def test_edition_from_year():
    assert [edition_for_year(y) for y in (2007, 2018, 2019, 2020, 2021, 2025)] == \
        ["freeform", "freeform", "2019", "2019", "2021", "2021"]
    assert EDITIONS["2019"].basis == "国办公开办函〔2019〕60号"


# --- the 2019 example: validation and rendering ------------------------------------------

def test_2019_example_validates_with_one_warning_for_the_missing_section():
    loaded = load_report(str(EX2019))
    assert loaded.edition.id == "2019"
    assert loaded.cells("proactive")[("行政处罚", "本年增减")] == 2
    assert [w.path for w in loaded.warnings] == [("其他需要报告的事项",)]


def test_2019_balance_rule_and_totals(data2019, write_yaml):
    data2019[T3]["本年新收"] = {"自然人": 3, "商业企业": 1, "科研机构": 0, "社会公益组织": 0, "法律服务机构": 0, "其他": 0}
    data2019[T3]["办理结果"]["予以公开"] = [2, 1, 0, 0, 0, 0]
    data2019[T3]["办理结果"]["其他处理"] = [1, 0, 0, 0, 0, 0, 1]
    del data2019[T3]["办理结果"]["总计"]
    loaded = load_report(str(write_yaml(data2019)))
    cells = loaded.cells("applications")
    assert cells[("办理结果.总计", "总计")] == 4 and cells[("办理结果.其他处理", "自然人")] == 1
    data2019[T3]["结转下年度"] = [1, 0, 0, 0, 0, 0]  # 3 + 0 ≠ 3 + 1 in 自然人, and so in 总计
    found = errors(write_yaml(data2019))
    assert [("勾稽" in str(p), p.place) for p in found] == [(True, "表三 自然人"), (True, "表三 总计")]


def test_2019_signed_change_may_be_negative_but_counts_may_not(data2019, write_yaml):
    data2019[T2]["行政许可"]["本年增减"] = -8
    data2019[T2]["政府集中采购"]["采购总金额"] = Decimal("251000.50")
    loaded = load_report(str(write_yaml(data2019)))
    assert loaded.cells("proactive")[("行政许可", "本年增减")] == -8
    data2019[T2]["行政许可"]["上一年项目数量"] = -1
    found = errors(write_yaml(data2019))
    assert len(found) == 1 and "不能为负数" in str(found[0]) and "上一年项目数量" in str(found[0])


def test_2019_docx_labels_and_merges(tmp_path):
    loaded = load_report(str(EX2019))
    doc = compose(loaded)
    word = docx.Document(io.BytesIO(write_docx(doc)))
    assert len(word.tables) == 3
    for table, spec in zip(word.tables, loaded.edition.tables):
        want = [(c.row, c.col, c.rowspan, c.colspan, c.text) for c in spec.layout(loaded.cells(spec.name)).cells]
        assert sorted(read_cells(table)) == sorted(want)
    cells = read_cells(word.tables[1])
    assert (5, 0, 20, 1, "三、本年度办理结果") in cells
    assert (23, 1, 1, 2, "（六）其他处理") in cells
    assert (15, 0, 1, 7, "第二十条第（九）项") in read_cells(word.tables[0])


# --- edition mismatch ------------------------------------------------------------------

def test_2019_tables_stated_as_2021_name_the_2019_edition(data2019, write_yaml):
    data2019["版式"] = "2021"
    data2019["报告年度"] = 2021
    found = errors(write_yaml(data2019))
    assert len(found) == 1
    msg = str(found[0])
    assert "属于2019 年版格式（国办公开办函〔2019〕60号）" in msg and "“版式”为2021 年版格式" in msg
    assert "政府集中采购" in msg


def test_tables_in_a_freeform_report_are_an_error_naming_the_edition(data2019, write_yaml):
    data2019["版式"] = "自由格式"
    found = errors(write_yaml(data2019))
    assert "属于2019 年版格式" in str(found[0])


def test_outline_in_a_2021_report_points_at_freeform(write_yaml):
    from reportgen.yamlio import load_yaml

    data, _ = load_yaml(EXFREE.read_text("utf-8"), str(EXFREE))
    data["报告年度"] = 2022
    del data["版式"]
    found = errors(write_yaml(data))
    assert "看起来是自由格式" in str(found[0]) and "按报告年度推断为2021 年版格式" in str(found[0])


# --- free-form reports -----------------------------------------------------------------

def test_freeform_outline_becomes_headings_of_any_depth():
    loaded = load_report(str(EXFREE))
    doc = compose(loaded)
    headings = [(b.level, b.text) for b in doc.blocks if isinstance(b, Heading)]
    assert headings[:3] == [(1, "一、政府信息公开情况"), (2, "(一)基本情况"), (3, "1.加强组织领导,成立厅政府信息公开领导小组。")]
    assert not doc.tables if hasattr(doc, "tables") else not [b for b in doc.blocks if isinstance(b, Table)]
    assert doc.blocks[0] == Title("2010年省财政厅政务公开工作报告")
    assert Paragraph("省政务公开工作协调小组办公室:", "left") in doc.blocks
    assert doc.blocks[-1] == Paragraph("(办公室)", "right")


def test_freeform_deep_outline_and_inline_enumerations(write_yaml):
    data = {"版式": "自由格式", "机关名称": "某县财政局", "报告年度": 2015, "正文": [
        {"标题": "一、主动公开政府信息的情况", "段落": "一是公开预算。二是公开决算。", "小节": [
            {"标题": "（一）公开目录", "小节": [{"标题": "1.目录编制", "小节": [
                {"标题": "（1）目录更新", "小节": [{"标题": "①第五层", "段落": ["深层段落"]}]}]}]}]}]}
    loaded = load_report(str(write_yaml(data)))
    doc = compose(loaded)
    levels = [(b.level, b.text) for b in doc.blocks if isinstance(b, Heading)]
    assert [lv for lv, _ in levels] == [1, 2, 3, 4, 5]
    assert Paragraph("一是公开预算。二是公开决算。") in doc.blocks  # kept in its paragraph
    assert {str(w).split("第三十二条的")[1][:3] for w in loaded.warnings} == {"（二）", "（三）", "（四）", "（五）", "（六）"}


def test_freeform_covering_all_six_items_has_no_warnings(write_yaml):
    from reportgen.scaffold import FREEFORM_HEADINGS

    data = {"版式": "freeform", "机关名称": "某县财政局", "报告年度": 2012,
            "正文": [{"标题": h, "段落": "内容。"} for h in FREEFORM_HEADINGS]}
    assert load_report(str(write_yaml(data))).warnings == []


def test_freeform_before_2008_is_not_held_to_the_2008_items():
    loaded = load_report(str(ROOT / "examples" / "seed-003-freeform-2006.yaml"))
    assert loaded.warnings == []


def test_freeform_needs_a_body(write_yaml):
    found = errors(write_yaml({"版式": "自由格式", "机关名称": "某局", "报告年度": 2012}))
    assert found[0].path == ("正文",) and "缺少" in str(found[0])


def test_init_freeform_scaffold_validates_with_placeholder_warnings(write_yaml):
    from reportgen.scaffold import scaffold

    loaded = load_report(str(write_yaml(scaffold("freeform", "某局", 2015))))
    assert loaded.edition.id == "freeform"
    assert loaded.warnings and all("占位文字" in str(w) for w in loaded.warnings)
    loaded = load_report(str(write_yaml(scaffold("2019", "某局", 2020))))
    assert loaded.edition.id == "2019"


# --- publication metadata, headings, intros ---------------------------------------------

def test_publication_labels_and_order_are_kept():
    loaded = load_report(str(ROOT / "examples" / "seed-000-freeform-2011.yaml"))
    meta = next(b for b in compose(loaded).blocks if isinstance(b, Meta))
    assert meta.items == [("索引号", "GS1330/2012-7573"), ("部门", "区财政局"), ("栏目", "政府信息公开年报"),
                          ("来源", "本站"), ("作者", ""), ("日期", "2012-03-30")]
    assert loaded.report.published.isoformat() == "2012-03-30"
    assert loaded.report.publication.publisher == "区财政局"


def test_publication_metadata_at_the_top_of_every_format(data, write_yaml):
    from reportgen.writers.text import write_text

    doc = compose(load_report(str(write_yaml(data))))
    assert isinstance(doc.blocks[1], Meta)
    text = write_text(doc).decode()
    assert text.index("索引号：11350900MB1234567X/2024-00012") < text.index("一、总体情况")
    word = docx.Document(io.BytesIO(write_docx(doc)))
    paras = [p for p in word.paragraphs if p.text]
    assert paras[1].text == "索引号：11350900MB1234567X/2024-00012" and paras[1].style.style_id == "ReportMeta"


def test_publication_dates_must_agree(data, write_yaml):
    data["发布信息"]["发布日期"] = "2024-02-01"
    found = errors(write_yaml(data))
    assert "不一致" in str(found[0])
    data["发布信息"]["发布日期"] = "2024-13-01 10:00"
    assert errors(write_yaml(data))


def test_own_section_titles_no_intros_and_omitted_section_six():
    doc = compose(load_report(str(EX2019)))
    headings = [b.text for b in doc.blocks if isinstance(b, Heading) and b.level == 1]
    assert headings == ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                        "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况", "五、存在的问题和下一步努力方向"]
    after = [doc.blocks[i + 1] for i, b in enumerate(doc.blocks) if isinstance(b, Heading) and b.text.startswith(("二", "三"))]
    assert all(isinstance(b, Table) for b in after)  # 说明: [] → the table follows the heading directly

"""The 填报 workbook (issue #13): written like the official form (merges, formulas for the totals
left to be computed, data validation, locked labels), read back to the same report, every message
naming the sheet and cell; a workbook whose structure was changed, a number typed as words, or a
formula overwritten gets a clear message, never wrong numbers."""
from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from conftest import ROOT
from reportgen.cli import main
from reportgen.editions import EDITIONS
from reportgen.errors import InputError, ValidationFailed
from reportgen.loader import load_report
from reportgen.workbook import TOP, sheet_name

EXAMPLES = sorted(p.name for p in (ROOT / "examples").glob("*.yaml"))


def _run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], prog_name="reportgen")


def _workbook(tmp_path, example="report-2021.yaml") -> Path:
    target = tmp_path / (Path(example).stem + ".xlsx")
    assert _run("convert", ROOT / "examples" / example, "-o", target, "--force").exit_code == 0  # afresh
    return target


def _narrative(loaded) -> dict:
    return {k: v for k, v in loaded.report.model_dump().items()
            if k not in {spec.name for spec in loaded.edition.tables}}


@pytest.mark.parametrize("example", EXAMPLES)
def test_yaml_to_workbook_to_yaml_is_the_same_report(example, tmp_path):
    original = load_report(str(ROOT / "examples" / example))
    book = _workbook(tmp_path, example)
    from_book = load_report(str(book))
    back = tmp_path / "back.yaml"
    assert _run("convert", book, "-o", back).exit_code == 0
    again = load_report(str(back))
    for loaded in (from_book, again):
        assert loaded.tables == original.tables  # every cell, totals included
        assert _narrative(loaded) == _narrative(original)  # every field, heading and paragraph
    # and the report itself: the docx of the workbook is the docx of the YAML (356.40 stays 356.40)
    from reportgen.render import render_loaded

    def body(loaded):
        return zipfile.ZipFile(io.BytesIO(render_loaded(loaded, ["docx"])["docx"])).read("word/document.xml")

    assert body(from_book) == body(original) == body(again)


def test_the_workbook_is_laid_out_like_the_form(tmp_path):
    book = load_workbook(_workbook(tmp_path))
    edition = EDITIONS["2021"]
    assert book.sheetnames[:2] == ["基本信息", "正文"]
    for spec in edition.tables:
        sheet = book[sheet_name(spec)]
        declared = {(c.row + TOP, c.col + 1, c.row + TOP + c.rowspan - 1, c.col + c.colspan)
                    for c in spec._plan.cells if c.rowspan > 1 or c.colspan > 1}
        assert {(r.min_row, r.min_col, r.max_row, r.max_col) for r in sheet.merged_cells.ranges} == declared
        assert sheet.protection.sheet  # labels locked
        assert sheet.data_validations.dataValidation  # numbers checked as they are typed
    t3 = book["表三"]
    formulas = [c.value for row in t3.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=SUM(")]
    assert formulas  # （七）总计 is left to be computed in the example: a formula
    texts = {c.value for row in t3.iter_rows() for c in row}
    assert "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）" in texts


def test_a_clerk_fills_the_init_workbook_and_gets_the_same_docx_as_from_yaml(tmp_path):
    import docx

    book_path = tmp_path / "2024.xlsx"
    assert _run("init", "--xlsx", "-o", book_path, "--agency", "某县财政局", "--year", "2024").exit_code == 0
    book = load_workbook(book_path)
    sheet = book["表三"]
    spec = EDITIONS["2021"].tables[1]
    where = {c.text: (c.row + TOP, c.col + 1) for c in spec._plan.cells if c.role == "value"}
    typed = {("本年新收", "自然人"): 5, ("办理结果.予以公开", "自然人"): 3, ("结转下年度", "自然人"): 2}
    for cid, value in typed.items():
        sheet.cell(*where[cid]).value = value
    text = book["正文"]
    for row in text.iter_rows(min_row=2):
        if str(row[2].value).startswith("【请填写】"):
            row[2].value = "本年度按要求开展工作。"
    book.save(book_path)
    checked = _run("validate", "--strict", book_path)
    assert checked.exit_code == 0, checked.output  # every placeholder filled, every sum holds
    rendered = _run("render", book_path, "-o", tmp_path / "out", "-f", "docx")
    assert rendered.exit_code == 0, rendered.output
    yaml_path = tmp_path / "same.yaml"
    assert _run("convert", book_path, "-o", yaml_path).exit_code == 0
    assert _run("render", yaml_path, "-o", tmp_path / "out2", "-f", "docx").exit_code == 0
    one = zipfile.ZipFile(tmp_path / "out" / "2024.docx").read("word/document.xml")
    two = zipfile.ZipFile(tmp_path / "out2" / "same.docx").read("word/document.xml")
    assert one == two
    cells = [c.text for t in docx.Document(str(tmp_path / "out" / "2024.docx")).tables for row in t.rows for c in row.cells]
    assert "5" in cells and "3" in cells


def _edit(path: Path, change) -> Path:
    book = load_workbook(path)
    change(book)
    book.save(path)
    return path


def test_messages_name_the_sheet_and_cell(tmp_path):
    book = _workbook(tmp_path)
    spec = EDITIONS["2021"].tables[1]
    where = {c.text: (c.row + TOP, c.col + 1) for c in spec._plan.cells if c.role == "value"}
    cell = load_workbook(book)["表三"].cell(*where[("本年新收", "总计")]).coordinate
    _edit(book, lambda b: setattr(b["表三"][cell], "value", 999))
    result = _run("validate", book)
    assert result.exit_code == 1 and f"report-2021.xlsx:表三!{cell}:" in result.output


@pytest.mark.parametrize("typed,ok", [("17", True), ("１７", True), ("1,234", True), ("十七", False)])
def test_a_number_typed_as_text(tmp_path, typed, ok):
    book = _workbook(tmp_path)
    spec = EDITIONS["2021"].tables[0]
    where = {c.text: (c.row + TOP, c.col + 1) for c in spec._plan.cells if c.role == "value"}
    cell = load_workbook(book)["表二"].cell(*where[("行政强制", "本年处理决定数量")]).coordinate
    _edit(book, lambda b: setattr(b["表二"][cell], "value", typed))
    if ok:
        loaded = load_report(str(book))
        assert loaded.cells("proactive")[("行政强制", "本年处理决定数量")] == int(typed.replace(",", "").replace("１７", "17"))
        assert any(w.line == f"表二!{cell}" and "文字形式" in w.message for w in loaded.warnings)
    else:
        with pytest.raises(InputError, match=f"表二!{cell}：应为数字，实际为文字“十七”"):
            load_report(str(book))


def test_merged_cells_altered_or_rows_inserted_are_refused(tmp_path):
    book = _workbook(tmp_path)
    first = sorted(load_workbook(book)["表三"].merged_cells.ranges, key=str)[0]
    _edit(book, lambda b: b["表三"].unmerge_cells(str(first)))
    with pytest.raises(InputError, match="合并单元格被改动"):
        load_report(str(book))
    book = _workbook(tmp_path)  # afresh
    _edit(book, lambda b: b["表二"].insert_rows(6))
    with pytest.raises(InputError, match="表二 第 6 行是插入的"):
        load_report(str(book))


def test_a_formula_overwritten_is_read_as_the_number_given_with_a_warning(tmp_path):
    book = _workbook(tmp_path)
    sheet = load_workbook(book)["表三"]
    cell = next(c.coordinate for row in sheet.iter_rows() for c in row
                if isinstance(c.value, str) and c.value.startswith("=SUM("))
    _edit(book, lambda b: setattr(b["表三"][cell], "value", 123456))
    with pytest.raises(ValidationFailed) as info:  # the number breaks the table's own sum: an error at that cell
        load_report(str(book))
    assert any(p.line == f"表三!{cell}" for p in info.value.problems)
    # a number that keeps the sum is taken, with a warning naming the cell
    right = load_report(str(ROOT / "examples" / "report-2021.yaml"))
    _edit(book, lambda b: setattr(b["表三"][cell], "value", int(right.tables["applications"][_cid_at(cell)])))
    loaded = load_report(str(book))
    assert any(w.line == f"表三!{cell}" and "合计的公式被改成了数值" in w.message for w in loaded.warnings)


def _cid_at(address: str):
    from openpyxl.utils.cell import coordinate_from_string, column_index_from_string

    column, row = coordinate_from_string(address)
    spec = EDITIONS["2021"].tables[1]
    return next(c.text for c in spec._plan.cells
                if c.role == "value" and (c.row + TOP, c.col + 1) == (row, column_index_from_string(column)))


def test_a_file_that_is_not_a_workbook(tmp_path):
    bad = tmp_path / "x.xlsx"
    bad.write_bytes(b"not a zip at all")
    result = _run("validate", bad)
    assert result.exit_code == 1 and "不是有效的 Excel 工作簿" in result.output and "Traceback" not in result.output


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice not installed")
def test_libreoffice_opens_the_workbook(tmp_path):
    from reportgen import office

    try:
        csv = office.convert(_workbook(tmp_path).read_bytes(), ".xlsx", "csv")
    except office.OfficeError as e:  # Calc not installed beside Writer
        pytest.skip(str(e))
    assert "Err:" not in csv.decode("utf-8", "replace") and csv.strip()


def test_the_zip_guard_leaves_a_long_report_alone_and_refuses_a_bloated_one(tmp_path, data, write_yaml):
    """A workbook of a long report (600,000 characters of narrative: 4.8 MB of sheet XML) is
    read as any other; one whose 正文 sheet holds more than a workbook may (8 MB) is refused
    before openpyxl reads it, and not called a bomb when it is only big."""
    data["存在的主要问题及改进情况"] = ["问题" * 1000] * 300
    book = tmp_path / "long.xlsx"
    assert _run("convert", write_yaml(data), "-o", book).exit_code == 0
    back = tmp_path / "back.yaml"
    result = _run("convert", book, "-o", back)
    assert result.exit_code == 0, result.output
    assert load_report(str(back)).report.problems.paragraphs == ["问题" * 1000] * 300
    import random

    rng = random.Random(18)  # text as varied as a report's: a few to one compressed, no bomb
    data["存在的主要问题及改进情况"] = ["".join(chr(rng.randrange(0x4E00, 0x9FA5)) for _ in range(5000)) for _ in range(300)]
    big = tmp_path / "big.xlsx"
    assert _run("convert", write_yaml(data), "-o", big).exit_code == 0
    with zipfile.ZipFile(big) as z:
        assert 8 * 1024 * 1024 < max(i.file_size for i in z.infolist()) and big.stat().st_size < 5 * 1024 * 1024
    result = _run("validate", big)
    assert result.exit_code == 1 and "远超一份报告的内容" in result.output and "压缩炸弹" not in result.output, result.output


def _rows(sheet):
    return [r for r in sheet.iter_rows() if r[0].value is not None]


def test_init_workbook_has_the_closing_and_rows_may_be_inserted(tmp_path):
    """The clerk's first workbook (issue #20): the 落款 (agency and a January date, before the
    deadline) is there; a row inserted under the 落款 is one more line, one under a paragraph one
    more paragraph (a line break in a cell too); empty 标题/发布日期/主送机关 rows are absent; the
    docx ends with the 落款."""
    import docx

    book = tmp_path / "new.xlsx"
    assert _run("init", "--xlsx", "-o", book, "--agency", "云溪市财政局", "--year", 2025).exit_code == 0
    wb = load_workbook(book)
    info = {r[0].value: r[2].value for r in _rows(wb["基本信息"])}
    assert info["落款 第 1 行"] == "云溪市财政局" and info["落款 第 2 行"] == "2026年1月20日"
    assert {"标题", "发布日期", "主送机关"} <= set(info) and info["发布日期"] is None
    sheet = wb["基本信息"]
    at = next(r[0].row for r in _rows(sheet) if r[0].value == "落款 第 1 行")
    sheet.insert_rows(at + 1)
    sheet.cell(at + 1, 3, "（盖章）")
    text = wb["正文"]
    below = next(r[0].row for r in _rows(text) if r[0].value == "一、总体情况 · 概述") + 1
    text.insert_rows(below)
    text.cell(below, 3, "第二段。\n第三段。")
    wb.save(book)
    loaded = load_report(str(book))
    assert loaded.report.closing == ["云溪市财政局", "（盖章）", "2026年1月20日"]
    assert loaded.report.title is None and loaded.report.publish_date is None and loaded.report.addressee is None
    assert loaded.report.overview.intro[-2:] == ["第二段。", "第三段。"]
    assert _run("render", book, "-o", tmp_path / "out", "-f", "docx").exit_code == 0
    paragraphs = [p.text for p in docx.Document(str(tmp_path / "out" / "new.docx")).paragraphs if p.text.strip()]
    assert paragraphs[-3:] == ["云溪市财政局", "（盖章）", "2026年1月20日"]


def test_a_row_inserted_where_nothing_can_grow_is_named(tmp_path):
    book = tmp_path / "new.xlsx"
    assert _run("init", "--xlsx", "-o", book).exit_code == 0
    wb = load_workbook(book)
    wb["基本信息"].insert_rows(3)
    wb["基本信息"].cell(3, 3, "多出的一行")
    wb.save(book)
    result = _run("validate", book)
    assert result.exit_code != 0 and "基本信息!A3" in result.output and "插入" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("change, words", [
    (lambda s: s.insert_rows(10), "表三 第 10 行是插入的"),
    (lambda s: s.insert_rows(20, 2), "表三 第 20—21 行是插入的"),
    (lambda s: s.delete_rows(12), "表三 原第 12 行（“3.危及“三安全一稳定””）被删除了"),
])
def test_rows_inserted_or_deleted_in_a_table_are_named(tmp_path, change, words):
    book = _workbook(tmp_path)
    _edit(book, lambda b: change(b["表三"]))
    result = _run("validate", book)
    assert result.exit_code != 0 and words in result.output, result.output


def test_a_renamed_sheet_is_asked_back(tmp_path):
    book = _workbook(tmp_path)
    _edit(book, lambda b: setattr(b["表三"], "title", "申请情况"))
    result = _run("validate", book)
    assert result.exit_code != 0 and "工作表“申请情况”原名“表三”" in result.output and "改回" in result.output


def test_a_deleted_total_is_computed_without_a_word_about_none(tmp_path):
    book = tmp_path / "new.xlsx"
    assert _run("init", "--xlsx", "-o", book).exit_code == 0
    spec = EDITIONS["2021"].tables[1]
    where = {c.text: (c.row + TOP, c.col + 1) for c in spec._plan.cells if c.role == "value"}
    total = load_workbook(book)["表三"].cell(*where[("本年新收", "总计")]).coordinate
    sheet = load_workbook(book)["表三"]
    first, done = (sheet.cell(*where[c]).coordinate for c in (("本年新收", "自然人"), ("办理结果.予以公开", "自然人")))
    assert str(sheet[total].value).startswith("=SUM(")
    _edit(book, lambda b: [setattr(b["表三"][a], "value", v) for a, v in ((total, None), (first, 7), (done, 7))])
    loaded = load_report(str(book))
    assert loaded.tables["applications"][("本年新收", "总计")] == 7
    assert not any("None" in w.message for w in loaded.warnings)


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice not installed")
@pytest.mark.parametrize("suffix", ["xls", "ods"])
def test_a_workbook_saved_as_xls_or_ods_is_read_through_libreoffice(tmp_path, suffix):
    from reportgen.office import convert

    book = _workbook(tmp_path)
    other = tmp_path / f"report-2021.{suffix}"
    other.write_bytes(convert(book.read_bytes(), ".xlsx", suffix))
    loaded = load_report(str(other))
    assert loaded.tables == load_report(str(book)).tables
    assert any(w.code == "converted" and "另" not in w.message or "保存为 .xlsx" in w.message for w in loaded.warnings)


def test_a_workbook_saved_as_xls_without_libreoffice_says_save_as_xlsx(tmp_path, monkeypatch):
    import reportgen.office as office

    monkeypatch.setattr(office, "soffice", lambda: None)
    bad = tmp_path / "r.xls"
    bad.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    result = _run("validate", bad)
    assert result.exit_code != 0 and "另存为" in result.output and ".xlsx" in result.output
    assert "Traceback" not in result.output and "不是文本文件" not in result.output


def test_init_from_last_year_says_what_it_carried(tmp_path):
    result = _run("init", "--xlsx", "--from", ROOT / "examples" / "report-2021.yaml", "-o", tmp_path / "next.xlsx")
    assert result.exit_code == 0
    assert "“二、上年结转政府信息公开申请数量”已按上年报告的“四、结转下年度继续办理”填写（共 11 件）" in result.output

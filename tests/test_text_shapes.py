"""Tables read from the plain lines PDF converters make (tables/linear.py, tables/match.py)."""
from reportgen.editions import EDITIONS
from reportgen.extract import section_of
from reportgen.document import Heading
from reportgen.tables.decode import row_checks, row_rules
from reportgen.tables.linear import reorder_runs

TABLE4 = next(s for s in EDITIONS["2021"].tables if s.key == "政府信息公开行政复议、行政诉讼情况")


def test_header_line_with_marker_word_is_no_section():
    assert section_of(Heading(1, "结果   结果    其他结    尚未总计"), EDITIONS["2021"]) is None
    assert section_of(Heading(1, "六、其他需要报告的事项"), EDITIONS["2021"]).marker == "其他"


def test_interleaved_runs_read_in_the_order_nearest_the_print():
    # only 5 1 0 0 | 6 and 2 0 0 0 | 2 close as blocks; of the block orders the printed one wins
    runs = [["5", "1", "0", "0"], ["6"], ["3", "0", "0", "0", "3"], ["2", "0", "0", "0"], ["2"]]
    tokens, chosen = reorder_runs(runs, len(TABLE4.col_ids()), row_checks(row_rules(TABLE4), TABLE4.col_ids()))
    assert tokens == ["5", "1", "0", "0", "6", "3", "0", "0", "0", "3", "2", "0", "0", "0", "2"]
    assert chosen  # other block orders also kept the rules: the table is flagged for checking


def test_interleaving_that_arithmetic_cannot_decide_is_flagged():
    # the corpus PDF through pdftotext: two block orders keep every rule equally near the print
    runs = [["72", "64", "178", "37"], ["12", "1", "1", "6"], ["351"], ["13", "4", "8", "1", "26"], ["20"]]
    tokens, chosen = reorder_runs(runs, len(TABLE4.col_ids()), row_checks(row_rules(TABLE4), TABLE4.col_ids()))
    assert tokens is None and chosen


def test_no_order_keeps_the_rules():
    runs = [["1", "1", "1", "1"], ["9"], ["0", "0", "0", "0", "0"], ["0", "0", "0", "0", "0"]]
    assert reorder_runs(runs, len(TABLE4.col_ids()), row_checks(row_rules(TABLE4), TABLE4.col_ids())) == (None, False)


APPLICATIONS = next(s for s in EDITIONS["2021"].tables if s.key == "收到和处理政府信息公开申请情况")
WRAPPED = "111 688 291 217 511 570 874 97 599 143 700 524 230 163 9".split()  # 2301639 printed 230/163/9
JOINED = (111688, 291217, 511570, 87497, 599143, 700524, 2301639)


def _decode_new_requests(tokens):
    from reportgen.tables.decode import decode_rows
    from reportgen.tables.match import row_patterns
    columns = {rid: cols for rid, _, cols in row_patterns(APPLICATIONS)}
    rid = next(r for r in columns if r.endswith("本年新收"))
    out = decode_rows(APPLICATIONS, {rid: tokens}, columns, APPLICATIONS.row_label)
    return [out.cells[(rid, c)] for c in columns[rid]], [out.flags[(rid, c)] for c in columns[rid]], out.notes


def test_numbers_wrapped_inside_cells_are_joined_by_the_row_sum():
    values, flags, _ = _decode_new_requests(WRAPPED)
    assert tuple(values) == JOINED and set(flags) == {"decoded"}


def test_page_footer_after_a_wrapped_row_is_not_joined():
    values, _, _ = _decode_new_requests(WRAPPED + ["—", "2", "—"])
    assert tuple(values) == JOINED


def test_extra_numbers_no_join_explains_are_flagged_not_read_as_the_first_ones():
    values, flags, notes = _decode_new_requests("1 2 3 4 5 6 7 8".split())
    assert set(flags) == {"not found"} and any("多于 7 个单元格" in n for n in notes)


def test_wrapped_rows_read_from_converter_lines():
    from reportgen.tables.match import match_table
    from reportgen.document import Table, Cell
    lines = ["一、本年新收政府信息公开申请数量", *WRAPPED, "二、上年结转政府信息公开申请数量", "1", "1", "0", "0", "0", "0", "2"]
    table = Table(len(lines), 1, 0, [Cell(t, i, 0) for i, t in enumerate(lines)])
    m = match_table(APPLICATIONS, [table])
    got = [v for (rid, _c), v in m.cells.items() if rid.endswith("本年新收")]
    assert tuple(got) == JOINED


def test_blank_cells_in_interleaved_runs_count_as_zero():
    runs = [["5", "1", "-", "0"], ["6"], ["3", "0", "0", "0", "3"], ["2", "0", "0", "0"], ["2"]]
    tokens, _ = reorder_runs(runs, len(TABLE4.col_ids()), row_checks(row_rules(TABLE4), TABLE4.col_ids()))
    assert tokens == ["5", "1", "-", "0", "6", "3", "0", "0", "0", "3", "2", "0", "0", "0", "2"]


def test_blank_cells_stand_alone_among_wrapped_numbers():
    # pdftotext -raw of a row with a wrapped 自然人 (2806) and total (302577) and a blank 商业企业
    values, _, _ = _decode_new_requests("280 6 — 841 37 941 26 932 24 282 84 302 577".split())
    assert tuple(values) == (2806, 0, 84137, 94126, 93224, 28284, 302577)


def test_table_printed_after_the_closing_is_found():
    # pdftotext -raw of a rendered 2019-edition report (Traditional script): table 四 comes after
    # 六, the closing and the page number “— 4 —”, as a row of 15 numbers under its header lines
    from pathlib import Path
    from reportgen.reading import parse_file
    text = Path(__file__).parent / "fixtures" / "shapes" / "table4-after-closing.pdftotext-raw.txt"
    result = parse_file(str(text))
    got = result.data[TABLE4.key]
    assert [got[r][c] for r in ("行政复议", "未经复议直接起诉", "复议后起诉")
            for c in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")] == \
        [0, 0, 1, 4, 5, 0, 7, 8, 4, 19, 0, 6, 0, 0, 6]
    assert not any(TABLE4.key in str(w) for w in result.warnings)


def test_table4_numbers_followed_by_other_lines_are_read():
    # pdftohtml puts the document outline (Document Outline / 一、总体情况 …) under the table
    from reportgen.document import Cell, Table
    from reportgen.tables.match import match_table
    header = ["行政复议", "行政诉讼"] + ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3
    numbers = "0 0 1 4 5 0 7 8 4 19 0 6 0 0 6".split()
    lines = header + numbers + ["Document Outline", "一、总体情况"]
    m = match_table(TABLE4, [Table(len(lines), 1, 0, [Cell(t, i, 0) for i, t in enumerate(lines)])])
    assert [m.cells[("", c)] for c in TABLE4.col_ids()] == [int(n) for n in numbers]

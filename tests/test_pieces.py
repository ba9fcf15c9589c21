"""Rows read from number pieces (tables/pieces.py, tables/decode.py), blanks given back by position
on pdftohtml pages (readers/pdftohtml.py), one-character header lines in converter text."""
from lxml import etree

from reportgen.document import Heading, Paragraph
from reportgen.editions import EDITIONS
from reportgen.readers.pdftohtml import fill_blanks, is_pdftohtml
from reportgen.readers.text import read_text
from reportgen.tables.decode import decode_rows, row_checks, row_rules
from reportgen.tables.match import row_patterns
from reportgen.tables.pieces import readings

APPLICATIONS = next(s for s in EDITIONS["2021"].tables if s.key == "收到和处理政府信息公开申请情况")
TABLE4 = next(s for s in EDITIONS["2021"].tables if s.key == "政府信息公开行政复议、行政诉讼情况")
COLUMNS = {rid: cols for rid, _, cols in row_patterns(APPLICATIONS)}
ROW_RULES = row_checks(row_rules(APPLICATIONS), APPLICATIONS.col_ids())


def _rid(tail: str) -> str:
    return next(r for r in COLUMNS if r.endswith(tail))


def test_wrapped_pieces_and_blanks_printed_as_nothing():
    # 187|0|0|26|45|72|330 in cells two digits wide, zeros left blank: 18 / 7, 26 45 72, 33 / 0
    tokens = "18 7 26 45 72 33 0".split()
    assert readings(tokens, 7, ROW_RULES, gaps=False) == ([], True)  # no reading without blanks
    found, complete = readings(tokens, 7, ROW_RULES)
    assert complete and (187, 0, 0, 26, 45, 72, 330) in found
    assert all(sum(r[:6]) == r[6] for r in found)
    # the blanks may stand in any two of the six columns: nothing in the row tells which
    assert len(found) == 15


def test_a_piece_wider_than_the_one_before_starts_a_new_number():
    # 29 / 4 is 294 (a last piece is no wider than the first); 4 / 33 cannot be one number
    assert readings("29 4 33".split(), 2, [], gaps=False) == ([(294, 33)], True)


def test_table4_blocks_searched_one_by_one():
    # table 四 in cells one digit wide: every digit its own piece
    tokens = ["45728"] + list("79364965047388129547797066987283571286411317917294597252802390412589") + ["1"]
    rules = row_checks(row_rules(TABLE4), TABLE4.col_ids())
    found, complete = readings(tokens, 15, rules, gaps=False)
    assert complete and found == [(45728, 79364, 96504, 73881, 295477, 97066, 98728, 35712, 86411, 317917,
                                   29459, 72528, 0, 23904, 125891)]


def test_blank_columns_settled_by_the_sums_across_rows():
    # two rows with blanks printed as nothing; every other row printed in full: the column
    # totals (（七）总计) tell in which columns the blanks stand
    total = "5 2 0 4 0 3 14"
    rows = {rid: "0 0 0 0 0 0 0".split() for rid in COLUMNS}
    rows[_rid("本年新收")] = total.split()
    rows[_rid("办理结果.总计")] = total.split()
    rows[_rid("予以公开")] = "5 3 8".split()     # 5|0|0|0|0|3|8
    rows[_rid("部分公开")] = "2 4 6".split()     # 0|2|0|4|0|0|6
    out = decode_rows(APPLICATIONS, rows, COLUMNS, APPLICATIONS.row_label)
    cols = COLUMNS[_rid("予以公开")]
    assert [out.cells[(_rid("予以公开"), c)] for c in cols] == [5, 0, 0, 0, 0, 3, 8]
    assert [out.cells[(_rid("部分公开"), c)] for c in cols] == [0, 2, 0, 4, 0, 0, 6]
    assert {out.flags[(_rid("予以公开"), c)] for c in cols} == {"decoded"} and not out.notes


def test_blanks_the_sums_cannot_place_are_flagged():
    # the same two numbers in both rows: which row's 5 stands where, the sums cannot tell
    total = "5 5 0 0 0 0 10"
    rows = {rid: "0 0 0 0 0 0 0".split() for rid in COLUMNS}
    rows[_rid("本年新收")] = total.split()
    rows[_rid("办理结果.总计")] = total.split()
    rows[_rid("予以公开")] = "5 5".split()
    rows[_rid("部分公开")] = "5 5".split()
    out = decode_rows(APPLICATIONS, rows, COLUMNS, APPLICATIONS.row_label)
    cols = COLUMNS[_rid("予以公开")]
    flags = [out.flags[(_rid("予以公开"), c)] for c in cols]
    assert "not found" in flags and out.notes  # told, not guessed
    assert out.cells[(_rid("予以公开"), cols[-1])] == 5  # the total every reading agrees on


def test_row_whose_pieces_happen_to_keep_the_sum_takes_the_numbers_after_it():
    # 11 8 12 0 22 6 | 59 keeps the row sum by chance; the pieces after it make 118|120|226|59|69|271|863
    tokens = "11 8 12 0 22 6 59 69 27 1 86 3".split()
    found, _ = readings(tokens, 7, ROW_RULES, gaps=False)
    assert (118, 120, 226, 59, 69, 271, 863) in found


PAGE = """<html><body><div id="page3-div" style="position:relative;width:892px;height:1262px;">
<p style="position:absolute;top:278px;left:485px;white-space:nowrap" class="ft35">自<br/>然<br/>人</p>
<p style="position:absolute;top:460px;left:123px;white-space:nowrap" class="ft35">一、本年新收政府信息公开申请数量</p>
<p style="position:absolute;top:460px;left:482px;white-space:nowrap" class="ft31">99</p>
<p style="position:absolute;top:488px;left:490px;white-space:nowrap" class="ft31">5</p>
<p style="position:absolute;top:460px;left:526px;white-space:nowrap" class="ft31">74</p>
<p style="position:absolute;top:488px;left:534px;white-space:nowrap" class="ft31">2</p>
<p style="position:absolute;top:460px;left:570px;white-space:nowrap" class="ft31">36</p>
<p style="position:absolute;top:460px;left:614px;white-space:nowrap" class="ft31">23</p>
<p style="position:absolute;top:460px;left:657px;white-space:nowrap" class="ft31">34</p>
<p style="position:absolute;top:460px;left:701px;white-space:nowrap" class="ft31">20</p>
<p style="position:absolute;top:460px;left:745px;white-space:nowrap" class="ft31">47</p>
<p style="position:absolute;top:488px;left:745px;white-space:nowrap" class="ft31">14</p>
<p style="position:absolute;top:618px;left:165px;white-space:nowrap" class="ft30">（一）予以公开</p>
<p style="position:absolute;top:602px;left:482px;white-space:nowrap" class="ft31">18</p>
<p style="position:absolute;top:630px;left:490px;white-space:nowrap" class="ft31">7</p>
<p style="position:absolute;top:616px;left:614px;white-space:nowrap" class="ft31">26&#160;45&#160;72&#160;33</p>
<p style="position:absolute;top:630px;left:753px;white-space:nowrap" class="ft31">0</p>
</div></body></html>"""


def test_pdftohtml_blank_cells_given_back_by_position():
    root = etree.fromstring(PAGE, etree.HTMLParser())
    assert is_pdftohtml(root)
    fill_blanks(root)
    texts = ["".join(p.itertext()) for p in root.iter("p")]
    assert "99 5 74 2 36 23 34 20 47 14" in texts  # a full row: nothing added
    assert "18 7 — — 26 45 72 33 0" in texts  # 商业企业 and 科研机构 left blank


def test_pdftohtml_page_without_measurable_digits_left_alone():
    page = PAGE.replace('left:490px', 'left:482px').replace('left:534px', 'left:526px')
    root = etree.fromstring(page, etree.HTMLParser())
    before = ["".join(p.itertext()) for p in root.iter("p")]
    fill_blanks(root)
    assert ["".join(p.itertext()) for p in root.iter("p")] == before


def test_one_character_header_lines_are_no_headings():
    text = "四、政府信息公开行政复议、行政诉讼情况\n结\n果\n其\n他\n结\n果\n总\n计\n72 86\n五、存在的主要问题及改进情况\n没有。\n"
    doc = read_text(text)
    headings = [b.text for b in doc.blocks if isinstance(b, Heading)]
    assert "其他" not in headings and not any(h.startswith("其") for h in headings)
    assert any(isinstance(b, Paragraph) and b.text == "其" for b in doc.blocks)


def _match_lines(text: str):
    """The table as the text reader keeps a converter's table lines: one row a line."""
    from reportgen.readers.text import _loose_table
    from reportgen.tables.match import match_table
    return match_table(APPLICATIONS, [_loose_table(text.split("\n"))])


def test_labels_printed_before_their_numbers_share_them_out_by_the_sums():
    # pdfminer: two rows' labels, then both rows' numbers
    m = _match_lines("1.信访举报投诉类申请\n2.重复申请\n210 223 — 184 266 253 1136\n281 68 257 200 104 283 1193")
    assert [m.cells[(_rid("信访举报投诉类申请"), c)] for c in APPLICATIONS.col_ids()] == [210, 223, 0, 184, 266, 253, 1136]
    assert [m.cells[(_rid("重复申请"), c)] for c in APPLICATIONS.col_ids()] == [281, 68, 257, 200, 104, 283, 1193]


def test_rows_totals_printed_after_their_other_cells():
    # the 总计 column printed as a block of its own after the rows' other cells, 1136 wrapped 113 / 6
    m = _match_lines("1.信访举报投诉类申请\n2.重复申请\n210 223 — 184 266 253\n281 68 257 200 104 283\n113\n6\n119\n3")
    assert m.cells[(_rid("信访举报投诉类申请"), "总计")] == 1136 and m.cells[(_rid("重复申请"), "总计")] == 1193
    assert m.cells[(_rid("重复申请"), "自然人")] == 281


def test_numbers_past_a_repeated_header_no_cut_explains_are_no_rows():
    # labels, the header repeated after a page break, then numbers the sums cannot share out
    m = _match_lines("2.重复申请\n3.要求提供公开出版物\n申请人情况\n自然人\n总计\n其他\n5 5 5 5 5 5 5 5 5")
    rows = (_rid("重复申请"), _rid("要求提供公开出版物"))
    assert all(m.flags[(r, c)] == "not found" for r in rows for c in APPLICATIONS.col_ids())


def test_page_number_between_rows_is_not_read():
    m = _match_lines("1.信访举报投诉类申请 210 223 0 184 266 253 1136\n— 4 —\n2.重复申请 281 68 257 200 104 283 1193")
    assert m.cells[(_rid("信访举报投诉类申请"), "总计")] == 1136 and not m.notes

"""Tables read from the plain lines PDF converters make (tables/linear.py, tables/match.py)."""
from reportgen.editions import EDITIONS
from reportgen.extract import section_of
from reportgen.document import Heading
from reportgen.tables.decode import _row_rules
from reportgen.tables.linear import reorder_runs

TABLE4 = next(s for s in EDITIONS["2021"].tables if s.key == "政府信息公开行政复议、行政诉讼情况")


def test_header_line_with_marker_word_is_no_section():
    assert section_of(Heading(1, "结果   结果    其他结    尚未总计"), EDITIONS["2021"]) is None
    assert section_of(Heading(1, "六、其他需要报告的事项"), EDITIONS["2021"]).marker == "其他"


def test_interleaved_runs_read_in_the_order_nearest_the_print():
    # only 5 1 0 0 | 6 and 2 0 0 0 | 2 close as blocks; of the block orders the printed one wins
    runs = [["5", "1", "0", "0"], ["6"], ["3", "0", "0", "0", "3"], ["2", "0", "0", "0"], ["2"]]
    tokens, chosen = reorder_runs(runs, TABLE4.col_ids(), _row_rules(TABLE4))
    assert tokens == ["5", "1", "0", "0", "6", "3", "0", "0", "0", "3", "2", "0", "0", "0", "2"]
    assert chosen  # other block orders also kept the rules: the table is flagged for checking


def test_interleaving_that_arithmetic_cannot_decide_is_flagged():
    # the corpus PDF through pdftotext: two block orders keep every rule equally near the print
    runs = [["72", "64", "178", "37"], ["12", "1", "1", "6"], ["351"], ["13", "4", "8", "1", "26"], ["20"]]
    tokens, chosen = reorder_runs(runs, TABLE4.col_ids(), _row_rules(TABLE4))
    assert tokens is None and chosen


def test_no_order_keeps_the_rules():
    runs = [["1", "1", "1", "1"], ["9"], ["0", "0", "0", "0", "0"], ["0", "0", "0", "0", "0"]]
    assert reorder_runs(runs, TABLE4.col_ids(), _row_rules(TABLE4)) == (None, False)

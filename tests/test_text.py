"""Text writer details: display width, wrapping rules, spans and holes in grid tables."""
from __future__ import annotations

from reportgen.document import Cell, Table
from reportgen.formats.txt import display_width
from reportgen.writers.text import render_table, wrap


def test_display_width_counts_cjk_as_two():
    assert display_width("abc") == 3
    assert display_width("自然人") == 6
    assert display_width("“三安全一稳定”") == 16  # curly quotes are East Asian ambiguous: two columns


def test_wrap_keeps_closing_punctuation_off_line_starts():
    lines = wrap("3.危及“三安全一稳定”", 20)
    assert all(not line.startswith("”") for line in lines)
    assert "".join(lines) == "3.危及“三安全一稳定”"
    assert all(display_width(line) <= 20 for line in lines)


def test_wrap_keeps_numbers_whole():
    assert wrap("共计12876件", 6) == ("共计", "12876", "件")


def test_spans_and_holes():
    table = Table(3, 3, 1, [Cell("表头", 0, 0, 1, 3, "header"), Cell("甲", 1, 0, 2, 1, "label"),
                            Cell("1", 1, 1), Cell("2", 2, 2)])
    lines = render_table(table)
    assert lines[0] == lines[-1] == "+----+---+---+"
    assert "表头" in lines[1] and "|" not in lines[1][1:-1]
    assert lines[4] == "| 甲 +---+---+"  # the merged label is centred on the border inside it
    assert len({display_width(x) for x in lines}) == 1

"""Tables read from positioned text (readers/positioned.py): pdftotext -layout text and markitdown's
Markdown of generated reports (tests/fixtures/positioned, made by bench/shapes from seeds 0 and 4),
scored against the generator's own truth; undecidable rows are flagged, never guessed."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from shapes import data, measure  # noqa: E402
from reportgen.document import Table  # noqa: E402
from reportgen.editions import EDITIONS  # noqa: E402
from reportgen.reading import parse_file  # noqa: E402
from reportgen.readers import positioned  # noqa: E402
from reportgen.readers.markdown import _prose_tables  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures" / "positioned"


def _wrong(name: str, edition: str, seed: int) -> dict:
    """{table: [cells read wrong]} and whether the table carried a warning."""
    result = parse_file(str(FIXTURES / name))
    read = measure._cells_read(result)
    warned = {w.path[0] for w in list(result.warnings) + list(result.problems or []) if w.path}
    keys = {spec.name: spec.key for spec in EDITIONS[result.edition].tables}
    out = {}
    for table, cells in data.truth(data.report(seed, edition)).items():
        bad = [cid for cid, want in cells.items() if read.get(table, {}).get(cid) != want]
        out[table] = (bad, keys[table] in warned)
    return out


def test_layout_rows_wrapped_above_and_below_their_label():
    """2021 seed 0: numbers wider than their cells wrap (183 over 6 is 1836), a tall row's numbers
    stand above and below its label line, Traditional script; table 四 has one wrapped total."""
    wrong = _wrong("2021-0.layout.txt", "2021", 0)
    assert wrong["applications"][0] == []
    assert wrong["reviews"][0] == []


def test_layout_three_line_numbers_and_blank_dashes():
    """2019 seed 0: six-digit numbers over two or three lines, “-” blanks between them; every
    cell is right or its table says it was not read."""
    wrong = _wrong("2019-0.layout.txt", "2019", 0)
    bad, warned = wrong["applications"]
    assert len(bad) < 60 and (not bad or warned)
    assert wrong["reviews"][0] == []


def test_markitdown_cells_holding_two_numbers():
    """markitdown: Markdown cells holding two columns' numbers (| 183 114 |), rows split by
    text lines between tables."""
    wrong = _wrong("2021-0.markitdown.md", "2021", 0)
    assert wrong["applications"][0] == []
    assert wrong["reviews"][0] == []


def test_sentence_cut_into_a_markdown_table_is_text():
    """markitdown made the sentence before table 二 a Markdown table; its figures are not cells
    (they were read as blank zeros of 规章 and 行政规范性文件 without a warning)."""
    lines = (FIXTURES / "2021-4.markitdown.md").read_text("utf-8").split("\n")
    fixed = _prose_tables(lines)
    assert any(line.startswith("本年度") and "1776" in line for line in fixed)
    assert all("|" in line for line in fixed if line.startswith("| 信息內容"))
    bad, warned = _wrong("2021-4.markitdown.md", "2021", 4)["proactive"]
    assert bad == [] or warned


def test_row_the_arithmetic_cannot_place_is_left_unread():
    """A label line with six numbers for seven columns and nothing above or below it: no
    placement fills the row, so it is given without numbers (the table reports it), never
    shifted into place."""
    text = (FIXTURES / "2021-0.layout.txt").read_text("utf-8").split("\n")
    k = next(i for i, line in enumerate(text) if "二、上年結轉政府信息公開申請數量" in line)
    # the upper and lower pieces of 二's wrapped cells removed; its six numbers keep a sum
    text[k - 1] = ""
    text[k + 1] = ""
    text[k] = "          二、上年結轉政府信息公開申請數量          1 2 3 4 5 15"
    items = positioned.layout_items(text)
    table = next(b for b in items if isinstance(b, Table) and b.n_rows > 1)
    row = {c.row: [] for c in table.cells}
    for c in table.cells:
        row[c.row].append(c.text)
    carried = next(cells for cells in row.values() if cells[0].startswith("二、上年结转"))
    assert carried == [carried[0]]  # no numbers: undecided


def test_plain_text_is_not_layout_text():
    assert not positioned.is_layout_text(["本年度，本机关新收政府信息公开申请 5 件。"] * 10)
    assert positioned.layout_items(["一、总体情况", "本年度无。"]) is None

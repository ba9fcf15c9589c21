"""A statutory table read from the linear text of its section, when no reader found a grid.

Converters of PDFs (pdftotext with or without -layout, pdfminer.six, pypdf) give a table as
plain lines: header words, labels and numbers, sometimes glued together (``审结72``) and
sometimes split into headings by the text reader. When a table's section holds no Table
block, its lines are cut into tokens — runs of digits and runs of other characters — and laid
out as a one-column-per-token table in reading order, so ``tables.match`` reads it by the
declared labels and cuts it by the table's arithmetic like any other shape; whatever the
arithmetic cannot settle is flagged there, never filled in silently.
"""
from __future__ import annotations

import re
from itertools import permutations

from ..document import Cell, Heading, Paragraph, Table
from ..labels import is_page_number
from .pieces import readings

_TOKEN = re.compile(r"\d+|[^\d\s]+")


def table_from_lines(blocks: list) -> Table | None:
    """The text of ``blocks`` (paragraphs and headings, in order) as a table of tokens, one
    row a line; None when it holds no number."""
    cells: list[Cell] = []
    row = 0
    for b in blocks:
        if not isinstance(b, (Paragraph, Heading)):
            continue
        for line in b.text.splitlines():
            tokens = _TOKEN.findall(line)
            if not tokens or is_page_number(line.strip()):
                continue  # a page's number (— 3 —) between a table's rows is not a row's
            for col, tok in enumerate(tokens):
                cells.append(Cell(tok, row, col, role="value" if tok.isdigit() else "label"))
            row += 1
    if not any(c.role == "value" for c in cells):
        return None
    return Table(row, max(c.col for c in cells) + 1, 0, cells, name="text")


def reorder_runs(runs: list[list[str]], n: int, checks: list[tuple[int, list[int]]]) -> tuple[list[str] | None, bool]:
    """An order of ``runs`` (runs of numbers between labels, as printed in reading order) that
    fills the row's ``n`` cells and keeps every row rule (``checks``: ``decode.row_checks``), for a
    one-row table whose blocks a converter printed apart (table 四 from pdftotext: 72 64 178 37 |
    12 1 1 6 | 351 …; from pdfminer with a header between each cell, or a block's total after the
    next block). A number wrapped inside its cell may come in pieces, joined as the row's sums
    say (``tables.pieces``). Among the readings the rules allow, the one nearest the printed
    order (fewest runs moved past one another) is taken; past six runs only the printed order is
    tried. Returns (tokens, chosen): tokens None when no order keeps the rules or two readings
    tie; chosen says the arithmetic alone allowed more than one reading (so the caller flags
    the table)."""
    if not checks or len(runs) < 2:
        return None, False
    readings_by: dict[tuple[int, ...], int] = {}  # values → fewest inversions giving them
    printed: dict[tuple[int, ...], list[str]] = {}
    orders = permutations(range(len(runs))) if len(runs) <= 6 else [tuple(range(len(runs)))]
    for order in orders:
        tokens = [t for i in order for t in runs[i]]
        found, complete = readings(tokens, n, checks, gaps=False)
        if not complete:
            return None, True
        moved = sum(a > b for k, a in enumerate(order) for b in order[k + 1:])
        for values in found:
            if moved < readings_by.get(values, moved + 1):
                readings_by[values] = moved
                # one token a cell: as printed (a blank “-” stays one); else the joined numbers
                printed[values] = tokens if len(tokens) == n else [str(v) for v in values]
    if not readings_by:
        return None, False
    ranked = sorted(readings_by.items(), key=lambda kv: kv[1])
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return None, True
    # past six runs the other orders were not tried: the printed one is taken, and said so
    return printed[ranked[0][0]], len(ranked) > 1 or len(runs) > 6

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

from ..document import Cell, Heading, Paragraph, Table

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
            if not tokens:
                continue
            for col, tok in enumerate(tokens):
                cells.append(Cell(tok, row, col, role="value" if tok.isdigit() else "label"))
            row += 1
    if not any(c.role == "value" for c in cells):
        return None
    return Table(row, max(c.col for c in cells) + 1, 0, cells)

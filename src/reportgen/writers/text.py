"""Document → plain text, as a report reads on a government web page.

Title first, then the metadata lines, then blocks separated by blank lines: headings flush
left, body paragraphs one per line and indented with two ideographic spaces, closing lines
pushed right. Tables are ASCII grid tables (``+---+`` / ``|``) with merged cells drawn as
spans, widths measured in display columns (CJK characters count two), so they line up in a
CJK monospace font and can be read back cell by cell.
"""
from __future__ import annotations

from functools import lru_cache

from ..document import Cell, Document, Heading, Meta, Paragraph, Table, Title, one_line
from ..formats.txt import CLOSING_MIN_PAD, CLOSING_WIDTH, INDENT, display_width

NO_LINE_START = set("，。、；：？！）》」』】〕”’,.;:?!)%")


@lru_cache(maxsize=8192)
def wrap(text: str, width: int) -> tuple[str, ...]:
    """Break ``text`` into lines of at most ``width`` display columns (any character boundary;
    a run of ASCII letters and digits, or a backslash and the character it escapes, is kept
    whole when it fits; closing punctuation never starts a line — the character before it
    moves down with it)."""
    if not text:
        return ("",)
    lines = _wrap(text, width)
    for k in range(1, len(lines)):
        while lines[k] and lines[k][0] in NO_LINE_START and len(lines[k - 1]) > _last_token(lines[k - 1]):
            n = _last_token(lines[k - 1])
            lines[k] = lines[k - 1][-n:] + lines[k]
            lines[k - 1] = lines[k - 1][:-n]
            if display_width(lines[k]) > width:  # cannot fix without overflowing: leave it
                lines[k - 1] += lines[k][:n]
                lines[k] = lines[k][n:]
                break
            if lines[k][0] not in NO_LINE_START:
                break
    return tuple(lines)


def _last_token(line: str) -> int:
    """1, or 2 when the line ends with a backslash escape (``\\<``), which never splits."""
    if len(line) >= 2 and line[-2] == "\\":
        run = len(line) - 1 - len(line[:-1].rstrip("\\"))
        return 2 if run % 2 else 1
    return 1


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    line, used = "", 0
    i = 0
    while i < len(text):
        j = i + 1
        if text[i] == "\\" and j < len(text):  # an escape (Markdown's \\<) is one token
            j += 1
        elif text[i].isascii() and text[i].isalnum():
            while j < len(text) and text[j].isascii() and text[j].isalnum():
                j += 1
        token = text[i:j]
        w = display_width(token)
        if used + w > width and line:
            lines.append(line)
            line, used = "", 0
        if w > width:  # a token longer than the line: split by character
            for ch in token:
                cw = display_width(ch)
                if used + cw > width and line:
                    lines.append(line)
                    line, used = "", 0
                line += ch
                used += cw
        else:
            line += token
            used += w
        i = j
    lines.append(line)
    return lines


@lru_cache(maxsize=16384)
def _pad(text: str, width: int, align: str) -> str:
    """``text`` aligned in ``width`` columns, with the one-space cell padding on both sides."""
    gap = width - display_width(text)
    if align == "right":
        return " " * (gap + 1) + text + " "
    if align == "center":
        left = gap // 2
        return " " * (left + 1) + text + " " * (gap - left + 1)
    return " " + text + " " * (gap + 1)


def _column_widths(table: Table) -> list[int]:
    label_cols = table.label_columns()
    header_cap = 4 if table.n_cols - len(label_cols) > 8 else 8
    widths = [1] * table.n_cols
    for c in table.cells:
        if c.colspan != 1:
            continue
        w = display_width(c.text)
        if c.role == "value":
            cap = w
        elif c.role == "header":
            cap = header_cap
        else:
            cap = 4 if c.rowspan >= 4 else 20
        widths[c.col] = max(widths[c.col], min(w, cap))
    # a merged header or value cell gets room for its text (headers up to the cap per column)
    for c in sorted((c for c in table.cells if c.colspan > 1 and c.role in ("header", "value")),
                    key=lambda c: c.colspan):
        cols = range(c.col, c.col + c.colspan)
        need = min(display_width(c.text), header_cap * c.colspan if c.role == "header" else 10 ** 6)
        have = sum(widths[k] for k in cols) + 3 * (c.colspan - 1)
        for j, k in enumerate(cols):
            widths[k] += max(0, need - have) // c.colspan + (j < max(0, need - have) % c.colspan)
    return widths


ALIGN = {"value": "right", "header": "center", "corner": "left", "caption": "left", "label": "left"}


def render_table(table: Table) -> list[str]:
    grid = table.owner_grid()
    cells = table.cells + [Cell("", r, k) for r, row in enumerate(grid) for k, c in enumerate(row) if c is None]
    for c in cells[len(table.cells):]:  # holes in a hand-made table become empty cells
        grid[c.row][c.col] = c
    widths = _column_widths(table)
    index = {id(c): i for i, c in enumerate(cells)}
    owner = [[index[id(c)] for c in row] for row in grid]
    span = [sum(widths[c.col:c.col + c.colspan]) + 3 * (c.colspan - 1) for c in cells]
    wrapped = [wrap(one_line(c.text), w) for c, w in zip(cells, span)]
    heights = [1] * table.n_rows
    for c, lines in zip(cells, wrapped):
        if c.rowspan == 1 and len(lines) > heights[c.row]:
            heights[c.row] = len(lines)
    for i in sorted((i for i, c in enumerate(cells) if c.rowspan > 1), key=lambda i: cells[i].rowspan):
        c = cells[i]
        avail = sum(heights[c.row:c.row + c.rowspan]) + c.rowspan - 1
        if len(wrapped[i]) > avail:
            heights[c.row + c.rowspan - 1] += len(wrapped[i]) - avail
    starts = []
    y = 1
    for h in heights:
        starts.append(y)
        y += h + 1
    # Each cell's text, padded to its span, by physical line: a merged cell's text may run
    # across the border lines inside it, and tall cells are centred vertically.
    first_line, padded, blank = [], [], []
    for c, lines, width in zip(cells, wrapped, span):
        avail = sum(heights[c.row:c.row + c.rowspan]) + c.rowspan - 1
        first_line.append(starts[c.row] + ((avail - len(lines)) // 2 if c.rowspan > 1 else 0))
        align = ALIGN.get(c.role, "left")
        padded.append([_pad(text, width, align) for text in lines])
        blank.append(" " * (width + 2))

    def text_at(i: int, y: int) -> str:
        k = y - first_line[i]
        return padded[i][k] if 0 <= k < len(padded[i]) else blank[i]

    def border(r: int) -> str:
        """The line above row ``r``: dashes, except where a cell spans across it."""
        out, c, prev = [], 0, -2
        while c < table.n_cols:
            i = owner[r][c] if 0 < r < table.n_rows and owner[r][c] == owner[r - 1][c] else -1
            out.append("+" if prev == -1 or i == -1 else "|")
            if i == -1:
                out.append("-" * (widths[c] + 2))
                c += 1
            else:
                out.append(text_at(i, starts[r] - 1))
                c = cells[i].col + cells[i].colspan
            prev = i
        out.append("+" if prev == -1 else "|")
        return "".join(out)

    out: list[str] = []
    for r in range(table.n_rows):
        out.append(border(r).rstrip())
        # the cells a content line of this row crosses, left to right (no border inside a line)
        row = [(first_line[i], padded[i], blank[i]) for k, i in enumerate(owner[r]) if k == cells[i].col]
        for y in range(starts[r], starts[r] + heights[r]):
            out.append(("|" + "|".join([p[y - f] if 0 <= y - f < len(p) else b for f, p, b in row]) + "|").rstrip())
    out.append(border(table.n_rows).rstrip())
    return out


def write_text(doc: Document) -> bytes:
    """Render ``doc`` as UTF-8 text (every text on its own line or lines: a line break inside a
    text would make a block of its own when read back, so it becomes a space)."""
    chunks: list[str] = []
    for block in doc.blocks:
        if isinstance(block, Title):
            chunks.append(one_line(block.text))
        elif isinstance(block, Meta):
            chunks.append("\n".join(f"{one_line(label)}：{one_line(value)}" for label, value in block.items))
        elif isinstance(block, Heading):
            chunks.append(one_line(block.text))
        elif isinstance(block, Paragraph):
            text = one_line(block.text)
            if block.align == "right":
                chunks.append(" " * max(CLOSING_WIDTH - display_width(text), CLOSING_MIN_PAD) + text)
            elif block.align == "left":
                chunks.append(text)
            else:
                chunks.append(INDENT + text)
        elif isinstance(block, Table):
            chunks.append("\n".join(render_table(block)))
    return ("\n\n".join(chunks) + "\n").encode("utf-8")

"""Reading ASCII grid tables (``+---+`` borders, ``|`` column rules) back into a ``Table``.

The inverse of ``writers.text.render_table``: column positions are display columns (a CJK
character takes two), merged cells are found from missing rules, and the text of a merged
cell may run across the border lines inside it (the writer centres tall cells), so a cell's
text is every line strictly inside its rectangle, joined.
"""
from __future__ import annotations

from functools import lru_cache

from ..document import Cell, Table
from ..formats.txt import display_width

_FILL = "\0"  # the second column of a wide character


class _Widths(dict):
    """str.translate table: a wide character maps to itself plus a filler column; filled in
    lazily, so each distinct character is measured once per process."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        value = ch + _FILL if display_width(ch) == 2 else ch
        self[code] = value
        return value


_WIDTHS = _Widths()


@lru_cache(maxsize=16384)
def _columns(line: str) -> str:
    """A line with each wide character followed by a filler, so string index = display column."""
    return line if line.isascii() else line.translate(_WIDTHS)


def is_grid_line(line: str) -> bool:
    s = line.rstrip()
    return len(s) >= 2 and s[0] in "+|" and s[-1] in "+|"


def blocks_of(lines: list[str]):
    """(index, block) of text written as our writers write it, blank lines between blocks: a
    grid table (as a Table) or one line of text."""
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
        elif line.startswith("+") and is_grid_line(line):
            j = i
            while j < len(lines) and is_grid_line(lines[j]):
                j += 1
            yield i, parse_grid(lines[i:j])
            i = j
        else:
            yield i, line
            i += 1


def parse_grid(lines: list[str]) -> Table:
    """One grid table (its lines, first and last being borders) as a Table with spans."""
    rows = [_columns(line.rstrip()) for line in lines]
    width = max(len(r) for r in rows)
    rows = [r.ljust(width) for r in rows]
    top = rows[0]
    xs = [x for x, ch in enumerate(top) if ch == "+"]
    spans = list(zip(xs, xs[1:]))

    def dash_segments(line: str) -> set[int]:
        if "-" not in line:
            return set()
        return {k for k, (a, b) in enumerate(spans) if b > a + 1 and not line[a + 1:b].strip("-")}

    segments = [dash_segments(r) for r in rows]
    ys = [y for y, seg in enumerate(segments) if seg]
    n_rows, n_cols = len(ys) - 1, len(spans)
    parent = list(range(n_rows * n_cols))
    columns = {x: "".join(r[x] for r in rows) for x in xs}  # each column rule, top to bottom

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    def union(a: int, b: int) -> None:
        parent[find(a)] = find(b)

    for i in range(n_rows):
        top, bottom = ys[i] + 1, ys[i + 1]
        below = segments[ys[i + 1]]
        for k in range(n_cols):
            if k + 1 < n_cols and "|" not in columns[xs[k + 1]][top:bottom]:
                union(i * n_cols + k, i * n_cols + k + 1)
            if i + 1 < n_rows and k not in below:
                union(i * n_cols + k, (i + 1) * n_cols + k)
    extent: dict[int, list[int]] = {}
    for i in range(n_rows):
        for k in range(n_cols):
            e = extent.setdefault(find(i * n_cols + k), [i, k, i, k])
            if i > e[2]:
                e[2] = i
            if k > e[3]:
                e[3] = k
    cells = []
    for r0, c0, r1, c1 in sorted(extent.values()):
        a, b = xs[c0] + 1, xs[c1 + 1]
        parts = []
        for line in rows[ys[r0] + 1:ys[r1 + 1]]:
            text = line[a:b].strip()
            if text:
                parts.append(text.replace(_FILL, ""))
        cells.append(Cell(parts[0] if len(parts) == 1 else _join(parts), r0, c0, r1 - r0 + 1, c1 - c0 + 1))
    return Table(n_rows, n_cols, 0, cells)


def _join(parts: list[str]) -> str:
    """Wrapped lines of one cell: CJK text joins directly, Latin words with a space."""
    out = ""
    for p in parts:
        if out and out[-1].isascii() and out[-1].isalnum() and p[0].isascii() and p[0].isalnum():
            out += " "
        out += p
    return out

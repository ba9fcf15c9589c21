"""Statutory tables recovered from positioned text: where each number stands, not just its order.

``pdftotext -layout`` keeps a PDF table's geometry as character columns, and loses what a
reader of lines expects: one table row becomes several text lines (a tall row's numbers sit
above and below its label line, a number wider than its cell wraps — ``23`` over ``1`` is 231),
vertical headers stand one character a line, and numbers printed on a label's line are pushed
right by the label (a CJK character is one column of text but wider on the page). This module
rebuilds the grid from the positions, by the tables' declarations (``tables.spec``):

* each declared row is found by its label (``tables.match.row_patterns``), also when the label
  is broken over lines; the lines of its label are the row's *band*;
* the number lines between two bands belong to the row above or the row below: every split is
  tried;
* the column x-bands come from the lines that hold numbers only (their positions are exact);
  the values a label (or a “—”) pushes right are shifted by one unknown amount, so only their
  spacing holds (a value right after the word before it may be pushed further);
* in each column of a row, its pieces top to bottom are one number (a blank “—” stands alone);
* a reading is kept only if it keeps the row's declared sum rules (``decode.row_checks`` /
  ``row_keeps``); rows with several readings are settled together by the rules across rows (the
  （七）总计 row, the 勾稽 rule), searched column by column, and a row is read only when every
  choice that keeps them gives it the same numbers. When no choice keeps them, every row is read
  again loosely (pdftotext lays out each text block from its own origin: lines of one row
  shifted and squeezed against one another). A row the arithmetic cannot decide is given
  without its numbers, so the table reports it as not read (never a guess).

The result is a ``Table`` block with one row per declared row — its official label, then its
cells — that ``tables.match`` reads like any other table; the text around it is left as it was.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..document import Cell, Table
from ..labels import BLANK, is_page_number, label_key, number, numbering_level
from ..script import to_simplified
from ..tables.decode import row_checks, row_keeps, row_rules
from ..tables.match import row_patterns
from ..tables.spec import MatrixTable
from .geometry import clusters

_WORD = re.compile(r"\S+")
_BLANK_MARKS = frozenset("-—–－/")
_SAME_COLUMN = 1.6  # character columns within which two numbers' centres are one column
_GAP = re.compile(r"\S {3,}\S")
MIN_GAPPED_LINES = 6      # lines with wide runs of spaces that make a text `-layout` text
_TOO_MANY = ("?",)         # the reading of a row with too many ways to place its values
MAX_COMBINATIONS = 50_000   # readings tried in the search for the open rows' readings together
MAX_SUMS = 50_000          # sums of one column the rows still to choose may make, held for pruning
MAX_LONE_ZEROS = 2        # lone zeros in a table that still prints its zeros as nothing
MAX_LABEL_LINES = 30      # lines one row's label may be broken over (a narrow label column)
MAX_HEADER_LINES = 16     # lines a table's header may take above its first row
MAX_READINGS = 100_000    # placements tried for one row before it is left undecided
MAX_TABLE_READINGS = 1_500_000 # placements tried for one table's rows (the rows past it undecided)
_LOOSE: list[float] = []  # the grid of a loose reading (LOOSE_SAME, LOOSE_APART)
MAX_PUSH = 30            # columns a value may be pushed right by the text left of it


@dataclass
class _Token:
    start: int
    end: int
    text: str
    band: tuple[int, int] | None = None   # (Markdown table, cell): a band of columns

    @property
    def center(self) -> float:
        return (self.start + self.end) / 2

    @property
    def blank(self) -> bool:
        return self.text in _BLANK_MARKS or self.text in ("——", "--")


@dataclass
class _Line:
    index: int
    page: int
    key: str                      # the label text of the line, in label-key form, simplified
    values: list[_Token] = field(default_factory=list)
    pushed: list[bool] = field(default_factory=list)  # a value with wide text (a label, a “—”) left of it
    # of each value, how many wide words stand left of it: values after the same ones are pushed
    # right by one amount (0: not pushed)
    segment: list[int] = field(default_factory=list)
    anywhere: bool = False        # values that may stand anywhere (text between Markdown tables)

    def clean(self) -> list[_Token]:
        """The values that stand exactly where the page has them."""
        return [t for t, p in zip(self.values, self.pushed) if not p]


def is_layout_text(lines: list[str]) -> bool:
    """Text laid out in character columns (``pdftotext -layout``): many lines where words stand
    apart by wide runs of spaces."""
    return sum(1 for line in lines if _GAP.search(line)) >= MIN_GAPPED_LINES


def layout_items(lines: list[str]) -> list | None:
    """``lines`` (``-layout`` text) with each statutory table found in them replaced by a
    ``Table`` read from the positions; None when no table was found (the text is read as it is)."""
    return _replace_tables(lines, [_parse(i, line, page) for i, (line, page) in enumerate(_pages(lines))])


def markdown_items(lines: list[str]) -> list | None:
    """The same for Markdown made from a PDF (markitdown: pdfplumber's tables among pdfminer's
    text), where a value's place is its Markdown table and cell: the cells of one Markdown
    table are bands of columns, left to right; a value in text between them stands anywhere."""
    return _replace_tables(lines, _parse_markdown(lines))


def _parse_markdown(lines: list[str]) -> list[_Line]:
    out = []
    block = 0
    for i, line in enumerate(lines):
        text = line.strip()
        if not text.startswith("|"):
            out.append(_parse(i, line.replace("|", " "), 0))
            out[-1].pushed = [True] * len(out[-1].values)
            out[-1].segment = [1] * len(out[-1].values)
            out[-1].anywhere = True
            continue
        if i == 0 or not lines[i - 1].strip().startswith("|"):
            block += 1
        cells = text.strip("|").split("|")
        values: list[_Token] = []
        label = []
        for c, cell in enumerate(cells):
            words = cell.split()
            if words and all(_is_value(w) for w in words):
                values += [_Token(c, c + 1, w, (block, c)) for w in words]
            elif not set(cell.strip()) <= set("-: "):
                label.append(cell)
        out.append(_Line(i, 0, _simplified_key("".join(label)), values, [True] * len(values), [1] * len(values)))
    return out


def _replace_tables(lines: list[str], parsed: list[_Line]) -> list | None:
    """Of the editions' tables at one place, the one whose row labels are found most is read."""
    from ..editions import EDITIONS
    regions = []
    used_until = -1
    for place in zip(*(e.tables for e in EDITIONS.values() if e.tables)):
        specs = [s for s in place if isinstance(s, MatrixTable) and row_patterns(s)]
        if specs:
            # most rows found; of as many, the table with fewest rows not found (the 2019 table's
            # rows are found among the 2021 table's too, but the 2021 table has rows 2019 lacks)
            spec = max(specs, key=lambda s: (len(_anchors(s, parsed, used_until)),
                                             len(_anchors(s, parsed, used_until)) - len(s.row_ids())))
            found = _read_matrix(spec, parsed, lines, used_until)
        elif isinstance(place[0], MatrixTable) and "" in place[0].row_ids():
            found = _read_one_row(place[0], parsed, lines, used_until)
        else:
            continue
        if found is not None:
            regions.append(found)
            used_until = found[1]
    if not regions:
        return None
    out: list = []
    pos = 0
    for start, end, table in sorted(regions, key=lambda r: r[0]):
        if start < pos:
            continue
        out += lines[pos:start]
        out.append(table)
        pos = end + 1
    out += lines[pos:]
    return out


def _pages(lines: list[str]):
    page = 0
    for line in lines:
        if "\f" in line:
            page += line.count("\f")
        yield line.replace("\f", ""), page


def _parse(index: int, line: tuple[str, int] | str, page: int) -> _Line:
    text = line if isinstance(line, str) else line[0]
    words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
    values = [_Token(a, b, w) for a, b, w in words if _is_value(w)]
    label = "".join(w for _, _, w in words if not _is_value(w))
    pushed = []
    segment = []
    wide = 0
    end = -2
    for a, b, w in words:  # text left of a value (CJK, a “—”) may push it right
        if _is_value(w):
            if wide and a == end + 1:
                wide += 1  # right after the word before: pushed by it further, by an amount of its own
            pushed.append(wide > 0)
            segment.append(wide)
        if not w.isascii() or w in _BLANK_MARKS or not _is_value(w):
            wide += 1
        end = b
    return _Line(index, page, _simplified_key(label), values, pushed, segment)


def _is_value(word: str) -> bool:
    return word.isdigit() or word in _BLANK_MARKS or word in ("——", "--")


@lru_cache(maxsize=8192)
def _simplified_key(text: str) -> str:
    return label_key(to_simplified(text)).translate(_VARIANTS) if text else ""


# Traditional characters OpenCC keeps because they are valid Simplified too, where the tables'
# labels use the other form: 反覆 → 反复 (无正当理由大量反复申请)
_VARIANTS = str.maketrans({"覆": "复"})


# --- a matrix table: rows by their labels ---------------------------------------------------

def _row_keys(spec: MatrixTable) -> list[tuple[str, list[str], list[str]]]:
    return row_patterns(spec)


def _anchors(spec: MatrixTable, lines: list[_Line], after: int) -> list[tuple[str, int, int]]:
    """(row id, first line, last line) of each declared row's label, in declared order.

    The label text of the lines, one after another, is searched for each row's label: it may
    be broken over lines and interleaved with a group label printed beside it (三、本年度办理 /
    结果 beside （一）予以公 / 开), so a label is found as its first characters followed, in
    order, by the rest, with a few other characters between."""
    stream: list[tuple[str, int]] = []
    for ln in lines[after + 1:]:
        stream += [(ch, ln.index) for ch in ln.key]
    text = "".join(ch for ch, _ in stream)
    out = []
    pos = 0
    for rid, keys, _cols in row_patterns(spec):
        best = None
        for key in keys:
            found = _find(text, key, pos)
            if found is not None and (best is None or found[0] < best[0]):
                best = found
        if best is None:
            continue
        first, last = stream[best[0]][1], stream[best[1]][1]
        if last - first > MAX_LABEL_LINES:
            continue
        out.append((rid, first, last))
        pos = best[1] + 1
    return out


def _find(text: str, key: str, pos: int) -> tuple[int, int] | None:
    """(first, last) index of ``key`` in ``text`` from ``pos``: its first characters as they
    are, the rest in order with at most a few other characters between."""
    head = key[:min(2, len(key))] if len(key) >= 4 else key
    allowed = max(4, len(key) // 2)
    start = text.find(head, pos)
    while start >= 0 and start - pos < 2000:
        i = start + len(head)
        k = len(head)
        while k < len(key) and i < len(text) and i - start - k <= allowed:
            if text[i] == key[k]:
                k += 1
            i += 1
        if k == len(key) and (i - start) - len(key) <= allowed:
            return start, i - 1
        start = text.find(head, start + 1)
    return None


def _read_matrix(spec: MatrixTable, lines: list[_Line], raw: list[str], after: int):
    """(first line, last line, Table) of ``spec`` read from positions, or None."""
    anchors = _anchors(spec, lines, after)
    if len(anchors) < 3:
        return None
    cols = row_patterns(spec)[0][2]
    n = len(cols)
    checks = row_checks(row_rules(spec), cols)
    # the number lines of each gap between two bands (and before the first, after the last)
    gaps: list[list[_Line]] = []
    prev_end = anchors[0][1] - 1
    start = prev_end
    while start >= 0 and not lines[start].key and (lines[start].values or _rule(raw[start])):
        start -= 1
    top = start + 1
    gaps.append([ln for ln in lines[top:prev_end + 1] if ln.values])
    for (_, a0, a1), (_, b0, _b1) in zip(anchors, anchors[1:]):
        gaps.append([ln for ln in lines[a1 + 1:b0] if ln.values and not is_page_number(raw[ln.index])])
    last = anchors[-1][2]
    end = last
    while end + 1 < len(lines) and not lines[end + 1].key and (lines[end + 1].values or _rule(raw[end + 1])):
        end += 1
    gaps.append([ln for ln in lines[last + 1:end + 1] if ln.values])
    region = [t.text for ln in lines[top:end + 1] for t in ln.values]
    # zeros printed as nothing: (almost) no zero or “—” of its own in the table (a lone “0” may
    # be the last piece of a wrapped number, 114 over 0)
    empty = sum(1 for t in region if t == "0" or t in _BLANK_MARKS or t in ("——", "--")) <= MAX_LONE_ZEROS
    strict = _row_readings(lines, anchors, gaps, n, checks, empty, loose=False)
    rows, kept = _settle(spec, strict, cols)
    # (Markdown: values placed by their tables' cells, which a loose reading does not change)
    markdown = any(t.band is not None for ln in lines for t in ln.values)
    if not kept and not markdown:
        # no choice of the rows' readings keeps the rules across rows: a row's lines were held
        # to columns they do not stand in (the rows around showed a grid by chance), so every
        # row is read again by the order of its values only, and the rules decide
        loose = _row_readings(lines, anchors, gaps, n, checks, empty, loose=True)
        again, kept = _settle(spec, {rid: strict.get(rid, set()) | loose.get(rid, set())
                                     for rid in strict.keys() | loose.keys()}, cols)
        if kept:
            rows = again
    first = _region_start(raw, lines, top)
    return first, end, _table(spec, anchors, rows)


def _row_readings(lines: list[_Line], anchors, gaps, n: int, checks, empty: bool, loose: bool) -> dict[str, set]:
    """Each row's readings (over every split of the number lines it shares with the rows
    around that both rows allow); a row with none, or with too many, is left out."""
    options: list[dict[tuple[int, int], set]] = []
    banded = any(t.band is not None for ln in lines for t in ln.values)  # Markdown
    spent = 0  # placements tried for the whole table (MAX_TABLE_READINGS)
    for k, (rid, a0, a1) in enumerate(anchors):
        band = [ln for ln in lines[a0:a1 + 1] if ln.values]
        up, down = gaps[k], gaps[k + 1]
        first_split = range(len(up) + 1) if k > 0 else [0]
        last_split = range(len(down) + 1) if k + 1 < len(anchors) else [len(down)]
        found: dict[tuple[int, int], set] = {}
        budget = [min(MAX_READINGS, MAX_TABLE_READINGS - spent)]  # placements tried for this row, over every split
        allowed = budget[0]
        # with the column centres of the rows around, if they show every column; else (or when
        # no reading fits them) by where the values stand relative to one another only
        # and last loosely: pdftotext lays out each of its text blocks from the block's own left
        # edge and character width, so the lines of one row may be shifted and squeezed against
        # one another (a wrapped cell's “1 7 6 9 1” under “23 11 23 28 28”); the row's sums and
        # the rules across rows then decide
        near = None if loose else _grid(lines, anchors, gaps, k, n)
        grids = ([near, None] if near is not None else [None]) + ([] if banded else [_LOOSE])
        for grid in ([_LOOSE] if loose else grids):
            for s_up in first_split:
                for s_down in last_split:
                    mine = up[s_up:] + band + down[:s_down]
                    readings = _readings(mine, n, checks, grid, empty, budget)
                    if readings:
                        found[(s_up, s_down)] = readings
            if found:
                break
        spent += allowed - max(budget[0], 0)
        options.append(found)
    # splits shared by two rows must agree: keep only what both sides allow
    changed = True
    while changed:
        changed = False
        for k in range(len(anchors) - 1):
            if not options[k] or not options[k + 1]:
                continue  # a row with no reading at all says nothing about the lines it shares
            downs = {s for (_, s) in options[k]}
            ups = {s for (s, _) in options[k + 1]}
            both = downs & ups
            for opts, side in ((options[k], 1), (options[k + 1], 0)):
                for key in [key for key in opts if key[side] not in both]:
                    del opts[key]
                    changed = True
    return {rid: set().union(*options[k].values()) for k, (rid, _, _) in enumerate(anchors)
            if options[k] and _TOO_MANY not in set().union(*options[k].values())}


def _read_one_row(spec: MatrixTable, lines: list[_Line], raw: list[str], after: int):
    """(first line, last line, Table) of a table of one unlabelled row (table 四): the lines
    of numbers under its header, their values grouped into columns by where they stand (each
    group one cell, its pieces joined top to bottom), kept when the groups are as many as the
    table's columns and the numbers keep its rules; else None (the text is read as it is)."""
    cols = spec.col_ids()
    first_group = label_key(cols[0].split(".")[0])
    head = next((ln.index for ln in lines[after + 1:] if first_group in ln.key and not ln.values
                 and len(ln.key) <= 2 * len(first_group) + 4), None)  # a header line, not a sentence
    if head is None:
        return None
    k = head + 1
    while k < len(lines) and not lines[k].values and k - head <= MAX_HEADER_LINES:
        k += 1
    rows = []
    while k < len(lines) and not (lines[k].key and rows):
        ln = lines[k]
        if ln.values and not ln.key and not is_page_number(raw[k]):
            rows.append(ln)  # numbers only (a “—” may push what follows)
        elif ln.values:
            break
        k += 1
    if not rows:
        return None
    checks = row_checks(row_rules(spec), cols)
    if any(t.band is not None for ln in rows for t in ln.values):
        readings = _readings(rows, len(cols), checks, None, empty=False)  # Markdown: by table cells
    else:
        grid = clusters([t.center for ln in rows for t in ln.values], _SAME_COLUMN)
        if len(grid) < len(cols):
            readings = _with_empty_columns(rows, grid, len(cols), checks)
        elif len(grid) == len(cols):
            exact = [_Line(ln.index, ln.page, "", ln.values, [False] * len(ln.values)) for ln in rows]  # held to the grid
            readings = _readings(exact, len(cols), checks, grid, empty=False)
        else:
            readings = set()
    if len(readings) != 1 or _TOO_MANY in readings:
        return None  # which of a group's columns is the empty one: not known (the text is read as it is)
    cells = [Cell(_own_header(spec), 0, 0, role="label")]
    cells += [Cell(v, 0, j + 1) for j, v in enumerate(next(iter(readings)))]
    return _region_start(raw, lines, head), rows[-1].index, Table(1, len(cols) + 1, 0, cells, name="positioned")


MAX_EMPTY_COLUMNS = 3  # columns of a one-row table that may be printed empty (zeros as nothing)


def _with_empty_columns(rows: list[_Line], grid: list[float], n: int, checks) -> set[tuple[str, ...]]:
    """The readings of a one-row table whose values stand in fewer columns than it has (its
    zeros printed as nothing): each column of values (its pieces top to bottom) in order, the
    empty columns anywhere between, kept where the row's rules hold."""
    if n - len(grid) > MAX_EMPTY_COLUMNS:
        return set()
    pieces: list[list[_Token]] = [[] for _ in grid]
    for ln in rows:
        for t in ln.values:
            pieces[min(range(len(grid)), key=lambda j: abs(grid[j] - t.center))].append(t)
    filled = _cells(pieces, empty=False)
    if filled is None:
        return set()
    out = set()
    for gaps in itertools.combinations(range(n), n - len(grid)):
        it = iter(filled)
        cells = ["" if j in gaps else next(it) for j in range(n)]
        values = [0 if number(c) is BLANK else number(c) for c in cells]
        if all(isinstance(v, int) for v in values) and (not checks or row_keeps(checks, values)):
            out.add(tuple(cells))
    return out


def _own_header(spec: MatrixTable) -> str:
    """The table's last header label (its numbers follow it)."""
    labels = [c.text for c in spec.layout({}).cells if c.role != "value" and c.text]
    return labels[-1] if labels else ""


def _settle(spec: MatrixTable, readings: dict[str, set[tuple[str, ...]]], cols: list[str]) -> tuple[dict[str, tuple | None], bool]:
    """Each row's one reading: a row with several is settled by the rules across rows (the
    （七）总计 row, the 勾稽 rule), checked wherever all their rows have readings; a row still
    open (or with none) is None.

    The open rows' readings are searched together column by column: in each column, every
    choice of the rows' values there that keeps the rules (row by row, a partial choice dropped
    as soon as the rows still to choose cannot make the sum the rules need: the sums they can
    make are known up to ``MAX_SUMS``) narrows each row to the readings with that value, and
    the next column is searched with those; a row is settled when every choice of all the open
    rows that keeps the rules gives it one reading.
    The search stops after ``MAX_COMBINATIONS`` steps, and then no open row is settled.
    Also whether the rules can be kept at all (False: no choice keeps them)."""
    by_value: dict[str, dict[tuple, tuple[str, ...]]] = {}
    for rid, texts in readings.items():
        by_value[rid] = {}
        for t in sorted(texts):
            by_value[rid].setdefault(tuple(0 if number(x) is BLANK else number(x) for x in t), t)
    rules = [r for r in spec.rules if r.along == "rows" and all(x in by_value for x in r.left + r.right)]
    fixed = {rid: next(iter(vals)) for rid, vals in by_value.items() if len(vals) == 1}
    out: dict[str, tuple | None] = {rid: by_value[rid][v] for rid, v in fixed.items()}
    open_rows = [rid for rid, vals in by_value.items() if len(vals) > 1 and any(rid in r.left + r.right for r in rules)]
    if not open_rows:
        return out, all(sum(fixed[x][c] for x in r.left) == sum(fixed[x][c] for x in r.right)
                        for r in rules for c in range(len(cols)))
    open_rows.sort(key=lambda rid: -len(by_value[rid]))  # the rows with few readings last: their sums are known longest
    width = len(cols)
    choices = [list(by_value[rid]) for rid in open_rows]
    # each rule as (coefficient of each open row, the fixed rows' sum in each column): Σ = 0
    signs = []
    for r in rules:
        coef = [(1 if rid in r.left else 0) - (1 if rid in r.right else 0) for rid in open_rows]
        const = [sum(fixed[x][c] for x in r.left if x in fixed) - sum(fixed[x][c] for x in r.right if x in fixed)
                 for c in range(width)]
        signs.append((coef, const))
    choices = _supported(choices, signs, width)
    if choices is None:
        return out, False
    seen: list[set] = [set() for _ in open_rows]
    steps = [MAX_COMBINATIONS]
    m = len(open_rows)

    def column(c: int, choices: list[list[tuple]]) -> bool:
        """Every choice of the rows' values in column ``c`` that keeps the rules there, each
        narrowing the rows' readings to those with that value, then the next column."""
        if c == width:
            for j, ch in enumerate(choices):
                seen[j].update(ch)
            return True
        values = [sorted({v[c] for v in ch}) for ch in choices]
        # tails[k][i]: the sums rows i… can make in rule k (None: more than MAX_SUMS)
        tails = []
        for coef, _ in signs:
            sums: set | None = {0}
            tail: list[set | None] = [None] * (m + 1)
            tail[m] = sums
            for i in range(m - 1, -1, -1):
                if sums is not None and coef[i]:
                    sums = {x + coef[i] * y for x in sums for y in values[i]}
                    if len(sums) > MAX_SUMS:
                        sums = None
                tail[i] = sums
            tails.append(tail)
        picked: list[int] = []

        def row(i: int, partial: list[int]) -> bool:
            if i == m:
                return column(c + 1, [[v for v in ch if v[c] == x] for ch, x in zip(choices, picked)])
            for x in values[i]:
                steps[0] -= 1
                if steps[0] < 0:
                    return False
                nxt = [p + coef[i] * x for p, (coef, _) in zip(partial, signs)]
                if any(tails[k][i + 1] is not None and -nxt[k] not in tails[k][i + 1] for k in range(len(signs))):
                    continue
                picked.append(x)
                ok = row(i + 1, nxt)
                picked.pop()
                if not ok:
                    return False
            return True

        return row(0, [const[c] for _, const in signs])

    if column(0, choices):
        for rid, vals in zip(open_rows, seen):
            if len(vals) == 1:
                out[rid] = by_value[rid][next(iter(vals))]
        return out, bool(seen[0])
    return out, False if steps[0] >= 0 else True  # out of steps: not known not to keep them

def _supported(choices: list[list[tuple]], signs, width: int) -> list[list[tuple]] | None:
    """The open rows' readings that can be part of a choice keeping every rule in each column
    on its own: a reading stays while, in each column and each rule, the sum the rule needs
    from the other open rows is one they can make (the sums of the rows before it and after
    it, each held up to ``MAX_SUMS``; where more, that column of that rule is not used).
    Repeated until nothing more drops; None when some row has no reading left."""
    choices = [list(ch) for ch in choices]
    changed = True
    while changed:
        changed = False
        for coef, const in signs:
            rows = [i for i, k in enumerate(coef) if k]
            for c in range(width):
                values = [{coef[i] * v[c] for v in choices[i]} for i in rows]
                before = _sums(values)
                after = _sums(values[::-1])[::-1]
                for j, i in enumerate(rows):
                    head, tail = before[j], after[j + 1]
                    if head is None or tail is None:
                        continue
                    small, large = (head, tail) if len(head) <= len(tail) else (tail, head)
                    ok = {x for x in values[j] if any(-const[c] - x - a in large for a in small)}
                    if ok != values[j]:
                        choices[i] = [v for v in choices[i] if coef[i] * v[c] in ok]
                        if not choices[i]:
                            return None
                        values[j] = ok
                        changed = True
    return choices


def _sums(values: list[set]) -> list[set | None]:
    """The sums of one value from each of the first 0, 1, … sets (None past ``MAX_SUMS``)."""
    out: list[set | None] = [{0}]
    for vs in values:
        last = out[-1]
        nxt = None if last is None else {a + b for a in last for b in vs}
        out.append(nxt if nxt is not None and len(nxt) <= MAX_SUMS else None)
    return out


def _rule(line: str) -> bool:
    """A Markdown table's rule row (| --- | --- |): no text, no numbers."""
    text = line.strip()
    return text.startswith("|") and set(text) <= set("|-: ")


def _region_start(raw: list[str], lines: list[_Line], i: int) -> int:
    """The first line of the table's header above line ``i``: up to the sentence that
    introduces the table or the section's heading (blank lines inside a header are kept; the
    header's words would otherwise read as headings of their own)."""
    k = i
    while k - 1 >= 0 and i - k < MAX_HEADER_LINES:
        text = raw[k - 1].strip()
        if text and not text.startswith("|") and (text.endswith(("：", ":", "。", "；")) or numbering_level(text) == 1
                                                  or (len(text) > 30 and not _GAP.search(raw[k - 1]))):
            break
        k -= 1
    while k < i and not raw[k].strip():
        k += 1
    return k


def _table(spec: MatrixTable, anchors, rows: dict[str, tuple | None]) -> Table:
    cells: list[Cell] = []
    for r, (rid, _, _) in enumerate(anchors):
        cells.append(Cell(_own_label(spec, rid), r, 0, role="label"))
        values = rows.get(rid)
        for c, v in enumerate(values or ()):
            cells.append(Cell(v, r, c + 1))
    width = 1 + max((len(v) for v in rows.values() if v), default=0)
    return Table(len(anchors), width, 0, cells, name="positioned")


def _own_label(spec: MatrixTable, rid: str) -> str:
    return spec._row_paths()[rid][-1].label


# --- columns -----------------------------------------------------------------------------
#
# pdftotext places each piece of text at a character column worked out from where it stands on
# the page, but pushes it right past wider text left of it (a CJK label, a “—”), on its own line
# and, through the page's other lines, by varying amounts. So positions are compared only
# within a row: two values stacked in one column overlap; a value in a column left of another
# stands left of it. A value with wide text left of it on its line may stand further right than
# the page has it, never further left.

SAME = 2.0   # two values in one column: their centres this close (columns)
APART = 1.0  # a value in a column left of another's: its centre at least this far left
# read loosely (lines of one row laid out as different text blocks, shifted and squeezed
# against one another): one column within this, a column left of another up to this far right
LOOSE_SAME = 4.0
LOOSE_APART = -1.5


def _fits(a: _Token, pa: bool, ca: int, b: _Token, pb: bool, cb: int, same: float = SAME, apart: float = APART) -> bool:
    """Whether value ``a`` in column ``ca`` and ``b`` in ``cb`` (on other lines of one row)
    agree with where they stand; a value pushed by wide text (``pa``/``pb``) may stand anywhere
    (lines are pushed by different amounts, even the other way), so only its own line's order
    holds for it."""
    if a.band is not None and b.band is not None and a.band[0] == b.band[0]:
        cell_a, cell_b = a.band[1], b.band[1]  # one Markdown table: its cells are bands of columns
        return cell_a == cell_b if ca == cb else (cell_a <= cell_b if ca < cb else cell_a >= cell_b)
    if pa or pb:
        return True
    if ca == cb:
        return abs(a.center - b.center) <= same
    return a.center <= b.center - apart if ca < cb else a.center >= b.center + apart


def _shifts_fit(t: _Token, key, c: int, grid: list[float] | None, placed, intervals: dict, undo: list) -> bool:
    """Whether value ``t`` may stand in column ``c``, given the values placed on other lines:
    a value not pushed (``key`` None) stands where the page has it; the values pushed by the
    same wide text of one line (one ``key``) are all shifted right by one unknown amount. For
    each two shifts the range their difference may take is narrowed (``intervals``; changes
    recorded in ``undo``); the value fits while every range is not empty."""
    def narrow(k1, k2, lo: float, hi: float) -> bool:
        """δ(k1) − δ(k2) within [lo, hi] (None: no shift)."""
        if k1 is None and k2 is None:
            return lo <= 0 <= hi
        if k1 is None:
            k1, k2, lo, hi = k2, k1, -hi, -lo
        pair = (k1, k2)
        old = intervals.get(pair, (-1e9, 1e9))
        new = (max(old[0], lo), min(old[1], hi))
        if new[0] > new[1]:
            return False
        if new != old:
            undo.append((pair, old))
            intervals[pair] = new
        return True

    if grid is not None and not narrow(key, None, t.center - grid[c] - SAME, t.center - grid[c] + SAME):
        return False
    for u, q, d, _, other in placed:
        if u.band is not None:
            continue
        if other is not None and other == key:
            continue
        e = t.center - u.center  # δ(key) − δ(other) = e − (where t stands − where u stands)
        if c == d:
            ok = narrow(key, other, e - SAME, e + SAME)
        elif c < d:
            ok = narrow(key, other, e + APART, 1e9)
        else:
            ok = narrow(key, other, -1e9, e - APART)
        if not ok:
            return False
    return True


def _line_fits(ln: _Line, cols: tuple[int, ...], grid: list[float] | None) -> bool:
    """Whether the line's values may stand in ``cols`` of the column centres ``grid``: a value
    with nothing wide left of it where its column is (a pushed one anywhere)."""
    if grid is None:
        return True
    return all(p or abs(t.center - grid[c]) <= SAME for t, p, c in zip(ln.values, ln.pushed, cols))


def _readings(mine: list[_Line], n: int, checks, grid: list[float] | None = None,
              empty: bool = False, budget: list[int] | None = None) -> set[tuple[str, ...]]:
    """Every set of cell texts the row's lines give that keeps the row's rules: each line's
    values in rising columns, in agreement with where they stand (with one another, and with
    the column centres ``grid`` where known), each column's pieces joined top to bottom."""
    tolerance = (LOOSE_SAME, LOOSE_APART) if grid is _LOOSE else (SAME, APART)
    shifts = grid is not _LOOSE  # a pushed line's values shifted by one amount (loosely: anywhere)
    grid = None if grid is _LOOSE else grid
    intervals: dict = {}  # (segment, segment or None) → the range their shifts differ by
    # lines whose values stand where the page has them first: they fix the most
    lines = sorted((ln for ln in mine if ln.values), key=lambda ln: (any(ln.pushed), ln.index))
    if any(len(ln.values) > n for ln in lines):
        return set()
    left = [sum(len(ln.values) for ln in lines[i:]) for i in range(len(lines) + 1)]
    placed: list[tuple] = []  # (value, pushed, column, line, whose shift)
    used = [0] * n
    out: set[tuple[str, ...]] = set()
    budget = budget if budget is not None else [MAX_READINGS]

    def go(li: int) -> bool:
        if li == len(lines):
            pieces: list[list[_Token]] = [[] for _ in range(n)]
            for t, _, c, *_ in sorted(placed, key=lambda x: x[3]):  # top to bottom
                pieces[c].append(t)
            cells = _cells(pieces, empty)
            if cells is not None:
                values = [0 if number(c) is BLANK else number(c) for c in cells]
                if all(isinstance(v, int) for v in values) and (not checks or row_keeps(checks, values)):
                    out.add(tuple(cells))
            return True
        ln = lines[li]
        free = all(ln.pushed) and all(t.band is None for t in ln.values)  # may stand anywhere
        before = len(placed)  # the values of the lines placed before this one

        def place(vi: int, start: int) -> bool:
            """The line's values from ``vi`` on, in columns from ``start`` on, one at a time
            (each checked against the lines placed before as soon as it is placed)."""
            if vi == len(ln.values):
                if not empty and sum(1 for j in range(n) if not used[j]) > left[li + 1]:
                    return True  # too few values left to fill the columns still empty
                return go(li + 1)
            t, p = ln.values[vi], ln.pushed[vi]
            key = (ln.index, ln.segment[vi]) if p else None  # whose shift the value has (None: none)
            # by where they stand (_fits): only values of one Markdown table, or two not pushed
            against = [x for x in placed[:before] if not (p or x[1]) or
                       t.band is not None and x[0].band is not None and t.band[0] == x[0].band[0]]
            for c in range(start, n - (len(ln.values) - vi) + 1):
                budget[0] -= 1
                if budget[0] < 0:
                    return False
                undo: list = []
                if shifts and not ln.anywhere and t.band is None:
                    ok = _shifts_fit(t, key, c, grid, placed[:before], intervals, undo)
                else:
                    ok = free or (p or grid is None or abs(t.center - grid[c]) <= SAME) and \
                        all(_fits(t, p, c, u, q, d, *tolerance) for u, q, d, *_ in against)
                if ok:
                    placed.append((t, p, c, ln.index, key))
                    used[c] += 1
                    complete = place(vi + 1, c + 1)
                    used[c] -= 1
                    placed.pop()
                for pair, old in reversed(undo):
                    intervals[pair] = old
                if ok and not complete:
                    return False
            return True

        return place(0, 0)

    if not go(0):
        return {_TOO_MANY}  # too many ways: undecided
    return out


def _grid(lines: list[_Line], anchors, gaps, k: int, n: int) -> list[float] | None:
    """The n column centres near row ``k``: where the values with nothing wide left of them
    stand, in the rows around it (the nearest few first, as far as gives n columns); None
    when no neighbourhood shows every column apart."""
    page = lines[anchors[k][1]].page
    for reach in (1, 2, 3, 5, 8):
        lo, hi = max(0, k - reach), min(len(anchors) - 1, k + reach)
        first = anchors[lo][1] - len(gaps[lo])
        last = anchors[hi][2] + len(gaps[hi + 1])
        near = [t.center for ln in lines[max(0, first):last + 1] if ln.page == page for t in ln.clean()]
        centres = clusters(near, _SAME_COLUMN)
        if len(centres) == n:
            return centres
        if len(centres) > n:
            return None
    return None


def _cells(pieces: list[list[_Token]], empty: bool) -> list[str] | None:
    """Each column's pieces joined top to bottom; None when they cannot be one number (or a
    column is empty while the table prints its zeros)."""
    out = []
    for ps in pieces:
        if not ps:
            if not empty:
                return None
            out.append("")  # printed empty: a zero
            continue
        if any(p.blank for p in ps):
            if len(ps) > 1:
                return None
            out.append(ps[0].text)
            continue
        text = "".join(p.text for p in ps)
        if len(text) > 1 and text.startswith("0"):
            return None
        out.append(text)
    return out

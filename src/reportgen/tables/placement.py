"""A statutory table put back together from a converter's text boxes, by its arithmetic.

pdfminer.six (``extract_text``) prints a table as text boxes in an order of its own: a run of one
row's consecutive cells (``832 38 397 442``), a cell wrapped inside its narrow column (``183`` /
``6`` is 1836), one column's cells of consecutive rows (``468`` / ``9`` / ``107`` / ``48`` is 4689
over 10748), a row's total printed after the next row (``113`` / ``6`` / ``119`` / ``3`` after
``3.要求提供公开出版物``), and row labels sometimes right before their numbers and sometimes all
labels of a page first and all their numbers after. ``tables.linear`` reads rows one after
another and gives up on such text; this module places the pieces on the declared grid instead.

The pieces are the lines of the boxes (the text reader marks where a box begins in the loose
table it makes: ``Table.breaks``). A page printed one cell a line down its columns is first
turned into rows when only that reading keeps every row's sums (``_by_rows``). Then a search
places each line, in printed order, on the grid under rules that pdfminer's order keeps:

* a line is consecutive cells of one row; every row fills from its first column on, and a cell
  comes after the cell above it (pdfminer sorts boxes top down before left to right), so the
  filled part of the table is a staircase;
* a row takes numbers only once its label has been printed, and rows start in their declared
  order (so two detail rows whose sums would swap cleanly are told apart by where they stand);
* a line right under another in its box is the same cell wrapped (pieces as wide as the first,
  the last no wider, never a blank marker) or cells of the row below that share a column; a
  single piece may also be a box of its own under a row's run, and the last piece of a total
  may come after the next row's run;
* every cell is printed (a zero as “0” or “—”; tables whose zeros are blank are not placed);

and the table's arithmetic prunes it: a row's 总计 must begin with the sum of its parts and equal
it once the row is full; the rules across rows (（七）总计, the 勾稽 rule) are checked on the whole
placements. The search goes from one settled point (every row started is full) to the next, so
each stretch is searched once. Every placement that keeps all of it is found within a budget of
steps (MAX_STEPS, a count, so the result does not depend on the machine): a cell is taken where
all of them agree, and flagged (``MISSING``, with a note) where they differ; when no placement keeps the rules, or the budget
runs out, the table is left to ``tables.match`` (which flags what it cannot read) — never guessed.
"""
from __future__ import annotations

import re

from ..document import Table
from ..labels import BLANK, is_value, label_key, number
from .decode import DECODED, MISSING
from .spec import MatrixTable, TableSpec

# placements tried for one table: past this its cells are flagged. A count of steps, not a time, so a
# busy machine reads a report as a quiet one does (60,000 reads as much of the bench as 200,000 did)
MAX_STEPS = 60_000
MAX_SOLUTIONS = 64      # whole-table placements kept (enough to see which cells they differ on)

_DIGITS = re.compile(r"^\d+$")


class _Line:
    """A line of numbers: its tokens, the box it belongs to, how many rows (in declared order)
    have had their labels printed before it, and the row its label right before it names (the
    line is that row's; -1: no such label)."""
    __slots__ = ("tokens", "box", "opened", "anchor")

    def __init__(self, tokens: list[str], box: int, opened: int, anchor: int = -1):
        self.tokens, self.box, self.opened, self.anchor = tokens, box, opened, anchor


def _stream(spec: MatrixTable, tables: list[Table]) -> tuple[list[_Line], list[str]] | None:
    """The table text's number lines in order, each with how many declared rows (in declared
    order, as far as their labels were printed) are open by then; None when it holds numbers
    other than counts."""
    from .match import row_patterns  # the rows' label keys, as match_table reads them
    rows = spec.row_ids()
    index = {rid: k for k, rid in enumerate(rows)}
    lines: list[_Line] = []
    labels = ""
    opened = 0
    box = 0

    keys = sorted(((k, rid) for rid, ks, _ in row_patterns(spec) for k in ks), key=lambda kr: -len(kr[0]))

    def found_rows(text: str) -> list[tuple[int, int]]:
        """(where, row) of every row label in ``text`` (longest labels first, a label's text
        taken once: 3其他 is not read inside another row's label)."""
        out = []
        for k, rid in keys:
            at = text.find(k)
            if at >= 0:
                text = text[:at] + "\0" * len(k) + text[at + len(k):]
                out.append((at, index[rid]))
        return sorted(out)

    def close_labels(own: str = "") -> int:
        """Open the rows whose labels the label text just read holds; the row the next line
        is anchored to (-1: none): the last label on the line's own text before its numbers,
        else the one row label of the run."""
        nonlocal labels, opened
        run = found_rows(labels)
        for _, r in run:
            opened = max(opened, r + 1)
        labels = ""
        mine = found_rows(own) if own else []
        if mine:
            return mine[-1][1]
        return run[0][1] if len(run) == 1 else -1

    for t in tables:
        by_row: dict[int, list] = {}
        for c in t.cells:
            by_row.setdefault(c.row, []).append(c)
        breaks = set(t.breaks)
        for row in sorted(by_row):
            cells = sorted(by_row[row], key=lambda c: c.col)
            if row in breaks or not t.breaks:
                box += 1  # (text without boxes: each line a box of its own)
            words = [w for c in cells for w in c.text.split()] if all(is_value(c.text) for c in cells) else None
            if words is None:
                k = len(cells)
                while k > 0 and is_value(cells[k - 1].text):
                    k -= 1
                own = "".join(label_key(c.text) for c in cells[:k])
                labels += own
                words = [w for c in cells[k:] for w in c.text.split()]
                if k:
                    box += 1  # numbers after a label on its line begin a box
            else:
                own = ""
            if not words:
                continue
            if any(number(w) is None or (number(w) is not BLANK and not _DIGITS.match(w)) for w in words):
                return None  # decimals or signs: not a table of counts
            fresh = bool(labels)
            anchor = close_labels(own)
            lines.append(_Line(words, box, opened, anchor if fresh else -1))
    close_labels()
    if opened < len(rows):
        # rows whose labels were never found: the last rows' numbers may follow the last label
        for ln in lines[::-1]:
            if ln.opened != opened:
                break
            ln.opened = len(rows)
    return lines, rows


def place_table(spec: TableSpec, tables: list[Table]):
    """The cells of ``spec`` (a table with declared rows) placed from the number lines of
    ``tables`` (text read as tables, one line a row); a ``tables.match.TableMatch``, or None
    when no placement keeps the rules."""
    from .match import TableMatch
    if not isinstance(spec, MatrixTable) or "" in spec.row_ids():
        return None
    found = _stream(spec, tables)
    if found is None:
        return None
    lines, rows = found
    cols = spec.col_ids()
    if not lines or sum(len(ln.tokens) for ln in lines) < len(rows) * len(cols):
        return None
    lines = _by_rows(lines, len(cols), _row_rules(spec, cols))
    solutions, complete = _Search(spec, lines, rows, cols).solve()
    if not solutions:
        return None
    out = TableMatch()
    undecided = []
    for r, rid in enumerate(rows):
        for c, col in enumerate(cols):
            seen = {s[r][c] for s in solutions}
            if len(seen) == 1 and complete:
                out.cells[(rid, col)] = seen.pop()
                out.flags[(rid, col)] = DECODED
            else:
                out.cells[(rid, col)] = 0
                out.flags[(rid, col)] = MISSING
                undecided.append(spec.cell_words((rid, col)))
    out.rows_found = len(rows)
    if undecided:
        why = "可能的排列过多，未能逐一核对" if not complete else "合计关系允许不止一种排列"
        out.notes.append(f"的数字在转换后的文字中分散排列，{why}：{'、'.join(undecided[:5])}"
                         f"{'等' if len(undecided) > 5 else ''}共 {len(undecided)} 格未能确定，按 0 填写")
    return out


def _row_rules(spec: MatrixTable, cols: list[str]) -> list[tuple[int, list[int]]]:
    ci = {c: k for k, c in enumerate(cols)}
    return [(ci[r.left[0]], [ci[x] for x in r.right]) for r in spec.rules
            if r.along == "columns" and len(r.left) == 1]


def _by_rows(lines: list[_Line], n_cols: int, checks) -> list[_Line]:
    """The lines with each page's column-by-column print turned into rows: where the numbers
    after a page's labels are one cell a line, exactly the cells of the rows those labels
    opened, and read down the columns they keep every row's sums while read along the rows
    they do not (pdfminer prints a table of short numbers one column after another), they are
    given as one line a row; otherwise left as printed."""
    out: list[_Line] = []
    start = 0
    before = 0  # rows opened before this stretch of lines
    while start < len(lines):
        end = start
        while end < len(lines) and lines[end].opened == lines[start].opened:
            end += 1
        group = lines[start:end]
        k = group[0].opened - before
        tokens = [t for ln in group for t in ln.tokens]
        if k >= 2 and all(len(ln.tokens) == 1 for ln in group) and len(tokens) == k * n_cols:
            values = [0 if number(t) is BLANK else int(t) for t in tokens]
            down = [[values[c * k + r] for c in range(n_cols)] for r in range(k)]
            along = [values[r * n_cols:(r + 1) * n_cols] for r in range(k)]

            def keeps(rows_: list[list[int]]) -> bool:
                return all(row[t] == sum(row[p] for p in parts) for row in rows_ for t, parts in checks)
            if keeps(down) and not keeps(along):
                out += [_Line([tokens[c * k + r] for c in range(n_cols)], -10_000 - start - r, group[0].opened,
                              group[0].anchor if r == 0 else -1)
                        for r in range(k)]  # a box each
                before, start = group[0].opened, end
                continue
        out += group
        before, start = group[0].opened, end
    return out


class _Search:
    """The placements of ``lines`` on the grid. The search runs from one *settled point* to the
    next — a line after which every row started is full and no cell may take a wrapped piece —
    since what follows such a point does not depend on how the rows before it were filled, only
    on where it is (the line, the rows started): each stretch between two points is searched
    once, its placements kept with the rows they fill, and the whole-table placements are the
    paths through these stretches whose rows keep the rules across rows."""

    def __init__(self, spec: MatrixTable, lines: list[_Line], rows: list[str], cols: list[str]):
        self.lines, self.n_rows, self.n_cols = lines, len(rows), len(cols)
        ci = {c: k for k, c in enumerate(cols)}
        ri = {r: k for k, r in enumerate(rows)}
        self.row_checks = [(ci[r.left[0]], [ci[x] for x in r.right]) for r in spec.rules
                           if r.along == "columns" and len(r.left) == 1]
        self.cross = [([ri[x] for x in r.left], [ri[x] for x in r.right]) for r in spec.rules if r.along == "rows"]
        self.steps = MAX_STEPS
        # the row rules whose total comes after all its parts: (total's column, parts' columns)
        self.totals = {t: parts for t, parts in self.row_checks if max(parts) < t}
        self.remaining = [0] * (len(lines) + 1)
        # the first tokens of the lines from k on: whole, and those a wrapped number may begin with
        self.firsts: list[set[str]] = [set() for _ in range(len(lines) + 1)]
        self.heads: list[set[str]] = [set() for _ in range(len(lines) + 1)]
        for k in range(len(lines) - 1, -1, -1):
            self.remaining[k] = self.remaining[k + 1] + len(lines[k].tokens)
            first = lines[k].tokens[0]
            self.firsts[k] = self.firsts[k + 1] | {"0" if number(first) is BLANK else first}
            wraps = len(lines[k].tokens) == 1 and k + 1 < len(lines) and lines[k + 1].box == lines[k].box
            self.heads[k] = self.heads[k + 1] | ({first} if wraps else set())

    def solve(self) -> tuple[list[list[list[int]]], bool]:
        """The whole-table placements (at most MAX_SOLUTIONS) and whether the search was complete."""
        edges: dict[tuple[int, int], list[tuple[tuple[int, int], list[list[int]]]]] = {}
        todo = [(0, 0)]
        complete = True
        while todo:
            state = todo.pop()
            if state in edges or state[0] == len(self.lines):
                continue
            found, done = self._stretch(*state)
            complete = complete and done
            edges[state] = found
            todo += [nxt for nxt, _ in found]
            if not done:
                break
        if not complete:
            return [], False
        solutions: list[list[list[int]]] = []
        filled: list[list[int]] = []
        goal = (len(self.lines), self.n_rows)

        def walk(state) -> bool:
            if not self._step():
                return False
            if state == goal:
                if self._cross_ok(filled):
                    solutions.append([list(v) for v in filled])
                return len(solutions) < MAX_SOLUTIONS
            for nxt, values in edges.get(state, ()):
                filled.extend(values)
                ok = self._cross_ok(filled) and walk(nxt)  # rules whose rows are all filled so far
                del filled[len(filled) - len(values):]
                if not ok and self.steps < 0 or len(solutions) >= MAX_SOLUTIONS:
                    return False
            return True

        complete = walk((0, 0))
        return solutions, complete

    def _step(self) -> bool:
        """One more step of the search, within its budget of steps."""
        self.steps -= 1
        return self.steps >= 0

    def _total_fits(self, row: list[int], col: int, first: str) -> bool:
        """Whether ``first`` may begin the total in ``col`` of a row whose parts are ``row``."""
        want = str(sum(row[p] for p in self.totals[col]))
        if number(first) is BLANK:
            return want == "0"
        return want.startswith(first) and (first == want or not first.startswith("0"))

    def _total_ahead(self, row: list[int], i: int) -> bool:
        """Whether a line from ``i`` on may still give the total of a row whose parts are all
        placed (``row``): a row's cells come left to right, so its total begins a line."""
        if len(row) not in self.totals:
            return True
        want = str(sum(row[p] for p in self.totals[len(row)]))
        return want in self.firsts[i] or any(want[:k] in self.heads[i] for k in range(1, len(want)))

    def _cross_ok(self, filled: list[list[int]]) -> bool:
        n = len(filled)
        for left, right in self.cross:
            if max(*left, *right) >= n:
                continue
            for c in range(self.n_cols):
                if sum(filled[x][c] for x in left) != sum(filled[x][c] for x in right):
                    return False
        return True

    def _stretch(self, i0: int, s0: int):
        """From the settled point (line ``i0``, rows ``s0`` started and full): every way to the
        next settled point, as [((line, rows started), values of the rows filled)]; and whether
        the search was complete."""
        lines, n_rows, n_cols = self.lines, self.n_rows, self.n_cols
        grid: list[list[list[str]]] = [[] for _ in range(n_rows)]  # pieces of each cell
        value: list[list[int]] = [[] for _ in range(n_rows)]
        for r in range(s0):
            value[r] = [0] * n_cols  # full (their values do not matter here)
        out: list = []
        started = s0

        last = n_cols - 1
        can_wait = self.totals.keys() == {last}  # the only row rule: the last cell is the total
        waiting: set[int] = set()  # full rows whose total is printed short: the rest comes later

        def short(r: int) -> bool:
            """A full row whose total, as far as printed, begins its parts' sum (pdfminer may
            print the last piece of a wrapped total after the next row's run: 112 … 1)."""
            if not can_wait or len(value[r]) < n_cols:
                return False
            got = "".join(grid[r][last])
            want = str(sum(value[r][p] for p in self.totals[last]))
            return got != want and want.startswith(got) and _DIGITS.match(got) is not None and got[0] != "0"

        def row_ok(r: int) -> bool:
            vals = value[r]
            return len(vals) < n_cols or all(vals[t] == sum(vals[p] for p in parts) for t, parts in self.row_checks) \
                or short(r)

        def after(r: int, i: int, prev, pending: int) -> bool:
            """Go on after line ``i - 1`` was placed in row ``r``, keeping track of short totals."""
            add = pending < 0 and r not in waiting and short(r)
            if add:
                waiting.add(r)
            ok = go(i, prev, pending)
            if add:
                waiting.discard(r)
            return ok

        def piece_fits(cell: list[str], piece: str) -> bool:
            """Whether ``piece`` may be the next line of a number wrapped inside its cell:
            pieces before the last are all as wide as the first, the last no wider."""
            if not _DIGITS.match(piece) or not _DIGITS.match(cell[0]) or cell[0].startswith("0"):
                return False
            width = len(cell[0])
            return all(len(p) == width for p in cell) and len(piece) <= width and \
                len("".join(cell)) + len(piece) <= 13

        def wraps_next(i: int) -> bool:
            """Whether line ``i + 1`` could be a piece wrapped under line ``i``'s last cell: in
            its box, or a box of its own under a row's run (pdfminer boxes the piece under the
            last number of a wide line apart: ``… 49468 19696`` / ``7``)."""
            return i + 1 < len(lines) and (lines[i + 1].box == lines[i].box or len(lines[i].tokens) > 1) and \
                len(lines[i + 1].tokens) == 1 and _DIGITS.match(lines[i].tokens[-1]) is not None

        def settled(i: int, pending: int) -> bool:
            if pending >= 0 or waiting:
                return False
            return all(len(value[r]) == n_cols for r in range(started))

        def go(i: int, prev: tuple | None, pending: int) -> bool:
            """Place line ``i``; ``prev``: (row, first col, last col) of line i-1; ``pending``:
            the row whose sums wait for line i (its last cell may be wrapped on), or -1."""
            nonlocal started
            if not self._step():
                return False
            if i > i0 and settled(i, pending):
                out.append(((i, started), [list(value[r]) for r in range(s0, started)]))
                return len(out) < MAX_SOLUTIONS * 4
            if i == len(lines):
                return True
            free = sum(n_cols - len(v) for v in value)
            if self.remaining[i] < free:
                return True  # every cell is printed: too few pieces left
            ln = lines[i]
            toks = ln.tokens
            same_box = prev is not None and lines[i - 1].box == ln.box
            if pending >= 0 and len(toks) == 1 and pending == prev[0] and ln.anchor < 0:  # a piece wrapped in the cell above
                r, c = prev[0], prev[2]
                cell = grid[r][c]
                if piece_fits(cell, toks[0]):
                    old = value[r][c]
                    cell.append(toks[0])
                    value[r][c] = int("".join(cell))
                    wrap = wraps_next(i)
                    ok = True
                    if (wrap or row_ok(r)) and (wrap or self._total_ahead(value[r], i + 1)):
                        ok = after(r, i + 1, prev, r if wrap else -1)
                    cell.pop()
                    value[r][c] = old
                    if not ok:
                        return False
            if pending >= 0 and not row_ok(pending):
                return True
            if len(toks) == 1 and waiting and ln.anchor < 0:  # the rest of a total printed short
                for r in sorted(waiting):
                    cell = grid[r][last]
                    want = str(sum(value[r][p] for p in self.totals[last]))
                    if not piece_fits(cell, toks[0]) or not want.startswith("".join(cell) + toks[0]):
                        continue
                    old = value[r][last]
                    cell.append(toks[0])
                    value[r][last] = int("".join(cell))
                    done = not short(r)
                    if done:
                        waiting.discard(r)
                    ok = go(i + 1, None, -1)
                    if done:
                        waiting.add(r)
                    cell.pop()
                    value[r][last] = old
                    if not ok:
                        return False
            for r in range(min(started + 1, ln.opened, n_rows)):
                if ln.anchor >= 0 and r != ln.anchor:
                    continue  # the line right after a row's label is that row's
                c0 = len(value[r])
                if c0 + len(toks) > n_cols:
                    continue
                if r and len(value[r - 1]) < c0 + len(toks):
                    continue  # a cell comes after the cell above it (rows above are filled as far)
                if same_box and not (r == prev[0] + 1 and c0 <= prev[2] and c0 + len(toks) - 1 >= prev[1]):
                    continue  # a line under another in its box: the row below (every cell printed), sharing a column
                if c0 in self.totals and not self._total_fits(value[r], c0, toks[0]):
                    continue  # a row's total is the sum of its parts: its first piece must begin it
                for t in toks:
                    grid[r].append([t])
                    value[r].append(0 if number(t) is BLANK else int(t))
                new_start = r == started
                started += new_start
                wrap = wraps_next(i)
                ok = True
                if (wrap or row_ok(r)) and (wrap or self._total_ahead(value[r], i + 1)):
                    ok = after(r, i + 1, (r, c0, c0 + len(toks) - 1), r if wrap else -1)
                started -= new_start
                for _ in toks:
                    grid[r].pop()
                    value[r].pop()
                if not ok:
                    return False
            return True

        done = go(i0, None, -1)
        return out, done

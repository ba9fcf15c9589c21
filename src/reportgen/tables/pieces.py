"""A row read from the pieces a converter printed, and rows settled together column by column.

A PDF table with narrow cells wraps a wide number inside its cell (3374 printed ``33`` / ``74``),
and a cell left blank for 0 prints nothing at all; a converter that writes text in reading order
(pdftotext -raw, pypdf, pdftohtml) keeps the cells in order, so a row arrives as a run of number
pieces: ``18 7 26 45 72 33 0`` is 187|0|0|26|45|72|330. ``readings`` gives every way to group such
a run into the row's cells (a cell: no piece — a blank 0 —, or consecutive pieces of one width
with a last piece no wider) that keeps the rules within the row; ``settle`` then picks, column by
column, the readings of all rows that keep the rules across rows (（七）总计 = the detail rows,
the 勾稽 rule), so where a blank fell is told by the column sums. A cell is taken only where every
reading that keeps all the rules agrees on it.
"""
from __future__ import annotations

from ..labels import BLANK, number

MAX_STEPS = 200_000       # searching one row's readings, or one column's assignments
MAX_READINGS = 400        # readings kept for one row
MAX_SOLUTIONS = 12        # whole-table solutions looked at before stopping: past them the search is cut
                          # short, and ``decode`` then keeps only what each row's own readings agree on
MAX_DIGITS = 13           # no cell holds a longer number (labels.number)


def readings(tokens: list[str], n: int, rules: list[tuple[int, list[int]]],
             gaps: bool = True, budget: list[int] | None = None) -> tuple[list[tuple[int, ...]], bool]:
    """Every way to group ``tokens`` (digit pieces, or blank markers “—” each a cell of 0) into
    ``n`` cells that keeps ``rules`` (total index, part indexes); ``gaps``: a cell may take no
    piece (a blank printed as nothing). Returns the readings and whether the search was complete.
    Cells the rules tie together in runs of their own (table 四's three blocks) are searched
    block by block, each from every place the block before it may end; ``budget`` ([steps
    left], shared by several searches) bounds the search: past it the answer is incomplete."""
    kinds = [number(t) for t in tokens]
    if any(k is None for k in kinds):
        return [], True
    budget = budget if budget is not None else [MAX_STEPS]
    states: dict[int, list[tuple[int, ...]]] = {0: [()]}
    complete = True
    blocks = _blocks(n, rules)
    for b, (lo, hi) in enumerate(blocks):
        local = [(left - lo, [k - lo for k in parts]) for left, parts in rules if lo <= left < hi]
        last = b == len(blocks) - 1
        nxt: dict[int, list[tuple[int, ...]]] = {}
        for ti, heads in states.items():
            ends, done = _block(tokens, kinds, ti, hi - lo, local, gaps, last, budget)
            complete = complete and done
            for tj, values in ends:
                bucket = nxt.setdefault(tj, [])
                for h in heads:
                    if len(bucket) < MAX_READINGS:
                        bucket.append(h + values)
                    else:
                        complete = False
        states = nxt
        if not states:
            return [], complete
    found = list(dict.fromkeys(states.get(len(tokens), [])))
    return found, complete


def totals_after(tokens: list[str], n: int, k: int, total: int,
                 budget: list[int] | None = None) -> tuple[list[tuple[int, ...]], bool]:
    """``k`` rows of ``n`` cells whose cell ``total`` is the sum of the others, printed with all
    the rows' other cells first (row by row) and then the rows' totals (pdfminer prints the 总计
    column as a block of its own): every cut into numbers that keeps each row's sum, as the rows'
    cells one row after another; and whether the search was complete. The totals are cut first
    (few ways), then each row's other cells must add up to its total."""
    kinds = [number(t) for t in tokens]
    if any(k_ is None for k_ in kinds):
        return [], True
    budget = budget if budget is not None else [MAX_STEPS]
    found: list[tuple[int, ...]] = []
    complete = True
    parts = n - 1
    for split in range(k * parts, len(tokens) - k + 1):
        tails, done = _block(tokens, kinds, split, k, [], False, True, budget)
        complete = complete and done
        for _, totals in tails:
            ends: dict[int, list[tuple]] = {0: [()]}  # readings of the rows so far, by where they end
            for j in range(k):
                nxt: dict[int, list[tuple]] = {}
                for start, heads in ends.items():
                    cut, done = _summed(tokens[:split], kinds, start, parts, totals[j], budget)
                    complete = complete and done
                    for end, values in cut:
                        row = values[:total] + (totals[j],) + values[total:]
                        nxt.setdefault(end, []).extend(h + row for h in heads)
                ends = nxt
            found += ends.get(split, [])
            if len(found) > MAX_READINGS or budget[0] < 0:
                return found, False
    return list(dict.fromkeys(found)), complete


def _summed(tokens: list[str], kinds: list, start: int, n: int, target: int,
            budget: list[int]) -> tuple[list[tuple[int, tuple[int, ...]]], bool]:
    """The ways ``n`` cells from token ``start`` (whole pieces, every cell printed) add up to
    ``target``: [(the token after them, values)]."""
    found: list[tuple[int, tuple[int, ...]]] = []
    values: list[int] = []

    def go(ti: int, left: int) -> bool:
        budget[0] -= 1
        if budget[0] < 0:
            return False
        if len(values) == n:
            if left == 0:
                found.append((ti, tuple(values)))
            return True
        if ti >= len(tokens):
            return True
        size = 1
        while ti + size <= len(tokens):
            group = tokens[ti:ti + size]
            if size > 1 and (not group[-1].isdigit() or len(group[-1]) > len(group[0])
                             or len(group[-2]) < len(group[0]) or group[0].startswith("0")):
                break
            value = 0 if kinds[ti] is BLANK else int("".join(group))
            if value > left:
                break
            values.append(value)
            ok = go(ti + size, left - value)
            values.pop()
            if not ok:
                return False
            if kinds[ti] is BLANK:
                break
            size += 1
        return True

    return found, go(start, target)


def _blocks(n: int, rules: list[tuple[int, list[int]]]) -> list[tuple[int, int]]:
    """The cells 0..n cut into runs no rule crosses: [(first, past last)]."""
    cut = set(range(1, n))
    for left, parts in rules:
        ids = [left, *parts]
        cut -= set(range(min(ids) + 1, max(ids) + 1))
    edges = [0, *sorted(cut), n]
    return list(zip(edges, edges[1:]))


def _block(tokens: list[str], kinds: list, start: int, n: int, rules: list[tuple[int, list[int]]],
           gaps: bool, last: bool, budget: list[int]) -> tuple[list[tuple[int, tuple[int, ...]]], bool]:
    """The ways ``n`` cells from token ``start`` keep ``rules``: [(the token after them, values)];
    ``last``: they must take every token left."""
    forced = {left: parts for left, parts in rules if parts and max(parts) < left}
    checks: dict[int, list] = {}
    for left, parts in rules:
        checks.setdefault(max([left, *parts]), []).append((left, parts))
    found: list[tuple[int, tuple[int, ...]]] = []
    values: list[int] = []
    count = len(tokens)

    def sizes(ti: int):
        """The piece counts a cell may take from token ``ti``: 0 (a blank), or a group."""
        if gaps:
            yield 0
        if ti >= count:
            return
        first = tokens[ti]
        if kinds[ti] is BLANK or not first.isdigit():
            yield 1
            return
        yield 1
        if first.startswith("0"):
            return
        width = len(first)
        k = ti + 1
        while k < count and tokens[k].isdigit() and kinds[k] is not BLANK and k - ti < MAX_DIGITS:
            if len(tokens[k]) > width:
                break
            yield k - ti + 1
            if len(tokens[k]) < width:
                break  # a shorter piece is the last of its number
            k += 1

    def go(ti: int) -> bool:
        budget[0] -= 1
        if budget[0] < 0 or len(found) >= MAX_READINGS:
            return False
        ci = len(values)
        if ci == n:
            if not last or ti == count:
                found.append((ti, tuple(values)))
            return True
        want = str(sum(values[k] for k in forced[ci])) if ci in forced else None
        for size in sizes(ti):
            value = 0 if size == 0 or kinds[ti] is BLANK else int("".join(tokens[ti:ti + size]))
            if want is not None and str(value) != want:
                continue
            if len(str(value)) > MAX_DIGITS:
                break
            values.append(value)
            ok = all(values[left] == sum(values[k] for k in parts) for left, parts in checks.get(ci, ()))
            if ok and not go(ti + size):
                values.pop()
                return False
            values.pop()
        return True

    complete = go(start)
    return list(dict.fromkeys(found)), complete


def settle(options: dict[str, list[tuple[int, ...]]], cols: list[str], rules: list,
           known) -> tuple[list[dict[str, list[tuple[int, ...]]]], bool]:
    """The whole-table solutions: for each row of ``options`` (row id → its readings, one value
    per column of ``cols``) the readings still possible once every rule across rows (``rules``:
    SumRule along rows) holds in every column; ``known(rid, col)`` gives a cell read for certain
    (or None). Returns the solutions (at most MAX_SOLUTIONS) and whether the search was complete."""
    rows = list(options)
    steps = 0
    solutions: list[dict[str, list[tuple[int, ...]]]] = []
    touched = [r for r in rules if any(x in options for x in (*r.left, *r.right))]

    def value_of(rid: str, col_i: int, chosen: dict):
        if rid in chosen:
            return chosen[rid]
        if rid in options:
            return None
        return known(rid, cols[col_i])

    def assignments(col_i: int, alive: dict):
        """Values for the open rows in column ``col_i`` that keep every rule there: the parts of
        the largest rule with one total are found by their sum (meet in the middle), the rest
        of the rows one by one."""
        nonlocal steps
        cand = {rid: sorted({options[rid][i][col_i] for i in alive[rid]}) for rid in rows}
        involved = [rid for rid in rows if any(rid in (*r.left, *r.right) for r in touched)]
        chosen: dict[str, int] = {}

        def ok() -> bool:
            for r in touched:
                lv = [value_of(x, col_i, chosen) for x in r.left]
                rv = [value_of(x, col_i, chosen) for x in r.right]
                if any(v is None for v in lv + rv):
                    continue
                if sum(lv) != sum(rv):
                    return False
            return True

        def rest(order: list[str], k: int):
            nonlocal steps
            steps += 1
            if steps > MAX_STEPS:
                raise _TooMany
            if k == len(order):
                yield dict(chosen)
                return
            rid = order[k]
            for v in cand[rid]:
                chosen[rid] = v
                if ok():
                    yield from rest(order, k + 1)
                del chosen[rid]

        totals = [r for r in touched if len(r.left) == 1]
        main = max(totals, key=lambda r: sum(x in options for x in r.right), default=None)
        if main is None or sum(x in options for x in main.right) < 4:
            yield from rest(involved, 0)
            return
        head = main.left[0]
        parts = [x for x in main.right if x in options]
        others = [rid for rid in involved if rid != head and rid not in parts]
        for total in (cand[head] if head in options else [value_of(head, col_i, {})]):
            fixed_parts = [value_of(x, col_i, {}) for x in main.right if x not in options]
            if total is None or any(v is None for v in fixed_parts):
                yield from rest(involved, 0)
                return
            if head in options:
                chosen[head] = total
            for combo in _summing(parts, cand, total - sum(fixed_parts)):
                steps += 1
                if steps > MAX_STEPS:
                    raise _TooMany
                chosen.update(combo)
                if ok():
                    yield from rest(others, 0)
                for rid in combo:
                    del chosen[rid]
            chosen.pop(head, None)

    def feasible(col_i: int, alive: dict) -> bool:
        """Whether the sums of column ``col_i`` can still be met: each rule with one total lies
        between the least and the most its open parts can give."""
        lo = {rid: min(options[rid][i][col_i] for i in alive[rid]) for rid in rows}
        hi = {rid: max(options[rid][i][col_i] for i in alive[rid]) for rid in rows}
        for r in touched:
            if len(r.left) != 1:
                continue
            head = r.left[0]
            if head in options:
                h_lo, h_hi = lo[head], hi[head]
            else:
                h_lo = h_hi = known(head, cols[col_i])
                if h_lo is None:
                    continue
            vals = [(lo[x], hi[x]) if x in options else (known(x, cols[col_i]),) * 2 for x in r.right]
            if any(v[0] is None for v in vals):
                continue
            if sum(v[0] for v in vals) > h_hi or sum(v[1] for v in vals) < h_lo:
                return False
        return True

    def search(todo: list[int], alive: dict) -> bool:
        if len(solutions) >= MAX_SOLUTIONS:
            return False
        if not todo:
            solutions.append({rid: [options[rid][i] for i in alive[rid]] for rid in rows})
            return True
        # the column with the fewest readings left to tell apart first
        col_i = min(todo, key=lambda c: sum(len({options[rid][i][c] for i in alive[rid]}) for rid in rows))
        later = [c for c in todo if c != col_i]
        for pick in assignments(col_i, alive):
            narrowed = {rid: [i for i in alive[rid] if rid not in pick or options[rid][i][col_i] == pick[rid]]
                        for rid in rows}
            if any(not v for v in narrowed.values()) or not all(feasible(c, narrowed) for c in later):
                continue
            if not search(later, narrowed):
                return False
        return True

    try:
        complete = search(list(range(len(cols))), {rid: list(range(len(options[rid]))) for rid in rows})
    except _TooMany:
        return solutions, False
    return solutions, complete


def _summing(rows: list[str], cand: dict[str, list[int]], target: int):
    """Every choice of one value per row (``cand``) summing to ``target``, by meeting in the
    middle: the sums of the first half's choices looked up against the second half's."""
    if target < 0:
        return
    half = len(rows) // 2
    first, second = rows[:half], rows[half:]

    def sums(part: list[str]) -> dict[int, list[tuple[int, ...]]]:
        out: dict[int, list[tuple[int, ...]]] = {0: [()]}
        for rid in part:
            nxt: dict[int, list[tuple[int, ...]]] = {}
            for total, combos in out.items():
                for v in cand[rid]:
                    if total + v <= target:
                        nxt.setdefault(total + v, []).extend(c + (v,) for c in combos)
            out = nxt
            if sum(map(len, out.values())) > MAX_STEPS:
                raise _TooMany
        return out

    left, right = sums(first), sums(second)
    for total, combos in left.items():
        for other in right.get(target - total, ()):
            for combo in combos:
                yield dict(zip(first + second, combo + other))


class _TooMany(Exception):
    """The search passed its step limit."""

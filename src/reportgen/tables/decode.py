"""Cutting a row's run of digits into its cells by the table's own arithmetic.

Scraped pages run a table's cells together: ``5800000 58`` is 58|0|0|0|0|0|58, ``291000030``
is 29|1|0|0|0|0|30. Only the table's declared rules tell the cuts apart (statutory.md §4.3):

* a row is cut every way its tokens allow (whitespace is a cut that is certain; a cell never
  spans two tokens; no number but 0 begins with 0), keeping the cuts that satisfy the rules
  holding within a row (each row's 总计 = its six applicant cells; each table-四 block's 总计 =
  its four results) — a 总计 is never guessed: it is the sum, and the digits must say so;
* rows left with several cuts are settled together by the rules across rows (（七）总计 = the
  detail rows, the 勾稽 rule of each column): a reading is accepted only when it is the one
  consistent reading. Where several remain, a cell is kept only if every reading agrees on
  it; where none does, nothing is guessed.

Every cell comes out with how it was found (``READ``, ``BLANK``, ``DECODED``, ``INFERRED``,
``MISSING``), so a figure can always explain itself.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from ..labels import BLANK, number
from .pieces import readings, settle
from .spec import CellId, SumRule, TableSpec, Value

READ = "read"            # a cell printed as its own number
BLANK_CELL = "blank"     # printed blank, “-”, “/” or “无”: read as 0
DECODED = "decoded"      # cut out of a run of digits, the one consistent reading
INFERRED = "inferred"    # not printed (or not readable), worked out from the table's rules
MISSING = "not found"    # not found, or no single reading: set to 0 and reported
FLAGS = (READ, BLANK_CELL, DECODED, INFERRED, MISSING)

MAX_STEPS = 200_000      # cutting one row: past this the row is left undecided
MAX_CUTS = 200           # readings kept for one row
MAX_COMBINATIONS = 100_000

_DIGITS = re.compile(r"^\d+$")


@dataclass
class Decoded:
    cells: dict[CellId, Value] = field(default_factory=dict)
    flags: dict[CellId, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)   # rows that could not be settled, and why


def decode_rows(spec: TableSpec, rows: dict[str, list[str]], columns: dict[str, list[str]],
                row_name) -> Decoded:
    """The cells of ``spec`` from each row's tokens (``rows``: row id → the texts printed after
    its label; ``columns``: row id → its column ids in order). Rows not in ``rows`` are missing."""
    out = Decoded()
    local = row_rules(spec)
    options: dict[str, list[tuple[Value, ...]]] = {}
    for rid, tokens in rows.items():
        cols = columns[rid]
        values = [number(t) for t in tokens]
        rules = row_checks(local, cols)
        first = [0 if v is BLANK else v for v in values[:len(cols)]]
        pieces = _piece_readings(tokens, values, first, len(cols), rules)
        if pieces:
            options[rid] = pieces
            continue
        if len(tokens) > len(cols) and rules and all(isinstance(v, int) for v in first) \
                and not row_keeps(rules, first):
            # more numbers than cells and the first ones break the row's sums: numbers wrapped
            # inside narrow cells (2301639 printed 230 / 163 / 9) are joined back by the sums;
            # what follows the row's digits (a page footer — 2 —) is not joined
            lead = list(itertools.takewhile(lambda t: _DIGITS.match(t) or number(t) is BLANK, tokens))
            joins, complete = _joins(lead, len(cols), rules) if len(lead) > len(cols) else ([], True)
            if not joins and len(lead) > len(cols) + 3 and _DIGITS.match(lead[-2]) \
                    and number(lead[-1]) is BLANK and number(lead[-3]) is BLANK:
                joins, complete = _joins(lead[:-3], len(cols), rules)  # without a page number — 2 —
            if joins and complete and rules:
                options[rid] = joins
                continue
            _partial(out, rid, cols, values)
            for col in cols:
                out.flags[(rid, col)] = MISSING
            out.notes.append(f"{_lead(row_name(rid))}数字“{' '.join(tokens)}”多于 {len(cols)} 个单元格，"
                             "无法按本行的合计确定每格的数字（可能有数字在格内折行）")
            continue
        whole = len(tokens) >= len(cols) and all(v is not None for v in values[:len(cols)])
        if whole and any(v is BLANK for v in values[:len(cols)]) and \
                any(v is not None and v is not BLANK for v in values[len(cols):]):
            # a blank among the row's first cells and a number after them (a Markdown row padded
            # with empty cells: | 规章 | | 237 | | 193 |): which empties are padding is not known
            _partial(out, rid, cols, [None] * len(cols))  # every cell 0, flagged not read
            out.notes.append(f"{_lead(row_name(rid))}“{' '.join(t or '□' for t in tokens)}”多于 {len(cols)} 格且有空格，"
                             "无法确定每格的数字")
            continue
        if whole or not all(_DIGITS.match(t) for t in tokens) or sum(map(len, tokens)) < len(cols):
            _partial(out, rid, cols, values)  # one number a cell, or too few to be a run of them
            continue
        cuts, complete = _cuts(tokens, len(cols), rules)
        if not cuts:
            unchecked, _ = _cuts(tokens, len(cols), [])
            if len(unchecked) == 1:  # one way to cut it at all: its broken arithmetic is reported later
                cuts = unchecked
            else:
                why = "拆分方式过多" if not complete else "没有一种拆分符合本行的合计"
                out.notes.append(f"{_lead(row_name(rid))}数字“{' '.join(tokens)}”无法唯一拆分为 {len(cols)} 个单元格（{why}）")
                _leading_blocks(out, rid, cols, tokens, rules)
                continue
        options[rid] = cuts
    _settle(spec, options, columns, out, row_name)
    for rid, cols in columns.items():
        if rid not in rows:
            _missing(out, rid, cols)
    _infer(spec, columns, out)
    return out


def _piece_readings(tokens: list[str], values: list, first: list, n: int,
                    rules: list[tuple[int, list[int]]]) -> list[tuple[int, ...]]:
    """A row printed as pieces (``tables.pieces``): its readings, when its numbers are not one a
    cell keeping the row's sums (fewer numbers than cells, or the first ones break the sums);
    a digit run too (``5800000 58``) is cut every way as well. Empty when the row is not such
    a row or no reading keeps its sums."""
    if not rules or not tokens or any(v is None or (v is not BLANK and not _DIGITS.match(t))
                                      for t, v in zip(tokens, values)):
        return []
    whole = len(tokens) >= n and all(isinstance(v, int) for v in first) and row_keeps(rules, first)
    if whole and len(tokens) == n:
        return []  # one number a cell, sums kept
    found, _ = readings(tokens, n, rules, gaps=False)  # every cell printed (a blank as “—”) ...
    if not found:
        found, _ = readings(tokens, n, rules)  # ... else blanks printed as nothing
    if whole:  # numbers after a whole row: pieces of it, or what follows it (a page number)
        return list(dict.fromkeys([tuple(first), *found])) if found else []
    if not found and len(tokens) > 3 and _DIGITS.match(tokens[-2]) \
            and values[-1] is BLANK and values[-3] is BLANK:
        found, _ = readings(tokens[:-3], n, rules, gaps=False)  # without a page number — 2 —
        found = found or readings(tokens[:-3], n, rules)[0]
    if len(tokens) < n and all(_DIGITS.match(t) for t in tokens) and sum(map(len, tokens)) >= n:
        cuts, _ = _cuts(tokens, n, rules)
        found = list(dict.fromkeys([*cuts, *found]))
    return found


def _lead(name: str) -> str:
    return f"{name}：" if name else ""


def _partial(out: Decoded, rid: str, cols: list[str], values: list) -> None:
    """The numbers in order, one a cell; cells left over (words mixed in, too few numbers) missing."""
    nums = [v for v in values if v is not None]
    for k, col in enumerate(cols):
        if k < len(nums):
            v = nums[k]
            out.cells[(rid, col)] = 0 if v is BLANK else v
            out.flags[(rid, col)] = BLANK_CELL if v is BLANK else READ
        else:
            out.cells[(rid, col)] = 0
            out.flags[(rid, col)] = MISSING


def _leading_blocks(out: Decoded, rid: str, cols: list[str], tokens: list[str],
                    rules: list[tuple[int, list[int]]]) -> None:
    """A row no cut fits as a whole (one block of table 四 breaks its own total): the blocks
    before the break are kept where every cut that fits them agrees; the rest is missing."""
    _missing(out, rid, cols)
    ordered = sorted(rules)
    for k in range(len(ordered) - 1, 0, -1):
        cuts, complete = _cuts(tokens, len(cols), ordered[:k])
        if not cuts or not complete:
            continue
        for i in range(ordered[k - 1][0] + 1):
            seen = {c[i] for c in cuts}
            if len(seen) == 1:
                out.cells[(rid, cols[i])] = seen.pop()
                out.flags[(rid, cols[i])] = DECODED
        return


def _missing(out: Decoded, rid: str, cols: list[str]) -> None:
    for col in cols:
        out.cells[(rid, col)] = 0
        out.flags[(rid, col)] = MISSING


def row_rules(spec: TableSpec) -> list[SumRule]:
    """Rules that hold within every row, with one cell on their left (a total)."""
    return [r for r in spec.rules if r.along == "columns" and len(r.left) == 1]


def row_checks(rules: list[SumRule], cols: list[str]) -> list[tuple[int, list[int]]]:
    """The row rules that lie within ``cols``, as (total index, part indexes) into them."""
    return [(cols.index(r.left[0]), [cols.index(x) for x in r.right]) for r in rules
            if r.left[0] in cols and all(x in cols for x in r.right)]


def row_keeps(rules: list[tuple[int, list[int]]], values) -> bool:
    """Whether ``values`` (one a cell) keep every rule within the row."""
    return all(values[left] == sum(values[k] for k in parts) for left, parts in rules)


def _joins(tokens: list[str], n: int, rules: list[tuple[int, list[int]]]) -> tuple[list[tuple[int, ...]], bool]:
    """Every way to join ``tokens`` (more of them than cells) into ``n`` cells of consecutive
    whole tokens that keeps ``rules``; and whether the search was complete. A cell's first
    token begins with 0 only when the cell is 0 (a wrapped part such as 075 may); a blank
    (“—”) is a cell of 0 by itself."""
    forced = {left: parts for left, parts in rules if parts and max(parts) < left}
    found: list[tuple[int, ...]] = []
    steps = 0
    values: list[int] = []

    def go(ti: int) -> bool:
        nonlocal steps
        steps += 1
        if steps > MAX_STEPS or len(found) > MAX_CUTS:
            return False
        ci = len(values)
        if ci == n:
            if ti == len(tokens) and row_keeps(rules, values):
                found.append(tuple(values))
            return True
        if len(tokens) - ti < n - ci:
            return True
        first = tokens[ti]
        longest = 1 if first.startswith("0") or not first.isdigit() else len(tokens) - ti - (n - ci - 1)
        want = str(sum(values[k] for k in forced[ci])) if ci in forced else None
        for size in range(1, longest + 1):
            if not tokens[ti + size - 1].isdigit() and size > 1:
                break  # a blank cell (“—”) is a cell of its own, never part of a wrapped number
            text = "".join(tokens[ti:ti + size]) if first.isdigit() else "0"
            if want is not None and not want.startswith(text):
                break  # a total is never guessed: its digits must spell the sum
            if want is not None and text != want:
                continue
            values.append(int(text))
            ok = all(values[left] == sum(values[k] for k in parts)
                     for left, parts in rules if max([left, *parts]) == ci)
            if ok and not go(ti + size):
                values.pop()
                return False
            values.pop()
        return True

    complete = go(0)
    return found, complete


def _cuts(tokens: list[str], n: int, rules: list[tuple[int, list[int]]]) -> tuple[list[tuple[int, ...]], bool]:
    """Every way to cut ``tokens`` (runs of digits) into ``n`` numbers that keeps ``rules``
    (total index, part indexes); and whether the search was complete."""
    forced = {left: parts for left, parts in rules if parts and max(parts) < left}
    checks = {}
    for left, parts in rules:
        if left not in forced:
            checks.setdefault(max([left, *parts]), []).append((left, parts))
    text = tokens
    found: list[tuple[int, ...]] = []
    steps = 0
    values: list[int] = []

    def room(ti: int, oi: int) -> int:
        return len(text[ti]) - oi + sum(len(t) for t in text[ti + 1:]) if ti < len(text) else 0

    def go(ti: int, oi: int) -> bool:
        nonlocal steps
        steps += 1
        if steps > MAX_STEPS or len(found) >= MAX_CUTS:
            return False
        ci = len(values)
        if ci == n:
            if ti == len(text):
                found.append(tuple(values))
            return True
        if ti == len(text):
            return True
        left_cells = n - ci
        if room(ti, oi) < left_cells or left_cells < len(text) - ti:
            return True
        token = text[ti]
        if ci in forced:
            want = str(sum(values[k] for k in forced[ci]))
            lengths = [len(want)] if token.startswith(want, oi) else []
        else:
            limit = len(token) - oi
            lengths = [1] if token[oi] == "0" else range(1, limit + 1)
        for length in lengths:
            end = oi + length
            values.append(int(token[oi:end]))
            ok = all(values[left] == sum(values[k] for k in parts) for left, parts in checks.get(ci, ()))
            if ok:
                nxt = (ti + 1, 0) if end == len(token) else (ti, end)
                if not go(*nxt):
                    values.pop()
                    return False
            values.pop()
        return True

    complete = go(0, 0)
    return found, complete


def _settle(spec: TableSpec, options: dict[str, list[tuple[Value, ...]]], columns: dict[str, list[str]],
            out: Decoded, row_name) -> None:
    """Rows with their readings: the combinations that keep the rules across rows; a cell is
    taken where every such combination agrees."""
    fixed = {rid: cuts[0] for rid, cuts in options.items() if len(cuts) == 1}
    open_rows = [rid for rid, cuts in options.items() if len(cuts) > 1]
    cross = [r for r in spec.rules if r.along == "rows"]
    known = {(rid, col) for rid, cols in columns.items() for col in cols if (rid, col) in out.cells}
    solutions: list[dict[str, list[tuple]]] = []
    seen_all = True  # every combination keeping the rules was looked at
    total = 1
    for rid in open_rows:
        total *= len(options[rid])
    shared = {tuple(columns[rid]) for rid in open_rows}
    if open_rows and len(shared) == 1 and (total > 1000 or cross and all(
            set(columns.get(x, ())) == set(next(iter(shared))) for r in cross for x in (*r.left, *r.right))):
        # rows of one set of columns: settled column by column (``tables.pieces.settle``)
        cols = list(next(iter(shared)))

        def certain(rid: str, col: str):
            if rid in fixed:
                return fixed[rid][columns[rid].index(col)] if col in columns[rid] else None
            return out.cells[(rid, col)] if (rid, col) in known else None
        found, complete = settle({rid: options[rid] for rid in open_rows}, cols, cross, certain)
        solutions = found if complete or len(found) >= 2 else []
        seen_all = complete
    elif open_rows and total <= MAX_COMBINATIONS:
        for combo in itertools.product(*(options[rid] for rid in open_rows)):
            trial = {**fixed, **dict(zip(open_rows, combo))}
            if _keeps(cross, trial, columns, out, known):
                solutions.append({rid: [cut] for rid, cut in zip(open_rows, combo)})
                if len(solutions) > 50:
                    seen_all = False
                    break
    for rid, cut in fixed.items():
        for col, v in zip(columns[rid], cut):
            out.cells[(rid, col)] = v
            out.flags[(rid, col)] = DECODED
    for rid in open_rows:
        # the solutions looked at agree on a cell: certain only if they were all of them (the
        # first found share what the search fixed first); else only what the row's own readings agree on
        readings = [cut for s in solutions for cut in s[rid]] if seen_all or not solutions else options[rid]
        agreed = 0
        for k, col in enumerate(columns[rid]):
            seen = {r[k] for r in readings}
            if len(seen) == 1:
                out.cells[(rid, col)] = seen.pop()
                out.flags[(rid, col)] = DECODED
                agreed += 1
            else:
                out.cells[(rid, col)] = 0
                out.flags[(rid, col)] = MISSING
        if agreed < len(columns[rid]):
            shown = "；".join("|".join(map(str, c)) for c in options[rid][:4])
            why = "表内勾稽关系无法确定" if solutions else "没有一种读法符合表内勾稽关系"
            out.notes.append(f"{_lead(row_name(rid))}数字可拆分为多种读法（{shown}{'等' if len(options[rid]) > 4 else ''}），"
                             f"{why}，未能确定的单元格按 0 填写")


def _keeps(rules: list[SumRule], trial: dict[str, tuple], columns: dict[str, list[str]], out: Decoded,
           known: set) -> bool:
    def value(rid: str, col: str):
        if rid in trial:
            cols = columns[rid]
            return trial[rid][cols.index(col)] if col in cols else None
        if (rid, col) in known:
            return out.cells[(rid, col)]
        return None

    for rule in rules:
        ids = rule.left + rule.right
        cols = set(columns.get(ids[0], []))
        for col in cols:
            vals = [value(r, col) for r in ids]
            if any(v is None for v in vals):
                continue
            if sum(vals[:len(rule.left)]) != sum(vals[len(rule.left):]):
                return False
    return True


def _infer(spec: TableSpec, columns: dict[str, list[str]], out: Decoded) -> None:
    """A cell not found is worked out where a rule leaves it the only unknown."""
    changed = True
    while changed:
        changed = False
        for rule in spec.rules:
            for left, right in _instances(rule, columns):
                cells = [left, *right]
                unknown = [c for c in cells if out.flags.get(c) == MISSING]
                if len(unknown) != 1 or any(c not in out.cells for c in cells):
                    continue
                target = unknown[0]
                rest = sum(out.cells[c] for c in right if c != target)
                value = out.cells[left] - rest if target != left else rest
                if target == left or value >= 0:
                    out.cells[target] = value
                    out.flags[target] = INFERRED
                    changed = True


def _instances(rule: SumRule, columns: dict[str, list[str]]):
    """Each place a rule holds, as (its single left cell, its right cells); rules with several
    cells on the left (the 勾稽 rule) are not used to infer."""
    if len(rule.left) != 1:
        return
    if rule.along == "columns":
        for rid, cols in columns.items():
            if rule.left[0] in cols and all(x in cols for x in rule.right):
                yield (rid, rule.left[0]), [(rid, x) for x in rule.right]
    else:
        cols = columns.get(rule.left[0], [])
        for col in cols:
            yield (rule.left[0], col), [(r, col) for r in rule.right]

"""Reading a statutory table's numbers out of table text of any shape, by its declaration.

Published tables reach us as HTML or Word grids with spans, as our own grid text, as pipe
rows with padding, one cell per line, or PDF lines of a label and its numbers with vertical
headers broken into single characters. What they share is reading order: each data row's
label comes before its numbers. So the cells are flattened row by row into a stream of
labels and numbers; consecutive label cells are joined (which repairs labels broken across
cells or lines, 商 业 企\\n业); each run of numbers belongs to the declared row whose label
ends that joined text, and is read in the row's column order. Row-spanned group labels
(三、本年度办理结果, （三）不予公开) are simply part of the joined text. A table without row
labels (table 四) takes the first run of numbers long enough to fill it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..document import Table
from ..labels import BLANK, is_value, label_key, number
from .decode import BLANK_CELL, MISSING, decode_rows, row_checks, row_keeps, row_rules
from .linear import reorder_runs
from .pieces import readings, totals_after
from .spec import BlockTable, CellId, MatrixTable, TableSpec, Value


CHAIN_STEPS = 40_000  # searching how the numbers after a run of row labels are shared out


@dataclass
class TableMatch:
    cells: dict[CellId, Value] = field(default_factory=dict)   # every cell of the table, in declared order
    flags: dict[CellId, str] = field(default_factory=dict)     # how each cell was found (``tables.decode``)
    rows_found: int = 0
    notes: list[str] = field(default_factory=list)             # rows whose digits could not be settled

    @property
    def blanks(self) -> list[CellId]:
        """Cells read from -, —, /, 无 or an empty cell."""
        return [c for c in self.cells if self.flags[c] == BLANK_CELL]

    @property
    def missing(self) -> list[CellId]:
        """Cells not found at all, or without a single reading (set to 0)."""
        return [c for c in self.cells if self.flags[c] == MISSING]


def _numbering_free(label: str) -> str | None:
    """A label without its leading numbering (1. / （一） / 一、), when what is left is distinctive."""
    rest = re.sub(r"^(?:[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+、|\d+\.)", "", label)
    key = label_key(rest)
    return key if rest != label and len(key) >= 4 else None


@lru_cache(maxsize=None)
def label_keys(tables: tuple[TableSpec, ...]) -> dict[str, str]:
    """Label key → official label, for every printed label of ``tables``."""
    return {label_key(c.text): c.text for spec in tables for c in spec.layout({}).cells if c.role != "value"}


@lru_cache(maxsize=None)
def row_patterns(spec: TableSpec) -> list[tuple[str, list[str], list[str]]]:
    """(row id, label keys that identify the row, column ids in order) for every data row."""
    out = []
    if isinstance(spec, BlockTable):
        for block in spec.blocks:
            for r in block.rows:
                keys = [label_key(r.label), *(label_key(a) for a in r.aliases)]
                out.append((r.key, keys, [c.key for c in block.columns]))  # type: ignore[misc]
    elif isinstance(spec, MatrixTable):
        cols = spec.col_ids()
        for rid in spec.row_ids():
            if not rid:
                continue
            path = spec._row_paths()[rid]
            keys = [label_key(path[-1].label)]
            free = _numbering_free(path[-1].label)
            if free:
                keys.append(free)
            if rid in spec.single_row_groups:  # the group printed as one row reads as this row
                keys.append(label_key(path[-2].label))
            out.append((rid, keys, cols))
    return out


def _single_row_notes(spec: TableSpec, rows: dict[str, list[str]]) -> list[str]:
    """Where a group was printed as one row (its numbers read into the declared row, its other
    rows not found), say so."""
    if not isinstance(spec, MatrixTable):
        return []
    notes = []
    for rid in spec.single_row_groups:
        group = rid.rsplit(".", 1)[0]
        siblings = [r for r in spec.row_ids() if r.startswith(group + ".") and r != rid]
        if rows.get(rid) and not any(rows.get(r) for r in siblings):
            path = spec._row_paths()[rid]
            notes.append(f"“{path[-2].label}”只有一行（2019 年版式）：其数字按“{path[-1].label}”读入，"
                         f"另 {len(siblings)} 项未列出")
    return notes


def _stream(tables: list[Table]) -> list[tuple[str, str]]:
    """("label", joined key) and ("value", the cell's text) items in reading order; a value cell
    holding several numbers (``5800000 58``) gives one item for each."""
    items: list[tuple[str, str]] = []
    for t in tables:
        for c in sorted(t.cells, key=lambda c: (c.row, c.col)):
            if is_value(c.text):
                parts = c.text.split() if number(c.text) is None else [c.text]
                items += [("value", p) for p in parts]
                continue
            key = label_key(c.text)
            if not key:
                continue
            if items and items[-1][0] == "label":
                items[-1] = ("label", items[-1][1] + key)
            else:
                items.append(("label", key))
    return items


def match_table(spec: TableSpec, tables: list[Table]) -> TableMatch:
    """The spec's cells as found in ``tables``: each row's values are what follows its label up
    to the next label, cut into cells by the table's arithmetic where they run together
    (``tables.decode``); every cell carries how it was found."""
    items = _stream(tables)
    patterns = row_patterns(spec)
    anonymous = isinstance(spec, MatrixTable) and "" in spec.row_ids()
    columns = {rid: cols for rid, _, cols in patterns}
    rows: dict[str, list[str]] = {}
    ambiguous_note = ""
    if anonymous:  # table 四: its labels are all header; the numbers follow the last of them
        columns[""] = spec.col_ids()  # type: ignore[attr-defined]
        # (labels after the last number are text below the table: a page's outline, a note)
        end = max((i for i, (kind, _) in enumerate(items) if kind == "value"), default=len(items))
        last = max((i for i, (kind, _) in enumerate(items[:end]) if kind == "label"), default=-1)
        run = [v for kind, v in items[last + 1:] if kind == "value"]
        if sum(max(1, len(v.strip())) for v in run) >= len(columns[""]):  # enough for one digit a cell
            rows[""] = run
        else:  # its blocks printed interleaved: the runs of numbers in the one order the rules allow
            runs = _runs(items)
            tokens, chosen = reorder_runs(runs, len(columns[""]), row_checks(row_rules(spec), columns[""]))
            if tokens:
                rows[""] = tokens
            if chosen and len(runs) > 6 and tokens:
                ambiguous_note = "的数字分成多段排列：已按原文顺序读入，其他排列未逐一核对，请核对各格位置"
            elif chosen:
                ambiguous_note = ("的数字分成几段交错排列，合计关系允许不止一种读法：" +
                                  ("已按最接近原文顺序的一种读入，请核对" if tokens else "未能读出"))
    current: tuple[str, list[str]] | None = None
    chains: dict[str, list[str]] = {}  # a row → rows whose labels came just before its own, numbers after all
    tentative: set[str] = set()  # chains found only past a repeated header: their numbers kept only if they split
    for kind, payload in items:
        if kind == "label":
            chain = _chain(payload, spec, rows)
            if not chain:  # labels, then the header repeated after a page break, then their numbers
                chain = _chain(_without_header(payload, spec), spec, rows)
                if len(chain) > 1:
                    tentative.add(chain[-1][0])
                else:
                    chain = []
            current = chain[-1] if chain else None
            if current is not None:
                rows.setdefault(current[0], [])
                if len(chain) > 1:
                    chains[current[0]] = [rid for rid, _ in chain[:-1]]
            continue
        if current is None:
            continue
        row, cols = current
        rows[row].append(payload)  # numbers after a whole row stay with it: pieces of wrapped
        # numbers may follow ones that happen to keep the sums (decode tells them apart)
    for last, before in chains.items():
        if not _split_chain(spec, [*before, last], rows, columns, last in tentative) and last in tentative:
            rows[last] = []  # not shared out by the sums: whose numbers they are is not known
    rows = {rid: _without_padding(tokens, columns[rid]) for rid, tokens in rows.items() if tokens}
    decoded = decode_rows(spec, rows, columns, lambda rid: spec.row_label(rid) if rid else "")
    order = [(rid, col) for rid, cols in columns.items() for col in cols]
    return TableMatch({c: decoded.cells[c] for c in order}, decoded.flags, len(rows),
                      _single_row_notes(spec, rows) + decoded.notes + ([ambiguous_note] if ambiguous_note else []))


def _sums_hold(spec: TableSpec, cols: list[str], tokens: list[str]) -> bool:
    """Whether a row's numbers, one a cell, keep its sums; a row that breaks them may go on
    (its numbers wrapped inside narrow cells: 2301639 printed 230 / 163 / 9)."""
    values = [0 if number(t) is BLANK else number(t) for t in tokens]
    return not all(isinstance(v, int) for v in values) or row_keeps(row_checks(row_rules(spec), cols), values)


def _without_padding(tokens: list[str], cols: list[str]) -> list[str]:
    """A row's tokens without its empty cells when it has more cells than columns and its
    filled cells fill the columns exactly (Markdown from a PDF pads a row with empty cells:
    | 一、本年新收… |  | 3001 53 | … | 3119 |)."""
    filled = [t for t in tokens if t.strip()]
    return filled if len(tokens) > len(cols) and len(filled) == len(cols) else tokens


def _runs(items: list[tuple[str, str]]) -> list[list[str]]:
    """The runs of whole numbers between labels, in reading order."""
    runs: list[list[str]] = [[]]
    for kind, v in items:
        if kind == "label":
            if runs[-1]:
                runs.append([])
        elif number(v) is not None:
            runs[-1].append(v)
    return [r for r in runs if r]


@lru_cache(maxsize=None)
def _by_last_char(spec: TableSpec) -> dict[str, list[tuple[str, str, list[str]]]]:
    """(row id, label key, columns) grouped by the label key's last character."""
    out: dict[str, list] = {}
    for rid, keys, cols in row_patterns(spec):
        for k in keys:
            out.setdefault(k[-1], []).append((rid, k, cols))
    return out


def _chain(key: str, spec: TableSpec, filled) -> list[tuple[str, list[str]]]:
    """The declared rows whose labels end ``key`` one after another, earliest first: a
    converter that prints a column of labels before their numbers (pdfminer) runs the labels
    of several rows together."""
    chain: list[tuple[str, list[str]]] = []
    taken = dict(filled)
    while key:
        found = _row_ending(key, spec, taken, with_length=True)
        if found is None:
            break
        rid, cols, length = found
        chain.insert(0, (rid, cols))
        taken[rid] = ["taken"]
        key = key[:-length]
    return chain


@lru_cache(maxsize=None)
def _header_keys(spec: TableSpec) -> tuple[str, ...]:
    """The keys of the table's header and corner texts, longest first."""
    keys = {label_key(c.text) for c in spec.layout({}).cells if c.role in ("header", "corner")}
    return tuple(sorted((k for k in keys if k), key=len, reverse=True))


def _without_header(key: str, spec: TableSpec) -> str:
    """``key`` without the table's header texts at its end (申请人情况 … 总计 其他)."""
    changed = True
    while changed and key:
        changed = False
        for h in _header_keys(spec):
            if key.endswith(h):
                key, changed = key[:-len(h)], True
                break
    return key


def _split_chain(spec: TableSpec, chain: list[str], rows: dict[str, list[str]],
                 columns: dict[str, list[str]], whole: bool = False) -> bool:
    # ``whole``: the chain was found past a repeated header; numbers the sums do not share out
    # are then dropped rather than left with its last row
    """The numbers after a run of row labels shared out to those rows in order, when exactly
    one cut keeps every row's sums (every cell printed: a blank as “—”); else they stay with
    the last row, where the decoder reports them."""
    if any(rows.get(rid) for rid in chain[:-1]) or len({tuple(columns[r]) for r in chain}) != 1:
        return False
    cols = columns[chain[0]]
    n = len(cols)
    checks = row_checks(row_rules(spec), cols)
    tokens = rows.get(chain[-1], [])
    if not checks or len(tokens) < n * len(chain):
        return False
    budget = [CHAIN_STEPS]
    for k in range(len(chain), 0, -1):
        # the first k rows, from the numbers' start: one cut in all (the rest, if any, left to the
        # rows after them, the last of which reports what it cannot read); their totals may come
        # after all their other cells (pdfminer prints the 总计 column as a block of its own)
        cuts = []
        rules = [(left + j * n, [p + j * n for p in parts]) for j in range(k) for left, parts in checks]
        one_total = len(checks) == 1 and len(checks[0][1]) == n - 1
        for last in (False, True) if one_total else (False,):
            for end in ([len(tokens)] if k == len(chain) else range(n * k, len(tokens))):
                if last:
                    found, complete = totals_after(tokens[:end], n, k, checks[0][0], budget)
                else:
                    found, complete = readings(tokens[:end], n * k, rules, gaps=False, budget=budget)
                if not complete:
                    return False
                cuts += [(end, f) for f in found]
                if len(cuts) > 1:
                    break
            if cuts:
                break
        if len(cuts) == 1:
            end, values = cuts[0]
            for j, rid in enumerate(chain[:k]):
                rows[rid] = [str(v) for v in values[j * n:(j + 1) * n]]
            rest = chain[k:]
            if rest:
                rows[rest[-1]] = tokens[end:]
                if len(rest) > 1:
                    if not _split_chain(spec, rest, rows, columns, whole) and whole:
                        rows[rest[-1]] = []
                elif whole and not readings(tokens[end:], n, checks, gaps=False)[0]:
                    rows[rest[-1]] = []  # past a repeated header, numbers no reading fits are no row's
            return True
    return False


def _row_ending(key: str, spec: TableSpec, filled, with_length: bool = False):
    """The declared row whose label ends ``key`` (the longest such label); rows already read
    are not taken again (a repeated header is not a row)."""
    best = None
    best_len = 0
    for rid, k, cols in _by_last_char(spec).get(key[-1:], ()):
        if len(k) > best_len and key.endswith(k) and not filled.get(rid):
            best, best_len = (rid, cols), len(k)
    if with_length:
        return (*best, best_len) if best else None
    return best

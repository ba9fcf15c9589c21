"""The vocabulary in which statutory tables are declared, and everything derived from it.

A statutory table is declared once, as data (see ``edition2021.py``): its official labels,
the hierarchy of its rows and columns (which fixes the merged header structure), the data
keys a clerk writes in YAML, and its sum rules. This module turns such a declaration into:

* the *shape* of the table in the data file (``shape()``), from which the pydantic models,
  the JSON schema and the ``init`` scaffold are built;
* the flat cell store used by validation and writers (``cells_from_data`` / ``data_from_cells``);
* the merged grid the writers draw (``layout()``), as a ``document.Table``.

Two table kinds cover both editions of the format:

* ``MatrixTable``: a row hierarchy crossed with a column hierarchy (tables 三 and 四);
* ``BlockTable``: a stack of captioned blocks, each with its own value columns (table 二).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache
from decimal import Decimal
from math import lcm
from typing import Iterator, Union

from ..document import Cell, Table

COUNT = "count"    # a non-negative integer count
MONEY = "money"    # a non-negative amount in 万元 with the decimals the agency gives
SIGNED = "signed"  # an integer that may be negative (a change, e.g. 本年增/减)
AMOUNT = "amount"  # a non-negative amount (decimal allowed; the format gives no unit)
YUAN = "yuan"      # a non-negative amount in 元 (the 信息处理费 of 国办函〔2020〕109号)


@dataclass(frozen=True)
class Bounds:
    """What a value of one kind may be, wherever it is read (YAML, a workbook, a report's
    table): the magnitude and the decimal places. Amounts in 万元 are published to the yuan
    (four places: 547.9659万元, 82059.2090万元 in the corpus), amounts in 元 to the fen."""

    minimum: int        # the smallest value allowed
    limit: int          # values are below this
    places: int         # decimal places allowed (0: whole numbers)


MAX_COUNT = 10 ** 10    # no agency decides ten billion cases a year
MAX_AMOUNT = 10 ** 12
BOUNDS = {
    COUNT: Bounds(0, MAX_COUNT, 0),
    SIGNED: Bounds(1 - MAX_COUNT, MAX_COUNT, 0),
    MONEY: Bounds(0, MAX_AMOUNT, 4),
    AMOUNT: Bounds(0, MAX_AMOUNT, 4),
    YUAN: Bounds(0, MAX_AMOUNT, 2),
}
MAX_DIGITS = len(str(MAX_AMOUNT)) + max(b.places for b in BOUNDS.values())  # the longest number anyone writes

Value = Union[int, Decimal]
CellId = tuple[str, str]  # (row id, column id)


@dataclass(frozen=True)
class Node:
    """One label in a row or column hierarchy.

    ``key`` is the short key a clerk writes in the data file; ``None`` means this level is
    printed in the table but does not appear in the data file (e.g. 申请人情况).
    ``total`` marks a cell that may be left out of the data file and is then computed by the
    sum rule whose single left-hand side it is.
    """

    label: str
    key: str | None = None
    en: str | None = None
    children: tuple["Node", ...] = ()
    aliases: tuple[str, ...] = ()
    kind: str = COUNT
    total: bool = False
    description: str = ""

    @property
    def is_leaf(self) -> bool:
        return not self.children


def node(label: str, key: str | None = None, en: str | None = None, *children: Node,
         aliases: tuple[str, ...] = (), kind: str = COUNT, total: bool = False,
         description: str = "") -> Node:
    """Shorthand constructor used by the declarations."""
    return Node(label, key, en, tuple(children), aliases, kind, total, description)


@dataclass(frozen=True)
class SumRule:
    """``Σ left == Σ right``.

    ``along="rows"``: the ids are row ids and the rule holds in every column;
    ``along="columns"``: the ids are column ids and the rule holds in every row.
    A rule whose single left-hand id is a ``total`` node computes that cell when omitted.
    ``official`` marks the rule printed in the format itself (the 勾稽 note).
    """

    left: tuple[str, ...]
    right: tuple[str, ...]
    along: str
    official: bool = False
    name: str = ""
    note: str = ""  # the rule as the format prints it (the 勾稽 note), quoted in messages


# ---------------------------------------------------------------------------------------
# The data-file shape: what a clerk writes, derived from a declaration.

@dataclass(frozen=True)
class Field:
    """A single value in the data file, bound to one table cell."""

    key: str
    label: str
    en: str | None
    kind: str
    optional: bool
    cell: CellId
    aliases: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class Group:
    """A mapping in the data file. ``row`` is set when the mapping is one table row
    (its children are the row's columns): such a row may also be written as a list of
    numbers in column order, or as ``0`` for a row of zeros."""

    key: str
    label: str
    en: str | None
    children: tuple[Union["Group", Field], ...]
    row: str | None = None
    aliases: tuple[str, ...] = ()
    description: str = ""


Shape = Union[Group, Field]


def leaves(nodes: tuple[Node, ...], prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, tuple[Node, ...]]]:
    """Yield (id, path of nodes) for every leaf; the id joins the data keys on the path."""
    for n in nodes:
        keys = prefix + ((n.key,) if n.key else ())
        if n.is_leaf:
            yield ".".join(keys), (n,)
        else:
            for leaf_id, path in leaves(n.children, keys):
                yield leaf_id, (n,) + path


@lru_cache(maxsize=256)
def _paths(nodes: tuple[Node, ...]) -> dict[str, tuple[Node, ...]]:
    """Leaf id → path of nodes, once per hierarchy (labels are looked up cell by cell)."""
    return dict(leaves(nodes))


def _depth(nodes: tuple[Node, ...]) -> int:
    return max((1 + (_depth(n.children) if n.children else 0) for n in nodes), default=0)


def _leaf_count(n: Node) -> int:
    return 1 if n.is_leaf else sum(_leaf_count(c) for c in n.children)


class TableSpec:
    """Behaviour shared by both table kinds; subclasses provide the geometry."""

    name: str
    key: str
    en: str
    title: str
    rules: tuple[SumRule, ...]

    # -- identity ----------------------------------------------------------------------
    def cell_ids(self) -> list[CellId]:
        raise NotImplementedError

    def shape(self) -> Group:
        return self._shape

    def layout(self, cells: dict[CellId, Value | None]) -> Table:
        """The table as drawn, with ``cells``' values in place. The merge structure is worked
        out once per declaration (``_plan``); value cells of the plan hold their cell id."""
        plan = self._plan
        get = cells.get
        return Table(plan.n_rows, plan.n_cols, plan.header_rows,
                     [Cell(format_value(get(text)) if role == "value" else text, row, col, rowspan, colspan, role)
                      for text, row, col, rowspan, colspan, role in self._plan_rows], name=self.name)

    @cached_property
    def _plan_rows(self) -> list[tuple]:
        return [(c.text, c.row, c.col, c.rowspan, c.colspan, c.role) for c in self._plan.cells]

    @cached_property
    def _plan(self) -> Table:
        raise NotImplementedError

    @cached_property
    def _shape(self) -> Group:
        raise NotImplementedError

    def row_label(self, row_id: str) -> str:
        raise NotImplementedError

    def column_label(self, col_id: str) -> str:
        raise NotImplementedError

    def row_name(self, row_id: str) -> str:
        """A row as a message names it: short, but not ambiguous (see MatrixTable)."""
        return self.row_label(row_id)

    def cell_words(self, cell) -> str:
        """表三 “（一）予以公开” 自然人 — a cell (or, column None, a row; row None, a column) as the
        form names it, for messages."""
        row, column = cell
        name = self.row_name(row) if row else ""
        quoted = (f"「{name}」" if "“" in name else f"“{name}”") if name else ""
        words = f"{self.short_title} {quoted}" if name else self.short_title
        return words + (f" {self.column_label(column)}" if column else "")

    @property
    def short_title(self) -> str:
        """表二, 表三, 表四: the numeral of the table's official title (the workbook's sheet names)."""
        return "表" + self.title.split("、", 1)[0]

    # -- derived from the shape ----------------------------------------------------------
    def fields(self) -> list[tuple[tuple[str, ...], Field]]:
        """Every value of the table with its key path in the data file."""
        return self._fields

    @cached_property
    def _fields(self) -> list[tuple[tuple[str, ...], Field]]:
        out: list[tuple[tuple[str, ...], Field]] = []

        def walk(g: Group, path: tuple[str, ...]) -> None:
            for ch in g.children:
                if isinstance(ch, Field):
                    out.append((path + (ch.key,), ch))
                else:
                    walk(ch, path + (ch.key,))

        root = self.shape()
        walk(root, (root.key,))
        return out

    def field_for(self, cell: CellId) -> tuple[tuple[str, ...], Field]:
        return self._field_index[cell]

    @cached_property
    def _field_index(self) -> dict[CellId, tuple[tuple[str, ...], Field]]:
        return {f.cell: (path, f) for path, f in self.fields()}

    def cells_from_data(self, data: dict) -> dict[CellId, Value | None]:
        """Flatten the table's mapping (as validated) into a cell store."""
        cells: dict[CellId, Value | None] = {}
        for path, f in self.fields():
            cur = data
            for k in path[1:]:
                cur = cur.get(k) if isinstance(cur, dict) else None
            cells[f.cell] = cur
        return cells

    def data_from_cells(self, cells: dict[CellId, Value | None]) -> dict:
        """The inverse of ``cells_from_data``: the nested mapping a data file holds."""
        root: dict = {}
        for path, f in self.fields():
            cur = root
            for k in path[1:-1]:
                cur = cur.setdefault(k, {})
            cur[path[-1]] = cells.get(f.cell)
        return root

    @cached_property
    def total_cells(self) -> set[CellId]:
        return {f.cell for _, f in self.fields() if f.optional}


def format_value(v: Value | None) -> str:
    """How a value is printed in a table cell: integers plainly, amounts as given."""
    if v is None:
        return ""
    if isinstance(v, Decimal):
        return format(v, "f")
    return str(v)


# ---------------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class MatrixTable(TableSpec):
    """Rows × columns, both hierarchical. ``rows=()`` means one unlabeled data row."""

    name: str
    key: str
    en: str
    title: str
    rows: tuple[Node, ...]
    columns: tuple[Node, ...]
    corner: str | None = None
    rules: tuple[SumRule, ...] = ()
    # rows that take the numbers when a report prints their group as one row (an older layout):
    # the group's label then reads as this row's
    single_row_groups: tuple[str, ...] = ()

    def row_ids(self) -> list[str]:
        return list(_paths(self.rows)) if self.rows else [""]

    def col_ids(self) -> list[str]:
        return list(_paths(self.columns))

    def cell_ids(self) -> list[CellId]:
        return [(r, c) for r in self.row_ids() for c in self.col_ids()]

    def _row_paths(self) -> dict[str, tuple[Node, ...]]:
        return _paths(self.rows) if self.rows else {"": ()}

    def _col_paths(self) -> dict[str, tuple[Node, ...]]:
        return _paths(self.columns)

    def row_label(self, row_id: str) -> str:
        return "".join(n.label for n in self._row_paths()[row_id])

    def row_name(self, row_id: str) -> str:
        """The row's own label, with its group's when the label is a numbered sub-item
        (“（三）不予公开 1.属于国家秘密”), not the whole chain of headings."""
        path = self._row_paths()[row_id]
        if not path:
            return ""
        if len(path) > 1 and path[-1].label[:1].isdigit():
            return f"{path[-2].label} {path[-1].label}"
        return path[-1].label

    def column_label(self, col_id: str) -> str:
        path = self._col_paths()[col_id]
        # 申请人情况 / 法人或其他组织 are headings over columns, not part of a column's name;
        # keep only the levels that are data keys (table 四's 行政复议 · 结果维持).
        keyed = [n.label for n in path if n.key]
        return "·".join(keyed) if keyed else path[-1].label

    def _column_fields(self, row_id: str, nodes: tuple[Node, ...], prefix: tuple[str, ...],
                       row_total: bool = False) -> tuple[Shape, ...]:
        out: list[Shape] = []
        for n in nodes:
            keys = prefix + ((n.key,) if n.key else ())
            if n.is_leaf:
                out.append(Field(n.key or "", n.label, n.en, n.kind, n.total or row_total,
                                 (row_id, ".".join(keys)), n.aliases, n.description))
            elif n.key:
                out.append(Group(n.key, n.label, n.en, self._column_fields(row_id, n.children, keys, row_total),
                                 None, n.aliases, n.description))
            else:
                out.extend(self._column_fields(row_id, n.children, keys, row_total))
        return tuple(out)

    def _row_groups(self, nodes: tuple[Node, ...], prefix: tuple[str, ...]) -> tuple[Shape, ...]:
        out: list[Shape] = []
        for n in nodes:
            keys = prefix + ((n.key,) if n.key else ())
            if n.is_leaf:
                rid = ".".join(keys)
                out.append(Group(n.key or "", n.label, n.en, self._column_fields(rid, self.columns, (), n.total),
                                 rid, n.aliases, n.description))
            else:
                out.append(Group(n.key or "", n.label, n.en, self._row_groups(n.children, keys),
                                 None, n.aliases, n.description))
        return tuple(out)

    @cached_property
    def _shape(self) -> Group:
        if self.rows:
            return Group(self.key, self.title, self.en, self._row_groups(self.rows, ()))
        return Group(self.key, self.title, self.en, self._column_fields("", self.columns, ()), "")

    @cached_property
    def _plan(self) -> Table:
        label_cols = _depth(self.rows)
        header_rows = _depth(self.columns)
        out: list[Cell] = []
        if label_cols and self.corner is not None:
            out.append(Cell(self.corner, 0, 0, header_rows, label_cols, "corner"))

        def header(nodes: tuple[Node, ...], depth: int, col: int) -> int:
            for n in nodes:
                span = _leaf_count(n)
                rowspan = header_rows - depth if n.is_leaf else 1
                out.append(Cell(n.label, depth, label_cols + col, rowspan, span, "header"))
                if not n.is_leaf:
                    header(n.children, depth + 1, col)
                col += span
            return col

        header(self.columns, 0, 0)
        col_ids = self.col_ids()

        def body(nodes: tuple[Node, ...], depth: int, row: int, prefix: tuple[str, ...]) -> int:
            for n in nodes:
                keys = prefix + ((n.key,) if n.key else ())
                if n.is_leaf:
                    out.append(Cell(n.label, row, depth, 1, label_cols - depth, "label"))
                    rid = ".".join(keys)
                    for j, cid in enumerate(col_ids):
                        out.append(Cell((rid, cid), row, label_cols + j, 1, 1, "value"))  # type: ignore[arg-type]
                    row += 1
                else:
                    span = _leaf_count(n)
                    out.append(Cell(n.label, row, depth, span, 1, "label"))
                    body(n.children, depth + 1, row, keys)
                    row += span
            return row

        if self.rows:
            n_rows = body(self.rows, 0, header_rows, ())
        else:
            for j, cid in enumerate(col_ids):
                out.append(Cell(("", cid), header_rows, j, 1, 1, "value"))  # type: ignore[arg-type]
            n_rows = header_rows + 1
        return Table(n_rows=n_rows, n_cols=label_cols + len(col_ids), header_rows=header_rows,
                     cells=out, name=self.name)


@dataclass(frozen=True)
class Block:
    """One captioned block of a ``BlockTable`` (e.g. 第二十条第（一）项)."""

    caption: str
    header: str
    columns: tuple[Node, ...]
    rows: tuple[Node, ...]


@dataclass(frozen=True, eq=False)
class BlockTable(TableSpec):
    """Captioned blocks stacked in one table; each block has its own value columns.
    A row of a one-column block is a single value in the data file."""

    name: str
    key: str
    en: str
    title: str
    blocks: tuple[Block, ...]
    rules: tuple[SumRule, ...] = ()

    def _rows(self) -> dict[str, tuple[Block, Node]]:
        return {r.key: (b, r) for b in self.blocks for r in b.rows}  # type: ignore[misc]

    def cell_ids(self) -> list[CellId]:
        return [(r.key, c.key) for b in self.blocks for r in b.rows for c in b.columns]  # type: ignore[misc]

    def row_label(self, row_id: str) -> str:
        return self._rows()[row_id][1].label

    def column_label(self, col_id: str) -> str:
        for b in self.blocks:
            for c in b.columns:
                if c.key == col_id:
                    return c.label
        return col_id

    @cached_property
    def _shape(self) -> Group:
        children: list[Shape] = []
        for b in self.blocks:
            for r in b.rows:
                if len(b.columns) == 1:
                    c = b.columns[0]
                    desc = f"{b.caption} {r.label}：{c.label}"
                    children.append(Field(r.key, r.label, r.en, c.kind, False, (r.key, c.key),  # type: ignore[arg-type]
                                          r.aliases, desc))
                else:
                    cols = tuple(Field(c.key, c.label, c.en, c.kind, False, (r.key, c.key),  # type: ignore[arg-type]
                                       c.aliases, c.description) for c in b.columns)
                    children.append(Group(r.key, r.label, r.en, cols, r.key, r.aliases,  # type: ignore[arg-type]
                                          f"{b.caption} {r.label}"))
        return Group(self.key, self.title, self.en, tuple(children))

    @property
    def value_width(self) -> int:
        return lcm(*(len(b.columns) for b in self.blocks))

    @cached_property
    def _plan(self) -> Table:
        width = self.value_width
        out: list[Cell] = []
        row = 0
        for b in self.blocks:
            span = width // len(b.columns)
            out.append(Cell(b.caption, row, 0, 1, width + 1, "caption"))
            out.append(Cell(b.header, row + 1, 0, 1, 1, "header"))
            for j, c in enumerate(b.columns):
                out.append(Cell(c.label, row + 1, 1 + j * span, 1, span, "header"))
            row += 2
            for r in b.rows:
                out.append(Cell(r.label, row, 0, 1, 1, "label"))
                for j, c in enumerate(b.columns):
                    out.append(Cell((r.key, c.key), row, 1 + j * span, 1, span, "value"))  # type: ignore[arg-type]
                row += 1
        return Table(n_rows=row, n_cols=width + 1, header_rows=0, cells=out, name=self.name)  # each block has its own header

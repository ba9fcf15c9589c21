"""Correcting or flagging a single misread cell in a table read by OCR, by its declared sum rules.

Owns one decision: given the cells of one table as read from a scan, which cell (if any) can be
corrected from the arithmetic, and which cells the arithmetic cannot confirm. The rules are the
table's declared ``SumRule``s (``spec.rules``), expanded into their instances by ``rules.py``;
nothing here re-declares a rule or a label.

A cell is *corrected* only when all of these hold:

* every failing rule instance contains it, and the failures include one along rows (its column)
  and one along columns (its row) — the digit is pinned from both directions;
* every failing instance, solved for that cell, gives the same value (two independent sums
  agreeing on it: OCR misreads a digit, or a pair of them — 99 as 66 — or drops one);
* that value is allowed by the cell's kind (not negative unless the kind is signed), and with it
  every instance of the table holds;
* no other cell satisfies the same conditions.

Otherwise nothing is changed and every cell of a failing instance is flagged. A cell that is in
no complete, holding instance is *unconfirmed* — the caller warns about it, so that no figure is
wrong without a warning.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .rules import instances_of
from .tables.spec import SIGNED, CellId, TableSpec, Value


@dataclass
class Repair:
    """What the arithmetic made of one table's cells."""

    cells: dict[CellId, Value | None]                               # the cells, with any correction made
    corrected: dict[CellId, tuple[Value, Value]] = field(default_factory=dict)  # cell → (read, corrected)
    flagged: set[CellId] = field(default_factory=set)             # in a failing instance, not corrected
    unconfirmed: set[CellId] = field(default_factory=set)         # no complete holding instance vouches for it

    def messages(self, spec: TableSpec) -> list[str]:
        """One Chinese line per correction and per flagged or unconfirmed cell, naming table, row, column."""
        out = []
        for (r, c), (read, fixed) in self.corrected.items():
            out.append(f"{spec.title}：{spec.row_label(r)} / {spec.column_label(c)} 识别为 {read}，"
                       f"按勾稽关系更正为 {fixed}，请核对原件")
        for r, c in sorted(self.flagged):
            out.append(f"{spec.title}：{spec.row_label(r)} / {spec.column_label(c)} 不符合勾稽关系，"
                       "可能识别有误，请核对原件")
        for r, c in sorted(self.unconfirmed - self.flagged):
            out.append(f"{spec.title}：{spec.row_label(r)} / {spec.column_label(c)} 无法由勾稽关系核实，请核对原件")
        return out


def _instances(spec: TableSpec) -> list[tuple[list[CellId], list[CellId], str]]:
    """Every rule instance with the direction it runs in ("rows" or "columns")."""
    return [(left, right, rule.along) for rule in spec.rules for left, right, _ in instances_of(spec, rule)]


def _holds(cells: dict, left: list[CellId], right: list[CellId]) -> bool | None:
    """True/False when every cell of the instance is read; None when one is missing."""
    if any(cells.get(c) is None for c in left + right):
        return None
    return sum(cells[c] for c in left) == sum(cells[c] for c in right)


def _solve(cells: dict, left: list[CellId], right: list[CellId], target: CellId) -> Value | None:
    """The value of ``target`` that makes the instance hold (None if it sits on both sides)."""
    coef = left.count(target) - right.count(target)
    if coef not in (1, -1):
        return None
    rest = sum(cells[c] for c in left if c != target) - sum(cells[c] for c in right if c != target)
    return -rest * coef if coef == 1 else rest


def _kind(spec: TableSpec, cell: CellId) -> str | None:
    try:
        return spec.field_for(cell)[1].kind
    except KeyError:
        return None


def repair(spec: TableSpec, cells: dict[CellId, Value | None]) -> Repair:
    """Correct at most one misread cell in ``cells`` (a table's flat store) and flag the rest."""
    cells = dict(cells)
    instances = _instances(spec)
    failing = [(l, r, d) for l, r, d in instances if _holds(cells, l, r) is False]
    out = Repair(cells)
    if failing:
        suspects = set.intersection(*(set(l + r) for l, r, _ in failing))
        fixes = {}
        for cell in suspects:
            if {d for _, _, d in failing} != {"rows", "columns"}:
                break
            values = {_solve(cells, l, r, cell) for l, r, _ in failing}
            if len(values) != 1 or None in values:
                continue
            value = values.pop()
            if value < 0 and _kind(spec, cell) != SIGNED:
                continue
            trial = {**cells, cell: value}
            if all(_holds(trial, l, r) is not False for l, r, _ in instances):
                fixes[cell] = value
        if len(fixes) == 1:
            (cell, value), = fixes.items()
            out.corrected[cell] = (cells[cell], value)
            cells[cell] = value
        else:
            out.flagged = {c for l, r, _ in failing for c in l + r}
    vouched = {c for l, r, _ in instances if _holds(cells, l, r) for c in l + r}
    out.unconfirmed = {c for c, v in cells.items() if v is not None and c not in vouched}
    return out


def checked(spec: TableSpec, cells: dict[CellId, Value | None]) -> tuple[dict[CellId, Value | None], list[str]]:
    """A scanned table's cells after ``repair`` and the warnings to give: one per correction and
    per flagged cell, and one line naming the cells no rule vouches for (the first five)."""
    done = repair(spec, cells)
    notes = [m for m in done.messages(spec) if "无法由勾稽关系核实" not in m]
    loose = sorted(done.unconfirmed - done.flagged)
    if loose:
        shown = "、".join(f"{spec.row_label(r)} / {spec.column_label(c)}" for r, c in loose[:5])
        notes.append(f"{spec.title}：{len(loose)} 个单元格无法由勾稽关系核实（{shown}{'等' if len(loose) > 5 else ''}），"
                     "系 OCR 识别，请核对原件")
    return done.cells, notes

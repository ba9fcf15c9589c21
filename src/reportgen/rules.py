"""The arithmetic of the statutory tables: computing omitted totals and checking sum rules.

Works on a table's flat cell store and its declared ``SumRule``s, so it serves every table of
every edition unchanged. Findings carry the row, the column, the expected and the found
values; turning them into a clerk's message with file and line is the loader's job.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from .tables.spec import CellId, SumRule, TableSpec, Value


@dataclass
class RuleFinding:
    rule: SumRule
    cell: CellId          # the cell the finding points at (a given total, or the first term)
    row: str              # row label(s) involved
    column: str           # column label(s) involved
    expected: Value
    found: Value
    message: str


def _instances(spec: TableSpec, rule: SumRule, cells: dict) -> Iterator[tuple[list[CellId], list[CellId], str]]:
    """Each place the rule holds: (left cells, right cells, the id it is checked at)."""
    rows = list(dict.fromkeys(r for r, _ in cells))
    cols = list(dict.fromkeys(c for _, c in cells))
    if rule.along == "rows":
        for c in cols:
            yield [(r, c) for r in rule.left], [(r, c) for r in rule.right], c
    else:
        for r in rows:
            yield [(r, c) for c in rule.left], [(r, c) for c in rule.right], r


def _computes(spec: TableSpec, rule: SumRule) -> bool:
    return len(rule.left) == 1 and not rule.official


def resolve(spec: TableSpec, cells: dict[CellId, Value | None]) -> tuple[dict[CellId, Value | None], list[RuleFinding]]:
    """Fill omitted totals, then check every rule. Returns the completed cells and findings."""
    cells = dict(cells)
    optional = spec.total_cells
    computing = [r for r in spec.rules if _computes(spec, r)]
    changed = True
    while changed:
        changed = False
        for rule in computing:
            for left, right, _ in _instances(spec, rule, cells):
                target = left[0]
                if target in optional and cells.get(target) is None and all(cells.get(p) is not None for p in right):
                    cells[target] = sum(cells[p] for p in right)  # type: ignore[misc]
                    changed = True
    findings: list[RuleFinding] = []
    for rule in spec.rules:
        for left, right, at in _instances(spec, rule, cells):
            values = [cells.get(c) for c in left + right]
            if any(v is None for v in values):
                continue
            lsum = sum(cells[c] for c in left)  # type: ignore[misc]
            rsum = sum(cells[c] for c in right)  # type: ignore[misc]
            if lsum != rsum:
                findings.append(_finding(spec, rule, left, right, at, lsum, rsum, cells))
    return cells, findings


def _names(labels: list[str]) -> str:
    if len(labels) <= 6:
        return "、".join(labels)
    return f"{labels[0]}至{labels[-1]}共 {len(labels)} 项"


def _finding(spec: TableSpec, rule: SumRule, left: list[CellId], right: list[CellId], at: str,
             lsum: Value, rsum: Value, cells: dict) -> RuleFinding:
    along_rows = rule.along == "rows"
    label = spec.row_label if along_rows else spec.column_label
    other = spec.column_label(at) if along_rows else spec.row_label(at)
    ids = [c[0] if along_rows else c[1] for c in left], [c[0] if along_rows else c[1] for c in right]
    if rule.official:
        terms_l = " + ".join(f"{label(i)}（{cells[c]}）" for i, c in zip(ids[0], left))
        terms_r = " + ".join(f"{label(i)}（{cells[c]}）" for i, c in zip(ids[1], right))
        message = (f"勾稽关系不符：{terms_l} = {lsum}，{terms_r} = {rsum}，两者应相等"
                   f"（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）")
    else:
        message = (f"{label(ids[0][0])} 填写为 {lsum}，但{_names([label(i) for i in ids[1]])}之和为 {rsum}；"
                   f"两者应相等（可删去该合计，由程序自动计算）")
    if along_rows:
        row, column = " / ".join(label(i) for i in ids[0] + ids[1]), other
    else:
        row, column = other, " / ".join(label(i) for i in ids[0] + ids[1])
    return RuleFinding(rule, left[0], row, column, rsum if not rule.official else lsum,
                       lsum if not rule.official else rsum, message)

"""The arithmetic of the statutory tables: computing omitted totals and checking sum rules.

Works on a table's flat cell store and its declared ``SumRule``s, so it serves every table of
every edition unchanged. Findings carry the row, the column, the expected and the found
values; turning them into a clerk's message with file and line is the loader's job.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .errors import Problem, display_name
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


def _instances(spec: TableSpec, rule: SumRule, cells: dict) -> tuple[tuple[list[CellId], list[CellId], str], ...]:
    """Each place the rule holds: (left cells, right cells, the id it is checked at)."""
    return instances_of(spec, rule)


@lru_cache(maxsize=None)
def instances_of(spec: TableSpec, rule: SumRule) -> tuple[tuple[list[CellId], list[CellId], str], ...]:
    ids = spec.cell_ids()
    rows = list(dict.fromkeys(r for r, _ in ids))
    cols = list(dict.fromkeys(c for _, c in ids))
    if rule.along == "rows":
        return tuple(([(r, c) for r in rule.left], [(r, c) for r in rule.right], c) for c in cols)
    return tuple(([(r, c) for c in rule.left], [(r, c) for c in rule.right], r) for r in rows)


def _computes(rule: SumRule) -> bool:
    return len(rule.left) == 1 and not rule.official


def derivations(spec: TableSpec) -> dict[CellId, list[CellId]]:
    """Each total a rule computes when the data leave it out, and the cells it is the sum of
    (by the first rule that computes it): what a workbook writes as a formula."""
    out: dict[CellId, list[CellId]] = {}
    for rule in spec.rules:
        if _computes(rule):
            for left, right, _ in instances_of(spec, rule):
                out.setdefault(left[0], right)
    return {cell: cells for cell, cells in out.items() if cell in spec.total_cells}


def resolve(spec: TableSpec, cells: dict[CellId, Value | None]) -> tuple[dict[CellId, Value | None], list[RuleFinding]]:
    """Derive every total from the detail cells, compare the totals the agency gave against
    them (one finding per wrong total, no cascade), then check the official rule on the
    derived values. Returns the completed cells and the findings."""
    optional = spec.total_cells
    derived = {k: (None if k in optional else v) for k, v in cells.items()}
    source: dict[CellId, tuple[SumRule, list[CellId], list[CellId], str]] = {}
    computing = [r for r in spec.rules if _computes(r)]
    changed = True
    while changed:
        changed = False
        for rule in computing:
            for left, right, at in _instances(spec, rule, derived):
                target = left[0]
                if derived.get(target) is None and all(derived.get(p) is not None for p in right):
                    derived[target] = sum(derived[p] for p in right)  # type: ignore[misc]
                    source[target] = (rule, left, right, at)
                    changed = True
    findings: list[RuleFinding] = []
    for target, (rule, left, right, at) in source.items():
        given = cells.get(target)
        if given is not None and given != derived[target]:
            findings.append(_finding(spec, rule, left, right, at, given, derived[target], derived))
    for rule in spec.rules:
        if _computes(rule):
            continue
        for left, right, at in _instances(spec, rule, derived):
            if any(derived.get(c) is None for c in left + right):
                continue
            lsum = sum(derived[c] for c in left)  # type: ignore[misc]
            rsum = sum(derived[c] for c in right)  # type: ignore[misc]
            if lsum != rsum:
                findings.append(_finding(spec, rule, left, right, at, lsum, rsum, derived))
    return derived, findings


def _names(labels: list[str]) -> str:
    if len(labels) <= 6:
        return "、".join(labels)
    return f"{labels[0]}至{labels[-1]}共 {len(labels)} 项"


def _finding(spec: TableSpec, rule: SumRule, left: list[CellId], right: list[CellId], at: str,
             lsum: Value, rsum: Value, cells: dict) -> RuleFinding:
    along_rows = rule.along == "rows"
    label = spec.row_name if along_rows else spec.column_label
    other = spec.column_label(at) if along_rows else spec.row_label(at)
    ids = [c[0] if along_rows else c[1] for c in left], [c[0] if along_rows else c[1] for c in right]
    if rule.official:
        terms_l = " + ".join(f"{label(i)}（{cells[c]}）" for i, c in zip(ids[0], left))
        terms_r = " + ".join(f"{label(i)}（{cells[c]}）" for i, c in zip(ids[1], right))
        message = f"勾稽关系不符：{terms_l} = {lsum}，{terms_r} = {rsum}，两者应相等{rule.note}"
    else:
        message = (f"填写为 {lsum}，但{_names([label(i) for i in ids[1]])}之和为 {rsum}；"
                   f"两者应相等（可删去该合计，由程序自动计算）")  # the place names the total
    involved = "" if rule.official else " / ".join(label(i) for i in ids[0] + ids[1])  # the official
    row, column = (involved, other) if along_rows else (other, involved)  # rule's message names them
    return RuleFinding(rule, left[0], row, column, rsum if not rule.official else lsum,
                       lsum if not rule.official else rsum, message)


def link_problems(current, previous) -> list[Problem]:
    """The link between two years' reports (``LoadedReport``s), as the current edition declares
    it (``Edition.carry``): this year's row (上年结转) equals last year's row (结转下年度), in
    every column."""
    carry = current.edition.carry
    if carry is None or previous.edition.carry is None:
        return []
    problems = []
    if current.report.year != previous.report.year + 1:
        problems.append(Problem(f"上一年度报告的年度是 {previous.report.year}，本报告是 {current.report.year}，"
                                "不是相邻的两年", current.file, ("报告年度",), None, "warning", code="link"))
    spec = current.edition.table(carry.table)
    last_spec = previous.edition.table(carry.table)
    now, last = current.cells(carry.table), previous.cells(carry.table)
    for col in spec.col_ids():
        this_year, last_year = now[(carry.row, col)], last.get((carry.from_row, col))
        if this_year != last_year:
            path, _ = spec.field_for((carry.row, col))
            last_name = display_name(previous.file) if previous.file else f"{previous.report.year}年度"
            problems.append(Problem(
                f"为 {this_year}，但上一年度报告（{last_name}）的“{last_spec.row_name(carry.from_row)}”"
                f"{spec.column_label(col)}为 {last_year}，两者应相等", current.file, path, code="link",
                place=spec.cell_words((carry.row, col))))
    return problems

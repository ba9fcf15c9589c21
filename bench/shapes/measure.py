"""Reading one shape with the project's reader and scoring it against the truth: every table cell,
the seven KEY_FIGURES, and the values wrong or missing while their table carried no warning.

"Silent wrong" = a value read as a different number, or not read at all, while the reader raised no
warning or problem on its table (``silent_missing`` is the not-read part of it); a report read as
another edition is told when the reader warned about anything. Generated reports
count cells (a key figure is a cell, not counted twice); the corpus has only the seven key figures,
so those count. Free-form reports have no cells: they are scored on their *facts* (year, agency,
every section heading) in the ``facts`` columns and leave the cell columns empty."""
from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from reportgen.dataset import report_rows
from reportgen.editions import EDITIONS, KEY_FIGURES
from reportgen.reading import parse_file


@dataclass
class Score:
    reports: int = 0
    keys_right: int = 0
    keys_total: int = 0
    cells_right: int = 0
    cells_total: int = 0
    silent_wrong: int = 0
    silent_missing: int = 0
    facts_right: int = 0
    facts_total: int = 0
    failed: int = 0
    seconds: float = 0.0
    notes: list = field(default_factory=list)

    def add(self, other: "Score") -> None:
        for name in ("reports", "keys_right", "keys_total", "cells_right", "cells_total", "silent_wrong",
                     "silent_missing", "facts_right", "facts_total", "failed", "seconds"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.notes += other.notes


def _cells_read(result) -> dict:
    """{table name: {cell id: value}} as read (the reader's cells, before validation)."""
    out = {}
    for spec in EDITIONS[result.edition].tables:
        section = result.data.get(spec.key)
        out[spec.name] = dict(spec.cells_from_data(section)) if isinstance(section, dict) else {}
    return out


def facts(data: dict) -> dict:
    """The facts a free-form report is scored on: {fact name: value}."""
    out = {"报告年度": data.get("报告年度"), "机关名称": data.get("机关名称")}
    for n, sec in enumerate(data.get("正文") or []):
        out[f"标题{n + 1}"] = sec.get("标题") if isinstance(sec, dict) else None
    return out


def _silent(s: Score, value, told: bool) -> None:
    if not told:
        s.silent_wrong += 1
        s.silent_missing += value is None


def score(blob: bytes, suffix: str, truth: dict, key_truth: list | None, name: str,
          fact_truth: dict | None = None) -> Score:
    """Score one shape. ``truth``: {table: {cell: value}} (may be empty: key figures only);
    ``key_truth``: the seven key figures (None where undecidable); ``fact_truth``: see ``facts``."""
    s = Score(reports=1)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"report{suffix}"
        path.write_bytes(blob)
        start = time.perf_counter()
        try:
            result = parse_file(str(path))
        except Exception as e:  # noqa: BLE001 - an unreadable shape scores nothing
            s.seconds = time.perf_counter() - start
            s.failed = 1
            s.cells_total = sum(len(t) for t in truth.values())
            s.keys_total = sum(v is not None for v in key_truth or [])
            s.facts_total = len(fact_truth or {})
            s.notes.append(f"{name}: 未能读取：{str(e)[:120]}")
            return s
        s.seconds = time.perf_counter() - start
    warned = {w.path[0] for w in list(result.warnings) + list(result.problems or []) if w.path}
    keys = {spec.name: spec.key for spec in EDITIONS[result.edition].tables}
    try:
        read = _cells_read(result)
    except Exception:  # noqa: BLE001 - data the model cannot place counts as not read
        read = {}
    # a report read as another edition (its tables are not there at all) is "told" when the reader
    # raised any warning about it (e.g. "版式…与报告年度不符"): the user sees the report is in doubt
    doubted = bool(result.warnings or result.problems)
    wrong_cells = []
    for table, cells in truth.items():
        got = read.get(table, {})
        told = keys.get(table) in warned or (table not in keys and doubted)
        for cid, want in cells.items():
            s.cells_total += 1
            value = got.get(cid)
            if value is not None and value == want:
                s.cells_right += 1
            else:
                _silent(s, value, told)
                wrong_cells.append(f"{name}: {table} {cid} 读出 {value}，应为 {want}{'' if told else '（无警告）'}")
    if key_truth is not None:
        _, row = report_rows(result, name)
        got_figures = row[4:4 + len(KEY_FIGURES)]
        for (label, table, _cid), got, want in zip(KEY_FIGURES, got_figures, key_truth):
            if want is None:
                continue
            s.keys_total += 1
            if got == want:
                s.keys_right += 1
            else:
                if not truth:  # cells already counted when truth is known
                    _silent(s, got, keys.get(table) in warned)
                s.notes.append(f"{name}: {label} 读出 {got}，应为 {want}")
    wrong_cells.sort(key=lambda note: "（无警告）" not in note)  # the silent ones first
    s.notes += wrong_cells[:4] + ([f"{name}: …另有 {len(wrong_cells) - 4} 个单元格不对"] if len(wrong_cells) > 4 else [])
    for fact, want in (fact_truth or {}).items():
        s.facts_total += 1
        got = facts(result.data).get(fact)
        if got == want:
            s.facts_right += 1
        else:
            s.notes.append(f"{name}: {fact} 读出 {got}，应为 {want}")
    return s


def key_figures(truth: dict) -> list:
    return [truth.get(table, {}).get(cid) for _label, table, cid in KEY_FIGURES]

"""``reportgen aggregate``: a government's summary data from its subordinate units' data.

Every unit's file is validated first (one that fails is named and stops the roll-up); all must
share an edition and a year, and no unit may come twice (names compared across scripts). The
statutory tables are summed cell by cell over the detail cells; totals are left to be derived
again and every rule is re-verified by validating the summary. Each unit's figures, as the
edition declares them (``Edition.unit_figures``), go into ``下级单位``, which the default
templates print as an appendix table.
"""
from __future__ import annotations

import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import Any

from .config import profile_for
from .datafile import dump
from .editions import EDITIONS
from .errors import Problem, ReportgenError, ValidationFailed
from .loader import LoadedReport, load_report, validate_data
from .model import PLACEHOLDER, K
from .outputs import source_key, write_new
from .scaffold import blank_data, drop_none
from .schema import schema_file_name
from .script import to_simplified
from .tables.spec import COUNT


class AggregateError(ReportgenError):
    """The units cannot be rolled up together."""


def unit_figures(loaded: LoadedReport) -> dict[str, Any]:
    """A unit's row of the appendix: each declared figure, the sum of its cells."""
    row: dict[str, Any] = {K.unit_name: loaded.report.agency}
    for f in loaded.edition.unit_figures:
        row[f.key] = sum(loaded.cells(table)[(r, c)] or 0 for table, r, c in f.cells)
    return row


def unit_key(name: str, script: str = "zh-Hans") -> str:
    """A unit's name as compared between files: Simplified script, NFKC, no spaces, so 雲溪市財政局
    and 云溪市财政局 are one unit."""
    if not name.isascii():
        name = to_simplified(name, script if script != "zh-Hans" else "zh-Hant")
    return "".join(unicodedata.normalize("NFKC", name).split())


def aggregate(paths: list[str], agency: str | None = None) -> tuple[dict, LoadedReport]:
    """(summary data, the summary validated). Raises with the unit's file named when a unit
    does not validate, or when editions or years differ."""
    if not paths:
        raise AggregateError("没有给出要汇总的单位数据文件")
    units: list[LoadedReport] = []
    for path in paths:
        try:
            units.append(load_report(path, profile_for(path)))
        except ValidationFailed as e:
            raise ValidationFailed(e.problems + [Problem(f"单位数据文件 {path} 未通过校验，汇总已停止", path)],
                                   path) from None
    return aggregate_loaded(units, agency)


def aggregate_loaded(units: list[LoadedReport], agency: str | None = None) -> tuple[dict, LoadedReport]:
    """``aggregate`` of reports already loaded (the server's submitted units)."""
    if not units:
        raise AggregateError("没有可汇总的单位报告")
    first = units[0]
    if first.edition.freeform:
        raise AggregateError(f"{first.edition.display_name()}的报告没有统一的统计表，无法汇总", first.file)
    for u in units[1:]:
        if u.edition is not first.edition:
            raise AggregateError(f"版式不同：{first.file} 为 {first.edition.display_name()}，{u.file} 为 "
                                 f"{u.edition.display_name()}；只能汇总同一版式的报告", u.file)
        if u.report.year != first.report.year:
            raise AggregateError(f"报告年度不同：{first.file} 为 {first.report.year} 年，{u.file} 为 {u.report.year} 年；"
                                 "只能汇总同一年度的报告", u.file)
    seen: dict[str, LoadedReport] = {}
    for u in units:
        key = unit_key(u.report.agency, u.script)
        if key in seen:
            first_seen = seen[key]
            raise AggregateError(f"同一单位出现了不止一次：{first_seen.report.agency}（{first_seen.file}）与 "
                                 f"{u.report.agency}（{u.file}）是同一单位（会重复计数）", u.file)
        seen[key] = u
    edition = first.edition
    data = blank_data(edition, agency or f"{PLACEHOLDER}本级人民政府", first.report.year)
    overview = next((s for s in edition.sections if s.kind == "overview"), None)
    if overview is not None:
        data[overview.key] = {K.intro: [f"{PLACEHOLDER}本级政府信息公开工作总体情况（本报告汇总了{len(units)}个单位的数据）"]}
    for section in edition.sections:
        spec = section.table
        if spec is not None:
            summed: dict = {}
            for cid in spec.cell_ids():
                if cid in spec.total_cells:
                    continue
                values = [u.cells(spec.name)[cid] or 0 for u in units]
                summed[cid] = sum(values, Decimal(0)) if any(isinstance(v, Decimal) for v in values) else sum(values)
            data[section.key] = drop_none(spec.data_from_cells(summed))
        elif section.values is not None:
            stated = [getattr(u.report, section.attr).fees for u in units
                      if getattr(u.report, section.attr) is not None and getattr(u.report, section.attr).fees is not None]
            if stated or edition.fee_statement:
                data[section.key] = {section.values.key: {
                    c.key: sum((getattr(f, c.en) for f in stated), Decimal(0) if c.kind != COUNT else 0)
                    for c in section.values.children}}
    data[K.units] = [unit_figures(u) for u in units]
    summary = validate_data(data, None, "<汇总>")  # every total derived again, every rule re-verified
    return data, summary


def figures_into(existing: dict, fresh: dict, edition) -> dict:
    """``existing`` summary data (the office's own text in it) with the figures of ``fresh``: the
    statutory tables, the fee values and the units appendix replaced, everything else kept —
    a roll-up done again when a late unit submits keeps what the office wrote."""
    if existing.get(K.edition, edition.id) != edition.id or existing.get(K.year) != fresh.get(K.year):
        return fresh
    merged = dict(existing)
    for section in edition.sections:
        if section.table is not None or section.values is not None:
            if section.key in fresh:
                if section.values is not None and isinstance(existing.get(section.key), dict):
                    merged[section.key] = {**existing[section.key], **fresh[section.key]}  # its text stays
                else:
                    merged[section.key] = fresh[section.key]
            else:
                merged.pop(section.key, None)
    merged[K.units] = fresh[K.units]
    return merged


def summary_bytes(data: dict, edition, sources: list[str]) -> bytes:
    header = [f"由 reportgen aggregate 汇总 {len(sources)} 个单位的数据生成：统计表为各单位之和，合计已重新计算并校验；",
              "“下级单位”为各单位主要数据（报告末尾附表）。标有【请填写】的地方请写本级的内容。"]
    return dump(data, edition, header, schema_file_name(edition.id)).encode("utf-8")


def write_summary(data: dict, target: str | Path, sources: list[str], force: bool = False, edition=None) -> None:
    edition = edition or EDITIONS[data[K.edition]]
    write_new(Path(target), summary_bytes(data, edition, sources), source_key(sources), [Path(p) for p in sources], force)

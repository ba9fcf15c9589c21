"""``reportgen aggregate``: a government's summary data from its subordinate units' data.

Every unit's file is validated first (one that fails is named and stops the roll-up); all
must share an edition and a year. The statutory tables are summed cell by cell over the
detail cells; totals are left to be derived again and every rule is re-verified by
validating the summary. Each unit's key figures go into ``下级单位``, which the default
templates print as an appendix table.
"""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from .errors import ReportgenError, ValidationFailed
from .loader import LoadedReport, load_report, validate_data
from .scaffold import PLACEHOLDER


class AggregateError(ReportgenError):
    """The units cannot be rolled up together."""


def unit_figures(loaded: LoadedReport) -> dict[str, Any]:
    a = loaded.cells("applications")
    r = loaded.cells("reviews")
    return {"单位": loaded.report.agency,
            "本年新收": a[("本年新收", "总计")], "上年结转": a[("上年结转", "总计")],
            "办结": a[("办理结果.总计", "总计")], "结转下年度": a[("结转下年度", "总计")],
            "行政复议": r[("", "行政复议.总计")],
            "行政诉讼": r[("", "未经复议直接起诉.总计")] + r[("", "复议后起诉.总计")]}


def aggregate(paths: list[str], agency: str | None = None) -> tuple[dict, LoadedReport]:
    """(summary data, the summary validated). Raises with the unit's file named when a unit
    does not validate, or when editions or years differ."""
    from .config import profile_for
    from .errors import Problem

    if not paths:
        raise AggregateError("没有给出要汇总的单位数据文件")
    units: list[LoadedReport] = []
    for path in paths:
        try:
            units.append(load_report(path, profile_for(path)))
        except ValidationFailed as e:
            raise ValidationFailed(e.problems + [Problem(f"单位数据文件 {path} 未通过校验，汇总已停止", path)],
                                   path) from None
    first = units[0]
    if first.edition.freeform:
        raise AggregateError("自由格式（2019 年以前）的报告没有统一的统计表，无法汇总", first.file)
    for u in units[1:]:
        if u.edition.id != first.edition.id:
            raise AggregateError(f"版式不同：{first.file} 为 {first.edition.id} 年版，{u.file} 为 {u.edition.id} 年版；"
                                 "只能汇总同一版式的报告", u.file)
        if u.report.year != first.report.year:
            raise AggregateError(f"报告年度不同：{first.file} 为 {first.report.year} 年，{u.file} 为 {u.report.year} 年；"
                                 "只能汇总同一年度的报告", u.file)
    seen: dict[str, LoadedReport] = {}
    for u in units:
        key = unit_key(u.report.agency, u.script)
        if key in seen:
            first = seen[key]
            raise AggregateError(f"同一单位出现了不止一次：{first.report.agency}（{first.file}）与 {u.report.agency}"
                                 f"（{u.file}）是同一单位（会重复计数）", u.file)
        seen[key] = u
    edition = first.edition
    year = first.report.year
    data: dict[str, Any] = {"版式": edition.id, "机关名称": agency or f"{PLACEHOLDER}本级人民政府", "报告年度": year,
                            "总体情况": {"概述": [f"{PLACEHOLDER}本级政府信息公开工作总体情况"
                                                  f"（本报告汇总了{len(units)}个单位的数据）"]}}
    for spec in edition.tables:
        totals = spec.total_cells
        summed: dict = {}
        for cid in spec.cell_ids():
            if cid in totals:
                continue
            values = [u.cells(spec.name)[cid] or 0 for u in units]
            summed[cid] = sum(values, Decimal(0)) if any(isinstance(v, Decimal) for v in values) else sum(values)
        data[spec.key] = _drop_none(spec.data_from_cells(summed))
    data["存在的主要问题及改进情况"] = [f"{PLACEHOLDER}存在的主要问题及改进情况"]
    other: dict[str, Any] = {}
    fees = [u.report.other.fees for u in units if u.report.other is not None and u.report.other.fees is not None]
    if fees or edition.id == "2021":
        other["信息处理费"] = {"收费通知件数": sum(f.notices for f in fees),
                          "收费金额": sum((f.amount for f in fees), Decimal(0))}
    data["其他需要报告的事项"] = other
    data["下级单位"] = [unit_figures(u) for u in units]
    summary = validate_data(data, None, "<汇总>")  # every total derived again, every rule re-verified
    return data, summary


def unit_key(name: str, script: str = "zh-Hans") -> str:
    """A unit's name as compared between files: Simplified script, NFKC, no spaces, so 雲溪市財政局
    and 云溪市财政局 are one unit."""
    import unicodedata

    from .script import to_simplified

    if not name.isascii():
        name = to_simplified(name, script if script != "zh-Hans" else "zh-Hant")
    return "".join(unicodedata.normalize("NFKC", name).split())


def _drop_none(d: Any) -> Any:
    return {k: _drop_none(v) for k, v in d.items() if v is not None} if isinstance(d, dict) else d


def write_summary(data: dict, target: str | Path, sources: list[str], force: bool = False) -> None:
    from .outputs import source_key, write_new
    from .schema import schema_file_name
    from .yamlio import dump_data

    head = (f"# yaml-language-server: $schema={schema_file_name(data['版式'])}\n"
            f"# 由 reportgen aggregate 汇总 {len(sources)} 个单位的数据生成：统计表为各单位之和，合计已重新计算并校验；\n"
            "# “下级单位”为各单位主要数据（报告末尾附表）。标有【请填写】的地方请写本级的内容。\n\n")
    write_new(Path(target), (head + dump_data(data)).encode("utf-8"), source_key(sources),
              [Path(p) for p in sources], force)

"""One year's report to the next: ``init --from`` and ``validate --previous``.

Consecutive reports are linked by table 三: this year's 二、上年结转政府信息公开申请数量 is last
year's 四、结转下年度继续办理, column by column. ``next_year_data`` starts a new year from last
year's data (or from last year's published report, parsed): agency, metadata and the shape of
the narrative carried over, every number zeroed, 上年结转 set from 结转下年度 (and, until the year's results are entered,
carried on as this year's 结转下年度, so the file validates from the start). ``link_problems``
checks that link between two years' data.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from .editions import EDITIONS, OVERVIEW_PARTS, edition_for_year
from .errors import Problem
from .loader import LoadedReport, load_report
from .model import YEAR_MAX, YEAR_MIN, _publication_field
from .scaffold import PLACEHOLDER
from .tables.edition2021 import APPLICANT_PARTS  # table 三's columns, declared once

APPLICANT_COLUMNS = (*APPLICANT_PARTS, "总计")
# metadata that belongs to one year's publication, not to the agency
_YEARLY_META = ("index_no", "publish_date", "written_date", "doc_no")


def load_previous(path: str) -> LoadedReport:
    """Last year's report from its data file, or from the published report itself (parsed)."""
    if Path(path).suffix.lower() in (".yaml", ".yml"):
        return load_report(path)
    from .loader import validate_data
    from .parse import parse_file

    return validate_data(parse_file(path).data, None, path)


def _skeleton_paragraphs(paragraphs: list[str]) -> list[str]:
    return [f"{PLACEHOLDER}（上年：{_first_sentence(p)}）" for p in paragraphs[:1]] if paragraphs else []


def _first_sentence(text: str) -> str:
    end = min((i for i in (text.find("。"), text.find("；")) if i > 0), default=len(text))
    return text[:min(end + 1, 40)]


def _skeleton(sections: list) -> list[dict]:
    out = []
    for s in sections:
        node: dict[str, Any] = {"标题": s.title}
        paras = _skeleton_paragraphs(s.paragraphs)
        if paras:
            node["段落"] = paras
        if s.sections:
            node["小节"] = _skeleton(s.sections)
        if "段落" not in node and "小节" not in node:
            node["段落"] = [PLACEHOLDER]
        out.append(node)
    return out


def next_year_data(previous: LoadedReport, year: int | None = None) -> dict:
    """The data for the year after ``previous``."""
    prev = previous.report
    year = year or prev.year + 1
    if not YEAR_MIN <= year <= YEAR_MAX:
        from .errors import InputError

        raise InputError(f"下一年度 {year} 超出报告年度的范围（{YEAR_MIN}—{YEAR_MAX}），无法生成", previous.file)
    edition = EDITIONS[edition_for_year(year)]
    data: dict[str, Any] = {"版式": edition.id if not edition.freeform else "自由格式",
                            "机关名称": prev.agency, "报告年度": year}
    if prev.publication is not None:
        kept = {label: value for label, value, _ in prev.publication.items()
                if _publication_field(label) not in _YEARLY_META}
        if kept:
            data["发布信息"] = kept
    if prev.addressee:
        data["主送机关"] = prev.addressee
    if edition.freeform:
        body = getattr(prev, "body", None) or []
        data["正文"] = _skeleton(body) or [{"标题": "一、", "段落": [PLACEHOLDER]}]
        return data
    overview: dict[str, Any] = {}
    ov = getattr(prev, "overview", None)
    for key, attr in (("概述", "intro"), *((key, attr) for _, key, attr in OVERVIEW_PARTS)):
        paras = getattr(ov, attr, None) if ov is not None else None
        overview[key] = _skeleton_paragraphs(paras) if paras else [PLACEHOLDER]
    if ov is not None and ov.sections:
        overview["小节"] = _skeleton(ov.sections)
    data["总体情况"] = overview
    carried = _carried_forward(previous)
    for spec in edition.tables:
        cells = {cid: 0 for cid in spec.cell_ids() if cid not in spec.total_cells}
        if spec.name == "applications":
            for col, value in carried.items():
                if col != "总计":
                    cells[("上年结转", col)] = value
                    # until this year's results are filled in, what was carried in is still open:
                    # 一 + 二 = 三 + 四 holds from the start
                    cells[("结转下年度", col)] = value
        table = spec.data_from_cells(cells)
        data[spec.key] = _drop_none(table)
    data["存在的主要问题及改进情况"] = [PLACEHOLDER]
    other: dict[str, Any] = {}
    if edition.id == "2021":
        other["信息处理费"] = {"收费通知件数": 0, "收费金额": 0}
    data["其他需要报告的事项"] = other
    return data


def _drop_none(d: Any) -> Any:
    return {k: _drop_none(v) for k, v in d.items() if v is not None} if isinstance(d, dict) else d


def _carried_forward(previous: LoadedReport) -> dict[str, int]:
    """Last year's 四、结转下年度继续办理, by applicant column (all 0 for a free-form report)."""
    if previous.edition.freeform:
        return {col: 0 for col in APPLICANT_COLUMNS}
    cells = previous.cells("applications")
    return {col: int(cells[("结转下年度", col)] or 0) for col in APPLICANT_COLUMNS}


def link_problems(current: LoadedReport, previous: LoadedReport) -> list[Problem]:
    """上年结转 this year against 结转下年度 last year, each of the seven columns."""
    if current.edition.freeform or previous.edition.freeform:
        return []
    problems = []
    if current.report.year != previous.report.year + 1:
        problems.append(Problem(f"上一年度报告的年度是 {previous.report.year}，本报告是 {current.report.year}，"
                                "不是相邻的两年", current.file, ("报告年度",), None, "warning"))
    carried = _carried_forward(previous)
    now = current.cells("applications")
    for col in APPLICANT_COLUMNS:
        this_year = now[("上年结转", col)]
        if this_year != carried[col]:
            problems.append(Problem(
                f"表“三、收到和处理政府信息公开申请情况” 行「二、上年结转政府信息公开申请数量」列「{col}」为 {this_year}，"
                f"但上一年度报告（{previous.file or previous.report.year}）的“四、结转下年度继续办理”为 {carried[col]}，两者应相等",
                current.file, ("收到和处理政府信息公开申请情况", "上年结转", col)))
    return problems

"""A new report's data: every table at 0, the narrative as placeholders to replace, built from
the edition's declarations and written by ``datafile`` (``reportgen init``)."""
from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any

from .datafile import dump
from .editions import EDITIONS, FREEFORM, Edition, edition_for_year, latest
from .errors import UsageError, display_name
from .model import PLACEHOLDER, K, draft_closing
from .schema import schema_file_name, schema_text
from .workbook import WORKBOOK_SUFFIXES, WRITTEN_SUFFIX
from .yamlio import YAML_SUFFIXES

FREEFORM_HEADINGS = tuple(item.heading for item in EDITIONS[FREEFORM].content_items)


def default_year() -> int:
    return _dt.date.today().year - 1


def zero_table(spec) -> dict:
    """A table's data with every detail cell 0 and the totals left to be computed."""
    cells = {cid: 0 for cid in spec.cell_ids() if cid not in spec.total_cells}
    return drop_none(spec.data_from_cells(cells))


def drop_none(d: Any) -> Any:
    return {k: drop_none(v) for k, v in d.items() if v is not None} if isinstance(d, dict) else d


def blank_data(edition: Edition, agency: str, year: int) -> dict:
    """The data of a new report: tables at 0, each narrative part a placeholder (【请填写】…)."""
    p = PLACEHOLDER
    data: dict[str, Any] = {K.edition: edition.id, K.agency: agency, K.year: year}
    if edition.freeform:
        data[K.preamble] = [f"{p}根据《中华人民共和国政府信息公开条例》，现公布本机关{year}年政府信息公开工作年度报告。"]
        data[K.body] = [{K.title: item.heading, K.paragraphs: [f"{p}本部分内容，每行一段。"]}
                        for item in edition.content_items]
        data[K.closing] = draft_closing(agency, year)
        return data
    for section in edition.sections:
        if section.kind == "overview":
            part: dict[str, Any] = {K.intro: [f"{p}本机关本年度政府信息公开工作的总体情况。"]}
            for sub in section.parts:
                part[sub.key] = [f"{p}{sub.key}情况" + (f"（{sub.description}）" if sub.description else "") + "。"]
            data[section.key] = part
        elif section.kind == "table":
            data[section.key] = zero_table(section.table)
        elif section.kind == "text":
            data[section.key] = [f"{p}本年度工作存在的主要问题。", f"{p}下一步改进措施。"]
        elif section.kind == "other":
            data[section.key] = {section.values.key: {c.key: 0 for c in section.values.children}} \
                if section.values is not None and edition.fee_statement else {}
    data[K.closing] = draft_closing(agency, year)
    return data


def scaffold(edition_id: str | None = None, agency: str | None = None, year: int | None = None,
             schema_ref: str | None = "") -> str:
    """The YAML text of a new data file: the edition given, else the year's (``schema_ref=""``:
    the edition's schema file beside it)."""
    year = year or default_year()
    edition = EDITIONS[edition_id or edition_for_year(year)]
    edition_id = edition.id
    year = year or default_year()
    data = blank_data(edition, agency or f"{PLACEHOLDER}机关全称", year)
    if edition.freeform:
        header = [f"{year}年政府信息公开工作年度报告数据文件（自由格式，{edition.basis}）",
                  "正文按原文的标题层级书写：每部分有“标题”（含序号，如“一、”“（一）”）、“段落”（每行一段）",
                  "和“小节”（同样结构，可任意嵌套）。下面按《条例》要求报告的六项列出，可自行改写标题。"]
    else:
        header = [f"{year}年政府信息公开工作年度报告数据文件（{edition.basis}格式）",
                  "填写说明：段落每行一段；表格数字为非负整数（收费金额可有小数，万元最多四位、元最多两位）；",
                  "标有“可省略，自动计算”的合计不必填写；填完后运行 reportgen validate 本文件 检查。"]
    schema = schema_file_name(edition_id) if schema_ref == "" else schema_ref
    return dump(data, edition, header, schema)


def new_data_file(output: str, workbook: bool) -> tuple[Path, bool]:
    """(the data file ``init -o output`` writes, whether it is a workbook): a YAML file as named
    (.yaml or .yml), a workbook (.xlsx, or ``workbook`` asked), the suffix added when there is
    none; any other name (the schema's .json, a report's .docx) is refused, never changed."""
    target = Path(output)
    suffix = target.suffix.lower()
    if not suffix or target.name.endswith("."):
        return target.with_name(target.name.rstrip(".") + (WRITTEN_SUFFIX if workbook else YAML_SUFFIXES[0])), workbook
    if suffix == WRITTEN_SUFFIX:
        return target, True
    if suffix in YAML_SUFFIXES and not workbook:
        return target, False
    if suffix in YAML_SUFFIXES:
        raise UsageError(f"--xlsx 生成 Excel 填报工作簿，-o 应以 {WRITTEN_SUFFIX} 结尾（给出的是 {display_name(output)}）；"
                         f"要生成 YAML 数据文件，请去掉 --xlsx")
    if suffix in WORKBOOK_SUFFIXES:
        raise UsageError(f"不能生成启用宏的工作簿（{suffix}）：reportgen 生成的工作簿不含宏；请以 {WRITTEN_SUFFIX} 结尾")
    what = (f"“{suffix}”是与数据文件一同写出的 JSON Schema（{schema_file_name(latest().id)}）的扩展名，不是数据文件"
            if suffix == ".json" else f"“{suffix}”不是数据文件的扩展名")
    raise UsageError(f"init 生成的数据文件应以 {'、'.join(YAML_SUFFIXES)}（YAML）或 {WRITTEN_SUFFIX}（Excel 工作簿）结尾，"
                     f"给出的是 {display_name(output)}：{what}；请改为如 -o 数据{YAML_SUFFIXES[0]}")


def scaffold_files(target, edition_id: str | None = None, agency: str | None = None,
                   year: int | None = None) -> dict:
    """The new data file and the edition's schema beside it: {path: bytes}."""
    year = year or default_year()
    edition = EDITIONS[edition_id or edition_for_year(year)]
    target = Path(target)
    return {target: scaffold(edition.id, agency, year).encode("utf-8"),
            target.parent / schema_file_name(edition.id): schema_text(edition.id).encode("utf-8")}

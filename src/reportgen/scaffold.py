"""``reportgen init``: a data file a clerk fills in.

Every table row is present at 0 with its full official label as a comment (walked from the
table declarations, so it always matches the format), narrative sections carry placeholder
text marked 【请填写】 (``validate`` warns while any is left), and the first line points
editors at the JSON schema for completion.
"""
from __future__ import annotations

import datetime as _dt

from .editions import EDITIONS
from .tables.spec import Field, Group, TableSpec

PLACEHOLDER = "【请填写】"


def _flow_zeros(group: Group) -> str:
    fields = [f for f in group.children if isinstance(f, Field) and not f.optional]
    return "{" + ", ".join(f"{f.key}: 0" for f in fields) + "}"


def _table_lines(spec: TableSpec) -> list[str]:
    root = spec.shape()
    lines = [f"{root.key}:   # {spec.title}"]

    def columns_note(group: Group, indent: str) -> None:
        cols = [f for f in group.children if isinstance(f, Field)]
        optional = [f.key for f in cols if f.optional]
        note = "、".join(f.key for f in cols)
        if optional:
            note += f"（{'、'.join(optional)}可省略，自动计算）"
        lines.append(f"{indent}# 每行各列：{note}")

    def walk(group: Group, indent: str) -> None:
        for child in group.children:
            if isinstance(child, Field):
                if child.optional:
                    lines.append(f"{indent}# {child.key}: 可省略，自动计算   # {child.label}")
                else:
                    lines.append(f"{indent}{child.key}: 0   # {child.description or child.label}")
            elif child.row is not None:
                if all(isinstance(f, Field) and f.optional for f in child.children):
                    lines.append(f"{indent}# {child.key}: 可省略，自动计算   # {child.label}")
                else:
                    lines.append(f"{indent}{child.key}: {_flow_zeros(child)}   # {child.description or child.label}")
            else:
                lines.append(f"{indent}{child.key}:   # {child.label}")
                walk(child, indent + "  ")

    first_row = next((c for c in _rows(root)), None)
    if first_row is not None and len(root.children) > 1:
        columns_note(first_row, "  ")
    walk(root, "  ")
    return lines


def _rows(group: Group):
    for child in group.children:
        if isinstance(child, Group):
            if child.row is not None:
                yield child
            else:
                yield from _rows(child)


# one section per item of 2008 条例 第三十二条, in its wording
FREEFORM_HEADINGS = ("一、主动公开政府信息的情况", "二、依申请公开政府信息和不予公开政府信息的情况",
                     "三、政府信息公开的收费及减免情况", "四、因政府信息公开申请行政复议、提起行政诉讼的情况",
                     "五、政府信息公开工作存在的主要问题及改进情况", "六、其他需要报告的事项")


def default_year() -> int:
    return _dt.date.today().year - 1


def scaffold(edition_id: str = "2021", agency: str | None = None, year: int | None = None,
             schema_ref: str | None = "") -> str:
    """The YAML text of a new data file (``schema_ref=""``: the edition's schema file beside it)."""
    from .schema import schema_file_name

    ed = EDITIONS[edition_id]
    year = year or default_year()
    agency_text = agency or f"{PLACEHOLDER}机关全称"
    if schema_ref == "":
        schema_ref = schema_file_name(edition_id)
    p = PLACEHOLDER
    out: list[str] = []
    if schema_ref:
        out.append(f"# yaml-language-server: $schema={schema_ref}")
    if ed.freeform:
        return "\n".join(out + _freeform(ed, agency, agency_text, year))
    out += [
        f"# {year}年政府信息公开工作年度报告数据文件（{ed.basis}格式）",
        "# 填写说明：段落每行一段；表格数字为非负整数（收费金额可有小数，单位万元）；",
        "# 标有“可省略，自动计算”的合计不必填写；填完后运行 reportgen validate 本文件 检查。",
        "",
        f'版式: "{ed.id}"',
        f"机关名称: {agency_text}",
        f"报告年度: {year}",
        f"# 发布日期: {year + 1}-01-20",
        "",
        f"总体情况:   # {ed.headings[0]}（五个方面均可省略，省略的不出现在报告中）",
        "  概述: |",
        f"    {p}本机关本年度政府信息公开工作的总体情况。",
        "  主动公开: |",
        f"    {p}主动公开工作情况。",
        "  依申请公开: |",
        f"    {p}依申请公开工作情况。",
        "  政府信息管理: |",
        f"    {p}政府信息管理工作情况。",
        "  政府信息公开平台建设: |",
        f"    {p}政府信息公开平台建设情况。",
        "  监督保障: |",
        f"    {p}监督保障情况（各级人民政府还应包括工作考核、社会评议和责任追究结果情况）。",
        "",
    ]
    for spec in ed.tables:
        out += _table_lines(spec)
        out.append("")
    out += [
        f"存在的主要问题及改进情况: |   # {ed.headings[4]}",
        f"  {p}本年度工作存在的主要问题。",
        f"  {p}下一步改进措施。",
        "",
        f"其他需要报告的事项:   # {ed.headings[5]}",
    ]
    if ed.id == "2021":
        out.append("  信息处理费: {收费通知件数: 0, 收费金额: 0}   # 收费金额单位：元")
    out += [
        "  # 其他事项: |",
        "  #   其他需要报告的事项，每行一段。",
        "",
        *_closing(agency, year),
    ]
    return "\n".join(out)


def _closing(agency: str | None, year: int) -> list[str]:
    return ["# 落款:   # 文末右对齐的署名和日期（可省略）",
            f"#   - {agency or '机关全称'}",
            f"#   - {year + 1}年3月20日",
            ""]


def _freeform(ed, agency: str | None, agency_text: str, year: int) -> list[str]:
    """A free-form (pre-2019) report: an outline with one section per item of 2008 条例 第三十二条."""
    p = PLACEHOLDER
    out = [
        f"# {year}年政府信息公开工作年度报告数据文件（自由格式，{ed.basis}）",
        "# 正文按原文的标题层级书写：每部分有“标题”（含序号，如“一、”“（一）”）、“段落”（每行一段）",
        "# 和“小节”（同样结构，可任意嵌套）。下面按《条例》要求报告的六项列出，可自行改写标题。",
        "",
        "版式: freeform",
        f"机关名称: {agency_text}",
        f"报告年度: {year}",
        f"# 发布日期: {year + 1}-03-20",
        "",
        "引言: |",
        f"  {p}根据《中华人民共和国政府信息公开条例》，现公布本机关{year}年政府信息公开工作年度报告。",
        "",
        "正文:",
    ]
    for title in FREEFORM_HEADINGS:
        out += [f"  - 标题: {title}", "    段落: |", f"      {p}本部分内容，每行一段。"]
    out += ["", *_closing(agency, year)]
    return out

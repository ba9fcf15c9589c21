"""Loading a data file into a validated, completed report — or every problem with it, at once.

read file → YAML (with lines) → choose edition → pydantic model → table arithmetic
(omitted totals computed, given totals and the 勾稽 rule checked) → ``LoadedReport``.
Every problem becomes a ``Problem`` naming the file, the key path, the line and, for
arithmetic, the table row, column, expected and found values.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from .editions import EDITIONS, Edition, edition_for_year
from .errors import InputError, Problem, ValidationFailed
from .model import ReportBase, report_model, table_data
from .rules import resolve
from .scaffold import PLACEHOLDER
from .yamlio import LineMap, load_yaml

MAX_DATA_BYTES = 5 * 1024 * 1024


@dataclass
class LoadedReport:
    report: ReportBase                 # validated, as written (omitted totals stay None)
    edition: Edition
    file: str | None = None
    warnings: list[Problem] = field(default_factory=list)
    tables: dict[str, dict] = field(default_factory=dict)  # table name → completed cells: the numbers to use

    def cells(self, spec_name: str) -> dict:
        return self.tables[spec_name]

    def table_views(self) -> dict[str, dict]:
        """Each table as the nested mapping of the data file (what templates read), built once."""
        views = self.__dict__.get("_views")
        if views is None:
            views = {spec.name: spec.data_from_cells(self.tables[spec.name]) for spec in self.edition.tables}
            self.__dict__["_views"] = views
        return views


def read_text(path: str) -> str:
    """Read a UTF-8 text input (BOM allowed) with clear errors."""
    try:
        size = os.path.getsize(path)
        if size > MAX_DATA_BYTES:
            raise InputError(f"文件过大（{size // 1024} KB），数据文件不应超过 {MAX_DATA_BYTES // 1024 // 1024} MB", path)
        with open(path, "rb") as fh:
            raw = fh.read()
    except FileNotFoundError:
        raise InputError("找不到文件（file not found）", path) from None
    except IsADirectoryError:
        raise InputError("这是一个目录，不是文件", path) from None
    except PermissionError:
        raise InputError("没有读取权限（permission denied）", path) from None
    if b"\x00" in raw[:8192]:
        raise InputError("这不是文本文件（含有二进制数据）", path)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(f"文件不是 UTF-8 编码（第 {e.start} 字节无法解码）；请在编辑器中以 UTF-8 保存", path) from None


def load_report(path: str) -> LoadedReport:
    """Read, validate and complete a data file. Raises ``ValidationFailed`` with all problems."""
    text = read_text(path)
    data, lines = load_yaml(text, path)
    return validate_data(data, lines, path)


def _edition_of(data: dict, file: str | None, lines: LineMap) -> Edition:
    raw = data.get("版式", data.get("edition"))
    if raw is None:
        year = data.get("报告年度", data.get("year"))
        if not isinstance(year, int) or isinstance(year, bool):
            return EDITIONS["2021"]  # the model will report the bad or missing year
        edition_id = edition_for_year(year)
    else:
        edition_id = str(raw).strip()
    if edition_id not in EDITIONS:
        line = lines.get(("版式",)) or lines.get(("报告年度",))
        known = "、".join(EDITIONS)
        hint = {"2019": "2019 年版格式（国办公开办函〔2019〕60号，适用于 2019—2020 年度报告）",
                "freeform": "2019 年以前的自由格式报告"}.get(edition_id, f"版式“{edition_id}”")
        raise ValidationFailed([Problem(f"暂不支持{hint}；目前支持的版式：{known}", file, ("版式",), line)], file)
    return EDITIONS[edition_id]


def validate_data(data: Any, lines: LineMap | None = None, file: str | None = None) -> LoadedReport:
    """Validate an already-parsed data mapping."""
    lines = lines or {}
    if not isinstance(data, dict):
        raise ValidationFailed([Problem("数据文件的最外层应为键值映射（如“机关名称: …”）", file, (), 1)], file)
    edition = _edition_of(data, file, lines)
    model = report_model(edition.id)
    try:
        report = model.model_validate(data)
    except ValidationError as e:
        raise ValidationFailed(pydantic_problems(e, model, file, lines), file) from None
    problems: list[Problem] = []
    tables: dict[str, dict] = {}
    for spec in edition.tables:
        cells, findings = resolve(spec, spec.cells_from_data(table_data(report, spec)))
        for f in findings:
            path, _ = spec.field_for(f.cell)
            where = " ".join(f"{kind}「{text}」" for kind, text in (("行", f.row), ("列", f.column)) if text)
            problems.append(Problem(f"表“{spec.title}” {where}：{f.message}",
                                    file, path, _line(lines, path)))
        tables[spec.name] = cells
    if problems:
        raise ValidationFailed(problems, file)
    warnings: list[Problem] = []
    if report.other.fees is None:  # type: ignore[attr-defined]
        warnings.append(Problem("未填写“信息处理费”：按国办函〔2020〕109号，收取信息处理费的情况应在"
                                f"“{edition.headings[5]}”中报告（未收取也可写明 0）",
                                file, ("其他需要报告的事项",), _line(lines, ("其他需要报告的事项",)), "warning"))
    for path, text in _strings(data, ()):
        if PLACEHOLDER in text:
            warnings.append(Problem(f"仍有未替换的占位文字“{PLACEHOLDER}”，请填写实际内容", file, path,
                                    _line(lines, path), "warning"))
    return LoadedReport(report, edition, file, warnings, tables)


def _strings(data: Any, path: tuple):
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for k, v in data.items():
            yield from _strings(v, path + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _strings(v, path + (i,))


def _line(lines: LineMap, path: tuple) -> int | None:
    path = tuple(path)
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return None


# --- pydantic errors in a clerk's words -------------------------------------------------------

def _allowed_keys(model: type[BaseModel], loc: tuple) -> list[str]:
    cur: Any = model
    for part in loc:
        if not (isinstance(cur, type) and issubclass(cur, BaseModel)):
            return []
        nxt = None
        for name, f in cur.model_fields.items():
            choices = [name] + [c for c in getattr(f.validation_alias, "choices", []) if isinstance(c, str)]
            if part in choices:
                nxt = f.annotation
                break
        if nxt is None:
            return []
        cur = _unwrap(nxt)
    if isinstance(cur, type) and issubclass(cur, BaseModel):
        out = []
        for name, f in cur.model_fields.items():
            choices = getattr(f.validation_alias, "choices", None)
            out.append(choices[0] if choices else name)
        return out
    return []


def _unwrap(annotation: Any) -> Any:
    for arg in getattr(annotation, "__args__", ()) or ():
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
    return annotation


def _show(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return "一组数据" if isinstance(value, dict) else "一个列表"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 40 else text[:40] + "…"


def _message(err: dict) -> str:
    t = err["type"]
    value = err.get("input")
    ctx = err.get("ctx") or {}
    shown = _show(value)
    if t == "missing":
        return "缺少必填项"
    if t == "extra_forbidden":
        return "未知的键（可能是拼写错误）"
    if t in ("int_type", "int_parsing", "int_from_float"):
        from decimal import Decimal
        if isinstance(value, (float, Decimal)) and not isinstance(value, bool):
            return f"应为整数（件数不能有小数），实际为 {shown}"
        return f"应为整数，实际为 {shown}"
    if t in ("greater_than_equal", "greater_than"):
        if isinstance(value, (int, float)) or hasattr(value, "is_signed"):
            if ctx.get("ge") == 0 or ctx.get("gt") == 0:
                return f"不能为负数，实际为 {shown}"
        return f"应不小于 {ctx.get('ge', ctx.get('gt'))}，实际为 {shown}"
    if t in ("less_than_equal", "less_than"):
        return f"应不大于 {ctx.get('le', ctx.get('lt'))}，实际为 {shown}"
    if t in ("decimal_type", "decimal_parsing", "finite_number", "float_type", "float_parsing"):
        return f"应为数值，实际为 {shown}"
    if t in ("string_type",):
        return f"应为文字，实际为 {shown}"
    if t.startswith("date") or t.startswith("datetime"):
        return f"应为日期（如 2024-01-20），实际为 {shown}"
    if t in ("model_type", "dict_type", "model_attributes_type"):
        return f"应为一组键值（映射），实际为 {shown}"
    if t in ("list_type",):
        return f"应为列表或多行文字，实际为 {shown}"
    if t == "too_short":
        return "不能为空"
    if t == "value_error":
        return str(ctx.get("error", err.get("msg", "")))
    if t == "literal_error":
        return f"应为 {ctx.get('expected')} 之一，实际为 {shown}"
    return f"{err.get('msg')}（{shown}）"


def pydantic_problems(exc: ValidationError, model: type[BaseModel], file: str | None, lines: LineMap) -> list[Problem]:
    problems = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        msg = _message(err)
        if err["type"] == "extra_forbidden":
            allowed = _allowed_keys(model, loc[:-1])
            if allowed:
                msg += "；此处可用的键：" + "、".join(allowed)
        problems.append(Problem(msg, file, loc, _line(lines, loc)))
    return problems

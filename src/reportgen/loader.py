"""Loading a data file into a validated, completed report — or every problem with it, at once.

read file → YAML (with lines) → choose edition → pydantic model → table arithmetic
(omitted totals computed, given totals and the 勾稽 rule checked) → ``LoadedReport``.
Every problem becomes a ``Problem`` naming the file, the key path, the line and, for
arithmetic, the table row, column, expected and found values.
"""
from __future__ import annotations

import re
import unicodedata

from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from functools import lru_cache

from pydantic import BaseModel, ValidationError

from .editions import EDITION_NAMES, EDITIONS, Edition, edition_for_year, latest
from .errors import Problem, ValidationFailed
from .dates import date_warnings
from .places import place_words
from .model import PLACEHOLDER, K, ReportBase, model_keys, report_model, table_data
from .rules import link_problems, resolve
from .script import detect, to_simplified
from .workbook import CONVERTED_SUFFIXES, WORKBOOK_SUFFIXES, read_workbook
from .yamlio import LineMap, load_file



@dataclass
class LoadedReport:
    report: ReportBase                 # validated, as written (omitted totals stay None)
    edition: Edition
    file: str | None = None
    warnings: list[Problem] = field(default_factory=list)
    tables: dict[str, dict] = field(default_factory=dict)  # table name → completed cells: the numbers to use
    script: str = "zh-Hans"            # the script the data file is written in (stated or detected)

    def cells(self, spec_name: str) -> dict:
        return self.tables[spec_name]

    @property
    def title(self) -> str:
        """The report's title: its own, or the edition's default one."""
        return self.report.title_text or self.edition.default_title(self.report.agency, self.report.year)

    def table_views(self) -> dict[str, dict]:
        """Each table as the nested mapping of the data file (what templates read), built once."""
        views = self.__dict__.get("_views")
        if views is None:
            views = {spec.name: spec.data_from_cells(self.tables[spec.name]) for spec in self.edition.tables}
            self.__dict__["_views"] = views
        return views


def read_data_file(path: str) -> tuple[Any, LineMap]:
    """A data file's mapping and the place of every key: a YAML file's lines, or a workbook's
    cells (``表三!D12``)."""
    if str(path).lower().endswith(WORKBOOK_SUFFIXES + tuple(CONVERTED_SUFFIXES)):
        return read_workbook(path, lambda data: _edition_of(data, path, {})[0])
    return load_file(path, known_keys())


def load_report(path: str, profile=None) -> LoadedReport:
    """Read, validate and complete a data file, YAML or workbook (with the agency ``profile``'s
    defaults filled in). Raises ``ValidationFailed`` with all problems."""
    data, lines = read_data_file(path)
    if profile is not None:
        data = profile.data_defaults(data)
    return validate_data(data, lines, path)


def strict_errors(warnings: list[Problem]) -> list[Problem]:
    """Warnings as the errors ``--strict`` makes them."""
    return [replace(w, severity="error", message=w.message + "（--strict）") for w in warnings]


def validate_file(path: str, profile=None, previous: "LoadedReport | None" = None) -> LoadedReport:
    """``load_report``, and with ``previous`` (last year's report) the link between the years:
    a break of the link is an error, anything else it finds a warning."""
    loaded = load_report(path, profile)
    if previous is not None:
        found = link_problems(loaded, previous)
        errors = [p for p in found if p.severity == "error"]
        loaded.warnings += [p for p in found if p.severity != "error"]
        if errors:
            raise ValidationFailed(loaded.warnings + errors, path)
    return loaded


def _edition_of(data: dict, file: str | None, lines: LineMap) -> tuple[Edition, list[Problem]]:
    """The edition stated by 版式, or inferred from 报告年度; warnings when they disagree."""
    raw = data.get("版式", data.get("edition"))
    year = data.get("报告年度", data.get("year"))
    if not isinstance(year, int) or isinstance(year, bool):
        year = None  # the model reports a bad or missing year
    if raw is None:
        return EDITIONS[edition_for_year(year)] if year else latest(), []
    edition_id = EDITION_NAMES.get(str(raw).strip())
    if edition_id is None:
        line = lines.get(("版式",))
        known = "、".join(f"{ed.id}（{ed.basis}）" if not ed.freeform else f"{ed.names[-1] if ed.names else ed.id}（2019 年以前）"
                         for ed in EDITIONS.values())
        raise ValidationFailed([Problem(f"未知的版式“{raw}”；可用：{known}", file, ("版式",), line, code="edition")], file)
    edition = EDITIONS[edition_id]
    warnings = []
    if year and edition_for_year(year) != edition_id:
        expected = EDITIONS[edition_for_year(year)]
        warnings.append(Problem(f"版式“{edition.display_name()}”与报告年度 {year} 不符：{year} 年度的报告"
                                f"通常使用{expected.display_name()}", file, ("版式",), lines.get(("版式",)), "warning",
                                code="edition"))
    return edition, warnings


@lru_cache(maxsize=None)
def _known_keys(editions: tuple) -> frozenset[str]:
    out: set[str] = set()
    for ed in editions:
        out |= model_keys(report_model(ed))
    return frozenset(out)


def known_keys() -> frozenset[str]:
    """Every key any edition's data file may use (names and aliases), for recognising keys
    written in Traditional script without loading OpenCC for files that need none."""
    return _known_keys(tuple(EDITIONS.values()))


@lru_cache(maxsize=None)
def _edition_keys(edition: Edition) -> frozenset[str]:
    """Every key (and alias) used inside an edition's tables."""
    out: set[str] = set()
    for spec in edition.tables:
        for path, f in spec.fields():
            out.update(path[1:])
        for ch in _groups(spec.shape()):
            out.update((ch.key, *ch.aliases, *( [ch.en] if ch.en else [])))
    return frozenset(out)


def _groups(group):
    for ch in group.children:
        yield ch
        if hasattr(ch, "children"):
            yield from _groups(ch)


def _table_keys(data: dict) -> tuple[dict[str, Any], set[str]]:
    """The data's statutory-table sections (under any edition's table key) and every key inside them."""
    roots = {k for ed in EDITIONS.values() for spec in ed.tables
             for k in (spec.key, spec.en, spec.shape().label)}
    found = {k: v for k, v in data.items() if k in roots}
    keys: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                keys.add(str(k))
                walk(v)

    for v in found.values():
        walk(v)
    return found, keys


def _edition_mismatch(data: dict, edition: Edition, inferred: bool, file: str | None,
                      lines: LineMap) -> Problem | None:
    """When the data's tables (or outline) belong to another edition, say which."""
    tables, keys = _table_keys(data)
    how = "按报告年度推断为" if inferred else "“版式”为"
    if edition.freeform:
        if not tables:
            return None
    elif "正文" in data or "body" in data:
        if not tables:
            other = next(ed for ed in EDITIONS.values() if ed.freeform)
            return Problem(f"数据有“正文”大纲而没有统计表，看起来是{other.display_name()}的报告；"
                           f"本报告{how}{edition.display_name()}。请核对“版式”和“报告年度”",
                           file, ("正文",), lines.get(("正文",)), code="edition")
    best, best_found = None, set()
    for other in EDITIONS.values():
        if other.id == edition.id or other.freeform:
            continue
        distinctive = _edition_keys(other) - _edition_keys(edition)
        found = keys & distinctive
        if len(found) > len(best_found):
            best, best_found = other, found
    if best is None:
        if edition.freeform:
            first = next(iter(tables))
            return Problem(f"自由格式（2019 年以前）的报告没有统一的统计表，不能填写“{first}”；"
                           "请核对“版式”和“报告年度”", file, (first,), lines.get((first,)), code="edition")
        return None
    shown = "、".join(sorted(best_found)[:6]) + ("等" if len(best_found) > 6 else "")
    first = next(iter(tables))
    return Problem(f"表格中的项目（{shown}）属于{best.display_name()}；本报告{how}{edition.display_name()}。"
                   f"请核对“版式”和“报告年度”，或按{edition.display_name()}的表格填写",
                   file, (first,), lines.get((first,)), code="edition")


def _normalise_keys(data: dict, lines: LineMap, file: str | None = None) -> tuple[dict, LineMap]:
    """Keys written in Traditional script (機關名稱, 報告年度…) become the Simplified keys the
    models know. OpenCC is loaded only when a key is unknown as written. Publication labels
    are left as written (the model keeps them to show them as the site did)."""
    known = known_keys()

    def unknown(node: Any) -> bool:
        stack = [node]
        while stack:
            cur = stack.pop()
            if isinstance(cur, dict):
                for k, v in cur.items():
                    if isinstance(k, str) and k not in known and not k.isascii():
                        return True
                    if isinstance(v, (dict, list)) and k not in _PUBLICATION_KEYS:
                        stack.append(v)
            else:
                stack.extend(v for v in cur if isinstance(v, (dict, list)))
        return False

    if not unknown(data):
        return data, lines
    moved: dict[tuple, tuple] = {}

    def walk(node: Any, path: tuple, new_path: tuple, convert_keys: bool) -> Any:
        moved[path] = new_path
        if isinstance(node, dict):
            out = {}
            written = {}
            for k, v in node.items():
                nk = k
                if convert_keys and isinstance(k, str) and not k.isascii() and k not in known:
                    simple = to_simplified(k)
                    nk = simple if simple in known else k
                if nk in out:  # 報告年度 beside 报告年度: the same key twice
                    first = written[nk]
                    raise ValidationFailed([Problem(f"“{k}”和“{first}”是同一项（繁简写法不同），重复出现（duplicate key），"
                                                    "请只保留一个", file, path + (k,), lines.get(path + (k,)),
                                                    code="duplicate-key")], file)
                written[nk] = k
                out[nk] = walk(v, path + (k,), new_path + (nk,), nk not in _PUBLICATION_KEYS)
            return out
        if isinstance(node, list):
            return [walk(v, path + (i,), new_path + (i,), convert_keys) for i, v in enumerate(node)]
        return node

    new = walk(data, (), (), True)
    return new, {moved.get(p, p): line for p, line in lines.items()}


_PUBLICATION_KEYS = ("发布信息", "publication")


def validate_data(data: Any, lines: LineMap | None = None, file: str | None = None,
                  script: str | None = None, keys_checked: bool = False) -> LoadedReport:
    """Validate an already-parsed data mapping (``script``: the script its text is written in,
    when the caller knows; else stated by 文字 or detected; ``keys_checked``: the keys are known
    to be the models' own, as when parse built the data)."""
    read_notices = [Problem(message, file, path, line, "warning", code)
                    for message, path, line, code in getattr(lines, "notices", ())]
    lines = lines or {}
    if not isinstance(data, dict):
        raise ValidationFailed([Problem("数据文件的最外层应为键值映射（如“机关名称: …”）", file, (), 1)], file)
    if not keys_checked:
        data, lines = _normalise_keys(data, lines, file)
    edition, warnings = _edition_of(data, file, lines)
    warnings = read_notices + warnings + _pasted_numbers(data, edition, file, lines)
    inferred = data.get("版式", data.get("edition")) is None
    model = report_model(edition)
    try:
        report = model.model_validate(data, context={"own": True} if keys_checked else None)
    except ValidationError as e:
        problems = pydantic_problems(e, model, file, lines, data)
        hint = _edition_mismatch(data, edition, inferred, file, lines)
        if hint is not None:  # the table errors all follow from the edition: say that once
            tables, _ = _table_keys(data)
            rest = [p for p in problems if not (p.path and p.path[0] in tables)]
            if len(rest) < len(problems):
                hint.message += f"（表格中另有 {len(problems) - len(rest)} 处不符，多因版式不同，改正后再校验）"
            problems = [hint] + rest
        raise ValidationFailed(_worded(problems, edition), file) from None
    problems: list[Problem] = []
    tables: dict[str, dict] = {}
    for spec in edition.tables:
        cells, findings = resolve(spec, spec.cells_from_data(table_data(report, spec)))
        for f in findings:
            path, _ = spec.field_for(f.cell)
            # the official rule is about a whole column (or row); a total's, about its cell
            at = f.cell if not f.rule.official else (None, f.cell[1]) if f.rule.along == "rows" else (f.cell[0], None)
            problems.append(Problem(f.message, file, path, _line(lines, path),
                                    code="balance" if f.rule.official else "sum", place=spec.cell_words(at)))
        tables[spec.name] = cells
    if problems:
        raise ValidationFailed(_worded(problems, edition), file)
    script = report.script or script or detect(_sample(data))
    if edition.freeform:
        warnings += _missing_items(report, edition, script, file, lines)
    for section in edition.sections:
        part = getattr(report, section.attr)
        if part is None:  # a section the report lacks (the data file says null)
            warnings.append(Problem(f"报告中没有“{section.heading}”部分（数据写为 null）", file, (section.key,),
                                    _line(lines, (section.key,)), "warning", code="missing-section"))
        elif section.values is not None and edition.fee_statement and part.fees is None:
            warnings.append(Problem(f"未填写“{section.values.key}”：按国办函〔2020〕109号，收取信息处理费的情况应在"
                                    f"“{section.heading}”中报告（未收取也可写明 0）",
                                    file, (section.key,), _line(lines, (section.key,)), "warning", code="fee-statement"))
    governed = report.year >= EDITIONS[edition_for_year(report.year)].first_year  # no deadline before the 2008 条例
    for place, code, message in date_warnings(report) if governed else ():
        path = (K.closing,) if place == K.closing else (K.publish_date,) if K.publish_date in data else (K.publication,)
        warnings.append(Problem(message, file, path, _line(lines, path), "warning", code=code))
    for path, text in _strings(data, ()):
        if PLACEHOLDER in text:
            warnings.append(Problem(f"仍有未替换的占位文字“{PLACEHOLDER}”，请填写实际内容", file, path,
                                    _line(lines, path), "warning", code="placeholder"))
    return LoadedReport(report, edition, file, _worded(warnings, edition), tables, script)


def _worded(problems: list[Problem], edition: Edition) -> list[Problem]:
    """Each problem's place in the form's words (表三 “（一）予以公开” 自然人), not its key path."""
    for p in problems:
        if p.path and not p.place:
            p.place = place_words(edition, p.path)
    return problems


def _sample(data: dict, limit: int = 1500) -> str:
    out, n = [], 0
    for _, text in _strings(data, ()):
        out.append(text)
        n += len(text)
        if n >= limit:
            break
    return "".join(out)


def _titles(sections: list, path: tuple) -> Any:
    for i, s in enumerate(sections):
        yield s.title, path + (i,)
        yield from _titles(s.sections, path + (i, "小节"))


def _missing_items(report: Any, edition: Edition, script: str, file: str | None, lines: LineMap) -> list[Problem]:
    """A free-form report should cover the six items of 2008 条例 第三十二条: warn for each
    item no heading mentions."""
    if report.year < 2008:  # the 条例 took effect on 2008-05-01; earlier reports had no list to follow
        return []
    titles = [t for t, _ in _titles(report.body, ("正文",))]
    if script != "zh-Hans":
        titles = [to_simplified(t, script) for t in titles]
    out = []
    for item in edition.content_items:
        if not any(w in t for t in titles for w in item.words):
            out.append(Problem(f"正文中没有标题与《条例》（2008）第三十二条的{item.label}对应的部分"
                               "（提示：自由格式报告的标题由机关自拟，如已在其他部分报告可忽略）", file, ("正文",),
                               _line(lines, ("正文",)), "warning", code="content-item"))
    return out


def _strings(data: Any, path: tuple):
    """(key path, text) of every string in the data, in order (tables' numbers skipped fast)."""
    if isinstance(data, str):
        yield path, data
        return
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    for k, v in items:
        if isinstance(v, str):
            yield path + (k,), v
        elif isinstance(v, (dict, list)):
            yield from _strings(v, path + (k,))


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
        if isinstance(part, int):  # an item of a list: the list's own model
            continue
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
    """The model inside an annotation (Optional[Section], list[Section], Annotated[…])."""
    for arg in getattr(annotation, "__args__", ()) or ():
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
        inner = _unwrap(arg)
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            return inner
    return annotation


_PASTED = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")


def _pasted_numbers(data: dict, edition: Edition, file: str | None, lines: LineMap) -> list[Problem]:
    """Table numbers a clerk pasted as text whose meaning is plain — '17', １７ (full-width),
    1,234 or 1，234 (thousands separators) — are taken as the numbers, each with a warning naming
    the place. Anything less plain is left for validation to refuse."""
    warnings: list[Problem] = []

    def walk(node: Any, path: tuple) -> None:
        if not isinstance(node, dict):
            return
        for key, value in node.items():
            if isinstance(value, dict):
                walk(value, path + (key,))
            elif isinstance(value, str):
                plain = unicodedata.normalize("NFKC", value).strip()
                if _PASTED.fullmatch(plain):
                    digits = plain.replace(",", "")
                    node[key] = Decimal(digits) if "." in digits else int(digits)
                    warnings.append(Problem(f"数值写成了文字“{value}”，已按 {digits} 读取（数值不要加引号、全角数字或千位分隔符）",
                                            file, path + (key,), _line(lines, path + (key,)), "warning", code="number-text"))

    for spec in edition.tables:
        walk(data.get(spec.key), (spec.key,))
    return warnings


_INVISIBLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060\ufeff\ufffe\uffff]")


def _show(value: Any) -> str:
    """A value as the clerk wrote it, in their words: text in quotes with invisible characters
    named (U+2028), true/false and .nan/.inf as YAML writes them, never a Python repr."""
    if isinstance(value, dict):
        return "一组键值"
    if isinstance(value, list):
        return "一个列表"
    if isinstance(value, bool):
        return f"{'true' if value else 'false'}（是/否）"
    if isinstance(value, float) and value != value:
        return ".nan（不是数）"
    if isinstance(value, float) and value in (float("inf"), float("-inf")):
        return ("-" if value < 0 else "") + ".inf（无穷大）"
    if isinstance(value, Decimal) and not value.is_finite():
        return ".nan（不是数）" if value.is_nan() else ("-" if value < 0 else "") + ".inf（无穷大）"
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:40] + "…"
        return "“" + _INVISIBLE.sub(lambda m: f"〔U+{ord(m.group()):04X}〕", text) + "”"
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return text if len(text) <= 40 else text[:40] + "…"


# pydantic's type errors: what the value should have been (a union's branches, merged in one message)
_SHOULD_BE = {"string_type": "文字", "list_type": "列表", "int_type": "整数", "int_parsing": "整数",
              "dict_type": "一组键值（映射）", "model_type": "一组键值（映射）", "model_attributes_type": "一组键值（映射）",
              "decimal_type": "数值", "decimal_parsing": "数值", "float_type": "数值", "float_parsing": "数值",
              "date_type": "日期", "date_parsing": "日期", "bool_type": "是或否（true/false）", "literal_error": "指定的值之一"}


def _message(err: dict) -> str:
    """One pydantic error in the clerk's words: what is wrong and, where it helps, what to write."""
    t = err["type"]
    value = err.get("input")
    ctx = err.get("ctx") or {}
    shown = _show(value)
    if t == "missing":
        return "缺少必填项；请补上这一项"
    if value is None:
        return "没有填写（冒号后是空的）；如为 0 请写 0，没有这一项请删去这一行"
    if t == "extra_forbidden":
        return "未知的键（可能是拼写错误）"
    if t in ("int_type", "int_parsing", "int_from_float"):
        if isinstance(value, (float, Decimal)) and not isinstance(value, bool):
            return f"应为整数（件数不能有小数），实际为 {shown}"
        if isinstance(value, str):
            return f"应为整数（用阿拉伯数字填写，不加引号），实际为 {shown}"
        return f"应为整数，实际为 {shown}"
    if t in ("greater_than_equal", "greater_than"):
        if isinstance(value, (int, float)) or hasattr(value, "is_signed"):
            if ctx.get("ge") == 0 or ctx.get("gt") == 0:
                return f"不能为负数，实际为 {shown}"
        return f"应不小于 {ctx.get('ge', ctx.get('gt'))}，实际为 {shown}"
    if t == "less_than_equal":
        return f"应不大于 {ctx.get('le')}，实际为 {shown}"
    if t == "less_than":
        return f"应小于 {ctx.get('lt')}，实际为 {shown}（数值过大）"
    if t == "decimal_max_places":
        return f"小数位数过多：最多 {ctx.get('decimal_places')} 位小数，实际为 {shown}"
    if t in ("decimal_max_digits", "decimal_whole_digits"):
        return f"数值位数过多，实际为 {shown}"
    if t in ("string_too_long", "too_long"):
        if isinstance(value, str):
            return f"文字过长：{len(value)} 个字符，最多 {ctx.get('max_length')} 个"
        return f"项目过多：最多 {ctx.get('max_length')} 项，实际为 {len(value) if hasattr(value, '__len__') else shown} 项"
    if t in ("decimal_type", "decimal_parsing", "finite_number", "float_type", "float_parsing"):
        return f"应为数值，实际为 {shown}"
    if t in ("string_type",):
        return f"应为文字，实际为 {shown}"
    if t.startswith("date") or t.startswith("datetime"):
        return f"应为日期（如 2024-01-20），实际为 {shown}"
    if t in ("model_type", "dict_type", "model_attributes_type"):
        return f"应为一组键值（映射，每行“键: 值”），实际为 {shown}"
    if t in ("list_type",):
        if isinstance(value, str):  # this item takes no text in place of its list
            return f"应为列表（每项一行，以“- ”开头），实际为文字 {shown}"
        return f"应为列表或多行文字，实际为 {shown}"
    if t in ("too_short", "string_too_short"):
        return "不能为空"
    if t == "duplicate_key":
        return err["msg"]
    if t == "value_error":
        return str(ctx.get("error", "")) or f"值不符合要求：{shown}"
    if t == "literal_error":
        choices = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        return f"应为 {'、'.join(choices)} 之一，实际为 {shown}" if choices else f"值不在可用的范围内：{shown}"
    if t == "bool_type" or t == "bool_parsing":
        return f"应为是或否（true/false），实际为 {shown}"
    return f"值不符合要求：{shown}"


_MISMATCH = frozenset(_SHOULD_BE)


def _data_path(loc: tuple, data: Any, missing: bool) -> tuple[tuple, tuple | None]:
    """(pydantic's location as the data's own keys and indexes, the place where it went into a
    union's branch, with the branch — None when it did not). A union's branches appear in the
    location as their types (``function-after[…]``, ``list[…]``): those are dropped, as no data
    is under them."""
    path: list = []
    node = data
    branch = None
    for i, part in enumerate(loc):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        elif missing and i == len(loc) - 1 and isinstance(node, dict):
            pass  # the key that is missing
        else:
            branch = branch or (tuple(path), part)
            continue
        path.append(part)
    return tuple(path), branch


def pydantic_problems(exc: ValidationError, model: type[BaseModel], file: str | None, lines: LineMap,
                      data: Any = None) -> list[Problem]:
    """The model's errors about ``data`` as problems at the data's key paths. Where a value may
    be one of several kinds (标题: a line, or a list of lines) only the kind the value is
    written as is reported on — or, when it is none of them, one message naming them all."""
    found = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        if err["type"] == "duplicate_key":
            loc += (err["ctx"]["key"],)
        path, branch = _data_path(loc, data, err["type"] == "missing")
        found.append((err, path, branch))
    branches: dict[tuple, dict[Any, bool]] = {}  # union's place → branch → only "not this kind" errors there
    for err, path, branch in found:
        if branch is not None:
            mismatch = err["type"] in _MISMATCH and path == branch[0]
            kinds = branches.setdefault(branch[0], {})
            kinds[branch[1]] = kinds.get(branch[1], True) and mismatch
    problems = []
    merged: set[tuple] = set()
    for err, path, branch in found:
        msg = None
        if branch is not None:
            kinds = branches[branch[0]]
            if all(kinds.values()):  # the value is none of the kinds: say so once
                if branch[0] in merged:
                    continue
                merged.add(branch[0])
                wanted = [_SHOULD_BE[e["type"]] for e, _, b in found if b is not None and b[0] == branch[0]]
                msg = f"应为{'或'.join(dict.fromkeys(wanted))}，实际为 {_show(err.get('input'))}"
            elif kinds[branch[1]]:  # a kind the value is not written as
                continue
        msg = msg or _message(err)
        if err["type"] == "extra_forbidden":
            allowed = _allowed_keys(model, path[:-1])
            if allowed:
                msg += "；此处可用的键：" + "、".join(allowed)
        problems.append(Problem(msg, file, path, _line(lines, path),
                                code="duplicate-key" if err["type"] == "duplicate_key" else "invalid"))
    return problems

"""The data file as pydantic models: what an agency states in its report.

The metadata and the outline of a free-form report are written here once; every section of a
statutory edition is generated from its declaration (``editions.Section``: the overview with
its parts, a text section, 六 with its 信息处理费 statement, or a table from ``tables/``), so
nothing is described twice and an edition declared later gets its model for free
(``report_model(edition)``). Values are bounded by their kind (``tables.spec.BOUNDS``). Keys
are short official Chinese terms; English names are accepted as aliases; unknown keys, and two
keys that name the same item, are rejected. Fields have English names (what templates and code
use) and dump under their Chinese keys.
"""
from __future__ import annotations

import datetime as _dt
import re
from decimal import Decimal
from functools import lru_cache
from typing import Annotated, Any, Literal, Optional, Union

from pydantic import (AfterValidator, AliasChoices, BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr,
                      ValidationInfo, WithJsonSchema, create_model, model_validator)
from pydantic import Strict as _Strict
from pydantic_core import PydanticCustomError

from .document import has_line_break, split_lines
from .publication import ITEMS as PUBLICATION_ITEMS
from .script import to_simplified
from .tables.spec import BOUNDS, COUNT, YUAN, Field as ShapeField, Group, TableSpec

# --- scalar types ----------------------------------------------------------------------

_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
class Keys:
    """The data file's keys that are not declared with the sections and tables (the report's
    own fields, the outline's, a table section's 说明): written here once, used by every
    module that builds data."""

    edition, script, agency, year, title = "版式", "文字", "机关名称", "报告年度", "标题"
    publish_date, publication, addressee, preamble, closing = "发布日期", "发布信息", "主送机关", "引言", "落款"
    units, body, unit_name = "下级单位", "正文", "单位"
    paragraphs, sections, intro, table_intro, other_paragraphs = "段落", "小节", "概述", "说明", "其他事项"


K = Keys


def draft_closing(agency: str, year: int) -> list[str]:
    """The 落款 a new report starts with: the agency and a date of the following January,
    before either deadline of 条例 第四十九条 (1月31日, 3月31日)."""
    return [agency, f"{year + 1}年1月20日"]

YEAR_MIN, YEAR_MAX = 2000, 2100  # the years a report may be on
PLACEHOLDER = "【请填写】"          # text a new data file holds until the clerk writes their own
LINE_MAX = 500          # a title, an agency's name, a metadata value: one line
PARAGRAPH_MAX = 100_000  # one paragraph


def _clean_text(value: str) -> str:
    m = _ILLEGAL.search(value)
    if m:
        raise ValueError(f"含有不可见的控制字符 U+{ord(m.group()):04X}（第 {m.start() + 1} 个字符），"
                         "Word 文件无法保存这种字符，请删除")
    return value


def _single_line(value: str) -> str:
    if has_line_break(value):
        raise ValueError("应为一行文字，不能换行（含换行符、段落分隔符 U+2028/U+2029 等）")
    return value.strip()


def _paragraphs(value: Any) -> Any:
    """A block of text is one paragraph per line; a list is one paragraph per item."""
    if value is None:
        return []
    if isinstance(value, str):
        return [line.strip() for line in split_lines(value) if line.strip()]
    if isinstance(value, list):
        return [v.strip() if isinstance(v, str) else v for v in value if not (isinstance(v, str) and not v.strip())]
    return value


def _edition_text(value: Any) -> Any:
    """版式 may be written 2021 or "2021"."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


Text = Annotated[str, _Strict(), AfterValidator(_clean_text)]
Line = Annotated[Text, Field(max_length=LINE_MAX), AfterValidator(_single_line)]
ParagraphText = Annotated[Text, Field(max_length=PARAGRAPH_MAX), AfterValidator(_single_line)]
Paragraphs = Annotated[list[ParagraphText], BeforeValidator(_paragraphs),
                       WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
                                       "description": "每行一段；也可写成列表"})]


def _no_bool(v: Any) -> Any:
    if isinstance(v, bool):
        raise ValueError("应为数值")
    return v


def _value_type(kind: str) -> Any:
    """The type of a value of ``kind``, bounded as ``BOUNDS`` declares (so a 5000-digit count
    or 1e-999999999 is an error here, not a hang in a writer), with a JSON schema of our own."""
    b = BOUNDS[kind]
    if b.places == 0:
        schema = {"type": "integer", "minimum": b.minimum, "maximum": b.limit - 1}
        return Annotated[int, _Strict(), Field(ge=b.minimum, lt=b.limit), WithJsonSchema(schema)]
    schema = {"type": "number", "minimum": b.minimum, "exclusiveMaximum": b.limit,
              "description": f"最多 {b.places} 位小数"}
    return Annotated[Decimal, BeforeValidator(_no_bool),
                     Field(ge=b.minimum, lt=b.limit, decimal_places=b.places, allow_inf_nan=False),
                     WithJsonSchema(schema)]


_TYPES = {kind: _value_type(kind) for kind in BOUNDS}
Count = _TYPES[COUNT]
Yuan = _TYPES[YUAN]


def zh(key: str, en: str, *more: str, **kw: Any) -> Any:
    """A field written under its Chinese key (or English name) and dumped under the Chinese key."""
    return Field(validation_alias=AliasChoices(key, en, *more), serialization_alias=key, **kw)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, validate_default=False)

    @model_validator(mode="before")
    @classmethod
    def _one_key_per_field(cls, value: Any, info: ValidationInfo) -> Any:
        """Two keys that name the same item (机关名称 and agency, 规章 and its alias) are a
        duplicate, not a choice of the later one. (Data that reportgen built itself, as parse
        does, has one key per item and skips this: ``context={"own": True}``.)"""
        if isinstance(value, dict) and len(value) > 1 and not (info.context and info.context.get("own")):
            for keys in _key_sets(cls):
                present = [k for k in keys if k in value]
                if len(present) > 1:
                    raise PydanticCustomError("duplicate_key", "“{first}”和“{key}”是同一项，重复出现（duplicate key），请只保留一个",
                                              {"first": present[0], "key": present[1]})
        return value


@lru_cache(maxsize=None)
def _key_sets(model: type[BaseModel]) -> tuple[tuple[str, ...], ...]:
    """For each field of ``model``: every key it may be written under."""
    out = []
    for name, f in model.model_fields.items():
        choices = [c for c in getattr(f.validation_alias, "choices", ()) if isinstance(c, str)]
        keys = tuple(dict.fromkeys([*choices, name]))
        if len(keys) > 1:
            out.append(keys)
    return tuple(out)


# --- metadata and narrative --------------------------------------------------------------

_DATE_TEXT = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$|^\d{4}年\d{1,2}月\d{1,2}日$")


def _date_text(value: Any) -> Any:
    """A date as the site shows it; YAML dates and timestamps become their ISO text."""
    if isinstance(value, _dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, _dt.date):
        return value.isoformat()
    return value


def _check_date_text(value: str) -> str:
    if value:
        try:
            if not _DATE_TEXT.match(value):
                raise ValueError
            parse_date_text(value)
        except ValueError:
            raise ValueError(f"应为日期，如 2024-01-20、2024-01-20 09:30 或 2024年1月20日，实际为 {value!r}") from None
    return value


DateText = Annotated[Line, BeforeValidator(_date_text), AfterValidator(_check_date_text)]


def parse_date_text(value: str | None) -> _dt.date | None:
    """The calendar date of a ``DateText`` (None when empty)."""
    if not value:
        return None
    nums = [int(n) for n in re.findall(r"\d+", value)[:3]]
    return _dt.date(*nums)


class _PublicationBase(Strict):
    """发布信息：政府网站在报告上方显示的索引号、发布机构等（均可省略）。

    Sites name these items differently (部门 or 发布机构, 日期 or 发布时间…): the label and the
    order the data file uses are kept and shown as written; a value may be empty (作者：).
    The items are declared in ``publication.ITEMS``.
    """

    _labels: tuple = PrivateAttr(default=())  # not a default_factory: pydantic inspects those on every instance

    @model_validator(mode="wrap")
    @classmethod
    def _keep_labels(cls, value: Any, handler: Any) -> Any:
        labels = []
        if isinstance(value, dict):
            value = dict(value)
            for key in list(value):
                name = _publication_field(key)
                if name is None and isinstance(key, str) and not key.isascii():
                    simple = to_simplified(key)
                    name = _publication_field(simple)
                    if name is not None:  # a label written in Traditional script
                        canonical = _FIELD_KEYS[name]
                        if canonical in value:
                            raise ValueError(f"“{key}”和“{canonical}”是同一项，重复出现（duplicate key），请只保留一个")
                        value[canonical] = value.pop(key)
                if name is not None:
                    labels.append((name, key))
        model = handler(value)
        if isinstance(model, _PublicationBase) and labels:
            model._labels = tuple(labels)
        return model

    def items(self) -> list[tuple[str, str, bool]]:
        """(label, value, the label is the agency's own wording) in the order and with the labels
        the data file used; items given under English names get their Chinese label. An official
        label or alias (部门, 日期) is template wording, converted to the report's script as such."""
        out = []
        seen = set()
        for name, label in self._labels:
            value = getattr(self, name)
            if value is not None and name not in seen:
                seen.add(name)
                own = not label.isascii() and label not in _OFFICIAL_LABELS  # a label of the agency's own wording
                out.append((_FIELD_KEYS[name] if label.isascii() else label, value, own))
        for name, key in _FIELD_KEYS.items():
            value = getattr(self, name)
            if value is not None and name not in seen:
                out.append((key, value, False))
        return out


Publication = create_model("Publication", __base__=_PublicationBase,
                           **{item.attr: (Optional[DateText if item.date else Line],
                                          zh(item.key, item.attr, *item.aliases, default=None))
                              for item in PUBLICATION_ITEMS})
Publication.__doc__ = _PublicationBase.__doc__
_FIELD_KEYS = {item.attr: item.key for item in PUBLICATION_ITEMS}
_OFFICIAL_LABELS = frozenset(label for item in PUBLICATION_ITEMS for label in item.labels)  # Simplified, as declared
_FIELD_BY_LABEL = {label: item.attr for item in PUBLICATION_ITEMS for label in (*item.labels, item.attr)}


def _publication_field(key: Any) -> str | None:
    return _FIELD_BY_LABEL.get(key) if isinstance(key, str) else None


class Section(Strict):
    """一个标题及其下的段落和小节，可任意层级嵌套（标题按原文书写，含“一、”“（一）”“1.”等序号）。"""

    title: Line = zh(K.title, "title", min_length=1)
    paragraphs: Paragraphs = zh(K.paragraphs, "paragraphs", "内容", default_factory=list)
    sections: list["Section"] = zh(K.sections, "sections", default_factory=list)


# --- the report's sections, generated from their declarations (editions.Section) ------------

def _own_title(official: str) -> Any:
    return zh(K.title, "title", default=None, description=f"本部分标题；省略时为“{official}”")


def _camel(name: str) -> str:
    return "".join(p.capitalize() for p in name.split("_"))


def _plain_text(key: str):
    """A section written as plain text (or a list) holds paragraphs under ``key``."""

    def convert(cls, v: Any) -> Any:
        return {key: v} if isinstance(v, (str, list)) else v

    return model_validator(mode="before")(classmethod(convert))


def _outline_fields(section: Any, paragraphs_key: str = "段落", *more: str) -> dict[str, Any]:
    return {"title": (Optional[Line], _own_title(section.heading)),
            "paragraphs": (Paragraphs, zh(paragraphs_key, "paragraphs", *more, default_factory=list)),
            "sections": (list[Section], zh(K.sections, "sections", default_factory=list))}


def overview_model(section: Any) -> type[BaseModel]:
    """一、总体情况: a lead, then the usual parts (each optional), then the agency's own sub-sections."""
    fields: dict[str, Any] = {"title": (Optional[Line], _own_title(section.heading)),
                              "intro": (Paragraphs, zh(K.intro, "intro", default_factory=list,
                                                       description="各方面之前的综述段落"))}
    for part in section.parts:
        fields[part.en] = (Paragraphs, zh(part.key, part.en, *part.aliases, default_factory=list,
                                          description=part.description or part.label))
    fields["sections"] = (list[Section], zh(K.sections, "sections", default_factory=list,
                                            description="按本机关自己的小标题组织的内容（在各方面之后）"))
    model = create_model(_camel(section.attr), __base__=Strict, **fields)
    model.__doc__ = f"{section.heading}：{section.description}" if section.description else section.heading
    return model


def text_model(section: Any) -> type[BaseModel]:
    """A section of paragraphs and sub-sections (五、存在的主要问题及改进情况); never empty."""
    subject = section.heading.split("、", 1)[-1]

    def not_empty(self):
        if not self.paragraphs and not self.sections:
            raise ValueError(f"不能为空：请写明{subject}")
        return self

    model = create_model(_camel(section.attr), __base__=Strict,
                         __validators__={"_plain": _plain_text(K.paragraphs),
                                         "_not_empty": model_validator(mode="after")(not_empty)},
                         **_outline_fields(section, K.paragraphs, "内容"))
    model.__doc__ = f"{section.heading}：{section.description}" if section.description else section.heading
    return model


def node_model(n: Any) -> type[BaseModel]:
    """A small group of values declared as a table node (the 信息处理费 statement)."""
    fields = {c.en: (_TYPES[c.kind], zh(c.key, c.en, description=c.description)) for c in n.children}
    model = create_model(_camel(n.en), __base__=Strict, **fields)
    model.__doc__ = n.description or n.label
    return model


def other_model(section: Any) -> type[BaseModel]:
    """六、其他需要报告的事项: the values its text states (the 信息处理费 statement, declared as
    ``section.values``) and other matters."""
    fields: dict[str, Any] = {"title": (Optional[Line], _own_title(section.heading))}
    if section.values is not None:
        v = section.values
        fields["fees"] = (Optional[node_model(v)], zh(v.key, v.en, default=None, description=v.description))
    fields.update({k: f for k, f in _outline_fields(section, K.other_paragraphs, "内容", K.paragraphs).items()
                   if k != "title"})
    model = create_model(_camel(section.attr), __base__=Strict, __validators__={"_plain": _plain_text(K.other_paragraphs)},
                         **fields)
    model.__doc__ = f"{section.heading}：{section.description}" if section.description else section.heading
    return model


SCRIPTS = ("zh-Hans", "zh-Hant", "zh-TW", "zh-HK")


def units_model(figures: Any) -> type[BaseModel]:
    """汇总报告中一个下级单位的主要数据（reportgen aggregate 写出，模板附表使用）。"""
    fields: dict[str, Any] = {"name": (Line, zh(K.unit_name, "name", min_length=1))}
    for f in figures:
        fields[f.en] = (Count, zh(f.key, f.en))
    model = create_model("UnitFigures", __base__=Strict, **fields)
    model.__doc__ = units_model.__doc__
    return model


class ReportBase(Strict):
    """各版式共有的字段。"""

    edition: Annotated[Optional[str], BeforeValidator(_edition_text),
                       WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "integer"}]})] = zh(K.edition, "edition", default=None,
                                description="2021（国办公开办函〔2021〕30号）；省略时按报告年度推断")
    script: Optional[Literal[SCRIPTS]] = zh(K.script, "script", default=None,  # type: ignore[valid-type]
                                            description="报告使用的文字：zh-Hans（简体，默认）、zh-Hant（繁体）、"
                                                        "zh-TW（台湾繁体）、zh-HK（香港繁体）；数据文件按此文字书写")
    agency: Line = zh(K.agency, "agency", min_length=1)
    year: Annotated[int, _Strict(), Field(ge=YEAR_MIN, le=YEAR_MAX)] = zh(K.year, "year")
    title: Optional[Union[Line, Annotated[list[Line], Field(min_length=1, max_length=4)]]] = zh(
        K.title, "title", default=None,
        description="省略时为“机关名称+报告年度+年政府信息公开工作年度报告”；写成几行的列表时，标题在这些地方换行")

    @property
    def title_text(self) -> str | None:
        """The report's own title as one line (a title given as lines, joined)."""
        return "".join(self.title) if isinstance(self.title, list) else self.title
    publish_date: Optional[_dt.date] = zh(K.publish_date, "publish_date", default=None)
    publication: Optional[Publication] = zh(K.publication, "publication", default=None)
    addressee: Optional[Line] = zh(K.addressee, "addressee", default=None,
                                   description="正文前顶格的主送机关，如“省政务公开办：”（可省略）")
    preamble: Paragraphs = zh(K.preamble, "preamble", default_factory=list,
                              description="正文前的开头段落；省略时使用模板的标准表述")
    closing: Paragraphs = zh(K.closing, "closing", default_factory=list, description="文末右对齐的署名、日期，每行一项")

    @property
    def published(self) -> _dt.date | None:
        """The publication date, wherever the data file gives it."""
        if self.publish_date:
            return self.publish_date
        return parse_date_text(self.publication.publish_date) if self.publication else None

    @model_validator(mode="after")
    def _one_publish_date(self) -> "ReportBase":
        pub = self.publication
        if self.publish_date and pub is not None and pub.publish_date:
            if parse_date_text(pub.publish_date) != self.publish_date:
                raise ValueError(f"“发布日期”（{self.publish_date.isoformat()}）与“发布信息”中的发布日期"
                                 f"（{pub.publish_date}）不一致")
        return self


# --- tables, generated from their declarations -------------------------------------------

class TableModel(Strict):
    """统计表（由表格声明生成）。"""


def _row_shortcut(keys: list[str], required: list[str]):
    """A row may be a list of numbers in column order (the 总计 may be left off), or 0."""

    def convert(cls, v: Any) -> Any:
        if isinstance(v, int) and not isinstance(v, bool) and v == 0:
            return {k: 0 for k in required}
        if isinstance(v, list):
            if len(v) == len(keys):
                return dict(zip(keys, v))
            if len(v) == len(required):
                return dict(zip(required, v))
            raise ValueError(f"按列顺序填写时应有 {len(required)} 或 {len(keys)} 个数，实际为 {len(v)} 个"
                             f"（列顺序：{'、'.join(keys)}）")
        return v

    return model_validator(mode="before")(classmethod(convert))


def _aliases(item: ShapeField | Group) -> tuple[str, ...]:
    out = [item.key]
    for a in (item.en, *item.aliases, item.label):
        if a and a not in out:
            out.append(a)
    return tuple(out)


def _group_model(group: Group, name: str, extra: dict | None = None) -> type[BaseModel]:
    fields: dict[str, Any] = dict(extra or {})
    for i, ch in enumerate(group.children):
        desc = ch.label + (f"（{ch.description}）" if ch.description else "")
        alias = AliasChoices(*_aliases(ch))
        if isinstance(ch, ShapeField):
            typ = _TYPES[ch.kind]
            if ch.optional:
                fields[ch.key] = (Optional[typ], Field(None, validation_alias=alias, description=desc + "；可省略，自动计算"))
            else:
                fields[ch.key] = (typ, Field(..., validation_alias=alias, description=desc))
        else:
            sub = _group_model(ch, f"{'Row' if ch.row is not None else 'Group'}_{name}_{i}")
            if all(isinstance(f, ShapeField) and f.optional for f in ch.children):
                fields[ch.key] = (Optional[sub], Field(None, validation_alias=alias, description=desc + "；可省略，自动计算"))
            else:
                fields[ch.key] = (sub, Field(..., validation_alias=alias, description=desc))
    validators = {}
    if group.row is not None:
        keys = [c.key for c in group.children if isinstance(c, ShapeField)]
        required = [c.key for c in group.children if isinstance(c, ShapeField) and not c.optional]
        if len(keys) == len(group.children):
            validators["_shortcut"] = _row_shortcut(keys, required)
    return create_model(name, __base__=TableModel, __validators__=validators, **fields)  # type: ignore[call-overload]


def table_model(spec: TableSpec) -> type[BaseModel]:
    intro = (Optional[Paragraphs], Field(None, validation_alias=AliasChoices(K.table_intro, "intro"),
                                         description="表格前的说明段落；省略时由模板根据数据生成，写 [] 表示不要说明"))
    title = (Optional[Line], Field(None, validation_alias=AliasChoices(K.title, "title"),
                                   description=f"本部分标题；省略时为“{spec.title}”"))
    return _group_model(spec.shape(), f"Table_{spec.name}", {K.table_intro: intro, K.title: title})


@lru_cache(maxsize=None)
def report_model(edition: Any) -> type[ReportBase]:
    """The data-file model of one edition (an ``editions.Edition``): the shared fields, then each
    declared section by its kind, or the outline of a free-form report."""
    fields: dict[str, Any] = {
        "units": (list[units_model(edition.unit_figures)],
                  zh(K.units, "units", default_factory=list,
                     description="汇总报告的各下级单位主要数据（由 reportgen aggregate 生成），报告末尾附表列出"))}
    if edition.freeform:  # a free-form report (2008 条例): an outline of sections
        fields["body"] = (list[Section], zh(K.body, "body", min_length=1,
                                            description="正文各部分，按原文顺序；每部分有标题、段落和任意层级的小节"))
    for section in edition.sections:
        keys = AliasChoices(section.key, *section.aliases)
        if section.kind == "table":
            typ: Any = table_model(section.table)
        elif section.kind == "overview":
            typ = overview_model(section)
        elif section.kind == "other":
            typ = other_model(section)
        else:
            typ = text_model(section)
        desc = section.heading + (f"（{section.description}）" if section.description else "")
        if section.optional:
            fields[section.attr] = (Optional[typ], Field(default_factory=typ, validation_alias=keys,
                                                          serialization_alias=section.key, description=desc))
        else:
            fields[section.attr] = (typ, Field(..., validation_alias=keys, serialization_alias=section.key,
                                               description=desc))
    model = create_model(f"Report{_camel(edition.id)}", __base__=ReportBase, **fields)
    model.__doc__ = f"{edition.title}（{edition.basis}）的数据文件"
    return model


def table_data(report: BaseModel, spec: TableSpec) -> dict:
    """The table's part of a validated report as a plain mapping under Chinese keys."""
    return getattr(report, spec.name).model_dump(exclude={K.table_intro, K.title})


def model_keys(model: type[BaseModel]) -> set[str]:
    """Every key a data file of ``model`` may use (names and aliases, at any depth)."""
    out: set[str] = set()
    seen: set[type] = set()

    def walk(m: type[BaseModel]) -> None:
        if m in seen:
            return
        seen.add(m)
        for name, f in m.model_fields.items():
            out.add(name)
            out.update(c for c in getattr(f.validation_alias, "choices", ()) if isinstance(c, str))
            for sub in _models_in(f.annotation):
                walk(sub)

    walk(model)
    return out


def _models_in(annotation: Any):
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        yield from _models_in(arg)

"""Document → data file: the inverse of composing, for our own output and published reports.

The Document (from any reader) is first brought to Simplified script when it is written in
a Traditional one (the script is recorded). Then:

* the **edition** is decided by the tables' labels (2021 vs 2019 columns and rows), or
  free-form when there are no statutory tables; the **year** and **agency** come from the
  title (…2023年政府信息公开工作年度报告), the metadata, or the statistics period;
* for the 2019/2021 editions the six sections are found by their headings (the official
  wording and the variants of statutory.md §4.1); each table's numbers are read by label
  (``tables.match``); the narrative goes to its fields, the agency's own headings to 标题 and
  小节;
* a free-form report becomes its outline of headings, paragraphs and sub-sections.

Text that reportgen's templates would write anyway (the standard opening paragraph, the
sentences before each table, the default title and headings) is recognised by composing
the candidate data and comparing, so that ``parse(render(data))`` gives back ``data``, not
``data`` plus the generated sentences.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any

from .document import Document, Heading, Meta, Paragraph, Table, Title
from .editions import EDITIONS, HEADINGS_2019_2021, OVERVIEW_PARTS, SECTION_PARTS, edition_for_year
from .errors import Problem
from .readers.common import label_key, numbering_level, squash

# Section index → other wordings of its heading seen in published reports (statutory.md §4.1),
# then one word that marks it when nothing else matches; the official wording is the edition's.
SECTION_VARIANTS = (
    ("概述", "概述"),
    ("主动公开政府信息的情况", "主动公开"),
    ("收到和处理政府信息公开申请的情况", "政府信息公开申请", "依申请公开"),
    ("因政府信息公开工作被申请行政复议提起行政诉讼情况", "因政府信息公开工作被申请行政复议和提起行政诉讼情况",
     "政府信息公开行政复议及行政诉讼情况", "因政府信息公开申请行政复议提起行政诉讼的情况", "行政复议", "行政诉讼"),
    ("政府信息公开工作存在的主要问题及改进情况", "问题"),
    ("其他",),
)
_NUMBERING = re.compile(r"^[一二三四五六七八九十]+\s*[、.．]")
_SECTION_KEYS = tuple(frozenset({label_key(_NUMBERING.sub("", official)), *(label_key(v) for v in variants[:-1])})
                      for official, variants in zip(HEADINGS_2019_2021, SECTION_VARIANTS))
_FEES = re.compile(r"发出收费通知(\d+)件，收取信息处理费([\d.]+)元。?$")
_NO_FEES = "本年度，本机关未收取政府信息公开信息处理费。"
_NO_OTHER = "本年度无其他需要报告的事项。"
_TITLE = re.compile(r"^(?P<agency>.*?)(?P<year>(?:19|20)\d{2})\s*年(?:度)?(?P<rest>.*)$")
_DEFAULT_TITLE_REST = "政府信息公开工作年度报告"


@dataclass
class Extracted:
    """What parsing found: the data file, and what it could not take as given."""

    data: dict
    edition: str
    script: str                                        # the script the report is written in
    warnings: list[Problem] = field(default_factory=list)
    blanks: list[str] = field(default_factory=list)    # table cells read from blank markers
    chrome: list[str] = field(default_factory=list)    # page text set apart, not report content
    originals: list[tuple[str, str]] = field(default_factory=list)  # (Simplified, as written) texts
    foreign_labels: list[str] = field(default_factory=list)  # table labels of the other edition

    def in_original_script(self) -> dict:
        """The data with its text as the report wrote it (OpenCC's character configs keep
        lengths, so a piece of a text is the same slice of the original), 文字 set."""
        exact = dict(self.originals)

        def restore(value: Any) -> Any:
            if isinstance(value, str):
                if value in exact:
                    return exact[value]
                for simple, orig in self.originals:
                    k = simple.find(value) if value else -1
                    if k >= 0 and len(simple) == len(orig):
                        return orig[k:k + len(value)]
                return value
            if isinstance(value, dict):
                return {k: restore(v) for k, v in value.items()}
            if isinstance(value, list):
                return [restore(v) for v in value]
            return value

        data = restore(self.data)
        return {"文字": self.script, **data} if self.script != "zh-Hans" else data


def extract(doc: Document, chrome: list[str] | None = None, file: str | None = None,
            script: str | None = None) -> Extracted:
    from .script import identify

    text = "".join(_texts_in_order(doc))
    script = script or identify(text, doc.lang if doc.lang != "zh-Hans" else None)
    originals: list[tuple[str, str]] = []
    if script != "zh-Hans":
        original = doc
        doc = to_simplified(doc, script)
        originals = list(zip(_texts_in_order(doc), _texts_in_order(original)))
        from .script import to_simplified_all

        chrome = to_simplified_all(list(chrome or []), script)
    out = Extracted({}, "freeform", script, chrome=list(chrome or []), originals=originals)
    blocks = list(doc.blocks)
    title = next((b.text for b in blocks if isinstance(b, Title)), None)
    meta = next((b for b in blocks if isinstance(b, Meta)), None)
    agency, year = _agency_and_year(title, meta, blocks, doc.properties.get("author"))
    if agency and (not title or agency not in title) and not doc.properties.get("author") and \
            not (meta and any(agency == v for _, v in meta.items)):
        out.warnings.append(_warning(f"机关名称按正文推断为“{agency}”，请核对", file, ("机关名称",)))
    tables = [b for b in blocks if isinstance(b, Table)]
    edition = _edition(tables, year)
    out.edition = edition
    if edition in ("2019", "2021"):
        out.foreign_labels = _foreign_labels(tables, edition)
    data: dict[str, Any] = {}
    if edition != edition_for_year(year or 0):
        data["版式"] = edition if edition != "freeform" else "自由格式"
    data["机关名称"] = agency or "【未识别】"
    data["报告年度"] = year or 0
    if not agency:
        out.warnings.append(_warning("未能识别机关名称（标题和发布信息中都没有），已写为“【未识别】”，请填写", file, ("机关名称",)))
    if not year:
        out.warnings.append(_warning("未能识别报告年度，已写为 0，请填写", file, ("报告年度",)))
    if title and not _is_default_title(title, agency, year):
        data["标题"] = title
    if meta is not None and meta.items:
        data["发布信息"] = {label: value for label, value in meta.items}
    body = [b for b in blocks if not isinstance(b, (Title, Meta))]
    addressee = next((b.text for b in body[:2] if isinstance(b, Paragraph) and b.align == "left"), None)
    if addressee:
        data["主送机关"] = addressee
    closing = []
    while body and isinstance(body[-1], Paragraph) and body[-1].align == "right":
        closing.insert(0, body.pop().text)
    body = [b for b in body if not (isinstance(b, Paragraph) and b.align == "left")]
    if edition == "freeform":
        _freeform(body, data, out, file)
    else:
        _statutory(body, data, EDITIONS[edition], out, file)
    if closing:
        data["落款"] = closing
    out.data = data
    return out


def _warning(message: str, file: str | None, path: tuple = ()) -> Problem:
    return Problem(message, file, path, None, "warning")


# --- script ------------------------------------------------------------------------------

def to_simplified(doc: Document, script: str) -> Document:
    """A new Document with every text converted from ``script`` to Simplified, in one OpenCC
    call (a call costs more than a short text does); the original is left as it was."""
    from .document import Cell
    from .script import to_simplified_all

    texts = list(_texts_in_order(doc))
    keys = [k for k, v in doc.properties.items() if isinstance(v, str)]
    converted = iter(to_simplified_all(texts + [doc.properties[k] for k in keys], script))
    blocks: list = []
    for b in doc.blocks:
        if isinstance(b, Title):
            blocks.append(Title(next(converted)))
        elif isinstance(b, Heading):
            blocks.append(Heading(b.level, next(converted)))
        elif isinstance(b, Paragraph):
            blocks.append(Paragraph(next(converted), b.align))
        elif isinstance(b, Meta):
            blocks.append(Meta([(next(converted), next(converted)) for _ in b.items]))
        elif isinstance(b, Table):
            cells = [Cell(next(converted), c.row, c.col, c.rowspan, c.colspan, c.role) for c in b.cells]
            blocks.append(Table(b.n_rows, b.n_cols, b.header_rows, cells, b.name))
    props = dict(doc.properties)
    for k in keys:
        props[k] = next(converted)
    return Document(blocks, "zh-Hans", props)


def _texts_in_order(doc: Document):
    """Every text of the Document in block order (Meta: label then value)."""
    for b in doc.blocks:
        if isinstance(b, (Title, Heading, Paragraph)):
            yield b.text
        elif isinstance(b, Meta):
            for label, value in b.items:
                yield label
                yield value
        elif isinstance(b, Table):
            for c in b.cells:
                yield c.text


# --- agency, year, edition ---------------------------------------------------------------

def _agency_and_year(title: str | None, meta: Meta | None, blocks: list, author: str | None) -> tuple[str | None, int | None]:
    agency = year = None
    if title:
        m = _TITLE.match(title.strip())
        if m:
            year = int(m.group("year"))
            agency = m.group("agency").strip() or None
            if agency is None:  # 2010年省财政厅政务公开工作报告
                rest = re.split(r"(?:政府信息公开|政务公开|信息公开)", m.group("rest"))[0].strip()
                agency = rest or None
    if author:
        agency = author
    if meta is not None and agency is None:
        for label, value in meta.items:
            if label in ("发布机构", "部门", "发布单位", "发文机关", "信息来源") and value:
                agency = value
                break
    if agency is None:
        agency = _agency_in_text(blocks)
    if year is None:
        for b in blocks:
            if isinstance(b, Paragraph):
                m = re.search(r"统计期限为\s*(\d{4})\s*年", b.text) or re.search(r"^(\d{4})年", b.text)
                if m:
                    year = int(m.group(1))
                    break
    return agency, year


_ORG = re.compile(r"(?<![\u4e00-\u9fff])[\u4e00-\u9fff]{1,8}?(?:省|自治区|市|区|县|州|盟|旗)"
                  r"[\u4e00-\u9fff]{0,10}?(?:人民政府办公室|人民政府|委员会|办公室|管理局|局|厅)")


def _agency_in_text(blocks: list) -> str | None:
    """The agency named most often in the text (when the title does not say): a place-and-office
    name such as 乌兰察布市财政局, at least twice."""
    from collections import Counter

    counts: Counter[str] = Counter()
    for b in blocks:
        if isinstance(b, Paragraph):
            counts.update(m.group() for m in _ORG.finditer(b.text))
    if not counts:
        return None
    name, n = counts.most_common(1)[0]
    return name if n >= 2 else None


def _is_default_title(title: str, agency: str | None, year: int | None) -> bool:
    return bool(agency and year) and title == f"{agency}{year}年{_DEFAULT_TITLE_REST}"


def _edition(tables: list[Table], year: int | None) -> str:
    """2021 or 2019 by which edition's distinctive labels the tables carry; free-form when
    they carry none of either; the year decides a tie."""
    if not tables:
        return "freeform"
    keys = "".join(label_key(c.text) for t in tables for c in t.cells)
    scores = {}
    for ed_id in ("2021", "2019"):
        labels = _distinctive_labels(ed_id)
        scores[ed_id] = sum(1 for k in labels if k in keys)
    common = sum(1 for k in _common_labels() if k in keys)
    if not any(scores.values()) and common < 3:
        return "freeform"
    if scores["2021"] == scores["2019"]:
        return edition_for_year(year or 2021) if (year or 2021) >= 2019 else "2021"
    return max(scores, key=scores.get)  # type: ignore[arg-type]


def _foreign_labels(tables: list[Table], edition: str) -> list[str]:
    """Labels in the tables that belong only to the other edition (a 2019 row in a 2021 table)."""
    from .tables.match import edition_labels

    other = "2019" if edition == "2021" else "2021"
    foreign = _distinctive_labels(other)
    official = edition_labels(other)
    seen = []
    for t in tables:
        for c in t.cells:
            key = label_key(c.text)
            if key in foreign and official.get(key, c.text) not in seen:
                seen.append(official.get(key, c.text))
    return seen


def _labels_of(ed_id: str) -> frozenset[str]:
    from .tables.match import edition_labels

    return frozenset(edition_labels(ed_id))


@lru_cache(maxsize=None)
def _distinctive_labels(ed_id: str) -> frozenset[str]:
    other = "2019" if ed_id == "2021" else "2021"
    return frozenset(k for k in _labels_of(ed_id) - _labels_of(other) if len(k) >= 4)


@lru_cache(maxsize=None)
def _common_labels() -> frozenset[str]:
    return frozenset(k for k in _labels_of("2021") & _labels_of("2019") if len(k) >= 4)


# --- outlines ----------------------------------------------------------------------------

def outline(blocks: list, base: int = 1) -> tuple[list[str], list[dict]]:
    """(paragraphs before the first heading, sections) from headings and paragraphs: a heading
    becomes a child of the nearest heading above it with a lower level."""
    lead: list[str] = []
    roots: list[dict] = []
    stack: list[tuple[int, dict]] = []
    for b in blocks:
        if isinstance(b, Heading):
            level = max(b.level, base)
            node: dict[str, Any] = {"标题": b.text}
            while stack and stack[-1][0] >= level:
                stack.pop()
            (stack[-1][1].setdefault("小节", []) if stack else roots).append(node)
            stack.append((level, node))
        elif isinstance(b, Paragraph):
            if stack:
                stack[-1][1].setdefault("段落", []).append(b.text)
            else:
                lead.append(b.text)
    return lead, roots


def _freeform(body: list, data: dict, out: Extracted, file: str | None) -> None:
    lead, sections = outline([b for b in body if not isinstance(b, Table)])
    if lead:
        data["引言"] = lead
    data["正文"] = sections or [{"标题": "正文", "段落": []}]
    if not sections:
        out.warnings.append(_warning("没有找到任何标题，全文作为一个部分", file, ("正文",)))


# --- the 2019 / 2021 editions ------------------------------------------------------------

def section_of(heading: Heading) -> int | None:
    """Which of the six sections a level-1 heading opens, from its wording (numbering aside)."""
    key = label_key(_NUMBERING.sub("", heading.text))
    for i, keys in enumerate(_SECTION_KEYS):
        if key in keys:
            return i
    m = re.match(r"^([一二三四五六])\s*[、.．]", heading.text)
    for i, variants in enumerate(SECTION_VARIANTS):
        if label_key(variants[-1]) in key and (m is None or "一二三四五六".index(m.group(1)) == i):
            return i
    return None


def _statutory(body: list, data: dict, edition, out: Extracted, file: str | None) -> None:
    from .tables.match import match_table

    parts: dict[int, list] = {}
    titles: dict[int, str] = {}
    current: int | None = None
    lead: list = []
    for b in body:
        idx = section_of(b) if isinstance(b, Heading) and (b.level == 1 or numbering_level(b.text) == 1) else None
        if idx is not None and idx not in parts:
            current = idx
            parts[idx] = []
            titles[idx] = b.text
            continue
        (parts[current] if current is not None else lead).append(b)
    lead_paras = [b.text for b in lead if isinstance(b, Paragraph)]
    if lead_paras:
        data["引言"] = lead_paras
    official = edition.headings
    own = {i: titles[i] for i in parts if titles[i] != official[i]}  # the agency's own wording
    # 一、总体情况
    ov: dict[str, Any] = {}
    blocks = parts.get(0, [])
    intro, sections = outline(blocks, 2)
    if intro:
        ov["概述"] = intro
    custom = []
    parts_by_key = {label_key(title): key for title, key, _ in OVERVIEW_PARTS}
    for s in sections:
        field_name = parts_by_key.get(label_key(s["标题"]))
        if field_name and not s.get("小节") and field_name not in ov:
            ov[field_name] = s.get("段落", [])
        else:
            custom.append(s)
    if custom:
        ov["小节"] = custom
    data["总体情况"] = ({"标题": own[0]} if 0 in own else {}) | ov
    if 0 not in parts:
        out.warnings.append(_warning(f"没有找到“{official[0]}”部分", file, ("总体情况",)))
    # 二、三、四: tables
    all_tables = [b for b in body if isinstance(b, Table)]
    for i in (1, 2, 3):  # the sections with a table
        spec = edition.table(SECTION_PARTS[i])
        section_blocks = parts.get(i, [])
        tables = [b for b in section_blocks if isinstance(b, Table)] or (all_tables if i not in parts else [])
        m = match_table(spec, tables)
        table_data = spec.data_from_cells(m.cells)
        section: dict[str, Any] = {"标题": own[i]} if i in own else {}
        section["说明"] = [b.text for b in section_blocks if isinstance(b, Paragraph)]
        section.update(table_data)
        data[spec.key] = section
        for cid in m.blanks:
            out.blanks.append(f"{spec.title} {_cell_name(spec, cid)}")
        if i not in parts:
            out.warnings.append(_warning(f"没有找到“{official[i]}”部分", file, (spec.key,)))
        if not tables or m.rows_found == 0:
            out.warnings.append(_warning(f"没有找到表“{spec.title}”，各项按 0 填写", file, (spec.key,)))
        elif m.missing:
            shown = "、".join(_cell_name(spec, c) for c in m.missing[:5]) + ("等" if len(m.missing) > 5 else "")
            out.warnings.append(_warning(f"表“{spec.title}”有 {len(m.missing)} 个单元格未能读出（{shown}），按 0 填写",
                                        file, (spec.key,)))
    if out.blanks:
        out.warnings.append(_warning(f"{len(out.blanks)} 个单元格为空白或“-”“/”“无”，按 0 读取："
                                    + "、".join(out.blanks[:6]) + ("等" if len(out.blanks) > 6 else ""), file, ()))
    # 五
    problems_lead, problems_sections = outline([b for b in parts.get(4, []) if not isinstance(b, Table)], 2)
    problems: dict[str, Any] = {"标题": own[4]} if 4 in own else {}
    if problems_lead:
        problems["段落"] = problems_lead
    if problems_sections:
        problems["小节"] = problems_sections
    if not problems_lead and not problems_sections:
        problems["段落"] = ["【未找到】"]
        out.warnings.append(_warning(f"没有找到“{official[4]}”的内容，已写为“【未找到】”", file, ("存在的主要问题及改进情况",)))
    data["存在的主要问题及改进情况"] = problems if set(problems) != {"段落"} else problems["段落"]
    # 六
    if 5 not in parts:
        data["其他需要报告的事项"] = None
    else:
        data["其他需要报告的事项"] = _other(parts[5], own.get(5))


def _other(blocks: list, title: str | None) -> dict:
    other: dict[str, Any] = {}
    if title:
        other["标题"] = title
    paras = []
    for b in blocks:
        if not isinstance(b, Paragraph):
            continue
        m = _FEES.search(b.text)
        if m and "信息处理费" not in other:
            amount = Decimal(m.group(2))
            other["信息处理费"] = {"收费通知件数": int(m.group(1)),
                               "收费金额": int(amount) if amount == amount.to_integral() and "." not in m.group(2) else amount}
        elif b.text == _NO_FEES and "信息处理费" not in other:
            other["信息处理费"] = {"收费通知件数": 0, "收费金额": 0}
        else:
            paras.append(b.text)
    lead, sections = outline([b for b in blocks if isinstance(b, Heading) or (isinstance(b, Paragraph) and b.text in paras)], 2)
    if lead and lead != [_NO_OTHER]:
        other["其他事项"] = lead
    if sections:
        other["小节"] = sections
    return other


def _cell_name(spec, cid) -> str:
    row, col = cid
    return "「" + (spec.row_label(row) if row else "") + ("／" if row else "") + spec.column_label(col) + "」"


# --- what the templates would write anyway -----------------------------------------------

_GENERATED_STARTS = ("本报告根据", "本年度，本机关", "本年度,本机关")  # how the templates' own sentences begin


def drop_generated(out: Extracted, loaded) -> None:
    """Remove from ``out.data`` the text the templates generate anyway (the opening paragraph,
    the sentences before the tables): compose the validated report without it and compare.
    ``loaded`` is ``out.data`` validated; copies of its models are changed, nothing is re-validated."""
    from .compose import generated_markup
    from .loader import LoadedReport

    if loaded.edition.freeform:
        return
    data = out.data
    candidates = list(data.get("引言", [])) + [p for spec in loaded.edition.tables
                                             for p in (data.get(spec.key) or {}).get("说明", [])]
    if not any(p.startswith(_GENERATED_STARTS) for p in candidates):
        for spec in loaded.edition.tables:  # nothing generated: an absent 说明 means none
            if isinstance(data.get(spec.key), dict) and not data[spec.key].get("说明"):
                data[spec.key]["说明"] = []
        return
    report = loaded.report
    update: dict[str, Any] = {"preamble": []}
    for spec in loaded.edition.tables:
        update[spec.name] = getattr(report, spec.name).model_copy(update={"说明": None})
    bare = LoadedReport(report.model_copy(update=update), loaded.edition, loaded.file, [], loaded.tables, "zh-Hans")
    generated = _markup_paragraphs(generated_markup(bare))
    data = out.data
    if data.get("引言") and [squash(p) for p in data["引言"]] == [squash(p) for p in generated.get(-1, [])]:
        del data["引言"]
    for i, spec in zip((1, 2, 3), loaded.edition.tables):
        section = data.get(spec.key)
        if not isinstance(section, dict):
            continue
        found = section.get("说明", [])
        if [squash(p) for p in found] == [squash(p) for p in generated.get(i, [])]:
            section.pop("说明", None)
        elif not found:
            section["说明"] = []


def _markup_paragraphs(markup: str) -> dict[int, list[str]]:
    """Paragraphs directly under each section heading, up to the first table or sub-heading
    (-1: before the first section), read from the block markup."""
    from .compose import _STRIP

    out: dict[int, list[str]] = {-1: []}
    current = -1
    stopped = False
    for raw in markup.splitlines():
        line = raw.strip()
        if not line or line.startswith(("= ", "@meta", "> ", "< ")):
            continue
        if line.startswith("# "):
            idx = section_of(Heading(1, line[2:].translate(_STRIP).strip()))
            current = idx if idx is not None else current
            out.setdefault(current, [])
            stopped = False
        elif line.startswith(("#", "@table ")):
            stopped = True
        elif not stopped:
            out.setdefault(current, []).append(line.translate(_STRIP).strip())
    return out


__all__ = ["Extracted", "drop_generated", "extract", "outline", "section_of", "to_simplified"]

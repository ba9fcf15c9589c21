"""Document → data: the inverse of composing, for our own output and published reports, driven
by the edition declarations (``editions``).

The Document (from any reader) is first brought to Simplified script when it is written in a
Traditional one (the script is recorded). Then:

* the **edition** is the one whose table labels the tables carry (ties go to the year's
  edition), or free-form when there are no statutory tables; the **year** and **agency** come
  from the title (…2023年政府信息公开工作年度报告), the metadata, or the statistics period;
* for an edition with sections, each level-1 heading is matched to a declared section by its
  official wording, the wordings real reports use, or its marker word; each section is read
  by its kind: the overview's usual parts and the agency's own sub-sections, a table's numbers
  by label (``tables.match``), a text section's outline, and 六's declared sentences (the
  信息处理费 statement back into its values);
* a free-form report becomes its outline of headings, paragraphs and sub-sections.

Text the templates would write anyway (the opening paragraph, the summary before a table) is
recognised afterwards by composing the candidate and comparing (``reading``).
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any

from .document import Cell, Document, Heading, Meta, Paragraph, Table, Title
from .editions import EDITIONS, FREEFORM, Edition, Section, edition_for_year, statutory_editions
from .errors import Problem
from .labels import BLANK, label_key, number, numbering_level
from .model import PLACEHOLDER, K
from .publication import ITEMS as PUBLICATION_ITEMS
from .script import identify, to_simplified as _simplified_text, to_simplified_all
from .tables.linear import table_from_lines
from .tables.match import label_keys, match_table
from .repair import checked as checked_by_rules  # a scanned table checked by its sum rules
from .tables.spec import YUAN

_NUMBERING = re.compile(r"^[一二三四五六七八九十]+\s*[、.．]")
_TITLE = re.compile(r"^(?P<agency>.*?)(?P<year>(?:19|20)\d{2})\s*年(?:度)?(?P<rest>.*)$")
_NUMERALS = "一二三四五六七八九十"
_LONE_NUMBER = re.compile(r"^(?:\d+|[-—/])$")
UNKNOWN_AGENCY = "【未识别】"
NOT_FOUND = "【未找到】"


@dataclass
class Extracted:
    """What reading found: the data file, and what it could not take as given."""

    data: dict
    edition: str
    script: str                                        # the script the report is written in
    warnings: list[Problem] = field(default_factory=list)
    blanks: list[str] = field(default_factory=list)    # table cells read from blank markers
    chrome: list[str] = field(default_factory=list)    # page text set apart, not report content
    originals: list[tuple[str, str]] = field(default_factory=list)  # (Simplified, as written) texts
    foreign_labels: list[str] = field(default_factory=list)  # table labels of another edition
    foreign_editions: list[str] = field(default_factory=list)  # the editions those labels belong to
    cells: dict[str, dict[str, str]] = field(default_factory=dict)  # table → cell → how it was found (tables.decode)

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
        return {K.script: self.script, **data} if self.script != "zh-Hans" else data


def extract(doc: Document, file: str | None = None, script: str | None = None) -> Extracted:
    text = "".join(_texts_in_order(doc))
    script = script or identify(text, doc.lang if doc.lang != "zh-Hans" else None)
    originals: list[tuple[str, str]] = []
    chrome = list(doc.chrome)
    notices = list(doc.notices)
    if script != "zh-Hans":
        original = doc
        doc = to_simplified(doc, script)
        originals = list(zip(_texts_in_order(doc), _texts_in_order(original)))
        chrome = to_simplified_all(chrome, script)
    out = Extracted({}, FREEFORM, script, chrome=chrome, originals=originals)
    out.warnings += [_warning(message, file, (), code) for code, message in notices]
    blocks = _joined_title(list(doc.blocks))
    title = next((b.text for b in blocks if isinstance(b, Title)), None)
    meta = next((b for b in blocks if isinstance(b, Meta)), None)
    agency, year = _agency_and_year(title, meta, blocks, doc.properties.get("author"))
    if agency and (not title or agency not in title) and not doc.properties.get("author") and \
            not (meta and any(agency == v for _, v in meta.items)):
        out.warnings.append(_warning(f"机关名称按正文推断为“{agency}”，请核对", file, (K.agency,), "agency"))
    tables = [b for b in blocks if isinstance(b, Table)]
    edition = identify_edition(tables, year)
    out.edition = edition.id
    if not edition.freeform:
        out.foreign_labels, out.foreign_editions = foreign_labels(tables, edition)
    data: dict[str, Any] = {}
    if edition.id != edition_for_year(year or 0):
        data[K.edition] = edition.names[-1] if edition.names else edition.id
        governing = EDITIONS[edition_for_year(year)] if year else None
        if governing is not None and not edition.freeform and not governing.freeform:
            out.warnings.append(_warning(f"统计表为 {edition.id} 年版式，但 {year} 年度的报告应使用 {governing.id} 年版式；"
                                         f"已按表格本身的版式读取", file, (K.edition,), "edition"))
    data[K.agency] = agency or UNKNOWN_AGENCY
    data[K.year] = year or 0
    if not agency:
        out.warnings.append(_warning(f"未能识别机关名称（标题和发布信息中都没有），已写为“{UNKNOWN_AGENCY}”，请填写", file,
                                     (K.agency,), "agency"))
    if not year:
        out.warnings.append(_warning("未能识别报告年度，已写为 0，请填写", file, (K.year,), "year"))
    if title and not (agency and year and title == edition.default_title(agency, year)):
        data[K.title] = title
    if meta is not None and meta.items:
        data[K.publication] = {label: value for label, value in meta.items}
    body = [b for b in blocks if not isinstance(b, (Title, Meta))]
    addressee = next((b.text for b in body[:2] if isinstance(b, Paragraph) and b.align == "left"), None)
    if addressee:
        data[K.addressee] = addressee
    closing = []
    while body and isinstance(body[-1], Paragraph) and body[-1].align == "right":
        closing.insert(0, body.pop().text)
    body = [b for b in body if not (isinstance(b, Paragraph) and b.align == "left")]
    if edition.freeform:
        _freeform(body, data, out, file)
    else:
        _statutory(body, data, edition, out, file)
    if closing:
        data[K.closing] = closing
    out.data = data
    return out


def _warning(message: str, file: str | None, path: tuple = (), code: str = "invalid") -> Problem:
    return Problem(message, file, path, None, "warning", code)


# --- script ------------------------------------------------------------------------------

def to_simplified(doc: Document, script: str) -> Document:
    """A new Document with every text converted from ``script`` to Simplified, in one OpenCC
    call (a call costs more than a short text does); the original is left as it was."""
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
            blocks.append(Table(b.n_rows, b.n_cols, b.header_rows, cells, b.name, breaks=b.breaks))
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

_HEADING_RUN_ON = re.compile(r"(.{4,80}?报告)\s*([一二三四五六七八九十]+、[^。；]{1,40})$")


def _joined_title(blocks: list) -> list:
    """The blocks with a title that runs over two lines made one Title (XX市XX局 / 2023年度…报告,
    …2023年政府信息公开 / 工作年度报告, …2023 / 年…): a title not ending in 报告 takes the short
    line after it (no sentence end, ending in 报告), so the year and agency are found in it."""
    at = next((i for i, b in enumerate(blocks) if isinstance(b, Title)), None)
    if at is None:
        return blocks
    run_on = _HEADING_RUN_ON.match(blocks[at].text.strip())
    if run_on:  # a PDF's title line and the first heading read as one line
        return blocks[:at] + [Title(run_on.group(1)), Heading(1, run_on.group(2))] + blocks[at + 1:]
    if at + 1 >= len(blocks):
        return blocks
    first, after = blocks[at], blocks[at + 1]
    line = after.text.strip() if isinstance(after, (Paragraph, Title, Heading)) else ""
    glued = re.match(r"(.{2,40}?报告)\s*((?:[一二三四五六七八九十]+、).*)$", line, re.S)
    if glued and not first.text.rstrip().endswith("报告"):  # a PDF line run into the first heading
        return blocks[:at] + [Title(first.text.rstrip() + glued.group(1)), Paragraph(glued.group(2))] + blocks[at + 2:]
    if first.text.rstrip().endswith("报告") or not line or len(line) > 40 or "。" in line \
            or not (first.text.rstrip() + line).endswith("报告"):
        return blocks
    return blocks[:at] + [Title(first.text.rstrip() + line)] + blocks[at + 2:]


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
        publishers = _publisher_labels()
        for label, value in meta.items:
            if label in publishers and value:
                agency = value
                break
    if agency is None:
        agency = _agency_in_text(blocks)
    if year is None:
        for b in blocks:
            if isinstance(b, Paragraph):
                m = re.search(r"统计期限[为是自从：:\s]*(\d{4})\s*年", b.text) or re.search(r"^(\d{4})年", b.text)
                if m:
                    year = int(m.group(1))
                    break
    return agency, year


@lru_cache(maxsize=1)
def _publisher_labels() -> frozenset[str]:
    """Metadata labels that name the agency (发布机构, 部门 … and 信息来源)."""
    return frozenset(label for item in PUBLICATION_ITEMS if item.attr in ("publisher", "source") for label in item.labels)


_ORG = re.compile(r"(?<![\u4e00-\u9fff])[\u4e00-\u9fff]{1,8}?(?:省|自治区|市|区|县|州|盟|旗)"
                  r"[\u4e00-\u9fff]{0,10}?(?:人民政府办公室|人民政府|委员会|办公室|管理局|局|厅)")


def _agency_in_text(blocks: list) -> str | None:
    """The agency named most often in the text (when the title does not say): a place-and-office
    name such as 乌兰察布市财政局, at least twice."""
    counts: Counter[str] = Counter()
    for b in blocks:
        if isinstance(b, Paragraph):
            counts.update(m.group() for m in _ORG.finditer(b.text))
    if not counts:
        return None
    name, n = counts.most_common(1)[0]
    return name if n >= 2 else None


@lru_cache(maxsize=None)
def edition_labels(edition: Edition) -> frozenset[str]:
    """The label keys of every printed label of an edition's tables."""
    return frozenset(label_keys(edition.tables))


def identify_edition(tables: list[Table], year: int | None) -> Edition:
    """The statutory edition whose tables' labels these tables carry: each edition scores the
    labels of its own that are found less those found that it lacks; a tie goes to the year's
    edition. Free-form when the tables carry too few statutory labels."""
    if not tables:
        return EDITIONS[FREEFORM]
    text = "".join(label_key(c.text) for t in tables for c in t.cells)
    candidates = statutory_editions()
    found = {ed.id: {k for k in edition_labels(ed) if len(k) >= 4 and k in text} for ed in candidates}
    everything = set().union(*found.values()) if found else set()
    if len(everything) < 3:
        return EDITIONS[FREEFORM]
    scores = {ed.id: len(found[ed.id]) - len(everything - edition_labels(ed)) for ed in candidates}
    best = max(scores.values())
    tied = [ed for ed in candidates if scores[ed.id] == best]
    if len(tied) > 1:
        by_year = edition_for_year(year or 0) if year else None
        for ed in tied:
            if ed.id == by_year:
                return ed
        return max(tied, key=lambda ed: ed.first_year)
    return tied[0]


def foreign_labels(tables: list[Table], edition: Edition) -> tuple[list[str], list[str]]:
    """(labels in the tables that only other editions have — a 2019 row in a 2021 table — as
    printed officially, the editions they belong to)."""
    own = edition_labels(edition)
    official: dict[str, tuple[str, str]] = {}
    for other in statutory_editions():
        if other is not edition:
            official.update({k: (v, other.id) for k, v in label_keys(other.tables).items()
                             if k not in own and len(k) >= 4})
    labels: list[str] = []
    editions: list[str] = []
    for t in tables:
        for c in t.cells:
            found = official.get(label_key(c.text))
            if found and found[0] not in labels:
                labels.append(found[0])
                if found[1] not in editions:
                    editions.append(found[1])
    return labels, editions


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
            node: dict[str, Any] = {K.title: b.text}
            while stack and stack[-1][0] >= level:
                stack.pop()
            (stack[-1][1].setdefault(K.sections, []) if stack else roots).append(node)
            stack.append((level, node))
        elif isinstance(b, Paragraph):
            if stack:
                stack[-1][1].setdefault(K.paragraphs, []).append(b.text)
            else:
                lead.append(b.text)
    return lead, roots


def _freeform(body: list, data: dict, out: Extracted, file: str | None) -> None:
    lead, sections = outline([b for b in body if not isinstance(b, Table)])
    if lead:
        data[K.preamble] = lead
    data[K.body] = sections or [{K.title: "正文", K.paragraphs: []}]
    if not sections:
        out.warnings.append(_warning("没有找到任何标题，全文作为一个部分", file, (K.body,), "missing-section"))


# --- editions with sections ---------------------------------------------------------------

@lru_cache(maxsize=None)
def _section_keys(edition: Edition) -> tuple[tuple[Section, frozenset[str]], ...]:
    return tuple((s, frozenset(label_key(w) for w in s.wordings)) for s in edition.sections)


def section_of(heading: Heading, edition: Edition) -> Section | None:
    """Which declared section a level-1 heading opens: by its wording (numbering aside), else by
    the section's marker word where the heading's number, if any, is the section's place."""
    key = label_key(_NUMBERING.sub("", heading.text))
    for section, keys in _section_keys(edition):
        if key in keys:
            return section
    m = re.match(rf"^([{_NUMERALS}])\s*[、.．]", heading.text)
    for i, section in enumerate(edition.sections):
        marker = label_key(section.marker) if section.marker else ""
        # unnumbered, the marker must open the heading: a table's header line (结果 其他 尚未审结)
        # that a converter printed on its own is no section
        if marker and (key.startswith(marker) if m is None else marker in key and _NUMERALS.index(m.group(1)) == i):
            return section
    return None


def _statutory(body: list, data: dict, edition: Edition, out: Extracted, file: str | None) -> None:
    parts: dict[str, list] = {}
    titles: dict[str, str] = {}
    current: str | None = None
    lead: list = []
    for b in body:
        section = section_of(b, edition) if isinstance(b, Heading) and \
            (b.level == 1 or numbering_level(b.text) == 1) else None
        if section is not None and section.attr not in parts:
            current = section.attr
            parts[current] = []
            titles[current] = b.text
            continue
        (parts[current] if current is not None else lead).append(b)
    lead_paras = [b.text for b in lead if isinstance(b, Paragraph)]
    if lead_paras:
        data[K.preamble] = lead_paras
    all_tables = [b for b in body if isinstance(b, Table)]
    readers = {"overview": _overview, "table": _table, "text": _text, "other": _other}
    # the blocks after the last section heading: a converter may print a table there, after the
    # closing and the page number (pdftotext -raw and pypdf put table 四 at the very end)
    tail = parts[current] if current is not None else []

    def heading(line: str) -> bool:  # a section heading repeated below the table (pdftohtml's outline)
        return numbering_level(line) == 1 and section_of(Heading(1, line), edition) is not None
    tail = [_as_lines(b, heading) if isinstance(b, Table) else b for b in tail]
    for section in edition.sections:
        found = section.attr in parts
        own = {K.title: titles[section.attr]} if found and titles[section.attr] != section.heading else {}
        blocks = parts.get(section.attr, [])
        if not found and not (section.optional and section.kind != "table"):
            out.warnings.append(_warning(f"没有找到“{section.heading}”部分", file, (section.key,), "missing-section"))
        if section.kind == "table":
            value = _table(section, blocks, found, own, all_tables, out, file,
                           tail=tail if section.attr != current else [])
        else:
            value = readers[section.kind](section, blocks, found, own, all_tables, out, file)
        data[section.key] = value
    if out.blanks:
        out.warnings.append(_warning(f"{len(out.blanks)} 个单元格为空白或“-”“/”“无”，按 0 读取："
                                     + "、".join(out.blanks[:6]) + ("等" if len(out.blanks) > 6 else ""), file, (),
                                     "blank"))


def _overview(section: Section, blocks: list, found: bool, own: dict, *_rest) -> dict:
    data: dict[str, Any] = dict(own)
    intro, sections = outline(blocks, 2)
    if intro:
        data[K.intro] = intro
    by_heading = {label_key(p.label): p.key for p in section.parts}
    custom = []
    for s in sections:
        key = by_heading.get(label_key(s[K.title]))
        if key and not s.get(K.sections) and key not in data:
            data[key] = s.get(K.paragraphs, [])
        else:
            custom.append(s)
    if custom:
        data[K.sections] = custom
    return data


def _table(section: Section, blocks: list, found: bool, own: dict, all_tables: list, out: Extracted,
           file: str | None, tail: list | None = None) -> dict:
    """A table section: its table blocks, else its plain lines read linearly; when neither holds
    the table, the plain lines after the last section (``tail``), where a converter may have
    printed it after the closing."""
    spec = section.table
    tables = [b for b in blocks if isinstance(b, Table)] or (all_tables if not found else [])
    if not tables and found:  # the section's text only (a converter's plain lines): read it linearly
        linear = table_from_lines(blocks)
        tables = [linear] if linear is not None else []
    m = match_table(spec, tables)
    if (m.missing or m.notes) and tables and all(t.name == "text" for t in tables):
        from .tables.placement import place_table  # only text that lost its grid comes here: not at start-up

        placed = place_table(spec, tables)  # text boxes printed out of order (pdfminer): placed by the sums
        if placed is not None and len(placed.missing) < len(m.missing) + bool(m.notes and not m.missing):
            m = placed
    if found and m.rows_found == 0 and tail and not any(isinstance(b, Table) for b in blocks):
        lines = [table_from_lines([b]) for b in tail if isinstance(b, Paragraph) and "\n" in b.text]
        for moved in [t for t in lines + [table_from_lines(tail)] if t is not None]:
            m_tail = match_table(spec, [moved])
            if m_tail.rows_found > 0:
                tables, m = [moved], m_tail
                break
    data: dict[str, Any] = dict(own)
    data[K.table_intro] = [b.text for b in blocks if isinstance(b, Paragraph)]
    if any(w.code == "ocr" for w in out.warnings):  # a scan: its figures checked by the sum rules
        m.cells, notes = checked_by_rules(spec, m.cells)  # (repair.py: one misread digit corrected, the rest flagged)
        out.warnings += [_warning(n, file, (spec.key,), "ocr-check") for n in notes]
    data.update(spec.data_from_cells(m.cells))
    for cid in m.blanks:
        out.blanks.append(f"{spec.title} {cell_name(spec, cid)}")
    out.cells[spec.key] = {cell_name(spec, cid): flag for cid, flag in m.flags.items()}
    for note in m.notes:
        out.warnings.append(_warning(f"表“{spec.title}”{note}", file, (spec.key,), "undecided"))
    if not tables or m.rows_found == 0:
        out.warnings.append(_warning(f"没有找到表“{spec.title}”，各项按 0 填写", file, (spec.key,), "missing-table"))
    elif m.missing:
        shown = "、".join(cell_name(spec, c) for c in m.missing[:5]) + ("等" if len(m.missing) > 5 else "")
        out.warnings.append(_warning(f"表“{spec.title}”有 {len(m.missing)} 个单元格未能读出（{shown}），按 0 填写",
                                     file, (spec.key,), "unread-cells"))
    return data


def _as_lines(block: Table, stop) -> Paragraph:
    """A table block as the lines of its rows (a converter's table made of one cell per line),
    to be read linearly with the text around it, up to the first line ``stop`` says ends it."""
    rows: dict[int, list[str]] = {}
    for c in sorted(block.cells, key=lambda c: (c.row, c.col)):
        rows.setdefault(c.row, []).append(c.text)
    lines: list[str] = []
    numbers = False  # a column of lone numbers (pdftohtml: one cell a line) is one row of the table
    for _, texts in sorted(rows.items()):
        line = " ".join(texts).strip()
        if stop(line):
            break
        lone = bool(_LONE_NUMBER.match(line))
        if lone and numbers:
            lines[-1] += " " + line
        else:
            lines.append(line)
        numbers = lone
    return Paragraph("\n".join(lines))


def _text(section: Section, blocks: list, found: bool, own: dict, _tables: list, out: Extracted,
          file: str | None) -> Any:
    lead, sections = outline([b for b in blocks if not isinstance(b, Table)], 2)
    data: dict[str, Any] = dict(own)
    if lead:
        data[K.paragraphs] = lead
    if sections:
        data[K.sections] = sections
    if not lead and not sections:
        data[K.paragraphs] = [NOT_FOUND]
        if found:
            out.warnings.append(_warning(f"没有找到“{section.heading}”的内容，已写为“{NOT_FOUND}”", file,
                                         (section.key,), "missing-section"))
    return data if set(data) != {K.paragraphs} else data[K.paragraphs]


def _other(section: Section, blocks: list, found: bool, own: dict, *_rest) -> dict | None:
    """六: the declared sentences give back the values they state (the 信息处理费 statement);
    the rest is the agency's own text."""
    if not found:
        return None
    data: dict[str, Any] = dict(own)
    values = section.values
    paras = []
    for b in blocks:
        if isinstance(b, Table) and values is not None and values.key not in data:
            stated = _fee_table(values, b)  # an extra 信息处理费 table some agencies add
            if stated is not None:
                data[values.key] = stated
            continue
        if not isinstance(b, Paragraph):
            continue
        if values is not None and values.key not in data:
            stated = _sentence_values(section, b.text)
            if stated is not None:
                data[values.key] = stated
                continue
            stated = _published_fees(values, b.text)
            if stated is not None:  # the agency's own wording of the statement
                data[values.key] = stated
                if len(_SENTENCES.findall(b.text)) <= 1:
                    continue  # the paragraph is only the statement: the values say it
        if _has(section, "nothing") and _matches(section.sentence("nothing").text, b.text):
            continue
        paras.append(b.text)
    lead, sections = outline([b for b in blocks if isinstance(b, Heading) or (isinstance(b, Paragraph) and b.text in paras)], 2)
    if lead:
        data[K.other_paragraphs] = lead
    if sections:
        data[K.sections] = sections
    return data


def _has(section: Section, name: str) -> bool:
    return any(s.name == name for s in section.sentences)


@lru_cache(maxsize=64)
def _pattern(text: str) -> re.Pattern:
    """A declared sentence as a pattern: the wording literally, each {slot} a number."""
    out, pos = [], 0
    for m in re.finditer(r"\{(\w+)\}", text):
        out.append(re.escape(text[pos:m.start()]) + rf"(?P<{m.group(1)}>\d+(?:\.\d+)?)")
        pos = m.end()
    out.append(re.escape(text[pos:].rstrip("。")) + "。?")
    return re.compile("".join(out) + "$")


def _matches(sentence: str, text: str) -> re.Match | None:
    return _pattern(sentence).search(text.strip())


def _sentence_values(section: Section, text: str) -> dict | None:
    """The values a paragraph states when it is one of the section's declared sentences that
    state them (``fees``: the numbers in its slots; ``no_fees``: all zero)."""
    values = section.values
    if _has(section, "fees"):
        m = _matches(section.sentence("fees").text, text)
        if m:
            return {c.key: _value(m.group(c.en), c.kind) for c in values.children}
    if _has(section, "no_fees") and _matches(section.sentence("no_fees").text, text):
        return {c.key: 0 for c in values.children}
    return None


# How agencies word the 信息处理费 statement in their own reports (本年度没有产生信息公开处理费；
# 2023年，无收取信息处理费情况；未发生收费情况；全年收取政府信息公开信息处理费 3940 元；
# 发出收费通知书 2 件，收费 120 元). Matched on the paragraph as _fee_text normalises it.
_NO_FEES = re.compile(r"(?:未|没有|无)(?:产生|收取|发生|涉及)?(?:任何)?[^。；，]{0,8}?(?:处理费|收费(?:情况|行为|事项)?)")
_FEE_AMOUNT = re.compile(r"收(?:取|费)[^。；，0-9]{0,16}?(?:处理费)?[^0-9。；，]{0,6}?(\d[\d,]*(?:\.\d+)?)(万)?元")
_FEE_NOTICES = re.compile(r"(?:发出|送达|出具|开具)[^。；]{0,8}?收费通知(?:书)?(\d+)(?:件|份|次)")
_SENTENCES = re.compile(r"[^。！？]+[。！？]?")


def _fee_text(text: str) -> str:
    """A paragraph as the fee patterns read it: full-width digits and signs made ASCII (NFKC),
    the line breaks and spaces of a sentence split over lines removed, Traditional script made
    Simplified."""
    flat = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    return _simplified_text(flat) if identify(flat) != "zh-Hans" else flat


def _published_fees(values, text: str) -> dict | None:
    """The 信息处理费 values a paragraph states in an agency's own words, or None. A stated
    amount without the number of notices gives 0 notices only when no fee was charged."""
    text = _fee_text(text)
    if "处理费" not in text and "收费" not in text:
        return None
    amount = _FEE_AMOUNT.search(text)
    notices = _FEE_NOTICES.search(text)
    if amount is None:
        if _NO_FEES.search(text):
            return {c.key: 0 for c in values.children}
        return None
    yuan = _yuan(amount)
    if yuan and notices is None:
        return None  # charged, but how many notices is not said: leave it to the reader of the text
    found = {"notices": int(notices.group(1)) if notices else 0, "amount": _value(str(yuan), YUAN)}
    return {c.key: found[c.en] for c in values.children}


def stated_fee_amount(text: str) -> Decimal | None:
    """The 信息处理费 amount (元) a text states when it does not also state the number of
    notices (what ``check`` reports as a reading note instead of a missing statement)."""
    text = _fee_text(text)
    amount = _FEE_AMOUNT.search(text)
    return None if amount is None or _FEE_NOTICES.search(text) else _yuan(amount)


def _yuan(amount: re.Match) -> Decimal:
    """The 元 an ``_FEE_AMOUNT`` match states (万元 scaled)."""
    return Decimal(amount.group(1).replace(",", "")) * (10000 if amount.group(2) else 1)


def _fee_table(values, table: Table) -> dict | None:
    """The 信息处理费 values of a small table (收费通知件数 | 收费金额（元）, labels beside or above
    their numbers), or None when it does not state both."""
    grid = table.owner_grid()
    found: dict[str, Any] = {}
    for r, row in enumerate(grid):
        for c, cell in enumerate(row):
            if cell is None or cell.row != r or cell.col != c or number(cell.text) is not None:
                continue
            name = "notices" if "通知" in cell.text else "amount" if re.search(r"金额|处理费|收取", cell.text) else None
            if name is None or name in found:
                continue
            beside = [grid[r][k] for k in range(c + cell.colspan, len(row))]
            below = [grid[k][c] for k in range(r + cell.rowspan, len(grid))]
            value = next((x for x in beside + below if x is not None and number(x.text) is not None), None)
            if value is not None:
                n = number(value.text)
                n = 0 if n is BLANK else n
                found[name] = n * 10000 if name == "amount" and "万元" in cell.text else n
    if set(found) != {"notices", "amount"}:
        return None
    found["amount"] = _value(str(found["amount"]), YUAN)
    return {c.key: found[c.en] for c in values.children}


def _value(text: str, kind: str) -> Any:
    if kind == YUAN and "." in text:
        return Decimal(text)
    return int(Decimal(text))


def cell_name(spec, cid) -> str:
    row, col = cid
    return "「" + (spec.row_label(row) if row else "") + ("／" if row else "") + spec.column_label(col) + "」"


__all__ = ["Extracted", "NOT_FOUND", "PLACEHOLDER", "extract", "identify_edition", "outline", "section_of",
           "to_simplified"]

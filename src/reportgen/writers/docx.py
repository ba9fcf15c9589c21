"""Document → .docx in the house style of the reference docx.

The reference docx (default: ``templates/reference.docx``) supplies styles, page setup and
the page-number footers. It is made ready once per script (a ``_House``: style ids, the type
area with what its section leaves out taken from GB/T 9704, document.xml's root with an empty
body, the other zip entries compressed and checked well-formed). A report's blocks are lxml
elements — every text and attribute value escaped by construction, whatever the data or the
reference's style ids hold — put into a House frame that keeps its tables from report to
report (built once per sequence of table shapes, each report putting its texts in their
``w:t``), so no table is copied or rebuilt, and nothing goes through python-docx's
per-paragraph proxies or ``table.cell()``, which are slow or quadratic. document.xml and
core.xml are checked well-formed before the zip is made: a fault is an OutputError, and
nothing is written. Blocks map to paragraph styles through ``formats.docx``'s style map (the
docx reader uses the same map backwards). Tables get ``gridSpan``/``vMerge`` merges, fixed
column widths across the type area, and header rows marked to repeat on every page. Page flow
(issue 20): rows never split, a table's first row and last three rows stay together, a lead-in
paragraph stays with its table and the last paragraph with the 落款; widow control and line-end
punctuation kept in the line are set on the reference's styles (``ooxml``). Bytes are
deterministic when ``SOURCE_DATE_EPOCH`` is set.
"""
from __future__ import annotations

import copy
import datetime as _dt
import io
import os
import threading
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import docx
from docx.opc.constants import CONTENT_TYPE as CT
from docx.styles.style import StyleFactory
from lxml import etree

from ..document import Cell, Document, Heading, Meta, Paragraph, Table, Title, one_line, xml_safe
from ..errors import OutputError
from ..errors import InputError
from ..inputs import read_bounded
from ..package import sanitized_package
from ..resources import reference_docx
from ..formats.docx import (W, W_NS, STYLE_ADDRESSEE, STYLE_CELL, STYLE_CLOSING, STYLE_HEADINGS, STYLE_META,
                            STYLE_TABLE, STYLE_TITLE, language_tag, mm)
from .docx_reference import PAGE
from .ooxml import (Member, adapt_to_script, complete_page_setup, control_widows, document_frame, ill_formed,
                    keep_punctuation_in_line, member, resolve_styles, set_ppr, use_font_set, xml_part_names, zip_members)


MAX_REFERENCE_BYTES = 32 * 1024 * 1024


def _reference(path: str) -> tuple[bytes, list[str]]:
    """The reference docx as it is safe to use: read within a budget, external relationships
    and fetching fields removed (with notices). Cached while the file is unchanged."""
    try:
        st = os.stat(path)
    except OSError as e:
        raise OutputError(f"无法读取参考样式文件：{e.strerror}", path) from None
    return _sanitized_reference(path, st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=8)
def _sanitized_reference(path: str, _mtime: int, _size: int) -> tuple[bytes, list[str]]:
    try:
        raw = read_bounded(path, MAX_REFERENCE_BYTES, "参考样式文件")
        data, notices = sanitized_package(raw, path)
    except InputError as e:
        raise OutputError(f"参考样式文件无法使用：{e.message}", path) from None
    return data, [f"参考样式文件 {Path(path).name}：{n}" for n in notices]


def build_time() -> _dt.datetime:
    """SOURCE_DATE_EPOCH when set (reproducible builds), else now — in UTC, whole seconds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return _dt.datetime.fromtimestamp(max(int(epoch), 315532800), _dt.timezone.utc)
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0)


XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_NSMAP = {"w": W_NS}
_P, _PPR, _PSTYLE, _KEEP_NEXT, _R, _T, _BR = (W + t for t in ("p", "pPr", "pStyle", "keepNext", "r", "t", "br"))
_VAL = W + "val"
_SE = etree.SubElement


def _text(text: str) -> str:
    """Text as a ``w:t`` holds it: one line, without the characters XML cannot hold. (Every
    line break and every such character is unprintable, so printable text is as it is.)"""
    return text if text.isprintable() else xml_safe(one_line(text))


def _put_text(t: etree._Element, text: str) -> None:
    """``text`` into the ``w:t`` ``t`` (a table's, reused report after report, or a new one)."""
    t.text = text or None
    if text != text.strip():
        t.set(XML_SPACE, "preserve")
    elif t.get(XML_SPACE) is not None:
        del t.attrib[XML_SPACE]


_PARAGRAPH_STYLES = {"justify": None, "right": STYLE_CLOSING, "left": STYLE_ADDRESSEE}


def _new_paragraph(parent: etree._Element | None, style: str | None, keep_next: bool, run: bool) -> etree._Element:
    """A ``w:p`` (in ``parent``, else on its own): its style and keep-with-next when it has a
    style, and an empty run when ``run``."""
    p = etree.Element(_P, nsmap=_NSMAP) if parent is None else _SE(parent, _P)
    if style:
        ppr = _SE(p, _PPR)
        _SE(ppr, _PSTYLE, {_VAL: style})
        if keep_next:
            _SE(ppr, _KEEP_NEXT)
    if run:
        _SE(_SE(p, _R), _T)
    return p


def _keep_with_next(p: etree._Element) -> None:
    """``w:keepNext`` on the paragraph ``p`` (its properties made when it has none)."""
    ppr = p.find(_PPR)
    if ppr is None:
        ppr = etree.Element(_PPR)
        p.insert(0, ppr)
    set_ppr(ppr, "keepNext")


def _keeps_with_next(block, after) -> bool:
    """Whether ``block`` stays on the page of the block ``after`` it: a lead-in paragraph
    (“……具体情况如下：”) with its table, the last paragraph with the 落款 and each 落款 line with
    the next (headings keep with what follows by their style)."""
    if not isinstance(block, Paragraph):
        return False
    if isinstance(after, Table):
        return True
    return isinstance(after, Paragraph) and after.align == "right"


def _paragraph(models: dict, text: str, style: str | None) -> etree._Element:
    """A paragraph of ``text`` in ``style``: a copy of the style's model in ``models`` (a
    House's, made on first use; one C call) with its text set — escaped by lxml, never
    spliced into markup."""
    model = models.get(style)
    if model is None:
        model = models[style] = _new_paragraph(None, style, False, True)
    p = copy.deepcopy(model)
    text = _text(text)
    if text:
        _put_text(p[-1][0], text)
    else:
        p.remove(p[-1])
    return p


def title_lines(block: Title, type_width: int, size_pt: float) -> tuple[str, ...]:
    """Where the printed title breaks: the data file's lines, else at the first of the title's
    break points (``Title.breaks``: before the year, before the report's name) that fits when
    the title is wider than the type area (a Latin letter or digit half a character), else
    nowhere — never inside a word."""
    if block.lines:
        return block.lines
    per_line = type_width / (size_pt * 20)
    if _width(block.text) <= per_line:
        return (block.text,)
    for at in block.breaks:
        head, tail = block.text[:at], block.text[at:]
        if _width(head) <= per_line and _width(tail) <= per_line:
            return (head, tail)
    return (block.text,)


def _width(text: str) -> float:
    return sum(0.5 if ch.isascii() else 1.0 for ch in text)


def _title(models: dict, block: Title, style: str, type_width: int, size_pt: float) -> etree._Element:
    lines = title_lines(block, type_width, size_pt)
    if len(lines) == 1:
        return _paragraph(models, lines[0], style)
    p = _new_paragraph(None, style, False, False)
    for k, line in enumerate(lines):
        if k:
            _SE(_SE(p, _R), _BR)
        _put_text(_SE(_SE(p, _R), _T), _text(line))
    return p


def column_widths(table: Table, total: int) -> list[int]:
    """Widths (twips) across ``total``: a label column by its longest one-column label (a tall
    merged label wraps, so counts little), value columns equal."""
    label_cols = table.label_columns()
    n_values = table.n_cols - len(label_cols)
    value_weight = 3.2 if n_values > 4 else 6.0
    weights = [0.0 if k in label_cols else value_weight for k in range(table.n_cols)]
    for c in table.cells:
        if c.role == "label" and c.colspan == 1:
            weights[c.col] = max(weights[c.col], 3.0 if c.rowspan >= 4 else min(len(c.text), 16))
    weights = [max(w, 2.5) for w in weights]
    scale = total / sum(weights)
    widths = [int(w * scale) for w in weights]
    widths[-1] += total - sum(widths)
    return widths


def _table_key(table: Table, type_width: int) -> tuple:
    """What a table's ``w:tbl`` is made of, its texts aside: its shape (rows, columns, header
    rows, each cell's place, spans and role) and its column widths."""
    return ((table.n_rows, table.n_cols, table.header_rows,
             tuple((c.row, c.col, c.rowspan, c.colspan, c.role) for c in table.cells)),
            tuple(column_widths(table, type_width)))


TAIL_ROWS = 3  # a table's last rows kept on one page


def _table_skeleton(shape: tuple, widths: tuple[int, ...], styles: tuple) -> tuple[etree._Element, tuple[int, ...]]:
    """The ``w:tbl`` of a table's shape (rows, columns, header rows, each cell's place, spans
    and role), built row by row from its owner grid, every text empty; and for each ``w:t``
    in document order, the index of the cell whose text it holds (an empty text leaves its
    run empty)."""
    n_rows, n_cols, header_rows, places = shape
    table_style, cell_styles, text_style = styles
    cell_styles = dict(cell_styles)
    table = Table(n_rows, n_cols, header_rows, [Cell("", r, c, rs, cs, role) for r, c, rs, cs, role in places])
    index = {id(c): i for i, c in enumerate(table.cells)}
    tbl = etree.Element(W + "tbl", nsmap=_NSMAP)
    tbl_pr = _SE(tbl, W + "tblPr")
    _SE(tbl_pr, W + "tblStyle", {_VAL: table_style})
    _SE(tbl_pr, W + "tblW", {W + "w": str(sum(widths)), W + "type": "dxa"})
    _SE(tbl_pr, W + "jc", {_VAL: "center"})
    _SE(tbl_pr, W + "tblLayout", {W + "type": "fixed"})
    grid = _SE(tbl, W + "tblGrid")
    for w in widths:
        _SE(grid, W + "gridCol", {W + "w": str(w)})
    owner = table.owner_grid()
    # a row of labels only (the header, 第二十条第（八）项) stays on the page of the row after it; so
    # does the first row under the header, and the rows before the last TAIL_ROWS − 1: a page break
    # never leaves one row alone under the header, or one or two alone under the repeated header
    keep_rows = {r for r in range(n_rows)
                 if all(cell is None or cell.role != "value" for cell in owner[r]) and r + 1 < n_rows}
    keep_rows |= {r for r in (header_rows, *range(n_rows - TAIL_ROWS, n_rows - 1)) if header_rows <= r < n_rows - 1}
    slots: list[int] = []
    for r in range(n_rows):
        tr = _SE(tbl, W + "tr")
        tr_pr = _SE(tr, W + "trPr")
        _SE(tr_pr, W + "cantSplit")
        if r < header_rows:
            _SE(tr_pr, W + "tblHeader")
        c = 0
        while c < n_cols:
            cell: Cell | None = owner[r][c]
            hole = cell is None
            if cell is None:
                cell = Cell("", r, c)  # a hole in a hand-made table is filled
            first = cell.row == r
            tc = _SE(tr, W + "tc")
            tc_pr = _SE(tc, W + "tcPr")
            _SE(tc_pr, W + "tcW", {W + "w": str(sum(widths[cell.col:cell.col + cell.colspan])), W + "type": "dxa"})
            if cell.colspan > 1:
                _SE(tc_pr, W + "gridSpan", {_VAL: str(cell.colspan)})
            if cell.rowspan > 1:
                _SE(tc_pr, W + "vMerge", {_VAL: "restart"} if first else {})
            _SE(tc_pr, W + "vAlign", {_VAL: "center"})
            _new_paragraph(tc, cell_styles.get(cell.role, text_style), r in keep_rows, first and not hole)
            if first and not hole:
                slots.append(index[id(cell)])
            c = cell.col + cell.colspan
    return tbl, tuple(slots)


def _core_text(text: str) -> str:
    """A core property (Word allows 255 characters in each): one line, cut to fit."""
    return xml_safe(one_line(text))[:255]


def write_docx(doc: Document, reference: str | os.PathLike | None = None, notices: list[str] | None = None,
               fonts: str = "gb2312", when: _dt.datetime | None = None) -> bytes:
    """Render ``doc`` as .docx bytes in the style of ``reference`` (default: the packaged one)
    with the font set ``fonts``, dated ``when`` (default ``build_time()``); what had to be
    removed from the reference is added to ``notices``. Every XML part is checked well-formed
    before the bytes are returned: a fault raises OutputError, and nothing is written."""
    ref_path = str(reference or reference_docx())
    ref_bytes, ref_notices = _reference(ref_path)
    if notices is not None:
        notices.extend(ref_notices)
    house = _house(ref_bytes, ref_path, language_tag(doc.lang), fonts)
    if notices is not None:
        notices.extend(house.notices)
    ids = house.ids
    when = when or build_time()
    if when.tzinfo is None:  # a naive time is taken as UTC
        when = when.replace(tzinfo=_dt.timezone.utc)
    when = when.astimezone(_dt.timezone.utc).replace(microsecond=0)
    naive = when.replace(tzinfo=None)
    tables = [block for block in doc.blocks if isinstance(block, Table)]
    keys = tuple(_table_key(table, house.type_width) for table in tables)
    with house.lock:  # the House is shared: its trees and core properties serve one report at a time
        frame = _frame(house, keys)
        for (texts, slots), table in zip(frame.tables, tables):
            cells = table.cells
            for t, i in zip(texts, slots):
                _put_text(t, _text(cells[i].text))
        body, models, at, added = frame.body, house.paragraphs, 0, []
        try:
            blocks = doc.blocks
            for k, block in enumerate(blocks):
                if isinstance(block, Title):
                    new = [_title(models, block, ids[STYLE_TITLE], house.type_width, house.title_pt)]
                elif isinstance(block, Heading):
                    new = [_paragraph(models, block.text, ids[STYLE_HEADINGS.get(block.level, STYLE_HEADINGS[4])])]
                elif isinstance(block, Paragraph):
                    new = [_paragraph(models, block.text, ids[_PARAGRAPH_STYLES[block.align]])]
                elif isinstance(block, Meta):
                    new = [_paragraph(models, f"{label}：{value}", ids[STYLE_META]) for label, value in block.items]
                elif isinstance(block, Table):
                    at += 1  # the frame's table, in place
                    new = [_paragraph(models, "", None)]  # Word needs a paragraph between adjacent tables
                else:
                    new = []
                if new and k + 1 < len(blocks) and _keeps_with_next(block, blocks[k + 1]):
                    _keep_with_next(new[-1])
                for p in new:
                    body.insert(at, p)
                    added.append(p)
                    at += 1
            xml = _document_part(frame.root)
        finally:  # the frame keeps its tables only: the next report puts its own texts in them
            for p in added:
                body.remove(p)
        props = house.document.core_properties
        props.title = _core_text(doc.properties.get("title", doc.title))
        props.author = _core_text(doc.properties.get("author", ""))
        props.subject = _core_text(doc.properties.get("subject", ""))
        props.language = language_tag(doc.lang)
        props.last_modified_by = "reportgen"
        props.revision = 1
        props.created = naive
        props.modified = naive
        own = {house.body_name: xml, house.core_name: house.core_part.blob}
    fault = ill_formed(list(own.items()), set(own))  # the house's other parts were checked once
    if fault:
        raise OutputError(f"生成的 Word 文件有误：{fault[0]} 不是格式正确的 XML（{fault[1]}），Word 无法打开，"
                          "因此没有写出任何文件。这是 reportgen 的错误，请把数据文件和参考样式文件发给维护者")
    return zip_members([member(name, own[name]) if m is None else m for name, m in house.members],
                       when.timetuple()[:6])


def _document_part(root: etree._Element) -> bytes:
    """document.xml's bytes: the frame serialised by lxml — so every text and attribute is
    escaped, whatever the data or the reference hold."""
    return etree.tostring(root, encoding="UTF-8", standalone=True)


MAX_FRAMES = 4  # per House (~0.85 MB each with the 2021 edition's tables): the editions' shapes and the odd one


@dataclass
class _Frame:
    """document.xml's root for reports whose tables have the same shapes in the same order:
    the tables stay in its body from report to report (each report puts its texts in their
    ``w:t`` and its paragraphs around them), so a report copies and builds no table."""

    root: etree._Element
    body: etree._Element
    tables: list[tuple[list, tuple]]  # per table: its w:t elements in order, the cell index of each


def _frame(house: "_House", keys: tuple) -> _Frame:
    """The House's frame for tables of ``keys`` (``_table_key``), built on first use (called
    under ``house.lock``)."""
    frame = house.frames.get(keys)
    if frame is None:
        if len(house.frames) >= MAX_FRAMES:  # the oldest goes
            del house.frames[next(iter(house.frames))]
        root = copy.deepcopy(house.frame)
        body = root.find(W + "body")
        tables = []
        for k, (shape, widths) in enumerate(keys):
            tbl, slots = _table_skeleton(shape, widths, house.table_styles)
            body.insert(k, tbl)  # before the section properties
            tables.append((list(tbl.iter(_T)), slots))
        frame = house.frames[keys] = _Frame(root, body, tables)
    return frame


@dataclass
class _House:
    """A reference docx made ready once for one script: the style ids, the type area, the
    document part's root with an empty body, and every other zip entry as python-docx saves
    it, each checked well-formed (the Document is kept for the core properties, set per
    report)."""

    ids: dict
    table_styles: tuple         # (table style id, ((cell role, style id), …), value style id)
    type_width: int
    title_pt: float
    notices: list[str]          # what the reference lacked and was given from the built-in one
    frame: etree._Element       # document.xml's root, its body holding only the section properties
    members: list[tuple[str, Member | None]]  # the zip's entries in order, compressed; None: made per report
    body_name: str
    core_name: str
    core_part: Any
    document: Any
    frames: dict = field(default_factory=dict)  # table keys → _Frame
    paragraphs: dict = field(default_factory=dict)  # style id → a paragraph of that style, to copy
    lock: threading.Lock = field(default_factory=threading.Lock)


def _borrow_styles(document, names: list[str]) -> None:
    """Copy the named styles (and the styles they are based on, when missing too) from the
    built-in reference into ``document``'s styles part."""
    default = docx.Document(str(reference_docx()))
    wanted = {name.lower() for name in names}
    have = {st.get(W + "styleId") for st in document.styles.element.iter(W + "style")}
    for st in default.styles.element.iter(W + "style"):
        name = st.find(W + "name")
        if name is not None and (name.get(W + "val") or "").lower() in wanted and st.get(W + "styleId") not in have:
            document.styles.element.append(copy.deepcopy(st))


def _style_font_size(document, style_id: str):
    """The font size a style sets itself (None when it does not), found by id."""
    for st in document.styles.element.iter(W + "style"):
        if st.get(W + "styleId") == style_id:
            return StyleFactory(st).font.size
    return None


# what a section's page setup may leave out, as the clerk calls it (keys of docx_reference.PAGE)
_PAGE_SETUP_NAMES = {"width": "纸张宽度", "height": "纸张高度", "top": "上边距", "bottom": "下边距", "left": "左边距",
                     "right": "右边距", "header": "页眉距边界", "footer": "页脚距边界", "gutter": "装订线"}
MIN_TYPE_WIDTH = mm(50)  # narrower than this, not a type area any table or line fits in


def _page_setup(document, ref_path: str) -> tuple[int, list[str]]:
    """(the type area's width in twips, notices): the page setup of the reference's section
    (the body's ``w:sectPr``, the one the report is written in), what it leaves out taken from
    GB/T 9704 (A4, margins 37/35/28/26 mm) and said in a notice."""
    sect_pr = document.element.get_or_add_body().get_or_add_sectPr()
    try:
        missing = complete_page_setup(sect_pr, PAGE)
    except ValueError as e:
        key, value = e.args
        raise OutputError(f"参考样式文件的页面设置中，{_PAGE_SETUP_NAMES[key]}的值“{one_line(value or '')[:40]}”无法识别；"
                          "请在 Word 中重新设置页面后保存", ref_path) from None
    notices = []
    if missing:
        given = "、".join(f"{_PAGE_SETUP_NAMES[k]} {_mm(PAGE.get(k, 0))} 毫米" for k in missing)
        notices.append(f"参考样式文件 {Path(ref_path).name} 的页面设置缺少以下各项，已按 GB/T 9704 取默认值：{given}")
    width, left, right = (int(v) // 635 for v in (sect_pr.page_width, sect_pr.left_margin, sect_pr.right_margin))  # EMU → twips
    type_width = width - left - right
    if type_width < MIN_TYPE_WIDTH:
        raise OutputError(f"参考样式文件的页面设置无法使用：纸张宽度 {_mm(width)} 毫米，左边距 {_mm(left)} 毫米、右边距 "
                          f"{_mm(right)} 毫米，版心只剩 {_mm(max(type_width, 0))} 毫米，放不下正文和表格；"
                          "请在 Word 中调整页边距后保存", ref_path)
    return type_width, notices


def _mm(twips: int) -> str:
    return f"{twips / 1440 * 25.4:.0f}"


@lru_cache(maxsize=16)
def _house(ref_bytes: bytes, ref_path: str, lang: str, fonts: str = "gb2312") -> _House:
    try:
        document = docx.Document(io.BytesIO(ref_bytes))
    except OutputError:
        raise
    except Exception as e:  # noqa: BLE001 - python-docx raises many kinds for a bad package
        raise OutputError("参考样式文件不是有效的 Word（.docx）文件（缺少部件或内容已损坏）；请在 Word 中另存为 .docx，"
                          "或不用 --reference-doc", ref_path) from None
    ids, missing = resolve_styles(document)
    notices: list[str] = []
    if missing:  # as pandoc does: the styles it lacks come from the built-in reference
        _borrow_styles(document, missing)
        ids, still = resolve_styles(document)
        if still:
            raise OutputError(f"参考样式文件缺少 reportgen 需要的样式：{'、'.join(still)}", ref_path)
        notices.append(f"参考样式文件 {Path(ref_path).name} 缺少样式：{'、'.join(missing)}，已使用 reportgen 默认样式"
                       "（可运行 reportgen templates export 目录 导出默认的 reference.docx，在其基础上修改）")
    ids[None] = None  # type: ignore[index]
    type_width, page_notices = _page_setup(document, ref_path)
    notices += page_notices
    title_font = _style_font_size(document, ids[STYLE_TITLE])
    title_pt = title_font.pt if title_font is not None else 22.0  # 2号 when the style does not say
    use_font_set(document, fonts)
    adapt_to_script(document, lang)
    keep_punctuation_in_line(document.styles.element)
    control_widows(document.styles.element)
    frame = document_frame(document)
    document.core_properties  # noqa: B018 - made now when the reference has none, so it is saved below
    core_part = next(p for p in document.part.package.iter_parts() if p.content_type == CT.OPC_CORE_PROPERTIES)
    saved = io.BytesIO()
    document.save(saved)
    with zipfile.ZipFile(saved) as z:
        entries = [(info.filename, z.read(info)) for info in z.infolist()]
    body_name, core_name = str(document.part.partname).lstrip("/"), str(core_part.partname).lstrip("/")
    # the parts copied into every report are checked once here; a reference's part python-docx
    # passes through as it is (custom XML, a drawing) may be ill-formed, and Word would refuse the file
    fault = ill_formed(entries, xml_part_names(entries) - {body_name, core_name})
    if fault:
        raise OutputError(f"参考样式文件中的“{fault[0]}”不是格式正确的 XML（{fault[1]}），用它生成的 Word 文件将无法打开；"
                          "请在 Word 中打开参考样式文件并另存为后再用", ref_path)
    table_styles = (ids[STYLE_TABLE], tuple((role, ids[sid]) for role, sid in STYLE_CELL.items()), ids["TableText"])
    members = [(name, None if name in (body_name, core_name) else member(name, blob)) for name, blob in entries]
    return _House(ids, table_styles, type_width, title_pt, notices, frame, members, body_name,
                  core_name, core_part, document)

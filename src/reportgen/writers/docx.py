"""Document → .docx in the house style of the reference docx.

The reference docx (default: ``templates/reference.docx``) supplies styles, page setup and
the page-number footers. It is made ready once per script (a ``_House``: style ids, the type
area, document.xml around its body, the other zip entries) and each report's blocks, written
as ``w:`` XML text in one pass, are spliced in where its body was (its section properties
kept) — never built through python-docx's per-paragraph proxies or ``table.cell()``, which are
slow or quadratic. Blocks map to paragraph styles through ``formats.docx``'s style map (the
docx reader uses the same map backwards). Tables get ``gridSpan``/``vMerge`` merges, fixed
column widths across the type area, and header rows marked to repeat on every page. Bytes are
deterministic when ``SOURCE_DATE_EPOCH`` is set.
"""
from __future__ import annotations

import datetime as _dt
import io
import os
import re
import threading
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import docx
from docx.opc.constants import CONTENT_TYPE as CT

from ..document import Cell, Document, Heading, Meta, Paragraph, Table, Title, one_line, xml_safe
from ..errors import OutputError
from ..errors import InputError
from ..inputs import read_bounded
from ..package import sanitized_package
from ..resources import reference_docx
from ..formats.docx import (W, STYLE_ADDRESSEE, STYLE_CELL, STYLE_CLOSING, STYLE_HEADINGS, STYLE_META, STYLE_TABLE,
                            STYLE_TITLE, language_tag)
from .ooxml import adapt_to_script, body_frame, resolve_styles, use_font_set, write_package


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


def _escape(text: str) -> str:
    text = xml_safe(one_line(text))
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") if _MARKUP.search(text) else text


_MARKUP = re.compile("[&<>]")


_PARAGRAPH_STYLES = {"justify": None, "right": STYLE_CLOSING, "left": STYLE_ADDRESSEE}


def _paragraph(text: str, style: str | None, keep_next: bool = False) -> str:
    keep = "<w:keepNext/>" if keep_next else ""
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/>{keep}</w:pPr>' if style else ""
    if not text:
        return f"<w:p>{ppr}</w:p>" if ppr else "<w:p/>"
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f"<w:p>{ppr}<w:r><w:t{space}>{_escape(text)}</w:t></w:r></w:p>"


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


def _title(block: Title, style: str, type_width: int, size_pt: float) -> str:
    lines = title_lines(block, type_width, size_pt)
    if len(lines) == 1:
        return _paragraph(lines[0], style)
    runs = "<w:r><w:br/></w:r>".join(f"<w:r><w:t>{_escape(line)}</w:t></w:r>" for line in lines)
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{runs}</w:p>'


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


def _table(table: Table, total_width: int, ids: dict[str, str]) -> str:
    """One ``w:tbl`` as XML text, built row by row from the table's owner grid."""
    widths = column_widths(table, total_width)
    out = [f'<w:tbl><w:tblPr><w:tblStyle w:val="{ids[STYLE_TABLE]}"/><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
           '<w:jc w:val="center"/><w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>']
    out += [f'<w:gridCol w:w="{w}"/>' for w in widths]
    out.append("</w:tblGrid>")
    owner = table.owner_grid()
    # a row of labels only (the header, 第二十条第（八）项) stays on the page of the row after it
    label_rows = {r for r in range(table.n_rows)
                  if all(cell is None or cell.role != "value" for cell in owner[r]) and r + 1 < table.n_rows}
    for r in range(table.n_rows):
        out.append("<w:tr><w:trPr><w:cantSplit/>" + ("<w:tblHeader/>" if r < table.header_rows else "") + "</w:trPr>")
        c = 0
        while c < table.n_cols:
            cell: Cell = owner[r][c] or Cell("", r, c)  # a hole in a hand-made table is filled
            first = cell.row == r
            span = f'<w:gridSpan w:val="{cell.colspan}"/>' if cell.colspan > 1 else ""
            merge = ("" if cell.rowspan == 1 else '<w:vMerge w:val="restart"/>' if first else "<w:vMerge/>")
            width = sum(widths[cell.col:cell.col + cell.colspan])
            out.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{span}{merge}<w:vAlign w:val="center"/>'
                       f'</w:tcPr>{_paragraph(cell.text if first else "", ids[STYLE_CELL.get(cell.role, "TableText")], r in label_rows)}</w:tc>')
            c = cell.col + cell.colspan
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def _core_text(text: str) -> str:
    """A core property (Word allows 255 characters in each): one line, cut to fit."""
    return xml_safe(one_line(text))[:255]


def write_docx(doc: Document, reference: str | os.PathLike | None = None, notices: list[str] | None = None,
               fonts: str = "gb2312", when: _dt.datetime | None = None) -> bytes:
    """Render ``doc`` as .docx bytes in the style of ``reference`` (default: the packaged one)
    with the font set ``fonts``, dated ``when`` (default ``build_time()``); what had to be
    removed from the reference is added to ``notices``."""
    ref_path = str(reference or reference_docx())
    ref_bytes, ref_notices = _reference(ref_path)
    if notices is not None:
        notices.extend(ref_notices)
    house = _house(ref_bytes, ref_path, language_tag(doc.lang), fonts)
    if notices is not None:
        notices.extend(house.notices)
    ids = house.ids
    parts: list[str] = []
    for block in doc.blocks:
        if isinstance(block, Title):
            parts.append(_title(block, ids[STYLE_TITLE], house.type_width, house.title_pt))
        elif isinstance(block, Heading):
            parts.append(_paragraph(block.text, ids[STYLE_HEADINGS.get(block.level, STYLE_HEADINGS[4])]))
        elif isinstance(block, Paragraph):
            parts.append(_paragraph(block.text, ids[_PARAGRAPH_STYLES[block.align]]))
        elif isinstance(block, Meta):
            parts += [_paragraph(f"{label}：{value}", ids[STYLE_META]) for label, value in block.items]
        elif isinstance(block, Table):
            parts.append(_table(block, house.type_width, ids))
            parts.append(_paragraph("", None))  # Word needs a paragraph between adjacent tables
    body = (house.head + "".join(parts) + house.tail).encode("utf-8")

    when = when or build_time()
    if when.tzinfo is None:  # a naive time is taken as UTC
        when = when.replace(tzinfo=_dt.timezone.utc)
    when = when.astimezone(_dt.timezone.utc).replace(microsecond=0)
    naive = when.replace(tzinfo=None)
    with house.lock:  # the House is shared; its core properties are set for one report at a time
        props = house.document.core_properties
        props.title = _core_text(doc.properties.get("title", doc.title))
        props.author = _core_text(doc.properties.get("author", ""))
        props.subject = _core_text(doc.properties.get("subject", ""))
        props.language = language_tag(doc.lang)
        props.last_modified_by = "reportgen"
        props.revision = 1
        props.created = naive
        props.modified = naive
        own = {house.body_name: body, house.core_name: house.core_part.blob}
    return write_package([(name, own.get(name, blob)) for name, blob in house.entries], when.timetuple()[:6])


@dataclass
class _House:
    """A reference docx made ready once for one script: the style ids, the type area, the
    document part around its body, and every other zip entry as python-docx saves it (the
    Document is kept for the core properties, set per report)."""

    ids: dict
    type_width: int
    title_pt: float
    notices: list[str]          # what the reference lacked and was given from the built-in one
    head: str
    tail: str
    entries: list[tuple[str, bytes]]
    body_name: str
    core_name: str
    core_part: Any
    document: Any
    lock: threading.Lock = field(default_factory=threading.Lock)


def _borrow_styles(document, names: list[str]) -> None:
    """Copy the named styles (and the styles they are based on, when missing too) from the
    built-in reference into ``document``'s styles part."""
    import copy

    default = docx.Document(str(reference_docx()))
    wanted = {name.lower() for name in names}
    have = {st.get(W + "styleId") for st in document.styles.element.iter(W + "style")}
    for st in default.styles.element.iter(W + "style"):
        name = st.find(W + "name")
        if name is not None and (name.get(W + "val") or "").lower() in wanted and st.get(W + "styleId") not in have:
            document.styles.element.append(copy.deepcopy(st))


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
    section = document.sections[0]
    type_width = int(section.page_width - section.left_margin - section.right_margin) // 635  # EMU → twips
    title_font = document.styles[ids[STYLE_TITLE]].font.size if ids.get(STYLE_TITLE) else None
    title_pt = title_font.pt if title_font is not None else 22.0  # 2号 when the style does not say
    use_font_set(document, fonts)
    adapt_to_script(document, lang)
    try:
        head, tail = body_frame(document)
    except ValueError:
        raise OutputError("参考样式文件的正文部分（word/document.xml）未使用标准的 w: 前缀，无法使用", ref_path) from None
    document.core_properties  # noqa: B018 - made now when the reference has none, so it is saved below
    core_part = next(p for p in document.part.package.iter_parts() if p.content_type == CT.OPC_CORE_PROPERTIES)
    saved = io.BytesIO()
    document.save(saved)
    with zipfile.ZipFile(saved) as z:
        entries = [(info.filename, z.read(info)) for info in z.infolist()]
    return _House(ids, type_width, title_pt, notices, head, tail, entries, str(document.part.partname).lstrip("/"),
                  str(core_part.partname).lstrip("/"), core_part, document)

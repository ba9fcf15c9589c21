"""Document → .docx in the house style of the reference docx.

The reference docx (default: ``templates/reference.docx``) supplies styles, page setup and
the page-number footers; its body is emptied and refilled. Blocks map to paragraph styles
through ``ooxml``'s style map (the docx reader uses the same map backwards). Tables are built
as raw ``w:tbl`` XML in one pass — never through ``table.cell()``, which is quadratic — with
``gridSpan``/``vMerge`` merges, fixed column widths across the type area, and header rows
marked to repeat on every page. Bytes are deterministic when ``SOURCE_DATE_EPOCH`` is set.
"""
from __future__ import annotations

import datetime as _dt
import io
import os
from functools import lru_cache
from pathlib import Path

from ..document import Cell, Document, Heading, Meta, Paragraph, Table, Title
from ..errors import OutputError
from .ooxml import (STYLE_CELL, STYLE_CLOSING, STYLE_HEADINGS, STYLE_META, STYLE_TABLE, STYLE_TITLE, W,
                    el, save_package)


@lru_cache(maxsize=8)
def _reference_bytes(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as e:
        raise OutputError(f"无法读取参考样式文件：{e.strerror}", path) from None


def build_time() -> _dt.datetime:
    """SOURCE_DATE_EPOCH when set (reproducible builds), else now — in UTC, whole seconds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return _dt.datetime.fromtimestamp(max(int(epoch), 315532800), _dt.timezone.utc)
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0)


def _paragraph(text: str, style: str | None):
    p = el("p")
    if style:
        p.append(el("pPr", None, el("pStyle", {"val": style})))
    if text:
        r = el("r")
        t = el("t")
        t.text = text
        if text != text.strip():
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        r.append(t)
        p.append(r)
    return p


def column_widths(table: Table, total: int) -> list[int]:
    """Widths (twips) across ``total``: a label column by its longest one-column label (a tall
    merged label wraps, so counts little), value columns equal."""
    label_cols = {k for c in table.cells if c.role in ("label", "corner") for k in range(c.col, c.col + c.colspan)}
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


def _table(table: Table, total_width: int):
    widths = column_widths(table, total_width)
    tbl = el("tbl")
    tbl.append(el("tblPr", None, el("tblStyle", {"val": STYLE_TABLE}), el("tblW", {"w": sum(widths), "type": "dxa"}),
                  el("jc", {"val": "center"}), el("tblLayout", {"type": "fixed"})))
    grid = el("tblGrid")
    for w in widths:
        grid.append(el("gridCol", {"w": w}))
    tbl.append(grid)
    owner = table.owner_grid()
    for r in range(table.n_rows):
        tr = el("tr")
        tr_pr = el("trPr", None, el("cantSplit"))
        if r < table.header_rows:
            tr_pr.append(el("tblHeader"))
        tr.append(tr_pr)
        c = 0
        while c < table.n_cols:
            cell: Cell = owner[r][c]
            if cell is None:  # a hole in a hand-made table: fill it
                cell = Cell("", r, c)
            width = sum(widths[cell.col:cell.col + cell.colspan])
            tc_pr = el("tcPr", None, el("tcW", {"w": width, "type": "dxa"}))
            if cell.colspan > 1:
                tc_pr.append(el("gridSpan", {"val": cell.colspan}))
            first = cell.row == r
            if cell.rowspan > 1:
                tc_pr.append(el("vMerge", {"val": "restart"}) if first else el("vMerge"))
            tc_pr.append(el("vAlign", {"val": "center"}))
            tc = el("tc", None, tc_pr)
            tc.append(_paragraph(cell.text if first else "", STYLE_CELL.get(cell.role, "TableText")))
            tr.append(tc)
            c = cell.col + cell.colspan
        tbl.append(tr)
    return tbl


def write_docx(doc: Document, reference: str | os.PathLike | None = None) -> bytes:
    """Render ``doc`` as .docx bytes in the style of ``reference`` (default: the packaged one)."""
    import docx

    from ..resources import reference_docx

    ref_path = str(reference or reference_docx())
    document = docx.Document(io.BytesIO(_reference_bytes(ref_path)))
    body = document.element.body
    sect_pr = body.find(W + "sectPr")
    for child in list(body):
        if child is not sect_pr:
            body.remove(child)
    section = document.sections[0]
    type_width = int(section.page_width - section.left_margin - section.right_margin) // 635  # EMU → twips

    def add(element) -> None:
        if sect_pr is not None:
            sect_pr.addprevious(element)
        else:
            body.append(element)

    for block in doc.blocks:
        if isinstance(block, Title):
            add(_paragraph(block.text, STYLE_TITLE))
        elif isinstance(block, Heading):
            add(_paragraph(block.text, STYLE_HEADINGS.get(block.level, STYLE_HEADINGS[4])))
        elif isinstance(block, Paragraph):
            add(_paragraph(block.text, STYLE_CLOSING if block.align == "right" else None))
        elif isinstance(block, Meta):
            for label, value in block.items:
                add(_paragraph(f"{label}：{value}", STYLE_META))
        elif isinstance(block, Table):
            add(_table(block, type_width))
            add(_paragraph("", None))  # Word needs a paragraph between adjacent tables

    when = build_time()
    props = document.core_properties
    props.title = doc.properties.get("title", doc.title)
    props.author = doc.properties.get("author", "")
    props.subject = doc.properties.get("subject", "")
    props.language = "zh-CN"
    props.last_modified_by = "reportgen"
    props.revision = 1
    naive = when.replace(tzinfo=None)
    props.created = naive
    props.modified = naive
    return save_package(document, when.timetuple()[:6])

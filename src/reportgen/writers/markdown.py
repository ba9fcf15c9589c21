"""Document → Markdown that reads well as plain text and renders with pandoc.

Headings become ``#`` lines (the title ``#``, 一、 ``##`` …), the metadata a list, paragraphs
plain text, and the statutory tables grid tables (the text writer's, CJK-width aware), which
are readable as they stand and which pandoc renders with their row and column spans.

Data never becomes markup: every text is escaped as ``formats.md`` says (the md reader undoes
it), table cells before the grid is drawn, so the columns stay aligned; closing lines and the
addressee are raw ``<p align>`` blocks, with HTML-escaped text.
"""
from __future__ import annotations

from dataclasses import replace

from ..document import Document, Heading, Meta, Paragraph, Table, Title
from ..formats.md import aligned, escape, escape_inline
from .text import render_table


def _table(table: Table) -> str:
    cells = []
    for c in table.cells:
        text = escape_inline(c.text)
        cells.append(c if text == c.text else replace(c, text=text))
    return "\n".join(render_table(replace(table, cells=cells)))


def write_markdown(doc: Document, **_options) -> bytes:
    chunks: list[str] = []
    for block in doc.blocks:
        if isinstance(block, Title):
            chunks.append("# " + escape(block.text))
        elif isinstance(block, Meta):
            chunks.append("\n".join(f"- {escape(k)}：{escape(v)}" for k, v in block.items))
        elif isinstance(block, Heading):
            chunks.append("#" * min(block.level + 1, 6) + " " + escape(block.text))
        elif isinstance(block, Paragraph):
            if block.align in ("right", "left"):
                chunks.append(aligned(block.text, block.align))
            else:
                chunks.append(escape(block.text))
        elif isinstance(block, Table):
            chunks.append(_table(block))
    return ("\n\n".join(chunks) + "\n").encode("utf-8")

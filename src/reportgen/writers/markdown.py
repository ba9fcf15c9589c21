"""Document → Markdown that reads well as plain text and renders with pandoc.

Headings become ``#`` lines (the title ``#``, 一、 ``##`` …), the metadata a list, paragraphs
plain text, and the statutory tables grid tables (the text writer's, CJK-width aware), which
are readable as they stand and which pandoc renders with their row and column spans.

Data never becomes markup: every text is escaped for CommonMark, which means a backslash
before each ASCII punctuation character that could open inline markup (emphasis, code,
links, raw HTML ``<…>``, entities ``&…;``, strikethrough) or, at the start of a line, a block
(headings, quotes, lists, fences of ``` or ~~~, thematic breaks, setext underlines, tables).
Table cells are escaped the same way before the grid is drawn, so the columns stay aligned.
The one raw HTML block we write, ``<p align="right">`` for closing lines, holds HTML-escaped
text, and no text can contain a line break (``document.one_line``).
"""
from __future__ import annotations

import re
from dataclasses import replace
from html import escape as html_escape

from ..document import Document, Heading, Meta, Paragraph, Table, Title, one_line
from .text import render_table

_INLINE = re.compile(r"([\\`*_\[\]<>&~|])")        # open emphasis, code, links, raw HTML, entities, tables
_BLOCK = re.compile(r"^(\d{1,9})([.)])|^([#>+\-=])")  # open a list, heading, quote, thematic break, setext line
RIGHT_OPEN, RIGHT_CLOSE = '<p align="right">', "</p>"


def escape_inline(text: str) -> str:
    """``text`` as literal CommonMark text in the middle of a line."""
    return _INLINE.sub(r"\\\1", one_line(text).strip())


def escape(text: str) -> str:
    """``text`` as a literal CommonMark line of its own (the md reader's ``unescape`` inverts it)."""
    return _BLOCK.sub(lambda m: m.group(1) + "\\" + m.group(2) if m.group(1) else "\\" + m.group(3),
                      escape_inline(text))


def _table(table: Table) -> str:
    cells = [replace(c, text=escape_inline(c.text)) for c in table.cells]
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
            if block.align == "right":
                chunks.append(RIGHT_OPEN + html_escape(one_line(block.text).strip(), quote=False) + RIGHT_CLOSE)
            else:
                chunks.append(escape(block.text))
        elif isinstance(block, Table):
            chunks.append(_table(block))
    return ("\n\n".join(chunks) + "\n").encode("utf-8")

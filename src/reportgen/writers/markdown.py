"""Document → Markdown that reads well as plain text and renders with pandoc.

Headings become ``#`` lines (the title ``#``, 一、 ``##`` …), the metadata a list, paragraphs
plain text, and the statutory tables grid tables (the text writer's, CJK-width aware), which
are readable as they stand and which pandoc renders with their row and column spans. Text
that Markdown would read as markup (a paragraph starting ``1.`` or ``#``, ``*`` or ``[`` inside)
is escaped.
"""
from __future__ import annotations

import re

from ..document import Document, Heading, Meta, Paragraph, Table, Title
from .text import render_table

_INLINE = re.compile(r"([\\`*_\[\]<>|])")
_BLOCK_START = re.compile(r"^(\d+)([.)])|^([#>+\-=])")


def _escape(text: str) -> str:
    text = _INLINE.sub(r"\\\1", text)
    return _BLOCK_START.sub(lambda m: (m.group(1) + "\\" + m.group(2)) if m.group(1) else "\\" + m.group(3), text)


def write_markdown(doc: Document, **_options) -> bytes:
    chunks: list[str] = []
    for block in doc.blocks:
        if isinstance(block, Title):
            chunks.append("# " + _escape(block.text))
        elif isinstance(block, Meta):
            chunks.append("\n".join(f"- {_escape(k)}：{_escape(v)}" for k, v in block.items))
        elif isinstance(block, Heading):
            chunks.append("#" * min(block.level + 1, 6) + " " + _escape(block.text))
        elif isinstance(block, Paragraph):
            text = _escape(block.text)
            chunks.append(f'<p align="right">{text}</p>' if block.align == "right" else text)
        elif isinstance(block, Table):
            chunks.append("\n".join(render_table(block)))
    return ("\n\n".join(chunks) + "\n").encode("utf-8")

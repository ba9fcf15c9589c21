"""Markdown → Document: our own Markdown output exactly, any other Markdown as published text.

Ours is recognised by its shape: the title as the first ``#`` line, the metadata as a list
right below it, headings one ``#`` deeper than their level, grid tables (read cell by cell with
their spans, ``gridtext``), closing lines and the addressee as ``<p align>`` blocks, and every
text escaped as ``formats.md`` says (undone here).
"""
from __future__ import annotations

import re
from dataclasses import replace

from ..document import Document, Heading, Meta, Paragraph, Table, Title
from ..formats.md import aligned_text, unescape
from ..labels import is_page_number
from .common import ReadOptions, decode
from . import positioned
from .gridtext import blocks_of
from .text import read_items

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_META = re.compile(r"^- (.*?)：(.*)$")


def read(raw: bytes, options: ReadOptions) -> Document:
    text, _ = decode(raw, options.file)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not _is_ours(lines):  # someone else's Markdown: its text, read like any published text
        lines = _banded(_prose_tables([unescape(line) for line in lines]))
        lines = ["" if is_page_number(line) else line for line in lines]  # — 1 — is no row's numbers
        return read_items(positioned.markdown_items(lines) or lines, options)
    blocks: list = []
    for _, item in blocks_of(lines):
        if isinstance(item, Table):
            blocks.append(replace(item, cells=[replace(c, text=unescape(c.text)) for c in item.cells]))
            continue
        line = item
        m = _HEADING.match(line)
        if m and not blocks:
            blocks.append(Title(unescape(m.group(2))))
        elif m:
            blocks.append(Heading(max(1, len(m.group(1)) - 1), unescape(m.group(2))))
        elif _META.match(line) and blocks and isinstance(blocks[-1], (Title, Meta)):
            label, value = _META.match(line).groups()
            if isinstance(blocks[-1], Title):
                blocks.append(Meta([]))
            blocks[-1].items.append((unescape(label), unescape(value)))
        elif aligned_text(line) is not None:
            side, value = aligned_text(line)
            blocks.append(Paragraph(value, side))
        else:
            blocks.append(Paragraph(unescape(line.strip())))
    return Document(blocks)


_COUNTED = re.compile(r"\d\s*(?:件|元|万元|萬元|人次|次|条|條)")  # a figure in a sentence: 77309 件、


def _table_blocks(lines: list[str]):
    """(first, end) of each run of Markdown table lines (lines starting with |)."""
    i = 0
    while i < len(lines):
        if not lines[i].lstrip().startswith("|"):
            i += 1
            continue
        j = i
        while j < len(lines) and lines[j].lstrip().startswith("|"):
            j += 1
        yield i, j
        i = j


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def _prose_tables(lines: list[str]) -> list[str]:
    """Markdown tables that are sentences cut into cells (a converter took a paragraph's
    spaced-out words for columns: | 規章 | 77309 件、行政規範性文件 | | 6505 件；作出… |) put
    back as lines of text, so their numbers are not read as table cells."""
    out = list(lines)
    for i, j in _table_blocks(out):
        if any(_COUNTED.search(cell) for line in out[i:j] for cell in line.split("|")):
            for k in range(i, j):
                cells = _cells(out[k])
                out[k] = "" if all(not c.strip("-: ") for c in cells) else "".join(c for c in cells if c)
    return out


def _banded(lines: list[str]) -> list[str]:
    """Markdown tables whose header labels stand over two or more columns each (a converter
    split every column in two: | 信息內容 | 本年制發件數 | | 本年廢止件數 | |) put back one cell a
    label, each row's cell being the one filled cell under its label's band (a band with none, a
    blank “—”) — so | 規章 | | 237 | | 193 | | | reads 237, 193 and a blank, not a blank first.
    A table whose rows have two filled cells in one band is left as it is."""
    out = list(lines)
    for i, j in reversed(list(_table_blocks(out))):  # from the end: a rebuilt block keeps its length
        rows = [_cells(line) for line in out[i:j]]
        starts = [k for k, c in enumerate(rows[0]) if c]
        header = all(not any(ch.isdigit() for ch in rows[0][k]) for k in starts)  # labels, no figures
        if not (header and len(starts) >= 3 and starts[0] == 0 and any(b - a > 1 for a, b in zip(starts, starts[1:]))):
            continue
        bands = list(zip(starts, starts[1:] + [max(len(r) for r in rows)]))
        rebuilt = []
        for cells in rows:
            if all(set(c) <= set("-: ") for c in cells):
                rebuilt.append("| " + " | ".join("---" for _ in bands) + " |")
                continue
            filled = [[c for c in cells[a:b] if c] for a, b in bands]
            if any(len(f) > 1 for f in filled):
                break
            # an empty band is a blank cell: written as one, so it is not taken for padding
            rebuilt.append("| " + " | ".join(f[0] if f else "—" for f in filled) + " |")
        else:
            out[i:j] = rebuilt
    return out


def _is_ours(lines: list[str]) -> bool:
    """Our writer starts with the title as a level-1 heading and separates blocks by blank lines."""
    first = next((line for line in lines if line.strip()), "")
    return first.startswith("# ") and any(line.startswith("## ") for line in lines)

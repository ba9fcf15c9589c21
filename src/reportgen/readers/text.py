"""Plain-text reports → Document: our own txt output exactly, and scraped web or PDF text.

Our own output is recognised by its layout (body paragraphs indented with two ideographic
spaces, grid tables, right-aligned closing lines) and read back without guessing. Anything
else is read with the shapes of statutory.md §4.3 in mind:

* metadata lines above the report (``索引号: | X | 部门: | Y |``, ``发布时间:… 作者: 来源: …``);
* page chrome (breadcrumbs, 字体 buttons, 附件下载, encyclopedia boxes) set apart;
* headings from their numbering (一、 / （一） / 1. / （1）) or from being a short line before a
  paragraph; a heading broken over two short lines is joined;
* table text in any shape — pipe rows, one cell per line, PDF lines of a label and its numbers,
  vertical headers broken one character per line — kept as loose tables (one row per line),
  which the extractor matches against the table declarations by label.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from ..document import Cell, Document, Heading, Meta, Paragraph, Table, Title
from ..formats.txt import CLOSING_MIN_PAD, INDENT as IDEOGRAPHIC_INDENT  # the layout the txt writer uses
from ..labels import is_page_number, is_value, stray_page_numbers, label_key, number, numbering_level
from .common import ReadOptions, decode, is_chrome, is_layout, meta_pairs
from . import positioned
from .flat import unflatten
from .gridtext import blocks_of, is_grid_line
from ..script import detect, to_simplified

_SENTENCE_END = "。！？；;!?"
_MAX_HEADING = 40


def read(raw: bytes, options: ReadOptions) -> Document:
    """A plain-text report (UTF-8, UTF-16 or GBK/GB18030), chrome set apart in ``Document.chrome``."""
    text, _ = decode(raw, options.file)
    return read_text(text, options)


def read_text(text: str, options: ReadOptions = ReadOptions()) -> Document:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if _is_own_output(lines):
        return _read_own(lines)
    if positioned.is_layout_text(lines):  # pdftotext -layout: tables read from where numbers stand
        items = positioned.layout_items(lines)
        if items is not None:
            return read_items(items, options)
    return read_items(lines, options)


# --- our own txt output ------------------------------------------------------------------

def _is_own_output(lines: list[str]) -> bool:
    """Our txt writer indents body paragraphs with two ideographic spaces and separates every
    block by a blank line (meta lines and grid tables are blocks of their own)."""
    if not any(ln.startswith(IDEOGRAPHIC_INDENT) and ln[2:3].strip() for ln in lines):
        return False
    for k, line in enumerate(lines):
        if not line.strip() or is_grid_line(line) or (k + 1 < len(lines) and is_grid_line(lines[k + 1])):
            continue
        nxt = lines[k + 1] if k + 1 < len(lines) else ""
        if nxt.strip() and not (_own_meta(line) and _own_meta(nxt)):
            return False
    return True


def _read_own(lines: list[str]) -> Document:
    blocks: list = []
    seen_body = False
    for i, item in blocks_of(lines):
        if isinstance(item, Table):
            blocks.append(item)
            seen_body = True
            continue
        line = item
        if not blocks:
            blocks.append(Title(line.strip()))
        elif not seen_body and _own_meta(line) and (isinstance(blocks[-1], Title) or
                                                    isinstance(blocks[-1], Meta) and lines[i - 1].strip()):
            label, _, value = line.partition("：")  # the metadata: lines right under the title
            if isinstance(blocks[-1], Title):
                blocks.append(Meta([]))
            blocks[-1].items.append((label.strip(), value.strip()))
        elif line.startswith(IDEOGRAPHIC_INDENT):
            blocks.append(Paragraph(line.strip()))
            seen_body = True
        elif line.startswith(" " * CLOSING_MIN_PAD):
            blocks.append(Paragraph(line.strip(), "right"))
        elif not seen_body and _next_is_paragraph(lines, i) and numbering_level(line) is None \
                and line.rstrip().endswith(("：", ":")):
            blocks.append(Paragraph(line.strip(), "left"))  # the addressee line
        else:
            text = line.strip()
            blocks.append(Heading(numbering_level(text) or 1, text))  # unnumbered: level 1
            seen_body = True
    return Document(blocks)


def _own_meta(line: str) -> bool:
    label, sep, _ = line.partition("：")
    return bool(sep) and 0 < len(label) <= 8 and not line.startswith((" ", "\u3000"))


def _next_is_paragraph(lines: list[str], i: int) -> bool:
    for line in lines[i + 1:]:
        if line.strip():
            return line.startswith(IDEOGRAPHIC_INDENT)
    return False


# --- published text ----------------------------------------------------------------------

def read_items(items: list, options: ReadOptions = ReadOptions()) -> Document:
    """A published report given as lines of text, with already-structured tables (from HTML or
    Word) in place among them; chrome lines set apart in ``Document.chrome``. A table in the
    text starts at a label of ``options.table_labels`` (label keys) or a pipe row. A page
    flattened to one line is first cut back into sections and table rows (``flat``)."""
    table_labels = options.table_labels
    chrome: list[str] = []
    kept: list = []
    raws = list(unflatten(items, options))
    stray = stray_page_numbers(raws)  # ``— 18 —`` that is a row's cells, not a page's number
    for k, raw in enumerate(raws):
        if not isinstance(raw, str):  # a block a structured reader already knows (table, styled heading)
            kept.append(raw)
            continue
        line = raw.replace("\xa0", " ").replace("\u3000", " ").strip()
        if k in stray:
            at = next((i for i in range(len(kept) - 1, -1, -1) if kept[i] != ""), None)
            if at is not None and isinstance(kept[at], str):
                kept[at] = type(kept[at])(f"{kept[at]} {line}")  # run on with the row it belongs to
                continue
        if line and raw[:1] in (" ", "\u3000", "\xa0", "\t"):
            line = _Indented(line)
        if not line or is_layout(line):
            kept.append("")
        elif is_chrome(line):
            chrome.append(line)
        else:
            kept.append(line)
    blocks: list = []
    i = _header(kept, blocks, chrome)
    body = kept[i:]
    j = 0
    while j < len(body):
        line = body[j]
        if not isinstance(line, str):
            blocks.append(line)
            j += 1
            continue
        if not line:
            j += 1
            continue
        end = _table_run(body, j, table_labels)
        if end > j:
            blocks.append(_loose_table(body[j:end]))
            j = end
            continue
        level = None if _vertical(body, j) else _heading_level(body, j)
        if level is not None:
            text = line
            nxt = _next_nonempty(body, j)
            if level == 1 and numbering_level(line) is None and nxt is not None and \
                    _short_unnumbered(body[nxt]) and _heading_level(body, nxt) is not None:
                text += body[nxt]  # a heading broken over two lines by the page
                j = nxt
            blocks.append(Heading(level, text))
        else:
            blocks.append(Paragraph(line))
        j += 1
    blocks = _rejoin(blocks, kept)
    _closing(blocks)
    return Document(blocks, chrome=chrome)


def _vertical(lines: list, j: int) -> bool:
    """Whether line ``j`` is one character of a table header printed down its narrow column
    (其 / 他 / 结 / 果): a single character next to another single character — table text,
    not a heading (joined, 其他 would open section 六)."""
    if len(lines[j]) != 1:
        return False
    near = [lines[k] for k in (j - 1, j + 1) if 0 <= k < len(lines)]
    return any(isinstance(n, str) and len(n.strip()) == 1 for n in near)


class _Indented(str):
    """A line that was indented in the source: in hard-wrapped text, a paragraph's first line."""


def _wrap_width(lines: list) -> int | None:
    """The width text was hard-wrapped at (PDF text), if most long lines share one length."""
    lengths = Counter(len(line) for line in lines if isinstance(line, str) and len(line) >= 20)
    total = sum(lengths.values())
    if total < 5:
        return None
    width, n = max(lengths.items(), key=lambda kv: (kv[1], kv[0]))
    near = sum(c for length, c in lengths.items() if abs(length - width) <= 2)
    return width if near * 10 >= total * 3 and near >= 4 else None


def _rejoin(blocks: list, lines: list) -> list:
    """Paragraph lines of hard-wrapped text joined back: a line as wide as the wrap width that
    does not end a sentence runs on into the next one."""
    width = _wrap_width(lines)
    if width is None:
        return blocks
    indents = any(isinstance(line, _Indented) for line in lines)
    out: list = []
    for b in blocks:
        prev = out[-1] if out else None
        if isinstance(b, Paragraph) and b.align == "justify" and isinstance(prev, Paragraph) and \
                prev.align == "justify" and len(prev.text) >= width - 3 and \
                (not isinstance(b.text, _Indented) if indents else not prev.text.endswith(tuple("。！？：:；;"))):
            prev.text = prev.text + b.text
        else:
            out.append(Paragraph(str(b.text), b.align) if isinstance(b, Paragraph) else b)
    return out


def _header(lines: list[str], blocks: list, chrome: list[str]) -> int:
    """Title, metadata and the addressee at the top; returns where the body starts."""
    i = 0
    title = None
    meta: list[tuple[str, str]] = []
    while i < len(lines):
        line = lines[i]
        if not line:
            i += 1
            continue
        if isinstance(line, Table):  # a metadata table on a web page (索引号：| … | 发布机构：| …)
            pairs = _table_meta(line)
            if pairs is None:
                break
            meta += pairs
            i += 1
            continue
        if not isinstance(line, str):
            break
        labelled = _TITLE_LINE.match(line)
        if title is None and labelled:  # a crawler's header: 标题: …
            title = labelled.group(1).strip()
            i += 1
            continue
        pairs = meta_pairs(line)
        if pairs is not None:
            meta += pairs
            i += 1
            continue
        if title is None and len(line) <= 60 and not line.endswith(tuple(_SENTENCE_END + "，,：:")):
            title = line
            i += 1
            continue
        if title is not None and line == title:  # the page shows the title twice
            chrome.append(line)
            i += 1
            continue
        break
    if title is not None:
        blocks.append(Title(title))
    if meta:
        blocks.append(Meta(meta))
    if i < len(lines) and isinstance(lines[i], str) and lines[i].endswith(("：", ":")) and len(lines[i]) <= 40 \
            and numbering_level(lines[i]) is None:
        blocks.append(Paragraph(lines[i], "left"))
        i += 1
    return i


_TITLE_LINE = re.compile(r"^(?:标题|標題)\s*[:：]\s*(\S.*)$")


def _table_meta(table: Table) -> list[tuple[str, str]] | None:
    if any(number(c.text) not in (None,) and c.text.strip() for c in table.cells):
        return None
    rows: dict[int, list] = {}
    for c in sorted(table.cells, key=lambda c: (c.row, c.col)):
        rows.setdefault(c.row, []).append(c.text)
    pairs = []
    for cells in rows.values():
        found = meta_pairs(" | ".join(cells))
        if found is None:
            return None
        pairs += found
    return pairs or None


def _next_nonempty(lines: list, j: int) -> int | None:
    for k in range(j + 1, len(lines)):
        if not isinstance(lines[k], str):
            return None
        if lines[k]:
            return k
    return None


def _short_unnumbered(line) -> bool:
    return isinstance(line, str) and len(line) <= 25 and numbering_level(line) is None and not line.endswith(tuple(_SENTENCE_END + "，,：:"))


def _heading_level(lines: list[str], j: int) -> int | None:
    """The level of line ``j`` if it is a heading: numbered, short, not a sentence that runs
    on, and not one of a list of numbered paragraphs; or a short unnumbered line before text."""
    line = lines[j]
    if len(line) > _MAX_HEADING or "。" in line.rstrip("。"):
        return None
    level = numbering_level(line)
    nxt = _next_nonempty(lines, j)
    if level is not None:
        if nxt is not None and level >= 3 and numbering_level(lines[nxt]) == level and \
                line.endswith(tuple(_SENTENCE_END)):
            return None  # 1.… 2.… 3.…: a numbered list of sentences, not headings
        return level
    if _short_unnumbered(line) and nxt is not None and (len(lines[nxt]) > len(line) or _short_unnumbered(lines[nxt])):
        return 1
    return None


# --- tables in text ----------------------------------------------------------------------

@lru_cache(maxsize=4)
def _label_prefixes(labels: frozenset[str]) -> frozenset[str]:
    """Every known table label, and every prefix of four or more characters of one (a label
    broken across lines starts with such a prefix)."""
    return frozenset(labels | {k[:i] for k in labels for i in range(4, len(k))})


@lru_cache(maxsize=8192)
def _table_label(line: str, labels: frozenset[str]) -> bool:
    """Whether the line is (or starts with) one of the table ``labels`` (label keys)."""
    known = _label_prefixes(labels)
    cells = _cells(line)
    first = cells[0] if cells and "|" not in line else line.replace("|", " ")
    words = first.split()
    for text in (first, words[0] if words else ""):
        simplified = to_simplified(text) if detect(text) != "zh-Hans" else text  # labels printed in Traditional too
        for key in {label_key(text), label_key(simplified)}:
            if key and (key in known if len(key) >= 4 else key in labels):
                return True
    return False


@lru_cache(maxsize=8192)
def _cells(line: str) -> tuple[str, ...]:
    """A line's cells: pipe-separated, or a label followed by whitespace-separated numbers."""
    if "|" in line:
        cells = [c.strip() for c in line.split("|")]
        while cells and not cells[-1]:
            cells.pop()  # trailing || are merged-cell padding
        while cells and not cells[0] and line.lstrip().startswith("|"):
            cells.pop(0)
        return tuple(cells)
    parts = line.split()
    k = len(parts)
    while k > 0 and is_value(parts[k - 1]):
        k -= 1
    label = " ".join(parts[:k])
    return tuple(([label] if label else []) + parts[k:])


def _tabular(line: str) -> bool:
    if "|" in line:
        return True
    cells = _cells(line)
    if any(is_value(c) for c in cells[1:]) or (cells and is_value(cells[0])):
        return True
    return len(line) <= _MAX_HEADING and not any(p in line for p in _SENTENCE_END)


def _table_run(lines: list, j: int, labels: frozenset[str]) -> int:
    """End of the table text starting at line ``j`` (== j when there is none). A run starts at
    a known table label or a pipe row and goes on while lines look like cells; it is a table
    when it holds at least three numbers."""
    if not (_table_label(lines[j], labels) or "|" in lines[j]):
        return j
    k = j
    numbers = 0
    while k < len(lines):
        line = lines[k]
        if not isinstance(line, str):
            break
        if line:
            if not _tabular(line) and not _table_label(line, labels):
                break
            if numbering_level(line) == 1 and len(line) > 6 and not _table_label(line, labels) and "|" not in line:
                break  # the next section (a lone 三、 is a vertical header broken into lines)
            numbers += sum(len(c.strip()) if number(c) is None else 1 for c in _cells(line) if is_value(c) and c.strip())
        k += 1
    while k > j and not lines[k - 1]:
        k -= 1
    return k if numbers >= 3 else j


def _loose_table(lines: list[str]) -> Table:
    """One row per line, its cells in order (no spans: the extractor matches by label)."""
    cells = []
    row = 0
    width = 1
    breaks = []  # rows after a blank line: where a converter's text box begins (tables.placement)
    gap = True
    for line in lines:
        if not line or not line.replace("|", "").strip() or is_page_number(line.strip()):
            gap = True
            continue  # (a page's number, — 3 —, between the rows of a table broken by a page)
        if gap:
            breaks.append(row)
            gap = False
        parts = _cells(line)
        for col, text in enumerate(parts):
            cells.append(Cell(text, row, col, role="value" if is_value(text) else "label"))
        width = max(width, len(parts))
        row += 1
    return Table(row, width, 0, cells, name="text", breaks=tuple(breaks))


_DATE_LINE = re.compile(r"^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$")


def _closing(blocks: list) -> None:
    """Trailing short lines — a date, a signature, （办公室） — are the closing lines."""
    k = len(blocks)

    def short(b) -> bool:
        return (isinstance(b, Paragraph) or (isinstance(b, Heading) and numbering_level(b.text) is None)) and \
            len(b.text) <= 30 and not b.text.endswith(tuple(_SENTENCE_END + "，,：:"))

    while k > 0 and short(blocks[k - 1]) and len(blocks) - k < 3:
        k -= 1
    tail = blocks[k:]
    if tail and (any(_DATE_LINE.match(b.text) for b in tail) or
                 any(re.match(r"^[（(].{1,12}[）)]$", b.text) for b in tail) or
                 any(isinstance(b, Paragraph) and b.align == "right" for b in tail)):
        for i, b in enumerate(tail):
            blocks[k + i] = Paragraph(b.text, "right")

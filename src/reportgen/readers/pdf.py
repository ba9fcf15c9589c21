"""PDF reports → Document, read by geometry the way a person reads the page.

``pdfpage`` gives each page's glyphs and ruling lines; this module gives them meaning:

* **Tables** are found where ruling lines meet in a grid. Column edges are the vertical rules,
  row edges the horizontal ones; a boundary that no rule draws is a merged cell. Each glyph
  goes to the cell its centre lies in, so a label wrapped over three lines, a vertical header
  (三、本年度办理结果 one character a line) and the numbers beside it come out as one row. A
  table that goes on over a page break is joined back: a repeated header is dropped, and a cell
  cut by the break (（四）无 | 法提供) is put together again.
* **Text** is grouped into lines by baseline and into paragraphs by the page's margins: a line
  indented by the first-line indent, after a short line, centred or set right starts a new one;
  a paragraph runs on over a page break.
* **Running headers and footers** (— 3 —, - 3 -, 第 3 页, 3/6, the same line at the top of every
  page) are set apart as chrome.
* **Text a reader cannot see** (``Page.hidden``: in the colour of what it stands on, invisible,
  clipped away, off the page, too small) is not read; its presence is a notice (``hidden-text``),
  with what it says. So is **the report twice in one file** (``repeated-report``): the section
  headings and a statutory table again; only the first is read.

What comes out is the same item stream the Word reader gives (paragraph strings, right-set
paragraphs and tables), read by ``text.read_items`` like every other format.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from statistics import median

from ..document import Cell, Document, Heading, Paragraph, Table
from ..errors import InputError
from ..labels import label_key, number, numbering_level
from .common import ReadOptions
from .geometry import Glyph, Page, Rule, clusters
from .pdfpage import CLIPPED, COLOUR, INVISIBLE, MIN_HEIGHT, OFF_PAGE, TINY, read_pages
from .text import read_items

SNAP = 2.0            # points within which two rules or edges are the same line
MARGIN_ZONE = 0.1     # the top and bottom tenth of a page is where running headers and footers live

_PAGE_NUMBER = re.compile(r"^(?:[-—–－一_·•\s]*\d{1,4}[-—–－一_·•\s]*|第\s*\d{1,4}\s*页(?:\s*[/，,]?\s*共\s*\d{1,4}\s*页)?"
                          r"|\d{1,4}\s*/\s*\d{1,4}|(?:Page|page)\s*\d{1,4}(?:\s*of\s*\d{1,4})?)$")

SCANNED = ("这份 PDF 是扫描件：{pages} 页都只有图像，没有文字层，无法读取。请向发布机关索取 Word、网页或可复制文字的 "
           "PDF 版本；或安装 OCR 扩展（pip install 'reportgen[ocr]'）后再读取，也可先用 OCR 软件识别成文字再读取")
OCR_NOTICE = "第 {pages} 页是扫描图像，文字和数字由 OCR 识别，请与原件核对"
LAYER_NOTICE = "第 {pages} 页是扫描图像，文字和数字取自文件里 OCR 识别出的文字层，请与原件核对"
HIDDEN_NOTICE = ("第 {pages} 页有读者看不见的文字 {count} 字（{how}），没有作为报告内容读取，开头是：“{sample}”。"
                 "请与原件核对，确认文件没有被改动")
REPEATED_NOTICE = "文件中同一份报告出现了 {copies} 次{where}：只读取了第一份，请核对文件是否重复合并"
ANOTHER_NOTICE = "文件中有 {copies} 份报告{where}，统计表的数字各不相同：只读取了第一份，请核对应以哪一份为准"
# why a text cannot be seen (pdfpage's reasons), in a clerk's words
HOW_HIDDEN = {COLOUR: "与底色同色", INVISIBLE: "设为不显示", CLIPPED: "被裁剪在显示范围外", OFF_PAGE: "在页面以外",
              TINY: f"字号小于 {MIN_HEIGHT:g} 磅"}


def read(raw: bytes, options: ReadOptions) -> Document:
    pages, _info = read_pages(raw, options.file)
    _refuse_scanned(pages, options.file)
    items, chrome = layout(pages)
    doc = read_items(items, options)
    doc.chrome = chrome + doc.chrome
    for notice, scanned in ((OCR_NOTICE, [p.number for p in pages if p.ocr]),
                            (LAYER_NOTICE, [p.number for p in pages if p.layer])):
        if scanned:
            doc.notices.append(("ocr", notice.format(pages=_numbers(scanned))))
    hidden = hidden_notice(pages)
    if hidden:
        doc.notices.append(("hidden-text", hidden))
    repeated = _repeated(doc, pages, options)
    if repeated:
        doc.notices.append(("repeated-report", repeated))
    return doc


def _refuse_scanned(pages: list[Page], file: str | None) -> None:
    text = sum(len(p.glyphs) for p in pages)
    if text >= 20:
        return
    if any(p.images for p in pages) and not any(p.ocr for p in pages):
        raise InputError(SCANNED.format(pages=len(pages)), file)
    hidden = hidden_notice(pages)
    raise InputError("PDF 文件里没有可读的文字" + ("（OCR 也未识别出文字）" if any(p.ocr for p in pages) else "（也没有图像）")
                     + "，无法读取" + (f"。{hidden}" if hidden else ""), file)


# --- what a reader cannot see, and a report twice ----------------------------------------

def hidden_notice(pages: list[Page]) -> str | None:
    """What the file's text layer holds that a reader cannot see: on which pages, how much, how
    it is hidden and how it begins; None when there is none."""
    pages = [p for p in pages if p.hidden]
    if not pages:
        return None
    counts: Counter[str] = Counter()
    for p in pages:
        for why, glyphs in p.hidden.items():
            counts[why] += len(glyphs)
    how = "、".join(f"{HOW_HIDDEN.get(why, why)} {n} 字" for why, n in counts.most_common())
    first = pages[0]
    lines = _lines([g for glyphs in first.hidden.values() for g in glyphs], first.number)
    sample = "".join(line.text for line in lines)
    sample = sample[:40] + ("……" if len(sample) > 40 else "")
    return HIDDEN_NOTICE.format(pages=_numbers([p.number for p in pages]), count=sum(counts.values()), how=how,
                                sample=sample)


def _numbers(numbers: list[int]) -> str:
    """Page numbers as a clerk writes them: 1、3、5—9."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return "、".join(f"{r[0]}—{r[-1]}" if len(r) >= 3 else "、".join(map(str, r)) for r in runs)


def _repeated(doc: Document, pages: list[Page], options: ReadOptions) -> str | None:
    """The report twice (or more) in one file: its section headings again, and a statutory
    table again (the same labels). Said as one report repeated when every repeated table has
    the same numbers, as several reports when they differ."""
    heads = Counter(k for b in doc.blocks if isinstance(b, Heading) and (k := label_key(b.text)) in options.headings)
    again = [k for k, n in heads.items() if n >= 2]
    if len(again) < 2:
        return None
    tables: dict[tuple, list[tuple]] = {}
    for b in doc.blocks:
        if isinstance(b, Table):
            labels = tuple(label_key(c.text) for c in b.cells if c.role == "label")
            values = tuple(c.text for c in b.cells if c.role == "value")
            if values and any(label in options.table_labels for label in labels):
                tables.setdefault(labels, []).append(values)
    twice = [copies for copies in tables.values() if len(copies) >= 2]
    if not twice:
        return None
    copies = max(len(c) for c in twice)
    found = [p.number for p in pages if again[0] in label_key("".join(g.ch for g in p.glyphs))]
    same = all(len(set(c)) == 1 for c in twice)
    where = f"（第 {found[1]} 页起{'又是一遍' if same else '是另一份'}）" if len(found) >= 2 else ""
    return (REPEATED_NOTICE if same else ANOTHER_NOTICE).format(copies=copies, where=where)


# --- the page as lines and grids ---------------------------------------------------------

@dataclass
class Line:
    glyphs: list[Glyph]
    page: int
    text: str = ""

    def __post_init__(self) -> None:
        self.glyphs.sort(key=lambda g: g.x0)
        self.text = _spaced(self.glyphs)

    @property
    def x0(self) -> float:
        return self.glyphs[0].x0

    @property
    def x1(self) -> float:
        return self.glyphs[-1].x1

    @property
    def top(self) -> float:
        return max(g.y1 for g in self.glyphs)

    @property
    def bottom(self) -> float:
        return min(g.y0 for g in self.glyphs)

    @property
    def height(self) -> float:
        """The size of the line's Chinese characters (Latin and punctuation fonts have other
        line heights), or of all its glyphs when it has none."""
        han = [g.h for g in self.glyphs if "\u4e00" <= g.ch <= "\u9fff"]
        return median(han or [g.h for g in self.glyphs])


@dataclass
class GridCell:
    """A cell of a ruled table: rows [r0, r1) of its part, x from x0 to x1 (points)."""

    r0: int
    r1: int
    x0: float
    x1: float
    text: str = ""


@dataclass
class Grid:
    """A ruled table (or the part of one on a page): its rows, its cells, where it stands."""

    rows: int
    cells: list[GridCell]
    page: int
    left: float
    right: float
    top: float
    bottom: float
    xs: list[float] = field(default_factory=list)   # column edges, left to right
    ys: list[float] = field(default_factory=list)   # row edges, top to bottom (one page's part)


def _cjk(ch: str) -> bool:
    return ch >= "\u2e80"


def _spaced(glyphs: list[Glyph]) -> str:
    """A line's text with a space where the document has one, or where the gap is as wide as
    a whole character (which only a gap between columns is). Between Chinese and Latin text a
    typesetter's own spacing (LibreOffice's, Word's) is not a space."""
    out: list[str] = []
    prev = None
    for g in glyphs:
        if prev is not None:
            gap = g.x0 - prev.x1
            size = max(prev.h, g.h)
            latin = not _cjk(prev.ch) and not _cjk(g.ch)
            if gap > size or (g.spaced and gap > 0.1 * size) or (latin and gap > 0.25 * size):
                out.append(" ")
        out.append(g.ch)
        prev = g
    return "".join(out)


def _lines(glyphs: list[Glyph], page: int) -> list[Line]:
    """Glyphs grouped by baseline: a glyph whose centre lies within the current line's band
    belongs to it. Top to bottom."""
    lines: list[Line] = []
    band: list[Glyph] = []
    low = high = 0.0
    for g in sorted(glyphs, key=lambda g: -g.cy):
        if band and low <= g.cy <= high:
            band.append(g)
            continue
        if band:
            lines.append(Line(band, page))
        band = [g]
        low, high = g.y0 + 0.2 * g.h, g.y1 - 0.2 * g.h
    if band:
        lines.append(Line(band, page))
    return lines


_DIGITS = re.compile(r"[0-9][0-9,，]*")


def _cell_text(glyphs: list[Glyph]) -> str:
    """The text of a cell: its lines joined, with a space only between Latin words or numbers.
    A cell whose every line is one run of digits holds one number wrapped by a narrow column
    (``2245 / 961`` is 2245961): its lines are joined without a space. Lines with a gap in them
    (``326 546 / 24 51``) are two cells whose rule the grid missed, left for the arithmetic."""
    parts = [line.text for line in _lines(glyphs, 0)]
    if len(parts) > 1 and all(_DIGITS.fullmatch(part) for part in parts):
        return "".join(parts)
    out = ""
    for part in parts:
        if out and out[-1].isascii() and out[-1].isalnum() and part[:1].isascii() and part[:1].isalnum():
            out += " "
        out += part
    return out


# --- ruled tables ------------------------------------------------------------------------

def _snap(values: list[float]) -> list[float]:
    """Values within SNAP of each other as one (their mean), ascending."""
    return clusters(values, SNAP)


def _merged(rules: list[Rule]) -> list[Rule]:
    """Collinear rules that touch or overlap as one (Word draws a border cell by cell)."""
    out: list[Rule] = []
    for r in sorted(rules, key=lambda r: (r.horizontal, round(r.at / SNAP), r.lo)):
        last = out[-1] if out else None
        if (last and last.horizontal == r.horizontal and abs(last.at - r.at) <= SNAP
                and r.lo <= last.hi + SNAP and r.hi >= last.lo - SNAP):  # touching, not only near
            out[-1] = Rule(r.horizontal, last.at, min(last.lo, r.lo), max(last.hi, r.hi))
        else:
            out.append(r)
    return out


def _components(rules: list[Rule]) -> list[list[Rule]]:
    """Groups of rules that cross or touch each other: one group, one table."""
    parent = list(range(len(rules)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    hs = [i for i, r in enumerate(rules) if r.horizontal]
    vs = [i for i, r in enumerate(rules) if not r.horizontal]
    for i in hs:
        h = rules[i]
        for j in vs:
            v = rules[j]
            if h.lo - SNAP <= v.at <= h.hi + SNAP and v.lo - SNAP <= h.at <= v.hi + SNAP:
                parent[find(i)] = find(j)
    groups: dict[int, list[Rule]] = {}
    for i, r in enumerate(rules):
        groups.setdefault(find(i), []).append(r)
    return list(groups.values())


def _covered(rules: list[Rule], at: float, lo: float, hi: float) -> bool:
    """Whether a rule at ``at`` draws the stretch from ``lo`` to ``hi``."""
    return any(abs(r.at - at) <= SNAP and r.lo <= lo and r.hi >= hi for r in rules)


def _grid(rules: list[Rule], page: int) -> Grid | None:
    """The table a group of rules draws, cells merged where a boundary is not drawn; None when
    it is not a table of at least two cells."""
    hs = [r for r in rules if r.horizontal]
    vs = [r for r in rules if not r.horizontal]
    if not hs or not vs:
        return None
    # the rules' own extent closes a table whose outer border is not drawn
    xs = _snap([r.at for r in vs] + [min(r.lo for r in hs), max(r.hi for r in hs)])
    ys = _snap([r.at for r in hs] + [min(r.lo for r in vs), max(r.hi for r in vs)])[::-1]  # top to bottom
    if len(xs) < 2 or len(ys) < 2 or (len(xs) == 2 and len(ys) == 2):
        return None
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    parent = list(range(n_rows * n_cols))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for r in range(n_rows):
        y_lo, y_hi = ys[r + 1], ys[r]
        mid_lo, mid_hi = y_lo + (y_hi - y_lo) * 0.3, y_hi - (y_hi - y_lo) * 0.3
        for c in range(n_cols):
            x_lo, x_hi = xs[c], xs[c + 1]
            if c + 1 < n_cols and not _covered(vs, xs[c + 1], mid_lo, mid_hi):
                parent[find(r * n_cols + c)] = find(r * n_cols + c + 1)
            mid_l, mid_r = x_lo + (x_hi - x_lo) * 0.3, x_hi - (x_hi - x_lo) * 0.3
            if r + 1 < n_rows and not _covered(hs, ys[r + 1], mid_l, mid_r):
                parent[find(r * n_cols + c)] = find((r + 1) * n_cols + c)
    boxes: dict[int, list[int]] = {}
    for r in range(n_rows):
        for c in range(n_cols):
            box = boxes.setdefault(find(r * n_cols + c), [r, c, r, c])
            box[0], box[1] = min(box[0], r), min(box[1], c)
            box[2], box[3] = max(box[2], r), max(box[3], c)
    if len(boxes) < 2:
        return None
    cells = [GridCell(r0, r1 + 1, xs[c0], xs[c1 + 1]) for r0, c0, r1, c1 in sorted(boxes.values())]
    return Grid(n_rows, cells, page, xs[0], xs[-1], ys[0], ys[-1], xs, ys)


def _fill(grid: Grid, glyphs: list[Glyph]) -> list[Glyph]:
    """Put each glyph inside the grid into its cell; returns the glyphs outside it."""
    outside: list[Glyph] = []
    owned: dict[int, list[Glyph]] = {}
    xs = grid.xs
    starts = {}
    for k, cell in enumerate(grid.cells):
        c0 = xs.index(cell.x0)
        c1 = xs.index(cell.x1)
        for r in range(cell.r0, cell.r1):
            for c in range(c0, c1):
                starts[(r, c)] = k
    neg_ys = [-y for y in grid.ys]
    for g in glyphs:
        if not (grid.left < g.cx < grid.right and grid.bottom < g.cy < grid.top):
            outside.append(g)
            continue
        r = bisect_right(neg_ys, -g.cy) - 1
        c = bisect_right(xs, g.cx) - 1
        k = starts.get((r, c))
        if k is None:
            outside.append(g)
        else:
            owned.setdefault(k, []).append(g)
    for k, gs in owned.items():
        grid.cells[k].text = _cell_text(gs)
    return outside


def _grids(page: Page) -> tuple[list[Grid], list[Glyph]]:
    """The page's ruled tables with their text, and the glyphs left for running text."""
    grids: list[Grid] = []
    glyphs = page.glyphs
    for group in _components(_merged(page.rules)):
        grid = _grid(group, page.number)
        if grid is None:
            continue
        inside = [g for g in glyphs if grid.left < g.cx < grid.right and grid.bottom < g.cy < grid.top]
        if not inside:
            continue  # a frame or decoration with no text
        glyphs = _fill(grid, glyphs)
        grids.append(grid)
    return grids, glyphs


# --- across pages: running headers and footers, tables continued --------------------------

def _running(pages: list[Page], lines_by_page: list[list[Line]]) -> set[tuple[int, int]]:
    """(page, line index) of the running headers and footers: page numbers in the top or
    bottom tenth of a page, and a line in that zone repeated on most pages."""
    out: set[tuple[int, int]] = set()
    repeated: Counter[str] = Counter()
    zone: list[tuple[int, int, str]] = []
    for p, (page, lines) in enumerate(zip(pages, lines_by_page)):
        seen = set()
        for i, line in enumerate(lines):
            if line.bottom > page.height * (1 - MARGIN_ZONE) or line.top < page.height * MARGIN_ZONE:
                text = re.sub(r"\d+", "#", line.text.replace(" ", ""))
                if _PAGE_NUMBER.match(line.text.strip()):
                    out.add((p, i))
                elif text not in seen:
                    seen.add(text)
                    repeated[text] += 1
                    zone.append((p, i, text))
    if len(pages) >= 3:
        out |= {(p, i) for p, i, text in zone if repeated[text] >= max(3, len(pages) * 0.6)}
    return out


def _header_rows(grid: Grid) -> int:
    """Rows before the first that holds a number."""
    numeric = [c.r0 for c in grid.cells if c.text and number(c.text) is not None]
    return min(numeric) if numeric else 0


def _row_texts(grid: Grid, rows: int) -> list[tuple[int, int, str]]:
    return sorted((c.r0, round(c.x0), c.text.replace(" ", "")) for c in grid.cells if c.r0 < rows)


def _continues(a: Grid, b: Grid) -> bool:
    return b.page == a.page + 1 and abs(a.left - b.left) <= 2 * SNAP and abs(a.right - b.right) <= 2 * SNAP


def _join(a: Grid, b: Grid) -> Grid:
    """A table continued on the next page: b's rows after a's, a repeated header dropped and
    cells cut by the page break put together again."""
    head = _header_rows(a)
    if head and _row_texts(b, head) == _row_texts(a, head):
        b_cells = [GridCell(c.r0 - head, c.r1 - head, c.x0, c.x1, c.text) for c in b.cells if c.r0 >= head]
        b_rows = b.rows - head
    else:
        b_cells, b_rows = list(b.cells), b.rows
    last = {(round(c.x0), round(c.x1)): c for c in a.cells if c.r1 == a.rows}
    first = {(round(c.x0), round(c.x1)): c for c in b_cells if c.r0 == 0}
    pairs = [(last[k], first[k]) for k in last.keys() & first.keys()] + \
            [(last[k], first[j]) for k in last for j in first if k != j and abs(k[0] - j[0]) <= SNAP
             and abs(k[1] - j[1]) <= SNAP and j not in last]
    # a label cut by the page break goes on; one that starts with its own numbering is a new row
    cut = [(x, y) for x, y in pairs if _is_label(x.text) and _is_label(y.text) and numbering_level(y.text) is None]
    numbers = [(x, y) for x, y in pairs if _is_number(x.text) or _is_number(y.text)]
    if numbers and all(_is_number(x.text) and _is_number(y.text) for x, y in numbers):
        # both halves carry every figure: two rows the page break parts — only a label spanning
        # rows (a category over sub-rows) goes on over the break, not the rows' own labels
        cut = [(x, y) for x, y in cut if x.r1 - x.r0 > 1 or y.r1 - y.r0 > 1]
    row_cut = any(x.r1 - x.r0 == 1 and y.r1 - y.r0 == 1 for x, y in cut)
    joined = cut if not row_cut else [(x, y) for x, y in pairs if not (_is_number(x.text) and _is_number(y.text))]
    gone = set()
    for x, y in joined:
        x.text = x.text + y.text
        x.r1 = a.rows + y.r1
        gone.add(id(y))
    cells = list(a.cells) + [GridCell(c.r0 + a.rows, c.r1 + a.rows, c.x0, c.x1, c.text)
                             for c in b_cells if id(c) not in gone]
    return Grid(a.rows + b_rows, cells, b.page, min(a.left, b.left), max(a.right, b.right), a.top, b.bottom,
                _snap(a.xs + b.xs))


def _is_number(text: str) -> bool:
    return bool(text) and number(text) is not None


def _is_label(text: str) -> bool:
    return bool(text.strip()) and number(text) is None


def _table(grid: Grid) -> Table:
    """A grid as a Document table: columns where any part's edges are."""
    xs = grid.xs

    def col(x: float) -> int:
        return min(range(len(xs)), key=lambda k: abs(xs[k] - x))

    cells = []
    for c in sorted(grid.cells, key=lambda c: (c.r0, c.x0)):
        c0, c1 = col(c.x0), col(c.x1)
        if c1 <= c0:
            continue
        cells.append(Cell(c.text, c.r0, c0, c.r1 - c.r0, c1 - c0, "value" if _is_number(c.text) else "label"))
    return Table(grid.rows, len(xs) - 1, 0, cells, name="pdf")


# --- lines into paragraphs ---------------------------------------------------------------

@dataclass
class _Body:
    """The text block's measures: left and right margin, a body character's size."""

    left: float
    right: float
    size: float


def _body(lines: list[Line]) -> _Body:
    full = [ln for ln in lines if len(ln.glyphs) >= 12] or lines
    left = Counter(round(ln.x0) for ln in full).most_common(1)[0][0]
    right = max(Counter(round(ln.x1) for ln in full).most_common(3))[0]
    size = median(ln.height for ln in full)
    return _Body(left, right, size)


def _kind(line: Line, body: _Body) -> str:
    s = body.size
    middle = (body.left + body.right) / 2
    if line.x0 - body.left > 2 * s and line.x1 < body.right - 2 * s and abs((line.x0 + line.x1) / 2 - middle) < 1.5 * s:
        return "centred"
    if line.x0 > middle and line.x1 > body.right - 6 * s:
        return "right"
    if line.x0 - body.left >= 0.8 * s:
        return "indented"
    return "flush"


def _paragraphs(stream: list, body: _Body) -> list:
    """Lines and tables in reading order → paragraph strings, right-set paragraphs and tables."""
    out: list = []
    text = ""
    prev: Line | None = None
    prev_kind = ""

    def flush() -> None:
        nonlocal text
        if text:
            out.append(Paragraph(text, "right") if prev_kind == "right" else text)
        text = ""

    for item in stream:
        if isinstance(item, Table):
            flush()
            out.append(item)
            prev = None
            continue
        line: Line = item
        kind = _kind(line, body)
        ratio = min(line.height, prev.height) / max(line.height, prev.height) if prev is not None else 0.0
        # a run-in heading in another face changes a line's height a little; a title's size a lot
        runs_on = (ratio >= 0.65 and kind == "flush" and prev_kind in ("flush", "indented")
                   and prev.x1 >= body.right - 1.5 * body.size and not _starts_section(line, prev, body))
        title_goes_on = (ratio >= 0.8 and kind == "centred" and prev_kind in ("centred", "flush")
                         and min(line.height, prev.height) > 1.2 * body.size)
        if runs_on or title_goes_on:
            text = _glue(text, line.text)
        else:
            flush()
            text = line.text
        prev, prev_kind = line, kind
    flush()
    return out


def _starts_section(line: Line, prev: Line, body: _Body) -> bool:
    """A numbered line (一、 （一） 1.) that cannot continue the line before: that one ends a
    sentence or is set larger than the body (a title), and this one stops short of the margin.
    (Where every paragraph is a single indented line, the body's left edge is the indent, so a
    heading there looks like a flush line running on.)"""
    if numbering_level(line.text) is None or line.x1 >= body.right - 2 * body.size:
        return False
    return prev.text.rstrip()[-1:] in "。；：！？;:!?" or prev.height > 1.2 * body.size >= line.height


def _glue(a: str, b: str) -> str:
    if a and b and a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalnum():
        return a + " " + b
    return a + b


def layout(pages: list[Page]) -> tuple[list, list[str]]:
    """Every page's lines and tables in reading order, running heads set apart, tables
    continued over a page joined: (items for ``read_items``, chrome lines)."""
    per_page: list[tuple[list[Grid], list[Line]]] = []
    for page in pages:
        grids, rest = _grids(page)
        per_page.append((grids, _lines(rest, page.number)))
    running = _running(pages, [lines for _, lines in per_page])
    chrome: list[str] = []
    stream: list = []  # Lines and Grids, top to bottom, page after page
    for p, (grids, lines) in enumerate(per_page):
        page_items: list = []
        for i, line in enumerate(lines):
            if (p, i) in running:
                chrome.append(line.text)
            else:
                page_items.append(line)
        page_items += grids
        page_items.sort(key=lambda it: -it.top)
        for item in page_items:
            prev = stream[-1] if stream else None
            if isinstance(item, Grid) and isinstance(prev, Grid) and item is page_items[0] and _continues(prev, item):
                stream[-1] = _join(prev, item)
            else:
                stream.append(item)
    lines = [it for it in stream if isinstance(it, Line)]
    if not lines:
        return [_table(it) for it in stream], chrome
    body = _body(lines)
    return _paragraphs([_table(it) if isinstance(it, Grid) else it for it in stream], body), chrome


__all__ = ["HIDDEN_NOTICE", "OCR_NOTICE", "SCANNED", "hidden_notice", "layout", "read"]

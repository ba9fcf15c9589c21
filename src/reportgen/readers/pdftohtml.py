"""Pages made by Poppler's ``pdftohtml``: every run of text is a ``<p>`` placed absolutely on its
page, so a table's blank cells — printed as nothing in a PDF that leaves zeros blank — can be
given back by where the numbers stand.

The run of number fragments between two label fragments (in the page's order) is one table
row: each number is put in a column by its centre (the columns are the centres the page's
numbers cluster at), the pieces of a number wrapped inside its cell stay in their order, and a
column the row leaves empty gets a “—”. The row is then one fragment of text, read by the text
reader like any other (``tables.decode`` joins the wrapped pieces by the row's sums). Only pages
whose digit width can be measured (a number and its wrapped last piece centred under it) are
touched; anything else is left as pdftohtml wrote it.

A table whose page has no wrapped number (table 四 on a page of its own) or whose rows are short
(table 二's blocks: a row of one to three cells) is placed by its header instead: each column is
where its lowest header cell stands (a CJK character is one em of the class's font size, which
the page's CSS gives), and each number goes to the column nearest its centre.
"""
from __future__ import annotations

import re
from statistics import median

from ..labels import BLANK, is_page_number, number
from .geometry import clusters  # centres within a digit's width of one another

_POSITION = re.compile(r"top:\s*(-?\d+(?:\.\d+)?)px;\s*left:\s*(-?\d+(?:\.\d+)?)px")
_FONT_SIZE = re.compile(r"\.(ft\w+)\s*\{[^}]*?font-size:\s*(\d+(?:\.\d+)?)px")
_SIGNED = re.compile(r"-?\d+(?:\.\d+)?")  # a cell of table 二: 本年增/减 -41, 收费金额 6768.85
DIGIT_EM = 0.55  # a digit's width in ems where no page of the document shows it (most fonts: 0.5–0.64)


def is_pdftohtml(root) -> bool:
    """Whether the page is pdftohtml's: page divs holding absolutely placed paragraphs."""
    return bool(root.xpath("//div[starts-with(@id,'page') and contains(@id,'-div')]/p[contains(@style,'position:absolute')]"))


def fill_blanks(root) -> None:
    """Rewrite each table row of number fragments on every page as one fragment, its blank
    columns given as “—” (see the module's docstring)."""
    pages = [_regions(_fragments(page, sizes)) for page, sizes in _pages(root)]
    widths = [_digit_width([run for runs in regions for _, run in runs]) for regions in pages]
    # a digit's width in ems, as the pages that show it measure it (for the pages that do not)
    ems = [w / size for w, regions in zip(widths, pages) if w
           for size in {f[4] for runs in regions for _, run in runs for f in run if f[4]}]
    em = median(ems) if ems else DIGIT_EM
    carried: list[float] = []  # the columns a table broken by the page had at the page's foot
    for regions, width in zip(pages, widths):
        for k, runs in enumerate(regions):
            if width is not None and _region([run for _, run in runs], [f for labels, _ in runs for f in labels], width):
                carried = []
            else:
                carried = _by_header(runs, width, em, carried if k == 0 else [])


def _pages(root) -> list[tuple]:
    """(page div, {class: font size in px}) for every page. pdftohtml names a font's class after
    the page it is used on and the font (``ft37``: page 3, font 7) but writes its CSS only on the
    page it first appears on (``ft27``), so a size is known by the font's number."""
    fonts: dict[str, float] = {}
    css: list[str] = []
    out = []
    for el in root.iter("style", "div"):
        if el.tag == "style":
            css.append(el.text or "")
            continue
        m = re.fullmatch(r"page(\d+)-div", el.get("id") or "")
        if not m:
            continue
        prefix = f"ft{m.group(1)}"
        for name, px in (x for text in css for x in _FONT_SIZE.findall(text)):
            if name.startswith(prefix):
                fonts.setdefault(name[len(prefix):], float(px))
        css = []
        used = {p.get("class") or "" for p in el.iter("p")}
        out.append((el, {c: fonts[c[len(prefix):]] for c in used
                         if c.startswith(prefix) and c[len(prefix):] in fonts}))
    return out


def _fragments(page, sizes: dict[str, float]) -> list[tuple]:
    """(element, top, left, words or None, font size in px or None, lines of text) for each placed
    paragraph, in the page's order; words None for a fragment that is not numbers only (a label,
    prose, a page number)."""
    out = []
    for p in page.iter("p"):
        m = _POSITION.search(p.get("style") or "")
        if not m:
            continue
        text = "".join(p.itertext()).replace("\xa0", " ").strip()
        words = text.split()
        numeric = bool(words) and len(list(p.iter("br"))) == 0 and not is_page_number(text) \
            and all(number(w) is not None and (number(w) is BLANK or _SIGNED.fullmatch(w)) for w in words)
        lines = [t.replace("\xa0", " ").strip() for t in p.itertext() if t.strip()]
        out.append((p, float(m.group(1)), float(m.group(2)), words if numeric else None,
                    sizes.get(p.get("class") or ""), lines))
    return out


def _regions(frags: list[tuple]) -> list[list[tuple[list[tuple], list[tuple]]]]:
    """The page's tables, each as its runs of number fragments (between two labels), each run
    with the label fragments printed since the run before it; prose (a sentence, a long line)
    between runs ends a table."""
    regions: list[list[tuple[list[tuple], list[tuple]]]] = [[]]
    labels: list[tuple] = []
    mixed = False  # the last label ends with numbers (``2.其他法律行政法规禁止公开 114 144``)
    for f in frags:
        if f[3] is None:
            text = "".join(f[0].itertext())
            words = text.replace("\xa0", " ").split()
            mixed = bool(words) and number(words[-1]) is not None and not is_page_number(text.strip())
            if "。" in text or len(text) > 60:
                regions.append([])
                labels = []
            else:
                labels.append(f)
        elif mixed:
            continue  # a row begun inside its label's fragment: where its first numbers stand is not known
        else:
            if labels or not regions[-1]:
                regions[-1].append((labels, []))
                labels = []
            regions[-1][-1][1].append(f)
    return [runs for runs in regions if runs]


def _vertical(p) -> bool:
    """A header printed one character a line down its narrow column (自 / 然 / 人)."""
    lines = [t.strip() for t in p.itertext() if t.strip()]
    return len(lines) >= 2 and all(len(t) == 1 and not t.isdigit() for t in lines)


def _digit_width(runs: list[list[tuple]]) -> float | None:
    """A digit's width on the page: a number wrapped in its cell has its last, shorter piece
    centred under the first (``99`` at 482, ``5`` at 490: a digit is 16 wide)."""
    found = []
    for run in runs:
        for a, b in zip(run, run[1:]):
            if len(a[3]) == 1 and len(b[3]) == 1 and b[1] > a[1] and a[3][0].isdigit() and b[3][0].isdigit():
                k = len(a[3][0]) - len(b[3][0])
                shift = b[2] - a[2]
                if k > 0 and 0 < shift <= 20 * k:
                    found.append(2 * shift / k)
    return median(found) if len(found) >= 2 else None


def _region(runs: list[list[tuple]], labels: list[tuple], width: float) -> bool:
    """The region's rows placed by the columns its numbers cluster at; False when it is not
    such a table (its rows too short, a number off every column)."""
    # a column's header printed down it (自 / 然 / 人): a CJK character is 1.5 digits
    heads = [f[2] + 0.75 * width for f in labels if _vertical(f[0])]
    if not runs or any(number(w) is BLANK for run in runs for f in run for w in f[3]):
        return True  # a table that prints its blanks (“—”) needs none given back
    columns = clusters([_centre(f, width) for run in runs for f in run], width)
    gaps = [b - a for a, b in zip(columns, columns[1:])]
    if not gaps:
        return False
    # a header within the numbers' span and off every column of numbers names a column left
    # blank in every row; one outside the span (三、本年度办理结果 down the side) is a row's label
    columns = sorted(columns + [h for h in clusters(heads, width) if columns[0] < h < columns[-1]
                                and min(abs(h - c) for c in columns) > 0.6 * min(gaps)])
    rows = [_placed(run, columns, width) for run in runs]
    if max((len(r) for r in rows if r), default=0) < 5:
        return False  # no row of a wide table (table 二's small tables side by side: by their headers)
    for run, cells in zip(runs, rows):
        if cells:
            _write(run, cells, len(columns))
    return True


def _by_header(runs: list[tuple[list[tuple], list[tuple]]], width: float | None, em: float,
               columns: list[float]) -> list[float]:
    """The region's rows placed under the columns of the header above them (see the module's
    docstring): rows after one header share its columns until the next (rows before any header
    take ``columns``, the last ones of the page before); a row with a number under no column, or
    more numbers than columns, is left as it is. Returns the columns of the region's last row."""
    if any(number(w) is BLANK for _, run in runs for f in run for w in f[3]):
        return []  # a table that prints its blanks needs none given back
    lefts = [f[2] for _, run in runs for f in run]
    for labels, run in runs:
        top = min(f[1] for f in run)
        heads = [f for f in labels if f[4] and f[1] + len(f[5]) * f[4] <= top]  # above the row
        if heads:
            cells = _header_cells(heads)
            leaves = [x + w / 2 for t, x, w, size in cells if not any(
                t2 > t + 0.5 * size and x < x2 + w2 and x2 < x + w for t2, x2, w2, _ in cells)]
            # the label column's header (信息内容) stands left of every number
            columns = sorted(c for c in leaves if c > min(lefts))
        if len(columns) < 2:
            continue
        pitch = min(b - a for a, b in zip(columns, columns[1:]))
        placed: dict[int, list[tuple[float, str, float]]] = {}
        for f in run:
            digit = width or em * (f[4] or 0)
            centre = f[2] + len(f[3][0]) * digit / 2
            first = min(range(len(columns)), key=lambda c: abs(columns[c] - centre))
            # (a number well off its header's centre: the columns are not these, or not centred)
            if not digit or abs(columns[first] - centre) > 0.35 * pitch or first + len(f[3]) > len(columns):
                placed = {}
                break
            for k, w in enumerate(f[3]):
                placed.setdefault(first + k, []).append((f[1], w, f[4] or 0))
        cells = {i: _one_number(pieces) for i, pieces in placed.items()}
        if cells and all(cells.values()):
            _write(run, {i: [v] for i, v in cells.items()}, len(columns))
    return columns


def _one_number(pieces: list[tuple[float, str, float]]) -> str | None:
    """A cell's number from its pieces (top, text, font size): one piece, or the lines of a number
    wrapped inside its narrow cell — stacked a line apart, each as wide as the first but the last
    (7 / 9 / 3 / 6 / 4 is 79364); None for anything else (two rows' numbers, a sign inside)."""
    pieces = sorted(pieces)
    texts = [t for _, t, _ in pieces]
    if len(texts) == 1:
        return texts[0]
    lines_apart = all(0 < b[0] - a[0] <= 1.4 * a[2] for a, b in zip(pieces, pieces[1:]))
    widths_fit = all(t.isdigit() and len(t) == len(texts[0]) for t in texts[:-1]) and texts[-1].isdigit() \
        and len(texts[-1]) <= len(texts[0]) and not texts[0].startswith("0")
    return "".join(texts) if lines_apart and widths_fit else None


def _header_cells(heads: list[tuple]) -> list[tuple[float, float, float, float]]:
    """(top, left, width, font size) of each header cell: a CJK character is one em wide, others
    half; a one-line fragment of several words is neighbouring cells pdftohtml joined (本年制发件数
    本年废止件数 现行有效件数), a space (half an em) apart; single characters spaced out (其 他 结)
    are one cell."""
    out = []
    for f in heads:
        size = f[4]
        words = f[5][0].split() if len(f[5]) == 1 else []
        if len(words) > 1 and all(len(w) > 1 for w in words):
            x = f[2]
            for word in words:
                w = _ems(word) * size
                out.append((f[1], x, w, size))
                x += w + 0.5 * size
        else:
            out.append((f[1], f[2], max(_ems(t) for t in f[5]) * size, size))
    return out


def _ems(text: str) -> float:
    return sum(1 if ord(ch) > 0x2E7F else 0.5 for ch in text)


def _centre(fragment: tuple, width: float) -> float:
    """Where the first word of a number fragment stands: centred on its text."""
    left, words = fragment[2], fragment[3]
    return left + len(words[0]) * width / 2


def _placed(run: list[tuple], columns: list[float], width: float) -> dict[int, list[str]] | None:
    """The run's numbers by column (the words after a fragment's first: the next columns, as
    pdftohtml joins neighbouring cells of a line), pieces in their order; None when a number
    stands off every column."""
    cells: dict[int, list[tuple[float, str]]] = {}
    for fragment in run:
        centre = _centre(fragment, width)
        first = min(range(len(columns)), key=lambda c: abs(columns[c] - centre))
        if abs(columns[first] - centre) > width or first + len(fragment[3]) > len(columns):
            return None
        for k, w in enumerate(fragment[3]):
            cells.setdefault(first + k, []).append((fragment[1], w))
    return {i: [w for _, w in sorted(pieces, key=lambda p: p[0])] for i, pieces in cells.items()}


def _write(run: list[tuple], cells: dict[int, list[str]], count: int) -> None:
    """The row as one fragment, empty columns as “—”; the run's other fragments emptied."""
    tokens = []
    for i in range(count):
        tokens += cells.get(i) or ["—"]
    head = run[0][0]
    for el in list(head):
        head.remove(el)
    head.text = " ".join(tokens)
    for p, *_ in run[1:]:
        tail = p.tail
        for el in list(p):
            p.remove(el)
        p.text = ""
        p.tail = tail

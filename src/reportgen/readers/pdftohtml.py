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
"""
from __future__ import annotations

import re
from statistics import median

from ..labels import BLANK, is_page_number, number
from .geometry import clusters  # centres within a digit's width of one another

_POSITION = re.compile(r"top:\s*(-?\d+(?:\.\d+)?)px;\s*left:\s*(-?\d+(?:\.\d+)?)px")


def is_pdftohtml(root) -> bool:
    """Whether the page is pdftohtml's: page divs holding absolutely placed paragraphs."""
    return bool(root.xpath("//div[starts-with(@id,'page') and contains(@id,'-div')]/p[contains(@style,'position:absolute')]"))


def fill_blanks(root) -> None:
    """Rewrite each table row of number fragments on every page as one fragment, its blank
    columns given as “—” (see the module's docstring)."""
    for page in root.xpath("//div[starts-with(@id,'page') and contains(@id,'-div')]"):
        _page(page)


def _fragments(page) -> list[tuple]:
    """(element, top, left, words or None) for each placed paragraph, in the page's order;
    words None for a fragment that is not numbers only (a label, prose, a page number)."""
    out = []
    for p in page.iter("p"):
        m = _POSITION.search(p.get("style") or "")
        if not m:
            continue
        text = "".join(p.itertext()).replace("\xa0", " ").strip()
        words = text.split()
        numeric = bool(words) and len(list(p.iter("br"))) == 0 and not is_page_number(text) \
            and all(number(w) is not None and (number(w) is BLANK or w.isdigit()) for w in words)
        out.append((p, float(m.group(1)), float(m.group(2)), words if numeric else None))
    return out


def _regions(frags: list[tuple]) -> list[list[list[tuple]]]:
    """The page's tables, each as its runs of number fragments (between two labels); prose
    (a sentence, a long line) between runs ends a table."""
    regions: list[list[list[tuple]]] = [[[]]]
    mixed = False  # the last label ends with numbers (``2.其他法律行政法规禁止公开 114 144``)
    for f in frags:
        if f[3] is None:
            text = "".join(f[0].itertext())
            words = text.replace("\xa0", " ").split()
            mixed = bool(words) and number(words[-1]) is not None and not is_page_number(text.strip())
            if "。" in text or len(text) > 60:
                regions.append([[]])
            elif regions[-1][-1]:
                regions[-1].append([])
            if _vertical(f[0]):
                regions[-1][0].insert(0, (f[0], f[1], f[2], []))  # a column's header
        elif mixed:
            continue  # a row begun inside its label's fragment: where its first numbers stand is not known
        else:
            regions[-1][-1].append(f)
    return [[r for r in runs if r] for runs in regions if any(runs)]


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


def _page(page) -> None:
    regions = _regions(_fragments(page))
    width = _digit_width([run for runs in regions for run in runs])
    if width is None:
        return
    for runs in regions:
        _region(runs, width)


def _region(runs: list[list[tuple]], width: float) -> None:
    heads = [f[2] + 0.75 * width for run in runs for f in run if not f[3]]  # a CJK character: 1.5 digits
    runs = [[f for f in run if f[3]] for run in runs]
    runs = [run for run in runs if run]
    if not runs or any(number(w) is BLANK for run in runs for f in run for w in f[3]):
        return  # a table that prints its blanks (“—”) needs none given back
    columns = clusters([_centre(f, width) for run in runs for f in run], width)
    gaps = [b - a for a, b in zip(columns, columns[1:])]
    if not gaps:
        return
    # a header within the numbers' span and off every column of numbers names a column left
    # blank in every row; one outside the span (三、本年度办理结果 down the side) is a row's label
    columns = sorted(columns + [h for h in clusters(heads, width) if columns[0] < h < columns[-1]
                                and min(abs(h - c) for c in columns) > 0.6 * min(gaps)])
    rows = [_placed(run, columns, width) for run in runs]
    if max((len(r) for r in rows if r), default=0) < 5:
        return  # no row of a wide table (table 二's small tables side by side are left alone)
    for run, cells in zip(runs, rows):
        if cells:
            _write(run, cells, len(columns))


def _centre(fragment: tuple, width: float) -> float:
    """Where the first word of a number fragment stands: centred on its text."""
    _, _, left, words = fragment
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

"""A Word file made of positioned frames → the pages the PDF reader lays out.

When LibreOffice opens a PDF (``writer_pdf_import``) and saves it as Word, the docx has no
paragraphs of running text and no tables: every line of the PDF is a text box placed at an absolute
position (DrawingML ``wp:anchor`` with ``wps:txbx``, VML ``v:shape`` with ``v:textbox`` as its
fallback), and every table rule is a drawn line (``prstGeom line``, ``v:line``). All of them hang
off one paragraph, page after page, each page's pieces top to bottom.

This module owns that shape: it tells such a file from a written one (``is_framed``), collects
every text piece with its position and size (EMU, VML points or ``w:framePr`` twips → points)
and every drawn rule, cuts the sequence into pages where the positions start again from the top,
and hands the pages to the PDF reader's geometry (``pdf.layout``: rules → tables, lines →
paragraphs, running footers set apart). A piece's characters get boxes spread over the piece's
width in proportion to their usual advance (a Chinese character one em, Latin half of one).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..formats.docx import W
from ..labels import number
from .geometry import Glyph, Page, Rule
from .pdfpage import MIN_RULE, RULE_WIDTH

MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
WPS = "{http://schemas.microsoft.com/office/word/2010/wordprocessingShape}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
V = "{urn:schemas-microsoft-com:vml}"

EMU = 12700.0          # EMU per point
TWIP = 20.0            # twips per point
NEW_PAGE = 12.0        # a piece this far (points) above the one before it starts the next page
MIN_FRAMED = 12        # fewer positioned text pieces than this is a written document with a few boxes
FLOW_SHARE = 20        # and its running text (which has no position) is at most a twentieth of theirs
A4 = (595.3, 841.9)

_SHAPES = {V + "shape", V + "rect", V + "line", V + "roundrect"}


@dataclass
class Piece:
    """A text box's line of text, or a drawn rule, in page points (y down from the page's top)."""

    x: float
    y: float
    w: float
    h: float
    runs: list[tuple[str, float | None]] | None = None   # (text, font size) of a text piece
    rules: list[tuple[bool, float, float, float]] | None = None  # (horizontal, at, lo, hi), y down


# --- which documents -------------------------------------------------------------------------

def is_framed(body) -> bool:
    """Whether a document body is made of positioned text pieces rather than paragraphs and tables:
    many text boxes or frames with a position, next to no text anywhere else (in the flow, or in
    boxes placed by alignment rather than offset: a reading by position would lose it), and no
    table kept in a box (which a reading by position would flatten)."""
    contents = [c for c in body.iter(W + "txbxContent") if not _in_fallback(c) and not _inside_box(c)]
    if any(c.find(f".//{W}tbl") is not None for c in contents):
        return False  # a real table in a box: read the boxes in document order, tables and all
    placed = [p for p in pieces(body) if p.runs is not None]
    if len(placed) < MIN_FRAMED:
        return False
    boxed = sum(_chars("".join(t for t, _ in p.runs)) for p in placed)
    everything = _chars(own_text(body)) + sum(_chars("".join(t.text or "" for t in c.iter(W + "t"))) for c in contents)
    return (everything - boxed) * FLOW_SHARE <= boxed


def _chars(text: str) -> int:
    return len(re.sub(r"\s", "", text))


def _in_fallback(el) -> bool:
    return any(a.tag == MC + "Fallback" for a in el.iterancestors())


def _inside_box(el) -> bool:
    return any(a.tag == W + "txbxContent" for a in el.iterancestors())


def own_text(p, br: str = " ") -> str:
    """A paragraph's own text, without what its text boxes hold or a fallback repeats; a tab is a
    space, a line break ``br``."""
    out: list[str] = []

    def walk(el) -> None:
        for child in el:
            tag = child.tag
            if tag == W + "t":
                out.append(child.text or "")
            elif tag == W + "tab":
                out.append(" ")
            elif tag == W + "br":
                out.append(br)
            elif tag not in (MC + "Fallback", W + "txbxContent"):
                walk(child)

    walk(p)
    return "".join(out)


def visit(el, take) -> int:
    """Walk ``el``'s descendants in document order. ``take(child)`` returns None to be walked into,
    or how many things it took from the child (not walked into further). Of an
    ``mc:AlternateContent`` only the choice is walked, or its fallback when the choice gave nothing
    (the fallback is the same content again for older readers). Returns how many were taken."""
    taken = 0
    for child in el:
        if child.tag == MC + "AlternateContent":
            choice, fallback = child.find(MC + "Choice"), child.find(MC + "Fallback")
            got = visit(choice, take) if choice is not None else 0
            if not got and fallback is not None:
                got = visit(fallback, take)
            taken += got
        else:
            got = take(child)
            taken += visit(child, take) if got is None else got
    return taken


# --- pieces ----------------------------------------------------------------------------------

def pieces(body) -> list[Piece]:
    """Every positioned text piece and drawn rule, in document order."""
    out: list[Piece] = []

    def take(el) -> int | None:
        if el.tag == WP + "anchor":
            piece = _anchor(el)
        elif el.tag in _SHAPES:
            piece = _vml(el)
        elif el.tag == W + "p" and el.find(f"{W}pPr/{W}framePr") is not None and not _inside_box(el):
            piece = _frame(el)
            if piece is not None:
                out.append(piece)
            return (piece is not None) + visit(el, take)  # a frame's paragraph may anchor shapes too
        else:
            return None
        if piece is None:
            return 0
        out.append(piece)
        return 1

    visit(body, take)
    return out


def _int(value: str | None, default: float = 0.0) -> float:
    try:
        return float(int(value)) if value is not None else default
    except ValueError:
        return default


def _runs(paragraphs) -> list[tuple[str, float | None]]:
    """(text, font size in points) of the runs of a text box's paragraphs, joined by a space."""
    runs: list[tuple[str, float | None]] = []
    for i, p in enumerate(paragraphs):
        if i and runs:
            runs.append((" ", None))
        for r in p.iter(W + "r"):
            sz = r.find(f"{W}rPr/{W}sz")
            size = _int(sz.get(W + "val"), 0) / 2 if sz is not None else None
            text = "".join((t.text or "") if t.tag == W + "t" else " " for t in r if t.tag in (W + "t", W + "tab"))
            if text:
                runs.append((text, size or None))
    return runs


def _anchor(anchor) -> Piece | None:
    """A DrawingML anchored shape: a text box, a line, or a thin or stroked rectangle."""
    try:
        x = _int(anchor.find(f"{WP}positionH/{WP}posOffset").text) / EMU
        y = _int(anchor.find(f"{WP}positionV/{WP}posOffset").text) / EMU
    except AttributeError:
        return None
    ext = anchor.find(WP + "extent")
    w = _int(ext.get("cx")) / EMU if ext is not None else 0.0
    h = _int(ext.get("cy")) / EMU if ext is not None else 0.0
    content = anchor.find(f".//{WPS}txbx/{W}txbxContent")
    if content is not None:
        runs = _runs(content.iter(W + "p"))
        return Piece(x, y, w, h, runs=runs) if "".join(t for t, _ in runs).strip() else None
    sp = anchor.find(f".//{WPS}spPr")
    if sp is None:
        return None
    geom = sp.find(A + "prstGeom")
    kind = geom.get("prst") if geom is not None else None
    line = sp.find(A + "ln")
    stroked = line is not None and line.find(A + "noFill") is None
    filled = sp.find(A + "solidFill") is not None and not _white(sp.find(f"{A}solidFill/{A}srgbClr"))
    return _ruled(x, y, w, h, kind == "line" and stroked, stroked, filled)


def _white(colour) -> bool:
    return colour is not None and (colour.get("val") or "").upper() in ("FFFFFF", "WHITE")


def _ruled(x: float, y: float, w: float, h: float, line: bool, stroked: bool, filled: bool) -> Piece | None:
    """The rules a shape draws (y down from the page's top), as the PDF reader takes them: a line
    or a thin visible rectangle is one rule, a stroked rectangle its four edges."""
    rules: list[tuple[bool, float, float, float]] = []
    visible = line or stroked or filled
    if not visible:
        return None
    if w <= RULE_WIDTH and h >= MIN_RULE:
        rules.append((False, x + w / 2, y, y + h))
    elif h <= RULE_WIDTH and w >= MIN_RULE:
        rules.append((True, y + h / 2, x, x + w))
    elif stroked and not line and w >= MIN_RULE and h >= MIN_RULE:
        rules += [(True, y, x, x + w), (True, y + h, x, x + w), (False, x, y, y + h), (False, x + w, y, y + h)]
    return Piece(x, y, w, h, rules=rules) if rules else None


_PT = re.compile(r"^(-?(?:\d+(?:\.\d*)?|\.\d+))(pt|in|cm|mm|px|emu)?$")
_UNITS = {"pt": 1.0, "in": 72.0, "cm": 72 / 2.54, "mm": 72 / 25.4, "px": 0.75, None: 0.75, "emu": 1 / EMU}


def _length(value: str | None) -> float | None:
    """A VML length in points (``219.35pt``, ``2cm``; a bare number is CSS pixels)."""
    m = _PT.match((value or "").strip())
    if not m:
        return None
    return float(m.group(1)) * _UNITS[m.group(2)]


def _style(shape) -> dict[str, str]:
    out = {}
    for part in (shape.get("style") or "").split(";"):
        key, _, value = part.partition(":")
        if key.strip():
            out[key.strip().lower()] = value.strip()
    return out


def _vml(shape) -> Piece | None:
    """A VML shape: a text box, a line (``from``/``to``), or a rectangle."""
    if shape.tag == V + "line":
        a = [_length(v) for v in (shape.get("from") or "").split(",")]
        b = [_length(v) for v in (shape.get("to") or "").split(",")]
        if len(a) != 2 or len(b) != 2 or None in a or None in b or shape.get("stroked") == "f":
            return None
        x, y = min(a[0], b[0]), min(a[1], b[1])
        return _ruled(x, y, abs(a[0] - b[0]), abs(a[1] - b[1]), True, True, False)
    style = _style(shape)
    x, y = _length(style.get("margin-left", style.get("left"))), _length(style.get("margin-top", style.get("top")))
    w, h = _length(style.get("width")) or 0.0, _length(style.get("height")) or 0.0
    if x is None or y is None:
        return None
    content = shape.find(f"{V}textbox/{W}txbxContent")
    if content is not None:
        runs = _runs(content.iter(W + "p"))
        return Piece(x, y, w, h, runs=runs) if "".join(t for t, _ in runs).strip() else None
    stroked = shape.get("stroked") not in ("f", "false")
    fill = (shape.get("fillcolor") or "").lower()
    filled = shape.get("filled") not in ("f", "false") and fill not in ("", "white", "#ffffff", "#fff")
    return _ruled(x, y, w, h, False, stroked, filled)


def _frame_xy(p) -> tuple[float, float] | None:
    fp = p.find(f"{W}pPr/{W}framePr")
    if fp is None or fp.get(W + "x") is None or fp.get(W + "y") is None:
        return None
    return _int(fp.get(W + "x")) / TWIP, _int(fp.get(W + "y")) / TWIP


def _frame(p) -> Piece | None:
    """A paragraph in a Word frame (``w:framePr`` with x and y in twips)."""
    xy = _frame_xy(p)
    if xy is None:
        return None
    fp = p.find(f"{W}pPr/{W}framePr")
    runs = _runs([p])
    if not "".join(t for t, _ in runs).strip():
        return None
    w = _int(fp.get(W + "w")) / TWIP
    h = _int(fp.get(W + "h")) / TWIP
    return Piece(xy[0], xy[1], w, h, runs=runs)


# --- pieces → pages --------------------------------------------------------------------------

def _advance(ch: str) -> float:
    """A character's usual advance in ems."""
    if ch >= "\u2e80" or ch in "—…“”‘’":
        return 1.0
    return 0.3 if ch == " " else 0.5


def _cellish(token: str) -> bool:
    """A token that fills a table cell by itself: a number or a blank marker (—, -, /, 无)."""
    return number(token) is not None


def _glyphs(piece: Piece, height: float, columns: list[float]) -> list[Glyph]:
    """The characters of a text piece with boxes (y up from the page's bottom), all standing on
    the piece's top, spread over the piece's width in proportion to their advances.

    LibreOffice joins the texts of neighbouring table cells into one piece when they stand close
    ("— — —", "11695 53893 49468") and gives the piece the width of that text with one space
    between them, not where they stood. So inside a ruled table (``columns``: the x of the vertical
    rules crossing the piece's line) a number or blank marker after a space that follows another
    goes to the next column, as far into it as the piece's first token stood in its own."""
    sizes = [s for _, s in piece.runs if s]
    fallback = sizes[0] if sizes else (piece.h / 1.3 if piece.h else 10.5)
    chars = [(ch, size or fallback) for text, size in piece.runs for ch in text]
    natural = sum(_advance(ch) * size for ch, size in chars)
    scale = piece.w / natural if piece.w > 0 and natural > 0 else 1.0
    # tokens: (start index, end index) of each run of non-space characters
    tokens: list[tuple[int, int]] = []
    for i, (ch, _) in enumerate(chars):
        if not ch.isspace() and (i == 0 or chars[i - 1][0].isspace()):
            tokens.append((i, i))
        if not ch.isspace():
            tokens[-1] = (tokens[-1][0], i + 1)
    texts = ["".join(ch for ch, _ in chars[a:b]) for a, b in tokens]
    starts = {}
    if len(tokens) > 1 and len(columns) >= 2 and columns[0] - 1 <= piece.x <= columns[-1]:
        left = max(c for c in columns if c <= piece.x + 1)
        inset = max(0.0, piece.x - left)
        x = end = piece.x
        for k, (a, b) in enumerate(tokens):
            width = sum(_advance(ch) * size * scale for ch, size in chars[a:b])
            if k and _cellish(texts[k]) and _cellish(texts[k - 1]):
                nxt = [c for c in columns if c > end + 0.5]  # the rule after the token before
                if len(nxt) < 2:
                    break  # beyond the table's last column: leave the rest as the piece has it
                room = nxt[1] - nxt[0]
                x = nxt[0] + min(inset, max(0.5, room - width - 0.5))
                starts[a] = x
            end = x + width
            x = end + (0.3 * chars[b][1] * scale if b < len(chars) else 0.0)
    out: list[Glyph] = []
    x = piece.x
    spaced = False
    top = height - piece.y
    for i, (ch, size) in enumerate(chars):
        step = _advance(ch) * size * scale
        if i in starts:
            x = starts[i]
        if ch.isspace():
            spaced = bool(out)
        else:
            out.append(Glyph(ch, x, top - size, x + step, top, spaced))
            spaced = False
        x += step
    return out


def _columns(rules: list[Rule], y0: float, y1: float) -> list[float]:
    """The x of the vertical rules (y up) that cross the band from y0 to y1, left to right."""
    mid = (y0 + y1) / 2
    return sorted({round(r.at, 1) for r in rules if not r.horizontal and r.lo <= mid <= r.hi})


def pages(body, page_size: tuple[float, float] | None = None) -> list[Page]:
    """The document's pieces as pages: a new page wherever a piece stands above the one before
    it (each page's pieces come top to bottom)."""
    width, height = page_size or A4
    groups: list[list[Piece]] = [[]]
    last = None
    for piece in pieces(body):
        if last is not None and piece.y < last - NEW_PAGE and groups[-1]:
            groups.append([])
        groups[-1].append(piece)
        last = piece.y
    out: list[Page] = []
    for n, group in enumerate(g for g in groups if g):
        bottom = max(p.y + p.h for p in group)
        right = max(p.x + p.w for p in group)
        w, h = width, height
        if bottom > height or right > width + 36:  # a landscape page in a portrait document
            w, h = max(width, height), min(width, height)
            h = max(h, bottom + 1)
        page = Page(n + 1, max(w, right), h)
        for piece in group:
            for horizontal, at, lo, hi in piece.rules or ():
                if horizontal:
                    page.rules.append(Rule(True, h - at, lo, hi))
                else:
                    page.rules.append(Rule(False, at, h - hi, h - lo))
        for piece in group:
            if piece.runs is not None:
                size = next((s for _, s in piece.runs if s), piece.h / 1.3)
                page.glyphs += _glyphs(piece, h, _columns(page.rules, h - piece.y - size, h - piece.y))
        out.append(page)
    return out


def page_size(body) -> tuple[float, float] | None:
    """The page size the document's last section declares, in points."""
    sz = body.find(f"{W}sectPr/{W}pgSz")
    if sz is None:
        return None
    w, h = _int(sz.get(W + "w")) / TWIP, _int(sz.get(W + "h")) / TWIP
    return (w, h) if w > 0 and h > 0 else None


__all__ = ["Piece", "is_framed", "page_size", "pages", "pieces"]

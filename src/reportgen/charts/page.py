"""A portrait page of pictures, drawn with matplotlib: blocks stacked top to bottom (a header
band, section titles, number tiles, a share bar, bars, stacked bars, a grid of figures, notes),
each taking plain data — labels, numbers, texts — and nothing of reports.

The page measures every text before drawing (``Measure``: the installed Chinese font's real
widths), wraps what is too wide and shrinks a figure that would not fit its tile, and is as tall
as its blocks need: nothing is cut off. One matplotlib axes spans the page in pixels (y down, 1 pt
= 1 px at 72 dpi), so the SVG's coordinates are the PNG's pixels. ``Page.render`` gives the
same bytes for the same blocks (fixed SVG hash salt, no dates, no software tag in the PNG); text
stays text in the SVG (searchable, read by screen readers, checked by the tests).

The 图解 (``reportgen.tujie``) is one such page; the server's dashboard and the audit page use the
same blocks.
"""
from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass, field
from typing import Sequence

from .style import (ACCENT, ACCENT_SOFT, BACKGROUND, INK, MUTED, PANEL, RULE, SERIES, SIZES, ChartError,
                    css_families, fonts)

DPI = 72          # 1 pt = 1 px: the SVG's units are the PNG's pixels
LINE = 1.4        # line height, times the type size
NO_LINE_START = set("，。、；：？！）》」』”’%,.;:?!)")


def number(value) -> str:
    """A figure as printed on the page: thousands separated, the decimals as given (356.40)."""
    if value is None:
        return "—"
    if isinstance(value, int):
        return f"{value:,}"
    whole, _, frac = format(value, "f").partition(".")
    return f"{int(whole):,}" + (f".{frac}" if frac else "")


def percent(part, whole) -> str:
    return "—" if not whole else f"{100 * part / whole:.1f}%"


class Measure:
    """Text widths in the page's font: the sum of each character's advance, measured once a
    process by Agg itself (a string's own layout only kerns closer, so the sum is never short)."""

    _advances: dict = {}  # (family, size, bold, character) → width, shared by every page

    def __init__(self, family: Sequence[str]):
        from matplotlib.backends.backend_agg import RendererAgg
        from matplotlib.font_manager import FontProperties

        self.family = list(family)
        self._renderer = RendererAgg(8, 8, DPI)
        self._props: dict = {}
        self._FontProperties = FontProperties

    def prop(self, size: float, bold: bool = False):
        key = (size, bold)
        if key not in self._props:
            self._props[key] = self._FontProperties(family=self.family, size=size,
                                                    weight="bold" if bold else "normal")
        return self._props[key]

    def _advance(self, ch: str, size: float, bold: bool) -> float:
        key = (self.family[0], size, bold, ch)
        w = self._advances.get(key)
        if w is None:
            w, _, _ = self._renderer.get_text_width_height_descent(ch, self.prop(size, bold), ismath=False)
            if ch.isspace():  # Agg measures a lone space as nothing
                w = self._renderer.get_text_width_height_descent("a" + ch + "a", self.prop(size, bold), ismath=False)[0] \
                    - 2 * self._advance("a", size, bold)
            self._advances[key] = w
        return w

    def width(self, text: str, size: float, bold: bool = False) -> float:
        return sum(self._advance(ch, size, bold) for ch in text)

    def wrap(self, text: str, size: float, width: float, bold: bool = False) -> list[str]:
        """``text`` in lines no wider than ``width``: breaks between Chinese characters or
        between words and numbers, never before a closing mark."""
        lines: list[str] = []
        for para in text.split("\n"):
            current = ""
            for token in re.findall(r"[A-Za-z0-9.,%+\-]+|\s+|.", para):
                if not current or self.width(current + token, size, bold) <= width:
                    current += token
                    continue
                if token[0] in NO_LINE_START and len(current) > 1:
                    lines.append(current[:-1].rstrip())
                    current = current[-1] + token
                else:
                    lines.append(current.rstrip())
                    current = token.lstrip()
            lines.append(current)
        out: list[str] = []
        for line in lines:  # a single token wider than the line (a long number): split by characters
            while len(line) > 1 and self.width(line, size, bold) > width:
                cut = max(1, next(i for i in range(len(line), 0, -1) if self.width(line[:i], size, bold) <= width)
                          if self.width(line[0], size, bold) <= width else 1)
                out.append(line[:cut])
                line = line[cut:]
            out.append(line)
        return out

    def wrap_at(self, text: str, size: float, width: float, bold: bool = False, breaks: Sequence[int] = ()) -> list[str]:
        """Like ``wrap``, but a line ends at one of ``breaks`` (positions in ``text``, e.g. before
        the year of a title) when the text before it fits: the latest such place wins."""
        lines: list[str] = []
        start = 0
        while self.width(text[start:], size, bold) > width:
            fits = [b for b in breaks if start < b < len(text) and self.width(text[start:b], size, bold) <= width]
            if not fits:
                break
            lines.append(text[start:max(fits)])
            start = max(fits)
        return lines + self.wrap(text[start:], size, width, bold)

    def fit(self, text: str, size: float, width: float, bold: bool = False, smallest: float = 12) -> float:
        """The largest type size up to ``size`` at which ``text`` fits ``width`` on one line."""
        while size > smallest and self.width(text, size, bold) > width:
            size -= 2
        return size


class Pen:
    """Drawing on the page's axes in pixels (y down)."""

    def __init__(self, ax, measure: Measure):
        self.ax = ax
        self.m = measure

    def text(self, x: float, y: float, s: str, size: float, color: str = INK, bold: bool = False,
             ha: str = "left", va: str = "top"):
        return self.ax.text(x, y, s, fontproperties=self.m.prop(size, bold), color=color, ha=ha, va=va,
                            parse_math=False)

    def lines(self, x: float, y: float, lines: Sequence[str], size: float, color: str = INK,
              bold: bool = False, ha: str = "left") -> float:
        for i, line in enumerate(lines):
            self.text(x, y + i * size * LINE, line, size, color, bold, ha)
        return len(lines) * size * LINE

    def box(self, x: float, y: float, w: float, h: float, color: str, rounded: float = 0):
        from matplotlib.patches import FancyBboxPatch, Rectangle

        if rounded:
            patch = FancyBboxPatch((x, y), w, h, boxstyle=f"round,pad=0,rounding_size={rounded}",
                                   facecolor=color, edgecolor="none", linewidth=0)
        else:
            patch = Rectangle((x, y), w, h, facecolor=color, edgecolor="none", linewidth=0)
        self.ax.add_patch(patch)

    def rule(self, x: float, y: float, w: float, color: str = RULE, width: float = 2):
        self.box(x, y, w, width, color)


def _ink_on(color: str) -> str:
    """White or dark text, whichever reads on ``color``."""
    r, g, b = (int(color[i:i + 2], 16) / 255 for i in (1, 3, 5))
    lum = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return INK if lum > 0.55 else "#ffffff"


# --- blocks ---------------------------------------------------------------------------------

class Block:
    """One part of a page: ``layout`` returns its height for a width, ``draw`` draws it there."""

    bleed = False  # drawn across the whole page, margins included
    gap = 36       # space after it

    def layout(self, m: Measure, width: float) -> float:  # pragma: no cover - interface
        raise NotImplementedError

    def draw(self, pen: Pen, x: float, y: float, width: float) -> None:  # pragma: no cover - interface
        raise NotImplementedError


@dataclass
class Band(Block):
    """The page's head: an accent band with a small kicker, the title and a subtitle, in white."""

    title: str
    subtitle: str = ""
    kicker: str = ""
    breaks: Sequence[int] = ()  # where the title had best break (before the year …)
    bleed = True
    pad = 56

    def layout(self, m, width):
        inner = width - 2 * self.pad
        self._kicker = m.wrap(self.kicker, SIZES["subtitle"], inner, True) if self.kicker else []
        self._title = m.wrap_at(self.title, SIZES["title"], inner, True, self.breaks)
        self._sub = m.wrap(self.subtitle, SIZES["subtitle"], inner) if self.subtitle else []
        return (2 * self.pad + len(self._kicker) * SIZES["subtitle"] * LINE + 8 * bool(self._kicker)
                + len(self._title) * SIZES["title"] * LINE + 12 * bool(self._sub) + len(self._sub) * SIZES["subtitle"] * LINE)

    def draw(self, pen, x, y, width):
        pen.box(x, y, width, self.layout(pen.m, width), ACCENT)
        cy = y + self.pad
        if self._kicker:
            cy += pen.lines(x + self.pad, cy, self._kicker, SIZES["subtitle"], "#ffffff", True) + 8
        cy += pen.lines(x + self.pad, cy, self._title, SIZES["title"], "#ffffff", True) + 12
        pen.lines(x + self.pad, cy, self._sub, SIZES["subtitle"], "#ffffff")


@dataclass
class Section(Block):
    """A section title: an accent mark, the words, a hair line under them."""

    title: str
    gap = 24

    def layout(self, m, width):
        self._lines = m.wrap(self.title, SIZES["section"], width - 24, True)
        return len(self._lines) * SIZES["section"] * LINE + 14

    def draw(self, pen, x, y, width):
        h = len(self._lines) * SIZES["section"] * LINE
        pen.box(x, y + 6, 8, h - 12, ACCENT)
        pen.lines(x + 24, y, self._lines, SIZES["section"], INK, True)
        pen.rule(x, y + h + 10, width)


@dataclass
class Tile:
    """One number tile: a label, the figure (text), its unit, and an optional note under it
    (e.g. the change from last year) in ``note_color``."""

    label: str
    value: str
    unit: str = ""
    note: str = ""
    note_color: str = MUTED
    accent: bool = False


@dataclass
class Tiles(Block):
    """Number tiles in ``columns`` columns: the figure large, the label and the note under it."""

    items: Sequence[Tile]
    columns: int = 3
    spacing = 20
    pad = 22

    def layout(self, m, width):
        self._w = (width - self.spacing * (self.columns - 1)) / self.columns
        inner = self._w - 2 * self.pad
        self._rows = [list(self.items[i:i + self.columns]) for i in range(0, len(self.items), self.columns)]
        self._sizes, self._labels, self._notes, self._heights = [], [], [], []
        for row in self._rows:
            sizes = [m.fit(t.value, SIZES["figure"], inner - (m.width(t.unit, SIZES["small"]) + 6 if t.unit else 0), True)
                     for t in row]
            labels = [m.wrap(t.label, SIZES["label"], inner) for t in row]
            notes = [m.wrap(t.note, SIZES["small"], inner) if t.note else [] for t in row]
            size = min(sizes)
            height = (2 * self.pad + size * 1.15 + 10 + max(len(x) for x in labels) * SIZES["label"] * LINE
                      + max(len(x) for x in notes) * SIZES["small"] * LINE)
            self._sizes.append(size)
            self._labels.append(labels)
            self._notes.append(notes)
            self._heights.append(height)
        return sum(self._heights) + self.spacing * (len(self._rows) - 1)

    def draw(self, pen, x, y, width):
        cy = y
        for r, row in enumerate(self._rows):
            size = self._sizes[r]
            for c, tile in enumerate(row):
                tx = x + c * (self._w + self.spacing)
                pen.box(tx, cy, self._w, self._heights[r], ACCENT_SOFT if tile.accent else PANEL, rounded=10)
                base = cy + self.pad + size * 0.95
                pen.text(tx + self.pad, base, tile.value, size, ACCENT, True, va="baseline")
                if tile.unit:
                    vw = pen.m.width(tile.value, size, True)
                    pen.text(tx + self.pad + vw + 6, base, tile.unit, SIZES["small"], MUTED, va="baseline")
                ly = cy + self.pad + size * 1.15 + 10
                ly += pen.lines(tx + self.pad, ly, self._labels[r][c], SIZES["label"], INK)
                pen.lines(tx + self.pad, ly, self._notes[r][c], SIZES["small"], tile.note_color)
            cy += self._heights[r] + self.spacing


def _legend_layout(m: Measure, entries: Sequence[str], width: float, size: float) -> tuple[int, list[list[str]]]:
    """Legend entries in two columns when they fit, else one: (columns, wrapped entries)."""
    swatch = size + 10
    for cols in (2, 1):
        col_w = (width - 24 * (cols - 1)) / cols - swatch
        wrapped = [m.wrap(e, size, col_w) for e in entries]
        if cols == 1 or all(len(w) == 1 for w in wrapped):
            return cols, wrapped
    raise AssertionError  # pragma: no cover


@dataclass
class ShareBar(Block):
    """A whole and its parts: one bar cut in proportion (the percentage inside the parts wide
    enough to hold it), and a legend with each part's number and share."""

    items: Sequence[tuple[str, float]]
    unit: str = ""
    colors: Sequence[str] = SERIES
    caption: str = ""
    height = 60

    def layout(self, m, width):
        size = SIZES["label"]
        total = sum(v for _, v in self.items)
        self._caption = m.wrap(self.caption, SIZES["small"], width) if self.caption else []
        entries = [f"{label}　{number(v)}{self.unit}　{percent(v, total)}" for label, v in self.items]
        self._cols, self._entries = _legend_layout(m, entries, width, size)
        rows = [max(len(w) for w in self._entries[i:i + self._cols]) for i in range(0, len(self._entries), self._cols)]
        self._rows = rows
        return (len(self._caption) * SIZES["small"] * LINE + (10 if self._caption else 0) + self.height + 18
                + sum(rows) * size * LINE + 6 * max(len(rows) - 1, 0))

    def draw(self, pen, x, y, width):
        size = SIZES["label"]
        cy = y + pen.lines(x, y, self._caption, SIZES["small"], MUTED) + (10 if self._caption else 0)
        total = sum(v for _, v in self.items)
        pen.box(x, cy, width, self.height, RULE)
        if total:
            sx = x
            for i, (label, v) in enumerate(self.items):
                w = width * v / total
                color = self.colors[i % len(self.colors)]
                pen.box(sx, cy, w, self.height, color)
                share = percent(v, total)
                if v and pen.m.width(share, SIZES["small"], True) + 12 <= w:
                    pen.text(sx + w / 2, cy + self.height / 2, share, SIZES["small"], _ink_on(color), True,
                             ha="center", va="center_baseline")
                sx += w
        cy += self.height + 18
        col_w = (width - 24 * (self._cols - 1)) / self._cols
        for i, lines in enumerate(self._entries):
            r, c = divmod(i, self._cols)
            ey = cy + sum(self._rows[:r]) * size * LINE + 6 * r
            ex = x + c * (col_w + 24)
            pen.box(ex, ey + size * 0.2, size, size, self.colors[i % len(self.colors)], rounded=3)
            pen.lines(ex + size + 10, ey, lines, size, INK)


@dataclass
class Bars(Block):
    """Horizontal bars, one a label: the label, the bar (longest = the largest number), the
    number and its share of ``total`` (when given). Labels short enough stand left of their
    bars; when one would take more than a third of the width, every label stands above its bar."""

    items: Sequence[tuple[str, float]]
    unit: str = ""
    total: float | None = None
    color: str = ACCENT
    bar = 34
    row = 56

    def _value(self, v) -> str:
        text = f"{number(v)}{self.unit}"
        return f"{text}（{percent(v, self.total)}）" if self.total is not None else text

    def layout(self, m, width):
        size = SIZES["label"]
        widest = max((m.width(label, size) for label, _ in self.items), default=0)
        self._above = widest > width / 3
        self._label_w = width if self._above else widest
        self._labels = [m.wrap(label, size, self._label_w) for label, _ in self.items]
        self._value_w = max((m.width(self._value(v), size) for _, v in self.items), default=0)
        if self._above:
            self._heights = [len(lines) * size * LINE + self.bar + 26 for lines in self._labels]
        else:
            self._heights = [max(self.row, len(lines) * size * LINE) for lines in self._labels]
        return sum(self._heights)

    def draw(self, pen, x, y, width):
        size = SIZES["label"]
        top = max((v for _, v in self.items), default=0)
        lead = 0 if self._above else self._label_w + 16
        span = max(width - lead - self._value_w - 12, 10)
        cy = y
        for (label, v), lines, h in zip(self.items, self._labels, self._heights):
            if self._above:
                pen.lines(x, cy, lines, size, INK)
                by = cy + len(lines) * size * LINE - 2
            else:
                pen.lines(x + self._label_w, cy + (h - len(lines) * size * LINE) / 2, lines, size, INK, ha="right")
                by = cy + (h - self.bar) / 2
            w = span * v / top if top else 0
            pen.box(x + lead, by, max(w, 2), self.bar, self.color if v else RULE)
            pen.text(x + lead + max(w, 2) + 12, by + self.bar / 2, self._value(v), size, INK, va="center_baseline")
            cy += h


@dataclass
class StackedBars(Block):
    """Several wholes made of the same parts (e.g. reviews and suits by outcome): a legend of
    the parts, then each whole as its label and total, a bar scaled to the largest whole, and
    its parts' numbers written out under it."""

    rows: Sequence[tuple[str, Sequence[float]]]
    parts: Sequence[str]
    unit: str = ""
    colors: Sequence[str] = SERIES
    total_label: str = ""
    bar = 40

    def layout(self, m, width):
        size, small = SIZES["label"], SIZES["small"]
        self._legend_cols, self._legend = _legend_layout(m, list(self.parts), width, small)
        cols = self._legend_cols
        self._legend_h = [max(len(w) for w in self._legend[i:i + cols]) * small * LINE + 6
                          for i in range(0, len(self._legend), cols)]
        self._details, self._heads, height = [], [], sum(self._legend_h) + 14
        for label, values in self.rows:
            total = sum(values)
            head_right = f"{self.total_label}{number(total)}{self.unit}"
            head = m.wrap(label, size, width - m.width(head_right, size, True) - 20, True)
            detail = "　".join(f"{p} {number(v)}" for p, v in zip(self.parts, values))
            lines = m.wrap(detail, small, width)
            self._heads.append((head, head_right))
            self._details.append(lines)
            height += len(head) * size * LINE + 8 + self.bar + 8 + len(lines) * small * LINE + 22
        return height - 22

    def draw(self, pen, x, y, width):
        size, small = SIZES["label"], SIZES["small"]
        col_w = (width - 24 * (self._legend_cols - 1)) / self._legend_cols
        for i, lines in enumerate(self._legend):
            r, c = divmod(i, self._legend_cols)
            ex, ey = x + c * (col_w + 24), y + sum(self._legend_h[:r])
            pen.box(ex, ey + small * 0.2, small, small, self.colors[i % len(self.colors)], rounded=3)
            pen.lines(ex + small + 10, ey, lines, small, INK)
        cy = y + sum(self._legend_h) + 14
        top = max((sum(v) for _, v in self.rows), default=0)
        for (label, values), (head, head_right), detail in zip(self.rows, self._heads, self._details):
            pen.lines(x, cy, head, size, INK, True)
            pen.text(x + width, cy, head_right, size, ACCENT, True, ha="right")
            cy += len(head) * size * LINE + 8
            pen.box(x, cy, width, self.bar, PANEL)
            sx = x
            for i, v in enumerate(values):
                w = width * v / top if top else 0
                if w:
                    pen.box(sx, cy, w, self.bar, self.colors[i % len(self.colors)])
                sx += w
            cy += self.bar + 8
            cy += pen.lines(x, cy, detail, small, MUTED) + 22


@dataclass
class FigureGrid(Block):
    """Rows of labelled figures (e.g. table 二): each row's label, then its figures side by side,
    each under its own small label."""

    rows: Sequence[tuple[str, Sequence[tuple[str, str]]]]
    spacing = 16

    def layout(self, m, width):
        size, small, big = SIZES["label"], SIZES["small"], SIZES["section"]
        self._layout, total = [], 0.0
        for label, cells in self.rows:
            n = max(len(cells), 1)
            cw = (width - self.spacing * (n - 1)) / n
            heads = [m.wrap(c, small, cw - 8) for c, _ in cells]
            sizes = [m.fit(v, big, cw - 8, True) for _, v in cells]
            head_lines = max((len(h) for h in heads), default=0)
            h = size * LINE + 6 + head_lines * small * LINE + big * LINE + 14
            self._layout.append((m.wrap(label, size, width, True), cw, heads, min(sizes, default=big), head_lines, h))
            total += h
        return total

    def draw(self, pen, x, y, width):
        size, small = SIZES["label"], SIZES["small"]
        cy = y
        for (label, cells), (lines, cw, heads, big, head_lines, h) in zip(self.rows, self._layout):
            cy0 = cy
            cy += pen.lines(x, cy, lines[:1], size, INK, True) + 6
            for i, ((_, value), head) in enumerate(zip(cells, heads)):
                cx = x + i * (cw + self.spacing)
                pen.lines(cx, cy, head, small, MUTED)
                pen.text(cx, cy + head_lines * small * LINE, value, big, INK, True)
            cy = cy0 + h
            pen.rule(x, cy - 6, width, RULE, 1)


@dataclass
class Note(Block):
    """A paragraph of small text."""

    text: str
    size: float = SIZES["note"]
    color: str = MUTED
    gap = 16

    def layout(self, m, width):
        self._lines = m.wrap(self.text, self.size, width)
        return len(self._lines) * self.size * LINE

    def draw(self, pen, x, y, width):
        pen.lines(x, y, self._lines, self.size, self.color)


# --- the page -------------------------------------------------------------------------------

@dataclass
class Page:
    """Blocks on a portrait page ``width`` pixels wide, as tall as they need, in ``script``'s
    Chinese font. ``title`` goes into the SVG's metadata."""

    script: str = "zh-Hans"
    width: int = 1080
    margin: int = 56
    title: str = ""
    blocks: list[Block] = field(default_factory=list)

    def add(self, *blocks: Block) -> "Page":
        self.blocks.extend(blocks)
        return self

    def _rc(self) -> dict:
        family = list(fonts(self.script)[:1])  # one font: a fallback list costs 10x a text's layout
        return {"svg.hashsalt": "reportgen", "svg.fonttype": "none", "svg.id": None,
                "font.family": family, "font.sans-serif": family, "axes.unicode_minus": False,
                "path.simplify": False}

    def figure(self):
        """The page as a matplotlib Figure (laid out and drawn)."""
        from matplotlib.figure import Figure

        if not self.blocks:
            raise ChartError("图中没有任何内容")
        m = Measure(fonts(self.script)[:1])
        inner = self.width - 2 * self.margin
        heights, y = [], 0.0
        for i, b in enumerate(self.blocks):
            if not (b.bleed and i == 0):
                y += self.margin if i == 0 else 0
            heights.append(b.layout(m, self.width if b.bleed else inner))
            y += heights[-1] + (b.gap if i < len(self.blocks) - 1 else 0)
        height = math.ceil(y + self.margin)
        fig = Figure(figsize=(self.width / DPI, height / DPI), dpi=DPI, facecolor=BACKGROUND)
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_xlim(0, self.width)
        ax.set_ylim(height, 0)
        ax.set_axis_off()
        pen = Pen(ax, m)
        y = 0.0
        for i, b in enumerate(self.blocks):
            if not (b.bleed and i == 0):
                y += self.margin if i == 0 else 0
            if b.bleed:
                b.draw(pen, 0, y, self.width)
            else:
                b.draw(pen, self.margin, y, inner)
            y += heights[i] + b.gap
        return fig

    def render(self, fmt: str) -> bytes:
        """The page as ``png`` or ``svg`` bytes (the same blocks give the same bytes)."""
        import matplotlib

        if fmt not in ("png", "svg"):
            raise ChartError(f"图只能输出为 png 或 svg，不能是“{fmt}”")
        with matplotlib.rc_context(self._rc()):
            fig = self.figure()
            buf = io.BytesIO()
            from matplotlib.backends.backend_agg import FigureCanvasAgg

            canvas = FigureCanvasAgg(fig)
            if fmt == "png":  # opaque RGB (a tenth smaller, faster to write), no text chunks at all
                from PIL import Image

                canvas.draw()
                Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba(), "raw", "RGBA", 0, 1) \
                    .convert("RGB").save(buf, "PNG")
            else:
                fig.savefig(buf, format="svg", facecolor=BACKGROUND,
                            metadata={"Date": None, "Creator": None, "Title": self.title or None})
                families = css_families(self.script)
                svg = re.sub(r"font-family: [^;\"]*", lambda _: "font-family: " + families, buf.getvalue().decode("utf-8"))
                # the page's pixels (matplotlib says pt: at 72 dpi the same numbers, but a browser
                # would draw 1080 pt as 1440 px)
                end = svg.index(">", svg.index("<svg"))
                svg = re.sub(r'((?:width|height)=")([\d.]+)pt"', r'\1\2px"', svg[:end]) + svg[end:]
                return svg.encode("utf-8")
        return buf.getvalue()

    def inline_svg(self, label: str) -> str:
        """The page as SVG markup for an HTML page: no XML prolog, scaling to its container
        (the viewBox stays), named ``label`` for screen readers; its texts stay text."""
        from html import escape

        svg = self.render("svg").decode("utf-8")
        svg = svg[svg.index("<svg"):]
        end = svg.index(">")
        head = re.sub(r'\s(width|height)="[^"]*"', "", svg[:end])
        return f'{head} role="img" aria-label="{escape(label, quote=True)}"{svg[end:]}'

    def text_boxes(self) -> list[tuple[str, tuple[float, float, float, float]]]:
        """Every text drawn, with its box (x0, y0, x1, y1) in page pixels (y up, matplotlib's way),
        and the page's (0, 0, width, height) last: what the tests check nothing overflows."""
        import matplotlib

        with matplotlib.rc_context(self._rc()):
            from matplotlib.backends.backend_agg import FigureCanvasAgg

            fig = self.figure()
            canvas = FigureCanvasAgg(fig)
            canvas.draw()
            renderer = canvas.get_renderer()
            out = []
            for ax in fig.axes:
                for t in ax.texts:
                    b = t.get_window_extent(renderer)
                    out.append((t.get_text(), (b.x0, b.y0, b.x1, b.y1)))
            out.append(("", (0.0, 0.0, fig.bbox.width, fig.bbox.height)))
        return out

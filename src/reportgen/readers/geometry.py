"""The geometry a PDF page is read as, in page points with y growing upwards: glyphs with their
boxes, the ruling lines tables are drawn with, and the page that holds them. ``pdfpage`` makes
them from PDFium, ``ocr`` from a page's image, ``pdf`` lays them out."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Glyph:
    """One character with its loose box (the font's advance and line height); thousands a page,
    so a slotted class (not frozen: a frozen dataclass is several times slower to make)."""

    ch: str
    x0: float
    y0: float
    x1: float
    y1: float
    spaced: bool = False  # a space the document itself has stands before it

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def h(self) -> float:
        return self.y1 - self.y0


@dataclass(frozen=True)
class Rule:
    """An axis-aligned ruling segment: horizontal at ``at`` from ``lo`` to ``hi`` along x, or
    vertical at ``at`` from ``lo`` to ``hi`` along y."""

    horizontal: bool
    at: float
    lo: float
    hi: float


@dataclass
class Page:
    number: int                 # from 1
    width: float
    height: float
    glyphs: list[Glyph] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    images: int = 0
    ocr: bool = False           # the glyphs were read from the page's image
    layer: bool = False         # the glyphs are a scan's OCR layer (invisible text over its image)
    # characters of the text layer a reader cannot see, by why (``pdfpage``: colour, invisible,
    # clipped, off-page, tiny): not read as the page's text
    hidden: dict[str, list[Glyph]] = field(default_factory=dict)


def clusters(values: list[float], within: float) -> list[float]:
    """The places ``values`` gather at, ascending: a value within ``within`` of the one before it
    joins that one's group, and a group stands at its mean (rule positions a PDF draws a hair
    apart, the centres of numbers in one column of converter text)."""
    groups: list[list[float]] = []
    for v in sorted(values):
        if groups and v - groups[-1][-1] <= within:
            groups[-1].append(v)
        else:
            groups.append([v])
    return [sum(g) / len(g) for g in groups]


__all__ = ["Glyph", "Page", "Rule", "clusters"]

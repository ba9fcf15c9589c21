"""reportgen's pictures: a small plotting layer on matplotlib (the ``charts`` extra) that takes
plain data — labels and numbers — and knows nothing of reports.

* ``style``: the palette, type sizes and the Chinese fonts found on the machine;
* ``page``: a portrait page of blocks (``Band``, ``Section``, ``Tiles``, ``ShareBar``, ``Bars``,
  ``StackedBars``, ``FigureGrid``, ``Note``) rendered to PNG or SVG with the same bytes for the
  same data, or as inline SVG for an HTML page (``Page.inline_svg``).

What a picture shows is decided elsewhere: ``reportgen.tujie`` (the 图解 of one report); the
server's dashboard and the audit page build their pages from the same blocks. matplotlib is
imported only when a page is drawn, so importing this package costs nothing.
"""
from __future__ import annotations

from .page import (Band, Bars, Block, FigureGrid, Measure, Note, Page, Section, ShareBar, StackedBars, Tile,
                   Tiles, number, percent)
from .style import ACCENT, DOWN, MUTED, SERIES, ChartError, fonts

__all__ = ["ACCENT", "DOWN", "MUTED", "SERIES", "Band", "Bars", "Block", "ChartError", "FigureGrid", "Measure",
           "Note", "Page", "Section", "ShareBar", "StackedBars", "Tile", "Tiles", "fonts", "number", "percent",
           "available"]


def available() -> bool:
    """Whether the plotting library (the ``charts`` extra) is installed."""
    import importlib.util

    return importlib.util.find_spec("matplotlib") is not None

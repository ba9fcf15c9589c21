"""Scanned pages — an image and no text layer — read with OCR, where the optional extra is
installed (``pip install 'reportgen[ocr]'``: RapidOCR, whose PP-OCR models ship inside its wheel,
on onnxruntime; nothing is downloaded at run time).

A page is rendered by PDFium at twice its size in points (144 dpi). Each text box RapidOCR
finds becomes glyphs (its characters spread over its width), and the image's long straight dark
runs become ruling lines, so the page goes through the same geometry as a page with a text layer
(``readers.pdf``): a scanned table is still read cell by cell.
"""
from __future__ import annotations

import importlib.util
import logging
import threading
from functools import lru_cache

from .geometry import Glyph, Rule

SCALE = 2.0            # pixels a point
RULE_POINTS = 40.0     # a dark run this long (points) is a ruling line, not a stroke of a character
MAX_PAGES = 40         # pages a file may need OCR for
SECONDS_A_PAGE = 30.0  # time allowed a page read by OCR (about 3 s on one core)

_ENGINE = None
_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def available() -> bool:
    """Whether the ocr extra is installed (looked up, not imported: importing it takes a second)."""
    return importlib.util.find_spec("rapidocr") is not None and importlib.util.find_spec("onnxruntime") is not None


def _engine():
    global _ENGINE
    with _LOCK:
        if _ENGINE is None:
            from rapidocr import RapidOCR

            logging.getLogger("RapidOCR").setLevel(logging.ERROR)
            _ENGINE = RapidOCR()
            logging.getLogger("RapidOCR").setLevel(logging.ERROR)
        return _ENGINE


def read_page(page, height: float) -> tuple[list[Glyph], list[Rule]]:
    """The glyphs and rules of one PDFium page, read from its image."""
    bitmap = page.render(scale=SCALE)
    image = bitmap.to_numpy()
    result = _engine()(image)
    glyphs: list[Glyph] = []
    for box, text in zip(result.boxes if result.boxes is not None else (), result.txts or ()):
        text = text.strip()
        if not text:
            continue
        xs = [float(p[0]) / SCALE for p in box]
        ys = [height - float(p[1]) / SCALE for p in box]
        x0, x1, bottom, top = min(xs), max(xs), min(ys), max(ys)
        step = (x1 - x0) / len(text)
        spaced = False
        for k, ch in enumerate(text):
            if ch.isspace():
                spaced = True
                continue
            glyphs.append(Glyph(ch, x0 + k * step, bottom, x0 + (k + 1) * step, top, spaced))
            spaced = False
    return glyphs, _rules(image, height)


def _rules(image, height: float) -> list[Rule]:
    """Horizontal and vertical dark runs at least RULE_POINTS long, in page points."""
    import numpy as np

    gray = image.mean(axis=2) if image.ndim == 3 else image
    dark = gray < 128
    minimum = int(RULE_POINTS * SCALE)
    rules: list[Rule] = []
    for horizontal, grid in ((True, dark), (False, dark.T)):
        padded = np.zeros((grid.shape[0], grid.shape[1] + 2), dtype=np.int8)
        padded[:, 1:-1] = grid
        edges = np.diff(padded, axis=1)
        starts = np.argwhere(edges == 1)
        ends = np.argwhere(edges == -1)
        for (line, begin), (_, end) in zip(starts, ends):
            if end - begin >= minimum:
                if horizontal:
                    rules.append(Rule(True, height - line / SCALE, begin / SCALE, end / SCALE))
                else:
                    rules.append(Rule(False, line / SCALE, height - end / SCALE, height - begin / SCALE))
    return rules


__all__ = ["MAX_PAGES", "available", "read_page"]

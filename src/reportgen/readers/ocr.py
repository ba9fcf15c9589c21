"""Scanned pages — an image and no text layer — read with OCR, where the optional extra is
installed (``pip install 'reportgen[ocr]'``: RapidOCR, whose PP-OCR models ship inside its wheel,
on onnxruntime; nothing is downloaded at run time).

A page is rendered by PDFium at twice its size in points (144 dpi) and cleaned (``readers.scan``:
red seal dropped, uneven light flattened, skew undone). Each text box RapidOCR
finds becomes glyphs (its characters spread over its width), and the cleaned image's ruling lines
(broken pieces joined) become ruling lines, so the page goes through the same geometry as a page with a text layer
(``readers.pdf``): a scanned table is still read cell by cell.

A searchable scan (an image with OCR software's invisible text over it) needs no OCR here, but
its tables are drawn only in the image: ``image_rules`` finds their ruling lines the same way
(in pure Python, without the extra).
"""
from __future__ import annotations

import importlib.util
import logging
import re
import threading
from functools import lru_cache

from .geometry import Glyph, Rule

SCALE = 2.0            # pixels a point
RULE_POINTS = 24.0     # a dark run this long (points) is a ruling line, not a stroke of a character
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
    import numpy as np

    from . import ocrtext, scan

    cleaned, _angle = scan.clean(page.render(scale=SCALE).to_numpy())
    result = _engine()(np.stack([cleaned] * 3, axis=-1))
    glyphs: list[Glyph] = []
    for box, text in zip(result.boxes if result.boxes is not None else (), result.txts or ()):
        text = ocrtext.fixed(text.strip())
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
    across, down = scan.rules(cleaned, int(RULE_POINTS * SCALE))
    rules = [Rule(True, height - r / SCALE, a / SCALE, b / SCALE) for r, a, b in across]
    rules += [Rule(False, c / SCALE, height - b / SCALE, height - a / SCALE) for c, a, b in down]
    return glyphs, rules


_DARK = bytes(1 if v < 128 else 0 for v in range(256))  # a grey value → dark (1) or not (0)


def image_rules(page, height: float) -> list[Rule]:
    """The ruling lines of a PDFium page's image: its horizontal and vertical dark runs at least
    RULE_POINTS long, in page points (the page rendered in grey; each row and each column
    scanned by a regular expression, so no numpy is needed)."""
    bitmap = page.render(scale=SCALE, grayscale=True)
    width, rows, stride = bitmap.width, bitmap.height, bitmap.stride
    if bitmap.n_channels != 1:  # grey is asked for; a build that gives colour gives grey as colour
        return []
    dark = bytes(bitmap.buffer).translate(_DARK)
    run = re.compile(b"\x01{%d,}" % int(RULE_POINTS * SCALE))
    rules: list[Rule] = []
    for r in range(rows):
        for m in run.finditer(dark, r * stride, r * stride + width):
            rules.append(Rule(True, height - r / SCALE, (m.start() - r * stride) / SCALE, (m.end() - r * stride) / SCALE))
    for c in range(width):
        for m in run.finditer(dark[c:rows * stride:stride]):
            rules.append(Rule(False, c / SCALE, height - m.end() / SCALE, height - m.start() / SCALE))
    return rules


__all__ = ["MAX_PAGES", "available", "image_rules", "read_page"]

"""Scanned pages — an image and no text layer — read with OCR, where the optional extra is
installed (``pip install 'reportgen[ocr]'``: RapidOCR, whose PP-OCR models ship inside its wheel,
on onnxruntime; nothing is downloaded at run time).

A page is rendered by PDFium at twice its size in points (144 dpi) and cleaned (``readers.scan``:
red seal dropped, uneven light flattened, skew undone, a page photographed in perspective
squared on its table's frame). RapidOCR runs with settings chosen for report pages (``_params``:
about 1.5 s of one core a page, measured by ``bench/bench_ocr.py``), and what it misreads in a
predictable way is repaired (``readers.ocrtext``: a dash read as 一, a heading's dropped 、).
Each text box RapidOCR finds becomes glyphs (its characters spread over its width), and the cleaned image's ruling lines
(broken pieces joined) become ruling lines, so the page goes through the same geometry as a page with a text layer
(``readers.pdf``): a scanned table is still read cell by cell.

A searchable scan (an image with OCR software's invisible text over it) needs no OCR here, but
its tables are drawn only in the image: ``image_rules`` finds their ruling lines the same way
(in pure Python, without the extra).
"""
from __future__ import annotations

import importlib.util
import logging
import os
import re
import threading
from functools import lru_cache

from .geometry import Glyph, Rule

SCALE = 2.0            # pixels a point
RULE_POINTS = 24.0     # a dark run this long (points) is a ruling line, not a stroke of a character
MAX_PAGES = 40         # pages a file may need OCR for
DETECT_SIDE = 1280     # pixels: the longer side of the page image text lines are found in
SECONDS_A_PAGE = 30.0  # time allowed a page read by OCR (about 1.5 s of one core)

_ENGINE = None
_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def available() -> bool:
    """Whether the ocr extra is installed (looked up, not imported: importing it takes a second)."""
    return importlib.util.find_spec("rapidocr") is not None and importlib.util.find_spec("onnxruntime") is not None


def _cores() -> int:
    """The cores this process may run on (its CPU affinity, which ``taskset`` and containers set)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not on Linux
        return max(1, os.cpu_count() or 1)


def _params() -> dict:
    """RapidOCR's settings for report pages (measured with ``bench/bench_ocr.py``, issue 19):

    * onnxruntime's threads = the cores this process may use: its default (one a physical core of
      the machine) on a process held to one core made threads fight over it (5.3 s a page → 3.8);
    * no line-direction classifier: a scanned page is upright once levelled (the classifier's
      0.2 s a page changed nothing);
    * text lines recognised one at a time: a batch is padded to its widest line, and a report's
      lines (a 40-character sentence, a 3-digit cell) differ so much in width that batching cost
      more than it saved;
    * text found on the page scaled to at most ``DETECT_SIDE`` pixels (the rendered page is
      about 1700): finding text needs less detail than reading it, and the lines found are cut
      from the full-size page for recognition.
    """
    threads = _cores()
    return {
        "EngineConfig.onnxruntime.intra_op_num_threads": threads,
        "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        "EngineConfig.onnxruntime.enable_cpu_mem_arena": True,
        "Global.use_cls": False,
        "Rec.rec_batch_num": 1,
        "Det.limit_type": "max",
        "Det.limit_side_len": DETECT_SIDE,
    }


def _engine():
    global _ENGINE
    with _LOCK:
        if _ENGINE is None:
            from rapidocr import RapidOCR

            logging.getLogger("RapidOCR").setLevel(logging.ERROR)
            _ENGINE = RapidOCR(params=_params())
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

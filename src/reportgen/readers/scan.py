"""Cleaning a scanned page's image before OCR: estimating and undoing its skew, and finding its
ruling lines in the cleaned grey image.

Owns the pixels only (numpy arrays of grey values, 0 black … 255 white); ``readers.ocr`` turns
what it gives into glyphs and rules in page points. Skew is estimated by the projection profile:
the page's dark pixels, rotated by each candidate angle, give the sharpest row profile (the
largest sum of squared row counts) when text lines and table rules run level.
"""
from __future__ import annotations

import re

import numpy as np
from PIL import Image

MAX_SKEW = 2.5      # degrees either way searched
STEP = 0.1          # degrees between candidate angles
DARK = 128          # grey values below this are ink


def skew_angle(grey: np.ndarray) -> float:
    """The angle (degrees, Pillow's counter-clockwise sense) that levels the page."""
    small = Image.fromarray(((grey < DARK) * 255).astype(np.uint8)).reduce(2)
    best, best_score = 0.0, -1.0
    for k in range(-int(MAX_SKEW / STEP), int(MAX_SKEW / STEP) + 1):
        angle = k * STEP
        rows = np.asarray(small.rotate(angle, resample=Image.NEAREST), dtype=np.float64).sum(axis=1)
        score = float((rows * rows).sum())
        if score > best_score:
            best, best_score = angle, score
    return best


def deskew(grey: np.ndarray) -> tuple[np.ndarray, float]:
    """The page levelled (white where the rotation brings in new pixels) and the angle used."""
    angle = skew_angle(grey)
    if angle == 0.0:
        return grey, 0.0
    level = Image.fromarray(grey).rotate(angle, resample=Image.BICUBIC, fillcolor=255)
    return np.asarray(level), angle


def dark_runs(grey: np.ndarray, min_run: int) -> tuple[list[tuple[int, int, int]], list[tuple[int, int, int]]]:
    """Horizontal (row, start, end) and vertical (column, start, end) runs of ink at least
    ``min_run`` pixels long, in pixels."""
    dark = np.ascontiguousarray(grey < DARK, dtype=np.uint8)
    run = re.compile(b"\x01{%d,}" % min_run)
    across = [(r, m.start(), m.end()) for r in range(dark.shape[0]) for m in run.finditer(dark[r].tobytes())]
    cols = np.ascontiguousarray(dark.T)
    down = [(c, m.start(), m.end()) for c in range(cols.shape[0]) for m in run.finditer(cols[c].tobytes())]
    return across, down

"""Cleaning a scanned page's image before OCR, and finding its ruling lines.

Owns the pixels only (numpy arrays, OpenCV — which the ocr extra brings): ``readers.ocr`` turns
what this gives into glyphs and rules in page points.

* ``clean`` — a colour page to grey through its red channel (a red seal's ink is nearly as bright
  as the paper there, and lifted the rest of the way by how much redder it is than grey; black
  ink stays black), the uneven light of a scan divided out (each pixel over
  the local paper brightness), and the page levelled.
* ``skew_angle`` — from the long near-level lines of the page (table rules, underlines: what
  survives an opening SEGMENT long, pieces joined), a straight line fitted through each one's
  pixels; the median of their slopes, weighted by length; a page without such segments falls
  back on the projection profile (the angle giving the sharpest row profile of ink). A page that
  is level (under ``MIN_SKEW``) is left untouched: rotating it would only blur it.
* ``squared`` — a page photographed slightly in perspective (a keystone: one edge of the table
  shorter than the opposite one) warped back to a rectangle: the table's outer rules found (the
  longest near-vertical and near-horizontal ink lines, each fitted by a straight line), their four
  crossings taken as the table's corners, and the page mapped so they make a rectangle. A page
  without a ruled table, or whose table is already square (corners within ``MIN_SHIFT``), is
  left untouched.
* ``rules`` — ink binarised locally; pieces at least half a rule long kept (an opening: strokes
  of characters are shorter), pieces of a rule the scan broke joined (a closing along the rule),
  then whatever survives an opening ``min_run`` long is a rule; each connected piece becomes one
  (position, start, end) run, its ends moved onto the centre of the crossing rule they reach.
"""
from __future__ import annotations

import math

import numpy as np

RED_LIFT = 4        # a pixel's red excess over its other channels, divided by this, is added to it
MAX_SKEW = 3.0      # degrees either way considered skew (a larger slope is a drawn diagonal)
MIN_SKEW = 0.08     # degrees under which a page is taken as level
JOIN = 15           # pixels of gap closed within a rule broken by the scan
REACH = 8           # pixels: a rule's end this near a crossing rule ends on it
SEGMENT = 20        # pixels: only near-level runs this long make the lines the skew is measured on
THICK = 10          # pixels: a line thicker than this is a dark band (a photocopy's border), no rule
MIN_SHIFT = 1.5     # pixels a table corner must be out of square for the page to be warped
MAX_SHIFT = 0.06    # … and at most this share of the table's size (more is not a mild perspective)


def _cv2():
    import cv2

    return cv2


def grey(image: np.ndarray) -> np.ndarray:
    """A page image (grey, BGR or BGRA) as grey; a colour page through its red channel, so a red
    seal over black text drops out and the text stays."""
    if image.ndim == 2:
        return np.ascontiguousarray(image, dtype=np.uint8)
    if image.shape[2] == 1:
        return np.ascontiguousarray(image[..., 0], dtype=np.uint8)
    red = image[..., 2].astype(np.int16)  # BGR(A): index 2 is red
    # a seal's red is only nearly as bright as paper in the red channel (its ring would still be a
    # faint line beside a table's rules); a quarter of how much redder than its other channels a
    # pixel is lifts it the rest of the way. Black ink has no such excess, and black under the
    # seal (whose colour a JPEG smears onto it) too little to matter.
    excess = red - np.minimum(image[..., 0], image[..., 1]).astype(np.int16)
    return np.clip(red + np.maximum(excess, 0) // RED_LIFT, 0, 255).astype(np.uint8)


def flatten(page: np.ndarray) -> np.ndarray:
    """Uneven light divided out: each pixel over the paper's brightness around it (a large
    closing, which removes the ink, taken as that brightness)."""
    cv2 = _cv2()
    size = max(15, (min(page.shape) // 40) | 1)
    paper = cv2.morphologyEx(page, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (size, size)))
    paper = np.maximum(paper, 1).astype(np.float32)
    return np.clip(page.astype(np.float32) / paper * 255.0, 0, 255).astype(np.uint8)


def ink(page: np.ndarray) -> np.ndarray:
    """Ink as 255, paper as 0 (a local threshold, so shading does not turn into ink)."""
    cv2 = _cv2()
    return cv2.adaptiveThreshold(page, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 15)


def skew_angle(page: np.ndarray) -> float:
    """The page's skew in degrees (positive: its lines rise to the right, as on screen)."""
    cv2 = _cv2()
    dark = ink(page)
    width = page.shape[1]
    flat = cv2.morphologyEx(dark, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (SEGMENT, 1)))
    flat = cv2.morphologyEx(flat, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (JOIN, 1)))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(flat, connectivity=8)
    slope_room = math.tan(math.radians(MAX_SKEW))
    angles, weights = [], []
    for k in range(1, n):
        x, y, w, h, _area = stats[k]
        if w < width // 5 or h > w * slope_room + 8:
            continue
        ys, xs = np.nonzero(labels[y:y + h, x:x + w] == k)
        slope = np.polyfit(xs.astype(np.float64), ys.astype(np.float64), 1)[0]
        angles.append(-math.degrees(math.atan(slope)))
        weights.append(float(w))
    if len(angles) >= 2:
        order = np.argsort(angles)
        cum = np.cumsum(np.asarray(weights)[order])
        return float(np.asarray(angles)[order][np.searchsorted(cum, cum[-1] / 2)])
    return _profile_angle(dark)


def _profile_angle(dark: np.ndarray) -> float:
    """The angle whose rotation gives the sharpest row profile of ink (coarse, then fine)."""
    cv2 = _cv2()
    small = cv2.resize(dark, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    h, w = small.shape
    centre = (w / 2, h / 2)

    def score(a: float) -> float:
        m = cv2.getRotationMatrix2D(centre, -a, 1.0)
        rows = cv2.warpAffine(small, m, (w, h), flags=cv2.INTER_LINEAR).sum(axis=1, dtype=np.float64)
        return float((rows * rows).sum())

    best = max(np.arange(-MAX_SKEW, MAX_SKEW + 1e-9, 0.25), key=score)
    best = max(np.arange(best - 0.25, best + 0.25 + 1e-9, 0.05), key=score)
    return float(best) if score(best) > 1.01 * score(0.0) else 0.0


def level(page: np.ndarray, angle: float) -> np.ndarray:
    """The page rotated by ``-angle`` about its centre (paper-white where new pixels come in)."""
    if abs(angle) < MIN_SKEW:
        return page
    cv2 = _cv2()
    h, w = page.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), -angle, 1.0)
    return cv2.warpAffine(page, m, (w, h), flags=cv2.INTER_CUBIC, borderValue=255)


def _outer_lines(dark: np.ndarray, horizontal: bool) -> list[tuple[float, float, float, float]]:
    """The long near-level (``horizontal``) or near-upright ink lines of a page, each as
    (slope, offset, start, end) of ``y = slope·x + offset`` for x from start to end (or
    ``x = slope·y + offset``): the pieces of a rule joined, and only lines at least a tenth of
    the page long and at most ``THICK`` thick kept."""
    cv2 = _cv2()
    img = dark if horizontal else dark.T
    flat = cv2.morphologyEx(img, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (SEGMENT, 1)))
    flat = cv2.morphologyEx(flat, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (JOIN, 3)))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(flat, connectivity=8)
    slope_room = math.tan(math.radians(MAX_SKEW))
    out = []
    for k in range(1, n):
        x, y, w, h, area = stats[k]
        if w < img.shape[1] // 10 or h > w * slope_room + 8 or area > THICK * w:
            continue
        ys, xs = np.nonzero(labels[y:y + h, x:x + w] == k)
        slope, offset = np.polyfit(xs.astype(np.float64) + x, ys.astype(np.float64) + y, 1)
        out.append((float(slope), float(offset), float(x), float(x + w)))
    return out


def _within(lines: list, across: list) -> list:
    """The lines that lie within the span of the long lines crossing them (a table's rules do;
    the edge of a photocopy's dark border, outside the table, does not)."""
    if not across:
        return []
    longest = max(e - s for _, _, s, e in across)
    spans = [(s, e) for _, _, s, e in across if e - s >= longest / 2]
    lo, hi = min(s for s, _ in spans) - 2 * REACH, max(e for _, e in spans) + 2 * REACH
    return [ln for ln in lines if lo <= ln[0] * (ln[2] + ln[3]) / 2 + ln[1] <= hi]


def _crossing(h: tuple, v: tuple) -> tuple[float, float]:
    """Where ``y = a·x + b`` (a horizontal line) meets ``x = c·y + d`` (a vertical one)."""
    a, b = h[0], h[1]
    c, d = v[0], v[1]
    y = (a * d + b) / (1 - a * c)
    return c * y + d, y


def table_corners(page: np.ndarray) -> np.ndarray | None:
    """The four corners (top-left, top-right, bottom-right, bottom-left) of the page's outermost
    ruled frame, as float32 (x, y); None when the page has no frame of two long rules each way."""
    dark = ink(page)
    all_across = _outer_lines(dark, True)
    all_down = _outer_lines(dark, False)
    across, down = _within(all_across, all_down), _within(all_down, all_across)
    if len(across) < 2 or len(down) < 2:
        return None
    width, height = page.shape[1], page.shape[0]
    # the longest lines each way make the frame; of those, the outermost (a rule near the frame's
    # length, so a short underline or a half-width rule is not taken for the border)
    long_across = [ln for ln in across if ln[3] - ln[2] >= 0.8 * max(l[3] - l[2] for l in across)]
    long_down = [ln for ln in down if ln[3] - ln[2] >= 0.8 * max(l[3] - l[2] for l in down)]
    top = min(long_across, key=lambda ln: ln[0] * width / 2 + ln[1])
    bottom = max(long_across, key=lambda ln: ln[0] * width / 2 + ln[1])
    left = min(long_down, key=lambda ln: ln[0] * height / 2 + ln[1])
    right = max(long_down, key=lambda ln: ln[0] * height / 2 + ln[1])
    if top is bottom or left is right:
        return None
    return np.float32([_crossing(top, left), _crossing(top, right), _crossing(bottom, right), _crossing(bottom, left)])


def squared(page: np.ndarray) -> np.ndarray:
    """The page warped so that its table's frame is a rectangle (see the module's docstring)."""
    corners = table_corners(page)
    if corners is None:
        return page
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = corners
    left, right = (x0 + x3) / 2, (x1 + x2) / 2
    top, bottom = (y0 + y1) / 2, (y2 + y3) / 2
    if right - left < 20 or bottom - top < 20:
        return page
    target = np.float32([[left, top], [right, top], [right, bottom], [left, bottom]])
    shift = np.abs(corners - target)
    if shift.max() < MIN_SHIFT or shift.max() > MAX_SHIFT * max(right - left, bottom - top):
        return page
    cv2 = _cv2()
    m = cv2.getPerspectiveTransform(corners, target)
    return cv2.warpPerspective(page, m, (page.shape[1], page.shape[0]), flags=cv2.INTER_CUBIC, borderValue=255)


def clean(image: np.ndarray) -> tuple[np.ndarray, float]:
    """A page image cleaned for OCR (grey, seal dropped, light flattened, levelled, squared) and
    its skew."""
    page = flatten(grey(image))
    angle = skew_angle(page)
    return squared(level(page, angle)), angle


def rules(page: np.ndarray, min_run: int) -> tuple[list[tuple[int, int, int]], list[tuple[int, int, int]]]:
    """Horizontal (row, start, end) and vertical (column, start, end) ruling lines at least
    ``min_run`` pixels long, their scan-broken pieces joined first."""
    cv2 = _cv2()
    dark = ink(page)
    found = []
    for horizontal in (True, False):
        piece = (min_run // 2, 1) if horizontal else (1, min_run // 2)
        pieces = cv2.morphologyEx(dark, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, piece))
        along = (JOIN, 1) if horizontal else (1, JOIN)
        joined = cv2.morphologyEx(pieces, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, along))
        long_ = (min_run, 1) if horizontal else (1, min_run)
        lines = cv2.morphologyEx(joined, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, long_))
        n, _, stats, _ = cv2.connectedComponentsWithStats(lines, connectivity=8)
        runs = []
        for x, y, w, h, _area in stats[1:n]:
            if horizontal:
                runs.append((int(y + h // 2), int(x), int(x + w)))
            else:
                runs.append((int(x + w // 2), int(y), int(y + h)))
        found.append(runs)
    return _ends_snapped(found[0], found[1]), _ends_snapped(found[1], found[0])


def _ends_snapped(runs: list[tuple[int, int, int]], across: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Each run's ends moved onto the centre line of a crossing rule they reach within ``REACH``
    pixels: a rule's ink runs on to the outer edge of a thick border, which would otherwise read
    as an extra column or row edge."""
    out = []
    for at, lo, hi in runs:
        near = [c for c, a, b in across if a - REACH <= at <= b + REACH]
        lo = min((c for c in near if abs(c - lo) <= REACH), key=lambda c: abs(c - lo), default=lo)
        hi = min((c for c in near if abs(c - hi) <= REACH), key=lambda c: abs(c - hi), default=hi)
        out.append((at, lo, hi))
    return out


__all__ = ["clean", "flatten", "grey", "ink", "level", "rules", "skew_angle", "squared", "table_corners"]

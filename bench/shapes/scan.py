"""Scan simulation: a PDF's pages rasterised (pdftoppm, 150–300 dpi) and degraded as paper and
scanners degrade them — skew up to ±2°, uneven light, a red seal stamped across text, blur, noise,
a photocopy's dark border, slight perspective (corners a little out of place, and a keystone of
1–4 % as from a camera held off-square), JPEG — then put back together as an image-only PDF.
Every choice comes from ``random.Random(seed)``."""
from __future__ import annotations

import io
import random
import subprocess
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter


def _pages(pdf: bytes, dpi: int) -> list[Image.Image]:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.pdf"
        src.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", str(src), str(Path(tmp) / "p")],
                       check=True, capture_output=True, timeout=300)
        return [Image.open(p).convert("RGB") for p in sorted(Path(tmp).glob("p*.png"))]


def _seal(img: Image.Image, rng: random.Random) -> Image.Image:
    """A red ring with a star, multiplied over the page so text under it stays dark."""
    w, h = img.size
    r = int(min(w, h) * rng.uniform(0.08, 0.12))
    cx, cy = rng.randint(r, w - r), rng.randint(r, h - r)
    layer = Image.new("RGB", img.size, "white")
    d = ImageDraw.Draw(layer)
    d.ellipse([cx - r, cy - r, cx + r, cy + r], outline=(220, 40, 40), width=max(3, r // 12))
    d.regular_polygon((cx, cy, r // 3), 5, fill=(220, 40, 40))
    return Image.fromarray((np.asarray(img, np.float32) * np.asarray(layer, np.float32) / 255).astype(np.uint8))


def _keystone(w: int, h: int, rng: random.Random) -> np.ndarray:
    """The page's corners as a camera held slightly off-square sees them: one edge 1–4 % shorter
    than the opposite one (which edge, and by how much, from ``rng``)."""
    share = rng.uniform(0.01, 0.04)
    edge = rng.choice(["top", "bottom", "left", "right"])
    dx, dy = share * w / 2, share * h / 2
    corners = {  # top-left, top-right, bottom-right, bottom-left
        "top": [[dx, 0], [w - dx, 0], [w, h], [0, h]],
        "bottom": [[0, 0], [w, 0], [w - dx, h], [dx, h]],
        "left": [[0, dy], [w, 0], [w, h], [0, h - dy]],
        "right": [[0, 0], [w, dy], [w, h - dy], [0, h]],
    }[edge]
    return np.float32(corners)


def degrade(img: Image.Image, rng: random.Random, dpi: int, keystone: random.Random | None = None) -> Image.Image:
    """One page degraded. ``keystone``, when given, draws the perspective of a page photographed
    slightly from one side; it is a generator of its own so that adding it left every other
    degradation of a seed as it was."""
    import cv2
    if rng.random() < 0.5:
        img = _seal(img, rng)
    a = np.asarray(img, np.float32)
    h, w = a.shape[:2]
    # uneven light: a gentle gradient across the page
    gx = np.linspace(rng.uniform(0.8, 1.0), rng.uniform(0.9, 1.05), w, dtype=np.float32)
    gy = np.linspace(rng.uniform(0.85, 1.0), rng.uniform(0.9, 1.05), h, dtype=np.float32)
    a = a * (gy[:, None] * gx[None, :])[..., None]
    # skew and slight perspective
    angle = rng.uniform(-2, 2)
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    a = cv2.warpAffine(a, m, (w, h), borderValue=(255, 255, 255))
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    warp = np.eye(3)
    if rng.random() < 0.4:  # the corners a little out of place
        d = 0.015 * min(w, h)
        dst = np.float32([[rng.uniform(0, d), rng.uniform(0, d)], [w - rng.uniform(0, d), rng.uniform(0, d)],
                          [w - rng.uniform(0, d), h - rng.uniform(0, d)], [rng.uniform(0, d), h - rng.uniform(0, d)]])
        warp = cv2.getPerspectiveTransform(src, dst)
    if keystone is not None and keystone.random() < 0.5:  # photographed slightly from one side
        warp = cv2.getPerspectiveTransform(src, _keystone(w, h, keystone)) @ warp
    if not np.allclose(warp, np.eye(3)):
        a = cv2.warpPerspective(a, warp, (w, h), borderValue=(255, 255, 255))
    # a photocopy's dark border
    if rng.random() < 0.3:
        b = int(rng.uniform(0.01, 0.03) * w)
        a[:, :b] *= 0.25
        a[:, w - b:] *= 0.3
    # noise
    a = a + np.random.default_rng(rng.randrange(2 ** 32)).normal(0, rng.uniform(3, 12), a.shape).astype(np.float32)
    out = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))
    if rng.random() < 0.5:
        out = out.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 1.0) * dpi / 200))
    buf = io.BytesIO()
    out.save(buf, "JPEG", quality=rng.randint(45, 85))
    return Image.open(io.BytesIO(buf.getvalue()))


def scanned_pages(pdf: bytes, seed: int = 0) -> tuple[int, list[Image.Image]]:
    rng = random.Random(seed)
    keystone = random.Random(f"keystone-{seed}")
    dpi = rng.choice([150, 200, 240, 300])
    return dpi, [degrade(p, rng, dpi, keystone) for p in _pages(pdf, dpi)]


def scanned_pdf(pdf: bytes, seed: int = 0) -> bytes:
    """An image-only PDF of the degraded pages."""
    dpi, pages = scanned_pages(pdf, seed)
    buf = io.BytesIO()
    pages[0].save(buf, "PDF", resolution=dpi, save_all=True, append_images=pages[1:])
    return buf.getvalue()

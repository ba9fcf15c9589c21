"""A PDF's pages as geometry, through PDFium (pypdfium2): each page's glyphs with their boxes
and the ruling lines its tables are drawn with, in page points with y growing upwards.

This module owns everything that touches PDFium and every guard on a PDF: a damaged file, an
encrypted one, a bomb (an absurd page count, millions of drawing objects, a page that takes
too long) are clear errors, never a hang. A page of images and no text is read by OCR where
the extra is installed (``readers.ocr``). What the geometry means (lines, paragraphs, tables,
a scan that cannot be read) is ``readers.pdf``'s.

Text a reader cannot see is not read as the page's: it goes to ``Page.hidden`` with why —

* ``colour``: filled in the colour of what it stands on: the filled area painted last under the
  text object's centre (a table's shaded cell, a box), else the white page; on an image or a
  shading nothing is known of the colour, and the text is read;
* ``invisible``: render mode 3 (neither filled nor stroked) or fully transparent (alpha 0),
  except invisible text over or under an image, which is a scan's OCR layer and is read;
* ``clipped``: the text object's centre outside its clipping path (the paths' boxes);
* ``off-page``: the character's centre outside the page's visible area (crop box);
* ``tiny``: the character's box lower than 2 pt (a font of about 2 pt or less).

What is judged by text object (colour, mode, clip) costs a few PDFium calls an object, made
through plain-address declarations (``_api``) that are three times cheaper than pypdfium2's.

PDFium is not thread-safe: every call goes through one lock.
"""
from __future__ import annotations

import ctypes
import threading
import time
import zlib
from functools import lru_cache
from types import SimpleNamespace

from ..errors import InputError
from . import ocr
from .geometry import Glyph, Page, Rule

MAX_PAGES = 300            # a year's report is 3–30 pages; an appendix of units may add some
MAX_OBJECTS = 50_000       # drawing objects on one page (a table page has a few hundred)
MAX_GLYPHS = 400_000       # characters in the whole file
MAX_SECONDS = 30.0         # wall time for the whole file
MAX_INFLATED = 256 * 2**20  # bytes all compressed streams may inflate to (fonts and images included)
RULE_WIDTH = 3.0           # a stroke or a filled rectangle this thin is a ruling line
MIN_RULE = 4.0             # shorter than this is a dot or a glyph-like mark, not a rule
MIN_HEIGHT = 2.0           # a character's box lower than this (points) is too small to be read
SAME_COLOUR = 16           # colours whose channels (0–255) all differ by no more than this look the same
FAINT = 8                  # an alpha (0–255) this low is not seen

# why a character a reader cannot see is not read (the keys of Page.hidden)
COLOUR, INVISIBLE, CLIPPED, OFF_PAGE, TINY = "colour", "invisible", "clipped", "off-page", "tiny"

_LOCK = threading.Lock()


def read_pages(raw: bytes, file: str | None) -> tuple[list[Page], dict[str, str]]:
    """Every page's glyphs and rules, and the document's information dictionary."""
    import pypdfium2 as pdfium

    _check_streams(raw, file)
    with _LOCK:
        try:
            pdf = pdfium.PdfDocument(raw)
        except pdfium.PdfiumError as e:
            raise InputError(_open_error(getattr(e, "err_code", None)), file) from None
        try:
            return _pages(pdf, file), _info(pdf)
        finally:
            pdf.close()


DEFLATE_RATIO = 1032       # the most Deflate can inflate a byte to (a 258-byte match coded in 2 bits)


def _stream_starts(raw: bytes):
    """Where each stream's data starts (after ``stream`` and its end of line), and the 400
    bytes before it (its dictionary). ``bytes.find``: a regular expression scans ten times slower."""
    pos = 0
    while (at := raw.find(b"stream", pos)) >= 0:
        pos = at + 6
        if raw[max(0, at - 3):at] == b"end":
            continue
        start = pos + 2 if raw.startswith(b"\r\n", pos) else pos + 1 if raw.startswith(b"\n", pos) else -1
        if start > 0:
            yield start, raw[max(0, at - 400):at]


def _check_streams(raw: bytes, file: str | None) -> None:
    """Refuse a PDF whose compressed streams inflate beyond any report's (a PDF bomb), before
    PDFium inflates them: every Flate stream is inflated here with a cap on what comes out, until
    what is left of the file could not inflate beyond the cap even at Deflate's utmost ratio (a
    file under 250 KB is not inflated at all)."""
    total = 0
    for start, before in _stream_starts(raw):
        if total + DEFLATE_RATIO * (len(raw) - start) <= MAX_INFLATED:
            return
        if before.rfind(b"FlateDecode") < 0:
            continue
        inflater = zlib.decompressobj()
        pos = start
        while pos < len(raw) and not inflater.eof:
            chunk = raw[pos:pos + 65536]
            pos += len(chunk)
            try:
                out = inflater.decompress(chunk, MAX_INFLATED - total + 1)
                total += len(out)
                while inflater.unconsumed_tail and total <= MAX_INFLATED:
                    out = inflater.decompress(inflater.unconsumed_tail, MAX_INFLATED - total + 1)
                    total += len(out)
            except zlib.error:
                break  # not a Flate stream after all, or damaged: PDFium decides
            if total > MAX_INFLATED:
                raise InputError(f"PDF 文件解压后超过 {MAX_INFLATED // 2**20} MB，不像一份年度报告（可能是恶意构造的文件），不予读取",
                                 file)


def _open_error(code: int | None) -> str:
    import pypdfium2.raw as c

    if code == c.FPDF_ERR_PASSWORD:
        return "PDF 文件已加密（需要密码才能打开），无法读取：请取得未加密的文件，或在 PDF 阅读器中去除密码后另存"
    if code == c.FPDF_ERR_SECURITY:
        return "PDF 文件使用了不支持的加密方式，无法读取"
    return "PDF 文件已损坏或不完整，无法打开：请重新下载，或用 PDF 阅读器打开后另存"


def _pages(pdf, file: str | None) -> list[Page]:
    api = _api()
    count = len(pdf)
    if count == 0:
        raise InputError("PDF 文件没有页面", file)
    if count > MAX_PAGES:
        raise InputError(f"PDF 文件有 {count} 页，超过一份年度报告可能的 {MAX_PAGES} 页，不予读取", file)
    started = time.monotonic()
    pages: list[Page] = []
    glyphs = 0
    ocr_pages: list[int] | None = [] if ocr.available() else None
    for i in range(count):
        if time.monotonic() - started > MAX_SECONDS + ocr.SECONDS_A_PAGE * len(ocr_pages or ()):
            raise InputError(f"PDF 文件读取超过 {MAX_SECONDS:.0f} 秒（读到第 {i + 1} 页），不予读取", file)
        try:
            page = pdf[i]
        except Exception:  # noqa: BLE001 - PDFium reports a page it cannot load in several ways
            raise InputError(f"PDF 第 {i + 1} 页已损坏，无法读取", file) from None
        try:
            width, height = page.get_size()
            out = Page(i + 1, width, height)
            raw_page = _address(page.raw)
            n_objects = api.count_objects(raw_page)
            if n_objects > MAX_OBJECTS:
                raise InputError(f"PDF 第 {i + 1} 页有 {n_objects} 个绘图对象，不像报告页面，不予读取", file)
            scan = _Scan(out, api, file)
            scan.objects(raw_page, n_objects)
            text_page = page.get_textpage()
            try:
                _glyphs(api, _address(text_page.raw), out, _area(api, raw_page, width, height), scan.hidden())
            finally:
                text_page.close()
            if scan.layer and out.glyphs:  # a searchable scan: its tables are drawn in the image only
                out.layer = True
                out.rules += ocr.image_rules(page, height)
            if not out.glyphs and out.images and ocr_pages is not None:
                ocr_pages.append(i)
                if len(ocr_pages) > ocr.MAX_PAGES:
                    raise InputError(f"扫描件超过 {ocr.MAX_PAGES} 页需要 OCR 识别，不予读取", file)
                out.glyphs, found = ocr.read_page(page, height)
                out.rules += found
                out.ocr = True
        finally:
            page.close()
        glyphs += len(out.glyphs) + sum(len(gs) for gs in out.hidden.values())
        if glyphs > MAX_GLYPHS:
            raise InputError(f"PDF 文件的文字超过 {MAX_GLYPHS} 个字符，不像一份年度报告，不予读取", file)
        pages.append(out)
    return pages


# --- PDFium's calls ----------------------------------------------------------------------

@lru_cache(maxsize=1)
def _api() -> SimpleNamespace:
    """The PDFium functions this module calls per drawing object and per character (thousands a
    page), each declared again with plain addresses (``c_void_p``) for its pointers: ctypes then
    converts an int instead of checking a pointer's type, and a call costs a third of what it
    does through pypdfium2's typed declaration (measured: 0.3 µs against 0.8 µs). Handles are
    ints in this module."""
    import pypdfium2.raw as c

    def plain(function):
        def address_of(t):
            return ctypes.c_void_p if t is not None and issubclass(t, ctypes._Pointer) else t

        again = type(function)(ctypes.cast(function, ctypes.c_void_p).value)  # same calling convention
        again.argtypes = [address_of(t) for t in function.argtypes]
        again.restype = address_of(function.restype)
        return again

    names = {
        "count_objects": "FPDFPage_CountObjects", "get_object": "FPDFPage_GetObject", "page_box": "FPDF_GetPageBoundingBox",
        "type": "FPDFPageObj_GetType", "bounds": "FPDFPageObj_GetBounds", "matrix": "FPDFPageObj_GetMatrix",
        "fill": "FPDFPageObj_GetFillColor", "stroke": "FPDFPageObj_GetStrokeColor",
        "form_count": "FPDFFormObj_CountObjects", "form_object": "FPDFFormObj_GetObject",
        "draw_mode": "FPDFPath_GetDrawMode", "segments": "FPDFPath_CountSegments", "segment": "FPDFPath_GetPathSegment",
        "point": "FPDFPathSegment_GetPoint", "segment_type": "FPDFPathSegment_GetType",
        "segment_close": "FPDFPathSegment_GetClose",
        "render_mode": "FPDFTextObj_GetTextRenderMode", "clip": "FPDFPageObj_GetClipPath",
        "clip_paths": "FPDFClipPath_CountPaths", "clip_segments": "FPDFClipPath_CountPathSegments",
        "clip_segment": "FPDFClipPath_GetPathSegment",
        "count_chars": "FPDFText_CountChars", "text": "FPDFText_GetText", "unicode": "FPDFText_GetUnicode",
        "loose_box": "FPDFText_GetLooseCharBox", "generated": "FPDFText_IsGenerated",
        "text_object": "FPDFText_GetTextObject",
    }
    out = SimpleNamespace(**{short: plain(getattr(c, name)) for short, name in names.items()})
    out.TEXT, out.PATH, out.IMAGE = c.FPDF_PAGEOBJ_TEXT, c.FPDF_PAGEOBJ_PATH, c.FPDF_PAGEOBJ_IMAGE
    out.SHADING, out.FORM = c.FPDF_PAGEOBJ_SHADING, c.FPDF_PAGEOBJ_FORM
    out.LINETO, out.MOVETO = c.FPDF_SEGMENT_LINETO, c.FPDF_SEGMENT_MOVETO
    out.RECT, out.MATRIX = c.FS_RECTF, c.FS_MATRIX
    return out


def _address(handle) -> int:
    return ctypes.cast(handle, ctypes.c_void_p).value


class _Out:
    """Out-parameters for PDFium's calls (four floats, four unsigned ints, a matrix) and their
    addresses."""

    def __init__(self, api: SimpleNamespace):
        self.floats = (ctypes.c_float * 4)()
        self.uints = (ctypes.c_uint * 4)()
        self.matrix = api.MATRIX()
        f, u = ctypes.addressof(self.floats), ctypes.addressof(self.uints)
        self.f = (f, f + 4, f + 8, f + 12)
        self.u = (u, u + 4, u + 8, u + 12)
        self.m = ctypes.addressof(self.matrix)


Box = tuple[float, float, float, float]  # left, bottom, right, top


def _area(api: SimpleNamespace, page: int, width: float, height: float) -> Box:
    """The part of the page a reader sees (the crop box within the media box)."""
    rect = api.RECT()
    if not api.page_box(page, ctypes.addressof(rect)):
        return 0.0, 0.0, width, height
    return rect.left, min(rect.bottom, rect.top), rect.right, max(rect.bottom, rect.top)


# --- one page's drawing objects ----------------------------------------------------------

class _Scan:
    """One page's drawing objects in the order they are painted: the rules and images it
    draws (onto ``page``), and the text objects a reader cannot see, with why."""

    # bounds on the work a page may cause beyond one look at each object (a report's page has a
    # few filled areas, one or two fill colours, an image or none, a clipping rectangle or none)
    COVERS = 256          # filled areas looked through (latest first) for what a text stands on
    COLOURS = 64          # distinct fill colours beyond which every text is looked at closely
    PICTURES = 64         # images beyond which they are taken as one (a scan in strips)
    CLIP_PATHS = 32       # paths of one clipping path (each narrows it)
    CLIP_POINTS = 100_000  # points of clipping paths read on one page

    def __init__(self, page: Page, api: SimpleNamespace, file: str | None):
        self.page, self.api, self.file = page, api, file
        self.out = _Out(api)
        self.budget = MAX_OBJECTS
        self.covers: list[tuple[float, float, float, float, tuple | None]] = []  # filled areas (their
        # colour) and pictures (None), as painted, in page space
        self.colours: set[tuple[int, int, int]] = set()  # the filled areas' colours
        self.pictures: list[Box] = []       # images: invisible text over (or under) one is an OCR layer
        self.invisible: list[tuple[int, tuple | None]] = []  # text in render mode 3, and its form's matrix
        self.layer = False                  # invisible text over an image was kept: an OCR layer
        self.gone: dict[int, str] = {}      # text objects a reader cannot see → why
        self.clips: dict[tuple, Box | None] = {}
        self.clip_points = self.CLIP_POINTS
        self.plain: dict[tuple[int, int, int], bool] = {}  # colour → _plain (until another fill colour)

    def objects(self, page: int, n: int) -> None:
        """The page's ``n`` objects. Nearly all are text filled in an opaque colour that neither
        the white page nor any filled area painted so far has, with no clipping path: those are
        seen, known so here with five calls; every other object is looked at by ``walk``."""
        api = self.api
        get_object, kind_of, clip, clip_paths, render_mode, fill = \
            api.get_object, api.type, api.clip, api.clip_paths, api.render_mode, api.fill
        text, u, uints, plain = api.TEXT, self.out.u, self.out.uints, self.plain
        for k in range(n):
            obj = get_object(page, k)
            if kind_of(obj) == text and render_mode(obj) == 0 and fill(obj, *u):
                r, g, b, a = uints[:]
                seen = plain.get((r, g, b))
                if seen is None:
                    seen = plain[(r, g, b)] = self._plain((r, g, b))
                if seen and a > FAINT:
                    path = clip(obj)
                    if not path or clip_paths(path) <= 0:
                        self.budget -= 1
                        continue
            self.walk(obj)

    def _plain(self, rgb: tuple[int, int, int]) -> bool:
        """Whether text in this colour is seen whatever it stands on (of what the page has
        filled so far)."""
        return not _white(rgb) and len(self.colours) <= self.COLOURS and not any(_near(rgb, f) for f in self.colours)

    def walk(self, obj: int, depth: int = 0, matrix: tuple | None = None, gone: str | None = None) -> None:
        """One page object, descending into form XObjects (whose objects are in the form's space:
        ``matrix`` takes them to the page's; ``gone``: the form itself cannot be seen)."""
        api = self.api
        self.budget -= 1
        if self.budget < 0:
            raise InputError(f"PDF 第 {self.page.number} 页的绘图对象过多，不像报告页面，不予读取", self.file)
        kind = api.type(obj)
        if kind == api.TEXT:
            why = gone or self._text(obj, matrix)
            if why:
                self.gone[obj] = why
        elif kind == api.PATH:
            self._path(obj, matrix)
        elif kind == api.IMAGE or kind == api.SHADING:
            box = self._box(obj, matrix)
            if kind == api.IMAGE:
                self.page.images += 1
                if box:
                    self.pictures.append(box)
            if box:
                self.covers.append((*box, None))
        elif kind == api.FORM and depth < 8:
            gone = gone or (CLIPPED if self._clipped(obj) else None)
            inner = _times(self._matrix(obj), matrix)
            for k in range(api.form_count(obj)):
                self.walk(api.form_object(obj, k), depth + 1, inner, gone)

    def hidden(self) -> dict[int, str]:
        """The page's text objects a reader cannot see, with why. Invisible text (render mode 3)
        over or under an image is the text layer of a scan (an OCR layer): it is read."""
        pictures = self.pictures
        if len(pictures) > self.PICTURES:
            pictures = [(min(p[0] for p in pictures), min(p[1] for p in pictures),
                         max(p[2] for p in pictures), max(p[3] for p in pictures))]
        for obj, matrix in self.invisible:
            box = self._box(obj, matrix)
            if box is None or not any(_inside(_centre(box), p) for p in pictures):
                self.gone[obj] = INVISIBLE
            else:
                self.layer = True
        return self.gone

    # text

    def _text(self, obj: int, matrix: tuple | None) -> str | None:
        """Why a text object cannot be seen, or None."""
        api = self.api
        clip = api.clip(obj)
        if clip and api.clip_paths(clip) > 0 and self._clipped(obj, clip):
            return CLIPPED
        mode = api.render_mode(obj)
        if mode in (3, 7):  # neither filled nor stroked: decided when the page's images are known
            self.invisible.append((obj, matrix))
            return None
        colours = [self._colour(api.stroke if mode in (1, 5) else api.fill, obj)]
        if mode in (2, 6):  # filled and stroked: seen if either is
            colours.append(self._colour(api.stroke, obj))
        if None in colours:
            return None
        seen = [(r, g, b) for r, g, b, a in colours if a > FAINT]
        if not seen:
            return INVISIBLE
        if any(self._plain(rgb) for rgb in seen):
            return None  # a colour neither the page nor a filled area has: seen whatever is under it
        background = WHITE
        if self.covers:
            box = self._box(obj, matrix)
            if box is None:
                return None
            centre = _centre(box)
            for *area, colour in reversed(self.covers[-self.COVERS:]):
                if _inside(centre, area):
                    if colour is None:
                        return None  # on an image: what it shows there is not known
                    background = colour
                    break
            else:
                if len(self.covers) > self.COVERS:
                    return None  # under what was looked through: not known
        return COLOUR if all(_near(rgb, background) for rgb in seen) else None

    def _colour(self, getter, obj: int) -> tuple[int, int, int, int] | None:
        u = self.out.u
        if not getter(obj, *u):
            return None
        return tuple(self.out.uints[:])

    def _clipped(self, obj: int, clip: int | None = None) -> bool:
        """Whether the object lies outside its clipping path (each path taken as its box; the
        boxes of paths many objects share are computed once)."""
        api = self.api
        clip = clip or api.clip(obj)
        n = min(api.clip_paths(clip) if clip else -1, self.CLIP_PATHS)
        if n <= 0:
            return False
        key = tuple(api.clip_segment(clip, j, 0) for j in range(n))  # where the paths' points are kept
        if key not in self.clips:
            self.clips[key] = self._clip_box(clip, n)
        area = self.clips[key]
        box = self._box(obj, None)  # the clipping path is in the object's own space
        return area is not None and box is not None and not _inside(_centre(box), area)

    def _clip_box(self, clip: int, n: int) -> Box | None:
        api = self.api
        x, y = ctypes.c_float(), ctypes.c_float()
        px, py = ctypes.addressof(x), ctypes.addressof(y)
        area = [-float("inf"), -float("inf"), float("inf"), float("inf")]
        for j in range(n):
            xs, ys = [], []
            for k in range(api.clip_segments(clip, j)):
                self.clip_points -= 1
                if self.clip_points < 0:
                    return None  # not known: not clipped
                segment = api.clip_segment(clip, j, k)
                if segment and api.point(segment, px, py):
                    xs.append(x.value)
                    ys.append(y.value)
            if xs:
                area = [max(area[0], min(xs)), max(area[1], min(ys)), min(area[2], max(xs)), min(area[3], max(ys))]
        return None if area[0] == -float("inf") else tuple(area)

    # geometry

    def _box(self, obj: int, matrix: tuple | None) -> Box | None:
        f = self.out.f
        if not self.api.bounds(obj, *f):
            return None
        x0, y0, x1, y1 = self.out.floats
        if matrix is None:
            return x0, y0, x1, y1
        corners = [_apply(matrix, x, y) for x in (x0, x1) for y in (y0, y1)]
        xs, ys = [p[0] for p in corners], [p[1] for p in corners]
        return min(xs), min(ys), max(xs), max(ys)

    def _matrix(self, obj: int) -> tuple:
        m = self.out.matrix
        if not self.api.matrix(obj, self.out.m):
            return (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
        return m.a, m.b, m.c, m.d, m.e, m.f

    # paths

    def _path(self, obj: int, matrix: tuple | None) -> None:
        """The ruling segments a path draws: a thin box (a stroked line or a filled hairline
        rectangle) is one rule; a larger rectangle gives its four edges. A filled area is
        kept as what text painted later stands on."""
        api = self.api
        f = self.out.f
        if not api.bounds(obj, *f):
            return
        x0, y0, x1, y1 = self.out.floats
        w, h = x1 - x0, y1 - y0
        fill, stroke = ctypes.c_int(), ctypes.c_int()
        if not api.draw_mode(obj, ctypes.addressof(fill), ctypes.addressof(stroke)):
            return
        colour = self._colour(api.fill, obj) if fill.value else None
        white = colour is not None and (colour[3] == 0 or min(colour[:3]) >= 250)
        if colour is not None and colour[3] > FAINT and w > RULE_WIDTH and h > RULE_WIDTH:
            box = (x0, y0, x1, y1) if matrix is None else self._box(obj, matrix)
            if box:
                self.covers.append((*box, colour[:3]))
                if colour[:3] not in self.colours:
                    self.colours.add(colour[:3])
                    self.plain.clear()
        if not stroke.value and (not fill.value or white or (w > RULE_WIDTH and h > RULE_WIDTH)):
            return  # an invisible path, a white box, or a shaded area: not a line anyone sees
        rules = self.page.rules
        if w <= RULE_WIDTH and h >= MIN_RULE:
            rules.append(Rule(False, (x0 + x1) / 2, y0, y1))
        elif h <= RULE_WIDTH and w >= MIN_RULE:
            rules.append(Rule(True, (y0 + y1) / 2, x0, x1))
        elif w >= MIN_RULE and h >= MIN_RULE and api.segments(obj) <= 6:
            # a stroked rectangle: a cell's border; its edges are where the grid is
            rules += [Rule(True, y0, x0, x1), Rule(True, y1, x0, x1), Rule(False, x0, y0, y1), Rule(False, x1, y0, y1)]
        elif w >= MIN_RULE and h >= MIN_RULE:
            self._segments(obj)

    def _segments(self, obj: int) -> None:
        """A path drawing many lines at once (a whole grid in one path): its straight
        axis-aligned segments, in page coordinates."""
        api = self.api
        if not api.matrix(obj, self.out.m):
            return
        m = self.out.matrix
        a, b, c, d, e, f = m.a, m.b, m.c, m.d, m.e, m.f
        n = min(api.segments(obj), 20_000)
        x, y = ctypes.c_float(), ctypes.c_float()
        px, py = ctypes.addressof(x), ctypes.addressof(y)
        rules = self.page.rules
        prev = start = None
        for k in range(n):
            seg = api.segment(obj, k)
            if not seg or not api.point(seg, px, py):
                continue
            point = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
            kind = api.segment_type(seg)
            if kind == api.LINETO and prev is not None:
                _add_segment(prev, point, rules)
            elif kind == api.MOVETO:
                start = point
            prev = point
            if api.segment_close(seg) and start is not None:
                _add_segment(prev, start, rules)


WHITE = (255, 255, 255)


def _white(rgb) -> bool:
    return min(rgb) >= 255 - SAME_COLOUR


def _near(a, b) -> bool:
    return abs(a[0] - b[0]) <= SAME_COLOUR and abs(a[1] - b[1]) <= SAME_COLOUR and abs(a[2] - b[2]) <= SAME_COLOUR


def _centre(box) -> tuple[float, float]:
    return (box[0] + box[2]) / 2, (box[1] + box[3]) / 2


def _inside(point: tuple[float, float], box) -> bool:
    return box[0] <= point[0] <= box[2] and box[1] <= point[1] <= box[3]


def _apply(m: tuple, x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def _times(inner: tuple, outer: tuple | None) -> tuple:
    """The matrix that applies ``inner`` and then ``outer``."""
    if outer is None:
        return inner
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _add_segment(a: tuple[float, float], b: tuple[float, float], rules: list[Rule]) -> None:
    (ax, ay), (bx, by) = a, b
    if abs(ay - by) <= 1.0 and abs(ax - bx) >= MIN_RULE:
        rules.append(Rule(True, (ay + by) / 2, min(ax, bx), max(ax, bx)))
    elif abs(ax - bx) <= 1.0 and abs(ay - by) >= MIN_RULE:
        rules.append(Rule(False, (ax + bx) / 2, min(ay, by), max(ay, by)))


# --- the page's characters ---------------------------------------------------------------

def _glyphs(api: SimpleNamespace, text_page: int, page: Page, area: Box, gone: dict[int, str]) -> None:
    """Every character of the page with its loose box, into ``page.glyphs``; a character a
    reader cannot see (of a text object in ``gone``, off the page, too small) into
    ``page.hidden``. Characters PDFium generated (line ends, guessed spaces) are left out; a
    space the document has is kept as a mark on the glyph after it."""
    n = api.count_chars(text_page)
    if n <= 0:
        return
    buffer = ctypes.create_string_buffer((n + 1) * 2)
    got = api.text(text_page, 0, n, ctypes.addressof(buffer))
    units = buffer.raw[:max(0, got - 1) * 2]
    text = units.decode("utf-16-le", errors="replace")
    if len(text) != n:  # characters beyond the BMP: one index each in PDFium, two UTF-16 units here
        text = "".join(chr(api.unicode(text_page, i)) for i in range(n))
    rect = api.RECT()
    r = ctypes.addressof(rect)
    loose_box, generated, text_object = api.loose_box, api.generated, api.text_object
    left, bottom, right, top = area
    out, hidden = page.glyphs, page.hidden
    spaced = after_hidden = False
    for i, ch in enumerate(text):
        if ch in "\r\n":
            continue
        if ch.isspace() or ch in "\xa0\u3000":
            # a space the document has, not one PDFium guessed from a gap (nor one of hidden text)
            spaced = spaced or (not after_hidden and generated(text_page, i) != 1)
            continue
        if ch in "\ufeff\ufffe\uffff" or not loose_box(text_page, i, r):
            continue
        x0, y0, x1, y1 = rect.left, rect.bottom, rect.right, rect.top
        if x1 <= x0 or y1 <= y0:
            continue
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        why = TINY if y1 - y0 < MIN_HEIGHT else OFF_PAGE if not (left <= cx <= right and bottom <= cy <= top) \
            else gone.get(text_object(text_page, i)) if gone else None
        if why:
            hidden.setdefault(why, []).append(Glyph(ch, x0, y0, x1, y1))
            spaced, after_hidden = False, True
        else:
            out.append(Glyph(ch, x0, y0, x1, y1, spaced))
            spaced = after_hidden = False


def _info(pdf) -> dict[str, str]:
    try:
        meta = pdf.get_metadata_dict(skip_empty=True)
    except Exception:  # noqa: BLE001 - an unreadable information dictionary is no information
        return {}
    return {k: v for k, v in meta.items() if isinstance(v, str)}


__all__ = ["CLIPPED", "COLOUR", "INVISIBLE", "MAX_PAGES", "OFF_PAGE", "TINY", "read_pages"]

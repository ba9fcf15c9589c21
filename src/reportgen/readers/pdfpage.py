"""A PDF's pages as geometry, through PDFium (pypdfium2): each page's glyphs with their boxes
and the ruling lines its tables are drawn with, in page points with y growing upwards.

This module owns everything that touches PDFium and every guard on a PDF: a damaged file, an
encrypted one, a bomb (an absurd page count, millions of drawing objects, a page that takes
too long) are clear errors, never a hang. A page of images and no text is read by OCR where
the extra is installed (``readers.ocr``). What the geometry means (lines, paragraphs, tables,
a scan that cannot be read) is ``readers.pdf``'s.

PDFium is not thread-safe: every call goes through one lock.
"""
from __future__ import annotations

import ctypes
import re
import threading
import time
import zlib

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


_STREAM = re.compile(rb"(?<!end)stream\r?\n")


def _check_streams(raw: bytes, file: str | None) -> None:
    """Refuse a PDF whose compressed streams inflate beyond any report's (a PDF bomb), before
    PDFium inflates them: every Flate stream is inflated here with a cap on what comes out."""
    total = 0
    for m in _STREAM.finditer(raw):
        if raw[max(0, m.start() - 400):m.start()].rfind(b"FlateDecode") < 0:
            continue
        inflater = zlib.decompressobj()
        pos = m.end()
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
    import pypdfium2.raw as c

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
            raw_page = page.raw
            n_objects = c.FPDFPage_CountObjects(raw_page)
            if n_objects > MAX_OBJECTS:
                raise InputError(f"PDF 第 {i + 1} 页有 {n_objects} 个绘图对象，不像报告页面，不予读取", file)
            budget = [MAX_OBJECTS]
            for k in range(n_objects):
                _walk(c.FPDFPage_GetObject(raw_page, k), out, budget, 0, file)
            text_page = page.get_textpage()
            try:
                out.glyphs = _glyphs(text_page.raw)
            finally:
                text_page.close()
            if not out.glyphs and out.images and ocr_pages is not None:
                ocr_pages.append(i)
                if len(ocr_pages) > ocr.MAX_PAGES:
                    raise InputError(f"扫描件超过 {ocr.MAX_PAGES} 页需要 OCR 识别，不予读取", file)
                out.glyphs, found = ocr.read_page(page, height)
                out.rules += found
                out.ocr = True
        finally:
            page.close()
        glyphs += len(out.glyphs)
        if glyphs > MAX_GLYPHS:
            raise InputError(f"PDF 文件的文字超过 {MAX_GLYPHS} 个字符，不像一份年度报告，不予读取", file)
        pages.append(out)
    return pages


def _walk(obj, page: Page, budget: list[int], depth: int, file: str | None) -> None:
    """Rules and images of one page object, descending into form XObjects."""
    import pypdfium2.raw as c

    budget[0] -= 1
    if budget[0] < 0:
        raise InputError(f"PDF 第 {page.number} 页的绘图对象过多，不像报告页面，不予读取", file)
    kind = c.FPDFPageObj_GetType(obj)
    if kind == c.FPDF_PAGEOBJ_PATH:
        _path_rules(obj, page.rules)
    elif kind == c.FPDF_PAGEOBJ_IMAGE:
        page.images += 1
    elif kind == c.FPDF_PAGEOBJ_FORM and depth < 8:
        for k in range(c.FPDFFormObj_CountObjects(obj)):
            _walk(c.FPDFFormObj_GetObject(obj, k), page, budget, depth + 1, file)


def _path_rules(obj, rules: list[Rule]) -> None:
    """The ruling segments a path draws: a thin box (a stroked line or a filled hairline
    rectangle) is one rule; a larger rectangle gives its four edges."""
    import pypdfium2.raw as c

    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    if not c.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
        return
    x0, y0, x1, y1 = left.value, bottom.value, right.value, top.value
    w, h = x1 - x0, y1 - y0
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    if not c.FPDFPath_GetDrawMode(obj, fill, stroke):
        return
    if not stroke.value and (not fill.value or _white(obj) or (w > RULE_WIDTH and h > RULE_WIDTH)):
        return  # an invisible path, a white box, or a shaded area: not a line anyone sees
    if w <= RULE_WIDTH and h >= MIN_RULE:
        rules.append(Rule(False, (x0 + x1) / 2, y0, y1))
    elif h <= RULE_WIDTH and w >= MIN_RULE:
        rules.append(Rule(True, (y0 + y1) / 2, x0, x1))
    elif w >= MIN_RULE and h >= MIN_RULE and c.FPDFPath_CountSegments(obj) <= 6:
        # a stroked rectangle: a cell's border; its edges are where the grid is
        rules += [Rule(True, y0, x0, x1), Rule(True, y1, x0, x1), Rule(False, x0, y0, y1), Rule(False, x1, y0, y1)]
    elif w >= MIN_RULE and h >= MIN_RULE:
        _segments(obj, rules)


def _white(obj) -> bool:
    import pypdfium2.raw as c

    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    if not c.FPDFPageObj_GetFillColor(obj, r, g, b, a):
        return False
    return a.value == 0 or min(r.value, g.value, b.value) >= 250


def _segments(obj, rules: list[Rule]) -> None:
    """A path drawing many lines at once (a whole grid in one path): its straight
    axis-aligned segments, in page coordinates."""
    import pypdfium2.raw as c

    matrix = c.FS_MATRIX()
    if not c.FPDFPageObj_GetMatrix(obj, matrix):
        return
    n = min(c.FPDFPath_CountSegments(obj), 20_000)
    x, y = ctypes.c_float(), ctypes.c_float()
    prev = start = None
    for k in range(n):
        seg = c.FPDFPath_GetPathSegment(obj, k)
        if not c.FPDFPathSegment_GetPoint(seg, x, y):
            continue
        px = matrix.a * x.value + matrix.c * y.value + matrix.e
        py = matrix.b * x.value + matrix.d * y.value + matrix.f
        kind = c.FPDFPathSegment_GetType(seg)
        if kind == c.FPDF_SEGMENT_LINETO and prev is not None:
            _add_segment(prev, (px, py), rules)
        elif kind == c.FPDF_SEGMENT_MOVETO:
            start = (px, py)
        prev = (px, py)
        if c.FPDFPathSegment_GetClose(seg) and start is not None:
            _add_segment(prev, start, rules)


def _add_segment(a: tuple[float, float], b: tuple[float, float], rules: list[Rule]) -> None:
    (ax, ay), (bx, by) = a, b
    if abs(ay - by) <= 1.0 and abs(ax - bx) >= MIN_RULE:
        rules.append(Rule(True, (ay + by) / 2, min(ax, bx), max(ax, bx)))
    elif abs(ax - bx) <= 1.0 and abs(ay - by) >= MIN_RULE:
        rules.append(Rule(False, (ax + bx) / 2, min(ay, by), max(ay, by)))


def _glyphs(text_page) -> list[Glyph]:
    """Every character the page shows, with its loose box. Characters PDFium generated (line
    ends, guessed spaces) are left out; a space the document has is kept as a mark on the
    glyph after it."""
    import pypdfium2.raw as c

    n = c.FPDFText_CountChars(text_page)
    if n <= 0:
        return []
    buffer = ctypes.create_string_buffer((n + 1) * 2)
    got = c.FPDFText_GetText(text_page, 0, n, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
    units = buffer.raw[:max(0, got - 1) * 2]
    text = units.decode("utf-16-le", errors="replace")
    if len(text) != n:  # characters beyond the BMP: one index each in PDFium, two UTF-16 units here
        text = "".join(chr(c.FPDFText_GetUnicode(text_page, i)) for i in range(n))
    out: list[Glyph] = []
    rect = c.FS_RECTF()
    loose_box = c.FPDFText_GetLooseCharBox
    spaced = False
    for i, ch in enumerate(text):
        if ch in "\r\n":
            continue
        if ch.isspace() or ch in "\xa0\u3000":
            # a space the document has, not one PDFium guessed from a gap
            spaced = spaced or c.FPDFText_IsGenerated(text_page, i) != 1
            continue
        if ch in "\ufeff\ufffe\uffff" or not loose_box(text_page, i, rect):
            continue
        if rect.right <= rect.left or rect.top <= rect.bottom:
            continue
        out.append(Glyph(ch, rect.left, rect.bottom, rect.right, rect.top, spaced))
        spaced = False
    return out


def _info(pdf) -> dict[str, str]:
    try:
        meta = pdf.get_metadata_dict(skip_empty=True)
    except Exception:  # noqa: BLE001 - an unreadable information dictionary is no information
        return {}
    return {k: v for k, v in meta.items() if isinstance(v, str)}


__all__ = ["MAX_PAGES", "read_pages"]

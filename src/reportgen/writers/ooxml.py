"""Raw OOXML that python-docx has no API for, in one small module of the docx writer.

Resolving the house style's ids in a reference docx (by id, then by name), adapting styles to
a Traditional script, the document part around its body (so a report's blocks are spliced in
as text, not moved element by element), and the zip with fixed timestamps so the same input
gives the same bytes.
"""
from __future__ import annotations

import io
import zipfile

from lxml import etree

from ..formats.docx import FONT_SETS, GB2312_ONLY_FONTS, REQUIRED_STYLES, STYLE_NAMES, W, language_tag

def resolve_styles(document) -> tuple[dict[str, str], list[str]]:
    """(our style id → the reference's style id, names of required styles it lacks), matching
    by id first and then by name (case-insensitive)."""
    ids: set[str] = set()
    by_name: dict[str, str] = {}
    for st in document.styles.element.iter(W + "style"):
        sid = st.get(W + "styleId")
        name = st.find(W + "name")
        if sid:
            ids.add(sid)
            if name is not None and name.get(W + "val"):
                by_name.setdefault(name.get(W + "val").lower(), sid)
    mapping: dict[str, str] = {}
    missing: list[str] = []
    for sid in REQUIRED_STYLES:
        if sid in ids:
            mapping[sid] = sid
        elif STYLE_NAMES[sid].lower() in by_name:
            mapping[sid] = by_name[STYLE_NAMES[sid].lower()]
        else:
            missing.append(STYLE_NAMES[sid])
    return mapping, missing


def adapt_to_script(document, script: str) -> None:
    """For a Traditional-script document: East Asian language tags of styles and settings
    set to zh-TW / zh-HK, and GB2312-only fonts (which have no Traditional glyphs) replaced
    by their GBK counterparts. A Simplified document is left exactly as the reference is."""
    tag = language_tag(script)
    if tag == "zh-CN":
        return
    for part in (document.styles.element, document.settings.element):
        for el in part.iter(W + "rFonts"):
            for attr in ("eastAsia", "ascii", "hAnsi"):
                name = el.get(W + attr)
                if name in GB2312_ONLY_FONTS:
                    el.set(W + attr, GB2312_ONLY_FONTS[name])
        for el in part.iter(W + "lang", W + "themeFontLang"):
            if el.get(W + "eastAsia"):
                el.set(W + "eastAsia", tag)


def use_font_set(document, fonts: str) -> None:
    """The reference's style fonts replaced by those of the font set ``fonts`` (``FONT_SETS``);
    the title, set in 宋体 for want of 方正小标宋简体, is made bold as offices do."""
    mapping = FONT_SETS[fonts]
    if not mapping:
        return
    for el in document.styles.element.iter(W + "rFonts"):  # the styles' and the document defaults'
        for attr in ("eastAsia", "ascii", "hAnsi"):
            name = el.get(W + attr)
            if name in mapping:
                el.set(W + attr, mapping[name])
                if name == "方正小标宋简体":
                    rpr = el.getparent()
                    for old in rpr.findall(W + "b"):
                        rpr.remove(old)
                    el.addnext(etree.Element(W + "b"))


def body_frame(document) -> tuple[str, str]:
    """document.xml around the body as python-docx serialises it, split where the blocks go:
    (everything before, everything after — the reference's section properties included).
    Empties the Document's body. The blocks are written with the ``w`` prefix, so the
    document element must declare it (as Word and LibreOffice do)."""
    if document.element.nsmap.get("w") != W[1:-1]:
        raise ValueError("document.xml does not declare the w: prefix")
    body = document.element.body
    sect_pr = body.find(W + "sectPr")
    for child in list(body):
        if child is not sect_pr:
            body.remove(child)
    marker = etree.Comment(_MARKER)
    if sect_pr is not None:
        sect_pr.addprevious(marker)
    else:
        body.append(marker)
    text = etree.tostring(document.element, encoding="UTF-8", standalone=True).decode("utf-8")
    marker.getparent().remove(marker)
    head, tail = text.split(f"<!--{_MARKER}-->")
    return head, tail


_MARKER = "reportgen-body"


def write_package(entries: list[tuple[str, bytes]], date_time: tuple[int, int, int, int, int, int]) -> bytes:
    """The zip of a package's entries, each stamped ``date_time`` with mode 0644 (the same
    input gives the same bytes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, blob in entries:
            info = zipfile.ZipInfo(name, date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, blob)
    return out.getvalue()

"""Raw OOXML that python-docx has no API for, in one small module of the docx writer.

Resolving the house style's ids in a reference docx (by id, then by name), adapting styles to
a Traditional script, replacing the body, and saving with fixed zip timestamps so the same
input gives the same bytes.
"""
from __future__ import annotations

import io
import zipfile

from docx.oxml import parse_xml

from ..formats.docx import GB2312_ONLY_FONTS, REQUIRED_STYLES, STYLE_NAMES, W, language_tag

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


def replace_body(document, body_xml: str) -> None:
    """Give a python-docx Document a new body (``body_xml``: the blocks as ``w:`` XML text),
    keeping the reference's section properties: the XML is parsed once and its elements moved
    into the body (python-docx's per-paragraph proxies would be far slower)."""
    body = document.element.body
    sect_pr = body.find(W + "sectPr")
    for child in list(body):
        if child is not sect_pr:
            body.remove(child)
    nsmap = " ".join(f'xmlns:{k}="{v}"' for k, v in document.element.nsmap.items() if k)
    new = parse_xml(f"<w:body {nsmap}>{body_xml}</w:body>".encode("utf-8"))
    for i, el in enumerate(list(new)):
        body.insert(i, el)


def save_package(document, date_time: tuple[int, int, int, int, int, int]) -> bytes:
    """Serialise a python-docx Document with every zip entry stamped ``date_time`` (the same
    input gives the same bytes)."""
    saved = io.BytesIO()
    document.save(saved)
    out = io.BytesIO()
    with zipfile.ZipFile(saved) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, src.read(info))
    return out.getvalue()

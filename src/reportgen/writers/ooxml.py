"""Raw OOXML that python-docx has no API for, in one small module.

Namespaces, unit conversions, the style ids of the house style (the one map a docx reader
will invert), body replacement, and a package writer with fixed zip timestamps so the same
input gives the same bytes.
"""
from __future__ import annotations

import io
import re
import zipfile

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
W = "{%s}" % W_NS


def mm(value: float) -> int:
    """Millimetres → twips (1/1440 inch)."""
    return round(value / 25.4 * 1440)


# Style ids of the house style. The writer applies them; the reader maps them back.
STYLE_TITLE = "Title"
STYLE_HEADINGS = {1: "Heading1", 2: "Heading2", 3: "Heading3", 4: "Heading4"}
STYLE_BODY = "Normal"
STYLE_CLOSING = "Closing"
STYLE_ADDRESSEE = "Addressee"
STYLE_META = "ReportMeta"
STYLE_TABLE = "ReportTable"
STYLE_CELL = {"corner": "TableHeader", "header": "TableHeader", "caption": "TableLabel",
              "label": "TableLabel", "value": "TableText"}

REQUIRED_STYLES = (STYLE_TITLE, *STYLE_HEADINGS.values(), STYLE_CLOSING, STYLE_ADDRESSEE, STYLE_META,
                   "TableHeader", "TableLabel", "TableText", STYLE_TABLE)
# Each style's name, as Word shows it: a reference docx saved by a localised Word may give the
# built-in styles other ids (a Chinese Word writes heading 1 as styleId "1"), never other names.
STYLE_NAMES = {STYLE_TITLE: "Title", **{sid: f"heading {lv}" for lv, sid in STYLE_HEADINGS.items()},
               STYLE_CLOSING: "Closing", STYLE_ADDRESSEE: "Addressee", STYLE_META: "Report Meta",
               "TableHeader": "Table Header", "TableLabel": "Table Label", "TableText": "Table Text",
               STYLE_TABLE: "Report Table"}


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


# Language tag of each script, and the fonts that only cover GB2312 (Simplified) with the
# GBK font of the same design that also has Traditional characters.
LANGUAGE_TAGS = {"zh-Hans": "zh-CN", "zh-Hant": "zh-TW", "zh-TW": "zh-TW", "zh-HK": "zh-HK"}
GB2312_ONLY_FONTS = {"仿宋_GB2312": "仿宋", "楷体_GB2312": "楷体", "方正小标宋简体": "方正小标宋_GBK"}


def language_tag(script: str) -> str:
    return LANGUAGE_TAGS.get(script, "zh-CN")


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


class FixedTimeZip:
    """A stand-in for python-docx's PhysPkgWriter that stamps every entry with one time."""

    def __init__(self, date_time: tuple[int, int, int, int, int, int]):
        self.buffer = io.BytesIO()
        self._zip = zipfile.ZipFile(self.buffer, "w", compression=zipfile.ZIP_DEFLATED)
        self._dt = date_time

    def write(self, pack_uri, blob: bytes) -> None:
        info = zipfile.ZipInfo(pack_uri.membername, self._dt)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        self._zip.writestr(info, blob)

    def close(self) -> None:
        self._zip.close()


def replace_body(document, body_xml: str):
    """Give a python-docx Document a new body (``body_xml``: the blocks as ``w:`` XML text),
    keeping the reference's section properties; parse once instead of moving elements one by
    one. Returns the new python-docx Document proxy."""
    from docx.oxml.parser import parse_xml
    from lxml import etree

    part = document.part
    old = part.element
    sect_pr = old.body.find(W + "sectPr")
    tail = etree.tostring(sect_pr, encoding="unicode") if sect_pr is not None else ""
    while re.match(r'^<[^>]*\sxmlns:\w+="', tail):  # declared on the root already
        tail = re.sub(r'^(<[^>]*?)\s+xmlns:\w+="[^"]*"', r"\1", tail)
    nsmap = " ".join(f'xmlns:{k}="{v}"' for k, v in old.nsmap.items() if k)
    root = "document"
    part._element = parse_xml(f"<w:{root} {nsmap}><w:body>{body_xml}{tail}</w:body></w:{root}>".encode("utf-8"))
    return part.document


def save_package(document, date_time: tuple[int, int, int, int, int, int]) -> bytes:
    """Serialise a python-docx Document with fixed entry timestamps."""
    from docx.opc.pkgwriter import PackageWriter

    package = document.part.package
    parts = list(package.iter_parts())
    out = FixedTimeZip(date_time)
    PackageWriter._write_content_types_stream(out, parts)
    PackageWriter._write_pkg_rels(out, package.rels)
    PackageWriter._write_parts(out, parts)
    out.close()
    return out.buffer.getvalue()

"""Raw OOXML that python-docx has no API for, in one small module of the docx writer.

Resolving the house style's ids in a reference docx (by id, then by name), adapting styles to
a Traditional script, keeping line-end punctuation inside the line for LibreOffice, the page setup a reference leaves out, the document part's root with an
empty body (the frame a report's blocks go into), which parts of a package are XML and whether
each is well-formed, and the zip (its parts compressed once, stamped with a fixed time) so the
same input gives the same bytes.
"""
from __future__ import annotations

import struct
import zipfile
import zlib
from dataclasses import dataclass

from docx.shared import Twips
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


# the children of w:pPr in the order the schema (CT_PPrBase, then CT_PPr) requires
PPR_ORDER = ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
             "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
             "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid",
             "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
             "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange")
_PPR_RANK = {W + name: k for k, name in enumerate(PPR_ORDER)}


def set_ppr(ppr: etree._Element, name: str, val: str | None = None) -> etree._Element:
    """The child ``w:name`` of the paragraph properties ``ppr``, made (in schema order) when
    missing, its ``w:val`` set to ``val`` (removed when None: the on/off default, on)."""
    tag = W + name
    child = ppr.find(tag)
    if child is None:
        rank = _PPR_RANK[tag]
        child = etree.Element(tag)
        after = [c for c in ppr if _PPR_RANK.get(c.tag, len(PPR_ORDER)) > rank]
        if after:
            after[0].addprevious(child)
        else:
            ppr.append(child)
    if val is None:
        child.attrib.pop(W + "val", None)
    else:
        child.set(W + "val", val)
    return child


def default_ppr(styles: etree._Element) -> etree._Element:
    """The document defaults' paragraph properties (``w:docDefaults/w:pPrDefault/w:pPr``) of a
    styles part, made when missing."""
    defaults = styles.find(W + "docDefaults")
    if defaults is None:
        defaults = etree.Element(W + "docDefaults")
        styles.insert(0, defaults)
    ppr_default = defaults.find(W + "pPrDefault")
    if ppr_default is None:
        ppr_default = etree.SubElement(defaults, W + "pPrDefault")
    ppr = ppr_default.find(W + "pPr")
    return ppr if ppr is not None else etree.SubElement(ppr_default, W + "pPr")


def keep_punctuation_in_line(styles: etree._Element) -> None:
    """``w:overflowPunct`` on (``1``) in the document defaults and in every style that turns it
    off. Word reads it as "punctuation may hang past the margin" and assumes it on; LibreOffice
    (which makes our PDFs) reads it backwards — absent or off, it hangs a line-end ， 。 、 ；
    past the margin and then draws nothing there, so the character is missing from the PDF
    (issue 20: the comma of 督促检查，丰富). On, LibreOffice keeps the mark inside the line;
    Word does what it does when the element is absent."""
    set_ppr(default_ppr(styles), "overflowPunct", "1")
    for el in styles.iter(W + "overflowPunct"):
        if el.get(W + "val") in ("0", "false", "off"):
            el.set(W + "val", "1")


def control_widows(styles: etree._Element) -> None:
    """Widow and orphan control on in the document defaults (a paragraph's last or first line
    never alone at the top or bottom of a page); a style may still turn it off."""
    set_ppr(default_ppr(styles), "widowControl")


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


def document_frame(document) -> etree._Element:
    """document.xml's root as a plain lxml tree whose body holds only the section properties
    (the reports' blocks go before them). Empties the Document's body, and gives it a body
    and section properties when the reference has none."""
    body = document.element.get_or_add_body()
    sect_pr = body.get_or_add_sectPr()
    for child in list(body):
        if child is not sect_pr:
            body.remove(child)
    return etree.fromstring(etree.tostring(document.element), _parser())


# the page setup a section may leave out: (python-docx's CT_SectPr property, key of the default,
# the element and attribute that hold it)
PAGE_SETUP = (("page_width", "width", "pgSz", "w"), ("page_height", "height", "pgSz", "h"),
              ("top_margin", "top", "pgMar", "top"), ("bottom_margin", "bottom", "pgMar", "bottom"),
              ("left_margin", "left", "pgMar", "left"), ("right_margin", "right", "pgMar", "right"),
              ("header", "header", "pgMar", "header"), ("footer", "footer", "pgMar", "footer"),
              ("gutter", "gutter", "pgMar", "gutter"))


def complete_page_setup(sect_pr, defaults: dict[str, int]) -> list[str]:
    """The keys of ``PAGE_SETUP`` the section properties ``sect_pr`` (python-docx's CT_SectPr)
    leave out (no ``w:pgSz`` or ``w:pgMar``, or one without an attribute; Word accepts such
    files), each now set to ``defaults[key]`` twips (0 when absent). A value that cannot be
    read raises ValueError(key, the value as written)."""
    missing: list[str] = []
    for prop, key, element, attr in PAGE_SETUP:
        try:
            value = getattr(sect_pr, prop)
        except Exception:  # noqa: BLE001 - python-docx raises ValueError, KeyError … for a bad measure
            raise ValueError(key, sect_pr.find(W + element).get(W + attr)) from None
        if value is None:
            setattr(sect_pr, prop, Twips(defaults.get(key, 0)))
            missing.append(key)
    return missing


def _parser() -> etree.XMLParser:
    """A parser for XML we made or checked: no DTD, no entities, no network; deep or large
    parts allowed (a parser per call: lxml parsers are not shared between threads)."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)


def xml_part_names(entries: list[tuple[str, bytes]]) -> set[str]:
    """The parts of a package that are XML: by their content type (``[Content_Types].xml``:
    anything ``…/xml`` or ``…+xml``), and every ``.xml`` and ``.rels`` part whatever it says."""
    names = {name for name, _ in entries if name.endswith((".xml", ".rels"))}
    types = dict(entries).get("[Content_Types].xml")
    if types is None:
        return names
    try:
        root = etree.fromstring(types, _parser())
    except etree.XMLSyntaxError:
        return names  # reported as ill-formed itself
    xml_type = lambda t: (t or "").split(";")[0].strip().endswith(("/xml", "+xml"))  # noqa: E731
    by_ext = {(el.get("Extension") or "").lower() for el in root if el.tag.endswith("Default") and xml_type(el.get("ContentType"))}
    by_name = {(el.get("PartName") or "").lstrip("/") for el in root
               if el.tag.endswith("Override") and xml_type(el.get("ContentType"))}
    for name, _ in entries:
        if name in by_name or name.rpartition(".")[2].lower() in by_ext:
            names.add(name)
    return names


class _NoTree:
    """A parser target with no callbacks: libxml2 checks the XML and builds nothing — half
    the time of a parse into a tree."""

    def close(self) -> None:
        return None


def ill_formed(entries: list[tuple[str, bytes]], names: set[str]) -> tuple[str, str] | None:
    """(part name, the parser's message) of the first of ``names`` among ``entries`` that is
    not well-formed XML, namespaces included, else None. (Without a tree, libxml2 stops only
    at syntax errors; a prefix never declared is an error in the parser's log.)"""
    for name, blob in entries:
        if name in names:
            parser = etree.XMLParser(target=_NoTree(), resolve_entities=False, no_network=True, load_dtd=False,
                                     huge_tree=True)
            try:
                etree.fromstring(blob, parser)
            except etree.XMLSyntaxError as e:
                return name, e.msg
            errors = parser.error_log.filter_from_errors()
            if errors:
                return name, f"{errors[0].message}, line {errors[0].line}, column {errors[0].column}"
    return None


@dataclass(frozen=True)
class Member:
    """One zip entry, compressed: a part a House copies into every report is compressed once."""

    name: str
    crc: int
    size: int
    deflated: bytes


def member(name: str, blob: bytes) -> Member:
    """``blob`` deflated as zipfile does (zlib's default level, raw deflate)."""
    z = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    return Member(name, zlib.crc32(blob), len(blob), z.compress(blob) + z.flush())


_ZIP_LIMIT = 0xFFFFFFFF  # sizes and offsets a zip without Zip64 holds; a report is far below


def zip_members(members: list[Member], date_time: tuple[int, int, int, int, int, int]) -> bytes:
    """The zip of ``members``, each stamped ``date_time`` with mode 0644 and made on Unix —
    byte for byte what zipfile writes on Unix for the same entries, without compressing a
    part again for every report."""
    dosdate = (date_time[0] - 1980) << 9 | date_time[1] << 5 | date_time[2]
    dostime = date_time[3] << 11 | date_time[4] << 5 | (date_time[5] // 2)
    out: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for m in members:
        try:
            name, flags = m.name.encode("ascii"), 0
        except UnicodeEncodeError:
            name, flags = m.name.encode("utf-8"), 0x800  # the UTF-8 name flag
        if max(m.size, len(m.deflated), offset) >= _ZIP_LIMIT:
            raise ValueError("a part too large for a zip without Zip64")
        fields = (20, 0, flags, zipfile.ZIP_DEFLATED, dostime, dosdate, m.crc, len(m.deflated), m.size, len(name))
        local = struct.pack("<4s2B4HL2L2H", b"PK\x03\x04", *fields, 0)
        central.append(struct.pack("<4s4B4HL2L5H2L", b"PK\x01\x02", 20, 3, *fields, 0, 0, 0, 0, 0o644 << 16, offset)
                       + name)
        out += (local, name, m.deflated)
        offset += len(local) + len(name) + len(m.deflated)
    directory = b"".join(central)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members), len(directory), offset, 0)
    return b"".join(out) + directory + end


def write_package(entries: list[tuple[str, bytes]], date_time: tuple[int, int, int, int, int, int]) -> bytes:
    """The zip of a package's entries, each stamped ``date_time`` with mode 0644 (the same
    input gives the same bytes)."""
    return zip_members([member(name, blob) for name, blob in entries], date_time)

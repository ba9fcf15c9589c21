"""The default reference docx: reportgen's GB/T 9704 house style, built as lxml elements.

``build_reference_docx()`` makes ``templates/reference.docx`` (run ``python tools/build_reference_docx.py``;
a test checks the committed file is current). It holds styles, page setup and the page-number
footers, and no content: the docx writer empties its body and fills it. Keeping the parts lean
(no 350 KB latent-style tables) keeps every render fast.

House style (statutory.md §5, tech-notes.md): A4; margins 37/35/28/26 mm; body 3号 (16 pt)
仿宋_GB2312, two-character first-line indent, exact 28.95 pt line pitch (22 lines a page);
title 2号 方正小标宋简体 centred; headings 一、黑体 / （一）楷体_GB2312 / 1. and （1）仿宋_GB2312, all
3号 and not bold; Latin and digits in Times New Roman; page numbers 4号 宋体 “— N —”, odd pages
right and even pages left, one character in from the edge; ``w:eastAsia`` set on every style
and no theme fonts, East Asian language zh-CN. Every part is built as elements and serialised by
lxml, as the docx writer builds a report: no markup is ever written as text.
"""
from __future__ import annotations

from lxml import etree

from .ooxml import write_package
from ..formats.docx import (FONT_SETS, R_NS, STYLE_ADDRESSEE, STYLE_CLOSING, STYLE_HEADINGS, STYLE_META, STYLE_TABLE, STYLE_TITLE, W_NS, mm)

LATIN = "Times New Roman"
BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEADING_FONTS = {1: "黑体", 2: "楷体_GB2312", 3: BODY_FONT, 4: BODY_FONT}
TABLE_FONT = "宋体"
PAGE_NUMBER_FONT = "宋体"

BODY_PT = 16       # 3号
TITLE_PT = 22      # 2号
TABLE_PT = 10.5    # 五号
META_PT = 12       # 小四
PAGE_NUMBER_PT = 14  # 4号
LINE_PITCH = 579   # twips: 28.95 pt, 22 lines in the 225 mm type area

PAGE = {"width": 11906, "height": 16838, "top": mm(37), "bottom": mm(35), "left": mm(28), "right": mm(26),
        # the page number's top sits 7 mm below the type area: 35 − 7 − ~5 mm of 4号 text
        "footer": mm(23), "header": mm(15)}

_EPOCH = (1980, 1, 1, 0, 0, 0)
_PREFIXES = {"w": W_NS, "r": R_NS, "xml": "http://www.w3.org/XML/1998/namespace"}
_WORD = {"w": W_NS, "r": R_NS}  # the namespaces every Word part declares on its root
_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml."


def _name(name: str) -> str:
    """``w:rFonts`` → lxml's ``{namespace}rFonts``; a name without a prefix, or already in
    ``{namespace}`` form, as it is."""
    if name.startswith("{"):
        return name
    prefix, _, local = name.rpartition(":")
    return f"{{{_PREFIXES[prefix]}}}{local}" if prefix else name


def el(name: str, attrs: dict | None = None, *children: etree._Element, text: str | None = None,
       nsmap: dict | None = None) -> etree._Element:
    """An element ``name`` (``w:x``) with ``attrs`` (values as str), ``children`` and ``text``."""
    e = etree.Element(_name(name), {_name(k): str(v) for k, v in (attrs or {}).items()}, nsmap=nsmap)
    e.extend(children)
    if text is not None:
        e.text = text
    return e


def _part(root: etree._Element) -> str:
    """A part's XML with the declaration Word writes."""
    return '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + etree.tostring(root, encoding="unicode")


def _word(name: str, *children: etree._Element) -> etree._Element:
    return el(name, None, *children, nsmap=_WORD)


def _fonts(east_asia: str) -> etree._Element:
    return el("w:rFonts", {"w:ascii": LATIN, "w:hAnsi": LATIN, "w:cs": LATIN, "w:eastAsia": east_asia})


def _rpr(east_asia: str, pt: float, bold: bool = False) -> etree._Element:
    half = round(pt * 2)
    b = [el("w:b"), el("w:bCs")] if bold else [el("w:b", {"w:val": "0"}), el("w:bCs", {"w:val": "0"})]
    return el("w:rPr", None, _fonts(east_asia), *b, el("w:sz", {"w:val": half}), el("w:szCs", {"w:val": half}))


def _pstyle(style_id: str, name: str, ppr: etree._Element, rpr: etree._Element, based_on: str | None = "Normal",
            outline: int | None = None, default: bool = False, next_style: str = "Normal") -> etree._Element:
    if outline is not None:
        ppr.append(el("w:outlineLvl", {"w:val": outline}))
    attrs = {"w:type": "paragraph", **({"w:default": "1"} if default else {}), "w:styleId": style_id}
    based = [el("w:basedOn", {"w:val": based_on})] if based_on else []
    return el("w:style", attrs, el("w:name", {"w:val": name}), *based, el("w:next", {"w:val": next_style}),
              el("w:qFormat"), ppr, rpr)


def _ppr(jc: str = "both", first_line_chars: int = 200, line: int = LINE_PITCH, rule: str = "exact",
         before: int = 0, after: int = 0, keep_next: bool = False, snap: bool = True,
         right: int | None = None, pt: float = BODY_PT) -> etree._Element:
    """A paragraph's properties. The first-line indent is given both ways and agreeing: in
    hundredths of a character (Word) and in twips of the paragraph's own size (LibreOffice,
    which makes the PDFs, uses the twips): 200 = two characters of ``pt``."""
    ind = ({"w:firstLineChars": first_line_chars, "w:firstLine": round(first_line_chars / 100 * pt * 20)}
           if first_line_chars else {"w:firstLine": "0", "w:firstLineChars": "0"})
    if right is not None:
        ind["w:right"] = right
    return el("w:pPr", None, *([el("w:keepNext")] if keep_next else []),
              *([] if snap else [el("w:snapToGrid", {"w:val": "0"})]),
              el("w:spacing", {"w:before": before, "w:after": after, "w:line": line, "w:lineRule": rule}),
              el("w:ind", ind), el("w:jc", {"w:val": jc}))


def _dxa(name: str, width: int) -> etree._Element:
    return el(name, {"w:w": width, "w:type": "dxa"})


def _cell_margins(vertical: int, horizontal: int) -> etree._Element:
    return el("w:tblCellMar", None, _dxa("w:top", vertical), _dxa("w:left", horizontal), _dxa("w:bottom", vertical),
              _dxa("w:right", horizontal))


def styles_xml() -> str:
    half = BODY_PT * 2
    styles = [
        _pstyle("Normal", "Normal", _ppr(), _rpr(BODY_FONT, BODY_PT), based_on=None, default=True),
        _pstyle(STYLE_TITLE, "Title", _ppr(jc="center", first_line_chars=0, line=round(TITLE_PT * 20 * 1.5),
                                           after=LINE_PITCH, snap=False),
                _rpr(TITLE_FONT, TITLE_PT)),
    ]
    for level, sid in STYLE_HEADINGS.items():
        styles.append(_pstyle(sid, f"heading {level}", _ppr(keep_next=True), _rpr(HEADING_FONTS[level], BODY_PT),
                              outline=level - 1))
    table_ppr = lambda jc: _ppr(jc=jc, first_line_chars=0, line=240, rule="auto", snap=False)  # noqa: E731
    styles += [
        _pstyle(STYLE_CLOSING, "Closing", _ppr(jc="right", first_line_chars=0, right=2 * BODY_PT * 20),
                _rpr(BODY_FONT, BODY_PT)),
        _pstyle(STYLE_ADDRESSEE, "Addressee", _ppr(jc="left", first_line_chars=0), _rpr(BODY_FONT, BODY_PT)),
        _pstyle(STYLE_META, "Report Meta", _ppr(jc="left", first_line_chars=0, line=360, rule="auto", snap=False),
                _rpr(BODY_FONT, META_PT)),
        _pstyle("TableHeader", "Table Header", table_ppr("center"), _rpr(TABLE_FONT, TABLE_PT)),
        _pstyle("TableLabel", "Table Label", table_ppr("left"), _rpr(TABLE_FONT, TABLE_PT)),
        _pstyle("TableText", "Table Text", table_ppr("center"), _rpr(TABLE_FONT, TABLE_PT)),
        _pstyle("Footer", "footer", table_ppr("center"), _rpr(PAGE_NUMBER_FONT, PAGE_NUMBER_PT)),
        el("w:style", {"w:type": "character", "w:default": "1", "w:styleId": "DefaultParagraphFont"},
           el("w:name", {"w:val": "Default Paragraph Font"}), el("w:uiPriority", {"w:val": "1"}), el("w:semiHidden")),
        el("w:style", {"w:type": "table", "w:default": "1", "w:styleId": "TableNormal"},
           el("w:name", {"w:val": "Normal Table"}), el("w:semiHidden"),
           el("w:tblPr", None, _dxa("w:tblInd", 0), _cell_margins(0, 108))),
        el("w:style", {"w:type": "table", "w:styleId": STYLE_TABLE}, el("w:name", {"w:val": "Report Table"}),
           el("w:basedOn", {"w:val": "TableNormal"}),
           el("w:tblPr", None, el("w:jc", {"w:val": "center"}),
              el("w:tblBorders", None, *(el(f"w:{side}", {"w:val": "single", "w:sz": "4", "w:space": "0", "w:color": "000000"})
                                         for side in ("top", "left", "bottom", "right", "insideH", "insideV"))),
              _cell_margins(28, 57))),
    ]
    defaults = el("w:docDefaults", None,
                  el("w:rPrDefault", None, el("w:rPr", None, _fonts(BODY_FONT), el("w:kern", {"w:val": "2"}),
                                              el("w:sz", {"w:val": half}), el("w:szCs", {"w:val": half}),
                                              el("w:lang", {"w:val": "en-US", "w:eastAsia": "zh-CN", "w:bidi": "ar-SA"}))),
                  # widows and orphans controlled; line-end punctuation kept in the line (see
                  # ooxml.keep_punctuation_in_line: LibreOffice reads w:overflowPunct backwards)
                  el("w:pPrDefault", None, el("w:pPr", None, el("w:widowControl"), el("w:overflowPunct", {"w:val": "1"}))))
    return _part(_word("w:styles", defaults, *styles))


def sect_pr() -> etree._Element:
    p = PAGE
    return el("w:sectPr", None,
              el("w:footerReference", {"w:type": "default", "r:id": "rIdFooterOdd"}),
              el("w:footerReference", {"w:type": "even", "r:id": "rIdFooterEven"}),
              el("w:pgSz", {"w:w": p["width"], "w:h": p["height"]}),
              el("w:pgMar", {"w:top": p["top"], "w:right": p["right"], "w:bottom": p["bottom"], "w:left": p["left"],
                             "w:header": p["header"], "w:footer": p["footer"], "w:gutter": "0"}),
              el("w:cols", {"w:space": "425"}),
              el("w:docGrid", {"w:type": "lines", "w:linePitch": LINE_PITCH}))


def _footer_xml(odd: bool) -> str:
    ind = el("w:ind", {"w:right" if odd else "w:left": PAGE_NUMBER_PT * 20})
    run = lambda *content: el("w:r", None, *content)  # noqa: E731
    text = lambda t: run(el("w:t", {"xml:space": "preserve"}, text=t))  # noqa: E731
    field = [run(el("w:fldChar", {"w:fldCharType": "begin"})),
             run(el("w:instrText", {"xml:space": "preserve"}, text=" PAGE ")),
             run(el("w:fldChar", {"w:fldCharType": "separate"})), run(el("w:t", text="1")),
             run(el("w:fldChar", {"w:fldCharType": "end"}))]
    ppr = el("w:pPr", None, el("w:pStyle", {"w:val": "Footer"}), ind, el("w:jc", {"w:val": "right" if odd else "left"}))
    return _part(_word("w:ftr", el("w:p", None, ppr, text("— "), *field, text(" —"))))


def _document_xml() -> str:
    return _part(_word("w:document", el("w:body", None, el("w:p"), sect_pr())))


def _settings_xml() -> str:
    return _part(_word("w:settings", el("w:zoom", {"w:percent": "100"}), el("w:evenAndOddHeaders"),
                       el("w:defaultTabStop", {"w:val": "420"}),
                       el("w:characterSpacingControl", {"w:val": "compressPunctuation"}),
                       el("w:compat", None, el("w:compatSetting", {"w:name": "compatibilityMode",
                                                                   "w:uri": "http://schemas.microsoft.com/office/word",
                                                                   "w:val": "15"})),
                       el("w:themeFontLang", {"w:val": "en-US", "w:eastAsia": "zh-CN"})))


# The font table: for each font the styles name (either font set), what Word and WPS use to stand
# in for it where it is not installed — w:altName (the Windows font of the same design, or the
# font's English name), w:panose1, w:family and w:pitch as Word writes them for these fonts — and
# the GB2312 character set (86). (LibreOffice 7.4 reads none of these: its docx import drops
# altName, panose1 and family, and on Linux the stand-ins come from fontconfig — see
# templates/fontconfig/fonts.conf.) 方正小标宋简体 gets no panose: none is published for it.
_ENGLISH_NAMES = {"宋体": "SimSun", "黑体": "SimHei", "仿宋": "FangSong", "楷体": "KaiTi"}
_FONT_TABLE = (  # name, panose1, family, pitch
    (LATIN, "02020603050405020304", "roman", "variable"),
    (BODY_FONT, "02010609030101010101", "modern", "fixed"),
    (TITLE_FONT, None, "script", "variable"),
    ("黑体", "02010609060101010101", "modern", "fixed"),
    ("楷体_GB2312", "02010609030101010101", "modern", "fixed"),
    ("宋体", "02010600030101010101", "auto", "variable"),
    ("仿宋", "02010609060101010101", "modern", "fixed"),
    ("楷体", "02010609060101010101", "modern", "fixed"),
)


def _font_table_xml() -> str:
    alt = {**_ENGLISH_NAMES, **FONT_SETS["windows"]}
    fonts = []
    for name, panose, family, pitch in _FONT_TABLE:
        fonts.append(el("w:font", {"w:name": name}, *([el("w:altName", {"w:val": alt[name]})] if name in alt else []),
                        *([el("w:panose1", {"w:val": panose})] if panose else []),
                        el("w:charset", {"w:val": "00" if name == LATIN else "86"}), el("w:family", {"w:val": family}),
                        el("w:pitch", {"w:val": pitch})))
    return _part(_word("w:fonts", *fonts))


def _content_types_xml() -> str:
    ct = lambda local: f"{{{_CT_NS}}}{local}"  # noqa: E731
    overrides = [("/word/document.xml", _MAIN + "document.main+xml"), ("/word/styles.xml", _MAIN + "styles+xml"),
                 ("/word/settings.xml", _MAIN + "settings+xml"), ("/word/fontTable.xml", _MAIN + "fontTable+xml"),
                 ("/word/footer1.xml", _MAIN + "footer+xml"), ("/word/footer2.xml", _MAIN + "footer+xml"),
                 ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
                 ("/docProps/app.xml", "application/vnd.openxmlformats-officedocument.extended-properties+xml")]
    root = el(ct("Types"), None,
              el(ct("Default"), {"Extension": "rels", "ContentType": "application/vnd.openxmlformats-package.relationships+xml"}),
              el(ct("Default"), {"Extension": "xml", "ContentType": "application/xml"}),
              *(el(ct("Override"), {"PartName": name, "ContentType": kind}) for name, kind in overrides),
              nsmap={None: _CT_NS})
    return _part(root)


def _relationships_xml(rels: list[tuple[str, str, str]]) -> str:
    """A relationships part: (id, type, target) each."""
    rel = f"{{{_REL_NS}}}Relationship"
    return _part(el(f"{{{_REL_NS}}}Relationships", None,
                    *(el(rel, {"Id": rid, "Type": kind, "Target": target}) for rid, kind, target in rels),
                    nsmap={None: _REL_NS}))


_PACKAGE_RELS = [("rId1", _OFFICE_REL + "officeDocument", "word/document.xml"),
                 ("rId2", "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
                  "docProps/core.xml"),
                 ("rId3", _OFFICE_REL + "extended-properties", "docProps/app.xml")]
_DOCUMENT_RELS = [("rIdStyles", _OFFICE_REL + "styles", "styles.xml"),
                  ("rIdSettings", _OFFICE_REL + "settings", "settings.xml"),
                  ("rIdFonts", _OFFICE_REL + "fontTable", "fontTable.xml"),
                  ("rIdFooterOdd", _OFFICE_REL + "footer", "footer1.xml"),
                  ("rIdFooterEven", _OFFICE_REL + "footer", "footer2.xml")]


def _core_xml() -> str:
    cp = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
    dc = "http://purl.org/dc/elements/1.1/"
    nsmap = {"cp": cp, "dc": dc, "dcterms": "http://purl.org/dc/terms/", "xsi": "http://www.w3.org/2001/XMLSchema-instance"}
    return _part(el(f"{{{cp}}}coreProperties", None, el(f"{{{dc}}}title", text="reportgen reference"),
                    el(f"{{{dc}}}creator", text="reportgen"), el(f"{{{dc}}}language", text="zh-CN"), nsmap=nsmap))


def _app_xml() -> str:
    ns = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
    return _part(el(f"{{{ns}}}Properties", None, el(f"{{{ns}}}Application", text="reportgen"), nsmap={None: ns}))


def build_reference_docx() -> bytes:
    """The reference docx's bytes (deterministic)."""
    parts = [
        ("[Content_Types].xml", _content_types_xml()),
        ("_rels/.rels", _relationships_xml(_PACKAGE_RELS)),
        ("docProps/core.xml", _core_xml()),
        ("docProps/app.xml", _app_xml()),
        ("word/document.xml", _document_xml()),
        ("word/_rels/document.xml.rels", _relationships_xml(_DOCUMENT_RELS)),
        ("word/styles.xml", styles_xml()),
        ("word/settings.xml", _settings_xml()),
        ("word/fontTable.xml", _font_table_xml()),
        ("word/footer1.xml", _footer_xml(odd=True)),
        ("word/footer2.xml", _footer_xml(odd=False)),
    ]
    return write_package([(name, xml.encode("utf-8")) for name, xml in parts], _EPOCH)

"""The default reference docx: reportgen's GB/T 9704 house style, built from plain OOXML.

``build_reference_docx()`` makes ``templates/reference.docx`` (run ``python tools/build_reference_docx.py``;
a test checks the committed file is current). It holds styles, page setup and the page-number
footers, and no content: the docx writer empties its body and fills it. Keeping the parts lean
(no 350 KB latent-style tables) keeps every render fast.

House style (statutory.md §5, tech-notes.md): A4; margins 37/35/28/26 mm; body 3号 (16 pt)
仿宋_GB2312, two-character first-line indent, exact 28.95 pt line pitch (22 lines a page);
title 2号 方正小标宋简体 centred; headings 一、黑体 / （一）楷体_GB2312 / 1. and （1）仿宋_GB2312, all
3号 and not bold; Latin and digits in Times New Roman; page numbers 4号 宋体 “— N —”, odd pages
right and even pages left, one character in from the edge; ``w:eastAsia`` set on every style
and no theme fonts, East Asian language zh-CN.
"""
from __future__ import annotations

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

_NS = f'xmlns:w="{W_NS}" xmlns:r="{R_NS}"'
_EPOCH = (1980, 1, 1, 0, 0, 0)


def _fonts(east_asia: str) -> str:
    return (f'<w:rFonts w:ascii="{LATIN}" w:hAnsi="{LATIN}" w:cs="{LATIN}" w:eastAsia="{east_asia}"/>')


def _rpr(east_asia: str, pt: float, bold: bool = False) -> str:
    half = round(pt * 2)
    b = "<w:b/><w:bCs/>" if bold else '<w:b w:val="0"/><w:bCs w:val="0"/>'
    return f"<w:rPr>{_fonts(east_asia)}{b}<w:sz w:val=\"{half}\"/><w:szCs w:val=\"{half}\"/></w:rPr>"


def _pstyle(style_id: str, name: str, ppr: str, rpr: str, based_on: str | None = "Normal",
            outline: int | None = None, default: bool = False, next_style: str = "Normal") -> str:
    based = f'<w:basedOn w:val="{based_on}"/>' if based_on else ""
    outline_xml = f'<w:outlineLvl w:val="{outline}"/>' if outline is not None else ""
    ppr = ppr.replace("</w:pPr>", outline_xml + "</w:pPr>")
    dflt = ' w:default="1"' if default else ""
    return (f'<w:style w:type="paragraph"{dflt} w:styleId="{style_id}"><w:name w:val="{name}"/>{based}'
            f'<w:next w:val="{next_style}"/><w:qFormat/>{ppr}{rpr}</w:style>')


def _ppr(jc: str = "both", first_line_chars: int = 200, line: int = LINE_PITCH, rule: str = "exact",
         before: int = 0, after: int = 0, keep_next: bool = False, snap: bool = True,
         right: int | None = None, pt: float = BODY_PT) -> str:
    """A paragraph's properties. The first-line indent is given both ways and agreeing: in
    hundredths of a character (Word) and in twips of the paragraph's own size (LibreOffice,
    which makes the PDFs, uses the twips): 200 = two characters of ``pt``."""
    keep = "<w:keepNext/>" if keep_next else ""
    snap_xml = "" if snap else '<w:snapToGrid w:val="0"/>'
    ind = (f'<w:ind w:firstLineChars="{first_line_chars}" w:firstLine="{round(first_line_chars / 100 * pt * 20)}"/>'
           if first_line_chars else '<w:ind w:firstLine="0" w:firstLineChars="0"/>')
    if right is not None:
        ind = ind.replace("/>", f' w:right="{right}"/>')
    return (f"<w:pPr>{keep}{snap_xml}<w:spacing w:before=\"{before}\" w:after=\"{after}\" w:line=\"{line}\" "
            f"w:lineRule=\"{rule}\"/>{ind}<w:jc w:val=\"{jc}\"/></w:pPr>")


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
    styles += [
        _pstyle(STYLE_CLOSING, "Closing", _ppr(jc="right", first_line_chars=0, right=2 * BODY_PT * 20),
                _rpr(BODY_FONT, BODY_PT)),
        _pstyle(STYLE_ADDRESSEE, "Addressee", _ppr(jc="left", first_line_chars=0), _rpr(BODY_FONT, BODY_PT)),
        _pstyle(STYLE_META, "Report Meta", _ppr(jc="left", first_line_chars=0, line=360, rule="auto", snap=False),
                _rpr(BODY_FONT, META_PT)),
        _pstyle("TableHeader", "Table Header", _ppr(jc="center", first_line_chars=0, line=240, rule="auto",
                                                     snap=False), _rpr(TABLE_FONT, TABLE_PT)),
        _pstyle("TableLabel", "Table Label", _ppr(jc="left", first_line_chars=0, line=240, rule="auto",
                                                   snap=False), _rpr(TABLE_FONT, TABLE_PT)),
        _pstyle("TableText", "Table Text", _ppr(jc="center", first_line_chars=0, line=240, rule="auto",
                                                 snap=False), _rpr(TABLE_FONT, TABLE_PT)),
        _pstyle("Footer", "footer", _ppr(jc="center", first_line_chars=0, line=240, rule="auto", snap=False),
                _rpr(PAGE_NUMBER_FONT, PAGE_NUMBER_PT)),
        ('<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
         '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style>'),
        ('<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
         '<w:semiHidden/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar>'
         '<w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/>'
         '<w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>'),
        (f'<w:style w:type="table" w:styleId="{STYLE_TABLE}"><w:name w:val="Report Table"/>'
         '<w:basedOn w:val="TableNormal"/><w:tblPr><w:jc w:val="center"/><w:tblBorders>'
         + "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                   for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
         + '</w:tblBorders><w:tblCellMar><w:top w:w="28" w:type="dxa"/><w:left w:w="57" w:type="dxa"/>'
         '<w:bottom w:w="28" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>'),
    ]
    defaults = (f'<w:docDefaults><w:rPrDefault><w:rPr>{_fonts(BODY_FONT)}<w:kern w:val="2"/>'
                f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>'
                '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
                '<w:pPrDefault><w:pPr><w:widowControl w:val="0"/></w:pPr></w:pPrDefault></w:docDefaults>')
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:styles {_NS}>{defaults}'
            + "".join(styles) + "</w:styles>")


def sect_pr_xml() -> str:
    p = PAGE
    return ('<w:sectPr>'
            '<w:footerReference w:type="default" r:id="rIdFooterOdd"/>'
            '<w:footerReference w:type="even" r:id="rIdFooterEven"/>'
            f'<w:pgSz w:w="{p["width"]}" w:h="{p["height"]}"/>'
            f'<w:pgMar w:top="{p["top"]}" w:right="{p["right"]}" w:bottom="{p["bottom"]}" w:left="{p["left"]}" '
            f'w:header="{p["header"]}" w:footer="{p["footer"]}" w:gutter="0"/>'
            '<w:cols w:space="425"/>'
            f'<w:docGrid w:type="lines" w:linePitch="{LINE_PITCH}"/>'
            '</w:sectPr>')


def _footer_xml(odd: bool) -> str:
    ind = f'<w:ind w:right="{PAGE_NUMBER_PT * 20}"/>' if odd else f'<w:ind w:left="{PAGE_NUMBER_PT * 20}"/>'
    jc = "right" if odd else "left"
    run = lambda t: f'<w:r><w:t xml:space="preserve">{t}</w:t></w:r>'  # noqa: E731
    field = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
             '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
             '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r>'
             '<w:r><w:fldChar w:fldCharType="end"/></w:r>')
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:ftr {_NS}>'
            f'<w:p><w:pPr><w:pStyle w:val="Footer"/>{ind}<w:jc w:val="{jc}"/></w:pPr>'
            f'{run("— ")}{field}{run(" —")}</w:p></w:ftr>')


def _document_xml() -> str:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document {_NS}><w:body>'
            f'<w:p/>{sect_pr_xml()}</w:body></w:document>')


_SETTINGS = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:settings {_NS}>'
             '<w:zoom w:percent="100"/><w:evenAndOddHeaders/><w:defaultTabStop w:val="420"/>'
             '<w:characterSpacingControl w:val="compressPunctuation"/>'
             '<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" '
             'w:val="15"/></w:compat>'
             '<w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/></w:settings>')


def _font_table_xml() -> str:
    fonts = [(LATIN, "00", "roman"), (BODY_FONT, "86", "modern"), (TITLE_FONT, "86", "script"),
             ("黑体", "86", "modern"), ("楷体_GB2312", "86", "modern"), ("宋体", "86", "auto")]
    fallback = FONT_SETS["windows"]
    body = "".join(f'<w:font w:name="{n}">' + (f'<w:altName w:val="{fallback[n]}"/>' if n in fallback else "")
                   + f'<w:charset w:val="{c}"/><w:family w:val="{f}"/><w:pitch w:val="variable"/></w:font>'
                   for n, c, f in fonts)
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:fonts {_NS}>{body}</w:fonts>'


_CT = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
       '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
       '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
       '<Default Extension="xml" ContentType="application/xml"/>'
       '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
       '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
       '<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>'
       '<Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/>'
       '<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>'
       '<Override PartName="/word/footer2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>'
       '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
       '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
       '</Types>')

_PKG_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
             '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
             '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
             '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>'
             '</Relationships>')

_DOC_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
             '<Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
             '<Relationship Id="rIdSettings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>'
             '<Relationship Id="rIdFonts" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable" Target="fontTable.xml"/>'
             '<Relationship Id="rIdFooterOdd" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>'
             '<Relationship Id="rIdFooterEven" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer2.xml"/>'
             '</Relationships>')

_CORE = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
         '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
         'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
         'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
         '<dc:title>reportgen reference</dc:title><dc:creator>reportgen</dc:creator><dc:language>zh-CN</dc:language>'
         '</cp:coreProperties>')

_APP = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        '<Application>reportgen</Application></Properties>')


def build_reference_docx() -> bytes:
    """The reference docx's bytes (deterministic)."""
    parts = [
        ("[Content_Types].xml", _CT),
        ("_rels/.rels", _PKG_RELS),
        ("docProps/core.xml", _CORE),
        ("docProps/app.xml", _APP),
        ("word/document.xml", _document_xml()),
        ("word/_rels/document.xml.rels", _DOC_RELS),
        ("word/styles.xml", styles_xml()),
        ("word/settings.xml", _SETTINGS),
        ("word/fontTable.xml", _font_table_xml()),
        ("word/footer1.xml", _footer_xml(odd=True)),
        ("word/footer2.xml", _footer_xml(odd=False)),
    ]
    return write_package([(name, xml.encode("utf-8")) for name, xml in parts], _EPOCH)

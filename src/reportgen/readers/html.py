"""HTML reports → Document: our own pages exactly, and government web pages robustly.

The charset comes from a BOM, the ``<meta charset>`` (or ``http-equiv``) declaration, or
is tried as UTF-8 then GB18030. Scripts, styles, navigation, headers, footers and elements
whose class or id marks them as page furniture (breadcrumbs, font-size buttons, share and
print bars) are removed and their text set apart as chrome. Tables are filled into a grid
from their ``rowspan``/``colspan`` (neither lxml nor any parser does this), ``&nbsp;`` cells
become empty cells. A page written by reportgen (``<meta name="generator" content="reportgen">``)
maps element for element; any other page becomes lines of text with its tables in place and
is read like published text (``readers.text.read_items``). Characters XML forbids (control
characters, written out or as ``&#1;``) are dropped before parsing, with a notice.
"""
from __future__ import annotations

import re

from lxml import etree

from ..document import Cell, Document, Heading, Meta, Paragraph, Table, Title
from ..errors import InputError
from ..formats.html import ADDRESSEE_CLASS, CLOSING_CLASS, GENERATOR, LEVEL_ATTRIBUTE
from ..labels import number
from .pdftohtml import fill_blanks, is_pdftohtml
from .common import ReadOptions, decode
from .text import read_items

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_CHROME_ATTR = re.compile(r"breadcrumb|crumb|\bnav|menu|footer|header|share|font|print|toolbar|sidebar|banner|"
                          r"position|location|weizhi|dqwz|fenxiang|zihao|copyright|related|hot", re.I)
_DROP = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "form", "button",
         "select", "input", "textarea")
_FURNITURE = ("nav", "header", "footer", "aside")
_BLOCKS = {"p", "div", "li", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "blockquote",
           "pre", "center", "td", "th", "caption", "ul", "ol", "dl", "main", "body", "table", "tr", "tbody",
           "thead", "tfoot", "span"}


def read(raw: bytes, options: ReadOptions) -> Document:
    """An HTML page (ours, element for element; anyone else's as published text with its tables),
    furniture set apart in ``Document.chrome``."""
    file = options.file
    m = _CHARSET.search(raw[:4096])
    text, _ = decode(raw, file, m.group(1).decode("ascii") if m else None)
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    text, dropped = _xml_characters(text)
    try:  # plain lxml elements: lxml.html's element classes cost a lookup per node
        root = etree.fromstring(text, etree.HTMLParser(remove_comments=True, remove_pis=True, no_network=True))
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        raise InputError("无法解析这个 HTML 页面（内容损坏，或不是网页）；请在浏览器中打开后另存为网页再试", file) from None
    if root is None:
        raise InputError("HTML 中没有内容", file)
    chrome: list[str] = []
    if is_pdftohtml(root):  # a PDF through pdftohtml: blank table cells given back by position
        fill_blanks(root)   # (before the styles go: they give the fonts' sizes)
    for el in list(root.iter(*_DROP)):
        _remove(el)
    generator = root.xpath("//meta[@name='generator']/@content")
    own = bool(generator) and generator[0].strip().lower() == GENERATOR
    for el in list(root.iter(*_FURNITURE)):
        if not own:
            _set_apart(el, chrome)
    if not own:
        for el in root.xpath("//*[@class or @id]"):
            if el.tag in ("html", "body", "main", "table", "tr", "td", "th", "tbody", "thead"):
                continue
            attrs = (el.get("class") or "") + " " + (el.get("id") or "")
            if _CHROME_ATTR.search(attrs) and el.getroottree().getroot() is root and not el.xpath(".//table"):
                _set_apart(el, chrome)
    body = root.find("body")
    if body is None:
        raise InputError("HTML 中没有正文", file)
    lang = (root.get("lang") or "").strip()
    if own:
        doc = _own(body)
        author = root.xpath("//meta[@name='author']/@content")
        if author and author[0]:
            doc.properties["author"] = str(author[0])
        doc.lang = {"zh-TW": "zh-TW", "zh-HK": "zh-HK"}.get(lang, "zh-Hans")
        doc.chrome = chrome
        doc.notices += _dropped_notice(dropped)
        return doc
    items: list = []
    _lines(body, items)
    title = root.findtext(".//title")
    if not any(isinstance(i, str) and i.strip() for i in items) and not any(isinstance(i, Table) for i in items):
        raise InputError("HTML 页面中没有找到报告内容" + (f"（页面标题：{title.strip()}）" if title and title.strip() else ""), file)
    doc = read_items(items, options)
    doc.chrome = chrome + doc.chrome
    doc.notices += _dropped_notice(dropped)
    return doc


# what XML 1.0 cannot hold (lxml refuses to store it back into a tree), as a character or as a
# character reference (&#1; &#x1F; — libxml2's HTML parser passes those through as they are)
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# only the references that may name such a character (below U+0020, a surrogate, U+FFFE/F, past
# U+10FFFF): a page saved with every character as &#20013; is not slowed down
_CHAR_REF = re.compile(r"&#(?:[xX](0*(?:[0-9a-fA-F]{1,2}|[dD][89a-fA-F][0-9a-fA-F]{2}|[fF]{3}[eEfF]|[0-9a-fA-F]{7,}))"
                       r"(?![0-9a-fA-F])|(0*(?:[0-9]{1,2}|5[5-7][0-9]{3}|6553[45]|[0-9]{7,}))(?![0-9]));?")


def _xml_characters(text: str) -> tuple[str, list[int]]:
    """``text`` without the characters XML forbids, written out or as references (a page
    mangled by a broken export or a hostile one), and the code points dropped."""
    dropped: list[int] = []

    def ref(m: re.Match) -> str:
        code = int(m.group(1), 16) if m.group(1) else int(m.group(2))
        if code > 0x10FFFF or _FORBIDDEN.match(chr(code)):
            dropped.append(code)
            return ""
        return m.group(0)

    if "&#" in text:
        text = _CHAR_REF.sub(ref, text)
    if _FORBIDDEN.search(text):
        dropped += [ord(c) for c in _FORBIDDEN.findall(text)]
        text = _FORBIDDEN.sub("", text)
    return text, dropped


def _dropped_notice(dropped: list[int]) -> list[tuple[str, str]]:
    if not dropped:
        return []
    shown = "、".join(f"U+{c:04X}" for c in sorted(set(dropped))[:5]) + ("等" if len(set(dropped)) > 5 else "")
    return [("dropped-characters", f"页面中有 {len(dropped)} 个不可见的控制字符（{shown}），网页和 Word 文件都不能保存这种字符，已删除；"
            "如果报告的文字因此不全，请从原网页另存一份")]


def _remove(el) -> None:
    """Remove ``el`` but keep the text that follows it (its tail)."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    prev = el.getprevious()
    parent.remove(el)
    if tail:
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail


def _text_content(el) -> str:
    return "".join(el.itertext())


def _set_apart(el, chrome: list[str]) -> None:
    text = " ".join(_text_content(el).split())
    if text:
        chrome.append(text[:200])
    _remove(el)


_STRING = etree.XPath("string()")


def _cell_text(el) -> str:
    return " ".join(_STRING(el).replace("\xa0", " ").split())


MAX_TABLE_CELLS = 200_000  # grid positions of one table: far beyond any statutory table


def _grid(table) -> Table:
    """A <table> as a Table with its spans, positions worked out from rowspan/colspan. Spans
    are capped by the table's real size: a rowspan by the rows that follow, a colspan by the
    most cells any row has; a table whose grid would still be absurd is refused."""
    cells: list[Cell] = []
    rows = [tr for tr in table.iter("tr") if _owner_table(tr) is table]
    tds = [[td for td in tr if td.tag == "td" or td.tag == "th"] for tr in rows]
    widest = max((len(r) for r in tds), default=0)
    busy: list[set[int]] = [set() for _ in rows]  # columns taken in each row by cells from above
    n_cols = 0
    n_rows = len(rows)
    area = 0
    for r, row in enumerate(tds):
        c = 0
        taken = busy[r]
        for td in row:
            while c in taken:
                c += 1
            rs = min(_span(td.get("rowspan")), n_rows - r)
            cs = min(_span(td.get("colspan")), widest)
            area += rs * cs
            if area > MAX_TABLE_CELLS:
                raise InputError(f"表格过大（超过 {MAX_TABLE_CELLS} 个单元格位置），无法读取")
            text = _cell_text(td)
            cells.append(Cell(text, r, c, rs, cs, "value" if td.tag == "td" and number(text) is not None else "label"))
            if rs > 1:
                for i in range(r + 1, r + rs):
                    busy[i].update(range(c, c + cs))
            c += cs
        n_cols = max(n_cols, c)
    return Table(n_rows, n_cols, 0, cells, name="html")


def _owner_table(tr):
    p = tr.getparent()
    while p is not None and p.tag != "table":
        p = p.getparent()
    return p


def _span(value: str | None) -> int:
    if value is None:
        return 1
    try:
        return max(1, min(int((value or "1").strip()), 1000))
    except ValueError:
        return 1


_HTML_SPACE = re.compile(r"[ \t\r\n\f]+")  # what a browser shows as one space (not &nbsp; nor U+3000)


def _lines(el, out: list) -> None:
    """The element's text as lines (block elements and <br> end a line), tables as Tables;
    white space collapsed the way a browser shows it."""
    if el.tag == "table":
        if _layout(el):  # a page laid out with tables: its cells are the page's blocks
            for tr in el.iter("tr"):
                if _owner_table(tr) is el:
                    for td in tr:
                        if td.tag in ("td", "th"):
                            _lines(td, out)
        else:
            out.append(_grid(el))
        if el.tail and el.tail.strip():
            out.append(el.tail.strip())
        return
    buf = [el.text or ""]
    for child in el:
        if not isinstance(child.tag, str):
            buf.append(child.tail or "")
            continue
        if child.tag == "br":
            out.append(_HTML_SPACE.sub(" ", "".join(buf)))
            buf = [child.tail or ""]
        elif (child.tag in _BLOCKS and child.tag != "span") or child.find(".//table") is not None:
            # (an inline element holding a table — a Word text box saved as <span><table> — is a block)
            out.append(_HTML_SPACE.sub(" ", "".join(buf)))
            if _right(child):  # a signature or a date set right, as the Word reader keeps it
                inner: list = []
                _lines(child, inner)
                out += [Paragraph(i.strip(), "right") if isinstance(i, str) and i.strip() else i for i in inner]
            else:
                _lines(child, out)
            buf = [child.tail or ""]
        else:
            buf.append(_text_content(child))
            buf.append(child.tail or "")
    out.append(_HTML_SPACE.sub(" ", "".join(buf)))


LAYOUT_TEXT = 300  # a cell holding this much text is a page region, not a table cell


def _layout(table) -> bool:
    """Whether a <table> lays out the page (older sites put the whole article in one) rather
    than holding data: it holds another table, or a cell with a page's worth of text."""
    for el in table.iter("table", "td", "th"):
        if el is table:
            continue
        if el.tag == "table":
            return True
        if len(_STRING(el)) > LAYOUT_TEXT:
            return True
    return False


_RIGHT = re.compile(r"text-align\s*:\s*right", re.I)


def _right(el) -> bool:
    return (el.get("align") or "").strip().lower() == "right" or bool(_RIGHT.search(el.get("style") or ""))


def _level(value: str | None, default: int) -> int:
    try:
        return max(1, min(int((value or "").strip()), 9)) if value else default
    except ValueError:
        return default


def _own(body) -> Document:
    blocks: list = []
    for el in body.iter("h1", "h2", "h3", "h4", "h5", "h6", "p", "dl", "table"):
        if el.tag == "h1":
            blocks.append(Title(_cell_text(el)))
        elif el.tag[0] == "h":
            level = _level(el.get(LEVEL_ATTRIBUTE), int(el.tag[1]) - 1)
            blocks.append(Heading(level, _cell_text(el)))
        elif el.tag == "p":
            cls = el.get("class") or ""
            align = "right" if CLOSING_CLASS in cls else "left" if ADDRESSEE_CLASS in cls else "justify"
            blocks.append(Paragraph(_text_content(el).strip(), align))
        elif el.tag == "dl":
            items = [(_cell_text(div.find("dt")), _text_content(div.find("dd")).strip())
                     for div in el.iter("div") if div.find("dt") is not None and div.find("dd") is not None]
            blocks.append(Meta(items))
        elif el.tag == "table":
            blocks.append(_grid(el))
    return Document(blocks)

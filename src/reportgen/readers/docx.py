"""Word (.docx) reports → Document.

Our own docx is read through the same style map the writer uses (``writers.ooxml``): Title,
Heading1–4, ReportMeta, Addressee, Closing, and tables whose merges are ``gridSpan`` and
``vMerge``. A Word file written by hand has none of those styles: its headings are found
from Word's own heading styles (outline levels) or, failing that, from their numbering, the
same way as in published text (``readers.text.read_items``).

A Word file made of positioned text boxes and drawn lines (a PDF opened in LibreOffice and saved
as Word) has no paragraphs or tables to read: ``docx_frames`` turns its pieces into pages and the
PDF reader's geometry reads them. A short table an older template keeps in a text box (VML
``v:textbox``, DrawingML ``wps:txbx``) is read where its anchor stands, once.

The package is opened through ``package`` (members read with a cap on what actually
decompresses, XML without entities or network access): a damaged or truncated zip, a missing
document part or a zip bomb is a clear error.
"""
from __future__ import annotations

from ..document import Cell, Document, Heading, Meta, Paragraph, Table, Title
from ..errors import InputError
from ..formats.docx import STYLE_ADDRESSEE, STYLE_CLOSING, STYLE_HEADINGS, STYLE_META, STYLE_TITLE, W
from ..labels import number
from ..package import Budget, open_zip, parse_xml, read_member
from . import docx_frames
from .common import ReadOptions
from .pdf import layout
from .text import read_items

_HEADING_IDS = {sid: level for level, sid in STYLE_HEADINGS.items()}
_OWN_MARKERS = (STYLE_TITLE, STYLE_META, STYLE_CLOSING)  # styles only reportgen's writer uses together
_SCRIPTS = {"zh-TW": "zh-TW", "zh-HK": "zh-HK"}  # a hint: zh-Hant documents are tagged zh-TW too


def _xml(z, name: str, file: str | None, budget: Budget):
    data = read_member(z, name, file, budget=budget)
    return None if data is None else parse_xml(data, name, file)


def read(raw: bytes, options: ReadOptions) -> Document:
    """A Word file: ours through the writer's style map, anyone else's by its heading styles or
    the text's own shape."""
    file = options.file
    z = open_zip(raw, file)
    budget = Budget()
    if "word/document.xml" not in z.namelist():
        raise InputError("不是 Word 文件：缺少 word/document.xml", file)
    root = _xml(z, "word/document.xml", file, budget)
    body = root.find(W + "body") if root is not None else None
    if body is None:
        raise InputError("Word 文件没有正文", file)
    outline = _outline_levels(_xml(z, "word/styles.xml", file, budget))
    props = _core(_xml(z, "docProps/core.xml", file, budget))
    if docx_frames.is_framed(body):
        doc = _framed(body, options)
    else:
        doc = _flowing(body, outline, props, options)
    lang = props.get("language")
    if lang in _SCRIPTS:
        doc.lang = _SCRIPTS[lang]
    return doc


def _framed(body, options: ReadOptions) -> Document:
    """A Word file made of positioned text boxes and drawn lines (a PDF opened in LibreOffice
    and saved as Word): its pages read by the PDF reader's geometry."""
    pages = docx_frames.pages(body, docx_frames.page_size(body))
    items, chrome = layout(pages)
    doc = read_items(items, options)
    doc.chrome = chrome + doc.chrome
    return doc


def _blocks(parent, items: list) -> None:
    """Paragraphs and tables in document order; what a paragraph's text boxes hold (VML
    ``v:textbox``, DrawingML ``wps:txbx``; a Word 2010 fallback read once) follows its own text."""
    for el in parent:
        if el.tag == W + "p":  # a title broken over lines is one title: its breaks join without a space
            style = _style(el)
            items.append((style, _align(el), _text(el, "" if style == STYLE_TITLE else " ")))
            for content in _boxes(el):
                _blocks(content, items)
        elif el.tag == W + "tbl":
            items.append(_table(el))
        elif el.tag == W + "sdt":  # a content control: its content is the document's
            content = el.find(W + "sdtContent")
            if content is not None:
                _blocks(content, items)


def _boxes(p) -> list:
    """The text boxes' contents anchored in a paragraph (not those inside another box's content,
    not a fallback's copy)."""
    out: list = []
    docx_frames.visit(p, lambda el: (out.append(el) or 1) if el.tag == W + "txbxContent" else None)
    return out


def _flowing(body, outline: dict[str, int], props: dict[str, str], options: ReadOptions) -> Document:
    items: list = []
    _blocks(body, items)
    own = any(isinstance(i, tuple) and i[0] in _OWN_MARKERS for i in items)
    if own:
        doc = _own(items)
        # our writer puts the agency in the author property; anyone else's may be a user name
        doc.properties = {k: v for k, v in props.items() if k in ("title", "author")}
    else:
        doc = _by_hand(items, outline, options)
    return doc


def _own(items: list) -> Document:
    blocks: list = []
    for item in items:
        if isinstance(item, Table):
            blocks.append(item)
            continue
        style, align, text = item
        if not text.strip():
            continue
        if style == STYLE_TITLE:
            blocks.append(Title(text))
        elif style in _HEADING_IDS:
            blocks.append(Heading(_HEADING_IDS[style], text))
        elif style == STYLE_META:
            label, _, value = text.partition("：")
            if blocks and isinstance(blocks[-1], Meta):
                blocks[-1].items.append((label, value))
            else:
                blocks.append(Meta([(label, value)]))
        elif style == STYLE_CLOSING:
            blocks.append(Paragraph(text, "right"))
        elif style == STYLE_ADDRESSEE:
            blocks.append(Paragraph(text, "left"))
        else:
            blocks.append(Paragraph(text))
    return Document(blocks)


def _by_hand(items: list, outline: dict[str, int], options: ReadOptions) -> Document:
    """A Word file written by hand: Word heading styles where used, else the text's own shape."""
    seq: list = []
    for item in items:
        if isinstance(item, Table):
            seq.append(item)
            continue
        style, align, text = item
        if style in outline and text.strip():
            seq.append(Heading(outline[style], text.strip()))
        elif align == "right" and text.strip():
            seq.append(Paragraph(text.strip(), "right"))
        else:
            seq.append(text)
    return read_items(seq, options)


def _style(p) -> str | None:
    ps = p.find(f"{W}pPr/{W}pStyle")
    return ps.get(W + "val") if ps is not None else None


def _align(p) -> str | None:
    jc = p.find(f"{W}pPr/{W}jc")
    return jc.get(W + "val") if jc is not None else None


def _text(p, br: str = " ") -> str:
    """A paragraph's own text (not what its text boxes hold, nor a fallback's copy of it); a tab
    is a space, a line break ``br``."""
    return docx_frames.own_text(p, br)


def _table(tbl) -> Table:
    """A w:tbl as a Table with exact spans: gridSpan for columns, vMerge restart/continue
    for rows (python-docx's row.cells repeats merged cells, so the XML is walked directly)."""
    cells: list[Cell] = []
    open_cols: dict[int, Cell] = {}
    n_cols = 0
    rows = tbl.findall(W + "tr")
    for r, tr in enumerate(rows):
        col = 0
        for tc in tr.findall(W + "tc"):
            pr = tc.find(W + "tcPr")
            span = 1
            vmerge = None
            if pr is not None:
                gs = pr.find(W + "gridSpan")
                if gs is not None:
                    try:
                        span = max(1, int(gs.get(W + "val", "1")))
                    except ValueError:
                        span = 1
                vm = pr.find(W + "vMerge")
                if vm is not None:
                    vmerge = vm.get(W + "val", "continue")
            text = "".join(_text(p) for p in tc.findall(W + "p")).strip()
            if vmerge == "continue" and col in open_cols:
                open_cols[col].rowspan += 1
            else:
                cell = Cell(text, r, col, 1, span, "value" if number(text) is not None else "label")
                cells.append(cell)
                if vmerge == "restart":
                    open_cols[col] = cell
                else:
                    open_cols.pop(col, None)
            col += span
        n_cols = max(n_cols, col)
    return Table(len(rows), n_cols, 0, cells, name="docx")


def _outline_levels(styles) -> dict[str, int]:
    """styleId → heading level for Word's heading styles (by outline level or name)."""
    out: dict[str, int] = {}
    if styles is None:
        return out
    for st in styles.iter(W + "style"):
        sid = st.get(W + "styleId")
        lvl = st.find(f"{W}pPr/{W}outlineLvl")
        name = st.find(W + "name")
        level = None
        if lvl is not None:
            try:
                level = int(lvl.get(W + "val", "9")) + 1
            except ValueError:
                level = None
        elif name is not None:
            n = (name.get(W + "val") or "").lower().replace(" ", "")
            for prefix in ("heading", "标题"):
                if n.startswith(prefix) and n[len(prefix):].isdigit():
                    level = int(n[len(prefix):])
        if sid and level and 1 <= level <= 9:
            out[sid] = level
    return out


def _core(core) -> dict[str, str]:
    if core is None:
        return {}
    out = {}
    for el in core:
        tag = el.tag.rsplit("}", 1)[-1]
        if tag in ("title", "creator", "language") and el.text:
            out["author" if tag == "creator" else tag] = el.text.strip()
    return out


__all__ = ["read"]

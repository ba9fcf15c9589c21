"""Report data → docx (the project's renderer, in the variant's script) → the variant's layout →
PDF (LibreOffice via ``reportgen.office``), cached by data + variant under ~/.cache/reportgen-shapes.

A layout reshapes the rendered docx the way offices' own templates differ: fonts and sizes, margins,
column widths, landscape pages (all, or only the table pages), tables split over pages with and
without repeated header rows, short tables in text boxes, a red seal image over the 落款. How zeros are printed ("0", blank,
"—", "-") is applied here too. None of it changes a figure, so the truth stays the data's."""
from __future__ import annotations

import copy
import hashlib
import io
import json
import os
from pathlib import Path

import docx as pydocx
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from reportgen.loader import validate_data
from reportgen.office import convert
from reportgen.render import render_loaded

CACHE = Path(os.environ.get("REPORTGEN_SHAPES_CACHE", Path.home() / ".cache" / "reportgen-shapes"))
DEFAULT = {"script": "zh-Hans", "zeros": "0", "layout": "default"}


def _writer_fingerprint() -> str:
    """What the rendered PDF depends on besides the data: the Word writer's code, its templates
    and reference docx (a change there — page flow, fonts — makes new PDFs, not stale cache hits)."""
    import reportgen

    root = Path(reportgen.__file__).parent
    files = sorted([*root.glob("writers/*.py"), *root.glob("formats/*.py"), *(root.parent.parent / "templates").rglob("*")])
    h = hashlib.sha256()
    for f in files:
        if f.is_file():
            h.update(f.name.encode() + f.read_bytes())
    return h.hexdigest()[:12]


WRITER = _writer_fingerprint()


def _key(data: dict, variant: dict) -> str:
    blob = json.dumps([data, variant, WRITER], ensure_ascii=False, sort_keys=True, default=str).encode()
    return hashlib.sha256(blob).hexdigest()[:24]


# ---- the layouts: each a function on the python-docx Document ----------------------------------

def _fonts(doc, name: str, size: float) -> None:
    for style in doc.styles:
        if getattr(style, "font", None) is not None and style.type == 1:
            style.font.size = Pt(size)
    for run in _runs(doc):
        run.font.size = Pt(size)
        run.font.name = name
        run._r.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _runs(doc):
    for p in doc.paragraphs:
        yield from p.runs
    for t in doc.tables:
        for row in t.rows:
            for cell in row.cells:
                for p in cell.paragraphs:
                    yield from p.runs


def _margins(doc, cm: float) -> None:
    for s in doc.sections:
        s.left_margin = s.right_margin = s.top_margin = s.bottom_margin = Cm(cm)


def _landscape(section) -> None:
    if section.orientation != WD_ORIENT.LANDSCAPE:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width


def _landscape_all(doc) -> None:
    for s in doc.sections:
        _landscape(s)


def _landscape_tables(doc) -> None:
    """Each table on landscape pages of its own: a portrait section ends before it and a landscape
    one after it (Word's "section break, next page" around a table)."""
    body = doc.element.body
    final = body.find(qn("w:sectPr"))
    for tbl in list(body.iter(qn("w:tbl"))):
        if tbl.getparent() is not body:
            continue
        before, after = tbl.getprevious(), tbl.getnext()
        if before is None or before.tag != qn("w:p") or after is None or after.tag != qn("w:p"):
            continue
        if before.find(qn("w:pPr") + "/" + qn("w:sectPr")) is None:
            before.get_or_add_pPr().append(copy.deepcopy(final))
        wide = copy.deepcopy(final)
        size = wide.find(qn("w:pgSz"))
        w, h = size.get(qn("w:w")), size.get(qn("w:h"))
        size.set(qn("w:w"), h)
        size.set(qn("w:h"), w)
        size.set(qn("w:orient"), "landscape")
        after.get_or_add_pPr().append(wide)


def _repeat_header(doc, on: bool) -> None:
    for t in doc.tables:
        for row in t.rows:
            pr = row._tr.get_or_add_trPr()
            for el in pr.findall(qn("w:tblHeader")):
                pr.remove(el)
        if on:
            for row in t.rows[:2]:
                row._tr.get_or_add_trPr().append(pr.makeelement(qn("w:tblHeader"), {}))


def _column_widths(doc, first_share: float) -> None:
    """The label column takes ``first_share`` of the table's width, the rest share what is left."""
    for t in doc.tables:
        grid = t._tbl.tblGrid.findall(qn("w:gridCol"))
        total = sum(int(g.get(qn("w:w")) or 0) for g in grid)
        if len(grid) < 2 or not total:
            continue
        widths = [int(total * first_share)] + [int(total * (1 - first_share) / (len(grid) - 1))] * (len(grid) - 1)
        for g, w in zip(grid, widths):
            g.set(qn("w:w"), str(w))
        for row in t.rows:
            for tc in row._tr.findall(qn("w:tc")):
                pr = tc.find(qn("w:tcPr"))
                width = pr.find(qn("w:tcW")) if pr is not None else None
                if width is not None:
                    pr.remove(width)


def _seal_png() -> bytes:
    from PIL import Image, ImageDraw
    img = Image.new("RGBA", (420, 420), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.ellipse((10, 10, 410, 410), outline=(220, 30, 30, 200), width=18)
    d.regular_polygon((210, 210, 70), 5, fill=(220, 30, 30, 200))
    for k in range(12):  # the arc of characters, drawn as blocks
        import math
        a = math.pi * (0.85 + 1.3 * k / 11)
        x, y = 210 + 150 * math.cos(a), 210 + 150 * math.sin(a)
        d.rectangle((x - 16, y - 16, x + 16, y + 16), fill=(220, 30, 30, 190))
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def _seal(doc) -> None:
    """A red seal floating over the 落款 (in front of the text, as a stamped PDF shows it)."""
    last = [p for p in doc.paragraphs if p.text.strip()][-1]
    run = last.add_run()
    run.add_picture(io.BytesIO(_seal_png()), width=Cm(4.2))
    inline = run._r.find(".//" + qn("wp:inline"))
    anchor = inline.makeelement(qn("wp:anchor"), {
        "distT": "0", "distB": "0", "distL": "0", "distR": "0", "simplePos": "0", "relativeHeight": "251659264",
        "behindDoc": "0", "locked": "0", "layoutInCell": "1", "allowOverlap": "1"})
    sp = anchor.makeelement(qn("wp:simplePos"), {"x": "0", "y": "0"})
    anchor.append(sp)
    for tag, rel, off in (("wp:positionH", "column", "-1900000"), ("wp:positionV", "paragraph", "-900000")):
        pos = anchor.makeelement(qn(tag), {"relativeFrom": rel})
        o = pos.makeelement(qn("wp:posOffset"), {})
        o.text = off
        pos.append(o)
        anchor.append(pos)
    children = list(inline)
    anchor.append(children[0])  # extent
    anchor.append(children[1] if children[1].tag == qn("wp:effectExtent")
                  else anchor.makeelement(qn("wp:effectExtent"), {"l": "0", "t": "0", "r": "0", "b": "0"}))
    anchor.append(anchor.makeelement(qn("wp:wrapNone"), {}))
    for c in children:
        if c.tag not in (qn("wp:extent"), qn("wp:effectExtent")):
            anchor.append(c)
    inline.getparent().replace(inline, anchor)
    # position relative to the right end of the line the 落款 sits on
    anchor.find(qn("wp:positionH")).set("relativeFrom", "margin")
    anchor.find(qn("wp:positionH") + "/" + qn("wp:posOffset")).text = str(int(Cm(9.5)))


_VML = "urn:schemas-microsoft-com:vml"


def _text_boxes(doc, max_rows: int = 14) -> None:
    """Short tables moved into text boxes (VML ``v:textbox``, as Word 2003-era templates and some
    CMS exports hold them); a text box does not split over pages, so long tables stay in the flow."""
    body = doc.element.body
    for tbl in list(body.iter(qn("w:tbl"))):
        rows = tbl.findall(qn("w:tr"))
        if tbl.getparent() is not body or len(rows) > max_rows:
            continue
        p = body.makeelement(qn("w:p"), {})
        r = p.makeelement(qn("w:r"), {})
        pict = r.makeelement(qn("w:pict"), {})
        shape = pict.makeelement(f"{{{_VML}}}shape", {
            "style": f"width:440pt;height:{24 * len(rows) + 20}pt;mso-fit-shape-to-text:t", "stroked": "t"},
            nsmap={"v": _VML})
        box = shape.makeelement(f"{{{_VML}}}textbox", {})
        content = box.makeelement(qn("w:txbxContent"), {})
        tbl.addprevious(p)
        content.append(tbl)
        content.append(content.makeelement(qn("w:p"), {}))
        box.append(content)
        shape.append(box)
        pict.append(shape)
        r.append(pict)
        p.append(r)


LAYOUTS = {
    "default": lambda d: None,
    "songti-small": lambda d: _fonts(d, "宋体", 10.5),
    "kaiti-large": lambda d: _fonts(d, "楷体", 16),
    "narrow-margins": lambda d: _margins(d, 1.5),
    "wide-margins": lambda d: _margins(d, 3.7),
    "landscape": _landscape_all,
    "landscape-tables": _landscape_tables,
    "split-repeat-header": lambda d: (_fonts(d, "仿宋", 15), _repeat_header(d, True)),
    "split-no-header": lambda d: (_fonts(d, "仿宋", 15), _repeat_header(d, False)),
    "wide-label-column": lambda d: _column_widths(d, 0.45),
    "narrow-label-column": lambda d: _column_widths(d, 0.2),
    "seal": _seal,
    "table-text-boxes": _text_boxes,
}


def _zeros(doc, shown: str) -> None:
    """Print every zero cell as ``shown`` ("" = blank)."""
    if shown == "0":
        return
    for t in doc.tables:
        for row in t.rows:
            for tc in row._tr.findall(qn("w:tc")):
                texts = tc.findall(".//" + qn("w:t"))
                if "".join(x.text or "" for x in texts).strip() == "0":
                    for x in texts:
                        x.text = ""
                    texts[0].text = shown


def docx(data: dict, variant: dict | None = None) -> bytes:
    """The report as docx in ``variant`` (script, zeros, layout; default: the house style)."""
    v = {**DEFAULT, **(variant or {})}
    blob = render_loaded(validate_data(data), ["docx"], script=v["script"])["docx"]
    if v["zeros"] == "0" and v["layout"] == "default":
        return blob
    doc = pydocx.Document(io.BytesIO(blob))
    _zeros(doc, v["zeros"])
    LAYOUTS[v["layout"]](doc)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def pdf(data: dict, variant: dict | None = None) -> bytes:
    """The report rendered to PDF through LibreOffice (cached)."""
    v = {**DEFAULT, **(variant or {})}
    path = CACHE / f"{_key(data, v if v != DEFAULT else 'default')}.pdf"
    if path.exists():
        return path.read_bytes()
    blob = convert(docx(data, v), ".docx", "pdf")
    CACHE.mkdir(parents=True, exist_ok=True)
    part = path.with_suffix(f".{os.getpid()}.part")  # helpers share the cache: never read half a file
    part.write_bytes(blob)
    os.replace(part, path)
    return blob

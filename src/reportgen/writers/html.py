"""Document → one standalone HTML page (no external assets).

Semantic markup: the title as ``h1``, headings one level below (``h2`` for 一、…), the
publication metadata as a ``dl``, statutory tables as real tables with the official
``rowspan``/``colspan``, header rows in ``thead`` and row labels as ``th scope="row"``. A small
inline stylesheet makes it readable on a phone (tables scroll sideways) and in print.
``<meta name="generator" content="reportgen">`` lets the HTML reader read it back exactly.
``figure``: the 图解 as inline SVG (``tujie.inline_svg``), put after the report; readers drop
``svg`` elements, so reading the page back is unchanged.
"""
from __future__ import annotations

from html import escape

from ..document import Document, Heading, Meta, Paragraph, Table, Title
from ..formats.docx import language_tag
from ..formats.html import ADDRESSEE_CLASS, CLOSING_CLASS, GENERATOR, LEVEL_ATTRIBUTE

CSS = """
body{margin:0;background:#fff;color:#111;font:16px/1.8 "FangSong","仿宋","Noto Serif CJK SC","Songti SC",serif}
main{max-width:50em;margin:0 auto;padding:1.5em 1em 3em}
h1{font:700 1.6em/1.4 "FZXiaoBiaoSong-B05S","方正小标宋简体","Noto Serif CJK SC",serif;text-align:center;margin:.5em 0 1em}
h2{font:700 1.1em/1.6 "SimHei","黑体","Noto Sans CJK SC",sans-serif;margin:1.2em 0 .4em}
h3{font:700 1em/1.6 "KaiTi","楷体","AR PL UKai CN",serif;margin:1em 0 .3em}
h4,h5,h6{font-size:1em;margin:.8em 0 .3em}
p{text-indent:2em;margin:.3em 0;text-align:justify}
p.closing{text-align:right;text-indent:0}
p.addressee{text-indent:0}
dl.meta{display:grid;grid-template-columns:repeat(auto-fill,minmax(18em,1fr));gap:.1em 1.5em;font-size:.9em;color:#444;margin:0 0 1.5em}
dl.meta div{display:flex;gap:.5em}dl.meta dt{font-weight:700;white-space:nowrap}dl.meta dt::after{content:"："}dl.meta dd{margin:0;overflow-wrap:anywhere}
.table-wrap{overflow-x:auto;margin:.8em 0 1.2em}
table{border-collapse:collapse;font:14px/1.5 "SimSun","宋体","Noto Serif CJK SC",serif;min-width:100%}
th,td{border:1px solid #333;padding:.25em .4em;vertical-align:middle}
th{font-weight:400;text-align:left}thead th,th.caption{text-align:center;background:#f3f3f3}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
th.caption{text-align:left}td{text-align:center;font-variant-numeric:tabular-nums}
@media print{body{font-size:12pt}main{max-width:none;padding:0}.table-wrap{overflow:visible}
tr{break-inside:avoid}thead{display:table-header-group}h1,h2,h3{break-after:avoid}.tujie{break-before:page}}
.tujie{margin:2.5em auto 0;max-width:720px}.tujie svg{display:block;width:100%;height:auto}
"""


def _table(t: Table, caption: str = "") -> str:
    rows: dict[int, list] = {}
    for c in t.cells:
        rows.setdefault(c.row, []).append(c)
    head, body = [], []
    for r in range(t.n_rows):
        cells = []
        for c in sorted(rows.get(r, []), key=lambda c: c.col):
            span = (f' rowspan="{c.rowspan}"' if c.rowspan > 1 else "") + (f' colspan="{c.colspan}"' if c.colspan > 1 else "")
            text = escape(c.text)
            if c.role == "value":
                cells.append(f"<td{span}>{text}</td>")
            elif r < t.header_rows:
                scope = ' scope="colgroup"' if c.colspan > 1 else ' scope="col"'
                cells.append(f"<th{span}{scope}>{text}</th>")
            elif c.role == "caption":
                cells.append(f'<th{span} class="caption" scope="rowgroup">{text}</th>')
            elif c.role == "header":
                cells.append(f'<th{span} scope="col">{text}</th>')
            else:
                cells.append(f'<th{span} scope="row">{text}</th>')
        (head if r < t.header_rows else body).append("<tr>" + "".join(cells) + "</tr>")
    name = f' data-table="{escape(t.name)}"' if t.name else ""
    thead = "<thead>" + "".join(head) + "</thead>" if head else ""
    cap = f'<caption class="sr-only">{escape(caption)}</caption>' if caption else ""
    return f'<div class="table-wrap" tabindex="0" role="region" aria-label="{escape(caption or "统计表")}">' \
           f'<table{name}>{cap}{thead}<tbody>{"".join(body)}</tbody></table></div>'


def write_html(doc: Document, figure: str | None = None, **_options) -> bytes:
    """Render ``doc`` as a standalone UTF-8 HTML page (with ``figure``, inline SVG, after it)."""
    title = doc.properties.get("title") or doc.title or "政府信息公开工作年度报告"
    parts = []
    section = ""  # the heading a table belongs to: its caption for screen readers
    for block in doc.blocks:
        if isinstance(block, Title):
            parts.append(f"<h1>{escape(block.text)}</h1>")
        elif isinstance(block, Meta):
            items = "".join(f"<div><dt>{escape(k)}</dt><dd>{escape(v)}</dd></div>" for k, v in block.items)
            parts.append(f'<dl class="meta">{items}</dl>')
        elif isinstance(block, Heading):
            if block.level == 1:
                section = block.text
            tag = min(block.level + 1, 6)
            level = f' {LEVEL_ATTRIBUTE}="{block.level}"' if block.level + 1 > 6 else ""
            parts.append(f"<h{tag}{level}>{escape(block.text)}</h{tag}>")
        elif isinstance(block, Paragraph):
            cls = {"right": f' class="{CLOSING_CLASS}"', "left": f' class="{ADDRESSEE_CLASS}"'}.get(block.align, "")
            parts.append(f"<p{cls}>{escape(block.text)}</p>")
        elif isinstance(block, Table):
            parts.append(_table(block, section))
    if figure:
        parts.append(f'<div class="tujie">{figure}</div>')
    author = escape(doc.properties.get("author", ""))
    page = (f'<!DOCTYPE html>\n<html lang="{language_tag(doc.lang)}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<meta name="generator" content="{GENERATOR}">\n<meta name="author" content="{author}">\n'
            f"<title>{escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n"
            + "\n".join(parts) + "\n</main>\n</body>\n</html>\n")
    return page.encode("utf-8")

"""Is the PDF publishable as is? Checks of a rendered report's PDF against its txt output, and a
benchmark over random reports (issue 20, items 3 and 5).

* ``missing_characters(txt, pdf)``: every character of the txt output must be in the PDF's text
  (``pdftotext``, as researchers read a PDF): each body line of the txt (whitespace aside) appears
  whole in the PDF text with the page numbers taken out, and every character of the txt's tables
  (their ``+---+`` / ``|`` rules aside) appears in the PDF at least as often.
* ``flow_faults(pdf)``: the page flow read from the PDF's geometry (``pdfplumber``): body lines are
  the 3号 lines, tables the regions of ruled lines. A fault is a page whose last body line is a
  lead-in ending in “：” with nothing after it on the page; a page whose last line is a heading; a
  table part at the top of a page holding only its repeated header and one or two rows; a widow
  (a paragraph's last line alone at the top of a page); and a 落款 (right-aligned closing lines)
  on another page than the last paragraph.

Run as a benchmark (``--n`` random reports per edition from ``bench/shapes/data.py``, every
PDF made by one LibreOffice process per batch)::

    PYTHONPATH=src python bench/publishable.py --n 100 --editions 2021,2019 [--seed 0]
"""
from __future__ import annotations

import argparse
import io
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

_FOOTER = re.compile(r"\s*[—–-]\s*\d+\s*[—–-]\s*")
_SPACE = re.compile(r"\s+")
_RULE = re.compile(r"[|+]|-{2,}")  # a txt table's rules: | and +, and runs of -

BODY_PT = 16.0       # 3号: body, headings and 落款
TABLE_MAX_PT = 12.0  # table text is 五号 (10.5 pt); anything this small or smaller is not a body line


def pdf_pages_text(pdf: bytes) -> list[str]:
    """Each page's text as ``pdftotext`` gives it (its default reading order)."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True)
    pages = out.stdout.decode("utf-8").split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def _flat(text: str) -> str:
    return _SPACE.sub("", text)


def missing_characters(txt: str, pdf: bytes) -> list[str]:
    """What of the txt output the PDF's text lacks: a body line not found whole (shown with
    the place it stops matching), a table character found fewer times. Empty: nothing lost."""
    pages = pdf_pages_text(pdf)
    flat = _flat("".join(line for page in pages for line in page.splitlines() if not _FOOTER.fullmatch(line)))
    missing: list[str] = []
    table_chars: Counter = Counter()
    for line in txt.splitlines():
        stripped = line.strip()
        if stripped.startswith("+"):
            continue
        if stripped.startswith("|"):
            table_chars.update(_flat(_RULE.sub("", stripped)))
            continue
        s = _flat(line)
        if s and s not in flat:
            k = 0
            while k < len(s) and s[:k + 1] in flat:
                k += 1
            missing.append(f"“{s[max(0, k - 12):k]}▲{s[k:k + 6]}”（第 {k + 1} 个字符起缺失）")
    found = Counter(flat)
    for ch, n in table_chars.items():
        if found[ch] < n:
            missing.append(f"表格字符“{ch}”：txt 中 {n} 个，PDF 中 {found[ch]} 个")
    return missing


# --- page flow --------------------------------------------------------------------------------

def _lines(page) -> list[dict]:
    """The page's text lines of 3号 size (body, headings, 落款), top to bottom: x0, x1, top, text."""
    chars = [c for c in page.chars if c["size"] > TABLE_MAX_PT and c["text"].strip()]
    rows: list[list[dict]] = []
    for c in sorted(chars, key=lambda c: (round(c["top"]), c["x0"])):
        if rows and abs(rows[-1][0]["top"] - c["top"]) < 3:
            rows[-1].append(c)
        else:
            rows.append([c])
    out = []
    for row in rows:
        row.sort(key=lambda c: c["x0"])
        size = max(c["size"] for c in row)
        text = "".join(c["text"] for c in row)
        if _FOOTER.fullmatch(text) or abs(size - BODY_PT) > 1.5:
            continue  # page numbers, the title
        out.append({"x0": row[0]["x0"], "x1": row[-1]["x1"], "top": row[0]["top"], "text": text})
    return out


def _tables(page) -> list[tuple[float, float, int]]:
    """The table parts on the page, top to bottom: (top, bottom, rows), from the ruling lines (a
    part is a run of vertical rules that touch; its rows are the horizontal rules across it less
    one)."""
    edges = page.edges
    verticals = sorted(((e["top"], e["bottom"]) for e in edges if e["orientation"] == "v"), key=lambda t: t[0])
    parts: list[list[float]] = []
    for top, bottom in verticals:
        if parts and top <= parts[-1][1] + 1:
            parts[-1][1] = max(parts[-1][1], bottom)
        else:
            parts.append([top, bottom])
    horizontals = [e["top"] for e in edges if e["orientation"] == "h"]
    out = []
    for top, bottom in parts:
        ys = sorted({round(y) for y in horizontals if top - 1 <= y <= bottom + 1})
        merged = [y for k, y in enumerate(ys) if k == 0 or y - ys[k - 1] > 2]
        out.append((top, bottom, max(len(merged) - 1, 0)))
    return out


def flow_faults(pdf: bytes, header_rows: list[int] | None = None) -> list[str]:
    """The page-flow faults of a rendered report's PDF (see the module's docstring).
    ``header_rows``: each table's repeated header rows, in document order (default 1 each)."""
    import pdfplumber

    faults: list[str] = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        pages = [(_lines(p), _tables(p), float(p.width)) for p in doc.pages]
        # the type area's left edge: the leftmost body line (a paragraph's second line) or table rule
        rules = [e["x0"] for p in doc.pages for e in p.edges if e["orientation"] == "v"]
    left = min([ln["x0"] for lines, _, _ in pages for ln in lines] + rules, default=0.0)
    table_index = -1
    last_para_page = closing_page = None
    for n, (lines, tables, width) in enumerate(pages, 1):
        items = sorted([("line", ln["top"], ln) for ln in lines] + [("table", t[0], t) for t in tables],
                       key=lambda it: it[1])
        for k, (kind, _top, item) in enumerate(items):
            if kind == "table":
                continued = k == 0 and n > 1 and _ends_with_table(pages[n - 2])
                if not continued:
                    table_index += 1
                head = header_rows[table_index] if header_rows and 0 <= table_index < len(header_rows) else 1
                last_part = k + 1 < len(items) or n == len(pages) or not _starts_with_table(pages[n])
                if continued and last_part and item[2] - head <= 2:
                    faults.append(f"第 {n} 页：表格只剩表头和 {item[2] - head} 行")
                continue
            ln = item
            centre = (ln["x0"] + ln["x1"]) / 2
            right_aligned = ln["x0"] > left + 4 * BODY_PT and centre > width / 2
            if right_aligned:
                closing_page = closing_page or n
            else:
                last_para_page = n
            if k == len(items) - 1 and not right_aligned and ln["text"].endswith(("：", ":")):
                faults.append(f"第 {n} 页：引导语“{ln['text'][-12:]}”在页末，下文在下一页")
            if k == 0 and n > 1 and abs(ln["x0"] - left) < 2 and not right_aligned:
                following = items[1] if len(items) > 1 else None
                alone = following is None or following[0] == "table" or abs(following[2]["x0"] - left) >= 2
                if alone and _continues(pages[n - 2]):
                    faults.append(f"第 {n} 页：段落末行“{ln['text'][:12]}”单独在页首")
        if items and items[-1][0] == "line" and _is_heading(items[-1][2]["text"]) and n < len(pages):
            faults.append(f"第 {n} 页：标题“{items[-1][2]['text'][:12]}”在页末")
    if closing_page is not None and last_para_page is not None and closing_page > last_para_page:
        faults.append(f"落款在第 {closing_page} 页，正文最后一段在第 {last_para_page} 页")
    return faults


def _ends_with_table(page) -> bool:
    lines, tables, _ = page
    return bool(tables) and all(ln["top"] < tables[-1][0] for ln in lines)


def _starts_with_table(page) -> bool:
    lines, tables, _ = page
    return bool(tables) and all(ln["top"] > tables[0][0] for ln in lines)


def _continues(page) -> bool:
    """Whether the page's last item is a body line (a paragraph that may run on)."""
    lines, tables, _ = page
    return bool(lines) and (not tables or lines[-1]["top"] > tables[-1][1])


_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)")


def _is_heading(text: str) -> bool:
    return bool(_HEADING.match(text)) and len(text) <= 30 and not text.endswith(("。", "："))


# --- the benchmark ------------------------------------------------------------------------------

def render_random(n: int, editions: list[str], seed: int = 0):
    """(name, txt, docx, header rows per table) of ``n`` random reports per edition."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from shapes.data import report
    from reportgen.loader import validate_data
    from reportgen.render import render_loaded
    from reportgen.document import Table
    from reportgen.compose import compose

    for edition in editions:
        for k in range(seed, seed + n):
            loaded = validate_data(report(k, edition))
            blobs = render_loaded(loaded, ["txt", "docx"])
            heads = [b.header_rows for b in compose(loaded).blocks if isinstance(b, Table)]
            yield f"{edition}-{k}", blobs["txt"].decode("utf-8"), blobs["docx"], heads


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=100, help="reports per edition")
    ap.add_argument("--editions", default="2021,2019")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--batch", type=int, default=25, help="documents per LibreOffice process")
    args = ap.parse_args(argv)
    import reportgen
    from reportgen import office
    from reportgen.writers.pdf import fontconfig_file

    print(f"reportgen: {Path(reportgen.__file__).parent}")
    started = time.perf_counter()
    made = list(render_random(args.n, args.editions.split(","), args.seed))
    lost = flow = 0
    for at in range(0, len(made), args.batch):
        chunk = made[at:at + args.batch]
        pdfs = office.convert_many([m[2] for m in chunk], ".docx", "pdf", fonts=fontconfig_file())
        for (name, txt, _docx, heads), pdf in zip(chunk, pdfs):
            missing = missing_characters(txt, pdf)
            faults = flow_faults(pdf, heads)
            lost += bool(missing)
            flow += bool(faults)
            for m in missing:
                print(f"{name}: 缺字 {m}")
            for f in faults:
                print(f"{name}: 版面 {f}")
    total = len(made)
    print(f"{total} 份报告：缺字 {lost} 份，版面问题 {flow} 份；{time.perf_counter() - started:.0f} 秒")
    return 1 if lost else 0


if __name__ == "__main__":
    sys.exit(main())

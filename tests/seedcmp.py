"""Comparing a rendered report with a published one (the seeds) for content, not layout.

Both sides become one stream of characters: web-page chrome listed for the seed removed,
grid tables of the rendered text read back into their cells (row by row, each merged cell
once), the seed's ``|`` cell separators dropped, NFKC (full/half-width brackets, colons and
commas are layout, not content), and all whitespace removed. Equal streams mean the same
headings, paragraphs and numbers in the same order; ``similarity`` is difflib's ratio.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from reportgen.readers.gridtext import is_grid_line, parse_grid

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@dataclass(frozen=True)
class Seed:
    """A seed report, the example that transcribes it, and what the comparison leaves out."""

    name: str                                   # file in seeds/
    example: str                                # file in examples/
    script: str | None = None                   # render with --script (the seed's own script)
    chrome_lines: tuple[str, ...] = ()          # whole lines of page chrome (after stripping)
    chrome_nth: tuple[tuple[str, int], ...] = ()  # (line, n): only the n-th occurrence is chrome
    chrome_text: tuple[str, ...] = ()           # chrome inside lines (buttons, bullets)
    rendered_title_missing: bool = False        # the scrape lost the report's title
    notes: tuple[str, ...] = field(default=())


SEED_EXAMPLES = (
    Seed("000_9cb31c364b703f77.txt", "seed-000-freeform-2011.yaml",
         chrome_lines=("---|---|---|---|",)),
    Seed("001_0bd952d63030d8bd.txt", "seed-001-freeform-2012-zh-TW.yaml", script="zh-TW",
         chrome_lines=("基本介紹", "• 中文名:清新區2012年政府信息公開工作年度報告", "• 地點:清新區", "• 性質:年度報告",
                       "報告內容", "相關詞條", "熱門詞條", "聯絡我們")),
    Seed("002_83ee86e14e5d762c.txt", "seed-002-freeform-2010.yaml",
         chrome_lines=("• 【字体:||", "附件下载"), chrome_text=("• ",)),
    Seed("003_573526604d09430f.txt", "seed-003-freeform-2006.yaml",
         chrome_lines=("您当前所在位置: 首页 > 财政局 > 信息公开 > 通知公告",),
         chrome_nth=(("湛江市财政局2006年政务公开工作总结", 2),), chrome_text=(" 字体:",)),
    Seed("004_083bbb3ff8b97a12.txt", "seed-004-2019-edition-2020.yaml", rendered_title_missing=True),
)

_SPACE = re.compile(r"\s+")


def _norm(text: str) -> str:
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


def seed_stream(seed: Seed, text: str) -> str:
    """The published report's content as one string."""
    counts: dict[str, int] = {}
    nth = dict(seed.chrome_nth)
    out = []
    for raw in text.splitlines():
        line = raw.replace("\xa0", " ").strip()
        if line in seed.chrome_lines:
            continue
        if line in nth:
            counts[line] = counts.get(line, 0) + 1
            if counts[line] == nth[line]:
                continue
        for chrome in seed.chrome_text:
            line = line.replace(chrome, "")
        out.append(line.replace("|", ""))
    return _norm("".join(out))


def rendered_stream(seed: Seed, text: str) -> str:
    """The rendered txt's content as one string, its grid tables read back cell by cell."""
    lines = text.splitlines()
    if seed.rendered_title_missing:
        lines = lines[1:]
    out: list[str] = []
    i = 0
    while i < len(lines):
        if is_grid_line(lines[i]) and lines[i].startswith("+"):
            j = i
            while j < len(lines) and is_grid_line(lines[j]):
                j += 1
            table = parse_grid(lines[i:j])
            out += [c.text for c in sorted(table.cells, key=lambda c: (c.row, c.col))]
            i = j
        else:
            out.append(lines[i])
            i += 1
    return _norm("".join(out))


def similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def first_difference(a: str, b: str, context: int = 30) -> str:
    k = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    return f"at {k}: seed …{a[max(0, k - context):k + context]}… vs rendered …{b[max(0, k - context):k + context]}…"

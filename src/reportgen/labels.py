"""How reportgen compares what reports print: label keys (NFKC, no spaces or punctuation, so
商业 企业 = 商业企业 and (一) = （一）), heading levels from their numbering (一、 / （一） / 1. /
（1） / ①), and table cells as numbers (blank markers kept apart). Used by the readers, the
extractor and the table matcher alike."""
from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from functools import lru_cache

# --- normalising labels ------------------------------------------------------------------

_KEY_DROP = re.compile(r"[\s\u3000、，,。.．:：;；“”\"'‘’()（）\[\]【】《》<>·•\-—_/|]")


@lru_cache(maxsize=16384)
def label_key(text: str) -> str:
    """The form two labels are compared in: NFKC, no whitespace, no punctuation (so 商业 企业 =
    商业企业, (一) = （一）, 、 = ，)."""
    return _KEY_DROP.sub("", unicodedata.normalize("NFKC", text))


def squash(text: str) -> str:
    """NFKC and no whitespace: for comparing headings and sentences."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


# --- heading numbering -------------------------------------------------------------------

_CN = "一二三四五六七八九十百零〇"
_LEVELS = (
    (1, re.compile(rf"^[{_CN}]+\s*[、.．]")),
    (2, re.compile(rf"^[（(]\s*[{_CN}]+\s*[）)]|^[{_CN}]+\s*[）)]")),
    (3, re.compile(r"^\d{1,2}\s*[、.．](?!\d)")),
    (4, re.compile(r"^[（(]\s*\d{1,2}\s*[）)]")),
    (5, re.compile(r"^[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]")),
)


@lru_cache(maxsize=16384)
def numbering_level(text: str) -> int | None:
    """The outline level a heading's numbering implies (一、 1, （一） 2, 1. 3, （1） 4, ① 5)."""
    s = text.lstrip()
    for level, pattern in _LEVELS:
        if pattern.match(s):
            return level
    return None


# --- numbers in table cells --------------------------------------------------------------

BLANKS = ("", "-", "—", "–", "－", "/", "／", "无", "無", "——", "--")
# A number as a table prints it, no longer than any value may be (tables.spec.BOUNDS): a longer
# run of digits is not read as one number (int() of 5,000 digits would fail, and no cell holds it).
_NUMBER = re.compile(r"^([+\-−]?)\s*(\d{1,3}(?:,\d{3}){1,4}|\d{1,13})(\.\d{1,6})?\s*(?:元|万元|萬元|件|个|個|项|項|条|條|%)?$")


@lru_cache(maxsize=4096)
def number(text: str):
    """A table cell as a number (int, or Decimal when it has decimals); ``BLANK`` for the
    blank markers; None when it is not a number."""
    s = unicodedata.normalize("NFKC", text).strip()
    if s in BLANKS:
        return BLANK
    m = _NUMBER.match(s)
    if not m:
        return None
    sign = "-" if m.group(1) in ("-", "−") else ""
    digits = m.group(2).replace(",", "")
    if m.group(3):
        return Decimal(sign + digits + m.group(3))
    return int(sign + digits)


def is_value(text: str) -> bool:
    """A cell holding a number, a blank marker, or runs of digits (cells printed together,
    ``5800000 58``, which the table's arithmetic cuts apart: ``tables.decode``)."""
    return number(text) is not None or bool(_DIGIT_RUN.match(text.strip()))


_DIGIT_RUN = re.compile(r"^\d[\d\s]*$")
_PAGE_NUMBER = re.compile(r"^\s*(?:[-—–－]\s*\d{1,4}\s*[-—–－]|第\s*\d{1,4}\s*页(?:\s*共\s*\d+\s*页)?|\d{1,4}\s*/\s*\d{1,4})\s*$")


def is_page_number(line: str) -> bool:
    """A page's number as printed at its foot (— 3 —, - 3 -, 第 3 页, 3/12): in converter text it
    stands between a table's rows and is no row's number."""
    return bool(_PAGE_NUMBER.match(line))


def stray_page_numbers(lines: list) -> set[int]:
    """The lines among ``lines`` (strings; other items ignored) that look like a page's number
    but are not one: a table row whose zeros print as “—” gives ``— 18 —`` (pdftotext -raw,
    pypdf). A document's page numbers come in runs counting up page by page (a page without one
    skipped; numbering that starts again after a preface is another run): a look-alike in no
    run of two is a row's cells. With no run of two in the document, none is told apart."""
    found = [(i, int(re.search(r"\d+", line).group())) for i, line in enumerate(lines)
             if isinstance(line, str) and is_page_number(line)]
    if len(found) < 2:
        return set()
    ahead = [1] * len(found)   # the longest run ending at each
    for k, (_, n) in enumerate(found):
        ahead[k] = 1 + max((ahead[j] for j in range(k) if 1 <= n - found[j][1] <= 3), default=0)
    behind = [1] * len(found)  # ... and starting at each
    for k in range(len(found) - 1, -1, -1):
        n = found[k][1]
        behind[k] = 1 + max((behind[j] for j in range(k + 1, len(found)) if 1 <= found[j][1] - n <= 3), default=0)
    if max(ahead) < 2:
        return set()
    return {i for k, (i, _) in enumerate(found) if ahead[k] + behind[k] - 1 < 2}


class _Blank:
    def __repr__(self) -> str:
        return "BLANK"


BLANK = _Blank()

"""The plain-text layout our txt writer draws and our txt reader recognises: the paragraph
indent, where closing lines sit, and display widths (a CJK character takes two columns)."""
from __future__ import annotations

import unicodedata
from functools import lru_cache

INDENT = "\u3000\u3000"  # a body paragraph's first line: two ideographic spaces
CLOSING_WIDTH = 72       # closing lines end at this display column
CLOSING_MIN_PAD = 8      # and start after at least this many spaces (how a reader knows them)


@lru_cache(maxsize=8192)
def display_width(text: str) -> int:
    """Columns ``text`` takes in a CJK monospace font (wide, full-width and ambiguous = 2)."""
    if text.isascii():
        return len(text)
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in "WFA" else 1
    return width

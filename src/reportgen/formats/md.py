"""Markdown as our writer writes it and our reader reads it back.

Data never becomes markup: every text is escaped for CommonMark, a backslash before each ASCII
punctuation character that could open inline markup (emphasis, code, links, raw HTML ``<…>``,
entities ``&…;``, strikethrough, table pipes) or, at the start of a line, a block (headings,
quotes, lists, fences, thematic breaks, setext underlines). The raw HTML blocks written,
``<p align="right">…</p>`` for a closing line and ``<p align="left">…</p>`` for the addressee,
hold HTML-escaped text. ``unescape`` inverts
``escape``.
"""
from __future__ import annotations

import re
from html import escape as html_escape, unescape as html_unescape

from ..document import one_line

_INLINE = re.compile(r"([\\`*_\[\]<>&~|])")
_BLOCK = re.compile(r"^(\d{1,9})([.)])|^([#>+\-=])")
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
_ALIGNED = re.compile(r'^<p align="(right|left)">(.*)</p>$')


def escape_inline(text: str) -> str:
    """``text`` as literal CommonMark text in the middle of a line."""
    return _INLINE.sub(r"\\\1", one_line(text).strip())


def escape(text: str) -> str:
    """``text`` as a literal CommonMark line of its own."""
    return _BLOCK.sub(lambda m: m.group(1) + "\\" + m.group(2) if m.group(1) else "\\" + m.group(3),
                      escape_inline(text))


def unescape(text: str) -> str:
    """The text an escaped line stands for."""
    return _ESCAPED.sub(r"\1", text)


def aligned(text: str, side: str) -> str:
    """A paragraph Markdown cannot place: a closing line (``right``) or the addressee (``left``)."""
    return f'<p align="{side}">' + html_escape(one_line(text).strip(), quote=False) + "</p>"


def aligned_text(line: str) -> tuple[str, str] | None:
    """(side, text) of a line written by ``aligned``; None for any other line."""
    m = _ALIGNED.match(line)
    return (m.group(1), html_unescape(m.group(2))) if m else None

"""What an OCR engine's text lines need before they are read as a page's text.

Owns two repairs of misreadings the engine makes on report pages (measured on the shapes
benchmark's scans, issue 19):

* ``dash`` — a table's blank marker "—" standing alone in a cell is read as the character 一
  (or 一一, ー): a line that is nothing but such a mark is the blank marker.
* ``heading`` — the 、 after a section's numeral is small and often dropped (四政府信息公开…):
  a line that is a declared section's numeral directly followed by one of that section's declared
  wordings (``editions``; Traditional script read as Simplified for the comparison) gets it back.

Nothing else is changed: a line that only looks like these is left as read.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..labels import label_key

_DASHES = re.compile(r"^[一ー—－\-–‐_]{1,3}$")
_NUMERAL = re.compile(r"^([一二三四五六七八九十]{1,2})(?![、.．，,\s])(.+)$")


def dash(text: str) -> str:
    """A line that is only a dash-like mark, as the blank marker "—"."""
    return "—" if _DASHES.match(text) else text


@lru_cache(maxsize=1)
def _headings() -> dict[str, set[str]]:
    """{section numeral: label keys of its wordings}, over the statutory editions."""
    from ..editions import statutory_editions
    out: dict[str, set[str]] = {}
    for edition in statutory_editions():
        for section in edition.sections:
            if section.numeral:
                out.setdefault(section.numeral, set()).update(label_key(w) for w in section.wordings)
    return out


def heading(text: str) -> str:
    """A section heading whose 、 was not read, with it back; any other line unchanged."""
    m = _NUMERAL.match(text)
    if not m or m.group(1) not in _headings():
        return text
    rest = m.group(2)
    keys = {label_key(rest)}
    if not keys & _headings()[m.group(1)]:
        from ..script import detect, to_simplified
        if detect(rest) == "zh-Hans":
            return text
        keys = {label_key(to_simplified(rest))}
    return f"{m.group(1)}、{rest}" if keys & _headings()[m.group(1)] else text


def fixed(text: str) -> str:
    """One OCR line after both repairs."""
    return heading(dash(text))


__all__ = ["dash", "fixed", "heading"]

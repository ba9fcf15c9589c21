"""A page flattened to one line, cut back into lines: sections at their headings, table text
at its labels.

Crawlers and some sites save a report as one line (statutory.md §4.3, shared/corpus): the
headings run into the text (一、总体情况2024年，我局…) and a table's cells into each other
(一、本年新收政府信息公开申请数量5800000 58 二、上年结转…). The known wordings find the cuts:

* a section heading as numbered in print (``ReadOptions.headings``) starts a line of its own;
* inside a section, where table labels (``ReadOptions.table_labels``) stand densely, every
  label is a line and the text between two labels (a row's numbers, run together or not)
  another, so the line reader and the table matcher see the table row by row. A row's run of
  digits is cut into cells later, by the table's arithmetic (``tables.decode``).

Labels are found in the label-key form (NFKC, no spaces or punctuation: ``labels.label_key``)
and cut in the original text, so what is kept is what the page printed.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..labels import label_key
from .common import ReadOptions

FLAT_LINE = 300        # a line this long holding two section headings is a flattened page
_DENSE = 3             # labels in a row, with nothing but numbers between, that start a table


def unflatten(items: list, options: ReadOptions) -> list:
    """``items`` with every flattened page line cut into lines; anything else as it was."""
    if not options.headings:
        return items
    out: list = []
    for item in items:
        if isinstance(item, str) and len(item) >= FLAT_LINE:
            out.extend(cut(item, options))
        else:
            out.append(item)
    return out


def cut(line: str, options: ReadOptions) -> list[str]:
    """One flattened line as lines: headings, paragraphs, table labels and runs of numbers."""
    norm, where = _keyed(line)
    heads = _first_each(_pattern(options.headings).finditer(norm))
    if len(heads) < 2:
        return [line]
    out: list[str] = []
    start = 0
    for m in heads:
        begin, end = _span(line, where, m)
        out += _segment(line[start:begin], options)
        out.append(line[begin:end].strip())
        start = end
    out += _segment(line[start:], options)
    return [s for s in out if s]


def _segment(text: str, options: ReadOptions) -> list[str]:
    """A section's text: a paragraph, then the table that starts where labels stand densely."""
    text = text.strip()
    if not text or not options.table_labels:
        return [text]
    norm, where = _keyed(text)
    labels = [_span(text, where, m) for m in _pattern(_usable(options.table_labels)).finditer(norm)]
    first = next((i for i in range(len(labels) - _DENSE + 1)
                  if all(_TABULAR.match(text[labels[k][1]:labels[k + 1][0]]) for k in range(i, i + _DENSE - 1))),
                 None)
    if first is None:
        return [text]
    out = [text[:labels[first][0]].strip()]
    pos = labels[first][0]
    for begin, end in labels[first:]:
        if begin < pos:
            continue
        out.append(text[pos:begin].strip())  # what stands between two labels: a row's numbers
        out.append(text[begin:end].strip())
        pos = end
    out.append(text[pos:].strip())
    return out


def _span(text: str, where: list[int], m: re.Match) -> tuple[int, int]:
    """Where a label found in key form stands in ``text``, with the brackets and quotes that
    open and close it (dropped from keys): （一）予以公开, 3.危及“三安全一稳定”."""
    begin, end = where[m.start()], where[m.end() - 1] + 1
    while begin > 0 and text[begin - 1] in _OPENING:
        begin -= 1
    while end < len(text) and text[end] in _CLOSING and (text[end] != "）" or text[begin:end].count("（") >
                                                        text[begin:end].count("）")):
        end += 1
    return begin, end


_OPENING = "（(“「【《"
_CLOSING = "）)”」】》"
_TABULAR = re.compile(r"^[\d\s.,，、:：;；/\-—–()（）]*$")  # between two labels of a table: numbers, no words


def _keyed(text: str) -> tuple[str, list[int]]:
    """``text`` in label-key form, and for each of its characters the index it came from."""
    chars: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        k = label_key(ch)
        chars.append(k)
        where.extend([i] * len(k))
    return "".join(chars), where


def _first_each(matches) -> list[re.Match]:
    """The first match of each distinct text, in order (a heading is printed once)."""
    seen: set[str] = set()
    out = []
    for m in matches:
        if m.group() not in seen:
            seen.add(m.group())
            out.append(m)
    return out


@lru_cache(maxsize=8)
def _usable(labels: frozenset[str]) -> frozenset[str]:
    """Labels long enough to cut at (one character would cut everywhere)."""
    return frozenset(k for k in labels if len(k) >= 2)


@lru_cache(maxsize=8)
def _pattern(keys: frozenset[str]) -> re.Pattern:
    """Any of ``keys``, the longest where several start at one place."""
    return re.compile("|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True)))

"""Where a value of a data file sits, in the words of the form a clerk filled in: “表三 “（三）不予公开
1.属于国家秘密” 自然人”, “落款 第 2 行”, “总体情况 · 概述 第 3 段” — never a key path such as
``收到和处理政府信息公开申请情况.办理结果.不予公开.危及三安全一稳定.自然人``. Messages (``Problem``)
carry it beside the file and line (a workbook's line is its cell, 表三!D12)."""
from __future__ import annotations

from functools import lru_cache

from .editions import Edition
from .model import K


@lru_cache(maxsize=None)
def _cells_by_path(edition: Edition) -> dict[tuple, tuple]:
    """Key path → (table spec, cell id), and a row's path → (spec, (row id, None))."""
    out: dict[tuple, tuple] = {}
    for spec in edition.tables:
        for path, field in spec.fields():
            out[path] = (spec, field.cell)
            out.setdefault(path[:-1], (spec, (field.cell[0], None)))
    return out


def place_words(edition: Edition, path: tuple) -> str:
    """The clerk's words for the place of ``path`` ('' for the whole file): a cell as
    ``cell_words``, a section by its heading and part (一、总体情况 · 概述 第 2 段), a line of
    the 落款 as 落款 第 2 行."""
    if not path:
        return ""
    found = _cells_by_path(edition).get(tuple(path))
    if found is not None:
        spec, cell = found
        return spec.cell_words(cell)
    section = next((s for s in edition.sections if s.key == path[0]), None)
    if section is None:
        unit = "行" if path[0] == K.closing else "段"
        index = next((p for p in reversed(path) if isinstance(p, int)), None)
        return " · ".join(str(p) for p in path if not isinstance(p, int)) + \
            (f" 第 {index + 1} {unit}" if index is not None else "")
    if section.table is not None and len(path) == 1:
        return section.heading
    parts = {p.key: p.label for p in section.parts}
    rest = list(path[1:])
    words = [section.heading]
    if rest and rest[0] in parts:
        words.append(parts[rest.pop(0)])
    elif rest and rest[0] == K.intro:
        words.append(str(rest.pop(0)))
    words += [str(p) for p in rest if not isinstance(p, int)]
    index = next((p for p in reversed(rest) if isinstance(p, int)), None)
    return " · ".join(words) + (f" 第 {index + 1} 段" if index is not None else "")


__all__ = ["place_words"]

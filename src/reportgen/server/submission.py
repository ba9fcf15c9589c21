"""What a report needs before its unit submits it, each reason a refusal with the place it is about.

A report is submitted only when it validates and nothing in it is still a blank form's:

* no narrative text still holds the placeholder 【请填写】;
* no section a report must have is empty (一、总体情况 and the text sections; a section the
  edition lets a report leave out, and 六、其他需要报告的事项, may be empty);
* no table is all zeros unless the clerk ticked its box 本表确无数据（全部为0）, and no table
  the clerk confirmed as empty has a figure in it (the box or the figures are a slip).

A refusal names the place in the report's words (``forms.place_label``) and carries its key
path or the box's name, so the page can link each reason to its input.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..datapaths import flatten
from ..editions import Edition
from ..model import PLACEHOLDER
from .forms import ZERO_LABEL, place_label, zero_name

TEXT_KINDS = ("text", "lines", "lines-open")


@dataclass
class Refusal:
    message: str
    path: tuple = ()         # the key path of the input it is about (the page finds the input)
    anchor: str | None = None  # or the input's name itself (a table's box)


def refusals(data: dict, edition: Edition, zero_tables: frozenset[str], loaded: Any = None) -> list[Refusal]:
    """Why ``data`` (with the tables confirmed as empty) may not be submitted yet; [] when it
    may. ``loaded``: the validated report, whose completed tables are used when given."""
    out: list[Refusal] = []
    rows = flatten(data, ())
    seen: set[tuple] = set()
    for path, kind, value in rows:
        if kind in TEXT_KINDS and isinstance(value, str) and PLACEHOLDER in value and path not in seen:
            seen.add(path)
            out.append(Refusal(f"{place_label(path, edition)}：仍是占位文字“{PLACEHOLDER}”，请写本单位的实际内容", path))
    for section in edition.sections:
        if section.kind not in ("overview", "text") or section.optional:
            continue
        if not any(_has_text(v) for p, k, v in rows if p[:1] == (section.key,) and k in TEXT_KINDS):
            first = next((p for p, k, _ in rows if p[:1] == (section.key,) and k in TEXT_KINDS), (section.key,))
            out.append(Refusal(f"{section.heading}：没有内容，请填写", first))
    for spec in edition.tables:
        cells = loaded.tables[spec.name] if loaded is not None else spec.cells_from_data(_mapping(data.get(spec.key)))
        figures = [v for v in cells.values() if v is not None]
        empty = all(_zero(v) for v in figures)
        confirmed = spec.name in zero_tables
        if empty and not confirmed:
            out.append(Refusal(f"{spec.title}：各项均为 0。如本年确实没有这类数据，请勾选表下方的“{ZERO_LABEL}”并保存；"
                               f"否则请填写", anchor=zero_name(spec)))
        elif confirmed and not empty:
            out.append(Refusal(f"{spec.title}：勾选了“{ZERO_LABEL}”，但表中填有数字；请核对后取消勾选或改正数字",
                               anchor=zero_name(spec)))
    return out


def _has_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _zero(value: Any) -> bool:
    return isinstance(value, (int, Decimal)) and not isinstance(value, bool) and value == 0


def _mapping(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


__all__ = ["Refusal", "refusals"]

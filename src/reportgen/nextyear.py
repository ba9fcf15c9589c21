"""One year's report to the next (``reportgen init --from``): the new year's data from last
year's data file or published report.

What carries over: the agency, the publication metadata that belongs to the agency (not the
year's 索引号, dates or 文号), the addressee, and the narrative's shape (each part keeps its
headings, with a placeholder quoting last year's first sentence). Every number is zeroed, and
the edition's link between years (``Edition.carry``: this year's 上年结转 is last year's
结转下年度继续办理) is filled in from last year — and carried on as this year's 结转下年度
until the results are entered, so the new file validates from the start. The new year takes
the edition of its own year.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from .datafile import dump
from .editions import EDITIONS, edition_for_year
from .errors import InputError, display_name
from .loader import LoadedReport
from .model import PLACEHOLDER, YEAR_MAX, YEAR_MIN, K
from .publication import ITEMS as PUBLICATION_ITEMS
from .reading import load_previous
from .scaffold import blank_data, drop_none
from .schema import schema_file_name, schema_text

_YEARLY = {label for item in PUBLICATION_ITEMS if item.yearly for label in (*item.labels, *item.traditional)}


def _skeleton_paragraphs(paragraphs: list[str]) -> list[str]:
    return [f"{PLACEHOLDER}（上年：{_first_sentence(p)}）" for p in paragraphs[:1]] if paragraphs else []


def _first_sentence(text: str) -> str:
    end = min((i for i in (text.find("。"), text.find("；")) if i > 0), default=len(text))
    return text[:min(end + 1, 40)]


def _skeleton(sections: list) -> list[dict]:
    out = []
    for s in sections:
        node: dict[str, Any] = {K.title: s.title}
        paras = _skeleton_paragraphs(s.paragraphs)
        if paras:
            node[K.paragraphs] = paras
        if s.sections:
            node[K.sections] = _skeleton(s.sections)
        if K.paragraphs not in node and K.sections not in node:
            node[K.paragraphs] = [PLACEHOLDER]
        out.append(node)
    return out


def next_year_data(previous: LoadedReport, year: int | None = None) -> dict:
    """The data for the year after ``previous``."""
    prev = previous.report
    year = year or prev.year + 1
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise InputError(f"下一年度 {year} 超出报告年度的范围（{YEAR_MIN}—{YEAR_MAX}），无法生成", previous.file)
    edition = EDITIONS[edition_for_year(year)]
    data = blank_data(edition, prev.agency, year)
    if prev.publication is not None:
        kept = {label: value for label, value, _ in prev.publication.items() if label not in _YEARLY}
        if kept:
            data[K.publication] = kept
    if prev.addressee:
        data[K.addressee] = prev.addressee
    if edition.freeform:
        body = getattr(prev, "body", None) or []
        if body:
            data[K.body] = _skeleton(body)
        return data
    for section in edition.sections:
        before = previous.edition.section(section.attr)
        part = getattr(prev, section.attr, None) if before is not None else None
        if section.kind == "overview" and part is not None:
            shape: dict[str, Any] = {K.intro: _skeleton_paragraphs(part.intro) or [PLACEHOLDER]}
            for sub in section.parts:
                shape[sub.key] = _skeleton_paragraphs(getattr(part, sub.en, [])) or [PLACEHOLDER]
            if part.sections:
                shape[K.sections] = _skeleton(part.sections)
            data[section.key] = shape
        elif section.kind == "text":
            data[section.key] = [PLACEHOLDER]
    carry = edition.carry
    if carry is not None and previous.edition.carry is not None:
        spec = edition.table(carry.table)
        last = previous.cells(carry.table)
        cells = {cid: 0 for cid in spec.cell_ids() if cid not in spec.total_cells}
        for col in spec.col_ids():
            if (carry.row, col) in cells:
                value = int(last.get((carry.from_row, col)) or 0)
                cells[(carry.row, col)] = value
                # until this year's results are filled in, what was carried in is still open:
                # the 勾稽 rule holds from the start
                cells[(carry.from_row, col)] = value
        section = next(s for s in edition.sections if s.table is spec)
        data[section.key] = drop_none(spec.data_from_cells(cells))
    return data


def next_year_files(previous_path: str, target: Path, year: int | None = None,
                    agency: str | None = None, notices: list[str] | None = None) -> dict[Path, bytes]:
    """The new data file (and its schema beside it) for the year after ``previous_path`` (a data
    file or last year's published report); what reading last year's report warned about is added
    to ``notices`` and to the new file's header."""
    previous = load_previous(previous_path)
    told = [str(w) for w in previous.warnings if w.severity == "warning"]
    if notices is not None:
        notices.extend(told)
    data = next_year_data(previous, year)
    if agency:
        data[K.agency] = agency
    edition = EDITIONS[edition_for_year(data[K.year])]
    carry = edition.carry
    if notices is not None and carry is not None and previous.edition.carry is not None:
        spec = edition.table(carry.table)
        total = sum(int(v or 0) for cell, v in previous.cells(carry.table).items()
                    if cell[0] == carry.from_row and cell not in spec.total_cells)
        if total:
            rows = {r: spec.row_name(r) for r in spec.row_ids()}
            notices.append(f"{spec.short_title}“{rows[carry.row]}”已按上年报告的“{rows[carry.from_row]}”填写（共 {total} 件）；"
                           f"本年“{rows[carry.from_row]}”暂填同数，填写办理结果后请按实际改正")
    header = [f"由 reportgen init --from {display_name(Path(previous_path).name)} 生成：沿用上年的机关信息和各部分结构，数字已清零，",
              "“上年结转”已按上年“结转下年度继续办理”填写（“结转下年度”暂填同数，填写办理结果后请改正）；",
              "标有【请填写】的地方请写本年的内容。"] + [f"上年报告读取时的警告：{w.message}" for w in previous.warnings
                                           if w.severity == "warning"][:10]
    schema = schema_file_name(edition.id)
    return {target: dump(data, edition, header, schema).encode("utf-8"),
            target.parent / schema: schema_text(edition.id).encode("utf-8")}

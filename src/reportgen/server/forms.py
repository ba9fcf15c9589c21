"""A report as the HTML form a clerk fills in, generated from the declarations, and the form's
fields back into a data mapping.

Fields and narrative come from the data mapping's rows (``datapaths``): a one-line text is an
input, a multi-line text a textarea (one paragraph a line), a number a number input; each field
is named by its key path and kind, so the mapping comes back as it was. Each statutory table is
laid out by the edition's own plan (labels, merged headers, the 勾稽 note): a value cell is an
input named by its cell id, a total the data leave out is an empty input the page fills as the
clerk types (``data-sum`` names the inputs it adds up) and the server computes. Under each
table, a box the clerk ticks when the table is truly empty (``zero_name``). Every input has a
label in the report's own words (``place_label``: 一、总体情况 · 概述; a cell by its table, row
and column), used on the form, the merge page and the reasons a submission is refused.
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation
from functools import lru_cache

from markupsafe import Markup
from typing import Any

from ..datapaths import flatten, path_of, path_text, unflatten
from ..editions import Edition
from ..model import table_data
from ..model import K
from ..places import place_words
from ..rules import derivations
from ..tables.spec import TableSpec, format_value


def cell_name(spec: TableSpec, cid) -> str:
    row, col = cid
    return f"cell/{spec.name}/{row}/{col}"


ZERO_LABEL = "本表确无数据（全部为0）"  # the box under a table the clerk ticks when it is truly empty


def zero_name(spec: TableSpec) -> str:
    """The name (and id) of the table's box 本表确无数据."""
    return f"zero/{spec.name}"


def zero_tables_of(form: dict[str, str], edition: Edition) -> frozenset[str]:
    """The tables whose box 本表确无数据 the form ticks."""
    return frozenset(spec.name for spec in edition.tables if form.get(zero_name(spec)))


def place_label(path: tuple, edition: Edition) -> str:
    """A key path in the report's own words (``places.place_words``: 一、总体情况 · 概述,
    表三 “一、本年新收政府信息公开申请数量” 自然人, 第 n 段)."""
    return place_words(edition, path)


def form_values(data: dict, edition: Edition, report: Any | None = None) -> dict[str, str]:
    """The form's inputs as the page fills them from ``data`` (name → text; ``report``: the
    validated report, when it validates, as the page has it): what the browser posts back when
    the clerk changes nothing."""
    out = {f["name"]: f["value"] for f in field_rows(data, edition)}
    for spec in edition.tables:
        grid = table_grid(spec, report, data.get(spec.key))
        out.update({c["name"]: c["value"] for cells in grid["rows"] for c in cells if "name" in c})
    return out


def field_rows(data: dict, edition: Edition) -> list[dict]:
    """The fields and narrative of ``data`` as form rows: one input or textarea a key path."""
    tables = {spec.key for spec in edition.tables}
    rows: list[dict] = []
    merged: dict[tuple, dict] = {}
    items = [r for k, v in data.items() if k not in tables for r in flatten(v, (k,))]
    for spec in edition.tables:  # a table's own words (说明, 标题)
        own = data.get(spec.key)
        cells = {path[1] for path, _ in spec.fields() if len(path) > 1}
        if isinstance(own, dict):
            items += [r for k, v in own.items() if k not in cells for r in flatten(v, (spec.key, k))]
    for path, kind, value in items:
        if kind in ("lines", "lines-open") and path in merged:
            merged[path]["value"] += "\n" + ("" if value is None else str(value))
            continue
        row = {"name": f"field/{kind}/{path_text(path)}", "label": place_label(path, edition), "kind": kind,
            # a paragraph of the narrative is a text area from the start (the 落款's lines stay lines)
            "long": kind in ("lines", "lines-open") or (kind == "text" and isinstance(path[-1], int) and path[0] != K.closing),
            "value": "" if value is None else (format_value(value) if isinstance(value, (int, Decimal)) else str(value)),
            "place": path}
        rows.append(row)
        if kind in ("lines", "lines-open"):
            merged[path] = row
    return rows


def table_grid(spec: TableSpec, report: Any | None, raw: Any = None) -> dict:
    """One table as rows of cells for the template: labels, and inputs with their values (the
    validated report's; when the data do not validate yet, the cells as saved)."""
    if report is not None:
        values = spec.cells_from_data(table_data(report, spec))
    else:
        values = spec.cells_from_data(raw) if isinstance(raw, dict) else {}
    grid = [[dict(cell, value="" if (v := values.get(cid)) is None else format_value(v)) if cid is not None
             else cell for cid, cell in cells] for cells in _grid_plan(spec)]
    return {"title": spec.title, "key": spec.key, "name": spec.name, "zero": zero_name(spec), "rows": grid}


@lru_cache(maxsize=None)
def _grid_plan(spec: TableSpec) -> tuple[tuple[tuple[Any, dict], ...], ...]:
    """A table's grid without its values, worked out once per declaration (its labels, sums and
    names cost most of a save's page when made cell by cell): rows of (cell id or None, cell);
    ``table_grid`` copies a value cell's dict with its value (a label cell is shared, read only)."""
    sums = derivations(spec)
    plan = spec._plan
    grid: list[list[tuple[Any, dict]]] = [[] for _ in range(plan.n_rows)]
    for c in plan.cells:
        cell = {"rowspan": c.rowspan, "colspan": c.colspan, "role": c.role}
        cid = None
        if c.role == "value":
            cid = c.text
            path, field = spec.field_for(cid)
            cell.update(name=cell_name(spec, cid), label=spec.cell_words(cid), r=c.row, c=c.col,  # its name to a screen reader; arrow keys
                        total=cid in sums, sum=" ".join(cell_name(spec, x) for x in sums.get(cid, ())),
                        step="1" if field.kind in ("count", "signed") else "any", place=path)
            # the input as the page writes it when no message is on it, made once (a save's page has
            # some 600 of them): ``before`` its value, ``after`` it (the form page joins them as the
            # cell's ``html``; report.html writes a cell with a message itself)
            cell["before"] = Markup('<td><input id="{0}" name="{0}" value="').format(cell["name"])
            cell["after"] = Markup('"\naria-label="{}" data-r="{}" data-c="{}" inputmode="decimal"\n{}\n>\n</td>\n').format(
                cell["label"], c.row, c.col,
                Markup('class="total" data-sum="{}" placeholder="自动"').format(cell["sum"]) if cell["total"] else "")
        else:
            cell["text"] = c.text
            cell["html"] = Markup('<td class="label" rowspan="{}" colspan="{}">{}</td>').format(c.rowspan, c.colspan, c.text)
        grid[c.row].append((cid, cell))
    return tuple(tuple(row) for row in grid)


def data_from_form(form: dict[str, str], edition: Edition) -> tuple[dict, list[str]]:
    """The data mapping of a submitted form, and what could not be read (each naming the field)."""
    rows = []
    problems: list[str] = []
    for name, value in form.items():
        if not name.startswith("field/"):
            continue
        _, kind, text = name.split("/", 2)
        path = path_of(text)
        if kind in ("lines", "lines-open"):
            rows += [(path, kind, line.rstrip("\r")) for line in value.split("\n")]
        elif kind == "number":
            number = _number(value)
            if number is None and value.strip():
                problems.append(f"{' · '.join(map(str, path))}：应为数字，实际为“{value}”")
            rows.append((path, kind, number))
        else:
            rows.append((path, kind, value))
    data = unflatten(rows)
    for spec in edition.tables:
        cells: dict = {}
        for path, field in spec.fields():
            raw = form.get(cell_name(spec, field.cell), "").strip()
            number = _number(raw)
            if raw and number is None:
                problems.append(f"{spec.title}「{spec.row_label(field.cell[0]) if field.cell[0] else ''}"
                                f"{spec.column_label(field.cell[1])}」：应为数字，实际为“{raw}”")
            cells[field.cell] = number
        table = _drop_none(spec.data_from_cells(cells))
        own = data.get(spec.key) if isinstance(data.get(spec.key), dict) else {}
        data[spec.key] = {**own, **table}
    return data, problems


def _number(text: str):
    import unicodedata

    plain = unicodedata.normalize("NFKC", text or "").strip().replace(",", "")
    if not plain:
        return None
    try:
        number = Decimal(plain)
    except InvalidOperation:
        return None
    if not number.is_finite():
        return None
    return int(number) if "." not in plain and number == number.to_integral_value() else number


def _drop_none(node: dict) -> dict:
    out = {}
    for key, value in node.items():
        if isinstance(value, dict):
            value = _drop_none(value)
            if value:
                out[key] = value
        elif value is not None:
            out[key] = value
    return out


__all__ = ["ZERO_LABEL", "cell_name", "data_from_form", "field_rows", "form_values", "place_label", "table_grid", "zero_name",
           "zero_tables_of"]

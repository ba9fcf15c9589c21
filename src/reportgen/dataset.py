"""The researcher's dataset (``reportgen parse 报告/ --table 数据.csv``): every statutory cell of
every report read, in long form — file, agency, year, edition, table, row, column, value, flag —
and the key figures, one report a row; the reports that could not be read, with why.

A cell that could not be read has no value (not 0) and the flag ``not found``; a key figure whose
cell was not found is empty, so the dataset says what the published table does not. Written as
CSV in UTF-8 with a BOM (Excel opens it as is) with the other tables in files beside it, as an
xlsx workbook with a sheet each (openpyxl), or as parquet where pyarrow is installed.
"""
from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

from .editions import EDITIONS, KEY_FIGURES
from .errors import UsageError
from .extract import cell_name
from .model import K
from .tables.decode import MISSING, READ

COLUMNS = ("file", "agency", "year", "edition", "table", "row", "column", "value", "flag")
FIGURE_COLUMNS = ("file", "agency", "year", "edition", *(name for name, _, _ in KEY_FIGURES), "warnings", "notes")
SUFFIXES = (".csv", ".xlsx", ".parquet")
FAILURE_COLUMNS = ("file", "problem")
SHEETS = ("全部数据", "关键数字", "未能读取")


def loaded_rows(loaded: Any, file: str) -> tuple[list[tuple], tuple]:
    """(long-form rows, key-figure row) of a validated data file (a ``LoadedReport``): every
    cell as given or derived, flagged ``read``."""
    head = (file, loaded.report.agency, loaded.report.year, loaded.edition.id)
    rows, figures = _long_form(head, loaded.edition, lambda spec: loaded.tables[spec.name], lambda spec, cid: READ)
    return rows, (*head, *figures, len(loaded.warnings), "")


def report_rows(result: Any, file: str) -> tuple[list[tuple], tuple]:
    """(long-form rows, key-figure row) of one report read (a ``reading.ParseResult``)."""
    data = result.data
    head = (file, data.get(K.agency), data.get(K.year), result.edition)

    def flag(spec, cid) -> str:
        flags = result.cells.get(spec.key)
        return MISSING if flags is None else flags.get(cell_name(spec, cid), READ)

    rows, figures = _long_form(head, EDITIONS[result.edition], lambda spec: _values(result, spec), flag)
    notes = "；".join(w.message for w in result.warnings)
    return rows, (*head, *figures, len(result.warnings), notes)


def _long_form(head: tuple, edition, values_of, flag_of) -> tuple[list[tuple], tuple]:
    """Every cell of the edition's tables as a row (``head`` first; no value where the flag says
    not found), and the key figures among them."""
    rows: list[tuple] = []
    found: dict[tuple[str, tuple], Any] = {}
    for spec in edition.tables:
        values = values_of(spec)
        for cid in spec.cell_ids():
            flag = flag_of(spec, cid)
            value = None if flag == MISSING else values.get(cid)
            row, column = cid
            if not row and "." in column:  # table 四: one row of blocks
                row, column = column.split(".", 1)
            rows.append((*head, spec.key, row, column, value, flag))
            found[(spec.name, cid)] = value
    return rows, tuple(found.get((table, cid)) for _, table, cid in KEY_FIGURES)


def _values(result: Any, spec) -> dict:
    if result.loaded is not None:
        return dict(result.loaded.tables.get(spec.name, {}))
    try:  # data that do not validate: the cells as read
        return dict(spec.cells_from_data(result.data.get(spec.key) or {}))
    except (TypeError, ValueError, AttributeError, KeyError):
        return {}


def report_record(result: Any, file: str) -> dict:
    """One report read, as ``parse --json`` gives it: what was read, how every cell was found,
    the key figures, the warnings and what was set apart as page furniture."""
    rows, figure = report_rows(result, file)
    return {
        "file": file, "format": result.format, "edition": result.edition, "script": result.script,
        "valid": result.valid, "data": _jsonable(result.data),
        "key_figures": {name: _plain(v) for (name, _, _), v in zip(KEY_FIGURES, figure[4:4 + len(KEY_FIGURES)])},
        "cells": [dict(zip(COLUMNS[4:], (*row[4:7], _plain(row[7]), row[8]))) for row in rows],
        "warnings": [{"message": w.message, "place": ".".join(map(str, w.path)), "code": w.code} for w in result.warnings],
        "chrome": list(result.chrome),
    }


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return _plain(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


# --- writing ------------------------------------------------------------------------------

def check_target(path: str) -> None:
    """A usage error for a target this module cannot write, before any report is read."""
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        raise UsageError(f"--table 的文件应以 {'、'.join(SUFFIXES)} 结尾：{path}")
    if suffix == ".parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise UsageError("写 .parquet 需要 pyarrow：pip install pyarrow（或改用 .csv、.xlsx）") from None


def beside(path: Path, sheet: str) -> Path:
    """Where a CSV or parquet dataset's other tables go: ``数据_关键数字.csv`` beside ``数据.csv``."""
    return path.with_name(f"{path.stem}_{sheet}{path.suffix}")


def encode(path: Path, rows: list[tuple], figures: list[tuple], failures: list[tuple]) -> dict[Path, bytes]:
    """The files of the dataset, {path: bytes}: the cells, the key figures of the reports read
    and, when some could not be read, which and why (a sheet, or a file beside the others)."""
    tables = [(COLUMNS, rows), (FIGURE_COLUMNS, figures)] + ([(FAILURE_COLUMNS, failures)] if failures else [])
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return {path: _xlsx([(sheet, columns, content) for sheet, (columns, content) in zip(SHEETS, tables)])}
    write = _csv if suffix == ".csv" else _parquet
    return {path if k == 0 else beside(path, SHEETS[k]): write(columns, content)
            for k, (columns, content) in enumerate(tables)}


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _csv(columns: tuple, rows: list[tuple]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows(["" if v is None else _plain(v) for v in row] for row in rows)
    return out.getvalue().encode("utf-8-sig")


def _xlsx(sheets: list[tuple[str, tuple, list[tuple]]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for title, columns, rows in sheets:
        sheet = book.create_sheet(title)
        sheet.freeze_panes = "A2"
        sheet.append(list(columns))
        for row in rows:
            sheet.append([_plain(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _parquet(columns: tuple, rows: list[tuple]) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    numeric = {"value", "year", "warnings", *(name for name, _, _ in KEY_FIGURES)}
    arrays = []
    for k, name in enumerate(columns):
        values = [_plain(row[k]) for row in rows]
        if name == "year" or name == "warnings":
            arrays.append(pa.array(values, pa.int64()))
        elif name in numeric:
            arrays.append(pa.array([None if v is None else float(v) for v in values], pa.float64()))
        else:
            arrays.append(pa.array([None if v is None else str(v) for v in values], pa.string()))
    out = io.BytesIO()
    pq.write_table(pa.table(arrays, names=list(columns)), out)
    return out.getvalue()


__all__ = ["COLUMNS", "FAILURE_COLUMNS", "FIGURE_COLUMNS", "KEY_FIGURES", "SHEETS", "beside", "check_target", "encode",
           "loaded_rows", "report_record", "report_rows"]

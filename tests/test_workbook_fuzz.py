"""Fuzz of the 填报 workbook (issue #20): any value cell of any table, of either tabular edition,
given a decimal, a negative, text, a date, a formula, a huge number, nothing or TRUE, gives a
message naming that cell (or is read), never an internal error or a traceback."""
from __future__ import annotations

import datetime

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings, strategies as st
from openpyxl import load_workbook

from conftest import ROOT
from reportgen.cli import main
from reportgen.editions import EDITIONS
from reportgen.errors import ReportgenError, ValidationFailed
from reportgen.loader import load_report
from reportgen.tables.spec import BOUNDS
from reportgen.workbook import TOP, sheet_name

BAD = {
    "decimal": 7.5, "negative": -3, "text": "三件", "date": datetime.datetime(2024, 1, 5), "formula": "=1+1",
    "huge": 10 ** 15, "empty": None, "true": True,
}
EXAMPLES = {"2021": "report-2021.yaml", "2019": "seed-004-2019-edition-2020.yaml"}


def _value_cells(edition: str) -> list[tuple[str, str, bool]]:
    """(sheet, address, whether the cell may hold decimals — an amount) of every value cell."""
    from openpyxl.utils import get_column_letter
    return [(sheet_name(spec), f"{get_column_letter(c.col + 1)}{c.row + TOP}",
             BOUNDS[spec.field_for(c.text)[1].kind].places > 0)
            for spec in EDITIONS[edition].tables for c in spec._plan.cells if c.role == "value"]


CELLS = [(e, sheet, address, amount) for e in EXAMPLES for sheet, address, amount in _value_cells(e)]


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    out = {}
    for edition, example in EXAMPLES.items():
        target = tmp_path_factory.mktemp(edition) / f"{edition}.xlsx"
        result = CliRunner().invoke(main, ["convert", str(ROOT / "examples" / example), "-o", str(target)])
        assert result.exit_code == 0, result.output
        out[edition] = target
    return out


def _with(book_path, sheet: str, address: str, value, path) -> str:
    book = load_workbook(book_path)
    book[sheet][address] = value
    book.save(path)
    return str(path)


def _messages(error: ReportgenError) -> list[str]:
    if isinstance(error, ValidationFailed):
        return [str(p) for p in error.problems]
    return [str(error)]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cell=st.sampled_from(CELLS), kind=st.sampled_from(sorted(BAD)))
def test_any_bad_value_in_any_cell_names_the_cell(books, tmp_path, cell, kind):
    edition, sheet, address, amount = cell
    path = _with(books[edition], sheet, address, BAD[kind], tmp_path / "f.xlsx")
    try:
        load_report(path)
    except ReportgenError as error:
        assert any(f"{sheet}!{address}" in m for m in _messages(error)), (kind, _messages(error))
    else:  # read: only what the cell may hold (nothing or a formula in a total left to compute, an amount's decimals)
        assert kind in ("empty", "formula") or (amount and kind == "decimal"), kind


@pytest.mark.parametrize("kind", sorted(BAD))
def test_the_command_line_gives_a_message_not_an_internal_error(books, tmp_path, kind):
    """One cell a table (the first value cell of 表三) through `reportgen validate`."""
    sheet, address = next((s, a) for e, s, a, _ in CELLS if e == "2021" and s == "表三")
    path = _with(books["2021"], sheet, address, BAD[kind], tmp_path / "f.xlsx")
    result = CliRunner().invoke(main, ["validate", path])
    assert "内部错误" not in result.output and "Traceback" not in result.output
    assert result.exit_code == 1 and f"{sheet}!{address}" in result.output, result.output

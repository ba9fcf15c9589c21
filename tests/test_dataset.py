"""``reportgen parse DIR --table`` (issue #12): every cell of every report in long form plus the key
figures one report a row — CSV with a BOM that pandas and Excel open with the right types, xlsx
with two sheets, parquet where pyarrow is installed; figures the reading could not decide are
empty, never 0; a report that cannot be read is a row saying why."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from reportgen.cli import main
from reportgen.dataset import COLUMNS, FIGURE_COLUMNS, KEY_FIGURES, SHEETS
from reportgen.editions import EDITIONS

CORPUS = Path(__file__).parent / "fixtures" / "corpus"
EXPECTED = json.loads((CORPUS / "expected.json").read_text("utf-8"))
FIGURES = [name for name, _, _ in KEY_FIGURES]


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    folder = tmp_path_factory.mktemp("reports")
    for name in EXPECTED:
        if not name.startswith("_"):
            shutil.copy(CORPUS / name, folder / name)
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    return folder


def _run(*args):
    result = CliRunner().invoke(main, ["parse", *map(str, args)])
    return result


def _expected_figures(frame):
    for name, want in EXPECTED.items():
        if name.startswith("_"):
            continue
        row = frame[frame["file"].str.endswith(name)].iloc[0]
        assert row["year"] == want["year"] and str(row["edition"]) == want["edition"]  # 2019, 2021: read as numbers
        got = [None if row[f] != row[f] else int(row[f]) for f in FIGURES]  # NaN → None
        assert got == want["values"], name


def test_csv_opens_in_pandas_with_right_types_and_key_figures_equal_expected(reports, tmp_path):
    pd = pytest.importorskip("pandas")
    target = tmp_path / "数据.csv"
    result = _run(reports, "--table", target)
    assert result.exit_code == 1  # the broken file
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with a BOM
    cells = pd.read_csv(target)
    assert tuple(cells.columns) == COLUMNS
    assert str(cells["value"].dtype) in ("int64", "float64") and str(cells["year"].dtype) == "int64"
    assert set(cells["flag"]) <= {"read", "blank", "decoded", "inferred", "not found"}
    # a cell not found has no value
    assert cells[cells["flag"] == "not found"]["value"].isna().all()
    assert not any((tmp_path / n).exists() for n in ("017_pingtan-transport-construction-bureau-2019.yaml",))
    figures = pd.read_csv(tmp_path / "数据_关键数字.csv")
    assert tuple(figures.columns) == FIGURE_COLUMNS
    _expected_figures(figures)
    assert str(figures["year"].dtype) == "int64" and str(figures["本年新收总计"].dtype) == "int64"
    failed = pd.read_csv(tmp_path / "数据_未能读取.csv")
    assert len(failed) == 1 and failed["file"][0].endswith("broken.pdf") and "损坏" in failed["problem"][0]
    # the PDF's table 三 row by row
    pdf = cells[cells["file"].str.endswith("052_huaian-city-2024.pdf")]
    row = pdf[(pdf["row"] == "本年新收") & (pdf["column"] == "自然人")].iloc[0]
    assert row["value"] == 3001 and row["flag"] == "read" and row["table"] == "收到和处理政府信息公开申请情况"
    review = pdf[(pdf["row"] == "复议后起诉") & (pdf["column"] == "总计")].iloc[0]
    assert review["value"] == 20


def test_xlsx_has_the_cells_and_the_key_figures_sheets(reports, tmp_path):
    from openpyxl import load_workbook

    target = tmp_path / "数据.xlsx"
    _run(reports, "--table", target)
    book = load_workbook(target, read_only=True)
    assert book.sheetnames == list(SHEETS)
    rows = list(book[SHEETS[1]].iter_rows(values_only=True))
    assert rows[0] == FIGURE_COLUMNS
    huaian = next(r for r in rows if r[0].endswith("052_huaian-city-2024.pdf"))
    assert list(huaian[4:11]) == EXPECTED["052_huaian-city-2024.pdf"]["values"]
    cells = list(book[SHEETS[0]].iter_rows(values_only=True))
    per_edition = {name: sum(len(spec.cell_ids()) for spec in EDITIONS[name].tables) for name in ("2019", "2021")}
    assert cells[0] == COLUMNS and len(cells) == 1 + sum(per_edition[EXPECTED[n]["edition"]] for n in EXPECTED
                                                        if not n.startswith("_"))
    assert [r[0] for r in book[SHEETS[2]].iter_rows(values_only=True)][1:] == [str(reports / "broken.pdf")]


def test_parquet_where_pyarrow_is_installed(reports, tmp_path):
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    target = tmp_path / "d.parquet"
    _run(reports, "--table", target)
    figures = pd.read_parquet(tmp_path / "d_关键数字.parquet")
    _expected_figures(figures)
    assert str(pd.read_parquet(target)["value"].dtype) == "float64"


def test_table_target_is_checked_before_any_report_is_read(reports, tmp_path):
    result = _run(reports, "--table", tmp_path / "x.json")
    assert result.exit_code == 2 and ".csv" in result.output
    existing = tmp_path / "mine.csv"
    existing.write_text("my own work", "utf-8")
    result = _run(reports, "--table", existing)
    assert result.exit_code != 0 and existing.read_text("utf-8") == "my own work"


def test_parse_json_says_how_every_cell_was_found(tmp_path):
    result = _run(CORPUS / "035_pingtan-social-affairs-bureau-2024.txt", CORPUS / "052_huaian-city-2024.pdf", "--json")
    assert result.exit_code == 0
    records = json.loads(result.stdout)
    assert [Path(r["file"]).name for r in records] == ["035_pingtan-social-affairs-bureau-2024.txt",
                                                      "052_huaian-city-2024.pdf"]
    crawled, pdf = records
    assert crawled["key_figures"]["复议后起诉总计"] is None  # the page breaks its own arithmetic there
    flags = {(c["row"], c["column"]): c["flag"] for c in crawled["cells"]}
    assert flags[("复议后起诉", "总计")] == "not found" and flags[("本年新收", "总计")] == "decoded"
    assert any(w["code"] for w in crawled["warnings"])
    assert pdf["format"] == "pdf" and pdf["key_figures"]["本年新收总计"] == 3119 and pdf["valid"]
    assert {c["flag"] for c in pdf["cells"]} == {"read"}
    assert pdf["data"]["机关名称"] == "淮安市人民政府"
    assert not list(tmp_path.iterdir())  # no data file written without -o

"""aggregate: three units rolled up equal the sums computed independently here, the summary
validates, and what cannot be rolled up is refused with the file named."""
from __future__ import annotations

import copy

import pytest
from click.testing import CliRunner

from conftest import ROOT
from reportgen.aggregate import AggregateError, aggregate
from reportgen.cli import main
from reportgen.compose import compose
from reportgen.errors import ValidationFailed
from reportgen.loader import load_report

T3 = "收到和处理政府信息公开申请情况"


def _units(data, write_yaml):
    """Three units: the example, and two with scaled numbers (k × every count keeps every rule)."""
    paths = []
    for i, (name, k) in enumerate((("云溪市市场监督管理局", 1), ("云溪市教育局", 2), ("云溪市卫生健康委员会", 3))):
        unit = copy.deepcopy(data)
        unit["机关名称"] = name

        def scale(v):
            if isinstance(v, dict):
                return {key: scale(x) for key, x in v.items()}
            return v * k if isinstance(v, int) and not isinstance(v, bool) else v

        for key in (T3, "政府信息公开行政复议、行政诉讼情况", "主动公开政府信息情况"):
            unit[key] = scale(unit[key])
        paths.append(write_yaml(unit, f"unit{i}.yaml"))
    return paths


def test_three_units_sum_cell_by_cell(data, write_yaml):
    paths = _units(data, write_yaml)
    units = [load_report(str(p)) for p in paths]
    summary_data, summary = aggregate([str(p) for p in paths], "云溪市人民政府")
    for spec in summary.edition.tables:
        for cid in spec.cell_ids():
            assert summary.cells(spec.name)[cid] == sum(u.cells(spec.name)[cid] for u in units), (spec.name, cid)
    assert summary.cells("applications")[("本年新收", "总计")] == 155 * 6
    assert summary.cells("proactive")[("行政事业性收费", "本年收费金额")] == units[0].cells("proactive")[
        ("行政事业性收费", "本年收费金额")] * 3  # Decimal amounts are not scaled by the helper: summed as given
    assert [u["单位"] for u in summary_data["下级单位"]] == ["云溪市市场监督管理局", "云溪市教育局", "云溪市卫生健康委员会"]
    assert [u["本年新收"] for u in summary_data["下级单位"]] == [155, 310, 465]
    table = [b for b in compose(summary).blocks if getattr(b, "name", "") == "units"][0]
    assert table.n_rows == 5 and [c.text for c in table.cells if c.row == 4][:2] == ["合计", "930"]


def test_cli_writes_a_summary_that_validates(data, write_yaml, tmp_path):
    paths = _units(data, write_yaml)
    out = tmp_path / "summary.yaml"
    result = CliRunner().invoke(main, ["aggregate", *map(str, paths), "-o", str(out), "--agency", "云溪市人民政府"])
    assert result.exit_code == 0, result.output
    loaded = load_report(str(out))
    assert loaded.report.agency == "云溪市人民政府" and len(loaded.report.units) == 3
    assert CliRunner().invoke(main, ["aggregate", *map(str, paths), "-o", str(out)]).exit_code == 1  # exists


def test_mixed_editions_or_years_are_refused(data, write_yaml):
    a = write_yaml(data, "a.yaml")
    other_year = copy.deepcopy(data)
    other_year["报告年度"] = 2022
    with pytest.raises(AggregateError) as info:
        aggregate([str(a), str(write_yaml(other_year, "b.yaml"))])
    assert "报告年度不同" in str(info.value) and "b.yaml" in str(info.value)
    with pytest.raises(AggregateError) as info:
        aggregate([str(a), str(ROOT / "examples" / "seed-004-2019-edition-2020.yaml")])
    assert "版式不同" in str(info.value)
    with pytest.raises(AggregateError):
        aggregate([str(a), str(a)])  # the same unit twice would count twice


def test_a_unit_that_fails_validation_is_named_and_stops(data, write_yaml):
    good = write_yaml(data, "good.yaml")
    broken = copy.deepcopy(data)
    broken["机关名称"] = "云溪市教育局"
    broken[T3]["本年新收"]["总计"] = 1
    bad = write_yaml(broken, "bad.yaml")
    with pytest.raises(ValidationFailed) as info:
        aggregate([str(good), str(bad)])
    assert "bad.yaml" in str(info.value) and "汇总已停止" in str(info.value)


def test_a_roll_up_done_again_takes_the_new_figures_and_keeps_the_offices_text(data, write_yaml):
    from reportgen.aggregate import figures_into

    paths = _units(data, write_yaml)
    first, summary = aggregate([str(p) for p in paths[:2]], "云溪市人民政府")
    edited = copy.deepcopy(first)
    edited["概述"] = {"总体情况": ["本市政务公开工作稳步推进。"]}
    edited["存在的主要问题及改进情况"] = ["本市的问题与改进。"]
    fresh, _ = aggregate([str(p) for p in paths], "云溪市人民政府")
    merged = figures_into(edited, fresh, summary.edition)
    assert merged["概述"] == edited["概述"] and merged["存在的主要问题及改进情况"] == ["本市的问题与改进。"]
    assert merged[T3] == fresh[T3] and merged["下级单位"] == fresh["下级单位"]
    assert len(merged["下级单位"]) == 3
    assert figures_into(dict(edited, 报告年度=2019), fresh, summary.edition) is fresh  # another year: nothing kept

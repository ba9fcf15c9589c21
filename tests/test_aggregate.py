"""aggregate: units rolled up equal the sums computed independently here — the old way, every
unit loaded and kept, then summed — cell by cell, on the command line with and without worker
processes and in memory (the server's way); the summary validates; every unit that cannot be
rolled up is named, all at once, and nothing is written; the fast reading of a plain data file
gives the very data of the careful one and leaves everything unusual to it; memory stays flat."""
from __future__ import annotations

import copy
import os
import subprocess
import sys
from decimal import Decimal

import pytest
from click.testing import CliRunner

from conftest import ROOT, dump_yaml
from reportgen.aggregate import AggregateError, aggregate, aggregate_loaded, unit_figures
from reportgen.cli import main
from reportgen.compose import compose
from reportgen.errors import InputError
from reportgen.loader import known_keys, load_report
from reportgen.yamlio import load_file, load_plain

sys.path.insert(0, str(ROOT / "bench"))
from bench_aggregate import make_units  # noqa: E402 - the benchmark's random valid units

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


def _exact(v):
    """A value with its type and its digits as written (Decimal('356.40') is not 356.4)."""
    return type(v).__name__, str(v)


def _old_way(paths):
    """The sums the old roll-up made: every unit loaded and kept, then each cell summed, the
    totals included (a total of the sum is the sum of the totals); the fees; the appendix."""
    units = [load_report(str(p)) for p in paths]
    edition = units[0].edition
    cells = {}
    for spec in edition.tables:
        for cid in spec.cell_ids():
            values = [u.cells(spec.name)[cid] or 0 for u in units]
            cells[(spec.name, cid)] = sum(values, Decimal(0)) if any(isinstance(v, Decimal) for v in values) \
                else sum(values)
    fees = {}
    for section in edition.sections:
        if section.values is not None:
            stated = [getattr(u.report, section.attr).fees for u in units]
            for c in section.values.children:
                fees[c.key] = sum((getattr(f, c.en) for f in stated), Decimal(0) if c.kind != "count" else 0)
    return units, cells, fees, [unit_figures(u) for u in units]


def _assert_same_as_old_way(data, summary, paths):
    units, cells, fees, rows = _old_way(paths)
    for spec in summary.edition.tables:
        for cid in spec.cell_ids():
            assert _exact(summary.cells(spec.name)[cid]) == _exact(cells[(spec.name, cid)]), (spec.name, cid)
    section = next(s for s in summary.edition.sections if s.values is not None)
    written = data[section.key][section.values.key]
    assert {k: _exact(v) for k, v in written.items()} == {k: _exact(v) for k, v in fees.items()}
    assert data["下级单位"] == rows
    assert len(rows) == len(paths) and summary.report.year == units[0].report.year


@pytest.fixture(scope="module")
def fifty(tmp_path_factory):
    """50 random valid units (bench_aggregate's generator): 47 YAML files, 3 workbooks."""
    root = tmp_path_factory.mktemp("fifty")
    return make_units(50, root / "units", seed=7, xlsx=3)


def test_fifty_random_units_streamed_equal_the_old_way_every_cell(fifty):
    data, summary = aggregate([str(p) for p in fifty], "云溪市人民政府")
    _assert_same_as_old_way(data, summary, fifty)
    assert summary.report.agency == "云溪市人民政府" and "50个单位" in data["总体情况"]["概述"][0]


def test_workers_and_the_servers_in_memory_roll_up_give_the_same_data(fifty):
    one, _ = aggregate([str(p) for p in fifty], "云溪市人民政府", jobs=1)
    two, _ = aggregate([str(p) for p in fifty], "云溪市人民政府", jobs=2)
    loaded, _ = aggregate_loaded([load_report(str(p)) for p in fifty], "云溪市人民政府")
    assert one == two == loaded
    assert dump_yaml(one) == dump_yaml(two) == dump_yaml(loaded)  # the numbers' digits too


def test_cli_with_workers_writes_the_same_summary(fifty, tmp_path):
    outs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"汇总{jobs}.yaml"
        result = CliRunner().invoke(main, ["aggregate", str(fifty[0].parent.parent), "-o", str(out),
                                           "--agency", "云溪市人民政府", "-j", jobs])
        assert result.exit_code == 0, result.output
        assert "已汇总 50 个单位" in result.output
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
    loaded = load_report(str(tmp_path / "汇总1.yaml"))
    _assert_same_as_old_way(load_file(str(tmp_path / "汇总1.yaml"))[0], loaded, fifty)


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
    assert str(summary.cells("proactive")[("行政事业性收费", "本年收费金额")]) == "1069.20"
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
    again = CliRunner().invoke(main, ["aggregate", *map(str, paths), "-o", str(out)])
    assert again.exit_code == 1 and "已存在" in again.output  # never replaced unasked


def _refused(paths, tmp_path):
    """The command line's refusal: exit 1, the message, and no summary written."""
    out = tmp_path / "汇总.yaml"
    result = CliRunner().invoke(main, ["aggregate", *map(str, paths), "-o", str(out), "-j", "1"])
    assert result.exit_code == 1, result.output
    assert not out.exists() and "汇总已停止" in result.output and "Traceback" not in result.output
    return result.output


def test_mixed_years_are_refused_naming_the_odd_units(data, write_yaml, tmp_path):
    paths = _units(data, write_yaml)
    other_year = copy.deepcopy(data)
    other_year["报告年度"] = 2022
    other_year["机关名称"] = "云溪市财政局"
    odd = write_yaml(other_year, "odd-year.yaml")
    with pytest.raises(AggregateError) as info:
        aggregate([str(p) for p in [paths[0], odd, *paths[1:]]])
    message = str(info.value)
    assert "报告年度不同：1 个单位为 2022 年：" in message and "而 3 个单位（如 " in message and "为 2023 年" in message
    assert "odd-year.yaml" in message and "没有写出汇总数据" in message
    assert "odd-year.yaml" in _refused([paths[0], odd, *paths[1:]], tmp_path)


def test_mixed_editions_are_refused(data, write_yaml, tmp_path):
    a = write_yaml(data, "a.yaml")
    other = ROOT / "examples" / "seed-004-2019-edition-2020.yaml"
    with pytest.raises(AggregateError) as info:
        aggregate([str(a), str(other)])
    assert "版式不同" in str(info.value) and "seed-004-2019-edition-2020.yaml" in str(info.value)
    assert "版式不同" in _refused([a, other], tmp_path)


def test_a_free_form_unit_is_refused(data, write_yaml, tmp_path):
    freeform = ROOT / "examples" / "seed-002-freeform-2010.yaml"
    output = _refused([freeform], tmp_path)
    assert "自由格式" in output and "无法汇总" in output and "seed-002-freeform-2010.yaml" in output


def test_a_unit_given_twice_is_refused(data, write_yaml, tmp_path):
    a = write_yaml(data, "a.yaml")
    with pytest.raises(AggregateError) as info:
        aggregate([str(a), str(a)])  # the same unit twice would count twice
    assert "同一单位出现了不止一次" in str(info.value)
    traditional = copy.deepcopy(data)
    traditional["机关名称"] = "雲溪市市場監督管理局"  # the same unit, written in Traditional script
    b = write_yaml(traditional, "b.yaml")
    output = _refused([a, b], tmp_path)
    assert "同一单位出现了不止一次" in output and "b.yaml" in output


def test_a_unit_that_fails_validation_is_named_with_its_line_and_stops(data, write_yaml, tmp_path):
    good = write_yaml(data, "good.yaml")
    broken = copy.deepcopy(data)
    broken["机关名称"] = "云溪市教育局"
    broken[T3]["本年新收"]["总计"] = 1
    bad = write_yaml(broken, "bad.yaml")
    with pytest.raises(AggregateError) as info:
        aggregate([str(good), str(bad)])
    text = str(info.value)
    line = next(n for n, t in enumerate(bad.read_text("utf-8").splitlines(), 1) if t.strip().startswith("总计: 1"))
    assert f"bad.yaml:{line}: 错误" in text  # the fast reading gave way to the one that places problems
    assert "单位数据文件" in text and "未通过校验" in text and "汇总已停止" in text
    assert "good.yaml" not in text


def test_every_unit_that_stops_the_roll_up_is_named_at_once(data, write_yaml, tmp_path):
    paths = _units(data, write_yaml)
    broken = copy.deepcopy(data)
    broken["机关名称"] = "云溪市交通运输局"
    broken[T3]["本年新收"]["自然人"] = -1
    invalid = write_yaml(broken, "invalid.yaml")
    unreadable = write_yaml("机关名称: 云溪市水利局\n报告年度：2023\n  版式: '2021'\n", "unreadable.yaml")
    late = copy.deepcopy(data)
    late["机关名称"] = "云溪市财政局"
    late["报告年度"] = 2022
    odd = write_yaml(late, "odd.yaml")
    again = write_yaml(paths[0].read_text("utf-8"), "unit0-again.yaml")
    output = _refused([paths[0], invalid, paths[1], unreadable, odd, paths[2], again], tmp_path)
    for name in ("invalid.yaml", "unreadable.yaml", "odd.yaml", "unit0-again.yaml"):
        assert name in output, name
    assert "不能为负数" in output and "unreadable.yaml:2" in output and "无法读取" in output and "报告年度不同" in output
    assert "同一单位出现了不止一次" in output and "共 7 个单位" in output


def test_no_units_is_refused(tmp_path):
    with pytest.raises(AggregateError):
        aggregate([])
    with pytest.raises(AggregateError):
        aggregate_loaded([])


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


# --- the fast reading of a plain data file ---------------------------------------------------

@pytest.mark.parametrize("name", sorted(p.name for p in (ROOT / "examples").glob("*.yaml")))
def test_the_fast_reading_gives_the_data_of_the_careful_one(name):
    path = str(ROOT / "examples" / name)
    plain = load_plain(path, known_keys())
    assert plain is not None
    assert dump_yaml(plain) == dump_yaml(load_file(path, known_keys())[0])


def test_the_fast_reading_gives_the_data_of_a_gbk_file_with_odd_values(tmp_path):
    text = ("机關名稱: 雲溪市財政局\n报告年度: 2023\n金额: 12.30\n大数: 1_000\n日期: 2024-13-45\n真: yes\n"
            "空:\n'2023': 年\n8: 八\n列表:\n  - 0x10\n  - ~\n  - '007'\n  - 1.5e3\n")
    path = tmp_path / "gbk.yaml"
    path.write_bytes(text.encode("gb18030"))
    careful = load_file(str(path), known_keys())[0]
    assert dump_yaml(load_plain(str(path), known_keys())) == dump_yaml(careful)
    assert careful["金额"] == Decimal("12.30") and str(careful["金额"]) == "12.30"


@pytest.mark.parametrize("text", [
    "a: 1\na: 2\n",                                    # a duplicate key
    "base: &b {x: 1}\nother:\n  <<: *b\n",             # a merge key
    "a: &x [1, 2]\nb: *x\n" + "c: " + "[" * 70 + "]" * 70 + "\n",  # nesting too deep
    "a: 1\n---\nb: 2\n",                               # two documents
    "机关名称：云溪市\n报告年度: 2023\n",                 # a full-width colon YAML reads as text
    "报告年度: 2023\n机关名称:云溪市\n",                  # no space after the colon
    "a:\n\t- 1\n",                                     # a tab
    "? [a, b]\n: 1\n",                                 # a key that is not text
    "a: !!set {x, y}\n",                               # a special collection
    "n: " + "9" * 80 + "\n",                           # a number longer than any value
    "",                                                # nothing
])
def test_the_fast_reading_leaves_anything_unusual_to_the_careful_one(text, tmp_path):
    path = tmp_path / "odd.yaml"
    path.write_text(text, "utf-8")
    assert load_plain(str(path), known_keys()) is None
    try:
        load_file(str(path), known_keys())
    except InputError as e:
        assert e.message  # the careful reading explains it
    else:
        assert "!!set" in text  # read (as a mapping) without complaint: validation then judges it


def test_an_alias_bomb_is_bounded(tmp_path):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, "
              f"*a{i - 1}, *a{i - 1}]" for i in range(1, 9)]
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    assert load_plain(str(path), known_keys()) is None
    with pytest.raises(InputError, match="别名炸弹"):
        load_file(str(path))


# --- memory ------------------------------------------------------------------------------------

_PEAK = """
import atexit, runpy, sys

def peak():  # this process's own high-water mark (VmHWM is not inherited from the forking parent)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            sys.stderr.write("peak-kb " + line.split()[1] + "\\n")

atexit.register(peak)
sys.argv[0] = "reportgen"
runpy.run_module("reportgen", run_name="__main__")
"""


def test_memory_stays_flat_as_units_are_streamed(tmp_path):
    """600 units in one process: the old roll-up kept every loaded unit (and the YAML reader
    every node it had read), about 0.25 MB a unit; streamed, the process stays small."""
    make_units(600, tmp_path / "units", seed=3)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    run = subprocess.run([sys.executable, "-c", _PEAK, "aggregate", str(tmp_path / "units"), "-o",
                          str(tmp_path / "汇总.yaml"), "-j", "1"], capture_output=True, text=True, env=env, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "已汇总 600 个单位" in run.stdout
    peak_mb = int(run.stderr.split("peak-kb ")[1].split()[0]) / 1024
    assert peak_mb < 110, f"peak {peak_mb:.0f} MB"

"""A later edition of the format, declared here and nowhere else: a fictional 2027 format that
renames one section heading, adds one row to table 三 (counted in （七）总计), and drops the
信息处理费 statement. Render (docx, txt, html, md), read back each, validate, check, schema,
init's scaffold, init --from a 2026 report and aggregate all work for it, with no edit to the
package: the report's shape is declared once."""
from __future__ import annotations

import dataclasses

import pytest
from click.testing import CliRunner

from conftest import EXAMPLE
from reportgen import editions
from reportgen.check import check_file
from reportgen.cli import main
from reportgen.compose import compose
from reportgen.editions import Edition
from reportgen.loader import load_report, validate_data
from reportgen.reading import parse_bytes
from reportgen.render import render_loaded
from reportgen.schema import json_schema
from reportgen.scaffold import scaffold
from reportgen.tables import edition2021
from reportgen.tables.spec import MatrixTable, SumRule, leaves, node
from reportgen.yamlio import load_yaml

NEW_ROW = node("（七）转交其他机关办理", "转交其他机关", "transferred")
T3 = "收到和处理政府信息公开申请情况"


def _applications() -> MatrixTable:
    """Table 三 of 2021 with （七）转交其他机关办理 before the total (now （八）总计)."""
    base = edition2021.APPLICATIONS
    new_rows, results, other = base.rows[:2], base.rows[2], base.rows[3:]
    children = results.children[:-1] + (NEW_ROW, node("（八）总计", "总计", "total", total=True))
    results = dataclasses.replace(results, children=children)
    detail = tuple("办理结果." + rid for rid, _ in leaves(children) if rid != "总计")
    rules = (base.rules[0], SumRule(("办理结果.总计",), detail, "rows", name="（八）总计"), base.rules[2])
    return dataclasses.replace(base, rows=(*new_rows, results, *other), rules=rules)


def _edition() -> Edition:
    e2021 = editions.EDITIONS["2021"]
    sections = []
    for s in e2021.sections:
        if s.attr == "problems":
            s = dataclasses.replace(s, heading="五、存在的主要问题及改进措施")
        elif s.attr == "applications":
            s = dataclasses.replace(s, table=_applications())
        elif s.attr == "other":
            s = dataclasses.replace(s, values=None, sentences=tuple(x for x in s.sentences if x.name == "nothing"))
        sections.append(s)
    return Edition("2027", "中华人民共和国政府信息公开工作年度报告格式（2027）", "国办公开办函〔2027〕1号", 2027, None,
                   "2021/report.j2", tuple(sections), names=("2027",), fee_statement=False, carry=e2021.carry,
                   deadlines=e2021.deadlines)


@pytest.fixture
def edition2027():
    ed = editions.register(_edition())
    yield ed
    editions.unregister("2027")


def _data(example_data, k: int = 1, transferred: int = 2, year: int = 2027) -> dict:
    """The example as a 2027 report: every count × k, two requests transferred (so 结转下年度
    shrinks to keep 一 + 二 = 三 + 四), no 信息处理费 statement."""
    import copy

    data = copy.deepcopy(example_data)
    data.pop("版式")
    data.pop("发布日期", None)
    data["报告年度"] = year
    data["发布信息"] = {k2: v for k2, v in data["发布信息"].items() if "日期" not in k2}
    t3 = data[T3]

    def scale(v):
        return {key: scale(x) for key, x in v.items()} if isinstance(v, dict) else \
            [scale(x) for x in v] if isinstance(v, list) else v * k if isinstance(v, int) else v

    data[T3] = t3 = scale(t3)
    t3["办理结果"]["转交其他机关"] = {"自然人": transferred, "商业企业": 0, "科研机构": 0, "社会公益组织": 0,
                                "法律服务机构": 0, "其他": 0}
    t3["办理结果"].pop("总计", None)
    t3["结转下年度"]["自然人"] -= transferred
    t3["结转下年度"].pop("总计", None)
    for key in ("本年新收", "上年结转"):
        t3[key].pop("总计", None) if isinstance(t3[key], dict) else None
    data["其他需要报告的事项"] = {"其他事项": data["其他需要报告的事项"].get("其他事项", [])} or {}
    return data


def test_the_new_edition_is_taken_by_its_year(edition2027):
    assert editions.edition_for_year(2027) == "2027" and editions.edition_for_year(2026) == "2021"


def test_validate_and_compose(edition2027, example_data):
    loaded = validate_data(_data(example_data))
    assert loaded.edition is edition2027 and not [w for w in loaded.warnings if w.code == "fee-statement"]
    cells = loaded.cells("applications")
    assert cells[("办理结果.转交其他机关", "自然人")] == 2
    assert cells[("办理结果.总计", "总计")] == load_report(str(EXAMPLE)).cells("applications")[("办理结果.总计", "总计")] + 2
    doc = compose(loaded)
    headings = [b.text for b in doc.blocks if type(b).__name__ == "Heading" and b.level == 1]
    assert "五、存在的主要问题及改进措施" in headings
    labels = [c.text for b in doc.blocks if getattr(b, "name", "") == "applications" for c in b.cells]
    assert "（七）转交其他机关办理" in labels and "（八）总计" in labels
    assert not any("信息处理费" in getattr(b, "text", "") for b in doc.blocks)
    bad = _data(example_data)
    bad[T3]["办理结果"]["转交其他机关"]["自然人"] = 3
    with pytest.raises(Exception) as info:
        validate_data(bad)
    assert "勾稽关系不符" in str(info.value)


@pytest.mark.parametrize("fmt", ["txt", "docx", "html", "md"])
def test_render_and_read_back(edition2027, example_data, fmt):
    original = validate_data(_data(example_data))
    blob = render_loaded(original, [fmt])[fmt]
    result = parse_bytes(blob, fmt, f"r.{fmt}")
    assert result.edition == "2027" and result.valid, result.warnings
    parsed = validate_data(result.data)
    for spec in original.edition.tables:
        assert parsed.cells(spec.name) == original.cells(spec.name), spec.name
    assert compose(parsed).blocks == compose(original).blocks


def test_check_schema_and_scaffold(edition2027, example_data, write_yaml, tmp_path):
    path = write_yaml(_data(example_data))
    result = check_file(str(path))
    assert result.edition == "2027" and [f for f in result.findings if f.severity == "error"] == []
    schema = json_schema("2027")
    assert "转交其他机关" in str(schema) and "信息处理费" not in schema["$defs"]["Other"]["properties"]
    scaffolded = scaffold("2027", "某县财政局", 2027)
    assert "转交其他机关" in scaffolded and "信息处理费" not in scaffolded and "# （七）转交其他机关办理" in scaffolded
    data, lines = load_yaml(scaffolded, "new.yaml")
    loaded = validate_data(data, lines, "new.yaml")
    assert loaded.edition is edition2027 and all(w.code == "placeholder" for w in loaded.warnings)


def test_init_from_a_2026_report(edition2027, example_data, write_yaml, tmp_path):
    import copy

    last = copy.deepcopy(example_data)
    last["报告年度"] = 2026
    last.pop("版式")
    last.pop("发布日期")
    last["发布信息"] = {k: v for k, v in last["发布信息"].items() if "日期" not in k}
    previous = write_yaml(last, "2026.yaml")
    target = tmp_path / "2027.yaml"
    result = CliRunner().invoke(main, ["init", "--from", str(previous), "-o", str(target)])
    assert result.exit_code == 0, result.output
    new = load_report(str(target))
    assert new.edition is edition2027 and new.report.year == 2027
    carried = [new.cells("applications")[("上年结转", c)] for c in ("自然人", "商业企业", "总计")]
    before = load_report(str(previous)).cells("applications")
    assert carried == [before[("结转下年度", c)] for c in ("自然人", "商业企业", "总计")]
    assert "# （七）转交其他机关办理" in target.read_text("utf-8")


def test_aggregate(edition2027, example_data, write_yaml, tmp_path):
    paths = []
    for k in (1, 2):
        data = _data(example_data, k)
        data["机关名称"] = f"第{k}局"
        paths.append(str(write_yaml(data, f"u{k}.yaml")))
    out = tmp_path / "sum.yaml"
    result = CliRunner().invoke(main, ["aggregate", *paths, "-o", str(out), "--agency", "某县人民政府"])
    assert result.exit_code == 0, result.output
    summary = load_report(str(out))
    assert summary.edition is edition2027
    assert summary.cells("applications")[("办理结果.转交其他机关", "自然人")] == 4
    assert len(summary.report.units) == 2

"""check: one planted fault per rule in otherwise clean reports is found, at the right place,
with the right numbers; clean reports give no findings; the seeds give what a person expects."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from conftest import ROOT
from reportgen.check import check_file
from reportgen.dates import deadline, unit_kind
from reportgen.cli import main
from reportgen.loader import load_report
from reportgen.reading import load_previous

SHAPES = ROOT / "tests" / "fixtures" / "shapes"
SEEDS = ROOT / "seeds"
T3 = "收到和处理政府信息公开申请情况"
T4 = "政府信息公开行政复议、行政诉讼情况"


def findings(path, **kw):
    result = check_file(str(path), **kw)
    return [(f.severity, f.rule, f.place, f.message) for f in result.findings]


@pytest.mark.parametrize("example", ["report-2021.yaml", "seed-004-2019-edition-2020.yaml"])
def test_clean_reports_have_no_findings(example, tmp_path, data):
    if example == "report-2021.yaml":
        assert findings(ROOT / "examples" / example) == []
    else:  # the 2019 seed example lacks section 六 as published: that and nothing else
        assert [f[1] for f in findings(ROOT / "examples" / example)] == ["missing-section"]


def test_clean_published_text_has_no_findings():
    assert findings(SHAPES / "pipe-rows.txt") == []


def test_balance_rule(data, write_yaml):
    data[T3]["结转下年度"]["自然人"] = 10
    data[T3]["结转下年度"]["总计"] = 12
    found = findings(write_yaml(data))
    assert len(found) == 2 and all(f[0] == "error" and f[1] == "balance" for f in found)
    assert found[0][2] == "表三 自然人" and "（126） + 二、上年结转政府信息公开申请数量（7） = 133" in found[0][3]
    assert "（124） + 四、结转下年度继续办理（10） = 134" in found[0][3]


def test_total_column(data, write_yaml):
    data[T3]["本年新收"]["总计"] = 154
    (sev, rule, place, message), = findings(write_yaml(data))
    assert (sev, rule) == ("error", "sum") and place == "表三 “一、本年新收政府信息公开申请数量” 总计"
    assert "154" in message and "155" in message


def test_results_total(data, write_yaml):
    data[T3]["办理结果"]["总计"] = [44, 10, 1, 2, 5, 3, 65]
    found = findings(write_yaml(data))
    assert found and all(f[1] in ("sum", "balance") for f in found) and any("（七）总计" in f[2] for f in found)


def test_table_four_total(data, write_yaml):
    data[T4]["复议后起诉"]["总计"] = 3
    (sev, rule, place, message), = findings(write_yaml(data))
    assert (sev, rule) == ("error", "sum") and "复议后起诉" in place and "3" in message


def test_missing_table_and_section(tmp_path):
    text = (SHAPES / "pipe-rows.txt").read_text("utf-8")
    cut = text[:text.index("四、政府信息公开行政复议")] + text[text.index("五、存在的主要问题"):]
    path = tmp_path / "cut.txt"
    path.write_text(cut, "utf-8")
    found = findings(path)
    assert ("error", "missing-table") in [(f[0], f[1]) for f in found]
    assert any(f[1] == "missing-section" and "四、" in f[3] for f in found)


def test_blank_cells():
    found = findings(SHAPES / "cell-per-line.txt")
    assert [f[2] for f in found if f[1] == "blank"] == [
        "二、主动公开政府信息情况 「规章／本年制发件数」", "二、主动公开政府信息情况 「规章／本年废止件数」",
        "二、主动公开政府信息情况 「规章／现行有效件数」"]


def test_label_of_another_edition(tmp_path):
    text = (SHAPES / "pipe-rows.txt").read_text("utf-8")
    text = text.replace("行政事业性收费 | 356.40 |", "行政事业性收费 | 356.40 |\n政府集中采购 | 3 | 251000 |")
    path = tmp_path / "mixed.txt"
    path.write_text(text, "utf-8")
    found = [f for f in findings(path) if f[1] == "foreign-label"]
    assert len(found) == 1 and "政府集中采购" in found[0][3] and "2019 年版" in found[0][3]


def test_year_in_title(data, write_yaml):
    data["标题"] = "云溪市市场监督管理局2022年政府信息公开工作年度报告"
    (sev, rule, place, message), = findings(write_yaml(data))
    assert (rule, place) == ("year", "标题") and "2022" in message and "2023" in message


@pytest.mark.parametrize("agency,published,late", [
    ("云溪市市场监督管理局", "2024-01-31", None),
    ("云溪市市场监督管理局", "2024-02-15", "晚于法定期限 2024-01-31 15 天"),
    ("云溪市人民政府", "2024-03-15", None),
    ("云溪市人民政府", "2024-04-02", "晚于法定期限 2024-03-31 2 天"),
])
def test_publication_deadline(data, write_yaml, agency, published, late):
    data["机关名称"] = agency
    data["发布日期"] = published
    data["发布信息"].pop("发布机构", None)
    found = [f for f in findings(write_yaml(data)) if f[1] == "deadline"]
    assert [late in f[3] for f in found] == ([True] if late else [])


def test_deadline_rules():
    assert unit_kind("云溪市人民政府") == "government" and unit_kind("云溪市人民政府办公室") == "department"
    assert deadline(2012, "department")[0].isoformat() == "2013-03-31"  # 2008 条例: 3月31日 for every report
    assert deadline(2020, "department")[0].isoformat() == "2021-01-31"
    assert deadline(2020, "government")[0].isoformat() == "2021-03-31"


def test_previous_year_link(data, write_yaml):
    data["报告年度"] = 2024
    data.pop("发布日期")
    data["发布信息"] = {}
    data[T3]["上年结转"] = {"自然人": 8, "商业企业": 2, "科研机构": 0, "社会公益组织": 0, "法律服务机构": 0, "其他": 0}
    data[T3]["本年新收"] = {"自然人": 125, "商业企业": 17, "科研机构": 1, "社会公益组织": 2, "法律服务机构": 5, "其他": 3}
    found = findings(write_yaml(data), previous=load_previous(str(ROOT / "examples" / "report-2021.yaml")))
    links = [f for f in found if f[1] == "link"]
    assert [f[2] for f in links] == ["表三 “二、上年结转政府信息公开申请数量” 自然人", "表三 “二、上年结转政府信息公开申请数量” 总计"]
    assert "为 8" in links[0][3] and "为 9" in links[0][3]


def test_seeds_give_the_findings_a_person_would_expect():
    got = {p.name[:3]: [(f.severity, f.rule) for f in check_file(str(p)).findings] for p in sorted(SEEDS.glob("*.txt"))}
    assert got["000"] == [("warning", "content-item")] * 3                 # no 依申请, 收费, 其他 sections
    assert got["001"] == [("warning", "content-item")]                     # no 其他需要报告的事项
    assert got["002"] == [("warning", "content-item")] * 5 + [("warning", "deadline")]  # 2011-05-13 > 03-31
    assert got["003"] == [("warning", "year")]                             # published 2006-09-07, mid-year
    assert got["004"] == [("warning", "agency"), ("warning", "missing-section")]  # agency inferred; no 六


def test_cli_exit_codes_json_and_fail_on(tmp_path, data, write_yaml):
    clean = ROOT / "examples" / "report-2021.yaml"
    assert CliRunner().invoke(main, ["check", str(clean)]).exit_code == 0
    seed = SEEDS / "000_9cb31c364b703f77.txt"
    assert CliRunner().invoke(main, ["check", str(seed)]).exit_code == 0  # warnings only
    assert CliRunner().invoke(main, ["check", str(seed), "--fail-on", "warning"]).exit_code == 1
    data[T3]["本年新收"]["总计"] = 154
    bad = write_yaml(data)
    result = CliRunner().invoke(main, ["check", str(bad), str(clean), "--json"])
    assert result.exit_code == 1
    out = json.loads(result.stdout)
    assert [r["file"] for r in out] == [str(bad), str(clean)]
    assert out[0]["findings"][0]["rule"] == "sum" and out[1]["findings"] == []
    assert out[0]["findings"][0]["code"] == "sum"  # the stable code of the finding
    garbage = tmp_path / "garbage.docx"
    garbage.write_bytes(b"\x00\x01" * 100)
    result = CliRunner().invoke(main, ["check", str(garbage), str(clean)])
    assert result.exit_code == 2 and "Traceback" not in result.output


@pytest.mark.parametrize("change,code,severity", [
    (lambda d: d.update(报告年度=2023, 標題=None) or d.pop("標題"), None, None),
    (lambda d: d.__setitem__("agency", "另一个局"), "duplicate-key", "error"),
    (lambda d: d.__setitem__("版式", "2019"), "edition", "error"),
    (lambda d: d["其他需要报告的事项"].pop("信息处理费"), "fee-statement", "warning"),
    (lambda d: d.__setitem__("存在的主要问题及改进情况", "【请填写】问题。"), "placeholder", "warning"),
    (lambda d: d.__setitem__("其他需要报告的事项", None), "missing-section", "warning"),
    (lambda d: d.__setitem__("报告年度", "二〇二三"), "invalid", "error"),
    (lambda d: d[T4]["行政复议"].__setitem__("总计", 7), "sum", "error"),
    (lambda d: d[T3]["本年新收"].__setitem__("自然人", 1) or d[T3]["本年新收"].pop("总计"), "balance", "error"),
])
def test_every_finding_carries_its_code(data, write_yaml, change, code, severity):
    """Findings are classified by their code, never by their wording."""
    change(data)
    found = {(f.code, f.severity) for f in check_file(str(write_yaml(data))).findings}
    if code is None:
        assert not found
    else:
        assert (code, severity) in found, found


@pytest.mark.parametrize("closing,late", [("2024年1月20日", None), ("2024年3月20日", "晚于法定期限 2024-01-31 49 天"),
                                          ("2023年12月30日", "结束之前")])
def test_the_closing_date_is_judged_while_filling_in(data, write_yaml, closing, late):
    """A report not yet published (no 发布日期) is judged by its 落款's date, in validate as in check."""
    data.pop("发布日期")
    data["发布信息"] = {}
    data["落款"] = ["云溪市市场监督管理局", closing]
    path = write_yaml(data)
    warned = [w for w in load_report(str(path)).warnings if w.code in ("deadline", "year")]
    found = [f for f in findings(path) if f[1] in ("deadline", "year")]
    if late is None:
        assert warned == [] and found == []
    else:
        assert len(warned) == 1 and late in warned[0].message and warned[0].path == ("落款",)
        assert len(found) == 1 and late in found[0][3]


def test_a_new_report_starts_with_a_closing_before_the_deadline(tmp_path):
    """init gives the 落款 (agency and a January date): nothing to warn about but the placeholders."""
    target = tmp_path / "new.yaml"
    assert CliRunner().invoke(main, ["init", "-o", str(target), "--agency", "云溪市财政局", "--year", "2025"]).exit_code == 0
    loaded = load_report(str(target))
    assert loaded.report.closing == ["云溪市财政局", "2026年1月20日"]
    assert not [w for w in loaded.warnings if w.code in ("deadline", "year")]


def test_previous_with_workers(tmp_path):
    """--previous with -j 2: the workers read last year's report by its path (a report does not pickle)."""
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    for p in (a, b):
        p.write_bytes((ROOT / "examples" / "report-2021.yaml").read_bytes())
    result = CliRunner().invoke(main, ["check", str(a), str(b), "-j", "2", "--previous", str(ROOT / "examples" / "report-2021.yaml")])
    assert "内部错误" not in result.output and result.output.count("上一年度报告的年度是 2023") == 2, result.output

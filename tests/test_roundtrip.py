"""The round-trip property: for generated valid reports of every edition, in every script and
output format, parse(render(data)) gives back the data — every number, every heading and
paragraph, the metadata. 1,300 generated reports in all (hypothesis, derandomised so CI is
repeatable)."""
from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from reportgen.compose import compose
from reportgen.editions import EDITIONS
from reportgen.loader import validate_data
from reportgen.parse import data_yaml, parse_bytes
from reportgen.render import render_loaded
from reportgen.tables.spec import AMOUNT, MONEY, SIGNED
from reportgen.yamlio import load_yaml

# characters for generated text: common hanzi, including ones that differ between
# Traditional variants (说 着 为 台 里 群 发 布), digits and Chinese punctuation
HANZI = "政府信息公开工作年度报告本机关主动依申请办理结果情况说着为台里群发布网站平台建设制度规范服务群众监督考核" \
        "进一步加强完善推进落实数据统计门户专栏解读培训"


def _invertible(text: str) -> bool:
    """Text a Traditional rendering can be read back from: OpenCC's t2s undoes s2t/s2tw/s2hk on
    report wording, but not on every string of characters (着作 → 著作 → 著作)."""
    from reportgen.script import SIMPLIFIED, between, to_simplified

    return all(to_simplified(between(SIMPLIFIED, t)(text), t) == text for t in ("zh-Hant", "zh-TW", "zh-HK"))


TEXT = st.text(alphabet=HANZI + "0123456789", min_size=4, max_size=40).map(lambda s: s + "。").filter(_invertible)
SHORT = st.text(alphabet=HANZI, min_size=2, max_size=12).filter(_invertible)
PARAS = st.lists(TEXT, min_size=1, max_size=3)
AGENCY = st.sampled_from(["云溪市市场监督管理局", "某县财政局", "青山区人民政府办公室", "东湖街道办事处", "省交通运输厅"])
NUMERALS = "一二三四五六七八九十"
HEADING_FORMS = {1: "{}、", 2: "（{}）", 3: "{}.", 4: "（{}）"}


def _number(level: int, i: int) -> str:
    return HEADING_FORMS[level].format(NUMERALS[i] if level <= 2 else i + 1)


@st.composite
def outline(draw, level: int = 1, max_depth: int = 4):
    n = draw(st.integers(1, 3 if level == 1 else 2))
    out = []
    for i in range(n):
        node = {"标题": _number(level, i) + draw(SHORT)}
        if draw(st.booleans()) or level == max_depth:
            node["段落"] = draw(PARAS)
        if level < max_depth and draw(st.integers(0, 3)) == 0:
            node["小节"] = draw(outline(level + 1, max_depth))
        if "段落" not in node and "小节" not in node:
            node["段落"] = draw(PARAS)
        out.append(node)
    return out


@st.composite
def table_values(draw, spec):
    """Cells that satisfy every rule: details drawn, 结转下年度 derived so 一+二 = 三（七）+四."""
    cells = {}
    for path, field in spec.fields():
        if field.optional:
            continue
        if field.kind == SIGNED:
            cells[field.cell] = draw(st.integers(-50, 50))
        elif field.kind in (MONEY, AMOUNT):
            cells[field.cell] = Decimal(draw(st.integers(0, 99999))) / 100
        else:
            cells[field.cell] = draw(st.integers(0, 300))
    if spec.name == "applications":
        for col in ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"):
            done = sum(v for (r, c), v in cells.items() if c == col and r.startswith("办理结果."))
            carried = draw(st.integers(0, done + 5))
            cells[("上年结转", col)] = carried
            cells[("结转下年度", col)] = draw(st.integers(0, 20))
            cells[("本年新收", col)] = done + cells[("结转下年度", col)] - carried if \
                done + cells[("结转下年度", col)] >= carried else 0
            if cells[("本年新收", col)] == 0:
                cells[("上年结转", col)] = done + cells[("结转下年度", col)]
    data = spec.data_from_cells(cells)
    return _drop_none(data)


def _drop_none(d):
    return {k: _drop_none(v) for k, v in d.items() if v is not None} if isinstance(d, dict) else d


@st.composite
def reports(draw, edition_id: str):
    ed = EDITIONS[edition_id]
    year = draw(st.integers(2008, 2018) if ed.freeform else st.integers(ed.first_year, ed.last_year or 2030))
    agency = draw(AGENCY)
    data = {"机关名称": agency, "报告年度": year}
    if draw(st.booleans()):
        data["发布信息"] = {"索引号": f"{draw(st.integers(1000, 9999))}/{year + 1}-{draw(st.integers(1, 999)):05d}",
                        draw(st.sampled_from(["发布机构", "部门"])): agency,
                        draw(st.sampled_from(["发布日期", "日期"])): f"{year + 1}-01-{draw(st.integers(10, 31))}"}
    if draw(st.booleans()):
        data["落款"] = [agency, f"{year + 1}年1月{draw(st.integers(10, 31))}日"]
    if ed.freeform:
        if draw(st.booleans()):
            data["引言"] = draw(PARAS)
        data["正文"] = draw(outline())
        return data
    if draw(st.booleans()):
        data["引言"] = draw(PARAS)
    overview = {}
    for part in ("概述", "主动公开", "依申请公开", "政府信息管理", "政府信息公开平台建设", "监督保障"):
        if draw(st.booleans()):
            overview[part] = draw(PARAS)
    if draw(st.integers(0, 3)) == 0:
        overview["小节"] = [{"标题": "（六）" + draw(SHORT), "段落": draw(PARAS)}]
    data["总体情况"] = overview
    for spec in ed.tables:
        section = draw(table_values(spec))
        if draw(st.integers(0, 3)) == 0:
            section["说明"] = draw(PARAS)
        data[spec.key] = section
    data["存在的主要问题及改进情况"] = draw(PARAS)
    other = {}
    if edition_id == "2021" or draw(st.booleans()):
        if draw(st.booleans()):
            other["信息处理费"] = {"收费通知件数": draw(st.integers(0, 5)), "收费金额": draw(st.integers(0, 900))}
    if draw(st.booleans()):
        other["其他事项"] = draw(PARAS)
    data["其他需要报告的事项"] = other
    return data


def check_round_trip(data: dict, fmt: str, script: str) -> None:
    original = validate_data(data)
    blob = render_loaded(original, [fmt], script=script)[fmt]
    result = parse_bytes(blob, fmt, f"generated.{fmt}")
    assert result.edition == original.edition.id
    # the script is identified up to what the text shows: zh-Hant and zh-TW text can be identical
    assert (result.script == "zh-Hans") == (script == "zh-Hans")
    parsed_data, lines = load_yaml(data_yaml(result), "parsed.yaml")
    parsed = validate_data(parsed_data, lines, "parsed.yaml")
    assert (parsed.report.agency, parsed.report.year) == (original.report.agency, original.report.year)
    for spec in original.edition.tables:
        assert parsed.cells(spec.name) == original.cells(spec.name), spec.name
    assert compose(parsed, script=result.script).blocks == compose(original, script=script).blocks
    assert compose(parsed).blocks == compose(original).blocks  # the data, not just its rendering


SCRIPTS = st.sampled_from(["zh-Hans", "zh-Hant", "zh-TW", "zh-HK"])
EDITION = st.sampled_from(["2021", "2019", "freeform"])
# derandomised (the same 1,050 reports on every run) and without the shrink phase, which can
# take minutes; a failure still prints the full failing data
COMMON = dict(deadline=None, derandomize=True, phases=[Phase.explicit, Phase.generate],
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@settings(max_examples=500, **COMMON)
@given(st.data(), EDITION, SCRIPTS)
def test_round_trip_txt(data, edition_id, script):
    check_round_trip(data.draw(reports(edition_id)), "txt", script)


@settings(max_examples=300, **COMMON)
@given(st.data(), EDITION, SCRIPTS)
def test_round_trip_html(data, edition_id, script):
    check_round_trip(data.draw(reports(edition_id)), "html", script)


@settings(max_examples=250, **COMMON)
@given(st.data(), EDITION, SCRIPTS)
def test_round_trip_docx(data, edition_id, script):
    check_round_trip(data.draw(reports(edition_id)), "docx", script)


@settings(max_examples=250, **COMMON)
@given(st.data(), EDITION, SCRIPTS)
def test_round_trip_md(data, edition_id, script):
    check_round_trip(data.draw(reports(edition_id)), "md", script)

"""Random valid report data of every edition, with the truth (the validated cells).

Written once against a tiny ``draw`` interface (``draw.int(lo, hi)``, ``draw.pick(seq)``), so the same
code is a seeded generator for the bench (``report(seed, edition)``: ``RandomDraw`` over
``random.Random``) and a hypothesis strategy for tests (``reports(edition)``: ``st.composite``). Values
obey every sum rule (details drawn, totals computed by the project's model); scales run from zeros
to six-digit totals; agency names from short to very long. ``variant`` draws how the report is
printed (script, how zeros are printed, layout), which never changes the truth."""
from __future__ import annotations

import random
from decimal import Decimal

from reportgen.editions import EDITIONS
from reportgen.loader import validate_data
from reportgen.tables.spec import AMOUNT, MONEY, SIGNED

HANZI = "政府信息公开工作年度报告本机关主动依申请办理结果情况网站平台建设制度规范服务群众监督考核进一步加强完善推进落实数据统计门户专栏解读培训"
AGENCIES = ["云溪市市场监督管理局", "某县财政局", "青山区人民政府办公室", "东湖街道办事处", "省交通运输厅",
            "云溪市住房和城乡建设局城市建设档案管理中心综合科室", "某自治州人力资源和社会保障局"]
# pieces of long names: region + body + unit, as real ones are built (up to ~40 characters)
REGIONS = ("", "云溪省", "云溪省青山市", "某某自治区某某自治州", "青山市东湖区", "某某省某某市某某县")
BODIES = ("人力资源和社会保障局", "住房和城乡建设委员会", "发展和改革委员会", "市场监督管理局", "人民政府办公室",
          "交通运输局", "生态环境局")
UNITS = ("", "", "城市建设档案管理中心", "劳动保障监察支队综合科", "行政审批服务科", "经济技术开发区管理委员会")
SCRIPTS = ("zh-Hans", "zh-Hans", "zh-Hant", "zh-TW", "zh-HK")
ZEROS = ("0", "0", "", "—", "-")  # how a zero is printed in the tables
APPLICANTS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")


class RandomDraw:
    """The draw interface over ``random.Random`` (the bench: a seed gives one report)."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def int(self, lo: int, hi: int) -> int:
        return self.rng.randint(lo, hi)

    def pick(self, seq):
        return self.rng.choice(list(seq))


class HypothesisDraw:
    """The draw interface over a hypothesis ``draw`` (tests: shrinkable reports)."""

    def __init__(self, draw):
        from hypothesis import strategies as st
        self.draw, self.st = draw, st

    def int(self, lo: int, hi: int) -> int:
        return self.draw(self.st.integers(lo, hi))

    def pick(self, seq):
        return self.draw(self.st.sampled_from(list(seq)))


def _para(rng) -> str:
    return "".join(rng.pick(HANZI) for _ in range(rng.int(8, 40))) + "。"


def _count(rng, scale: str) -> int:
    if rng.int(0, 9) < 3:
        return 0
    return rng.int(0, {"small": 9, "mid": 300, "large": 99999}[scale])


def agency_name(rng) -> str:
    if rng.int(0, 2) == 0:
        return rng.pick(AGENCIES)
    return rng.pick(REGIONS) + rng.pick(BODIES) + rng.pick(UNITS)


def table_values(rng, spec, scale: str) -> dict:
    cells = {}
    for _path, field in spec.fields():
        if field.optional:
            continue
        if field.kind == SIGNED:
            cells[field.cell] = rng.int(-50, 50)
        elif field.kind in (MONEY, AMOUNT):
            cells[field.cell] = Decimal(rng.int(0, 999999)) / 100
        else:
            cells[field.cell] = _count(rng, scale)
    if spec.name == "applications":
        for col in APPLICANTS:
            done = sum(v for (r, c), v in cells.items() if c == col and r.startswith("办理结果."))
            carried = rng.int(0, done)
            nxt = _count(rng, "small")
            cells[("上年结转", col)] = carried
            cells[("结转下年度", col)] = nxt
            cells[("本年新收", col)] = done + nxt - carried
    return _drop_none(spec.data_from_cells(cells))


def _drop_none(d):
    return {k: _drop_none(v) for k, v in d.items() if v is not None} if isinstance(d, dict) else d


def report_from(rng, edition_id: str) -> dict:
    """The data file (as a dict) of edition ``edition_id`` drawn with ``rng`` (the draw interface)."""
    ed = EDITIONS[edition_id]
    year = rng.int(2008, 2018) if ed.freeform else rng.int(ed.first_year, ed.last_year or 2030)
    agency = agency_name(rng)
    data = {"机关名称": agency, "报告年度": year, "落款": [agency, f"{year + 1}年1月{rng.int(10, 31)}日"]}
    if ed.freeform:
        data["正文"] = [{"标题": f"{n}、" + "".join(rng.pick(HANZI) for _ in range(6)),
                        "段落": [_para(rng) for _ in range(rng.int(1, 3))]} for n in "一二三"]
        return data
    data["引言"] = [_para(rng)]
    data["总体情况"] = {p: [_para(rng)] for p in ("概述", "主动公开", "依申请公开")}
    scale = rng.pick(["small", "mid", "mid", "large"])
    for spec in ed.tables:
        data[spec.key] = table_values(rng, spec, scale)
    data["存在的主要问题及改进情况"] = [_para(rng)]
    data["其他需要报告的事项"] = {"其他事项": [_para(rng)]}
    return data


def report(seed: int, edition_id: str) -> dict:
    """The data file (as a dict) of report ``seed`` of edition ``edition_id``."""
    return report_from(RandomDraw(random.Random(f"{edition_id}:{seed}")), edition_id)


def reports(edition_id: str):
    """The same reports as a hypothesis strategy."""
    from hypothesis import strategies as st
    return st.composite(lambda draw: report_from(HypothesisDraw(draw), edition_id))()


def variant_from(rng, layouts: tuple) -> dict:
    """How one report is printed: script, how zeros look, layout (one of ``layouts``)."""
    return {"script": rng.pick(SCRIPTS), "zeros": rng.pick(ZEROS), "layout": rng.pick(layouts)}


def variant(seed: int, edition_id: str, layouts: tuple) -> dict:
    return variant_from(RandomDraw(random.Random(f"variant:{edition_id}:{seed}")), layouts)


def truth(data: dict) -> dict:
    """{table name: {cell id: value}} of a valid data file."""
    loaded = validate_data(data)
    return {spec.name: dict(loaded.cells(spec.name)) for spec in loaded.edition.tables}


def is_held_out(seed: int) -> bool:
    """Odd seeds are held out (measured only); even seeds are for tuning."""
    return seed % 2 == 1

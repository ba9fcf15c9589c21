"""Random valid report data of every edition, with the truth (the validated cells), from a seed.

Draws with ``random.Random(seed)`` so a seed always gives the same report; values obey every sum
rule (details drawn, totals computed by the project's model)."""
from __future__ import annotations

import random
from decimal import Decimal

from reportgen.editions import EDITIONS
from reportgen.loader import validate_data
from reportgen.tables.spec import AMOUNT, MONEY, SIGNED

HANZI = "政府信息公开工作年度报告本机关主动依申请办理结果情况网站平台建设制度规范服务群众监督考核进一步加强完善推进落实数据统计门户专栏解读培训"
AGENCIES = ["云溪市市场监督管理局", "某县财政局", "青山区人民政府办公室", "东湖街道办事处", "省交通运输厅",
            "云溪市住房和城乡建设局城市建设档案管理中心综合科室", "某自治州人力资源和社会保障局"]
APPLICANTS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")


def _para(rng: random.Random) -> str:
    return "".join(rng.choice(HANZI) for _ in range(rng.randint(8, 40))) + "。"


def _count(rng: random.Random, scale: str) -> int:
    if rng.random() < 0.3:
        return 0
    return rng.randint(0, {"small": 9, "mid": 300, "large": 99999}[scale])


def table_values(rng: random.Random, spec, scale: str) -> dict:
    cells = {}
    for _path, field in spec.fields():
        if field.optional:
            continue
        if field.kind == SIGNED:
            cells[field.cell] = rng.randint(-50, 50)
        elif field.kind in (MONEY, AMOUNT):
            cells[field.cell] = Decimal(rng.randint(0, 999999)) / 100
        else:
            cells[field.cell] = _count(rng, scale)
    if spec.name == "applications":
        for col in APPLICANTS:
            done = sum(v for (r, c), v in cells.items() if c == col and r.startswith("办理结果."))
            carried = rng.randint(0, done)
            nxt = _count(rng, "small")
            cells[("上年结转", col)] = carried
            cells[("结转下年度", col)] = nxt
            cells[("本年新收", col)] = done + nxt - carried
    return _drop_none(spec.data_from_cells(cells))


def _drop_none(d):
    return {k: _drop_none(v) for k, v in d.items() if v is not None} if isinstance(d, dict) else d


def report(seed: int, edition_id: str) -> dict:
    """The data file (as a dict) of report ``seed`` of edition ``edition_id``."""
    rng = random.Random(f"{edition_id}:{seed}")
    ed = EDITIONS[edition_id]
    year = rng.randint(2008, 2018) if ed.freeform else rng.randint(ed.first_year, ed.last_year or 2030)
    agency = rng.choice(AGENCIES)
    data = {"机关名称": agency, "报告年度": year, "落款": [agency, f"{year + 1}年1月{rng.randint(10, 31)}日"]}
    if ed.freeform:
        data["正文"] = [{"标题": f"{n}、" + "".join(rng.choice(HANZI) for _ in range(6)),
                        "段落": [_para(rng) for _ in range(rng.randint(1, 3))]} for n in "一二三"]
        return data
    data["引言"] = [_para(rng)]
    data["总体情况"] = {p: [_para(rng)] for p in ("概述", "主动公开", "依申请公开")}
    scale = rng.choice(["small", "mid", "mid", "large"])
    for spec in ed.tables:
        data[spec.key] = table_values(rng, spec, scale)
    data["存在的主要问题及改进情况"] = [_para(rng)]
    data["其他需要报告的事项"] = {"其他事项": [_para(rng)]}
    return data


def truth(data: dict) -> dict:
    """{table name: {cell id: value}} of a valid data file."""
    loaded = validate_data(data)
    return {spec.name: dict(loaded.cells(spec.name)) for spec in loaded.edition.tables}


def is_held_out(seed: int) -> bool:
    """Odd seeds are held out (measured only); even seeds are for tuning."""
    return seed % 2 == 1

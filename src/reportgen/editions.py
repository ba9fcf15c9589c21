"""The editions of the annual-report format and how a report's edition is decided.

An edition bundles what differs between formats: its statutory tables (declared in
``tables/``), its section headings and its template. A new edition of the format is one new
entry here plus its table declarations.
"""
from __future__ import annotations

from dataclasses import dataclass

from .tables import edition2019, edition2021
from .tables.spec import TableSpec


@dataclass(frozen=True)
class Edition:
    id: str
    title: str
    basis: str  # the document that fixes the format
    first_year: int
    last_year: int | None
    tables: tuple[TableSpec, ...]
    headings: tuple[str, ...]
    template: str
    content_items: tuple[tuple[str, tuple[str, ...]], ...] = ()  # free-form: what the 条例 asks for

    @property
    def freeform(self) -> bool:
        return not self.tables

    def table(self, name: str) -> TableSpec:
        for t in self.tables:
            if t.name == name:
                return t
        raise KeyError(name)


HEADINGS_2019_2021 = (
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
)

# what each of the six sections holds in the data file (the model's attribute), in order
SECTION_PARTS = ("overview", "proactive", "applications", "reviews", "problems", "other")

# 一、总体情况's five usual parts: (sub-heading as printed, data-file key, model attribute)
OVERVIEW_PARTS = (
    ("（一）主动公开", "主动公开", "proactive"),
    ("（二）依申请公开", "依申请公开", "on_request"),
    ("（三）政府信息管理", "政府信息管理", "management"),
    ("（四）政府信息公开平台建设", "政府信息公开平台建设", "platforms"),
    ("（五）监督保障", "监督保障", "oversight"),
)

# 2008 条例 第三十二条: the six items a report must cover, and words that show a section covers one
ITEMS_2008 = (
    ("（一）行政机关主动公开政府信息的情况", ("主动公开",)),
    ("（二）行政机关依申请公开政府信息和不予公开政府信息的情况", ("依申请", "申请公开", "不予公开")),
    ("（三）政府信息公开的收费及减免情况", ("收费", "减免")),
    ("（四）因政府信息公开申请行政复议、提起行政诉讼的情况", ("复议", "诉讼")),
    ("（五）政府信息公开工作存在的主要问题及改进情况", ("问题", "不足", "改进")),
    ("（六）其他需要报告的事项", ("其他需要报告", "其他事项")),
)

EDITIONS: dict[str, Edition] = {
    "2021": Edition("2021", "中华人民共和国政府信息公开工作年度报告格式", "国办公开办函〔2021〕30号",
                    2021, None, edition2021.TABLES, HEADINGS_2019_2021, "2021/report.j2"),
    "2019": Edition("2019", "中华人民共和国政府信息公开工作年度报告格式（试行）", "国办公开办函〔2019〕60号",
                    2019, 2020, edition2019.TABLES, HEADINGS_2019_2021, "2019/report.j2"),
    "freeform": Edition("freeform", "政府信息公开工作年度报告（自由格式）", "《中华人民共和国政府信息公开条例》（2008）第三十二条",
                        2008, 2018, (), (), "freeform/report.j2", ITEMS_2008),
}

# how 版式 may be written in a data file
EDITION_NAMES = {"2021": "2021", "2019": "2019", "freeform": "freeform", "2008": "freeform",
                 "自由格式": "freeform", "自由": "freeform"}


def edition_for_year(year: int) -> str:
    """The edition that governs reports on ``year`` (≤2018 free-form, 2019–2020 → 2019, ≥2021 → 2021)."""
    if year >= 2021:
        return "2021"
    if year >= 2019:
        return "2019"
    return "freeform"

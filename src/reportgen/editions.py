"""The editions of the annual-report format and how a report's edition is decided.

An edition bundles what differs between formats: its statutory tables (declared in
``tables/``), its section headings and its template. A new edition of the format is one new
entry here plus its table declarations.
"""
from __future__ import annotations

from dataclasses import dataclass

from .tables import edition2021
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

EDITIONS: dict[str, Edition] = {
    "2021": Edition("2021", "中华人民共和国政府信息公开工作年度报告格式", "国办公开办函〔2021〕30号",
                    2021, None, edition2021.TABLES, HEADINGS_2019_2021, "2021/report.j2"),
}


def edition_for_year(year: int) -> str:
    """The edition that governs reports on ``year`` (≤2018 free-form, 2019–2020 → 2019, ≥2021 → 2021)."""
    if year >= 2021:
        return "2021"
    if year >= 2019:
        return "2019"
    return "freeform"

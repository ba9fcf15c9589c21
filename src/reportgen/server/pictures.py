"""The office's dashboard as a picture, from the blocks the 图解 is drawn with (``reportgen.charts``):
how many units stand in each state, the applications each unit received (本年新收, from the reports
submitted or approved), and the summary report's outcomes (本年度办理结果) once it is made. Each
picture comes with the same facts in words (``words``), its alternative text for screen readers.

Drawing takes a tenth of a second or so: a picture is kept for the figures it shows (the same
figures, the same bytes), so reloading the dashboard draws nothing new."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .. import tujie
from ..editions import UNIT_FIGURES
from ..charts import ACCENT, Bars, Page, Section, ShareBar, Tile, Tiles, available, number


@dataclass(frozen=True)
class Progress:
    """What the dashboard's picture shows: the year, units per state (label, count), each unit's
    本年新收 (name, count) among the reports in hand, and the summary's outcomes (label, count)."""

    year: int
    states: tuple[tuple[str, int], ...]
    applications: tuple[tuple[str, int], ...] = ()
    applications_title: str = ""  # the declared row's label: 本年新收政府信息公开申请数量
    outcomes: tuple[tuple[str, int], ...] = ()
    outcomes_title: str = ""


def progress(year: int, states: dict[str, int], loaded_units: list, summary=None) -> Progress:
    """The figures of the picture: ``loaded_units`` the units' validated reports in hand,
    ``summary`` the summary's (None before it is made)."""
    new_label = next(f for f in UNIT_FIGURES if f.en == "new").key  # 本年新收, as the figures declare it
    tables = [lr for lr in loaded_units if not lr.edition.freeform]
    apps = tuple((lr.report.agency, dict(tujie.key_figures(lr)).get(new_label, 0)) for lr in tables)
    apps_title = (tujie.plain(tables[0].edition.table("applications").row_label(tujie.NEW_APPLICATIONS))
                  if tables else "")
    outcomes, title = (), ""
    if summary is not None and not summary.edition.freeform:
        spec = summary.edition.table("applications")
        title, parts = tujie.outcomes(spec, summary.tables[spec.name])
        outcomes = tuple((k, v) for k, v in parts)
    return Progress(year, tuple(states.items()), apps, apps_title, outcomes, title)


def words(p: Progress) -> str:
    """The picture's facts as a sentence: its alternative text, and what is shown without matplotlib."""
    text = f"{p.year} 年度填报进度：" + "，".join(f"{k} {v} 个" for k, v in p.states)
    if p.applications:
        text += f"。各单位{p.applications_title}：" + "，".join(f"{k} {number(v)} 件" for k, v in p.applications)
    if p.outcomes:
        text += f"。汇总报告{p.outcomes_title}：" + "，".join(f"{k} {number(v)} 件" for k, v in p.outcomes)
    return text + "。"


@lru_cache(maxsize=32)
def drawn(p: Progress) -> bytes:
    """The dashboard's picture as PNG (``charts`` needs matplotlib: see ``available``)."""
    pg = Page("zh-Hans", title=f"{p.year} 年度报告填报进度")
    tiles = [Tile(label, str(count), "个", accent=i == 0) for i, (label, count) in enumerate(p.states)]
    pg.add(Section(f"{p.year} 年度报告填报进度"), Tiles(tiles, columns=min(5, max(len(tiles), 1))))
    if p.applications:
        total = sum(v for _, v in p.applications)
        pg.add(Section(f"各单位{p.applications_title}（已提交、审核通过的报告）"),
               Bars(list(p.applications), "件", total=total or None, color=ACCENT))
    if p.outcomes:
        pg.add(Section(f"汇总报告：{p.outcomes_title}"), ShareBar(list(p.outcomes), "件"))
    return pg.render("png")


__all__ = ["Progress", "available", "drawn", "progress", "words"]

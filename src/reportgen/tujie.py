"""The 图解: the one-page graphic reading of a report that offices publish beside it — what it
shows, taken from a ``LoadedReport`` and drawn with ``reportgen.charts``.

From top to bottom: the report's title and agency; the key figures large (``editions.UNIT_FIGURES``:
本年新收, 上年结转, 办结, 结转下年度, 行政复议, 行政诉讼), with the change from last year when a previous
report is given; where the applications came from (table 三's applicant columns); how they were
answered (the parts of 本年度办理结果 as shares); reviews and suits by outcome (table 四); table 二's
figures; the source. Every label comes from the declarations (``tables/``, ``editions.py``); the
few words of the picture's own are declared once below, in Simplified, and everything is drawn in
the report's script. A free-form report has no tables: ``draw`` refuses it with a message.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Callable

from .editions import UNIT_FIGURES
from .errors import ReportgenError
from .script import SIMPLIFIED, between, check_script
from .tables.spec import BlockTable, MatrixTable, leaves

if TYPE_CHECKING:
    from .charts import Page
    from .loader import LoadedReport

FORMATS = ("png", "svg")

# the picture's own words (everything else is a declared label)
WORDS = {
    "kicker": "一图读懂",
    "key": "主要数据",
    "unit": "件",
    "up": "比上年 ↑{pct}",
    "down": "比上年 ↓{pct}",
    "same": "与上年持平",
    "from_zero": "上年为 0",
    "source": "数据来源：{title}",
    "previous": "同比对照：{title}",
    "total": "总计 ",
}

FREEFORM = ("{name}的报告没有统计表格，无法生成图解（png、svg）；"
            "可生成 docx、txt、html、md、pdf 或 json")
NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+\.)")


def plain(label: str) -> str:
    """A declared label without its numbering (三、本年度办理结果 → 本年度办理结果)."""
    return NUMBERING.sub("", label)


def refuse_freeform(loaded: "LoadedReport") -> None:
    if loaded.edition.freeform:
        raise ReportgenError(FREEFORM.format(name=loaded.edition.short_name()), loaded.file)


# --- the figures ----------------------------------------------------------------------------

def key_figures(loaded: "LoadedReport") -> list[tuple[str, int]]:
    """(label, value) of ``UNIT_FIGURES``: each the sum of its cells."""
    out = []
    for fig in UNIT_FIGURES:
        out.append((fig.key, sum(loaded.tables[t].get((r, c)) or 0 for t, r, c in fig.cells)))
    return out


NEW_APPLICATIONS = next(f for f in UNIT_FIGURES if f.en == "new").cells[0][1]  # its row, as declared there


def applicants(spec: MatrixTable, cells: dict, row: str = NEW_APPLICATIONS) -> tuple[list, list, str]:
    """Table 三's applicant columns for ``row``: the top-level parts (自然人, 法人或其他组织) as
    (label, value), the leaves under a group as (label, value), and the group's label."""
    root = spec.columns[0]
    top, detail, group = [], [], ""
    for child in root.children:
        if child.total:
            continue
        ids = [leaf for leaf, _ in leaves((child,))]
        top.append((child.label, sum(cells.get((row, i)) or 0 for i in ids)))
        if not child.is_leaf:
            group = child.label
            detail += [(path[-1].label, cells.get((row, leaf)) or 0) for leaf, path in leaves(child.children)]
    return top, detail, group


def _results(spec: MatrixTable):
    """本年度办理结果 (the row group whose parts end in a total, （七）总计) and the 总计 column."""
    results = next(n for n in spec.rows if any(c.total for c in n.children))
    return results, next(leaf for leaf, path in leaves(spec.columns) if path[-1].total)


def outcomes(spec: MatrixTable, cells: dict) -> tuple[str, list[tuple[str, int]]]:
    """本年度办理结果's parts (予以公开 … 其他处理) as (short label, value) in the 总计 column,
    and the group's label."""
    results, total_col = _results(spec)
    out = []
    for child in results.children:
        if child.total:
            continue
        prefix = f"{results.key}.{child.key}"
        ids = [r for r in spec.row_ids() if r == prefix or r.startswith(prefix + ".")]
        out.append((child.key, sum(cells.get((r, total_col)) or 0 for r in ids)))
    return plain(results.label), out


def reasons(spec: MatrixTable, cells: dict, limit: int = 6) -> tuple[list[str], list[tuple[str, int]]]:
    """Why applications were not granted: the parts of 本年度办理结果 that have reasons under them
    (不予公开, 无法提供, 不予处理, 其他处理), and their reasons with a number, largest first (at most
    ``limit``), each as (short label, value) in the 总计 column."""
    results, total_col = _results(spec)
    groups, found = [], []
    for child in results.children:
        if child.total or child.is_leaf:
            continue
        groups.append(child.key)
        for leaf, path in leaves(child.children, (results.key, child.key)):
            found.append((path[-1].key, cells.get((leaf, total_col)) or 0))
    found = sorted((f for f in found if f[1]), key=lambda f: -f[1])  # stable: the table's order among equals
    return groups, found[:limit]


def reviews(spec: MatrixTable, cells: dict) -> tuple[list[str], str, list[tuple[str, list[int]]]]:
    """Table 四: the outcome labels, the total's label, and each proceeding (行政复议, 行政诉讼 ·
    未经复议直接起诉, …) with its outcomes' numbers."""
    rows: list[tuple[str, list[int]]] = []
    parts: list[str] = []
    total_label = ""

    def walk(nodes, prefix: tuple[str, ...], heading: tuple[str, ...]):
        nonlocal parts, total_label
        for n in nodes:
            keys = prefix + ((n.key,) if n.key else ())
            if n.children and all(c.is_leaf for c in n.children):
                outs = [c for c in n.children if not c.total]
                parts = [c.label for c in outs]
                total_label = next((c.label for c in n.children if c.total), total_label)
                label = "·".join((*heading, n.label))
                rows.append((label, [cells.get(("", ".".join((*keys, c.key)))) or 0 for c in outs]))
            elif n.children:
                walk(n.children, keys, heading if n.key else (*heading, n.label))

    walk(spec.columns, (), ())
    return parts, total_label, rows


def proactive(spec: BlockTable, cells: dict) -> list[tuple[str, list[tuple[str, object]]]]:
    """Table 二 as rows of labelled figures: a row of a block with several columns is its label
    and its (column label, value) pairs; the rows of consecutive one-column blocks with the same
    column (本年处理决定数量 of 行政许可, 行政处罚, 行政强制) share one row under that column's label."""
    out: list[tuple[str, list[tuple[str, object]]]] = []
    shared = ""
    for b in spec.blocks:
        if len(b.columns) == 1:
            col = b.columns[0]
            figures = [(r.label, cells.get((r.key, col.key))) for r in b.rows]
            if shared == col.label:
                out[-1][1].extend(figures)
            else:
                out.append((col.label, figures))
            shared = col.label
            continue
        shared = ""
        out += [(r.label, [(c.label, cells.get((r.key, c.key))) for c in b.columns]) for r in b.rows]
    rows = []
    for label, figures in out:  # three figures a row at most: they stay readable on a phone
        rows += [(label if i == 0 else "", figures[i:i + 3]) for i in range(0, len(figures), 3)]
    return rows


def change(now: int, before: int | None) -> tuple[str, str]:
    """The change from last year as words (in Simplified) and whether it rose, fell or held."""
    if before is None:
        return "", "none"
    if before == 0:
        return (WORDS["same"], "same") if now == 0 else (WORDS["from_zero"], "up")
    if now == before:
        return WORDS["same"], "same"
    pct = f"{abs(now - before) * 100 / before:.1f}%"
    return (WORDS["up"] if now > before else WORDS["down"]).format(pct=pct), ("up" if now > before else "down")


# --- the page -------------------------------------------------------------------------------

def page(loaded: "LoadedReport", script: str | None = None, previous: "LoadedReport | None" = None,
         title: str | None = None, agency: str | None = None) -> "Page":
    """The 图解 of ``loaded`` as a ``charts.Page`` (in ``script``: default the report's own), with
    the change from ``previous`` (last year's report) when given and it has tables. ``title`` and
    ``agency``: as the composed document has them (default: the data's, in ``script``)."""
    from .charts import (ACCENT, DOWN, MUTED, Band, Bars, FigureGrid, Note, Page, Section, ShareBar,
                         StackedBars, Tile, Tiles, number)

    refuse_freeform(loaded)
    report = loaded.report
    target = check_script(script or getattr(report, "script", None) or loaded.script)
    official = _official(target)
    own: Callable[[str], str] = between(loaded.script, target) or (lambda s: s)
    title, agency = title or own(loaded.title), agency or own(report.agency)
    ed = loaded.edition
    if previous is not None and previous.edition.freeform:
        previous = None
    before = dict(key_figures(previous)) if previous is not None else {}

    tiles = []
    for i, (label, value) in enumerate(key_figures(loaded)):
        note, way = change(value, before.get(label)) if previous is not None else ("", "none")
        tiles.append(Tile(official(label), number(value), official(WORDS["unit"]), official(note),
                          {"up": ACCENT, "down": DOWN}.get(way, MUTED), accent=i == 0))
    from .compose import _Scripts, _title_breaks  # where the docx's title breaks, the picture's does

    pg = Page(target, title=title)
    pg.add(Band(title, agency, official(WORDS["kicker"]), _title_breaks(title, loaded, _Scripts(loaded.script, target))),
           Section(official(WORDS["key"])), Tiles(tiles))

    apps = ed.table("applications")
    cells = loaded.tables[apps.name]
    top, detail, group = applicants(apps, cells)
    unit = official(WORDS["unit"])
    pg.add(Section(official(apps.columns[0].label)),
           ShareBar([(official(k), v) for k, v in top], unit, caption=official(plain(apps.row_label(NEW_APPLICATIONS)))))
    if detail:
        pg.add(Note(official(group)), Bars([(official(k), v) for k, v in detail], unit, total=sum(v for _, v in top)))

    heading, parts = outcomes(apps, cells)
    pg.add(Section(official(heading)), ShareBar([(official(k), v) for k, v in parts], unit))
    groups, why = reasons(apps, cells)
    if why:
        pg.add(Note(official("、".join(groups))),
               Bars([(official(k), v) for k, v in why], unit, total=sum(v for _, v in parts), color=DOWN))

    rv = ed.table("reviews")
    outs, total_label, rows = reviews(rv, loaded.tables[rv.name])
    pg.add(Section(official(plain(rv.title))),
           StackedBars([(official(k), v) for k, v in rows], [official(p) for p in outs], unit,
                       total_label=official(total_label) + " "))

    pa = ed.table("proactive")
    pg.add(Section(official(plain(pa.title))),
           FigureGrid([(official(k), [(official(c), number(v)) for c, v in vals])
                       for k, vals in proactive(pa, loaded.tables[pa.name])]))

    source = official(WORDS["source"]).format(title=f"《{title}》")
    if previous is not None:
        prev_title = (between(previous.script, target) or (lambda s: s))(previous.title)
        source += "\n" + official(WORDS["previous"]).format(title=f"《{prev_title}》")
    pg.add(Note(source))
    return pg


def previous_notes(loaded: "LoadedReport", previous: "LoadedReport | None") -> list[str]:
    """What the clerk should know about the report the changes are measured against."""
    if previous is None:
        return []
    if previous.edition.freeform:
        return [f"上一年度报告（{previous.report.year}年）为自由格式，没有统计表格，图解中不显示与上年的比较"]
    notes = []
    if previous.report.year != loaded.report.year - 1:
        notes.append(f"图解与上年比较所用的报告是 {previous.report.year} 年度的，本报告是 {loaded.report.year} 年度的，请确认")
    if previous.report.agency != loaded.report.agency:
        notes.append(f"图解与上年比较所用的报告是“{previous.report.agency}”的，不是“{loaded.report.agency}”的，请确认")
    return notes


def draw(loaded: "LoadedReport", fmt: str, script: str | None = None,
         previous: "LoadedReport | None" = None, notices: list | None = None, title: str | None = None,
         agency: str | None = None) -> bytes:
    """The 图解 as ``png`` or ``svg`` bytes (the same data gives the same bytes); what the clerk
    should know about ``previous`` is added to ``notices``; ``title``, ``agency``: see ``page``."""
    refuse_freeform(loaded)
    if notices is not None:
        notices += previous_notes(loaded, previous)
    _need_matplotlib()
    return page(loaded, script, previous, title, agency).render(fmt)


def inline_svg(loaded: "LoadedReport", script: str | None = None, previous: "LoadedReport | None" = None,
               title: str | None = None, agency: str | None = None) -> str:
    """The 图解 as SVG markup to put in an HTML page (``charts.Page.inline_svg``)."""
    refuse_freeform(loaded)
    _need_matplotlib()
    pg = page(loaded, script, previous, title, agency)
    return pg.inline_svg(_official(pg.script)(WORDS["kicker"]) + pg.title)


def embeddable(loaded: "LoadedReport", script: str | None = None, previous: "LoadedReport | None" = None,
               notices: list | None = None, title: str | None = None, agency: str | None = None) -> str | None:
    """The inline SVG for the html output, or None: a free-form report has no 图解, and without
    matplotlib the page goes out without it (a notice says so)."""
    from .charts import ChartError, available

    if loaded.edition.freeform:
        return None
    if not available():
        if notices is not None:
            notices.append("未安装 matplotlib，HTML 中没有附图解；pip install 'reportgen[charts]' 后重新生成即可")
        return None
    try:
        svg = inline_svg(loaded, script, previous, title, agency)
        if notices is not None:
            notices += previous_notes(loaded, previous)
        return svg
    except ChartError as e:  # no Chinese font: the report itself still goes out
        if notices is not None:
            notices.append(f"HTML 中没有附图解：{e.message}")
        return None


def _official(script: str) -> Callable[[str], str]:
    return between(SIMPLIFIED, script) or (lambda s: s)


def _need_matplotlib() -> None:
    from .charts import available

    if not available():
        raise ReportgenError("生成图解需要 matplotlib：pip install 'reportgen[charts]'")

"""The editions of the annual-report format, declared once: every edition lists its sections and
states its rules as fields, and everything else (the data model, composing, reading back,
the scaffold, next year, roll-up, validation, check) iterates over these declarations.

* A ``Section`` is one of the report's parts: the model attribute and data key it is held
  under, its official heading and the wordings real reports use, its table (declared in
  ``tables/``), its template, the sentences its template writes from the data (so reading a
  report can take them back), and for 一、总体情况 its usual parts (in the tables' vocabulary,
  ``tables.spec.Node``: the sub-heading, the data key, the model attribute).
* An ``Edition`` bundles its sections with what differs between formats: the year range,
  whether the 信息处理费 statement is required, the link between consecutive years, the
  publication deadlines, and for pre-2019 reports the six items of 2008 条例 第三十二条.

A new edition of the format is one new ``Edition`` (and its tables), registered with
``register``: no other module changes.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .tables import edition2019, edition2021
from .tables.spec import COUNT, YUAN, Node, TableSpec, node


@dataclass(frozen=True)
class Sentence:
    """A sentence a section's template writes from the data, with ``{slots}`` for the values;
    reading a report matches it to take the values back."""

    name: str
    text: str


@dataclass(frozen=True)
class Section:
    attr: str                          # the data model's attribute (overview, proactive …)
    key: str                           # the data file's key
    heading: str                       # the official heading, numbering included
    template: str                      # the template that writes it
    kind: str                          # overview | table | text | other
    aliases: tuple[str, ...] = ()      # other keys a data file may use (the English name first)
    variants: tuple[str, ...] = ()     # other wordings of the heading in published reports (statutory.md §4.1)
    marker: str = ""                   # a word that marks the heading when no wording matches
    table: TableSpec | None = None
    parts: tuple[Node, ...] = ()       # 一、总体情况's usual parts: sub-heading (label), data key, model attribute (en)
    summary: bool = False              # the template sums up the numbers when the data gives no 说明
    optional: bool = False             # a report may lack it (the data file says null)
    sentences: tuple[Sentence, ...] = ()
    values: Node | None = None         # values stated in the section's text (六: the 信息处理费 statement)
    description: str = ""

    def sentence(self, name: str) -> Sentence:
        return next(s for s in self.sentences if s.name == name)

    @property
    def numeral(self) -> str:
        """The heading's numbering as printed (二 of 二、主动公开政府信息情况)."""
        return self.heading.split("、", 1)[0] if "、" in self.heading else ""

    @property
    def wordings(self) -> tuple[str, ...]:
        """The heading without its numbering, and the variants real reports use."""
        return (self.heading.split("、", 1)[-1], *self.variants)


@dataclass(frozen=True)
class CarryOver:
    """The link between consecutive years: this year's ``row`` of ``table`` equals last year's
    ``from_row``, column by column."""

    table: str
    row: str
    from_row: str


@dataclass(frozen=True)
class Deadline:
    """By when a report on year Y is published: (month, day) of year Y + 1, and the basis."""

    month: int
    day: int
    basis: str


@dataclass(frozen=True)
class ContentItem:
    """One item of 2008 条例 第三十二条, and words that show a heading covers it."""

    number: str
    wording: str
    words: tuple[str, ...]

    @property
    def label(self) -> str:
        return f"（{self.number}）{self.wording}"

    @property
    def heading(self) -> str:
        """The item as a section heading of a free-form report (一、主动公开政府信息的情况)."""
        return f"{self.number}、{self.wording.removeprefix('行政机关')}"


@dataclass(frozen=True)
class UnitFigure:
    """One figure of a subordinate unit in a summary report's appendix (``reportgen aggregate``):
    the sum of these cells, each (table name, row id, column id)."""

    key: str
    en: str
    cells: tuple[tuple[str, str, str], ...]


UNIT_FIGURES = (
    UnitFigure("本年新收", "new", (("applications", "本年新收", "总计"),)),
    UnitFigure("上年结转", "carried_over", (("applications", "上年结转", "总计"),)),
    UnitFigure("办结", "done", (("applications", "办理结果.总计", "总计"),)),
    UnitFigure("结转下年度", "carried_forward", (("applications", "结转下年度", "总计"),)),
    UnitFigure("行政复议", "reviews", (("reviews", "", "行政复议.总计"),)),
    UnitFigure("行政诉讼", "lawsuits", (("reviews", "", "未经复议直接起诉.总计"), ("reviews", "", "复议后起诉.总计"))),
)


@dataclass(frozen=True, eq=False)
class Edition:
    id: str
    title: str
    basis: str                                  # the document that fixes the format
    first_year: int
    last_year: int | None
    template: str
    sections: tuple[Section, ...] = ()
    names: tuple[str, ...] = ()                 # how 版式 may be written for it
    content_items: tuple[ContentItem, ...] = ()  # free-form: what the 条例 asks for
    fee_statement: bool = False                 # the 信息处理费 statement is required (国办函〔2020〕109号)
    carry: CarryOver | None = None
    deadlines: dict[str, Deadline] = field(default_factory=dict)  # unit kind → deadline
    title_pattern: str = "{agency}{year}年政府信息公开工作年度报告"
    unit_figures: tuple[UnitFigure, ...] = UNIT_FIGURES

    @property
    def freeform(self) -> bool:
        return not self.sections

    @property
    def tables(self) -> tuple[TableSpec, ...]:
        return tuple(s.table for s in self.sections if s.table is not None)

    @property
    def headings(self) -> tuple[str, ...]:
        return tuple(s.heading for s in self.sections)

    def table(self, name: str) -> TableSpec:
        for t in self.tables:
            if t.name == name:
                return t
        raise KeyError(name)

    def section(self, attr: str) -> Section | None:
        return next((s for s in self.sections if s.attr == attr), None)

    def default_title(self, agency: str, year: int) -> str:
        return self.title_pattern.format(agency=agency, year=year)

    def short_name(self) -> str:
        return "自由格式" if self.freeform else f"{self.id} 年版"

    def display_name(self) -> str:
        if self.freeform:
            return "自由格式（2019 年以前，无统一表格）"
        return f"{self.id} 年版格式（{self.basis}）"


# --- the sections of the 2019 and 2021 editions (statutory.md §1.3, §1.4, §2.3, §4.1) --------

OVERVIEW_PARTS = (
    node("（一）主动公开", "主动公开", "proactive"),
    node("（二）依申请公开", "依申请公开", "on_request"),
    node("（三）政府信息管理", "政府信息管理", "management"),
    node("（四）政府信息公开平台建设", "政府信息公开平台建设", "platforms", aliases=("平台建设",)),
    node("（五）监督保障", "监督保障", "oversight", description="含工作考核、社会评议和责任追究结果情况"),
)

# 国办函〔2020〕109号: the 信息处理费 an agency charged, reported in section 六
FEES: Node = node("信息处理费", "信息处理费", "processing_fees",
                  node("收费通知件数", "收费通知件数", "notices", kind=COUNT, description="发出收费通知的件数"),
                  node("收费金额", "收费金额", "amount", kind=YUAN, description="实际收取的信息处理费，单位：元"),
                  description="本年度收取信息处理费情况（国办函〔2020〕109号）")

OVERVIEW = Section("overview", "总体情况", "一、总体情况", "common/overview.j2", "overview", ("overview",),
                   marker="概述", parts=OVERVIEW_PARTS,
                   description="概述及主动公开、依申请公开、政府信息管理、政府信息公开平台建设、监督保障五个方面（均可省略）")
PROBLEMS = Section("problems", "存在的主要问题及改进情况", "五、存在的主要问题及改进情况", "common/problems.j2", "text",
                   ("problems", "存在的主要问题"), variants=("政府信息公开工作存在的主要问题及改进情况",), marker="问题",
                   description="段落，或含标题、段落、小节的映射")
OTHER = Section("other", "其他需要报告的事项", "六、其他需要报告的事项", "common/other.j2", "other", ("other_matters",),
                marker="其他", optional=True, values=FEES,
                sentences=(Sentence("fees", "本年度，本机关依据《政府信息公开信息处理费管理办法》发出收费通知{notices}件，"
                                            "收取信息处理费{amount}元。"),
                           Sentence("no_fees", "本年度，本机关未收取政府信息公开信息处理费。"),
                           Sentence("nothing", "本年度无其他需要报告的事项。")),
                description="含信息处理费情况；写 null 表示报告中没有这一部分")


def table_section(table: TableSpec, template: str, variants: tuple[str, ...] = (), marker: str = "") -> Section:
    """A section that holds a statutory table (its key, aliases and heading are the table's)."""
    return Section(table.name, table.key, table.title, template, "table", (table.en, table.title),
                   variants=variants, marker=marker, table=table, summary=True)


def statutory_sections(proactive: TableSpec, proactive_template: str, applications: TableSpec,
                       reviews: TableSpec) -> tuple[Section, ...]:
    """The six sections of the 2019 and 2021 formats, around an edition's three tables."""
    return (
        OVERVIEW,
        table_section(proactive, proactive_template, ("主动公开政府信息的情况",), "主动公开"),
        table_section(applications, "common/applications.j2", ("收到和处理政府信息公开申请的情况", "政府信息公开申请"),
                      "依申请公开"),
        table_section(reviews, "common/reviews.j2",
                      ("因政府信息公开工作被申请行政复议提起行政诉讼情况", "因政府信息公开工作被申请行政复议和提起行政诉讼情况",
                       "政府信息公开行政法复议、行政诉讼情况",  # mistyped so on real pages (shared/corpus)
                       "政府信息公开行政复议及行政诉讼情况", "因政府信息公开申请行政复议提起行政诉讼的情况", "行政复议"),
                      "行政诉讼"),
        PROBLEMS,
        OTHER,
    )


# 条例 第四十九条 (2019) and the 2008 条例's single deadline (statutory.md §3)
DEADLINES_2019 = {
    "department": Deadline(1, 31, "《条例》第四十九条：县级以上人民政府部门在每年1月31日前公布"),
    "government": Deadline(3, 31, "《条例》第四十九条：本级政府年度报告在每年3月31日前向社会公布"),
}
DEADLINES_2008 = {
    "department": Deadline(3, 31, "2008年《条例》：各级行政机关应当在每年3月31日前公布"),
    "government": Deadline(3, 31, "2008年《条例》：各级行政机关应当在每年3月31日前公布"),
}

# the link between years: this year's 上年结转 is last year's 结转下年度继续办理
CARRY = CarryOver("applications", "上年结转", "结转下年度")

# 2008 条例 第三十二条: the six items a report must cover
ITEMS_2008 = (
    ContentItem("一", "行政机关主动公开政府信息的情况", ("主动公开",)),
    ContentItem("二", "行政机关依申请公开政府信息和不予公开政府信息的情况", ("依申请", "申请公开", "不予公开")),
    ContentItem("三", "政府信息公开的收费及减免情况", ("收费", "减免")),
    ContentItem("四", "因政府信息公开申请行政复议、提起行政诉讼的情况", ("复议", "诉讼")),
    ContentItem("五", "政府信息公开工作存在的主要问题及改进情况", ("问题", "不足", "改进")),
    ContentItem("六", "其他需要报告的事项", ("其他需要报告", "其他事项")),
)

EDITIONS: dict[str, Edition] = {}
EDITION_NAMES: dict[str, str] = {}  # how 版式 may be written → edition id


def register(edition: Edition) -> Edition:
    """Make ``edition`` known: by its id, its names and its years."""
    EDITIONS[edition.id] = edition
    for name in (edition.id, *edition.names):
        EDITION_NAMES[name] = edition.id
    return edition


def unregister(edition_id: str) -> None:
    edition = EDITIONS.pop(edition_id)
    for name in (edition.id, *edition.names):
        if EDITION_NAMES.get(name) == edition_id:
            del EDITION_NAMES[name]


register(Edition("2021", "中华人民共和国政府信息公开工作年度报告格式", "国办公开办函〔2021〕30号", 2021, None,
                 "2021/report.j2",
                 statutory_sections(edition2021.PROACTIVE, "2021/proactive.j2", edition2021.APPLICATIONS,
                                    edition2021.REVIEWS),
                 fee_statement=True, carry=CARRY, deadlines=DEADLINES_2019))
register(Edition("2019", "中华人民共和国政府信息公开工作年度报告格式（试行）", "国办公开办函〔2019〕60号", 2019, 2020,
                 "2019/report.j2",
                 statutory_sections(edition2019.PROACTIVE, "2019/proactive.j2", edition2019.APPLICATIONS,
                                    edition2019.REVIEWS),
                 carry=CARRY, deadlines=DEADLINES_2019))
register(Edition("freeform", "政府信息公开工作年度报告（自由格式）", "《中华人民共和国政府信息公开条例》（2008）第三十二条",
                 2008, 2018, "freeform/report.j2", names=("2008", "自由格式", "自由"), content_items=ITEMS_2008,
                 deadlines=DEADLINES_2008))

FREEFORM = "freeform"  # the edition without statutory tables, for reports before 2019


# The figures a reading of a published report is judged by (the corpus's expected.json) and that
# ``parse --table`` lists one report a row: (name, table, cell id) — table 三's four totals and
# table 四's three, the same cells in the 2019 and 2021 editions.
KEY_FIGURES = (
    ("本年新收总计", "applications", ("本年新收", "总计")),
    ("上年结转总计", "applications", ("上年结转", "总计")),
    ("办理结果总计", "applications", ("办理结果.总计", "总计")),
    ("结转下年度总计", "applications", ("结转下年度", "总计")),
    ("行政复议总计", "reviews", ("", "行政复议.总计")),
    ("未经复议直接起诉总计", "reviews", ("", "未经复议直接起诉.总计")),
    ("复议后起诉总计", "reviews", ("", "复议后起诉.总计")),
)


def edition_for_year(year: int) -> str:
    """The edition that governs reports on ``year``: the latest whose years include it (the
    free-form edition for every year before the first format)."""
    best = None
    for ed in EDITIONS.values():
        if ed.first_year <= year and (ed.last_year is None or year <= ed.last_year):
            if best is None or ed.first_year > best.first_year:
                best = ed
    return best.id if best is not None else FREEFORM


def latest() -> Edition:
    """The newest edition of the format (what a report without a year would use)."""
    return max(EDITIONS.values(), key=lambda ed: ed.first_year)


def statutory_editions() -> list[Edition]:
    return [ed for ed in EDITIONS.values() if not ed.freeform]

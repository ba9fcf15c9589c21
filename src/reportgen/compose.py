"""Composing a report: data + Jinja2 templates + table declarations → Document.

Templates write the narrative in a line-based block markup, one block per line:

    = 标题                      title
    # 一、总体情况               heading, level = number of '#'
    @meta                       the publication metadata block (if any)
    @table applications         a statutory table, laid out from its declaration
    > 某某局                    right-aligned closing line (signature, date)
    < 某某办公室：              flush-left line without indent (the addressee, 主送机关)
    anything else               a body paragraph

Data never becomes markup or template code: every ``{{ value }}`` is wrapped in private-use
sentinels by ``finalize`` (the environment autoescapes, so macro output is exempt), a line
that starts with data is always a paragraph, and the sentinels are removed afterwards.
Templates run in Jinja's sandbox on a budget (``templating``) with ``StrictUndefined``.

The edition's sections are declared (``editions.Section``): the report template walks them, and
each section's template gets a ``section`` view (its heading — the agency's own or the official
one —, its data, its table and 说明, the sentences it may write). ``compose_parts`` composes
chosen parts alone, as blocks, which is how reading a report recognises what a template would
have written anyway.

The sentinels also record provenance for the script conversion (``--script zh-TW``): text
from the data file is wrapped in one pair, text from reportgen itself (official headings,
the edition's name, numbers) in another. Template and official text is converted from
Simplified; the data file's text is converted from the script it is written in, and left as
written when that is already a Traditional script.
"""
from __future__ import annotations

import datetime as _dt
import re
from decimal import Decimal
from functools import lru_cache
from typing import Any, Iterable

import jinja2
from markupsafe import Markup

from .document import LINE_BREAKS, Cell, Document, Heading, Meta, Paragraph, Table, Title, one_line
from .errors import TemplateError
from .script import SIMPLIFIED, between, check_script
from .tables.spec import format_value
from .templating import BudgetExceeded, make_environment, render_on_budget

OPEN, CLOSE = "\ue000", "\ue001"      # around text from the data file
P_OPEN, P_CLOSE = "\ue002", "\ue003"  # around values reportgen supplies (headings, numbers)
_STRIP = str.maketrans("", "", OPEN + CLOSE + P_OPEN + P_CLOSE)
_DATA_SPAN = re.compile(f"{OPEN}([^{CLOSE}]*){CLOSE}")
_UNSAFE = re.compile("[" + re.escape(LINE_BREAKS + OPEN + CLOSE + P_OPEN + P_CLOSE) + "]")


class ProgramText(str):
    """Text reportgen supplies to templates (official headings, the edition's title): converted
    like template text, not like the data file's text."""


def cn_date(d: _dt.date) -> str:
    """GB/T 9704 style date: full year, no zero padding (2024年1月5日)."""
    return f"{d.year}年{d.month}月{d.day}日"


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, Decimal)):
        return format_value(value)
    if isinstance(value, _dt.date):
        return cn_date(value)
    # one line, without our sentinels: data can neither end a markup line nor pose as provenance
    text = str(value)
    return one_line(text).translate(_STRIP) if _UNSAFE.search(text) else text


def _finalize(value: Any) -> Any:
    if isinstance(value, Markup):
        return value
    if isinstance(value, (list, tuple, dict)):
        raise TemplateError("模板直接输出了一个列表或映射；请用 {% for %} 逐项输出（template printed a list/dict）")
    if isinstance(value, (ProgramText, int, Decimal, _dt.date)):
        return Markup(P_OPEN + _text(value) + P_CLOSE)
    return Markup(OPEN + _text(value) + CLOSE)


def paragraphs(items: Iterable[str]) -> Any:
    """Every item as its own paragraph line (data, so each is protected like ``{{ value }}``)."""
    return Markup("\n".join(OPEN + _text(p) + CLOSE for p in items))


def heading_marks(level: int) -> Any:
    """The ``#`` marks of a heading of ``level`` (for outlines of any depth)."""
    return Markup("#" * max(1, int(level)))


def colsum(group: Any, column: str | None = None) -> int | Decimal:
    """Sum a column over every row below ``group`` (a nested table mapping); without a
    column, sum every number below it."""
    if isinstance(group, dict):
        if column is not None and column in group and not isinstance(group[column], dict):
            return group[column] or 0
        return sum((colsum(v, column) for k, v in group.items() if k != "说明"), 0)
    if column is None and isinstance(group, (int, Decimal)) and not isinstance(group, bool):
        return group
    return 0


_SLOT = re.compile(r"\{(\w+)\}")


def fill(pattern: str, **values: Any) -> Any:
    """A declared sentence or title pattern (``…发出收费通知{notices}件…``) with its slots filled:
    the wording is official text, each value is marked as what it is (data text, or a number)."""
    out, pos = [], 0
    for m in _SLOT.finditer(pattern):
        out.append(P_OPEN + pattern[pos:m.start()] + P_CLOSE)
        out.append(str(_finalize(values[m.group(1)])))
        pos = m.end()
    out.append(P_OPEN + pattern[pos:] + P_CLOSE)
    return Markup("".join(out))


def join_counts(pairs: Iterable[Any], unit: str = "件", sep: str = "、") -> str:
    """“予以公开45件、部分公开12件”: the non-zero items of (label, number) pairs; the labels are
    the template's own wording, so the result is converted like template text."""
    return ProgramText(sep.join(f"{label}{_text(n)}{unit}" for label, n in pairs if n))


def template_dirs_key(dirs: Iterable[str]) -> tuple[str, ...]:
    return tuple(str(d) for d in dirs)


@lru_cache(maxsize=16)
def environment(template_dirs: tuple[str, ...] = ()):
    """The budgeted sandbox (``templating``) with what report templates use: ``finalize``
    wrapping every value, and the filters and functions of GUIDE.md."""
    env = make_environment(template_dirs, _finalize)
    env.filters.update(cn_date=cn_date, colsum=colsum, num=_text)
    env.globals.update(colsum=colsum, join_counts=join_counts, paragraphs=paragraphs, heading_marks=heading_marks,
                       fill=fill)
    return env


class SectionView:
    """What a section's template sees as ``section``: its declaration's facts with this report's
    data (``data``), heading (the agency's own 标题, else the official one), table (the nested
    mapping, totals included), 说明 (``intro``: None when the template should write its own) and
    the sentences it may write (``sentences.fees`` …)."""

    def __init__(self, declared: Any, loaded: Any):
        report = loaded.report
        self.attr = declared.attr
        self.key = declared.key
        self.template = declared.template
        self.data = getattr(report, declared.attr, None)
        own = getattr(self.data, "title", None) if self.data is not None else None
        if own is None and declared.table is not None and self.data is not None:
            own = getattr(self.data, "标题", None)
        self.heading = own if own else ProgramText(declared.heading)
        self.table = loaded.table_views().get(declared.table.name) if declared.table is not None else None
        self.intro = getattr(self.data, "说明", None) if declared.table is not None and self.data is not None else None
        self.parts = [(ProgramText(p.label), p.en) for p in declared.parts]
        self.sentences = {s.name: s.text for s in declared.sentences}


def _context(loaded: Any) -> dict[str, Any]:
    report = loaded.report
    edition = loaded.edition
    views = [SectionView(s, loaded) for s in edition.sections]
    return {
        "report": report,
        "edition": {"id": edition.id, "title": ProgramText(edition.title), "basis": ProgramText(edition.basis)},
        "sections": views,
        "title": report.title_text or fill(edition.title_pattern, agency=report.agency, year=report.year),
        "tables": loaded.table_views(),
        "intros": {v.attr: v.intro for v in views if v.table is not None},
        "headings": [v.heading for v in views],  # in section order (for templates written before ``section``)
        "year": report.year,
    }


def render_markup(loaded: Any, template_dirs: tuple[str, ...] = (),
                  templates: tuple[str, ...] | None = None, context: dict | None = None) -> str:
    """Run the edition's templates (or just ``templates``, in order); return the block markup."""
    env = environment(template_dirs)
    context = context if context is not None else _context(loaded)
    try:
        return "\n".join(render_on_budget(lambda: env.get_template(t).generate(context))
                         for t in (templates or (loaded.edition.template,)))
    except BudgetExceeded as e:
        raise TemplateError(f"模板超出资源限制，已停止：{e}", *_template_place(e)) from None
    except RecursionError as e:
        raise TemplateError("模板递归过深（模板包含或调用了自身？），已停止", *_template_place(e)) from None
    except jinja2.TemplateSyntaxError as e:
        raise TemplateError(f"模板语法错误：{e.message}", e.filename or e.name, e.lineno) from None
    except jinja2.TemplateNotFound as e:
        raise TemplateError(f"找不到模板：{e.name}", *_template_place(e)) from None
    except jinja2.UndefinedError as e:
        raise TemplateError(f"模板引用了不存在的变量：{e.message}", *_template_place(e)) from None
    except jinja2.exceptions.SecurityError as e:
        raise TemplateError(f"模板试图执行不安全的操作，已拒绝：{e}", *_template_place(e)) from None
    except TemplateError:
        raise
    except (TypeError, ValueError, ArithmeticError, LookupError, AttributeError) as e:
        raise TemplateError(f"模板运行出错：{type(e).__name__}: {e}", *_template_place(e)) from None


def _template_place(error: BaseException) -> tuple[str | None, int | None]:
    """The template file and line an error happened at (Jinja rewrites tracebacks so that
    template frames carry the template's own file name and line)."""
    place: tuple[str | None, int | None] = (None, None)
    tb = error.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith((".j2", ".jinja", ".html", ".txt")) or "<template>" in name:
            place = (name, tb.tb_lineno)
        tb = tb.tb_next
    return place


@lru_cache(maxsize=16384)
def _official(target: str, text: str) -> str:
    """Official text (labels, headings, template wording) in ``target``, memoised across
    reports: the same few hundred strings recur in every report of a batch."""
    convert = between(SIMPLIFIED, target)
    return text if convert is None else convert(text)


class _Scripts:
    """The two conversions of one compose: official/template text from Simplified, and the
    data file's text from the script it is written in (``None``: unchanged)."""

    def __init__(self, data_script: str, target: str):
        self.target = target
        self.official = between(SIMPLIFIED, target)
        self.data = between(data_script, target)

    def label(self, text: str) -> str:
        return text if self.official is None or not text else _official(self.target, text)

    def own(self, text: str) -> str:
        return text if self.data is None else self.data(text)

    def line(self, line: str) -> str:
        """A markup line: data spans converted as data, the rest as official text."""
        if self.official is None and self.data is None:
            return line.translate(_STRIP).strip()
        parts = []
        pos = 0
        for m in _DATA_SPAN.finditer(line):
            parts.append(self.label(line[pos:m.start()].translate(_STRIP)))
            parts.append(self.own(m.group(1)))
            pos = m.end()
        parts.append(self.label(line[pos:].translate(_STRIP)))
        return "".join(parts).strip()


def _title_breaks(text: str, loaded: Any, conv: "_Scripts") -> tuple[int, ...]:
    """Where a title too wide for a line may break: before the report year, and before the
    report's name (the edition's title pattern after ``{year}年``, in the document's script)."""
    out = []
    at = text.find(f"{loaded.report.year}年")
    if at > 0:
        out.append(at)
    pattern = loaded.edition.title_pattern
    if "{year}年" in pattern:
        name = conv.label(pattern.split("{year}年", 1)[1])
        if name and text.endswith(name) and len(text) > len(name):
            out.append(len(text) - len(name))
    return tuple(out)


def compose(loaded: Any, template_dirs: Iterable[str] = (), script: str | None = None) -> Document:
    """The composed report (a ``LoadedReport``) as a Document, the hub every writer reads, in
    ``script`` (default: the data file's 文字, else the script the data file is written in)."""
    report = loaded.report
    target = check_script(script or report.script or loaded.script)
    conv = _Scripts(loaded.script, target)
    blocks = _blocks(render_markup(loaded, template_dirs_key(template_dirs)), loaded, conv)
    title = next((b.text for b in blocks if isinstance(b, Title)), loaded.title)
    props = {"title": title, "author": conv.own(report.agency),
             "subject": conv.label(f"{report.year}年政府信息公开工作年度报告"), "edition": loaded.edition.id}
    return Document(blocks, target, props)


def compose_parts(loaded: Any, parts: Iterable[str]) -> dict[str, list]:
    """Chosen parts of the report composed alone with the packaged templates, in Simplified:
    ``"preamble"`` (the addressee and opening) or a section's attribute → its blocks. The parts
    are for comparing text, so a table stands as its declaration, not laid out."""
    context = _context(loaded)
    views = {v.attr: v for v in context["sections"]}
    conv = _Scripts(SIMPLIFIED, SIMPLIFIED)
    out = {}
    for part in parts:
        if part == "preamble":
            markup = render_markup(loaded, (), ("common/preamble.j2",), context)
        else:
            markup = render_markup(loaded, (), (views[part].template,), {**context, "section": views[part]})
        out[part] = _blocks(markup, loaded, conv, lay_out=False)
    return out


def _blocks(markup: str, loaded: Any, conv: "_Scripts", lay_out: bool = True) -> list:
    """The block markup (one block a line, see the module's docstring) as Document blocks
    (without ``lay_out``, a table stays its declaration)."""
    report = loaded.report
    tables = {spec.name: spec for spec in loaded.edition.tables}
    blocks: list = []
    for lineno, raw in enumerate(markup.split("\n"), 1):  # the templates' own line ends only: data never ends a line
        line = raw.strip()
        if not line:
            continue
        if line.startswith("= "):
            own_lines = report.title if isinstance(getattr(report, "title", None), list) else []
            text = conv.line(line[2:])
            blocks.append(Title(text, tuple(conv.own(part) for part in own_lines), breaks=_title_breaks(text, loaded, conv)))
        elif line.startswith("#"):
            level = len(line) - len(line.lstrip("#"))
            blocks.append(Heading(level, conv.line(line[level:])))
        elif line == "@meta":
            meta = [(conv.own(label) if own else conv.label(label), conv.own(value))
                    for label, value, own in metadata_items(report)]
            if meta:
                blocks.append(Meta(meta))
        elif line.startswith("@table "):
            name = line[7:].translate(_STRIP).strip()
            if name not in tables:
                raise TemplateError(f"模板第 {lineno} 行引用了未知的表格“{name}”；可用：{'、'.join(tables)}")
            if not lay_out:
                blocks.append(tables[name])
                continue
            table = tables[name].layout(loaded.cells(name))
            if conv.official is not None:
                for cell in table.cells:
                    if cell.role != "value":
                        cell.text = conv.label(cell.text)
            blocks.append(table)
        elif line == "@units":
            if report.units:
                blocks.append(units_table(report.units, loaded.edition.unit_figures, conv.label))
        elif line.startswith("> "):
            blocks.append(Paragraph(conv.line(line[2:]), "right"))
        elif line.startswith("< "):
            blocks.append(Paragraph(conv.line(line[2:]), "left"))
        else:
            blocks.append(Paragraph(conv.line(line)))
    return blocks


def units_table(units: list, figures: Any, label=lambda s: s) -> Table:
    """The appendix table of a summary report: one row per unit, one column per declared
    figure (``editions.UnitFigure``), and a 合计 row."""
    cells = [Cell(label("单位"), 0, 0, role="header")]
    cells += [Cell(label(f.key), 0, k, role="header") for k, f in enumerate(figures, 1)]
    for r, unit in enumerate(units, 1):
        cells.append(Cell(unit.name, r, 0, role="label"))
        cells += [Cell(str(getattr(unit, f.en)), r, k) for k, f in enumerate(figures, 1)]
    total = len(units) + 1
    cells.append(Cell(label("合计"), total, 0, role="label"))
    cells += [Cell(str(sum(getattr(u, f.en) for u in units)), total, k) for k, f in enumerate(figures, 1)]
    return Table(total + 1, len(figures) + 1, 1, cells, name="units")


def metadata_items(report: Any) -> list[tuple[str, str, bool]]:
    """The metadata block's (label, value, label written by the data file) in display order,
    with the labels the data file used; empty when none given."""
    items: list[tuple[str, str, bool]] = []
    pub = report.publication
    has_date = False
    if pub is not None:
        items += pub.items()
        has_date = pub.publish_date is not None
    if report.publish_date and not has_date:
        items.append(("发布日期", report.publish_date.isoformat(), False))
    return items

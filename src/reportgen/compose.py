"""Composing a report: data + Jinja2 templates + table declarations → Document.

Templates write the narrative in a line-based block markup, one block per line:

    = 标题                      title
    # 一、总体情况               heading, level = number of '#'
    @meta                       the publication metadata block (if any)
    @table applications         a statutory table, laid out from its declaration
    > 某某局                    right-aligned closing line (signature, date)
    anything else               a body paragraph

Data never becomes markup or template code: every ``{{ value }}`` is wrapped in private-use
sentinels by ``finalize`` (the environment autoescapes, so macro output is exempt), a line
that starts with data is always a paragraph, and the sentinels are removed afterwards.
Templates run in Jinja's immutable sandbox with ``StrictUndefined``.
"""
from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from functools import lru_cache
from typing import Any, Iterable

from .document import Document, Heading, Meta, Paragraph, Title
from .errors import TemplateError
from .loader import LoadedReport
from .tables.spec import format_value

OPEN, CLOSE = "\ue000", "\ue001"
_STRIP = str.maketrans("", "", OPEN + CLOSE)


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
    return str(value)


def _finalize(value: Any) -> Any:
    from markupsafe import Markup

    if isinstance(value, Markup):
        return value
    if isinstance(value, (list, tuple, dict)):
        raise TemplateError("模板直接输出了一个列表或映射；请用 {% for %} 逐项输出（template printed a list/dict）")
    return Markup(OPEN + _text(value) + CLOSE)


def paragraphs(items: Iterable[str]) -> Any:
    """Every item as its own paragraph line (data, so each is protected like ``{{ value }}``)."""
    from markupsafe import Markup

    return Markup("\n".join(OPEN + _text(p) + CLOSE for p in items))


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


def join_counts(pairs: Iterable[Any], unit: str = "件", sep: str = "、") -> str:
    """“予以公开45件、部分公开12件”: the non-zero items of (label, number) pairs."""
    return sep.join(f"{label}{_text(n)}{unit}" for label, n in pairs if n)


def template_dirs_key(dirs: Iterable[str]) -> tuple[str, ...]:
    return tuple(str(d) for d in dirs)


@lru_cache(maxsize=16)
def environment(template_dirs: tuple[str, ...] = ()):
    """The one place the Jinja environment is built: user dirs first, then the packaged
    templates, which are also reachable as ``builtin/…`` so an override can extend them."""
    import jinja2
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from .resources import templates_dir

    packaged = jinja2.FileSystemLoader(str(templates_dir()))
    loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader(d) for d in template_dirs]
    loaders += [packaged, jinja2.PrefixLoader({"builtin": packaged})]
    env = ImmutableSandboxedEnvironment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        finalize=_finalize,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters.update(cn_date=cn_date, colsum=colsum, num=_text)
    env.globals.update(colsum=colsum, join_counts=join_counts, paragraphs=paragraphs)
    return env


def render_markup(loaded: LoadedReport, template_dirs: tuple[str, ...] = ()) -> str:
    """Run the edition's templates; return the block markup."""
    import jinja2

    env = environment(template_dirs)
    report = loaded.report
    context = {
        "report": report,
        "edition": loaded.edition,
        "tables": loaded.table_views(),
        "intros": {spec.name: getattr(report, spec.name).说明 for spec in loaded.edition.tables},
        "headings": loaded.edition.headings,
        "year": report.year,
    }
    try:
        return env.get_template(loaded.edition.template).render(context)
    except jinja2.TemplateSyntaxError as e:
        raise TemplateError(f"模板语法错误：{e.message}", e.filename or e.name, e.lineno) from None
    except jinja2.TemplateNotFound as e:
        raise TemplateError(f"找不到模板：{e.name}") from None
    except jinja2.UndefinedError as e:
        raise TemplateError(f"模板引用了不存在的变量：{e.message}") from None
    except jinja2.exceptions.SecurityError as e:
        raise TemplateError(f"模板试图执行不安全的操作，已拒绝：{e}") from None


def compose(loaded: LoadedReport, template_dirs: Iterable[str] = ()) -> Document:
    """The composed report as a Document (the hub every writer reads)."""
    markup = render_markup(loaded, template_dirs_key(template_dirs))
    tables = {spec.name: spec for spec in loaded.edition.tables}
    report = loaded.report
    blocks: list = []
    for lineno, raw in enumerate(markup.splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("= "):
            blocks.append(Title(_clean(line[2:])))
        elif line.startswith("#"):
            level = len(line) - len(line.lstrip("#"))
            blocks.append(Heading(level, _clean(line[level:])))
        elif line == "@meta":
            meta = metadata_items(report)
            if meta:
                blocks.append(Meta(meta))
        elif line.startswith("@table "):
            name = _clean(line[7:])
            if name not in tables:
                raise TemplateError(f"模板第 {lineno} 行引用了未知的表格“{name}”；可用：{'、'.join(tables)}")
            blocks.append(tables[name].layout(loaded.cells(name)))
        elif line.startswith("> "):
            blocks.append(Paragraph(_clean(line[2:]), "right"))
        else:
            blocks.append(Paragraph(_clean(line)))
    props = {"title": report.display_title, "author": report.agency,
             "subject": f"{report.year}年政府信息公开工作年度报告", "edition": loaded.edition.id}
    return Document(blocks, "zh-Hans", props)


def _clean(text: str) -> str:
    return text.translate(_STRIP).strip()


META_FIELDS = (("index_no", "索引号"), ("publisher", "发布机构"), ("column", "栏目"), ("source", "来源"),
               ("author", "作者"), ("doc_no", "文号"), ("written_date", "成文日期"))


def metadata_items(report: Any) -> list[tuple[str, str]]:
    """The metadata block's (label, value) pairs in display order; empty when none given."""
    items: list[tuple[str, str]] = []
    pub = report.publication
    if pub is not None:
        for attr, label in META_FIELDS:
            value = getattr(pub, attr)
            if value:
                items.append((label, value.isoformat() if isinstance(value, _dt.date) else value))
    if report.publish_date:
        items.append(("发布日期", report.publish_date.isoformat()))
    return items

"""The one writer of data files: whatever reportgen writes as a data file (``init``, ``init
--from``, ``parse``, ``aggregate``) goes through ``dump``, so every data file reads the same.

The YAML is written by walking the edition's declarations: the report's own fields, then each
section in order under its key with its heading as a comment, every table row on one line with
its official label beside it, a hint (a comment) for each total that may be left out and for
the optional fields a clerk may want to add (发布日期, 其他事项, 落款), paragraphs as literal
blocks, and the outline of a free-form report. Scalars are quoted exactly when YAML would read
them as something else (``"2021"``, ``"true"``, a leading ``#``), with escapes for what a
block or a plain scalar cannot hold, so reading the file back gives the same data.
"""
from __future__ import annotations

import datetime as _dt
import re
from decimal import Decimal
from typing import Any

import yaml

from .document import one_line
from .editions import Edition, Section
from .model import K, draft_closing
from .publication import ITEMS as PUBLICATION_ITEMS
from .tables.spec import Field, Group
from .yamlio import comment

INDENT = "  "
_STR_TAG = "tag:yaml.org,2002:str"
_RESOLVER = yaml.resolver.Resolver()
_UNSAFE_PLAIN = re.compile(r"^[-?:,\[\]{}#&*!|>'\"%@`\s]|[:#]\s|\s#|:$|\s$|[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]")
_NON_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\x00": "\\0", "\x07": "\\a", "\x08": "\\b", "\t": "\\t", "\n": "\\n",
            "\x0b": "\\v", "\x0c": "\\f", "\r": "\\r", "\x1b": "\\e", "\x85": "\\N", "\xa0": "\\_",
            "\u2028": "\\L", "\u2029": "\\P"}
_NEEDS_ESCAPE = re.compile(r'[\\"\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff]')


def scalar(value: Any) -> str:
    """A value as YAML that reads back as the same value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, _dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, _dt.date):
        return value.isoformat()
    text = str(value)
    if text and not _UNSAFE_PLAIN.search(text) and _RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) == _STR_TAG:
        return text
    return '"' + _NEEDS_ESCAPE.sub(lambda m: _ESCAPES.get(m.group(), _hex(m.group())), text) + '"'


def _hex(ch: str) -> str:
    n = ord(ch)
    if 0xD800 <= n <= 0xDFFF:  # a lone surrogate (a name that was not UTF-8): shown as U+FFFD
        return "\\uFFFD"
    return f"\\x{n:02X}" if n < 0x100 else f"\\u{n:04X}"


def _flow(mapping: dict) -> str:
    return "{" + ", ".join(f"{scalar(k)}: {scalar(v)}" for k, v in mapping.items()) + "}"


def _note(text: str) -> str:
    return "   " + comment(text) if text else ""


class _Writer:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def line(self, indent: int, text: str, note: str = "") -> None:
        self.lines.append(INDENT * indent + text + _note(note))

    def hint(self, indent: int, text: str) -> None:
        self.lines.append(INDENT * indent + comment(text))

    def value(self, indent: int, key: str, value: Any, note: str = "") -> None:
        """``key: value`` for any value: paragraphs as a literal block, mappings and lists nested."""
        k = scalar(key)
        if _paragraph_list(value):
            texts = [one_line(str(v)).strip() for v in value]
            if all(t and not _NON_PRINTABLE.search(t) for t in texts):
                self.line(indent, f"{k}: |", note)
                self.lines.extend(INDENT * (indent + 1) + t for t in texts)
            else:
                self.line(indent, f"{k}: [{', '.join(scalar(t) for t in texts)}]", note)
        elif isinstance(value, dict):
            if not value:
                self.line(indent, f"{k}: {{}}", note)
                return
            self.line(indent, f"{k}:", note)
            for sub, v in value.items():
                self.value(indent + 1, sub, v)
        elif isinstance(value, list):
            if not value:
                self.line(indent, f"{k}: []", note)
                return
            self.line(indent, f"{k}:", note)
            for item in value:
                self.item(indent + 1, item)
        else:
            self.line(indent, f"{k}: {scalar(value)}", note)

    def item(self, indent: int, item: Any) -> None:
        """One list item: a mapping (an outline section, a unit) or a scalar."""
        if isinstance(item, dict) and item:
            if all(not isinstance(v, (dict, list)) for v in item.values()) and K.title not in item:
                self.line(indent, "- " + _flow(item))
                return
            first = True
            for k, v in item.items():
                mark = "- " if first else "  "
                start = len(self.lines)
                self.value(indent + 1, k, v)
                self.lines[start] = INDENT * indent + mark + self.lines[start].lstrip()
                first = False
        else:
            self.line(indent, "- " + scalar(item))


def _paragraph_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, str) for v in value)


# --- the declared order ------------------------------------------------------------------------

def dump(data: dict, edition: Edition, header: list[str] = (), schema: str | None = None,
         hints: bool = True) -> str:
    """``data`` (a data file's mapping, Chinese keys) as the data file's text."""
    w = _Writer()
    if schema:
        w.hint(0, f"yaml-language-server: $schema={schema}")
    for text in header:
        w.hint(0, text)
    if schema or header:
        w.lines.append("")
    done: set[str] = set()

    def take(key: str) -> Any:
        done.add(key)
        return data.get(key)

    for key in (K.edition, K.script, K.agency, K.year, K.title):
        if key in data:
            w.value(0, key, take(key))
    year = data.get(K.year) if isinstance(data.get(K.year), int) else None
    if K.publish_date in data:
        w.value(0, K.publish_date, take(K.publish_date))
    elif hints and year:
        w.hint(0, f"{K.publish_date}: {year + 1}-01-20")
    if isinstance(data.get(K.publication), dict):
        w.value(0, K.publication, take(K.publication), "发布信息：" + "、".join(i.key for i in PUBLICATION_ITEMS))
    for key in (K.addressee, K.preamble):
        if key in data:
            w.value(0, key, take(key))
    w.lines.append("")
    for section in edition.sections:
        key = next((k for k in (section.key, *section.aliases) if k in data), section.key)
        if key in data:
            _section(w, section, take(key), hints)
            w.lines.append("")
    if K.body in data:
        w.value(0, K.body, take(K.body))
        w.lines.append("")
    if K.units in data:
        w.value(0, K.units, take(K.units), "各下级单位的主要数据（reportgen aggregate 写出），报告末尾附表列出")
        w.lines.append("")
    for key, value in data.items():  # anything else the data holds, as it is
        if key not in done and key not in (K.closing,):
            done.add(key)
            w.value(0, key, value)
    if K.closing in data:
        w.line(0, f"{K.closing}:")
        for line in take(K.closing) or []:
            w.line(1, "- " + scalar(one_line(str(line))))
    elif hints:
        agency = data.get(K.agency) if isinstance(data.get(K.agency), str) else "机关全称"
        w.hint(0, f"{K.closing}:   # 文末右对齐的署名和日期（可省略）")
        for line in draft_closing(agency, year) if year else [agency]:
            w.hint(0, f"  - {line}")
    return "\n".join(w.lines).rstrip("\n") + "\n"


def _section(w: _Writer, section: Section, value: Any, hints: bool) -> None:
    note = section.heading + (f"（{section.description}）" if section.description and section.kind == "overview" else "")
    if value is None:
        w.line(0, f"{scalar(section.key)}: null", section.heading + "：报告中没有这一部分")
        return
    if section.kind == "table" and isinstance(value, dict):
        _table(w, section, value, hints)
        return
    if section.kind == "text" and not isinstance(value, dict):
        w.value(0, section.key, value, note)
        return
    if not isinstance(value, dict):
        w.value(0, section.key, value, note)
        return
    if not value:
        w.line(0, f"{scalar(section.key)}: {{}}", note)
        if hints and section.kind == "other":
            w.hint(1, f"{K.other_paragraphs}: |")
            w.hint(1, "  其他需要报告的事项，每行一段。")
        return
    w.line(0, f"{scalar(section.key)}:", note)
    order = [K.title, K.intro, *(p.key for p in section.parts)]
    if section.values is not None:
        order.append(section.values.key)
    order += [K.paragraphs, K.other_paragraphs, K.sections]
    for key in order:
        if key in value:
            if section.values is not None and key == section.values.key and isinstance(value[key], dict):
                units = "；".join(f"{c.key}：{c.description}" for c in section.values.children if "单位" in c.description)
                w.line(1, f"{scalar(key)}: {_flow(value[key])}", units)
            else:
                w.value(1, key, value[key])
        elif hints and section.kind == "other" and key == K.other_paragraphs:
            w.hint(1, f"{K.other_paragraphs}: |")
            w.hint(1, "  其他需要报告的事项，每行一段。")
    for key, v in value.items():
        if key not in order:
            w.value(1, key, v)


def _table(w: _Writer, section: Section, value: dict, hints: bool) -> None:
    spec = section.table
    root = spec.shape()
    w.line(0, f"{scalar(section.key)}:", spec.title)
    for key in (K.title, K.table_intro):
        if key in value:
            w.value(1, key, value[key])
    rows = list(_rows(root))
    if hints and rows and len(root.children) > 1:
        cols = [f for f in rows[0].children if isinstance(f, Field)]
        optional = [f.key for f in cols if f.optional]
        note = "、".join(f.key for f in cols) + (f"（{'、'.join(optional)}可省略，自动计算）" if optional else "")
        w.hint(1, f"每行各列：{note}")
    _group(w, root, value, 1, hints)


def _rows(group: Group):
    for child in group.children:
        if isinstance(child, Group):
            if child.row is not None:
                yield child
            else:
                yield from _rows(child)


def _group(w: _Writer, group: Group, value: dict, indent: int, hints: bool) -> None:
    for child in group.children:
        label = child.description or child.label
        v = value.get(child.key) if isinstance(value, dict) else None
        if isinstance(child, Field):
            if v is None:
                if hints and child.optional:
                    w.hint(indent, f"{child.key}: 可省略，自动计算   # {child.label}")
                continue
            w.line(indent, f"{scalar(child.key)}: {scalar(v)}", label)
        elif child.row is not None:
            if v is None or (isinstance(v, dict) and all(x is None for x in v.values())):
                if hints and all(isinstance(f, Field) and f.optional for f in child.children):
                    w.hint(indent, f"{child.key}: 可省略，自动计算   # {child.label}")
                elif v is not None:
                    w.line(indent, f"{scalar(child.key)}: {{}}", label)
                continue
            if isinstance(v, dict):
                given = {k: x for k, x in v.items() if x is not None}
                w.line(indent, f"{scalar(child.key)}: {_flow(given)}", label)
            else:
                w.line(indent, f"{scalar(child.key)}: {scalar(v) if not isinstance(v, list) else '[' + ', '.join(scalar(x) for x in v) + ']'}", label)
        else:
            if v is None:
                continue
            w.line(indent, f"{scalar(child.key)}:", child.label)
            _group(w, child, v, indent + 1, hints)
    if isinstance(value, dict):  # keys the declaration does not know (a mistake kept visible)
        known = {c.key for c in group.children} | {K.title, K.table_intro}
        for key, v in value.items():
            if key not in known:
                w.value(indent, key, v)

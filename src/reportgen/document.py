"""The Document: the hub between composing/reading and writing.

A small, format-neutral tree of blocks — title, metadata, headings, paragraphs and tables
with spanned cells. It knows nothing of Jinja, python-docx, YAML or editions: readers
produce it, writers consume it. ``to_json``/``from_json`` give a stable dump used by golden
tests and for debugging (``reportgen render --format json``).
"""
from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from typing import Iterator, Union

# The one definition of a line break for the whole package: every character ``str.splitlines``
# ends a line at (\n \r \v \f, the file/group/record separators, NEL, LINE SEPARATOR and
# PARAGRAPH SEPARATOR). PyYAML, browsers and Word treat some of them as breaks too, so text that
# must stay on one line (a title, a table cell, a YAML comment) may contain none of them.
LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_BREAK = re.compile("[" + re.escape(LINE_BREAKS) + "]")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def has_line_break(text: str) -> bool:
    return _BREAK.search(text) is not None


def split_lines(text: str) -> list[str]:
    """``text`` cut at every line break of the one definition (``LINE_BREAKS``)."""
    return text.splitlines()


def one_line(text: str) -> str:
    """``text`` with every line break replaced by a space: for places that hold one line."""
    return _BREAK.sub(" ", text) if _BREAK.search(text) else text


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold (control characters, lone surrogates)."""
    return _XML_ILLEGAL.sub("", text) if _XML_ILLEGAL.search(text) else text


@dataclass
class Title:
    text: str
    lines: tuple[str, ...] = ()  # where the data file breaks the printed title (its lines); () when it does not
    type: str = "title"
    # where the title may break when it is too wide for a line (offsets, best first): before the
    # year and before the report's name as the edition's title pattern has them; a layout hint
    # for the writers, not part of the document's content (not compared, not dumped)
    breaks: tuple[int, ...] = field(default=(), compare=False)


@dataclass
class Meta:
    """Publication metadata shown above a report (索引号, 发布机构 …), in display order."""

    items: list[tuple[str, str]]
    type: str = "meta"


@dataclass
class Heading:
    level: int  # 1: 一、  2: （一）  3: 1.  4: （1）
    text: str
    type: str = "heading"


@dataclass
class Paragraph:
    text: str
    align: str = "justify"  # "justify" (body, first-line indent), "right" (signature, date) or
    #                         "left" (flush left, no indent: the addressee line 主送机关)
    type: str = "paragraph"


@dataclass(slots=True)
class Cell:
    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    role: str = "value"  # corner | header | caption | label | value


@dataclass
class Table:
    n_rows: int
    n_cols: int
    header_rows: int
    cells: list[Cell]
    name: str = ""
    type: str = "table"
    # text read as a table: the rows that begin a new box of lines (after a blank line), a reading
    # hint for tables.placement, not part of the document's content (not compared, not dumped)
    breaks: tuple[int, ...] = field(default=(), compare=False)

    def label_columns(self) -> set[int]:
        """Grid columns that hold row labels (covered by a label or corner cell)."""
        return {k for c in self.cells if c.role in ("label", "corner") for k in range(c.col, c.col + c.colspan)}

    def owner_grid(self) -> list[list[Cell]]:
        """Row-major grid in which every position holds the cell that covers it."""
        g: list[list[Cell]] = [[None] * self.n_cols for _ in range(self.n_rows)]  # type: ignore[list-item]
        for c in self.cells:
            for r in range(c.row, c.row + c.rowspan):
                for k in range(c.col, c.col + c.colspan):
                    g[r][k] = c
        return g


Block = Union[Title, Meta, Heading, Paragraph, Table]


def _dump(block) -> dict:
    """A block as JSON data; a title's lines only when it has them (the dump stays as it was)."""
    data = asdict(block)
    if isinstance(block, (Title, Table)):
        del data["breaks"]
    if isinstance(block, Title) and not block.lines:
        del data["lines"]
    return data


@dataclass
class Document:
    blocks: list[Block] = field(default_factory=list)
    lang: str = "zh-Hans"
    properties: dict[str, str] = field(default_factory=dict)  # title, author, subject …
    chrome: list[str] = field(default_factory=list)  # page text a reader set apart (breadcrumbs, 字体 …)
    # what a reader must tell, as (code, message): pages read by OCR, text no one can see …
    notices: list[tuple[str, str]] = field(default_factory=list)

    def __iter__(self) -> Iterator[Block]:
        return iter(self.blocks)

    @property
    def title(self) -> str:
        for b in self.blocks:
            if isinstance(b, Title):
                return b.text
        return self.properties.get("title", "")

    def to_json(self) -> str:
        data = {"lang": self.lang, "properties": self.properties,
                "blocks": [_dump(b) for b in self.blocks]}
        if self.chrome:
            data["chrome"] = self.chrome
        return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, text: str) -> "Document":
        data = json.loads(text)
        blocks: list[Block] = []
        for b in data["blocks"]:
            kind = b.pop("type")
            if kind == "title":
                blocks.append(Title(b["text"], tuple(b.get("lines", ()))))
            elif kind == "meta":
                blocks.append(Meta([tuple(i) for i in b["items"]]))  # type: ignore[misc]
            elif kind == "heading":
                blocks.append(Heading(**b))
            elif kind == "paragraph":
                blocks.append(Paragraph(**b))
            elif kind == "table":
                cells = [Cell(**c) for c in b.pop("cells")]
                blocks.append(Table(cells=cells, **b))
            else:
                raise ValueError(f"unknown block type {kind!r}")
        return cls(blocks, data.get("lang", "zh-Hans"), data.get("properties", {}), data.get("chrome", []))

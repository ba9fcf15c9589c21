"""The publication metadata government sites show above a report (索引号, 发布机构, 栏目 …),
declared once: each item's key, the other labels sites use for it, and its spellings in
Traditional script. The data model's ``发布信息`` and the readers' recognition of metadata
lines are both built from this list."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Item:
    attr: str                         # the model's attribute
    key: str                          # the label a data file uses by default
    aliases: tuple[str, ...] = ()     # other labels sites print for it
    traditional: tuple[str, ...] = ()  # the labels in Traditional script
    date: bool = False                # a date (with or without a time)
    yearly: bool = False              # belongs to one year's publication, not to the agency

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.key, *self.aliases)


ITEMS = (
    Item("index_no", "索引号", (), ("索引號",), yearly=True),
    Item("publisher", "发布机构", ("部门", "发布单位", "发文机关"), ("發布機構", "部門", "發布單位", "發文機關")),
    Item("column", "栏目", ("分类", "主题分类"), ("欄目", "分類", "主題分類")),
    Item("source", "来源", ("信息来源",), ("來源", "信息來源")),
    Item("author", "作者"),
    Item("editor", "编辑", ("发稿编辑", "责任编辑"), ("編輯", "發稿編輯", "責任編輯")),
    Item("publish_date", "发布日期", ("日期", "发布时间", "时间"), ("發布日期", "發布時間", "發佈日期", "發佈時間", "時間"), date=True,
         yearly=True),
    Item("written_date", "成文日期", (), (), date=True, yearly=True),
    Item("doc_no", "文号", ("发文字号",), ("文號", "發文字號"), yearly=True),
)


def all_labels() -> tuple[str, ...]:
    """Every label of every item, in both scripts."""
    return tuple(label for item in ITEMS for label in (*item.labels, *item.traditional))

"""The statutory tables of the 2019 edition (国办公开办函〔2019〕60号, 试行), declared once.

Reports on 2019 and 2020 use it (statutory.md §2.4–§2.6). Table 二 has five blocks with the
2019 columns (本年新制作数量…, 上一年项目数量 / 本年增/减 / 处理决定数量, 政府集中采购);
table 三 is the 2021 table except that （六）其他处理 is one row, so 三、本年度办理结果 spans
20 rows; table 四 is unchanged. Everything the two editions share is imported, not repeated.
"""
from __future__ import annotations

from .edition2021 import REVIEWS, applications_table
from .spec import AMOUNT, SIGNED, Block, BlockTable, node

# --- 二、主动公开政府信息情况 (statutory.md §2.4) -------------------------------------------


def _items_columns(*, decisions: bool = True) -> tuple:
    """上一年项目数量 · 本年增/减 (signed: a decrease is written as a negative number) · 处理决定数量."""
    cols = (node("上一年项目数量", "上一年项目数量", "previous_items"),
            node("本年增/减", "本年增减", "change", aliases=("本年增/减", "本年增减数量"), kind=SIGNED,
                 description="减少用负数表示，如 -8"))
    if decisions:
        cols += (node("处理决定数量", "处理决定数量", "decisions"),)
    return cols


PROACTIVE = BlockTable(
    name="proactive",
    key="主动公开政府信息情况",
    en="proactive_disclosure",
    title="二、主动公开政府信息情况",
    blocks=(
        Block("第二十条第（一）项", "信息内容",
              (node("本年新制作数量", "本年新制作数量", "new_made"),
               node("本年新公开数量", "本年新公开数量", "new_published"),
               node("对外公开总数量", "对外公开总数量", "total_published")),
              (node("规章", "规章", "rules"),
               node("规范性文件", "规范性文件", "normative_documents", aliases=("行政规范性文件",)))),
        Block("第二十条第（五）项", "信息内容", _items_columns(),
              (node("行政许可", "行政许可", "licensing"),
               node("其他对外管理服务事项", "其他对外管理服务事项", "other_services"))),
        Block("第二十条第（六）项", "信息内容", _items_columns(),
              (node("行政处罚", "行政处罚", "penalties"),
               node("行政强制", "行政强制", "coercive_measures"))),
        Block("第二十条第（八）项", "信息内容", _items_columns(decisions=False),
              (node("行政事业性收费", "行政事业性收费", "administrative_fees"),)),
        Block("第二十条第（九）项", "信息内容",
              (node("采购项目数量", "采购项目数量", "procurement_items"),
               node("采购总金额", "采购总金额", "procurement_amount", kind=AMOUNT,
                    description="格式未规定单位，按本机关填报的数额")),
              (node("政府集中采购", "政府集中采购", "central_procurement"),)),
    ),
)

# --- 三、收到和处理政府信息公开申请情况 (statutory.md §2.5) ---------------------------------

OTHER_HANDLING = node("（六）其他处理", "其他处理", "other_handling")

APPLICATIONS = applications_table("applications", OTHER_HANDLING)

# --- 四 (statutory.md §2.6): identical to 2021 ---------------------------------------------

TABLES = (PROACTIVE, APPLICATIONS, REVIEWS)

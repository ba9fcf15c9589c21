"""The statutory tables of the 2021 edition (国办公开办函〔2021〕30号), declared once.

Labels are byte for byte those of the format (statutory.md §1.5–§1.7): full-width brackets,
curly quotes in “三安全一稳定”, ASCII ``1.`` numbering, 、 in （六）1 and 2. Data keys are the
short official terms a clerk writes in YAML; English names are accepted as aliases.
"""
from __future__ import annotations

from .spec import MONEY, Block, BlockTable, MatrixTable, SumRule, leaves, node

# --- 二、主动公开政府信息情况 (statutory.md §1.5) -------------------------------------------

_DECISIONS = node("本年处理决定数量", "本年处理决定数量", "decisions")

PROACTIVE = BlockTable(
    name="proactive",
    key="主动公开政府信息情况",
    en="proactive_disclosure",
    title="二、主动公开政府信息情况",
    blocks=(
        Block("第二十条第（一）项", "信息内容",
              (node("本年制发件数", "本年制发件数", "issued"),
               node("本年废止件数", "本年废止件数", "repealed"),
               node("现行有效件数", "现行有效件数", "in_force")),
              (node("规章", "规章", "rules"),
               node("行政规范性文件", "行政规范性文件", "normative_documents", aliases=("规范性文件",)))),
        Block("第二十条第（五）项", "信息内容", (_DECISIONS,),
              (node("行政许可", "行政许可", "licensing"),)),
        Block("第二十条第（六）项", "信息内容", (_DECISIONS,),
              (node("行政处罚", "行政处罚", "penalties"),
               node("行政强制", "行政强制", "coercive_measures"))),
        Block("第二十条第（八）项", "信息内容",
              (node("本年收费金额（单位：万元）", "本年收费金额", "fee_income", kind=MONEY,
                    description="单位：万元，保留填报的小数位"),),
              (node("行政事业性收费", "行政事业性收费", "administrative_fees", kind=MONEY),)),
    ),
)

# --- 三、收到和处理政府信息公开申请情况 (statutory.md §1.6) ---------------------------------

APPLICANT_COLUMNS = (
    node("申请人情况", None, None,
         node("自然人", "自然人", "natural_person"),
         node("法人或其他组织", None, None,
              node("商业企业", "商业企业", "business"),
              node("科研机构", "科研机构", "research"),
              node("社会公益组织", "社会公益组织", "nonprofit"),
              node("法律服务机构", "法律服务机构", "legal_services"),
              node("其他", "其他", "other")),
         node("总计", "总计", "total", total=True)),
)
APPLICANT_PARTS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")

BALANCE_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

REFUSED = node("（三）不予公开", "不予公开", "refused",
               node("1.属于国家秘密", "属于国家秘密", "state_secret"),
               node("2.其他法律行政法规禁止公开", "其他法律行政法规禁止公开", "prohibited_by_law"),
               node("3.危及“三安全一稳定”", "危及三安全一稳定", "endangers_security",
                    aliases=("危及“三安全一稳定”",)),
               node("4.保护第三方合法权益", "保护第三方合法权益", "third_party_rights"),
               node("5.属于三类内部事务信息", "属于三类内部事务信息", "internal_affairs"),
               node("6.属于四类过程性信息", "属于四类过程性信息", "process_information"),
               node("7.属于行政执法案卷", "属于行政执法案卷", "enforcement_files"),
               node("8.属于行政查询事项", "属于行政查询事项", "administrative_inquiry"))
UNABLE = node("（四）无法提供", "无法提供", "unable_to_provide",
              node("1.本机关不掌握相关政府信息", "本机关不掌握相关政府信息", "not_held"),
              node("2.没有现成信息需要另行制作", "没有现成信息需要另行制作", "would_need_creating"),
              node("3.补正后申请内容仍不明确", "补正后申请内容仍不明确", "still_unclear"))
NOT_PROCESSED = node("（五）不予处理", "不予处理", "not_processed",
                     node("1.信访举报投诉类申请", "信访举报投诉类申请", "petitions"),
                     node("2.重复申请", "重复申请", "repeated"),
                     node("3.要求提供公开出版物", "要求提供公开出版物", "publications"),
                     node("4.无正当理由大量反复申请", "无正当理由大量反复申请", "excessive"),
                     node("5.要求行政机关确认或重新出具已获取信息", "要求行政机关确认或重新出具已获取信息",
                          "reconfirmation"))
OTHER_HANDLING = node("（六）其他处理", "其他处理", "other_handling",
                      node("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "逾期不补正",
                           "no_correction"),
                      node("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "逾期未缴费",
                           "fee_unpaid"),
                      node("3.其他", "其他", "other"))


def applications_table(name: str, other_handling, single_row_groups: tuple[str, ...] = ()) -> MatrixTable:
    """Table 三 with the edition's （六）其他处理 block (three rows in 2021, one in 2019)."""
    results = node("三、本年度办理结果", "办理结果", "results",
                   node("（一）予以公开", "予以公开", "granted"),
                   node("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "部分公开", "partly_granted"),
                   REFUSED, UNABLE, NOT_PROCESSED, other_handling,
                   node("（七）总计", "总计", "total", total=True))
    result_rows = tuple("办理结果." + rid for rid, _ in leaves(results.children) if rid != "总计")
    return MatrixTable(
        name=name,
        key="收到和处理政府信息公开申请情况",
        en="applications",
        title="三、收到和处理政府信息公开申请情况",
        corner=BALANCE_NOTE,
        rows=(node("一、本年新收政府信息公开申请数量", "本年新收", "new_applications"),
              node("二、上年结转政府信息公开申请数量", "上年结转", "carried_over"),
              results,
              node("四、结转下年度继续办理", "结转下年度", "carried_forward")),
        columns=APPLICANT_COLUMNS,
        rules=(
            SumRule(("总计",), APPLICANT_PARTS, "columns", name="总计列"),
            SumRule(("办理结果.总计",), result_rows, "rows", name="（七）总计"),
            SumRule(("本年新收", "上年结转"), ("办理结果.总计", "结转下年度"), "rows", official=True,
                    name="勾稽关系", note=BALANCE_NOTE),
        ),
        single_row_groups=single_row_groups,
    )


# reports that keep the 2019 layout's single （六）其他处理 row in a 2021 table: its numbers are 3.其他's
APPLICATIONS = applications_table("applications", OTHER_HANDLING, single_row_groups=("办理结果.其他处理.其他",))

# --- 四、政府信息公开行政复议、行政诉讼情况 (statutory.md §1.7) ----------------------------


def _outcomes() -> tuple:
    return (node("结果维持", "结果维持", "upheld"),
            node("结果纠正", "结果纠正", "corrected"),
            node("其他结果", "其他结果", "other"),
            node("尚未审结", "尚未审结", "pending"),
            node("总计", "总计", "total", total=True))


def _group_total(group: str) -> SumRule:
    parts = tuple(f"{group}.{k}" for k in ("结果维持", "结果纠正", "其他结果", "尚未审结"))
    return SumRule((f"{group}.总计",), parts, "columns", name=f"{group}总计")


REVIEWS = MatrixTable(
    name="reviews",
    key="政府信息公开行政复议、行政诉讼情况",
    en="reviews_and_lawsuits",
    title="四、政府信息公开行政复议、行政诉讼情况",
    rows=(),
    columns=(node("行政复议", "行政复议", "administrative_review", *_outcomes()),
             node("行政诉讼", None, None,
                  node("未经复议直接起诉", "未经复议直接起诉", "direct_lawsuit", *_outcomes()),
                  node("复议后起诉", "复议后起诉", "lawsuit_after_review", *_outcomes()))),
    rules=tuple(_group_total(g) for g in ("行政复议", "未经复议直接起诉", "复议后起诉")),
)

TABLES = (PROACTIVE, APPLICATIONS, REVIEWS)

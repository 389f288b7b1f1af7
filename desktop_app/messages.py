"""Chinese wording of findings and field names, shared by the window and the CLI.

The domain returns codes and figures; this catalogue turns them into sentences. Every
template is wrapped in ``QT_TRANSLATE_NOOP`` so ``pyside6-lupdate`` collects it; the UI
passes each through ``QCoreApplication.translate`` (an English translation can be added
without touching this file), the CLI uses it as is. No Qt import here.
"""

from __future__ import annotations

from .domain.checks import Finding, Severity, Tab


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name lupdate looks for
    """Mark ``text`` for translation in ``context``; returns it unchanged."""
    return text


CONTEXT = "Findings"

TEMPLATES: dict[str, str] = {
    "required_empty": QT_TRANSLATE_NOOP("Findings", "必填项“{field}”未填写"),
    "value_unparsed": QT_TRANSLATE_NOOP("Findings", "无法识别“{text}”：{reason}"),
    "amount_negative": QT_TRANSLATE_NOOP("Findings", "金额不能为负数（{value} 万元）"),
    "team_no_leader": QT_TRANSLATE_NOOP("Findings", "工作组没有组长：请至少填写一名组长"),
    "member_no_name": QT_TRANSLATE_NOOP("Findings", "工作组成员姓名未填写"),
    "dates_out_of_order": QT_TRANSLATE_NOOP(
        "Findings", "日期顺序不对：{later_field} {later} 早于 {first_field} {first}"),
    "date_within_fiscal_year": QT_TRANSLATE_NOOP(
        "Findings", "{field} {date} 应在评价年度 {year} 年之后"),
    "funds_missing": QT_TRANSLATE_NOOP("Findings", "资金表为空：报告必须列出项目资金"),
    "spent_exceeds_allocated": QT_TRANSLATE_NOOP(
        "Findings", "“{line}”执行数 {spent} 万元大于到位数 {allocated} 万元"),
    "spent_exceeds_budget": QT_TRANSLATE_NOOP(
        "Findings", "“{line}”执行数 {spent} 万元大于全年预算数 {budget} 万元"),
    "allocated_exceeds_budget": QT_TRANSLATE_NOOP(
        "Findings", "“{line}”到位数 {allocated} 万元大于全年预算数 {budget} 万元"),
    "child_without_parent": QT_TRANSLATE_NOOP("Findings", "“{line}”是“其中”行，但上面没有所属的资金行"),
    "part_exceeds_whole": QT_TRANSLATE_NOOP(
        "Findings", "其中“{line}”的{column} {part} 万元大于所属“{parent}”的 {whole} 万元"),
    "children_exceed_whole": QT_TRANSLATE_NOOP(
        "Findings", "“{line}”各“其中”行的{column}合计 {part} 万元大于本行 {whole} 万元"),
    "weights_not_100": QT_TRANSLATE_NOOP("Findings", "分值合计为 {sum}，应为 100（含预算执行率分值）"),
    "indicators_missing": QT_TRANSLATE_NOOP("Findings", "尚未填写绩效指标"),
    "score_negative": QT_TRANSLATE_NOOP("Findings", "“{indicator}”得分 {score} 不能为负数"),
    "score_above_weight": QT_TRANSLATE_NOOP("Findings", "“{indicator}”得分 {score} 超过分值 {weight}"),
    "weight_negative": QT_TRANSLATE_NOOP("Findings", "“{indicator}”分值 {weight} 不能为负数"),
    "execution_score_above_weight": QT_TRANSLATE_NOOP(
        "Findings", "预算执行率得分 {score} 超过分值 {weight}"),
    "execution_score_above_rate": QT_TRANSLATE_NOOP(
        "Findings", "预算执行率得分 {score} 超过按规则可得的 {allowed} 分（分值 {weight} × 执行率 {rate}）"),
    "total_above_ceiling": QT_TRANSLATE_NOOP(
        "Findings", "总分 {total} 超过预算执行率 {rate} 所允许的最高分 {ceiling}"),
    "grade_stated_twice": QT_TRANSLATE_NOOP("Findings", "评价结论中等级前后不一：同时写了“{grades}”"),
    "grade_text_mismatch": QT_TRANSLATE_NOOP(
        "Findings", "文中写“{stated}”等级，但按总分 {total} 应为“{derived}”"),
    "execution_weight_split": QT_TRANSLATE_NOOP(
        "Findings", "预算执行率分值为 {weight}，按所选评分规则应为 {expected}"),
    "category_weight_split": QT_TRANSLATE_NOOP(
        "Findings", "{category}分值合计 {weight}，按所选评分规则应为 {expected}"),
    "total_above_rate_cap": QT_TRANSLATE_NOOP(
        "Findings", "预算执行率 {rate} 时总分不得超过 {cap}，现为 {total}"),
    "indicator_name_missing": QT_TRANSLATE_NOOP("Findings", "有分值（{weight}）的指标行未填写三级指标名称"),
    "qualitative_outcome_unknown": QT_TRANSLATE_NOOP(
        "Findings", "定性指标“{indicator}”的完成情况“{actual}”不是三种标准结论之一"),
    "score_outside_band": QT_TRANSLATE_NOOP(
        "Findings", "“{indicator}”结论为“{outcome}”，得分应在 {low}–{high} 之间，现为 {score}"),
    "target_not_a_number": QT_TRANSLATE_NOOP("Findings", "定量指标“{indicator}”的年度指标值“{target}”不是数字"),
    "actual_not_a_number": QT_TRANSLATE_NOOP("Findings", "定量指标“{indicator}”的实际完成值“{actual}”不是数字"),
    "unit_missing": QT_TRANSLATE_NOOP("Findings", "定量指标“{indicator}”未填写度量单位"),
    "score_disagrees": QT_TRANSLATE_NOOP(
        "Findings", "“{indicator}”得分 {score} 与按公式计算的 {suggested} 不一致"),
    "deviation_note_missing": QT_TRANSLATE_NOOP(
        "Findings", "“{indicator}”{why_text}，须填写偏差原因分析及改进措施"),
    "text_allocation_rate_mismatch": QT_TRANSLATE_NOOP(
        "Findings", "文中“{stated}”与资金表不符：资金到位率为 {actual}"),
    "text_execution_rate_mismatch": QT_TRANSLATE_NOOP(
        "Findings", "文中“{stated}”与资金表不符：预算执行率为 {actual}"),
    "text_total_score_mismatch": QT_TRANSLATE_NOOP("Findings", "文中“{stated}”与评分不符：总分为 {actual}"),
    "text_output_count_mismatch": QT_TRANSLATE_NOOP("Findings", "文中“{stated}”与产出清单不符：清单共 {actual} 项"),
    "text_amount_mismatch": QT_TRANSLATE_NOOP("Findings", "文中“{stated}”在资金表、产出清单和指标中都找不到对应数字"),
    "section_empty": QT_TRANSLATE_NOOP("Findings", "提纲中的“{section}”一节还没有内容"),
    "glyph_missing": QT_TRANSLATE_NOOP(
        "Findings", "“{char}”（{codepoint}）在所有可用字体中都没有，打印出来会是方框：请安装含此字的字体或改用常用字"),
}

#: Codes found outside the domain's validate() (the PDF layer knows the fonts).
EXTERNAL_CODES = frozenset({"glyph_missing"})

#: Why each rule exists and where it comes from (shown as the panel's tooltip).
RULES: dict[str, tuple[str, str]] = {
    "required_empty": (QT_TRANSLATE_NOOP("Rules", "自评表和报告落款都需要这些信息"), "财预〔2020〕10号 附件"),
    "value_unparsed": (QT_TRANSLATE_NOOP("Rules", "无法识别的数字不参与计算，打印前必须改正"), "本程序"),
    "amount_negative": (QT_TRANSLATE_NOOP("Rules", "预算、到位、执行金额不会是负数"), "审核常规"),
    "team_no_leader": (QT_TRANSLATE_NOOP("Rules", "绩效评价工作组须有组长负责"), "审核常规"),
    "member_no_name": (QT_TRANSLATE_NOOP("Rules", "签字页按成员姓名打印"), "本程序"),
    "indicators_missing": (QT_TRANSLATE_NOOP("Rules", "自评表须列出产出、效益、满意度指标"), "财预〔2020〕10号 附件"),
    "weight_negative": (QT_TRANSLATE_NOOP("Rules", "分值不会是负数"), "财预〔2020〕10号"),
    "indicator_name_missing": (QT_TRANSLATE_NOOP("Rules", "空行不应有分值"), "审核常规"),
    "qualitative_outcome_unknown": (QT_TRANSLATE_NOOP("Rules", "定性指标按达成、部分达成、未达成三档评分"), "财预〔2020〕10号"),
    "unit_missing": (QT_TRANSLATE_NOOP("Rules", "定量指标须有比较方式、数值和单位"), "审核常规"),
    "execution_score_above_weight": (QT_TRANSLATE_NOOP("Rules", "得分在 0 与分值之间"), "财预〔2020〕10号"),
    "dates_out_of_order": (QT_TRANSLATE_NOOP("Rules", "成立工作组 ≤ 现场检查 ≤ 报告日期"), "审核常规"),
    "date_within_fiscal_year": (QT_TRANSLATE_NOOP("Rules", "自评在评价年度结束后进行"), "审核常规"),
    "funds_missing": (QT_TRANSLATE_NOOP("Rules", "报告必须列出项目资金"), "财预〔2020〕10号 附件"),
    "spent_exceeds_allocated": (QT_TRANSLATE_NOOP("Rules", "执行数 ≤ 到位数 ≤ 预算数"), "审核常规"),
    "spent_exceeds_budget": (QT_TRANSLATE_NOOP("Rules", "执行数一般不超过全年预算数"), "审核常规"),
    "allocated_exceeds_budget": (QT_TRANSLATE_NOOP("Rules", "到位数一般不超过全年预算数"), "审核常规"),
    "part_exceeds_whole": (QT_TRANSLATE_NOOP("Rules", "“其中”行是所属行的一部分，不能大于整体"), "审核常规"),
    "children_exceed_whole": (QT_TRANSLATE_NOOP("Rules", "各“其中”行之和不能大于所属行"), "审核常规"),
    "child_without_parent": (QT_TRANSLATE_NOOP("Rules", "“其中”行必须跟在所属资金行之后"), "本程序"),
    "weights_not_100": (QT_TRANSLATE_NOOP("Rules", "各项分值合计为100分"), "财预〔2020〕10号"),
    "execution_weight_split": (QT_TRANSLATE_NOOP("Rules", "分值按所选评分规则分配"), "财预〔2020〕10号"),
    "category_weight_split": (QT_TRANSLATE_NOOP("Rules", "产出50、效益30、满意度10（全国默认）"), "财预〔2020〕10号"),
    "score_above_weight": (QT_TRANSLATE_NOOP("Rules", "得分在 0 与分值之间"), "财预〔2020〕10号"),
    "score_negative": (QT_TRANSLATE_NOOP("Rules", "得分在 0 与分值之间"), "财预〔2020〕10号"),
    "execution_score_above_rate": (QT_TRANSLATE_NOOP("Rules", "预算执行率得分 = 分值 × 执行率，不超过分值"), "财预〔2020〕10号"),
    "total_above_ceiling": (QT_TRANSLATE_NOOP("Rules", "总分 ≤ 100 − 执行率分值 × (1 − 执行率)"), "财预〔2020〕10号"),
    "total_above_rate_cap": (QT_TRANSLATE_NOOP("Rules", "执行率70%–80%总分≤89，60%–70%≤79，低于60%≤69，低于50%≤59"), "部分省份规定"),
    "score_outside_band": (QT_TRANSLATE_NOOP("Rules", "定性指标：达成80%–100%，部分达成60%–80%，未达成0–60%"), "财预〔2020〕10号"),
    "score_disagrees": (QT_TRANSLATE_NOOP("Rules", "定量指标得分按完成比例计算"), "财预〔2020〕10号"),
    "deviation_note_missing": (QT_TRANSLATE_NOOP("Rules", "未得满分或超额30%以上须说明偏差原因及改进措施"), "财预〔2020〕10号"),
    "target_not_a_number": (QT_TRANSLATE_NOOP("Rules", "定量指标须有比较方式、数值和单位"), "审核常规"),
    "actual_not_a_number": (QT_TRANSLATE_NOOP("Rules", "定量指标的实际完成值须为数字"), "审核常规"),
    "grade_stated_twice": (QT_TRANSLATE_NOOP("Rules", "等级由总分决定：优≥90，良80–90，中60–80，差<60"), "财预〔2020〕10号"),
    "grade_text_mismatch": (QT_TRANSLATE_NOOP("Rules", "等级由总分决定：优≥90，良80–90，中60–80，差<60"), "财预〔2020〕10号"),
    "text_allocation_rate_mismatch": (QT_TRANSLATE_NOOP("Rules", "资金到位率 = 到位数 ÷ 全年预算数；文中数字须与表一致"), "审核常规"),
    "text_execution_rate_mismatch": (QT_TRANSLATE_NOOP("Rules", "预算执行率 = 执行数 ÷ 全年预算数；文中数字须与表一致"), "财预〔2020〕10号"),
    "text_total_score_mismatch": (QT_TRANSLATE_NOOP("Rules", "文中自评分须与评分表一致"), "审核常规"),
    "text_output_count_mismatch": (QT_TRANSLATE_NOOP("Rules", "文中数字须与表一致"), "审核常规"),
    "text_amount_mismatch": (QT_TRANSLATE_NOOP("Rules", "文中金额须与表一致（1亿元 = 10000万元）"), "审核常规"),
    "section_empty": (QT_TRANSLATE_NOOP("Rules", "提纲各部分都应有内容"), "财预〔2020〕10号 附件"),
    "glyph_missing": (QT_TRANSLATE_NOOP("Rules", "打印件上的每个字都必须可读"), "本程序"),
}

WHY: dict[str, str] = {
    "over": QT_TRANSLATE_NOOP("Findings", "实际完成值超过目标30%以上"),
    "below": QT_TRANSLATE_NOOP("Findings", "得分 {score} 低于分值 {weight}"),
}

CATEGORIES: dict[str, str] = {
    "output": QT_TRANSLATE_NOOP("Fields", "产出指标"),
    "benefit": QT_TRANSLATE_NOOP("Fields", "效益指标"),
    "satisfaction": QT_TRANSLATE_NOOP("Fields", "满意度指标"),
}

REASONS: dict[str, str] = {
    "not_a_number": QT_TRANSLATE_NOOP("Findings", "不是数字"),
    "too_precise": QT_TRANSLATE_NOOP("Findings", "金额最多精确到分"),
    "too_large": QT_TRANSLATE_NOOP("Findings", "数值过大"),
    "too_many_digits": QT_TRANSLATE_NOOP("Findings", "数字的位数过多（最多 28 位）"),
    "not_a_date": QT_TRANSLATE_NOOP("Findings", "不是有效日期，请按 2021-03-10 或 2021年3月10日 填写"),
    "not_a_year": QT_TRANSLATE_NOOP("Findings", "年度应为四位数字，如 2020"),
}

FIELDS: dict[str, str] = {
    # header
    "unit_name": QT_TRANSLATE_NOOP("Fields", "单位名称"),
    "supervising_department": QT_TRANSLATE_NOOP("Fields", "主管部门"),
    "implementing_unit": QT_TRANSLATE_NOOP("Fields", "实施单位"),
    "project_name": QT_TRANSLATE_NOOP("Fields", "项目名称"),
    "fiscal_year": QT_TRANSLATE_NOOP("Fields", "评价年度"),
    "title": QT_TRANSLATE_NOOP("Fields", "报告标题"),
    "report_date": QT_TRANSLATE_NOOP("Fields", "报告日期"),
    "policy_documents": QT_TRANSLATE_NOOP("Fields", "政策依据"),
    "doc_number": QT_TRANSLATE_NOOP("Fields", "文号"),
    # overview
    "opening": QT_TRANSLATE_NOOP("Fields", "开篇（政策依据）"),
    "background": QT_TRANSLATE_NOOP("Fields", "立项背景"),
    "implementation": QT_TRANSLATE_NOOP("Fields", "项目实施情况"),
    "funding": QT_TRANSLATE_NOOP("Fields", "经费来源和使用情况"),
    "annual_goal": QT_TRANSLATE_NOOP("Fields", "年度总体目标"),
    "goal_achieved": QT_TRANSLATE_NOOP("Fields", "实际完成情况"),
    "management": QT_TRANSLATE_NOOP("Fields", "管理"),
    "outputs": QT_TRANSLATE_NOOP("Fields", "产出情况"),
    "effects": QT_TRANSLATE_NOOP("Fields", "效果"),
    "conclusion": QT_TRANSLATE_NOOP("Fields", "评价结论"),
    # team
    "formed_on": QT_TRANSLATE_NOOP("Fields", "工作组成立日期"),
    "site_check_on": QT_TRANSLATE_NOOP("Fields", "现场检查日期"),
    "office": QT_TRANSLATE_NOOP("Fields", "办公室"),
    "contact": QT_TRANSLATE_NOOP("Fields", "联系人"),
    "members": QT_TRANSLATE_NOOP("Fields", "工作组成员"),
    "role": QT_TRANSLATE_NOOP("Fields", "角色"),
    "name": QT_TRANSLATE_NOOP("Fields", "名称"),
    "position": QT_TRANSLATE_NOOP("Fields", "职务"),
    "leader_duties": QT_TRANSLATE_NOOP("Fields", "组长职责"),
    "deputy_duties": QT_TRANSLATE_NOOP("Fields", "副组长职责"),
    "member_duties": QT_TRANSLATE_NOOP("Fields", "成员职责"),
    "site_check": QT_TRANSLATE_NOOP("Fields", "现场检查情况"),
    # funds
    "fund_lines": QT_TRANSLATE_NOOP("Fields", "资金表"),
    "source": QT_TRANSLATE_NOOP("Fields", "资金来源"),
    "initial_budget": QT_TRANSLATE_NOOP("Fields", "年初预算数"),
    "budget": QT_TRANSLATE_NOOP("Fields", "全年预算数"),
    "allocated": QT_TRANSLATE_NOOP("Fields", "到位数"),
    "spent": QT_TRANSLATE_NOOP("Fields", "执行数"),
    "execution_weight": QT_TRANSLATE_NOOP("Fields", "预算执行率分值"),
    "custom_weights": QT_TRANSLATE_NOOP("Fields", "自定义分值"),
    "execution_score": QT_TRANSLATE_NOOP("Fields", "预算执行率得分"),
    # indicators and outputs
    "indicators": QT_TRANSLATE_NOOP("Fields", "绩效指标"),
    "level1": QT_TRANSLATE_NOOP("Fields", "一级指标"),
    "level2": QT_TRANSLATE_NOOP("Fields", "二级指标"),
    "direction": QT_TRANSLATE_NOOP("Fields", "指标性质"),
    "target": QT_TRANSLATE_NOOP("Fields", "年度指标值"),
    "actual": QT_TRANSLATE_NOOP("Fields", "实际完成值"),
    "unit": QT_TRANSLATE_NOOP("Fields", "单位"),
    "weight": QT_TRANSLATE_NOOP("Fields", "分值"),
    "score": QT_TRANSLATE_NOOP("Fields", "得分"),
    "deviation_note": QT_TRANSLATE_NOOP("Fields", "偏差原因分析及改进措施"),
    "applicable": QT_TRANSLATE_NOOP("Fields", "适用"),
    "output_items": QT_TRANSLATE_NOOP("Fields", "产出清单"),
    "amount": QT_TRANSLATE_NOOP("Fields", "金额"),
    "category": QT_TRANSLATE_NOOP("Fields", "类别"),
    # closing
    "lessons": QT_TRANSLATE_NOOP("Fields", "经验总结"),
    "problems": QT_TRANSLATE_NOOP("Fields", "存在问题"),
    "suggestions": QT_TRANSLATE_NOOP("Fields", "意见或建议"),
}

TABS: dict[Tab, str] = {
    Tab.OVERVIEW: QT_TRANSLATE_NOOP("Tabs", "概况"),
    Tab.TEAM: QT_TRANSLATE_NOOP("Tabs", "工作组"),
    Tab.FUNDS: QT_TRANSLATE_NOOP("Tabs", "资金"),
    Tab.OUTPUTS: QT_TRANSLATE_NOOP("Tabs", "产出"),
    Tab.SCORING: QT_TRANSLATE_NOOP("Tabs", "评分"),
}

SEVERITIES: dict[Severity, str] = {
    Severity.ERROR: QT_TRANSLATE_NOOP("Findings", "错误"),
    Severity.WARNING: QT_TRANSLATE_NOOP("Findings", "提醒"),
}

def _identity(context: str, text: str) -> str:
    return text


def field_label(name: str, translate=_identity) -> str:  # type: ignore[no-untyped-def]
    """The Chinese name of a field attribute (the attribute name itself if unknown)."""
    text = FIELDS.get(name)
    return translate("Fields", text) if text else name


def finding_message(finding: Finding, translate=_identity) -> str:  # type: ignore[no-untyped-def]
    """The sentence for a finding, its figures filled in."""
    params = dict(finding.params)
    for key in ("field", "column", "first_field", "later_field"):
        if key in params:
            params[key] = field_label(params[key], translate)
    if "reason" in params:
        params["reason"] = translate(CONTEXT, REASONS.get(params["reason"], params["reason"]))
    if "category" in params:
        params["category"] = translate("Fields", CATEGORIES.get(params["category"], params["category"]))
    if "why" in params:
        params["why_text"] = translate(CONTEXT, WHY[params["why"]]).format(**params)
    template = translate(CONTEXT, TEMPLATES.get(finding.code, finding.code))
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        return template


def finding_reason(finding: Finding, translate=_identity) -> str:  # type: ignore[no-untyped-def]
    """One line saying why the rule exists and its source, e.g. ``…（依据：财预〔2020〕10号）``."""
    reason, source = RULES.get(finding.code, ("", ""))
    if not reason:
        return ""
    return translate("Rules", "{reason}（依据：{source}）").format(reason=translate("Rules", reason), source=source)


#: What each of the rule set's custom weights is the weight of.
CUSTOM_WEIGHT_BLOCKS = (
    QT_TRANSLATE_NOOP("Fields", "产出"), QT_TRANSLATE_NOOP("Fields", "效益"), QT_TRANSLATE_NOOP("Fields", "满意度"),
)


def finding_location(finding: Finding, translate=_identity) -> str:  # type: ignore[no-untyped-def]
    """Where a finding is: ``资金 › 执行数 › 第2行``."""
    parts = [translate("Tabs", TABS[finding.tab])]
    path = finding.path
    names = [step for step in path
             if isinstance(step, str) and step not in ("header", "overview", "team", "closing", "rules")]
    rows = [step for step in path if isinstance(step, int)]
    if path[:2] == ("rules", "custom_weights") and rows and rows[0] < len(CUSTOM_WEIGHT_BLOCKS):
        # the three weights are the blocks 产出, 效益, 满意度, not rows of a table
        return " › ".join([*parts, field_label(names[0], translate),
                           translate("Fields", CUSTOM_WEIGHT_BLOCKS[rows[0]])])
    if names:
        parts.append(field_label(names[0], translate))
    if len(names) > 1:
        parts.append(field_label(names[-1], translate))
    if rows:
        parts.append(translate("Findings", "第{row}行").format(row=rows[0] + 1))
    return " › ".join(parts)

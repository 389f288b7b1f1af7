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
    "score_missing": QT_TRANSLATE_NOOP("Findings", "“{indicator}”已设分值但未打分"),
    "execution_score_above_weight": QT_TRANSLATE_NOOP(
        "Findings", "预算执行率得分 {score} 超过分值 {weight}"),
    "execution_score_above_rate": QT_TRANSLATE_NOOP(
        "Findings", "预算执行率得分 {score} 超过按规则可得的 {allowed} 分（分值 {weight} × 执行率 {rate}）"),
    "total_above_ceiling": QT_TRANSLATE_NOOP(
        "Findings", "总分 {total} 超过预算执行率 {rate} 所允许的最高分 {ceiling}"),
    "grade_stated_twice": QT_TRANSLATE_NOOP("Findings", "评价结论中等级前后不一：同时写了“{grades}”"),
    "grade_text_mismatch": QT_TRANSLATE_NOOP(
        "Findings", "文中写“{stated}”等级，但按总分 {total} 应为“{derived}”"),
}

REASONS: dict[str, str] = {
    "not_a_number": QT_TRANSLATE_NOOP("Findings", "不是数字"),
    "too_precise": QT_TRANSLATE_NOOP("Findings", "金额最多精确到分"),
    "too_large": QT_TRANSLATE_NOOP("Findings", "数值过大"),
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

Translate = "Callable[[str, str], str]"


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
    template = translate(CONTEXT, TEMPLATES.get(finding.code, finding.code))
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        return template


def finding_location(finding: Finding, translate=_identity) -> str:  # type: ignore[no-untyped-def]
    """Where a finding is: ``资金 › 执行数 › 第2行``."""
    parts = [translate("Tabs", TABS[finding.tab])]
    path = finding.path
    names = [step for step in path if isinstance(step, str) and step not in ("header", "overview", "team", "closing")]
    rows = [step for step in path if isinstance(step, int)]
    if names:
        parts.append(field_label(names[0], translate))
    if len(names) > 1:
        parts.append(field_label(names[-1], translate))
    if rows:
        parts.append(translate("Findings", "第{row}行").format(row=rows[0] + 1))
    return " › ".join(parts)

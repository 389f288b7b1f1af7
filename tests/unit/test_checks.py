"""Every reviewer rule: a failing case raises its code; the mended demo raises nothing.

The passing case of every rule is the demo with its two real mistakes mended (the
execution-rate score and the conclusion sentence): ``validate`` returns no finding at all.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from desktop_app.demo import load_demo
from desktop_app.domain.checks import Severity, validate
from desktop_app.domain.model import Direction, FundLine, Indicator, Role, TeamMember, Unparsed, WeightSplit
from desktop_app.messages import EXTERNAL_CODES, RULES, TEMPLATES, finding_message, finding_reason

WAN = Decimal(10000)


def clean():
    report = load_demo()
    report.execution_score = Decimal("8.11")
    report.overview.conclusion = "经自评，该项目自评得分为97.11分，评价等级为优，已达到预期绩效目标。"
    return report


def set_(path, value):
    def change(report):
        node = report
        for step in path[:-1]:
            node = node[step] if isinstance(step, int) else getattr(node, step)
        if isinstance(path[-1], int):
            node[path[-1]] = value
        else:
            setattr(node, path[-1], value)
    return change


def add_child_too_big(report):
    report.fund_lines.append(FundLine("另一子项", is_child=True, budget=200 * WAN))


def orphan_child(report):
    report.fund_lines.insert(0, FundLine("孤立子项", is_child=True, budget=WAN))


def cost_over(report):
    report.indicators[4].actual = "400"
    report.indicators[4].score = None


CASES = [
    ("required_empty", set_(("header", "unit_name"), "")),
    ("value_unparsed", set_(("fund_lines", 0, "budget"), Unparsed("三百", "not_a_number"))),
    ("amount_negative", set_(("fund_lines", 1, "spent"), Decimal(-1))),
    ("team_no_leader", set_(("team", "members", 0, "role"), Role.MEMBER)),
    ("member_no_name", lambda r: r.team.members.append(TeamMember(Role.MEMBER, ""))),
    ("dates_out_of_order", set_(("team", "site_check_on"), date(2021, 2, 28))),
    ("date_within_fiscal_year", set_(("team", "formed_on"), date(2020, 12, 1))),
    ("funds_missing", set_(("fund_lines",), [])),
    ("spent_exceeds_allocated", set_(("fund_lines", 0, "spent"), 250 * WAN)),
    ("spent_exceeds_budget", lambda r: (set_(("fund_lines", 0, "spent"), 310 * WAN)(r),
                                        set_(("fund_lines", 0, "allocated"), 320 * WAN)(r))),
    ("allocated_exceeds_budget", set_(("fund_lines", 0, "allocated"), 310 * WAN)),
    ("part_exceeds_whole", set_(("fund_lines", 1, "budget"), 301 * WAN)),
    ("children_exceed_whole", add_child_too_big),
    ("child_without_parent", orphan_child),
    ("weights_not_100", set_(("indicators", 0, "weight"), Decimal(16))),
    ("execution_weight_split", set_(("rules", "split"), WeightSplit.TWENTY_EIGHTY)),
    ("category_weight_split", lambda r: (set_(("indicators", 0, "weight"), Decimal(20))(r),
                                         set_(("indicators", 6, "weight"), Decimal(5))(r))),
    ("indicators_missing", set_(("indicators",), [])),
    ("score_negative", set_(("indicators", 0, "score"), Decimal(-1))),
    ("score_above_weight", set_(("indicators", 0, "score"), Decimal(16))),
    ("weight_negative", lambda r: r.indicators.append(Indicator(name="x", weight=Decimal(-1), score=Decimal(0)))),
    ("indicator_name_missing", set_(("indicators", 0, "name"), "")),
    ("qualitative_outcome_unknown", set_(("indicators", 3, "actual"), "基本完成")),
    ("score_outside_band", set_(("indicators", 3, "score"), Decimal(3))),
    ("target_not_a_number", set_(("indicators", 0, "target"), "若干")),
    ("actual_not_a_number", set_(("indicators", 0, "actual"), "较多")),
    ("unit_missing", set_(("indicators", 0, "unit"), "")),
    ("score_disagrees", lambda r: (set_(("indicators", 2, "actual"), "20")(r),
                                   set_(("indicators", 2, "deviation_note"), "滞后")(r))),
    ("deviation_note_missing", set_(("indicators", 5, "deviation_note"), "")),
    ("execution_score_above_weight", set_(("execution_score",), Decimal(11))),
    ("execution_score_above_rate", set_(("execution_score",), Decimal(9))),
    ("total_above_ceiling", set_(("execution_score",), Decimal(10))),
    ("total_above_rate_cap", lambda r: (set_(("rules", "cap_by_execution_rate"), True)(r),
                                        set_(("fund_lines", 0, "spent"), 225 * WAN)(r),
                                        set_(("execution_score",), None)(r))),
    ("grade_stated_twice", set_(("overview", "conclusion"), "等级为优，自评分为97.11分，为良等级。")),
    ("grade_text_mismatch", set_(("overview", "conclusion"), "评价等级为良。")),
    ("text_allocation_rate_mismatch", set_(("overview", "effects"), "资金到位率为80%。")),
    ("text_execution_rate_mismatch", set_(("overview", "effects"), "预算执行率达90.5%。")),
    ("text_total_score_mismatch", set_(("overview", "effects"), "自评分为99分。")),
    ("text_output_count_mismatch", set_(("overview", "effects"), "引进项目12个。")),
    ("text_amount_mismatch", set_(("overview", "effects"), "财政拨付250万元。")),
    ("section_empty", set_(("overview", "management"), "")),
]


def test_the_mended_demo_is_clean():
    assert validate(clean()) == []


@pytest.mark.parametrize(("code", "change"), CASES, ids=[c[0] for c in CASES])
def test_each_rule_fires_on_its_failing_case(code, change):
    report = clean()
    change(report)
    findings = [f for f in validate(report) if f.code == code]
    assert findings, f"{code} did not fire"
    for finding in findings:
        message = finding_message(finding)
        assert "{" not in message and message != code  # a real sentence with its figures
        assert finding_reason(finding)


def test_every_rule_code_has_wording_a_reason_and_a_case():
    codes = {code for code, _ in CASES} | EXTERNAL_CODES
    assert codes == set(TEMPLATES), set(TEMPLATES) ^ codes
    assert set(RULES) == set(TEMPLATES)


def test_messages_carry_the_numbers():
    report = clean()
    report.fund_lines[0].spent = 312 * WAN
    finding = next(f for f in validate(report) if f.code == "spent_exceeds_allocated")
    assert finding_message(finding) == "“招商引资工作经费”执行数 312.00 万元大于到位数 243.16 万元"
    assert finding.severity is Severity.ERROR


def test_numbers_in_text_that_agree_are_not_flagged():
    report = clean()
    report.overview.effects = ("全年预算300万元，拨付243.16万元，资金到位率81.05%，预算执行率81%，"
                               "结余0万元，其中专项工作经费97.48万元；引进项目13个，自评分97.11分。")
    assert validate(report) == []


def test_text_mismatch_points_at_the_words():
    report = clean()
    report.overview.effects = "前文。资金到位率为80%。"
    finding = next(f for f in validate(report) if f.code == "text_allocation_rate_mismatch")
    start, end = finding.span
    assert report.overview.effects[start:end] == "资金到位率为80%"

"""Totals, checks and the edit path on the demo and on small reports."""

from decimal import Decimal

from desktop_app.domain import edits
from desktop_app.domain.checks import Severity, validate
from desktop_app.domain.model import FundLine, Grade, Role, TeamMember
from desktop_app.domain.serialize import from_data, to_data
from desktop_app.domain.totals import compute_totals, grade_for

WAN = Decimal(10000)


def codes(report):
    return {f.code for f in validate(report)}


def test_demo_totals_match_the_real_report(demo):
    totals = compute_totals(demo)
    assert totals.funds.budget == 300 * WAN
    assert totals.funds.allocated == Decimal("243.16") * WAN
    assert round(totals.execution_rate * 10000) == 8105
    assert totals.indicator_score == 89
    assert totals.total_score == 99
    assert totals.grade is Grade.EXCELLENT
    assert totals.output_count == 13
    assert totals.output_sum == Decimal("168.9") * Decimal(10) ** 8
    assert totals.child_sums[0].budget == 135 * WAN


def test_demo_flags_the_impossible_99_and_the_two_grades(demo):
    findings = {f.code: f for f in validate(demo)}
    ceiling = findings["total_above_ceiling"]
    assert ceiling.severity is Severity.ERROR
    assert ceiling.params == {"total": "99", "ceiling": "98.11", "rate": "81.05%"}
    assert "execution_score_above_rate" in findings
    assert "grade_stated_twice" in findings
    assert findings["grade_text_mismatch"].params["stated"] == "良"


def test_adopting_the_rate_score_clears_the_ceiling_error(demo):
    demo.execution_score = Decimal("8.11")
    assert not {"total_above_ceiling", "execution_score_above_rate"} & codes(demo)


def test_part_larger_than_whole_is_an_error(demo):
    demo.fund_lines[1].budget = 400 * WAN
    found = [f for f in validate(demo) if f.code == "part_exceeds_whole"]
    assert found and found[0].path == ("fund_lines", 1, "budget")


def test_spent_above_allocated_names_both_figures(demo):
    demo.fund_lines[0].spent = 312 * WAN
    finding = next(f for f in validate(demo) if f.code == "spent_exceeds_allocated")
    assert finding.params["spent"] == "312.00" and finding.params["allocated"] == "243.16"


def test_weights_scores_leader_dates_required(demo):
    demo.indicators[0].weight = Decimal(20)
    demo.indicators[1].score = Decimal(16)
    demo.team.members = [TeamMember(Role.MEMBER, "秦磊")]
    demo.team.site_check_on = demo.team.formed_on.replace(day=1, month=2)
    demo.header.unit_name = ""
    found = codes(demo)
    assert {"weights_not_100", "score_above_weight", "team_no_leader", "dates_out_of_order", "required_empty"} <= found


def test_the_demo_with_its_mistakes_mended_is_clean(demo):
    demo.execution_score = Decimal("8.11")
    demo.overview.conclusion = "经自评，该项目自评得分为97.11分，评价等级为优，已达到预期绩效目标。"
    assert validate(demo) == []


def test_grade_bands():
    assert grade_for(Decimal("89.995")) is Grade.EXCELLENT  # judged on the score as shown (90.00)
    assert grade_for(Decimal(80)) is Grade.GOOD
    assert grade_for(Decimal("79.99")) is Grade.FAIR
    assert grade_for(Decimal(59)) is Grade.POOR


def test_edits_and_their_inverses(demo):
    before = to_data(demo)
    steps = [
        edits.SetValue(("fund_lines", 0, "budget"), 500 * WAN),
        edits.InsertRow(("fund_lines",), 2, FundLine("新增")),
        edits.MoveRow(("fund_lines",), 2, 0),
        edits.RemoveRow(("output_items",), 3),
        edits.SetValue(("closing", "problems", 0), "改写"),
        edits.Batch((edits.SetValue(("header", "unit_name"), "X"), edits.SetValue(("header", "project_name"), "Y"))),
    ]
    inverses = [edits.apply(demo, step) for step in steps]
    assert to_data(demo) != before
    for inverse in reversed(inverses):
        edits.apply(demo, inverse)
    assert to_data(demo) == before


def test_serialization_round_trip(demo):
    assert from_data(to_data(demo)) == demo

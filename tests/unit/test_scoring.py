"""The scoring engine: formulas by direction, qualitative bands, rescaling — with properties."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.model import (
    QUALITATIVE_OUTCOMES,
    Direction,
    Indicator,
    IndicatorCategory,
    Report,
    ReverseFormula,
    RuleSet,
)
from desktop_app.domain.scoring import in_band, over_achieved, quantity, rate_cap, suggested_score
from desktop_app.domain.totals import compute_totals

weights = st.decimals(min_value=Decimal(0), max_value=Decimal(100), places=2)
values = st.decimals(min_value=Decimal(-50), max_value=Decimal(10_000), places=2)
positive = st.decimals(min_value=Decimal("0.01"), max_value=Decimal(10_000), places=2)
formulas = st.sampled_from(list(ReverseFormula))
directions = st.sampled_from([Direction.AT_LEAST, Direction.AT_MOST, Direction.EQUAL])


def indicator(direction, target, actual, weight):
    return Indicator(direction=direction, target=str(target), actual=str(actual), weight=weight, name="x", unit="个")


def test_formulas_by_direction():
    rules = RuleSet()
    assert suggested_score(indicator(Direction.AT_LEAST, 10, 8, Decimal(15)), rules) == Decimal(12)
    assert suggested_score(indicator(Direction.AT_LEAST, 10, 13, Decimal(15)), rules) == Decimal(15)
    assert suggested_score(indicator(Direction.EQUAL, 100, 90, Decimal(10)), rules) == Decimal(9)
    assert suggested_score(indicator(Direction.AT_MOST, 300, 400, Decimal(5)), rules) == Decimal("3.75")
    linear = RuleSet(reverse_formula=ReverseFormula.LINEAR)
    assert suggested_score(indicator(Direction.AT_MOST, 300, 600, Decimal(5)), linear) == 0
    assert suggested_score(indicator(Direction.AT_LEAST, 10, -5, Decimal(15)), rules) == 0  # negative counts as 0
    qualitative = Indicator(direction=Direction.QUALITATIVE, actual=QUALITATIVE_OUTCOMES[1], weight=Decimal(10))
    assert suggested_score(qualitative, rules) == Decimal(7)
    assert in_band(qualitative, Decimal(6)) and not in_band(qualitative, Decimal(8))


def test_quantities_as_written():
    assert quantity("≥10个") == 10
    assert quantity("不低于 92%") == 92
    assert quantity("1,200") == 1200
    assert quantity("5—7人") is None
    assert quantity("达成年度指标") is None


def test_over_achievement_and_its_deduction():
    item = indicator(Direction.AT_LEAST, 10, 13, Decimal(10))
    assert over_achieved(item)
    assert suggested_score(item, RuleSet(deduct_over_achievement=True)) == Decimal(9)
    assert not over_achieved(indicator(Direction.AT_LEAST, 10, "12.99", Decimal(10)))


def test_rate_caps():
    assert rate_cap(Decimal("0.75")) == 89
    assert rate_cap(Decimal("0.65")) == 79
    assert rate_cap(Decimal("0.55")) == 69
    assert rate_cap(Decimal("0.45")) == 59
    assert rate_cap(Decimal("0.85")) is None


@given(directions, positive, values, weights, formulas, st.booleans())
def test_every_suggestion_lies_between_0_and_the_weight(direction, target, actual, weight, formula, deduct):
    score = suggested_score(indicator(direction, target, actual, weight),
                            RuleSet(reverse_formula=formula, deduct_over_achievement=deduct))
    assert score is not None and 0 <= score <= weight


@given(positive, values, values, weights)
def test_positive_scores_never_fall_as_the_actual_rises(target, a, b, weight):
    low, high = sorted((a, b))
    rules = RuleSet()
    assert (suggested_score(indicator(Direction.AT_LEAST, target, low, weight), rules)
            <= suggested_score(indicator(Direction.AT_LEAST, target, high, weight), rules))


@given(positive, values, values, weights, formulas)
def test_reverse_scores_never_rise_as_the_actual_rises(target, a, b, weight, formula):
    low, high = sorted((a, b))
    rules = RuleSet(reverse_formula=formula)
    assert (suggested_score(indicator(Direction.AT_MOST, target, low, weight), rules)
            >= suggested_score(indicator(Direction.AT_MOST, target, high, weight), rules))


@given(st.lists(st.tuples(weights, st.decimals(min_value=Decimal(0), max_value=Decimal(1), places=2)),
                min_size=1, max_size=12))
def test_rescaling_with_all_indicators_applicable_changes_nothing(rows):
    report = Report(execution_weight=Decimal(10), execution_score=Decimal(7))
    report.indicators = [Indicator(IndicatorCategory.OUTPUT, name=f"i{n}", weight=w, score=(w * f).quantize(Decimal("0.01")))
                         for n, (w, f) in enumerate(rows)]
    totals = compute_totals(report)
    raw = Decimal(7) + sum((i.score for i in report.indicators), Decimal(0))
    assert totals.total_score == raw
    # leaving one out rescales the rest to 100
    report.indicators[0].applicable = False
    rescaled = compute_totals(report)
    kept_weight = Decimal(10) + sum((i.weight for i in report.indicators[1:]), Decimal(0))
    if kept_weight:
        expected = (Decimal(7) + sum((i.score for i in report.indicators[1:]), Decimal(0))) / kept_weight * 100
        assert rescaled.total_score == expected

"""The scoring rules of 财预〔2020〕10号 and common provincial practice, as pure functions.

For each indicator the app *suggests* a score from its direction and values; the user
still gives the score (an empty score means "take the suggestion", like the execution
rate). Rules that vary between provinces are settings of the report (:class:`RuleSet`).

- 正向 (≥) and 等于 (=): actual ÷ target × weight, full marks when met.
- 反向 (≤): full marks when met; otherwise target ÷ actual × weight (RATIO) or
  (1 − (actual − target) ÷ target) × weight, 0 at twice the target (LINEAR).
- Negative actuals count as 0.
- 定性: three outcomes, each a band of the weight — 达成 80–100%, 部分达成 60–<80%,
  未达成 0–<60%; the suggestion is 100%, 70% and 30% of the weight.
- Over-achievement: actual ≥ 130% of a ≥/= target needs a deviation note; when the rule
  set says so, the suggestion deducts 10% of the weight (target set too low).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from decimal import Decimal

from .model import (
    QUALITATIVE_OUTCOMES,
    Direction,
    Indicator,
    IndicatorCategory,
    ReverseFormula,
    RuleSet,
    WeightSplit,
)
from .money import normalize

ZERO = Decimal(0)
ONE = Decimal(1)
OVER_ACHIEVEMENT = Decimal("1.3")
OVER_ACHIEVEMENT_DEDUCTION = Decimal("0.1")

#: (lowest, highest) fraction of the weight allowed for each qualitative outcome; the upper
#: bound is exclusive except for 达成.
QUALITATIVE_BANDS: dict[str, tuple[Decimal, Decimal]] = {
    QUALITATIVE_OUTCOMES[0]: (Decimal("0.8"), ONE),
    QUALITATIVE_OUTCOMES[1]: (Decimal("0.6"), Decimal("0.8")),
    QUALITATIVE_OUTCOMES[2]: (ZERO, Decimal("0.6")),
}
QUALITATIVE_SUGGESTION: dict[str, Decimal] = {
    QUALITATIVE_OUTCOMES[0]: ONE,
    QUALITATIVE_OUTCOMES[1]: Decimal("0.7"),
    QUALITATIVE_OUTCOMES[2]: Decimal("0.3"),
}

#: Weights of (execution, output, benefit, satisfaction) per split; None = only the sum counts.
SPLITS: dict[WeightSplit, tuple[Decimal | None, Decimal | None, Decimal | None, Decimal | None]] = {
    WeightSplit.NATIONAL: (Decimal(10), Decimal(50), Decimal(30), Decimal(10)),
    WeightSplit.TEN_NINETY: (Decimal(10), None, None, None),
    WeightSplit.TWENTY_EIGHTY: (Decimal(20), None, None, None),
}

_LEADING_COMPARATOR = re.compile(r"^(?:[≥≤=<>]=?|不低于|不少于|不小于|不高于|不超过|不大于|大于等于|小于等于|等于|约)")
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d+)?|\.\d+)")


@lru_cache(maxsize=4096)
def quantity(text: str) -> Decimal | None:
    """The number in a target or actual as written: ``"≥10个"`` → 10, ``"92%"`` → 92.

    Returns None when the text does not start with a number (after a comparator) or has
    further digits after it (``"5—7人"`` is not one quantity).
    """
    cleaned = normalize(text).replace(",", "").replace("，", "")
    cleaned = _LEADING_COMPARATOR.sub("", cleaned)
    match = _NUMBER.match(cleaned)
    if not match:
        return None
    rest = cleaned[match.end():]
    if any(ch.isdigit() for ch in rest):
        return None
    return Decimal(match.group(0))


@lru_cache(maxsize=1024)
def outcome_of(text: str) -> str | None:
    """Which of the three qualitative outcomes ``text`` names (None when none)."""
    cleaned = normalize(text)
    for outcome in QUALITATIVE_OUTCOMES:
        if cleaned == outcome:
            return outcome
    return None


def split_weights(rules: RuleSet) -> tuple[Decimal | None, Decimal | None, Decimal | None, Decimal | None]:
    """Expected weights of (execution, output, benefit, satisfaction); None where free."""
    if rules.split is WeightSplit.CUSTOM:
        weights = [w if isinstance(w, Decimal) else None for w in rules.custom_weights] + [None] * 3
        return None, weights[0], weights[1], weights[2]
    return SPLITS[rules.split]


def category_weight(rules: RuleSet, category: IndicatorCategory) -> Decimal | None:
    """The weight a 一级指标 block must add up to, or None when only the total counts."""
    position = {IndicatorCategory.OUTPUT: 1, IndicatorCategory.BENEFIT: 2, IndicatorCategory.SATISFACTION: 3}
    return split_weights(rules)[position[category]]


def over_achieved(indicator: Indicator) -> bool:
    """Actual at or above 130% of a ≥ or = target."""
    if indicator.direction not in (Direction.AT_LEAST, Direction.EQUAL):
        return False
    target, actual = quantity(indicator.target), quantity(indicator.actual)
    return target is not None and actual is not None and target > 0 and actual >= target * OVER_ACHIEVEMENT


def suggested_score(indicator: Indicator, rules: RuleSet) -> Decimal | None:
    """The score the rules give an indicator (unrounded), or None when it cannot be computed."""
    weight = indicator.weight if isinstance(indicator.weight, Decimal) else None
    if weight is None or not indicator.applicable:
        return None
    if indicator.direction is Direction.QUALITATIVE:
        outcome = outcome_of(indicator.actual)
        return None if outcome is None else weight * QUALITATIVE_SUGGESTION[outcome]
    target, actual = quantity(indicator.target), quantity(indicator.actual)
    if target is None or actual is None:
        return None
    actual = max(actual, ZERO)
    if indicator.direction is Direction.AT_MOST:
        if actual <= target:
            fraction = ONE
        elif target <= 0:
            fraction = ZERO
        elif rules.reverse_formula is ReverseFormula.RATIO:
            fraction = target / actual
        else:
            fraction = max(ZERO, ONE - (actual - target) / target)
    else:
        fraction = ONE if target <= 0 or actual >= target else actual / target
    score = weight * fraction
    if rules.deduct_over_achievement and over_achieved(indicator):
        score -= weight * OVER_ACHIEVEMENT_DEDUCTION
    return max(ZERO, min(weight, score))


def band_limits(indicator: Indicator) -> tuple[Decimal, Decimal] | None:
    """(lowest, highest) score allowed by a qualitative indicator's outcome, or None."""
    weight = indicator.weight if isinstance(indicator.weight, Decimal) else None
    outcome = outcome_of(indicator.actual) if indicator.direction is Direction.QUALITATIVE else None
    if weight is None or outcome is None:
        return None
    low, high = QUALITATIVE_BANDS[outcome]
    return weight * low, weight * high


def in_band(indicator: Indicator, score: Decimal) -> bool:
    """True when ``score`` lies in the band of the indicator's qualitative outcome."""
    limits = band_limits(indicator)
    if limits is None:
        return True
    low, high = limits
    outcome = outcome_of(indicator.actual)
    if outcome == QUALITATIVE_OUTCOMES[0]:
        return low <= score <= high
    return low <= score < high


def rate_cap(rate: Decimal | None) -> Decimal | None:
    """Provincial cap of the total by the execution rate (None: no cap at this rate)."""
    if rate is None:
        return None
    percent = rate * 100
    if percent < 50:
        return Decimal(59)
    if percent < 60:
        return Decimal(69)
    if percent < 70:
        return Decimal(79)
    if percent < 80:
        return Decimal(89)
    return None


@dataclass(frozen=True)
class IndicatorScore:
    """An indicator's suggested and effective score."""

    suggested: Decimal | None
    effective: Decimal | None  # the given score, else the suggestion
    given: bool  # True when the user typed the score


def indicator_key(indicator: Indicator) -> tuple:
    """Every field of an indicator as a hashable tuple (for per-row caches)."""
    # Enum members hash slowly; their string values hash once and are cached by Python.
    return (indicator.level1.value, indicator.level2, indicator.name, indicator.direction.value, indicator.target,
            indicator.actual, indicator.unit, indicator.weight, indicator.score, indicator.deviation_note,
            indicator.applicable)


def rules_key(rules: RuleSet) -> tuple:
    """A rule set as a hashable tuple."""
    return (rules.split.value, tuple(rules.custom_weights), rules.reverse_formula.value,
            rules.cap_by_execution_rate, rules.deduct_over_achievement)


class RowCache:
    """A small bounded memo keyed by hashable row keys (rows themselves are mutable)."""

    def __init__(self, size: int = 8192) -> None:
        self._size = size
        self._items: dict[tuple, object] = {}

    def get(self, key: tuple) -> object | None:
        """The cached value, or None."""
        return self._items.get(key)

    def put(self, key: tuple, value: object) -> None:
        """Remember ``value``; forget everything when full (rows change slowly)."""
        if len(self._items) >= self._size:
            self._items.clear()
        self._items[key] = value


_SCORES = RowCache()


def score_indicator(indicator: Indicator, rules: RuleSet, rules_tuple: tuple | None = None) -> IndicatorScore:
    """Suggested and effective score of one indicator (memoised per distinct row and rules)."""
    key = (indicator_key(indicator), rules_tuple if rules_tuple is not None else rules_key(rules))
    cached = _SCORES.get(key)
    if cached is None:
        suggested = suggested_score(indicator, rules)
        given = indicator.score if isinstance(indicator.score, Decimal) else None
        cached = IndicatorScore(suggested, given if given is not None else suggested, given is not None)
        _SCORES.put(key, cached)
    return cached  # type: ignore[return-value]

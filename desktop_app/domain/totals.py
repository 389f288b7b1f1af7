"""Everything derived from a report: balances, rates, sums, scores and the grade.

``compute_totals(report)`` is a pure function, cheap enough to run on every keystroke.
Nothing it returns is ever stored: storage keeps only what the user typed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .model import (
    Amount,
    FundLine,
    FundSource,
    Grade,
    IndicatorCategory,
    Quantity,
    Report,
)
from .money import round_half_up
from .scoring import IndicatorScore, rate_cap, rules_key, score_indicator

ZERO = Decimal(0)
HUNDRED = Decimal(100)
AMOUNT_FIELDS = ("initial_budget", "budget", "allocated", "spent")


def value_of(amount: Amount | Quantity) -> Decimal | None:
    """The number behind a field, or None when empty or unreadable."""
    return amount if isinstance(amount, Decimal) else None


def ratio(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    """part ÷ whole, or None when either is missing or the whole is zero."""
    if part is None or whole is None or whole == 0:
        return None
    return part / whole


@dataclass(frozen=True)
class FundColumns:
    """The four amount columns of a row or a sum of rows, in yuan."""

    initial_budget: Decimal = ZERO
    budget: Decimal = ZERO
    allocated: Decimal = ZERO
    spent: Decimal = ZERO

    def __add__(self, other: FundColumns) -> FundColumns:
        return FundColumns(
            self.initial_budget + other.initial_budget,
            self.budget + other.budget,
            self.allocated + other.allocated,
            self.spent + other.spent,
        )

    @classmethod
    def of(cls, line: FundLine) -> FundColumns:
        """The readable amounts of one line; empty or unreadable cells count as 0."""
        return cls(*(value_of(getattr(line, name)) or ZERO for name in AMOUNT_FIELDS))

    @property
    def balance(self) -> Decimal:
        """结余 = 到位数 − 执行数."""
        return self.allocated - self.spent

    @property
    def allocation_rate(self) -> Decimal | None:
        """资金到位率 = 到位数 ÷ 全年预算数."""
        return ratio(self.allocated, self.budget)

    @property
    def execution_rate(self) -> Decimal | None:
        """预算执行率 = 执行数 ÷ 全年预算数."""
        return ratio(self.spent, self.budget)


@dataclass(frozen=True)
class LineFigures:
    """Derived figures of one fund line (balance and rates are None when undefined)."""

    balance: Decimal | None
    allocation_rate: Decimal | None
    execution_rate: Decimal | None


@dataclass(frozen=True)
class CategoryScore:
    """Weight and score of one 一级指标 block (only applicable indicators)."""

    category: IndicatorCategory
    weight: Decimal
    score: Decimal


@dataclass(frozen=True)
class Totals:
    """Every derived figure of a report."""

    lines: tuple[LineFigures, ...]
    #: For each fund line, the index of its parent line (None for top-level lines).
    parent_of: tuple[int | None, ...]
    #: Sum of the child lines of each parent that has children.
    child_sums: dict[int, FundColumns]
    funds: FundColumns  # 年度资金总额 (top-level lines)
    by_source: dict[FundSource, FundColumns]
    execution_weight: Decimal
    execution_score_suggested: Decimal | None  # weight × rate, capped at the weight
    execution_score: Decimal | None  # what the user gave, else the suggestion
    categories: tuple[CategoryScore, ...]
    #: Suggested and effective score of each indicator, in table order.
    indicator_scores: tuple[IndicatorScore, ...]
    indicator_weight: Decimal
    indicator_score: Decimal
    total_weight: Decimal
    total_score: Decimal | None  # rescaled to 100 when indicators are not applicable
    ceiling: Decimal | None  # highest total the execution rate allows
    rate_cap: Decimal | None  # provincial cap by execution rate, when the rule set asks for it
    grade: Grade | None
    output_count: int
    output_sum: Decimal  # yuan
    output_units: frozenset = field(default_factory=frozenset)

    @property
    def balance(self) -> Decimal:
        """结余 of the whole project."""
        return self.funds.balance

    @property
    def allocation_rate(self) -> Decimal | None:
        """资金到位率 of the whole project."""
        return self.funds.allocation_rate

    @property
    def execution_rate(self) -> Decimal | None:
        """预算执行率 of the whole project."""
        return self.funds.execution_rate


def grade_for(score: Decimal | None) -> Grade | None:
    """The grade band of a total score, judged on the score as displayed (2 decimals)."""
    if score is None:
        return None
    shown = round_half_up(score)
    if shown >= 90:
        return Grade.EXCELLENT
    if shown >= 80:
        return Grade.GOOD
    if shown >= 60:
        return Grade.FAIR
    return Grade.POOR


def parents(lines: list[FundLine]) -> tuple[int | None, ...]:
    """Index of the parent of each line: the nearest top-level line above a child."""
    result: list[int | None] = []
    current: int | None = None
    for index, line in enumerate(lines):
        if line.is_child:
            result.append(current)
        else:
            current = index
            result.append(None)
    return tuple(result)


def suggested_execution_score(weight: Decimal | None, rate: Decimal | None) -> Decimal | None:
    """Execution-rate score by the rules: weight × rate, never above the weight."""
    if weight is None or rate is None:
        return None
    return min(weight, weight * max(rate, ZERO))


def compute_totals(report: Report) -> Totals:
    """Compute every derived figure of ``report``."""
    lines = report.fund_lines
    parent_of = parents(lines)
    figures: list[LineFigures] = []
    # Plain running sums (4 per bucket): cheaper than adding FundColumns on every keystroke.
    top = [ZERO, ZERO, ZERO, ZERO]
    sources = {source: [ZERO, ZERO, ZERO, ZERO] for source in FundSource}
    children: dict[int, list[Decimal]] = {}
    for index, line in enumerate(lines):
        values = [value_of(line.initial_budget), value_of(line.budget), value_of(line.allocated), value_of(line.spent)]
        _, budget, allocated, spent = values
        figures.append(
            LineFigures(
                balance=None if allocated is None or spent is None else allocated - spent,
                allocation_rate=ratio(allocated, budget),
                execution_rate=ratio(spent, budget),
            )
        )
        parent = parent_of[index]
        buckets = [top, sources[line.source]] if parent is None else [children.setdefault(parent, [ZERO] * 4)]
        for bucket in buckets:
            for column, value in enumerate(values):
                if value is not None:
                    bucket[column] += value
    funds = FundColumns(*top)
    by_source = {source: FundColumns(*sums) for source, sums in sources.items()}
    child_sums = {parent: FundColumns(*sums) for parent, sums in children.items()}

    execution_weight = value_of(report.execution_weight) or ZERO
    suggested = suggested_execution_score(execution_weight, funds.execution_rate)
    given = value_of(report.execution_score)
    execution_score = given if given is not None else suggested

    rules, rules_tuple = report.rules, rules_key(report.rules)
    scores = tuple(score_indicator(indicator, rules, rules_tuple) for indicator in report.indicators)
    categories = []
    for category in IndicatorCategory:
        weight = score = ZERO
        for indicator, scored in zip(report.indicators, scores):
            if indicator.level1 is category and indicator.applicable:
                weight += value_of(indicator.weight) or ZERO
                score += scored.effective or ZERO
        categories.append(CategoryScore(category, weight, score))
    indicator_weight = sum((c.weight for c in categories), ZERO)
    indicator_score = sum((c.score for c in categories), ZERO)

    total_weight = execution_weight + indicator_weight
    raw_total = (execution_score or ZERO) + indicator_score
    rescaled = any(not indicator.applicable for indicator in report.indicators)
    if total_weight == 0:
        total_score: Decimal | None = None
    elif rescaled:
        total_score = raw_total / total_weight * HUNDRED
    else:
        total_score = raw_total
    ceiling = None if suggested is None else HUNDRED - execution_weight + suggested

    amounts = [value_of(item.amount) for item in report.output_items]
    return Totals(
        lines=tuple(figures),
        parent_of=parent_of,
        child_sums=child_sums,
        funds=funds,
        by_source=by_source,
        execution_weight=execution_weight,
        execution_score_suggested=suggested,
        execution_score=execution_score,
        categories=tuple(categories),
        indicator_scores=scores,
        indicator_weight=indicator_weight,
        indicator_score=indicator_score,
        total_weight=total_weight,
        total_score=total_score,
        ceiling=ceiling,
        rate_cap=rate_cap(funds.execution_rate) if report.rules.cap_by_execution_rate else None,
        grade=grade_for(total_score),
        output_count=len(report.output_items),
        output_sum=sum((a for a in amounts if a is not None), ZERO),
        output_units=frozenset(item.unit for item in report.output_items),
    )

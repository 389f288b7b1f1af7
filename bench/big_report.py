"""A large report for benchmarks: 300 fund lines, 600 indicators, about 200 KB of text."""

from __future__ import annotations

import copy
from decimal import Decimal

from desktop_app.demo import load_demo
from desktop_app.domain.model import Direction, FundLine, Indicator, IndicatorCategory, OutputItem, Report, Unit

TEXT_FIELDS = ("background", "implementation", "funding", "annual_goal", "goal_achieved", "management",
               "outputs", "effects")


def big_report(fund_lines: int = 300, indicators: int = 600, text_bytes: int = 200_000) -> Report:
    """The demo, grown to the given size (every figure still consistent)."""
    report = load_demo()
    lines = []
    for n in range(fund_lines):
        child = n % 3 != 0
        amount = Decimal(10000 if child else 30000) * 100
        lines.append(FundLine(f"资金{n}", is_child=child, initial_budget=amount, budget=amount,
                              allocated=amount * Decimal("0.8"), spent=amount * Decimal("0.8")))
    report.fund_lines = lines
    categories = [IndicatorCategory.OUTPUT, IndicatorCategory.BENEFIT, IndicatorCategory.SATISFACTION]
    weight = Decimal(90) / indicators
    report.indicators = [
        Indicator(categories[n % 3], "数量指标", f"指标{n}", Direction.AT_LEAST, "100", str(90 + n % 20), "个",
                  weight, None, "偏差说明" if n % 20 < 10 else "")
        for n in range(indicators)
    ]
    report.output_items = [OutputItem(f"项目{n}", Decimal(n + 1) * 100_000_000, Unit.YI) for n in range(200)]
    seed = " ".join(getattr(report.overview, name) for name in TEXT_FIELDS) + report.closing.lessons
    per_field = text_bytes // (len(TEXT_FIELDS) + 1)
    for name in TEXT_FIELDS:
        body = (seed * (per_field // len(seed.encode()) + 1))
        setattr(report.overview, name, body.encode()[:per_field].decode(errors="ignore"))
    report.closing.lessons = copy.copy(report.overview.background)
    return report


def text_size(report: Report) -> int:
    """UTF-8 bytes of narrative text in ``report``."""
    return sum(len(getattr(report.overview, n).encode()) for n in TEXT_FIELDS) + len(report.closing.lessons.encode())

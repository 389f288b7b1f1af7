"""Numbers and grades the user wrote in free text, found and compared with the data.

Rates (``资金到位率81.05%``), money near a funds word (``拨付…243.16万元``), the total
score (``自评分为99分``), the project count (``项目13个``) and grades (``为良等级``) are
found in the narrative fields; each is compared with the figure the data gives, at the
precision the text uses (``81%`` agrees with 81.05%). Extraction is cached per text, so a
keystroke re-scans only the field that changed. Text the app generates is never checked:
it is not stored in these fields.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Iterator

from .model import Report, Unit
from .money import round_half_up

#: Narrative fields checked, as report paths.
TEXT_FIELDS: tuple[tuple, ...] = tuple(
    ("overview", name) for name in (
        "opening", "background", "implementation", "funding", "annual_goal", "goal_achieved",
        "management", "outputs", "effects", "conclusion")
) + (("closing", "lessons"),)


@dataclass(frozen=True)
class Mention:
    """A figure stated in text."""

    kind: str  # "allocation_rate" | "execution_rate" | "amount" | "score" | "count"
    value: Decimal
    places: int  # decimals the text used
    unit: Unit | None
    start: int
    end: int
    text: str


_NUM = r"(\d+(?:\.\d+)?)"
_RATE = re.compile(r"(资金到位率|到位率|预算执行率|执行率)[为是达：:\s]{0,3}" + _NUM + r"\s*[%％]")
_SCORE = re.compile(r"(自评分|自评得分|综合得分|总分|总得分)[为是得：:\s]{0,3}" + _NUM + r"\s*分")
_COUNT = re.compile(r"项目\s*(?:共)?\s*(\d+)\s*个|(\d+)\s*个(?:亿元级|重点|招商)?项目")
_AMOUNT = re.compile(_NUM + r"\s*(万元|亿元)")
_FUNDS_WORDS = re.compile(r"预算|安排|拨付|拨款|到位|执行|使用|支出|结余|资金总额|经费")
_CLAUSE_END = "。；;！？\n"


def _places(number: str) -> int:
    return len(number.split(".")[1]) if "." in number else 0


@lru_cache(maxsize=512)
def mentions(text: str) -> tuple[Mention, ...]:
    """Every checked figure stated in ``text`` (cached: texts are immutable strings)."""
    found: list[Mention] = []
    for match in _RATE.finditer(text):
        kind = "allocation_rate" if "到位" in match.group(1) else "execution_rate"
        found.append(Mention(kind, Decimal(match.group(2)), _places(match.group(2)), None,
                             match.start(), match.end(), match.group(0)))
    for match in _SCORE.finditer(text):
        found.append(Mention("score", Decimal(match.group(2)), _places(match.group(2)), None,
                             match.start(), match.end(), match.group(0)))
    for match in _COUNT.finditer(text):
        number = match.group(1) or match.group(2)
        found.append(Mention("count", Decimal(number), 0, None, match.start(), match.end(), match.group(0)))
    for match in _AMOUNT.finditer(text):
        clause_start = max(text.rfind(ch, 0, match.start()) for ch in _CLAUSE_END) + 1
        lead = text[max(clause_start, match.start() - 16):match.start()]
        if not _FUNDS_WORDS.search(lead):
            continue  # money that is not about the project's funds (investments, prices …)
        unit = Unit.WAN if match.group(2) == "万元" else Unit.YI
        found.append(Mention("amount", Decimal(match.group(1)), _places(match.group(1)), unit,
                             match.start(), match.end(), match.group(0)))
    return tuple(sorted(found, key=lambda m: m.start))


def agrees(stated: Decimal, places: int, actual: Decimal | None) -> bool:
    """True when ``actual`` rounded to the text's precision equals what the text says."""
    return actual is not None and round_half_up(actual, places) == stated


def known_amounts(report: Report, totals) -> list[Decimal]:  # type: ignore[no-untyped-def]
    """Every amount (yuan) the tables give: fund cells, sums, balances, outputs, indicators."""
    from .scoring import quantity

    amounts: list[Decimal] = []
    for line in report.fund_lines:
        for name in ("initial_budget", "budget", "allocated", "spent"):
            value = getattr(line, name)
            if isinstance(value, Decimal):
                amounts.append(value)
    for figures in totals.lines:
        if figures.balance is not None:
            amounts.append(figures.balance)
    for columns in [totals.funds, *totals.child_sums.values(), *totals.by_source.values()]:
        amounts += [columns.initial_budget, columns.budget, columns.allocated, columns.spent, columns.balance]
    amounts += [item.amount for item in report.output_items if isinstance(item.amount, Decimal)]
    amounts.append(totals.output_sum)
    factors = {"万元": Unit.WAN.factor, "亿元": Unit.YI.factor, "元": Decimal(1)}
    for indicator in report.indicators:
        factor = factors.get(indicator.unit.strip())
        if factor is None:
            continue
        for text in (indicator.target, indicator.actual):
            number = quantity(text)
            if number is not None:
                amounts.append(number * factor)
    return amounts


def _known(amounts: list[Decimal], mention: Mention) -> bool:
    """True when some amount (sorted, yuan) rounds half-up to what the text says.

    round_half_up(a / f, p) == v  ⇔  (v − h)·f ≤ a < (v + h)·f  with h = ½·10⁻ᵖ, so a
    binary search finds it without rounding every amount on every keystroke.
    """
    assert mention.unit is not None
    half = Decimal(5).scaleb(-mention.places - 1)
    factor = mention.unit.factor
    low, high = (mention.value - half) * factor, (mention.value + half) * factor
    position = bisect_left(amounts, low)
    return position < len(amounts) and amounts[position] < high


def text_findings(report: Report, totals) -> Iterator[tuple[tuple, Mention, str, Decimal | None]]:  # type: ignore[no-untyped-def]
    """(field path, mention, what it was compared with, the data's figure) for each disagreement.

    The third element names the compared figure: ``allocation_rate``, ``execution_rate``,
    ``total_score``, ``output_count`` or ``amount``.
    """
    from .edits import resolve

    amounts: list[Decimal] | None = None
    for path in TEXT_FIELDS:
        text = resolve(report, path)
        if not text:
            continue
        for mention in mentions(text):
            if mention.kind in ("allocation_rate", "execution_rate"):
                rate = totals.allocation_rate if mention.kind == "allocation_rate" else totals.execution_rate
                actual = None if rate is None else rate * 100
                if not agrees(mention.value, mention.places, actual):
                    yield path, mention, mention.kind, actual
            elif mention.kind == "score":
                if not agrees(mention.value, mention.places, totals.total_score):
                    yield path, mention, "total_score", totals.total_score
            elif mention.kind == "count":
                if report.output_items and mention.value != totals.output_count:
                    yield path, mention, "output_count", Decimal(totals.output_count)
            else:
                if amounts is None:
                    amounts = sorted(set(known_amounts(report, totals)))
                if not _known(amounts, mention):
                    yield path, mention, "amount", None

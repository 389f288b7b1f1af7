"""The checks a 财政局 reviewer makes, as pure rules over a report.

``validate(report)`` returns :class:`Finding` values: a stable rule code, a severity, the
path of the field it concerns (the same paths :mod:`desktop_app.domain.edits` uses) and
the figures of the message as display strings. The wording lives in
:mod:`desktop_app.messages`; the UI translates it.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Iterator

from . import scoring
from .model import Direction, Grade, Indicator, Report, Role, RuleSet, Unit, Unparsed
from .money import format_amount, format_number, format_percent, number_text, round_half_up
from .outline import OUTLINES, Section
from .textcheck import text_findings
from .totals import AMOUNT_FIELDS, Totals, compute_totals, value_of

Path = tuple  # e.g. ("fund_lines", 2, "spent") or ("header", "unit_name")


class Severity(enum.Enum):
    """错误 blocks a clean print; 提醒 does not."""

    ERROR = "error"
    WARNING = "warning"


class Tab(enum.Enum):
    """The window's tabs, in report order."""

    OVERVIEW = "overview"
    TEAM = "team"
    FUNDS = "funds"
    OUTPUTS = "outputs"
    SCORING = "scoring"


@dataclass(frozen=True)
class Finding:
    """One problem the checks found."""

    severity: Severity
    code: str
    path: Path
    params: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    #: For findings about free text: the (start, end) of the offending words.
    span: tuple[int, int] | None = None

    @property
    def tab(self) -> Tab:
        """The tab where the field of this finding is edited."""
        return tab_of(self.path)


def tab_of(path: Path) -> Tab:
    """The tab that edits the field at ``path``."""
    head = path[0] if path else "header"
    if head in ("header", "overview"):
        sub = path[1] if len(path) > 1 else ""
        if sub == "outputs":
            return Tab.OUTPUTS
        if sub == "conclusion":
            return Tab.SCORING
        return Tab.OVERVIEW
    if head == "team":
        return Tab.TEAM
    if head in ("fund_lines", "execution_weight", "execution_score"):
        return Tab.FUNDS
    if head in ("indicators", "output_items"):
        return Tab.OUTPUTS
    return Tab.SCORING


def _wan(value: Decimal) -> str:
    return format_amount(value, Unit.WAN)


_GRADE_TEXT = {Grade.EXCELLENT: "优", Grade.GOOD: "良", Grade.FAIR: "中", Grade.POOR: "差"}
_GRADE_FROM_TEXT = {text: grade for grade, text in _GRADE_TEXT.items()}
# "为优等级", "评价等级为良", "等级：优" — a grade word next to 等级/等次.
_GRADE_MENTION = re.compile(r"([优良中差])\s*(?:等级|等次)|(?:等级|等次)\s*[为是：:]?\s*[“\"]?([优良中差])")


def grade_label(grade: Grade | None) -> str:
    """优/良/中/差 as printed (document text, not UI text)."""
    return _GRADE_TEXT[grade] if grade else ""


def grades_in_text(text: str) -> list[tuple[Grade, int, int]]:
    """Every grade stated in ``text`` with its span (start, end)."""
    found = []
    for match in _GRADE_MENTION.finditer(text):
        word = match.group(1) or match.group(2)
        found.append((_GRADE_FROM_TEXT[word], match.start(), match.end()))
    return found


def _unparsed(report: Report) -> Iterator[tuple[Path, Unparsed]]:
    header, team = report.header, report.team
    for path, value in (
        (("header", "fiscal_year"), header.fiscal_year),
        (("header", "report_date"), header.report_date),
        (("team", "formed_on"), team.formed_on),
        (("team", "site_check_on"), team.site_check_on),
        (("execution_weight",), report.execution_weight),
        (("execution_score",), report.execution_score),
    ):
        if isinstance(value, Unparsed):
            yield path, value
    for position, weight in enumerate(report.rules.custom_weights):
        if isinstance(weight, Unparsed):
            yield ("rules", "custom_weights", position), weight
    for row, line in enumerate(report.fund_lines):
        for name in AMOUNT_FIELDS:
            value = getattr(line, name)
            if isinstance(value, Unparsed):
                yield ("fund_lines", row, name), value
    for row, indicator in enumerate(report.indicators):
        for name in ("weight", "score"):
            value = getattr(indicator, name)
            if isinstance(value, Unparsed):
                yield ("indicators", row, name), value
    for row, item in enumerate(report.output_items):
        if isinstance(item.amount, Unparsed):
            yield ("output_items", row, "amount"), item.amount


def _check_values(report: Report) -> Iterator[Finding]:
    for path, value in _unparsed(report):
        yield Finding(Severity.ERROR, "value_unparsed", path, {"text": value.text, "reason": value.reason})
    negatives = [("fund_lines", row, name, getattr(line, name))
                 for row, line in enumerate(report.fund_lines) for name in AMOUNT_FIELDS]
    negatives += [("output_items", row, "amount", item.amount) for row, item in enumerate(report.output_items)]
    for table, row, name, value in negatives:
        number = value_of(value)
        if number is not None and number < 0:
            yield Finding(Severity.ERROR, "amount_negative", (table, row, name), {"value": _wan(number)})


def _check_funds(report: Report, totals: Totals) -> Iterator[Finding]:
    lines = report.fund_lines
    if not lines:
        yield Finding(Severity.ERROR, "funds_missing", ("fund_lines",))
        return
    for row, line in enumerate(lines):
        budget, allocated, spent = (value_of(line.budget), value_of(line.allocated), value_of(line.spent))
        name = line.name or f"第{row + 1}行"
        if spent is not None and allocated is not None and spent > allocated:
            yield Finding(Severity.ERROR, "spent_exceeds_allocated", ("fund_lines", row, "spent"),
                          {"line": name, "spent": _wan(spent), "allocated": _wan(allocated)})
        elif spent is not None and budget is not None and spent > budget:
            yield Finding(Severity.WARNING, "spent_exceeds_budget", ("fund_lines", row, "spent"),
                          {"line": name, "spent": _wan(spent), "budget": _wan(budget)})
        if allocated is not None and budget is not None and allocated > budget:
            yield Finding(Severity.WARNING, "allocated_exceeds_budget", ("fund_lines", row, "allocated"),
                          {"line": name, "allocated": _wan(allocated), "budget": _wan(budget)})
        parent = totals.parent_of[row]
        if line.is_child and parent is None:
            yield Finding(Severity.ERROR, "child_without_parent", ("fund_lines", row, "name"), {"line": name})
        if parent is None:
            continue
        whole_line = lines[parent]
        for column in AMOUNT_FIELDS:
            part, whole = value_of(getattr(line, column)), value_of(getattr(whole_line, column))
            if part is not None and whole is not None and part > whole:
                yield Finding(Severity.ERROR, "part_exceeds_whole", ("fund_lines", row, column),
                              {"line": name, "parent": whole_line.name or f"第{parent + 1}行",
                               "column": column, "part": _wan(part), "whole": _wan(whole)})
    for parent, sums in totals.child_sums.items():
        whole_line = lines[parent]
        for column in AMOUNT_FIELDS:
            part, whole = getattr(sums, column), value_of(getattr(whole_line, column))
            if whole is not None and part > whole:
                yield Finding(Severity.ERROR, "children_exceed_whole", ("fund_lines", parent, column),
                              {"line": whole_line.name or f"第{parent + 1}行", "column": column,
                               "part": _wan(part), "whole": _wan(whole)})


def _check_scores(report: Report, totals: Totals) -> Iterator[Finding]:
    rules = report.rules
    weight_sum = (value_of(report.execution_weight) or Decimal(0)) + sum(
        (value_of(i.weight) or Decimal(0) for i in report.indicators), Decimal(0))
    # A weight that cannot be read is its own finding (value_unparsed); the sums it is part
    # of are unknown, so they are not checked as well (one defect, one finding).
    unread = {item.level1 for item in report.indicators if isinstance(item.weight, Unparsed)}
    execution_unread = isinstance(report.execution_weight, Unparsed)
    if report.indicators and weight_sum != 100 and not unread and not execution_unread:
        yield Finding(Severity.ERROR, "weights_not_100", ("indicators",), {"sum": format_number(weight_sum)})
    if not report.indicators:
        yield Finding(Severity.WARNING, "indicators_missing", ("indicators",))
    expected = scoring.split_weights(rules)
    if expected[0] is not None and not execution_unread and value_of(report.execution_weight) != expected[0]:
        yield Finding(Severity.ERROR, "execution_weight_split", ("execution_weight",),
                      {"weight": number_text(report.execution_weight) or "0", "expected": format_number(expected[0])})
    if report.indicators:
        category_weights: dict[object, Decimal] = {}
        first_rows: dict[object, int] = {}
        for number, item in enumerate(report.indicators):
            category_weights[item.level1] = category_weights.get(item.level1, Decimal(0)) + (value_of(item.weight) or 0)
            first_rows.setdefault(item.level1, number)
        for category_score in totals.categories:
            wanted = scoring.category_weight(rules, category_score.category)
            all_weight = category_weights.get(category_score.category, Decimal(0))
            if wanted is not None and all_weight != wanted and category_score.category not in unread:
                row = first_rows.get(category_score.category)
                path = ("indicators", row, "weight") if row is not None else ("indicators",)
                yield Finding(Severity.ERROR, "category_weight_split", path,
                              {"category": category_score.category.value, "weight": format_number(all_weight),
                               "expected": format_number(wanted)})

    rules_key = scoring.rules_key(rules)
    for row, (indicator, scored) in enumerate(zip(report.indicators, totals.indicator_scores)):
        key = (row, scoring.indicator_key(indicator), rules_key)
        found = _INDICATOR_FINDINGS.get(key)
        if found is None:
            found = tuple(_check_indicator(row, indicator, scored, rules))
            _INDICATOR_FINDINGS.put(key, found)
        yield from found  # type: ignore[misc]

    weight = totals.execution_weight
    given = value_of(report.execution_score)
    rate = totals.execution_rate
    if given is not None and given > weight:
        yield Finding(Severity.ERROR, "execution_score_above_weight", ("execution_score",),
                      {"score": format_number(given), "weight": format_number(weight)})
    elif given is not None and rate is not None and totals.execution_score_suggested is not None:
        allowed = round_half_up(totals.execution_score_suggested)
        if given > allowed:
            yield Finding(Severity.ERROR, "execution_score_above_rate", ("execution_score",),
                          {"score": format_number(given), "allowed": format_number(allowed),
                           "weight": format_number(weight), "rate": format_percent(rate)})
    if totals.total_score is not None and totals.ceiling is not None and rate is not None:
        total, ceiling = round_half_up(totals.total_score), round_half_up(totals.ceiling)
        if total > ceiling:
            yield Finding(Severity.ERROR, "total_above_ceiling", ("execution_score",),
                          {"total": format_number(total), "ceiling": format_number(ceiling),
                           "rate": format_percent(rate)})
    if totals.total_score is not None and totals.rate_cap is not None and rate is not None:
        if round_half_up(totals.total_score) > totals.rate_cap:
            yield Finding(Severity.ERROR, "total_above_rate_cap", ("execution_score",),
                          {"total": format_number(totals.total_score), "cap": format_number(totals.rate_cap),
                           "rate": format_percent(rate)})
    if given is not None and given < 0:
        yield Finding(Severity.ERROR, "score_negative", ("execution_score",),
                      {"indicator": "预算执行率", "score": format_number(given)})


#: Findings of each indicator row, memoised: a keystroke changes one row, not 600.
_INDICATOR_FINDINGS = scoring.RowCache()


def _check_indicator(row: int, indicator: Indicator, scored: scoring.IndicatorScore,
                     rules: RuleSet) -> Iterator[Finding]:
    weight, given = value_of(indicator.weight), value_of(indicator.score)
    label = indicator.name or f"第{row + 1}行"
    here = ("indicators", row)
    if weight is not None and weight != 0 and not indicator.name.strip():
        yield Finding(Severity.ERROR, "indicator_name_missing", here + ("name",), {"weight": format_number(weight)})
    if weight is not None and weight < 0:
        yield Finding(Severity.ERROR, "weight_negative", here + ("weight",),
                      {"indicator": label, "weight": format_number(weight)})
    if given is not None and given < 0:
        yield Finding(Severity.ERROR, "score_negative", here + ("score",),
                      {"indicator": label, "score": format_number(given)})
    if given is not None and weight is not None and given > weight:
        yield Finding(Severity.ERROR, "score_above_weight", here + ("score",),
                      {"indicator": label, "score": format_number(given), "weight": format_number(weight)})
    if not indicator.applicable:
        return
    if indicator.direction is Direction.QUALITATIVE:
        if indicator.actual.strip() and scoring.outcome_of(indicator.actual) is None:
            yield Finding(Severity.WARNING, "qualitative_outcome_unknown", here + ("actual",),
                          {"indicator": label, "actual": indicator.actual})
        limits = scoring.band_limits(indicator)
        if limits is not None and given is not None and not scoring.in_band(indicator, given):
            yield Finding(Severity.ERROR, "score_outside_band", here + ("score",),
                          {"indicator": label, "score": format_number(given), "outcome": indicator.actual.strip(),
                           "low": format_number(limits[0]), "high": format_number(limits[1])})
    else:
        target, actual = scoring.quantity(indicator.target), scoring.quantity(indicator.actual)
        if target is None:
            yield Finding(Severity.ERROR, "target_not_a_number", here + ("target",),
                          {"indicator": label, "target": indicator.target})
        if actual is None:
            yield Finding(Severity.ERROR, "actual_not_a_number", here + ("actual",),
                          {"indicator": label, "actual": indicator.actual})
        if not indicator.unit.strip() and target is not None:
            yield Finding(Severity.WARNING, "unit_missing", here + ("unit",), {"indicator": label})
        if given is not None and scored.suggested is not None and round_half_up(given) != round_half_up(scored.suggested):
            yield Finding(Severity.WARNING, "score_disagrees", here + ("score",),
                          {"indicator": label, "score": format_number(given),
                           "suggested": format_number(scored.suggested)})
    effective = scored.effective
    below = weight is not None and effective is not None and round_half_up(effective) < weight
    over = scoring.over_achieved(indicator)
    if (below or over) and not indicator.deviation_note.strip():
        yield Finding(Severity.ERROR, "deviation_note_missing", here + ("deviation_note",),
                      {"indicator": label, "why": "over" if over else "below",
                       "score": format_number(effective), "weight": format_number(weight)})


def _check_team(report: Report) -> Iterator[Finding]:
    team = report.team
    if not any(m.role is Role.LEADER and m.name.strip() for m in team.members):
        yield Finding(Severity.ERROR, "team_no_leader", ("team", "members"))
    for row, member in enumerate(team.members):
        if not member.name.strip():
            yield Finding(Severity.WARNING, "member_no_name", ("team", "members", row, "name"))


def _check_dates(report: Report) -> Iterator[Finding]:
    header, team = report.header, report.team
    dated: list[tuple[Path, date]] = [
        (path, value)
        for path, value in (
            (("team", "formed_on"), team.formed_on),
            (("team", "site_check_on"), team.site_check_on),
            (("header", "report_date"), header.report_date),
        )
        if isinstance(value, date)
    ]
    for (first_path, first), (later_path, later) in zip(dated, dated[1:]):
        if later < first:
            yield Finding(Severity.ERROR, "dates_out_of_order", later_path,
                          {"first_field": first_path[-1], "first": first.isoformat(),
                           "later_field": later_path[-1], "later": later.isoformat()})
    year = header.fiscal_year
    if isinstance(year, int):
        for path, value in dated:
            if value.year <= year:
                yield Finding(Severity.ERROR, "date_within_fiscal_year", path,
                              {"field": path[-1], "date": value.isoformat(), "year": str(year)})


_REQUIRED_HEADER = ("unit_name", "supervising_department", "project_name", "fiscal_year", "report_date")


def _check_required(report: Report) -> Iterator[Finding]:
    header = report.header
    for name in _REQUIRED_HEADER:
        value = getattr(header, name)
        if value is None or (isinstance(value, str) and not value.strip()):
            yield Finding(Severity.ERROR, "required_empty", ("header", name), {"field": name})


def _check_grade_text(report: Report, totals: Totals) -> Iterator[Finding]:
    stated = grades_in_text(report.overview.conclusion)
    if len({grade for grade, _, _ in stated}) > 1:
        yield Finding(Severity.ERROR, "grade_stated_twice", ("overview", "conclusion"),
                      {"grades": "、".join(dict.fromkeys(_GRADE_TEXT[g] for g, _, _ in stated))})
    for grade, start, end in stated:
        if totals.grade is not None and grade is not totals.grade:
            yield Finding(Severity.WARNING, "grade_text_mismatch", ("overview", "conclusion"),
                          {"stated": _GRADE_TEXT[grade], "derived": _GRADE_TEXT[totals.grade],
                           "total": format_number(totals.total_score)}, span=(start, end))


_TEXT_FIGURES = {
    "allocation_rate": lambda value: format_percent(value / 100) if value is not None else "—",
    "execution_rate": lambda value: format_percent(value / 100) if value is not None else "—",
    "total_score": lambda value: format_number(value) if value is not None else "—",
    "output_count": lambda value: format_number(value) if value is not None else "—",
    "amount": lambda value: "",
}


def _check_text(report: Report, totals: Totals) -> Iterator[Finding]:
    for path, mention, figure, actual in text_findings(report, totals):
        key = (path, mention, figure, actual)
        finding = _TEXT_FINDINGS.get(key)
        if finding is None:  # building the same findings on every keystroke is wasted work
            finding = Finding(Severity.WARNING, f"text_{figure}_mismatch", path,
                              {"stated": mention.text, "actual": _TEXT_FIGURES[figure](actual)},
                              span=(mention.start, mention.end))
            _TEXT_FINDINGS.put(key, finding)
        yield finding  # type: ignore[misc]


_TEXT_FINDINGS = scoring.RowCache()


def _sections(sections: tuple[Section, ...]) -> Iterator[Section]:
    for section in sections:
        yield section
        yield from _sections(section.children)


def _check_outline(report: Report) -> Iterator[Finding]:
    from .edits import resolve

    for section in _sections(OUTLINES[report.outline]):
        for content in section.content:
            if content.startswith("generated."):
                continue
            value = resolve(report, tuple(content.split(".")))
            empty = not any(item.strip() for item in value) if isinstance(value, list) else not value.strip()
            if empty:
                yield Finding(Severity.WARNING, "section_empty", tuple(content.split(".")),
                              {"section": section.title})


def validate(report: Report, totals: Totals | None = None) -> list[Finding]:
    """Run every check; errors first, then warnings, each in report order."""
    totals = totals or compute_totals(report)
    findings = [
        *_check_required(report),
        *_check_values(report),
        *_check_team(report),
        *_check_dates(report),
        *_check_funds(report, totals),
        *_check_scores(report, totals),
        *_check_grade_text(report, totals),
        *_check_text(report, totals),
        *_check_outline(report),
    ]
    order = list(Tab)
    return sorted(findings, key=lambda f: (f.severity is not Severity.ERROR, order.index(f.tab)))


def has_errors(findings: list[Finding]) -> bool:
    """True when any finding is an error."""
    return any(f.severity is Severity.ERROR for f in findings)

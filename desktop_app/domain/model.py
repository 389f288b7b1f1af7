"""The report as data: dataclasses for every part of a 项目支出绩效自评报告.

Names follow ``shared/GLOSSARY.md`` (extended in ``docs/glossary.md``). Only raw,
user-entered facts live here; everything derived (balance, rates, sums, the total
score, the grade) is computed by :mod:`desktop_app.domain.totals` and never stored.

Money is held in yuan as :class:`~decimal.Decimal`. A value the user typed that could
not be read is kept verbatim as :class:`Unparsed`, so nothing typed is ever lost and the
checks can point at it.
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Union


@dataclass(frozen=True)
class Unparsed:
    """Text typed into a number or date field that could not be read.

    Attributes:
        text: exactly what the user typed.
        reason: a stable code saying why it was refused (see ``domain.money``).
    """

    text: str
    reason: str = "not_a_number"


#: A money amount in yuan, missing, or kept as typed when unreadable.
Amount = Union[Decimal, Unparsed, None]
#: A plain decimal quantity (weights, scores), missing, or kept as typed.
Quantity = Union[Decimal, Unparsed, None]
#: A calendar date, missing, or kept as typed.
DateValue = Union[date, Unparsed, None]


class Role(enum.Enum):
    """Role of a member of the evaluation team (组长 / 副组长 / 成员)."""

    LEADER = "leader"
    DEPUTY = "deputy"
    MEMBER = "member"


class FundSource(enum.Enum):
    """Fund source categories of the standard form."""

    CURRENT_APPROPRIATION = "current_appropriation"  # 当年财政拨款
    CARRIED_OVER = "carried_over"  # 上年结转资金
    OTHER = "other"  # 其他资金


class Direction(enum.Enum):
    """How an indicator is compared with its target."""

    AT_LEAST = "at_least"  # 正向 ≥
    AT_MOST = "at_most"  # 反向 ≤
    EQUAL = "equal"  # =
    QUALITATIVE = "qualitative"  # 定性


class IndicatorCategory(enum.Enum):
    """一级指标 of the standard form."""

    OUTPUT = "output"  # 产出指标
    BENEFIT = "benefit"  # 效益指标
    SATISFACTION = "satisfaction"  # 满意度指标


class Unit(enum.Enum):
    """Display unit of a money amount; the value itself is always in yuan."""

    YUAN = "yuan"
    WAN = "wan"  # 万元
    YI = "yi"  # 亿元

    @property
    def factor(self) -> Decimal:
        """Yuan per one of this unit."""
        return _UNIT_FACTORS[self.value]


_UNIT_FACTORS = {"yuan": Decimal(1), "wan": Decimal(10_000), "yi": Decimal(100_000_000)}


class Grade(enum.Enum):
    """评价等级, derived from the total score, never typed."""

    EXCELLENT = "excellent"  # 优
    GOOD = "good"  # 良
    FAIR = "fair"  # 中
    POOR = "poor"  # 差


class OutlineTemplate(enum.Enum):
    """Which outline the narrative report follows."""

    COUNTY_4 = "county_4"  # 四部分（县级常用，默认）
    NATIONAL_7 = "national_7"  # 七部分（财预〔2020〕10号参考提纲）


class WeightSplit(enum.Enum):
    """How the 100 points are split between the execution rate and the indicator blocks."""

    NATIONAL = "national"  # 10 / 产出 50 / 效益 30 / 满意度 10 (财预〔2020〕10号 default)
    TEN_NINETY = "10_90"  # 执行率 10 / 指标 90
    TWENTY_EIGHTY = "20_80"  # 执行率 20 / 指标 80
    CUSTOM = "custom"  # the report's own four numbers


class ReverseFormula(enum.Enum):
    """The two ways of scoring a ≤ (反向) indicator (domain.md §2)."""

    RATIO = "ratio"  # target ÷ actual × weight
    LINEAR = "linear"  # (1 − (actual − target) ÷ target) × weight, 0 at twice the target


@dataclass
class RuleSet:
    """The scoring rules a report is written under; changing them re-scores live."""

    split: WeightSplit = WeightSplit.NATIONAL
    #: Used when ``split`` is CUSTOM: the weights of 产出, 效益, 满意度 (the execution-rate
    #: weight is then the report's own ``execution_weight``).
    custom_weights: list[Decimal] = field(default_factory=lambda: [Decimal(50), Decimal(30), Decimal(10)])
    reverse_formula: ReverseFormula = ReverseFormula.RATIO
    #: Provincial rule: the execution rate caps the total (70–80% → ≤ 89, …). Off by default.
    cap_by_execution_rate: bool = False
    #: Some provinces deduct when a target is exceeded by 30% or more (target set too low).
    deduct_over_achievement: bool = False


#: The three outcomes of a qualitative indicator (domain.md §2).
QUALITATIVE_OUTCOMES: tuple[str, str, str] = (
    "达成年度指标",
    "部分达成年度指标并具有一定效果",
    "未达成年度指标且效果较差",
)


def new_id() -> str:
    """A fresh report identifier (32 hex characters)."""
    return uuid.uuid4().hex


@dataclass
class PolicyDocument:
    """A document cited in the opening paragraph (政策依据)."""

    title: str = ""
    doc_number: str = ""


@dataclass
class Header:
    """Who, what and when: the report's header fields."""

    unit_name: str = ""
    supervising_department: str = ""
    implementing_unit: str = ""
    project_name: str = ""
    fiscal_year: int | Unparsed | None = None
    #: The report's title; empty means "generate it from unit and project".
    title: str = ""
    report_date: DateValue = None
    policy_documents: list[PolicyDocument] = field(default_factory=list)


@dataclass
class Overview:
    """The narrative texts, in outline order."""

    opening: str = ""  # opening paragraph citing the policy documents
    background: str = ""  # 立项背景
    implementation: str = ""  # 项目实施情况
    funding: str = ""  # 经费来源和使用情况
    annual_goal: str = ""  # 年度总体目标（预期目标）
    goal_achieved: str = ""  # 年度总体目标（实际完成情况）
    management: str = ""  # 管理
    outputs: str = ""  # 产出 narrative before the generated output list
    effects: str = ""  # 效果
    conclusion: str = ""  # 评价结果和评价结论, the user's own sentence(s)


@dataclass
class TeamMember:
    """One member of the evaluation team."""

    role: Role = Role.MEMBER
    name: str = ""
    position: str = ""


@dataclass
class EvaluationTeam:
    """绩效评价工作组: who evaluated, when, where the papers are kept."""

    formed_on: DateValue = None
    site_check_on: DateValue = None
    office: str = ""
    contact: str = ""
    members: list[TeamMember] = field(default_factory=list)
    leader_duties: str = ""
    deputy_duties: str = ""
    member_duties: str = ""
    site_check: str = ""  # what the site check did (after its date)


@dataclass
class FundLine:
    """One row of the funds table; ``is_child`` rows are 其中 lines of the row above."""

    name: str = ""
    source: FundSource = FundSource.CURRENT_APPROPRIATION
    is_child: bool = False
    initial_budget: Amount = None  # 年初预算数
    budget: Amount = None  # 全年预算数
    allocated: Amount = None  # 到位数
    spent: Amount = None  # 执行数


@dataclass
class Indicator:
    """One row of the indicator table (三级指标)."""

    level1: IndicatorCategory = IndicatorCategory.OUTPUT
    level2: str = ""
    name: str = ""
    direction: Direction = Direction.AT_LEAST
    target: str = ""  # 年度指标值 as the user wrote it (a number, or text when qualitative)
    actual: str = ""  # 实际完成值
    unit: str = ""  # 度量单位
    weight: Quantity = None  # 分值
    score: Quantity = None  # 得分 given by the user
    deviation_note: str = ""  # 偏差原因分析及改进措施
    applicable: bool = True


@dataclass
class OutputItem:
    """A listed output, e.g. one introduced project with its investment."""

    name: str = ""
    amount: Amount = None  # yuan
    unit: Unit = Unit.YI  # how the amount is shown
    category: str = ""


@dataclass
class Closing:
    """经验总结、存在问题及意见或建议."""

    lessons: str = ""
    problems: list[str] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)


@dataclass
class Report:
    """A whole 项目支出绩效自评报告 for one project and one fiscal year."""

    report_id: str = field(default_factory=new_id)
    header: Header = field(default_factory=Header)
    overview: Overview = field(default_factory=Overview)
    team: EvaluationTeam = field(default_factory=EvaluationTeam)
    fund_lines: list[FundLine] = field(default_factory=list)
    execution_weight: Quantity = Decimal(10)  # 预算执行率分值
    #: The score the user gives the execution rate; None means "weight × rate".
    execution_score: Quantity = None
    indicators: list[Indicator] = field(default_factory=list)
    output_items: list[OutputItem] = field(default_factory=list)
    closing: Closing = field(default_factory=Closing)
    outline: OutlineTemplate = OutlineTemplate.COUNTY_4
    rules: RuleSet = field(default_factory=RuleSet)


#: Dataclass types that make up list rows, by the list's attribute name.
ROW_TYPES: dict[str, type] = {
    "policy_documents": PolicyDocument,
    "members": TeamMember,
    "fund_lines": FundLine,
    "indicators": Indicator,
    "output_items": OutputItem,
}

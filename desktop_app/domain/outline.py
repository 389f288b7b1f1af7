"""The outlines a narrative report can follow, as data.

Headings carry no numbers: 一、 / （一） / 1. are generated from the position in the
outline when printing, so they can never be typed wrong. ``content`` names what fills a
section: ``"overview.background"`` is the user's text at that path; ``"generated.*"``
are parts the PDF builds from the data (funds paragraph and table, output list, score
and grade, team list).
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import OutlineTemplate


@dataclass(frozen=True)
class Section:
    """One heading of the outline with what fills it and its sub-sections."""

    title: str
    content: tuple[str, ...] = ()
    children: tuple["Section", ...] = ()


def _s(title: str, *content: str, children: tuple[Section, ...] = ()) -> Section:
    return Section(title, tuple(content), children)


COUNTY_4: tuple[Section, ...] = (
    _s("项目基本概况", children=(
        _s("项目概况", children=(
            _s("立项背景", "overview.background"),
            _s("项目实施情况", "overview.implementation"),
            _s("经费来源和使用情况", "overview.funding"),
        )),
        _s("项目绩效目标", "generated.goal"),
    )),
    _s("项目绩效评价工作情况", "generated.team"),
    _s("绩效分析及评价结论", children=(
        _s("投入", "generated.inputs"),
        _s("管理", "overview.management"),
        _s("产出", "overview.outputs", "generated.outputs"),
        _s("效果", "overview.effects"),
        _s("评价结果和评价结论", "generated.conclusion"),
    )),
    _s("经验总结、存在问题及意见或建议", children=(
        _s("经验总结", "closing.lessons"),
        _s("存在问题", "closing.problems"),
        _s("意见或建议", "closing.suggestions"),
    )),
)

NATIONAL_7: tuple[Section, ...] = (
    _s("基本情况", children=(
        _s("项目概况", "overview.background", "overview.implementation", "overview.funding"),
        _s("项目绩效目标", "generated.goal"),
    )),
    _s("绩效评价工作开展情况", "generated.team"),
    _s("综合评价情况及评价结论", "generated.conclusion"),
    _s("绩效评价指标分析", children=(
        _s("项目决策及资金使用管理情况", "generated.inputs", "overview.management"),
        _s("项目产出情况", "overview.outputs", "generated.outputs"),
        _s("项目效益情况", "overview.effects"),
    )),
    _s("主要经验及做法、存在的问题及原因分析", children=(
        _s("主要经验及做法", "closing.lessons"),
        _s("存在的问题及原因分析", "closing.problems"),
    )),
    _s("有关建议", "closing.suggestions"),
    _s("其他需要说明的问题", "generated.other"),
)

OUTLINES: dict[OutlineTemplate, tuple[Section, ...]] = {
    OutlineTemplate.COUNTY_4: COUNTY_4,
    OutlineTemplate.NATIONAL_7: NATIONAL_7,
}

_DIGITS = "零一二三四五六七八九十"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (enough for outline numbering)."""
    if n <= 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


def heading_number(level: int, position: int) -> str:
    """The printed number of a heading: 一、 / （一） / 1. / （1）."""
    if level == 1:
        return f"{chinese_number(position)}、"
    if level == 2:
        return f"（{chinese_number(position)}）"
    if level == 3:
        return f"{position}."
    return f"（{position}）"

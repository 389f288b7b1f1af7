"""Reading an indicator's 年度指标值 (target) the way people write it.

``parse_target(text) -> Target | Unparsed`` is a pure function for the checks and the
scoring: ``"≥50个"``, ``"≤90万元"``, ``"=100%"``, ``"不少于 1,000 人次"``, ``"5天以内"``,
``"＞＝９５％"`` become a comparator, an exact :class:`~decimal.Decimal` and a unit;
text without any digit (``"达成年度指标"``, ``"有效带动"``) is a qualitative target. It
never raises: anything else comes back as :class:`~desktop_app.domain.model.Unparsed`
with a reason code, the text kept exactly as typed.

Conventions:

* the value is the number as written: ``"95%"`` is ``Decimal("95")`` with unit ``"%"``,
  ``"90万元"`` is ``Decimal("90")`` with unit ``"万元"`` (no unit conversion here);
* ``comparator`` is None for a bare number (``"50个"``): the indicator's direction decides;
* a comparator word before the number and one after it (``以上``/``以下``/``以内``) must agree;
* units are whatever non-digit text follows the number, white space removed.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from decimal import Decimal

from .model import Unparsed
from .money import MAX_YUAN, normalize

__all__ = [
    "REASON_CONFLICT",
    "REASON_EMPTY",
    "REASON_NOT_A_TARGET",
    "REASON_TOO_LARGE",
    "Comparator",
    "Target",
    "format_target",
    "parse_target",
]

#: Reason codes of the Unparsed values returned by :func:`parse_target`.
REASON_EMPTY = "target_empty"
REASON_NOT_A_TARGET = "not_a_target"
REASON_CONFLICT = "target_conflict"
REASON_TOO_LARGE = "too_large"


class Comparator(enum.Enum):
    """How the actual value is compared with the target value."""

    AT_LEAST = "≥"
    AT_MOST = "≤"
    EQUAL = "="
    MORE_THAN = ">"
    LESS_THAN = "<"


@dataclass(frozen=True)
class Target:
    """A readable target: quantitative (``value`` set) or qualitative (``outcome`` set).

    Attributes:
        comparator: the comparison written, or None for a bare number (and for
            qualitative targets).
        value: the number as written (``Decimal``), None when qualitative.
        unit: the unit written after the number (``"个"``, ``"万元"``, ``"%"``), or "".
        outcome: the qualitative target text (white space removed), "" when quantitative.
    """

    comparator: Comparator | None = None
    value: Decimal | None = None
    unit: str = ""
    outcome: str = ""

    def __post_init__(self) -> None:
        if (self.value is None) == (not self.outcome):
            raise ValueError("a Target has either a value or an outcome")

    @property
    def qualitative(self) -> bool:
        """Whether this is a qualitative target (an outcome, no number)."""
        return self.value is None


# Comparator words, longest first so that 不低于 wins over 低于, >= over >.
_PREFIXES: dict[str, Comparator | None] = {
    "大于或等于": Comparator.AT_LEAST,
    "小于或等于": Comparator.AT_MOST,
    "大于等于": Comparator.AT_LEAST,
    "小于等于": Comparator.AT_MOST,
    "不低于": Comparator.AT_LEAST,
    "不少于": Comparator.AT_LEAST,
    "不小于": Comparator.AT_LEAST,
    "不高于": Comparator.AT_MOST,
    "不超过": Comparator.AT_MOST,
    "不大于": Comparator.AT_MOST,
    "不多于": Comparator.AT_MOST,
    "控制在": None,  # "控制在5%以内": the suffix says which way
    "至少": Comparator.AT_LEAST,
    "达到": Comparator.AT_LEAST,
    "至多": Comparator.AT_MOST,
    "大于": Comparator.MORE_THAN,
    "高于": Comparator.MORE_THAN,
    "超过": Comparator.MORE_THAN,
    "多于": Comparator.MORE_THAN,
    "小于": Comparator.LESS_THAN,
    "低于": Comparator.LESS_THAN,
    "少于": Comparator.LESS_THAN,
    "等于": Comparator.EQUAL,
    ">=": Comparator.AT_LEAST,
    "=>": Comparator.AT_LEAST,
    "<=": Comparator.AT_MOST,
    "=<": Comparator.AT_MOST,
    "≥": Comparator.AT_LEAST,
    "≧": Comparator.AT_LEAST,
    "⩾": Comparator.AT_LEAST,
    "≤": Comparator.AT_MOST,
    "≦": Comparator.AT_MOST,
    "⩽": Comparator.AT_MOST,
    "=": Comparator.EQUAL,
    ">": Comparator.MORE_THAN,
    "<": Comparator.LESS_THAN,
    "约": None,
}
_SUFFIXES: dict[str, Comparator] = {
    "及以上": Comparator.AT_LEAST,
    "以上": Comparator.AT_LEAST,
    "及以下": Comparator.AT_MOST,
    "以下": Comparator.AT_MOST,
    "以内": Comparator.AT_MOST,
}
_PREFIX = re.compile("|".join(re.escape(word) for word in sorted(_PREFIXES, key=len, reverse=True)))
_SUFFIX = re.compile("(?:" + "|".join(re.escape(word) for word in sorted(_SUFFIXES, key=len, reverse=True)) + ")$")
# Digits are ASCII after normalize() for full-width input; other scripts' digits are
# refused (a unit never holds a digit, and Decimal would read them silently).
_COMPARATOR_SIGNS = "<>=≥≤≧≦⩾⩽"
_NUMBER = re.compile(r"[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?|[+-]?\.[0-9]+")


def parse_target(text: str) -> Target | Unparsed:
    """Read a target as typed; never raises.

    Args:
        text: the 年度指标值 cell, e.g. ``"≥50个"``, ``"≤90万元"``, ``"=100%"``,
            ``"达成年度指标"``.

    Returns:
        A :class:`Target`, or :class:`Unparsed` (``text`` kept verbatim) with reason
        :data:`REASON_EMPTY`, :data:`REASON_NOT_A_TARGET` (a comparator without a number,
        a range such as ``"50-60个"``, digits in the unit), :data:`REASON_CONFLICT`
        (``"≤50个以上"``) or :data:`REASON_TOO_LARGE`.
    """
    if not isinstance(text, str):
        return Unparsed(str(text), REASON_NOT_A_TARGET)
    cleaned = normalize(text)
    if not cleaned:
        return Unparsed(text, REASON_EMPTY)
    comparator: Comparator | None = None
    rest = cleaned
    prefix = _PREFIX.match(rest)
    had_prefix = prefix is not None
    if prefix is not None:
        comparator = _PREFIXES[prefix.group(0)]
        rest = rest[prefix.end():]
    number = _NUMBER.match(rest)
    if number is None:
        if had_prefix or any(ch.isdigit() for ch in cleaned):
            return Unparsed(text, REASON_NOT_A_TARGET)
        return Target(outcome=cleaned)
    value = Decimal(number.group(0).replace(",", ""))
    if abs(value) >= MAX_YUAN:
        return Unparsed(text, REASON_TOO_LARGE)
    unit = rest[number.end():]
    suffix = _SUFFIX.search(unit)
    if suffix is not None:
        implied = _SUFFIXES[suffix.group(0)]
        unit = unit[: suffix.start()]
        if comparator is not None and comparator is not implied:
            return Unparsed(text, REASON_CONFLICT)
        comparator = implied
    unit = unit.rstrip(".,;:")  # "50个。" ends a sentence
    if any(ch.isdigit() or ch in _COMPARATOR_SIGNS for ch in unit):
        return Unparsed(text, REASON_NOT_A_TARGET)  # "50-60个", "50≥"
    return Target(comparator=comparator, value=value, unit=unit)


def format_target(target: Target) -> str:
    """The canonical text of a target: ``"≥50个"``; :func:`parse_target` reads it back."""
    if target.value is None:
        return target.outcome
    comparator = target.comparator.value if target.comparator is not None else ""
    return f"{comparator}{target.value:f}{target.unit}"

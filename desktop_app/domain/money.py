"""Reading numbers and dates the way people type them, and showing them exactly.

Amounts are ``Decimal`` yuan. Typed text may use full-width digits (``２４３．１６``),
thousands separators (``1,234.5`` or ``1，234.5``), and a unit suffix (``300万``,
``300万元``, ``1.5亿``, ``5000元``); without a suffix the field's display unit applies.
Text that cannot be read comes back as :class:`Unparsed` with a reason code, never as
an exception. Rounding is half-up and only for display.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

from .model import Unit, Unparsed

#: Largest absolute amount accepted, in yuan (10 万亿元); SQLite fen fits easily.
MAX_YUAN = Decimal(10) ** 13
#: Reason codes carried by Unparsed values.
REASON_NOT_A_NUMBER = "not_a_number"
REASON_TOO_PRECISE = "too_precise"
REASON_TOO_LARGE = "too_large"
REASON_TOO_MANY_DIGITS = "too_many_digits"
REASON_NOT_A_DATE = "not_a_date"

#: Most significant digits and decimal places of a number the app computes with: every sum,
#: rate and score of such numbers stays exact in Decimal's default 28-digit context.
MAX_DIGITS = 28

FEN = Decimal("0.01")
_SUFFIXES: tuple[tuple[str, Unit], ...] = (
    ("亿元", Unit.YI),
    ("亿", Unit.YI),
    ("万元", Unit.WAN),
    ("万", Unit.WAN),
    ("元", Unit.YUAN),
)
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_SEPARATORS = re.compile(r"(?<=\d)[,，'](?=\d{3})")


def normalize(text: str) -> str:
    """Fold full-width forms to ASCII and drop every kind of white space."""
    folded = unicodedata.normalize("NFKC", text)
    folded = folded.replace("。", ".").replace("－", "-").replace("—", "-").replace("−", "-")
    return "".join(ch for ch in folded if not ch.isspace())


def admissible(number: Decimal) -> str | None:
    """Why ``number`` cannot be computed with (a reason code), or None when it can.

    The one rule for numbers from the keyboard and from files alike: finite, below
    :data:`MAX_YUAN` in size, at most :data:`MAX_DIGITS` digits and decimal places. A
    value read from a file that breaks it (``1e999999999``, ``NaN``) is kept as typed
    (:class:`Unparsed`) and flagged, so it can never stop a recomputation.
    """
    if not number.is_finite():
        return REASON_NOT_A_NUMBER
    if number.copy_abs() >= MAX_YUAN:  # copy_abs: abs() would round, and overflow, in the context
        return REASON_TOO_LARGE
    sign, digits, exponent = number.as_tuple()
    if len(digits) > MAX_DIGITS or (isinstance(exponent, int) and exponent < -MAX_DIGITS):
        return REASON_TOO_MANY_DIGITS
    return None


def checked_number(number: Decimal, text: str | None = None) -> Decimal | Unparsed:
    """``number`` when :func:`admissible`, else :class:`Unparsed` keeping ``text`` (or the number)."""
    reason = admissible(number)
    if reason is None:
        return number
    return Unparsed(text if text is not None else str(number), reason)


def _parse_number(text: str) -> Decimal | None:
    text = _SEPARATORS.sub("", text)
    if not _NUMBER.fullmatch(text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the regex admits only valid literals
        return None


def parse_amount(text: str, default_unit: Unit = Unit.WAN) -> Decimal | Unparsed | None:
    """Read a money amount typed by a user.

    Args:
        text: what was typed, e.g. ``"243.16"``, ``"1,234.5"``, ``"２４３．１６"``, ``"300万"``.
        default_unit: the unit meant when no suffix is typed (the column's unit).

    Returns:
        The amount in yuan, ``None`` for empty input, or :class:`Unparsed` with a reason.
    """
    cleaned = normalize(text)
    if not cleaned:
        return None
    unit = default_unit
    for suffix, suffix_unit in _SUFFIXES:
        if cleaned.endswith(suffix):
            cleaned = cleaned[: -len(suffix)]
            unit = suffix_unit
            break
    number = _parse_number(cleaned)
    if number is None:
        return Unparsed(text, REASON_NOT_A_NUMBER)
    with localcontext() as exact:
        # Enough digits that the product is exact: never round a typed sub-fen part away.
        exact.prec = max(28, len(number.as_tuple().digits) + 12)
        yuan = number * unit.factor
    if abs(yuan) >= MAX_YUAN:
        return Unparsed(text, REASON_TOO_LARGE)
    if yuan != yuan.quantize(FEN, rounding=ROUND_HALF_UP):
        return Unparsed(text, REASON_TOO_PRECISE)
    return yuan.quantize(FEN)


def parse_decimal(text: str, suffixes: tuple[str, ...] = ("分",)) -> Decimal | Unparsed | None:
    """Read a plain number such as a weight or a score (``"10"``, ``"８.５分"``)."""
    cleaned = normalize(text)
    if not cleaned:
        return None
    for suffix in suffixes:
        if cleaned.endswith(suffix):
            cleaned = cleaned[: -len(suffix)]
            break
    number = _parse_number(cleaned)
    if number is None:
        return Unparsed(text, REASON_NOT_A_NUMBER)
    return checked_number(number, text)


_DATE_PATTERNS = (
    re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日?"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
)


def parse_date(text: str) -> date | Unparsed | None:
    """Read a date: ``2021-03-10``, ``2021/3/10``, ``2021.3.10``, ``2021年3月10日``."""
    cleaned = normalize(text)
    if not cleaned:
        return None
    for pattern in _DATE_PATTERNS:
        match = pattern.fullmatch(cleaned)
        if match:
            try:
                return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            except ValueError:
                return Unparsed(text, REASON_NOT_A_DATE)
    return Unparsed(text, REASON_NOT_A_DATE)


REASON_NOT_A_YEAR = "not_a_year"


def parse_year(text: str) -> int | Unparsed | None:
    """Read a fiscal year: four digits, full-width accepted, an optional 年 suffix."""
    cleaned = normalize(text).removesuffix("度").removesuffix("年")
    if not cleaned:
        return None
    # isdecimal, not isdigit: "᧚" is a digit that int() cannot read.
    if len(cleaned) == 4 and cleaned.isdecimal() and 1900 <= int(cleaned) <= 2999:
        return int(cleaned)
    return Unparsed(text, REASON_NOT_A_YEAR)


def round_half_up(value: Decimal, places: int = 2) -> Decimal:
    """Round for display: half-up, to ``places`` decimals."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def to_unit(yuan: Decimal, unit: Unit) -> Decimal:
    """Convert exact yuan to ``unit`` without rounding."""
    return yuan / unit.factor


def format_amount(yuan: Decimal | None, unit: Unit = Unit.WAN, places: int = 2) -> str:
    """Show an amount in ``unit`` with ``places`` decimals, half-up; empty for None."""
    if yuan is None:
        return ""
    return f"{round_half_up(to_unit(yuan, unit), places):f}"


def format_number(value: Decimal | None, places: int = 2) -> str:
    """Show a score or weight: half-up to ``places`` decimals, trailing zeros dropped."""
    if value is None:
        return ""
    text = f"{round_half_up(value, places):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def format_percent(rate: Decimal | None, places: int = 2) -> str:
    """Show a ratio (0.8105…) as a percentage (``81.05%``), half-up."""
    if rate is None:
        return ""
    return f"{round_half_up(rate * 100, places):f}%"


def format_date(value: date | None) -> str:
    """Official form of a date: ``2021年3月10日`` (Arabic digits, no leading zeros)."""
    if value is None:
        return ""
    return f"{value.year}年{value.month}月{value.day}日"


def to_fen(yuan: Decimal) -> int:
    """Exact integer fen for storage; raises ValueError when not a whole number of fen."""
    fen = yuan * 100
    if fen != fen.to_integral_value():
        raise ValueError(f"amount {yuan} is not a whole number of fen")
    return int(fen)


def from_fen(fen: int) -> Decimal:
    """The yuan amount stored as integer fen."""
    return (Decimal(fen) / 100).quantize(FEN)


def amount_text(value: Decimal | Unparsed | None, unit: Unit = Unit.WAN) -> str:
    """What an amount field shows: the formatted number, or the unread text as typed."""
    if isinstance(value, Unparsed):
        return value.text
    return format_amount(value, unit)


def number_text(value: Decimal | Unparsed | None) -> str:
    """What a weight/score field shows: the number, or the unread text as typed."""
    if isinstance(value, Unparsed):
        return value.text
    return format_number(value)


def date_text(value: date | Unparsed | None) -> str:
    """What a date field shows: ``2021-03-10``, or the unread text as typed."""
    if isinstance(value, Unparsed):
        return value.text
    return value.isoformat() if value else ""

"""Hostile input for every parser: property-based tests with hypothesis (no Qt).

Every parser takes whatever a user (or a pasted spreadsheet) can put in a cell and
returns a value, ``None`` for an empty cell, or ``Unparsed`` keeping the text verbatim —
it never raises. Values written the ways people write them read back exactly.
"""

from __future__ import annotations

import unicodedata
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from desktop_app.domain.model import Unit, Unparsed
from desktop_app.domain.money import (
    MAX_YUAN,
    format_amount,
    parse_amount,
    parse_date,
    parse_decimal,
    parse_year,
)
from desktop_app.domain.targets import (
    REASON_CONFLICT,
    REASON_EMPTY,
    Comparator,
    Target,
    format_target,
    parse_target,
)

FULL_WIDTH = str.maketrans("0123456789.,-+", "０１２３４５６７８９．，－＋")
SUFFIX_UNITS = {"亿元": Unit.YI, "亿": Unit.YI, "万元": Unit.WAN, "万": Unit.WAN, "元": Unit.YUAN}

#: Any text at all, surrogates excluded (they cannot come from a Qt line edit).
any_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)
#: Text near the parsers' grammar: digits of both widths, signs, separators, units.
number_like = st.text(
    st.sampled_from(list("0123456789０１２３４５６７８９.．。,，'+-－—−万亿元分年月日度/ \u3000e%％")), max_size=25
)
hostile = st.one_of(any_text, number_like)

#: Exact amounts in yuan with at most two decimals, within the accepted range.
yuan_amounts = st.decimals(min_value=-(MAX_YUAN - 1), max_value=MAX_YUAN - 1, places=2, allow_nan=False,
                           allow_infinity=False)


def group_thousands(digits: str, separator: str) -> str:
    """``1234567`` → ``1,234,567``."""
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i:i + 3] for i in range(head, len(digits), 3)]
    return separator.join(parts)


def written(value: Decimal, *, thousands: str | None, full_width: bool, spaces: bool) -> str:
    """``value`` written as a person might type it."""
    text = f"{value:f}"
    sign = ""
    if text.startswith("-"):
        sign, text = "-", text[1:]
    whole, _, fraction = text.partition(".")
    if thousands:
        whole = group_thousands(whole, thousands)
    text = sign + whole + (f".{fraction}" if fraction else "")
    if full_width:
        text = text.translate(FULL_WIDTH)
    if spaces:
        text = f"  {text}\u3000"
    return text


# -- never an exception, Unparsed keeps the text -------------------------------------------


@settings(max_examples=200)
@given(hostile, st.sampled_from(Unit))
@example("᧚᧚᧚᧚", Unit.WAN)
@example("9" * 5000, Unit.YI)
@example("0." + "0" * 40 + "1万", Unit.WAN)
def test_parse_amount_never_raises_and_keeps_unreadable_text(text: str, unit: Unit) -> None:
    result = parse_amount(text, unit)
    assert result is None or isinstance(result, (Decimal, Unparsed))
    if result is None:
        assert not "".join(ch for ch in unicodedata.normalize("NFKC", text) if not ch.isspace())
    elif isinstance(result, Unparsed):
        assert result.text == text and result.reason in ("not_a_number", "too_precise", "too_large")
    else:
        assert result.is_finite() and abs(result) < MAX_YUAN
        assert result == result.quantize(Decimal("0.01"))  # whole fen, exactly


@settings(max_examples=200)
@given(hostile)
@example("᧚᧚᧚᧚")
@example("1" + "0" * 30)
def test_parse_decimal_never_raises(text: str) -> None:
    result = parse_decimal(text)
    assert result is None or isinstance(result, (Decimal, Unparsed))
    if isinstance(result, Unparsed):
        assert result.text == text
    elif isinstance(result, Decimal):
        assert result.is_finite() and abs(result) < MAX_YUAN


@settings(max_examples=200)
@given(hostile)
@example("᧚᧚᧚᧚")
@example("２０２１年１３月１日")
@example("0000-01-01")
def test_parse_date_never_raises(text: str) -> None:
    result = parse_date(text)
    assert result is None or isinstance(result, (date, Unparsed))
    if isinstance(result, Unparsed):
        assert result.text == text and result.reason == "not_a_date"


@settings(max_examples=200)
@given(hostile)
@example("᧚᧚᧚᧚")
@example("𝟐𝟎𝟐𝟎")
@example("²⁰²⁰")
def test_parse_year_never_raises(text: str) -> None:
    result = parse_year(text)
    assert result is None or isinstance(result, (int, Unparsed))
    if isinstance(result, int):
        assert 1900 <= result <= 2999
    elif isinstance(result, Unparsed):
        assert result.text == text and result.reason == "not_a_year"


@settings(max_examples=250)
@given(hostile)
@example("᧚᧚᧚᧚个")
@example("≥" + "9" * 40)
@example("≥50个以下")
def test_parse_target_never_raises(text: str) -> None:
    result = parse_target(text)
    assert isinstance(result, (Target, Unparsed))
    if isinstance(result, Unparsed):
        assert result.text == text
    elif result.qualitative:
        assert result.outcome and not any(ch.isdigit() for ch in result.outcome)
    else:
        assert abs(result.value) < MAX_YUAN and not any(ch.isdigit() for ch in result.unit)


# -- values written as people write them read back exactly --------------------------------


@settings(max_examples=200)
@given(
    yuan_amounts,
    st.sampled_from([None, ",", "，"]),
    st.booleans(),
    st.booleans(),
    st.sampled_from(["", *SUFFIX_UNITS]),
    st.sampled_from(Unit),
)
def test_amounts_read_back_exactly(value: Decimal, thousands, full_width, spaces, suffix, default_unit) -> None:
    unit = SUFFIX_UNITS.get(suffix, default_unit)
    typed_number = (value / unit.factor).normalize()
    assume(abs(typed_number.as_tuple().exponent) < 40)  # type: ignore[arg-type]
    text = written(typed_number, thousands=thousands, full_width=full_width, spaces=spaces) + suffix
    assert parse_amount(text, default_unit) == value


@settings(max_examples=200)
@given(st.decimals(min_value=Decimal("0.001"), max_value=Decimal(10) ** 6, places=3), st.sampled_from(Unit))
def test_sub_fen_amounts_are_refused_not_rounded(value: Decimal, unit: Unit) -> None:
    yuan = value * unit.factor
    assume(yuan != yuan.quantize(Decimal("0.01")))
    result = parse_amount(f"{value:f}", unit)
    assert isinstance(result, Unparsed) and result.reason == "too_precise"


@given(st.integers(min_value=13, max_value=400), st.sampled_from(["", "-"]))
def test_huge_amounts_are_refused(digits: int, sign: str) -> None:
    text = sign + "1" + "0" * digits
    result = parse_amount(text, Unit.YUAN)
    assert isinstance(result, Unparsed) and result.reason == "too_large"


@pytest.mark.parametrize("tiny", ["0.0" + "0" * 27 + "1万", "1.00000000000000000000000000001万", "0.000000000001亿"])
def test_tiny_fractions_beyond_the_decimal_precision_are_refused(tiny: str) -> None:
    """More digits than Decimal's 28 must not be rounded away silently."""
    result = parse_amount(tiny, Unit.WAN)
    assert isinstance(result, Unparsed) and result.reason == "too_precise"


def test_amount_display_reads_back() -> None:
    for value in (Decimal("2431600.00"), Decimal("-0.01"), Decimal("123456789.12")):
        for unit in Unit:
            shown = format_amount(value, unit, places=2 + len(str(unit.factor)) - 1)
            assert parse_amount(shown, unit) == value


@given(st.decimals(min_value=-(MAX_YUAN - 1), max_value=MAX_YUAN - 1, places=4), st.booleans(), st.booleans())
def test_decimals_read_back_exactly(value: Decimal, full_width: bool, with_suffix: bool) -> None:
    text = written(value, thousands=None, full_width=full_width, spaces=False) + ("分" if with_suffix else "")
    assert parse_decimal(text) == value


@given(st.dates(min_value=date(1000, 1, 1)), st.sampled_from(["{y}-{m}-{d}", "{y}/{m}/{d}", "{y}.{m}.{d}",
                                                              "{y}年{m}月{d}日", "{y}年{m}月{d}", "{y}{m:02}{d:02}"]),
       st.booleans())
def test_dates_read_back(value: date, pattern: str, full_width: bool) -> None:
    text = pattern.format(y=value.year, m=value.month, d=value.day)
    if full_width:
        text = text.translate(FULL_WIDTH)
    assert parse_date(text) == value


@given(st.integers(min_value=1900, max_value=2999), st.sampled_from(["", "年", "年度"]), st.booleans())
def test_years_read_back(year: int, suffix: str, full_width: bool) -> None:
    text = str(year) + suffix
    assert parse_year(text.translate(FULL_WIDTH) if full_width else text) == year


@given(st.integers(min_value=-100000, max_value=100000).filter(lambda y: not 1900 <= y <= 2999))
def test_years_out_of_range_are_refused(year: int) -> None:
    assert isinstance(parse_year(str(year)), Unparsed)


# -- targets --------------------------------------------------------------------------------

UNITS = ["", "个", "万元", "亿元", "%", "人次", "家", "天", "个工作日", "km", "‰", "平方米"]
WORDS = {
    Comparator.AT_LEAST: ["≥", ">=", "≧", "不低于", "不少于", "大于等于", "至少"],
    Comparator.AT_MOST: ["≤", "<=", "≦", "不超过", "不高于", "小于等于", "至多"],
    Comparator.EQUAL: ["=", "＝", "等于"],
    Comparator.MORE_THAN: [">", "大于", "高于", "超过"],
    Comparator.LESS_THAN: ["<", "小于", "低于", "少于"],
}
target_values = st.decimals(min_value=-(10**9), max_value=10**9, places=3)


@settings(max_examples=200)
@given(st.sampled_from(list(Comparator)), target_values, st.sampled_from(UNITS))
def test_canonical_targets_read_back(comparator: Comparator, value: Decimal, unit: str) -> None:
    target = Target(comparator, value, unit)
    assert parse_target(format_target(target)) == target


@settings(max_examples=200)
@given(st.data(), target_values.filter(lambda v: v >= 0), st.sampled_from(UNITS), st.booleans(), st.booleans())
def test_targets_read_back_however_written(data, value: Decimal, unit: str, full_width: bool, spaces: bool) -> None:
    comparator = data.draw(st.sampled_from(list(Comparator)))
    word = data.draw(st.sampled_from(WORDS[comparator]))
    number = written(value, thousands=data.draw(st.sampled_from([None, ","])), full_width=full_width, spaces=spaces)
    assert parse_target(f"{word}{number}{unit}") == Target(comparator, value, unit)


@given(target_values.filter(lambda v: v >= 0), st.sampled_from(UNITS),
       st.sampled_from([("以上", Comparator.AT_LEAST), ("及以上", Comparator.AT_LEAST),
                        ("以下", Comparator.AT_MOST), ("以内", Comparator.AT_MOST)]))
def test_comparator_after_the_number(value: Decimal, unit: str, suffix) -> None:
    word, comparator = suffix
    assert parse_target(f"{value:f}{unit}{word}") == Target(comparator, value, unit)
    assert parse_target(f"{comparator.value}{value:f}{unit}{word}") == Target(comparator, value, unit)


def test_examples_from_real_reports() -> None:
    assert parse_target("≥50个") == Target(Comparator.AT_LEAST, Decimal(50), "个")
    assert parse_target("≤90万元") == Target(Comparator.AT_MOST, Decimal(90), "万元")
    assert parse_target("=100%") == Target(Comparator.EQUAL, Decimal(100), "%")
    assert parse_target("达成年度指标") == Target(outcome="达成年度指标")
    assert parse_target("有效带动") == Target(outcome="有效带动")
    assert parse_target("10") == Target(None, Decimal(10), "")
    assert parse_target("≥ 95 ％") == Target(Comparator.AT_LEAST, Decimal(95), "%")
    assert parse_target("控制在5%以内") == Target(Comparator.AT_MOST, Decimal(5), "%")


@pytest.mark.parametrize("text, reason", [
    ("", REASON_EMPTY), ("  \u3000", REASON_EMPTY), ("≥", "not_a_target"), ("≥五十个", "not_a_target"),
    ("50-60个", "not_a_target"), ("第1名", "not_a_target"), ("≤50个以上", REASON_CONFLICT),
    ("≥1" + "0" * 20, "too_large"),
])
def test_unreadable_targets(text: str, reason: str) -> None:
    assert parse_target(text) == Unparsed(text, reason)


def test_parse_target_is_pure_and_stdlib_only() -> None:
    import subprocess
    import sys
    from pathlib import Path

    code = ("import sys; before = set(sys.modules); import desktop_app.domain.targets; "
            "third = {m.split('.')[0] for m in set(sys.modules) - before} - {'desktop_app'}; "
            "assert third <= set(sys.stdlib_module_names), third")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parents[2])

"""Reading amounts, numbers and dates as people type them."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.model import Unit, Unparsed
from desktop_app.domain.money import (
    format_amount,
    format_date,
    format_percent,
    from_fen,
    parse_amount,
    parse_date,
    parse_decimal,
    parse_year,
    round_half_up,
    to_fen,
)


@pytest.mark.parametrize(
    ("typed", "yuan"),
    [
        ("243.16", "2431600"),
        ("1,234.5", "12345000"),
        ("２４３．１６", "2431600"),
        ("300万", "3000000"),
        ("300万元", "3000000"),
        ("1.5亿", "150000000"),
        ("5000元", "5000"),
        (" 97.48 ", "974800"),
        ("-3", "-30000"),
        ("1，234", "12340000"),
    ],
)
def test_amounts_are_read_as_people_type_them(typed, yuan):
    assert parse_amount(typed, Unit.WAN) == Decimal(yuan)


@pytest.mark.parametrize(("typed", "reason"), [("abc", "not_a_number"), ("1.2.3", "not_a_number"),
                                                ("0.0000001", "too_precise"), ("1e5", "not_a_number"),
                                                ("99999999999万", "too_large")])
def test_unreadable_amounts_are_kept_as_typed_with_a_reason(typed, reason):
    value = parse_amount(typed)
    assert value == Unparsed(typed, reason)


def test_empty_amount_is_none():
    assert parse_amount("   ") is None


def test_numbers_dates_and_years():
    assert parse_decimal("８.５分") == Decimal("8.5")
    assert parse_date("2021年3月10日") == date(2021, 3, 10)
    assert parse_date("2021/3/1") == date(2021, 3, 1)
    assert parse_date("2021-02-30") == Unparsed("2021-02-30", "not_a_date")
    assert parse_year("２０２０年度") == 2020
    assert isinstance(parse_year("20"), Unparsed)


def test_display_rounds_half_up():
    assert round_half_up(Decimal("98.105")) == Decimal("98.11")
    assert format_percent(Decimal("243.16") / Decimal(300)) == "81.05%"
    assert format_amount(Decimal("2431600")) == "243.16"
    assert format_amount(Decimal("8350000000"), Unit.YI) == "83.50"
    assert format_date(date(2021, 3, 10)) == "2021年3月10日"


@given(st.decimals(min_value=Decimal("-1e10"), max_value=Decimal("1e10"), places=2, allow_nan=False))
def test_fen_round_trip_is_exact(value):
    assert from_fen(to_fen(value)) == value

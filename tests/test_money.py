"""Money is read once, exactly, and written as two-decimal strings."""

from decimal import Decimal

import pytest

from scanner.money import Money, MoneyError, dollars, format_money, money_from_json, parse_money


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("$1,234.56", 123456),
        ("1234.5", 123450),
        ("(12.00)", -1200),
        ("-$12.00", -1200),
        ("\u221212.00", -1200),
        ("$0", 0),
        ("0.29", 29),
        ("19.99", 1999),
        (".5", 50),
        (" 185.00 ", 18500),
        ("100000000.00", 10_000_000_000),
    ],
)
def test_printed_amounts_are_read_exactly(text: str, cents: int) -> None:
    assert parse_money(text) == cents
    assert type(parse_money(text)) is Money


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("1.234,56", "use a period for cents"),
        ("12,50", "use a period for cents"),
        ("1.234", "at most two decimals"),
        ("\uff11\uff12", "only ASCII digits"),
        ("\u0661\u0662", "only ASCII digits"),
        ("NaN", "finite"),
        ("Infinity", "finite"),
        ("1e3", "not a recognisable amount"),
        ("$1,23,4.56", "not a recognisable amount"),
        ("", "cannot be empty"),
        ("100000000.01", "above the $100,000,000 limit"),
        ("-(5.00)", "not a recognisable amount"),
    ],
)
def test_unreadable_amounts_are_refused_with_a_reason(text: str, reason: str) -> None:
    with pytest.raises(MoneyError, match=reason.replace("$", r"\$")) as caught:
        parse_money(text)
    assert text.strip() == "" or text not in str(caught.value)


def test_json_numbers_are_decoded_exactly() -> None:
    assert money_from_json(Decimal("0.29")) == 29
    assert money_from_json(12) == 1200
    with pytest.raises(MoneyError, match="two decimals"):
        money_from_json(Decimal("0.291"))
    with pytest.raises(MoneyError, match="finite"):
        money_from_json(Decimal("NaN"))
    with pytest.raises(MoneyError, match="limit"):
        money_from_json(Decimal("1E+999"))
    with pytest.raises(MoneyError, match="boolean"):
        money_from_json(True)


def test_amounts_are_written_with_two_decimals() -> None:
    assert format_money(123456) == "1234.56"
    assert format_money(-1200) == "-12.00"
    assert format_money(5) == "0.05"
    assert dollars(123456) == "$1,234.56"
    assert dollars(-1200) == "-$12.00"


def test_thousands_of_digits_are_refused_as_too_large_without_crashing() -> None:
    with pytest.raises(MoneyError, match="limit"):
        parse_money("1" * 5000)
    assert parse_money("0" * 5000 + "5.00") == 500


def test_a_doubled_dollar_sign_is_not_an_amount() -> None:
    with pytest.raises(MoneyError):
        parse_money("-$$5")

"""Money, as properties: every valid printed form reads back to the same cents, every invalid
one is refused, and the OpenAPI pattern says exactly what the parser accepts.

A float anywhere in the path fails these at once: ``int(float("0.29") * 100)`` is 28.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal

import jsonschema_rs  # schemathesis's validator, installed with it
import msgspec
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from scanner.model import ServiceLine, decode, encode
from scanner.money import MAX_CENTS, Money, MoneyError, dollars, format_money, money_from_json, parse_money
from scanner.service.openapi import MONEY_PATTERN, MONEY_SCHEMA, NON_NEGATIVE_MONEY_PATTERN

MANY = settings(max_examples=1500, deadline=None)
cents = st.integers(min_value=-MAX_CENTS, max_value=MAX_CENTS)
non_negative_cents = st.integers(min_value=0, max_value=MAX_CENTS)
SPACE = st.sampled_from(["", " ", "  ", "\t"])


def parses(text: str) -> int | None:
    try:
        return int(parse_money(text))
    except MoneyError:
        return None


@st.composite
def printed(draw: st.DrawFn, amount: int) -> str:
    """One of the ways an EOB or a portal prints ``amount`` cents."""
    whole, frac = divmod(abs(amount), 100)
    digits = f"{whole:,}" if draw(st.booleans()) else str(whole)
    if frac == 0 and draw(st.booleans()):
        number = digits
    elif frac % 10 == 0 and draw(st.booleans()):
        number = f"{digits}.{frac // 10}"
    else:
        number = f"{digits}.{frac:02d}"
    if whole == 0 and "." in number and draw(st.booleans()):
        number = number[1:]  # ".50"
    number = draw(st.sampled_from(["", "$", "$ "])) + number
    if amount < 0:
        style = draw(st.sampled_from(["parens", "-", "\u2212", "-$"]))
        if style == "parens":
            number = f"({number})"
        elif style == "-$":
            number = "-$" + number.lstrip("$ \t")
        else:
            number = style + number
    return draw(SPACE) + number + draw(SPACE)


@MANY
@given(cents)
@example(29)
@example(1999)
@example(MAX_CENTS)
@example(-MAX_CENTS)
def test_the_wire_and_the_message_forms_read_back_to_the_same_cents(amount: int) -> None:
    assert parse_money(format_money(amount)) == amount
    assert parse_money(dollars(amount)) == amount
    assert money_from_json(Decimal(format_money(amount))) == amount
    assert money_from_json(format_money(amount)) == amount


@MANY
@given(st.data(), cents)
def test_every_printed_form_reads_back_to_the_same_cents(data: st.DataObject, amount: int) -> None:
    text = data.draw(printed(amount))
    assert parse_money(text) == amount, text


@MANY
@given(st.integers(min_value=-(MAX_CENTS // 100), max_value=MAX_CENTS // 100))
def test_a_json_integer_is_whole_dollars(whole: int) -> None:
    assert money_from_json(whole) == whole * 100


@MANY
@given(cents)
def test_amounts_survive_the_wire_codec_as_strings_and_as_exact_json_numbers(amount: int) -> None:
    line = ServiceLine(id="1", billed=Money(amount))
    wire = encode(line)
    assert msgspec.json.decode(wire)["billed"] == format_money(amount)
    assert decode(wire, ServiceLine).billed == amount
    as_number = wire.replace(f'"{format_money(amount)}"'.encode(), format_money(amount).encode())
    assert decode(as_number, ServiceLine).billed == amount


@MANY
@given(st.integers(min_value=MAX_CENTS + 1, max_value=10**30), st.booleans())
def test_amounts_above_the_limit_are_refused(amount: int, negative: bool) -> None:
    text = format_money(-amount if negative else amount)
    with pytest.raises(MoneyError):
        parse_money(text)
    with pytest.raises(MoneyError):
        money_from_json(Decimal(text))


@MANY
@given(non_negative_cents, st.integers(min_value=3, max_value=8), st.integers(min_value=1, max_value=9))
def test_more_than_two_decimals_is_refused_not_rounded(amount: int, places: int, last: int) -> None:
    text = format_money(amount) + "0" * (places - 3) + str(last)
    with pytest.raises(MoneyError, match="two decimals"):
        parse_money(text)
    with pytest.raises(MoneyError):
        money_from_json(Decimal(text))


LOOK_ALIKE_DIGITS = [chr(0xFF10 + d) for d in range(10)] + [chr(0x0660 + d) for d in range(10)]
LOOK_ALIKE_DIGITS += ["\u00b2", "\u00b9", "\u0966", "\U0001d7ce"]


@MANY
@given(cents, st.data())
def test_a_look_alike_digit_anywhere_is_refused(amount: int, data: st.DataObject) -> None:
    text = format_money(amount)
    positions = [i for i, ch in enumerate(text) if ch.isdigit()]
    at = data.draw(st.sampled_from(positions))
    forged = text[:at] + data.draw(st.sampled_from(LOOK_ALIKE_DIGITS)) + text[at + 1 :]
    with pytest.raises(MoneyError):
        parse_money(forged)


@pytest.mark.parametrize(
    "text",
    [
        "1.234,56",
        "1 234,56",
        "1\u00a0234.56",
        "1\u2009234.56",
        "$1,23,4.56",
        "$1,234.567",
        "$0.005",
        "1e3",
        "NaN",
        "nan",
        "Infinity",
        "-Infinity",
        "sNaN",
        "\u20ac12.00",
        "USD 12.00",
        "",
        "   ",
        "\u2014",
        "N/A",
        "$",
        "-",
        "()",
        "(-12.00)",
        "-(12.00)",
        "12.",
        "12.00 CR",
        "0x10",
        "+12.00",
        "1_000",
        "$100,000,000.01",
        "100000001",
    ],
)
def test_forms_that_are_not_an_amount_are_refused(text: str) -> None:
    with pytest.raises(MoneyError):
        parse_money(text)


@pytest.mark.parametrize(
    "value", [Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity"), Decimal("1e999999"), True, 1.5]
)
def test_json_values_that_are_not_an_amount_are_refused(value: object) -> None:
    with pytest.raises(MoneyError):
        money_from_json(value)


def test_minus_zero_is_zero() -> None:
    assert parse_money("-0") == 0 and parse_money("(0.00)") == 0 and money_from_json(Decimal("-0.00")) == 0


# --- the OpenAPI money pattern is the parser's grammar ------------------------------------------

_MONEY = re.compile(MONEY_PATTERN)
_NON_NEGATIVE = re.compile(NON_NEGATIVE_MONEY_PATTERN)
_ALPHABET = st.sampled_from([*"0123456789", *"0001,,..$$()-", "\u2212", " ", "\t", "\n"])


def _assert_pattern_agrees(text: str) -> None:
    value = parses(text)
    assert (value is not None) == bool(_MONEY.search(text)), (text, value)
    assert (value is not None and value >= 0) == bool(_NON_NEGATIVE.search(text)), (text, value)


@settings(max_examples=3000, deadline=None)
@given(st.lists(_ALPHABET, max_size=16).map("".join))
@example("-$$5")
@example("(-$5)")
@example("0,000,100,000,000.00")
@example("0,000,100,000,000.01")
@example("000000099999999.99")
@example("99,999,999.99")
@example("999,999,999")
@example("-0")
@example("(0)")
def test_the_schema_pattern_matches_exactly_the_amounts_the_parser_accepts(text: str) -> None:
    _assert_pattern_agrees(text)


@MANY
@given(st.data(), st.integers(min_value=MAX_CENTS - 10**6, max_value=MAX_CENTS + 10**6))
def test_the_schema_pattern_knows_the_limit(data: st.DataObject, amount: int) -> None:
    _assert_pattern_agrees(data.draw(printed(amount)))
    _assert_pattern_agrees(data.draw(printed(-amount)))


def _schema_accepts(number: Decimal) -> bool:
    """What a client's JSON Schema validator says of the number as it travels (a JSON float)."""
    return bool(jsonschema_rs.validator_for(MONEY_SCHEMA).is_valid(json.loads(str(number))))


@MANY
@given(cents)
def test_the_schema_accepts_the_json_numbers_the_service_reads(amount: int) -> None:
    """185.5 is the same amount as "185.50" to the service; the schema must say so too."""
    number = Decimal(amount).scaleb(-2)
    assert money_from_json(number) == amount
    assert _schema_accepts(number), number


@MANY
@given(st.integers(min_value=1, max_value=10**6), st.sampled_from([Decimal("0.001"), Decimal("0.005")]))
def test_the_schema_refuses_json_numbers_with_more_than_two_decimals(whole: int, extra: Decimal) -> None:
    number = Decimal(whole) + extra
    with pytest.raises(MoneyError):
        money_from_json(number)
    assert not _schema_accepts(number), number

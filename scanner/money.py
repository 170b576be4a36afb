"""Money as integer cents, parsed once at the boundary.

An EOB amount is never a float: ``int(float("19.99") * 100)`` is 1998. Every amount that enters
the program goes through :func:`parse_money` (text) or :func:`money_from_json` (a JSON value
decoded exactly), and leaves through :func:`format_money`.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

#: The largest amount we accept: $100,000,000.00. Anything above is a typo or an attack.
MAX_CENTS = 100_000_000_00

# Plain ASCII only: fullwidth or Arabic-Indic digits are rejected, not normalised, because a
# look-alike digit in an amount means the text was not what it seems.
_AMOUNT = re.compile(
    r"""^(?P<sign>[-\u2212]?)\s*\$?\s*
        (?P<int>\d{1,3}(?:,\d{3})+|\d+)?
        (?:\.(?P<frac>\d{1,2}))?$""",
    re.VERBOSE | re.ASCII,
)
_PLAIN = re.compile(r"^[0-9]{1,9}\.[0-9]{2}$", re.ASCII)
_PARENS = re.compile(r"^\((?P<inner>.*)\)$")
# Python refuses to convert digit strings over 4,300 characters (a ValueError of its own), so
# whole dollars with more significant digits than the limit has are refused before int() sees them.
_MOST_DIGITS = len(str(MAX_CENTS // 100))


class MoneyError(ValueError):
    """An amount that cannot be read. The message names the reason, never the value."""


class Money(int):
    """An amount in integer cents.

    A subclass of ``int`` so arithmetic stays plain integer arithmetic, and so the wire codec can
    recognise it and write ``"1234.56"`` instead of a bare number.
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return f"Money({int(self)})"


def parse_money(text: str) -> Money:
    """Read a printed amount: ``"$1,234.56"``, ``"(12.00)"``, ``"-$12"``, ``"1234.5"``, ``"$0"``."""
    if _PLAIN.match(text):  # the wire's own form, "1234.56": most amounts, read without the rest
        return _bounded(int(text.replace(".", "")), False)
    raw = text.strip()
    negative = False
    parens = _PARENS.match(raw)
    if parens:
        raw, negative = parens.group("inner").strip(), True
    match = _AMOUNT.match(raw)
    if not match or (match.group("int") is None and match.group("frac") is None):
        raise MoneyError(_reason(raw))
    if match.group("sign"):
        if negative:
            raise MoneyError("an amount cannot be both negative and in parentheses")
        negative = True
    digits = (match.group("int") or "0").replace(",", "").lstrip("0") or "0"
    if len(digits) > _MOST_DIGITS:
        raise MoneyError("amount is above the $100,000,000 limit")
    whole = int(digits)
    frac = (match.group("frac") or "").ljust(2, "0")
    return _bounded(whole * 100 + int(frac or "0"), negative)


def money_from_json(value: object) -> Money:
    """Convert a decoded JSON value (string, integer or exact ``Decimal``) to cents."""
    if type(value) is str and _PLAIN.match(value):  # the wire's own form: nearly every amount
        return _bounded(int(value.replace(".", "")), False)
    if isinstance(value, bool):
        raise MoneyError("expected an amount, got a boolean")
    if isinstance(value, Money):
        return value
    if isinstance(value, int):
        return _bounded(abs(value) * 100, value < 0)
    if isinstance(value, Decimal):
        return _from_decimal(value)
    if isinstance(value, str):
        return parse_money(value)
    raise MoneyError("expected an amount as a string or a number")


def format_money(cents: int) -> str:
    """Wire form: ``"1234.56"``, ``"-12.00"``."""
    sign = "-" if cents < 0 else ""
    whole, frac = divmod(abs(int(cents)), 100)
    return f"{sign}{whole}.{frac:02d}"


def dollars(cents: int) -> str:
    """Human form for messages: ``"$1,234.56"``, ``"-$12.00"``."""
    sign = "-" if cents < 0 else ""
    whole, frac = divmod(abs(int(cents)), 100)
    return f"{sign}${whole:,}.{frac:02d}"


def _from_decimal(value: Decimal) -> Money:
    if not value.is_finite():
        raise MoneyError("an amount must be a finite number")
    try:
        if abs(value) > Decimal(MAX_CENTS) / 100:
            raise MoneyError("amount is above the $100,000,000 limit")
        cents = value * 100
        if cents != cents.to_integral_value():
            raise MoneyError("an amount has at most two decimals")
    except InvalidOperation as exc:
        raise MoneyError("an amount must be a finite number") from exc
    return _bounded(abs(int(cents)), value < 0)


def _bounded(cents: int, negative: bool) -> Money:
    if cents > MAX_CENTS:
        raise MoneyError("amount is above the $100,000,000 limit")
    return Money(-cents if negative else cents)


def _reason(raw: str) -> str:
    if not raw:
        return "an amount cannot be empty"
    if any(ch.isdigit() and not ch.isascii() for ch in raw):
        return "only ASCII digits are accepted in an amount"
    if re.search(r"\d\.\d{3,}$", raw):
        return "an amount has at most two decimals"
    if re.search(r"\d,\d{1,2}$", raw) or re.search(r"\d\.\d{3},", raw):
        return "use a period for cents (1,234.56), not a comma"
    if raw.lower().strip("+-") in {"nan", "inf", "infinity"}:
        return "an amount must be a finite number"
    return "not a recognisable amount"

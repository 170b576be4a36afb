"""The provider's bill, typed on the command line next to the EOB files it is compared with.

A patient holding an EOB PDF and a paper statement should not have to write a ScanRequest JSON to
ask whether the statement matches the EOB. The amount due is what the statement prints; the claim
number ties the bill to its claim when the files hold several; with one claim in the files the
bill is for it (:func:`scanner.matching.given_with`).
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Sequence

from scanner.ingest_bridge import InputError
from scanner.matching import given_with
from scanner.model import Bill, Claim
from scanner.money import Money, MoneyError, parse_money

#: The id of the bill typed on the command line (ids of bills read from files are their own).
CLI_BILL_ID = "bill-from-command-line"

_OPTIONS = ("bill_due", "bill_paid", "bill_claim", "bill_provider", "bill_date")


def add_bill_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("the provider's bill, compared with the EOB")
    group.add_argument("--bill-due", type=_amount, metavar="AMOUNT", help="the amount due the bill prints")
    group.add_argument("--bill-paid", type=_amount, metavar="AMOUNT", help="what you already paid on it")
    group.add_argument(
        "--bill-claim", metavar="NUMBER", help="the claim number it belongs to (when the files hold several)"
    )
    group.add_argument("--bill-provider", metavar="NAME", help="the provider the bill is from")
    group.add_argument("--bill-date", type=dt.date.fromisoformat, metavar="DATE", help="the statement date")


def _amount(text: str) -> Money:
    try:
        amount = parse_money(text)
    except MoneyError as exc:
        raise argparse.ArgumentTypeError(f"not an amount: {exc}") from None
    if amount < 0:
        raise argparse.ArgumentTypeError("an amount on a bill cannot be negative")
    return amount


def bill_from_args(args: argparse.Namespace, claims: Sequence[Claim]) -> Bill | None:
    """The bill the options describe, or None when none was given."""
    if getattr(args, "bill_due", None) is None:
        given = [name for name in _OPTIONS if getattr(args, name, None) is not None]
        if given:
            raise InputError("--bill-due is needed to compare a bill: give the amount due it prints")
        return None
    bill = Bill(
        id=CLI_BILL_ID,
        claim_id=args.bill_claim,
        provider_name=args.bill_provider,
        statement_date=args.bill_date,
        amount_due=args.bill_due,
        amount_paid=args.bill_paid,
    )
    return given_with(bill, claims)

"""The provider's bill, typed on the command line next to the EOB files it is compared with.

A patient holding an EOB PDF and a paper statement should not have to write a ScanRequest JSON to
ask whether the statement matches the EOB. ``--bill-file`` reads the statement itself; what is
typed wins over what it reads (:mod:`scanner.bill_input`). The amount due is what the statement prints; the claim
number ties the bill to its claim when the files hold several; with one claim in the files the
bill is for it (:func:`scanner.matching.given_with`).
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from scanner.bill_input import combined_bill
from scanner.ingest import DocumentError
from scanner.ingest_bridge import InputError, read_input
from scanner.matching import given_with
from scanner.model import Bill, Claim
from scanner.money import Money, MoneyError, parse_money

if TYPE_CHECKING:
    from scanner.ingest.statement import ParsedStatement

#: The id of the bill typed on the command line (ids of bills read from files are their own).
CLI_BILL_ID = "bill-from-command-line"

_OPTIONS = ("bill_due", "bill_paid", "bill_claim", "bill_provider", "bill_date")


def add_bill_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("the provider's bill, compared with the EOB")
    group.add_argument(
        "--bill-file", type=Path, metavar="FILE", help="the provider's statement (PDF, text or CSV) to read"
    )
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


def bill_from_args(args: argparse.Namespace, claims: Sequence[Claim]) -> tuple[Bill | None, list[str]]:
    """The bill the options describe (a statement read from ``--bill-file``, with what was typed
    over it), or None when none was given; and the notes of reading the statement."""
    statement = _read_statement(args.bill_file) if getattr(args, "bill_file", None) else None
    given = [name for name in _OPTIONS if getattr(args, name, None) is not None]
    if statement is None and given and getattr(args, "bill_due", None) is None:
        raise InputError("--bill-due is needed to compare a bill: give the amount due it prints")
    typed = (
        Bill(
            id=CLI_BILL_ID,
            claim_id=args.bill_claim,
            provider_name=args.bill_provider,
            statement_date=args.bill_date,
            amount_due=args.bill_due,
            amount_paid=args.bill_paid,
        )
        if given
        else None
    )
    bill = combined_bill(statement.bill if statement else None, typed)
    return (given_with(bill, claims) if bill else None), (statement.notes if statement else [])


def _read_statement(path: Path) -> ParsedStatement:
    from scanner.ingest.statement import read_statement

    data = read_input(path)
    try:
        return read_statement(data, path.name)
    except DocumentError as exc:
        raise InputError(f"{path}: {exc}") from None

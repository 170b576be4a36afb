"""Notes on the bills of a scan that could not be compared with any EOB.

A bill that no claim of the scan clearly matches is otherwise silent: no finding, and nothing that
says the comparison never happened. A patient who typed in the amount from their statement would
read "nothing wrong" where the scanner in fact looked at nothing, so the result says so, and says
what lets the scanner match the bill: the claim number the bill or the EOB prints.

A self-pay bill needs no EOB (it is held against its good faith estimate), so it gets no note.
"""

from __future__ import annotations

from collections.abc import Sequence

from scanner.matching import match_bill
from scanner.model import Bill, Claim


def unmatched_bill_notes(bills: Sequence[Bill], claims: Sequence[Claim]) -> list[str]:
    """One note per bill, not self-pay, that matches no claim of the scan."""
    return [_note(bill, claims) for bill in bills if not bill.self_pay and match_bill(bill, claims) is None]


def _note(bill: Bill, claims: Sequence[Claim]) -> str:
    if not claims:
        why = "the scan has no EOB claim to compare it with"
    elif bill.claim_id:
        why = "no claim of the scan has the claim number it gives"
    else:
        why = "no claim of the scan clearly matches its provider, dates and amounts"
    return (
        f"Bill {bill.id} was not compared with an EOB: {why}. "
        "Give the claim number printed on the bill or the EOB to compare them."
    )

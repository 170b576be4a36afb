"""What a line's own sums imply: the part of a not-covered amount above the allowance, and whether
the line is a reversal."""

from __future__ import annotations

from typing import Any

import pytest

from scanner.line_amounts import is_reversal, not_covered_above_allowance, patient_owes
from scanner.model import Adjustment, Amounts
from scanner.testing import make_claim, make_line, money


@pytest.mark.parametrize(
    ("amounts", "above"),
    [
        # The allowance is used up by the payment and the coinsurance: all of it is above.
        (
            {"allowed": "600.00", "plan_paid": "420.00", "coinsurance": "180.00", "not_covered": "1800.00"},
            180000,
        ),
        # Part of it fits inside the allowance (the plan paid $300.00 of $600.00, no cost sharing).
        ({"allowed": "600.00", "plan_paid": "300.00", "not_covered": "500.00"}, 20000),
        # An earlier payer's payment uses up the allowance too.
        (
            {
                "allowed": "600.00",
                "plan_paid": "100.00",
                "prior_payer_paid": "500.00",
                "not_covered": "50.00",
            },
            5000,
        ),
        # Clean twins: a benefit maximum inside the allowance, and lines that do not say enough.
        ({"allowed": "600.00", "plan_paid": "0.00", "not_covered": "600.00"}, 0),
        ({"allowed": "0.00", "plan_paid": "0.00", "not_covered": "2400.00"}, 0),
        ({"plan_paid": "420.00", "not_covered": "1800.00"}, 0),
        ({"allowed": "600.00", "not_covered": "1800.00"}, 0),
        ({"allowed": "600.00", "plan_paid": "420.00", "coinsurance": "180.00"}, 0),
    ],
)
def test_not_covered_above_the_allowance(amounts: dict[str, str], above: int) -> None:
    assert not_covered_above_allowance(make_line(**amounts)) == above


@pytest.mark.parametrize(
    ("amounts", "reversal"),
    [
        ({"billed": "-185.00", "allowed": "-120.00", "plan_paid": "-90.00", "coinsurance": "-30.00"}, True),
        ({"billed": "-185.00", "allowed": "0.00"}, True),
        # Clean twins: a correction that moves a deductible to coinsurance, a line of zeros.
        ({"billed": "0.00", "deductible": "-50.00", "coinsurance": "50.00"}, False),
        ({"billed": "0.00", "allowed": "0.00"}, False),
    ],
)
def test_a_reversal_prints_every_amount_below_zero(amounts: dict[str, str], reversal: bool) -> None:
    line = make_line(**amounts)
    assert is_reversal(line) is reversal


def _owed(claim_total: str | None = None, lines: int = 1, **amounts: Any) -> int:
    line = make_line(**amounts)
    others = [make_line(str(n), patient_responsibility="0.00") for n in range(2, lines + 1)]
    totals = Amounts(patient_responsibility=money(claim_total)) if claim_total else None
    return patient_owes(make_claim(lines=[line, *others], totals=totals), line)


_PR_22 = [Adjustment(group="PR", reason="22", amount=money("180.00"))]
_CO_45 = [Adjustment(group="CO", reason="45", amount=money("40.00"))]


@pytest.mark.parametrize(
    ("case", "owed"),
    [
        ({"patient_responsibility": "25.00", "adjustments": _PR_22}, 2500),  # the column wins
        ({"adjustments": _PR_22 + _CO_45}, 18000),  # group PR is the patient's; CO is not
        ({"not_covered": "95.00"}, 9500),
        ({"claim_total": "180.00"}, 18000),  # the claim's total, for its only line
        ({"claim_total": "180.00", "lines": 2}, 0),  # which line's? unknown: nothing is guessed
        ({"adjustments": _CO_45}, 0),
    ],
)
def test_what_the_patient_owes_comes_from_whichever_column_says_it(case: dict[str, Any], owed: int) -> None:
    assert _owed(**case) == owed

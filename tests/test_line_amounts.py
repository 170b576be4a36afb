"""What a line's own sums imply: the part of a not-covered amount above the allowance, and whether
the line is a reversal."""

from __future__ import annotations

import pytest

from scanner.line_amounts import is_reversal, not_covered_above_allowance
from scanner.testing import make_line


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

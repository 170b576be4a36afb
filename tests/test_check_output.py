"""The ceiling on what a finding can be worth: what the EOB asked the patient for its lines."""

from __future__ import annotations

import msgspec
import pytest

from scanner.check_output import Ceilings
from scanner.model import Adjustment, Amounts, Finding
from scanner.money import Money
from scanner.testing import make_bill, make_claim, make_line, money


def _finding() -> Finding:
    return Finding(
        rule="NET001",
        name="x",
        check="network",
        error_class="network",
        severity="error",
        confidence="high",
        claim_id="claim-1",
        line_ids=["1"],
        title="t",
        message="m",
        amount_at_stake=Money(0),
    )


@pytest.mark.parametrize(
    ("columns", "adjustments", "ceiling"),
    [
        # No responsibility column: coinsurance $10.00 and, beside it, PR-45 $5.00 above the allowance.
        ({"coinsurance": "10.00"}, [("PR", "45", "5.00")], 1500),
        # The same $5.00 printed in the not-covered column too: counted once.
        ({"coinsurance": "10.00", "not_covered": "5.00"}, [("PR", "45", "5.00")], 1500),
        # PR-2 is the coinsurance column's own code: counted once.
        ({"coinsurance": "10.00"}, [("PR", "2", "10.00")], 1000),
        # A printed responsibility above every reading is the ceiling.
        ({"coinsurance": "10.00", "patient_responsibility": "40.00"}, [], 4000),
    ],
)
def test_a_lines_ceiling_reads_the_columns_and_the_patient_adjustments_beside_them(
    columns: dict[str, str], adjustments: list[tuple[str, str, str]], ceiling: int
) -> None:
    line = make_line(
        adjustments=[Adjustment(group=g, reason=r, amount=money(a)) for g, r, a in adjustments],  # type: ignore[arg-type]
        **columns,
    )
    assert Ceilings([make_claim(lines=[line])], []).of(_finding()) == ceiling


@pytest.mark.parametrize(
    ("line_ids", "ceiling"),
    [
        (["2"], 2000),
        (["1", "3"], 4000),
        (["2", "2"], 2000),  # a line named twice is asked for once
        # A finding on every line, or on the claim as a whole: the totals row asks more.
        (["1", "2", "3"], 7500),
        ([], 7500),
    ],
)
def test_a_findings_ceiling_is_what_its_lines_ask_or_the_totals_row_when_it_covers_them_all(
    line_ids: list[str], ceiling: int
) -> None:
    lines = [make_line(str(n), patient_responsibility=f"{n}0.00") for n in (1, 2, 3)]
    claim = make_claim(lines=lines, totals=Amounts(patient_responsibility=Money(7500)))
    ceilings = Ceilings([claim], [])

    assert ceilings.of(msgspec.structs.replace(_finding(), line_ids=line_ids)) == ceiling
    assert ceilings.of(_finding()) == 1000, "the claim's asks are read once and serve every finding"


def test_a_finding_about_one_bill_is_bounded_by_that_bill_not_by_a_larger_one() -> None:
    """Two statements for one visit: a finding naming the $30.00 one cannot be worth the other's
    $900.00; a finding naming no bill (a network rule) may still rest on the larger."""
    claim = make_claim(lines=[make_line("1", patient_responsibility="10.00")])
    small = make_bill(id="small", claim_id="claim-1", amount_due="30.00")
    large = make_bill(id="large", claim_id="claim-1", amount_due="900.00")
    ceilings = Ceilings([claim], [small, large])

    about = msgspec.structs.replace(_finding(), rule="BAL001", bill_id="small")
    assert ceilings.of(about) == 3000
    assert ceilings.of(msgspec.structs.replace(about, bill_id="large")) == 90000
    assert ceilings.of(_finding()) == 90000


def test_a_finding_about_a_bill_asking_less_than_the_eob_is_bounded_by_the_eob() -> None:
    claim = make_claim(lines=[make_line("1", patient_responsibility="50.00")])
    bill = make_bill(id="statement", claim_id="claim-1", amount_due="20.00")

    about = msgspec.structs.replace(_finding(), rule="BAL001", bill_id="statement")
    assert Ceilings([claim], [bill]).of(about) == 5000

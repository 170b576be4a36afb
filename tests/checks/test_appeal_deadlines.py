"""Every rule that offers an internal appeal dates it by the plan's own clock: 60 days after
processing for a Medicare plan (42 CFR 422.582), 180 for others (29 CFR 2560.503-1)."""

from __future__ import annotations

import datetime as dt

import pytest

from scanner.engine import scan
from scanner.model import Claim, Party
from scanner.testing import make_claim, make_line, make_plan, make_request

PROCESSED = dt.date(2026, 6, 20)
PLAN = make_plan(
    deductible_individual="1000.00",
    oop_max_individual="3000.00",
    deductible_met="1000.00",
    oop_met="3000.00",
    coinsurance_in_network=20,
)


def _claims(payer: str) -> list[Claim]:
    """A well visit charged a copay (PRV001), a visit after the maximum was met (OOP001), and an
    out-of-network echo the insurer says the No Surprises Act does not cover (NET007, remark N885),
    with a balance bill for the ER visit the law protects (NET002 with remark N885: appealable)."""
    well = make_line("1", code="99396", diagnoses=["Z00.00"], allowed="200.00", copay="30.00")
    after_max = make_line("2", code="99213", allowed="150.00", coinsurance="30.00")
    echo = make_line(
        "1", code="93306", network="out", allowed="900.00", coinsurance="450.00", remarks=["N885"]
    )
    er = make_line("1", code="99284", network="out", allowed="800.00", coinsurance="400.00", remarks=["N885"])
    return [
        make_claim("office", lines=[well, after_max], payer=payer, processed_date=PROCESSED),
        make_claim(
            "echo",
            lines=[echo],
            payer=payer,
            processed_date=PROCESSED,
            provider=Party(name="Northside Cardiology", network="out", role="specialist"),
        ),
        make_claim(
            "er",
            lines=[er],
            payer=payer,
            processed_date=PROCESSED,
            emergency=True,
            place_of_service="23",
            provider=Party(name="Valley Emergency Physicians", network="out", role="emergency"),
        ),
    ]


@pytest.mark.parametrize(
    ("payer", "days"), [("Example Medicare Advantage Plan", 60), ("Example Health Plan", 180)]
)
def test_each_rules_appeal_is_due_by_the_plans_own_clock(payer: str, days: int) -> None:
    result = scan(make_request(_claims(payer), plan=PLAN))
    appeals = {
        finding.rule: action.deadline
        for finding in result.findings
        for action in finding.actions
        if action.kind == "appeal_internal"
    }
    assert {"PRV001", "OOP001", "NET007", "NET002"} <= set(appeals)
    assert set(appeals.values()) == {PROCESSED + dt.timedelta(days=days)}

"""A claim and findings for the action tests: invented people, numbers an EOB would print."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from scanner.model import Action, Adjustment, Claim, Finding, Party, Plan, ScanRequest
from scanner.money import Money
from scanner.testing import DEFAULT_AS_OF, make_bill, make_claim, make_line, make_plan, make_request

CLAIM_NUMBER = "ZZ-CLAIM-4471"


@pytest.fixture
def claim() -> Claim:
    return make_claim(
        id="claim-7",
        claim_number=CLAIM_NUMBER,
        payer="Example Health Plan",
        provider=Party(name="Riverside Family Medicine", network="in", role="primary_care"),
        processed_date=dt.date(2026, 3, 20),
        lines=[
            make_line(
                "1",
                code="99214",
                code_system="CPT",
                diagnoses=["E11.9"],
                billed="240.00",
                allowed="150.00",
                plan_paid="120.00",
                coinsurance="30.00",
                patient_responsibility="60.00",
                adjustments=[Adjustment(group="PR", reason="2", amount=Money(3000))],
                remarks=["N130"],
            ),
            make_line(
                "2", code="85025", code_system="CPT", billed="45.00", allowed="18.00", plan_paid="18.00"
            ),
        ],
    )


def make_finding(template: str | None, kind: str = "request_reprocessing", **overrides: object) -> Finding:
    """A finding on line 1 whose action asks for ``template``."""
    values: dict[str, object] = {
        "rule": "INS001",
        "name": "patient-share-exceeds-allowed-minus-paid",
        "check": "insurer_processing",
        "error_class": "insurer_processing",
        "severity": "error",
        "confidence": "high",
        "title": "You are asked for more than the allowed amount leaves",
        "message": (
            "The plan allowed $150.00 and paid $120.00, yet the EOB says you owe $60.00: $30.00 too much."
        ),
        "claim_id": "claim-7",
        "line_ids": ["1"],
        "amount_at_stake": 3000,
        "actions": [
            Action(kind=kind, who="your insurer", summary="Ask for the fix.", template=template)  # type: ignore[arg-type]
        ],
    }
    values.update(overrides)
    return Finding(**values)  # type: ignore[arg-type]


@pytest.fixture
def finding_for() -> Callable[..., Finding]:
    return make_finding


@pytest.fixture
def plan() -> Plan:
    return make_plan(oop_max_individual="3000.00", deductible_individual="1000.00")


@pytest.fixture
def request_with_bill(claim: Claim, plan: Plan) -> ScanRequest:
    bill = make_bill(claim_id="claim-7", amount_due="150.00", statement_date=dt.date(2026, 4, 15))
    return make_request([claim], plan=plan, bills=[bill], as_of=DEFAULT_AS_OF)

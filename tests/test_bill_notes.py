"""A bill that matches no claim of the scan is said to be unchecked, never passed over in silence."""

from __future__ import annotations

import datetime as dt

from scanner.engine import scan
from scanner.model import Party, ScanRequest
from scanner.testing import make_bill, make_claim, make_line

DAY = dt.date(2026, 3, 2)


def _visit() -> ScanRequest:
    line = make_line(
        "1",
        code="99214",
        billed="400.00",
        allowed="150.00",
        plan_paid="120.00",
        patient_responsibility="30.00",
    )
    claim = make_claim(
        lines=[line], claim_number="ZZ-55501", provider=Party(name="Maple Family Medicine", network="in")
    )
    return ScanRequest(claims=[claim], as_of=DAY)


def test_a_bill_no_claim_matches_gets_a_note_that_says_how_to_match_it() -> None:
    request = _visit()
    request.bills.append(make_bill(provider_name="Harbor Imaging Associates", amount_due="250.00"))
    result = scan(request)
    assert result.notes == [
        "Bill bill-1 was not compared with an EOB: no claim of the scan clearly matches its provider, "
        "dates and amounts. Give the claim number printed on the bill or the EOB to compare them."
    ]
    assert not [f for f in result.findings if f.rule.startswith("BAL")]


def test_a_claim_number_the_scan_does_not_have_is_named_as_the_reason() -> None:
    request = _visit()
    request.bills.append(make_bill(claim_id="ZZ-99999", amount_due="250.00"))
    [note] = scan(request).notes
    assert "no claim of the scan has the claim number it gives" in note


def test_a_bill_matched_by_its_claim_number_gets_no_note_and_is_compared() -> None:
    request = _visit()
    request.bills.append(make_bill(claim_id="ZZ-55501", amount_due="280.00"))
    result = scan(request)
    assert result.notes == []
    [finding] = [f for f in result.findings if f.rule == "BAL001"]
    assert finding.amount_at_stake == 250_00


def test_a_bill_that_asks_the_eob_share_is_matched_silently() -> None:
    request = _visit()
    request.bills.append(make_bill(claim_id="ZZ-55501", amount_due="30.00"))
    result = scan(request)
    assert result.notes == [] and result.findings == []


def test_a_self_pay_bill_needs_no_eob_and_gets_no_note() -> None:
    request = ScanRequest(
        bills=[make_bill(self_pay=True, amount_due="900.00", good_faith_estimate="400.00")], as_of=DAY
    )
    result = scan(request)
    assert result.notes == []
    assert [f.rule for f in result.findings] == ["BAL005"]

"""The provider's bill against the EOB: balance billing, charges never sent, denials the provider
must absorb, good faith estimates, and what to pay meanwhile."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

import pytest

from plugins.checks.balance_billing import BalanceBillingCheck
from scanner.model import Adjustment, Bill, Claim, Finding, Party
from scanner.testing import (
    assert_silent,
    make_bill,
    make_bill_line,
    make_claim,
    make_line,
    money,
    only,
    run_check,
)

GroupCode = Literal["CO", "PR", "OA", "PI", "CR"]
CHECK = BalanceBillingCheck()
DAY = dt.date(2026, 3, 2)
CLINIC = Party(name="Maple Family Medicine", network="in", role="primary_care")
HOSPITAL = Party(name="Lakeside General Hospital", network="in", role="facility")


def _cents(text: str) -> int:
    return money(text) or 0


def _visit(network: Literal["in", "out", "unknown"] = "in", **kwargs: Any) -> Claim:
    """Billed $400.00, allowed $150.00 (CO-45 $250.00), plan paid $120.00, coinsurance $30.00."""
    line = make_line(
        "1",
        code="99214",
        billed="400.00",
        allowed="150.00",
        plan_paid="120.00",
        coinsurance="30.00",
        patient_responsibility="30.00",
        adjustments=[
            Adjustment(group="CO", reason="45", amount=money("250.00")),
            Adjustment(group="PR", reason="2", amount=money("30.00")),
        ],
        network=network,
    )
    kwargs.setdefault("provider", Party(name="Maple Family Medicine", network=network))
    return make_claim(lines=[line], **kwargs)


def _bill(*balances: str, **kwargs: Any) -> Bill:
    kwargs.setdefault("claim_id", "claim-1")
    lines = kwargs.pop("lines", None) or [
        make_bill_line(code="99214", charge="400.00", patient_balance=balance) for balance in balances
    ]
    return make_bill(lines=lines, **kwargs)


def _run(claims: list[Claim], *bills: Bill, **kwargs: Any) -> list[Finding]:
    return run_check(CHECK, claims, bills=bills, **kwargs)


# --- BAL001 --------------------------------------------------------------------------------------


def test_an_in_network_provider_billing_the_co45_write_off_is_balance_billing() -> None:
    findings = _run([_visit()], _bill("280.00", amount_due="280.00"))
    finding = only(findings, "BAL001")
    assert (finding.severity, finding.confidence, finding.line_ids) == ("error", "high", ["1"])
    assert finding.amount_at_stake == _cents("250.00")
    assert "CO-45 $250.00" in finding.message
    assert finding.actions[0].template == "balance_billing_dispute"
    assert {e.field: e.expected for e in finding.evidence}["bill.patient_balance"] == "30.00"


def test_a_bill_asking_the_eobs_share_is_clean() -> None:
    assert_silent(_run([_visit()], _bill("30.00", amount_due="30.00")))


def test_each_finding_names_the_bill_it_is_about() -> None:
    statement = _bill("280.00", id="hospital-statement", amount_due="280.00")
    collector = _bill("30.00", id="collection-letter", amount_due="30.00")
    findings = _run([_visit()], statement, collector)
    assert {f.bill_id for f in findings} == {"hospital-statement"}
    assert only(findings, "BAL001").bill_id == "hospital-statement"


def test_a_copay_paid_at_the_desk_and_asked_again_on_the_statement_is_balance_billing() -> None:
    """The EOB's share is $30.00, paid at the visit; the statement's line still asks $30.00."""
    finding = only(_run([_visit()], _bill("30.00", amount_due="30.00", amount_paid="30.00")), "BAL008")
    assert (finding.amount_at_stake, finding.title) == (_cents("30.00"), "Your payment was not credited")


@pytest.mark.parametrize(
    ("balance", "paid"), [("0.00", "30.00"), ("20.00", "10.00")], ids=["paid in full", "paid in part"]
)
def test_a_statement_that_credits_the_payment_is_clean(balance: str, paid: str) -> None:
    assert_silent(_run([_visit()], _bill(balance, amount_due=balance, amount_paid=paid)))


def _above_allowance(network: Literal["in", "out"]) -> Claim:
    """The EOB itself counts the $250.00 above the allowance as "not covered": you owe $280.00."""
    claim = _visit(network)
    claim.lines[0].not_covered = money("250.00")
    claim.lines[0].patient_responsibility = money("280.00")
    claim.lines[0].adjustments = []
    return claim


def test_an_in_network_bill_is_measured_against_the_allowance_not_an_inflated_eob_share() -> None:
    """The bill asks the full $400.00; the EOB's $280.00 share already holds $250.00 above the
    allowance, which an in-network provider may not bill: $370.00 is at stake, not $120.00."""
    finding = only(_run([_above_allowance("in")], _bill("400.00")), "BAL001")
    assert finding.amount_at_stake == _cents("370.00")
    assert "$250.00 is above the allowed amount" in finding.message
    assert {e.field: e.expected for e in finding.evidence}["bill.patient_balance"] == "30.00"


def _split(finding: Finding) -> tuple[str | None, str | None]:
    """What BAL001's evidence puts above the EOB's patient responsibility, and inside it."""
    said = {e.field: e.value for e in finding.evidence}
    return said.get("above_the_eob_share"), said.get("inside_the_eob_share")


def test_a_balance_bill_above_the_eobs_share_says_all_of_it_lies_above() -> None:
    """The bill asks $280.00 where the EOB says $30.00: the $250.00 is all above the EOB's share."""
    finding = only(_run([_visit()], _bill("280.00", amount_due="280.00")), "BAL001")
    assert _split(finding) == ("250.00", "0.00")


def test_a_balance_bill_says_which_part_lies_inside_the_eobs_share() -> None:
    """The bill asks $400.00; the EOB's $280.00 share holds $250.00 above the allowance. Of the
    $370.00, $120.00 is above the EOB's share and $250.00 inside it."""
    finding = only(_run([_above_allowance("in")], _bill("400.00")), "BAL001")
    assert _split(finding) == ("120.00", "250.00")


def test_a_bill_asking_the_eobs_inflated_share_lies_wholly_inside_it() -> None:
    """The bill asks the EOB's $280.00: the $250.00 above the allowance is all inside the share."""
    finding = only(_run([_above_allowance("in")], _bill("280.00")), "BAL001")
    assert (finding.amount_at_stake, _split(finding)) == (_cents("250.00"), ("0.00", "250.00"))


def test_a_whole_bill_lies_above_the_eobs_share() -> None:
    whole = only(_run([_visit()], _bill(lines=[], amount_due="100.00")), "BAL001")
    assert _split(whole) == ("70.00", "0.00")


def test_an_uncredited_payment_is_its_own_finding_on_no_line_of_the_eob() -> None:
    """Whatever the provider's network, a payment made is owed no more: out of network too."""
    for network in ("in", "out"):
        findings = _run([_visit(network)], _bill("30.00", amount_due="30.00", amount_paid="30.00"))
        uncredited = only(findings, "BAL008")
        assert (uncredited.severity, uncredited.line_ids, uncredited.amount_at_stake) == ("error", [], 30_00)
        assert not [f.rule for f in findings if f.rule in ("BAL001", "BAL003", "BAL007")]
        [action] = uncredited.actions  # the billing office's to fix: no call to the insurer
        assert action.kind == "dispute_bill" and action.script is not None
        assert "I already paid $30.00 on it, but the statement still asks $30.00" in action.script


def test_out_of_network_the_eobs_share_stays_the_baseline() -> None:
    """The clean twin: out of network, the charge above the allowance may be lawfully billed, so a
    bill that asks the EOB's $280.00 share is no in-network balance bill."""
    assert_silent(_run([_above_allowance("out")], _bill("280.00")), "BAL001")


def test_a_bill_without_lines_is_compared_as_a_whole() -> None:
    finding = only(_run([_visit()], _bill(amount_due="280.00")), "BAL001")
    assert (finding.amount_at_stake, finding.line_ids) == (_cents("250.00"), ["1"])


def test_payments_already_made_count_toward_what_the_bill_asks() -> None:
    finding = only(_run([_visit()], _bill(amount_due="250.00", amount_paid="30.00")), "BAL001")
    assert finding.amount_at_stake == _cents("250.00")
    assert "including $30.00 you already paid" in finding.message


def test_a_partly_paid_bill_that_agrees_with_the_eob_is_clean() -> None:
    assert_silent(_run([_visit()], _bill(amount_due="10.00", amount_paid="20.00")))


def test_an_overpayment_asks_for_a_refund() -> None:
    finding = only(_run([_visit()], _bill(amount_due="0.00", amount_paid="80.00")), "BAL001")
    assert finding.amount_at_stake == _cents("50.00")
    assert "refund of $50.00" in finding.message


def test_a_service_listed_twice_counts_the_repeat_as_asked() -> None:
    finding = only(_run([_visit()], _bill("30.00", "30.00")), "BAL001")
    assert (finding.amount_at_stake, finding.confidence) == (_cents("30.00"), "medium")
    assert {e.field: e.note for e in finding.evidence}[
        "bill.patient_balance"
    ] == "the bill lists this service twice"


def test_a_service_listed_twice_with_nothing_asked_the_second_time_is_clean() -> None:
    assert_silent(_run([_visit()], _bill("30.00", "0.00")))


def test_a_weak_match_only_warns() -> None:
    bill = _bill(
        lines=[make_bill_line(description="Office visit, established patient", patient_balance="280.00")]
    )
    claim = _visit()
    claim.lines[0].description = "Office visit est patient"
    finding = only(_run([claim], bill), "BAL001")
    assert (finding.severity, finding.confidence, finding.amount_at_stake) == (
        "warning",
        "low",
        _cents("250.00"),
    )


def test_a_bill_for_no_claim_of_the_scan_is_not_judged() -> None:
    assert_silent(_run([_visit()], _bill("280.00", claim_id=None, provider_name="Cedar Dental")))


# --- BAL002 --------------------------------------------------------------------------------------


def test_a_bill_line_missing_from_the_eob_should_go_to_the_insurer() -> None:
    bill = _bill(
        lines=[
            make_bill_line(code="99214", charge="400.00", patient_balance="30.00"),
            make_bill_line(code="36415", charge="35.00", patient_balance="35.00"),
            make_bill_line(code="81002", charge="18.00", patient_balance="18.00"),
        ]
    )
    finding = only(_run([_visit()], bill), "BAL002")
    assert (finding.severity, finding.amount_at_stake, finding.line_ids) == ("warning", _cents("53.00"), [])
    assert "code 36415 on 2026-03-02 ($35.00), code 81002 on 2026-03-02 ($18.00)" in finding.message
    assert "bill your insurer" in finding.actions[0].summary


def test_a_credit_line_is_not_a_charge_to_send_to_the_insurer() -> None:
    bill = _bill(
        lines=[
            make_bill_line(code="99214", charge="400.00", patient_balance="30.00"),
            make_bill_line(description="Payment, thank you", patient_balance="-30.00"),
        ]
    )
    assert_silent(_run([_visit()], bill), "BAL002")


def test_a_bill_whose_lines_are_all_on_the_eob_has_nothing_unsubmitted() -> None:
    assert_silent(_run([_visit()], _bill("30.00")), "BAL002")


def test_a_hospitals_own_claim_is_as_in_network_as_its_facility() -> None:
    """A claim that names no provider was billed by its facility: an in-network hospital that bills
    the write-off is balance billing, whether or not the line prints its network level."""
    claim = _visit(network="unknown", provider=None, facility=HOSPITAL)
    finding = only(_run([claim], _bill("280.00", amount_due="280.00")), "BAL001")
    assert finding.amount_at_stake == _cents("250.00")


def test_an_in_network_provider_whose_line_was_processed_out_of_network_is_still_bound_by_its_contract() -> (
    None
):
    """The insurer's processing error (NET001's) does not free the provider to bill the write-off."""
    claim = _visit(network="out", provider=CLINIC)
    finding = only(_run([claim], _bill("280.00", amount_due="280.00")), "BAL001")
    assert (finding.severity, finding.amount_at_stake) == ("error", _cents("250.00"))
    assert_silent(_run([claim], _bill("30.00", amount_due="30.00")))


def test_a_named_provider_of_unknown_network_at_an_in_network_hospital_is_not_called_in_network() -> None:
    """The clean twin: the doctor who billed may be out of network even in an in-network hospital,
    so the bill is a mismatch to clear up, never an in-network balance bill."""
    claim = _visit(network="unknown", provider=Party(name="Maple Family Medicine"), facility=HOSPITAL)
    findings = _run([claim], _bill("280.00", amount_due="280.00"))
    assert_silent(findings, "BAL001")
    assert only(findings, "BAL003").severity == "warning"


# --- BAL003 --------------------------------------------------------------------------------------


def test_an_out_of_network_bill_above_the_eob_share_is_a_mismatch() -> None:
    finding = only(_run([_visit(network="out")], _bill("280.00")), "BAL003")
    assert (finding.severity, finding.amount_at_stake) == ("warning", _cents("250.00"))
    assert_silent(_run([_visit(network="out")], _bill("280.00")), "BAL001")


def test_an_out_of_network_bill_equal_to_the_eob_share_is_clean() -> None:
    assert_silent(_run([_visit(network="out")], _bill("30.00")))


def test_a_bill_below_the_eob_share_is_information() -> None:
    finding = only(_run([_visit()], _bill("10.00")), "BAL003")
    assert (finding.severity, finding.amount_at_stake) == ("info", 0)


def test_a_bill_below_the_eob_share_after_a_payment_is_clean() -> None:
    assert_silent(_run([_visit()], _bill("10.00", amount_paid="20.00", amount_due="10.00")))


# --- BAL004 --------------------------------------------------------------------------------------


def _denied(group: GroupCode, reason: str, network: Literal["in", "out"] = "in", owed: str = "0.00") -> Claim:
    line = make_line(
        "1",
        code="70553",
        billed="1250.00",
        allowed="0.00",
        plan_paid="0.00",
        patient_responsibility=owed,
        denied=True,
        adjustments=[Adjustment(group=group, reason=reason, amount=money("1250.00"))],
        network=network,
    )
    return make_claim(lines=[line], status="denied", provider=Party(name="Birch Imaging", network=network))


def test_a_missing_authorization_denial_billed_by_an_in_network_provider_is_not_yours() -> None:
    bill = _bill(lines=[make_bill_line(code="70553", charge="1250.00", patient_balance="1250.00")])
    finding = only(_run([_denied("CO", "197")], bill), "BAL004")
    assert (finding.severity, finding.amount_at_stake) == ("error", _cents("1250.00"))
    assert "prior authorization was missing" in finding.message
    assert_silent(_run([_denied("CO", "197")], bill), "BAL001")


def test_a_late_filing_denial_is_the_providers_even_out_of_network() -> None:
    bill = _bill(lines=[make_bill_line(code="70553", patient_balance="1250.00")])
    finding = only(_run([_denied("PR", "29", network="out", owed="1250.00")], bill), "BAL004")
    assert finding.amount_at_stake == _cents("1250.00")


def test_a_whole_bill_for_a_claim_the_provider_must_absorb_is_all_at_stake() -> None:
    finding = only(_run([_denied("CO", "197")], _bill(amount_due="1250.00")), "BAL004")
    assert (finding.amount_at_stake, finding.line_ids) == (_cents("1250.00"), ["1"])


def test_a_denial_that_is_the_patients_and_billed_as_the_eob_says_is_clean() -> None:
    bill = _bill(lines=[make_bill_line(code="70553", patient_balance="1250.00")])
    assert_silent(_run([_denied("PR", "204", owed="1250.00")], bill))


# --- BAL005 --------------------------------------------------------------------------------------


def _self_pay(*charges: str) -> Bill:
    return make_bill(
        claim_id="claim-1",
        self_pay=True,
        good_faith_estimate="1200.00",
        statement_date=dt.date(2026, 5, 1),
        lines=[make_bill_line(code="99214", charge=charge) for charge in charges],
    )


def test_a_self_pay_bill_400_or_more_above_the_estimate_opens_the_dispute_process() -> None:
    finding = only(_run([_visit()], _self_pay("1000.00", "850.00")), "BAL005")
    assert (finding.severity, finding.amount_at_stake) == ("warning", _cents("650.00"))
    assert finding.actions[0].deadline == dt.date(2026, 8, 29)
    assert "by 2026-08-29 (120 days from the bill's date)" in finding.message
    assert [r.citation for r in finding.references] == ["45 CFR 149.610", "45 CFR 149.620"]


def test_exactly_400_above_the_estimate_qualifies() -> None:
    assert only(_run([_visit()], _self_pay("1600.00")), "BAL005").amount_at_stake == _cents("400.00")


def test_a_self_pay_bill_less_than_400_above_the_estimate_is_clean() -> None:
    assert_silent(_run([_visit()], _self_pay("1599.99")))


# --- BAL006 --------------------------------------------------------------------------------------


def test_a_disputed_bill_comes_with_the_advice_to_pay_the_undisputed_part() -> None:
    bill = _bill(
        lines=[
            make_bill_line(code="99214", charge="400.00", patient_balance="280.00"),
            make_bill_line(code="36415", charge="40.00", patient_balance="40.00"),
        ],
        amount_due="320.00",
    )
    findings = _run([_visit()], bill)
    advice = only(findings, "BAL006")
    assert (advice.severity, advice.amount_at_stake) == ("info", 0)
    assert "Pay $30.00, the part of the $320.00 balance you do not dispute" in advice.message
    assert "disputed $290.00" in advice.message
    assert advice.actions[0].kind == "pay_undisputed"


def test_an_undisputed_bill_needs_no_payment_advice() -> None:
    assert_silent(_run([_visit()], _bill("30.00", amount_due="30.00")), "BAL006")


def test_a_self_pay_bill_with_no_claim_gets_the_estimate_dispute_on_the_bill_itself() -> None:
    bill = make_bill(
        "self-pay-1",
        self_pay=True,
        statement_date=dt.date(2026, 10, 1),
        good_faith_estimate="600.00",
        amount_due="1450.00",
        lines=[make_bill_line(code="70553", charge="1450.00", patient_balance="1450.00")],
    )
    finding = only(run_check(BalanceBillingCheck(), [], bills=[bill]), "BAL005")
    assert (finding.claim_id, finding.bill_id, finding.line_ids) == ("", "self-pay-1", [])
    assert finding.amount_at_stake == 85000
    assert finding.actions[0].deadline == dt.date(2027, 1, 29)


def test_a_self_pay_bill_with_no_claim_within_400_of_the_estimate_stays_silent() -> None:
    bill = make_bill(
        "self-pay-1",
        self_pay=True,
        good_faith_estimate="600.00",
        lines=[make_bill_line(code="70553", charge="999.99", patient_balance="999.99")],
    )
    assert_silent(run_check(BalanceBillingCheck(), [], bills=[bill]))


def _emergency_claim(**kwargs: Any) -> Claim:
    kwargs.setdefault("emergency", True)
    kwargs.setdefault("place_of_service", "23")
    return make_claim(
        "er",
        provider=Party(name="Valley Emergency Physicians", network="out", role="emergency"),
        lines=[
            make_line(
                code="99285",
                network="out",
                billed="1850.00",
                allowed="900.00",
                plan_paid="540.00",
                coinsurance="360.00",
                patient_responsibility="360.00",
            )
        ],
        **kwargs,
    )


def _balance_bill(asked: str) -> Bill:
    return make_bill(
        claim_id="er",
        amount_due=asked,
        lines=[make_bill_line(code="99285", charge="1850.00", patient_balance=asked)],
    )


def test_an_emergency_balance_bill_is_an_error_the_no_surprises_act_forbids() -> None:
    findings = run_check(BalanceBillingCheck(), [_emergency_claim()], bills=[_balance_bill("1310.00")])
    finding = only(findings, "BAL007")
    assert (finding.severity, finding.amount_at_stake) == ("error", 95000)
    assert [a.template for a in finding.actions] == ["balance_billing_dispute", None, "nsa_complaint"]
    assert_silent(findings, "BAL003")


def test_an_out_of_network_office_visit_balance_bill_is_only_worth_checking() -> None:
    claim = _emergency_claim(emergency=False, place_of_service="11")
    claim.lines[0].code = "99214"
    assert claim.provider is not None
    claim.provider.role = "specialist"
    findings = run_check(BalanceBillingCheck(), [claim], bills=[_balance_bill("1310.00")])
    assert_silent(findings, "BAL007")
    assert only(findings, "BAL003").severity == "warning"


def _whole_bill(asked: str) -> Bill:
    """A statement with only its total: no line balances to match."""
    return make_bill(claim_id="er", amount_due=asked, lines=[])


def test_a_protected_balance_bill_without_line_balances_is_judged_by_its_total() -> None:
    findings = run_check(BalanceBillingCheck(), [_emergency_claim()], bills=[_whole_bill("1310.00")])
    finding = only(findings, "BAL007")
    assert (finding.severity, finding.amount_at_stake) == ("error", 95000)
    assert "nsa_complaint" in [a.template for a in finding.actions]
    assert_silent(findings, "BAL003")


def test_an_unprotected_out_of_network_total_above_the_eob_is_only_worth_checking() -> None:
    claim = _emergency_claim(emergency=False, place_of_service="11")
    claim.lines[0].code = "99214"
    findings = run_check(BalanceBillingCheck(), [claim], bills=[_whole_bill("1310.00")])
    assert_silent(findings, "BAL007")
    assert only(findings, "BAL003").severity == "warning"


def test_an_out_of_network_doctor_priced_in_network_is_not_called_in_network() -> None:
    """The law had the ER line priced in network; the doctor is still out of network, and the
    balance it bills is the one the No Surprises Act forbids, said in those words."""
    claim = _emergency_claim()
    claim.lines[0].network = "in"
    findings = run_check(BalanceBillingCheck(), [claim], bills=[_balance_bill("1310.00")])
    assert only(findings, "BAL007").amount_at_stake == 95000
    assert_silent(findings, "BAL001")

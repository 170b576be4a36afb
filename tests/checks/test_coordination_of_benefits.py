"""Coordination of benefits: stale other-coverage records and plans paying in the wrong order."""

from __future__ import annotations

from typing import Any

from plugins.checks.coordination_of_benefits import CoordinationOfBenefitsCheck
from scanner.model import Adjustment, Claim, ServiceLine
from scanner.testing import assert_silent, make_claim, make_line, make_plan, money, only, run_check

CHECK = CoordinationOfBenefitsCheck()
ALONE = make_plan(other_coverage=False, this_plan_position="primary")
SECONDARY = make_plan(other_coverage=True, this_plan_position="secondary")


def _cents(text: str) -> int:
    return money(text) or 0


def _denied(reason: str, owed: str = "180.00") -> ServiceLine:
    return make_line(
        code="99214",
        billed="220.00",
        allowed="180.00",
        plan_paid="0.00",
        not_covered=owed,
        patient_responsibility=owed,
        denied=True,
        adjustments=[Adjustment(group="OA", reason=reason, amount=money(owed))],
    )


def _paid_line(**amounts: Any) -> ServiceLine:
    return make_line(code="80053", allowed="200.00", **amounts)


# --- COB001 -----------------------------------------------------------------------------------


def test_a_cob_denial_when_you_have_no_other_coverage_is_an_error_for_your_share() -> None:
    finding = only(run_check(CHECK, [make_claim(lines=[_denied("22")])], plan=ALONE), "COB001")
    assert finding.severity == "error"
    assert finding.amount_at_stake == _cents("180.00")
    assert [a.template for a in finding.actions] == ["cob_update", "reprocessing_request"]
    assert "{claim_number}" in (finding.actions[0].script or "")
    assert "birthday" in (CHECK.rules[0].docs.what_to_do if CHECK.rules[0].docs else "")


def test_a_cob_denial_printed_only_as_a_pr_22_adjustment_is_at_stake_for_it() -> None:
    """Many EOBs of denied lines print no patient-responsibility column: PR-22 $180.00 is what the
    patient is held responsible for."""
    line = make_line(
        code="99214",
        billed="180.00",
        denied=True,
        adjustments=[Adjustment(group="PR", reason="22", amount=money("180.00"))],
    )
    finding = only(run_check(CHECK, [make_claim(lines=[line])], plan=ALONE), "COB001")
    assert finding.amount_at_stake == _cents("180.00")
    assert "$180.00 you are asked" in finding.message


def test_reason_109_and_a_prior_payer_reduction_count_too() -> None:
    for reason in ("109", "23"):
        claim = make_claim(lines=[_denied(reason, "95.00")])
        assert only(run_check(CHECK, [claim], plan=ALONE), "COB001").amount_at_stake == _cents("95.00")


def test_the_same_denial_when_you_do_have_other_coverage_is_not_an_error() -> None:
    plan = make_plan(other_coverage=True, this_plan_position="primary")
    assert_silent(run_check(CHECK, [make_claim(lines=[_denied("22")])], plan=plan))


def test_other_denial_reasons_are_not_coordination_problems() -> None:
    assert_silent(run_check(CHECK, [make_claim(lines=[_denied("50")])], plan=ALONE))


# --- COB004 -----------------------------------------------------------------------------------


def test_without_plan_details_a_cob_denial_is_a_question_to_ask() -> None:
    finding = only(run_check(CHECK, [make_claim(lines=[_denied("22")])]), "COB004")
    assert finding.severity == "warning"
    assert finding.confidence == "low"
    assert finding.amount_at_stake == _cents("180.00")


def test_without_plan_details_ordinary_secondary_processing_is_not_questioned() -> None:
    line = _paid_line(
        plan_paid="40.00",
        prior_payer_paid="160.00",
        patient_responsibility="0.00",
        adjustments=[Adjustment(group="OA", reason="23", amount=money("160.00"))],
    )
    assert_silent(run_check(CHECK, [make_claim(lines=[line])]))


# --- COB002 -----------------------------------------------------------------------------------


def test_a_secondary_plan_charging_full_cost_sharing_without_a_primary_payment_is_a_warning() -> None:
    line = _paid_line(
        plan_paid="10.00", deductible="150.00", coinsurance="40.00", patient_responsibility="190.00"
    )
    finding = only(run_check(CHECK, [make_claim(lines=[line])], plan=SECONDARY), "COB002")
    assert finding.severity == "warning"
    assert finding.confidence == "medium"
    assert finding.amount_at_stake == _cents("190.00")
    assert finding.actions[0].kind == "call_provider"


def test_a_secondary_plan_after_the_primary_paid_is_clean() -> None:
    line = _paid_line(
        plan_paid="30.00",
        prior_payer_paid="160.00",
        coinsurance="10.00",
        patient_responsibility="10.00",
        adjustments=[Adjustment(group="OA", reason="23", amount=money("160.00"))],
    )
    assert_silent(run_check(CHECK, [make_claim(lines=[line], coverage_position="secondary")], plan=SECONDARY))


def test_a_primary_plan_charging_cost_sharing_is_ordinary() -> None:
    line = _paid_line(
        plan_paid="10.00", deductible="150.00", coinsurance="40.00", patient_responsibility="190.00"
    )
    assert_silent(run_check(CHECK, [make_claim(lines=[line])], plan=ALONE))


# --- COB003 -----------------------------------------------------------------------------------


def _two_lines(**claim: Any) -> Claim:
    lines = [
        make_line(
            "1",
            plan_paid="0.00",
            allowed="200.00",
            prior_payer_paid="0.00",
            coinsurance="200.00",
            patient_responsibility="200.00",
        ),
        make_line(
            "2", plan_paid="20.00", allowed="80.00", coinsurance="60.00", patient_responsibility="60.00"
        ),
    ]
    return make_claim(lines=lines, **claim)


def test_processed_as_secondary_when_this_plan_is_primary_is_an_error_for_the_claims_share() -> None:
    finding = only(run_check(CHECK, [_two_lines(coverage_position="secondary")], plan=ALONE), "COB003")
    assert finding.amount_at_stake == _cents("260.00")
    assert finding.line_ids == ["1", "2"]
    assert "processed as secondary" in finding.message


def test_a_prior_payer_payment_shows_secondary_processing_even_unlabelled() -> None:
    line = _paid_line(
        plan_paid="30.00", prior_payer_paid="150.00", coinsurance="20.00", patient_responsibility="20.00"
    )
    finding = only(run_check(CHECK, [make_claim(lines=[line])], plan=ALONE), "COB003")
    assert finding.amount_at_stake == _cents("20.00")


def test_processed_as_primary_when_this_plan_is_secondary_is_an_error_too() -> None:
    findings = run_check(CHECK, [_two_lines(coverage_position="primary")], plan=SECONDARY)
    assert only(findings, "COB003").amount_at_stake == _cents("260.00")
    assert_silent(findings, "COB002")


def test_processed_in_the_position_the_plan_says_is_clean() -> None:
    assert_silent(run_check(CHECK, [_two_lines(coverage_position="primary")], plan=ALONE))


def test_a_reversal_line_is_not_judged_again() -> None:
    reversal = make_line(
        "r",
        billed="-220.00",
        allowed="-180.00",
        plan_paid="0.00",
        patient_responsibility="-180.00",
        adjustments=[Adjustment(group="OA", reason="22", amount=money("-180.00"))],
    )
    assert_silent(run_check(CHECK, [make_claim(lines=[reversal])], plan=ALONE))


def test_the_docs_explain_the_usual_ordering_rules_without_deciding_them() -> None:
    for rule in CHECK.rules:
        assert rule.docs is not None
        text = rule.docs.what_to_do
        for phrase in ("employee or subscriber", "birthday", "Medicare pays second", "does not decide"):
            assert phrase in text, (rule.code, phrase)
        assert {r.citation for r in rule.docs.references} >= {"NAIC Model Regulation 120, Section 6"}

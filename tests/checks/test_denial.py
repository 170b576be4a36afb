"""Denied claims: each denied line explained, with its appeal route, evidence and dates."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from plugins.checks.denial import DenialCheck, denial_of
from scanner.model import Adjustment, Claim, Party, RelatedClaim
from scanner.testing import assert_silent, make_claim, make_line, money, only, run_check

GroupCode = Literal["CO", "PR", "OA", "PI", "CR"]
CHECK = DenialCheck()
PROCESSED = dt.date(2026, 10, 1)
IMAGING = Party(name="Birch Imaging Center", network="in", role="radiology")


def _cents(text: str) -> int:
    return money(text) or 0


def _denied_mri(group: GroupCode = "PR", reason: str = "50", owed: str = "1200.00", **kwargs: Any) -> Claim:
    provider = kwargs.setdefault("provider", IMAGING)
    line = make_line(
        "1",
        code="70553",
        billed="1200.00",
        allowed="0.00",
        plan_paid="0.00",
        patient_responsibility=owed,
        denied=True,
        adjustments=[Adjustment(group=group, reason=reason, amount=money("1200.00"))],
        remarks=["N130"],
        network=provider.network,
    )
    return make_claim(lines=[line], processed_date=PROCESSED, status="denied", **kwargs)


# --- DEN001 --------------------------------------------------------------------------------------


def test_a_medical_necessity_denial_is_explained_with_its_appeal_route_and_dates() -> None:
    finding = only(run_check(CHECK, [_denied_mri()]), "DEN001")
    assert (finding.severity, finding.amount_at_stake, finding.line_ids) == (
        "warning",
        _cents("1200.00"),
        ["1"],
    )
    assert "not medically necessary" in finding.message
    assert "letter of medical necessity" in finding.message
    assert "Internal appeal by 2027-03-30 (180 days from processing)" in finding.message
    kinds = {a.kind: a for a in finding.actions}
    assert kinds["appeal_internal"].deadline == dt.date(2027, 3, 30)
    assert kinds["appeal_internal"].template == "appeal_internal_level1"
    assert kinds["call_provider"].template == "medical_necessity_request"
    assert kinds["external_review"].deadline is None
    assert "4 months" in kinds["external_review"].summary
    fields = {e.field: e for e in finding.evidence}
    assert fields["remarks"].value == "N130"
    assert fields["internal_appeal_deadline"].value == "2027-03-30"
    assert "{claim_number}" in (kinds["call_insurer"].script or "")


def test_a_denial_printed_without_a_patient_responsibility_column_is_at_stake_for_its_pr_amount() -> None:
    claim = _denied_mri()
    claim.lines[0].patient_responsibility = None
    finding = only(run_check(CHECK, [claim]), "DEN001")
    assert (finding.severity, finding.amount_at_stake) == ("warning", _cents("1200.00"))


def test_a_provider_side_denial_printed_the_same_way_costs_the_patient_nothing() -> None:
    claim = _denied_mri(group="CO")
    claim.lines[0].patient_responsibility = None
    assert only(run_check(CHECK, [claim]), "DEN001").amount_at_stake == 0


def test_a_paid_line_with_ordinary_cost_sharing_is_not_a_denial() -> None:
    claim = make_claim(
        lines=[
            make_line(
                code="99213",
                billed="200.00",
                allowed="120.00",
                plan_paid="90.00",
                deductible="30.00",
                patient_responsibility="30.00",
                adjustments=[
                    Adjustment(group="CO", reason="45", amount=money("80.00")),
                    Adjustment(group="PR", reason="1", amount=money("30.00")),
                ],
            )
        ],
        processed_date=PROCESSED,
    )
    assert_silent(run_check(CHECK, [claim]))


def _unpaid_er_visit(allowed: str, deductible: str, owed: str) -> Claim:
    """An out-of-network ER visit billed $2,950.00, nothing paid, code 242 (out of network)."""
    line = make_line(
        code="99285",
        billed="2950.00",
        allowed=allowed,
        plan_paid="0.00",
        deductible=deductible,
        patient_responsibility=owed,
        adjustments=[Adjustment(group="OA", reason="242")],
        network="out",
    )
    return make_claim(lines=[line], processed_date=PROCESSED)


def test_nothing_paid_because_the_allowance_went_to_the_deductible_is_not_a_full_denial() -> None:
    """The EOB prints the deductible as an amount, not as PR-1; the code on the line (242, out of
    network) explains the benefit level. Calling the whole $2,950.00 charge denied would be wrong."""
    claim = _unpaid_er_visit(allowed="1100.00", deductible="1100.00", owed="1100.00")
    findings = [f for f in run_check(CHECK, [claim]) if f.rule == "DEN001"]
    assert [(f.title, f.amount_at_stake) for f in findings] == [("Service partly denied: network", 0)]


def test_nothing_paid_and_no_cost_sharing_with_a_denial_code_is_a_full_denial() -> None:
    """The twin: the same line with nothing applied to cost sharing was denied whole."""
    claim = _unpaid_er_visit(allowed="0.00", deductible="0.00", owed="2950.00")
    assert only(run_check(CHECK, [claim]), "DEN001").amount_at_stake == _cents("2950.00")


def test_medicare_advantage_denials_get_the_60_day_window() -> None:
    claim = _denied_mri(payer="Example Medicare Advantage HMO")
    finding = only(run_check(CHECK, [claim]), "DEN001")
    appeal = next(a for a in finding.actions if a.kind == "appeal_internal")
    assert appeal.deadline == dt.date(2026, 11, 30)
    assert "60 days (Medicare Advantage / Part D)" in finding.message
    assert finding.references[0].citation == "42 CFR 422.582"


def test_a_partial_denial_puts_only_the_denied_part_at_stake() -> None:
    line = make_line(
        "1",
        code="97110",
        units=4,
        billed="400.00",
        allowed="300.00",
        plan_paid="150.00",
        coinsurance="50.00",
        not_covered="100.00",
        patient_responsibility="150.00",
        adjustments=[
            Adjustment(group="CO", reason="45", amount=money("100.00")),
            Adjustment(group="PR", reason="119", amount=money("100.00")),
            Adjustment(group="PR", reason="2", amount=money("50.00")),
        ],
    )
    finding = only(run_check(CHECK, [make_claim(lines=[line], processed_date=PROCESSED)]), "DEN001")
    assert finding.amount_at_stake == _cents("100.00")
    assert finding.title == "Service partly denied: benefit limit"


def test_a_co_group_denial_is_the_providers_and_costs_you_nothing() -> None:
    finding = only(run_check(CHECK, [_denied_mri(group="CO", owed="0.00")]), "DEN001")
    assert (finding.severity, finding.amount_at_stake) == ("info", 0)
    assert "You should not owe it" in finding.message
    assert [a.kind for a in finding.actions] == ["call_provider"]


def test_a_denial_without_a_reason_code_asks_for_the_reason_in_writing() -> None:
    line = make_line(
        "1", code="99215", billed="300.00", plan_paid="0.00", patient_responsibility="300.00", denied=True
    )
    finding = only(run_check(CHECK, [make_claim(lines=[line], processed_date=PROCESSED)]), "DEN001")
    assert (finding.confidence, finding.amount_at_stake) == ("medium", _cents("300.00"))
    assert "specific reason in writing" in finding.message


def test_a_denial_upheld_on_a_reprocessed_claim_dates_the_external_review() -> None:
    claim = _denied_mri(id="claim-2", related=[RelatedClaim(claim_id="claim-1", relationship="replaces")])
    finding = only(run_check(CHECK, [claim]), "DEN001")
    review = next(a for a in finding.actions if a.kind == "external_review")
    assert review.deadline == dt.date(2027, 2, 1)


def test_a_passed_appeal_window_is_said_plainly() -> None:
    claim = _denied_mri()
    finding = only(run_check(CHECK, [claim], as_of=dt.date(2027, 5, 1)), "DEN001")
    assert "ended on 2027-03-30" in finding.message


def test_no_finding_ever_predicts_the_outcome_of_an_appeal() -> None:
    claims = [_denied_mri(), _denied_mri(id="c2", group="CO"), _denied_mri(id="c3", reason="204")]
    for finding in run_check(CHECK, claims):
        text = finding.message.lower()
        assert "will win" not in text and "will be overturned" not in text and "guarantee" not in text


def test_reversal_lines_are_not_denials() -> None:
    line = make_line("2", code="70553", billed="-1200.00", plan_paid="0.00", denied=True)
    assert denial_of(make_claim(lines=[line]), line) is None


# --- DEN002 --------------------------------------------------------------------------------------


def test_an_in_network_coding_denial_billed_to_you_is_an_error_the_provider_must_fix() -> None:
    claim = _denied_mri(reason="11", owed="1200.00")
    finding = only(run_check(CHECK, [claim]), "DEN002")
    assert (finding.severity, finding.amount_at_stake) == ("error", _cents("1200.00"))
    assert "must correct the claim and resubmit it" in finding.message
    assert "do not pay it while the claim is corrected" in finding.message
    assert finding.actions[0].kind == "call_provider"
    assert_silent(run_check(CHECK, [claim]), "DEN001")


def test_the_same_coding_denial_out_of_network_is_an_ordinary_denial() -> None:
    claim = _denied_mri(reason="11", provider=Party(name="Far Clinic", network="out"))
    findings = run_check(CHECK, [claim])
    assert_silent(findings, "DEN002")
    assert only(findings, "DEN001").amount_at_stake == _cents("1200.00")


def test_a_paperwork_denial_written_off_by_contract_is_information_only() -> None:
    claim = _denied_mri(group="CO", reason="16", owed="0.00")
    finding = only(run_check(CHECK, [claim]), "DEN002")
    assert (finding.severity, finding.amount_at_stake) == ("info", 0)
    assert "do not pay until the corrected claim is processed" in finding.message


def test_a_full_denial_for_a_reason_outside_the_denial_table_is_explained_by_its_own_code() -> None:
    claim = make_claim(
        status="denied",
        lines=[
            make_line(
                billed="200.00",
                allowed="0.00",
                plan_paid="0.00",
                patient_responsibility="200.00",
                denied=True,
                adjustments=[Adjustment(group="PR", reason="22", amount=20000)],
            )
        ],
    )
    finding = only(run_check(DenialCheck(), [claim]), "DEN001")
    assert "PR-22" in finding.message
    assert "prints no reason code" not in finding.message
    assert finding.amount_at_stake == 20000

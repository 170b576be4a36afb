"""Network and No Surprises Act rules: each fires on its case and stays silent on the clean twin."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import msgspec
import pytest

from plugins.checks.network import NetworkCheck, balance_billed
from scanner.model import Adjustment, Claim, Finding, Network, Party, Plan, ServiceLine
from scanner.money import Money, dollars
from scanner.reference.citations import CITATIONS
from scanner.reference.nsa import load_nsa
from scanner.testing import assert_silent, make_bill, make_claim, make_line, make_plan, only, run_check

CHECK = NetworkCheck()
PLAN = make_plan(
    coinsurance_in_network=20,
    coinsurance_out_of_network=50,
    copays={"specialist": "40.00", "emergency": "250.00"},
)
DATA = Path(__file__).parents[2] / "scanner" / "reference" / "data"

IN_NETWORK_HOSPITAL = Party(name="Lakeside General Hospital", network="in", role="facility")


def _pr45(amount: str) -> list[Adjustment]:
    return [Adjustment(group="PR", reason="45", amount=Money(int(amount.replace(".", ""))))]


def _run(*claims: Claim, **kwargs: Any) -> list[Finding]:
    kwargs.setdefault("plan", PLAN)
    return run_check(CHECK, claims, **kwargs)


def _line(id: str = "1", **kwargs: Any) -> ServiceLine:
    return make_line(id, **kwargs)


# --- NET001 -------------------------------------------------------------------------------------


def _in_network_specialist(line: ServiceLine) -> Claim:
    return make_claim(lines=[line], provider=Party(name="Birch Dermatology", network="in", role="specialist"))


def test_an_in_network_provider_processed_out_of_network_costs_the_coinsurance_difference() -> None:
    claim = _in_network_specialist(
        _line(
            code="99214",
            network="out",
            allowed="200.00",
            coinsurance="100.00",
            patient_responsibility="100.00",
        )
    )

    finding = only(_run(claim), "NET001")

    assert finding.amount_at_stake == 6000
    assert finding.severity == "error" and finding.confidence == "high"
    assert (
        "$100.00 of out-of-network cost sharing where in-network cost sharing would be $40.00"
        in finding.message
    )
    assert {a.template for a in finding.actions} >= {"reprocessing_request"}
    assert "{claim_number}" in (finding.actions[0].script or "")


def test_the_same_line_processed_in_network_is_clean() -> None:
    claim = _in_network_specialist(
        _line(
            code="99214", network="in", allowed="200.00", coinsurance="40.00", patient_responsibility="40.00"
        )
    )
    assert_silent(_run(claim))


def test_an_out_of_network_copay_is_compared_with_the_plans_in_network_copay() -> None:
    claim = _in_network_specialist(
        _line(code="99213", network="out", allowed="150.00", copay="80.00", patient_responsibility="80.00")
    )
    assert only(_run(claim), "NET001").amount_at_stake == 4000


def test_without_the_plan_the_whole_share_is_at_stake_with_medium_confidence() -> None:
    claim = _in_network_specialist(
        _line(
            code="99214",
            network="out",
            allowed="200.00",
            coinsurance="100.00",
            patient_responsibility="100.00",
        )
    )

    finding = only(_run(claim, plan=None), "NET001")

    assert finding.amount_at_stake == 10000
    assert finding.confidence == "medium"
    assert "up to $100.00" in finding.message


def test_a_facility_claim_of_an_in_network_hospital_processed_out_of_network() -> None:
    claim = make_claim(
        lines=[
            _line(code="0360", code_system="REV", network="out", allowed="4000.00", coinsurance="2000.00")
        ],
        claim_type="institutional",
        provider=None,
        facility=IN_NETWORK_HOSPITAL,
    )
    assert only(_run(claim), "NET001").amount_at_stake == 120000


def test_a_doctor_of_unknown_network_at_an_in_network_hospital_is_not_called_in_network() -> None:
    """The hospital's network is not the doctor's: a line processed out of network is the No
    Surprises Act's out-of-network clinician at an in-network facility (NET005), not an
    in-network provider processed wrongly (NET001)."""
    claim = make_claim(
        lines=[_line(code="99223", network="out", allowed="400.00", coinsurance="200.00")],
        provider=Party(name="Ada Lee, MD"),
        facility=IN_NETWORK_HOSPITAL,
        place_of_service="21",
    )
    findings = _run(claim)
    assert_silent(findings, "NET001")
    assert only(findings, "NET005").amount_at_stake == 12000


# --- NET002 -------------------------------------------------------------------------------------


def _er_claim(line: ServiceLine, **kwargs: Any) -> Claim:
    kwargs.setdefault("emergency", True)
    kwargs.setdefault("place_of_service", "23")
    kwargs.setdefault("provider", Party(name="Valley Emergency Physicians", network="out", role="emergency"))
    return make_claim(lines=[line], **kwargs)


def test_emergency_care_charged_out_of_network_coinsurance_and_a_balance() -> None:
    claim = _er_claim(
        _line(
            code="99284",
            code_system="CPT",
            network="out",
            allowed="800.00",
            coinsurance="400.00",
            patient_responsibility="1000.00",
            adjustments=_pr45("600.00"),
        )
    )

    finding = only(_run(claim), "NET002")

    assert finding.amount_at_stake == 84000
    assert finding.confidence == "high"
    assert "a balance of $600.00" in finding.message
    complaint = next(a for a in finding.actions if a.kind == "file_complaint")
    assert complaint.template == "nsa_complaint"
    assert "1-800-985-3059" in complaint.who
    assert "{provider_name}" in (complaint.script or "")
    assert any(a.template == "balance_billing_dispute" for a in finding.actions)
    assert {r.citation for r in finding.references} >= {"45 CFR 149.110", "45 CFR 149.410"}


def _er_with_consent_remark(code: str) -> Claim:
    return _er_claim(
        _line(
            code=code,
            code_system="CPT",
            network="out",
            allowed="800.00",
            coinsurance="400.00",
            remarks=["N882"],
        )
    )


def test_a_consent_remark_cannot_waive_the_protection_of_the_emergency_visit_itself() -> None:
    """Remark N882 says the patient waived the protections; the law lets a consent waive only the
    care after the patient was stable, not the emergency department visit."""
    finding = only(_run(_er_with_consent_remark("99285")), "NET002")
    assert finding.amount_at_stake == 24000  # 50% charged, 20% owed on $800.00


def test_a_consent_remark_on_care_after_the_emergency_visit_is_honoured() -> None:
    """An admission the same claim bills (99223): it may be post-stabilisation care, which a valid
    consent can waive."""
    assert_silent(_run(_er_with_consent_remark("99223")), "NET002")


def test_emergency_care_whose_cost_sharing_matches_in_network_is_reported_for_its_balance_only() -> None:
    """An out-of-network ER line charged its deductible, as in network, plus a balance: the message
    speaks of the balance, not of "$1,100.00 where in network would be $1,100.00"."""
    claim = _er_claim(
        _line(
            code="99285",
            code_system="CPT",
            network="out",
            billed="2950.00",
            allowed="1100.00",
            plan_paid="0.00",
            deductible="1100.00",
            patient_responsibility="2950.00",
        )
    )

    finding = only(_run(claim), "NET002")

    assert finding.amount_at_stake == 185000
    assert "a balance of $1,850.00 above the cost sharing" in finding.message
    assert "where in-network cost sharing would be" not in finding.message


def test_emergency_care_processed_with_in_network_cost_sharing_is_clean() -> None:
    claim = _er_claim(
        _line(
            code="99284",
            code_system="CPT",
            network="out",
            allowed="800.00",
            coinsurance="160.00",
            patient_responsibility="160.00",
            adjustments=[Adjustment(group="CO", reason="45", amount=Money(60000))],
        )
    )
    assert_silent(_run(claim))


def _er_line_above_the_allowance(**changes: Any) -> ServiceLine:
    """Allowed $420.00, deductible $420.00, and $1,030.00 above the allowance printed as not covered."""
    amounts: dict[str, Any] = {
        "code": "99285",
        "code_system": "CPT",
        "billed": "1450.00",
        "allowed": "420.00",
        "plan_paid": "0.00",
        "deductible": "420.00",
        "not_covered": "1030.00",
        "patient_responsibility": "1450.00",
        "network": "unknown",
    }
    return _line(**{**amounts, **changes})


def test_a_balance_on_emergency_care_whose_network_the_eob_does_not_say_is_still_protected() -> None:
    """In network or out, no one may bill emergency care above the allowance: the balance alone
    is at stake (the cost sharing would need the network to judge)."""
    claim = _er_claim(_er_line_above_the_allowance(), provider=Party(name="Lakeshore Emergency Physicians"))

    finding = only(_run(claim), "NET002")

    assert finding.amount_at_stake == 103000
    assert "a balance of $1,030.00" in finding.message
    assert "does not say whether the provider was in network" in finding.message
    assert "out-of-network provider" not in finding.message


def test_emergency_care_whose_network_is_not_said_and_that_bills_no_balance_is_silent() -> None:
    line = _er_line_above_the_allowance(not_covered="0.00", patient_responsibility="420.00", billed="420.00")
    assert_silent(_run(_er_claim(line, provider=Party(name="Lakeshore Emergency Physicians"))))


def test_a_balance_on_in_network_emergency_care_is_not_a_surprise_bill() -> None:
    """An in-network provider's charge above the allowance is the insurer check's INS001."""
    claim = _er_claim(
        _er_line_above_the_allowance(network="in"),
        provider=Party(name="Lakeshore Emergency Physicians", network="in", role="emergency"),
    )
    assert_silent(_run(claim))


@pytest.mark.parametrize(
    ("claim_fields", "code", "system"),
    [
        ({"emergency": True, "place_of_service": None}, "99213", "CPT"),
        ({"emergency": False, "place_of_service": "23"}, "99213", "CPT"),
        ({"emergency": False, "place_of_service": None}, "0450", "REV"),
        ({"emergency": False, "place_of_service": None}, "452", "REV"),
        ({"emergency": False, "place_of_service": None}, "99281", "CPT"),
        ({"emergency": False, "place_of_service": None}, "99285", "CPT"),
    ],
)
def test_emergency_care_is_recognised_by_flag_place_revenue_code_or_visit_code(
    claim_fields: dict[str, Any], code: str, system: str
) -> None:
    line = _line(code=code, code_system=system, network="out", allowed="500.00", coinsurance="250.00")
    claim = _er_claim(
        line, provider=Party(name="Riverbend Hospital", network="out", role="facility"), **claim_fields
    )
    assert only(_run(claim), "NET002").amount_at_stake == 15000


def test_a_non_emergency_visit_code_at_an_office_is_not_emergency_care() -> None:
    line = _line(code="99286", code_system="CPT", network="out", allowed="500.00", coinsurance="250.00")
    claim = make_claim(lines=[line], provider=Party(name="Far Clinic", network="out", role="specialist"))
    assert_silent(_run(claim), "NET002")


def test_without_the_plan_out_of_network_emergency_cost_sharing_is_only_a_warning() -> None:
    claim = _er_claim(
        _line(code="99283", code_system="CPT", network="out", allowed="400.00", coinsurance="200.00")
    )

    finding = only(_run(claim, plan=None), "NET002")

    assert (finding.severity, finding.confidence, finding.amount_at_stake) == ("warning", "medium", 20000)


def test_without_the_plan_a_balance_on_emergency_care_is_still_an_error_up_to_the_whole_charge() -> None:
    claim = _er_claim(
        _line(
            code="99283",
            code_system="CPT",
            network="out",
            allowed="400.00",
            coinsurance="200.00",
            patient_responsibility="500.00",
            adjustments=_pr45("300.00"),
        )
    )

    finding = only(_run(claim, plan=None), "NET002")

    assert (finding.severity, finding.confidence, finding.amount_at_stake) == ("error", "medium", 50000)
    assert "up to $500.00" in finding.message


def test_a_provider_bill_above_the_eob_adds_the_complaint_and_says_so() -> None:
    claim = _er_claim(
        _line(code="99284", code_system="CPT", network="out", allowed="800.00", coinsurance="300.00"),
    )
    bill = make_bill(claim_id=claim.id, amount_due="900.00")

    finding = only(_run(claim, bills=[bill]), "NET002")

    assert finding.amount_at_stake == 14000
    assert "asks $600.00 more than the EOB" in finding.message
    assert any(a.kind == "file_complaint" for a in finding.actions)


# --- NET003 -------------------------------------------------------------------------------------


def _surgery_day(line: ServiceLine, role: str | None = "anesthesiology") -> Claim:
    return make_claim(
        lines=[line],
        provider=Party(name="Summit Anesthesia Group", network="out", role=role),  # type: ignore[arg-type]
        facility=IN_NETWORK_HOSPITAL,
        place_of_service="22",
    )


def test_an_out_of_network_anesthesiologist_at_an_in_network_hospital_is_protected() -> None:
    claim = _surgery_day(
        _line(code="00790", code_system="CPT", network="out", allowed="1200.00", coinsurance="480.00")
    )

    finding = only(_run(claim), "NET003")

    assert finding.amount_at_stake == 24000
    assert finding.confidence == "high"
    assert "ancillary care" in finding.message


def test_the_anesthesiologist_charged_in_network_coinsurance_is_clean() -> None:
    claim = _surgery_day(
        _line(code="00790", code_system="CPT", network="out", allowed="1200.00", coinsurance="240.00")
    )
    assert_silent(_run(claim))


def _network_unsaid(**amounts: Any) -> ServiceLine:
    return _line(network="unknown", code_system="CPT", **amounts)


@pytest.mark.parametrize(
    ("claim", "rule"),
    [
        (_er_claim(_network_unsaid(code="99284", allowed="800.00", coinsurance="400.00")), "NET002"),
        (_surgery_day(_network_unsaid(code="00790", allowed="1200.00", coinsurance="600.00")), "NET003"),
    ],
    ids=["emergency", "ancillary"],
)
def test_a_line_that_does_not_print_its_network_is_taken_at_its_providers(claim: Claim, rule: str) -> None:
    """Most EOBs say "out of network" once, for the provider: the lines under it were processed
    at that level, and their out-of-network coinsurance is what the law forbids."""
    finding = only(_run(claim), rule)

    in_network = claim.lines[0].allowed * 20 // 100
    assert finding.amount_at_stake == (claim.lines[0].coinsurance or 0) - in_network
    assert f"where in-network cost sharing would be {dollars(in_network)}" in finding.message


@pytest.mark.parametrize(
    "claim",
    [
        _er_claim(_network_unsaid(code="99284", allowed="800.00", coinsurance="160.00")),
        _surgery_day(_network_unsaid(code="00790", allowed="1200.00", coinsurance="240.00")),
    ],
    ids=["emergency", "ancillary"],
)
def test_a_line_under_an_out_of_network_provider_charged_in_network_coinsurance_is_clean(
    claim: Claim,
) -> None:
    assert_silent(_run(claim))


def test_ancillary_care_is_recognised_by_code_when_the_role_is_not_printed() -> None:
    claim = _surgery_day(
        _line(code="88305", code_system="CPT", network="out", allowed="300.00", coinsurance="150.00"),
        role=None,
    )
    finding = only(_run(claim), "NET003")
    assert (finding.amount_at_stake, finding.confidence) == (9000, "medium")


def test_a_consent_form_cannot_waive_the_ancillary_protection() -> None:
    claim = _surgery_day(
        _line(
            code="70450",
            code_system="CPT",
            network="out",
            allowed="400.00",
            coinsurance="200.00",
            remarks=["N882"],
        ),
        role="radiology",
    )
    assert only(_run(claim), "NET003").amount_at_stake == 12000


# --- NET004 -------------------------------------------------------------------------------------


def _flight(line: ServiceLine) -> Claim:
    return make_claim(
        lines=[line], provider=Party(name="Skyline Air Medical", network="out", role="air_ambulance")
    )


def test_an_out_of_network_air_ambulance_charged_out_of_network_coinsurance_and_a_balance() -> None:
    claim = _flight(
        _line(
            code="A0431",
            code_system="HCPCS",
            network="out",
            allowed="30000.00",
            coinsurance="9000.00",
            patient_responsibility="21000.00",
            adjustments=_pr45("12000.00"),
        )
    )

    finding = only(_run(claim), "NET004")

    assert finding.amount_at_stake == 1500000
    assert {r.citation for r in finding.references} >= {"45 CFR 149.130", "45 CFR 149.440"}


def test_an_air_ambulance_with_in_network_cost_sharing_is_clean() -> None:
    claim = _flight(
        _line(
            code="A0431",
            code_system="HCPCS",
            network="out",
            allowed="30000.00",
            coinsurance="6000.00",
            patient_responsibility="6000.00",
        )
    )
    assert_silent(_run(claim))


def test_a_ground_ambulance_is_not_protected_by_the_federal_law() -> None:
    claim = make_claim(
        lines=[
            _line(code="A0427", code_system="HCPCS", network="out", allowed="900.00", coinsurance="450.00")
        ],
        provider=Party(name="County Ambulance", network="out", role="ambulance"),
    )
    assert_silent(_run(claim), "NET004")


def _ground_transport(**claim: Any) -> Claim:
    line = _line(code="A0427", code_system="HCPCS", network="out", allowed="700.00", coinsurance="350.00")
    return make_claim(
        lines=[line], provider=Party(name="County Ambulance", network="out", role="ambulance"), **claim
    )


def test_a_ground_ambulance_to_the_emergency_room_is_not_emergency_care_the_law_protects() -> None:
    """The emergency protection covers the emergency department, not the ride there."""
    findings = _run(_ground_transport(emergency=True, place_of_service="41"))
    assert [f for f in findings if f.severity == "error"] == []


def test_a_ground_ambulance_the_payer_itself_says_is_protected_still_is() -> None:
    line = _line(
        code="A0427",
        code_system="HCPCS",
        network="out",
        allowed="700.00",
        coinsurance="350.00",
        remarks=["N878"],
    )
    claim = make_claim(lines=[line], provider=Party(name="County Ambulance", network="out", role="ambulance"))
    assert only(_run(claim), "NET006").amount_at_stake == 21000


def test_an_air_ambulance_on_an_emergency_claim_is_still_protected() -> None:
    line = _line(code="A0431", code_system="HCPCS", network="out", allowed="30000.00", coinsurance="15000.00")
    claim = make_claim(
        lines=[line],
        provider=Party(name="Skyline Air Medical", network="out", role="air_ambulance"),
        emergency=True,
        place_of_service="41",
    )
    assert [f.rule for f in _run(claim) if f.severity == "error"] in (["NET002"], ["NET004"])


@pytest.mark.parametrize("place", ["11", "20", "81"], ids=["office", "urgent care", "independent lab"])
def test_an_out_of_network_reader_at_an_in_network_office_is_not_protected(place: str) -> None:
    """The facility protection covers hospitals, their outpatient departments and surgery
    centres (45 CFR 149.30), not an office or an urgent care centre."""
    claim = _surgery_day(
        _line(code="71046", code_system="CPT", network="out", allowed="400.00", coinsurance="160.00"),
        "radiology",
    )
    claim = msgspec.structs.replace(claim, place_of_service=place)
    assert_silent(_run(claim), "NET003")


@pytest.mark.parametrize(
    "place", ["19", "22", "24"], ids=["off-campus hospital", "hospital", "surgery centre"]
)
def test_the_same_reader_at_a_hospital_or_surgery_centre_is_protected(place: str) -> None:
    claim = _surgery_day(
        _line(code="71046", code_system="CPT", network="out", allowed="400.00", coinsurance="160.00"),
        "radiology",
    )
    claim = msgspec.structs.replace(claim, place_of_service=place)
    assert only(_run(claim), "NET003").amount_at_stake == 8000


# --- NET005 -------------------------------------------------------------------------------------


def _surgeon(line: ServiceLine) -> Claim:
    return make_claim(
        lines=[line],
        provider=Party(name="Cedar Orthopedic Surgeons", network="out", role="specialist"),
        facility=IN_NETWORK_HOSPITAL,
    )


def test_an_out_of_network_surgeon_at_an_in_network_hospital_is_a_warning_with_the_consent_question() -> None:
    claim = _surgeon(_line(code="27447", network="out", allowed="2000.00", coinsurance="1000.00"))

    finding = only(_run(claim), "NET005")

    assert (finding.severity, finding.confidence, finding.amount_at_stake) == ("warning", "medium", 60000)
    assert finding.actions[0].kind == "call_provider"
    assert "notice and consent" in (finding.actions[0].script or "")
    assert any(a.template == "network_gap_exception" for a in finding.actions)


def test_a_valid_consent_remark_silences_the_facility_warning() -> None:
    claim = _surgeon(
        _line(code="27447", network="out", allowed="2000.00", coinsurance="1000.00", remarks=["N882"])
    )
    assert_silent(_run(claim), "NET005")


# --- NET006 -------------------------------------------------------------------------------------


def _remark_claim(line: ServiceLine) -> Claim:
    return make_claim(lines=[line], provider=Party(name="Harbor Imaging", network="out", role="other"))


def test_a_balance_on_a_line_the_insurer_says_cannot_be_balance_billed() -> None:
    claim = _remark_claim(
        _line(
            code="99215",
            network="in",
            allowed="500.00",
            coinsurance="100.00",
            patient_responsibility="450.00",
            adjustments=_pr45("350.00"),
            remarks=["N879"],
        )
    )

    finding = only(_run(claim), "NET006")

    assert finding.amount_at_stake == 35000
    assert any(
        e.value == "N879" and "balance billing is prohibited" in (e.note or "") for e in finding.evidence
    )


def test_the_remark_with_only_the_cost_share_is_clean() -> None:
    claim = _remark_claim(
        _line(
            code="99215",
            network="in",
            allowed="500.00",
            coinsurance="100.00",
            patient_responsibility="100.00",
            remarks=["N879"],
        )
    )
    assert_silent(_run(claim))


# --- NET007 -------------------------------------------------------------------------------------


def _office_visit(line: ServiceLine) -> Claim:
    return make_claim(
        lines=[line],
        provider=Party(name="Northside Cardiology", network="out", role="specialist"),
        processed_date=dt.date(2026, 4, 1),
    )


def test_remark_n885_is_appealable_with_a_deadline() -> None:
    claim = _office_visit(
        _line(code="93306", network="out", allowed="900.00", coinsurance="450.00", remarks=["N885"])
    )

    finding = only(_run(claim), "NET007")

    assert (finding.severity, finding.amount_at_stake) == ("warning", 27000)
    appeal = finding.actions[0]
    assert (appeal.kind, appeal.template, appeal.deadline) == (
        "appeal_internal",
        "appeal_internal_level1",
        dt.date(2026, 9, 28),
    )
    assert_silent(_run(claim), "NET009")


def test_without_remark_n885_there_is_nothing_to_appeal() -> None:
    claim = _office_visit(_line(code="93306", network="out", allowed="900.00", coinsurance="450.00"))
    assert_silent(_run(claim), "NET007")


def test_n885_on_emergency_care_is_reported_once_as_the_emergency_rule_with_the_appeal() -> None:
    claim = _er_claim(
        _line(
            code="99285",
            code_system="CPT",
            network="out",
            allowed="1000.00",
            coinsurance="500.00",
            remarks=["N885"],
        ),
        processed_date=dt.date(2026, 4, 1),
    )

    findings = _run(claim)

    finding = only(findings, "NET002")
    assert finding.amount_at_stake == 30000
    assert any(a.kind == "appeal_internal" and a.deadline == dt.date(2026, 9, 28) for a in finding.actions)
    assert_silent(findings, "NET007")


# --- NET008 -------------------------------------------------------------------------------------


def test_remark_n884_asks_the_patient_to_say_where_the_care_happened() -> None:
    claim = _remark_claim(
        _line(code="88305", network="out", allowed="120.00", coinsurance="24.00", remarks=["N884"])
    )

    finding = only(_run(claim), "NET008")

    assert (finding.severity, finding.amount_at_stake) == ("info", 0)
    assert "in-network facility" in finding.message


def test_without_remark_n884_nothing_is_asked() -> None:
    claim = _remark_claim(_line(code="88305", network="out", allowed="120.00", coinsurance="24.00"))
    assert_silent(_run(claim), "NET008")


# --- NET009 -------------------------------------------------------------------------------------


def test_out_of_network_care_suggests_a_network_gap_exception_with_the_saving() -> None:
    claim = _office_visit(_line(code="99204", network="out", allowed="300.00", coinsurance="150.00"))

    finding = only(_run(claim), "NET009")

    assert (finding.severity, finding.confidence, finding.amount_at_stake) == ("info", "low", 9000)
    assert finding.actions[0].template == "network_gap_exception"


def test_without_the_plans_in_network_rate_no_gap_saving_is_suggested() -> None:
    claim = _office_visit(_line(code="99204", network="out", allowed="300.00", coinsurance="150.00"))
    assert_silent(_run(claim, plan=make_plan()), "NET009")


# --- every rule ---------------------------------------------------------------------------------


def test_denied_and_reversal_lines_are_left_to_other_checks() -> None:
    denied = _in_network_specialist(
        _line("1", network="out", allowed="200.00", coinsurance="100.00", denied=True)
    )
    reversal = make_claim(
        "claim-2",
        lines=[_line("1", network="out", billed="-200.00", allowed="-200.00", coinsurance="-100.00")],
        provider=Party(name="Birch Dermatology", network="in", role="specialist"),
    )
    assert_silent(_run(denied, reversal))


def test_in_network_care_at_an_in_network_facility_is_silent() -> None:
    claim = make_claim(
        lines=[_line(code="27447", network="in", allowed="2000.00", coinsurance="400.00")],
        provider=Party(name="Lakeside Surgeons", network="in", role="specialist"),
        facility=IN_NETWORK_HOSPITAL,
    )
    assert_silent(_run(claim))


def test_every_finding_cites_only_the_registry() -> None:
    registry = {c.citation for c in CITATIONS.values()}
    for rule in CHECK.rules:
        assert rule.docs is not None and rule.docs.references
        assert {r.citation for r in rule.docs.references} <= registry


def test_balance_billing_reads_pr45_and_unexplained_patient_responsibility_without_counting_twice() -> None:
    assert (
        balance_billed(
            _line(coinsurance="100.00", patient_responsibility="450.00", adjustments=_pr45("350.00"))
        )
        == 35000
    )
    assert balance_billed(_line(coinsurance="100.00", patient_responsibility="450.00")) == 35000
    assert (
        balance_billed(_line(coinsurance="100.00", not_covered="50.00", patient_responsibility="150.00")) == 0
    )
    assert balance_billed(_line(patient_responsibility="150.00")) == 0


_ABOVE_ALLOWANCE = {"allowed": "600.00", "plan_paid": "420.00", "coinsurance": "180.00"}


@pytest.mark.parametrize(
    ("amounts", "balance"),
    [
        # The allowance is used up by the payment and the coinsurance: the $1,800.00 is above it.
        ({**_ABOVE_ALLOWANCE, "not_covered": "1800.00", "patient_responsibility": "1980.00"}, 180000),
        # Printed and coded (PR-45), the same dollars count once.
        (
            {
                **_ABOVE_ALLOWANCE,
                "not_covered": "1800.00",
                "patient_responsibility": "1980.00",
                "adjustments": _pr45("1800.00"),
            },
            180000,
        ),
        # Clean twin: a not-covered part of the allowance (a benefit maximum) is not a balance bill.
        (
            {
                "allowed": "600.00",
                "plan_paid": "0.00",
                "coinsurance": "0.00",
                "not_covered": "600.00",
                "patient_responsibility": "600.00",
            },
            0,
        ),
    ],
)
def test_a_not_covered_amount_above_the_allowance_is_a_balance_bill(
    amounts: dict[str, Any], balance: int
) -> None:
    assert balance_billed(_line(**amounts)) == balance


def test_an_out_of_network_anesthesiologist_billing_above_the_allowance_as_not_covered_is_protected() -> None:
    claim = make_claim(
        lines=[
            _line(
                code="01400",
                network="out",
                billed="2400.00",
                allowed="600.00",
                plan_paid="420.00",
                coinsurance="180.00",
                not_covered="1800.00",
                patient_responsibility="1980.00",
            )
        ],
        provider=Party(name="Riverbend Anesthesia Associates", network="out", role="anesthesiology"),
        facility=IN_NETWORK_HOSPITAL,
    )

    finding = only(_run(claim), "NET003")

    # In network the coinsurance would be 20% of $600.00: $120.00. The other $60.00 and all of
    # the $1,800.00 above the allowance are at stake.
    assert finding.amount_at_stake == 186000
    assert "a balance of $1,800.00" in finding.message


# --- the reference tables -----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["nsa_services.csv", "nsa_remarks.csv"])
def test_every_nsa_row_has_a_source_and_a_checked_date(name: str) -> None:
    with (DATA / name).open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows
    for row in rows:
        assert row["source"].strip()
        assert dt.date.fromisoformat(row["checked"]) <= dt.date.today()  # checked, never in the future


def test_the_nsa_remarks_cover_n830_and_the_n859_to_n885_family() -> None:
    remarks = load_nsa().remarks
    assert {"N830", "N859", "N864", "N865", "N866", "N878", "N879", "N882", "N884", "N885"} <= set(remarks)
    assert remarks["N878"].effect == remarks["N879"].effect == "balance_billing_prohibited"
    assert remarks["N885"].effect == "not_applied"
    assert "appeal" in remarks["N885"].text


def test_the_ancillary_roles_are_the_ones_the_law_names() -> None:
    roles = {row.first for row in load_nsa().services if row.category == "ancillary" and row.match == "role"}
    assert roles == {
        "emergency",
        "anesthesiology",
        "pathology",
        "radiology",
        "neonatology",
        "assistant_surgeon",
        "hospitalist",
        "intensivist",
        "laboratory",
    }


@pytest.mark.parametrize(
    ("system", "code", "emergency"),
    [
        ("REV", "0450", True),
        ("REV", "459", True),
        ("REV", "0460", False),
        ("CPT", "99280", False),
        ("CPT", "0001U", False),
    ],
)
def test_emergency_codes_are_matched_by_range(system: str, code: str, emergency: bool) -> None:
    line = make_line(code=code, code_system=system)
    assert load_nsa().emergency_line(line) is emergency


# --- preventive care: in network it owes nothing --------------------------------------------------


def _well_visit(network_of_line: Network, **plan: Any) -> tuple[Claim, Plan]:
    line = _line(
        code="99396", diagnoses=["Z00.00"], network=network_of_line, allowed="200.00", deductible="200.00"
    )
    provider = Party(name="Example Family Practice", network="in", role="primary_care")
    return make_claim(lines=[line], provider=provider), make_plan(coinsurance_in_network=20, **plan)


def test_a_well_visit_of_an_in_network_provider_processed_out_of_network_is_all_at_stake() -> None:
    """The deductible would be in-network cost sharing on a problem visit; on preventive care
    there is none, so all $200.00 is the network error's."""
    claim, plan = _well_visit("out")
    finding = only(_run(claim, plan=plan), "NET001")
    assert finding.amount_at_stake == 20000
    assert "preventive care owes nothing in network" in finding.message


def test_the_same_well_visit_on_a_grandfathered_plan_owes_the_deductible_in_network_too() -> None:
    claim, plan = _well_visit("out", grandfathered=True)
    assert_silent(_run(claim, plan=plan), "NET001")


def _screening_day_anesthesia(diagnoses: list[str]) -> tuple[Claim, Claim]:
    colonoscopy = make_claim(
        "colonoscopy",
        lines=[_line(code="45385", modifiers=["33"], diagnoses=diagnoses, allowed="900.00", copay="0.00")],
        facility=IN_NETWORK_HOSPITAL,
    )
    anesthesia = _surgery_day(
        _line(code="00811", code_system="CPT", network="out", allowed="500.00", coinsurance="200.00")
    )
    return colonoscopy, msgspec.structs.replace(anesthesia, id="anesthesia")


def test_protected_anesthesia_of_a_screening_colonoscopy_is_compared_with_nothing() -> None:
    finding = only(_run(*_screening_day_anesthesia(["Z12.11"])), "NET003")
    assert finding.amount_at_stake == 20000


def test_protected_anesthesia_of_a_diagnostic_colonoscopy_is_compared_with_in_network_coinsurance() -> None:
    colonoscopy, anesthesia = _screening_day_anesthesia(["K92.1"])
    colonoscopy.lines[0].modifiers = []
    finding = only(_run(colonoscopy, anesthesia), "NET003")
    assert finding.amount_at_stake == 10000  # 40% charged, 20% owed on $500.00


# --- in-network limits met before the scan ---------------------------------------------------------


def _specialist_processed_out(**amounts: str) -> Claim:
    line = _line(network="out", allowed="200.00", **amounts)
    return _in_network_specialist(line)


def _plan_met(deductible_met: str, oop_met: str) -> Plan:
    return make_plan(
        deductible_individual="1500.00",
        oop_max_individual="3000.00",
        deductible_met=deductible_met,
        oop_met=oop_met,
        coinsurance_in_network=20,
    )


def test_after_the_out_of_pocket_maximum_was_met_in_network_care_owes_nothing() -> None:
    """In network the patient would owe nothing more this year: all $80.00 of out-of-network
    coinsurance is the network error's, not $80.00 less 20% of $200.00."""
    claim = _specialist_processed_out(coinsurance="80.00")
    finding = only(_run(claim, plan=_plan_met("1500.00", "3000.00")), "NET001")
    assert finding.amount_at_stake == 8000
    assert "out-of-pocket maximum was already met" in finding.message


def test_below_the_out_of_pocket_maximum_the_in_network_coinsurance_is_still_owed() -> None:
    claim = _specialist_processed_out(coinsurance="80.00")
    finding = only(_run(claim, plan=_plan_met("1500.00", "2000.00")), "NET001")
    assert finding.amount_at_stake == 4000
    assert "maximum" not in finding.message


def test_a_deductible_met_before_the_scan_is_not_in_network_cost_sharing() -> None:
    """The out-of-network deductible took all $200.00; in network the deductible was met, so only
    20% coinsurance ($40.00) was owed."""
    claim = _specialist_processed_out(deductible="200.00")
    finding = only(_run(claim, plan=_plan_met("1500.00", "2000.00")), "NET001")
    assert finding.amount_at_stake == 16000


def test_a_deductible_not_yet_met_is_in_network_cost_sharing_too() -> None:
    claim = _specialist_processed_out(deductible="200.00")
    assert_silent(_run(claim, plan=_plan_met("0.00", "0.00")), "NET001")


def test_an_office_visit_processed_out_of_network_is_compared_with_the_plans_copay_when_larger() -> None:
    """Out of network the $200.00 visit cost 40% coinsurance ($80.00); in network the specialist
    copay is $60.00, more than 20% coinsurance ($40.00): at most $20.00 is the network error's."""
    claim = _in_network_specialist(_line(code="99214", network="out", allowed="200.00", coinsurance="80.00"))
    plan = make_plan(coinsurance_in_network=20, copays={"specialist": "60.00"})
    assert only(_run(claim, plan=plan), "NET001").amount_at_stake == 2000


def test_a_test_at_the_same_office_is_compared_with_the_coinsurance_alone() -> None:
    """The clean twin: an echo (93306) is no visit, so the visit copay says nothing about it."""
    claim = _in_network_specialist(_line(code="93306", network="out", allowed="200.00", coinsurance="80.00"))
    plan = make_plan(coinsurance_in_network=20, copays={"specialist": "60.00"})
    assert only(_run(claim, plan=plan), "NET001").amount_at_stake == 4000

"""CGA001: California's ground ambulance law, one positive case and a clean twin per condition."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from eobscan_example import ground_ambulance
from eobscan_example.ground_ambulance import CaliforniaGroundAmbulanceCheck

from scanner.model import Claim, Party, ServiceLine
from scanner.testing import (
    assert_checks_ok,
    assert_finding,
    assert_silent,
    check_rules_well_formed,
    make_claim,
    make_line,
    make_plan,
    registered,
    run_check,
    scan_with,
)

AMBULANCE = Party(name="Coastline Ambulance", network="out", role="ambulance")


def ride(**changes: object) -> ServiceLine:
    """An out-of-network emergency transport: the plan allowed $900.00 of $2,400.00 and took 20%
    coinsurance; the EOB leaves the patient the coinsurance plus the $1,500.00 above the
    allowance."""
    fields: dict[str, Any] = {
        "code": "A0427",
        "network": "out",
        "billed": "2400.00",
        "allowed": "900.00",
        "plan_paid": "720.00",
        "deductible": "0.00",
        "coinsurance": "180.00",
        "not_covered": "1500.00",
        "patient_responsibility": "1680.00",
    }
    fields.update(changes)
    return make_line(**fields)


def claim_of(*lines: ServiceLine, provider: Party = AMBULANCE) -> list[Claim]:
    return [make_claim(lines=list(lines), provider=provider)]


def test_rules_are_well_formed() -> None:
    check_rules_well_formed(CaliforniaGroundAmbulanceCheck(), prefix="CGA")


def test_the_plugin_registers_its_check() -> None:
    assert [c.name for c in registered(ground_ambulance).checks] == ["ca_ground_ambulance"]


def test_the_balance_above_cost_sharing_is_at_stake() -> None:
    finding = assert_finding(
        run_check(CaliforniaGroundAmbulanceCheck(), claim_of(ride())),
        "CGA001",
        amount_at_stake="1500.00",
        line_ids=["1"],
        severity="warning",
    )
    assert finding.confidence == "medium"
    assert "$1,500.00 above your deductible, copay and coinsurance" in finding.message
    assert [r.citation for r in finding.references] == [
        "Cal. Health & Safety Code § 1371.56",
        "Cal. Ins. Code § 10126.66",
        "Cal. Stats. 2023, ch. 454 (AB 716)",
    ]
    assert [a.template for a in finding.actions] == [None, "balance_billing_dispute"]
    assert "{claim_number}" in (finding.actions[1].script or "")


def test_coinsurance_above_the_in_network_rate_is_at_stake_too() -> None:
    findings = run_check(
        CaliforniaGroundAmbulanceCheck(), claim_of(ride()), plan=make_plan(coinsurance_in_network=10)
    )
    finding = assert_finding(findings, "CGA001", amount_at_stake="1590.00")
    assert [(e.field, e.value, e.expected) for e in finding.evidence][1:] == [
        ("patient_responsibility", "1680.00", "90.00"),
        ("coinsurance", "180.00", "90.00"),
    ]
    assert finding.actions[0].template == "reprocessing_request"


def test_coinsurance_alone_when_the_ambulance_did_not_balance_bill() -> None:
    line = ride(billed="900.00", not_covered="0.00", patient_responsibility="180.00")
    findings = run_check(
        CaliforniaGroundAmbulanceCheck(), claim_of(line), plan=make_plan(coinsurance_in_network=10)
    )
    assert_finding(findings, "CGA001", amount_at_stake="90.00")


def test_the_provider_role_marks_a_ride_without_an_ambulance_code() -> None:
    findings = run_check(CaliforniaGroundAmbulanceCheck(), claim_of(ride(code=None)))
    assert_finding(findings, "CGA001", amount_at_stake="1500.00")


def test_without_printed_cost_sharing_the_unpaid_allowance_is_the_cost_sharing() -> None:
    line = ride(deductible=None, coinsurance=None, not_covered=None)
    findings = run_check(CaliforniaGroundAmbulanceCheck(), claim_of(line))
    assert_finding(findings, "CGA001", amount_at_stake="1500.00")


def test_the_engine_accepts_the_findings_and_adds_up_both_lines() -> None:
    mileage = ride(
        id="2",
        code="A0425",
        billed="360.00",
        allowed="144.00",
        plan_paid="115.20",
        coinsurance="28.80",
        not_covered="216.00",
        patient_responsibility="244.80",
    )
    result = scan_with([CaliforniaGroundAmbulanceCheck()], claim_of(ride(), mileage))
    assert_checks_ok(result)
    assert [(f.line_ids, f.amount_at_stake) for f in result.findings] == [(["1"], 150000), (["2"], 21600)]
    assert result.summary.amount_at_stake == 171600


# --- clean twins ------------------------------------------------------------------------------


def test_silent_when_only_cost_sharing_is_left() -> None:
    line = ride(billed="900.00", not_covered="0.00", patient_responsibility="180.00")
    assert_silent(run_check(CaliforniaGroundAmbulanceCheck(), claim_of(line)))


def test_silent_when_coinsurance_matches_the_in_network_rate() -> None:
    line = ride(billed="900.00", not_covered="0.00", patient_responsibility="180.00")
    plan = make_plan(coinsurance_in_network=20)
    assert_silent(run_check(CaliforniaGroundAmbulanceCheck(), claim_of(line), plan=plan))


def test_silent_in_network() -> None:
    provider = Party(name="Coastline Ambulance", network="in", role="ambulance")
    line = ride(network="in")
    assert_silent(run_check(CaliforniaGroundAmbulanceCheck(), claim_of(line, provider=provider)))


def test_silent_for_air_ambulance_which_federal_law_covers() -> None:
    provider = Party(name="Skyline Air Medical", network="out", role="air_ambulance")
    assert_silent(
        run_check(CaliforniaGroundAmbulanceCheck(), claim_of(ride(code="A0431"), provider=provider))
    )


def test_silent_for_other_out_of_network_care() -> None:
    provider = Party(name="Example Clinic", network="out", role="specialist")
    assert_silent(
        run_check(CaliforniaGroundAmbulanceCheck(), claim_of(ride(code="99214"), provider=provider))
    )


@pytest.mark.parametrize("day", [dt.date(2023, 12, 31), dt.date(2019, 6, 1)])
def test_silent_before_the_law_took_effect(day: dt.date) -> None:
    assert_silent(run_check(CaliforniaGroundAmbulanceCheck(), claim_of(ride(service_date=day))))


def test_silent_for_a_denied_line() -> None:
    assert_silent(run_check(CaliforniaGroundAmbulanceCheck(), claim_of(ride(denied=True))))


def test_silent_when_the_eob_prints_too_little_to_tell() -> None:
    line = ride(deductible=None, coinsurance=None, not_covered=None, plan_paid=None)
    assert_silent(run_check(CaliforniaGroundAmbulanceCheck(), claim_of(line)))

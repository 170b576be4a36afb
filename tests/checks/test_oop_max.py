"""Deductible and out-of-pocket maximum rules: each fires on its case and stays silent on the clean twin."""

from __future__ import annotations

import datetime as dt
from typing import Any

from plugins.checks.oop_max import OopMaxCheck
from scanner.model import Claim, Finding, Party, Plan, RelatedClaim
from scanner.testing import assert_silent, make_claim, make_line, make_plan, only, run_check

CHECK = OopMaxCheck()


def _day(month: int, day: int = 1) -> dt.date:
    return dt.date(2026, month, day)


def _claim(id: str, month: int, member: str = "self", line_id: str = "1", **amounts: Any) -> Claim:
    return make_claim(
        id,
        [make_line(line_id, service_date=_day(month), **amounts)],
        member=member,
        processed_date=_day(month, 20),
    )


def _run(claims: list[Claim], plan: Plan | None) -> list[Finding]:
    return run_check(CHECK, claims, plan=plan)


OOP_PLAN = make_plan(
    deductible_individual="1000.00",
    oop_max_individual="3000.00",
    deductible_met="1000.00",
    oop_met="2800.00",
    coinsurance_in_network=20,
)


# --- OOP001 -------------------------------------------------------------------------------------


def test_cost_sharing_beyond_the_out_of_pocket_maximum_is_flagged_line_by_line() -> None:
    march = _claim("mar", 3, coinsurance="200.00", patient_responsibility="200.00")
    april = _claim("apr", 4, coinsurance="120.00", patient_responsibility="120.00")

    findings = _run([april, march], OOP_PLAN)

    finding = only(findings, "OOP001")
    assert finding.claim_id == "apr"
    assert finding.amount_at_stake == 12000
    assert finding.severity == "error" and finding.confidence == "high"
    assert "your individual out-of-pocket maximum of $3,000.00 had already been met" in finding.message
    assert "$120.00 is above the maximum" in finding.message
    assert finding.actions[0].template == "oop_max_reprocessing"
    assert "with the claim of 2026-03-01" in (finding.actions[0].script or "")
    assert "{claim_number}" in (finding.actions[0].script or "")
    assert finding.actions[-1].deadline == dt.date(2026, 10, 17)


def test_the_line_that_crosses_the_maximum_is_flagged_for_the_part_above_it() -> None:
    findings = _run([_claim("mar", 3, coinsurance="250.00", patient_responsibility="250.00")], OOP_PLAN)

    finding = only(findings, "OOP001")

    assert finding.amount_at_stake == 5000
    assert "at most $200.00 of cost sharing" in finding.message
    # The call script is the patient's own words, about the charge, whatever names it.
    script = finding.actions[0].script or ""
    assert "Only $200.00 of my individual out-of-pocket maximum of $3,000.00 was left." in script
    assert "The cost sharing I'm charged for line 1 on 2026-03-01 is $250.00, $50.00 above" in script
    assert "your" not in script


def test_cost_sharing_that_stays_within_the_maximum_is_clean() -> None:
    findings = _run(
        [
            _claim("mar", 3, coinsurance="150.00", patient_responsibility="150.00"),
            _claim("apr", 4, coinsurance="50.00", patient_responsibility="50.00"),
        ],
        OOP_PLAN,
    )
    assert_silent(findings)


def test_the_family_maximum_binds_for_every_member_once_reached() -> None:
    plan = make_plan(
        coverage_tier="family",
        oop_max_individual="3000.00",
        oop_max_family="6000.00",
        deductible_met="0.00",
        oop_met="0.00",
    )
    claims = [
        _claim("a", 2, member="self", coinsurance="2900.00"),
        _claim("b", 3, member="spouse", coinsurance="2900.00"),
        _claim("c", 4, member="child-1", copay="300.00"),
    ]

    finding = only(_run(claims, plan), "OOP001")

    assert finding.claim_id == "c"
    assert finding.amount_at_stake == 10000
    assert "the family out-of-pocket maximum of $6,000.00" in finding.message


def test_the_embedded_individual_maximum_binds_inside_a_family_plan() -> None:
    plan = make_plan(
        coverage_tier="family",
        oop_max_individual="3000.00",
        oop_max_family="6000.00",
        deductible_met="0.00",
        oop_met="0.00",
    )
    claims = [
        _claim("a", 2, member="self", coinsurance="2900.00"),
        _claim("b", 3, member="self", copay="250.00"),
    ]

    finding = only(_run(claims, plan), "OOP001")

    assert (finding.claim_id, finding.amount_at_stake) == ("b", 15000)
    assert "your individual out-of-pocket maximum" in finding.message


def test_a_family_plan_with_members_below_both_maximums_is_clean() -> None:
    plan = make_plan(
        coverage_tier="family",
        oop_max_individual="3000.00",
        oop_max_family="6000.00",
        deductible_met="0.00",
        oop_met="0.00",
    )
    claims = [
        _claim("a", 2, member="self", coinsurance="2900.00"),
        _claim("b", 3, member="spouse", coinsurance="2000.00"),
        _claim("c", 4, member="child-1", copay="100.00"),
    ]
    assert_silent(_run(claims, plan))


def test_unknown_amounts_before_the_line_make_the_finding_a_lower_bound() -> None:
    plan = make_plan(oop_max_individual="1000.00", oop_met="950.00")
    unknown = make_claim("u", [make_line(service_date=_day(2), patient_responsibility="80.00")])
    later = _claim("k", 3, coinsurance="60.00", patient_responsibility="60.00")

    finding = only(_run([unknown, later], plan), "OOP001")

    assert (finding.amount_at_stake, finding.confidence) == (1000, "medium")
    assert "at least $950.00 of your individual out-of-pocket maximum" in finding.message
    assert "at least $10.00 is above the maximum" in finding.message


def test_a_maximum_met_despite_unknown_amounts_was_met_and_the_whole_line_is_above_it() -> None:
    plan = make_plan(oop_max_individual="1000.00", oop_met="1000.00")
    unknown = make_claim("u", [make_line(service_date=_day(2), patient_responsibility="80.00")])
    later = _claim("k", 3, coinsurance="60.00", patient_responsibility="60.00")

    finding = only(_run([unknown, later], plan), "OOP001")

    assert (finding.amount_at_stake, finding.confidence) == (6000, "high")
    assert "had already been met" in finding.message
    assert "at least" not in finding.message


def test_a_claim_from_the_previous_plan_year_does_not_count() -> None:
    plan = make_plan(oop_max_individual="1000.00", oop_met="0.00")
    december = make_claim("dec", [make_line(service_date=dt.date(2025, 12, 10), coinsurance="950.00")])
    january = _claim("jan", 1, coinsurance="100.00")
    assert_silent(_run([december, january], plan))


def test_a_replaced_claim_is_not_counted_twice() -> None:
    plan = make_plan(oop_max_individual="1000.00", oop_met="0.00")
    original = _claim("orig", 2, coinsurance="600.00")
    original = make_claim(
        "orig",
        original.lines,
        related=[RelatedClaim(claim_id="redo", relationship="replaced_by")],
    )
    redo = _claim("redo", 2, coinsurance="600.00")
    later = _claim("later", 3, coinsurance="300.00")
    assert_silent(_run([original, redo, later], plan))


def test_out_of_network_cost_sharing_is_not_held_against_the_in_network_maximum() -> None:
    plan = make_plan(oop_max_individual="1000.00", oop_met="1000.00")
    out = make_claim(
        "out",
        [make_line(service_date=_day(3), network="out", coinsurance="200.00")],
        provider=Party(name="Distant Clinic", network="out", role="specialist"),
    )
    assert_silent(_run([out], plan))


def test_without_a_plan_nothing_is_claimed() -> None:
    assert_silent(_run([_claim("a", 2, coinsurance="5000.00")], None))


# --- OOP002 -------------------------------------------------------------------------------------


DEDUCTIBLE_PLAN = make_plan(
    deductible_individual="1000.00",
    oop_max_individual="5000.00",
    deductible_met="800.00",
    oop_met="800.00",
    coinsurance_in_network=20,
)


def test_a_deductible_larger_than_what_was_left_is_flagged_net_of_the_coinsurance() -> None:
    claim = _claim("a", 3, deductible="500.00", coinsurance="40.00", patient_responsibility="540.00")

    finding = only(_run([claim], DEDUCTIBLE_PLAN), "OOP002")

    assert finding.amount_at_stake == 24000
    assert finding.confidence == "high"
    assert "leaving $200.00" in finding.message
    assert "$300.00 more than was left" in finding.message
    assert "you would owe $60.00 of it instead" in finding.message
    assert finding.actions[0].template == "reprocessing_request"


def test_a_deductible_that_uses_exactly_what_was_left_is_clean() -> None:
    claim = _claim("a", 3, deductible="200.00", coinsurance="60.00", patient_responsibility="260.00")
    assert_silent(_run([claim], DEDUCTIBLE_PLAN))


def test_a_deductible_charged_when_nothing_was_left_is_left_to_the_insurer_processing_rule() -> None:
    plan = make_plan(deductible_individual="1000.00", deductible_met="1000.00", coinsurance_in_network=20)
    claim = _claim("a", 3, deductible="150.00", patient_responsibility="150.00")
    assert_silent(_run([claim], plan), "OOP002")


def test_an_embedded_individual_deductible_is_an_assumption_with_medium_confidence() -> None:
    plan = make_plan(
        coverage_tier="family",
        deductible_individual="1000.00",
        deductible_family="2000.00",
        deductible_met="0.00",
        oop_met="0.00",
        coinsurance_in_network=20,
    )
    claims = [
        _claim("a", 2, member="child-1", deductible="900.00"),
        _claim("b", 3, member="child-1", deductible="300.00", patient_responsibility="300.00"),
    ]

    finding = only(_run(claims, plan), "OOP002")

    assert (finding.amount_at_stake, finding.confidence) == (16000, "medium")
    assert "embedded individual deductible" in finding.message


def test_without_a_coinsurance_rate_the_whole_overshoot_is_at_stake_with_medium_confidence() -> None:
    plan = make_plan(deductible_individual="1000.00", deductible_met="800.00")
    claim = _claim("a", 3, deductible="500.00", patient_responsibility="500.00")

    finding = only(_run([claim], plan), "OOP002")

    assert (finding.amount_at_stake, finding.confidence) == (30000, "medium")


def test_every_rule_has_full_docs_with_references() -> None:
    for rule in CHECK.rules:
        assert rule.docs is not None
        assert rule.docs.references
        assert rule.code.startswith("OOP")


def test_a_claim_alone_above_the_maximum_says_nothing_is_known_met_not_at_least_nothing() -> None:
    plan = make_plan(oop_max_individual="3000.00")
    claim = _claim("h", 5, deductible="1500.00", coinsurance="1580.00", patient_responsibility="3080.00")

    finding = only(_run([claim], plan), "OOP001")

    assert finding.amount_at_stake == 8000
    assert "$0.00" not in finding.message
    assert (
        "none of your individual out-of-pocket maximum of $3,000.00 is known to have been met"
        in finding.message
    )

"""Prices against the Medicare Physician Fee Schedule: data to negotiate, never a guess.

Benchmarks are the README's worked example for 99213 (2024, RVU24C): national non-facility
$90.87; Manhattan (13202-01) non-facility $103.22, facility $73.33.
"""

from __future__ import annotations

from typing import Any

import pytest

from plugins.checks.pricing import PricingCheck, multiples_from_env, ratio_text
from scanner.model import Claim, Finding
from scanner.reference.fee_schedule import shipped_fee_schedules
from scanner.settings import SettingError
from scanner.testing import assert_silent, make_claim, make_line, make_plan, money, only, run_check

CHECK = PricingCheck(schedules=shipped_fee_schedules(), multiples={"professional": 30})


def _cents(text: str) -> int:
    return money(text) or 0


def _visit(allowed: str | None = "350.00", owed: str = "350.00", **line: Any) -> Claim:
    line.setdefault("code", "99213")
    claim_fields = {k: line.pop(k) for k in ("place_of_service", "claim_type") if k in line}
    return make_claim(
        lines=[make_line("1", billed="400.00", allowed=allowed, patient_responsibility=owed, **line)],
        **claim_fields,
    )


def _run(claim: Claim, locality: str | None = None) -> list[Finding]:
    plan = make_plan(pfs_locality=locality) if locality else None
    return run_check(CHECK, [claim], plan=plan)


def test_an_allowed_amount_far_above_the_national_rate_is_data_to_negotiate() -> None:
    finding = only(_run(_visit()), "PRC001")
    assert (finding.severity, finding.confidence) == ("info", "medium")
    # 3x $90.87 = $272.61; your $350.00 share falls by 350.00 x (350.00 - 272.61) / 350.00
    assert finding.amount_at_stake == _cents("77.39")
    assert "$90.87 (2024 national, non-facility)" in finding.message
    assert "3.8x the Medicare rate" in finding.message
    evidence = {e.field: e for e in finding.evidence}
    assert (evidence["benchmark"].value, evidence["ratio"].value) == ("90.87", "3.8x")
    assert evidence["allowed"].expected == "272.61"
    assert [a.template for a in finding.actions] == [
        "prompt_pay_discount",
        "financial_assistance_application",
    ]
    script = finding.actions[0].script or ""
    assert "prompt-pay discount (10 to 20 percent)" in script and "payment plan" in script
    assert "{patient_name}" in script


def test_a_price_under_the_multiple_is_clean() -> None:
    assert_silent(_run(_visit(allowed="250.00", owed="250.00")))


def test_exactly_the_multiple_is_clean() -> None:
    assert_silent(_run(_visit(allowed="272.61", owed="272.61")))


def test_a_medicare_locality_adjusts_the_benchmark() -> None:
    finding = only(_run(_visit(place_of_service="11"), locality="13202-01"), "PRC001")
    assert finding.confidence == "high"
    assert "$103.22 (2024 locality 13202-01 (MANHATTAN), non-facility)" in finding.message
    # 3x $103.22 = $309.66 -> 350.00 x 40.34 / 350.00
    assert finding.amount_at_stake == _cents("40.34")
    assert "3.3x" in finding.title


def test_a_hospital_place_of_service_uses_the_facility_rate() -> None:
    finding = only(
        _run(_visit(allowed="250.00", owed="50.00", place_of_service="22"), locality="13202-01"), "PRC001"
    )
    # 3x $73.33 = $219.99; the $50.00 coinsurance falls in proportion: 50.00 x 30.01 / 250.00 = 6.002
    assert finding.amount_at_stake == _cents("6.00")
    assert "3.4x" in finding.title


def test_the_billed_amount_is_compared_when_nothing_was_allowed() -> None:
    finding = only(_run(_visit(allowed=None, owed="400.00")), "PRC001")
    assert "the provider billed (nothing was allowed) $400.00" in finding.message
    assert finding.amount_at_stake == _cents("127.39")


def test_units_multiply_the_benchmark() -> None:
    assert_silent(_run(_visit(allowed="500.00", owed="500.00", units=2)))
    assert only(_run(_visit(allowed="600.00", owed="600.00", units=2)), "PRC001").amount_at_stake == _cents(
        "54.78"
    )


def test_unknown_and_contractor_priced_codes_get_no_finding() -> None:
    assert_silent(_run(_visit(code="ZZ999")))
    assert_silent(_run(_visit(code="0275T")))


def test_lines_you_owe_nothing_for_are_not_flagged() -> None:
    assert_silent(_run(_visit(owed="0.00")))


def test_facility_claims_are_not_compared_with_the_physician_schedule() -> None:
    assert_silent(_run(_visit(claim_type="institutional")))


def test_the_multiple_is_configurable() -> None:
    assert multiples_from_env({"EOBSCAN_PRICE_MULTIPLE": "2.5x"}) == {"professional": 25}
    assert multiples_from_env({}) == {"professional": 30}
    lenient = PricingCheck(schedules=shipped_fee_schedules(), multiples={"professional": 40})
    assert_silent(run_check(lenient, [_visit()]))


@pytest.mark.parametrize("value", ["nonsense", "1", "0.5x", "-3"])
def test_a_multiple_that_cannot_be_used_stops_the_start_and_names_the_variable(value: str) -> None:
    with pytest.raises(SettingError, match="EOBSCAN_PRICE_MULTIPLE must be a multiple above 1"):
        multiples_from_env({"EOBSCAN_PRICE_MULTIPLE": value})


def test_the_ratio_is_integer_arithmetic_rounded_down() -> None:
    assert ratio_text(35000, 9087) == "3.8x"
    assert ratio_text(27261, 9087) == "3.0x"
    assert ratio_text(27260, 9087) == "2.9x"

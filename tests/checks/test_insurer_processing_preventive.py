"""Preventive care (PRV): $0 in network on a non-grandfathered plan, and the honest exceptions."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec
import pytest

from plugins.checks.insurer_processing import InsurerProcessingCheck
from scanner.model import Claim, Network, Party
from scanner.testing import assert_silent, make_claim, make_line, make_plan, money, only, run_check

CHECK = InsurerProcessingCheck()
PLAN = make_plan(coinsurance_in_network=20)


def _cents(text: str) -> int:
    return money(text) or 0


def _claim(code: str, *, diagnoses: list[str], share: dict[str, str], **line: Any) -> Claim:
    """One in-network line whose numbers add up: allowed $400.00, the plan paid the rest."""
    charged = sum(_cents(v) for v in share.values())
    return make_claim(
        lines=[
            make_line(
                code=code,
                diagnoses=diagnoses,
                allowed="400.00",
                plan_paid=_cents("400.00") - charged,
                patient_responsibility=charged,
                **share,
                **line,
            )
        ]
    )


def test_a_well_visit_with_a_copay_is_an_error_for_the_copay() -> None:
    claim = _claim("99395", diagnoses=["Z00.00"], share={"copay": "25.00"})
    finding = only(run_check(CHECK, [claim], plan=PLAN), "PRV001")
    assert finding.severity == "error"
    assert finding.confidence == "high"
    assert finding.amount_at_stake == _cents("25.00")
    assert [a.template for a in finding.actions] == ["reprocessing_request", "appeal_internal_level1"]


def test_a_well_visit_at_no_cost_is_clean() -> None:
    claim = _claim("99395", diagnoses=["Z00.00"], share={"copay": "0.00"})
    assert_silent(run_check(CHECK, [claim], plan=PLAN))


def test_a_grandfathered_plan_may_charge_for_preventive_care() -> None:
    claim = _claim("99395", diagnoses=["Z00.00"], share={"copay": "25.00"})
    assert_silent(run_check(CHECK, [claim], plan=make_plan(grandfathered=True)))


def test_without_a_plan_we_assume_non_grandfathered_and_say_so() -> None:
    claim = _claim("77067", diagnoses=["Z12.31"], share={"coinsurance": "40.00"})
    finding = only(run_check(CHECK, [claim]), "PRV001")
    assert finding.amount_at_stake == _cents("40.00")
    assert finding.confidence == "medium"
    assert "not grandfathered" in finding.message


def test_a_medicare_wellness_visit_charged_a_deductible_is_an_error() -> None:
    claim = _claim("G0439", diagnoses=["Z00.00"], share={"deductible": "180.00"})
    assert only(run_check(CHECK, [claim], plan=PLAN), "PRV001").amount_at_stake == _cents("180.00")


def test_polyp_removal_during_a_screening_colonoscopy_is_still_free() -> None:
    claim = _claim("45385", modifiers=["33"], diagnoses=["Z12.11", "K63.5"], share={"deductible": "350.00"})
    finding = only(run_check(CHECK, [claim], plan=PLAN), "PRV001")
    assert finding.amount_at_stake == _cents("350.00")
    assert "modifier 33" in finding.message


def test_a_screening_colonoscopy_is_recognised_by_its_z12_11_diagnosis_alone() -> None:
    claim = _claim("45378", diagnoses=["Z12.11"], share={"deductible": "300.00"})
    assert only(run_check(CHECK, [claim], plan=PLAN), "PRV001").amount_at_stake == _cents("300.00")


def test_anesthesia_for_a_screening_colonoscopy_is_free_too() -> None:
    screening_code = _claim("00812", diagnoses=["Z12.11"], share={"coinsurance": "64.00"})
    marked = _claim("00811", modifiers=["33"], diagnoses=["K63.5"], share={"coinsurance": "64.00"})
    assert only(run_check(CHECK, [screening_code], plan=PLAN), "PRV001").amount_at_stake == _cents("64.00")
    assert only(run_check(CHECK, [marked], plan=PLAN), "PRV001").amount_at_stake == _cents("64.00")


def test_a_diagnostic_colonoscopy_for_a_problem_is_cost_shared_lawfully() -> None:
    claim = _claim("45385", diagnoses=["K92.1"], share={"deductible": "350.00"})
    assert_silent(run_check(CHECK, [claim], plan=PLAN))


def test_vaccine_and_its_administration_are_free() -> None:
    lines = [
        make_line(
            "1",
            code="90471",
            diagnoses=["Z23"],
            allowed="25.00",
            plan_paid="5.00",
            coinsurance="20.00",
            patient_responsibility="20.00",
        ),
        make_line(
            "2",
            code="90715",
            diagnoses=["Z23"],
            allowed="45.00",
            plan_paid="0.00",
            deductible="45.00",
            patient_responsibility="45.00",
        ),
    ]
    findings = [f for f in run_check(CHECK, [make_claim(lines=lines)], plan=PLAN) if f.rule == "PRV001"]
    assert [(f.line_ids, f.amount_at_stake) for f in findings] == [(["1"], 2000), (["2"], 4500)]


def test_a_problem_diagnosis_first_on_a_screening_is_a_warning_to_ask_about_the_coding() -> None:
    claim = _claim("77067", diagnoses=["N63.0", "Z12.31"], share={"coinsurance": "38.00"})
    findings = run_check(CHECK, [claim], plan=PLAN)
    finding = only(findings, "PRV002")
    assert_silent(findings, "PRV001")
    assert finding.severity == "warning"
    assert finding.confidence == "low"
    assert finding.amount_at_stake == _cents("38.00")
    assert "coded as diagnostic" in finding.message
    assert finding.actions[0].kind == "call_provider"


def test_a_lab_test_for_a_known_condition_is_not_preventive() -> None:
    claim = _claim("80061", diagnoses=["E78.5"], share={"coinsurance": "12.00"})
    assert_silent(run_check(CHECK, [claim], plan=PLAN), "PRV002")


def test_a_preventive_code_without_any_diagnosis_is_an_error_of_medium_confidence() -> None:
    claim = _claim("99396", diagnoses=[], share={"copay": "30.00"})
    finding = only(run_check(CHECK, [claim], plan=PLAN), "PRV001")
    assert finding.confidence == "medium"
    assert finding.amount_at_stake == _cents("30.00")


def test_a_same_day_problem_visit_with_modifier_25_is_lawfully_cost_shared() -> None:
    lines = [
        make_line(
            "1",
            code="99396",
            diagnoses=["Z00.00"],
            allowed="220.00",
            plan_paid="220.00",
            copay="0.00",
            patient_responsibility="0.00",
        ),
        make_line(
            "2",
            code="99213",
            modifiers=["25"],
            diagnoses=["I10"],
            allowed="110.00",
            plan_paid="85.00",
            copay="25.00",
            patient_responsibility="25.00",
        ),
    ]
    assert_silent(run_check(CHECK, [make_claim(lines=lines)], plan=PLAN))


def test_out_of_network_preventive_care_is_only_a_question_about_network_gaps() -> None:
    claim = _claim("77067", diagnoses=["Z12.31"], share={"coinsurance": "64.00"}, network="out")
    claim.provider = Party(name="Example Imaging", network="out", role="radiology")
    findings = run_check(CHECK, [claim], plan=PLAN)
    finding = only(findings, "PRV003")
    assert_silent(findings, "PRV001")
    assert finding.severity == "info"
    assert finding.amount_at_stake == _cents("64.00")
    assert finding.actions[0].template == "network_gap_exception"


def test_the_amount_at_stake_never_exceeds_what_you_were_asked_to_pay() -> None:
    line = make_line(
        code="99395",
        diagnoses=["Z00.00"],
        allowed="200.00",
        plan_paid="175.00",
        copay="25.00",
        deductible="40.00",
        patient_responsibility="25.00",
    )
    findings = run_check(CHECK, [make_claim(lines=[line])], plan=PLAN)
    assert only(findings, "PRV001").amount_at_stake == _cents("25.00")


def test_medicare_pt_screening_that_became_diagnostic_may_charge_coinsurance_but_no_deductible() -> None:
    coinsurance_only = _claim(
        "45385", modifiers=["PT"], diagnoses=["Z12.11", "K63.5"], share={"coinsurance": "60.00"}
    )
    with_deductible = _claim(
        "45385",
        modifiers=["PT"],
        diagnoses=["Z12.11", "K63.5"],
        share={"deductible": "257.00", "coinsurance": "60.00"},
    )
    for claim in (coinsurance_only, with_deductible):
        claim.plan_name = "Example Medicare Advantage PPO"
    assert_silent(run_check(CHECK, [coinsurance_only], plan=PLAN))
    finding = only(run_check(CHECK, [with_deductible], plan=PLAN), "PRV001")
    assert finding.amount_at_stake == _cents("257.00")
    assert "Medicare waives the deductible" in finding.message


def test_a_screening_coded_with_its_screening_diagnosis_first_is_no_coding_question() -> None:
    claim = _claim("77067", diagnoses=["Z12.31", "N63.0"], share={"coinsurance": "0.00"})
    assert_silent(run_check(CHECK, [claim], plan=PLAN))


def test_out_of_network_preventive_care_at_no_cost_raises_nothing() -> None:
    claim = _claim("77067", diagnoses=["Z12.31"], share={"coinsurance": "0.00"}, network="out")
    claim.provider = Party(name="Example Imaging", network="out", role="radiology")
    assert_silent(run_check(CHECK, [claim], plan=PLAN))


def test_outside_medicare_a_screening_that_removed_a_polyp_stays_free() -> None:
    """Modifier PT on a plan that does not call itself Medicare: the ACA rule, not Medicare's
    phase-down, so the coinsurance is at stake too."""
    claim = _claim("45385", modifiers=["PT"], diagnoses=["Z12.11", "K63.5"], share={"coinsurance": "60.00"})
    finding = only(run_check(CHECK, [claim], plan=PLAN), "PRV001")
    assert finding.amount_at_stake == _cents("60.00")
    assert "modifier PT" in finding.message


COLONOSCOPY_DAY = dt.date(2026, 8, 14)


def _companion(code: str, *, member: str = "self", day: dt.date = COLONOSCOPY_DAY) -> Claim:
    """The anesthesia or pathology of a colonoscopy, billed by another provider on its own claim,
    with no modifier and the polyp's diagnosis."""
    claim = _claim(code, diagnoses=["D12.5"], share={"deductible": "180.00"}, service_date=day)
    claim.id = f"claim-{code}"
    claim.member = member
    claim.provider = Party(name="Example Anesthesia Group", network="in", role="anesthesia")
    return claim


SCREENING = _claim(
    "45385", modifiers=["33"], diagnoses=["Z12.11"], share={"copay": "0.00"}, service_date=COLONOSCOPY_DAY
)


@pytest.mark.parametrize("code", ["00811", "00812", "88305"])
def test_the_anesthesia_and_pathology_of_a_screening_colonoscopy_are_part_of_it(code: str) -> None:
    findings = run_check(CHECK, [SCREENING, _companion(code)], plan=PLAN)
    finding = only(findings, "PRV001")
    assert (finding.claim_id, finding.amount_at_stake) == (f"claim-{code}", _cents("180.00"))
    assert "part of the screening colonoscopy on 2026-08-14" in finding.message


@pytest.mark.parametrize(
    "companion",
    [
        _companion("00811", day=dt.date(2026, 8, 15)),
        _companion("88305", member="spouse"),
    ],
    ids=["another day", "another member"],
)
def test_anesthesia_or_pathology_without_a_screening_that_day_may_be_cost_shared(companion: Claim) -> None:
    assert_silent(run_check(CHECK, [SCREENING, companion], plan=PLAN))


def test_a_diagnostic_colonoscopy_gives_its_anesthesia_no_preventive_context() -> None:
    diagnostic = _claim(
        "45385", diagnoses=["K92.1"], share={"deductible": "300.00"}, service_date=COLONOSCOPY_DAY
    )
    assert_silent(run_check(CHECK, [diagnostic, _companion("00811")], plan=PLAN))


@pytest.mark.parametrize(
    ("network", "rule", "severity"), [("in", "PRV001", "error"), ("out", "PRV003", "info")]
)
def test_a_hospitals_own_claim_for_a_screening_takes_the_hospitals_network(
    network: Network, rule: str, severity: str
) -> None:
    """A screening mammogram billed by the hospital itself (no provider named, no level on the
    line): at an in-network hospital the deductible is an error; at an out-of-network one it is
    only the network-gap question."""
    screening = _claim("77067", diagnoses=["Z12.31"], share={"deductible": "150.00"}, network="unknown")
    hospital = Party(name="Lakeside General Hospital", network=network, role="facility")
    claim = msgspec.structs.replace(screening, provider=None, facility=hospital)
    finding = only(run_check(CHECK, [claim], plan=PLAN), rule)
    assert (finding.severity, finding.amount_at_stake) == (severity, _cents("150.00"))


# --- preventive care processed out of network although it owes in-network cost sharing -----------


def test_an_in_network_providers_well_visit_processed_out_of_network_is_an_error_for_all_of_it() -> None:
    """The provider is in network, the insurer processed the line out of network and applied the
    deductible: in network it would have cost nothing, so it is PRV001, not the network-gap
    question."""
    claim = _claim("99396", diagnoses=["Z00.00"], share={"deductible": "200.00"}, network="out")
    findings = run_check(CHECK, [claim], plan=PLAN)
    finding = only(findings, "PRV001")
    assert_silent(findings, "PRV003")
    assert (finding.severity, finding.confidence) == ("error", "high")
    assert finding.amount_at_stake == _cents("200.00")
    assert "processed out of network" in finding.message


def test_an_in_network_providers_well_visit_processed_out_of_network_at_no_cost_is_clean() -> None:
    claim = _claim("99396", diagnoses=["Z00.00"], share={"deductible": "0.00"}, network="out")
    assert_silent(run_check(CHECK, [claim], plan=PLAN))


def _out_of_network_anesthesia() -> Claim:
    """An out-of-network anesthesiologist at an in-network surgery centre, charged coinsurance."""
    claim = _companion("00811")
    claim.provider = Party(name="Example Anesthesia Group", network="out", role="anesthesiology")
    claim.facility = Party(name="Example Surgery Center", network="in", role="facility")
    claim.lines[0].network = "out"
    return claim


def test_protected_anesthesia_of_a_screening_colonoscopy_owes_nothing() -> None:
    """The No Surprises Act limits the anesthesia to in-network cost sharing, and in network the
    anesthesia of a screening colonoscopy is free: all of it is at stake, as an error."""
    findings = run_check(CHECK, [SCREENING, _out_of_network_anesthesia()], plan=PLAN)
    finding = only(findings, "PRV001")
    assert_silent(findings, "PRV003")
    assert (finding.confidence, finding.amount_at_stake) == ("medium", _cents("180.00"))
    assert "No Surprises Act" in finding.message


def test_protected_anesthesia_of_a_diagnostic_colonoscopy_is_no_preventive_matter() -> None:
    diagnostic = _claim(
        "45385", diagnoses=["K92.1"], share={"deductible": "300.00"}, service_date=COLONOSCOPY_DAY
    )
    assert_silent(run_check(CHECK, [diagnostic, _out_of_network_anesthesia()], plan=PLAN))

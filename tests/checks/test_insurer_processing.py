"""Insurer processing: the EOB's own arithmetic, the plan's benefits, the adjustment codes."""

from __future__ import annotations

import datetime as dt
from typing import Literal

import pytest

from plugins.checks.insurer_processing import InsurerProcessingCheck
from scanner.model import Adjustment, Claim, Party, PlanChange, RelatedClaim, ServiceLine
from scanner.testing import assert_silent, make_claim, make_line, make_plan, money, only, run_check

GroupCode = Literal["CO", "PR", "OA", "PI", "CR"]

CHECK = InsurerProcessingCheck()
SPECIALIST = Party(name="Example Cardiology", network="in", role="specialist")


def _cents(text: str) -> int:
    return money(text) or 0


# --- INS001-INS004: the line's own numbers ------------------------------------------------------


def test_a_share_above_allowed_minus_paid_is_reported_with_the_excess() -> None:
    claim = make_claim(
        lines=[
            make_line(
                allowed="150.00", plan_paid="120.00", coinsurance="60.00", patient_responsibility="60.00"
            )
        ]
    )
    finding = only(run_check(CHECK, [claim]), "INS001")
    assert finding.amount_at_stake == _cents("30.00")
    assert "$30.00 too much" in finding.message


def test_a_share_equal_to_allowed_minus_paid_is_clean() -> None:
    claim = make_claim(
        lines=[
            make_line(
                allowed="150.00", plan_paid="120.00", coinsurance="30.00", patient_responsibility="30.00"
            )
        ]
    )
    assert_silent(run_check(CHECK, [claim]))


def _above_allowance_line(network: Literal["in", "out"], not_covered: str) -> ServiceLine:
    """Billed $2,400, allowed $600, plan paid $420, coinsurance $180, plus a not-covered amount."""
    owed = f"{_cents(not_covered) // 100 + 180}.00"
    return make_line(
        network=network,
        billed="2400.00",
        allowed="600.00",
        plan_paid="420.00",
        coinsurance="180.00",
        not_covered=not_covered,
        patient_responsibility=owed,
    )


def test_an_in_network_charge_above_the_allowance_printed_as_not_covered_is_too_much() -> None:
    claim = make_claim(lines=[_above_allowance_line("in", "1800.00")])
    finding = only(run_check(CHECK, [claim]), "INS001")
    assert finding.amount_at_stake == _cents("1800.00")


def test_an_out_of_network_charge_above_the_allowance_may_be_owed_and_is_not_reported_here() -> None:
    """Out of network the same dollars can be a lawful balance bill (the network check decides
    whether the No Surprises Act protects the care)."""
    claim = make_claim(lines=[_above_allowance_line("out", "1800.00")])
    assert_silent(run_check(CHECK, [claim]), "INS001")


def test_an_in_network_not_covered_amount_inside_the_allowance_is_the_patients() -> None:
    """Allowed $600, the plan paid nothing of it and $600 was not covered (a benefit maximum)."""
    line = make_line(
        network="in",
        allowed="600.00",
        plan_paid="0.00",
        not_covered="600.00",
        patient_responsibility="600.00",
    )
    assert_silent(run_check(CHECK, [make_claim(lines=[line])]), "INS001")


def test_a_denied_line_is_left_to_the_denial_rules() -> None:
    """Medicare's "Service approved? No": nothing allowed, the whole charge the most you may be
    billed. Whether that is yours depends on the denial's reason (DEN001), not on allowed minus
    paid; the same numbers on a line that was not denied are INS001's."""
    numbers = {
        "billed": "1450.00",
        "allowed": "0.00",
        "plan_paid": "0.00",
        "patient_responsibility": "1450.00",
    }
    denied = make_claim(lines=[make_line(network="unknown", denied=True, **numbers)])
    assert_silent(run_check(CHECK, [denied]), "INS001")
    processed = make_claim(lines=[make_line(network="unknown", **numbers)])
    assert only(run_check(CHECK, [processed]), "INS001").amount_at_stake == _cents("1450.00")


def test_parts_that_do_not_add_up_to_the_share_are_a_warning_with_the_unexplained_amount() -> None:
    line = make_line(
        allowed="200.00",
        plan_paid="105.00",
        deductible="50.00",
        coinsurance="20.00",
        patient_responsibility="95.00",
    )
    finding = only(run_check(CHECK, [make_claim(lines=[line])]), "INS002")
    assert finding.severity == "warning"
    assert finding.amount_at_stake == _cents("25.00")


def test_a_share_below_its_parts_is_info_with_nothing_at_stake_and_no_reprocessing_request() -> None:
    # Medicare's outpatient EOBs print a non-covered charge the provider writes off: the parts
    # add up to more than the patient owes. Asking for a reprocessing could only raise the bill.
    line = make_line(
        billed="70.00",
        allowed="0.00",
        plan_paid="0.00",
        deductible="0.00",
        coinsurance="0.00",
        not_covered="70.00",
        patient_responsibility="0.00",
    )
    finding = only(run_check(CHECK, [make_claim(lines=[line])]), "INS002")
    assert (finding.severity, finding.amount_at_stake) == ("info", 0)
    assert "pay no more than $0.00" in finding.message
    assert [a.kind for a in finding.actions] == ["call_insurer"]
    assert "reprocess" not in (finding.actions[0].script or "")
    assert finding.evidence[0].value == "0.00" and finding.evidence[0].expected == "70.00"


def test_parts_that_add_up_are_clean() -> None:
    line = make_line(
        allowed="200.00",
        plan_paid="130.00",
        deductible="50.00",
        coinsurance="20.00",
        patient_responsibility="70.00",
    )
    assert_silent(run_check(CHECK, [make_claim(lines=[line])]))


def test_an_allowed_amount_above_the_charge_puts_the_share_built_on_it_at_stake() -> None:
    line = make_line(
        billed="100.00",
        allowed="180.00",
        plan_paid="90.00",
        coinsurance="90.00",
        patient_responsibility="90.00",
    )
    assert only(run_check(CHECK, [make_claim(lines=[line])]), "INS003").amount_at_stake == _cents("80.00")


def test_an_allowed_amount_below_the_charge_is_clean() -> None:
    line = make_line(
        billed="200.00",
        allowed="180.00",
        plan_paid="90.00",
        coinsurance="90.00",
        patient_responsibility="90.00",
    )
    assert_silent(run_check(CHECK, [make_claim(lines=[line])]), "INS003")


def test_a_plan_payment_above_the_allowed_amount_is_a_warning_with_nothing_at_stake() -> None:
    line = make_line(allowed="150.00", plan_paid="210.00", patient_responsibility="0.00")
    finding = only(run_check(CHECK, [make_claim(lines=[line])]), "INS004")
    assert finding.severity == "warning"
    assert finding.amount_at_stake == 0


def test_a_plan_payment_within_the_allowed_amount_is_clean() -> None:
    line = make_line(allowed="150.00", plan_paid="150.00", patient_responsibility="0.00")
    assert_silent(run_check(CHECK, [make_claim(lines=[line])]))


# --- INS005: deductible after it was met --------------------------------------------------------


def _deductible_claim(
    id: str, day: dt.date, deductible: str, coinsurance: str, member: str = "self"
) -> Claim:
    allowed = _cents(deductible) + _cents(coinsurance) * 5
    share = _cents(deductible) + _cents(coinsurance)
    line = make_line(
        service_date=day,
        allowed=allowed,
        plan_paid=allowed - share,
        deductible=deductible,
        coinsurance=coinsurance,
        patient_responsibility=share,
    )
    return make_claim(id, lines=[line], member=member)


def test_a_deductible_charged_after_an_earlier_claim_met_it_is_reported_less_the_coinsurance() -> None:
    plan = make_plan(deductible_individual="1500.00", deductible_met="1300.00", coinsurance_in_network=20)
    meets_it = _deductible_claim("feb", dt.date(2026, 2, 10), "200.00", "0.00")
    after = _deductible_claim("mar", dt.date(2026, 3, 5), "200.00", "60.00")
    finding = only(run_check(CHECK, [after, meets_it], plan=plan), "INS005")
    assert finding.claim_id == "mar"
    assert finding.amount_at_stake == _cents("160.00")
    assert finding.confidence == "high"
    assert "$1,500.00" in finding.message and "$40.00" in finding.message


def test_protected_emergency_care_processed_out_of_network_owes_the_in_network_rate_instead() -> None:
    """The No Surprises Act holds the ER line to in-network cost sharing: of the $600.00 wrongly put
    to the deductible, 20% was owed, not the plan's 40% out-of-network rate."""
    plan = make_plan(
        deductible_individual="500.00",
        deductible_met="500.00",
        coinsurance_in_network=20,
        coinsurance_out_of_network=40,
    )
    line = make_line(code="99284", network="out", allowed="600.00", deductible="600.00")
    er = make_claim(
        "er",
        lines=[line],
        emergency=True,
        place_of_service="23",
        provider=Party(name="Valley Emergency Physicians", network="out", role="emergency"),
    )
    finding = only(run_check(CHECK, [er], plan=plan), "INS005")
    assert finding.amount_at_stake == _cents("480.00")
    assert "at your 20% coinsurance you would owe $120.00" in finding.message


def _adjustment(reversal_first: bool) -> list[Claim]:
    """March's claim met the $500.00 deductible; April's adjustment reverses it and reprocesses
    the visit with the same deductible, printing the two lines in either order."""
    original = _deductible_claim("mar", dt.date(2026, 3, 2), "500.00", "20.00")
    reversal = make_line(
        "2",
        service_date=dt.date(2026, 3, 2),
        billed="-900.00",
        allowed="-600.00",
        plan_paid="-80.00",
        deductible="-500.00",
        coinsurance="-20.00",
        patient_responsibility="-520.00",
    )
    corrected = make_line(
        "3",
        service_date=dt.date(2026, 3, 2),
        allowed="550.00",
        plan_paid="40.00",
        deductible="500.00",
        coinsurance="10.00",
        patient_responsibility="510.00",
    )
    lines = [reversal, corrected] if reversal_first else [corrected, reversal]
    return [original, make_claim("apr", lines=lines, processed_date=dt.date(2026, 4, 20))]


@pytest.mark.parametrize(
    "reversal_first", [True, False], ids=["reversal printed first", "reversal printed last"]
)
def test_an_adjustment_that_reverses_another_claim_frees_the_deductible_in_either_order(
    reversal_first: bool,
) -> None:
    plan = make_plan(deductible_individual="500.00", deductible_met="0.00", coinsurance_in_network=20)
    assert_silent(run_check(CHECK, _adjustment(reversal_first), plan=plan), "INS005")


def test_an_adjustment_scanned_without_the_claim_it_reverses_frees_the_deductible_too() -> None:
    """Only April's EOB is scanned; the plan's deductible met ($500.00) includes March's claim,
    which the reversal printed last takes back before the corrected line."""
    plan = make_plan(deductible_individual="500.00", deductible_met="500.00", coinsurance_in_network=20)
    adjustment = _adjustment(reversal_first=False)[1]
    assert_silent(run_check(CHECK, [adjustment], plan=plan), "INS005")


def test_a_visit_charged_the_deductible_after_a_reversed_visit_is_still_checked() -> None:
    """The clean twin: a reversal does not free a deductible that another visit met again."""
    plan = make_plan(deductible_individual="500.00", deductible_met="0.00", coinsurance_in_network=20)
    original, adjustment = _adjustment(reversal_first=True)
    later = _deductible_claim("may", dt.date(2026, 5, 4), "200.00", "0.00")
    finding = only(run_check(CHECK, [original, adjustment, later], plan=plan), "INS005")
    assert finding.claim_id == "may"


def test_a_deductible_charged_while_some_of_it_was_left_is_not_this_rule() -> None:
    plan = make_plan(deductible_individual="1500.00", deductible_met="1100.00", coinsurance_in_network=20)
    first = _deductible_claim("feb", dt.date(2026, 2, 10), "200.00", "0.00")
    second = _deductible_claim("mar", dt.date(2026, 3, 5), "200.00", "60.00")
    assert_silent(run_check(CHECK, [first, second], plan=plan), "INS005")


def test_a_family_deductible_met_by_two_members_covers_the_third() -> None:
    plan = make_plan(
        coverage_tier="family",
        deductible_individual="1000.00",
        deductible_family="2000.00",
        deductible_met="0.00",
        coinsurance_in_network=20,
    )
    claims = [
        _deductible_claim("a", dt.date(2026, 1, 10), "1000.00", "0.00", member="self"),
        _deductible_claim("b", dt.date(2026, 2, 10), "1000.00", "0.00", member="spouse"),
        _deductible_claim("c", dt.date(2026, 3, 10), "150.00", "0.00", member="child-1"),
    ]
    finding = only(run_check(CHECK, claims, plan=plan), "INS005")
    assert finding.claim_id == "c"
    assert finding.amount_at_stake == _cents("120.00")
    assert "family deductible of $2,000.00" in finding.message


def test_family_members_below_both_deductibles_are_clean() -> None:
    plan = make_plan(
        coverage_tier="family",
        deductible_individual="1000.00",
        deductible_family="2000.00",
        deductible_met="0.00",
        coinsurance_in_network=20,
    )
    claims = [
        _deductible_claim("a", dt.date(2026, 1, 10), "900.00", "0.00", member="self"),
        _deductible_claim("b", dt.date(2026, 2, 10), "900.00", "0.00", member="spouse"),
        _deductible_claim("c", dt.date(2026, 3, 10), "150.00", "0.00", member="child-1"),
    ]
    assert_silent(run_check(CHECK, claims, plan=plan), "INS005")


def test_the_embedded_individual_deductible_stops_one_members_deductible() -> None:
    plan = make_plan(
        coverage_tier="family",
        deductible_individual="1000.00",
        deductible_family="3000.00",
        deductible_met="0.00",
    )
    claims = [
        _deductible_claim("a", dt.date(2026, 1, 10), "1000.00", "0.00"),
        _deductible_claim("b", dt.date(2026, 4, 10), "80.00", "0.00"),
    ]
    finding = only(run_check(CHECK, claims, plan=plan), "INS005")
    assert finding.amount_at_stake == _cents("80.00")
    assert finding.confidence == "medium"


def test_without_a_plan_no_deductible_is_judged() -> None:
    claims = [_deductible_claim("a", dt.date(2026, 1, 10), "1000.00", "0.00")]
    assert_silent(run_check(CHECK, claims), "INS005")


# --- INS006: wrong plan -----------------------------------------------------------------------

CHANGES = [
    PlanChange(effective_date=dt.date(2026, 1, 1), plan_name="Silver PPO"),
    PlanChange(effective_date=dt.date(2026, 7, 1), plan_name="Gold PPO"),
]


def _august_claim(plan_name: str) -> Claim:
    lines = [
        make_line("1", service_date=dt.date(2026, 8, 14), patient_responsibility="300.00"),
        make_line("2", service_date=dt.date(2026, 8, 14), patient_responsibility="120.00"),
    ]
    return make_claim(lines=lines, plan_name=plan_name)


def test_a_claim_processed_under_the_plan_that_ended_is_reported_with_its_whole_share() -> None:
    finding = only(
        run_check(CHECK, [_august_claim("Silver PPO")], plan=make_plan(plan_changes=CHANGES)), "INS006"
    )
    assert finding.amount_at_stake == _cents("420.00")
    assert finding.line_ids == ["1", "2"]
    assert "'Gold PPO'" in finding.message


def test_the_plan_in_force_spelled_differently_is_clean() -> None:
    assert_silent(
        run_check(CHECK, [_august_claim(" gold  ppo")], plan=make_plan(plan_changes=CHANGES)), "INS006"
    )


def test_a_claim_before_the_first_known_plan_is_not_judged() -> None:
    claim = make_claim(lines=[make_line(service_date=dt.date(2025, 12, 1))], plan_name="Bronze HMO")
    assert_silent(run_check(CHECK, [claim], plan=make_plan(plan_changes=CHANGES)), "INS006")


# --- INS007: coinsurance rate -------------------------------------------------------------------

RATES = {"coinsurance_in_network": 20, "coinsurance_out_of_network": 40}


def test_coinsurance_at_twice_the_plan_rate_is_reported_with_the_difference() -> None:
    line = make_line(
        allowed="500.00", plan_paid="300.00", coinsurance="200.00", patient_responsibility="200.00"
    )
    finding = only(run_check(CHECK, [make_claim(lines=[line])], plan=make_plan(**RATES)), "INS007")
    assert finding.amount_at_stake == _cents("100.00")
    assert "40.0%" in finding.message and "$100.00" in finding.message


def test_coinsurance_at_the_plan_rate_after_the_deductible_is_clean() -> None:
    line = make_line(
        allowed="500.00",
        plan_paid="240.00",
        deductible="200.00",
        coinsurance="60.00",
        patient_responsibility="260.00",
    )
    assert_silent(run_check(CHECK, [make_claim(lines=[line])], plan=make_plan(**RATES)))


def test_a_one_cent_rounding_difference_is_tolerated() -> None:
    line = make_line(
        allowed="333.33", plan_paid="266.65", coinsurance="66.68", patient_responsibility="66.68"
    )
    assert_silent(run_check(CHECK, [make_claim(lines=[line])], plan=make_plan(**RATES)), "INS007")


def test_out_of_network_lines_are_compared_with_the_out_of_network_rate() -> None:
    line = make_line(
        network="out",
        allowed="500.00",
        plan_paid="300.00",
        coinsurance="200.00",
        patient_responsibility="200.00",
    )
    assert_silent(run_check(CHECK, [make_claim(lines=[line])], plan=make_plan(**RATES)), "INS007")


# --- INS008: copay ----------------------------------------------------------------------------

COPAYS = {"primary_care": "25.00", "specialist": "60.00", "emergency": "250.00"}


def _office_line(copay: str) -> ServiceLine:
    return make_line(
        allowed="140.00",
        plan_paid=_cents("140.00") - _cents(copay),
        copay=copay,
        patient_responsibility=copay,
    )


def test_the_specialist_copay_charged_for_primary_care_is_reported_with_the_difference() -> None:
    claim = make_claim(lines=[_office_line("60.00")])
    finding = only(run_check(CHECK, [claim], plan=make_plan(copays=COPAYS)), "INS008")
    assert finding.amount_at_stake == _cents("35.00")
    assert "primary care copay is $25.00" in finding.message


def test_the_specialist_copay_for_a_specialist_is_clean() -> None:
    claim = make_claim(lines=[_office_line("60.00")], provider=SPECIALIST)
    assert_silent(run_check(CHECK, [claim], plan=make_plan(copays=COPAYS)))


def test_two_emergency_copays_on_one_visit_are_one_too_many() -> None:
    lines = [
        make_line(
            "1",
            code="99284",
            allowed="600.00",
            plan_paid="450.00",
            copay="150.00",
            patient_responsibility="150.00",
        ),
        make_line(
            "2",
            code="71046",
            allowed="200.00",
            plan_paid="50.00",
            copay="150.00",
            patient_responsibility="150.00",
        ),
    ]
    claim = make_claim(lines=lines, place_of_service="23")
    finding = only(run_check(CHECK, [claim], plan=make_plan(copays=COPAYS)), "INS008")
    assert finding.amount_at_stake == _cents("50.00")
    assert finding.line_ids == ["1", "2"]


def test_one_emergency_copay_per_visit_is_clean() -> None:
    lines = [
        make_line(
            "1",
            code="99284",
            allowed="600.00",
            plan_paid="350.00",
            copay="250.00",
            patient_responsibility="250.00",
        ),
        make_line(
            "2",
            code="71046",
            allowed="200.00",
            plan_paid="200.00",
            copay="0.00",
            patient_responsibility="0.00",
        ),
    ]
    claim = make_claim(lines=lines, place_of_service="23")
    assert_silent(run_check(CHECK, [claim], plan=make_plan(copays=COPAYS)))


# --- INS009-INS010: adjustment codes ------------------------------------------------------------


def _adjusted_line(
    responsibility: str, *adjustments: tuple[GroupCode, str, str], remarks: list[str] | None = None
) -> ServiceLine:
    return make_line(
        billed="300.00",
        allowed="200.00",
        plan_paid="150.00",
        coinsurance="50.00",
        patient_responsibility=responsibility,
        adjustments=[Adjustment(group=g, reason=r, amount=money(a)) for g, r, a in adjustments],
        remarks=remarks or [],
    )


def test_every_code_on_a_line_is_explained_in_plain_english_as_information() -> None:
    line = _adjusted_line("50.00", ("CO", "45", "100.00"), ("PR", "2", "50.00"), remarks=["N130"])
    finding = only(run_check(CHECK, [make_claim(lines=[line])]), "INS009")
    assert finding.severity == "info"
    assert finding.amount_at_stake == 0
    assert [e.value for e in finding.evidence] == ["CO-45 100.00", "PR-2 50.00", "N130"]
    assert "written off" in (finding.evidence[0].note or "")
    assert "coinsurance" in (finding.evidence[1].note or "")
    assert "CO-45 ($100.00)" in finding.message


def test_a_code_we_do_not_ship_says_so_instead_of_guessing() -> None:
    line = _adjusted_line("50.00", ("CO", "45", "100.00"), ("PR", "Z9", "50.00"))
    finding = only(run_check(CHECK, [make_claim(lines=[line])]), "INS009")
    assert "no explanation" in (finding.evidence[1].note or "")


def test_a_line_without_codes_needs_no_explanation() -> None:
    assert_silent(run_check(CHECK, [make_claim(lines=[_adjusted_line("50.00")])]))


def test_a_contractual_write_off_counted_in_your_share_is_an_error_for_that_amount() -> None:
    line = _adjusted_line("150.00", ("CO", "45", "100.00"), ("PR", "2", "50.00"))
    finding = only(run_check(CHECK, [make_claim(lines=[line])]), "INS010")
    assert finding.amount_at_stake == _cents("100.00")
    assert finding.confidence == "high"


def test_a_share_equal_to_the_pr_adjustments_is_clean() -> None:
    line = _adjusted_line("50.00", ("CO", "45", "100.00"), ("PR", "2", "50.00"))
    assert_silent(run_check(CHECK, [make_claim(lines=[line])]), "INS010")


def test_a_balanced_line_shows_part_of_the_other_groups_counted_as_yours() -> None:
    line = _adjusted_line("120.00", ("CO", "45", "60.00"), ("OA", "23", "40.00"), ("PR", "2", "50.00"))
    finding = only(run_check(CHECK, [make_claim(lines=[line])]), "INS010")
    assert finding.amount_at_stake == _cents("70.00")
    assert finding.confidence == "medium"


def test_an_unbalanced_line_whose_excess_matches_no_adjustment_is_not_judged() -> None:
    line = _adjusted_line("120.00", ("CO", "45", "60.00"), ("PR", "2", "50.00"))
    assert_silent(run_check(CHECK, [make_claim(lines=[line])]), "INS010")


def test_a_secondary_line_whose_prior_payment_is_an_oa_23_adjustment_still_balances() -> None:
    line = make_line(
        billed="250.00",
        allowed="200.00",
        plan_paid="30.00",
        prior_payer_paid="160.00",
        coinsurance="10.00",
        patient_responsibility="60.00",
        adjustments=[
            Adjustment(group="CO", reason="45", amount=money("50.00")),
            Adjustment(group="OA", reason="23", amount=money("160.00")),
            Adjustment(group="PR", reason="2", amount=money("10.00")),
        ],
    )
    finding = only(run_check(CHECK, [make_claim(lines=[line], coverage_position="secondary")]), "INS010")
    assert finding.amount_at_stake == _cents("50.00")
    assert finding.confidence == "high"


def test_a_replaced_claim_does_not_count_toward_the_deductible() -> None:
    plan = make_plan(deductible_individual="1000.00", deductible_met="800.00", coinsurance_in_network=20)
    replaced = _deductible_claim("old", dt.date(2026, 2, 10), "200.00", "0.00")
    replaced.related = [RelatedClaim(claim_id="new", relationship="replaced_by")]
    corrected = _deductible_claim("new", dt.date(2026, 2, 10), "100.00", "0.00")
    later = _deductible_claim("mar", dt.date(2026, 3, 5), "100.00", "0.00")
    assert_silent(run_check(CHECK, [replaced, corrected, later], plan=plan), "INS005")


def test_a_claim_of_last_plan_year_does_not_meet_this_years_deductible() -> None:
    plan = make_plan(deductible_individual="500.00", deductible_met="0.00", coinsurance_in_network=20)
    last_year = _deductible_claim("dec", dt.date(2025, 12, 10), "500.00", "0.00")
    this_year = _deductible_claim("jan", dt.date(2026, 1, 12), "200.00", "0.00")
    assert_silent(run_check(CHECK, [last_year, this_year], plan=plan), "INS005")


def test_urgent_care_and_inpatient_copays_follow_the_place_of_service() -> None:
    plan = make_plan(copays={"urgent_care": "75.00", "inpatient": "500.00", "primary_care": "25.00"})
    urgent = make_claim(
        "urgent",
        lines=[
            make_line(allowed="180.00", plan_paid="80.00", copay="100.00", patient_responsibility="100.00")
        ],
        place_of_service="20",
    )
    stay = make_claim(
        "stay",
        lines=[
            make_line(
                "1",
                service_date=dt.date(2026, 3, 2),
                allowed="9000.00",
                plan_paid="8500.00",
                copay="500.00",
                patient_responsibility="500.00",
            ),
            make_line(
                "2",
                service_date=dt.date(2026, 3, 3),
                allowed="4000.00",
                plan_paid="4000.00",
                copay="0.00",
                patient_responsibility="0.00",
            ),
        ],
        place_of_service="21",
    )
    findings = run_check(CHECK, [urgent, stay], plan=plan)
    assert only(findings, "INS008").claim_id == "urgent"
    assert only(findings, "INS008").amount_at_stake == _cents("25.00")


def _stay(days: int, copay: str) -> Claim:
    start = dt.date(2026, 3, 2)
    line = make_line(
        "1",
        service_date=start,
        allowed="9000.00",
        plan_paid="7500.00",
        copay=copay,
        patient_responsibility=copay,
    )
    return make_claim(
        "stay",
        lines=[line],
        place_of_service="21",
        service_start=start,
        service_end=start + dt.timedelta(days=days - 1),
    )


def test_a_stay_charged_the_inpatient_copay_once_per_day_is_only_worth_checking() -> None:
    """$1,500.00 is three times the $500.00 copay on a three-day stay: the plan may charge per day."""
    plan = make_plan(copays={"inpatient": "500.00"})
    finding = only(run_check(CHECK, [_stay(3, "1500.00")], plan=plan), "INS008")
    assert (finding.severity, finding.confidence) == ("warning", "low")
    assert "per day" in finding.message


def test_a_stay_charged_more_copays_than_it_had_days_is_an_error() -> None:
    plan = make_plan(copays={"inpatient": "500.00"})
    finding = only(run_check(CHECK, [_stay(2, "1500.00")], plan=plan), "INS008")
    assert (finding.severity, finding.amount_at_stake) == ("error", _cents("1000.00"))


def test_every_rule_has_full_docs_and_registry_references() -> None:
    for rule in CHECK.rules:
        assert rule.docs is not None
        assert all(
            section.strip()
            for section in (
                rule.docs.what_it_checks,
                rule.docs.why_it_matters,
                rule.docs.example,
                rule.docs.what_to_do,
            )
        ), rule.code
        if rule.code not in {"INS001", "INS002", "INS003", "INS004"}:
            assert rule.docs.references, rule.code


def test_a_write_off_equal_to_the_share_by_coincidence_is_not_judged_without_pr_adjustments() -> None:
    line = make_line(
        billed="200.00",
        allowed="100.00",
        plan_paid="0.00",
        deductible="100.00",
        patient_responsibility="100.00",
        adjustments=[Adjustment(group="CO", reason="45", amount=money("100.00"))],
    )
    assert_silent(run_check(CHECK, [make_claim(lines=[line])]), "INS010")

"""The standing an EOB prints (what is met of the deductible and the out-of-pocket maximum) as
evidence: its limits fill the plan, and what it says was met is a floor for every claim served
after its date, so a later claim charged past a limit is caught without the patient typing a plan."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from scanner.engine import scan
from scanner.model import Claim, Finding, Plan, PrintedAccumulators, ScanRequest
from scanner.standings import with_printed_limits
from scanner.testing import make_claim, make_line, make_plan, money

MARCH = dt.date(2026, 3, 28)


def _standing(**figures: str | dt.date | None) -> PrintedAccumulators:
    as_of = figures.pop("as_of", MARCH)
    assert as_of is None or isinstance(as_of, dt.date)
    return PrintedAccumulators(as_of=as_of, **{k: money(str(v)) for k, v in figures.items()})


def _march(standing: PrintedAccumulators) -> Claim:
    line = make_line(
        "1",
        code="70551",
        service_date=dt.date(2026, 3, 10),
        billed="2450.00",
        allowed="820.00",
        plan_paid="0.00",
        deductible="820.00",
        patient_responsibility="820.00",
    )
    return make_claim("march", [line], processed_date=MARCH, accumulators=standing)


def _later(day: dt.date, **amounts: Any) -> Claim:
    amounts.setdefault("coinsurance", "30.00")
    amounts.setdefault("patient_responsibility", "30.00")
    line = make_line("1", code="99214", service_date=day, billed="400.00", allowed="150.00", **amounts)
    return make_claim("later", [line])


def _findings(*claims: Claim, plan: Plan | None = None, rule: str) -> list[Finding]:
    result = scan(ScanRequest(claims=list(claims), plan=plan, as_of=dt.date(2026, 7, 2)))
    return [f for f in result.findings if f.rule == rule]


MET = _standing(oop_max="4000.00", oop_met="4000.00", deductible="1500.00", deductible_met="1500.00")


def test_a_claim_after_an_eob_printed_the_maximum_met_is_charged_after_the_maximum() -> None:
    [finding] = _findings(_march(MET), _later(dt.date(2026, 6, 15), plan_paid="120.00"), rule="OOP001")
    assert (finding.claim_id, finding.amount_at_stake) == ("later", money("30.00"))
    assert "the EOB dated 2026-03-28 prints $4,000.00 met" in finding.message
    printed = {e.field: e for e in finding.evidence}["individual_oop_met_printed"]
    assert (printed.value, printed.note) == ("4000.00", "printed by the insurer on the EOB dated 2026-03-28")


def test_a_deductible_applied_after_an_eob_printed_it_met_is_at_stake() -> None:
    later = _later(
        dt.date(2026, 6, 15),
        plan_paid="50.00",
        deductible="100.00",
        coinsurance="0.00",
        patient_responsibility="100.00",
    )
    [finding] = _findings(
        _march(_standing(deductible="1500.00", deductible_met="1500.00")), later, rule="INS005"
    )
    assert (finding.claim_id, finding.amount_at_stake) == ("later", money("100.00"))
    assert "(the EOB dated 2026-03-28 prints $1,500.00 met)" in finding.message


def test_a_maximum_the_eob_printed_as_not_yet_met_leaves_a_later_claim_clean() -> None:
    standing = _standing(oop_max="4000.00", oop_met="3000.00")
    assert _findings(_march(standing), _later(dt.date(2026, 6, 15), plan_paid="120.00"), rule="OOP001") == []


def test_a_claim_served_before_the_eobs_date_may_be_in_its_figure_and_is_not_judged_by_it() -> None:
    """Served on 03/20, before the EOB of 03/28: the insurer may have counted it in the $4,000."""
    assert _findings(_march(MET), _later(dt.date(2026, 3, 20), plan_paid="120.00"), rule="OOP001") == []


def test_an_undated_standing_is_no_floor() -> None:
    undated = msgspec.structs.replace(MET, as_of=None)
    assert _findings(_march(undated), _later(dt.date(2026, 6, 15), plan_paid="120.00"), rule="OOP001") == []


def test_a_standing_from_another_plan_year_is_no_floor() -> None:
    plan = make_plan(plan_year_start=dt.date(2026, 4, 1), plan_year_end=dt.date(2027, 3, 31))
    claims = (_march(MET), _later(dt.date(2026, 6, 15), plan_paid="120.00"))
    assert _findings(*claims, plan=plan, rule="OOP001") == []


def test_the_printed_limits_fill_only_what_the_typed_plan_leaves_out() -> None:
    claims = [_march(_standing(oop_max="4000.00", deductible="1500.00", family_oop_max="8000.00"))]
    typed = make_plan(oop_max_individual="3500.00")
    filled = with_printed_limits(typed, claims)
    assert filled is not None
    assert (filled.oop_max_individual, filled.deductible_individual, filled.oop_max_family) == (
        money("3500.00"),
        money("1500.00"),
        money("8000.00"),
    )
    untyped = with_printed_limits(None, claims)
    assert untyped is not None and untyped.coverage_tier == "family"
    assert with_printed_limits(typed, [_later(dt.date(2026, 6, 15))]) is typed

"""The accumulator replay: deductible and out-of-pocket met, per member and family, claim by claim."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from scanner.accumulators import charged, ledger, replay
from scanner.model import Amounts, Claim, Party, RelatedClaim
from scanner.money import Money
from scanner.testing import make_claim, make_line, make_plan


def _day(month: int, day: int = 1, year: int = 2026) -> dt.date:
    return dt.date(year, month, day)


def _claim(id: str, month: int, member: str = "self", **amounts: str) -> Claim:
    return make_claim(id, [make_line(service_date=_day(month), **amounts)], member=member)


INDIVIDUAL = make_plan(
    deductible_individual="1000.00",
    oop_max_individual="3000.00",
    deductible_met="200.00",
    oop_met="200.00",
)

FAMILY = make_plan(
    coverage_tier="family",
    deductible_individual="1000.00",
    deductible_family="2000.00",
    oop_max_individual="3000.00",
    oop_max_family="6000.00",
    deductible_met="0.00",
    oop_met="0.00",
)


def test_the_ledger_starts_from_the_plan_and_adds_each_claim_in_service_date_order() -> None:
    february = _claim("feb", 2, deductible="500.00", coinsurance="100.00")
    march = _claim("mar", 3, deductible="500.00", coinsurance="50.00")

    entries = ledger([march, february], INDIVIDUAL)

    assert [(e.claim_id, e.deductible_met, e.oop_met) for e in entries] == [
        ("feb", Money(70000), Money(80000)),
        ("mar", Money(100000), Money(135000)),
    ]
    assert [(e.deductible_applied, e.oop_applied) for e in entries] == [
        (Money(50000), Money(60000)),
        (Money(50000), Money(55000)),
    ]
    assert not any(e.partial or e.deductible_partial or e.oop_partial for e in entries)


def test_a_deductible_printed_with_coinsurance_leaves_only_the_deductible_a_lower_bound() -> None:
    """All of a "Deductible/Coinsurance" figure counts toward the out-of-pocket maximum, so that
    figure stays exact; how much of it went to the deductible is unknown."""
    entry = ledger([_claim("feb", 2, deductible_and_cost_sharing="300.00")], INDIVIDUAL)[0]

    assert (entry.deductible_met, entry.oop_met) == (Money(20000), Money(50000))
    assert (entry.deductible_partial, entry.oop_partial, entry.partial) == (True, False, True)


def test_a_line_that_crosses_the_deductible_shows_what_was_left_and_the_excess() -> None:
    result = replay(
        [_claim("feb", 2, deductible="500.00"), _claim("mar", 3, deductible="500.00")], INDIVIDUAL
    )

    state = result.line("mar", "1")
    assert state is not None
    assert state.deductible_left == 30000
    assert state.deductible_excess == 20000
    assert state.deductible_exact


def test_cost_sharing_after_the_oop_maximum_is_all_excess() -> None:
    plan = make_plan(oop_max_individual="1000.00", oop_met="950.00")
    result = replay([_claim("a", 2, coinsurance="80.00"), _claim("b", 3, copay="40.00")], plan)

    first, second = result.line("a", "1"), result.line("b", "1")
    assert first is not None and second is not None
    assert (first.oop_left, first.oop_excess) == (5000, 3000)
    assert (second.oop_left, second.oop_excess) == (0, 4000)


def test_the_deductible_counts_toward_the_oop_maximum_and_met_figures_never_exceed_the_limit() -> None:
    plan = make_plan(
        deductible_individual="500.00", oop_max_individual="600.00", deductible_met="0.00", oop_met="0.00"
    )
    entries = ledger([_claim("a", 2, deductible="500.00", coinsurance="300.00")], plan)

    assert (entries[0].deductible_met, entries[0].oop_met) == (Money(50000), Money(60000))
    assert entries[0].oop_applied == Money(80000)


def test_a_member_of_a_family_plan_meets_the_embedded_individual_deductible() -> None:
    result = replay(
        [
            _claim("a1", 2, member="self", deductible="1000.00"),
            _claim("a2", 3, member="self", deductible="150.00"),
            _claim("b1", 4, member="child-1", deductible="150.00"),
        ],
        FAMILY,
    )

    own = result.line("a2", "1")
    other = result.line("b1", "1")
    assert own is not None and other is not None
    assert own.deductible_limit is not None and own.deductible_limit.scope == "individual"
    assert (own.deductible_left, own.deductible_excess) == (0, 15000)
    assert own.deductible_limit.assumed_embedded
    assert (other.deductible_left, other.deductible_excess) == (85000, 0)


def test_the_family_deductible_binds_once_the_family_total_is_met() -> None:
    result = replay(
        [
            _claim("a", 2, member="self", deductible="900.00"),
            _claim("b", 3, member="spouse", deductible="900.00"),
            _claim("c", 4, member="child-1", deductible="300.00"),
        ],
        FAMILY,
    )

    state = result.line("c", "1")
    assert state is not None
    assert state.deductible_limit is not None and state.deductible_limit.scope == "family"
    assert (state.deductible_left, state.deductible_excess) == (20000, 10000)
    last = result.ledger[-1]
    assert (last.member, last.deductible_met, last.family_deductible_met) == (
        "child-1",
        Money(30000),
        Money(200000),
    )


def test_on_a_family_tier_a_members_own_share_before_the_scan_is_unknown() -> None:
    plan = make_plan(
        coverage_tier="family",
        deductible_individual="1000.00",
        deductible_family="2000.00",
        deductible_met="600.00",
        oop_met="600.00",
    )
    result = replay([_claim("a", 2, deductible="100.00")], plan)

    entry = result.ledger[0]
    assert (entry.deductible_met, entry.family_deductible_met) == (Money(10000), Money(70000))
    assert entry.partial
    state = result.line("a", "1")
    assert state is not None and not state.deductible_exact


def test_claims_outside_the_plan_year_are_not_mixed_in() -> None:
    last_year = make_claim("old", [make_line(service_date=_day(12, 20, 2025), deductible="800.00")])
    this_year = _claim("new", 2, deductible="300.00")

    result = replay([last_year, this_year], make_plan(deductible_individual="1000.00", deductible_met="0.00"))

    old = result.line("old", "1")
    assert old is not None and not old.counted and old.reason == "outside the plan year"
    assert [e.claim_id for e in result.ledger] == ["new"]
    assert result.ledger[0].deductible_met == Money(30000)


def test_a_line_with_unknown_amounts_makes_later_figures_lower_bounds_instead_of_guessing() -> None:
    plan = make_plan(deductible_individual="1000.00", deductible_met="900.00")
    unknown = make_claim("u", [make_line(service_date=_day(2), patient_responsibility="250.00")])
    later = _claim("k", 3, deductible="300.00")

    result = replay([unknown, later], plan)

    first, second = result.ledger
    assert (first.deductible_met, first.deductible_applied, first.partial) == (Money(90000), None, True)
    assert (second.deductible_met, second.partial) == (Money(100000), True)
    state = result.line("k", "1")
    assert state is not None
    assert state.deductible_excess == 20000
    assert not state.deductible_exact


def test_without_a_starting_amount_the_ledger_is_partial() -> None:
    plan = make_plan(deductible_individual="1000.00")
    entry = ledger([_claim("a", 2, deductible="100.00")], plan)[0]
    assert (entry.deductible_met, entry.partial) == (Money(10000), True)


def test_a_claim_replaced_by_another_claim_of_the_scan_is_left_out() -> None:
    plan = make_plan(deductible_individual="1000.00", deductible_met="0.00", oop_met="0.00")
    original = make_claim(
        "orig",
        [make_line(service_date=_day(2), deductible="400.00")],
        related=[RelatedClaim(claim_id="redo", relationship="replaced_by")],
    )
    redo = make_claim("redo", [make_line(service_date=_day(2), deductible="250.00")], status="adjusted")
    replaced_the_other_way = make_claim("old2", [make_line(service_date=_day(3), deductible="90.00")])
    redo2 = make_claim(
        "new2",
        [make_line(service_date=_day(3), deductible="60.00")],
        related=[RelatedClaim(claim_id="old2", relationship="replaces")],
    )

    result = replay([original, redo, replaced_the_other_way, redo2], plan)

    assert set(result.excluded) == {"orig", "old2"}
    assert [e.claim_id for e in result.ledger] == ["redo", "new2"]
    assert result.ledger[-1].deductible_met == Money(31000)


def test_a_reversal_line_takes_its_amounts_back() -> None:
    plan = make_plan(deductible_individual="1000.00", deductible_met="0.00", oop_met="0.00")
    claim = make_claim(
        "adj",
        [
            make_line("1", service_date=_day(2), billed="300.00", deductible="300.00"),
            make_line("2", service_date=_day(2), billed="-300.00", deductible="-300.00"),
            make_line("3", service_date=_day(2), billed="200.00", deductible="120.00"),
        ],
    )

    entry = ledger([claim], plan)[0]

    assert (entry.deductible_met, entry.deductible_applied) == (Money(12000), Money(12000))


def test_the_reversal_of_another_claims_line_is_replayed_before_the_corrected_line() -> None:
    """The adjustment prints the corrected line first: the reversal still frees the deductible
    March's claim met before the corrected line takes it again."""
    plan = make_plan(deductible_individual="500.00", deductible_met="0.00", oop_met="0.00")
    original = make_claim("mar", [make_line("1", service_date=_day(3), billed="600.00", deductible="500.00")])
    adjusted = make_claim(
        "apr",
        [
            make_line("3", service_date=_day(3), billed="550.00", deductible="500.00"),
            make_line("2", service_date=_day(3), billed="-600.00", deductible="-500.00"),
        ],
    )

    result = replay([original, adjusted], plan)

    state = result.line("apr", "3")
    assert state is not None and state.deductible_left == 50000
    assert result.ledger[-1].deductible_met == Money(50000)


def test_the_reversal_of_a_claim_already_left_out_is_not_subtracted_twice() -> None:
    plan = make_plan(deductible_individual="1000.00", deductible_met="0.00", oop_met="0.00")
    original = make_claim("orig", [make_line(service_date=_day(2), deductible="300.00")])
    adjusted = make_claim(
        "adj",
        [
            make_line("1", service_date=_day(2), deductible="-300.00"),
            make_line("2", service_date=_day(2), deductible="180.00"),
        ],
        related=[RelatedClaim(claim_id="orig", relationship="replaces")],
    )

    entry = ledger([original, adjusted], plan)[0]

    assert (entry.claim_id, entry.deductible_met) == ("adj", Money(18000))


def test_out_of_network_cost_sharing_has_limits_of_its_own() -> None:
    plan = make_plan(deductible_individual="1000.00", deductible_met="0.00", oop_met="0.00")
    out = make_claim(
        "out",
        [make_line(service_date=_day(2), network="out", deductible="700.00")],
        provider=Party(name="Faraway Clinic", network="out", role="specialist"),
    )

    result = replay([out], plan)

    state = result.line("out", "1")
    assert state is not None and not state.counted
    assert result.ledger[0].deductible_met == Money(0)


def test_protected_emergency_care_out_of_network_counts_toward_the_in_network_limits() -> None:
    plan = make_plan(deductible_individual="1000.00", deductible_met="0.00", oop_met="0.00")
    er = make_claim(
        "er",
        [
            make_line(
                service_date=_day(2), network="out", code="99284", code_system="CPT", deductible="700.00"
            )
        ],
        provider=Party(name="Valley ER Physicians", network="out", role="emergency"),
        emergency=True,
    )

    assert ledger([er], plan)[0].deductible_met == Money(70000)


def test_emergency_care_whose_network_is_not_printed_counts_toward_the_in_network_limits() -> None:
    """In network or out, emergency cost sharing counts toward the in-network limits."""
    plan = make_plan(deductible_individual="1000.00", deductible_met="0.00", oop_met="0.00")
    er = make_claim(
        "er",
        [
            make_line(
                service_date=_day(2), network="unknown", code="99284", code_system="CPT", deductible="700.00"
            )
        ],
        provider=Party(name="Valley ER Physicians", role="emergency"),
        emergency=True,
    )

    assert ledger([er], plan)[0].deductible_met == Money(70000)


def test_a_line_whose_network_is_not_printed_does_not_count_and_makes_later_figures_lower_bounds() -> None:
    plan = make_plan(deductible_individual="1000.00", deductible_met="0.00", oop_met="0.00")
    unknown = make_claim(
        "u",
        [make_line(service_date=_day(2), network="unknown", deductible="400.00")],
        provider=Party(name="Unlisted Clinic"),
    )

    result = replay([unknown, _claim("k", 3, deductible="100.00")], plan)

    state = result.line("u", "1")
    assert state is not None and (state.counted, state.reason) == (False, "network level not printed")
    assert [(e.deductible_met, e.partial) for e in result.ledger] == [(Money(0), True), (Money(10000), True)]


def test_pending_dental_and_vision_claims_are_left_out() -> None:
    claims = [
        make_claim("p", [make_line(service_date=_day(2), deductible="100.00")], status="pending"),
        make_claim("d", [make_line(service_date=_day(2), deductible="100.00")], claim_type="dental"),
        make_claim("v", [make_line(service_date=_day(2), deductible="100.00")], claim_type="vision"),
    ]
    result = replay(claims, INDIVIDUAL)
    assert set(result.excluded) == {"p", "d", "v"}
    assert result.ledger == ()


def test_a_claim_printed_without_lines_counts_its_totals() -> None:
    plan = make_plan(deductible_individual="1000.00", deductible_met="0.00", oop_met="0.00")
    claim = make_claim(
        "t", [], service_start=_day(2), totals=Amounts(deductible=Money(25000), coinsurance=Money(4000))
    )

    entry = ledger([claim], plan)[0]

    assert (entry.deductible_met, entry.oop_met) == (Money(25000), Money(29000))


@pytest.mark.parametrize("network", ["in", "out"])
def test_a_hospitals_own_claim_printed_without_lines_counts_at_the_hospitals_network(network: str) -> None:
    """No provider named: the facility billed it, and its network decides whether it counts."""
    plan = make_plan(deductible_individual="1000.00", deductible_met="0.00", oop_met="0.00")
    hospital = Party(name="Lakeside General Hospital", network=network, role="facility")  # type: ignore[arg-type]
    claim = make_claim(
        "t",
        [],
        service_start=_day(2),
        provider=None,
        facility=hospital,
        totals=Amounts(deductible=Money(25000), coinsurance=Money(4000)),
    )

    entry = ledger([claim], plan)[0]

    counted = network == "in"
    assert (entry.oop_met, entry.partial) == (Money(29000 if counted else 0), False)


def test_without_a_plan_year_the_calendar_year_is_assumed_and_findings_are_not_exact() -> None:
    plan = make_plan(
        deductible_individual="1000.00", deductible_met="0.00", plan_year_start=None, plan_year_end=None
    )
    result = replay([_claim("a", 2, deductible="100.00")], plan)

    assert result.plan_year == (_day(1, 1), _day(12, 31))
    assert result.plan_year_assumed
    state = result.line("a", "1")
    assert state is not None and not state.deductible_exact


def test_a_plan_year_from_its_start_alone_runs_twelve_months() -> None:
    plan = make_plan(plan_year_start=_day(7, 1, 2025), plan_year_end=None)
    result = replay([_claim("a", 2)], plan)
    assert result.plan_year == (_day(7, 1, 2025), _day(6, 30, 2026))
    assert not result.plan_year_assumed


def test_without_a_plan_there_are_no_limits_and_no_excess() -> None:
    result = replay([_claim("a", 2, deductible="5000.00")], None)
    state = result.line("a", "1")
    assert state is not None
    assert state.deductible_limits == () and state.deductible_excess == 0
    assert result.ledger[0].partial


def test_the_replay_does_not_depend_on_the_order_claims_arrive_in() -> None:
    claims = [
        _claim("a", 2, member="self", deductible="600.00"),
        _claim("b", 3, member="child-1", deductible="700.00", coinsurance="90.00"),
        _claim("c", 4, member="self", deductible="600.00", copay="30.00"),
        _claim("d", 5, member="spouse", deductible="900.00"),
    ]
    expected = replay(claims, FAMILY)
    for permutation in itertools.permutations(claims):
        again = replay(list(permutation), FAMILY)
        assert again.ledger == expected.ledger
        assert dict(again.lines) == dict(expected.lines)


def test_what_a_line_charged_is_read_from_its_breakdown_or_left_unknown() -> None:
    assert charged(make_line(deductible="50.00", coinsurance="20.00")) == (5000, 7000)
    assert charged(make_line(copay="30.00")) == (0, 3000)
    assert charged(make_line(patient_responsibility="80.00")) == (None, None)
    assert charged(make_line(patient_responsibility="80.00", not_covered="80.00")) == (0, 0)
    assert charged(make_line(denied=True)) == (0, 0)
    assert charged(make_line(patient_responsibility="0.00")) == (0, 0)

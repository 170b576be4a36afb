"""A correction that takes cost sharing off an earlier claim hands the deductible, or the room
under the out-of-pocket maximum, to the later claims of the year: the total counts only what it
saves over the year, and each finding keeps its own amount."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plugins.checks.balance_billing import BalanceBillingCheck
from plugins.checks.insurer_processing import InsurerProcessingCheck
from plugins.checks.oop_max import OopMaxCheck
from scanner.cli import main
from scanner.linked_stakes import DEDUCTIBLE_FIELD, YEAR_FIELD, linked_evidence
from scanner.model import Claim, Finding, ScanResult, encode
from scanner.testing import (
    assert_checks_ok,
    make_bill,
    make_bill_line,
    make_claim,
    make_line,
    make_plan,
    make_request,
    only,
    scan_with,
)

CHECKS = [InsurerProcessingCheck(), OopMaxCheck()]
RATE = 20


def _plan(**kwargs: object) -> object:
    values: dict[str, object] = {
        "deductible_individual": "1000.00",
        "deductible_met": "0.00",
        "oop_max_individual": "5000.00",
        "oop_met": "0.00",
        "coinsurance_in_network": RATE,
    }
    values.update(kwargs)
    return make_plan(**values)


def _adjudicated(allowed: int, deductible_left: int, oop_left: int) -> tuple[int, int, int]:
    """(deductible, coinsurance, plan paid) the usual way, in cents, capped at the maximum."""
    deductible = min(deductible_left, allowed)
    coinsurance = (allowed - deductible) * RATE // 100
    if deductible + coinsurance > oop_left:
        deductible = min(deductible, oop_left)
        coinsurance = oop_left - deductible
    return deductible, coinsurance, allowed - deductible - coinsurance


def _processed(
    id: str, day: dt.date, allowed: int, deductible: int, coinsurance: int, **line: object
) -> Claim:
    """A one-line in-network claim with its deductible and coinsurance, the plan paying the rest."""
    processed = make_line(
        "1",
        service_date=day,
        allowed=allowed,
        plan_paid=allowed - deductible - coinsurance,
        deductible=deductible,
        coinsurance=coinsurance,
        copay=0,
        patient_responsibility=deductible + coinsurance,
        **line,
    )
    return make_claim(id, [processed])


def _care(id: str, month: int, allowed: int, deductible: int, coinsurance: int) -> Claim:
    """A surgery (no code, so no price benchmark)."""
    return _processed(id, dt.date(2026, month, 10), allowed, deductible, coinsurance, billed=allowed * 2)


def _wellness(id: str, month: int, allowed: int, deductible: int, coinsurance: int) -> Claim:
    """A well visit (99396, Z00.00) processed as if it were not preventive."""
    return _processed(
        id,
        dt.date(2026, month, 3),
        allowed,
        deductible,
        coinsurance,
        billed=allowed,
        code="99396",
        code_system="CPT",
        diagnoses=["Z00.00"],
    )


def _scan(*claims: Claim, **plan: object) -> ScanResult:
    result = scan_with(CHECKS, list(claims), plan=_plan(**plan))
    assert_checks_ok(result)
    return result


def _year_note(finding: Finding) -> str | None:
    evidence = linked_evidence(finding)
    return evidence.value if evidence is not None and evidence.field == YEAR_FIELD else None


def test_a_well_visit_billed_to_a_deductible_met_later_saves_only_the_plans_share_of_it() -> None:
    # January: the well visit's $200 went to the deductible. June: the insurer took the $800 left
    # and 20% of the rest. Corrected, June takes $1,000: $200 that the plan paid 80% of becomes the
    # patient's, $160 more. Over the year the correction saves $40.
    result = _scan(_wellness("jan", 1, 20_000, 20_000, 0), _care("june", 6, 500_000, 80_000, 84_000))

    preventive = only(result.findings, "PRV001")
    assert preventive.amount_at_stake == 20_000
    assert _year_note(preventive) == "40.00"
    assert "about $160.00 more" in (linked_evidence(preventive).note or "")  # type: ignore[union-attr]
    assert result.summary.amount_at_stake == 4_000
    assert result.summary.by_class == {"insurer_processing": 20_000}


def test_what_a_bill_asks_above_the_eob_is_not_lowered_by_what_the_correction_costs_later() -> None:
    """The same year, and the well visit's bill asks $350.00 where the EOB says $200.00 (BAL001,
    $150.00 above the EOB's share). Correcting the EOB saves $40.00 over the year; the bill's
    $150.00 above the EOB is no correction of it and stays whole: $150.00 + $40.00."""
    visit_day = dt.date(2026, 1, 3)
    bill = make_bill(
        claim_id="jan",
        amount_due="350.00",
        lines=[make_bill_line(service_date=visit_day, code="99396", patient_balance="350.00")],
    )
    claims = [_wellness("jan", 1, 20_000, 20_000, 0), _care("june", 6, 500_000, 80_000, 84_000)]
    result = scan_with([*CHECKS, BalanceBillingCheck()], claims, plan=_plan(), bills=[bill])
    assert_checks_ok(result)

    balance_bill = only(result.findings, "BAL001")
    assert balance_bill.amount_at_stake == 15_000
    assert _year_note(balance_bill) is None
    assert _year_note(only(result.findings, "PRV001")) == "40.00"
    assert result.summary.amount_at_stake == 15_000 + 4_000


def test_a_deductible_not_met_later_in_the_year_leaves_the_correction_whole() -> None:
    # The clean twin: June's care is all deductible and the year ends with $300 of it unmet.
    result = _scan(_wellness("jan", 1, 20_000, 20_000, 0), _care("june", 6, 50_000, 50_000, 0))

    preventive = only(result.findings, "PRV001")
    assert _year_note(preventive) is None
    assert result.summary.amount_at_stake == 20_000


def test_a_later_copay_visit_does_not_take_the_deductible() -> None:
    """A copay-only visit (no deductible, no coinsurance) is one the deductible does not apply to."""
    visit = make_line(
        "1",
        service_date=dt.date(2026, 6, 10),
        allowed=15_000,
        plan_paid=12_500,
        copay=2_500,
        deductible=0,
        coinsurance=0,
        patient_responsibility=2_500,
    )
    result = _scan(_wellness("jan", 1, 20_000, 20_000, 0), make_claim("june", [visit]))

    assert _year_note(only(result.findings, "PRV001")) is None
    assert result.summary.amount_at_stake == 20_000


def test_a_maximum_reached_later_takes_back_all_of_the_correction() -> None:
    # The deductible was already met. January's well visit was charged 20% ($40); in June the
    # patient reached the $5,000 maximum, which capped June. Corrected, June charges $40 more:
    # over the year the patient pays the maximum either way.
    result = _scan(
        _wellness("jan", 1, 20_000, 0, 4_000),
        _care("june", 6, 3_000_000, 0, 496_000),
        deductible_met="1000.00",
        oop_met="0.00",
    )

    preventive = only(result.findings, "PRV001")
    assert preventive.amount_at_stake == 4_000
    assert _year_note(preventive) == "0.00"
    assert result.summary.amount_at_stake == 0


def test_an_excess_deductible_later_is_not_counted_on_top_of_the_earlier_one() -> None:
    # January's well visit: $200 to the deductible. June: the insurer applied the whole $1,000, so
    # by the tally it overshot by $200 (OOP002: $160 once June's 20% on it is counted). Correcting
    # January makes June right, and not correcting it makes June $160 too high: $200 at most.
    result = _scan(_wellness("jan", 1, 20_000, 20_000, 0), _care("june", 6, 500_000, 100_000, 80_000))

    overshoot = only(result.findings, "OOP002")
    assert overshoot.amount_at_stake == 16_000
    evidence = linked_evidence(overshoot)
    assert evidence is not None and (evidence.field, evidence.value) == (DEDUCTIBLE_FIELD, "0.00")
    assert result.summary.amount_at_stake == 20_000


def test_the_table_says_what_the_correction_saves_over_the_year(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    claims = [_wellness("jan", 1, 20_000, 20_000, 0), _care("june", 6, 500_000, 80_000, 84_000)]
    request = tmp_path / "year.json"
    request.write_bytes(encode(make_request(claims, plan=_plan())))
    main(["scan", str(request)])
    out = capsys.readouterr().out

    assert "Total at stake: $40.00" in out
    assert "PRV001 on claim jan counts $40.00 in the total: corrected, it would reach the deductible" in out


# --- the rule, stated independently: a year processed twice -------------------------------

visits = st.lists(
    st.tuples(st.booleans(), st.integers(1, 60)),  # (a well visit processed as care, hundreds of dollars)
    min_size=1,
    max_size=6,
)


def _year(
    year: list[tuple[bool, int]],
    deductible: int,
    oop_max: int,
    as_processed: list[tuple[int, int, int]] | None = None,
) -> list[tuple[int, int, int]]:
    """Each visit's (deductible, coinsurance, plan paid) in order, the tallies running. With
    ``as_processed``, the year reprocessed: the well visits free, and the other visits again,
    except one that charged nothing (nothing on it says the deductible or coinsurance apply)."""
    deductible_met = oop_met = 0
    out = []
    for index, (wellness, hundreds) in enumerate(year):
        allowed = hundreds * 10_000
        if as_processed is not None and (wellness or sum(as_processed[index][:2]) == 0):
            out.append(as_processed[index] if not wellness else (0, 0, allowed))
            continue
        d, c, paid = _adjudicated(allowed, max(deductible - deductible_met, 0), max(oop_max - oop_met, 0))
        deductible_met += d
        oop_met += d + c
        out.append((d, c, paid))
    return out


@settings(max_examples=150, deadline=None)
@given(visits, st.sampled_from([50_000, 100_000, 200_000]), st.sampled_from([150_000, 300_000, 600_000]))
def test_the_total_is_what_the_corrections_save_over_the_year(
    year: list[tuple[bool, int]], deductible: int, oop_max: int
) -> None:
    """The insurer processed every well visit as ordinary care, each claim against its running
    tallies. The total at stake is what the patient pays over the year as processed less what
    they would pay with the well visits free and every later claim reprocessed."""
    as_processed = _year(year, deductible, oop_max)
    corrected = _year(year, deductible, oop_max, as_processed)
    claims = [
        (_wellness if wellness else _care)(f"c{i}", i + 1, hundreds * 10_000, d, c)
        for i, ((wellness, hundreds), (d, c, _)) in enumerate(zip(year, as_processed, strict=True))
    ]
    result = scan_with(
        CHECKS,
        claims,
        plan=_plan(
            deductible_individual=deductible,
            oop_max_individual=oop_max,
            deductible_met="0.00",
            oop_met="0.00",
        ),
    )

    assert_checks_ok(result)
    paid = sum(d + c for d, c, _ in as_processed)
    owed = sum(d + c for d, c, _ in corrected)
    assert result.summary.amount_at_stake == paid - owed

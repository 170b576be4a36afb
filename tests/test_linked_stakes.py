"""The total at stake counts a line past the out-of-pocket maximum only beyond what correcting the
earlier overcharges of the plan year would leave; each finding keeps its own amount."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plugins.checks.balance_billing import BalanceBillingCheck
from plugins.checks.insurer_processing import InsurerProcessingCheck
from plugins.checks.network import NetworkCheck
from plugins.checks.oop_max import OopMaxCheck
from scanner.cli import main
from scanner.linked_stakes import EVIDENCE_FIELD
from scanner.model import Claim, Finding, Party, ScanResult, encode
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

PLAN = make_plan(
    deductible_individual="500.00",
    oop_max_individual="3000.00",
    deductible_met="500.00",
    oop_met="500.00",
    coinsurance_in_network=20,
    coinsurance_out_of_network=40,
)


def _claim(id: str, month: int, allowed: str, coinsurance: str, **kwargs: Any) -> Claim:
    """An in-network claim with no code (so no price benchmark) and coinsurance as the only share."""
    allowed_cents, coinsurance_cents = int(allowed.replace(".", "")), int(coinsurance.replace(".", ""))
    day = dt.date(2026, month, 2)
    network = kwargs.pop("network", "in")
    line = make_line(
        "1",
        service_date=day,
        network=network,
        billed=allowed_cents * 2,
        allowed=allowed_cents,
        plan_paid=allowed_cents - coinsurance_cents,
        coinsurance=coinsurance_cents,
        deductible=0,
        copay=0,
        patient_responsibility=coinsurance_cents,
    )
    kwargs.setdefault("provider", Party(name="Example Specialists", network=network, role="specialist"))
    return make_claim(id, [line], **kwargs)


def _scan(*claims: Claim) -> ScanResult:
    result = scan_with(CHECKS, list(claims), plan=PLAN)
    assert_checks_ok(result)
    return result


def _linked_evidence(finding: Finding) -> str | None:
    """The evidence row as the wire carries it."""
    return next((e.value for e in finding.evidence if e.field == EVIDENCE_FIELD), None)


def test_an_earlier_coinsurance_overcharge_is_not_counted_again_past_the_maximum() -> None:
    # March: 40% of $5,000 where the plan says 20%, $1,000 too much. The insurer's tally then
    # reaches $2,500 of $3,000, so May's $2,000 is $1,500 past the maximum. Corrected, March
    # counts $1,000, $1,500 is left, and only $500 of May stays above it: $1,500 in all.
    result = _scan(_claim("march", 3, "5000.00", "2000.00"), _claim("may", 5, "10000.00", "2000.00"))

    assert only(result.findings, "INS007").amount_at_stake == 100_000
    oop = only(result.findings, "OOP001")
    assert oop.amount_at_stake == 150_000
    assert _linked_evidence(oop) == "500.00"
    assert result.summary.amount_at_stake == 150_000
    assert result.summary.by_class == {"insurer_processing": 100_000, "oop_max": 150_000}
    assert result.summary.total_by_severity["error"] == 150_000


def test_a_larger_earlier_overcharge_leaves_nothing_past_the_maximum_in_the_total() -> None:
    # March: 60% of $4,000 where the plan says 20%: $1,600 too much; the tally reaches $2,900,
    # so $300 of May's $400 is past the maximum. Corrected, $1,700 of the maximum was left.
    result = _scan(_claim("march", 3, "4000.00", "2400.00"), _claim("may", 5, "2000.00", "400.00"))

    assert only(result.findings, "INS007").amount_at_stake == 160_000
    assert only(result.findings, "OOP001").amount_at_stake == 30_000
    assert _linked_evidence(only(result.findings, "OOP001")) == "0.00"
    assert result.summary.amount_at_stake == 160_000


def test_without_an_earlier_overcharge_the_excess_counts_in_full() -> None:
    # The clean twin: March at the plan's 20%, and the tally already near the maximum.
    result = scan_with(
        CHECKS,
        [_claim("march", 3, "5000.00", "1000.00"), _claim("may", 5, "10000.00", "2000.00")],
        plan=make_plan(
            oop_max_individual="3000.00", oop_met="1500.00", coinsurance_in_network=20, deductible_met="0.00"
        ),
    )

    oop = only(result.findings, "OOP001")
    assert oop.amount_at_stake == 150_000
    assert _linked_evidence(oop) is None
    assert result.summary.amount_at_stake == 150_000


def test_a_balance_bill_on_an_earlier_line_leaves_the_tally_and_the_later_excess_as_they_are() -> None:
    """March is charged correctly, but the provider's bill asks $250.00 more than the EOB (BAL001).
    Disputing the bill changes nothing in the insurer's tally, so May's excess past the maximum
    counts in full beside it."""
    plan = make_plan(
        oop_max_individual="3000.00", oop_met="1500.00", coinsurance_in_network=20, deductible_met="0.00"
    )
    march, may = _claim("march", 3, "5000.00", "1000.00"), _claim("may", 5, "10000.00", "2000.00")
    bill = make_bill(
        claim_id="march",
        amount_due="1250.00",
        lines=[
            make_bill_line(service_date=dt.date(2026, 3, 2), charge="10000.00", patient_balance="1250.00")
        ],
    )
    result = scan_with([*CHECKS, BalanceBillingCheck()], [march, may], plan=plan, bills=[bill])

    assert only(result.findings, "BAL001").amount_at_stake == 25_000
    oop = only(result.findings, "OOP001")
    assert _linked_evidence(oop) is None
    assert result.summary.amount_at_stake == 25_000 + 150_000


def test_a_network_correction_takes_off_only_the_cost_sharing_above_what_was_owed() -> None:
    """May's ER visit: 50% coinsurance ($400.00) where 20% ($160.00) was owed, plus a $1,000.00
    balance (NET002, $1,240.00). The insurer's tally held the $400.00 and reached the maximum; once
    May is corrected it holds $160.00, so $260.00 of June's $600.00 is still past the maximum,
    not $100.00 as if all of May's cost sharing were taken off."""
    plan = make_plan(
        deductible_individual="1500.00",
        deductible_met="1500.00",
        oop_max_individual="4000.00",
        oop_met="3500.00",
        coinsurance_in_network=20,
        coinsurance_out_of_network=50,
    )
    er = make_claim(
        "er",
        [
            make_line(
                "1",
                service_date=dt.date(2026, 5, 4),
                network="out",
                allowed="800.00",
                plan_paid="400.00",
                coinsurance="400.00",
                not_covered="1000.00",
                patient_responsibility="1400.00",
            )
        ],
        emergency=True,
        place_of_service="23",
        provider=Party(name="Valley Emergency Physicians", network="out", role="emergency"),
    )
    june = _claim("june", 6, "3000.00", "600.00")
    result = scan_with([*CHECKS, NetworkCheck()], [er, june], plan=plan)

    assert only(result.findings, "NET002").amount_at_stake == 124_000
    oop = only(result.findings, "OOP001")
    assert (oop.amount_at_stake, _linked_evidence(oop)) == (50_000, "260.00")


def test_an_overcharge_after_the_excess_does_not_lower_it() -> None:
    # The overcharge is in July, after May went past the maximum: May's excess owes it nothing.
    result = _scan(_claim("may", 5, "15000.00", "3000.00"), _claim("july", 7, "5000.00", "2000.00"))

    oop_may = next(f for f in result.findings if f.rule == "OOP001" and f.claim_id == "may")
    assert _linked_evidence(oop_may) is None
    assert oop_may.amount_at_stake == 50_000


def test_an_overcharge_outside_the_tally_does_not_lower_the_excess() -> None:
    # An out-of-network line has its own limits: correcting it leaves the in-network tally as is.
    march = _claim("march", 3, "5000.00", "3000.00", network="out")
    may = _claim("may", 5, "15000.00", "3000.00")
    result = _scan(march, may)

    assert only(result.findings, "INS007").amount_at_stake == 100_000  # 60% where the plan says 40%
    oop = only(result.findings, "OOP001")
    assert oop.amount_at_stake == 50_000
    assert _linked_evidence(oop) is None
    assert result.summary.amount_at_stake == 150_000


# --- the rule, stated independently ---------------------------------------------------------

claims_in_a_year = st.lists(
    st.tuples(st.integers(1, 100), st.sampled_from([20, 20, 30, 40, 60])), min_size=1, max_size=6
)


def _expected_total(visits: list[tuple[int, int]], oop_met: int, oop_max: int) -> int:
    """Per line, the larger of its coinsurance overcharge and what its cost sharing puts past
    the maximum, the tally counting the earlier lines as corrected (at the plan's 20%)."""
    total, met = 0, oop_met
    for hundreds, rate in visits:
        allowed = hundreds * 10_000
        charged, owed = allowed * rate // 100, allowed // 5
        past_as_printed = max(charged - max(oop_max - met, 0), 0)
        total += max(charged - owed, past_as_printed)
        met += owed
    return total


@settings(max_examples=150, deadline=None)
@given(claims_in_a_year, st.integers(0, 30))
def test_the_total_counts_each_excess_past_the_corrected_maximum(
    visits: list[tuple[int, int]], met: int
) -> None:
    oop_met, oop_max = met * 10_000, 300_000
    plan = make_plan(
        deductible_individual="500.00",
        deductible_met="500.00",
        oop_max_individual="3000.00",
        oop_met=oop_met,
        coinsurance_in_network=20,
    )
    claims = [
        _claim(f"c{i}", i + 1, f"{hundreds * 100}.00", f"{hundreds * rate}.00")
        for i, (hundreds, rate) in enumerate(visits)
    ]
    result = scan_with(CHECKS, claims, plan=plan)

    assert_checks_ok(result)
    assert result.summary.amount_at_stake == _expected_total(visits, oop_met, oop_max)


def _table(march_coinsurance: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    claims = [_claim("march", 3, "5000.00", march_coinsurance), _claim("may", 5, "10000.00", "2000.00")]
    request = tmp_path / "year.json"
    request.write_bytes(encode(make_request(claims, plan=PLAN)))
    main(["scan", str(request)])
    return capsys.readouterr().out


def test_the_table_says_why_the_total_is_less_than_its_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _table("2000.00", tmp_path, capsys)

    assert "Total at stake: $1,500.00" in out
    assert "OOP001 on claim may counts $500.00 in the total" in out


def test_the_table_adds_no_note_when_nothing_was_brought_forward(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert "in the total:" not in _table("1000.00", tmp_path, capsys)

"""Matching a provider's bill to its EOB claim and lines, and saying how sure the match is."""

from __future__ import annotations

import datetime as dt

from scanner.matching import (
    current_claims,
    find_claim,
    match_bill,
    net_reversals,
    normal_code,
    replacement_of,
)
from scanner.model import Claim, Party, RelatedClaim
from scanner.testing import make_bill, make_bill_line, make_claim, make_line

DAY = dt.date(2026, 3, 2)
OTHER_DAY = dt.date(2026, 4, 14)


def _visit(claim_id: str = "claim-1", provider: str = "Maple Family Medicine", day: dt.date = DAY) -> Claim:
    return make_claim(
        claim_id,
        lines=[
            make_line("1", code="99214", service_date=day, billed="250.00", patient_responsibility="40.00"),
            make_line("2", code="36415", service_date=day, billed="30.00", patient_responsibility="12.00"),
        ],
        provider=Party(name=provider, network="in"),
    )


# --- claims --------------------------------------------------------------------------------------


def test_a_bill_naming_the_claim_matches_it_with_high_confidence() -> None:
    claim = _visit()
    found = find_claim(make_bill(claim_id="claim-1"), [_visit("claim-0"), claim])
    assert found is not None
    assert (found[0].id, found[1], found[2]) == ("claim-1", "claim_id", "high")


def test_a_bill_naming_the_eob_claim_number_matches_too() -> None:
    claim = make_claim("c7", claim_number="EX-2026-0042")
    found = find_claim(make_bill(claim_id="EX-2026-0042"), [claim])
    assert found is not None and found[0] is claim


def test_a_bill_naming_a_replaced_claim_is_compared_with_its_replacement() -> None:
    old = _visit("old")
    new = make_claim(
        "new",
        lines=list(_visit().lines),
        related=[RelatedClaim(claim_id="old", relationship="replaces")],
        provider=Party(name="Maple Family Medicine", network="in"),
    )
    found = find_claim(make_bill(claim_id="old"), [old, new])
    assert found is not None and found[0].id == "new"
    assert replacement_of("new", [old, new]) is None
    assert [c.id for c in current_claims([old, new])] == ["new"]


def test_provider_dates_and_amounts_find_the_claim_without_an_id() -> None:
    bill = make_bill(
        provider_name="Maple Family Medicine, LLC",
        lines=[
            make_bill_line(code="99214", charge="250.00", patient_balance="40.00"),
            make_bill_line(code="36415", charge="30.00", patient_balance="12.00"),
        ],
    )
    found = find_claim(bill, [_visit("a", day=OTHER_DAY), _visit("b"), _visit("c", provider="Birch Imaging")])
    assert found is not None
    assert (found[0].id, found[1], found[2]) == ("b", "provider_dates_amounts", "high")


def test_weak_evidence_gives_a_medium_match() -> None:
    bill = make_bill(provider_name="Maple Family Medicine", amount_due="52.00")
    found = find_claim(bill, [_visit()])
    assert found is not None and found[2] == "medium"


def test_two_equally_good_claims_give_no_match() -> None:
    bill = make_bill(
        provider_name="Maple Family Medicine", lines=[make_bill_line(code="99214", charge="250.00")]
    )
    assert find_claim(bill, [_visit("a"), _visit("b")]) is None


def test_another_providers_bill_does_not_match() -> None:
    bill = make_bill(
        provider_name="Birch Imaging Center", lines=[make_bill_line(code="99214", charge="250.00")]
    )
    assert find_claim(bill, [_visit()]) is None


# --- lines ---------------------------------------------------------------------------------------


def test_lines_match_by_date_and_code() -> None:
    match = match_bill(
        make_bill(
            claim_id="claim-1",
            lines=[make_bill_line(code="36415", patient_balance="12.00"), make_bill_line(code="99214-25")],
        ),
        [_visit()],
    )
    assert match is not None
    assert [(m.eob_line.id if m.eob_line else None, m.how, m.confidence) for m in match.lines] == [
        ("2", "code", "high"),
        ("1", "code", "high"),
    ]


def test_a_service_listed_twice_points_both_bill_lines_at_the_one_eob_line() -> None:
    match = match_bill(
        make_bill(
            claim_id="claim-1",
            lines=[
                make_bill_line(code="99214", charge="250.00", patient_balance="40.00"),
                make_bill_line(code="99214", charge="250.00", patient_balance="40.00"),
            ],
        ),
        [_visit()],
    )
    assert match is not None
    first, second = match.lines
    assert first.eob_line is second.eob_line and first.eob_line is not None
    assert (second.how, second.repeat_of, second.confidence) == ("repeat", 0, "medium")
    assert [m.index for m in match.for_eob_line("1")] == [0, 1]


def test_two_real_services_with_one_code_pair_one_to_one() -> None:
    claim = make_claim(
        lines=[
            make_line("1", code="97110", billed="80.00", patient_responsibility="20.00"),
            make_line("2", code="97110", billed="80.00", patient_responsibility="20.00"),
        ]
    )
    match = match_bill(
        make_bill(claim_id="claim-1", lines=[make_bill_line(code="97110"), make_bill_line(code="97110")]),
        [claim],
    )
    assert match is not None
    assert [m.eob_line.id for m in match.lines if m.eob_line] == ["1", "2"]
    assert all(m.how == "code" for m in match.lines)


def test_a_bill_without_codes_matches_by_date_and_amount() -> None:
    match = match_bill(
        make_bill(
            claim_id="claim-1",
            lines=[
                make_bill_line(description="Blood draw", charge="30.00"),
                make_bill_line(description="Office visit, established", charge="250.00"),
            ],
        ),
        [_visit()],
    )
    assert match is not None
    assert [(m.eob_line.id if m.eob_line else None, m.how, m.confidence) for m in match.lines] == [
        ("2", "amount", "medium"),
        ("1", "amount", "medium"),
    ]


def test_descriptions_alone_give_a_low_confidence_match() -> None:
    claim = make_claim(
        lines=[make_line("1", code="99214", description="Office visit, established patient", billed="250.00")]
    )
    match = match_bill(
        make_bill(claim_id="claim-1", lines=[make_bill_line(description="OFFICE VISIT EST PATIENT")]), [claim]
    )
    assert match is not None
    only = match.lines[0]
    assert only.eob_line is not None and (only.how, only.confidence) == ("description", "low")


def test_a_line_with_no_eob_counterpart_stays_unmatched_and_says_how_sure() -> None:
    match = match_bill(
        make_bill(
            claim_id="claim-1",
            lines=[
                make_bill_line(code="99214", charge="250.00"),
                make_bill_line(code="36415", charge="30.00"),
                make_bill_line(code="81002", charge="18.00", patient_balance="18.00"),
            ],
        ),
        [_visit()],
    )
    assert match is not None
    assert [(m.index, m.confidence) for m in match.unmatched] == [(2, "high")]


def test_an_uncoded_leftover_next_to_unclaimed_eob_lines_is_a_low_confidence_miss() -> None:
    match = match_bill(
        make_bill(claim_id="claim-1", lines=[make_bill_line(description="Supplies", charge="9.00")]),
        [_visit()],
    )
    assert match is not None
    assert [(m.index, m.confidence) for m in match.unmatched] == [(0, "low")]


def test_a_bill_for_no_claim_of_the_scan_matches_nothing() -> None:
    assert match_bill(make_bill(provider_name="Cedar Dental"), [_visit()]) is None


# --- reversals -----------------------------------------------------------------------------------


def test_a_reversal_cancels_the_line_it_negates_and_the_readjudication_stands() -> None:
    original = make_line("1", code="99214", billed="250.00", allowed="150.00", patient_responsibility="30.00")
    reversal = make_line(
        "2", code="99214", billed="-250.00", allowed="-150.00", patient_responsibility="-30.00"
    )
    again = make_line("3", code="99214", billed="250.00", allowed="150.00", patient_responsibility="20.00")
    assert [line.id for line in net_reversals([original, reversal, again])] == ["3"]


def test_a_reversal_prefers_its_exact_twin_over_an_earlier_lookalike() -> None:
    paid = make_line(
        "4", code="37228", billed="751.20", allowed="224.11", plan_paid="0.00", not_covered="224.11"
    )
    repaid = make_line(
        "5", code="37228", billed="751.20", allowed="224.11", plan_paid="224.11", not_covered="0.00"
    )
    reversal = make_line(
        "6", code="37228", billed="-751.20", allowed="-224.11", plan_paid="0.00", not_covered="-224.11"
    )
    assert [line.id for line in net_reversals([paid, repaid, reversal])] == ["5"]


def test_codes_are_compared_without_printed_modifiers() -> None:
    assert normal_code(" 99213-25 ") == "99213"
    assert normal_code("g0439") == "G0439"
    assert normal_code(None) is None

"""Deadline arithmetic across month ends and leap years, and the deadlines a scan result carries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import pytest

from scanner.actions import deadlines_from
from scanner.checks import CheckContext
from scanner.deadlines import (
    add_months,
    days_left,
    external_review,
    financial_assistance,
    good_faith_estimate_dispute,
    internal_appeal,
    is_medicare_claim,
    remind_on,
)
from scanner.engine import scan
from scanner.model import Action, Claim, Finding, Rule, RuleDocs
from scanner.money import Money
from scanner.plugins import Registry
from scanner.testing import make_claim, make_request

D = dt.date


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2028, 1, 31), 1, D(2028, 2, 29)),
        (D(2026, 10, 31), 4, D(2027, 2, 28)),
        (D(2027, 10, 31), 4, D(2028, 2, 29)),
        (D(2026, 8, 31), 4, D(2026, 12, 31)),
        (D(2026, 11, 30), 4, D(2027, 3, 30)),
        (D(2026, 12, 15), 4, D(2027, 4, 15)),
        (D(2028, 2, 29), 12, D(2029, 2, 28)),
        (D(2028, 2, 29), 48, D(2032, 2, 29)),
        (D(2026, 3, 31), 1, D(2026, 4, 30)),
    ],
)
def test_months_are_added_and_clamped_to_the_months_last_day(
    start: dt.date, months: int, expected: dt.date
) -> None:
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    ("processed", "expected"),
    [
        (D(2026, 3, 20), D(2026, 9, 16)),
        (D(2026, 12, 31), D(2027, 6, 29)),  # no February 29 on the way
        (D(2027, 12, 31), D(2028, 6, 28)),  # February 29, 2028 counts as a day
    ],
)
def test_an_internal_appeal_is_due_180_days_after_the_denial(processed: dt.date, expected: dt.date) -> None:
    deadline = internal_appeal(processed)
    assert deadline.due == expected
    assert deadline.reference is not None and deadline.reference.citation == "45 CFR 147.136"


@pytest.mark.parametrize(
    ("processed", "expected"),
    [(D(2026, 12, 31), D(2027, 3, 1)), (D(2027, 12, 31), D(2028, 2, 29))],
)
def test_medicare_advantage_gives_60_days(processed: dt.date, expected: dt.date) -> None:
    assert internal_appeal(processed, medicare=True).due == expected


@pytest.mark.parametrize(
    ("denied", "expected"),
    [
        (D(2026, 10, 31), D(2027, 2, 28)),
        (D(2027, 10, 31), D(2028, 2, 29)),
        (D(2026, 6, 30), D(2026, 10, 30)),
        (D(2026, 9, 15), D(2027, 1, 15)),
    ],
)
def test_external_review_is_due_four_months_after_the_final_internal_denial(
    denied: dt.date, expected: dt.date
) -> None:
    assert external_review(denied).due == expected


@pytest.mark.parametrize(
    ("billed", "expected"),
    [(D(2027, 1, 15), D(2027, 5, 15)), (D(2028, 1, 15), D(2028, 5, 14))],
)
def test_a_good_faith_estimate_dispute_is_due_120_days_after_the_bill(
    billed: dt.date, expected: dt.date
) -> None:
    assert good_faith_estimate_dispute(billed).due == expected


@pytest.mark.parametrize(
    ("first_bill", "expected"),
    [(D(2026, 9, 1), D(2027, 4, 29)), (D(2027, 9, 1), D(2028, 4, 28))],
)
def test_financial_assistance_stays_open_240_days_from_the_first_bill(
    first_bill: dt.date, expected: dt.date
) -> None:
    assert financial_assistance(first_bill).due == expected


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        (D(2028, 3, 7), D(2028, 2, 29)),
        (D(2028, 3, 6), D(2028, 2, 28)),
        (D(2027, 3, 7), D(2027, 2, 28)),
        (D(2027, 1, 3), D(2026, 12, 27)),
    ],
)
def test_the_reminder_fires_a_week_before(due: dt.date, expected: dt.date) -> None:
    assert remind_on(due) == expected


def test_days_left_counts_down_and_goes_negative_once_passed() -> None:
    assert days_left(D(2028, 3, 1), D(2028, 2, 28)) == 2
    assert days_left(D(2027, 3, 1), D(2027, 2, 28)) == 1
    assert days_left(D(2026, 9, 16), D(2026, 11, 26)) == -71


def test_a_plan_that_names_medicare_gets_the_shorter_clock() -> None:
    assert is_medicare_claim(make_claim(plan_name="Example Medicare Advantage HMO"))
    assert is_medicare_claim(make_claim(payer="Medicare"))
    assert not is_medicare_claim(make_claim(payer="Example Health Plan", plan_name="Gold PPO"))


# --- the deadlines of a scan ------------------------------------------------------------------


def _finding(claim_id: str, rule: str, *actions: Action) -> Finding:
    return Finding(
        rule=rule,
        name="probe",
        check="probe",
        error_class="denial",
        severity="error",
        confidence="high",
        title="Probe",
        message="Probe.",
        claim_id=claim_id,
        amount_at_stake=Money(1000),
        actions=list(actions),
    )


def test_deadlines_come_from_the_actions_earliest_first() -> None:
    claims = [make_claim("a"), make_claim("b")]
    findings = [
        _finding(
            "a",
            "DEN001",
            Action(
                kind="appeal_internal", who="insurer", summary="Appeal the denial.", deadline=D(2026, 9, 1)
            ),
        ),
        _finding(
            "b",
            "NET001",
            Action(kind="file_complaint", who="CMS", summary="File a complaint", deadline=D(2026, 5, 1)),
        ),
        _finding("b", "NET002", Action(kind="call_provider", who="provider", summary="Call")),
    ]
    items = deadlines_from(findings, claims)
    assert [(i.due, i.claim_id, i.rule, i.kind, i.title) for i in items] == [
        (D(2026, 5, 1), "b", "NET001", "file_complaint", "File a complaint"),
        (D(2026, 9, 1), "a", "DEN001", "appeal_internal", "Appeal the denial"),
    ]


def test_the_same_step_for_the_same_claim_is_listed_once() -> None:
    action = Action(kind="appeal_internal", who="insurer", summary="Appeal", deadline=D(2026, 9, 1))
    items = deadlines_from(
        [_finding("a", "DEN001", action), _finding("a", "DEN002", action)], [make_claim("a")]
    )
    assert [(i.rule, i.due) for i in items] == [("DEN001", D(2026, 9, 1))]


def test_an_undated_appeal_gets_the_federal_floor_from_the_processed_date() -> None:
    plain = make_claim("a", processed_date=D(2027, 12, 31))
    medicare = make_claim("m", processed_date=D(2027, 12, 31), plan_name="Example Medicare Advantage")
    undated = Action(kind="appeal_internal", who="insurer", summary="")
    items = deadlines_from(
        [_finding("a", "DEN001", undated), _finding("m", "DEN001", undated)], [plain, medicare]
    )
    assert [(i.claim_id, i.due, i.title) for i in items] == [
        ("m", D(2028, 2, 29), "File an internal appeal"),
        ("a", D(2028, 6, 28), "File an internal appeal"),
    ]


def test_an_undated_appeal_without_a_processed_date_has_no_deadline() -> None:
    claim = make_claim("a")
    from msgspec.structs import replace

    undated_claim = replace(claim, processed_date=None)
    action = Action(kind="appeal_internal", who="insurer", summary="Appeal")
    assert deadlines_from([_finding("a", "DEN001", action)], [undated_claim]) == []


class _DatedCheck:
    """A check that proposes an appeal with a date, to see the engine carry it to the result."""

    name = "dated_probe"
    version = "1.0"
    rules: Sequence[Rule] = (
        Rule(
            code="ZZZ001",
            name="probe-with-deadline",
            check="dated_probe",
            error_class="denial",
            severity="error",
            summary="Probe.",
            docs=RuleDocs(what_it_checks="x", why_it_matters="x", example="x", what_to_do="x"),
        ),
    )

    def check(self, claims: Sequence[Claim], context: CheckContext) -> Iterable[Finding]:
        for claim in claims:
            due = internal_appeal(claim.processed_date or context.as_of).due
            yield self.rules[0].finding(
                claim_id=claim.id,
                title="Denied",
                message="Denied.",
                amount_at_stake=500,
                actions=[Action(kind="appeal_internal", who="insurer", summary="Appeal", deadline=due)],
            )


def test_a_scan_result_carries_the_deadlines() -> None:
    registry = Registry(checks=[_DatedCheck()])
    claim = make_claim("a", processed_date=D(2028, 1, 10))
    result = scan(make_request([claim]), registry)
    assert [(i.claim_id, i.rule, i.kind, i.due) for i in result.deadlines] == [
        ("a", "ZZZ001", "appeal_internal", D(2028, 7, 8))
    ]

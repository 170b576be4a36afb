"""A claim printed with totals only is judged as one line of its totals, and findings on it are
about the claim as a whole."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from scanner.checks import CheckContext
from scanner.engine import scan
from scanner.model import Amounts, Claim, Finding, Party, ServiceLine
from scanner.money import Money
from scanner.plugins import load_registry
from scanner.testing import make_claim, make_line, make_plan, make_request, only
from scanner.totals_line import with_totals_lines

PLAN = make_plan(
    deductible_individual="1500.00",
    oop_max_individual="4000.00",
    deductible_met="1500.00",
    oop_met="1800.00",
    coinsurance_in_network=20,
)


def _hospital_claim(**totals: int) -> Claim:
    return make_claim(
        "stay",
        [],
        service_start=dt.date(2026, 4, 1),
        provider=None,
        facility=Party(name="Lakeside General Hospital", network="in", role="facility"),
        totals=Amounts(**{name: Money(cents) for name, cents in totals.items()}),
    )


def test_a_deductible_printed_only_in_the_totals_after_it_was_met_is_an_error_about_the_claim() -> None:
    claim = _hospital_claim(allowed=250000, plan_paid=200000, deductible=50000, patient_responsibility=50000)
    result = scan(make_request([claim], plan=PLAN))
    finding = only(result.findings, "INS005")
    assert (finding.claim_id, finding.line_ids, finding.amount_at_stake) == ("stay", [], 40000)
    assert result.summary.amount_at_stake == 40000


def test_totals_that_charge_coinsurance_after_the_deductible_was_met_are_clean() -> None:
    claim = _hospital_claim(allowed=250000, plan_paid=200000, coinsurance=50000, patient_responsibility=50000)
    result = scan(make_request([claim], plan=PLAN))
    assert [f for f in result.findings if f.severity != "info"] == []


def test_the_client_gets_its_claims_back_as_sent() -> None:
    claim = _hospital_claim(deductible=50000, patient_responsibility=50000)
    request = make_request([claim, make_claim("visit", [make_line()])], plan=PLAN)
    scan(request)
    assert request.claims[0] is claim and claim.lines == []
    assert request.claims[0].totals == Amounts(deductible=Money(50000), patient_responsibility=Money(50000))


def test_a_check_that_changes_a_totals_only_claim_is_undone_for_the_client_too() -> None:
    class Vandal:
        name, version, rules = "vandal", "1", ()

        def check(self, claims: Sequence[Claim], context: CheckContext) -> Iterable[Finding]:
            assert claims[0].totals is not None
            claims[0].totals.deductible = None
            return []

    registry = load_registry({"EOBSCAN_PLUGINS": ""})
    registry.checks.insert(0, Vandal())
    request = make_request([_hospital_claim(deductible=50000, patient_responsibility=50000)], plan=PLAN)
    result = scan(request, registry)
    assert result.checks[0].error == "check vandal changed the claims it was given"
    assert request.claims[0].lines == []
    assert request.claims[0].totals is not None and request.claims[0].totals.deductible == 50000
    assert only(result.findings, "INS005").line_ids == []


def _words(finding: Finding) -> list[str]:
    """What a finding says to the patient: its message and its call scripts."""
    return [finding.message, *(action.script for action in finding.actions if action.script)]


def test_a_finding_on_the_totals_names_the_claim_not_a_line_the_client_never_sent() -> None:
    claim = _hospital_claim(allowed=250000, plan_paid=200000, deductible=50000, patient_responsibility=50000)
    finding = only(scan(make_request([claim], plan=PLAN)).findings, "INS005")
    assert "yet this claim applies $500.00 to the deductible" in finding.message
    assert not any("line totals" in text.lower() for text in _words(finding))


def test_emergency_care_printed_in_the_totals_is_named_as_the_claim() -> None:
    claim = _hospital_claim(
        allowed=90000, plan_paid=54000, coinsurance=36000, not_covered=95000, patient_responsibility=131000
    )
    claim.provider = Party(name="Valley Emergency Physicians", network="out", role="emergency")
    claim.emergency, claim.place_of_service = True, "23"
    finding = only(scan(make_request([claim], plan=PLAN)).findings, "NET002")
    assert finding.message.startswith("This claim on 2026-04-01 was emergency care")
    assert not any("line totals" in text.lower() for text in _words(finding))


def test_a_line_the_client_sent_is_still_named_by_its_id() -> None:
    """The clean twin: the same amounts on a line without a code, even one the client calls
    "totals", read as before."""
    day = dt.date(2026, 4, 1)
    amounts = {"allowed": 250000, "plan_paid": 200000, "deductible": 50000, "patient_responsibility": 50000}
    for line_id in ("1", "totals"):
        claim = make_claim("stay", [make_line(line_id, service_date=day, **amounts)], service_start=day)
        finding = only(scan(make_request([claim], plan=PLAN)).findings, "INS005")
        assert f"yet line {line_id} applies $500.00 to the deductible" in finding.message


def _revenue_lines(**amounts: int) -> list[ServiceLine]:
    """A hospital's revenue lines as its EOB prints them: a code, a description, a charge."""
    return [
        make_line("1", code="0120", code_system="REV", billed="9600.00", **amounts),
        make_line("2", code="0250", code_system="REV", billed="2310.00"),
    ]


def test_lines_that_print_their_charges_only_leave_the_claim_to_be_judged_by_its_totals() -> None:
    """Read as lines, the revenue lines hid the totals' deductible from every rule."""
    claim = _hospital_claim(allowed=250000, plan_paid=200000, deductible=50000, patient_responsibility=50000)
    claim.lines = _revenue_lines()
    request = make_request([claim], plan=PLAN)
    finding = only(scan(request).findings, "INS005")
    assert (finding.line_ids, finding.amount_at_stake) == ([], 40000)
    assert "yet this claim applies $500.00 to the deductible" in finding.message
    assert [line.code for line in request.claims[0].lines] == ["0120", "0250"]  # as sent


def test_lines_with_any_adjudication_are_judged_as_lines() -> None:
    """The twin: one line printing what the plan allowed makes the lines the claim's judges."""
    claim = _hospital_claim(allowed=250000, plan_paid=200000, deductible=50000, patient_responsibility=50000)
    claim.lines = _revenue_lines(allowed="2500.00")
    assert not with_totals_lines(make_request([claim], plan=PLAN))[1]
    assert not [f for f in scan(make_request([claim], plan=PLAN)).findings if f.line_ids == []]


def test_charges_only_lines_and_totals_of_charges_only_are_judged_as_lines() -> None:
    claim = _hospital_claim(billed=1191000)
    claim.lines = _revenue_lines()
    assert not with_totals_lines(make_request([claim], plan=PLAN))[1]

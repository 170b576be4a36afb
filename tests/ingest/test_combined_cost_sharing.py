"""EOBs that print copay and coinsurance in one column ("Copay/Coinsurance").

The figure is read as ``copay_and_coinsurance``, their sum with the split unknown, by every
reader. Before, the column named two fields and was dropped, so a line's share looked bigger than
its parts and INS002 reported the whole copay as unexplained. Each layout has its clean twin (the
share adds up: no finding) and a line whose share is still above its parts (INS002, the excess).
"""

from __future__ import annotations

import random

import pytest

from scanner.actions.plan import plan_actions
from scanner.actions.report import amount_columns, render_html
from scanner.engine import scan
from scanner.ingest import read_document
from scanner.ingest.vocabulary import header_field
from scanner.model import Claim, ScanRequest, ScanResult
from scanner.testing import make_claim, make_line, make_plan, money, only

from . import documents as docs


def _cents(text: str) -> int:
    return money(text) or 0


@pytest.mark.parametrize(
    "header",
    [
        "Copay/Coinsurance",
        "Copay/Coins",
        "Copay / Coinsurance",
        "Copay or Coinsurance",
        "Your Copay/Coinsurance",
        "Coinsurance/Copay",
        "Co-pay/Co-insurance",
        "Copay & Coinsurance",
    ],
)
def test_a_combined_header_names_the_combined_field(header: str) -> None:
    assert header_field(header) == "copay_and_coinsurance"


@pytest.mark.parametrize("header", ["Copay", "Coinsurance", "Co-Ins.", "Deductible"])
def test_a_single_header_still_names_its_own_field(header: str) -> None:
    assert header_field(header) != "copay_and_coinsurance"


def _scan(claims: list[Claim]) -> ScanResult:
    return scan(ScanRequest(claims=claims, plan=make_plan(coinsurance_in_network=20)))


def _rules(result: ScanResult) -> list[str]:
    return [f.rule for f in result.findings]


# --- a PDF member statement ---------------------------------------------------------------------

STATEMENT = docs.Case(
    "combined",
    "Example Mutual Health",
    [docs.make_claim(random.Random(71), "EOB-2026-000701", "Lakeside Family Clinic", 4)],
)


def test_a_pdf_statement_reads_the_combined_column_as_the_sum_on_every_line() -> None:
    pdf = docs.member_statement(STATEMENT, columns=docs.COMBINED_STATEMENT_COLUMNS)
    [claim] = read_document(pdf, "statement.pdf").claims
    truth = STATEMENT.claims[0].lines
    assert [line.copay_and_coinsurance for line in claim.lines] == [t.copay + t.coinsurance for t in truth]
    assert all(line.copay is None and line.coinsurance is None for line in claim.lines)
    assert [line.patient_responsibility for line in claim.lines] == [t.you_owe for t in truth]
    assert claim.totals is not None
    assert claim.totals.copay_and_coinsurance == sum(t.copay + t.coinsurance for t in truth)


def test_a_pdf_statement_whose_shares_add_up_has_no_unexplained_share() -> None:
    pdf = docs.member_statement(STATEMENT, columns=docs.COMBINED_STATEMENT_COLUMNS)
    claims = read_document(pdf, "statement.pdf").claims
    assert "INS002" not in _rules(_scan(claims))


# --- a text EOB -------------------------------------------------------------------------------


def _text_eob(you_owe: str) -> bytes:
    return "\n".join(
        [
            "Example Mutual Health - Explanation of Benefits",
            "Claim Number: EOB-2026-000702   Provider: Lakeside Family Clinic",
            "Network Status: In-Network",
            "Date Processed: 03/20/2026",
            "",
            "Date        Service        Code   Amount Billed  Amount Allowed  Plan Paid  Deductible"
            "  Copay/Coinsurance  Not Covered  What You Owe",
            f"03/02/2026  Office visit   99213  $180.00        $110.00         $70.00     $0.00"
            f"       $40.00             $0.00        {you_owe}",
            "03/02/2026  Blood count    85025  $45.00         $18.00          $14.40     $0.00"
            "       $3.60              $0.00        $3.60",
            "",
        ]
    ).encode()


def test_a_text_eob_reads_the_combined_column_and_its_shares_add_up() -> None:
    [claim] = read_document(_text_eob("$40.00"), "eob.txt").claims
    assert [line.copay_and_coinsurance for line in claim.lines] == [_cents("40.00"), _cents("3.60")]
    assert "INS002" not in _rules(_scan([claim]))


def test_a_text_eob_share_above_the_combined_column_is_still_reported_for_the_excess() -> None:
    [claim] = read_document(_text_eob("$65.00"), "eob.txt").claims
    finding = only(_scan([claim]).findings, "INS002")
    assert finding.amount_at_stake == _cents("25.00")
    assert "$40.00" in finding.message and "$65.00" in finding.message


# --- a CSV export -------------------------------------------------------------------------------

CSV_HEADER = (
    "Claim Number,Date of Service,Procedure Code,Network,Amount Billed,Allowed Amount,Plan Paid,"
    "Deductible,Copay/Coins,Not Covered,What You Owe\n"
)


def test_a_csv_export_reads_the_combined_column_and_its_shares_add_up() -> None:
    rows = "EOB-2026-000703,2026-03-02,99213,In Network,180.00,110.00,70.00,0.00,40.00,0.00,40.00\n"
    [claim] = read_document((CSV_HEADER + rows).encode(), "claims.csv").claims
    assert claim.lines[0].copay_and_coinsurance == _cents("40.00")
    assert _rules(_scan([claim])) == []


def test_a_csv_export_share_above_its_parts_is_reported() -> None:
    rows = "EOB-2026-000703,2026-03-02,99213,In Network,180.00,110.00,70.00,0.00,25.00,0.00,40.00\n"
    [claim] = read_document((CSV_HEADER + rows).encode(), "claims.csv").claims
    assert only(_scan([claim]).findings, "INS002").amount_at_stake == _cents("15.00")


# --- what the checks and the report make of it --------------------------------------------------


def _combined_line(**amounts: str) -> Claim:
    return make_claim(
        lines=[make_line(allowed="500.00", plan_paid="300.00", copay_and_coinsurance="200.00", **amounts)]
    )


def test_a_combined_figure_is_not_judged_against_the_coinsurance_rate_or_a_copay() -> None:
    """$200 of $500 would be 40% as coinsurance (twice the plan's 20%) and far above any copay;
    with the split unknown, neither INS007 nor INS008 may claim it."""
    plan = make_plan(coinsurance_in_network=20, copays={"primary_care": "25.00"})
    result = scan(ScanRequest(claims=[_combined_line(patient_responsibility="200.00")], plan=plan))
    assert _rules(result) == []


def test_a_combined_figure_counts_toward_the_out_of_pocket_maximum_and_not_the_deductible() -> None:
    result = _scan([_combined_line(patient_responsibility="200.00")])
    [entry] = result.ledger
    assert (entry.deductible_met, entry.oop_met) == (0, _cents("200.00"))


def test_preventive_care_charged_through_the_combined_column_is_at_stake_in_full() -> None:
    claim = make_claim(
        lines=[
            make_line(
                code="99395",
                diagnoses=["Z00.00"],
                allowed="250.00",
                plan_paid="210.00",
                copay_and_coinsurance="40.00",
                patient_responsibility="40.00",
            )
        ]
    )
    finding = only(_scan([claim]).findings, "PRV001")
    assert finding.amount_at_stake == _cents("40.00")
    assert any(e.field == "copay_and_coinsurance" and e.expected == "0.00" for e in finding.evidence)
    assert "$40.00" in finding.message


def test_the_report_shows_the_combined_column_only_for_claims_that_print_it() -> None:
    combined = _combined_line(patient_responsibility="200.00")
    apart = make_claim(id="claim-2", lines=[make_line(copay="25.00", patient_responsibility="25.00")])
    assert "copay_and_coinsurance" in amount_columns(combined.lines, ())
    assert "copay_and_coinsurance" not in amount_columns(apart.lines, ())
    request = ScanRequest(claims=[combined, apart])
    result = scan(request)
    page = render_html(request, result, plan_actions(request, result))
    assert page.count("Copay / coinsurance") == 1

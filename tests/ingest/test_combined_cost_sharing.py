"""EOBs that print cost-sharing columns joined into one.

"Copay/Coinsurance" is read as ``copay_and_coinsurance``, their sum with the split unknown;
"Deductible/Coinsurance" (the deductible with a copay or coinsurance) as
``deductible_and_cost_sharing``, which counts toward the out-of-pocket maximum with the
deductible's part unknown. Before, such a header named two fields and the column was dropped, so
a line's share looked bigger than its parts and INS002 reported the whole column as unexplained.
Each layout has its clean twin (the share adds up: no finding) and a line whose share is still
above its parts (INS002, for the excess alone).
"""

from __future__ import annotations

import random

import pytest

from plugins.checks._network.money import in_network_share
from scanner.actions.plan import plan_actions
from scanner.actions.report import amount_columns, render_html
from scanner.engine import scan
from scanner.ingest import read_document
from scanner.ingest.vocabulary import header_field
from scanner.model import Claim, ScanRequest, ScanResult
from scanner.reference.nsa import load_nsa
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


# --- the deductible joined to them --------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        "Deductible/Coinsurance",
        "Deductible / Coinsurance",
        "Deductible/Coins",
        "Deductible & Coinsurance",
        "Coinsurance/Deductible",
        "Copay/Deductible",
        "Deductible/Copay",
        "Deductible/Copay/Coinsurance",
        "Your Deductible/Coinsurance",
        "Deductible and Cost Share",
    ],
)
def test_a_header_joining_the_deductible_to_other_cost_sharing_names_its_field(header: str) -> None:
    assert header_field(header) == "deductible_and_cost_sharing"


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Deductible", "deductible"),
        ("Applied to Deductible", "deductible"),
        ("Your Deductible", "deductible"),
    ],
)
def test_deductible_headers_alone_keep_their_field(header: str, field: str) -> None:
    assert header_field(header) == field


def _deductible_text_eob(you_owe: str) -> bytes:
    return "\n".join(
        [
            "Example Mutual Health - Explanation of Benefits",
            "Claim Number: EOB-2026-000801   Provider: Lakeside Family Clinic",
            "Network Status: In-Network",
            "Date Processed: 03/20/2026",
            "",
            "Date        Code   Amount Billed  Amount Allowed  Plan Paid  Deductible/Coinsurance"
            "  Copay   What You Owe",
            f"03/02/2026  99213  $200.00        $120.00         $60.00     $40.00"
            f"                  $20.00  {you_owe}",
            "",
        ]
    ).encode()


def test_a_text_eob_reads_a_combined_deductible_column_and_its_shares_add_up() -> None:
    [claim] = read_document(_deductible_text_eob("$60.00"), "eob.txt").claims
    [line] = claim.lines
    assert line.deductible_and_cost_sharing == _cents("40.00")
    assert (line.deductible, line.coinsurance, line.copay) == (None, None, _cents("20.00"))
    assert "INS002" not in _rules(_scan([claim]))


def test_a_text_eob_share_above_a_combined_deductible_column_is_reported_for_the_excess() -> None:
    [claim] = read_document(_deductible_text_eob("$95.00"), "eob.txt").claims
    finding = only(_scan([claim]).findings, "INS002")
    assert finding.amount_at_stake == _cents("35.00")
    assert "$60.00" in finding.message and "$95.00" in finding.message


DEDUCTIBLE_CSV_HEADER = (
    "Claim Number,Date of Service,Procedure Code,Network,Amount Billed,Allowed Amount,Plan Paid,"
    "Deductible/Copay/Coinsurance,Not Covered,Member Liability\n"
)


@pytest.mark.parametrize(("joined", "rules"), [("40.00", []), ("25.00", ["INS002"])])
def test_a_csv_export_reads_a_combined_deductible_column(joined: str, rules: list[str]) -> None:
    """$40.00 owed through the one column adds up; $25.00 leaves $15.00 unexplained."""
    row = f"EOB-2026-000802,2026-03-02,99213,In Network,180.00,110.00,70.00,{joined},0.00,40.00\n"
    [claim] = read_document((DEDUCTIBLE_CSV_HEADER + row).encode(), "claims.csv").claims
    assert claim.lines[0].deductible_and_cost_sharing == _cents(joined)
    assert claim.lines[0].patient_responsibility == _cents("40.00")
    result = _scan([claim])
    assert _rules(result) == rules
    assert sum(f.amount_at_stake for f in result.findings) == _cents("40.00") - _cents(joined)


def _deductible_line(**amounts: str) -> Claim:
    return make_claim(lines=[make_line(allowed="500.00", plan_paid="300.00", **amounts)])


def test_a_combined_deductible_counts_toward_the_out_of_pocket_maximum_with_the_deductible_unknown() -> None:
    result = _scan([_deductible_line(deductible_and_cost_sharing="200.00", patient_responsibility="200.00")])
    [entry] = result.ledger
    assert entry.oop_met == _cents("200.00")
    assert entry.partial  # the deductible's part of the $200 is unknown, so the met figures are bounds


def test_a_coinsurance_beside_a_combined_deductible_and_copay_is_judged_on_the_larger_base() -> None:
    """Coinsurance is a share of the allowance after the deductible; with the deductible's part
    unknown, the whole allowance is the base, which can only understate an overcharge. 20% of
    $500 is at most $100: $80 stays silent, $150 is at least $50 too much."""
    clean = _deductible_line(
        deductible_and_cost_sharing="20.00", coinsurance="80.00", patient_responsibility="100.00"
    )
    assert "INS007" not in _rules(_scan([clean]))
    over = _deductible_line(
        deductible_and_cost_sharing="20.00", coinsurance="150.00", patient_responsibility="170.00"
    )
    assert only(_scan([over]).findings, "INS007").amount_at_stake == _cents("50.00")


def test_a_combined_deductible_is_not_priced_as_in_network_cost_sharing() -> None:
    """Re-pricing an out-of-network line at in-network terms needs the deductible, copay and
    coinsurance apart: with them joined, the in-network share is unknown (None)."""
    plan = make_plan(coinsurance_in_network=20)
    joined = _deductible_line(deductible_and_cost_sharing="200.00")
    apart = _deductible_line(deductible="150.00", coinsurance="50.00")
    assert in_network_share(joined, joined.lines[0], plan, load_nsa()) is None
    assert in_network_share(apart, apart.lines[0], plan, load_nsa()) is not None


def test_preventive_care_charged_through_a_combined_deductible_is_at_stake_in_full() -> None:
    line = make_line(
        code="99395",
        diagnoses=["Z00.00"],
        allowed="250.00",
        plan_paid="190.00",
        deductible_and_cost_sharing="60.00",
        patient_responsibility="60.00",
    )
    finding = only(_scan([make_claim(lines=[line])]).findings, "PRV001")
    assert finding.amount_at_stake == _cents("60.00")
    assert any(e.field == "deductible_and_cost_sharing" and e.expected == "0.00" for e in finding.evidence)


def test_the_report_shows_a_combined_deductible_column_only_for_claims_that_print_it() -> None:
    combined = _deductible_line(deductible_and_cost_sharing="200.00", patient_responsibility="200.00")
    apart = make_claim(id="claim-2", lines=[make_line(deductible="25.00", patient_responsibility="25.00")])
    assert "deductible_and_cost_sharing" in amount_columns(combined.lines, ())
    assert "deductible_and_cost_sharing" not in amount_columns(apart.lines, ())
    request = ScanRequest(claims=[combined, apart])
    result = scan(request)
    page = render_html(request, result, plan_actions(request, result))
    assert page.count("Deductible / cost sharing") == 1
    assert "Copay / coinsurance" not in page

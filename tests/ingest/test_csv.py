"""CSV claim exports: header synonyms, one row per line, claims grouped by claim number."""

from __future__ import annotations

import random

import pytest

from scanner.engine import scan
from scanner.ingest import DocumentError
from scanner.ingest.csv import CsvParser
from scanner.ingest.vocabulary import header_field
from scanner.model import ScanRequest, encode

from . import documents as docs
from .helpers import amounts, parse_with

CASE = docs.Case(
    "csv",
    "Example Mutual Health",
    [
        docs.make_claim(random.Random(41), "EOB-2025-000601", "Lakeside Family Clinic", 3),
        docs.make_claim(
            random.Random(42), "EOB-2025-000602", "Riverbend Anesthesia Associates", 2, "Out-of-Network"
        ),
    ],
)


@pytest.mark.parametrize("delimiter", [",", "\t", ";"], ids=["comma", "tab", "semicolon"])
def test_rows_are_grouped_into_claims_by_claim_number(delimiter: str) -> None:
    document = parse_with(CsvParser(), docs.csv_export(CASE, delimiter=delimiter).encode())
    assert document.kind == "csv"
    assert [c.claim_number for c in document.claims] == ["EOB-2025-000601", "EOB-2025-000602"]
    for claim, truth in zip(document.claims, CASE.claims, strict=True):
        assert claim.source == "csv"
        assert [(ln.id, ln.code, ln.service_date) for ln in claim.lines] == [
            (str(n), t.code, t.date) for n, t in enumerate(truth.lines, start=1)
        ]
        for line, expected in zip(claim.lines, truth.lines, strict=True):
            assert {f: getattr(line, f) for f in docs.CSV_FIELDS} == {
                f: expected.amount(f) for f in docs.CSV_FIELDS
            }
    second = document.claims[1]
    assert second.provider is not None
    assert (second.provider.name, second.provider.network, second.provider.role) == (
        "Riverbend Anesthesia Associates",
        "out",
        "anesthesiology",
    )
    assert {ln.network for ln in second.lines} == {"out"}


def test_interleaved_rows_still_group_by_claim_number() -> None:
    text = (
        "Claim #,Billed,Allowed,Paid\n"
        "A1,$100.00,$80.00,$64.00\n"
        "B2,$50.00,$40.00,$40.00\n"
        "A1,$20.00,$10.00,$10.00\n"
    )
    claims = parse_with(CsvParser(), text.encode()).claims
    assert [(c.claim_number, [ln.billed for ln in c.lines]) for c in claims] == [
        ("A1", [10000, 2000]),
        ("B2", [5000]),
    ]


def test_rows_without_a_claim_number_form_one_claim_and_a_totals_row_is_its_totals() -> None:
    text = (
        "Description,Charges,Plan Paid,You Owe\n"
        "Office visit,$185.00,$150.00,$35.00\n"
        "Lab,$15.00,$15.00,$0.00\n"
        "Total,$200.00,$165.00,$35.00\n"
    )
    document = parse_with(CsvParser(), text.encode())
    (claim,) = document.claims
    assert [amounts(ln) for ln in claim.lines] == [
        {"billed": "185.00", "plan_paid": "150.00", "patient_responsibility": "35.00"},
        {"billed": "15.00", "plan_paid": "15.00", "patient_responsibility": "0.00"},
    ]
    assert amounts(claim.totals) == {
        "billed": "200.00",
        "plan_paid": "165.00",
        "patient_responsibility": "35.00",
    }
    assert document.notes == []


def test_a_grouped_export_prints_the_claim_number_on_each_claims_first_row_only() -> None:
    text = (
        "Claim Number,Network,Code,Billed,Plan Paid,What You Owe\n"
        "C-1,In-Network,99213,$245.00,$112.00,$28.00\n"
        ",,80053,$300.00,$200.00,$100.00\n"
        "C-2,Out-of-Network,72148,$2400.00,$450.00,$1950.00\n"
        ",,72149,$2600.00,$475.00,$2125.00\n"
        "Total This Claim,,,$5000.00,$925.00,$4075.00\n"
        "Grand Total,,,$5545.00,$1237.00,$4203.00\n"
    )
    claims = parse_with(CsvParser(), text.encode()).claims
    assert [(c.claim_number, [ln.code for ln in c.lines]) for c in claims] == [
        ("C-1", ["99213", "80053"]),
        ("C-2", ["72148", "72149"]),
    ]
    assert {ln.network for ln in claims[1].lines} == {"out"}
    assert claims[0].totals is None or claims[0].totals.patient_responsibility is None
    assert claims[1].totals is not None and claims[1].totals.patient_responsibility == 407500


@pytest.mark.parametrize("label", ["Subtotal", "Page Total", "Provider Total", "Grand Total"])
def test_a_sum_of_more_or_less_than_one_claim_is_no_line_and_not_its_totals(label: str) -> None:
    text = f"Claim #,Billed,You Owe\nA1,$100.00,$20.00\n{label},$100.00,$20.00\n"
    (claim,) = parse_with(CsvParser(), text.encode()).claims
    assert len(claim.lines) == 1
    assert claim.totals is None or claim.totals.patient_responsibility is None


def test_a_title_above_the_header_and_a_disclaimer_below_the_rows_are_not_read() -> None:
    text = (
        "Claims Export - generated 04/01/2026\n\n"
        "Claim #,Code,Billed,Plan Paid,You Owe\n"
        "A1,99213,$245.00,$112.00,$28.00\n"
        "This export is not a bill.\n"
    )
    assert CsvParser().sniff(text.encode(), "claims.csv") > 0
    document = parse_with(CsvParser(), text.encode())
    assert [(c.claim_number, [ln.code for ln in c.lines]) for c in document.claims] == [("A1", ["99213"])]
    assert document.notes == ["Row 5 is one cell of text, not a table row; it was not read."]


def test_labels_above_a_table_make_a_text_eob_not_a_csv() -> None:
    text = "Claim Number: A1\nDate\tCode\tBilled\tPlan Paid\tYou Owe\n03/02/2026\t99213\t$245.00\t$112.00\t$28.00\n"
    assert CsvParser().sniff(text.encode(), "eob.txt") == 0.0


def test_person_columns_are_never_read() -> None:
    wire = encode(parse_with(CsvParser(), docs.csv_export(CASE).encode()).claims)
    assert docs.PATIENT.encode() not in wire


def test_accounting_cells_of_a_spreadsheet_export_are_read_as_their_amounts() -> None:
    text = (
        "Description,Charges,Plan Paid,Deductible,You Owe\n"
        'Office visit," $   185.00 "," $   150.00 "," $ -   "," $   35.00 "\n'
        'Refund," $   (20.00)"," $   (20.00)", $ -   , $ -   \n'
    )
    lines = parse_with(CsvParser(), text.encode()).claims[0].lines
    assert [amounts(line) for line in lines] == [
        {"billed": "185.00", "plan_paid": "150.00", "deductible": "0.00", "patient_responsibility": "35.00"},
        {"billed": "-20.00", "plan_paid": "-20.00", "deductible": "0.00", "patient_responsibility": "0.00"},
    ]


def test_an_unreadable_amount_names_row_and_column_not_the_value() -> None:
    text = "Claim Number,Amount Billed,Plan Paid\nA1,$12.345,$1.00\n"
    with pytest.raises(DocumentError) as caught:
        parse_with(CsvParser(), text.encode())
    assert (caught.value.status, caught.value.code) == (422, "invalid_amount")
    assert (
        str(caught.value)
        == "Row 2: the 'amount billed' amount is not readable: an amount has at most two decimals."
    )


def test_a_row_with_the_wrong_number_of_cells_is_refused() -> None:
    with pytest.raises(DocumentError) as caught:
        parse_with(CsvParser(), b"Claim,Billed,Paid\nA1,$1.00\n")
    assert str(caught.value) == "Row 2 has 2 cells; the header has 3."


def test_excel_exports_in_windows_1252_with_a_byte_order_mark() -> None:
    text = "\ufeffClaim Number,Provider,Amount Billed,Plan Paid\nA1,Caf\u00e9 Clinic,$10.00,$8.00\n"
    claim = parse_with(CsvParser(), text.encode("utf-8")).claims[0]
    assert (claim.claim_number, claim.lines[0].billed) == ("A1", 1000)
    claim = parse_with(CsvParser(), text.replace("\ufeff", "").encode("cp1252")).claims[0]
    assert claim.provider is not None and claim.provider.name == "Caf\u00e9 Clinic"


def test_sniffing_needs_a_header_with_two_amount_columns() -> None:
    parser = CsvParser()
    assert parser.sniff(docs.csv_export(CASE).encode(), "export.txt") == 0.8
    assert parser.sniff(b"name,age,city\nA,1,B\n", "x.csv") == 0.0
    assert parser.sniff(b"Billed: $185.00\nYou owe: $30.00\n", "x.csv") == 0.0


SCREENING_EXPORT = """\
Claim Number,Date of Service,Provider,Network,Service,Procedure Code,Modifier,Diagnosis,Allowed,Plan Paid,Deductible,You Owe
C-2001,08/14/2026,Example Gastroenterology,In-Network,Colonoscopy,45385,{modifier},"Z12.11, K63.5",$1210.00,$0.00,$1210.00,$1210.00
"""


def test_modifier_and_diagnosis_columns_are_read_and_make_a_screening() -> None:
    """Modifier 33 or a Z12.11 diagnosis first is what makes a colonoscopy a screening."""
    document = parse_with(CsvParser(), SCREENING_EXPORT.format(modifier="33").encode())
    (line,) = document.claims[0].lines
    assert (line.code, line.modifiers, line.diagnoses) == ("45385", ["33"], ["Z12.11", "K63.5"])
    findings = scan(ScanRequest(claims=document.claims)).findings
    assert [(f.rule, f.amount_at_stake) for f in findings] == [("PRV001", 121000)]


def test_a_colonoscopy_led_by_a_problem_diagnosis_and_no_modifier_is_not_called_a_screening() -> None:
    text = SCREENING_EXPORT.format(modifier="").replace('"Z12.11, K63.5"', "K92.1")
    document = parse_with(CsvParser(), text.encode())
    (line,) = document.claims[0].lines
    assert (line.modifiers, line.diagnoses) == ([], ["K92.1"])
    assert scan(ScanRequest(claims=document.claims)).findings == []


def test_a_payment_date_column_is_not_the_date_of_service() -> None:
    """A "Check Date" or "Payment Date" is when the plan paid; read as the date of care it would
    move the claim into another plan year."""
    text = (
        "Date of Service,Payment Date,Procedure Code,Billed,Allowed,Plan Paid,You Owe\n"
        "12/18/2026,01/09/2027,99213,$200.00,$120.00,$90.00,$30.00\n"
    )
    (line,) = parse_with(CsvParser(), text.encode()).claims[0].lines
    assert line.service_date is not None and line.service_date.isoformat() == "2026-12-18"


def test_a_footnote_after_a_column_name_does_not_hide_the_column() -> None:
    """ "Billed (see note)" points at a footnote: the column is still what was billed. Unread,
    the line loses its billed amount and the checks that compare against it stay silent."""
    text = (
        "Date of Service,Procedure Code,Billed (see note),Allowed (see note 2),Plan Paid (1),You Owe\n"
        "03/02/2026,99213,$200.00,$120.00,$90.00,$30.00\n"
    )
    (line,) = parse_with(CsvParser(), text.encode()).claims[0].lines
    assert (line.billed, line.allowed, line.plan_paid, line.patient_responsibility) == (
        20000,
        12000,
        9000,
        3000,
    )


def test_words_in_brackets_that_are_not_a_footnote_still_count() -> None:
    """The clean twin: "Paid (by you)" is not what the plan paid, and "Amount (billed)" is billed."""
    assert header_field("Paid (by you)") is None
    assert header_field("Amount (billed)") == "billed"
    assert header_field("(see note)") == "remarks"  # nothing but the aside: the aside is the name


@pytest.mark.parametrize(
    ("header", "field"),
    [
        # A word that names the person begins these amount columns: read as a name, they were
        # dropped with it, and the line lost what the patient owes.
        ("Member Liability", "patient_responsibility"),
        ("Patient Liability", "patient_responsibility"),
        ("Total Member Liability", "patient_responsibility"),
        ("Member Cost Share", "patient_responsibility"),
        ("Patient Pays", "patient_responsibility"),
        # "Charges" inside them named the billed amount as well (or instead).
        ("Eligible Charges", "allowed"),
        ("Eligible Expense", "allowed"),
        ("Non-Covered Charges", "not_covered"),
        ("Charges Not Covered", "not_covered"),
        ("Ineligible Charges", "not_covered"),
        # Two phrases each, so nothing at all.
        ("Amount Paid to Provider", "plan_paid"),
        ("Other Carrier Paid", "prior_payer_paid"),
        ("Paid by Primary", "prior_payer_paid"),
    ],
)
def test_amount_columns_insurers_print_are_read_as_their_amount(header: str, field: str) -> None:
    assert header_field(header) == field


@pytest.mark.parametrize("header", ["Patient", "Member", "Patient Name", "Member Name", "Subscriber"])
def test_the_persons_own_columns_are_still_recognised_to_be_dropped(header: str) -> None:
    assert header_field(header) == "patient"


def test_a_member_liability_column_is_what_the_patient_owes() -> None:
    text = (
        "Date of Service,Procedure Code,Eligible Charges,Plan Paid,Member Liability\n"
        "03/02/2026,99213,$120.00,$90.00,$30.00\n"
    )
    (line,) = parse_with(CsvParser(), text.encode()).claims[0].lines
    assert (line.billed, line.allowed, line.plan_paid, line.patient_responsibility) == (
        None,
        12000,
        9000,
        3000,
    )


@pytest.mark.parametrize(
    ("printed", "network"), [("In-Network", "in"), ("Out-of-Network", "out"), ("", "unknown")]
)
def test_a_facility_network_column_is_the_facilitys_network(printed: str, network: str) -> None:
    text = (
        "Claim Number,Facility,Facility Network,Date of Service,Code,Billed,Allowed,Plan Paid,You Owe\n"
        f"HX-1,Lakeside General Hospital,{printed},03/01/2026,0450,$900.00,$600.00,$480.00,$120.00\n"
    )
    [claim] = parse_with(CsvParser(), text.encode()).claims
    assert claim.facility is not None
    assert (claim.facility.name, claim.facility.network) == ("Lakeside General Hospital", network)

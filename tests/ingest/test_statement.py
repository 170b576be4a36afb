"""Provider statements (the bill a hospital or clinic mails) read into a Bill: real PDFs in three
layouts, pasted text and CSV, each read back to the cent; what is not a statement is refused;
and the bill read, with its EOB, through the scan."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

from scanner.engine import scan
from scanner.ingest import DocumentError, DocumentLimits, read_document
from scanner.ingest.statement import AN_EOB, NOT_A_STATEMENT, ParsedStatement, read_statement
from scanner.model import Bill, ScanRequest, encode
from scanner.money import Money

from . import documents as docs
from . import statements as st

AS_OF = dt.date(2026, 5, 20)
CLINIC = st.Statement(
    "Maple Grove Family Clinic",
    dt.date(2026, 4, 10),
    [
        st.Item(st.DAY, "99214", "Office visit, moderate", 25000, 15000, 7000),
        st.Item(st.DAY, "80053", "Comprehensive metabolic panel", 6000, 3000, 3000),
        st.Item(st.DAY, "36415", "Venipuncture", 2500, 1000, 1500),
    ],
    claim_number="EX-2026-000812",
    payments=2000,  # the copay collected at the desk, printed only in the summary box
)
IMAGING = st.Statement(
    "Lakeside Imaging Center",
    dt.date(2026, 5, 1),
    [st.Item(dt.date(2026, 4, 2), "70450", "CT head without contrast", 120000, 64000, 36000)],
    claim_number="EX-2026-000901",
    payments=5000,
)
#: Who and what the statements print that must never leave them.
PHI = (docs.PATIENT, "Rowan", "Testwell", st.ACCOUNT, "7781234", *st.ADDRESS, "Example Lane")


def lines(
    bill: Bill,
) -> list[tuple[str | None, dt.date | None, str | None, str | None, int | None, int | None]]:
    return [
        (ln.id, ln.service_date, ln.code, ln.description, ln.charge, ln.patient_balance) for ln in bill.lines
    ]


def assert_no_phi(parsed: ParsedStatement) -> None:
    said = encode(parsed.bill).decode() + "\n".join(parsed.notes)
    assert [word for word in PHI if word in said] == []


def refused(data: bytes, name: str, **limits: float) -> DocumentError:
    with pytest.raises(DocumentError) as caught:
        read_statement(data, name, limits=DocumentLimits(**limits))  # type: ignore[arg-type]
    assert [word for word in PHI if word in str(caught.value)] == []
    return caught.value


# --- layout 1: a hospital's itemized statement, payments as rows of their own --------------------


def test_a_hospital_statement_skips_payment_rows_and_works_out_each_lines_balance() -> None:
    parsed = read_statement(st.hospital_itemized(st.er_visit_statement()), "statement.pdf")
    bill = parsed.bill
    assert (parsed.kind, parsed.pages, parsed.notes) == ("pdf", 1, [])
    assert bill.provider_name == "Riverbend General Hospital"
    assert (bill.statement_date, bill.claim_id) == (dt.date(2026, 4, 15), "EX-2026-000777")
    assert (bill.amount_due, bill.amount_paid) == (Money(25800), Money(0))  # "Your Payments $0.00"
    assert (bill.self_pay, bill.good_faith_estimate) == (False, None)
    # The indented "Insurance Payment" and "Contractual Adjustment" rows are no lines, and being
    # printed under their line they give its balance: $1,850.00 - $950.00 - $650.00 = $250.00.
    assert lines(bill) == [
        ("1", st.DAY, "99284", "Emergency department visit, level 4", 185000, 25000),
        ("2", st.DAY, "85025", "Complete blood count (CBC)", 9500, 800),
    ]
    assert all(type(ln.charge) is Money and type(ln.patient_balance) is Money for ln in bill.lines)
    assert_no_phi(parsed)


def test_payments_printed_once_for_the_claim_leave_each_lines_balance_unknown() -> None:
    parsed = read_statement(st.hospital_itemized(st.er_visit_statement(), tied=False), "statement.pdf")
    assert [(ln.code, ln.charge, ln.patient_balance) for ln in parsed.bill.lines] == [
        ("99284", 185000, None),
        ("85025", 9500, None),
    ]
    assert parsed.bill.amount_due == 25800
    assert parsed.notes == [
        "The statement's payments and adjustments are not printed against its service lines, so each "
        "line's balance is unknown; only the amount due is read."
    ]


def test_a_statement_over_two_pages_reads_as_one_and_gets_the_same_id() -> None:
    one_page = read_statement(st.hospital_itemized(st.er_visit_statement()), "a.pdf")
    two_pages = read_statement(st.hospital_itemized(st.er_visit_statement(), rows_per_page=3), "b.pdf")
    assert two_pages.pages == 2
    assert lines(two_pages.bill) == lines(one_page.bill)
    assert two_pages.bill == one_page.bill  # the id too: the same statement, the same id
    assert two_pages.notes == []


def test_a_line_with_only_a_revenue_code_keeps_it() -> None:
    statement = st.er_visit_statement()
    statement.items[1].code = ""
    bill = read_statement(st.hospital_itemized(statement), "statement.pdf").bill
    assert [ln.code for ln in bill.lines] == ["99284", "0300"]


# --- layout 2: a clinic's statement with a summary box ---------------------------------------------


def test_a_clinic_statement_reads_its_summary_box_and_the_balances_it_prints() -> None:
    parsed = read_statement(st.clinic_summary_box(CLINIC, wrap=1), "clinic.pdf")
    bill = parsed.bill
    assert (bill.provider_name, bill.statement_date) == ("Maple Grove Family Clinic", dt.date(2026, 4, 10))
    assert bill.claim_id == "EX-2026-000812"
    # Total Charges $335.00 / Insurance Paid -$190.00 / Adjustments -$115.00 / Your Payments
    # -$20.00 / Amount Due $10.00; the line balances are printed before the $20.00 payment.
    assert (bill.amount_due, bill.amount_paid) == (Money(1000), Money(2000))
    assert lines(bill) == [
        ("1", st.DAY, "99214", "Office visit, moderate", 25000, 3000),
        ("2", st.DAY, "80053", "Comprehensive metabolic panel", 6000, 0),  # wrapped over two rows
        ("3", st.DAY, "36415", "Venipuncture", 2500, 0),
    ]
    assert parsed.notes == []
    assert_no_phi(parsed)


def test_a_family_members_name_between_the_lines_never_becomes_part_of_one() -> None:
    parsed = read_statement(st.clinic_summary_box(CLINIC, family=True), "clinic.pdf")
    assert [(ln.code, ln.description, ln.patient_balance) for ln in parsed.bill.lines] == [
        ("99214", "Office visit, moderate", 3000),
        ("80053", "Comprehensive metabolic panel", 0),
        ("36415", "Venipuncture", 0),
    ]
    assert parsed.notes == [
        "Rows with an amount but neither a date nor a service code were not read as lines."
    ]
    assert_no_phi(parsed)


# --- layout 3: pasted text, and a CSV export ----------------------------------------------------------


def test_a_pasted_statement_reads_like_the_pdf() -> None:
    parsed = read_statement(st.pasted_text(IMAGING).encode(), "pasted.txt")
    bill = parsed.bill
    assert (parsed.kind, parsed.pages) == ("text", None)
    assert (bill.provider_name, bill.statement_date) == ("Lakeside Imaging Center", dt.date(2026, 5, 1))
    assert (bill.claim_id, bill.amount_due, bill.amount_paid) == ("EX-2026-000901", 15000, 5000)
    # One line: every payment and adjustment is its own ($1,200.00 - $640.00 - $360.00 - $50.00).
    assert lines(bill) == [("1", dt.date(2026, 4, 2), "70450", "CT head without contrast", 120000, 15000)]
    assert parsed.notes == []
    assert_no_phi(parsed)


def test_pasted_text_of_the_hospital_statement_gets_the_pdfs_bill_and_id() -> None:
    from_pdf = read_statement(st.hospital_itemized(st.er_visit_statement()), "statement.pdf").bill
    from_text = read_statement(st.pasted_text(st.er_visit_statement()).encode(), "pasted.txt").bill
    assert [(ln.code, ln.charge, ln.patient_balance) for ln in from_text.lines] == [
        (ln.code, ln.charge, ln.patient_balance) for ln in from_pdf.lines
    ]
    assert from_text.id == from_pdf.id


def test_unindented_payment_rows_of_several_lines_are_tied_to_none() -> None:
    parsed = read_statement(st.pasted_text(st.er_visit_statement(), indent=False).encode(), "pasted.txt")
    assert [ln.patient_balance for ln in parsed.bill.lines] == [None, None]
    assert parsed.bill.amount_due == 25800
    assert len(parsed.notes) == 1


def test_a_csv_export_of_the_lines() -> None:
    parsed = read_statement(st.csv_export(CLINIC).encode(), "lines.csv")
    assert parsed.kind == "csv"
    assert [(ln.code, ln.service_date, ln.charge, ln.patient_balance) for ln in parsed.bill.lines] == [
        ("99214", st.DAY, 25000, 3000),
        ("80053", st.DAY, 6000, 0),
        ("36415", st.DAY, 2500, 0),
    ]
    assert parsed.bill.amount_due == 1000
    assert "The provider's name was not found at the top of the statement." in parsed.notes


LEDGER = """Northside Pediatrics
Statement Date: 03/31/2026          Account #: 55-1234

Date        Description                              Charges     Payments     Balance
{forward}02/10/2026  99213 Office visit                       $180.00                  $180.00
02/10/2026  87880 Strep test                          $40.00                  $220.00
02/24/2026  Insurance Payment - Example Health                    -$120.00    $100.00
02/24/2026  Contractual Adjustment                                -$60.00      $40.00

Amount Due: $40.00
"""


def test_a_running_balance_column_is_not_read_as_the_lines_balances() -> None:
    parsed = read_statement(LEDGER.format(forward="").encode(), "ledger.txt")
    assert [(ln.code, ln.description, ln.charge, ln.patient_balance) for ln in parsed.bill.lines] == [
        ("99213", "Office visit", 18000, None),
        ("87880", "Strep test", 4000, None),
    ]
    assert parsed.bill.amount_due == 4000
    assert parsed.notes[0] == (
        "The statement's Balance column is the account's running balance, not each line's balance; it "
        "was not read as the lines' balances."
    )


def test_a_balance_carried_from_an_earlier_statement_is_no_service() -> None:
    forward = "02/01/2026  Balance Forward                          $100.00                  $100.00\n"
    parsed = read_statement(LEDGER.format(forward=forward).encode(), "ledger.txt")
    assert [ln.code for ln in parsed.bill.lines] == ["99213", "87880"]


def test_a_balance_printed_under_each_line_is_that_lines() -> None:
    text = """Riverbend General Hospital
Statement Date: 04/15/2026
Date of Service   Code    Description                                  Charges
03/02/2026        99284   Emergency department visit                 $1,850.00
                            Insurance Payment - Example Mutual Health   -$950.00
                            Patient Responsibility                       $250.00
03/02/2026        85025   Complete blood count                          $95.00
                            Patient Responsibility                         $8.00
Amount Due: $258.00
"""
    parsed = read_statement(text.encode(), "pasted.txt")
    assert [(ln.code, ln.patient_balance) for ln in parsed.bill.lines] == [("99284", 25000), ("85025", 800)]
    assert parsed.notes == []


def test_two_claim_numbers_tie_the_bill_to_neither() -> None:
    text = st.pasted_text(IMAGING).replace(
        "Insurance Claim Number: EX-2026-000901",
        "Insurance Claim Number: EX-2026-000901\nClaim #: EX-2026-000902",
    )
    parsed = read_statement(text.encode(), "pasted.txt")
    assert parsed.bill.claim_id is None
    assert any("more than one insurance claim number" in note for note in parsed.notes)


# --- the clean twins ---------------------------------------------------------------------------------


def test_a_statement_without_itemized_lines_gives_the_amount_due() -> None:
    parsed = read_statement(st.summary_only("Harbor Point Medical Group", dt.date(2026, 4, 1), 8500), "s.pdf")
    bill = parsed.bill
    assert (bill.provider_name, bill.statement_date, bill.amount_due) == (
        "Harbor Point Medical Group",
        dt.date(2026, 4, 1),
        Money(8500),
    )
    assert (bill.lines, bill.claim_id, bill.amount_paid) == ([], None, None)
    assert parsed.notes == []
    assert_no_phi(parsed)


def test_an_eob_is_refused_as_not_a_statement() -> None:
    for data, name in (
        (docs.member_statement(st.er_visit_eob()), "eob.pdf"),
        (docs.text_table(st.er_visit_eob()).encode(), "eob.txt"),
    ):
        error = refused(data, name)
        assert (error.status, error.code, error.message) == (422, "not_a_statement", AN_EOB)


def _letter_pdf() -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=letter)
    for row, line in enumerate(
        (
            "Community Garden Newsletter",
            "The spring planting day is 04/12/2026. Bring gloves and a trowel.",
            "Plots cost $25.00 for the season; the tool shed key is at the front desk.",
        )
    ):
        pdf.drawString(72, 720 - 18 * row, line)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def test_what_is_no_statement_is_refused_with_a_message_that_quotes_nothing() -> None:
    error = refused(_letter_pdf(), "newsletter.pdf")
    assert (error.code, error.message) == ("not_a_statement", NOT_A_STATEMENT)
    assert refused(b"Dear Rowan Testwell, see you at the garden.", "note.txt").code == "not_a_statement"
    assert refused(docs.scanned_image_pdf(), "scan.pdf").code == "pdf_no_text"
    assert refused(b"   \n\t ", "empty.txt").code == "empty_document"
    assert refused(b"\x00\x01\x02binary", "blob.bin").code == "unsupported_document"
    assert refused(st.pasted_text(IMAGING).encode(), "statement.pdf").code == "not_a_pdf"


def test_an_unreadable_amount_names_its_row_not_its_value() -> None:
    text = st.pasted_text(IMAGING).replace("Balance Due: $150.00", "Balance Due: $200,000,000.00")
    error = refused(text.encode(), "pasted.txt")
    assert (error.code, error.message) == (
        "invalid_amount",
        f"Line {text.splitlines().index('Balance Due: $200,000,000.00') + 1}: the 'Amount Due' amount is "
        "not readable: amount is above the $100,000,000 limit.",
    )


def test_the_document_limits_hold() -> None:
    pdf = st.hospital_itemized(st.er_visit_statement(), rows_per_page=3)
    assert refused(pdf, "s.pdf", max_bytes=len(pdf) - 1).code == "document_too_large"
    assert refused(pdf, "s.pdf", max_pages=1).code == "too_many_pages"
    error = refused(pdf, "s.pdf", max_claims=1)
    assert (error.code, error.message) == ("too_many_lines", "The statement lists more than 1 service lines.")


def test_pdfminer_never_runs_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    import scanner.ingest.pdf_extract as in_process

    def forbidden(*_: object, **__: object) -> None:
        raise AssertionError("pdfminer ran outside the sandbox")

    monkeypatch.setattr(in_process, "extract", forbidden)
    monkeypatch.setattr(in_process, "extract_pages", forbidden)
    assert read_statement(st.hospital_itemized(st.er_visit_statement()), "s.pdf").bill.amount_due == 25800


# --- good faith estimates -------------------------------------------------------------------------


def _self_pay(*, self_pay: bool, claim_number: str | None = None) -> st.Statement:
    return st.Statement(
        "Cedar Ridge Surgery Center",
        dt.date(2026, 4, 20),
        [st.Item(dt.date(2026, 4, 1), "45378", "Colonoscopy, diagnostic", 185000)],
        claim_number=claim_number,
        good_faith_estimate=120000,
        self_pay=self_pay,
    )


def test_a_self_pay_statement_with_a_good_faith_estimate() -> None:
    parsed = read_statement(st.pasted_text(_self_pay(self_pay=True)).encode(), "pasted.txt")
    bill = parsed.bill
    assert (bill.self_pay, bill.good_faith_estimate, bill.amount_due) == (True, Money(120000), Money(185000))
    assert lines(bill) == [("1", dt.date(2026, 4, 1), "45378", "Colonoscopy, diagnostic", 185000, 185000)]
    assert parsed.notes == []
    # Charges $650.00 above the estimate: the patient-provider dispute is open, no EOB needed.
    result = scan(ScanRequest(bills=[bill], as_of=AS_OF))
    finding = next(f for f in result.findings if f.rule == "BAL005")
    assert (finding.bill_id, finding.amount_at_stake) == (bill.id, Money(65000))


def test_an_estimate_on_an_insured_statement_does_not_make_it_self_pay() -> None:
    parsed = read_statement(
        st.pasted_text(_self_pay(self_pay=False, claim_number="EX-2026-000950")).encode(), "pasted.txt"
    )
    assert (parsed.bill.self_pay, parsed.bill.good_faith_estimate) == (False, Money(120000))
    assert parsed.notes == [
        "The statement prints a good faith estimate but does not say the care was self-pay (uninsured); "
        "an estimate is held against the bill only for self-pay care."
    ]


# --- ids ------------------------------------------------------------------------------------------------


def test_the_bill_id_is_opaque_and_tells_statements_apart() -> None:
    same = read_statement(st.hospital_itemized(st.er_visit_statement()), "a.pdf").bill
    other = read_statement(st.hospital_itemized(st.er_visit_statement(er_adjustment=40000)), "a.pdf").bill
    assert same.id.startswith("bill-") and same.id != other.id
    assert "000777" not in same.id and "7781234" not in same.id


# --- end to end: the statement and its EOB through the scan ---------------------------------------


def _scan_with_the_eob(bill: Bill) -> list[tuple[str, int]]:
    eob = read_document(docs.member_statement(st.er_visit_eob()), "eob.pdf")
    assert [c.claim_number for c in eob.claims] == [bill.claim_id]
    result = scan(ScanRequest(claims=eob.claims, bills=[bill], as_of=AS_OF))
    assert not any("was not compared" in note for note in result.notes)
    return [(f.rule, int(f.amount_at_stake)) for f in result.findings if f.bill_id == bill.id]


def test_a_statement_asking_what_the_eob_says_you_owe_raises_nothing() -> None:
    bill = read_statement(st.hospital_itemized(st.er_visit_statement()), "statement.pdf").bill
    assert _scan_with_the_eob(bill) == []


def test_a_statement_asking_more_than_the_eob_is_balance_billing() -> None:
    # The hospital posted $400.00 of the $650.00 contractual adjustment: it asks $500.00 for the
    # visit, where the EOB says your share is $250.00.
    bill = read_statement(
        st.hospital_itemized(st.er_visit_statement(er_adjustment=40000)), "statement.pdf"
    ).bill
    assert [ln.patient_balance for ln in bill.lines] == [50000, 800]
    found = _scan_with_the_eob(bill)
    assert ("BAL001", 25000) in found
    assert [rule for rule, _ in found if rule != "BAL006"] == ["BAL001"]


def test_a_statement_without_line_balances_is_judged_by_its_amount_due() -> None:
    same = read_statement(st.hospital_itemized(st.er_visit_statement(), tied=False), "statement.pdf").bill
    assert _scan_with_the_eob(same) == []
    more = st.hospital_itemized(st.er_visit_statement(er_adjustment=40000), tied=False)
    bill = read_statement(more, "statement.pdf").bill
    assert bill.amount_due == 50800
    found = _scan_with_the_eob(bill)
    assert [rule for rule, _ in found if rule != "BAL006"] == ["BAL001"]
    assert ("BAL001", 25000) in found

"""A portal's EOB page printed to PDF reads as the same page pasted as text.

Portals print their claim pages in a monospaced font: words one space apart, columns and labels
two spaces or more apart. These documents are drawn line by line in Courier, as a browser's
"print to PDF" of a plain-text page draws them, and each is read both ways.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

from reportlab.lib.pagesizes import landscape, letter
from reportlab.pdfgen import canvas

from scanner.engine import scan
from scanner.ingest import ParsedDocument, read_document
from scanner.model import Claim, ScanRequest, encode
from scanner.testing import money


def courier_pdf(text: str) -> bytes:
    """The text drawn line by line in 6.5-point Courier on landscape pages."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=landscape(letter))
    pdf.setFont("Courier", 6.5)
    y = 580.0
    for line in text.splitlines():
        pdf.drawString(20, y, line)
        y -= 9
        if y < 30:
            pdf.showPage()
            pdf.setFont("Courier", 6.5)
            y = 580.0
    pdf.save()
    return buffer.getvalue()


def read_both(text: str) -> tuple[ParsedDocument, ParsedDocument]:
    """The document read from its PDF print and from its text."""
    return read_document(courier_pdf(text), "eob.pdf"), read_document(text.encode(), "eob.txt")


def comparable(claim: Claim) -> dict[str, Any]:
    """The claim as read, less what says where it was read from."""
    fields: dict[str, Any] = json.loads(encode(claim))
    fields.pop("id")
    fields.pop("source")
    return fields


def assert_reads_as_its_text(text: str) -> list[Claim]:
    pdf, pasted = read_both(text)
    assert [comparable(c) for c in pdf.claims] == [comparable(c) for c in pasted.claims]
    assert pdf.notes == pasted.notes == []
    return pdf.claims


FAMILY = """\
Blue Shield of Example
EXPLANATION OF BENEFITS - THIS IS NOT A BILL
Subscriber: Robin Sampleton        ID: XYZ000000009
Statement period: 07/01/2026 to 07/31/2026

Patient: Quinn Sampleton    Relationship: Dependent
Claim #: 8817000001      Provider: Hillside Pediatrics      In-Network
Received 07/08/2026      Processed 07/15/2026

Dates of Service   Procedure   Description                 Charges    Allowed   Other Insurance Paid   Deductible   Copay    Coinsurance   Paid by Plan   Patient Responsibility   Remarks
07/02/2026         99392       Well child visit 1-4 yrs    $240.00    $160.00   $0.00                  $0.00        $30.00   $0.00         $130.00        $30.00
07/02/2026         90700       DTaP vaccine                $95.00     $48.00    $0.00                  $0.00        $0.00    $0.00         $48.00         $0.00

Patient: Robin Sampleton    Relationship: Subscriber
Claim #: 8817000002      Provider: Example Joint Clinic      In-Network
Received 07/20/2026      Processed 07/27/2026

Dates of Service   Procedure   Description                 Charges    Allowed   Other Insurance Paid   Deductible   Copay    Coinsurance   Paid by Plan   Patient Responsibility   Remarks
07/18/2026         99204       New patient visit           $410.00    $215.00   $0.00                  $0.00        $50.00   $0.00         $165.00        $50.00
07/18/2026         73721       MRI knee w/o contrast       $2,600.00  $640.00   $0.00                  $400.00      $0.00    $48.00        $192.00        $448.00                  45

Family deductible: $3,000.00   Met so far: $1,400.00
"""


def test_words_one_courier_space_apart_are_one_cell_and_columns_two_spaces_apart_are_not() -> None:
    claims = assert_reads_as_its_text(FAMILY)
    assert [(c.claim_number, c.member) for c in claims] == [("8817000001", "child-1"), ("8817000002", "self")]
    assert [(c.provider.name, c.provider.network) for c in claims if c.provider] == [
        ("Hillside Pediatrics", "in"),
        ("Example Joint Clinic", "in"),
    ]
    first, second = claims
    assert [(line.code, line.description, line.billed) for line in first.lines] == [
        ("99392", "Well child visit 1-4 yrs", money("240.00")),
        ("90700", "DTaP vaccine", money("95.00")),
    ]
    assert [line.patient_responsibility for line in second.lines] == [money("50.00"), money("448.00")]
    assert (second.received_date.isoformat(), second.processed_date.isoformat()) == (  # type: ignore[union-attr]
        "2026-07-20",
        "2026-07-27",
    )
    assert second.accumulators is not None
    assert (second.accumulators.family_deductible, second.accumulators.family_deductible_met) == (
        money("3000.00"),
        money("1400.00"),
    )


TWINS = """\
EXPLANATION OF BENEFITS - THIS IS NOT A BILL
Processed 09/15/2026

Patient: Quinn Sampleton    Relationship: Dependent
Claim #: 8817000101      Provider: Hillside Pediatrics
Date of Service   Procedure   Description          Charges   Allowed   Deductible   Copay   Coinsurance   Paid by Plan   Patient Responsibility
09/02/2026        90686       Flu vaccine          $60.00    $38.00    $0.00        $0.00   $0.00         $38.00         $0.00
09/02/2026        99213       Office visit         $170.00   $110.00   $0.00        $25.00  $0.00         $85.00         $25.00

Patient: Reese Sampleton    Relationship: Dependent
Claim #: 8817000102      Provider: Hillside Pediatrics
Date of Service   Procedure   Description          Charges   Allowed   Deductible   Copay   Coinsurance   Paid by Plan   Patient Responsibility
09/02/2026        90686       Flu vaccine          $60.00    $38.00    $0.00        $0.00   $0.00         $38.00         $0.00
09/02/2026        99213       Office visit         $170.00   $110.00   $0.00        $25.00  $0.00         $85.00         $25.00
"""


def test_labels_printed_right_above_a_table_head_their_claim_and_a_new_patient_begins_the_next() -> None:
    claims = assert_reads_as_its_text(TWINS)
    assert [(c.claim_number, c.member) for c in claims] == [
        ("8817000101", "child-1"),
        ("8817000102", "child-2"),
    ]
    assert all(c.provider is not None and c.provider.name == "Hillside Pediatrics" for c in claims)
    for claim in claims:
        assert [(line.code, line.billed, line.plan_paid) for line in claim.lines] == [
            ("90686", money("60.00"), money("38.00")),
            ("99213", money("170.00"), money("85.00")),
        ]


LABELLED_NETWORK = """\
Example Choice POS II
EXPLANATION OF BENEFITS          THIS IS NOT A BILL
Statement Date: 09/14/2026
Member: Jamie R. Sampleton     Member ID: W000111999     Group: 0099887-10-009

Claim ID: EM7Q3K2LM99    Patient: Jamie Sampleton (Self)
Provider: Lakeview Family Medicine     Network Status: In-Network
Received: 08/29/2026     Processed: 09/12/2026

Service Date   Service Description              Procedure   Amount Billed   Member Rate   Pending or Not Payable   Applied to Deductible   Copay   Coinsurance   Plan Pays   Your Responsibility
08/20/2026     Preventive visit, 40-64 yrs      99396       $310.00         $198.00       $0.00                    $198.00                 $0.00   $0.00         $0.00       $198.00
08/20/2026     Lipid panel                      80061       $85.00          $22.00        $0.00                    $22.00                  $0.00   $0.00         $0.00       $22.00
Totals                                                      $395.00         $220.00       $0.00                    $220.00                 $0.00   $0.00         $0.00       $220.00

Your plan year deductible: $2,000.00     Met so far: $220.00
"""


def test_a_network_status_label_after_the_providers_name_is_the_providers_network() -> None:
    (claim,) = assert_reads_as_its_text(LABELLED_NETWORK)
    assert claim.claim_number == "EM7Q3K2LM99"
    assert claim.provider is not None
    assert (claim.provider.name, claim.provider.network) == ("Lakeview Family Medicine", "in")
    assert [(line.service_date.isoformat(), line.description, line.billed) for line in claim.lines] == [  # type: ignore[union-attr]
        ("2026-08-20", "Preventive visit, 40-64 yrs", money("310.00")),
        ("2026-08-20", "Lipid panel", money("85.00")),
    ]
    assert claim.totals is not None and claim.totals.billed == money("395.00")
    assert claim.accumulators is not None and claim.accumulators.deductible_met == money("220.00")


CLAIM_AFTER_NAME = """\
Example Healthcare
Explanation of Benefits for: Drew Sampleton
This is not a bill.

Drew Sampleton (Self) - claim # 36301A0000009
Service provider: Brookside Imaging Center LLC   (out-of-network)
Service dates: 10/03/2026
Processed on: 10/17/2026

Service            Amount billed   Discount   Amount allowed   Your copay   Amount not covered   Your deductible   Your coinsurance   What your plan paid   What I owe
MRI brain w/o dye  $2,850.00       $0.00      $1,100.00        $0.00        $1,750.00            $500.00           $180.00            $420.00               $2,430.00
 (70551)
Total              $2,850.00       $0.00      $1,100.00        $0.00        $1,750.00            $500.00           $180.00            $420.00               $2,430.00
"""


def test_a_claim_number_labelled_after_the_patients_name_is_read_from_a_pdf() -> None:
    (claim,) = assert_reads_as_its_text(CLAIM_AFTER_NAME)
    assert claim.claim_number == "36301A0000009"
    assert claim.provider is not None and claim.provider.network == "out"
    (line,) = claim.lines
    assert (line.code, line.description) == ("70551", "MRI brain w/o dye")
    assert (line.billed, line.not_covered, line.patient_responsibility) == (
        money("2850.00"),
        money("1750.00"),
        money("2430.00"),
    )


DATE_AFTER_DESCRIPTION = """\
Explanation of Benefits
Claim Number: 2026031500999
Provider: Elmwood Imaging Associates (In-Network)
Date of Service: 03/10/2026
Date Processed: 03/28/2026

Service Description          Date        Amount Billed   Allowed Amount   Plan Paid   Deductible   Coinsurance   What You Owe
MRI brain w/o contrast 70551 03/10/2026  $2,450.00       $820.00          $0.00       $820.00      $0.00         $820.00
"""


def test_a_date_printed_one_space_after_the_description_is_the_lines_date_not_its_words() -> None:
    (claim,) = assert_reads_as_its_text(DATE_AFTER_DESCRIPTION)
    (line,) = claim.lines
    assert (line.code, line.description) == ("70551", "MRI brain w/o contrast")
    assert line.service_date is not None and line.service_date.isoformat() == "2026-03-10"
    assert (line.billed, line.plan_paid, line.patient_responsibility) == (
        money("2450.00"),
        money("0.00"),
        money("820.00"),
    )


HOSPITAL_STAY = """\
Example Health Plan - Explanation of Benefits
This is not a bill
Claim number: H2026-55501
Facility: Mercy Example Hospital (In-network)
Type of claim: Inpatient
Dates of service: 05/03/2026 - 05/06/2026
Date received: 05/20/2026   Date processed: 06/11/2026

Rev Code  Description                 Charges      Allowed     Plan Paid    Deductible  Coinsurance  You Owe
0120      Room and board semi-private $9,600.00
0250      Pharmacy                    $2,310.00
0300      Laboratory                  $1,480.00
0450      Emergency room              $3,200.00
Claim total                           $16,590.00   $11,200.00  $8,120.00    $1,500.00   $1,580.00    $3,080.00

Out-of-pocket maximum: $3,000.00    Met so far: $3,000.00
Deductible: $1,500.00 of $1,500.00 met
"""


def test_a_hospitals_revenue_lines_of_charges_only_are_read_and_the_stay_judged_by_its_totals() -> None:
    """As text each revenue line was "not read" with a note; as a PDF they were read as lines,
    which hid the totals from the rules: the $80.00 charged past the out-of-pocket maximum was
    found in the text and lost in the PDF."""
    (claim,) = assert_reads_as_its_text(HOSPITAL_STAY)
    assert [(line.code, line.description, line.billed) for line in claim.lines] == [
        ("0120", "Room and board semi-private", money("9600.00")),
        ("0250", "Pharmacy", money("2310.00")),
        ("0300", "Laboratory", money("1480.00")),
        ("0450", "Emergency room", money("3200.00")),
    ]
    result = scan(ScanRequest(claims=[claim], as_of=dt.date(2026, 6, 20)))
    over = [f for f in result.findings if f.rule == "OOP001"]
    assert [(f.line_ids, f.amount_at_stake) for f in over] == [([], money("80.00"))]


def test_a_row_of_one_amount_without_a_service_code_is_still_no_line() -> None:
    """The twin: a single charge printed without a code is no revenue line."""
    text = HOSPITAL_STAY.replace("0300      Laboratory     ", "Laboratory, see notes")
    document = read_document(text.encode(), "eob.txt")
    assert [line.code for line in document.claims[0].lines] == ["0120", "0250", "0450"]
    assert any("Line 12 has 1 amounts" in note for note in document.notes)

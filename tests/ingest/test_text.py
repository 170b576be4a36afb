"""Text pasted from an EOB page or PDF: labelled values and table-like lines."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from scanner.engine import scan
from scanner.ingest import DocumentError
from scanner.ingest.text import TextParser
from scanner.model import Plan, ScanRequest

from . import documents as docs
from .helpers import amounts, parse_with

CASE = docs.Case(
    "text",
    "Example Mutual Health",
    [
        docs.make_claim(random.Random(31), "EOB-2025-000501", "Lakeside Family Clinic", 3),
        docs.make_claim(
            random.Random(32), "EOB-2025-000502", "Northside Imaging Center", 2, "Out-of-Network"
        ),
    ],
)


def parse(text: str) -> object:
    return parse_with(TextParser(), text.encode())


def test_labelled_values_one_per_line() -> None:
    document = parse_with(
        TextParser(),
        b"Claim Number: EX-100\nProvider: Lakeside Family Clinic\nDate of Service: 03/01/2025\n"
        b"Service: Office visit (99213)\nBilled: $185.00\nAllowed: $120.00\nPlan Paid: $90.00\n"
        b"Copay: $30.00\nYou Owe: $30.00\n",
    )
    (claim,) = document.claims
    (line,) = claim.lines
    assert amounts(line) == {
        "billed": "185.00",
        "allowed": "120.00",
        "plan_paid": "90.00",
        "copay": "30.00",
        "patient_responsibility": "30.00",
    }
    assert (line.code, line.code_system, line.description, str(line.service_date)) == (
        "99213",
        "CPT",
        "Office visit",
        "2025-03-01",
    )
    assert (claim.claim_number, claim.source, document.kind) == ("EX-100", "text", "text")


def test_a_label_printed_again_starts_the_next_line_and_total_labels_are_totals() -> None:
    document = parse_with(TextParser(), docs.text_labels(CASE).encode())
    assert [c.claim_number for c in document.claims] == ["EOB-2025-000501", "EOB-2025-000502"]
    for claim, truth in zip(document.claims, CASE.claims, strict=True):
        assert len(claim.lines) == len(truth.lines)
        for line, expected in zip(claim.lines, truth.lines, strict=True):
            assert {f: getattr(line, f) for f in docs.LABEL_FIELDS} == {
                f: expected.amount(f) for f in docs.LABEL_FIELDS
            }
            assert (line.code, line.service_date) == (expected.code, expected.date)
        assert claim.totals is not None
        assert claim.totals.patient_responsibility == truth.total("patient_responsibility")
    assert document.notes == []


@pytest.mark.parametrize("separator", ["  ", "\t", " | "], ids=["spaces", "tabs", "pipes"])
def test_table_lines_under_a_header_are_matched_by_position(separator: str) -> None:
    document = parse_with(TextParser(), docs.text_table(CASE, separator=separator).encode())
    for claim, truth in zip(document.claims, CASE.claims, strict=True):
        for line, expected in zip(claim.lines, truth.lines, strict=True):
            fields = docs.TEXT_TABLE_FIELDS
            assert {f: getattr(line, f) for f in fields} == {f: expected.amount(f) for f in fields}
        assert claim.totals is not None
        assert claim.totals.billed == truth.total("billed")
    assert document.notes == []


def test_table_lines_that_lost_their_columns_are_matched_by_order() -> None:
    text = (
        "Date Service Code Amount Billed Allowed Plan Paid You Owe\n"
        "03/01/2025 Office visit 99213 $185.00 $120.00 $90.00 $30.00\n"
        "03/01/2025 Blood count 85025 $40.00 $22.50 $22.50 $0.00\n"
    )
    lines = parse_with(TextParser(), text.encode()).claims[0].lines
    assert [amounts(line) for line in lines] == [
        {"billed": "185.00", "allowed": "120.00", "plan_paid": "90.00", "patient_responsibility": "30.00"},
        {"billed": "40.00", "allowed": "22.50", "plan_paid": "22.50", "patient_responsibility": "0.00"},
    ]
    assert [(ln.code, ln.description) for ln in lines] == [
        ("99213", "Office visit"),
        ("85025", "Blood count"),
    ]


def test_a_table_line_with_a_missing_amount_is_reported_not_guessed() -> None:
    text = (
        "Date Service Amount Billed Allowed Plan Paid You Owe\n"
        "03/01/2025 Office visit $185.00 $120.00 $30.00\n"
        "03/02/2025 Lab work $40.00 $22.50 $22.50 $0.00\n"
    )
    document = parse_with(TextParser(), text.encode())
    assert [ln.billed for ln in document.claims[0].lines] == [4000]
    assert document.notes == [
        "Line 2 has 3 amounts but the table header names 4 amount columns; it was not read."
    ]


def test_a_copied_two_column_page_without_colons() -> None:
    text = "Claim number\tZX-9\nAmount billed\t$300.00\nPlan paid\t$200.00\nYour responsibility\t$100.00\n"
    claim = parse_with(TextParser(), text.encode()).claims[0]
    assert claim.claim_number == "ZX-9"
    assert amounts(claim.lines[0]) == {
        "billed": "300.00",
        "plan_paid": "200.00",
        "patient_responsibility": "100.00",
    }


def test_names_and_member_ids_are_not_kept() -> None:
    from scanner.model import encode

    wire = encode(parse_with(TextParser(), docs.text_table(CASE).encode()).claims)
    assert docs.PATIENT.encode() not in wire and docs.MEMBER_ID.encode() not in wire


def test_an_unreadable_amount_names_the_line_and_column_not_the_value() -> None:
    with pytest.raises(DocumentError) as caught:
        parse_with(TextParser(), b"Billed: $1,23,4.56\nPlan Paid: $1.00\n")
    assert caught.value.code == "invalid_amount"
    assert (
        str(caught.value) == "Line 1: the 'amount billed' amount is not readable: not a recognisable amount."
    )


def test_text_without_amounts_is_not_an_eob() -> None:
    assert TextParser().sniff(b"Dear member,\nthank you.\n", None) == 0.0
    with pytest.raises(DocumentError) as caught:
        parse_with(TextParser(), b"Claim Number: 1\nProvider: Lakeside Family Clinic\n")
    assert (caught.value.status, caught.value.code) == (422, "no_eob_text")


def test_sniffing_accepts_eob_text_and_refuses_json_html_and_binary() -> None:
    parser = TextParser()
    assert parser.sniff(b"Billed: $185.00\nYou owe: $30.00", "eob.pdf") == 0.5
    assert parser.sniff(b'{"Billed": "$185.00"}', None) == 0.0
    assert parser.sniff(b"<html>Billed: $185.00</html>", None) == 0.0
    assert parser.sniff(b"\x00\x01Billed: $185.00", None) == 0.0


def test_a_service_whose_name_starts_with_total_is_a_line_not_the_totals() -> None:
    text = (
        "Date  Service  Code  Amount Billed  Allowed  Plan Paid  You Owe\n"
        "03/01/2025  Total knee replacement  27447  $50,000.00  $21,000.00  $18,900.00  $2,100.00\n"
        "Total  $50,000.00  $21,000.00  $18,900.00  $2,100.00\n"
    )
    claim = parse_with(TextParser(), text.encode()).claims[0]
    assert [(ln.code, ln.description, ln.billed) for ln in claim.lines] == [
        ("27447", "Total knee replacement", 5_000_000)
    ]
    assert claim.totals is not None and claim.totals.billed == 5_000_000


@pytest.mark.parametrize(
    ("label", "claims_totals"),
    [("Total This Claim", True), ("Total Amount", True), ("Subtotal", False), ("Page Total", False)],
)
def test_totals_rows_are_never_lines_and_only_a_claims_own_are_its_totals(
    label: str, claims_totals: bool
) -> None:
    text = (
        "Date  Service  Code  Amount Billed  Allowed  Plan Paid  You Owe\n"
        "03/01/2025  Office visit  99213  $245.00  $140.00  $112.00  $28.00\n"
        f"{label}  $245.00  $140.00  $112.00  $28.00\n"
    )
    claim = parse_with(TextParser(), text.encode()).claims[0]
    assert [ln.code for ln in claim.lines] == ["99213"]
    owed = claim.totals.patient_responsibility if claim.totals is not None else None
    assert owed == (2800 if claims_totals else None)


PASTED_WELL_VISIT = """\
Explanation of Benefits
Claim Number: EX-2026-0412
Provider: Example Family Medicine {status}
Date of Service: 03/14/2026
Processed: 04/02/2026

Service Description        Procedure   Amount Billed   Allowed   Plan Paid   Deductible   You Owe
Preventive visit, 40-64    99396       $310.00         $182.00   $0.00       $182.00      $182.00
"""


@pytest.mark.parametrize("status", ["(In-Network)", "     In-Network", "\tParticipating provider"])
def test_a_network_status_after_the_providers_name_is_the_claims_network(status: str) -> None:
    document = parse_with(TextParser(), PASTED_WELL_VISIT.format(status=status).encode())
    (claim,) = document.claims
    assert claim.provider is not None
    assert (claim.provider.name, claim.provider.network) == ("Example Family Medicine", "in")
    assert [line.network for line in claim.lines] == ["in"]
    findings = scan(ScanRequest(claims=document.claims)).findings
    assert [(f.rule, f.amount_at_stake) for f in findings] == [("PRV001", 182_00)]


@pytest.mark.parametrize("status", ["(Suite 200)", "     Network Clinic"])
def test_a_provider_name_without_a_status_leaves_the_network_unknown(status: str) -> None:
    document = parse_with(TextParser(), PASTED_WELL_VISIT.format(status=status).encode())
    (claim,) = document.claims
    assert [line.network for line in claim.lines] == ["unknown"]
    assert scan(ScanRequest(claims=document.claims)).findings == []


#: The claim header as a portal prints it, several labels per line between dots and bars, pasted
#: (the same page as tests/browser/fixtures/generic-inline-header.html, which the extension reads).
INLINE_HEADER = """\
Provider: Alder Street Clinic · Patient: Wren Quillfeather-Example · Member ID: WFM-5520-0187
{network}Claim status: Processed
Claim #: WF-2026-00421 · Facility: Alder Street Surgery Center
Received: 03/02/2026 | Processed: 03/20/2026
Date of Service  Code  Benefit Level  Billed  Allowed  Plan Paid  Deductible  Coinsurance  You Owe
03/01/2026  99214  Out-of-Network  $260.00  $150.00  $60.00  $0.00  $90.00  $90.00
03/01/2026  93000  In-Network  $80.00  $40.00  $32.00  $0.00  $8.00  $8.00
"""


def test_labels_without_colons_side_by_side_are_each_read() -> None:
    text = PASTED_WELL_VISIT.format(status="").replace(
        "Processed: 04/02/2026", "Received 03/20/2026      Processed 04/02/2026"
    )
    (claim,) = parse_with(TextParser(), text.encode()).claims
    assert (claim.received_date, claim.processed_date) == (dt.date(2026, 3, 20), dt.date(2026, 4, 2))


def test_a_row_of_a_spaced_label_beside_other_words_reads_no_label() -> None:
    text = PASTED_WELL_VISIT.format(status="").replace(
        "Processed: 04/02/2026", "Received 03/20/2026      please keep this notice"
    )
    (claim,) = parse_with(TextParser(), text.encode()).claims
    assert claim.received_date is None


def test_a_header_of_several_labels_per_line_gives_each_field_its_own_value() -> None:
    document = parse(
        INLINE_HEADER.format(network="Network status: In-Network · Facility network: In-Network · ")
    )
    (claim,) = document.claims
    assert claim.provider is not None and claim.facility is not None
    assert (claim.claim_number, claim.provider.name, claim.facility.name) == (
        "WF-2026-00421",
        "Alder Street Clinic",
        "Alder Street Surgery Center",
    )
    assert (claim.provider.network, claim.facility.network, claim.status) == ("in", "in", "paid")
    assert (claim.received_date, claim.processed_date) == (dt.date(2026, 3, 2), dt.date(2026, 3, 20))
    assert "Quillfeather" not in repr(document) and "WFM-5520" not in repr(document)
    findings = scan(ScanRequest(claims=document.claims)).findings
    assert ("NET001", ["1"]) in [(f.rule, f.line_ids) for f in findings]


def test_without_a_printed_network_status_the_pasted_header_claims_no_network() -> None:
    document = parse(INLINE_HEADER.format(network=""))
    (claim,) = document.claims
    assert claim.provider is not None and claim.provider.network == "unknown"
    assert claim.facility is not None and claim.facility.network == "unknown"
    assert all(f.rule != "NET001" for f in scan(ScanRequest(claims=document.claims)).findings)


EMERGENCY_ROOM_STATEMENT = """\
Claim ID: E7781-22019
Provided by: Lakeshore Emergency Physicians
Place of service: Emergency Room

Service dates   Service                 Amount billed   Amount not covered   Amount allowed   Your plan paid   Deductible   Your share   Remarks
06/10/2026      ER visit, high (99285)  $1,450.00       $1,030.00            $420.00          $0.00            $420.00      $1,450.00    N830
06/10/2026      EKG (93010)             $85.00          $66.00               $19.00           $0.00            $19.00       $85.00

Totals                                  $1,535.00       $1,096.00            $439.00          $0.00            $439.00      $1,535.00
"""


def test_a_statement_in_the_words_portals_use_is_read_whole() -> None:
    """ "Provided by", "Your plan paid", a place of service in words, codes in brackets after
    their description, and a totals row without a date."""
    document = parse_with(TextParser(), EMERGENCY_ROOM_STATEMENT.encode())

    (claim,) = document.claims
    assert document.notes == []
    assert claim.provider is not None and claim.provider.name == "Lakeshore Emergency Physicians"
    assert (claim.place_of_service, claim.emergency) == ("23", True)
    assert [(line.code, line.plan_paid, line.not_covered) for line in claim.lines] == [
        ("99285", 0, 103000),
        ("93010", 0, 6600),
    ]
    assert claim.totals is not None and claim.totals.patient_responsibility == 153500
    findings = scan(ScanRequest(claims=document.claims)).findings
    assert sorted((f.rule, f.amount_at_stake) for f in findings if f.amount_at_stake) == [
        ("NET002", 6600),
        ("NET002", 103000),
    ]


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Your plan paid", "plan_paid"),
        ("What your plan paid", "plan_paid"),
        ("Patient resp", "patient_responsibility"),
        ("Ineligible amount", "not_covered"),
        ("Pending or not payable", "not_covered"),
        # A short word inside a longer cell is not enough: "Amount you paid" is not the plan's.
        ("Amount you paid", None),
    ],
)
def test_a_table_header_cell_names_its_field_exactly_or_by_the_phrase_it_contains(
    header: str, field: str | None
) -> None:
    text = (
        f"Date    Code    Billed    Allowed    {header}\n03/01/2026    99213    $100.00    $80.00    $10.00\n"
    )
    document = parse_with(TextParser(), text.encode())
    (line,) = document.claims[0].lines
    read = {name: getattr(line, name) for name in ("plan_paid", "patient_responsibility", "not_covered")}
    assert {name for name, value in read.items() if value == 1000} == ({field} if field else set())


def test_an_eob_in_a_member_rate_and_pending_or_not_payable_layout_reads_every_column() -> None:
    """Some insurers call the allowed amount the "member rate" and print what is not (yet) paid
    as "pending or not payable": both columns are read, so the line's arithmetic can be checked."""
    text = (
        "Service Date   Procedure   Amount Billed   Member Rate   Pending or Not Payable   "
        "Applied to Deductible   Copay   Coinsurance   Plan Pays   Your Responsibility\n"
        "08/20/2026     80061       $85.00          $22.00        $5.00                    "
        "$17.00                  $0.00   $0.00         $0.00       $22.00\n"
    )
    (line,) = parse_with(TextParser(), text.encode()).claims[0].lines
    assert amounts(line) == {
        "billed": "85.00",
        "allowed": "22.00",
        "not_covered": "5.00",
        "deductible": "17.00",
        "copay": "0.00",
        "coinsurance": "0.00",
        "plan_paid": "0.00",
        "patient_responsibility": "22.00",
    }


SCREENING_COLONOSCOPY = """\
Explanation of Benefits - THIS IS NOT A BILL
Claim Number: EX-2026-0814
Provider: Example Gastroenterology Associates (In-Network)
Date of Service: 08/14/2026
Date Processed: 09/02/2026

Service                          Code      Billed     Allowed   Plan Paid   Deductible  Coinsurance  You Owe
Colonoscopy w/ polyp removal     45385-PT  $3,450.00  $1,210.00 $0.00       $1,210.00   $0.00        $1,210.00
Pathology exam                   88305     $410.00    $96.00    $0.00       $96.00      $0.00        $96.00
Anesthesia                       00811     $1,200.00  $380.00   $0.00       $380.00     $0.00        $380.00

Claim totals                               $5,060.00  $1,686.00 $0.00       $1,686.00   $0.00        $1,686.00
"""


def test_a_screening_colonoscopy_keeps_its_modifier_its_date_and_its_totals_row() -> None:
    """Rows whose cells ran together are read by order: the code keeps its "-PT", the "Claim
    totals" row is the totals (not a fourth line), and the date above the table is each row's."""
    document = parse_with(TextParser(), SCREENING_COLONOSCOPY.encode())

    (claim,) = document.claims
    assert document.notes == []
    assert [(ln.code, ln.modifiers, ln.description) for ln in claim.lines] == [
        ("45385", ["PT"], "Colonoscopy w/ polyp removal"),
        ("88305", [], "Pathology exam"),
        ("00811", [], "Anesthesia"),
    ]
    assert {ln.service_date for ln in claim.lines} == {dt.date(2026, 8, 14)}
    assert claim.totals is not None and claim.totals.patient_responsibility == 1686_00
    findings = scan(ScanRequest(claims=document.claims)).findings
    assert sorted((f.rule, f.amount_at_stake) for f in findings) == [
        ("PRV001", 96_00),
        ("PRV001", 380_00),
        ("PRV001", 1210_00),
    ]


def test_without_its_modifier_the_same_colonoscopy_is_not_called_a_screening() -> None:
    """The clean twin: a diagnostic colonoscopy may be cost-shared, and so may its companions."""
    document = parse_with(TextParser(), SCREENING_COLONOSCOPY.replace("45385-PT", "45385   ").encode())

    assert [ln.modifiers for ln in document.claims[0].lines] == [[], [], []]
    assert scan(ScanRequest(claims=document.claims)).findings == []


def test_two_dates_printed_above_a_table_are_not_guessed_onto_its_rows() -> None:
    text = SCREENING_COLONOSCOPY.replace("Date Processed: 09/02/2026", "Date of Service: 08/15/2026")
    (claim,) = parse_with(TextParser(), text.encode()).claims
    assert {ln.service_date for ln in claim.lines} == {None}


PORTAL_DETAIL_VIEW = """\
Claim Details
Claim number 9876543210
Patient Jamie Sample
Provided by Example Regional Hospital
Network status Out of network
Date(s) of service 07/03/2026 - 07/03/2026
Claim received 07/10/2026
Claim processed 07/21/2026
Provider network status may change during the year.
Claim processed within 30 days of receipt.

Service: Emergency room visit, high severity (99285)
Amount billed $2,950.00
Allowed amount $1,100.00
Plan paid $0.00
Applied to deductible $1,100.00
Your share $2,950.00
Remarks: 242

Service: CT head without contrast (70450)
Amount billed $3,200.00
Allowed amount $640.00
Plan paid $256.00
Coinsurance $384.00
Your share $2,944.00
Remarks: 242
"""


def test_a_detail_view_copied_as_label_value_lines_without_colons_is_read() -> None:
    """ "Amount billed $2,950.00": a label and its value with a single space between. Sentences
    that start with a field's name ("Provider network status may change ...") stay prose."""
    document = parse_with(TextParser(), PORTAL_DETAIL_VIEW.encode())

    (claim,) = document.claims
    assert claim.claim_number == "9876543210"
    assert claim.provider is not None
    assert (claim.provider.name, claim.provider.network) == ("Example Regional Hospital", "out")
    assert (claim.service_start, claim.received_date, claim.processed_date) == (
        dt.date(2026, 7, 3),
        dt.date(2026, 7, 10),
        dt.date(2026, 7, 21),
    )
    assert [amounts(line) for line in claim.lines] == [
        {
            "billed": "2950.00",
            "allowed": "1100.00",
            "plan_paid": "0.00",
            "deductible": "1100.00",
            "patient_responsibility": "2950.00",
        },
        {
            "billed": "3200.00",
            "allowed": "640.00",
            "plan_paid": "256.00",
            "coinsurance": "384.00",
            "patient_responsibility": "2944.00",
        },
    ]
    assert "Sample" not in repr(document)


def test_an_out_of_network_emergency_room_detail_view_finds_what_the_no_surprises_act_forbids() -> None:
    """With the plan's rates, only in-network cost sharing is owed: the $1,100.00 deductible and 20%
    of $640.00. Everything else the EOB asks ($4,666.00) is at stake, counted once per line."""
    document = parse_with(TextParser(), PORTAL_DETAIL_VIEW.encode())
    plan = Plan(
        plan_year_start=dt.date(2026, 1, 1),
        plan_year_end=dt.date(2026, 12, 31),
        deductible_individual=200000,
        oop_max_individual=500000,
        coinsurance_in_network=20,
        coinsurance_out_of_network=40,
    )
    result = scan(ScanRequest(claims=document.claims, plan=plan))

    network = sorted((f.rule, f.amount_at_stake) for f in result.findings if f.rule == "NET002")
    assert network == [("NET002", 185000), ("NET002", 281600)]
    assert result.summary.amount_at_stake == 466600
    assert not any(f.rule == "DEN001" and f.amount_at_stake for f in result.findings)


MEDICARE_SUMMARY_NOTICE = """\
Medicare Summary Notice for Part B (Medical Insurance)
THIS IS NOT A BILL

Service Provided & Billing Code     Service Approved?   Amount Provider Charged   Medicare-Approved Amount   Medicare Paid   Maximum You May Be Billed   See Notes Below
Office/outpatient visit, est (99214)   Yes              $210.00                   $131.02                    $104.82         $26.20
Echocardiogram (93306)                 No               $1,450.00                 $0.00                      $0.00           $1,450.00                   A
Total for Claim #21-0344-889-120 (Assigned)             $1,660.00                 $131.02                    $104.82         $1,476.20
"""


def test_a_pasted_medicare_summary_notice_names_its_payer_claim_and_denied_line() -> None:
    """The title says Medicare (its appeal clock is not a group plan's), the totals row carries the
    claim number, and the "Service Approved?" answer is the line's status, not its description."""
    (claim,) = parse_with(TextParser(), MEDICARE_SUMMARY_NOTICE.encode()).claims

    assert (claim.payer, claim.claim_number) == ("Medicare", "21-0344-889-120")
    assert [(ln.code, ln.description, ln.denied) for ln in claim.lines] == [
        ("99214", "Office/outpatient visit, est", False),
        ("93306", "Echocardiogram", True),
    ]
    findings = scan(ScanRequest(claims=[claim])).findings
    assert [f.rule for f in findings if f.severity != "info"] == ["DEN001"]


def test_text_that_does_not_call_itself_a_medicare_notice_names_no_payer() -> None:
    text = MEDICARE_SUMMARY_NOTICE.replace("Medicare Summary Notice", "Summary of claims")
    (claim,) = parse_with(TextParser(), text.encode()).claims
    assert claim.payer is None


def test_claim_numbers_printed_in_spaced_groups_keep_two_claims_apart() -> None:
    claim = (
        "Claim Number: 2026 0302 1111 00\nProvider: Example Family Medicine\nNetwork Status: {network}\n"
        "Date of Service: 03/02/2026\nCode: 99213\nBilled: $245.00\nAllowed: $140.00\nYou Owe: $28.00\n\n"
    )
    text = claim.format(network="In-Network") + claim.replace("0302 1111", "0305 2222").format(
        network="Out-of-Network"
    )
    claims = parse_with(TextParser(), text.encode()).claims
    assert [(c.claim_number, c.provider.network if c.provider else None) for c in claims] == [
        ("2026 0302 1111 00", "in"),
        ("2026 0305 2222 00", "out"),
    ]


def test_a_spreadsheet_paste_with_an_empty_cell_keeps_its_columns() -> None:
    text = (
        "Date of Service\tCode\tAmount Billed\tAllowed Amount\tCopay\tCoinsurance\tWhat You Owe\n"
        "03/02/2026\t99213\t$245.00\t$140.00\t\t$28.00\t$28.00\n"
    )
    (line,) = parse_with(TextParser(), text.encode()).claims[0].lines
    assert (line.copay, line.coinsurance, line.patient_responsibility) == (None, 2800, 2800)


def test_an_accounting_dollar_sign_apart_from_its_number_is_read_with_it() -> None:
    text = (
        "Date  Service  Code  Billed  Allowed  Paid  Deductible  You Owe\n"
        "03/02/2026  Office visit  99213  $   245.00  $   140.00  $   112.00  $     -  $    28.00\n"
        "Total  $   245.00  $   140.00  $   112.00  $     -  $    28.00\n"
    )
    document = parse_with(TextParser(), text.encode())
    (claim,) = document.claims
    (line,) = claim.lines
    expected = {
        "billed": "245.00",
        "allowed": "140.00",
        "plan_paid": "112.00",
        "deductible": "0.00",
        "patient_responsibility": "28.00",
    }
    assert (amounts(line), amounts(claim.totals)) == (expected, expected)
    assert (line.code, line.description, document.notes) == ("99213", "Office visit", [])


def test_a_lone_dollar_sign_takes_no_column() -> None:
    """A "$" with nothing after it is an empty cell: the row then has one amount too few and is
    reported, not read with its amounts moved one column left."""
    text = (
        "Date  Service  Billed  Allowed  Paid  You Owe\n"
        "03/02/2026  Office visit  $  245.00  $  140.00  $  $  28.00\n"
        "03/03/2026  Lab work  $  45.00  $  40.00  $  32.00  $  8.00\n"
    )
    document = parse_with(TextParser(), text.encode())
    (line,) = document.claims[0].lines
    assert (line.description, line.billed, line.plan_paid) == ("Lab work", 4500, 3200)
    assert document.notes == [
        "Line 2 has 3 amounts but the table header names 4 amount columns; it was not read."
    ]


# --- a header whose titles are apart by single spaces ------------------------------------------

SINGLE_SPACED = (
    "Claim Number: TX-2026-100002\n"
    "Date of Service Description Code Amount Billed Plan Discount Allowed Amount Your Plan Paid "
    "Deductible Copay Coinsurance What You Owe\n"
    "03/02/2026 Office visit 99213 $245.00 $105.00 $140.00 $112.00 $0.00 $0.00 $28.00 $28.00\n"
    "Mar 3, 2026 Flu vaccine 90686 $60.00 $20.00 $40.00 $40.00 $0.00 $10.00 $0.00 $10.00\n"
    "Total $305.00 $125.00 $180.00 $152.00 $0.00 $10.00 $28.00 $38.00\n"
)


def test_a_single_spaced_header_is_read_by_its_longest_titles_and_its_rows_word_by_word() -> None:
    """ "Deductible Copay Coinsurance" with single spaces is three columns, as its rows show; the
    date and the code are found at the row's left, the amounts in order, the description is the
    words left between them."""
    document = parse_with(TextParser(), SINGLE_SPACED.encode())
    (claim,) = document.claims
    assert [(str(ln.service_date), ln.code, ln.description) for ln in claim.lines] == [
        ("2026-03-02", "99213", "Office visit"),
        ("2026-03-03", "90686", "Flu vaccine"),
    ]
    assert [(ln.deductible, ln.copay, ln.coinsurance, ln.patient_responsibility) for ln in claim.lines] == [
        (0, 0, 2800, 2800),
        (0, 1000, 0, 1000),
    ]
    assert claim.totals is not None
    assert (claim.totals.billed, claim.totals.copay, claim.totals.coinsurance) == (30500, 1000, 2800)
    assert document.notes == []


def test_a_generated_table_pasted_with_single_spaces_reads_every_amount() -> None:
    document = parse_with(TextParser(), docs.text_table(CASE, separator=" ").encode())
    for claim, truth in zip(document.claims, CASE.claims, strict=True):
        for line, expected in zip(claim.lines, truth.lines, strict=True):
            fields = docs.TEXT_TABLE_FIELDS
            assert {f: getattr(line, f) for f in fields} == {f: expected.amount(f) for f in fields}
            assert (line.code, line.service_date, line.description) == (
                expected.code,
                expected.date,
                expected.description,
            )
        assert claim.totals is not None
        assert claim.totals.copay == truth.total("copay")
    assert document.notes == []


@pytest.mark.parametrize(
    "header",
    [
        "Date  Service  Code  Billed  Allowed  Paid  Deductible/Copay/Coinsurance  You Owe",
        "Date Service Code Billed Allowed Paid Deductible/Copay/Coinsurance You Owe",
    ],
    ids=["double-spaced", "single-spaced"],
)
def test_a_combined_column_in_one_word_stays_one_column(header: str) -> None:
    separator = "  " if "  " in header else " "
    row = separator.join(
        ["03/02/2026", "Office visit", "99213", "$245.00", "$140.00", "$112.00", "$28.00", "$28.00"]
    )
    document = parse_with(TextParser(), f"{header}\n{row}\n".encode())
    (line,) = document.claims[0].lines
    assert (line.deductible_and_cost_sharing, line.copay, line.patient_responsibility) == (2800, None, 2800)
    assert document.notes == []


def test_single_spaced_titles_of_one_combined_column_are_read_as_one_when_the_rows_say_so() -> None:
    text = (
        "Date Service Code Billed Allowed Paid Deductible Copay Coinsurance You Owe\n"
        "03/02/2026 Office visit 99213 $245.00 $140.00 $112.00 $28.00 $28.00\n"
        "03/03/2026 Lab 80053 $45.00 $40.00 $32.00 $8.00 $8.00\n"
    )
    document = parse_with(TextParser(), text.encode())
    lines = document.claims[0].lines
    assert [(ln.deductible_and_cost_sharing, ln.deductible, ln.copay) for ln in lines] == [
        (2800, None, None),
        (800, None, None),
    ]
    assert document.notes == [
        "The table header above line 2 was read with the deductible, copay and coinsurance in one "
        "column: its rows print one amount there."
    ]


def test_a_single_spaced_row_whose_words_fit_the_columns_two_ways_is_reported_not_guessed() -> None:
    """Without its date, nothing tells where the provider's name ends and the description
    begins: the row is not read (a name in the description would keep a person's name)."""
    text = (
        "Provider Date Description Code Billed Allowed Paid You Owe\n"
        "Lakeside Clinic 03/02/2026 Office visit 99213 $245.00 $140.00 $112.00 $28.00\n"
        "Lakeside Clinic Lab work 80053 $45.00 $40.00 $32.00 $8.00\n"
    )
    document = parse_with(TextParser(), text.encode())
    (line,) = document.claims[0].lines
    assert (line.description, line.code, line.billed) == ("Office visit", "99213", 24500)
    assert document.notes == [
        "Line 3: its words could be split into the header's columns more than one way; it was not read."
    ]


# --- a header printed over two or three lines --------------------------------------------------

TWO_LINE_HEADER = """\
Claim Number: TX-2026-100010

Date of      Service               Code    Amount     Plan       Amount     Your Plan  Deductible  Coinsurance  What You
Service      Description                   Billed     Discount   Allowed    Paid                                Owe
03/02/2026   Office visit          99213   $245.00    $105.00    $140.00    $112.00    $0.00       $28.00       $28.00
03/02/2026   Metabolic panel       80053   $1,180.50  $880.50    $300.00    $200.00    $100.00     $0.00        $100.00
Total                                      $1,425.50  $985.50    $440.00    $312.00    $100.00     $28.00       $128.00
"""


def test_column_titles_over_two_lines_are_joined_column_by_column() -> None:
    document = parse_with(TextParser(), TWO_LINE_HEADER.encode())
    (claim,) = document.claims
    assert [amounts(line) for line in claim.lines] == [
        {
            "billed": "245.00",
            "discount": "105.00",
            "allowed": "140.00",
            "plan_paid": "112.00",
            "deductible": "0.00",
            "coinsurance": "28.00",
            "patient_responsibility": "28.00",
        },
        {
            "billed": "1180.50",
            "discount": "880.50",
            "allowed": "300.00",
            "plan_paid": "200.00",
            "deductible": "100.00",
            "coinsurance": "0.00",
            "patient_responsibility": "100.00",
        },
    ]
    assert [(ln.code, ln.description) for ln in claim.lines] == [
        ("99213", "Office visit"),
        ("80053", "Metabolic panel"),
    ]
    assert claim.totals is not None and claim.totals.patient_responsibility == 12800
    assert document.notes == []


def test_column_titles_over_three_lines_and_over_tabs_are_joined() -> None:
    three = (
        "              Amount      Medicare-   Medicare   Maximum\n"
        "Service       Provider    Approved    Paid       You May\n"
        "Description   Charged     Amount                 Be Billed\n"
        "Office visit  $100.00     $80.00      $64.00     $16.00\n"
    )
    tabbed = "Date of\tService\tAmount\tPlan\tYour\nService\tDescription\tBilled\tPaid\tShare\n"
    tabbed += "03/02/2026\tOffice visit\t$245.00\t$112.00\t$28.00\n"
    (medicare,) = parse_with(TextParser(), three.encode()).claims[0].lines
    (share,) = parse_with(TextParser(), tabbed.encode()).claims[0].lines
    assert amounts(medicare) == {
        "billed": "100.00",
        "allowed": "80.00",
        "plan_paid": "64.00",
        "patient_responsibility": "16.00",
    }
    assert amounts(share) == {"billed": "245.00", "plan_paid": "112.00", "patient_responsibility": "28.00"}


@pytest.mark.parametrize(
    "above",
    ["Claim Detail for your visit", "Services      Billing      Summary", "Network Status: In-Network"],
)
def test_a_line_of_text_above_a_one_line_header_changes_nothing(above: str) -> None:
    table = (
        "Date  Service  Code  Billed  Allowed  Paid  You Owe\n"
        "03/02/2026  Office visit  99213  $245.00  $140.00  $112.00  $28.00\n"
    )
    alone = parse_with(TextParser(), table.encode()).claims[0].lines
    below = parse_with(TextParser(), f"{above}\n{table}".encode()).claims[0].lines
    assert [amounts(line) for line in below] == [amounts(line) for line in alone]
    assert amounts(below[0]) == {
        "billed": "245.00",
        "allowed": "140.00",
        "plan_paid": "112.00",
        "patient_responsibility": "28.00",
    }


REVERSAL = """\
Claim Number: EX-2026-0901
Provider: Maple Grove Family Medicine
Date of Service  Code  Description  Billed  Allowed  Plan Paid  You Owe
03/01/2026 99214 Office visit $300.00 $150.00 $120.00 $30.00
03/02/2026 99213 Office visit {row}
"""


def test_a_credit_printed_after_its_amount_is_negative_in_a_row_read_by_order() -> None:
    """A reversal row whose cells do not line up with the header ("$245.00 CR ..."): read as a
    charge it would double the visit; it takes it back."""
    text = REVERSAL.format(row="$245.00 CR $140.00 CR $112.00 CR $28.00 CR")
    [claim] = parse_with(TextParser(), text.encode()).claims
    assert [(ln.billed, ln.plan_paid, ln.patient_responsibility) for ln in claim.lines] == [
        (300_00, 120_00, 30_00),
        (-245_00, -112_00, -28_00),
    ]


def test_the_same_row_without_credits_is_a_charge() -> None:
    text = REVERSAL.format(row="$245.00 $140.00 $112.00 $28.00")
    [claim] = parse_with(TextParser(), text.encode()).claims
    assert claim.lines[1].billed == 245_00 and claim.lines[1].description == "Office visit"


# --- a single-spaced header whose longest titles are not its columns ---------------------------


def _lines(text: str) -> list[tuple[str, str | None, str | None, tuple[int | None, ...]]]:
    """Each line's service date, code, description and amounts (billed, allowed, plan paid, you
    owe) in cents."""
    document = parse_with(TextParser(), text.encode())
    return [
        (
            str(ln.service_date),
            ln.code,
            ln.description,
            (ln.billed, ln.allowed, ln.plan_paid, ln.patient_responsibility),
        )
        for claim in document.claims
        for ln in claim.lines
    ]


def test_service_code_after_a_date_is_the_description_and_the_code_when_the_rows_say_so() -> None:
    """Read by its longest titles, "Service Code" is the code, and the provider's name takes the
    date and the description with it; the rows print a date, words and a code, so "Service" is
    the description."""
    text = (
        "Claim Number: TX-2026-200301\n"
        "Provider Date Service Code Billed Allowed Plan Paid You Owe\n"
        "Birchwood Family Practice 04/06/2026 Office visit 99214 $210.00 $150.00 $120.00 $30.00\n"
        "Birchwood Family Practice 04/06/2026 Flu vaccine 90686 $60.00 $40.00 $40.00 $0.00\n"
    )
    assert _lines(text) == [
        ("2026-04-06", "99214", "Office visit", (210_00, 150_00, 120_00, 30_00)),
        ("2026-04-06", "90686", "Flu vaccine", (60_00, 40_00, 40_00, 0)),
    ]


def test_service_before_date_of_service_is_the_description_and_the_date() -> None:
    """ "Service Date" is a date's title, which left the row's date inside the description."""
    text = (
        "Code Service Date of Service Billed Allowed Plan Paid You Owe\n"
        "99213 Office visit 05/11/2026 $185.00 $120.00 $96.00 $24.00\n"
        "85025 Blood count 05/11/2026 $40.00 $22.50 $22.50 $0.00\n"
    )
    assert _lines(text) == [
        ("2026-05-11", "99213", "Office visit", (185_00, 120_00, 96_00, 24_00)),
        ("2026-05-11", "85025", "Blood count", (40_00, 22_50, 22_50, 0)),
    ]


def test_a_patient_column_after_the_code_does_not_take_the_code_and_the_description() -> None:
    """Read as "Service Code" and "Patient", the words after the date were all the patient's
    name, so the line lost its code and its description; the name is still never kept."""
    text = (
        "Date Service Code Patient Billed Allowed Plan Paid You Owe\n"
        "06/02/2026 Office visit 99213 Jordan Quill $185.00 $120.00 $96.00 $24.00\n"
    )
    lines = _lines(text)
    assert lines == [("2026-06-02", "99213", "Office visit", (185_00, 120_00, 96_00, 24_00))]
    assert "Quill" not in repr(lines)


def test_procedure_then_description_is_the_code_and_the_description_when_the_rows_say_so() -> None:
    """ "Procedure Description" is one title, and with the provider's name before it nothing
    told the name from the description: the rows were not read and the text had no EOB."""
    text = (
        "Provider Procedure Description Billed Allowed Plan Paid You Owe\n"
        "Cedar Lane Imaging 71046 Chest x-ray $310.00 $140.00 $112.00 $28.00\n"
        "Cedar Lane Imaging 73610 Ankle x-ray $260.00 $120.00 $96.00 $24.00\n"
    )
    assert _lines(text) == [
        ("None", "71046", "Chest x-ray", (310_00, 140_00, 112_00, 28_00)),
        ("None", "73610", "Ankle x-ray", (260_00, 120_00, 96_00, 24_00)),
    ]


def test_a_later_row_is_read_by_the_columns_the_first_row_showed() -> None:
    """Once a row has shown the description column, a row without its date cannot tell the
    provider's name from the description: it is reported, not read with the words in the name."""
    text = (
        "Provider Date Service Code Billed Allowed Plan Paid You Owe\n"
        "Birchwood Family Practice 04/06/2026 Office visit 99214 $210.00 $150.00 $120.00 $30.00\n"
        "Birchwood Family Practice Lab work 80053 $45.00 $40.00 $32.00 $8.00\n"
    )
    document = parse_with(TextParser(), text.encode())
    (line,) = document.claims[0].lines
    assert (str(line.service_date), line.code, line.description, line.billed) == (
        "2026-04-06",
        "99214",
        "Office visit",
        210_00,
    )
    assert document.notes == [
        "Line 3: its words could be split into the header's columns more than one way; it was not read."
    ]


@pytest.mark.parametrize(
    ("header", "row"),
    [
        ("Date Service Code Description", "07/01/2026 99213 Office visit"),
        ("Date of Service Code Description", "07/01/2026 99213 Office visit"),
        ("Service Date Procedure Code Description", "07/01/2026 99213 Office visit"),
        ("Date Service Description Code", "07/01/2026 Office visit 99213"),
        ("Date Service Code", "07/01/2026 Office visit 99213"),
        ("Date Service Code", "07/01/2026 99213 Office visit"),
        ("Service Date Code", "Office visit 07/01/2026 99213"),
        ("Date of Service Service Code Description", "07/01/2026 99213 Office visit"),
    ],
)
def test_single_spaced_headers_their_rows_already_fit_read_the_same(header: str, row: str) -> None:
    text = f"{header} Billed Allowed Plan Paid You Owe\n{row} $185.00 $120.00 $96.00 $24.00\n"
    assert _lines(text) == [("2026-07-01", "99213", "Office visit", (185_00, 120_00, 96_00, 24_00))]


def test_a_processed_date_column_keeps_its_date_when_the_date_could_be_the_service_date() -> None:
    """ "Date Processed" could be "Date" and "Processed"; the row fits both, so the longest title
    stays and the day the plan processed the claim is not taken for the day of care."""
    text = (
        "Date Processed Service Code Billed Allowed Plan Paid You Owe\n"
        "07/20/2026 Office visit 99213 $185.00 $120.00 $96.00 $24.00\n"
    )
    assert _lines(text) == [("None", "99213", "Office visit", (185_00, 120_00, 96_00, 24_00))]

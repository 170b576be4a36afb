"""A claim as member portals print it, pasted as text: column titles in the first person ("What I
owe"), the claim's number labelled after the patient's name, and a line's code on the row under
its description."""

from __future__ import annotations

import pytest

from scanner.ingest.text import TextParser
from scanner.model import encode

from .helpers import amounts, parse_with

# --- what the patient owes, in the first person ------------------------------------------------

FIRST_PERSON = [
    "What I owe",
    "I owe",
    "Amount I owe",
    "My responsibility",
    "My share",
    "My cost",
    "What I pay",
]


@pytest.mark.parametrize("title", FIRST_PERSON)
@pytest.mark.parametrize("gap", ["  ", " "], ids=["wide", "single"])
def test_a_first_person_column_title_is_what_the_patient_owes(title: str, gap: str) -> None:
    """Not known, the title left the patient's share unread, and its total row, one amount longer
    than the header, was not read at all."""
    header = gap.join(["Service", "Billed", "Allowed", "Plan paid", title])
    text = f"{header}\nOffice visit{gap}$185.00{gap}$120.00{gap}$96.00{gap}$24.00\n"
    document = parse_with(TextParser(), text.encode())
    (line,) = document.claims[0].lines
    assert amounts(line) == {
        "billed": "185.00",
        "allowed": "120.00",
        "plan_paid": "96.00",
        "patient_responsibility": "24.00",
    }
    assert document.notes == []


@pytest.mark.parametrize("title", FIRST_PERSON)
def test_a_first_person_label_is_what_the_patient_owes(title: str) -> None:
    text = f"Billed: $185.00\nPlan paid: $96.00\n{title}: $24.00\n"
    (line,) = parse_with(TextParser(), text.encode()).claims[0].lines
    assert line.patient_responsibility == 24_00


# --- the claim's number after the patient's name ------------------------------------------------

#: A claim in the shape one large insurer's portal prints (invented data).
PORTAL_CLAIM = """\
Explanation of Benefits for: Casey Example
This is not a bill.

{claim_line}
Service provider: Riverbend Imaging Center LLC   (out-of-network)
Service dates: 10/03/2026
Processed on: 10/17/2026

Service            Amount billed   Discount   Amount allowed   Your copay   Amount not covered   \
Your deductible   Your coinsurance   What your plan paid   What I owe   See notes
MRI brain w/o dye  $2,850.00       $0.00      $1,100.00        $0.00        $1,750.00            \
$500.00           $180.00            $420.00               $2,430.00    2A, 5F
{code_row}
Total              $2,850.00       $0.00      $1,100.00        $0.00        $1,750.00            \
$500.00           $180.00            $420.00               $2,430.00
"""

CLAIM_LINE = "Casey Example (Self) - claim # 26301A0000001"


def _portal(claim_line: str = CLAIM_LINE, code_row: str = " (70551)") -> str:
    return PORTAL_CLAIM.format(claim_line=claim_line, code_row=code_row)


@pytest.mark.parametrize(
    "claim_line",
    [
        CLAIM_LINE,
        "Casey Example (Self) claim number 26301A0000001",
        "Casey Example   Claim No. 26301A0000001",
        "Casey Example | Claim #26301A0000001",
        "Patient: Casey Example (Self) - Claim # 26301A0000001",
        "Casey Example (Self) - Claim # 26301A0000001   Received: 10/06/2026",
    ],
)
def test_a_claim_number_labelled_after_the_patients_name_is_the_claims_and_the_name_is_not_kept(
    claim_line: str,
) -> None:
    document = parse_with(TextParser(), _portal(claim_line=claim_line).encode())
    (claim,) = document.claims
    assert claim.claim_number == "26301A0000001"
    assert b"Casey" not in encode(document.claims)


@pytest.mark.parametrize(
    "claim_line",
    [
        "This claim was processed under your out-of-network benefits.",
        "If your claim is 2 of 3, call us.",
        "Casey Example (Self) - claim details",
        "Your claim number is printed on the back - claim status: processed",
    ],
)
def test_prose_that_speaks_of_a_claim_names_no_claim_number(claim_line: str) -> None:
    (claim,) = parse_with(TextParser(), _portal(claim_line=claim_line).encode()).claims
    assert claim.claim_number is None


def test_another_claim_named_inside_a_sentence_does_not_split_the_claim() -> None:
    """ "Adjusts claim # ..." names an earlier claim: read as this claim's number, the claim would
    be cut in two at that line."""
    text = _portal(claim_line=f"{CLAIM_LINE}\nThis claim adjusts claim # 26301A0000000.")
    (claim,) = parse_with(TextParser(), text.encode()).claims
    assert claim.claim_number == "26301A0000001"


def test_each_patients_claim_named_after_the_name_is_a_claim_of_its_own() -> None:
    second = _portal(claim_line="Jordan Example (Spouse) - claim # 26301A0000002").replace("2,850", "3,150")
    document = parse_with(TextParser(), (_portal() + "\n" + second).encode())
    assert [(c.claim_number, [ln.billed for ln in c.lines]) for c in document.claims] == [
        ("26301A0000001", [2850_00]),
        ("26301A0000002", [3150_00]),
    ]
    assert b"Jordan" not in encode(document.claims)


# --- a line's code on the row under its description --------------------------------------------


@pytest.mark.parametrize(
    ("code_row", "code", "modifiers"),
    [(" (70551)", "70551", []), ("70551", "70551", []), ("  (70551-26)", "70551", ["26"])],
)
def test_a_code_printed_alone_under_a_row_is_that_rows_code(
    code_row: str, code: str, modifiers: list[str]
) -> None:
    document = parse_with(TextParser(), _portal(code_row=code_row).encode())
    (line,) = document.claims[0].lines
    assert (line.code, line.code_system, line.modifiers, line.description) == (
        code,
        "CPT",
        modifiers,
        "MRI brain w/o dye",
    )
    assert document.notes == []


@pytest.mark.parametrize("coded", ["MRI brain w/o dye 70553", "MRI brain (70553)"])
def test_a_row_that_has_its_code_keeps_it_when_a_code_is_printed_under_it(coded: str) -> None:
    text = _portal().replace("MRI brain w/o dye  $2,850.00", f"{coded:<17}  $2,850.00")
    document = parse_with(TextParser(), text.encode())
    (line,) = document.claims[0].lines
    assert line.code == "70553"
    assert document.notes == []


def test_a_code_printed_under_the_totals_row_is_no_line_and_changes_no_line() -> None:
    text = _portal(code_row="") + " (70551)\n"
    document = parse_with(TextParser(), text.encode())
    (line,) = document.claims[0].lines
    assert line.code is None
    assert document.notes == []


def test_a_portal_claim_is_read_whole() -> None:
    document = parse_with(TextParser(), _portal().encode())
    (claim,) = document.claims
    (line,) = claim.lines
    assert (claim.claim_number, line.code, line.description) == (
        "26301A0000001",
        "70551",
        "MRI brain w/o dye",
    )
    assert line.patient_responsibility == 2430_00
    assert claim.totals is not None and claim.totals.patient_responsibility == 2430_00
    assert document.notes == []
    assert b"Casey" not in encode(document.claims)

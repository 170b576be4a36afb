"""Each claim of a family's document is its own member's, and no name is kept to tell them apart."""

from __future__ import annotations

import pytest

from scanner.engine import scan
from scanner.ingest.assemble import ClaimDraft
from scanner.ingest.csv import CsvParser
from scanner.ingest.fhir import FhirParser
from scanner.ingest.members import Patient, members, patient_key, split_relationship
from scanner.ingest.text import read_text
from scanner.model import ScanRequest, encode

from .helpers import parse_with
from .test_fhir import eob

AVERY, BLAKE, MORGAN = (patient_key(name) for name in ("Avery Example", "Blake Example", "Morgan Example"))


def test_one_patient_or_none_printed_is_self() -> None:
    assert members([Patient(), Patient()]) == ["self", "self"]
    assert members([Patient(key=AVERY), Patient(key=AVERY), Patient()]) == ["self"] * 3


def test_printed_relationships_name_the_members_and_children_are_numbered_by_name() -> None:
    patients = [
        Patient(key=AVERY, relationship="child"),
        Patient(key=MORGAN, relationship="self"),
        Patient(key=BLAKE, relationship="child"),
        Patient(key=AVERY),  # the relationship another claim printed for the same name
    ]
    assert members(patients) == ["child-1", "self", "child-2", "child-1"]


def test_patients_without_a_relationship_are_told_apart_by_order() -> None:
    assert members([Patient(key=AVERY), Patient(key=BLAKE), Patient(key=AVERY)]) == [
        "member-1",
        "member-2",
        "member-1",
    ]


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("Jordan Sample (Self)", ("Jordan Sample", "self")),
        ("Avery Example - Dependent", ("Avery Example", "child")),
        ("Riley Example, Spouse", ("Riley Example", "spouse")),
        ("Casey Example", ("Casey Example", None)),
    ],
)
def test_a_relationship_printed_after_the_name_is_read(
    printed: str, expected: tuple[str, str | None]
) -> None:
    assert split_relationship(printed) == expected


def test_the_key_tells_names_apart_as_printed_and_holds_no_name() -> None:
    assert patient_key("JORDAN  Q. SAMPLE") == patient_key("Jordan Sample")
    assert patient_key("Jordan Sample") != patient_key("Jordan Simple")
    key = patient_key("Jordan Sample")
    assert key is not None and b"jordan" not in key.lower() and len(key) == 16


def _family(second_patient: str) -> str:
    visit = (
        "Date of Service   Procedure   Description    Charges   Allowed   Copay    Paid by Plan   "
        "Patient Responsibility\n"
        "09/02/2026        90686       Flu vaccine    $60.00    $38.00    $0.00    $38.00         $0.00\n"
        "09/02/2026        99213       Office visit   $170.00   $110.00   $25.00   $85.00         $25.00\n"
    )
    return (
        "EXPLANATION OF BENEFITS - THIS IS NOT A BILL\n"
        "Subscriber: Morgan Example\n\n"
        "Patient: Avery Example    Relationship: Dependent\n"
        f"Claim #: 7717000101      Provider: Northside Pediatrics\n{visit}\n"
        f"Patient: {second_patient}    Relationship: Dependent\n"
        f"Claim #: 7717000102      Provider: Northside Pediatrics\n{visit}"
    )


def test_two_childrens_same_visit_on_one_day_is_no_duplicate() -> None:
    """Read as one member, the second child's visit was "the same service charged twice"."""
    claims, _ = read_text(_family("Blake Example"))
    assert [claim.member for claim in claims] == ["child-1", "child-2"]
    assert not [f for f in scan(ScanRequest(claims=claims)).findings if f.rule == "DUP001"]
    assert (
        b"Avery" not in encode(claims) and b"Blake" not in encode(claims) and b"Morgan" not in encode(claims)
    )


def test_the_same_childs_visit_printed_twice_is_still_a_duplicate() -> None:
    claims, _ = read_text(_family("Avery Example"))
    assert [claim.member for claim in claims] == ["child-1", "child-1"]
    assert [f.rule for f in scan(ScanRequest(claims=claims)).findings if f.rule == "DUP001"] == ["DUP001"]


def test_a_patient_printed_after_a_claims_lines_heads_the_next_claim_without_a_claim_number() -> None:
    text = (
        _family("Blake Example")
        .replace("Claim #: 7717000101      ", "")
        .replace("Claim #: 7717000102      ", "")
    )
    claims, _ = read_text(text)
    assert [claim.member for claim in claims] == ["child-1", "child-2"]
    assert [len(claim.lines) for claim in claims] == [2, 2]


def test_a_csv_export_tells_its_patients_apart_and_keeps_no_name() -> None:
    data = (
        b"Claim Number,Patient,Relationship,Date of Service,CPT,Billed,Allowed,Plan Paid,Copay,You Owe\n"
        b"C1,Avery Example,Child,09/02/2026,99213,170.00,110.00,85.00,25.00,25.00\n"
        b"C2,Blake Example,Child,09/02/2026,99213,170.00,110.00,85.00,25.00,25.00\n"
        b"C3,Morgan Example,Self,09/03/2026,99213,170.00,110.00,85.00,25.00,25.00\n"
    )
    claims = parse_with(CsvParser(), data, "claims.csv").claims
    assert [claim.member for claim in claims] == ["child-1", "child-2", "self"]
    assert b"Example" not in encode(claims)


def test_fhir_eobs_of_two_patients_are_two_members_named_by_their_coverage() -> None:
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {"resource": eob("CLM-1")},
            {
                "resource": eob(
                    "CLM-2",
                    patient={"reference": "Patient/p2"},
                    insurance=[{"focal": True, "coverage": {"reference": "Coverage/c2"}}],
                )
            },
            {
                "resource": {
                    "resourceType": "Coverage",
                    "id": "c2",
                    "relationship": {"coding": [{"code": "child"}]},
                }
            },
        ],
    }
    claims = parse_with(FhirParser(), encode(bundle)).claims
    assert [claim.member for claim in claims] == ["member-1", "child-1"]


def test_fhir_eobs_of_one_patient_stay_self() -> None:
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"resource": eob("CLM-1")}, {"resource": eob("CLM-2")}],
    }
    assert [claim.member for claim in parse_with(FhirParser(), encode(bundle)).claims] == ["self", "self"]


def test_a_relationship_printed_before_the_claim_number_in_the_patients_value_is_read() -> None:
    text = _family("Blake Example").replace(
        "Patient: Avery Example    Relationship: Dependent\nClaim #: 7717000101      ",
        "Patient: Riley Example (Spouse) - Claim # 7717000101\n",
    )
    claims, _ = read_text(text)
    assert [(claim.claim_number, claim.member) for claim in claims] == [
        ("7717000101", "spouse"),
        ("7717000102", "child-1"),
    ]


def test_the_subscribers_relationship_is_theirs_and_not_the_next_patients() -> None:
    """ "Subscriber: Morgan Example (Self)" over a claim for Avery made Avery "self" too, and
    Morgan's own claim, printed bare, another member."""
    visit = (
        "Date of Service   Procedure   Description    Charges   Allowed   Copay    Paid by Plan   "
        "Patient Responsibility\n"
        "09/02/2026        99213       Office visit   $170.00   $110.00   $25.00   $85.00         $25.00\n"
    )
    text = (
        "Subscriber: Morgan Example (Self)\n\n"
        f"Patient: Avery Example\nClaim #: 7717000101      Provider: Northside Pediatrics\n{visit}\n"
        f"Patient: Morgan Example\nClaim #: 7717000102      Provider: Northside Pediatrics\n{visit}"
    )
    claims, _ = read_text(text)
    assert [claim.member for claim in claims] == ["member-1", "self"]


def test_a_relationship_printed_after_the_claims_own_patient_is_kept() -> None:
    """The twin: the relationship printed with this patient's name stays theirs when the name is
    printed again bare."""
    draft = ClaimDraft()
    draft.label("patient", "Avery Example (Son)")
    draft.label("patient", "Avery Example")
    assert draft.patient == Patient(key=AVERY, relationship="child")

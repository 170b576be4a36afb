"""A list of claims, one a row, with the patient and the provider in columns of their own.

Portals' claim lists print "Date  Patient  Provider  Billed ... You owe"; pasted or printed, the
rows were one claim of several lines, and a row whose provider ran one space into its amount put
the patient's name into the line's description, which goes into findings and letters.
"""

from __future__ import annotations

import pytest

from scanner.ingest import read_document
from scanner.model import encode

from .test_pdf_portal_prints import courier_pdf

CLAIMS = """\
Claims for your family
Date of Service   Patient         Provider                 Code    Billed     Allowed    Plan Paid   You Owe
09/02/2026        Avery Example   Northside Pediatrics     99213   $170.00    $110.00    $85.00      $25.00
09/02/2026        Blake Example   Northside Pediatrics     99213   $170.00    $110.00    $85.00      $25.00
09/14/2026        Morgan Example  Lakeside Family Medicine  99214 $210.00   $140.00    $0.00       $140.00
"""


def _read(text: str, name: str) -> list:  # type: ignore[type-arg]
    data = courier_pdf(text) if name.endswith(".pdf") else text.encode()
    document = read_document(data, name)
    assert document.notes == []
    return document.claims


@pytest.mark.parametrize("name", ["claims.txt", "claims.pdf"])
def test_each_row_of_another_patient_or_provider_is_its_own_claim(name: str) -> None:
    claims = _read(CLAIMS, name)
    assert [(c.member, c.provider.name if c.provider else None, len(c.lines)) for c in claims] == [
        ("member-1", "Northside Pediatrics", 1),
        ("member-2", "Northside Pediatrics", 1),
        ("member-3", "Lakeside Family Medicine", 1),
    ]
    assert [c.lines[0].code for c in claims] == ["99213", "99213", "99214"]


@pytest.mark.parametrize("name", ["claims.txt", "claims.pdf"])
def test_no_patients_name_is_kept_in_any_field(name: str) -> None:
    encoded = encode(_read(CLAIMS, name))
    for word in (b"Avery", b"Blake", b"Morgan"):
        assert word not in encoded


def test_two_childrens_same_visit_on_one_day_in_a_list_is_no_duplicate() -> None:
    from scanner.engine import scan
    from scanner.model import ScanRequest

    claims = _read(CLAIMS, "claims.txt")
    assert [f for f in scan(ScanRequest(claims=claims)).findings if f.rule == "DUP001"] == []


def test_rows_of_one_patient_and_provider_are_the_lines_of_one_claim() -> None:
    """The twin: an EOB that prints its patient on every line is still one claim."""
    text = CLAIMS.replace("Blake Example", "Avery Example").replace(
        "Morgan Example  Lakeside Family Medicine", "Avery Example   Northside Pediatrics    "
    )
    (claim,) = _read(text, "claims.txt")
    assert [line.code for line in claim.lines] == ["99213", "99213", "99214"]


def test_words_of_an_unread_column_are_no_description() -> None:
    """A row whose columns cannot be told apart keeps its date, code and amounts, and no words
    that may be an unread column's (here a member id's)."""
    text = (
        "Date of Service  Member ID  Code  Billed  Allowed  Plan Paid  You Owe\n"
        "09/02/2026  W000111222 Office visit 99213 $170.00 $110.00 $85.00 $25.00\n"
    )
    (claim,) = read_document(text.encode(), "eob.txt").claims
    (line,) = claim.lines
    assert (line.code, line.description, line.patient_responsibility) == ("99213", None, 2500)
    assert b"W000111222" not in encode(claim)

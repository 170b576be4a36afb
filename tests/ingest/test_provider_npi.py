"""The provider's NPI printed on a PDF, in pasted text or in a CSV export becomes its party's NPI.

The duplicate-billing and network checks match providers by NPI, so an NPI the readers drop makes
two names of one provider two providers, and a wrong one joins two. Every NPI here passes the
check digit of the NPI standard (1234567893 is the standard's own example); 1234567890 does not.
Where a table prints an NPI beside each line, the lines must agree: a claim has one provider.
"""

from __future__ import annotations

import dataclasses
import random

import pytest

from scanner.engine import scan
from scanner.ingest import read_document
from scanner.ingest.vocabulary import LINE_FIELDS, header_field
from scanner.model import Claim, ScanRequest
from scanner.testing import only

from . import documents as docs

MAPLE = "1234567893"
RIVERBEND = "1487650008"
LAKESIDE = "1487650016"
HOSPITAL = "1122334455"
MISPRINTED = "1234567890"  # MAPLE with the wrong check digit


def _claim(npis: tuple[str | None, ...], *, npi: str | None = None, seed: int = 81) -> docs.Claim:
    made = docs.make_claim(random.Random(seed), "EOB-2026-000811", "Maple Grove Family Medicine", len(npis))
    lines = [dataclasses.replace(line, npi=n) for line, n in zip(made.lines, npis, strict=True)]
    return dataclasses.replace(made, lines=lines, npi=npi)


def _case(*claims: docs.Claim) -> docs.Case:
    return docs.Case("npi", "Example Mutual Health", list(claims))


def _pdf(claim: docs.Claim) -> Claim:
    pdf = docs.member_statement(_case(claim), columns=docs.NPI_STATEMENT_COLUMNS)
    [read] = read_document(pdf, "statement.pdf").claims
    return read


def _npi(claim: Claim) -> str | None:
    assert claim.provider is not None
    return claim.provider.npi


@pytest.mark.parametrize(
    "header",
    [
        "NPI",
        "Provider NPI",
        "Rendering NPI",
        "Billing NPI",
        "Rendering Provider NPI",
        "Billing Provider NPI",
        "NPI #",
        "NPI No.",
        "Provider NPI Number",
    ],
)
def test_an_npi_column_is_named_by_the_words_insurers_print(header: str) -> None:
    assert header_field(header) == "npi"
    assert header_field(header, LINE_FIELDS) == "npi"


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Facility NPI", "facility_npi"),
        ("Referring Provider NPI", "referred_by"),
        ("Ordering NPI", "referred_by"),
    ],
)
def test_another_partys_npi_is_never_the_providers(header: str, field: str) -> None:
    assert header_field(header) == field
    assert header_field(header, LINE_FIELDS) is None


# --- a PDF statement ----------------------------------------------------------------------------


def test_a_pdf_npi_column_the_lines_agree_on_is_the_providers_npi() -> None:
    claim = _pdf(_claim((MAPLE, MAPLE, MAPLE)))
    assert claim.provider is not None
    assert (claim.provider.name, claim.provider.npi, claim.provider.network) == (
        "Maple Grove Family Medicine",
        MAPLE,
        "in",
    )
    assert [line.description for line in claim.lines] == [
        line.description for line in _claim((MAPLE,) * 3).lines
    ]


def test_a_line_without_an_npi_does_not_undo_the_others() -> None:
    assert _npi(_pdf(_claim((MAPLE, None, MAPLE)))) == MAPLE


def test_lines_naming_different_npis_leave_the_provider_without_one() -> None:
    """A group's claim whose lines name two doctors: either NPI would be a guess."""
    pdf = docs.member_statement(_case(_claim((MAPLE, RIVERBEND, MAPLE))), columns=docs.NPI_STATEMENT_COLUMNS)
    document = read_document(pdf, "statement.pdf")
    [claim] = document.claims
    assert claim.provider is not None
    assert (claim.provider.name, claim.provider.npi) == ("Maple Grove Family Medicine", None)
    assert any("not all the same valid NPI" in note for note in document.notes)


def test_an_npi_with_a_wrong_check_digit_is_not_kept_and_never_repeated() -> None:
    pdf = docs.member_statement(_case(_claim((MAPLE, MISPRINTED, MAPLE))), columns=docs.NPI_STATEMENT_COLUMNS)
    document = read_document(pdf, "statement.pdf")
    [claim] = document.claims
    assert _npi(claim) is None
    assert any(note.startswith("Page 1, line 2: the NPI is not a valid NPI") for note in document.notes)
    assert not any(MISPRINTED in note or MAPLE in note for note in document.notes)


def test_a_provider_npi_label_is_the_providers_npi() -> None:
    claim = read_document(docs.member_statement(_case(_claim((None, None), npi=MAPLE))), "x.pdf").claims[0]
    assert _npi(claim) == MAPLE


def test_a_label_and_lines_that_disagree_leave_the_provider_without_an_npi() -> None:
    assert _npi(_pdf(_claim((RIVERBEND, RIVERBEND), npi=MAPLE))) is None


# --- pasted text --------------------------------------------------------------------------------


def test_a_text_table_npi_column_is_read_by_position() -> None:
    [claim] = read_document(docs.text_table(_case(_claim((MAPLE, MAPLE))), npi_column=True).encode()).claims
    assert _npi(claim) == MAPLE
    assert all(line.description and MAPLE not in line.description for line in claim.lines)


def test_a_single_spaced_text_table_finds_the_npi_among_the_words() -> None:
    text = (
        "Claim Number: EX-2026-0815   Provider: Maple Grove Family Medicine\n"
        "Date Service Code NPI Amount Billed Allowed Plan Paid You Owe\n"
        f"03/02/2026 Office visit 99213 {MAPLE} $245.00 $140.00 $112.00 $28.00\n"
    )
    [claim] = read_document(text.encode()).claims
    [line] = claim.lines
    assert (_npi(claim), line.code, line.description) == (MAPLE, "99213", "Office visit")


@pytest.mark.parametrize(
    "label",
    [
        "Provider NPI: {}",
        "NPI: {}",
        "Rendering Provider NPI: {}",
        "Billing NPI #: {}",
        "NPI {}",
        "Provider NPI {}",
    ],
)
def test_an_npi_label_in_pasted_text(label: str) -> None:
    text = (
        "Claim Number: EX-2026-0816\nProvider: Maple Grove Family Medicine\n"
        f"{label.format(MAPLE)}\nDate of Service: 03/02/2026\nService: Office visit (99213)\n"
        "Billed: $245.00\nAllowed: $140.00\nPlan Paid: $112.00\nYou Owe: $28.00\n"
    )
    [claim] = read_document(text.encode()).claims
    assert claim.provider is not None
    assert (claim.provider.name, claim.provider.npi) == ("Maple Grove Family Medicine", MAPLE)


def test_a_facility_npi_is_the_facilitys_and_a_referring_npi_is_nobodys() -> None:
    text = (
        "Claim Number: EX-2026-0817\nProvider: Riverbend Anesthesia Associates\n"
        f"Facility: Riverbend General Hospital\nFacility NPI: {HOSPITAL}\nReferring Provider NPI: {LAKESIDE}\n"
        "Date of Service: 03/02/2026\nService: Anesthesia (00810)\n"
        "Billed: $900.00\nAllowed: $400.00\nPlan Paid: $320.00\nYou Owe: $80.00\n"
    )
    [claim] = read_document(text.encode()).claims
    assert claim.provider is not None and claim.facility is not None
    assert (claim.provider.npi, claim.facility.name, claim.facility.npi) == (
        None,
        "Riverbend General Hospital",
        HOSPITAL,
    )


# --- a CSV export -------------------------------------------------------------------------------


def test_each_claim_of_a_csv_export_keeps_its_own_providers_npi() -> None:
    first = _claim((MAPLE, MAPLE), seed=82)
    second = dataclasses.replace(
        _claim((RIVERBEND,), seed=83), number="EOB-2026-000812", provider="Riverbend Anesthesia Associates"
    )
    claims = read_document(
        docs.csv_export(_case(first, second), npi_column=True).encode(), "claims.csv"
    ).claims
    assert [(c.claim_number, _npi(c)) for c in claims] == [
        ("EOB-2026-000811", MAPLE),
        ("EOB-2026-000812", RIVERBEND),
    ]


def test_csv_rows_of_one_claim_naming_different_npis_leave_it_without_one() -> None:
    document = read_document(
        docs.csv_export(_case(_claim((MAPLE, LAKESIDE))), npi_column=True).encode(), "c.csv"
    )
    assert _npi(document.claims[0]) is None
    assert not any(MAPLE in note or LAKESIDE in note for note in document.notes)


def test_an_invalid_csv_npi_is_named_by_its_row_only() -> None:
    document = read_document(docs.csv_export(_case(_claim((MISPRINTED,))), npi_column=True).encode(), "c.csv")
    assert _npi(document.claims[0]) is None
    assert document.notes == [
        "Row 2: the NPI is not a valid NPI (ten digits ending in its check digit); it was not kept."
    ]


# --- what the checks make of it -----------------------------------------------------------------


def _twice(npi: str | None) -> list[Claim]:
    """One visit on a CSV export and again on a PDF statement that names the practice otherwise."""
    first = _claim((npi,), seed=84)
    again = dataclasses.replace(first, number="EOB-2026-000899", provider="Maple Grove Medical Group")
    exported = read_document(docs.csv_export(_case(first), npi_column=True).encode(), "claims.csv").claims
    printed = read_document(
        docs.member_statement(_case(again), columns=docs.NPI_STATEMENT_COLUMNS), "statement.pdf"
    ).claims
    return [*exported, *printed]


def test_one_service_on_two_documents_is_a_duplicate_by_the_npi_both_print() -> None:
    claims = _twice(MAPLE)
    assert claims[0].lines[0].patient_responsibility
    finding = only(scan(ScanRequest(claims=claims)).findings, "DUP001")
    assert (finding.claim_id, finding.confidence) == (claims[1].id, "high")


def test_without_the_npi_two_names_are_two_providers() -> None:
    findings = scan(ScanRequest(claims=_twice(None))).findings
    assert [f for f in findings if f.rule == "DUP001"] == []

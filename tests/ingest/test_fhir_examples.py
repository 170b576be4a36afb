"""Every public FHIR example parses, with its line count and amounts as the file states them.

The expected amounts are read off each file by hand (see data/fhir/README.md for the descriptions)
and written here as the EOB prints them, so a mapping mistake in the parser shows up as a wrong
number on a named line.
"""

from __future__ import annotations

from typing import Any

import pytest

from scanner.ingest.fhir import FhirParser

from .fhir_labels import EXAMPLES
from .helpers import FHIR_DATA, amounts, parse_with


def _subset(actual: dict[str, str], expected: dict[str, str]) -> dict[str, str]:
    return {name: actual.get(name, "absent") for name in expected}


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_example_parses_with_the_files_lines_and_amounts(name: str) -> None:
    claims_count, lines_count, lines, totals = EXAMPLES[name]
    document = parse_with(FhirParser(), (FHIR_DATA / name).read_bytes(), name)
    assert len(document.claims) == claims_count
    claim = document.claims[0]
    assert len(claim.lines) == lines_count
    for line_id, expected in lines.items():
        line = claim.line(line_id)
        assert line is not None, f"line {line_id}"
        assert _subset(amounts(line), expected) == expected, f"line {line_id}"
    assert _subset(amounts(claim.totals), totals) == totals


def test_every_fhir_example_file_is_covered() -> None:
    files = {
        str(p.relative_to(FHIR_DATA))
        for p in FHIR_DATA.rglob("*.json")
        if not p.name.startswith("CodeSystem-")
    }
    assert files == set(EXAMPLES)


def test_reversal_lines_keep_their_negative_amounts_and_net_to_the_totals() -> None:
    name = "carin-bb-2.0.0/ExplanationOfBenefit-EOBProfessional2.json"
    claim = parse_with(FhirParser(), (FHIR_DATA / name).read_bytes()).claims[0]
    assert sum(line.billed or 0 for line in claim.lines) == claim.totals.billed == 82000  # type: ignore[union-attr]
    assert sum(line.allowed or 0 for line in claim.lines) == 25891


def _example(name: str) -> Any:
    return parse_with(FhirParser(), (FHIR_DATA / name).read_bytes()).claims[0]


def test_codes_and_code_systems_come_from_each_shape() -> None:
    assert [
        (ln.code, ln.code_system)
        for ln in _example("carin-bb-2.0.0/ExplanationOfBenefit-EOBOral1.json").lines
    ] == [
        ("D1110", "CDT"),
        ("D0120", "CDT"),
    ]
    ambulance = _example("carin-bb-2.0.0/ExplanationOfBenefit-EOBProfessionalTransportation1.json")
    assert {(ln.code, ln.code_system) for ln in ambulance.lines} == {("A0428", "HCPCS")}
    pharmacy = _example("carin-bb-2.0.0/ExplanationOfBenefit-EOBPharmacy1.json")
    assert (pharmacy.lines[0].code, pharmacy.lines[0].code_system) == ("0777-3105-02", "NDC")
    # Blue Button outpatient: the HCPCS code sits in item.modifier.
    outpatient = _example("bluebutton/eob_read_out_pt_v2.json")
    assert [ln.code for ln in outpatient.lines] == ["80048", "80061", "83036", "84450", "84460"]
    inpatient = _example("bluebutton/eob_read_in_pt_v2.json")
    assert (inpatient.lines[0].code, inpatient.lines[0].code_system, inpatient.lines[0].units) == (
        "0111",
        "REV",
        3,
    )


def test_claim_types_dates_and_payer() -> None:
    oral = _example("carin-bb-2.0.0/ExplanationOfBenefit-EOBOral1.json")
    assert (oral.claim_type, oral.payer, oral.source) == ("dental", "XXX Health Plan", "fhir")
    assert (str(oral.service_start), str(oral.service_end), str(oral.processed_date)) == (
        "2021-03-01",
        "2021-03-31",
        "2021-03-18",
    )
    assert _example("bluebutton/eob_read_carrier_v2.json").payer == "Medicare"
    assert _example("carin-bb-2.0.0/ExplanationOfBenefit-EOBInpatient1.json").claim_type == "institutional"

"""The FHIR reader on the shapes payers actually send: bundles, NDJSON, 1.x and 2.x network
status, reason codes, coordination of benefits, related claims, and what must never be kept."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from scanner.ingest import DocumentError
from scanner.ingest.fhir import FhirParser
from scanner.ingest.ids import opaque_id
from scanner.model import encode
from scanner.money import Money

from .helpers import FHIR_DATA, amounts, parse_with

HL7 = "http://terminology.hl7.org/CodeSystem/adjudication"
C4BB = "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBAdjudication"
DISCRIMINATOR = "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBAdjudicationDiscriminator"
STATUS = "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBPayerAdjudicationStatus"
BB = "https://bluebutton.cms.gov/resources/codesystem/adjudication"
CARC = "https://x12.org/codes/claim-adjustment-reason-codes"
RARC = "https://x12.org/codes/remittance-advice-remark-codes"
CPT = "http://www.ama-assn.org/go/cpt"


def money(system: str, code: str, value: Any) -> dict[str, Any]:
    return {
        "category": {"coding": [{"system": system, "code": code}]},
        "amount": {"value": value, "currency": "USD"},
    }


def status_slice(slice_name: str, status: str) -> dict[str, Any]:
    return {
        "category": {"coding": [{"system": DISCRIMINATOR, "code": slice_name}]},
        "reason": {"coding": [{"system": STATUS, "code": status}]},
    }


def reason_slice(slice_name: str, system: str, code: str) -> dict[str, Any]:
    return {
        "category": {"coding": [{"system": DISCRIMINATOR, "code": slice_name}]},
        "reason": {"coding": [{"system": system, "code": code}]},
    }


def eob(
    number: str = "CLM-900001", items: list[dict[str, Any]] | None = None, **extra: Any
) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "ExplanationOfBenefit",
        "id": f"eob-{number}",
        "identifier": [
            {
                "type": {
                    "coding": [
                        {
                            "system": "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBIdentifierType",
                            "code": "uc",
                        }
                    ]
                },
                "value": number,
            }
        ],
        "status": "active",
        "type": {
            "coding": [{"system": "http://terminology.hl7.org/CodeSystem/claim-type", "code": "professional"}]
        },
        "use": "claim",
        "patient": {"reference": "Patient/p1", "display": "Zelda Canarywood"},
        "created": "2025-04-02T10:00:00Z",
        "insurer": {"display": "Example Mutual Health"},
        "provider": {"reference": "Practitioner/pr1", "display": "Dr. Quill Canarywood"},
        "insurance": [{"focal": True, "coverage": {"reference": "Coverage/c1"}}],
        "item": items
        if items is not None
        else [
            {
                "sequence": 1,
                "productOrService": {"coding": [{"system": CPT, "code": "99213"}]},
                "servicedDate": "2025-03-03",
                "adjudication": [
                    money(HL7, "submitted", 185),
                    money(HL7, "eligible", 120.5),
                    money(HL7, "benefit", 90.5),
                    money(C4BB, "coinsurance", 30),
                    money(C4BB, "memberliability", 30),
                ],
            }
        ],
    }
    resource.update(extra)
    return resource


def parse(obj: Any) -> Any:
    data = obj if isinstance(obj, bytes) else json.dumps(obj).encode()
    return parse_with(FhirParser(), data)


def test_a_single_eob_is_read_with_exact_cents() -> None:
    document = parse(eob())
    assert document.kind == "fhir"
    line = document.claims[0].lines[0]
    assert amounts(line) == {
        "billed": "185.00",
        "allowed": "120.50",
        "plan_paid": "90.50",
        "coinsurance": "30.00",
        "patient_responsibility": "30.00",
    }


def test_a_searchset_bundle_yields_one_claim_per_eob_and_skips_other_resources_with_a_note() -> None:
    bundle = {
        "resourceType": "Bundle",
        "type": "searchset",
        "entry": [
            {"resource": eob("CLM-1")},
            {"resource": {"resourceType": "Patient", "id": "p1", "name": [{"text": "Zelda Canarywood"}]}},
            {"resource": eob("CLM-2")},
            {"resource": {"resourceType": "Coverage", "id": "c1"}},
        ],
    }
    document = parse(bundle)
    assert [c.claim_number for c in document.claims] == ["CLM-1", "CLM-2"]
    assert "1 Coverage resource was skipped: only ExplanationOfBenefit is read." in document.notes
    assert "1 Patient resource was skipped: only ExplanationOfBenefit is read." in document.notes


def test_a_collection_bundle_is_read_too() -> None:
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": eob("CLM-7")}]}
    assert [c.claim_number for c in parse(bundle).claims] == ["CLM-7"]


def test_ndjson_bulk_export_is_one_resource_per_line() -> None:
    lines = [json.dumps(eob(f"CLM-{n}")) for n in range(3)]
    lines.insert(1, json.dumps({"resourceType": "Organization", "id": "o1", "name": "Example Clinic"}))
    document = parse(("\n".join(lines) + "\n").encode())
    assert [c.claim_number for c in document.claims] == ["CLM-0", "CLM-1", "CLM-2"]
    assert "1 Organization resource was skipped: only ExplanationOfBenefit is read." in document.notes


def test_a_document_without_any_eob_is_not_an_error_but_says_so() -> None:
    document = parse({"resourceType": "Patient", "id": "p1"})
    assert document.claims == []
    assert "The document holds no ExplanationOfBenefit resource." in document.notes


def test_names_of_patients_and_practitioners_never_reach_the_claim() -> None:
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {"resource": eob()},
            {
                "resource": {
                    "resourceType": "Practitioner",
                    "id": "pr1",
                    "name": [{"text": "Dr. Quill Canarywood"}],
                }
            },
        ],
    }
    wire = encode(parse(bundle).claims)
    assert b"Canarywood" not in wire


def test_an_organization_provider_keeps_its_name_and_npi() -> None:
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {"resource": eob(provider={"reference": "Organization/o1"})},
            {
                "resource": {
                    "resourceType": "Organization",
                    "id": "o1",
                    "name": "Lakeside Imaging Center",
                    "identifier": [{"system": "http://hl7.org/fhir/sid/us-npi", "value": "1234567893"}],
                }
            },
        ],
    }
    provider = parse(bundle).claims[0].provider
    assert (provider.name, provider.npi) == ("Lakeside Imaging Center", "1234567893")


@pytest.mark.parametrize("number", ["9999999999", "1234567890", "123456789"])
def test_an_identifier_that_is_no_real_npi_is_not_kept(number: str) -> None:
    """The CARIN examples give every provider "9999999999": as an NPI it would make different
    providers one to the duplicate check. The name stays."""
    organization = {
        "resourceType": "Organization",
        "id": "o1",
        "name": "Lakeside Imaging Center",
        "identifier": [{"system": "http://hl7.org/fhir/sid/us-npi", "value": number}],
    }
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"resource": eob(provider={"reference": "Organization/o1"})}, {"resource": organization}],
    }
    provider = parse(bundle).claims[0].provider
    assert (provider.name, provider.npi) == ("Lakeside Imaging Center", None)


def test_a_transaction_bundle_refers_to_its_entries_by_their_full_url() -> None:
    uuid = "urn:uuid:7c1e0a3e-4a9b-4f5e-9a51-2f0d6c8b1a11"
    bundle = {
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [
            {
                "fullUrl": "urn:uuid:00000000-0000-4000-8000-000000000001",
                "resource": eob(provider={"reference": uuid}),
            },
            {
                "fullUrl": uuid,
                "resource": {
                    "resourceType": "Organization",
                    "name": "Lakeside Imaging Center",
                    "identifier": [{"system": "http://hl7.org/fhir/sid/us-npi", "value": "1234567893"}],
                },
            },
        ],
    }
    provider = parse(bundle).claims[0].provider
    assert (provider.name, provider.npi) == ("Lakeside Imaging Center", "1234567893")


@pytest.mark.parametrize(
    ("system", "code", "read"),
    [
        ("urn:oid:2.16.840.1.113883.6.12", "99213", ("99213", "CPT")),
        ("urn:oid:2.16.840.1.113883.6.285", "J1100", ("J1100", "HCPCS")),
        ("urn:oid:2.16.840.1.113883.6.121", "99213", (None, None)),  # another system's OID
    ],
)
def test_a_procedure_code_system_named_by_its_oid(
    system: str, code: str, read: tuple[str | None, str | None]
) -> None:
    item = {
        "sequence": 1,
        "productOrService": {"coding": [{"system": system, "code": code}]},
        "servicedDate": "2025-03-03",
        "adjudication": [money(HL7, "submitted", 185), money(C4BB, "memberliability", 30)],
    }
    line = parse(eob(items=[item])).claims[0].lines[0]
    assert (line.code, line.code_system) == read


def test_claim_ids_are_opaque_and_the_claim_number_has_its_own_field() -> None:
    claim = parse(eob("CLM-555")).claims[0]
    assert claim.claim_number == "CLM-555"
    assert "555" not in claim.id
    assert claim.id == opaque_id("CLM-555")


def test_the_same_claim_number_twice_in_one_document_gets_two_ids() -> None:
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"resource": eob("X1")}, {"resource": eob("X1")}],
    }
    ids = [c.id for c in parse(bundle).claims]
    assert len(set(ids)) == 2


def test_network_status_from_the_2x_slices() -> None:
    claim = parse(
        eob(
            adjudication=[
                status_slice("billingnetworkstatus", "outofnetwork"),
                status_slice("benefitpaymentstatus", "innetwork"),
            ]
        )
    ).claims[0]
    assert claim.provider.network == "out"
    assert claim.lines[0].network == "in"


def test_an_item_benefit_status_wins_over_the_header() -> None:
    item = eob()["item"][0]
    item["adjudication"].append(status_slice("benefitpaymentstatus", "outofnetwork"))
    claim = parse(eob(items=[item], adjudication=[status_slice("benefitpaymentstatus", "innetwork")])).claims[
        0
    ]
    assert claim.lines[0].network == "out"


def test_network_status_from_the_1x_supporting_info_and_category_shapes() -> None:
    item = eob()["item"][0]
    item["adjudication"].append(
        {"category": {"coding": [{"system": STATUS, "code": "outofnetwork"}]}, "amount": {"value": 0}}
    )
    claim = parse(
        eob(
            items=[item],
            supportingInfo=[
                {
                    "sequence": 1,
                    "category": {
                        "coding": [
                            {
                                "system": "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBSupportingInfoType",
                                "code": "billingnetworkcontractingstatus",
                            }
                        ]
                    },
                    "code": {"coding": [{"system": STATUS, "code": "noncontracted"}]},
                }
            ],
        )
    ).claims[0]
    assert claim.provider.network == "out"
    assert claim.lines[0].network == "out"


def test_conflicting_header_statuses_leave_lines_unknown_with_a_note() -> None:
    item = eob()["item"][0]
    document = parse(
        eob(
            items=[item],
            adjudication=[
                status_slice("benefitpaymentstatus", "innetwork"),
                status_slice("benefitpaymentstatus", "outofnetwork"),
            ],
        )
    )
    assert document.claims[0].lines[0].network == "unknown"
    assert any("conflicting benefit network" in note for note in document.notes)


def test_carc_and_rarc_from_adjustmentreason_and_1x_denialreason() -> None:
    item = eob()["item"][0]
    item["adjudication"] += [
        reason_slice("adjustmentreason", CARC, "50"),
        reason_slice("adjustmentreason", RARC, "N130"),
        reason_slice("denialreason", CARC, "97"),
    ]
    line = parse(eob(items=[item])).claims[0].lines[0]
    assert [(a.group, a.reason, a.amount) for a in line.adjustments] == [
        ("OA", "50", None),
        ("OA", "97", None),
    ]
    assert line.remarks == ["N130"]


def test_a_reason_written_on_the_amount_it_explains_is_read() -> None:
    """Plain FHIR R4: the reason sits on the adjudication entry of the amount it explains."""
    item = eob()["item"][0]
    noncovered = money(C4BB, "noncovered", 40)
    noncovered["reason"] = {"coding": [{"system": CARC, "code": "96"}]}
    item["adjudication"].append(noncovered)
    line = parse(eob(items=[item])).claims[0].lines[0]
    assert [(a.reason, a.amount) for a in line.adjustments] == [("96", None)]
    assert line.not_covered == 4000


def test_pre_1_0_and_blue_button_only_codes_map_to_the_same_fields() -> None:
    item = {
        "sequence": 1,
        "productOrService": {"coding": [{"system": CPT, "code": "80053"}]},
        "adjudication": [
            money(C4BB, "allowed", 40),
            money(C4BB, "coins", 8),
            money(BB, "https://bluebutton.cms.gov/resources/variables/line_sbmtd_chrg_amt", 95),
            money(BB, "https://bluebutton.cms.gov/resources/variables/line_prvdr_pmt_amt", 32),
        ],
    }
    line = parse(eob(items=[item])).claims[0].lines[0]
    assert amounts(line) == {
        "billed": "95.00",
        "allowed": "40.00",
        "coinsurance": "8.00",
        "plan_paid": "32.00",
    }


def test_plan_paid_is_paid_to_provider_plus_paid_to_patient_when_no_benefit_is_given() -> None:
    item = {
        "sequence": 1,
        "adjudication": [money(C4BB, "paidtoprovider", 60), money(C4BB, "paidtopatient", 15.25)],
    }
    assert parse(eob(items=[item])).claims[0].lines[0].plan_paid == 7525


def test_header_amounts_of_an_institutional_claim_become_its_totals_and_payment_fills_plan_paid() -> None:
    claim = parse(
        eob(
            items=[],
            type={
                "coding": [
                    {"system": "http://terminology.hl7.org/CodeSystem/claim-type", "code": "institutional"}
                ]
            },
            adjudication=[money(HL7, "submitted", 5000), money(HL7, "eligible", 3000)],
            payment={"amount": {"value": 2400, "currency": "USD"}},
        )
    ).claims[0]
    assert amounts(claim.totals) == {"billed": "5000.00", "allowed": "3000.00", "plan_paid": "2400.00"}


def test_total_entries_win_over_header_adjudication() -> None:
    claim = parse(
        eob(adjudication=[money(HL7, "submitted", 5000)], total=[money(HL7, "submitted", 5100)])
    ).claims[0]
    assert claim.totals.billed == 510000


def test_two_real_insurance_entries_make_the_focal_one_secondary() -> None:
    claim = parse(
        eob(
            insurance=[
                {"focal": False, "coverage": {"reference": "Coverage/primary"}},
                {"focal": True, "coverage": {"reference": "Coverage/secondary"}},
            ]
        )
    ).claims[0]
    assert claim.coverage_position == "secondary"


def test_blue_button_coverage_stubs_are_not_another_payer() -> None:
    claims = parse((FHIR_DATA / "bluebutton/eob_search_v2.json").read_bytes()).claims
    assert {c.coverage_position for c in claims} == {None}


def test_prior_payer_paid_marks_a_secondary_claim() -> None:
    item = eob()["item"][0]
    item["adjudication"].append(money(C4BB, "priorpayerpaid", 100))
    claim = parse(eob(items=[item])).claims[0]
    assert (claim.coverage_position, claim.lines[0].prior_payer_paid) == ("secondary", 10000)


def test_related_claims_point_at_the_opaque_id_of_the_claim_they_replace() -> None:
    original = eob("CLM-100")
    corrected = eob(
        "CLM-101",
        related=[
            {
                "claim": {"identifier": {"value": "CLM-100"}},
                "relationship": {
                    "coding": [
                        {
                            "system": "http://terminology.hl7.org/CodeSystem/ex-relatedclaimrelationship",
                            "code": "prior",
                        }
                    ]
                },
            }
        ],
    )
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"resource": original}, {"resource": corrected}],
    }
    first, second = parse(bundle).claims
    assert [(r.claim_id, r.relationship) for r in second.related] == [(first.id, "replaces")]


def test_replacedby_relationship() -> None:
    claim = parse(
        eob(
            related=[
                {
                    "claim": {"reference": "ExplanationOfBenefit/eob-CLM-2"},
                    "relationship": {"coding": [{"code": "replacedby"}]},
                }
            ]
        )
    ).claims[0]
    assert claim.related[0].relationship == "replaced_by"


def test_payment_type_gives_the_claim_status() -> None:
    claim = parse(eob(payment={"type": {"coding": [{"code": "denied"}]}})).claims[0]
    assert claim.status == "denied"


def test_float_artefacts_are_rounded_to_the_cent_with_a_note() -> None:
    item = {"sequence": 1, "adjudication": [money(HL7, "submitted", 57.598000000000006)]}
    raw = json.dumps(eob(items=[item])).encode()
    document = parse(raw)
    assert document.claims[0].lines[0].billed == 5760
    assert "Some amounts had more than two decimals and were rounded to the cent." in document.notes


def test_deeply_nested_json_is_refused_before_decoding() -> None:
    data = b'{"resourceType": "Bundle", "x": ' + b"[" * 5000 + b"]" * 5000 + b"}"
    with pytest.raises(DocumentError) as caught:
        parse(data)
    assert (caught.value.status, caught.value.code) == (422, "json_too_deep")


def test_broken_ndjson_names_the_line_not_its_content() -> None:
    data = json.dumps(eob()).encode() + b"\n{not json Zelda Canarywood\n"
    with pytest.raises(DocumentError) as caught:
        parse(data)
    assert str(caught.value) == "Line 2 of the FHIR document is not valid JSON."


def test_sniffing_recognises_fhir_by_content() -> None:
    parser = FhirParser()
    assert parser.sniff(json.dumps(eob()).encode(), "claims.txt") > 0.9
    assert parser.sniff(b'{"claims": []}', "eob.json") == 0.0
    assert parser.sniff(b"%PDF-1.7", "eob.json") == 0.0


BENEFIT_TYPE = "http://terminology.hl7.org/CodeSystem/benefit-type"


def _balance(unit: str, network: str, allowed: float, used: float) -> dict[str, Any]:
    return {
        "category": {
            "coding": [{"system": "http://terminology.hl7.org/CodeSystem/ex-benefitcategory", "code": "30"}]
        },
        "network": {
            "coding": [{"system": "http://terminology.hl7.org/CodeSystem/benefit-network", "code": network}]
        },
        "unit": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/benefit-unit", "code": unit}]},
        "term": {
            "coding": [{"system": "http://terminology.hl7.org/CodeSystem/benefit-term", "code": "annual"}]
        },
        "financial": [
            {
                "type": {"coding": [{"system": BENEFIT_TYPE, "code": "deductible"}]},
                "allowedMoney": {"value": allowed, "currency": "USD"},
                "usedMoney": {"value": used, "currency": "USD"},
            }
        ],
    }


def test_the_deductible_balance_the_eob_carries_is_its_printed_standing() -> None:
    balances = [
        _balance("individual", "in", 1500, 620),
        _balance("family", "in", 3000, 900),
        _balance("individual", "out", 3000, 0),  # another network's limits: not the replay's
    ]
    [claim] = parse(eob(benefitBalance=balances)).claims
    printed = claim.accumulators
    assert printed is not None and printed.as_of == dt.date(2025, 4, 2)
    assert (printed.deductible, printed.deductible_met) == (Money(150000), Money(62000))
    assert (printed.family_deductible, printed.family_deductible_met) == (Money(300000), Money(90000))
    assert printed.oop_max is None


def test_an_eob_without_a_deductible_balance_has_no_standing() -> None:
    other = _balance("individual", "in", 1500, 620)
    other["financial"][0]["type"]["coding"][0]["code"] = "visit"
    assert parse(eob(benefitBalance=[other])).claims[0].accumulators is None
    assert parse(eob()).claims[0].accumulators is None

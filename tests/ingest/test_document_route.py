"""``POST /v1/scan/document`` on the real application: every document form, the limits, and
errors that never quote the document."""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Callable, Iterator

import httpx
import pytest
from litestar import Litestar
from litestar.testing import TestClient

from scanner.ingest import DocumentLimits
from scanner.plugins import load_registry
from scanner.service.app import create_app
from scanner.settings import Settings

from . import bad_pdfs
from . import documents as docs
from . import statements as st
from .helpers import FHIR_DATA

Client = TestClient[Litestar]
TOKEN = "test-token-0123456789"
BASE = "http://127.0.0.1:8765"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
ROUTE = "/v1/scan/document"

CASE = docs.Case(
    "route",
    "Example Mutual Health",
    [docs.make_claim(random.Random(61), "EOB-2025-000801", "Lakeside Family Clinic", 3)],
)


@pytest.fixture
def client() -> Iterator[Client]:
    app = create_app(Settings(token=TOKEN, port=8765), load_registry({"EOBSCAN_PLUGINS": ""}))
    with TestClient(app, base_url=BASE) as test_client:
        yield test_client


def post(client: Client, data: bytes, name: str = "upload.bin", **fields: str) -> httpx.Response:
    return client.post(
        ROUTE, headers=AUTH, files={"file": (name, data, "application/octet-stream")}, data=fields
    )


@pytest.mark.parametrize(
    ("make", "kind", "lines"),
    [
        (lambda: docs.member_statement(CASE), "pdf", 3),
        (
            lambda: (FHIR_DATA / "carin-bb-2.0.0/ExplanationOfBenefit-EOBProfessional2.json").read_bytes(),
            "fhir",
            6,
        ),
        (lambda: docs.text_table(CASE).encode(), "text", 3),
        (lambda: docs.csv_export(CASE).encode(), "csv", 3),
    ],
    ids=["pdf", "fhir", "text", "csv"],
)
def test_each_document_form_is_scanned_and_its_claims_returned(
    client: Client,
    make: Callable[[], bytes],
    kind: str,
    lines: int,
) -> None:
    response = post(client, make())
    assert response.status_code == 200, response.text
    result = response.json()
    assert [len(c["lines"]) for c in result["claims"]] == [lines]
    assert result["claims"][0]["source"] == kind
    assert {c["name"] for c in result["checks"]} >= {"insurer_processing"}
    assert "summary" in result and "findings" in result


def test_amounts_come_back_as_wire_strings(client: Client) -> None:
    result = post(client, docs.member_statement(CASE), "eob.pdf").json()
    first = CASE.claims[0].lines[0]
    assert result["claims"][0]["lines"][0]["billed"] == f"{first.billed // 100}.{first.billed % 100:02d}"
    assert result["claims"][0]["claim_number"] == "EOB-2025-000801"


def test_a_plan_and_as_of_are_used_by_the_checks(client: Client) -> None:
    plan = {"oop_max_individual": "100.00", "oop_met": "100.00", "plan_year_start": "2025-01-01"}
    response = post(client, docs.text_table(CASE).encode(), plan=json.dumps(plan), as_of="2025-12-01")
    assert response.status_code == 200


def test_a_bad_plan_names_the_field_not_the_value(client: Client) -> None:
    response = post(
        client, docs.text_table(CASE).encode(), plan=json.dumps({"coverage_tier": "Rowan Testwell"})
    )
    assert response.status_code == 400
    problem = response.json()
    assert problem["path"] == "plan.coverage_tier"
    assert "Rowan" not in response.text


def test_a_bill_typed_in_is_held_against_the_documents_one_claim(client: Client) -> None:
    """No claim number given: with one claim in the document, the bill is for it."""
    owed = CASE.claims[0].total("patient_responsibility")
    asking_more = {"id": "typed", "amount_due": docs.money(owed + 250_00).lstrip("$").replace(",", "")}
    result = post(client, docs.text_table(CASE).encode(), bill=json.dumps(asking_more)).json()
    [balance_bill] = [f for f in result["findings"] if f["rule"] == "BAL001"]
    assert (balance_bill["amount_at_stake"], balance_bill["bill_id"]) == ("250.00", "typed")
    assert result["notes"] == []
    [held] = result["bills"]  # returned as held: for the document's one claim
    assert held["claim_id"] == result["claims"][0]["id"]

    asking_the_share = {"id": "typed", "amount_due": docs.money(owed).lstrip("$").replace(",", "")}
    clean = post(client, docs.text_table(CASE).encode(), bill=json.dumps(asking_the_share)).json()
    assert not [f for f in clean["findings"] if f["rule"].startswith("BAL")]


def test_a_bill_naming_another_claim_is_noted_as_not_compared(client: Client) -> None:
    bill = {"id": "typed", "claim_id": "EOB-2025-999999", "amount_due": "900.00"}
    result = post(client, docs.text_table(CASE).encode(), bill=json.dumps(bill)).json()
    assert not [f for f in result["findings"] if f["rule"].startswith("BAL")]
    assert any("Bill typed was not compared with an EOB" in note for note in result["notes"])


def test_a_bad_bill_names_the_field_not_the_value(client: Client) -> None:
    response = post(
        client, docs.text_table(CASE).encode(), bill=json.dumps({"id": "b", "amount_due": "Rowan"})
    )
    assert response.status_code == 400
    assert response.json()["path"] == "bill.amount_due"
    assert "Rowan" not in response.text


def _with_statement(client: Client, statement: bytes, **fields: str) -> httpx.Response:
    eob = docs.member_statement(st.er_visit_eob())
    files = {
        "file": ("eob.pdf", eob, "application/pdf"),
        "bill_file": ("statement.pdf", statement, "application/pdf"),
    }
    return client.post(ROUTE, headers=AUTH, files=files, data=fields)


def test_a_statement_uploaded_with_the_eob_is_read_and_held_against_it(client: Client) -> None:
    """The hospital posted $400.00 of the $650.00 contractual adjustment: its statement asks
    $508.00 where the EOB says $258.00, $250.00 the in-network hospital may not bill."""
    statement = st.hospital_itemized(st.er_visit_statement(er_adjustment=40000))
    result = _with_statement(client, statement).json()
    [balance_bill] = [f for f in result["findings"] if f["rule"] == "BAL001"]
    assert balance_bill["amount_at_stake"] == "250.00"
    [bill] = result["bills"]
    assert (bill["claim_id"], bill["amount_due"], len(bill["lines"])) == ("EX-2026-000777", "508.00", 2)
    assert bill["provider_name"] == "Riverbend General Hospital"


def test_a_statement_asking_what_the_eob_says_is_clean(client: Client) -> None:
    result = _with_statement(client, st.hospital_itemized(st.er_visit_statement())).json()
    assert not [f for f in result["findings"] if f["rule"].startswith("BAL")]
    assert result["bills"][0]["amount_due"] == "258.00" and result["notes"] == []


def test_what_the_patient_types_wins_over_the_statement(client: Client) -> None:
    """The statement prints no claim number; the patient types it, and a payment made since."""
    statement = st.hospital_itemized(st.er_visit_statement(claim_number=None))
    typed = {"id": "typed", "claim_id": "EX-2026-000777", "amount_paid": "20.00"}
    [bill] = _with_statement(client, statement, bill=json.dumps(typed)).json()["bills"]
    assert (bill["claim_id"], bill["amount_paid"], bill["amount_due"]) == (
        "EX-2026-000777",
        "20.00",
        "258.00",
    )
    assert len(bill["lines"]) == 2  # the statement's lines stay


def test_an_eob_uploaded_as_the_bill_is_refused_naming_the_bill(client: Client) -> None:
    response = _with_statement(client, docs.member_statement(st.er_visit_eob()))
    assert response.status_code == 422
    problem = response.json()
    assert problem["path"] == "bill_file" and problem["detail"].startswith("bill_file: ")
    assert "Riverbend" not in response.text


def test_a_bad_as_of_is_a_400(client: Client) -> None:
    response = post(client, docs.text_table(CASE).encode(), as_of="next tuesday")
    assert (response.status_code, response.json()["detail"]) == (400, "as_of: not a valid date (YYYY-MM-DD).")


def test_a_missing_file_is_a_400(client: Client) -> None:
    response = client.post(ROUTE, headers=AUTH, files={"other": ("x", b"1")})
    assert (response.status_code, response.json()["detail"]) == (400, "file: a document is required.")


def test_a_json_body_is_refused_with_415(client: Client) -> None:
    response = client.post(ROUTE, headers={**AUTH, "Content-Type": "application/json"}, content=b"{}")
    assert response.status_code == 415


def test_the_route_needs_the_token(client: Client) -> None:
    response = client.post(ROUTE, files={"file": ("x.pdf", docs.member_statement(CASE))})
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("data", "name", "status", "title"),
    [
        (bad_pdfs.encrypted_rc4(), "eob.pdf", 422, "Document not readable"),
        (b"\x89PNG\r\n\x1a\n" + bytes(64), "eob.pdf", 415, "Unsupported document type"),
        (docs.scanned_image_pdf(), "scan.pdf", 422, "Document not readable"),
        (b"", "eob.pdf", 422, "Document not readable"),
    ],
    ids=["encrypted", "not-a-pdf", "scanned", "empty"],
)
def test_unreadable_documents_are_problems_that_quote_nothing(
    client: Client,
    data: bytes,
    name: str,
    status: int,
    title: str,
) -> None:
    response = post(client, data, name)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert (problem["status"], problem["title"]) == (status, title)


def test_a_fhir_document_without_claims_is_a_422(client: Client) -> None:
    response = post(client, json.dumps({"resourceType": "Patient", "id": "p"}).encode())
    assert response.status_code == 422
    assert response.json()["detail"] == "No claims were found in the document."


def test_an_upload_over_the_limit_is_a_413(client: Client) -> None:
    client.app.state.document_limits = DocumentLimits(max_bytes=64 * 1024)
    response = post(client, b"Billed: $1.00\n" * 10_000, "eob.txt")
    assert response.status_code == 413


def test_the_service_keeps_answering_while_a_pdf_is_being_killed(client: Client) -> None:
    client.app.state.document_limits = DocumentLimits(timeout_s=2.0)
    outcome: dict[str, object] = {}

    def slow() -> None:
        response = post(client, bad_pdfs.scattered_words(), "eob.pdf")
        outcome["status"] = response.status_code
        outcome["detail"] = response.json()["detail"]

    thread = threading.Thread(target=slow)
    thread.start()
    time.sleep(0.3)
    answered = []
    while thread.is_alive():
        start = time.monotonic()
        assert client.get("/healthz").status_code == 200
        answered.append(time.monotonic() - start)
        time.sleep(0.2)
    thread.join()
    assert outcome == {
        "status": 422,
        "detail": "Reading this PDF took longer than the 2 s allowed; it is not a typical EOB.",
    }
    assert len(answered) >= 3
    assert max(answered) < 1.0
    assert post(client, docs.member_statement(CASE), "eob.pdf").status_code == 200


def test_the_route_is_in_the_openapi_document(client: Client) -> None:
    schema = client.get("/schema/openapi.json").json()
    operation = schema["paths"]["/v1/scan/document"]["post"]
    assert operation["operationId"] == "scanDocument"
    assert "multipart/form-data" in operation["requestBody"]["content"]

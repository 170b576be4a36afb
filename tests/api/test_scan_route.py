"""POST /v1/scan: the ScanResult of API.md, and a clear 4xx for every bad input."""

from __future__ import annotations

import json
from typing import Any

import pytest
from litestar.testing import TestClient

from tests.api.conftest import AUTH

CLAIM = {
    "id": "claim-1",
    "lines": [
        {
            "id": "1",
            "code": "99214",
            "allowed": "150.00",
            "plan_paid": "120.00",
            "patient_responsibility": "60.00",
            "coinsurance": "60.00",
        }
    ],
}


def _post(client: TestClient, body: Any, **headers: str) -> Any:  # type: ignore[type-arg]
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    return client.post(
        "/v1/scan", content=content, headers={**AUTH, "Content-Type": "application/json", **headers}
    )


def test_a_scan_returns_the_result_shape_of_the_wire_contract(client: TestClient) -> None:  # type: ignore[type-arg]
    response = _post(client, {"claims": [CLAIM], "as_of": "2026-11-26"})
    assert response.status_code == 200
    result = response.json()
    assert set(result) >= {"findings", "summary", "checks", "claims"}
    finding = result["findings"][0]
    assert finding["rule"] == "INS001"
    assert finding["amount_at_stake"] == "30.00"
    assert finding["docs_url"] == "/v1/checks/INS001"
    assert result["summary"]["amount_at_stake"] == "30.00"
    assert result["summary"]["patient_responsibility"] == "60.00"
    assert {c["name"]: c["status"] for c in result["checks"]}["insurer_processing"] == "ok"


BAD_INPUTS = [
    ("malformed JSON", b'{"claims": [', 400, "$"),
    (
        "wrong type",
        {"claims": [{"id": "c", "lines": [{"id": "1", "units": "two"}]}]},
        400,
        "$.claims[0].lines[0].units",
    ),
    ("unknown field", {"claims": [CLAIM], "patient_name": "x"}, 400, "$"),
    ("missing claim id", {"claims": [{"lines": []}]}, 400, "$.claims[0]"),
    ("missing line id", {"claims": [{"id": "c", "lines": [{"code": "99213"}]}]}, 400, "$.claims[0].lines[0]"),
    (
        "duplicate line ids",
        {"claims": [{"id": "c", "lines": [{"id": "1"}, {"id": "1"}]}]},
        400,
        "$.claims[0]",
    ),
    ("negative totals", {"claims": [{"id": "c", "totals": {"billed": "-10.00"}}]}, 400, "$.claims[0]"),
    (
        "impossible date",
        {"claims": [{"id": "c", "service_start": "2026-02-30"}]},
        400,
        "$.claims[0].service_start",
    ),
    ("empty claims list", {"claims": []}, 400, "$.claims"),
    ("neither claims nor bills", {"plan": None}, 400, "$.claims"),
    (
        "European amount",
        {"claims": [{"id": "c", "lines": [{"id": "1", "billed": "1.234,56"}]}]},
        400,
        "$.claims[0].lines[0].billed",
    ),
    (
        "three decimals",
        {"claims": [{"id": "c", "lines": [{"id": "1", "billed": 10.005}]}]},
        400,
        "$.claims[0].lines[0].billed",
    ),
    ("deep nesting", b"[" * 10_000 + b"]" * 10_000, 400, "$"),
    ("deep object nesting", b'{"a":' * 5_000 + b"1" + b"}" * 5_000, 400, "$"),
    ("empty body", b"", 400, "$"),
]


@pytest.mark.parametrize(("case", "body", "status", "path"), BAD_INPUTS, ids=[c[0] for c in BAD_INPUTS])
def test_bad_input_gets_a_problem_naming_the_json_path(
    client: TestClient,
    case: str,
    body: Any,
    status: int,
    path: str,  # type: ignore[type-arg]
) -> None:
    response = _post(client, body)
    assert response.status_code == status, case
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["status"] == status
    assert problem["path"] == path
    assert problem["detail"].startswith(path)
    assert client.get("/healthz").status_code == 200


def test_a_problem_never_echoes_the_submitted_value(client: TestClient) -> None:  # type: ignore[type-arg]
    response = _post(client, {"claims": [{"id": "c", "status": "Zed Canary W123456789"}]})
    assert response.status_code == 400
    assert "Canary" not in response.text and "W123456789" not in response.text
    assert response.json()["path"] == "$.claims[0].status"


def test_a_ten_megabyte_body_is_refused_and_the_service_keeps_serving(client: TestClient) -> None:  # type: ignore[type-arg]
    response = _post(client, b'{"claims": [' + b" " * (10 * 1024 * 1024) + b"]}")
    assert response.status_code == 413
    assert response.json()["title"] == "Request too large"
    assert _post(client, {"claims": [CLAIM]}).status_code == 200


def test_more_than_500_claims_is_refused_with_a_clear_message(client: TestClient) -> None:  # type: ignore[type-arg]
    claims = [{"id": f"c{i}"} for i in range(501)]
    response = _post(client, {"claims": claims})
    assert response.status_code == 413
    assert "at most 500 claims" in response.json()["detail"]


def test_more_than_5000_lines_is_refused_with_a_clear_message(client: TestClient) -> None:  # type: ignore[type-arg]
    claims = [{"id": f"c{i}", "lines": [{"id": str(j)} for j in range(11)]} for i in range(460)]
    response = _post(client, {"claims": claims})
    assert response.status_code == 413
    assert "at most 5000 lines" in response.json()["detail"]


@pytest.mark.parametrize("claims", [{"claims": []}, {}], ids=["empty claims", "claims left out"])
def test_a_request_with_only_a_self_pay_bill_is_scanned(client: TestClient, claims: dict[str, Any]) -> None:  # type: ignore[type-arg]
    bill = {
        "id": "b1",
        "self_pay": True,
        "statement_date": "2026-10-01",
        "good_faith_estimate": "600.00",
        "lines": [{"service_date": "2026-09-10", "code": "70553", "charge": "1450.00"}],
    }
    response = _post(client, {**claims, "bills": [bill], "as_of": "2026-11-26"})
    assert response.status_code == 200
    finding = response.json()["findings"][0]
    assert (finding["rule"], finding["bill_id"], finding["amount_at_stake"]) == ("BAL005", "b1", "850.00")

"""The security baseline of DESIGN.md, request by request."""

from __future__ import annotations

import json

from litestar.testing import TestClient

from scanner.settings import Settings
from tests.api.conftest import AUTH, TOKEN

BODY = json.dumps({"claims": [{"id": "c1"}]}).encode()
JSON = {"Content-Type": "application/json"}


def test_the_service_binds_to_loopback_by_default() -> None:
    assert Settings().host == "127.0.0.1"


def test_a_token_is_generated_when_none_is_configured() -> None:
    first, second = Settings.from_env({}), Settings.from_env({})
    assert first.token_generated and len(first.token) >= 32
    assert first.token != second.token
    assert not Settings.from_env({"EOBSCAN_TOKEN": "configured"}).token_generated


def test_v1_routes_need_the_bearer_token(client: TestClient) -> None:  # type: ignore[type-arg]
    assert client.post("/v1/scan", content=BODY, headers=JSON).status_code == 401
    wrong = {"Authorization": "Bearer " + TOKEN[:-1] + "x", **JSON}
    assert client.post("/v1/scan", content=BODY, headers=wrong).status_code == 401
    assert client.get("/v1/checks", headers={"Authorization": TOKEN}).status_code == 401
    assert client.get("/v1/checks", headers=AUTH).status_code == 200


def test_healthz_needs_no_token(client: TestClient) -> None:  # type: ignore[type-arg]
    response = client.get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_a_cross_site_text_plain_post_is_refused_unprocessed(client: TestClient) -> None:  # type: ignore[type-arg]
    response = client.post("/v1/scan", content=BODY, headers={**AUTH, "Content-Type": "text/plain"})
    assert response.status_code == 415
    form = client.post(
        "/v1/scan", content=b"claims=1", headers={**AUTH, "Content-Type": "application/x-www-form-urlencoded"}
    )
    assert form.status_code == 415


def test_a_foreign_origin_is_refused_even_with_the_token(client: TestClient) -> None:  # type: ignore[type-arg]
    response = client.post(
        "/v1/scan", content=BODY, headers={**AUTH, **JSON, "Origin": "https://evil.example"}
    )
    assert response.status_code == 403


def test_the_extension_origin_is_accepted_with_the_token() -> None:
    from scanner.plugins import load_registry
    from scanner.service.app import create_app

    settings = Settings(token=TOKEN, port=8765, extension_origins=("chrome-extension://abcdefghijklmnop",))
    with TestClient(
        create_app(settings, load_registry({"EOBSCAN_PLUGINS": ""})), base_url="http://127.0.0.1:8765"
    ) as client:
        headers = {**AUTH, **JSON, "Origin": "chrome-extension://abcdefghijklmnop"}
        assert client.post("/v1/scan", content=BODY, headers=headers).status_code == 200


def test_a_rebound_host_header_is_refused(client: TestClient) -> None:  # type: ignore[type-arg]
    for host in ("attacker.example:8765", "127.0.0.1", "127.0.0.1:9999", "localhost"):
        response = client.post("/v1/scan", content=BODY, headers={**AUTH, **JSON, "Host": host})
        assert response.status_code == 400, host
    assert client.get("/healthz", headers={"Host": "localhost:8765"}).status_code == 200


def test_errors_carry_no_traceback(client: TestClient) -> None:  # type: ignore[type-arg]
    response = client.get("/v1/no-such-route", headers=AUTH)
    assert response.status_code == 404
    assert "Traceback" not in response.text and "no-such-route" not in response.text


def test_api_docs_are_self_hosted(client: TestClient) -> None:  # type: ignore[type-arg]
    page = client.get("/docs")
    assert page.status_code == 200
    assert "https://" not in page.text
    assert '<script src="/docs/docs.js">' in page.text
    schema = client.get("/schema/openapi.json").json()
    assert {"/v1/scan", "/v1/checks", "/v1/checks/{code}", "/v1/plugins", "/healthz"} <= set(schema["paths"])
    assert schema["components"]["schemas"]["ScanRequest"]["additionalProperties"] is False


def test_a_401_says_how_to_authenticate_and_names_no_token(client: TestClient) -> None:  # type: ignore[type-arg]
    response = client.post("/v1/scan", content=BODY, headers=JSON)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Bearer realm="eob-scanner"'


def test_an_authorised_request_gets_no_authentication_challenge(client: TestClient) -> None:  # type: ignore[type-arg]
    assert "www-authenticate" not in client.get("/v1/checks", headers=AUTH).headers


def test_a_405_lists_the_methods_the_route_allows(client: TestClient) -> None:  # type: ignore[type-arg]
    response = client.delete("/v1/scan", headers=AUTH)
    assert response.status_code == 405
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "POST" in {method.strip() for method in response.headers["allow"].split(",")}


def test_the_schema_declares_the_refusals_every_route_can_give(client: TestClient) -> None:  # type: ignore[type-arg]
    """The guard answers 400 (Host) and 403 (Origin) before routing, so every operation lists
    them; every /v1 operation lists 401 with its WWW-Authenticate header."""
    paths = client.get("/schema/openapi.json").json()["paths"]
    for path, operations in paths.items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert {"400", "403"} <= set(responses), (method, path)
            if path.startswith("/v1/"):
                assert "WWW-Authenticate" in responses["401"]["headers"], (method, path)

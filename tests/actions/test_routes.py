"""The service routes of the action pack and the upload page, through the real Litestar app."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import icalendar
import pytest
from litestar.testing import TestClient
from pypdf import PdfReader

from scanner.plugins import load_registry
from scanner.service.app import create_app
from scanner.service.report_routes import _wants_pdf
from scanner.settings import Settings

TOKEN = "actions-test-token-0123456789"
BASE = "http://127.0.0.1:8765"
JSON_HEADERS = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
STATIC = Path(__file__).resolve().parents[2] / "scanner" / "service" / "static"

#: An office visit whose line 1 asks the patient for $30.00 more than allowed minus paid.
REQUEST: dict[str, Any] = {
    "as_of": "2026-11-26",
    "claims": [
        {
            "id": "claim-1",
            "claim_number": "ZZ-CLAIM-0042",
            "payer": "Example Health Plan",
            "provider": {"name": "Riverside Family Medicine", "network": "in"},
            "service_start": "2026-03-02",
            "processed_date": "2026-03-20",
            "lines": [
                {
                    "id": "1",
                    "service_date": "2026-03-02",
                    "code": "99214",
                    "code_system": "CPT",
                    "network": "in",
                    "billed": "240.00",
                    "allowed": "150.00",
                    "plan_paid": "120.00",
                    "coinsurance": "30.00",
                    "patient_responsibility": "60.00",
                }
            ],
        }
    ],
}


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient[Any]]:
    app = create_app(Settings(token=TOKEN, port=8765), load_registry({"EOBSCAN_PLUGINS": ""}))
    with TestClient(app, base_url=BASE) as test_client:
        yield test_client


def _post(client: TestClient[Any], path: str, **headers: str) -> Any:
    return client.post(path, content=json.dumps(REQUEST), headers={**JSON_HEADERS, **headers})


def test_the_upload_page_is_served_without_a_token_and_locked_down(client: TestClient[Any]) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    csp = page.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert page.headers["referrer-policy"] == "no-referrer"
    assert page.headers["cache-control"] == "no-store"
    assert '<script src="/static/upload.js" defer></script>' in page.text
    for asset, media in (("/static/upload.js", "text/javascript"), ("/static/upload.css", "text/css")):
        response = client.get(asset)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith(media)
    assert client.get("/static/../app.py").status_code == 404
    assert client.get("/static/index.html").status_code == 404


def test_the_page_loads_nothing_from_elsewhere_and_never_writes_html_from_data() -> None:
    html = (STATIC / "index.html").read_text()
    script = (STATIC / "upload.js").read_text()
    css = (STATIC / "upload.css").read_text()
    for text in (html, script, css):
        assert not re.search(r"https?://", text.replace("https://www.cms.gov", "")), "no external URL"
    assert "@import" not in css and "url(" not in css
    code = re.sub(r"/\*.*?\*/", "", script, flags=re.DOTALL)
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in code, sink
    assert "<script>" not in html  # no inline script: the CSP forbids it anyway


def test_every_form_control_has_a_label() -> None:
    html = (STATIC / "index.html").read_text()
    ids = re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', html)
    labelled = set(re.findall(r'<label for="([^"]+)"', html))
    assert ids and set(ids) <= labelled


def test_the_routes_need_the_token(client: TestClient[Any]) -> None:
    for path in ("/v1/actions", "/v1/calendar", "/v1/report"):
        response = client.post(
            path, content=json.dumps(REQUEST), headers={"Content-Type": "application/json"}
        )
        assert response.status_code == 401


def test_a_cross_site_text_plain_post_is_refused(client: TestClient[Any]) -> None:
    response = client.post(
        "/v1/report",
        content=json.dumps(REQUEST),
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "text/plain"},
    )
    assert response.status_code == 415


def test_a_bad_request_is_a_problem_that_names_the_field(client: TestClient[Any]) -> None:
    bad = {"claims": [{"id": "c", "lines": [{"id": "1", "allowed": "lots"}]}]}
    response = client.post("/v1/actions", content=json.dumps(bad), headers=JSON_HEADERS)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert "$.claims[0].lines[0].allowed" in response.json()["detail"]
    assert "lots" not in response.text


def test_actions_give_each_finding_its_calls_and_letters(client: TestClient[Any]) -> None:
    response = _post(client, "/v1/actions")
    assert response.status_code == 200
    plan = response.json()
    assert plan["as_of"] == "2026-11-26"
    first = plan["findings"][0]
    assert (first["finding"], first["rule"], first["claim_id"], first["line_ids"]) == (
        0,
        "INS001",
        "claim-1",
        ["1"],
    )
    assert first["calls"][0]["kind"] == "request_reprocessing"
    assert first["calls"][0]["ask_for"][0].startswith("A reference number")
    letter = first["letters"][0]
    assert letter["template"] == "reprocessing_request"
    assert letter["filename"] == "claim-1-INS001-1-reprocessing_request.txt"
    assert "Re: Request to reprocess claim ZZ-CLAIM-0042" in letter["text"]
    assert "$30.00" in letter["text"]
    assert "patient_name" in letter["placeholders"]
    assert response.headers["cache-control"] == "no-store"


def test_the_calendar_is_an_ics_file(client: TestClient[Any]) -> None:
    response = _post(client, "/v1/calendar")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    assert 'filename="eob-deadlines.ics"' in response.headers["content-disposition"]
    calendar = icalendar.Calendar.from_ical(response.text)
    assert calendar["VERSION"] == "2.0"


def test_the_report_is_html_by_default_and_pdf_on_request(client: TestClient[Any]) -> None:
    html = _post(client, "/v1/report")
    assert html.status_code == 200
    assert html.headers["content-type"].startswith("text/html")
    assert html.headers["content-security-policy"].startswith("default-src 'none'")
    assert "Re: Request to reprocess claim ZZ-CLAIM-0042" in html.text
    assert "<script" not in html.text
    pdf = _post(client, "/v1/report", Accept="application/pdf")
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "You are asked for more than the allowed amount leaves" in text
    assert "ZZ-CLAIM-0042" in text


@pytest.mark.parametrize(
    ("accept", "pdf"),
    [
        ("application/pdf", True),
        ("application/pdf, */*;q=0.1", True),
        ("text/html, application/pdf;q=0.9", False),
        ("text/html;q=0.5, application/pdf", True),
        ("*/*", False),
        ("", False),
        ("application/pdf;q=0", False),
        ("application/pdf;q=oops", False),
    ],
)
def test_pdf_is_chosen_by_the_accept_header(accept: str, pdf: bool) -> None:
    assert _wants_pdf(accept) is pdf


def test_the_openapi_schema_lists_the_routes(client: TestClient[Any]) -> None:
    schema = client.get("/schema/openapi.json").json()
    for path in ("/v1/actions", "/v1/calendar", "/v1/report"):
        assert schema["paths"][path]["post"]["security"] == [{"bearer": []}]
    assert set(schema["paths"]["/v1/report"]["post"]["responses"]["200"]["content"]) == {
        "text/html",
        "application/pdf",
    }

"""No health data in any log record: canaries go in, none come out."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterable, Sequence

import structlog
from litestar.testing import TestClient

from scanner.checks import CheckContext
from scanner.logs import configure_logging, redact
from scanner.model import Claim, Finding
from scanner.plugins import load_registry
from scanner.service.app import create_app
from scanner.settings import Settings

CANARY_NAME = "Zelda Canaryfield"
CANARY_MEMBER = "W987654321"
CANARY_CLAIM = "CLM-CANARY-55501"
CANARIES = (CANARY_NAME, CANARY_MEMBER, CANARY_CLAIM)
TOKEN = "canary-test-token"
HEADERS = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}


class LeakyCheck:
    """A check that raises with claim data in its message, and logs claim data itself."""

    name, version, rules = "leaky", "1", ()

    def check(self, claims: Sequence[Claim], context: CheckContext) -> Iterable[Finding]:
        claim = claims[0]
        structlog.get_logger("plugin").warning("looking", claim_number=claim.claim_number, payer=claim.payer)
        raise RuntimeError(f"cannot handle {claim.claim_number} of {claim.payer}")


def _canary_claim(**extra: object) -> dict[str, object]:
    return {
        "id": "c1",
        "claim_number": CANARY_CLAIM,
        "payer": CANARY_NAME,
        "member": CANARY_MEMBER,
        "provider": {"name": CANARY_NAME, "network": "in"},
        "lines": [
            {
                "id": "1",
                "description": CANARY_NAME,
                "allowed": "10.00",
                "plan_paid": "5.00",
                "patient_responsibility": "9.00",
            }
        ],
        **extra,
    }


def test_the_redaction_processor_keeps_only_safe_keys() -> None:
    event = redact(
        None,
        "info",
        {
            "event": "request",
            "route": "/v1/scan",
            "member_id": CANARY_MEMBER,
            "body": CANARY_NAME,
            "status": 200,
        },
    )
    assert event == {"event": "request", "route": "/v1/scan", "status": 200}


def test_no_canary_reaches_any_log_record_on_success_errors_and_plugin_exceptions() -> None:
    stream = io.StringIO()
    configure_logging("json")
    structlog.configure(logger_factory=structlog.PrintLoggerFactory(stream))
    root = logging.getLogger()
    handler = logging.StreamHandler(stream)
    root.addHandler(handler)
    try:
        registry = load_registry({"EOBSCAN_PLUGINS": ""})
        registry.checks.append(LeakyCheck())
        app = create_app(Settings(token=TOKEN, port=8765), registry)
        with TestClient(app, base_url="http://127.0.0.1:8765") as client:
            ok = client.post("/v1/scan", headers=HEADERS, content=json.dumps({"claims": [_canary_claim()]}))
            assert ok.status_code == 200
            assert next(c for c in ok.json()["checks"] if c["name"] == "leaky")["status"] == "error"
            bad = client.post(
                "/v1/scan",
                headers=HEADERS,
                content=json.dumps({"claims": [_canary_claim(status=CANARY_NAME)]}),
            )
            assert bad.status_code == 400
            client.post(
                "/v1/scan",
                headers={**HEADERS, "Authorization": f"Bearer {CANARY_MEMBER}"},
                content=json.dumps({"claims": [_canary_claim()]}),
            )
            client.get(f"/v1/checks/{CANARY_CLAIM}", headers=HEADERS)
            client.get(f"/{CANARY_NAME}?member={CANARY_MEMBER}")
            responses = [ok.text, bad.text]
    finally:
        root.removeHandler(handler)
        configure_logging("console")
    logged = stream.getvalue()
    assert logged.count('"event":"request"') >= 4, logged
    for canary in CANARIES:
        assert canary not in logged
        assert all(canary not in text for text in responses[1:])
    for line in filter(None, logged.splitlines()):
        assert set(json.loads(line)) <= {
            "event",
            "level",
            "timestamp",
            "request_id",
            "route",
            "method",
            "status",
            "duration_ms",
            "claims",
            "lines",
            "findings",
            "checks_failed",
            "error_type",
            "logger",
        }

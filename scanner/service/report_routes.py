"""Routes that turn a scan into things to act on: the action plan, the calendar, the evidence pack.

Each takes the same ScanRequest as ``POST /v1/scan`` and scans it again (scans are cheap and
deterministic), so a client never has to send findings back, and nothing a client sends as a
"finding" can put words or citations into a letter.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import anyio.to_thread
from litestar import Request, Response, post

from scanner.actions.calendar import to_ics
from scanner.actions.plan import ActionPlan, plan_actions
from scanner.actions.report import render_html
from scanner.actions.report_pdf import render_pdf
from scanner.engine import scan
from scanner.model import ScanRequest, ScanResult, encode
from scanner.service.decoding import read_scan_request
from scanner.service.errors import problem_responses
from scanner.service.security import JSON_BODY

PDF = "application/pdf"
REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
_NO_STORE = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}


async def _scanned(request: Request[Any, Any, Any]) -> tuple[ScanRequest, ScanResult, ActionPlan]:
    settings, registry = request.app.state.settings, request.app.state.registry
    scan_request = read_scan_request(await request.body(), settings)
    result = scan(scan_request, registry, budget_ms=settings.check_budget_ms)
    return scan_request, result, plan_actions(scan_request, result)


def _attachment(name: str) -> dict[str, str]:
    return {**_NO_STORE, "Content-Disposition": f'attachment; filename="{name}"'}


@post(
    "/v1/actions",
    operation_id="planActions",
    summary="Call scripts, letters and deadlines for each finding",
    opt={JSON_BODY: True},
    status_code=200,
)
async def actions(request: Request[Any, Any, Any]) -> Response[bytes]:
    _, _, plan = await _scanned(request)
    return Response(content=encode(plan), media_type="application/json", headers=_NO_STORE)


@post(
    "/v1/calendar",
    operation_id="calendar",
    summary="The deadlines as an iCalendar file with reminders a week before",
    opt={JSON_BODY: True},
    status_code=200,
)
async def calendar(request: Request[Any, Any, Any]) -> Response[bytes]:
    _, result, plan = await _scanned(request)
    details = [_details(result, item.claim_id, item.rule) for item in plan.deadlines]
    ics = to_ics(plan.deadlines, stamp=dt.datetime.now(dt.UTC), details=details)
    return Response(
        content=ics.encode("utf-8"),
        media_type="text/calendar",
        headers=_attachment("eob-deadlines.ics"),
    )


def _details(result: ScanResult, claim_id: str, rule: str) -> str | None:
    finding = next((f for f in result.findings if f.claim_id == claim_id and f.rule == rule), None)
    return f"{finding.title}. {finding.message}" if finding else None


@post(
    "/v1/report",
    operation_id="report",
    summary="The printable evidence pack (HTML, or PDF with Accept: application/pdf)",
    opt={JSON_BODY: True},
    status_code=200,
)
async def report(request: Request[Any, Any, Any]) -> Response[bytes]:
    scan_request, result, plan = await _scanned(request)
    if _wants_pdf(request.headers.get("accept", "")):
        pdf = await anyio.to_thread.run_sync(render_pdf, scan_request, result, plan)
        return Response(content=pdf, media_type=PDF, headers=_attachment("eob-evidence-pack.pdf"))
    html = render_html(scan_request, result, plan)
    headers = {**_attachment("eob-evidence-pack.html"), "Content-Security-Policy": REPORT_CSP}
    return Response(content=html.encode("utf-8"), media_type="text/html", headers=headers)


def _wants_pdf(accept: str) -> bool:
    """PDF when the client prefers it to HTML (``Accept: application/pdf``)."""
    best: dict[str, float] = {}
    for part in accept.split(","):
        media, *params = (piece.strip() for piece in part.split(";"))
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        best[media.lower()] = max(best.get(media.lower(), 0.0), quality)
    pdf = best.get(PDF, 0.0)
    html = max(best.get("text/html", 0.0), best.get("*/*", 0.0) if PDF not in best else 0.0)
    return pdf > 0 and pdf >= html


report_handlers = [actions, calendar, report]


def _json_post(operation: str, summary: str, answer: dict[str, Any]) -> dict[str, Any]:
    return {
        "post": {
            "operationId": operation,
            "summary": summary,
            "security": [{"bearer": []}],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ScanRequest"}}},
            },
            "responses": {
                "200": {"description": "OK", "content": answer},
                **problem_responses(400, 401, 403, 413, 415),
            },
        }
    }


#: The OpenAPI paths of these routes (the app merges them into its schema).
openapi_paths: dict[str, Any] = {
    "/v1/actions": _json_post(
        "planActions",
        "Call scripts, letters and deadlines for each finding",
        {"application/json": {"schema": {"type": "object"}}},
    ),
    "/v1/calendar": _json_post(
        "calendar",
        "The deadlines as an iCalendar file (RFC 5545) with reminders a week before",
        {"text/calendar": {"schema": {"type": "string"}}},
    ),
    "/v1/report": _json_post(
        "report",
        "The printable evidence pack: HTML, or PDF with Accept: application/pdf",
        {"text/html": {"schema": {"type": "string"}}, "application/pdf": {"schema": {"type": "string"}}},
    ),
}

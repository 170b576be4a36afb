"""The core routes of API.md: scan, the rules catalogue, the plugin list and the health check."""

from __future__ import annotations

import functools
from typing import Any

import anyio.to_thread
import structlog
from litestar import Request, Response, get, post
from litestar.params import FromPath

from scanner.engine import scan
from scanner.model import ScanRequest, encode
from scanner.plugins import Registry
from scanner.service.decoding import read_scan_request
from scanner.service.errors import ProblemError
from scanner.service.security import JSON_BODY
from scanner.settings import Settings

JSON = "application/json"


def _state(request: Request[Any, Any, Any]) -> tuple[Settings, Registry]:
    return request.app.state.settings, request.app.state.registry


def json_response(obj: object, status: int = 200) -> Response[bytes]:
    return Response(content=encode(obj), status_code=status, media_type=JSON)


def _scan_limiter(request: Request[Any, Any, Any], settings: Settings) -> anyio.CapacityLimiter:
    """At most ``settings.scan_concurrency`` scans in threads at once; the others queue in order.

    Scans are CPU work under one interpreter lock: more threads at once only interleave them,
    which costs every scan the switches and makes the slowest answers slower (p99 about halves
    with two instead of anyio's forty). Created on first use, inside the server's event loop.
    """
    state = request.app.state
    limiter: anyio.CapacityLimiter | None = state.get("scan_limiter")
    if limiter is None:
        limiter = state["scan_limiter"] = anyio.CapacityLimiter(settings.scan_concurrency)
    return limiter


def _scan_here(scan_request: ScanRequest, registry: Registry, settings: Settings) -> bool:
    """Whether to scan in the event loop itself rather than in a worker thread.

    A thread keeps a long scan, or a plugin's slow check, from stalling /healthz and the other
    requests. But handing a request to a thread and back costs more than scanning a few lines
    with our own checks (under load, about 0.3 ms a hand-off against about 0.05 ms a line), so
    a small scan with no plugin check in it is done in place.
    """
    lines = sum(len(claim.lines) for claim in scan_request.claims)
    lines += sum(len(bill.lines) or 1 for bill in scan_request.bills)
    return lines <= settings.inline_scan_lines and registry.all_builtin()


@get("/healthz", operation_id="health", summary="Liveness check (no token needed)", sync_to_thread=False)
def healthz() -> Response[bytes]:
    return Response(content=b'{"status":"ok"}', media_type=JSON)


@post("/v1/scan", operation_id="scan", summary="Scan claims", opt={JSON_BODY: True}, status_code=200)
async def scan_claims(request: Request[Any, Any, Any]) -> Response[bytes]:
    settings, registry = _state(request)
    scan_request = read_scan_request(await request.body(), settings)
    run = functools.partial(scan, scan_request, registry, budget_ms=settings.check_budget_ms)
    if _scan_here(scan_request, registry, settings):
        result = run()
    else:
        result = await anyio.to_thread.run_sync(run, limiter=_scan_limiter(request, settings))
    structlog.contextvars.bind_contextvars(
        claims=len(scan_request.claims),
        lines=sum(len(c.lines) for c in scan_request.claims),
        findings=len(result.findings),
        checks_failed=sum(1 for c in result.checks if c.status == "error"),
    )
    return json_response(result)


@get("/v1/checks", operation_id="listChecks", summary="The rules catalogue", sync_to_thread=False)
def list_checks(request: Request[Any, Any, Any]) -> Response[bytes]:
    _, registry = _state(request)
    return json_response([rule.listing() for _, rule in sorted(registry.rules.items())])


@get("/v1/checks/{code:str}", operation_id="getCheck", summary="One rule with its docs", sync_to_thread=False)
def get_check(request: Request[Any, Any, Any], code: FromPath[str]) -> Response[bytes]:
    _, registry = _state(request)
    rule = registry.rule(code)
    if rule is None:
        raise ProblemError(404, "Unknown rule", "No rule has this code.")
    return json_response(rule)


@get("/v1/plugins", operation_id="listPlugins", summary="Installed plugins", sync_to_thread=False)
def list_plugins(request: Request[Any, Any, Any]) -> Response[bytes]:
    _, registry = _state(request)
    return json_response(registry.plugins)


core_handlers = [healthz, scan_claims, list_checks, get_check, list_plugins]

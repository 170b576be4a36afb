"""The security baseline, checked before any body is read.

Any web page the user visits can make the browser send requests to a loopback port, and CORS
only hides the answer, it does not stop the request. So the guard refuses, on the server side:
a Host that is not ours (DNS rebinding), an Origin that is neither ours nor our extension's, a
``/v1`` request without the bearer token, and a JSON route called with another content type
(a cross-site ``text/plain`` form post).
"""

from __future__ import annotations

import hmac
from typing import Any

import msgspec
from litestar.enums import ScopeType
from litestar.types import ASGIApp, HTTPResponseBodyEvent, HTTPResponseStartEvent, Receive, Scope, Send

from scanner.service.errors import Problem
from scanner.settings import Settings

JSON_BODY = "json_body"


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return str(value.decode("latin-1"))
    return None


def refusal(scope: Scope, settings: Settings) -> Problem | None:
    """Why this request is refused, or ``None`` when it may go on."""
    host = _header(scope, b"host")
    if host not in settings.allowed_hosts:
        return Problem(title="Invalid host", status=400, detail="The Host header is not allowed.")
    origin = _header(scope, b"origin")
    if origin is not None and origin not in settings.extension_origins and origin not in settings.own_origins:
        return Problem(title="Forbidden", status=403, detail="Requests from this origin are not accepted.")
    path: str = scope.get("path", "")
    if path.startswith("/v1/") and not _token_ok(_header(scope, b"authorization"), settings.token):
        return Problem(title="Unauthorized", status=401, detail="A valid bearer token is required.")
    handler = scope.get("route_handler")
    opt: dict[str, Any] = getattr(handler, "opt", {}) or {}
    if opt.get(JSON_BODY) and scope.get("method") == "POST":
        content_type = (_header(scope, b"content-type") or "").split(";")[0].strip().lower()
        if content_type != "application/json":
            return Problem(
                title="Unsupported media type",
                status=415,
                detail="This route accepts only Content-Type: application/json.",
            )
    return None


#: Sent with every 401: how to authenticate (RFC 6750, section 3), naming no token.
WWW_AUTHENTICATE = (b"www-authenticate", b'Bearer realm="eob-scanner"')


def _token_ok(authorization: str | None, token: str) -> bool:
    """Exactly ``Bearer <token>``: threats.md (SVC-05) counts another casing or spacing of the
    scheme as a wrong token, so the one client we have (the extension) sends this form."""
    if not authorization or not authorization.startswith("Bearer "):
        return False
    return hmac.compare_digest(authorization[7:].encode(), token.encode())


class SecurityMiddleware:
    """ASGI middleware applying :func:`refusal` to every routed HTTP request."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == ScopeType.HTTP:
            problem = refusal(scope, self.settings)
            if problem is not None:
                await _send_problem(send, problem)
                return
        await self.app(scope, receive, send)


async def _send_problem(send: Send, problem: Problem) -> None:
    body = msgspec.json.encode(problem)
    headers = [
        (b"content-type", b"application/problem+json"),
        (b"content-length", str(len(body)).encode()),
    ]
    if problem.status == 401:
        headers.append(WWW_AUTHENTICATE)
    start: HTTPResponseStartEvent = {
        "type": "http.response.start",
        "status": problem.status,
        "headers": headers,
    }
    end: HTTPResponseBodyEvent = {"type": "http.response.body", "body": body, "more_body": False}
    await send(start)
    await send(end)

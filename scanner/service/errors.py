"""One error format, RFC 9457 problem details, that never echoes what the client sent.

msgspec's own messages quote the bad value for enum fields (``Invalid enum value 'Jane Doe'``), so
validation messages are rebuilt from the JSON path and a reason in our own words.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import msgspec
import structlog
from litestar import Request, Response
from litestar.exceptions import HTTPException

PROBLEM_JSON = "application/problem+json"
log = structlog.get_logger("scanner.service")


class Problem(msgspec.Struct, kw_only=True, omit_defaults=True):
    type: str = "about:blank"
    title: str
    status: int
    detail: str
    path: str | None = None


class ProblemError(Exception):
    """A request we refuse, with a message safe to show (it never contains submitted data)."""

    def __init__(self, status: int, title: str, detail: str, path: str | None = None) -> None:
        super().__init__(title)
        self.problem = Problem(title=title, status=status, detail=detail, path=path)


_PATH = re.compile(r" - at (?P<key>`key` in )?`(?P<path>\$[^`]*)`$")
_QUOTED = re.compile(r"'[^']*'")


def validation_problem(exc: msgspec.ValidationError | ValueError) -> ProblemError:
    """A 400 naming the field (its JSON path) and the reason, without the submitted value."""
    message = str(exc)
    match = _PATH.search(message)
    path = match.group("path") if match else "$"
    reason = message[: match.start()] if match else message
    if match and match.group("key"):
        reason = "has a key that is not one of the allowed values"
    elif reason.startswith("Invalid enum value"):
        reason = "is not one of the allowed values"
    elif reason.startswith("Invalid RFC3339 encoded date"):
        reason = "is not a valid date (YYYY-MM-DD)"
    reason = _QUOTED.sub("(value)", reason)
    return ProblemError(400, "Invalid request", f"{path}: {reason}", path=path)


def problem_responses(*statuses: int) -> dict[str, Any]:
    """The OpenAPI responses of these refusals. Every route can answer 400 (a Host not ours) and
    403 (an Origin not ours) before it is routed; a 401 says how to authenticate."""
    responses: dict[str, Any] = {}
    for status in statuses:
        response: dict[str, Any] = {
            "description": "A problem (RFC 9457)",
            "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        if status == 401:
            response["headers"] = {"WWW-Authenticate": {"schema": {"type": "string"}, "required": True}}
        responses[str(status)] = response
    return responses


def problem_response(problem: Problem, headers: Mapping[str, str] | None = None) -> Response[bytes]:
    return Response(
        content=msgspec.json.encode(problem),
        status_code=problem.status,
        media_type=PROBLEM_JSON,
        headers=dict(headers) if headers else None,
    )


#: The headers HTTP requires on some refusals, and the only ones a refusal passes on: ``Allow``
#: on a 405 (RFC 9110, 15.5.6), ``WWW-Authenticate`` on a 401 (RFC 9110, 15.5.2).
_REQUIRED_HEADERS = {405: "allow", 401: "www-authenticate"}


_HTTP_TITLES = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    413: "Request too large",
    415: "Unsupported media type",
}


def handle_problem(_request: Request[Any, Any, Any], exc: ProblemError) -> Response[bytes]:
    return problem_response(exc.problem)


def handle_http(_request: Request[Any, Any, Any], exc: HTTPException) -> Response[bytes]:
    status = exc.status_code
    title = _HTTP_TITLES.get(status, "Request refused" if status < 500 else "Internal error")
    # Litestar's own detail can quote the path and query string; use fixed words instead.
    detail = {
        404: "No such route.",
        405: "This route does not accept that method.",
        413: "The request body is larger than the service accepts.",
    }.get(status, title + ".")
    required = _REQUIRED_HEADERS.get(status)
    passed = {k: v for k, v in (exc.headers or {}).items() if k.lower() == required}
    return problem_response(Problem(title=title, status=status, detail=detail), passed)


def handle_unexpected(_request: Request[Any, Any, Any], exc: Exception) -> Response[bytes]:
    log.error("unexpected error", error_type=type(exc).__name__)
    return problem_response(
        Problem(title="Internal error", status=500, detail="The service failed on this request.")
    )

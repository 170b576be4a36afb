"""``POST /v1/scan/document``: scan an EOB document (PDF, FHIR, text or CSV).

The upload is a multipart form: ``file`` (the document), an optional ``plan`` (a Plan as a JSON
string), an optional ``bill`` (the provider's bill as a Bill JSON string, held against the EOB),
an optional ``bill_file`` (the provider's statement, read into that bill; typed fields win) and
an optional ``as_of`` date. The document's type is decided by its content, never by
its name or declared content type. The answer is the ScanResult of ``POST /v1/scan`` with the
parsed ``claims`` (and reading ``notes``) filled in, so the user can check what was read.

The form is parsed in memory from a body whose size the route caps: Litestar's own form parser
spools uploads above 1 MiB to a temporary file, and an EOB never touches the disk here. Reading
runs in a worker thread (a PDF's reading waits on a sandboxed process), so the service keeps
answering other requests meanwhile.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

import anyio.to_thread
import msgspec
import structlog
from litestar import Request, Response, post
from multipart import (  # type: ignore[import-untyped]
    MultipartSegment,
    ParserError,
    ParserLimitReached,
    PushMultipartParser,
)

from scanner.bill_input import combined_bill
from scanner.engine import scan
from scanner.ingest import DocumentError, DocumentLimits, ParsedDocument, read_document
from scanner.ingest.statement import ParsedStatement, read_statement
from scanner.matching import given_with
from scanner.model import Bill, Plan, ScanRequest, decode, encode
from scanner.service.errors import ProblemError, problem_responses, validation_problem

DEFAULT_LIMITS = DocumentLimits.from_env()
_Read = TypeVar("_Read")
#: Room for the form's other fields and boundaries around a file of the largest allowed size.
FORM_OVERHEAD = 256 * 1024
MAX_PLAN_BYTES = 64 * 1024


@dataclass
class _Part:
    data: bytes
    filename: str | None


def document_limits(request: Request[Any, Any, Any]) -> DocumentLimits:
    """The limits configured on the app (``app.state.document_limits``), else the defaults."""
    configured = getattr(request.app.state, "document_limits", None)
    return configured if isinstance(configured, DocumentLimits) else DEFAULT_LIMITS


_BOUNDARY = re.compile(r';\s*boundary=(?:"([^"]{1,200})"|([^\s;"]{1,200}))', re.IGNORECASE)


def read_form(body: bytes, content_type: str, max_file: int) -> dict[str, _Part]:
    """The parts of a multipart/form-data body, by name (the first of each name)."""
    media = content_type.split(";", 1)[0].strip().lower()
    boundary = _BOUNDARY.search(content_type)
    if media != "multipart/form-data" or boundary is None:
        raise ProblemError(
            415, "Unsupported media type", "Send the document as multipart/form-data with a 'file' part."
        )
    parts: dict[str, _Part] = {}
    try:
        with PushMultipartParser(
            boundary.group(1) or boundary.group(2),
            max_segment_count=8,
            max_segment_size=max_file + 1,
            strict=True,
        ) as parser:
            segment: MultipartSegment | None = None
            chunks: list[bytes] = []
            feed = body
            while not parser.closed:
                for item in parser.parse(feed):
                    if isinstance(item, MultipartSegment):
                        segment, chunks = item, []
                    elif item:
                        chunks.append(bytes(item))
                    elif segment is not None:
                        parts.setdefault(segment.name, _Part(b"".join(chunks), segment.filename or None))
                        segment = None
                feed = b""
    except ParserLimitReached:
        raise ProblemError(
            413, "Document too large", f"The file is larger than {_mib(max_file)} MiB."
        ) from None
    except ParserError:
        raise ProblemError(400, "Invalid request", "The multipart form could not be read.") from None
    return parts


def _mib(size: int) -> int:
    return size // (1024 * 1024)


def read_plan(part: _Part | None) -> Plan | None:
    plan: Plan | None = _json_part(part, Plan, "plan")
    return plan


def _json_part(part: _Part | None, type_: type[Any], name: str) -> Any:
    """A form field holding a wire Struct as JSON, or None when it is absent or empty; a problem
    naming the field's path when it is not one."""
    if part is None or not part.data.strip():
        return None
    if len(part.data) > MAX_PLAN_BYTES:
        raise ProblemError(413, "Request too large", f"{name}: the {name} is larger than 64 KiB.", path=name)
    try:
        return decode(part.data, type_)
    except msgspec.ValidationError as exc:
        problem = validation_problem(exc).problem
        path = name + (problem.path or "$")[1:]
        raise ProblemError(
            400, "Invalid request", f"{path}:{problem.detail.split(':', 1)[1]}", path=path
        ) from None
    except (msgspec.DecodeError, UnicodeDecodeError, RecursionError):
        raise ProblemError(
            400, "Invalid request", f"{name}: the {name} is not valid JSON.", path=name
        ) from None


def read_bill(part: _Part | None) -> Bill | None:
    """The provider's bill the patient typed in (a Bill as a JSON string), to hold against the EOB."""
    bill: Bill | None = _json_part(part, Bill, "bill")
    return bill


def read_as_of(part: _Part | None) -> dt.date | None:
    if part is None or not part.data.strip():
        return None
    try:
        return dt.date.fromisoformat(part.data.decode("ascii").strip())
    except (UnicodeDecodeError, ValueError):
        raise ProblemError(
            400, "Invalid request", "as_of: not a valid date (YYYY-MM-DD).", path="as_of"
        ) from None


@post(
    "/v1/scan/document",
    operation_id="scanDocument",
    summary="Scan an EOB document: PDF, FHIR JSON/Bundle/NDJSON, text or CSV",
    status_code=200,
    request_max_body_size=2 * DEFAULT_LIMITS.max_bytes + FORM_OVERHEAD,  # the EOB and the bill
)
async def scan_document(request: Request[Any, Any, Any]) -> Response[bytes]:
    settings, registry = request.app.state.settings, request.app.state.registry
    limits = document_limits(request)
    form = read_form(await request.body(), request.headers.get("content-type", ""), limits.max_bytes)
    upload = form.get("file")
    if upload is None:
        raise ProblemError(400, "Invalid request", "file: a document is required.", path="file")
    plan = read_plan(form.get("plan"))
    typed = read_bill(form.get("bill"))
    as_of = read_as_of(form.get("as_of"))
    document = await _read(upload, registry, limits)
    if not document.claims:
        raise ProblemError(422, "Document not readable", "No claims were found in the document.")
    statement = await _read_statement(form.get("bill_file"), limits)
    bill = combined_bill(statement.bill if statement else None, typed)
    bills = [given_with(bill, document.claims)] if bill is not None else []
    result = scan(
        ScanRequest(claims=document.claims, plan=plan, bills=bills, as_of=as_of),
        registry,
        budget_ms=settings.check_budget_ms,
    )
    result.claims, result.bills = document.claims, bills
    result.notes = [*document.notes, *(statement.notes if statement else []), *result.notes]
    structlog.contextvars.bind_contextvars(
        document_kind=document.kind,
        parser=document.parser,
        pages=document.pages,
        claims=len(document.claims),
        lines=sum(len(c.lines) for c in document.claims),
        findings=len(result.findings),
    )
    return Response(content=encode(result), media_type="application/json")


async def _read(upload: _Part, registry: Any, limits: DocumentLimits) -> ParsedDocument:
    read = partial(read_document, upload.data, upload.filename, registry=registry, limits=limits)
    return await _in_thread(read, None, "document_error")


async def _read_statement(upload: _Part | None, limits: DocumentLimits) -> ParsedStatement | None:
    """The provider's statement uploaded with the EOB (``bill_file``), read as the EOB is. A
    refusal names the bill, never its content."""
    if upload is None or not upload.data:
        return None
    read = partial(read_statement, upload.data, upload.filename, limits=limits)
    return await _in_thread(read, "bill_file", "statement_error")


async def _in_thread(read: Callable[[], _Read], field: str | None, log_key: str) -> _Read:
    """A document read in a worker thread (a PDF's reading waits on a sandboxed process); its
    refusal is a problem, naming the form ``field`` when it is not the EOB's ``file``, and its
    code is logged under ``log_key``."""
    try:
        return await anyio.to_thread.run_sync(read)
    except DocumentError as exc:
        structlog.contextvars.bind_contextvars(**{log_key: exc.code})
        detail = f"{field}: {exc}" if field else str(exc)
        raise ProblemError(exc.status, exc.title, detail, path=field) from None


document_handlers = [scan_document]


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


#: This route's entry in the OpenAPI document (the app adds it to the core routes').
openapi_paths: dict[str, Any] = {
    "/v1/scan/document": {
        "post": {
            "operationId": "scanDocument",
            "summary": "Scan an EOB document: PDF, FHIR JSON/Bundle/NDJSON, text or CSV",
            "description": (
                "The type is detected from the content. Limits: "
                f"{_mib(DEFAULT_LIMITS.max_bytes)} MiB, {DEFAULT_LIMITS.max_pages} PDF pages, "
                f"{DEFAULT_LIMITS.timeout_s:g} s of PDF reading. The answer carries the parsed claims."
            ),
            "security": [{"bearer": []}],
            "requestBody": {
                "required": True,
                "content": {
                    "multipart/form-data": {
                        "schema": {
                            "type": "object",
                            "required": ["file"],
                            "properties": {
                                "file": {"type": "string", "format": "binary"},
                                "plan": {"type": "string", "description": "A Plan as JSON"},
                                "bill": {
                                    "type": "string",
                                    "description": (
                                        "The provider's bill as JSON (a Bill), held against the EOB; "
                                        "with one claim in the document, a bill naming no claim is for it"
                                    ),
                                },
                                "bill_file": {
                                    "type": "string",
                                    "format": "binary",
                                    "description": (
                                        "The provider's statement (PDF, text or CSV), read into the bill; "
                                        "the fields of 'bill' typed in win over what is read"
                                    ),
                                },
                                "as_of": {"type": "string", "format": "date"},
                            },
                        }
                    }
                },
            },
            "responses": {
                "200": {
                    "description": "The findings and the claims read from the document",
                    "content": {"application/json": {"schema": _ref("ScanResult")}},
                },
                **problem_responses(400, 401, 403, 413, 415, 422, 503),
            },
        }
    }
}

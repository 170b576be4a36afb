"""``create_app(settings)``: the Litestar application of the local service."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from litestar import Litestar, Request, Response, get
from litestar.datastructures import State
from litestar.exceptions import HTTPException
from litestar.middleware import DefineMiddleware

from scanner.model import encode
from scanner.plugins import Registry, default_registry
from scanner.service import demo, document, report_routes, ui
from scanner.service.errors import ProblemError, handle_http, handle_problem, handle_unexpected
from scanner.service.openapi import build_openapi
from scanner.service.request_log import RequestLogMiddleware
from scanner.service.routes import core_handlers
from scanner.service.security import SecurityMiddleware
from scanner.settings import Settings

DOCS = Path(__file__).parent / "apidocs"

#: The route modules of the product's parts, each with its handlers and its OpenAPI paths.
FEATURES = (document, report_routes, ui, demo)
FEATURE_HANDLERS = (
    document.document_handlers,
    report_routes.report_handlers,
    ui.ui_handlers,
    demo.demo_handlers,
)


def _feature_handlers() -> tuple[list[Any], dict[str, Any]]:
    handlers = [handler for group in FEATURE_HANDLERS for handler in group]
    paths: dict[str, Any] = {}
    for module in FEATURES:
        paths.update(getattr(module, "openapi_paths", {}))
    return handlers, paths


def _docs_handlers(schema: bytes) -> list[Any]:
    files = {
        "/docs": ("docs.html", "text/html; charset=utf-8"),
        "/docs/docs.js": ("docs.js", "text/javascript; charset=utf-8"),
        "/docs/docs.css": ("docs.css", "text/css; charset=utf-8"),
    }

    @get("/schema/openapi.json", include_in_schema=False, sync_to_thread=False)
    def openapi_json() -> Response[bytes]:
        return Response(content=schema, media_type="application/json")

    @get(list(files), include_in_schema=False, sync_to_thread=False)
    def docs_file(request: Request[Any, Any, Any]) -> Response[bytes]:
        name, media_type = files[request.url.path]
        return Response(content=(DOCS / name).read_bytes(), media_type=media_type)

    return [openapi_json, docs_file]


def create_app(settings: Settings | None = None, registry: Registry | None = None) -> Litestar:
    """Build the service. Nothing is persisted; the registry is loaded once, here."""
    settings = settings or Settings()
    registry = registry or default_registry()
    feature_handlers, feature_paths = _feature_handlers()
    schema = encode(build_openapi(feature_paths, settings))
    handlers = [*core_handlers, *feature_handlers]
    if settings.serve_api_docs:
        handlers += _docs_handlers(schema)
    return Litestar(
        route_handlers=handlers,
        middleware=[RequestLogMiddleware, DefineMiddleware(SecurityMiddleware, settings=settings)],
        exception_handlers={
            ProblemError: handle_problem,
            HTTPException: handle_http,
            Exception: handle_unexpected,
        },
        state=State({"settings": settings, "registry": registry}),
        request_max_body_size=settings.max_body_bytes,
        openapi_config=None,
        logging_config=None,
        debug=False,
    )

"""The OpenAPI document, built from the same Structs the service decodes with.

Litestar cannot describe our money type or the raw-body handlers, and a schema that disagrees with
the service misleads every client (and schemathesis), so the schema is generated from msgspec and
the routes are listed here. The docs page that renders it is served by the service itself: no CDN
script ever runs in the service's origin.
"""

from __future__ import annotations

from typing import Any

import msgspec

from scanner.model import PluginInfo, Rule, ScanRequest, ScanResult
from scanner.money import Money
from scanner.service.errors import Problem

MONEY_SCHEMA: dict[str, Any] = {
    "anyOf": [
        {
            "type": "string",
            "pattern": r"^\(?-?\$?[0-9]{1,3}(,[0-9]{3})*(\.[0-9]{1,2})?\)?$|^-?[0-9]+(\.[0-9]{1,2})?$",
        },
        {"type": "integer", "minimum": -100000000, "maximum": 100000000},
    ],
    "description": 'An amount: a string like "1234.56" or "$1,234.56" or "(12.00)", or a JSON number '
    "with at most two decimals. Answers always use the string form.",
}


def _schema_hook(type_: type) -> dict[str, Any]:
    if type_ is Money:
        return MONEY_SCHEMA
    raise NotImplementedError


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _problems(*statuses: int) -> dict[str, Any]:
    return {
        str(status): {
            "description": "A problem (RFC 9457)",
            "content": {"application/problem+json": {"schema": _ref("Problem")}},
        }
        for status in statuses
    }


def build_openapi(extra_paths: dict[str, Any] | None = None, version: str = "1") -> dict[str, Any]:
    (_, components) = msgspec.json.schema_components(
        [ScanRequest, ScanResult, Rule, PluginInfo, Problem],
        schema_hook=_schema_hook,
        ref_template="#/components/schemas/{name}",
    )
    secured: list[dict[str, list[str]]] = [{"bearer": []}]
    paths: dict[str, Any] = {
        "/healthz": {
            "get": {
                "operationId": "health",
                "summary": "Liveness check (no token needed)",
                "responses": {"200": _json({"type": "object"}, "The service is up")},
            }
        },
        "/v1/scan": {
            "post": {
                "operationId": "scan",
                "summary": "Scan claims and return findings",
                "security": secured,
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": _ref("ScanRequest")}},
                },
                "responses": {
                    "200": _json(_ref("ScanResult"), "The findings"),
                    **_problems(400, 401, 403, 413, 415),
                },
            }
        },
        "/v1/checks": {
            "get": {
                "operationId": "listChecks",
                "summary": "The rules catalogue",
                "security": secured,
                "responses": {
                    "200": _json({"type": "array", "items": _ref("Rule")}, "Every rule"),
                    **_problems(401),
                },
            }
        },
        "/v1/checks/{code}": {
            "get": {
                "operationId": "getCheck",
                "summary": "One rule with its documentation",
                "security": secured,
                "parameters": [
                    {"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {"200": _json(_ref("Rule"), "The rule"), **_problems(401, 404)},
            }
        },
        "/v1/plugins": {
            "get": {
                "operationId": "listPlugins",
                "summary": "Installed plugins",
                "security": secured,
                "responses": {
                    "200": _json({"type": "array", "items": _ref("PluginInfo")}, "Plugins"),
                    **_problems(401),
                },
            }
        },
    }
    paths.update(extra_paths or {})
    return {
        "openapi": "3.1.0",
        "info": {"title": "EOB Scanner", "version": version},
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }

"""The OpenAPI document, built from the same Structs the service decodes with.

Litestar cannot describe our money type or the raw-body handlers, and a schema that disagrees with
the service misleads every client (and schemathesis), so the schema is generated from msgspec and
the routes are listed here. The docs page that renders it is served by the service itself: no CDN
script ever runs in the service's origin.
"""

from __future__ import annotations

from typing import Any, get_args

import msgspec

from scanner.model import (
    AMOUNT_FIELDS,
    MAX_INSURER_CODE,
    MAX_INSURER_MEANING,
    PRINTED_ACCUMULATOR_FIELDS,
    CopayKind,
    PluginInfo,
    Rule,
    ScanRequest,
    ScanResult,
)
from scanner.money import MAX_CENTS, Money
from scanner.service.errors import Problem, problem_responses
from scanner.settings import Settings

# The money grammar of :func:`scanner.money.parse_money`, written out so that a string matches
# exactly when the service accepts it (up to ASCII whitespace around it): optional ``$``, a sign or
# parentheses, thousands separators in groups of three, at most two decimals, at most
# $100,000,000.00 (leading zeros allowed). ``tests/hardening`` proves the two agree.
_WS = r"[ \t\n\r\f\v]*"
_WS_IN = r"[ \t\r\f\v]*"
_FRAC = r"(?:\.[0-9]{1,2})?"
_ZERO_GROUPS = r"0{1,3}(?:,000)*,"
_COMMA = (
    r"[0-9]{1,3},[0-9]{3}|[0-9]{1,2}(?:,[0-9]{3}){2}|0[0-9]{2}(?:,[0-9]{3}){2}"
    rf"|{_ZERO_GROUPS}(?:[0-9]{{3}}(?:,[0-9]{{3}})?|0[0-9]{{2}}(?:,[0-9]{{3}}){{2}})"
)
_MAX = rf"(?:0*100000000|(?:{_ZERO_GROUPS})?100,000,000)(?:\.0{{1,2}})?"
_AMOUNT = rf"(?:(?:0*[0-9]{{1,8}}|{_COMMA}){_FRAC}|\.[0-9]{{1,2}}|{_MAX})"
_ZERO = r"(?:(?:0+|0{1,3}(?:,000)+)(?:\.0{1,2})?|\.0{1,2})"


def _money_pattern(positive: str, negative: str) -> str:
    return (
        rf"^{_WS}(?:\$?{_WS}{positive}|[-\u2212]{_WS}\$?{_WS}{negative}"
        rf"|\({_WS_IN}\$?{_WS_IN}{negative}{_WS_IN}\)){_WS}$"
    )


MONEY_PATTERN = _money_pattern(_AMOUNT, _AMOUNT)
NON_NEGATIVE_MONEY_PATTERN = _money_pattern(_AMOUNT, _ZERO)
_DOLLARS = MAX_CENTS // 100


def _limits_text(settings: Settings) -> str:
    """The request limits of the service's settings, declared in the schema."""
    return (
        f"Limits: a body of at most {settings.max_body_bytes // (1024 * 1024)} MiB (413 above), JSON nested "
        f"at most {settings.max_json_depth} levels deep, at most {settings.max_claims} claims and "
        f"{settings.max_lines} lines (413 above). Content-Type must be application/json (415 otherwise)."
    )


def _money_schema(pattern: str, minimum: int, description: str) -> dict[str, Any]:
    return {
        "anyOf": [
            {"type": "string", "pattern": pattern},
            # Cents as a multiple of 0.01: JSON Schema's way to say "at most two decimals".
            {"type": "number", "multipleOf": 0.01, "minimum": minimum, "maximum": _DOLLARS},
        ],
        "description": description,
    }


MONEY_SCHEMA = _money_schema(
    MONEY_PATTERN,
    -_DOLLARS,
    'An amount: a string like "1234.56", "$1,234.56" or "(12.00)" (negative), or a JSON number of '
    "dollars with at most two decimals; at most $100,000,000. Answers always use the string form.",
)
NON_NEGATIVE_MONEY_SCHEMA = _money_schema(
    NON_NEGATIVE_MONEY_PATTERN, 0, "An amount as for Money, never negative (claim totals)."
)
#: Amounts the service computes (totals, amounts at stake) are sums, so they have no upper limit.
COMPUTED_MONEY_SCHEMA: dict[str, Any] = {
    "type": "string",
    "pattern": r"^-?[0-9]+\.[0-9]{2}$",
    "description": "An amount the service computed, always written with two decimals.",
}
_COMPUTED = ("Finding", "Summary", "LedgerEntry")


def _schema_hook(type_: type) -> dict[str, Any]:
    if type_ is Money:
        return _ref("Money")
    raise NotImplementedError


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


def _property(components: dict[str, Any], struct: str, name: str) -> dict[str, Any]:
    """The schema of one field, looking through msgspec's ``anyOf [..., null]`` of optionals."""
    schema: dict[str, Any] = components[struct]["properties"][name]
    for option in schema.get("anyOf", ()):
        if option.get("type") != "null":
            return dict(option) if "$ref" in option else option
    return schema


def _replace_ref(schema: Any, old: str, new: str) -> None:
    if isinstance(schema, dict):
        if schema.get("$ref") == _ref(old)["$ref"]:
            schema["$ref"] = _ref(new)["$ref"]
        for value in schema.values():
            _replace_ref(value, old, new)
    elif isinstance(schema, list):
        for value in schema:
            _replace_ref(value, old, new)


def _declare_limits(components: dict[str, Any], settings: Settings) -> None:
    """Write into the schema the rules the Structs enforce in code, so the schema is honest.

    msgspec only sees the types; the length, range and count rules below live in
    ``__post_init__`` and in the request decoder, and a client (or schemathesis) reading the
    schema must know them.
    """
    components["Money"] = MONEY_SCHEMA
    components["NonNegativeMoney"] = NON_NEGATIVE_MONEY_SCHEMA
    components["ComputedMoney"] = COMPUTED_MONEY_SCHEMA
    for struct in _COMPUTED:
        _replace_ref(components[struct], "Money", "ComputedMoney")
    for name, schema in components["Amounts"]["properties"].items():
        if name in AMOUNT_FIELDS:
            schema["anyOf"] = [_ref("NonNegativeMoney"), {"type": "null"}]
    for name in PRINTED_ACCUMULATOR_FIELDS:
        components["PrintedAccumulators"]["properties"][name]["anyOf"] = [
            _ref("NonNegativeMoney"),
            {"type": "null"},
        ]
    components["Claim"]["properties"]["id"]["minLength"] = 1
    components["ServiceLine"]["properties"]["id"]["minLength"] = 1
    components["ServiceLine"]["properties"]["units"]["minimum"] = 0
    components["InsurerCode"]["properties"]["code"].update(minLength=1, maxLength=MAX_INSURER_CODE)
    _property(components, "InsurerCode", "meaning")["maxLength"] = MAX_INSURER_MEANING
    for rate in ("coinsurance_in_network", "coinsurance_out_of_network"):
        _property(components, "Plan", rate).update(minimum=0, maximum=100)
    copays = components["Plan"]["properties"]["copays"]
    copays["propertyNames"] = {"enum": sorted(get_args(CopayKind))}
    claims = components["ScanRequest"]["properties"]["claims"]
    max_claims, max_lines = settings.max_claims, settings.max_lines
    claims.update(maxItems=max_claims)
    claims["description"] = (
        f"At most {max_claims} claims, with at most {max_lines} lines in all; at least one claim, "
        "unless the request carries a bill (a self-pay bill has no EOB)."
    )
    components["ScanRequest"]["anyOf"] = [
        {"required": ["claims"], "properties": {"claims": {"minItems": 1}}},
        {"required": ["bills"], "properties": {"bills": {"minItems": 1}}},
    ]
    components["Claim"]["properties"]["lines"]["description"] = "Line ids are unique within a claim."


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def build_openapi(
    extra_paths: dict[str, Any] | None = None, settings: Settings | None = None, version: str = "1"
) -> dict[str, Any]:
    settings = settings or Settings()
    (_, components) = msgspec.json.schema_components(
        [ScanRequest, ScanResult, Rule, PluginInfo, Problem],
        schema_hook=_schema_hook,
        ref_template="#/components/schemas/{name}",
    )
    _declare_limits(components, settings)
    secured: list[dict[str, list[str]]] = [{"bearer": []}]
    paths: dict[str, Any] = {
        "/healthz": {
            "get": {
                "operationId": "health",
                "summary": "Liveness check (no token needed)",
                "responses": {
                    "200": _json({"type": "object"}, "The service is up"),
                    **problem_responses(400, 403),
                },
            }
        },
        "/v1/scan": {
            "post": {
                "operationId": "scan",
                "summary": "Scan claims and return findings",
                "description": _limits_text(settings),
                "security": secured,
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": _ref("ScanRequest")}},
                },
                "responses": {
                    "200": _json(_ref("ScanResult"), "The findings"),
                    **problem_responses(400, 401, 403, 413, 415),
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
                    **problem_responses(400, 401, 403),
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
                "responses": {
                    "200": _json(_ref("Rule"), "The rule"),
                    **problem_responses(400, 401, 403, 404),
                },
            }
        },
        "/v1/plugins": {
            "get": {
                "operationId": "listPlugins",
                "summary": "Installed plugins",
                "security": secured,
                "responses": {
                    "200": _json({"type": "array", "items": _ref("PluginInfo")}, "Plugins"),
                    **problem_responses(400, 401, 403),
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

"""Schema fuzzing: schemathesis reads the service's own OpenAPI document and attacks every route.

Each operation gets schema-valid requests (which must be accepted) and schema-violating ones
(which must be refused), with every schemathesis check on: no 5xx, status codes and response
bodies as documented, positive data accepted, negative data rejected. On top of that, every 4xx
must be a problem document (RFC 9457) that does not quote what was sent.

Two things JSON Schema cannot say are settled before a case is sent: a line id is unique within
its claim, and a JSON integer is written without a decimal point (JSON Schema counts ``110.0`` as
an integer; msgspec, rightly, does not).
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.config import SchemathesisConfig
from schemathesis.core.result import Ok
from schemathesis.generation.modes import GenerationMode

from tests.hardening.conftest import AUTH, BASE, make_app, record

SEED = 20261126
#: Generated cases per operation and mode. Generating a ScanRequest costs about 40 times what
#: a GET does, so the scan route gets most of the time and the GET routes most of the count.
BUDGET = {"POST": 40, "GET": 100}
SCAN_BUDGET = 150
MIN_TOTAL_CASES = 1000

PROBLEM = "application/problem+json"
#: A schema-violating request may be refused with any documented 4xx: 413 is "too many claims".
CONFIG = SchemathesisConfig.from_dict(
    {"checks": {"negative_data_rejection": {"expected-statuses": [400, 401, 403, 404, 405, 413, 415, 422]}}}
)
_OUR_VOCABULARY = re.compile(r"[a-z]+(?:_[a-z]+)*")
_WORDY = re.compile(r"[A-Za-z]")
#: A JSON path as the service prints one ("$.claims[0].lines"): its own wording, whatever was sent.
_OUR_PATH = re.compile(r"\$(?:\.[a-z]+(?:_[a-z]+)*|\[[0-9]+\])*")


def _integral_floats_to_ints(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: _integral_floats_to_ints(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_integral_floats_to_ints(v) for v in value]
    return value


def _unique_line_ids(body: Any) -> None:
    claims = body.get("claims") if isinstance(body, dict) else None
    for claim in claims if isinstance(claims, list) else ():
        lines = claim.get("lines") if isinstance(claim, dict) else None
        for index, line in enumerate(lines if isinstance(lines, list) else ()):
            if isinstance(line, dict) and isinstance(line.get("id"), str):
                line["id"] = f"{line['id']}#{index}"


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def assert_problem_document(status: int, content_type: str, text: str, sent: Any) -> None:
    """A 4xx is a problem document with our own words, never the submitted values.

    Field names may appear (an unknown field is named, API.md); values never.
    """
    assert content_type.split(";")[0] == PROBLEM, (status, content_type)
    problem = json.loads(text)
    assert problem["status"] == status
    assert isinstance(problem["title"], str) and problem["title"]
    assert isinstance(problem["detail"], str) and problem["detail"]
    # A lower-case word or snake_case name ("required", "patient_balance"), or a JSON path
    # ("$.claims"), that the fuzzer happened to send can stand in our own fixed wording or a
    # field's path; anything else is an echo.
    echoed = [
        s
        for s in _strings(sent)
        if len(s) >= 8
        and _WORDY.search(s)
        and s in text
        and not (_OUR_VOCABULARY.fullmatch(s) or _OUR_PATH.fullmatch(s))
    ]
    assert not echoed, f"a {status} quotes submitted values: {echoed}"


def _budget(operation: Any) -> int:
    if operation.path == "/v1/scan":
        return SCAN_BUDGET
    return BUDGET.get(operation.method.upper(), 50)


def _fuzz(operation: Any, mode: GenerationMode, cases: Counter[str], statuses: Counter[int]) -> None:
    """Run one operation in one mode; schemathesis raises on the first failing check."""

    @seed(SEED)
    @settings(
        max_examples=_budget(operation),
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def fuzz(case: Any) -> None:
        if mode is GenerationMode.POSITIVE:
            case.body = _integral_floats_to_ints(case.body)
            _unique_line_ids(case.body)
        response = case.call_and_validate(base_url=BASE, headers=AUTH)
        cases[operation.label] += 1
        statuses[response.status_code] += 1
        assert response.status_code < 500
        if 400 <= response.status_code < 500:
            sent = case.body if isinstance(case.body, (dict, list, str)) else None
            content_type = ",".join(response.headers.get("content-type", []))
            assert_problem_document(response.status_code, content_type, response.text, sent)

    try:
        fuzz()
    except Unsatisfiable:
        # An operation without any input (GET /healthz) has no schema-violating request.
        assert mode is GenerationMode.NEGATIVE
        raw = operation.definition.raw
        assert not raw.get("parameters") and not raw.get("requestBody")


@pytest.mark.slow
def test_every_route_survives_schema_fuzzing() -> None:
    app = make_app()
    schema = schemathesis.openapi.from_asgi(
        "/schema/openapi.json", app, config=CONFIG, headers={"Host": BASE[7:]}
    )
    results = list(schema.get_all_operations())
    operations = [result.ok() for result in results if isinstance(result, Ok)]
    assert len(operations) == len(results), "the OpenAPI document has an operation schemathesis cannot read"
    cases: Counter[str] = Counter()
    statuses: Counter[int] = Counter()
    start = time.monotonic()
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _fuzz(operation, mode, cases, statuses)
    elapsed = time.monotonic() - start
    print(
        f"\nschemathesis: {len(operations)} operations, {sum(cases.values())} cases, 0 failures, "
        f"seed {SEED}, {elapsed:.1f} s; statuses {dict(sorted(statuses.items()))}"
    )
    record(
        "schemathesis",
        {"operations": len(operations), "cases": dict(cases), "seed": SEED, "seconds": round(elapsed, 1),
         "statuses": {str(k): v for k, v in sorted(statuses.items())}},
    )  # fmt: skip
    assert {op.label for op in operations} == set(cases), "an operation produced no case"
    assert sum(cases.values()) >= MIN_TOTAL_CASES

"""The built-in checks run without a hard deadline (they are ours); here they meet the largest
requests the service accepts, in the shapes that are worst for them, and finish every check.

No timing is asserted (timings belong to ``make bench``); a check that went quadratic or looped
on one of these shapes would make this test crawl or hang, which is the point.
"""

from __future__ import annotations

import pytest

from bench.payloads import request_json
from scanner.engine import scan
from scanner.model import ScanRequest, decode_request
from scanner.plugins import load_registry
from scanner.service.decoding import check_size
from scanner.settings import Settings
from scanner.testing import make_claim, make_line, make_request

LIMITS = Settings(token="largest-requests-token-0123")


def _one_claim_of_identical_lines() -> ScanRequest:
    return make_request([make_claim(lines=[make_line(id=str(i + 1)) for i in range(LIMITS.max_lines)])])


def _identical_claims() -> ScanRequest:
    per_claim = LIMITS.max_lines // LIMITS.max_claims
    return make_request(
        [
            make_claim(id=f"c{j}", lines=[make_line(id=str(i + 1)) for i in range(per_claim)])
            for j in range(LIMITS.max_claims)
        ]
    )


def _realistic_claims_with_findings() -> ScanRequest:
    per_claim = LIMITS.max_lines // LIMITS.max_claims
    return decode_request(request_json(claims=LIMITS.max_claims, lines_per_claim=per_claim))


@pytest.mark.parametrize(
    "build", [_one_claim_of_identical_lines, _identical_claims, _realistic_claims_with_findings]
)
def test_every_builtin_check_finishes_on_the_largest_request(build: object) -> None:
    request = build()  # type: ignore[operator]
    check_size(request, LIMITS)  # the service would accept it
    assert sum(len(claim.lines) for claim in request.claims) == LIMITS.max_lines
    registry = load_registry({"EOBSCAN_PLUGINS": ""})
    assert registry.all_builtin()
    result = scan(request, registry)
    assert [(c.name, c.status, c.error) for c in result.checks] == [
        (check.name, "ok", None) for check in registry.checks
    ]

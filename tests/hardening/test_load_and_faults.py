"""Load, soak and a faulty plugin: the real service under 32 connections for a minute.

The load comes from a second process (``bench.loadgen``) over 127.0.0.1. The service runs with a
third-party plugin that raises on every tenth call: every response must still be a 200, memory
must stay flat, and the other checks' findings must not change.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from bench.payloads import request, request_json
from bench.service import Service, running_service
from scanner.engine import scan
from scanner.isolation import Breaker
from scanner.model import ScanResult, decode
from scanner.plugins import Registry
from tests.hardening.conftest import builtin_registry, record
from tests.hardening.flaky_plugin import CANARY, RULE, FlakyCheck, install

SOAK_SECONDS = 60
WARMUP_SECONDS = 5
CONNECTIONS = 32
MAX_RSS_GROWTH = 0.10


def load(service: Service, body: Path, seconds: float, connections: int = CONNECTIONS) -> dict[str, Any]:
    """Run the load generator in its own process and return its figures."""
    command = [
        sys.executable, "-m", "bench.loadgen", "--url", f"{service.base}/v1/scan",
        "--body-file", str(body), "--connections", str(connections), "--duration", str(seconds),
        "--header", "Content-Type: application/json", "--header", f"Authorization: Bearer {service.token}",
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=True)
    figures: dict[str, Any] = json.loads(done.stdout)
    return figures


def findings_of(result: ScanResult, without: str = RULE.code) -> list[tuple[str, str, tuple[str, ...], int]]:
    return [
        (f.rule, f.claim_id, tuple(f.line_ids), int(f.amount_at_stake))
        for f in result.findings
        if f.rule != without
    ]


def with_flaky(base: Registry, check: FlakyCheck) -> Registry:
    return Registry(
        checks=[*base.checks, check],
        parsers=base.parsers,
        plugins=base.plugins,
        rules={**base.rules, RULE.code: RULE},
    )


@pytest.fixture(scope="module")
def flaky_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    plugin_dir = install(tmp_path_factory.mktemp("plugin"))
    logs = tmp_path_factory.mktemp("logs")
    with running_service(logs, env={"EOBSCAN_PLUGINS": "flaky"}, python_path=[plugin_dir]) as service:
        yield service


def test_a_plugin_failing_one_call_in_ten_changes_no_other_finding() -> None:
    base = builtin_registry()
    flaky = FlakyCheck(every=10)
    registry = with_flaky(base, flaky)
    failures = 0
    for salt in range(40):
        scan_request = request(claims=3, lines_per_claim=6 + salt % 5)
        scan_request.claims[0].lines[0].patient_responsibility = scan_request.claims[0].lines[0].allowed
        expected = scan(scan_request, base, budget_ms=2000.0, breaker=Breaker())
        result = scan(scan_request, registry, budget_ms=2000.0, breaker=Breaker())
        assert findings_of(result) == findings_of(expected)
        status = next(c for c in result.checks if c.name == "flaky")
        if status.status == "error":
            failures += 1
            assert status.error == "ZeroDivisionError raised by check flaky"
            assert not [f for f in result.findings if f.rule == RULE.code]
        else:
            assert len([f for f in result.findings if f.rule == RULE.code]) == len(scan_request.claims)
        assert all(c.status == "ok" for c in result.checks if c.name != "flaky")
    assert failures == 4


@pytest.mark.slow
def test_a_minute_of_32_connections_on_scan_loses_nothing_and_holds_memory(
    flaky_service: Service, tmp_path: Path
) -> None:
    body = tmp_path / "ten-lines.json"
    body.write_bytes(request_json(claims=1, lines_per_claim=10))
    warm = load(flaky_service, body, WARMUP_SECONDS)
    assert warm["errors"] == {} and set(warm["statuses"]) == {"200"}
    before = flaky_service.rss_kib()

    soak = load(flaky_service, body, SOAK_SECONDS)

    after = flaky_service.rss_kib()
    growth = (after - before) / before
    print(
        f"\nsoak: {soak['requests']} scans in {soak['seconds']} s ({soak['rps']} req/s) over {CONNECTIONS} "
        f"connections; p50 {soak['p50_ms']} ms, p95 {soak['p95_ms']} ms, p99 {soak['p99_ms']} ms; "
        f"RSS {before} -> {after} KiB ({growth:+.1%})"
    )
    record("soak", {**soak, "connections": CONNECTIONS, "rss_kib_before": before, "rss_kib_after": after})
    assert soak["errors"] == {}
    assert soak["statuses"] == {"200": soak["requests"]}
    assert soak["requests"] > SOAK_SECONDS * 10
    assert growth < MAX_RSS_GROWTH

    records = flaky_service.log_records()
    scans = [r for r in records if r.get("route") == "/v1/scan"]
    assert len(scans) >= soak["requests"]
    assert {r["status"] for r in scans} == {200}
    assert CANARY not in flaky_service.log_text()


def test_over_http_the_failing_plugin_leaves_the_other_findings_as_they_were(
    flaky_service: Service, tmp_path: Path
) -> None:
    body = request_json(claims=2, lines_per_claim=10)
    expected = findings_of(scan(request(2, 10), builtin_registry()))
    seen = {"ok": 0, "error": 0}
    with httpx.Client(base_url=flaky_service.base, headers=flaky_service.auth, timeout=30) as client:
        for _ in range(30):
            response = client.post("/v1/scan", content=body, headers={"Content-Type": "application/json"})
            assert response.status_code == 200
            assert CANARY not in response.text
            result = decode(response.content, ScanResult)
            assert findings_of(result) == expected
            flaky = next(c for c in result.checks if c.name == "flaky")
            seen[flaky.status] += 1
            probes = [f for f in result.findings if f.rule == RULE.code]
            assert len(probes) == (0 if flaky.status == "error" else 2)
    assert seen["error"] >= 2 and seen["ok"] >= 25

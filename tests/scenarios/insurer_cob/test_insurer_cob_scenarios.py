"""Scenario suite for insurer processing, preventive care and coordination of benefits.

Each ``<name>.request.json`` is a ScanRequest of invented claims (``eobscan scan`` reads it as is);
``<name>.expected.json`` beside it lists, worked out by hand, every finding the insurer-processing
and coordination-of-benefits checks must report (rule, claim, lines, exact amount at stake), and
the claims that are clean: on those, no check of the full default registry may report an error.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from scanner.engine import scan
from scanner.model import ScanResult, decode_request
from scanner.money import format_money
from scanner.plugins import load_registry

HERE = Path(__file__).parent
OURS = {"insurer_processing", "coordination_of_benefits"}
SCENARIOS = sorted(path.name.removesuffix(".request.json") for path in HERE.glob("*.request.json"))


def _expected(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((HERE / f"{name}.expected.json").read_text())
    return data


def _result(name: str) -> ScanResult:
    request = decode_request((HERE / f"{name}.request.json").read_bytes())
    return scan(request, load_registry({"EOBSCAN_PLUGINS": ""}))


def _key(rule: str, claim_id: str, line_ids: list[str], amount: str) -> tuple[str, str, tuple[str, ...], str]:
    return (rule, claim_id, tuple(line_ids), amount)


@pytest.mark.parametrize("name", SCENARIOS)
def test_our_checks_report_exactly_the_expected_findings(name: str) -> None:
    result = _result(name)
    assert all(status.status == "ok" for status in result.checks if status.name in OURS)
    found = sorted(
        _key(f.rule, f.claim_id, f.line_ids, format_money(f.amount_at_stake))
        for f in result.findings
        if f.check in OURS
    )
    expected = sorted(
        _key(e["rule"], e["claim_id"], e["line_ids"], e["amount_at_stake"])
        for e in _expected(name)["findings"]
    )
    assert found == expected


@pytest.mark.parametrize("name", SCENARIOS)
def test_clean_claims_get_no_error_from_any_check(name: str) -> None:
    clean = set(_expected(name)["clean_claims"])
    errors = [
        (f.rule, f.claim_id) for f in _result(name).findings if f.claim_id in clean and f.severity == "error"
    ]
    assert errors == []


def test_the_suite_has_at_least_twenty_claims_and_a_clean_half() -> None:
    claims = [
        c for name in SCENARIOS for c in json.loads((HERE / f"{name}.request.json").read_text())["claims"]
    ]
    clean = [c for name in SCENARIOS for c in _expected(name)["clean_claims"]]
    assert len(claims) >= 20
    assert len(clean) * 2 >= len(claims)
    assert len({c["id"] for c in claims}) == len(claims)


def test_every_rule_of_our_checks_except_the_rare_ones_is_exercised() -> None:
    registry = load_registry({"EOBSCAN_PLUGINS": ""})
    ours = {rule.code for check in registry.checks if check.name in OURS for rule in check.rules}
    exercised = {e["rule"] for name in SCENARIOS for e in _expected(name)["findings"]}
    assert ours - exercised <= {"INS003", "INS004", "COB004"}

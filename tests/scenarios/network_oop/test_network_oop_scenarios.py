"""Scenario suite for the network / No Surprises Act and the deductible / out-of-pocket checks.

Each ``<name>.request.json`` is a ScanRequest of invented claims (``eobscan scan`` reads it as is).
``<name>.expected.json`` beside it holds what was worked out by hand: every finding the network and
oop_max checks must report (rule, claim, lines, severity, confidence, exact amount at stake), the
engine's per-class totals for those two classes, the accumulator ledger where the scenario is
about accumulators, and the claims that are clean: on those, no check of the full default registry
may report an error.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from scanner.engine import scan
from scanner.model import ScanResult, decode_request, encode, to_builtins
from scanner.money import format_money
from scanner.plugins import load_registry

HERE = Path(__file__).parent
OURS = {"network", "oop_max"}
LEDGER_FIELDS = ("member", "claim_id", "deductible_met", "oop_met", "family_deductible_met", "family_oop_met")
SCENARIOS = sorted(path.name.removesuffix(".request.json") for path in HERE.glob("*.request.json"))


def _expected(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((HERE / f"{name}.expected.json").read_text())
    return data


@cache
def _result(name: str) -> ScanResult:
    request = decode_request((HERE / f"{name}.request.json").read_bytes())
    return scan(request, load_registry({"EOBSCAN_PLUGINS": ""}))


@pytest.mark.parametrize("name", SCENARIOS)
def test_our_checks_report_exactly_the_expected_findings(name: str) -> None:
    result = _result(name)
    assert [s.status for s in result.checks if s.name in OURS] == ["ok", "ok"]
    found = sorted(
        (f.rule, f.claim_id, tuple(f.line_ids), f.severity, f.confidence, format_money(f.amount_at_stake))
        for f in result.findings
        if f.check in OURS
    )
    expected = sorted(
        (e["rule"], e["claim_id"], tuple(e["line_ids"]), e["severity"], e["confidence"], e["amount_at_stake"])
        for e in _expected(name)["findings"]
    )
    assert found == expected


@pytest.mark.parametrize("name", SCENARIOS)
def test_the_summary_counts_our_classes_once_per_line(name: str) -> None:
    by_class = _result(name).summary.by_class
    ours = {cls: format_money(amount) for cls, amount in by_class.items() if cls in OURS}
    assert ours == _expected(name)["by_class"]


@pytest.mark.parametrize("name", SCENARIOS)
def test_clean_claims_get_no_error_from_any_check(name: str) -> None:
    clean = set(_expected(name)["clean_claims"])
    errors = [
        (f.rule, f.claim_id) for f in _result(name).findings if f.claim_id in clean and f.severity == "error"
    ]
    assert errors == []


@pytest.mark.parametrize("name", [n for n in SCENARIOS if "ledger" in _expected(n)])
def test_the_ledger_shows_what_each_member_and_the_family_met_after_each_claim(name: str) -> None:
    entries = to_builtins(_result(name).ledger)
    assert [{k: entry[k] for k in LEDGER_FIELDS} for entry in entries] == _expected(name)["ledger"]
    assert not any(entry["partial"] for entry in entries)


@pytest.mark.parametrize("name", SCENARIOS)
def test_the_result_encodes_on_the_wire(name: str) -> None:
    wire = json.loads(encode(_result(name)))
    assert len(wire["ledger"]) == len(_result(name).ledger)


def test_the_suite_has_at_least_twenty_claims_and_a_clean_half() -> None:
    claims = [
        c for name in SCENARIOS for c in json.loads((HERE / f"{name}.request.json").read_text())["claims"]
    ]
    clean = [c for name in SCENARIOS for c in _expected(name)["clean_claims"]]
    assert len(claims) >= 20
    assert len(clean) * 2 >= len(claims)


def test_every_rule_of_our_checks_is_exercised() -> None:
    registry = load_registry({"EOBSCAN_PLUGINS": ""})
    ours = {rule.code for check in registry.checks if check.name in OURS for rule in check.rules}
    exercised = {e["rule"] for name in SCENARIOS for e in _expected(name)["findings"]}
    assert ours <= exercised

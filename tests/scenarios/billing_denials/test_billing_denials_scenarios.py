"""Bills against EOBs, denials, prices and duplicates, end to end through the full engine.

Each ``NN_name.json`` is a ScanRequest (invented people, providers and amounts); beside it,
``NN_name.expected.json`` says whether the case is clean and lists, by hand, every finding the
balance billing, denial, pricing and duplicate checks must produce, with its exact amount at stake.
Clean cases must also produce no error-level finding from any check.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from scanner.engine import scan
from scanner.model import Finding, decode_request
from scanner.money import format_money

HERE = Path(__file__).parent
CASES = sorted(p for p in HERE.glob("*.json") if not p.name.endswith(".expected.json"))
CLASSES = {"balance_billing", "denial", "pricing", "duplicate"}


def _expected(case: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(case.with_suffix(".expected.json").read_text())
    return data


def _row(f: Finding | dict[str, Any]) -> tuple[str, str, tuple[str, ...], str, str]:
    if isinstance(f, Finding):
        return (f.rule, f.claim_id, tuple(f.line_ids), format_money(f.amount_at_stake), f.severity)
    return (f["rule"], f["claim_id"], tuple(f["line_ids"]), f["amount_at_stake"], f["severity"])


def test_the_suite_has_at_least_30_cases_and_a_clean_half() -> None:
    clean = [case for case in CASES if _expected(case)["clean"]]
    assert len(CASES) >= 30
    assert len(clean) * 2 >= len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.stem for case in CASES])
def test_scenario(case: Path) -> None:
    expected = _expected(case)
    result = scan(decode_request(case.read_bytes()))
    assert all(status.status == "ok" for status in result.checks), [s.error for s in result.checks if s.error]
    mine = sorted(_row(f) for f in result.findings if f.error_class in CLASSES)
    assert mine == sorted(_row(f) for f in expected["findings"]), expected["description"]
    if expected["clean"]:
        errors = [f"{f.rule}: {f.message}" for f in result.findings if f.severity == "error"]
        assert errors == [], expected["description"]
    else:
        assert expected["findings"], "a problem case names the findings it expects"

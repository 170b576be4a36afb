"""The plan's standing a portal prints beside a claim (progress bars, a small table) goes out as
the last claim's ``accumulators``, read as the service reads it from a pasted or uploaded EOB;
a page whose only deductible figures are the claim's own sends none, and neither gives a line
of the standing."""

from __future__ import annotations

import json
from typing import Any

import pytest

from scanner.engine import scan as engine_scan
from scanner.model import decode_request
from tests.browser.harness import Extension

pytestmark = pytest.mark.browser

#: The claim both Thornfield pages print: its own Deductible column, no line of the standing.
LINES = [
    {
        "id": "1",
        "code": "99214",
        "code_system": "CPT",
        "network": "in",
        "billed": "250.00",
        "allowed": "150.00",
        "plan_paid": "104.00",
        "deductible": "20.00",
        "copay": "0.00",
        "coinsurance": "26.00",
        "patient_responsibility": "46.00",
    },
    {
        "id": "2",
        "code": "85025",
        "code_system": "CPT",
        "network": "in",
        "billed": "40.00",
        "allowed": "18.00",
        "plan_paid": "18.00",
        "deductible": "0.00",
        "copay": "0.00",
        "coinsurance": "0.00",
        "patient_responsibility": "0.00",
    },
]


def only_claim(request: dict[str, Any]) -> dict[str, Any]:
    [claim] = request["claims"]
    return dict(claim)


def test_a_standing_widget_beside_the_claim_is_sent_as_its_accumulators(ext: Extension) -> None:
    page = ext.open("/generic-standing.html")
    extracted = ext.extract(page)

    assert extracted["adapter"] == "generic"
    claim = only_claim(extracted["request"])  # the standing's table is no claim of its own
    assert claim["lines"] == LINES
    assert claim["accumulators"] == {
        "as_of": "2026-04-21",  # the claim's processing date: none is printed beside it
        "deductible": "1500.00",
        "deductible_met": "620.00",
        "oop_max": "4000.00",
        "oop_met": "1100.00",
        "family_deductible": "3000.00",
        "family_deductible_met": "900.00",
        "family_oop_max": "8000.00",
        "family_oop_met": "2000.00",
    }
    # The service takes it as printed.
    decoded = decode_request(json.dumps(extracted["request"]))
    assert decoded.claims[0].accumulators is not None

    report = ext.scan(page)
    assert report["errors"] == [] and report["lines"] == 2


def test_a_claims_own_deductible_is_no_standing(ext: Extension) -> None:
    """ "Applied to deductible $20.00", a Deductible column and a bare "Deductible $20.00": what
    this claim added, never the plan's standing."""
    page = ext.open("/generic-standing-clean.html")
    claim = only_claim(ext.extract(page)["request"])

    assert "accumulators" not in claim
    assert claim["lines"] == LINES
    assert claim["processed_date"] == "2026-04-21"


def test_a_claim_served_after_the_printed_maximum_was_met_is_flagged(ext: Extension) -> None:
    """The March claim's page shows the out-of-pocket maximum met; the June claim still charges
    coinsurance. No plan is configured: the standing alone proves it."""
    page = ext.open("/generic-standing-two-claims.html")
    request = ext.extract(page)["request"]
    march, june = request["claims"]
    assert "accumulators" not in march
    assert june["accumulators"] == {
        "as_of": "2026-03-28",
        "deductible": "1500.00",
        "deductible_met": "1500.00",
        "oop_max": "4000.00",
        "oop_met": "4000.00",
    }

    report = ext.scan(page)

    assert report["errors"] == []
    oop = [f for f in report["findings"] if f["rule"] == "OOP001"]
    assert [(f["claim_id"], f["line_ids"], f["amount_at_stake"]) for f in oop] == [
        (june["id"], ["1"], "30.00")
    ]
    assert ("OOP001", june["id"], "1") in {
        (a["rule"], a["claim_id"], a["line_id"]) for a in report["annotated"]
    }
    expected = engine_scan(decode_request(json.dumps(request)))
    assert sorted(f["rule"] for f in report["findings"]) == sorted(f.rule for f in expected.findings)

"""A family's portal page, scanned through the extension and the real service: each patient's
claims are their own member's (``child-1``, ``member-2``), told apart by the names the page prints,
so two children's deductibles are two tallies. The names are only compared: what the service
receives is checked in ``test_security.py``, what is stored in ``test_storage.py``.

Each page prints a $150.00 individual deductible and two visits of $110.00 of deductible each.
(Two equal visits are no DUP001 here either way: the extension sends no provider's name, so the
service never matches services across two portal claims.)
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.browser.harness import Extension

pytestmark = pytest.mark.browser


def scanned(ext: Extension, path: str) -> tuple[list[str | None], list[tuple[str, str]]]:
    """The members the page's claims were sent with, and the service's findings (rule, amount)."""
    page = ext.open(path)
    request = ext.extract(page)["request"]
    report = ext.scan(page)
    assert report["errors"] == []
    assert report["claims"] == 2 and report["lines"] == 4
    findings = [(f["rule"], f["amount_at_stake"]) for f in report["findings"]]
    return [claim.get("member") for claim in request["claims"]], findings


def test_two_childrens_visits_are_two_members_and_neither_passes_its_deductible(ext: Extension) -> None:
    """ "Dependent" and "Child": both children. Read as one "child", the second visit went $70.00
    past "the" deductible (OOP002)."""
    members, findings = scanned(ext, "/generic-family.html")

    assert members == ["child-1", "child-2"]
    assert findings == []


def test_the_same_childs_two_visits_still_pass_the_childs_deductible(ext: Extension) -> None:
    """ "AVERY Q. EXAMPLE" is "Avery Example (Dependent)": one child, $220.00 toward $150.00."""
    members, findings = scanned(ext, "/generic-family-same-child.html")

    assert members == ["child-1", "child-1"]
    assert findings == [("OOP002", "70.00")]


def test_patients_without_a_relationship_are_members_by_the_order_of_their_names(ext: Extension) -> None:
    members, findings = scanned(ext, "/generic-family-unrelated.html")

    assert members == ["member-1", "member-2"]
    assert findings == []


def test_claims_of_one_patient_are_sent_as_the_services_default_member(ext: Extension) -> None:
    """Two claims of one named patient, no relationship printed: ``self``, which is not sent."""
    page = ext.open("/generic-standing-two-claims.html")
    request: dict[str, Any] = ext.extract(page)["request"]

    assert [claim.get("member") for claim in request["claims"]] == [None, None]


def test_a_claims_header_reads_its_patient_only_when_asked_and_the_last_printed_wins(ext: Extension) -> None:
    """A "Subscriber:" above the claim's own "Patient:"; the birth date (a patient label too) is
    no name. Read for any other purpose, the header holds no name at all."""
    page = ext.open("/generic-family.html")
    ext.extract(page)  # injects the content scripts
    markup = (
        "<dl><dt>Subscriber</dt><dd>Morgan Example</dd><dt>Patient</dt><dd>Avery Example (Dependent)</dd>"
        "<dt>Date of birth</dt><dd>04/06/2019</dd><dt>Claim #</dt><dd>HF-1</dd></dl>"
    )
    read = ext.in_content_world(
        page,
        "const root = document.createElement('div'); root.innerHTML = "
        + json.dumps(markup)
        + "; const { readLabels } = globalThis.__eobx.labels;"
        " return [readLabels(root, () => false, { compared: true }), readLabels(root)];",
    )

    assert read == [
        {"patient_name": "Avery Example (Dependent)", "claim_number": "HF-1"},
        {"claim_number": "HF-1"},
    ]


def test_no_name_is_left_on_the_pages_claims_once_they_have_their_members(ext: Extension) -> None:
    page = ext.open("/generic-family.html")
    ext.extract(page)  # injects the content scripts
    kept = ext.in_content_world(
        page,
        """
        const ns = globalThis.__eobx;
        const { claims } = ns.adapters.pick(document).extract(document);
        ns.members.assign(claims);
        return JSON.stringify([claims.map((c) => [Object.keys(c), c.wire, c.local]), [...ns.state.claimIds]]);
        """,
    )

    assert '"child-1"' in kept and '"child-2"' in kept
    for name in ("Avery", "avery", "Blake", "blake", "Morgan", "Example", "example"):
        assert name not in kept
    assert json.loads(kept)[0][0][0] == ["id", "wire", "local", "lines"]

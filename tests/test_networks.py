"""The network level of a line, as every check reads it (scanner/networks.py)."""

from __future__ import annotations

import pytest

from scanner.model import Party
from scanner.networks import billing_network, billing_party, line_network
from scanner.testing import make_claim, make_line

HOSPITAL = Party(name="Lakeside General Hospital", network="in", role="facility")
CLINIC = Party(name="Maple Family Medicine", network="out")
UNSAID = Party(name="Maple Family Medicine")


@pytest.mark.parametrize(
    ("line", "provider", "facility", "expected"),
    [
        ("in", CLINIC, HOSPITAL, "in"),  # the line's own level wins
        ("out", None, HOSPITAL, "out"),
        ("unknown", CLINIC, HOSPITAL, "out"),  # the provider billed it
        ("unknown", None, HOSPITAL, "in"),  # a hospital's own claim: the facility billed it
        ("unknown", UNSAID, HOSPITAL, "unknown"),  # a doctor in an in-network hospital may be out
        ("unknown", None, None, "unknown"),
    ],
)
def test_a_line_is_at_its_own_level_else_at_the_billing_partys(
    line: str, provider: Party | None, facility: Party | None, expected: str
) -> None:
    claim = make_claim(lines=[make_line("1", network=line)], provider=provider, facility=facility)
    assert line_network(claim, claim.lines[0]) == expected


def test_the_billing_party_is_the_provider_else_the_facility() -> None:
    assert billing_party(make_claim(provider=UNSAID, facility=HOSPITAL)) == UNSAID
    assert billing_party(make_claim(provider=None, facility=HOSPITAL)) == HOSPITAL
    assert billing_network(make_claim(provider=None, facility=None)) == "unknown"

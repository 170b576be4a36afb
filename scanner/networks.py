"""Which network level a line was processed at, read the same way by every check.

An EOB line carries its own benefit level ("In-Network", "Out-of-Network") when the insurer
prints one. When it does not, the level is that of the party that billed the claim: the provider,
or, on a claim that names no provider (a hospital's own claim), the facility. A claim whose
provider is named but whose network is unknown stays unknown even at an in-network facility: a
doctor working in an in-network hospital may be out of network, and no check may assume otherwise.
"""

from __future__ import annotations

from scanner.model import Claim, Network, Party, ServiceLine


def billing_party(claim: Claim) -> Party | None:
    """The provider, or the facility of a claim that names no provider."""
    return claim.provider if claim.provider is not None else claim.facility


def billing_network(claim: Claim) -> Network:
    """The network of the party that billed the claim ("unknown" when the EOB does not say)."""
    party = billing_party(claim)
    return party.network if party is not None else "unknown"


def line_network(claim: Claim, line: ServiceLine) -> Network:
    """The benefit level the line was processed at; the billing party's network when the line is silent."""
    return line.network if line.network != "unknown" else billing_network(claim)

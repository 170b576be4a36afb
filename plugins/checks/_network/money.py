"""What a line charges above in-network cost sharing, and what the provider bills beyond the EOB.

In-network cost sharing is the deductible the line charged, the plan's in-network copay for the
kind of visit, and the plan's in-network coinsurance rate on the rest of the allowed amount.
Without the plan's rates it is unknown, and the rules say "up to". An office visit the line
charged coinsurance for may cost the plan's copay in network instead: the larger of the two is
taken (the excess is never overstated). Two things lower it
(:class:`InNetworkTerms`): preventive care owes nothing in network (on a plan that is not
grandfathered), and no line owes more deductible than was left of the in-network deductible
before the scan's first claim, nor more cost sharing than was left of the out-of-pocket maximum
(what is met only grows, so a line never had more left). The replay's own figure before the line
would be closer, but it counts the earlier lines as charged: when one of them was overcharged,
the limit it finds met was not, and the excess would be too high.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from scanner.line_amounts import cost_sharing, not_covered_above_allowance
from scanner.model import COMBINED_FIELDS, Bill, Claim, CopayKind, Plan, ServiceLine
from scanner.networks import line_network
from scanner.reference.adjustment_codes import normalize_carc
from scanner.reference.nsa import NsaTables


@dataclass(frozen=True)
class InNetworkTerms:
    """What limits a line's in-network cost sharing besides the plan's rates."""

    #: The care owes nothing in network (preventive care).
    free: bool = False
    #: The most that can have been left of the in-network deductible and out-of-pocket maximum.
    deductible_left: int | None = None
    oop_left: int | None = None

    @property
    def maximum_met(self) -> bool:
        return self.oop_left == 0


NO_TERMS = InNetworkTerms()


@dataclass(frozen=True)
class Excess:
    """What a line charges above in-network cost sharing."""

    #: Deductible + copay + coinsurance charged on the line.
    cost_sharing: int
    #: In-network cost sharing for the line; None when the plan does not tell us.
    in_network: int | None
    #: What the line asks above its cost sharing (balance billing).
    balance: int
    #: What the patient is asked to pay for the line.
    charged: int
    processed_out: bool
    terms: InNetworkTerms = NO_TERMS

    @property
    def known(self) -> bool:
        return not self.processed_out or self.in_network is not None

    @property
    def over_cost_sharing(self) -> int:
        """Cost sharing above the in-network amount (all of it when that amount is unknown)."""
        if not self.processed_out:
            return 0
        expected = self.in_network if self.in_network is not None else 0
        return max(self.cost_sharing - expected, 0)

    @property
    def amount(self) -> int:
        return min(self.over_cost_sharing + self.balance, self.charged)


def balance_billed(line: ServiceLine) -> int:
    """What the line asks the patient above cost sharing: PR-45 amounts (charges above the
    allowance, billed to the patient), a not-covered amount that lies above the allowance (the
    same dollars, printed instead of coded), or a patient responsibility larger than its parts."""
    pr45 = sum(
        adj.amount or 0
        for adj in line.adjustments
        if adj.group == "PR" and normalize_carc(adj.reason) == "45" and (adj.amount or 0) > 0
    )
    shares = cost_sharing(line)
    if line.patient_responsibility is None or shares is None:
        return pr45
    above_allowance = max(pr45, not_covered_above_allowance(line))
    legit_not_covered = max((line.not_covered or 0) - above_allowance, 0)
    return max(pr45, line.patient_responsibility - shares - legit_not_covered, 0)


def copay_kind(claim: Claim, nsa: NsaTables) -> CopayKind | None:
    """The kind of visit whose copay the plan lists, when the EOB tells."""
    if nsa.emergency_claim(claim):
        return "emergency"
    place = (claim.place_of_service or "").strip()
    if place == "20":
        return "urgent_care"
    if place == "21":
        return "inpatient"
    role = claim.provider.role if claim.provider else None
    if role == "primary_care":
        return "primary_care"
    if role == "specialist":
        return "specialist"
    return None


def in_network_share(
    claim: Claim, line: ServiceLine, plan: Plan | None, nsa: NsaTables, terms: InNetworkTerms = NO_TERMS
) -> int | None:
    """In-network cost sharing for the line; None when the plan or the line does not say enough
    (a copay and a coinsurance, or a deductible and either, printed as one figure could each be
    priced differently)."""
    if line.allowed is not None and (terms.free or terms.maximum_met):
        return 0
    combined = any(getattr(line, name) for name in COMBINED_FIELDS)
    if plan is None or line.allowed is None or cost_sharing(line) is None or combined:
        return None
    allowed = max(int(line.allowed), 0)
    printed_deductible = min(line.deductible or 0, allowed)
    deductible = printed_deductible
    if terms.deductible_left is not None:
        deductible = min(deductible, terms.deductible_left)
    copay = 0
    if line.copay:
        kind = copay_kind(claim, nsa)
        planned = plan.copays.get(kind) if kind else None
        copay = min(planned if planned is not None else line.copay, allowed - deductible)
    coinsurance = 0
    # Coinsurance applies to what the deductible leaves: also to what a deductible met in
    # network no longer takes, though the line printed no coinsurance.
    if line.coinsurance or deductible < printed_deductible:
        rate = plan.coinsurance_in_network
        if rate is None:
            return None
        coinsurance = ((allowed - deductible - copay) * rate + 50) // 100
    share = deductible + copay + coinsurance
    if not line.copay and _visit_code(line):
        # In network an office visit may cost the plan's copay instead of the coinsurance the
        # out-of-network line shows; not knowing which, the larger is the in-network share.
        kind = copay_kind(claim, nsa)
        planned = plan.copays.get(kind) if kind is not None and kind in OFFICE_VISITS else None
        if planned is not None:
            share = max(share, min(planned, allowed))
    return share if terms.oop_left is None else min(share, terms.oop_left)


#: The visits whose copay usually replaces the coinsurance (an emergency copay often comes on top).
OFFICE_VISITS: frozenset[CopayKind] = frozenset({"primary_care", "specialist", "urgent_care"})


def _visit_code(line: ServiceLine) -> bool:
    """An evaluation and management visit (CPT 99202-99499), the service a plan's copay is for."""
    code = (line.code or "").strip()
    return (line.code_system or "CPT") == "CPT" and code.isdigit() and 99202 <= int(code) <= 99499


def excess(
    claim: Claim, line: ServiceLine, plan: Plan | None, nsa: NsaTables, terms: InNetworkTerms = NO_TERMS
) -> Excess:
    """The line's excess over in-network cost sharing. Most EOBs print the network once, for the
    provider, not on each line: a line that does not say is taken at its provider's level."""
    shares = cost_sharing(line) or 0
    balance = balance_billed(line)
    charged = line.patient_responsibility
    processed_out = line_network(claim, line) == "out"
    return Excess(
        cost_sharing=shares,
        in_network=(in_network_share(claim, line, plan, nsa, terms) if processed_out else shares),
        balance=balance,
        charged=charged if charged is not None else shares + balance,
        processed_out=processed_out,
        terms=terms,
    )


def bill_beyond_eob(claim: Claim, bills: Sequence[Bill]) -> int:
    """How much more the provider's bills for this claim ask than the EOB says the patient owes."""
    due = [bill.amount_due for bill in bills if bill.claim_id == claim.id and bill.amount_due is not None]
    if not due:
        return 0
    owed = [_line_owed(line) for line in claim.lines]
    if owed and all(amount is not None for amount in owed):
        eob = sum(amount or 0 for amount in owed)
    elif claim.totals is not None and claim.totals.patient_responsibility is not None:
        eob = claim.totals.patient_responsibility
    else:
        return 0
    return max(sum(due) - eob, 0)


def _line_owed(line: ServiceLine) -> int | None:
    if line.patient_responsibility is not None:
        return line.patient_responsibility
    return cost_sharing(line)

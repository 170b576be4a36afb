"""What a service line's printed amounts imply together, for checks that read the same sums.

An EOB's "not covered" column holds two different things. Part of the allowed amount the plan
will not pay (a benefit maximum, an excluded add-on) is a lawful share of the patient's. But
many EOBs, out-of-network ones above all, also print there the charge *above* the allowed amount,
what the provider may try to bill: the same dollars a PR-45 adjustment names in codes. The
arithmetic tells them apart: the plan's payment, an earlier payer's, the cost sharing and a
not-covered part of the allowance can together be at most the allowed amount.

A line whose amounts are all negative is a reversal: it cancels an earlier line, and every check
and the accumulator replay must agree on which lines those are.
"""

from __future__ import annotations

from scanner.model import AMOUNT_FIELDS, Amounts, Claim, ServiceLine


def is_reversal(line: ServiceLine) -> bool:
    """A line that cancels an earlier one: every amount printed and not zero is below zero, and
    there is at least one. A line with both signs (a deductible moved to coinsurance) is a
    correction that counts as printed, not a reversal."""
    negative = False
    for name in AMOUNT_FIELDS:
        amount = getattr(line, name)
        if amount:  # neither missing nor zero
            if amount > 0:
                return False  # most lines stop at the billed amount
            negative = True
    return negative


def cost_sharing(line: ServiceLine | Amounts) -> int | None:
    """Deductible + copay + coinsurance (or their combined columns); None when the line prints
    none of them."""
    # Written out rather than summed over a tuple: checks call it for every line, several times.
    deductible, copay, coinsurance = line.deductible, line.copay, line.coinsurance
    copay_coinsurance, deductible_sharing = line.copay_and_coinsurance, line.deductible_and_cost_sharing
    if (
        deductible is None
        and copay is None
        and coinsurance is None
        and copay_coinsurance is None
        and deductible_sharing is None
    ):
        return None
    return (
        (deductible or 0)
        + (copay or 0)
        + (coinsurance or 0)
        + (copay_coinsurance or 0)
        + (deductible_sharing or 0)
    )


def patient_parts(line: ServiceLine | Amounts) -> int | None:
    """Cost sharing + not covered: what the columns say the patient owes, for comparing with the
    patient responsibility column; None when the line prints none of them."""
    shared, not_covered = cost_sharing(line), line.not_covered
    if shared is None and not_covered is None:
        return None
    return (shared or 0) + (not_covered or 0)


def patient_owes(claim: Claim, line: ServiceLine) -> int:
    """What the EOB asks the patient to pay for the line, from whichever column says it.

    The patient responsibility column first. Many EOBs of denied lines print only the
    adjustments: group PR is, by definition, what the patient is held responsible for. Then the
    not-covered column, then the claim's total when the claim has this line alone. Zero when
    nothing says (never a guess).
    """
    if line.patient_responsibility is not None:
        return max(line.patient_responsibility, 0)
    patient_group = sum(a.amount or 0 for a in line.adjustments if a.group == "PR" and (a.amount or 0) > 0)
    if patient_group:
        return patient_group
    if line.not_covered is not None:
        return max(line.not_covered, 0)
    totals = claim.totals
    if len(claim.lines) == 1 and totals is not None and totals.patient_responsibility is not None:
        return max(totals.patient_responsibility, 0)
    return 0


def not_covered_above_allowance(line: ServiceLine) -> int:
    """The part of ``not_covered`` that cannot lie inside the allowed amount (0 when unknown).

    Billed $2,400, allowed $600, plan paid $420, coinsurance $180, not covered $1,800: the
    allowance is used up by the payment and the coinsurance, so all $1,800 is above it. With
    allowed $600, plan paid $0 and not covered $600 (a benefit maximum), nothing is.
    """
    not_covered = line.not_covered or 0
    if not_covered <= 0 or line.allowed is None or line.allowed <= 0 or line.plan_paid is None:
        return 0
    inside = max(line.plan_paid, 0) + max(line.prior_payer_paid or 0, 0) + max(cost_sharing(line) or 0, 0)
    return min(max(inside + not_covered - line.allowed, 0), not_covered)

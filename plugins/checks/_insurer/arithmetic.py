"""Insurer processing errors: an EOB whose own numbers do not agree with each other.

These rules need nothing but the EOB: when the printed amounts contradict each other, one of them
is wrong, and the patient should not pay the difference until the insurer explains it.
"""

from __future__ import annotations

from collections.abc import Iterator

from plugins.checks._insurer.common import (
    CALL_OPENING,
    INSURER,
    LineRule,
    call_insurer,
    date_text,
    make_rule,
    money_evidence,
    service,
    service_date,
)
from scanner.line_amounts import not_covered_above_allowance, patient_parts
from scanner.model import Action, Claim, Finding, Plan, RuleDocs, ServiceLine
from scanner.money import dollars
from scanner.networks import line_network

PATIENT_SHARE_TOO_HIGH = make_rule(
    "INS001",
    "patient-share-exceeds-allowed-minus-paid",
    "error",
    "You are asked to pay more than the allowed amount minus what the plan paid.",
    RuleDocs(
        what_it_checks=(
            "For each line, that your responsibility is at most the allowed amount minus what "
            "the plan (and any earlier payer) paid, plus any amount printed as not covered. On "
            "an in-network line, a not-covered amount that lies above the allowed amount (the "
            "charge above the allowance, printed in the not-covered column) does not count: the "
            "provider agreed to take the allowed amount. Denied lines allow nothing by design and "
            "are left to the denial rules, which read the denial's reason."
        ),
        why_it_matters=(
            "The allowed amount is the most anyone can collect for a covered service from an "
            "in-network provider. Whatever the plan did not pay of it is your share; anything "
            "above that is an arithmetic or processing error you do not owe."
        ),
        example=(
            "Allowed $150.00, plan paid $120.00, you owe $60.00: at most $30.00 is yours, so "
            "$30.00 is at stake."
        ),
        what_to_do=(
            "Call the insurer with the claim number, point at the line, and ask them to "
            "reprocess it. Do not pay the excess to the provider meanwhile."
        ),
    ),
)

COST_SHARING_DOES_NOT_ADD_UP = make_rule(
    "INS002",
    "cost-sharing-does-not-add-up",
    "warning",
    "Deductible, copay, coinsurance and not-covered amounts do not add up to what you owe.",
    RuleDocs(
        what_it_checks=(
            "For each line that prints both its parts and its total, that deductible + copay + "
            "coinsurance + not covered equals the patient responsibility."
        ),
        why_it_matters=(
            "Your responsibility is exactly the sum of those parts. When it is larger, the EOB "
            "asks you for dollars that no benefit rule explains. When it is smaller (often a "
            "not-covered charge the provider must write off), the EOB's total is the insurer's "
            "answer, but a bill built from the parts would ask you for the difference."
        ),
        example=(
            "Deductible $50.00 and coinsurance $20.00 but patient responsibility $95.00: "
            "$25.00 is unexplained."
        ),
        what_to_do=(
            "Ask the insurer which part of the line the unexplained amount belongs to, and to "
            "correct the EOB if none. When the total is the smaller figure, do not ask for a "
            "reprocessing that could raise it: pay no more than the total, and ask the insurer "
            "which figure is right only if a bill asks for the difference."
        ),
    ),
)

ALLOWED_ABOVE_BILLED = make_rule(
    "INS003",
    "allowed-amount-above-billed",
    "error",
    "The allowed amount is higher than what the provider billed.",
    RuleDocs(
        what_it_checks="For each line, that the allowed amount is not above the billed amount.",
        why_it_matters=(
            "A plan never allows more than the provider charged. An allowed amount above the "
            "charge inflates your deductible and coinsurance, which are computed from it."
        ),
        example=(
            "Billed $100.00, allowed $180.00, you owe $90.00 of coinsurance: up to $80.00 of "
            "your share comes from the impossible allowance."
        ),
        what_to_do="Ask the insurer to reprocess the line with the allowed amount capped at the charge.",
    ),
)

PLAN_PAID_ABOVE_ALLOWED = make_rule(
    "INS004",
    "plan-paid-above-allowed",
    "warning",
    "The plan paid more than the allowed amount.",
    RuleDocs(
        what_it_checks="For each line, that the plan paid no more than the allowed amount.",
        why_it_matters=(
            "An overpayment is usually taken back later. When the insurer recoups it, the "
            "provider often re-bills you, months after you thought the claim was settled."
        ),
        example="Allowed $150.00, plan paid $210.00: the plan overpaid $60.00.",
        what_to_do=(
            "Keep this EOB. If the claim is reprocessed, compare the new EOB with this one "
            "before paying any new bill."
        ),
    ),
)


def _owed_not_covered(claim: Claim, line: ServiceLine) -> int:
    """The not-covered amount the patient may owe besides the allowance. An in-network provider
    has agreed to take the allowed amount, so a charge above it is never the patient's, whatever
    column the EOB prints it in; out of network (or unknown) it may be a lawful balance bill."""
    not_covered = line.not_covered or 0
    if line_network(claim, line) == "in":
        return not_covered - not_covered_above_allowance(line)
    return not_covered


def _denied(claim: Claim, line: ServiceLine) -> bool:
    """A denied line allows nothing by design: whether its charge is yours depends on the denial's
    reason, which the denial rules (DEN001, DEN002) and a bill's BAL004 read."""
    return line.denied or (claim.status == "denied" and not line.plan_paid)


def _patient_share_too_high(claim: Claim, line: ServiceLine, plan: Plan | None) -> Iterator[Finding]:
    if line.allowed is None or line.plan_paid is None or line.patient_responsibility is None:
        return
    if _denied(claim, line):
        return
    most = line.allowed - line.plan_paid - (line.prior_payer_paid or 0) + _owed_not_covered(claim, line)
    excess = line.patient_responsibility - max(most, 0)
    if excess <= 0:
        return
    problem = (
        f"a patient responsibility of {dollars(line.patient_responsibility)}, but the allowed "
        f"amount minus the plan's payment is only {dollars(max(most, 0))}"
    )
    yield PATIENT_SHARE_TOO_HIGH.finding(
        claim_id=claim.id,
        line_ids=[line.id],
        title="You are asked for more than the allowed amount leaves",
        message=(
            f"For {service(line)}, the plan allowed {dollars(line.allowed)} and paid "
            f"{dollars(line.plan_paid)}, so at most {dollars(max(most, 0))} can be yours, yet "
            f"the EOB says you owe {dollars(line.patient_responsibility)}: "
            f"{dollars(excess)} too much."
        ),
        amount_at_stake=excess,
        evidence=[
            money_evidence("patient_responsibility", line.patient_responsibility, max(most, 0)),
            money_evidence("allowed", line.allowed),
            money_evidence("plan_paid", line.plan_paid),
        ],
        actions=[call_insurer(claim, line, problem)],
    )


def _cost_sharing_mismatch(claim: Claim, line: ServiceLine, plan: Plan | None) -> Iterator[Finding]:
    total = patient_parts(line)
    if line.patient_responsibility is None or total is None:
        return
    excess = line.patient_responsibility - total
    if excess > 0:
        yield _share_above_parts(claim, line, total, excess)
    elif excess < 0:
        yield _share_below_parts(claim, line, total)


def _share_above_parts(claim: Claim, line: ServiceLine, total: int, excess: int) -> Finding:
    stated = line.patient_responsibility or 0
    problem = (
        f"deductible, copay, coinsurance and not-covered amounts adding up to {dollars(total)}, "
        f"but a patient responsibility of {dollars(stated)}"
    )
    return COST_SHARING_DOES_NOT_ADD_UP.finding(
        claim_id=claim.id,
        line_ids=[line.id],
        confidence="medium",
        title="Your share does not match its parts",
        message=(
            f"For {service(line)}, deductible, copay, coinsurance and not covered add up to "
            f"{dollars(total)}, but the EOB says you owe {dollars(stated)}: "
            f"{dollars(excess)} is unexplained."
        ),
        amount_at_stake=excess,
        evidence=[money_evidence("patient_responsibility", stated, total)],
        actions=[call_insurer(claim, line, problem)],
    )


def _share_below_parts(claim: Claim, line: ServiceLine, total: int) -> Finding:
    """The EOB's parts ask for more than its total. Nothing is overcharged, so nothing is at
    stake and a reprocessing request could only raise the bill; what the patient needs is to
    pay no more than the total, and to know what to ask if a bill follows the parts."""
    stated = line.patient_responsibility or 0
    opening = CALL_OPENING.format(
        claim_number="{claim_number}",
        member_id="{member_id}",
        service=service(line),
        service_date=date_text(service_date(claim, line)),
    )
    script = opening + (
        f"lists deductible, copay, coinsurance and "
        f"not-covered amounts adding up to {dollars(total)}, but a patient responsibility of "
        f"{dollars(stated)}, and the provider's bill asks me for more than {dollars(stated)}. "
        "Which figure is my responsibility? Please give me a reference number for this call."
    )
    return COST_SHARING_DOES_NOT_ADD_UP.finding(
        claim_id=claim.id,
        line_ids=[line.id],
        confidence="medium",
        severity="info",
        title="Your share is less than its parts",
        message=(
            f"For {service(line)}, deductible, copay, coinsurance and not covered add up to "
            f"{dollars(total)}, but the EOB says you owe only {dollars(stated)}. The total is "
            f"what the insurer decided you owe: pay no more than {dollars(stated)} for this "
            f"line, and if a bill asks for the other {dollars(total - stated)}, ask the "
            "insurer which figure is right before paying."
        ),
        amount_at_stake=0,
        evidence=[money_evidence("patient_responsibility", stated, total, "the parts add up to more")],
        actions=[
            Action(
                kind="call_insurer",
                who=INSURER,
                summary=(
                    f"Only if a bill asks for more than {dollars(stated)} for this line: ask "
                    "the insurer which figure is yours before you pay."
                ),
                script=script,
                template=None,
            )
        ],
    )


def _allowed_above_billed(claim: Claim, line: ServiceLine, plan: Plan | None) -> Iterator[Finding]:
    if line.allowed is None or line.billed is None or line.billed <= 0:
        return
    over = line.allowed - line.billed
    if over <= 0:
        return
    at_stake = min(over, line.patient_responsibility or 0)
    yield ALLOWED_ABOVE_BILLED.finding(
        claim_id=claim.id,
        line_ids=[line.id],
        confidence="medium",
        title="Allowed amount above the charge",
        message=(
            f"For {service(line)}, the plan allowed {dollars(line.allowed)} although the "
            f"provider billed only {dollars(line.billed)}; up to {dollars(at_stake)} of your "
            "share rests on the excess allowance."
        ),
        amount_at_stake=at_stake,
        evidence=[money_evidence("allowed", line.allowed, line.billed, "at most the billed amount")],
        actions=[
            call_insurer(
                claim,
                line,
                f"an allowed amount of {dollars(line.allowed)} above the charge of {dollars(line.billed)}",
            )
        ],
    )


def _plan_paid_above_allowed(claim: Claim, line: ServiceLine, plan: Plan | None) -> Iterator[Finding]:
    if line.allowed is None or line.plan_paid is None:
        return
    over = line.plan_paid - line.allowed
    if over <= 0:
        return
    yield PLAN_PAID_ABOVE_ALLOWED.finding(
        claim_id=claim.id,
        line_ids=[line.id],
        confidence="medium",
        title="The plan paid more than it allowed",
        message=(
            f"For {service(line)}, the plan paid {dollars(line.plan_paid)} on an allowed amount "
            f"of {dollars(line.allowed)}, {dollars(over)} more. Expect a corrected EOB; check any "
            "new bill against it before paying."
        ),
        amount_at_stake=0,
        evidence=[money_evidence("plan_paid", line.plan_paid, line.allowed, "at most the allowed amount")],
        actions=[
            call_insurer(
                claim,
                line,
                f"a plan payment of {dollars(line.plan_paid)} above the allowed {dollars(line.allowed)}",
            )
        ],
    )


RULES = (PATIENT_SHARE_TOO_HIGH, COST_SHARING_DOES_NOT_ADD_UP, ALLOWED_ABOVE_BILLED, PLAN_PAID_ABOVE_ALLOWED)

LINE_RULES: tuple[LineRule, ...] = (
    _patient_share_too_high,
    _cost_sharing_mismatch,
    _allowed_above_billed,
    _plan_paid_above_allowed,
)

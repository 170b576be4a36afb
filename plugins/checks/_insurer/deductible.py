"""A deductible applied after the deductible was already met (INS005).

The replay of the scan's claims (per member and per family, in service-date order, from the plan's
``deductible_met``) lives in :mod:`scanner.accumulators`, shared with the out-of-pocket check. This
rule reports lines that charged a deductible when nothing of it was left; a line that crossed the
limit part-way is the out-of-pocket check's OOP002.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from plugins.checks._insurer.common import (
    call_insurer,
    capped,
    date_text,
    make_rule,
    money_evidence,
    service,
    service_date,
)
from scanner.accumulators import Limit, LineState, Replay
from scanner.model import Claim, Confidence, Finding, Plan, RuleDocs, ServiceLine
from scanner.money import dollars
from scanner.reference.citations import cite

DEDUCTIBLE_AFTER_MET = make_rule(
    "INS005",
    "deductible-applied-after-met",
    "error",
    "A deductible was charged after your deductible had already been met.",
    RuleDocs(
        what_it_checks=(
            "Replays the claims of the scan in service-date order, per member and for the family "
            "(an individual deductible inside a family plan counts as embedded), starting from the "
            "deductible the plan context says was met. A line that still applies a deductible "
            "when the member's or the family's deductible was already met is reported. Only "
            "in-network care counts (plus out-of-network care the No Surprises Act protects); "
            "claims outside the plan year and replaced claims are left out."
        ),
        why_it_matters=(
            "Once the deductible is met, the plan pays its share of every covered service. "
            "Claims processed out of order or an accumulator that was not updated (common after a "
            "reprocessed claim or between family members) make you pay the deductible twice."
        ),
        example=(
            "Deductible $1,500.00, met $1,500.00 by a claim of 2026-02-10. A claim of 2026-03-05 "
            "applies $200.00 to the deductible; at a 20% coinsurance rate you would owe $40.00 "
            "instead, so $160.00 is at stake."
        ),
        what_to_do=(
            "Call the insurer, ask for the deductible met to date (per member and for the family) "
            "and ask them to reprocess the claim. Unknown amounts on earlier claims make our total "
            "a lower bound, never a guess."
        ),
        references=[cite("erisa-claims-procedure"), cite("aca-cost-sharing-limit")],
    ),
)

RULES = (DEDUCTIBLE_AFTER_MET,)


def deductible_after_met(claims: Sequence[Claim], plan: Plan | None, states: Replay) -> Iterator[Finding]:
    if plan is None or (plan.deductible_individual is None and plan.deductible_family is None):
        return
    for claim in claims:
        for line in claim.lines:
            state = states.line(claim.id, line.id)
            if state is not None and _applies(state):
                yield _finding(claim, line, plan, state)


def _applies(state: LineState) -> bool:
    return state.counted and (state.deductible or 0) > 0 and state.deductible_left == 0


def _coinsurance_rate(plan: Plan) -> int | None:
    """The rate the patient owes on the dollars wrongly put to the deductible: the in-network one.
    The rule looks only at lines the replay counts toward the deductible, and it counts a line
    processed out of network only when the No Surprises Act protects it, which holds it to
    in-network cost sharing whatever level the insurer used."""
    return plan.coinsurance_in_network


def _printed(limit: Limit | None) -> str:
    """ "(the EOB of 2026-03-28 prints $1,500.00 met)", when the insurer's own figure says so."""
    if limit is None or limit.printed is None:
        return ""
    return f" ({limit.printed.sentence()})"


def _finding(claim: Claim, line: ServiceLine, plan: Plan, state: LineState) -> Finding:
    deductible = state.deductible or 0
    rate = _coinsurance_rate(plan)
    still_yours = 0 if rate is None else (deductible * rate + 50) // 100
    at_stake = capped(deductible - still_yours, line)
    limit = state.deductible_limit
    family = limit is not None and limit.scope == "family"
    scope = "the family deductible" if family else "your deductible"
    spoken = "our family deductible" if family else "my deductible"
    maximum = limit.maximum if limit is not None else 0
    confidence: Confidence = "high" if state.deductible_exact and rate is not None else "medium"
    bound = "" if state.deductible_exact else " at least"
    share = (
        f"at your {rate}% coinsurance you would owe {dollars(still_yours)} of it instead"
        if rate is not None
        else "the plan should have paid its share of it"
    )
    return DEDUCTIBLE_AFTER_MET.finding(
        claim_id=claim.id,
        line_ids=[line.id],
        confidence=confidence,
        title="Deductible charged after it was met",
        message=(
            f"By {date_text(service_date(claim, line))}, {scope} of {dollars(maximum)} had"
            f"{bound} been met{_printed(limit)}, yet {service(line)} applies {dollars(deductible)} to "
            f"the deductible; {share}. {dollars(at_stake)} is at stake."
        ),
        amount_at_stake=at_stake,
        evidence=[
            money_evidence("deductible", deductible, 0, f"{scope} of {dollars(maximum)} already met"),
            money_evidence("deductible_met_before_line", limit.met if limit else None),
            *([limit.printed.evidence("deductible_met_printed")] if limit and limit.printed else []),
        ],
        actions=[
            call_insurer(
                claim,
                line,
                f"{dollars(deductible)} applied to the deductible, although {spoken} of "
                f"{dollars(maximum)} was already met by earlier claims",
            )
        ],
    )

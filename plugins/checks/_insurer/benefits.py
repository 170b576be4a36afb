"""The plan's own numbers applied wrongly: wrong plan, wrong coinsurance rate, wrong copay."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator

from plugins.checks._insurer.common import (
    INSURER,
    call_insurer,
    capped,
    make_rule,
    money_evidence,
    service,
)
from scanner.model import Action, Claim, CopayKind, Evidence, Finding, Plan, RuleDocs, ServiceLine
from scanner.money import dollars
from scanner.networks import line_network
from scanner.reference.citations import cite

REFERENCES = [cite("erisa-claims-procedure"), cite("aca-appeals-external-review")]

#: Coinsurance is a percentage of cents; insurers round either way, so one cent is tolerated.
ROUNDING_TOLERANCE = 1

WRONG_PLAN = make_rule(
    "INS006",
    "wrong-plan-applied",
    "error",
    "The claim was processed under a plan that was not in force on the date of service.",
    RuleDocs(
        what_it_checks=(
            "When the plan context lists plan changes with effective dates, that the plan name "
            "printed on the claim is the plan in force on the claim's first date of service."
        ),
        why_it_matters=(
            "After a plan change (a new job, open enrollment, a move to a family plan) insurers "
            "sometimes keep applying the old plan's deductible, copays and network. Every number "
            "on the claim then follows the wrong benefit structure."
        ),
        example=(
            "You moved from 'Silver PPO' to 'Gold PPO' on 2026-07-01. A claim for 2026-08-14 was "
            "processed under 'Silver PPO' and you owe $420.00: up to $420.00 may change."
        ),
        what_to_do=(
            "Call the insurer, give the effective date of your current plan and ask them to "
            "reprocess the claim under it. Keep the confirmation of your enrollment change."
        ),
        references=REFERENCES,
    ),
)

COINSURANCE_RATE = make_rule(
    "INS007",
    "coinsurance-rate-differs-from-plan",
    "error",
    "The coinsurance charged is a higher percentage than your plan's rate for this network level.",
    RuleDocs(
        what_it_checks=(
            "For each line processed in or out of network, the coinsurance divided by the allowed "
            "amount left after the deductible, compared with the plan's coinsurance "
            "rate for that network level. Computed in cents; a one-cent rounding difference is "
            "tolerated. Lines processed as secondary are skipped."
        ),
        why_it_matters=(
            "Coinsurance is your plan's percentage of the allowed amount. A higher percentage "
            "usually means the line was processed under the wrong benefit (out-of-network rate, "
            "another plan, or a data-entry error), and the difference is not yours to pay."
        ),
        example=(
            "Allowed $500.00, no deductible, plan rate 20% in network: coinsurance should be "
            "$100.00. The EOB shows $200.00 (40%), so $100.00 is at stake."
        ),
        what_to_do=(
            "Call the insurer, quote your plan's coinsurance rate from your Summary of Benefits "
            "and Coverage, and ask them to reprocess the line at that rate."
        ),
        references=REFERENCES,
    ),
)

COPAY_AMOUNT = make_rule(
    "INS008",
    "copay-differs-from-plan",
    "error",
    "The copay charged for a visit is higher than your plan's copay for that kind of visit.",
    RuleDocs(
        what_it_checks=(
            "The copays charged on one visit (one claim and date of service; a whole inpatient "
            "stay) at the in-network level, compared with the plan's copay for the kind of visit: "
            "emergency room (place of service 23 or an emergency claim), urgent care (20), "
            "inpatient (21), otherwise the provider's role (primary care or specialist). A stay "
            "charged a whole number of inpatient copays, no more than its days, is a warning of "
            "low confidence: some plans charge the inpatient copay per day."
        ),
        why_it_matters=(
            "A copay is a fixed amount per visit. Being charged the specialist copay for your "
            "primary care doctor, or two copays for one visit, is a common processing error."
        ),
        example=(
            "Primary care visit, plan copay $25.00, EOB copay $60.00 (the specialist copay): "
            "$35.00 is at stake."
        ),
        what_to_do=(
            "Call the insurer with the copay from your Summary of Benefits and Coverage and ask "
            "them to reprocess the visit with the right copay. If the provider's specialty is "
            "recorded wrongly, the provider may need to correct it."
        ),
        references=REFERENCES,
    ),
)

RULES = (WRONG_PLAN, COINSURANCE_RATE, COPAY_AMOUNT)


# --- wrong plan -----------------------------------------------------------------------------


def _normal(name: str) -> str:
    return " ".join(name.casefold().split())


def plan_in_force(plan: Plan, day: dt.date) -> str | None:
    """The plan name in force on ``day`` according to the plan changes (None before the first)."""
    started = [c for c in plan.plan_changes if c.effective_date <= day]
    return max(started, key=lambda c: c.effective_date).plan_name if started else None


def claim_responsibility(claim: Claim) -> int:
    on_lines = [line.patient_responsibility for line in claim.lines]
    if any(amount is not None for amount in on_lines):
        return sum(amount or 0 for amount in on_lines)
    if claim.totals and claim.totals.patient_responsibility is not None:
        return claim.totals.patient_responsibility
    return 0


def wrong_plan(claim: Claim, plan: Plan | None) -> Iterator[Finding]:
    day = claim.service_start or min((ln.service_date for ln in claim.lines if ln.service_date), default=None)
    if plan is None or not claim.plan_name or day is None:
        return
    expected = plan_in_force(plan, day)
    if expected is None or _normal(expected) == _normal(claim.plan_name):
        return
    at_stake = max(claim_responsibility(claim), 0)
    yield WRONG_PLAN.finding(
        claim_id=claim.id,
        line_ids=[line.id for line in claim.lines],
        confidence="medium",
        title="Processed under the wrong plan",
        message=(
            f"This claim for {day.isoformat()} was processed under '{claim.plan_name}', but "
            f"'{expected}' was your plan on that date. Your share of {dollars(at_stake)} was "
            "computed with the wrong plan's benefits and may change when it is reprocessed."
        ),
        amount_at_stake=at_stake,
        evidence=[Evidence(field="plan_name", value=claim.plan_name, expected=expected)],
        actions=[
            _reprocess_claim(f"processed under {claim.plan_name!r}, but my plan on that date is {expected!r}")
        ],
    )


def _reprocess_claim(problem: str) -> Action:
    return Action(
        kind="request_reprocessing",
        who=INSURER,
        summary="Ask the insurer to reprocess the claim under the plan in force on the date of service.",
        script=(
            "Hello, I'm calling about claim {claim_number} for member {member_id}. The claim was "
            f"{problem}. Could you reprocess it under the right plan, give me a reference number "
            "for this call, and tell me when I will receive the corrected EOB?"
        ),
        template="reprocessing_request",
    )


# --- coinsurance ----------------------------------------------------------------------------


def _rate(plan: Plan, claim: Claim, line: ServiceLine) -> int | None:
    network = line_network(claim, line)
    if network == "in":
        return plan.coinsurance_in_network
    if network == "out":
        return plan.coinsurance_out_of_network
    return None


def _percent(part: int, whole: int) -> str:
    tenths = (part * 1000 + whole // 2) // whole
    return f"{tenths // 10}.{tenths % 10}%"


def _secondary(claim: Claim, line: ServiceLine) -> bool:
    return claim.coverage_position in ("secondary", "tertiary") or bool(line.prior_payer_paid)


def coinsurance_rate(claim: Claim, line: ServiceLine, plan: Plan | None) -> Iterator[Finding]:
    if plan is None or line.denied or line.allowed is None or not line.coinsurance or _secondary(claim, line):
        return
    rate = _rate(plan, claim, line)
    # Plans compute coinsurance on the allowed amount after the deductible, some after the copay
    # too; the larger base is the one that can only under-report an error.
    base = line.allowed - (line.deductible or 0)
    if rate is None or base <= 0:
        return
    expected = (base * rate + 50) // 100
    excess = line.coinsurance - expected
    if excess <= ROUNDING_TOLERANCE:
        return
    at_stake = capped(excess, line)
    level = "in-network" if line_network(claim, line) == "in" else "out-of-network"
    yield COINSURANCE_RATE.finding(
        claim_id=claim.id,
        line_ids=[line.id],
        title="Coinsurance above your plan's rate",
        message=(
            f"For {service(line)}, the allowed amount after the deductible is {dollars(base)}; "
            f"at your plan's {level} rate of {rate}% the coinsurance should be {dollars(expected)}, "
            f"but the EOB charges {dollars(line.coinsurance)} ({_percent(line.coinsurance, base)}): "
            f"{dollars(at_stake)} too much."
        ),
        amount_at_stake=at_stake,
        evidence=[
            money_evidence("coinsurance", line.coinsurance, expected, f"{rate}% of {dollars(base)}"),
            money_evidence("allowed", line.allowed),
            money_evidence("deductible", line.deductible),
        ],
        actions=[
            call_insurer(
                claim,
                line,
                f"coinsurance of {dollars(line.coinsurance)}, but my plan's {level} rate is {rate}% "
                f"of {dollars(base)}, which is {dollars(expected)}",
            )
        ],
    )


# --- copay ----------------------------------------------------------------------------------


def visit_kind(claim: Claim) -> CopayKind | None:
    """The copay category of a claim's visit, from the place of service, then the provider's role."""
    if claim.emergency or claim.place_of_service == "23":
        return "emergency"
    if claim.place_of_service == "20":
        return "urgent_care"
    if claim.place_of_service == "21":
        return "inpatient"
    role = claim.provider.role if claim.provider else None
    if role == "primary_care" or role == "specialist":
        return role
    return None


def _visits(claim: Claim, kind: CopayKind) -> dict[dt.date | None, list[ServiceLine]]:
    """Copay-bearing in-network lines grouped by visit: a date, or the whole stay when inpatient."""
    visits: dict[dt.date | None, list[ServiceLine]] = defaultdict(list)
    for line in claim.lines:
        if line.copay is None or line.denied or line_network(claim, line) != "in":
            continue
        visits[None if kind == "inpatient" else line.service_date or claim.service_start].append(line)
    return visits


def _a_copay_per_day(claim: Claim, expected: int, charged: int) -> bool:
    """The stay's copay is a whole number of the plan's copay, no more than the days of the stay:
    the plan may charge it per day, which the plan context does not say."""
    if expected <= 0 or charged % expected or claim.service_start is None or claim.service_end is None:
        return False
    return charged // expected <= (claim.service_end - claim.service_start).days + 1


def copay_amount(claim: Claim, plan: Plan | None) -> Iterator[Finding]:
    kind = visit_kind(claim)
    if plan is None or kind is None or kind not in plan.copays or _any_secondary(claim):
        return
    expected = plan.copays[kind]
    for day, lines in _visits(claim, kind).items():
        charged = sum(line.copay or 0 for line in lines)
        if charged > expected:
            yield _copay_finding(claim, lines, kind, expected, charged, day)


def _any_secondary(claim: Claim) -> bool:
    return any(_secondary(claim, line) for line in claim.lines)


def _copay_finding(
    claim: Claim, lines: list[ServiceLine], kind: CopayKind, expected: int, charged: int, day: dt.date | None
) -> Finding:
    asked = sum(line.patient_responsibility or 0 for line in lines)
    known = all(line.patient_responsibility is not None for line in lines)
    at_stake = min(charged - expected, asked) if known else charged - expected
    label = kind.replace("_", " ")
    when = f" on {day.isoformat()}" if day else ""
    charged_lines = [line for line in lines if line.copay]
    per_day = kind == "inpatient" and _a_copay_per_day(claim, expected, charged)
    caveat = (
        f" Unless your plan's inpatient copay is per day: {dollars(charged)} is {charged // expected} "
        "days of it, and this stay was that long. Check your plan's summary of benefits."
        if per_day
        else ""
    )
    return COPAY_AMOUNT.finding(
        claim_id=claim.id,
        line_ids=[line.id for line in charged_lines],
        severity="warning" if per_day else None,
        confidence="low" if per_day else "high",
        title="Copay above your plan's copay",
        message=(
            f"This {label} visit{when} was charged {dollars(charged)} of copay, but your plan's "
            f"{label} copay is {dollars(expected)}: {dollars(max(at_stake, 0))} too much.{caveat}"
        ),
        amount_at_stake=max(at_stake, 0),
        evidence=[money_evidence("copay", charged, expected, f"plan copay for {label}")],
        actions=[
            call_insurer(
                claim,
                charged_lines[0],
                f"a copay of {dollars(charged)} for a {label} visit, but my plan's {label} copay is "
                f"{dollars(expected)}",
            )
        ],
    )

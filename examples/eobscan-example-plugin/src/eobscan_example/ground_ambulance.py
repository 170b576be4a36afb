"""California's ground ambulance law: an out-of-network ambulance ride costs in-network cost sharing.

The federal No Surprises Act covers air ambulances but not ground ambulances, so a patient carried
by an ambulance company outside their plan's network can be billed the difference between its
charge and what the plan allowed. Since 2024 California forbids that for the coverage it
regulates: a plan or insurer must charge no more than the "in-network cost-sharing amount", and
the ambulance company may not bill or send to collections anything above it (Health and Safety
Code section 1371.56 for health care service plans, Insurance Code section 10126.66 for health
insurance policies, both added by AB 716).

What the EOB cannot tell us is whether the coverage is state-regulated: a self-funded employer
plan is governed by federal law (ERISA) and is outside the state law. So the rule is a warning of
medium confidence, and its message says on which condition the dollars are saved.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence

from eobscan_example.codes import AIR_AMBULANCE_CODES, GROUND_AMBULANCE_CODES
from eobscan_example.references import GROUND_AMBULANCE_LAW
from scanner import hookimpl
from scanner.checks import CheckContext
from scanner.model import Action, Claim, Evidence, Finding, Plan, Rule, RuleDocs, ServiceLine
from scanner.money import dollars, format_money

CHECK = "ca_ground_ambulance"
VERSION = "1.0.0"

#: Contracts and policies issued, amended or renewed on or after this date are covered. A plan
#: year that started earlier may not be yet; services before it certainly are not.
EFFECTIVE = dt.date(2024, 1, 1)

DISPUTE_SCRIPT = (
    "Hello, I'm calling about the ambulance transport on {service_date} for claim {claim_number}. "
    "My insurer processed it as out of network. Under California Health and Safety Code section "
    "1371.56 (or Insurance Code section 10126.66 for an insurance policy), I owe a noncontracting "
    "ground ambulance provider no more than my in-network cost-sharing amount, which my insurer "
    "sets. Please correct my balance to that amount and do not send anything above it to "
    "collections. Please send me the corrected statement in writing."
)

ABOVE_IN_NETWORK_COST_SHARING = Rule(
    code="CGA001",
    name="ground-ambulance-charged-above-in-network-cost-sharing",
    check=CHECK,
    error_class="network",
    severity="warning",
    summary=(
        "An out-of-network ground ambulance ride leaves you more than in-network cost sharing, "
        "which California law caps for the plans it regulates."
    ),
    docs=RuleDocs(
        what_it_checks=(
            "For each ground ambulance line (HCPCS A0425-A0429, A0433, A0434, or an ambulance "
            "provider) processed out of network on or after January 1, 2024: whether your "
            "responsibility includes anything beyond the deductible, copay and coinsurance (the "
            "ambulance company's charge above the plan's allowance), and, when you gave your "
            "plan's in-network coinsurance rate, whether the coinsurance was taken at a higher "
            "rate."
        ),
        why_it_matters=(
            "The federal No Surprises Act protects you from surprise bills for air ambulances but "
            "not for ground ambulances. California does: for plans and policies it regulates, you "
            "pay only the in-network cost-sharing amount, the insurer must tell you that amount "
            "when it pays, and the ambulance company may only send that amount to collections."
        ),
        example=(
            "An out-of-network company bills $2,400.00 for an emergency transport (A0427). The "
            "plan allows $900.00, pays $720.00, and takes $180.00 of coinsurance; the EOB leaves "
            "you $1,680.00. The $1,500.00 above your coinsurance is at stake. With a plan whose "
            "in-network coinsurance is 10%, $90.00 of the coinsurance is at stake too: $1,590.00."
        ),
        what_to_do=(
            "Find out whether your coverage is regulated by California: the insurer must say so "
            "when it pays the ambulance company, and your plan documents name the Department of "
            "Managed Health Care or the Department of Insurance. Self-funded employer plans are "
            "not. If it is, ask the insurer to confirm your in-network cost-sharing amount and "
            "to reprocess the line at it, and send the ambulance company a written dispute of "
            "everything above it."
        ),
        references=GROUND_AMBULANCE_LAW,
    ),
)


def is_ground_ambulance(claim: Claim, line: ServiceLine) -> bool:
    code = (line.code or "").upper()
    if code in AIR_AMBULANCE_CODES:
        return False
    role = claim.provider.role if claim.provider else None
    return code in GROUND_AMBULANCE_CODES or role == "ambulance"


def is_out_of_network(claim: Claim, line: ServiceLine) -> bool:
    if line.network != "unknown":
        return line.network == "out"
    return claim.provider is not None and claim.provider.network == "out"


def cost_sharing(line: ServiceLine) -> int | None:
    """Deductible + copay + coinsurance as printed, or, when none is printed, the allowance the
    plan did not pay; ``None`` when the EOB prints neither."""
    parts = [line.deductible, line.copay, line.coinsurance]
    if any(part is not None for part in parts):
        return sum(part or 0 for part in parts)
    if line.allowed is not None and line.plan_paid is not None:
        return max(line.allowed - line.plan_paid, 0)
    return None


def coinsurance_above_in_network(line: ServiceLine, plan: Plan | None) -> tuple[int, int] | None:
    """(in-network coinsurance, excess) when the plan's in-network rate is known and lower."""
    if plan is None or plan.coinsurance_in_network is None:
        return None
    if line.coinsurance is None or line.allowed is None:
        return None
    base = max(line.allowed - (line.deductible or 0) - (line.copay or 0), 0)
    in_network = (base * plan.coinsurance_in_network + 50) // 100  # half a cent rounds up
    excess = line.coinsurance - in_network
    return (in_network, excess) if excess > 0 else None


def _when(line: ServiceLine, claim: Claim) -> dt.date | None:
    return line.service_date or claim.service_start


def _finding(claim: Claim, line: ServiceLine, plan: Plan | None) -> Finding | None:
    owed = line.patient_responsibility
    shared = cost_sharing(line)
    if owed is None or shared is None:
        return None
    balance = max(owed - shared, 0)
    coinsurance = coinsurance_above_in_network(line, plan)
    at_stake = min(balance + (coinsurance[1] if coinsurance else 0), owed)
    if at_stake <= 0:
        return None
    service = f"code {line.code}" if line.code else f"line {line.id}"
    when = _when(line, claim)
    parts = []
    if balance:
        parts.append(f"{dollars(balance)} above your deductible, copay and coinsurance")
    if coinsurance:
        parts.append(
            f"{dollars(coinsurance[1])} of coinsurance above the in-network "
            f"{plan.coinsurance_in_network if plan else 0}% ({dollars(coinsurance[0])})"
        )
    evidence = [
        Evidence(field="network", value="out", note="processed out of network"),
        Evidence(
            field="patient_responsibility",
            value=format_money(owed),
            expected=format_money(owed - at_stake),
            note="at most the in-network cost-sharing amount",
        ),
    ]
    if coinsurance:
        evidence.append(
            Evidence(
                field="coinsurance",
                value=format_money(line.coinsurance or 0),
                expected=format_money(coinsurance[0]),
                note="at the plan's in-network rate",
            )
        )
    return ABOVE_IN_NETWORK_COST_SHARING.finding(
        claim_id=claim.id,
        line_ids=[line.id],
        confidence="medium",
        title="Out-of-network ground ambulance: you may owe only in-network cost sharing",
        message=(
            f"{service} on {when.isoformat() if when else 'the date of service'} is a ground "
            f"ambulance ride processed out of network, and the EOB leaves you {dollars(owed)}: "
            + " and ".join(parts)
            + f". If California regulates your plan, up to {dollars(at_stake)} is not yours to pay."
        ),
        amount_at_stake=at_stake,
        evidence=evidence,
        actions=_actions(line, when, coinsurance is not None),
    )


def _actions(line: ServiceLine, when: dt.date | None, reprocess: bool) -> list[Action]:
    script = DISPUTE_SCRIPT.format(
        service_date=when.isoformat() if when else "the date of service", claim_number="{claim_number}"
    )
    return [
        Action(
            kind="request_reprocessing" if reprocess else "call_insurer",
            who="your insurer (the member services number on your card)",
            summary=(
                "Ask whether California regulates your coverage, what your in-network cost-sharing "
                "amount for this ride is, and to reprocess the line at it."
            ),
            template="reprocessing_request" if reprocess else None,
        ),
        Action(
            kind="dispute_bill",
            who="the ambulance company's billing office",
            summary="Dispute in writing any balance above the in-network cost-sharing amount.",
            script=script,
            template="balance_billing_dispute",
        ),
    ]


class CaliforniaGroundAmbulanceCheck:
    """Out-of-network ground ambulance lines charged above in-network cost sharing."""

    name = CHECK
    version = VERSION
    rules: Sequence[Rule] = (ABOVE_IN_NETWORK_COST_SHARING,)

    def check(self, claims: Sequence[Claim], context: CheckContext) -> Iterable[Finding]:
        for claim in claims:
            yield from self._claim(claim, context.plan)

    def _claim(self, claim: Claim, plan: Plan | None) -> Iterator[Finding]:
        for line in claim.lines:
            when = _when(line, claim)
            if when is None or when < EFFECTIVE or line.denied:
                continue
            if not (is_ground_ambulance(claim, line) and is_out_of_network(claim, line)):
                continue
            finding = _finding(claim, line, plan)
            if finding is not None:
                yield finding


@hookimpl
def eobscan_register_checks(register: Callable[[object], None]) -> None:
    register(CaliforniaGroundAmbulanceCheck())

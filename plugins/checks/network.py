"""Network and No Surprises Act: out-of-network prices where the patient owes in-network ones.

Two different facts make an out-of-network price wrong:

- the provider is in the plan's network, yet the line was processed at the out-of-network level
  (usually a directory or credentialing error at the insurer);
- the provider is out of network, but the No Surprises Act protects the care: emergencies,
  ancillary care (anesthesia, radiology, pathology...) and other out-of-network clinicians during
  a visit to an in-network facility, and air ambulance transport. The patient then owes only the
  in-network cost sharing, and the provider may not bill the rest (balance billing).

Each line gets at most one of NET001-NET006, the strongest reason that applies, so the same
dollars are never claimed twice under two codes. The remark rules (NET007, NET008) speak only
when no other rule already covers the line, and NET009 (a network gap exception) is a saving to
ask for, not an error.

How "in-network cost sharing" is computed is in ``_network/money.py``; the rules and their
documentation are in ``_network/rules.py``, the scripts and messages in ``_network/wording.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence

from plugins.checks._insurer.preventive import (
    ScreeningDays,
    owes_nothing_in_network,
    screening_colonoscopy_days,
)
from plugins.checks._network.money import (
    NO_TERMS,
    Excess,
    InNetworkTerms,
    balance_billed,
    bill_beyond_eob,
    excess,
)
from plugins.checks._network.rules import (
    AIR_AMBULANCE_OUT_OF_NETWORK,
    ANCILLARY_OUT_OF_NETWORK,
    CHECK,
    EMERGENCY_OUT_OF_NETWORK,
    FACILITY_OUT_OF_NETWORK,
    IN_NETWORK_PROCESSED_OUT,
    NETWORK_GAP,
    NSA_MAY_APPLY,
    NSA_NOT_APPLIED,
    REMARK_PROTECTION_IGNORED,
    VERSION,
)
from plugins.checks._network.wording import (
    CONFIRM_NETWORK_SCRIPT,
    CONSENT_QUESTION_SCRIPT,
    EMERGENCY_NETWORK_UNSAID,
    HELP_DESK,
    INSURER,
    NSA_APPEAL_SCRIPT,
    NSA_COMPLAINT_SCRIPT,
    NSA_PROVIDER_SCRIPT,
    NSA_REPROCESS_SCRIPT,
    PROVIDER,
    REPROCESS_IN_NETWORK_SCRIPT,
    SITUATIONS,
    TELL_WHERE_SCRIPT,
    appeal_deadline,
    at_stake_text,
    date_text,
    excess_evidence,
    excess_text,
    gap_action,
    money_evidence,
    network_evidence,
    remark_evidence,
    script,
    sentence,
    service,
)
from scanner import hookimpl
from scanner.accumulators import Replay
from scanner.checks import CheckContext
from scanner.deadlines import appeal_due
from scanner.model import Action, Bill, Claim, Confidence, Finding, Plan, Rule, ServiceLine, Severity
from scanner.money import dollars
from scanner.networks import billing_network, line_network
from scanner.reference.nsa import NsaRemark, NsaTables, Protection, load_nsa, out_of_network_involved

__all__ = ["NetworkCheck", "balance_billed", "eobscan_register_checks"]

# --- the rules ----------------------------------------------------------------------------------


def in_network_processed_out(
    claim: Claim, line: ServiceLine, plan: Plan | None, nsa: NsaTables, terms: InNetworkTerms = NO_TERMS
) -> Finding | None:
    if line.network != "out" or billing_network(claim) != "in":
        return None
    found = excess(claim, line, plan, nsa, terms)
    if found.amount <= 0:
        return None
    problem = excess_text(found)
    actions = [
        Action(
            kind="request_reprocessing",
            who=INSURER,
            summary="Ask the insurer to reprocess the line at the in-network level.",
            script=script(
                REPROCESS_IN_NETWORK_SCRIPT,
                service=service(line),
                service_date=date_text(claim, line),
                problem=problem,
            ),
            template="reprocessing_request",
        ),
        Action(
            kind="call_provider",
            who=PROVIDER,
            summary="Ask the provider to confirm its network status to the insurer and to hold the account.",
            script=script(CONFIRM_NETWORK_SCRIPT, service=service(line), service_date=date_text(claim, line)),
        ),
    ]
    return IN_NETWORK_PROCESSED_OUT.finding(
        claim_id=claim.id,
        line_ids=[line.id],
        confidence="high" if found.known else "medium",
        title="In-network provider processed as out of network",
        message=(
            f"The provider is in your plan's network, but {service(line)} on {date_text(claim, line)} was "
            f"processed at the out-of-network level: the EOB charges {problem}. {at_stake_text(found)}"
        ),
        amount_at_stake=found.amount,
        evidence=[
            *network_evidence(claim, line),
            *excess_evidence(found),
            money_evidence("allowed", line.allowed),
        ],
        actions=actions,
    )


_PROTECTION_RULES: dict[Protection, Rule] = {
    "emergency": EMERGENCY_OUT_OF_NETWORK,
    "ancillary": ANCILLARY_OUT_OF_NETWORK,
    "air_ambulance": AIR_AMBULANCE_OUT_OF_NETWORK,
    "facility": FACILITY_OUT_OF_NETWORK,
    "remark": REMARK_PROTECTION_IGNORED,
}

_TITLES: dict[Protection, str] = {
    "emergency": "Emergency care charged out-of-network prices",
    "ancillary": "Out-of-network ancillary care at an in-network facility",
    "air_ambulance": "Out-of-network air ambulance charged more than in-network cost sharing",
    "facility": "Out-of-network clinician at an in-network facility",
    "remark": "Protected care charged more than in-network cost sharing",
}


def protected_care(
    claim: Claim,
    line: ServiceLine,
    plan: Plan | None,
    nsa: NsaTables,
    bills: Sequence[Bill],
    terms: InNetworkTerms = NO_TERMS,
) -> Finding | None:
    protection = nsa.protection(claim, line)
    if protection is None:
        return None
    found = excess(claim, line, plan, nsa, terms)
    if found.amount <= 0:
        return None
    rule = _PROTECTION_RULES[protection]
    situation = _situation(claim, line, protection)
    billed_more = bill_beyond_eob(claim, bills)
    remarks = nsa.line_remarks(line)
    severity, confidence = _protected_levels(claim, line, protection, found, nsa)
    message = (
        f"{sentence(service(line))} on {date_text(claim, line)} was {situation}"
        f"{_consent_caveat(protection)}. The No Surprises Act limits you to in-network cost sharing, "
        f"but the EOB charges {excess_text(found)}. {at_stake_text(found)}"
    )
    if billed_more:
        message += f" The provider's bill also asks {dollars(billed_more)} more than the EOB says you owe."
    evidence = [*network_evidence(claim, line), *excess_evidence(found), *remark_evidence(remarks)]
    if billed_more:
        evidence.append(
            money_evidence("bill.amount_due_beyond_eob", billed_more, 0, "a protected balance is billed")
        )
    return rule.finding(
        claim_id=claim.id,
        line_ids=[line.id],
        severity=severity,
        confidence=confidence,
        title=_TITLES[protection],
        message=message,
        amount_at_stake=found.amount,
        evidence=evidence,
        actions=_protected_actions(claim, line, protection, found, billed_more, remarks),
    )


def _situation(claim: Claim, line: ServiceLine, protection: Protection) -> str:
    """What the care was, in words; emergency care whose network the EOB does not say is
    protected too, and the words must not claim it was out of network."""
    if protection == "emergency" and not out_of_network_involved(claim, line):
        return EMERGENCY_NETWORK_UNSAID
    return SITUATIONS[protection]


def _consent_caveat(protection: Protection) -> str:
    if protection == "facility":
        return " (protected unless you signed a valid notice and consent form)"
    return ""


def _protected_levels(
    claim: Claim, line: ServiceLine, protection: Protection, found: Excess, nsa: NsaTables
) -> tuple[Severity, Confidence]:
    """Errors when we can compute the excess; a warning when only the plan could tell."""
    rule = _PROTECTION_RULES[protection]
    if protection == "facility":
        return rule.severity, "medium"
    if not found.known and found.balance == 0:
        return "warning", "medium"
    role_known = claim.provider is not None and claim.provider.role not in (None, "other")
    inferred = protection == "ancillary" and not role_known
    return rule.severity, "high" if found.known and not inferred else "medium"


def _protected_actions(
    claim: Claim,
    line: ServiceLine,
    protection: Protection,
    found: Excess,
    billed_more: int,
    remarks: Sequence[NsaRemark],
) -> list[Action]:
    situation = _situation(claim, line, protection)
    what, day = service(line), date_text(claim, line)
    actions: list[Action] = []
    if protection == "facility":
        actions.append(
            Action(
                kind="call_provider",
                who=PROVIDER,
                summary="Ask whether you signed a notice and consent form, and for a copy.",
                script=script(CONSENT_QUESTION_SCRIPT, service_date=day),
            )
        )
    actions.append(
        Action(
            kind="request_reprocessing",
            who=INSURER,
            summary="Ask the insurer to reprocess the line with in-network cost sharing.",
            script=script(
                NSA_REPROCESS_SCRIPT,
                service=what,
                service_date=day,
                situation=situation,
                problem=excess_text(found),
            ),
            template="reprocessing_request",
        )
    )
    balance = found.balance + billed_more
    if balance:
        in_network = f" of {dollars(found.in_network)}" if found.in_network is not None else ""
        actions.append(
            Action(
                kind="dispute_bill",
                who=PROVIDER,
                summary="Tell the provider the balance is prohibited and ask them to remove it.",
                script=script(
                    NSA_PROVIDER_SCRIPT,
                    service_date=day,
                    situation=situation,
                    in_network=in_network,
                    balance=dollars(balance),
                ),
                template="balance_billing_dispute",
            )
        )
        actions.append(
            Action(
                kind="file_complaint",
                who=HELP_DESK,
                summary="If the provider keeps billing the protected balance, file a complaint.",
                script=script(
                    NSA_COMPLAINT_SCRIPT, service_date=day, situation=situation, balance=dollars(balance)
                ),
                template="nsa_complaint",
            )
        )
    if protection == "facility":
        actions.append(gap_action(claim, line))
    if any(remark.effect == "not_applied" for remark in remarks):
        appeal = appeal_deadline(claim)
        if appeal is not None:
            actions.append(appeal)
    return actions


def nsa_not_applied(
    claim: Claim, line: ServiceLine, plan: Plan | None, nsa: NsaTables, terms: InNetworkTerms = NO_TERMS
) -> Finding | None:
    remarks = [r for r in nsa.line_remarks(line) if r.effect == "not_applied"]
    if not remarks:
        return None
    found = excess(claim, line, plan, nsa, terms)
    computable = found.known and found.amount > 0
    at_stake = found.amount if computable else 0
    consequence = (
        f"The line charges {excess_text(found)}: {dollars(at_stake)} is at stake if the appeal succeeds."
        if computable
        else "If the care was protected, the appeal would bring your share down to in-network cost sharing."
    )
    actions = [
        Action(
            kind="appeal_internal",
            who=INSURER,
            summary="Ask why the law does not apply, and appeal if the care was protected.",
            script=script(NSA_APPEAL_SCRIPT, service=service(line), service_date=date_text(claim, line)),
            deadline=appeal_due(claim),
            template="appeal_internal_level1",
        )
    ]
    return NSA_NOT_APPLIED.finding(
        claim_id=claim.id,
        line_ids=[line.id],
        confidence="medium" if computable else "low",
        title="The insurer did not apply the No Surprises Act",
        message=(
            f"Remark N885 on {service(line)} ({date_text(claim, line)}) says the insurer did not apply the "
            "No Surprises Act because it disagrees that the law applies. You can appeal if the care was "
            "an emergency, an air ambulance, or given during a visit to an in-network facility. "
            f"{consequence}"
        ),
        amount_at_stake=at_stake,
        evidence=[*network_evidence(claim, line), *remark_evidence(remarks)],
        actions=actions,
    )


def nsa_may_apply(claim: Claim, line: ServiceLine, nsa: NsaTables) -> Finding | None:
    remarks = [r for r in nsa.line_remarks(line) if r.effect == "may_apply"]
    if not remarks:
        return None
    return NSA_MAY_APPLY.finding(
        claim_id=claim.id,
        line_ids=[line.id],
        title="Tell the insurer where the care took place",
        message=(
            f"Remark N884 on {service(line)} ({date_text(claim, line)}): the No Surprises Act may apply, "
            "and the insurer asks whether the care was given during a visit to an in-network facility. "
            "If it was, tell the insurer so that the line gets in-network cost sharing."
        ),
        amount_at_stake=0,
        evidence=remark_evidence(remarks),
        actions=[
            Action(
                kind="call_insurer",
                who=INSURER,
                summary="Tell the insurer where the care took place.",
                script=script(TELL_WHERE_SCRIPT, service=service(line), service_date=date_text(claim, line)),
            )
        ],
    )


def network_gap(
    claim: Claim, line: ServiceLine, plan: Plan | None, nsa: NsaTables, terms: InNetworkTerms = NO_TERMS
) -> Finding | None:
    if line_network(claim, line) != "out" or billing_network(claim) == "in":
        return None
    if nsa.protection(claim, line) is not None or nsa.emergency_claim(claim):
        return None
    found = excess(claim, line, plan, nsa, terms)
    saving = min(found.over_cost_sharing, found.charged) if found.known else 0
    if saving <= 0:
        return None
    return NETWORK_GAP.finding(
        claim_id=claim.id,
        line_ids=[line.id],
        confidence="low",
        title="Ask for a network gap exception",
        message=(
            f"{sentence(service(line))} on {date_text(claim, line)} was out of network: "
            f"{dollars(found.cost_sharing)} of cost sharing where in-network cost sharing would be "
            f"{dollars(found.in_network or 0)}. If no in-network provider was available to you, a "
            f"network gap exception could save {dollars(saving)}."
        ),
        amount_at_stake=saving,
        evidence=[*network_evidence(claim, line), *excess_evidence(found)],
        actions=[gap_action(claim, line)],
    )


def _skipped(line: ServiceLine) -> bool:
    """Denied lines belong to the denial check; reversal lines cancel another line."""
    amounts = (line.billed, line.allowed, line.patient_responsibility, line.deductible, line.coinsurance)
    return line.denied or any(amount is not None and amount < 0 for amount in amounts)


class NetworkCheck:
    """Out-of-network prices where the patient owes in-network ones."""

    name = CHECK
    version = VERSION
    rules: Sequence[Rule] = (
        IN_NETWORK_PROCESSED_OUT,
        EMERGENCY_OUT_OF_NETWORK,
        ANCILLARY_OUT_OF_NETWORK,
        AIR_AMBULANCE_OUT_OF_NETWORK,
        FACILITY_OUT_OF_NETWORK,
        REMARK_PROTECTION_IGNORED,
        NSA_NOT_APPLIED,
        NSA_MAY_APPLY,
        NETWORK_GAP,
    )

    def check(self, claims: Sequence[Claim], context: CheckContext) -> Iterable[Finding]:
        nsa = load_nsa()
        screening_days = screening_colonoscopy_days(claims, context.reference.preventive)
        replayed = context.accumulated(claims) if context.plan is not None else None
        for claim in claims:
            for line in claim.lines:
                if not _skipped(line):
                    terms = _terms(claim, line, context, replayed, screening_days)
                    yield from _line_findings(claim, line, context, nsa, terms)


def _terms(
    claim: Claim,
    line: ServiceLine,
    context: CheckContext,
    replayed: Replay | None,
    screening_days: ScreeningDays,
) -> InNetworkTerms:
    """What the line would owe in network, besides the plan's rates (for lines processed out)."""
    plan = context.plan
    if plan is None or replayed is None or line_network(claim, line) != "out":
        return NO_TERMS
    deductible_left, oop_left = replayed.most_left(claim.member)
    return InNetworkTerms(
        free=owes_nothing_in_network(claim, line, plan, context.reference.preventive, screening_days),
        deductible_left=deductible_left,
        oop_left=oop_left,
    )


def _line_findings(
    claim: Claim, line: ServiceLine, context: CheckContext, nsa: NsaTables, terms: InNetworkTerms
) -> Iterator[Finding]:
    """At most one finding of NET001-NET006 per line; the remark rules only where none applies."""
    plan = context.plan
    primary = in_network_processed_out(claim, line, plan, nsa, terms) or protected_care(
        claim, line, plan, nsa, context.bills, terms
    )
    if primary is None:
        primary = nsa_not_applied(claim, line, plan, nsa, terms) or network_gap(claim, line, plan, nsa, terms)
    if primary is not None:
        yield primary
    may_apply = nsa_may_apply(claim, line, nsa)
    if may_apply is not None:
        yield may_apply


@hookimpl
def eobscan_register_checks(register: Callable[[object], None]) -> None:
    register(NetworkCheck())

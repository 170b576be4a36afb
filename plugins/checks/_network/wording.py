"""What the network findings say: call scripts, messages and evidence.

Scripts keep the placeholders ``{claim_number}``, ``{member_id}``, ``{provider_name}`` and
``{patient_name}`` literally; the client fills them in locally.
"""

from __future__ import annotations

from collections.abc import Iterable

from plugins.checks._network.money import Excess
from scanner.deadlines import appeal_due
from scanner.model import Action, Claim, Evidence, ServiceLine
from scanner.money import dollars, format_money
from scanner.reference.nsa import NsaRemark, Protection
from scanner.totals_line import service_name

INSURER = "your insurer (the member services number on your card)"
PROVIDER = "the provider's billing office (the number on the bill)"
HELP_DESK = "the federal No Surprises Help Desk, 1-800-985-3059"

#: Placeholders the client fills in locally; they stay literal in every script.
PLACEHOLDERS = {
    "claim_number": "{claim_number}",
    "member_id": "{member_id}",
    "provider_name": "{provider_name}",
    "patient_name": "{patient_name}",
}

REPROCESS_IN_NETWORK_SCRIPT = (
    "Hello, I'm calling about claim {claim_number} for member {member_id}. {provider_name} is "
    "in my plan's network, but the line for {service} on {service_date} was processed at the "
    "out-of-network level: {problem}. Could you check the provider's network status for that "
    "date, reprocess the line at the in-network level, and send me a corrected EOB? Please give "
    "me a reference number for this call."
)

CONFIRM_NETWORK_SCRIPT = (
    "Hello, I'm calling about my account for {patient_name}. My insurer processed claim "
    "{claim_number} for {service} on {service_date} as out of network. Can you confirm that you "
    "were in network with my plan on that date, and tell the insurer so? Please hold the "
    "account while the claim is reprocessed."
)

NSA_REPROCESS_SCRIPT = (
    "Hello, I'm calling about claim {claim_number} for member {member_id}. The line for "
    "{service} on {service_date} was {situation}, which the No Surprises Act protects: my cost "
    "sharing must be the in-network amount and must count toward my in-network deductible and "
    "out-of-pocket maximum. The EOB shows {problem}. Please reprocess the line at the in-network "
    "level and send me a corrected EOB. May I have a reference number for this call?"
)

NSA_PROVIDER_SCRIPT = (
    "Hello, I'm calling about my account for {patient_name}, claim {claim_number}. The care on "
    "{service_date} was {situation}, which the No Surprises Act protects, so you may bill me "
    "only my in-network cost sharing{in_network}. Please remove the balance of {balance} and "
    "hold the account while my insurer reprocesses the claim. If the balance stays, I will file "
    "a complaint with the No Surprises Help Desk."
)

NSA_COMPLAINT_SCRIPT = (
    "I'd like to file a No Surprises Act complaint. On {service_date} I received {situation}. "
    "{provider_name} is asking me to pay {balance} above my in-network cost sharing, although "
    "balance billing is prohibited for this care. My insurer's claim number is {claim_number}. "
    "I can send the EOB and the bill."
)

CONSENT_QUESTION_SCRIPT = (
    "Hello, I'm calling about my account for {patient_name}, claim {claim_number}. For the care "
    "on {service_date}, did I sign a notice and consent form agreeing to be treated out of "
    "network? If so, please send me a copy showing when it was signed. If not, the No Surprises "
    "Act limits what you may bill me to my in-network cost sharing."
)

NETWORK_GAP_SCRIPT = (
    "Hello, I'm calling about claim {claim_number} for member {member_id}. The line for "
    "{service} on {service_date} was processed out of network. No in-network provider for this "
    "care was available to me within a reasonable distance or time. I'd like to request a "
    "network gap exception so the line is reprocessed at the in-network level. What do you need "
    "from me or from my doctor to decide it?"
)

NSA_APPEAL_SCRIPT = (
    "I'm appealing the processing of claim {claim_number} for member {member_id}. The EOB's "
    "remark N885 says the No Surprises Act was not applied to {service} on {service_date}. The "
    "care was protected: [say whether it was an emergency, an air ambulance, or care during a "
    "visit to an in-network facility]. Please apply in-network cost sharing and confirm that the "
    "provider may not balance bill me."
)

TELL_WHERE_SCRIPT = (
    "Hello, I'm calling about claim {claim_number} for member {member_id}. The EOB's remark "
    "N884 asks whether {service} on {service_date} was furnished during a visit to an in-network "
    "facility. It was [name the hospital or surgery center]. Please process the line under the "
    "No Surprises Act and send me a corrected EOB."
)

#: Emergency care on an EOB that does not say who was in network (protected either way).
EMERGENCY_NETWORK_UNSAID = "emergency care (the EOB does not say whether the provider was in network)"

SITUATIONS: dict[Protection, str] = {
    "emergency": "emergency care from an out-of-network provider or facility",
    "ancillary": "ancillary care by an out-of-network provider during a visit to an in-network facility",
    "facility": "care by an out-of-network provider during a visit to an in-network facility",
    "air_ambulance": "an out-of-network air ambulance transport",
    "remark": "care the insurer's own remark code says the No Surprises Act protects",
}


def script(template: str, **values: str) -> str:
    return template.format(**PLACEHOLDERS, **values)


def sentence(text: str) -> str:
    """Capitalise the first letter only: "code a0431" would lose its code's case."""
    return text[:1].upper() + text[1:]


def service(line: ServiceLine) -> str:
    return service_name(line)


def date_text(claim: Claim, line: ServiceLine) -> str:
    day = line.service_date or claim.service_start
    return day.isoformat() if day else "the date of service"


def money_evidence(
    field: str, value: int | None, expected: int | None = None, note: str | None = None
) -> Evidence:
    return Evidence(
        field=field,
        value=None if value is None else format_money(value),
        expected=None if expected is None else format_money(expected),
        note=note,
    )


def network_evidence(claim: Claim, line: ServiceLine) -> list[Evidence]:
    evidence = [Evidence(field="line.network", value=line.network)]
    for name, party in (("provider", claim.provider), ("facility", claim.facility)):
        if party is not None:
            role = f"role {party.role}" if party.role else None
            evidence.append(Evidence(field=f"{name}.network", value=party.network, note=role))
    return evidence


def remark_evidence(remarks: Iterable[NsaRemark]) -> list[Evidence]:
    return [Evidence(field="remarks", value=r.code, note=f"{r.text} {r.what_to_do}") for r in remarks]


def excess_evidence(found: Excess) -> list[Evidence]:
    evidence = [
        money_evidence(
            "cost_sharing", found.cost_sharing, found.in_network, "in-network cost sharing" + _why_less(found)
        )
    ]
    if found.balance:
        evidence.append(money_evidence("balance_billed", found.balance, 0, "charges above the cost sharing"))
    return evidence


def _why_less(found: Excess) -> str:
    """Why in-network cost sharing is less than the plan's rates alone would say, if it is."""
    if found.terms.free:
        return " (preventive care owes nothing in network)"
    if found.terms.maximum_met:
        return " (your in-network out-of-pocket maximum was already met)"
    return ""


def excess_text(found: Excess) -> str:
    """What the line charges too much, in words: '... $400.00 of cost sharing where ... $160.00'."""
    parts = []
    if found.processed_out:
        if found.in_network is None:
            parts.append(f"{dollars(found.cost_sharing)} of out-of-network cost sharing")
        elif found.cost_sharing > found.in_network:
            parts.append(
                f"{dollars(found.cost_sharing)} of out-of-network cost sharing where in-network "
                f"cost sharing would be {dollars(found.in_network)}" + _why_less(found)
            )
        # Cost sharing no higher than in network is not an excess: only the balance is said.
    if found.balance:
        parts.append(f"a balance of {dollars(found.balance)} above the cost sharing")
    return " and ".join(parts) if parts else "no excess"


def at_stake_text(found: Excess) -> str:
    if found.known:
        return f"{dollars(found.amount)} is at stake."
    return (
        f"Without your plan's in-network rates we cannot compute the in-network share, so up to "
        f"{dollars(found.amount)} is at stake."
    )


def appeal_deadline(claim: Claim) -> Action | None:
    if claim.processed_date is None:
        return None
    due = appeal_due(claim)
    return Action(
        kind="appeal_internal",
        who=INSURER,
        summary="If the insurer will not reprocess the line, file an internal appeal by this date.",
        deadline=due,
        template="appeal_internal_level1",
    )


def gap_action(claim: Claim, line: ServiceLine) -> Action:
    return Action(
        kind="call_insurer",
        who=INSURER,
        summary="If no in-network provider was available, ask for a network gap exception.",
        script=script(NETWORK_GAP_SCRIPT, service=service(line), service_date=date_text(claim, line)),
        template="network_gap_exception",
    )

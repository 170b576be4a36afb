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

What "in-network cost sharing" means here: the deductible the line charged (we never assume the
in-network deductible was met), the plan's in-network copay for the kind of visit, and the plan's
in-network coinsurance rate on the rest of the allowed amount. Without the plan's rates we cannot
compute it; the rules then say "up to" and lower their confidence.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from scanner import hookimpl
from scanner.checks import CheckContext
from scanner.deadlines import internal_appeal
from scanner.model import (
    Action,
    Bill,
    Claim,
    Confidence,
    CopayKind,
    Evidence,
    Finding,
    Party,
    Plan,
    Rule,
    RuleDocs,
    ServiceLine,
    Severity,
)
from scanner.money import dollars, format_money
from scanner.reference.adjustment_codes import normalize_carc
from scanner.reference.citations import cite
from scanner.reference.nsa import NsaRemark, NsaTables, Protection, load_nsa

CHECK = "network"
VERSION = "1.0"

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

SITUATIONS: dict[Protection, str] = {
    "emergency": "emergency care from an out-of-network provider or facility",
    "ancillary": "ancillary care by an out-of-network provider during a visit to an in-network facility",
    "facility": "care by an out-of-network provider during a visit to an in-network facility",
    "air_ambulance": "an out-of-network air ambulance transport",
    "remark": "care the insurer's own remark code says the No Surprises Act protects",
}


def _rule(code: str, name: str, severity: Severity, summary: str, docs: RuleDocs) -> Rule:
    return Rule(
        code=code,
        name=name,
        check=CHECK,
        error_class="network",
        severity=severity,
        summary=summary,
        docs=docs,
    )


IN_NETWORK_PROCESSED_OUT = _rule(
    "NET001",
    "in-network-provider-processed-out-of-network",
    "error",
    "An in-network provider's line was processed at the out-of-network level.",
    RuleDocs(
        what_it_checks=(
            "Lines processed at the out-of-network level although the provider (or, for a facility "
            "claim, the facility) is marked in network. The amount at stake is the cost sharing "
            "charged minus the in-network cost sharing (the line's deductible, the plan's in-network "
            "copay for the kind of visit, the plan's in-network coinsurance on the rest of the "
            "allowed amount), plus anything charged above the cost sharing. Without the plan's "
            "rates, the whole amount you are asked to pay is at stake, with medium confidence."
        ),
        why_it_matters=(
            "Out-of-network processing of an in-network provider is one of the most common insurer "
            "errors: an outdated directory, a new practice location, a provider number that did not "
            "match. It raises your coinsurance, sends the cost sharing to the wrong accumulator, and "
            "may let the provider bill you more than the contracted rate."
        ),
        example=(
            "An in-network specialist's visit: allowed $200.00, processed out of network with 50% "
            "coinsurance ($100.00). Your plan's in-network coinsurance is 20%, $40.00: $60.00 is at "
            "stake."
        ),
        what_to_do=(
            "Call the insurer and ask for the line to be reprocessed at the in-network level; ask "
            "the provider's office to confirm its network status for the date of service. Do not "
            "pay the difference meanwhile."
        ),
        references=[cite("erisa-claims-procedure"), cite("aca-appeals-external-review")],
    ),
)

EMERGENCY_OUT_OF_NETWORK = _rule(
    "NET002",
    "emergency-care-charged-out-of-network",
    "error",
    "Emergency care was charged out-of-network cost sharing or a balance.",
    RuleDocs(
        what_it_checks=(
            "Emergency care (the EOB's emergency flag, place of service 23, emergency room revenue "
            "codes 045x, emergency department visit codes 99281-99285, or the insurer's remark N864) "
            "from an out-of-network provider or facility, when the line charges more than in-network "
            "cost sharing: out-of-network cost sharing, or a balance above the cost sharing (for "
            "example a PR-45 'charges exceed the allowance' amount). The excess is at stake."
        ),
        why_it_matters=(
            "Under the No Surprises Act, emergency care is covered without prior authorization and "
            "at in-network cost sharing wherever you went, and neither the hospital nor its doctors "
            "may bill you the difference. That cost sharing also counts toward your in-network "
            "deductible and out-of-pocket maximum."
        ),
        example=(
            "An out-of-network emergency physician: allowed $800.00, you are charged 50% "
            "coinsurance ($400.00) and a $600.00 balance. In-network coinsurance of 20% would be "
            "$160.00: $240.00 + $600.00 = $840.00 is at stake."
        ),
        what_to_do=(
            "Ask the insurer to reprocess the line at the in-network level. Tell the provider that "
            "the balance is prohibited and ask them to remove it; if they keep billing it, file a "
            "complaint with the No Surprises Help Desk (1-800-985-3059)."
        ),
        references=[
            cite("nsa-plan-emergency"),
            cite("nsa-emergency"),
            cite("nsa-complaints"),
            cite("nsa-provider-complaints"),
        ],
    ),
)

ANCILLARY_OUT_OF_NETWORK = _rule(
    "NET003",
    "ancillary-provider-charged-out-of-network",
    "error",
    "An out-of-network ancillary provider at an in-network facility charged out-of-network prices.",
    RuleDocs(
        what_it_checks=(
            "Non-emergency care at an in-network facility by an out-of-network anesthesiologist, "
            "pathologist, radiologist, neonatologist, assistant surgeon, hospitalist, intensivist, "
            "emergency physician or laboratory (by the provider's role, or by the procedure code "
            "when the role is not printed), when the line charges more than in-network cost sharing "
            "or a balance. The excess is at stake."
        ),
        why_it_matters=(
            "You choose the hospital or surgery center, not who reads your scan or puts you to "
            "sleep. The No Surprises Act therefore limits these clinicians to in-network cost "
            "sharing, and a consent form cannot waive that protection."
        ),
        example=(
            "An out-of-network anesthesiologist during surgery at an in-network hospital: allowed "
            "$1,200.00, charged 40% ($480.00). In-network coinsurance of 20% is $240.00: $240.00 is "
            "at stake."
        ),
        what_to_do=(
            "Ask the insurer to reprocess the line at the in-network level, and the provider to "
            "remove any balance. If the provider keeps billing it, file a complaint with the No "
            "Surprises Help Desk (1-800-985-3059)."
        ),
        references=[
            cite("nsa-plan-nonemergency-facility"),
            cite("nsa-nonemergency-facility"),
            cite("nsa-complaints"),
            cite("nsa-provider-complaints"),
        ],
    ),
)

AIR_AMBULANCE_OUT_OF_NETWORK = _rule(
    "NET004",
    "air-ambulance-charged-out-of-network",
    "error",
    "An out-of-network air ambulance charged more than in-network cost sharing.",
    RuleDocs(
        what_it_checks=(
            "Air ambulance lines (the provider's role, HCPCS A0430, A0431, A0435, A0436, or the "
            "insurer's remark N866) from an out-of-network provider, when the line charges more than "
            "in-network cost sharing or a balance. The excess is at stake. Ground ambulances are "
            "not covered by the federal law (some states protect them)."
        ),
        why_it_matters=(
            "Air ambulance bills are among the largest surprise bills. The No Surprises Act limits "
            "you to in-network cost sharing and forbids the provider to bill the rest."
        ),
        example=(
            "A helicopter transport: allowed $30,000.00, charged 30% ($9,000.00) plus a $12,000.00 "
            "balance. In-network coinsurance of 20% is $6,000.00: $3,000.00 + $12,000.00 = "
            "$15,000.00 is at stake."
        ),
        what_to_do=(
            "Ask the insurer to reprocess at the in-network level; refuse the balance and, if it is "
            "still billed, complain to the No Surprises Help Desk (1-800-985-3059)."
        ),
        references=[
            cite("nsa-plan-air-ambulance"),
            cite("nsa-air-ambulance-balance-billing"),
            cite("nsa-complaints"),
            cite("nsa-provider-complaints"),
        ],
    ),
)

FACILITY_OUT_OF_NETWORK = _rule(
    "NET005",
    "out-of-network-provider-at-in-network-facility",
    "warning",
    "An out-of-network clinician at an in-network facility charged out-of-network prices.",
    RuleDocs(
        what_it_checks=(
            "Non-emergency care at an in-network facility by an out-of-network provider who is not "
            "an ancillary provider (a surgeon, a consulting specialist), when the line charges more "
            "than in-network cost sharing or a balance, and the insurer did not mark a valid consent "
            "(remark N882). The excess is at stake."
        ),
        why_it_matters=(
            "These clinicians are protected by the No Surprises Act unless you signed a notice and "
            "consent form at least 72 hours before the care (3 hours for care booked less than 72 "
            "hours ahead). Many patients never did, or signed one that does not meet the rules."
        ),
        example=(
            "An out-of-network surgeon at an in-network hospital: allowed $2,000.00, charged 50% "
            "($1,000.00); in-network 20% is $400.00: $600.00 is at stake unless you gave valid "
            "consent."
        ),
        what_to_do=(
            "Ask the provider whether you signed a consent form and for a copy. If you did not, ask "
            "the insurer to reprocess at the in-network level and refuse any balance; if no "
            "in-network provider was available, ask the insurer for a network gap exception."
        ),
        references=[
            cite("nsa-plan-nonemergency-facility"),
            cite("nsa-nonemergency-facility"),
            cite("nsa-complaints"),
        ],
    ),
)

REMARK_PROTECTION_IGNORED = _rule(
    "NET006",
    "surprise-billing-remark-ignored",
    "error",
    "The insurer's remark says surprise-billing protections apply, yet the line charges more.",
    RuleDocs(
        what_it_checks=(
            "Lines whose remark codes say the No Surprises Act or a surprise-billing law applies "
            "(N830, N859, N865, N878, N879) but that still charge out-of-network cost sharing or a "
            "balance above the cost sharing, when no other network rule already covers the line. "
            "N878 and N879 mean balance billing is prohibited outright."
        ),
        why_it_matters=(
            "The insurer itself says the protections apply. Any amount above your in-network cost "
            "sharing on such a line is not yours to pay."
        ),
        example=(
            "A line with remark N879, processed in network, whose patient responsibility includes "
            "$350.00 under PR-45 (charges above the allowance): $350.00 is at stake."
        ),
        what_to_do=(
            "Point the insurer and the provider at the remark code; ask for a corrected EOB and for "
            "the balance to be removed. If the provider insists, complain to the No Surprises Help "
            "Desk (1-800-985-3059)."
        ),
        references=[
            cite("nsa-provider-balance-billing"),
            cite("nsa-complaints"),
            cite("nsa-provider-complaints"),
        ],
    ),
)

NSA_NOT_APPLIED = _rule(
    "NET007",
    "no-surprises-act-not-applied",
    "warning",
    "The insurer says it did not apply the No Surprises Act (remark N885); you may appeal.",
    RuleDocs(
        what_it_checks=(
            "Lines with remark N885: the payer disagrees that the No Surprises Act applies, so it "
            "used out-of-network rules. When the line's excess over in-network cost sharing can be "
            "computed, it is at stake. (When the EOB itself shows protected care, NET002-NET006 "
            "report the line instead, with the appeal.)"
        ),
        why_it_matters=(
            "A payer's view that the law does not apply is an adverse decision you can appeal. If "
            "the care was an emergency, an air ambulance, or given during a visit to an in-network "
            "facility, you are likely owed in-network cost sharing."
        ),
        example=(
            "Remark N885 on an out-of-network line charged $450.00 in coinsurance where in-network "
            "coinsurance would be $180.00: $270.00 is at stake if the appeal succeeds."
        ),
        what_to_do=(
            "Ask the insurer in writing why the law does not apply, then file an internal appeal "
            "within 180 days of the EOB, explaining where and how the care happened."
        ),
        references=[
            cite("aca-appeals-external-review"),
            cite("erisa-claims-procedure"),
            cite("nsa-complaints"),
        ],
    ),
)

NSA_MAY_APPLY = _rule(
    "NET008",
    "surprise-billing-protection-may-apply",
    "info",
    "The insurer asks whether the care was at an in-network facility (remark N884).",
    RuleDocs(
        what_it_checks="Lines with remark N884: the No Surprises Act may apply and the payer needs facts.",
        why_it_matters=(
            "If the care happened during a visit to an in-network facility, the line must be "
            "processed with in-network cost sharing; the payer will not know unless someone tells "
            "it."
        ),
        example=(
            "An out-of-network pathologist's line with N884, after a biopsy at an in-network surgery center."
        ),
        what_to_do="Call the insurer, say where the care took place, and ask for the line to be reprocessed.",
        references=[cite("nsa-plan-nonemergency-facility"), cite("nsa-nonemergency-facility")],
    ),
)

NETWORK_GAP = _rule(
    "NET009",
    "network-gap-exception-possible",
    "info",
    "Out-of-network care: if no in-network provider was available, ask for a network gap exception.",
    RuleDocs(
        what_it_checks=(
            "Out-of-network lines the No Surprises Act does not protect, when the plan's in-network "
            "rates are known and the line charges more than in-network cost sharing would be. The "
            "difference in cost sharing is the saving to ask for."
        ),
        why_it_matters=(
            "Insurers may process out-of-network care at the in-network level when no in-network "
            "provider could reasonably give it (too far, too long a wait, no specialist of that "
            "kind). They rarely offer it; you have to ask."
        ),
        example=(
            "An out-of-network specialist, allowed $300.00, 50% coinsurance ($150.00); in-network "
            "20% would be $60.00: $90.00 to ask for."
        ),
        what_to_do=(
            "If no in-network provider was available, call the insurer and request a network gap "
            "exception (some plans call it a network adequacy exception), with your doctor's "
            "support if you have it."
        ),
        references=[cite("erisa-claims-procedure")],
    ),
)


# --- money --------------------------------------------------------------------------------------


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


def cost_sharing(line: ServiceLine) -> int | None:
    parts = (line.deductible, line.copay, line.coinsurance)
    if all(part is None for part in parts):
        return None
    return sum(part or 0 for part in parts)


def balance_billed(line: ServiceLine) -> int:
    """What the line asks the patient above cost sharing: PR-45 amounts (charges above the
    allowance, billed to the patient), or a patient responsibility larger than its parts."""
    pr45 = sum(
        adj.amount or 0
        for adj in line.adjustments
        if adj.group == "PR" and normalize_carc(adj.reason) == "45" and (adj.amount or 0) > 0
    )
    shares = cost_sharing(line)
    if line.patient_responsibility is None or shares is None:
        return pr45
    legit_not_covered = max((line.not_covered or 0) - pr45, 0)
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


def in_network_share(claim: Claim, line: ServiceLine, plan: Plan | None, nsa: NsaTables) -> int | None:
    """In-network cost sharing for the line; None when the plan or the line does not say enough."""
    if plan is None or line.allowed is None or cost_sharing(line) is None:
        return None
    allowed = max(int(line.allowed), 0)
    deductible = min(line.deductible or 0, allowed)
    copay = 0
    if line.copay:
        kind = copay_kind(claim, nsa)
        planned = plan.copays.get(kind) if kind else None
        copay = min(planned if planned is not None else line.copay, allowed - deductible)
    coinsurance = 0
    if line.coinsurance:
        rate = plan.coinsurance_in_network
        if rate is None:
            return None
        coinsurance = ((allowed - deductible - copay) * rate + 50) // 100
    return deductible + copay + coinsurance


def excess(claim: Claim, line: ServiceLine, plan: Plan | None, nsa: NsaTables) -> Excess:
    shares = cost_sharing(line) or 0
    balance = balance_billed(line)
    charged = line.patient_responsibility
    processed_out = line.network == "out"
    return Excess(
        cost_sharing=shares,
        in_network=in_network_share(claim, line, plan, nsa) if processed_out else shares,
        balance=balance,
        charged=charged if charged is not None else shares + balance,
        processed_out=processed_out,
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


# --- wording ------------------------------------------------------------------------------------


def _script(template: str, **values: str) -> str:
    return template.format(**PLACEHOLDERS, **values)


def _service(line: ServiceLine) -> str:
    return f"code {line.code}" if line.code else f"line {line.id}"


def _date(claim: Claim, line: ServiceLine) -> str:
    day = line.service_date or claim.service_start
    return day.isoformat() if day else "the date of service"


def _money(field: str, value: int | None, expected: int | None = None, note: str | None = None) -> Evidence:
    return Evidence(
        field=field,
        value=None if value is None else format_money(value),
        expected=None if expected is None else format_money(expected),
        note=note,
    )


def _network_evidence(claim: Claim, line: ServiceLine) -> list[Evidence]:
    evidence = [Evidence(field="line.network", value=line.network)]
    for name, party in (("provider", claim.provider), ("facility", claim.facility)):
        if party is not None:
            role = f"role {party.role}" if party.role else None
            evidence.append(Evidence(field=f"{name}.network", value=party.network, note=role))
    return evidence


def _remark_evidence(remarks: Iterable[NsaRemark]) -> list[Evidence]:
    return [Evidence(field="remarks", value=r.code, note=f"{r.text} {r.what_to_do}") for r in remarks]


def _excess_evidence(found: Excess) -> list[Evidence]:
    evidence = [_money("cost_sharing", found.cost_sharing, found.in_network, "in-network cost sharing")]
    if found.balance:
        evidence.append(_money("balance_billed", found.balance, 0, "charges above the cost sharing"))
    return evidence


def _excess_text(found: Excess) -> str:
    """What the line charges too much, in words: '... $400.00 of cost sharing where ... $160.00'."""
    parts = []
    if found.processed_out:
        if found.in_network is not None:
            parts.append(
                f"{dollars(found.cost_sharing)} of out-of-network cost sharing where in-network "
                f"cost sharing would be {dollars(found.in_network)}"
            )
        else:
            parts.append(f"{dollars(found.cost_sharing)} of out-of-network cost sharing")
    if found.balance:
        parts.append(f"a balance of {dollars(found.balance)} above the cost sharing")
    return " and ".join(parts) if parts else "no excess"


def _at_stake_text(found: Excess) -> str:
    if found.known:
        return f"{dollars(found.amount)} is at stake."
    return (
        f"Without your plan's in-network rates we cannot compute the in-network share, so up to "
        f"{dollars(found.amount)} is at stake."
    )


def _appeal_deadline(claim: Claim) -> Action | None:
    if claim.processed_date is None:
        return None
    due = internal_appeal(claim.processed_date).due
    return Action(
        kind="appeal_internal",
        who=INSURER,
        summary="If the insurer will not reprocess the line, file an internal appeal by this date.",
        deadline=due,
        template="appeal_internal_level1",
    )


# --- the rules ----------------------------------------------------------------------------------


def _billing_party(claim: Claim) -> Party | None:
    if claim.provider is not None and claim.provider.network != "unknown":
        return claim.provider
    return claim.facility


def in_network_processed_out(
    claim: Claim, line: ServiceLine, plan: Plan | None, nsa: NsaTables
) -> Finding | None:
    party = _billing_party(claim)
    if line.network != "out" or party is None or party.network != "in":
        return None
    found = excess(claim, line, plan, nsa)
    if found.amount <= 0:
        return None
    problem = _excess_text(found)
    actions = [
        Action(
            kind="request_reprocessing",
            who=INSURER,
            summary="Ask the insurer to reprocess the line at the in-network level.",
            script=_script(
                REPROCESS_IN_NETWORK_SCRIPT,
                service=_service(line),
                service_date=_date(claim, line),
                problem=problem,
            ),
            template="reprocessing_request",
        ),
        Action(
            kind="call_provider",
            who=PROVIDER,
            summary="Ask the provider to confirm its network status to the insurer and to hold the account.",
            script=_script(CONFIRM_NETWORK_SCRIPT, service=_service(line), service_date=_date(claim, line)),
        ),
    ]
    return IN_NETWORK_PROCESSED_OUT.finding(
        claim_id=claim.id,
        line_ids=[line.id],
        confidence="high" if found.known else "medium",
        title="In-network provider processed as out of network",
        message=(
            f"The provider is in your plan's network, but {_service(line)} on {_date(claim, line)} was "
            f"processed at the out-of-network level: the EOB charges {problem}. {_at_stake_text(found)}"
        ),
        amount_at_stake=found.amount,
        evidence=[
            *_network_evidence(claim, line),
            *_excess_evidence(found),
            _money("allowed", line.allowed),
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
) -> Finding | None:
    protection = nsa.protection(claim, line)
    if protection is None:
        return None
    found = excess(claim, line, plan, nsa)
    if found.amount <= 0:
        return None
    rule = _PROTECTION_RULES[protection]
    situation = SITUATIONS[protection]
    billed_more = bill_beyond_eob(claim, bills)
    remarks = nsa.line_remarks(line)
    severity, confidence = _protected_levels(claim, line, protection, found, nsa)
    message = (
        f"{_service(line).capitalize()} on {_date(claim, line)} was {situation}"
        f"{_consent_caveat(protection)}. The No Surprises Act limits you to in-network cost sharing, "
        f"but the EOB charges {_excess_text(found)}. {_at_stake_text(found)}"
    )
    if billed_more:
        message += f" The provider's bill also asks {dollars(billed_more)} more than the EOB says you owe."
    evidence = [*_network_evidence(claim, line), *_excess_evidence(found), *_remark_evidence(remarks)]
    if billed_more:
        evidence.append(_money("bill.amount_due_beyond_eob", billed_more, 0, "a protected balance is billed"))
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
    situation = SITUATIONS[protection]
    service, day = _service(line), _date(claim, line)
    actions: list[Action] = []
    if protection == "facility":
        actions.append(
            Action(
                kind="call_provider",
                who=PROVIDER,
                summary="Ask whether you signed a notice and consent form, and for a copy.",
                script=_script(CONSENT_QUESTION_SCRIPT, service_date=day),
            )
        )
    actions.append(
        Action(
            kind="request_reprocessing",
            who=INSURER,
            summary="Ask the insurer to reprocess the line with in-network cost sharing.",
            script=_script(
                NSA_REPROCESS_SCRIPT,
                service=service,
                service_date=day,
                situation=situation,
                problem=_excess_text(found),
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
                script=_script(
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
                script=_script(
                    NSA_COMPLAINT_SCRIPT, service_date=day, situation=situation, balance=dollars(balance)
                ),
                template="nsa_complaint",
            )
        )
    if protection == "facility":
        actions.append(_gap_action(claim, line))
    if any(remark.effect == "not_applied" for remark in remarks):
        appeal = _appeal_deadline(claim)
        if appeal is not None:
            actions.append(appeal)
    return actions


def _gap_action(claim: Claim, line: ServiceLine) -> Action:
    return Action(
        kind="call_insurer",
        who=INSURER,
        summary="If no in-network provider was available, ask for a network gap exception.",
        script=_script(NETWORK_GAP_SCRIPT, service=_service(line), service_date=_date(claim, line)),
        template="network_gap_exception",
    )


def nsa_not_applied(claim: Claim, line: ServiceLine, plan: Plan | None, nsa: NsaTables) -> Finding | None:
    remarks = [r for r in nsa.line_remarks(line) if r.effect == "not_applied"]
    if not remarks:
        return None
    found = excess(claim, line, plan, nsa)
    computable = found.known and found.amount > 0
    at_stake = found.amount if computable else 0
    consequence = (
        f"The line charges {_excess_text(found)}: {dollars(at_stake)} is at stake if the appeal succeeds."
        if computable
        else "If the care was protected, the appeal would bring your share down to in-network cost sharing."
    )
    actions = [
        Action(
            kind="appeal_internal",
            who=INSURER,
            summary="Ask why the law does not apply, and appeal if the care was protected.",
            script=_script(NSA_APPEAL_SCRIPT, service=_service(line), service_date=_date(claim, line)),
            deadline=internal_appeal(claim.processed_date).due if claim.processed_date else None,
            template="appeal_internal_level1",
        )
    ]
    return NSA_NOT_APPLIED.finding(
        claim_id=claim.id,
        line_ids=[line.id],
        confidence="medium" if computable else "low",
        title="The insurer did not apply the No Surprises Act",
        message=(
            f"Remark N885 on {_service(line)} ({_date(claim, line)}) says the insurer did not apply the "
            "No Surprises Act because it disagrees that the law applies. You can appeal if the care was "
            "an emergency, an air ambulance, or given during a visit to an in-network facility. "
            f"{consequence}"
        ),
        amount_at_stake=at_stake,
        evidence=[*_network_evidence(claim, line), *_remark_evidence(remarks)],
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
            f"Remark N884 on {_service(line)} ({_date(claim, line)}): the No Surprises Act may apply, "
            "and the insurer asks whether the care was given during a visit to an in-network facility. "
            "If it was, tell the insurer so that the line gets in-network cost sharing."
        ),
        amount_at_stake=0,
        evidence=_remark_evidence(remarks),
        actions=[
            Action(
                kind="call_insurer",
                who=INSURER,
                summary="Tell the insurer where the care took place.",
                script=_script(TELL_WHERE_SCRIPT, service=_service(line), service_date=_date(claim, line)),
            )
        ],
    )


def network_gap(claim: Claim, line: ServiceLine, plan: Plan | None, nsa: NsaTables) -> Finding | None:
    party = _billing_party(claim)
    if line.network != "out" or (party is not None and party.network == "in"):
        return None
    if nsa.protection(claim, line) is not None or nsa.emergency_claim(claim):
        return None
    found = excess(claim, line, plan, nsa)
    saving = min(found.over_cost_sharing, found.charged) if found.known else 0
    if saving <= 0:
        return None
    return NETWORK_GAP.finding(
        claim_id=claim.id,
        line_ids=[line.id],
        confidence="low",
        title="Ask for a network gap exception",
        message=(
            f"{_service(line).capitalize()} on {_date(claim, line)} was out of network: "
            f"{dollars(found.cost_sharing)} of cost sharing where in-network cost sharing would be "
            f"{dollars(found.in_network or 0)}. If no in-network provider was available to you, a "
            f"network gap exception could save {dollars(saving)}."
        ),
        amount_at_stake=saving,
        evidence=[*_network_evidence(claim, line), *_excess_evidence(found)],
        actions=[_gap_action(claim, line)],
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
        for claim in claims:
            for line in claim.lines:
                if not _skipped(line):
                    yield from _line_findings(claim, line, context, nsa)


def _line_findings(
    claim: Claim, line: ServiceLine, context: CheckContext, nsa: NsaTables
) -> Iterator[Finding]:
    """At most one finding of NET001-NET006 per line; the remark rules only where none applies."""
    plan = context.plan
    primary = in_network_processed_out(claim, line, plan, nsa) or protected_care(
        claim, line, plan, nsa, context.bills
    )
    if primary is None:
        primary = nsa_not_applied(claim, line, plan, nsa) or network_gap(claim, line, plan, nsa)
    if primary is not None:
        yield primary
    may_apply = nsa_may_apply(claim, line, nsa)
    if may_apply is not None:
        yield may_apply


@hookimpl
def eobscan_register_checks(register: Callable[[object], None]) -> None:
    register(NetworkCheck())
